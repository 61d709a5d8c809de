//! The console: redis-cli in the page, on the same store as every other
//! widget (the page's `Sim`). A line runs through `Engine::console_line`,
//! the one command path: it shows in MONITOR as `console` and prints what
//! redis-cli would. History on ArrowUp/ArrowDown, Tab completes command
//! names and the subcommands of OBJECT, CONFIG, COMMAND and FUNCTION,
//! `help`, `clear`, and example commands for the article. A blocking
//! command on an empty list (BLPOP …) waits as redis-cli does: the line
//! says what for, another client's push or the timeout answers it, and Esc
//! gives up.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;

use crate::route;
use crate::sim::{use_sim, Sim};
use model::{
    is_clear, publish_channel, redis_only_note, syntax, waiting_text, Console as Model, Entry,
};
use playground_core::store::{Blocked, Origin};

/// Commands the buttons fill in and run (`console-example-<n>`).
pub const EXAMPLES: &[&str] = &[
    "SET greeting hello EX 10",
    "TTL greeting",
    "INCR counter",
    "SADD tags redis cache",
    // A reliable queue: a job moves to a working list as it is taken, so
    // a worker that dies leaves it there instead of losing it.
    "RPUSH jobs j1 j2 j3",
    "LMOVE jobs working LEFT RIGHT",
    // A worker waiting for jobs: answers at once while jobs has some, then
    // waits (up to 30 virtual seconds) for another client to push one.
    "BLPOP jobs 30",
    "KEYS *",
    "SCAN 0 MATCH product:* COUNT 100",
    "INFO stats",
    "CONFIG SET hz 50",
    "DEBUG SLEEP 0.5",
    // Redis announces what happens to keys: switch the events on, then read
    // the keys it reclaims (add a key with a TTL in the keyspace and wait),
    // or every event on the products the cache-aside flow caches.
    "CONFIG SET notify-keyspace-events KEA",
    "SUBSCRIBE __keyevent@0__:expired",
    "PSUBSCRIBE __keyspace@0__:product:*",
    "HELP",
];

/// The console's history and scrollback, kept by the page (the Shell
/// provides one) so that switching tabs and back finds them as left, the
/// way a terminal window keeps its text. A console mounted without one (an
/// embed) keeps its own.
#[derive(Clone, Copy)]
pub struct ConsoleMemory(StoredValue<Model, LocalStorage>);

/// Call once in the component that outlives the console's mounts.
pub fn provide_console_memory() {
    provide_context(ConsoleMemory(StoredValue::new_local(Model::new())));
}

/// A link's commands stop once the store holds more keys than one `DEBUG
/// POPULATE` may make, or more memory than this (by its estimate).
const RUN_KEYS_MAX: usize = playground_core::store::cmd::server::POPULATE_MAX as usize;
const RUN_MEMORY_MAX: usize = 256 << 20;

/// What one submitted line did.
#[derive(Default)]
struct Submitted {
    /// The scrollback entry it printed to (`None`: `clear`).
    entry: Option<u64>,
    /// The note under `unknown command` for a real Redis command.
    note: Option<String>,
    /// What the command waits for, when it waits for another client.
    blocked: Option<Blocked>,
}

/// One line as redis-cli takes it, whoever typed it (the reader, or a
/// link's `?run=`): remembered in the history; `clear` clears the screen;
/// anything else runs on the store as the console's client, with its output
/// in the scrollback and the line in what the session's link replays.
fn submit(sim: Sim, model: StoredValue<Model, LocalStorage>, line: &str) -> Submitted {
    model.try_update_value(|m| m.remember(line));
    if is_clear(line) {
        model.try_update_value(|m| m.clear());
        return Submitted::default();
    }
    let (out, generation) = sim
        .update(|st| (st.engine.console_line(line), st.generation))
        .unwrap_or_default();
    let note = out.as_deref().and_then(redis_only_note);
    let entry = model
        .try_update_value(|m| {
            m.ran_line(line, generation);
            m.record(line, out)
        })
        .flatten();
    Submitted {
        entry,
        note,
        blocked: sim.with(|st| st.engine.console_blocked()).flatten(),
    }
}

/// Runs a link's `?run=` commands as the page starts, as if typed in the
/// console (its scrollback and history show them, MONITOR says `console`).
/// A command that would wait for another client (BLPOP on an empty list,
/// SUBSCRIBE) stops the run: a link cannot be that client. Returns notes.
pub fn run_at_start(sim: Sim, lines: &[String]) -> Vec<String> {
    let model = use_context::<ConsoleMemory>()
        .map(|m| m.0)
        .unwrap_or_else(|| StoredValue::new_local(Model::new()));
    for (i, line) in lines.iter().enumerate() {
        let sent = submit(sim, model, line);
        let rest = lines.len() - i - 1;
        if sent.blocked.is_some() {
            sim.update(|st| st.engine.cancel_console_block());
            if let Some(id) = sent.entry {
                model.try_update_value(|m| {
                    m.answer(
                        id,
                        "(not run: it waits for another client, which a link cannot be)",
                    )
                });
            }
            return vec![format!(
                "run= stopped at “{}”: it waits for another client, which a link cannot be{}.",
                crate::text::shorten(line, 60),
                if rest == 0 {
                    String::new()
                } else {
                    format!(
                        "; the {rest} command{} after it did not run",
                        if rest == 1 { "" } else { "s" }
                    )
                }
            )];
        }
        // A link is one click for whoever follows it: it may not fill the
        // tab's memory the way fifty DEBUG POPULATEs typed by hand could.
        let (keys, memory) = sim
            .with(|st| {
                st.engine
                    .with_store(|s| (s.keyspace.len(), s.keyspace.used_memory()))
            })
            .unwrap_or_default();
        if (keys > RUN_KEYS_MAX || memory > RUN_MEMORY_MAX) && rest > 0 {
            return vec![format!(
                "run= stopped after “{}”: the store holds {} keys in {} bytes, more than a link may make; the {rest} command{} after it did not run.",
                crate::text::shorten(line, 60),
                crate::widgets::keyspace::model::thousands(keys),
                crate::widgets::keyspace::model::thousands(memory),
                if rest == 1 { "" } else { "s" }
            )];
        }
    }
    Vec::new()
}

#[component]
pub fn Console(
    /// Tighter layout for an iframe or a narrow column.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = use_context::<ConsoleMemory>()
        .map(|m| m.0)
        .unwrap_or_else(|| StoredValue::new_local(Model::new()));
    let input = RwSignal::new(String::new());
    let entries = RwSignal::new(
        model
            .try_with_value(|m| m.entries().cloned().collect::<Vec<Entry>>())
            .unwrap_or_default(),
    );
    let hint = RwSignal::new(String::new());
    let in_tx = RwSignal::new(
        sim.with(|st| st.engine.with_store(|s| s.in_transaction_mode()))
            .unwrap_or(false),
    );
    let out_ref = NodeRef::<leptos::html::Div>::new();
    // What the console's blocked command waits for (empty: not blocked).
    let waiting = RwSignal::new(String::new());
    // Subscribed to a channel: where the Publish button sends (as another
    // client), and how many it sent.
    let channel = RwSignal::new(None::<Vec<u8>>);
    let published = StoredValue::new_local(0u32);
    let refresh = move || {
        if let Some(list) = model.try_with_value(|m| m.entries().cloned().collect::<Vec<_>>()) {
            entries.try_set(list);
        }
    };

    // Only `try_` access in handlers: a late event on a disposed widget
    // must not panic (a panic kills the page).
    let run = move |line: String| {
        // A blocked redis-cli sends nothing more until it has its answer
        // (what is typed stays in the field); `clear` is its own.
        if !is_clear(&line) && waiting.try_with_untracked(|w| !w.is_empty()) == Some(true) {
            let reading = sim
                .with(|st| st.engine.with_store(|s| s.reads_messages()))
                .unwrap_or(false);
            hint.try_set(if reading {
                "The connection reads messages (redis-cli's subscribed mode) and runs no other \
                 command: press Esc to end the subscription."
                    .into()
            } else {
                "The connection waits for the command above: push to its key from another \
                 client, let it time out, or press Esc to cancel it."
                    .into()
            });
            return;
        }
        let sent = submit(sim, model, &line);
        if let Some(b) = &sent.blocked {
            model.try_update_value(|m| m.set_pending(sent.entry));
            waiting.try_set(waiting_text(b, compact));
            channel.try_set(publish_channel(b));
        }
        input.try_set(String::new());
        hint.try_set(sent.note.unwrap_or_default());
        refresh();
    };
    let cancel = move || {
        sim.update(|st| st.engine.cancel_console_block());
    };
    // A message from another client (the keyspace's, as Redis Insight's
    // Pub/Sub tab would send it), so a subscription can be seen working.
    let publish = move || {
        let Some(Some(ch)) = channel.try_get_untracked() else {
            return;
        };
        let n = published.try_update_value(|n| {
            *n += 1;
            *n
        });
        let message = format!("message {}", n.unwrap_or(1));
        sim.update(|st| {
            st.engine.command_from(
                Origin::Keyspace,
                &[b"PUBLISH".to_vec(), ch, message.into_bytes()],
            )
        });
    };

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(current) = input.try_get_untracked() else {
            return;
        };
        let recalled = match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                run(current);
                return;
            }
            "ArrowUp" => {
                ev.prevent_default();
                model.try_update_value(|m| m.older(&current)).flatten()
            }
            "ArrowDown" => {
                ev.prevent_default();
                model.try_update_value(|m| m.newer()).flatten()
            }
            // Tab completes the command name (or a container command's
            // subcommand); elsewhere, in an empty line or with Shift it
            // moves focus as usual, so the field is no keyboard trap.
            "Tab" if !ev.shift_key() && model::tab_completes(&current) => {
                ev.prevent_default();
                if let Some((text, h)) = model.try_update_value(|m| m.complete(&current)) {
                    hint.try_set(h);
                    Some(text)
                } else {
                    None
                }
            }
            "Escape" => {
                hint.try_set(String::new());
                if waiting.try_with_untracked(|w| !w.is_empty()) == Some(true) {
                    cancel();
                }
                None
            }
            _ => None,
        };
        if let Some(text) = recalled {
            input.try_set(text);
        }
    };

    // The prompt says (TX) exactly while the store holds a MULTI: a reset,
    // the tour or another tab's click can end one without a line typed here.
    effect(move || {
        sim.version.track();
        let tx = sim
            .with(|st| st.engine.with_store(|s| s.in_transaction_mode()))
            .unwrap_or(false);
        if in_tx.try_get_untracked().is_some_and(|t| t != tx) {
            in_tx.set(tx);
        }
        // A blocked command's answer (another client pushed, the timeout
        // passed, Esc): added to its entry. Taken without publishing, or
        // this effect would run again for ever.
        let Some(pending) = model.try_with_value(|m| m.pending()).flatten() else {
            return;
        };
        let answer = sim.take(|st| st.engine.take_console_answer()).flatten();
        let blocked = sim
            .with(|st| st.engine.with_store(|s| s.blocked().is_some()))
            .unwrap_or(false);
        let shown = waiting.try_with_untracked(|w| !w.is_empty()) == Some(true);
        if answer.is_none() && blocked && shown {
            // Still waiting, and already said so: nothing to do this frame.
            return;
        }
        let still = sim.with(|st| st.engine.console_blocked()).flatten();
        let ended = still.is_none();
        if let Some(text) = &answer {
            model.try_update_value(|m| m.answer(pending, text));
        } else if ended {
            // A reset made a new server: the wait ended with no answer.
            model.try_update_value(|m| m.answer(pending, "(no answer: the simulation was reset)"));
        }
        match still {
            // A repeat (`3 BLPOP …`) waits again for the next one.
            Some(b) => {
                let text = waiting_text(&b, compact);
                if waiting.try_with_untracked(|w| *w != text) == Some(true) {
                    waiting.try_set(text);
                    channel.try_set(publish_channel(&b));
                }
            }
            None => {
                model.try_update_value(|m| m.set_pending(None));
                waiting.try_set(String::new());
                channel.try_set(None);
                hint.try_set("The blocked command has its answer.".into());
            }
        }
        if answer.is_some() || ended {
            refresh();
        }
    });

    // Keep the newest output in sight.
    effect(move || {
        entries.track();
        if let Some(el) = out_ref.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    // A link to this page that replays the console's commands (`?run=`,
    // with the page's seed and settings already in the address): a teacher
    // sets a scene up once and shares it.
    // The simulation's generation: a Reset empties the store, and the link
    // with it. (A memo: the version moves every frame, the generation
    // rarely, and the link is rebuilt only when it or the entries change.)
    let generation = Memo::new(move |_| {
        sim.version.track();
        sim.with(|st| st.generation).unwrap_or(0)
    });
    let share_link = move || {
        entries.track();
        let generation = generation.get();
        let (text, n, cut) = model
            .try_with_value(|m| {
                let (lines, cut) = m.ran(generation);
                (lines.join("\n"), lines.len(), cut)
            })
            .unwrap_or_default();
        let href = (n > 0)
            .then(|| route::url_with(&[("run", Some(text))]))
            .flatten()?;
        let label = match (n, cut) {
            (1, false) => "Link that replays this console command".to_string(),
            (_, false) => format!("Link that replays these {n} console commands"),
            (_, true) => format!("Link that replays the first {n} console commands"),
        };
        Some(view! {
            <p class="pg-con__share">
                <a href=href data-testid="console-share" target="_blank" rel="noopener">{label}</a>
                {cut.then(|| format!(
                    " (not the later ones: a link takes {} commands of {} characters at most)",
                    route::RUN_LINES,
                    route::RUN_LINE_CHARS
                ))}
            </p>
        })
    };
    let prompt = move || {
        if in_tx.get() {
            "127.0.0.1:6379(TX)>"
        } else {
            "127.0.0.1:6379>"
        }
    };
    let class = if compact {
        "pg-con pg-con--compact"
    } else {
        "pg-con"
    };
    view! {
        <section class=class data-testid="console" aria-label="Redis console">
            <header class="pg-con__head">
                <h2 class="pg-con__title">"Console"</h2>
                <p class="pg-con__lede">
                    "redis-cli on the same store the other widgets use: what you type shows in MONITOR as "
                    <code>"console"</code>
                    ". ↑/↓ history, Tab completes a command or subcommand (its syntax shows under the line), "
                    <code>"HELP SET"</code>
                    " explains one, "
                    <code>"CLEAR"</code>
                    "."
                </p>
            </header>
            <div class="pg-con__examples" role="group" aria-label="Example commands">
                {EXAMPLES
                    .iter()
                    .enumerate()
                    .map(|(i, cmd)| {
                        view! {
                            <button
                                class="pg-btn pg-con__example"
                                data-testid=format!("console-example-{i}")
                                on:click=move |_| {
                                    input.try_set(cmd.to_string());
                                    run(cmd.to_string());
                                }
                            >
                                <code>{*cmd}</code>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            // The log role on a wrapper, not on the list: role="log" on the <ol>
            // took away its list role, and its <li>s were then list items
            // outside any list for a screen reader.
            <div
                class="pg-con__out"
                data-testid="console-output"
                role="log"
                aria-live="polite"
                aria-label="Console output"
                tabindex="0"
                node_ref=out_ref
            >
                <ol class="pg-con__list">
                // Keyed by the output's length too: a blocked command's
                // entry gets its answer later and must be drawn again.
                <For each=move || entries.get() key=|e| (e.id, e.output.len()) let:e>
                    <li class="pg-con__entry">
                        <pre class="pg-con__in">{format!("> {}", e.input)}</pre>
                        <pre class=if e.error {
                            "pg-con__res pg-con__res--err"
                        } else {
                            "pg-con__res"
                        }>{e.output.to_string()}</pre>
                    </li>
                </For>
                </ol>
            </div>
            <p class="pg-con__waiting" data-testid="console-waiting" hidden=move || waiting.with(String::is_empty)>
                <span>{move || waiting.get()}</span>
                " "
                {move || channel.get().map(|ch| view! {
                    <button type="button" class="pg-btn" data-testid="console-publish" on:click=move |_| publish()>
                        {format!("PUBLISH to {} (another client)", String::from_utf8_lossy(&ch))}
                    </button>
                    " "
                })}
                <button type="button" class="pg-btn" data-testid="console-cancel" on:click=move |_| cancel()>
                    "Cancel (Esc)"
                </button>
            </p>
            <label class="pg-con__line">
                <span class="pg-con__prompt" aria-hidden="true">{prompt}</span>
                <span class="pg-sr-only">"Redis command"</span>
                <input
                    class="pg-con__input"
                    data-testid="console-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    placeholder=move || {
                        if waiting.with(String::is_empty) {
                            "Type a command, e.g. SET greeting hello EX 10, or HELP"
                        } else {
                            "Waiting for the command above · Esc cancels"
                        }
                    }
                    prop:value=move || input.get()
                    on:input=move |ev| {
                        input.set(event_target_value(&ev));
                        model.try_update_value(|m| m.typed());
                        // Typing makes a Tab list or a note stale; the
                        // line under the prompt shows the syntax instead.
                        hint.set(String::new());
                    }
                    on:keydown=on_key
                />
            </label>
            // Polite: a screen reader hears a syntax once per command typed
            // (it changes only when the command does), and every note.
            <p class="pg-con__hint" data-testid="console-hint" aria-live="polite">
                {move || {
                    let h = hint.get();
                    if h.is_empty() { input.with(|i| syntax(i)).unwrap_or_default() } else { h }
                }}
            </p>
            {share_link}
        </section>
    }
}
