//! The console: redis-cli on the page's store.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen_test::*;

use crate::util::*;

/// Every entry as `> line output`, whitespace collapsed.
/// The console's waiting box is shown (a blocked command, or a subscription).
fn waiting(host: &web_sys::HtmlElement) -> bool {
    attr(host, "[data-testid=console-waiting]", "hidden").is_none()
}

fn output(host: &web_sys::HtmlElement) -> String {
    let ins = texts(host, "[data-testid=console-output] .pg-con__in");
    let outs = texts(host, "[data-testid=console-output] .pg-con__res");
    let all: Vec<String> = ins
        .iter()
        .zip(&outs)
        .map(|(i, o)| format!("{i} {o}"))
        .collect();
    all.join("\n")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[wasm_bindgen_test]
async fn console_runs_commands_recalls_history_completes_and_reports_errors() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?widget=console") /> },
    );
    leptos::task::tick().await;
    assert_eq!(count(&host, "[data-testid=console-output] li"), 0);

    console_run(&host, "SET k v EX 100");
    wait_for(&host, "SET to print OK", |h| {
        output(h).contains("> SET k v EX 100 OK")
    })
    .await;
    assert_eq!(value(&host, "console-input"), "", "Enter clears the line");

    console_run(&host, "GET k");
    wait_for(&host, "GET to print the value", |h| {
        output(h).contains(r#"> GET k "v""#)
    })
    .await;

    // History: ArrowUp recalls the previous lines, ArrowDown comes back.
    press(&host, "console-input", "ArrowUp");
    leptos::task::tick().await;
    assert_eq!(value(&host, "console-input"), "GET k");
    press(&host, "console-input", "ArrowUp");
    leptos::task::tick().await;
    assert_eq!(value(&host, "console-input"), "SET k v EX 100");
    press(&host, "console-input", "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(value(&host, "console-input"), "GET k");

    // A whole command name: its syntax under the prompt, as redis-cli hints.
    set_value(&host, "console-input", "getex k");
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "console-hint").as_deref(),
        Some("GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]")
    );

    // Tab: the common prefix of INCR, INCRBY, INCRBYFLOAT, the matches listed.
    set_value(&host, "console-input", "INC");
    press(&host, "console-input", "Tab");
    leptos::task::tick().await;
    assert_eq!(value(&host, "console-input"), "INCR");
    let hint = text(&host, "console-hint").unwrap_or_default();
    assert!(
        hint.contains("INCRBY") && hint.contains("INCRBYFLOAT"),
        "{hint}"
    );
    press(&host, "console-input", "Tab");
    leptos::task::tick().await;
    assert_eq!(
        value(&host, "console-input"),
        "INCRBY",
        "the next Tab cycles"
    );
    // After a container command, Tab completes its subcommand.
    set_value(&host, "console-input", "OBJECT enc");
    press(&host, "console-input", "Tab");
    leptos::task::tick().await;
    assert_eq!(value(&host, "console-input"), "OBJECT encoding");

    // Malformed input: redis-cli's own message; a wrong command: Redis's error.
    console_run(&host, "SET \"unbalanced");
    wait_for(&host, "the split error", |h| {
        output(h).contains("> SET \"unbalanced Invalid argument(s)")
    })
    .await;
    console_run(&host, "FOO bar");
    wait_for(&host, "unknown command", |h| {
        output(h).contains("(error) ERR unknown command 'FOO', with args beginning with: 'bar'")
    })
    .await;
    assert_eq!(
        text(&host, "console-hint").as_deref(),
        Some(""),
        "a typo gets no note"
    );
    // A real Redis command the store does not simulate: Redis's reply, and
    // a note that it is no typo; the next line clears the note.
    console_run(&host, "MEMORY USAGE k");
    wait_for(&host, "the not-simulated note", |h| {
        output(h).contains("(error) ERR unknown command 'MEMORY'")
            && text(h, "console-hint").is_some_and(|t| {
                t.contains(
                    "MEMORY is real Redis; here a key's name in the keyspace opens the inspector",
                )
            })
    })
    .await;
    console_run(&host, "INCR k");
    wait_for(&host, "not an integer", |h| {
        output(h).contains("(error) ERR value is not an integer or out of range")
    })
    .await;
    assert_eq!(
        text(&host, "console-hint").as_deref(),
        Some(""),
        "the note is gone"
    );
    assert!(count(&host, ".pg-con__res--err") >= 4, "errors are marked");

    // HELP is answered by the console; an example button fills in and runs.
    console_run(&host, "HELP TTL");
    wait_for(&host, "help", |h| {
        output(h).contains("> HELP TTL TTL key summary: Get the time to live for a key in seconds")
    })
    .await;
    click(&host, "console-example-0");
    wait_for(&host, "the example to run", |h| {
        output(h).contains("> SET greeting hello EX 10 OK")
    })
    .await;
    click(&host, "console-example-1");
    wait_for(&host, "TTL greeting", |h| {
        output(h).contains("> TTL greeting (integer) 10")
    })
    .await;

    // A 1 MB line neither freezes nor floods the page.
    console_run(&host, &format!("SET big {}", "x".repeat(1 << 20)));
    console_run(&host, "GET big");
    wait_for(&host, "the big value, shortened", |h| {
        output(h).contains("more characters)")
    })
    .await;
    assert!(
        output(&host).len() < 40_000,
        "{} chars shown",
        output(&host).len()
    );
    // The newest output is scrolled into sight (the test page has no
    // stylesheet: give the scrollback its height here).
    let log = host
        .query_selector("[data-testid=console-output]")
        .ok()
        .flatten()
        .expect("the output");
    log.set_attribute("style", "max-height:120px;overflow:auto")
        .expect("style");
    console_run(&host, "PING");
    wait_for(&host, "PONG", |h| output(h).ends_with("> PING PONG")).await;
    leptos::task::tick().await;
    assert!(
        log.scroll_height() > log.client_height(),
        "the scrollback overflows"
    );
    assert!(
        log.scroll_top() + log.client_height() >= log.scroll_height() - 2,
        "scrolled to the bottom: {} + {} of {}",
        log.scroll_top(),
        log.client_height(),
        log.scroll_height()
    );

    console_run(&host, "CLEAR");
    wait_for(&host, "an empty scrollback", |h| {
        count(h, "[data-testid=console-output] li") == 0
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_console_keeps_its_scrollback_and_history_across_tab_switches() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "SET kept 1");
    wait_for(&host, "SET to print OK", |h| {
        output(h).contains("> SET kept 1 OK")
    })
    .await;
    console_run(&host, "MULTI");
    wait_for(&host, "MULTI to print OK", |h| {
        output(h).contains("> MULTI OK")
    })
    .await;

    click(&host, "tab-expiry");
    leptos::task::tick().await;
    assert_eq!(
        count(&host, "[data-testid=console-input]"),
        0,
        "the console is unmounted"
    );
    click(&host, "tab-console");
    leptos::task::tick().await;

    assert!(
        output(&host).contains("> SET kept 1 OK") && output(&host).contains("> MULTI OK"),
        "the scrollback is back: {}",
        output(&host)
    );
    assert_eq!(
        text(&host, "console").map(|t| t.contains("(TX)>")),
        Some(true),
        "still inside MULTI: the prompt says so"
    );
    press(&host, "console-input", "ArrowUp");
    leptos::task::tick().await;
    assert_eq!(
        value(&host, "console-input"),
        "MULTI",
        "history survives too"
    );
    console_run(&host, "DISCARD");
}

#[wasm_bindgen_test]
async fn a_reset_ends_the_transaction_and_the_prompt_says_so() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=console") /> },
    );
    leptos::task::tick().await;
    let prompt_tx =
        |h: &web_sys::HtmlElement| text(h, "console").is_some_and(|t| t.contains("(TX)>"));
    console_run(&host, "MULTI");
    wait_for(&host, "the (TX) prompt", prompt_tx).await;
    // Reset from the time bar: a new store, with no MULTI in it.
    click(&host, "clock-reset");
    wait_for(&host, "the plain prompt", |h| !prompt_tx(h)).await;
    console_run(&host, "EXEC");
    wait_for(&host, "EXEC outside MULTI to be refused", |h| {
        output(h).contains("EXEC without MULTI")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_blpop_waits_until_the_keyspace_pushes_and_esc_cancels_a_wait() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=console") /> },
    );
    leptos::task::tick().await;
    assert!(!waiting(&host), "nothing waits yet");
    console_run(&host, "BLPOP jobs 0");
    wait_for(&host, "the wait shown", |h| {
        waiting(h)
            && text(h, "console-waiting")
                .is_some_and(|t| t.contains("BLPOP waits for an element on jobs (no timeout)"))
    })
    .await;
    // A blocked redis-cli sends nothing more: the line stays typed.
    console_run(&host, "PING");
    wait_for(&host, "the refusal", |h| {
        text(h, "console-hint")
            .is_some_and(|t| t.contains("The connection waits for the command above"))
    })
    .await;
    assert_eq!(value(&host, "console-input"), "PING");
    assert!(!output(&host).contains("PONG"));
    // Another client pushes: the keyspace's Add a key form (RPUSH).
    set_value(&host, "ks-add-type", "list");
    set_value(&host, "ks-add-name", "jobs");
    set_value(&host, "ks-add-1", "j1");
    click(&host, "ks-add-create");
    wait_for(&host, "the answer under the BLPOP", |h| {
        output(h).contains(r#"> BLPOP jobs 0 1) "jobs" 2) "j1""#) && !waiting(h)
    })
    .await;
    wait_for(&host, "MONITOR: the push from the keyspace", |h| {
        texts(h, "[data-testid=mon-row]")
            .iter()
            .any(|r| r.contains("[keyspace]") && r.contains("RPUSH jobs j1"))
    })
    .await;
    // A second wait, given up with Esc: nil at once.
    set_value(&host, "console-input", "");
    console_run(&host, "BRPOP other 100");
    wait_for(&host, "the second wait", waiting).await;
    press(&host, "console-input", "Escape");
    wait_for(&host, "nil after Esc", |h| {
        !waiting(h) && output(h).contains("> BRPOP other 100 (nil)")
    })
    .await;
    console_run(&host, "PING");
    wait_for(&host, "commands run again", |h| {
        output(h).contains("> PING PONG")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_subscribed_console_prints_messages_and_keyspace_events_until_esc() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "SUBSCRIBE news");
    wait_for(&host, "the subscription shown", |h| {
        waiting(h)
            && text(h, "console-waiting")
                .is_some_and(|t| t.contains("Subscribed (SUBSCRIBE) to the channel news:"))
            && output(h).contains("Reading messages... (press Ctrl-C to quit)")
    })
    .await;
    // Another client publishes (the button sends as the keyspace's client).
    click(&host, "console-publish");
    click(&host, "console-publish");
    wait_for(&host, "both messages under the SUBSCRIBE", |h| {
        let out = output(h);
        out.contains(r#""message" 2) "news" 3) "message 1""#) && out.contains(r#""message 2""#)
    })
    .await;
    // Subscribed, redis-cli runs nothing else: the line stays typed.
    console_run(&host, "PING");
    wait_for(&host, "the refusal", |h| {
        text(h, "console-hint").is_some_and(|t| t.contains("reads messages"))
    })
    .await;
    press(&host, "console-input", "Escape");
    wait_for(&host, "the subscription ended", |h| {
        !waiting(h) && output(h).contains("(unsubscribed")
    })
    .await;
    // Keyspace events: Redis announces a key its expiry reclaims.
    set_value(&host, "console-input", "");
    console_run(&host, "CONFIG SET notify-keyspace-events Ex");
    console_run(&host, "SUBSCRIBE __keyevent@0__:expired");
    wait_for(&host, "reading expired events", waiting).await;
    assert_eq!(
        count(&host, "[data-testid=console-publish]"),
        0,
        "Redis's own channel has no Publish button"
    );
    set_value(&host, "ks-add-type", "string");
    set_value(&host, "ks-add-name", "session:1");
    set_value(&host, "ks-add-ttl", "1");
    set_value(&host, "ks-add-1", "v");
    click(&host, "ks-add-create");
    wait_for(&host, "the expired event", |h| {
        output(h).contains(r#""__keyevent@0__:expired" 3) "session:1""#)
    })
    .await;
    press(&host, "console-input", "Escape");
    wait_for(&host, "ended again", |h| !waiting(h)).await;
}

/// A link's `?run=` commands run as the page starts, as if typed: the
/// console shows them, the store holds what they made, a command that would
/// wait for another client stops the run with a note. The console's own
/// link then replays what ran (repeats included).
#[wasm_bindgen_test]
async fn run_in_the_url_sets_the_scene_and_the_share_link_replays_it() {
    let host = host();
    let url =
        "?seed=5&run=SET%20greeting%20hello%0AINCR%20n%0AINCR%20n%0ABLPOP%20q%200%0AGET%20never";
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <Page request=route::parse(url) /> }
    });
    leptos::task::tick().await;
    let out = output(&host);
    assert!(
        out.contains("> SET greeting hello OK")
            && out.contains("> INCR n (integer) 1")
            && out.contains("> INCR n (integer) 2")
            && out.contains("> BLPOP q 0 (not run: it waits for another client"),
        "{out}"
    );
    assert!(!out.contains("GET never"), "{out}");
    assert!(!waiting(&host), "the link's BLPOP was cancelled");
    assert!(
        text(&host, "shell-note").is_some_and(|t| t.contains("run= stopped at “BLPOP q 0”")
            && t.contains("the 1 command after it did not run")),
        "{:?}",
        text(&host, "shell-note")
    );
    // The store has what the commands made, as the keyspace view shows.
    console_run(&host, "GET n");
    wait_for(&host, "GET n to answer 2", |h| {
        output(h).ends_with("> GET n \"2\"")
    })
    .await;

    // The link replays every line that ran, in order, repeats included.
    let href = attr(&host, "[data-testid=console-share]", "href").unwrap_or_default();
    // (The query only: the test runner's page has a #hash, which the link keeps.)
    let query = href.split_once('?').map_or("", |(_, q)| q);
    let again = route::parse(query.split('#').next().unwrap_or_default());
    assert_eq!(
        again.run,
        [
            "SET greeting hello",
            "INCR n",
            "INCR n",
            "BLPOP q 0",
            "GET n"
        ]
    );
    assert!(text(&host, "console-share").is_some_and(|t| t.contains("these 5 console commands")));
    // After a Reset the store is empty again: the link starts afresh.
    click(&host, "clock-reset");
    leptos::task::tick().await;
    assert_eq!(count(&host, "[data-testid=console-share]"), 0);
    console_run(&host, "SET fresh 1");
    wait_for(&host, "a link of one command", |h| {
        text(h, "console-share").is_some_and(|t| t.contains("this console command"))
    })
    .await;
}
