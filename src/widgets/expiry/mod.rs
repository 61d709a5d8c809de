//! The expiry widget: many keys with TTLs as a grid of cells, and Redis's
//! two ways of deleting them. A key past its TTL stays in the keyspace (a
//! *ghost*) until a command touches it (passive expiry) or the active cycle,
//! `hz` times a second, samples it. Every change goes through the store's
//! one command path (SET, GET, CONFIG SET), so MONITOR shows it.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::store::ExpireMode;

use crate::sim::use_sim;
use crate::widgets::load::model::fmt_num;
use model::{config_line, CellView, ConfigView, Counts, Model, MAX_CELLS};

#[component]
pub fn Expiry(#[prop(optional)] compact: bool) -> impl IntoView {
    let sim = use_sim();
    let seed = sim.with(|s| s.seed()).unwrap_or(1);
    let model = StoredValue::new_local(Model::new(seed));
    let cells = RwSignal::new(Vec::<CellView>::new());
    let counts = RwSignal::new(Counts::default());
    let stale = RwSignal::new("0.00%".to_string());
    let last_cycle = RwSignal::new("No cycle yet.".to_string());
    let config = RwSignal::new(ConfigView {
        hz: 10,
        effort: 1,
        mode: ExpireMode::Modern,
    });
    let chart = RwSignal::new((String::new(), String::new(), "1".to_string()));
    let note = RwSignal::new(String::new());
    let announce = RwSignal::new(String::new());

    effect(move || {
        sim.version.track();
        let Some(Some(s)) = sim.with(|st| model.try_update_value(|m| m.sync(st))) else {
            return;
        };
        if let Some(c) = s.cells {
            cells.set(c);
        }
        if counts.try_get_untracked() != Some(s.counts) {
            counts.set(s.counts);
        }
        if stale.try_with_untracked(|v| *v != s.stale) == Some(true) {
            stale.set(s.stale);
        }
        if let Some(c) = s.last_cycle {
            last_cycle.set(c);
        }
        if let Some(c) = s.config {
            config.set(c);
        }
        if let Some(c) = s.chart {
            chart.set(c);
        }
    });

    // Runs console lines on the shared store; returns the last reply.
    let run = move |lines: Vec<String>| -> String {
        sim.update(|st| {
            let mut last = String::new();
            for l in &lines {
                last = st.engine.console_line(l).unwrap_or_default();
            }
            last.trim_end().to_string()
        })
        .unwrap_or_default()
    };
    let add = move |n: usize| {
        let Some(lines) = model.try_update_value(|m| m.add_commands(n)) else {
            return;
        };
        run(lines);
        announce.set(format!(
            "Added {} keys with TTLs of 1 to 20 seconds.",
            fmt_num(n as f64)
        ));
    };
    let touch = move |_| {
        let Some(Some(Some(key))) = sim.with(|st| model.try_update_value(|m| m.pick_ghost(st)))
        else {
            announce.set("No expired key is waiting: nothing to touch.".into());
            return;
        };
        let reply = run(vec![format!("GET {key}")]);
        announce.set(format!(
            "GET {key} → {reply}: it was past its TTL, so Redis deleted it on access (passive expiry)."
        ));
    };
    let set_config = move |param: &'static str, raw: String| {
        // Redraw the field from the store's value even when that did not
        // change (a clamped or unreadable entry must not stay shown).
        config.try_update(|_| ());
        match config_line(param, &raw) {
            Ok((line, clamp_note)) => {
                let reply = run(vec![line.clone()]);
                let msg = format!("{line} → {reply}");
                note.set(match clamp_note {
                    Some(n) => format!("{n}. {msg}"),
                    None => msg.clone(),
                });
                announce.set(msg);
            }
            Err(e) => note.set(e),
        }
    };
    let on_mode = move |ev| {
        let v = event_target_value(&ev);
        let mode = if v == "classic" { "classic" } else { "modern" };
        let line = format!("CONFIG SET expire-mode {mode}");
        let reply = run(vec![line.clone()]);
        note.set(format!("{line} → {reply}"));
        announce.set(format!("{line} → {reply}"));
    };

    let live_text = move || counts.with(|c| fmt_num(c.live as f64));
    let ghost_text = move || counts.with(|c| fmt_num(c.ghosts as f64));
    let grid_label = move || {
        counts.with(|c| {
            format!(
                "{} keys in {}: {} live, {} expired but not yet reclaimed; reclaimed so far: {} by the active cycle, {} on access",
                fmt_num(c.tracked as f64),
                model::NAMESPACE,
                fmt_num(c.live as f64),
                fmt_num(c.ghosts as f64),
                fmt_num(c.reclaimed_active as f64),
                fmt_num(c.reclaimed_passive as f64)
            )
        })
    };
    let more = move || {
        counts.with(|c| {
            (c.tracked > MAX_CELLS).then(|| {
                format!(
                    "Drawing the newest {} of {} keys; the counts cover all of them.",
                    fmt_num(MAX_CELLS as f64),
                    fmt_num(c.tracked as f64)
                )
            })
        })
    };
    let chart_label = move || {
        counts.with(|c| {
            format!(
                "Live keys and ghosts over the last 60 virtual seconds; now {} live, {} ghosts",
                c.live, c.ghosts
            )
        })
    };
    let modern = move || config.with(|c| c.mode == ExpireMode::Modern);

    let root_class = if compact {
        "pg-ex pg-ex--compact"
    } else {
        "pg-ex"
    };
    view! {
        <section class=root_class data-testid="expiry" aria-labelledby="pg-ex-title">
            <header>
                <h2 id="pg-ex-title" class="pg-ex__title">"Expiry: passive and active"</h2>
                <p class="pg-ex__lede">
                    "A key past its TTL is not deleted on time: it stays (a ghost) until something reads it "
                    "(passive expiry) or the active cycle, "<code>"hz"</code>" times a second, samples it. "
                    "Redis ≥ 6 walks the keys with a TTL with a cursor, 20 + 5·(effort − 1) per loop, again while "
                    "more than 10 − (effort − 1) % were expired; Redis ≤ 5.0 took 20 random keys, again while more than 25 % were."
                </p>
            </header>

            <div class="pg-ex__controls" role="group" aria-label="Keys and expiry settings">
                <button class="pg-btn pg-btn--primary" data-testid="ex-add-200" on:click=move |_| add(200)>
                    "Add 200 keys (TTL 1–20 s)"
                </button>
                <button class="pg-btn" data-testid="ex-add-1000" on:click=move |_| add(1_000)>
                    "Add 1,000"
                </button>
                <button
                    class="pg-btn"
                    data-testid="ex-touch"
                    disabled=move || counts.with(|c| c.ghosts == 0)
                    title="GET a random key that is past its TTL but still in the keyspace"
                    on:click=touch
                >
                    "GET an expired key"
                </button>
                <label class="pg-ex__field">
                    <span>"Algorithm"</span>
                    <select
                        data-testid="ex-mode"
                        prop:value=move || if modern() { "modern" } else { "classic" }
                        on:change=on_mode
                    >
                        <option value="modern">"Redis 7 (cursor, effort)"</option>
                        <option value="classic">"Classic ≤ 5.0 (20 random, > 25 %)"</option>
                    </select>
                </label>
                <label class="pg-ex__field">
                    <span><code>"hz"</code>" (1–500)"</span>
                    <input
                        type="number"
                        data-testid="ex-hz"
                        min="1"
                        max="500"
                        prop:value=move || config.with(|c| c.hz.to_string())
                        on:change=move |ev| set_config("hz", event_target_value(&ev))
                    />
                </label>
                <label class="pg-ex__field">
                    <span><code>"active-expire-effort"</code>" (1–10)"</span>
                    <input
                        type="number"
                        data-testid="ex-effort"
                        min="1"
                        max="10"
                        prop:value=move || config.with(|c| c.effort.to_string())
                        on:change=move |ev| set_config("active-expire-effort", event_target_value(&ev))
                        aria-describedby="pg-ex-effort-help"
                    />
                </label>
                // Its own line under the fields, not inside the effort field: an
                // empty hint there made that field taller than its neighbours and
                // lifted its label and input out of line with theirs.
                <small id="pg-ex-effort-help" class="pg-muted pg-ex__hint">
                    {move || if modern() { "" } else { "active-expire-effort is not used by the classic algorithm." }}
                </small>
            </div>
            <p class="pg-ex__note" data-testid="ex-note" role="status">{move || note.get()}</p>
            <p class="pg-sr-only" aria-live="polite" data-testid="ex-announce">{move || announce.get()}</p>

            <dl class="pg-ex__stats">
                <div><dt>"Live"</dt><dd data-testid="ex-live">{live_text}</dd></div>
                <div><dt>"Ghosts (expired, still stored)"</dt><dd data-testid="ex-ghosts">{ghost_text}</dd></div>
                <div>
                    <dt><code>"expired_stale_perc"</code></dt>
                    <dd data-testid="ex-stale">{move || stale.get()}</dd>
                </div>
                <div>
                    <dt>"Reclaimed: active / passive"</dt>
                    <dd data-testid="ex-reclaimed">
                        {move || counts.with(|c| format!("{} / {}", fmt_num(c.reclaimed_active as f64), fmt_num(c.reclaimed_passive as f64)))}
                    </dd>
                </div>
            </dl>
            <p class="pg-ex__cycle">"Last cycle: "<span data-testid="ex-cycle" class="pg-mono">{move || last_cycle.get()}</span></p>

            <div class="pg-ex__grid" data-testid="ex-grid" role="img" aria-label=grid_label>
                <For each=move || cells.get() key=|c| (c.id, c.state, c.flash) let:c>
                    <span class=c.class() data-testid="ex-cell" data-state=c.state_name() title=c.title()></span>
                </For>
            </div>
            <p class="pg-muted pg-ex__more">{more}</p>
            <ul class="pg-ex__legend" aria-hidden="true">
                <li><span class="pg-ex__cell pg-ex__cell--live pg-ex__cell--l4"></span>"live (darker: more TTL left)"</li>
                <li><span class="pg-ex__cell pg-ex__cell--ghost"></span>"ghost: expired, still stored"</li>
                <li><span class="pg-ex__cell pg-ex__cell--gone"></span>"reclaimed"</li>
                <li><span class="pg-ex__cell pg-ex__cell--gone pg-ex__cell--passive"></span>"deleted on access"</li>
                <li><span class="pg-ex__cell pg-ex__cell--live pg-ex__cell--l4 pg-ex__cell--sampled"></span>"sampled by the last cycle"</li>
            </ul>

            <figure class="pg-panel pg-ex__chart">
                <figcaption>"Live keys and ghosts, last 60 virtual seconds"</figcaption>
                <div class="pg-ex__plot">
                    <span class="pg-ex__ymax" aria-hidden="true">{move || chart.with(|c| c.2.clone())}</span>
                    <svg
                        data-testid="ex-chart"
                        viewBox=format!("0 0 {} {}", model::CHART_W, model::CHART_H)
                        preserveAspectRatio="none"
                        role="img"
                        aria-label=chart_label
                    >
                        <line class="pg-ex__axis" x1="0" y1=model::CHART_H x2=model::CHART_W y2=model::CHART_H />
                        <path class="pg-ex__line pg-ex__line--live" d=move || chart.with(|c| c.0.clone()) />
                        <path class="pg-ex__line pg-ex__line--ghost" d=move || chart.with(|c| c.1.clone()) />
                    </svg>
                    <span class="pg-ex__xlab" aria-hidden="true"><span>"−60 s"</span><span>"now"</span></span>
                </div>
                <p class="pg-ex__keys" aria-hidden="true">
                    <span class="pg-ex__key pg-ex__key--live">"live"</span>
                    <span class="pg-ex__key pg-ex__key--ghost">"ghosts"</span>
                </p>
            </figure>
        </section>
    }
}
