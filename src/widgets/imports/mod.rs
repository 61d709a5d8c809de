//! The import-status widget: start imports (`POST /imports` with an
//! `Idempotency-Key`), watch the client poll `GET /imports/:jobId` every
//! virtual second, the progress, `completed` or `failed`, then the status
//! key's TTL running out into a 404; and the retry with the same key that
//! gets the same job back instead of a second import.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::api::{keys, Settings};

use crate::sim::use_sim;
use model::{short_id, start_body, ImportView, Model, PollRow, POLL_MS, ROWS_RANGE, TTL_RANGE};

fn secs(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

fn ttl_text(v: &ImportView) -> String {
    match (v.ttl_left, v.expired) {
        (None, _) => "no key".into(),
        (Some(_), true) => "expired: deleted on the next access".into(),
        (Some(ms), false) => secs(ms),
    }
}

fn ttl_pct(v: &ImportView) -> f64 {
    match (v.ttl_left, v.expired) {
        (Some(ms), false) => (ms as f64 / (v.ttl_seconds.max(1) * 1_000) as f64 * 100.0).min(100.0),
        _ => 0.0,
    }
}

#[component]
pub fn Imports(
    /// Tighter layout for an iframe or a narrow column.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let ttl = RwSignal::new(
        sim.with(|st| st.engine.settings().imports.status_ttl_seconds)
            .unwrap_or(600),
    );
    let rows = RwSignal::new(1_000u64);
    let fail = RwSignal::new(false);
    let imports = RwSignal::new(Vec::<ImportView>::new());
    let polls = RwSignal::new(Vec::<PollRow>::new());
    let outcome = RwSignal::new(String::new());
    let last_key = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());

    let sync = move || {
        let Some(Some(s)) = sim.with(|st| model.try_update_value(|m| m.sync(st))) else {
            return;
        };
        if s.reset {
            outcome.set(String::new());
            polls.set(Vec::new());
        }
        if imports.try_with_untracked(|v| *v != s.imports) == Some(true) {
            imports.set(s.imports);
        }
        if let Some(p) = s.polls {
            polls.set(p);
        }
        if let Some(o) = s.outcome {
            outcome.set(o);
        }
        let key = model
            .try_with_value(|m| m.last_key().map(str::to_string))
            .flatten();
        if last_key.try_with_untracked(|k| *k != key) == Some(true) {
            last_key.set(key);
        }
    };
    // Polls leave from inside the clock's advance, each when due.
    sim.use_timer(model);
    effect(move || {
        sim.version.track();
        sync();
    });

    let start = move |_| {
        let body = start_body(rows.get_untracked(), fail.get_untracked());
        sim.update(|st| model.try_update_value(|m| m.start(&mut st.engine, body)));
    };
    let retry = move |_| {
        sim.update(|st| model.try_update_value(|m| m.retry(&mut st.engine)));
    };
    let number = move |ev: leptos::ev::Event, range: (u64, u64), name: &str| -> Option<u64> {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let raw = input.value();
        let Ok(v) = raw.trim().parse::<i64>() else {
            note.set(format!("{name}: not a whole number."));
            return None;
        };
        let used = (v.max(0) as u64).clamp(range.0, range.1);
        input.set_value(&used.to_string());
        note.set(if used as i64 == v {
            String::new()
        } else {
            format!(
                "{name} {v} is outside {}–{}, so {used} is used.",
                range.0, range.1
            )
        });
        Some(used)
    };
    let on_ttl = move |ev| {
        if let Some(v) = number(ev, TTL_RANGE, "IMPORT_STATUS_TTL_SECONDS") {
            ttl.set(v);
            sim.update(|st| {
                let mut s: Settings = st.engine.settings();
                s.imports.status_ttl_seconds = v;
                st.engine.set_settings(s);
            });
        }
    };
    let on_rows = move |ev| {
        if let Some(v) = number(ev, ROWS_RANGE, "Rows") {
            rows.set(v);
        }
    };

    let get = move |n: usize, f: fn(&ImportView) -> String| {
        move || imports.with(|v| v.iter().find(|r| r.n == n).map(f).unwrap_or_default())
    };
    let pct = move |n: usize, f: fn(&ImportView) -> f64| {
        move || imports.with(|v| v.iter().find(|r| r.n == n).map_or(0.0, f))
    };

    let root_class = if compact {
        "pg-im pg-im--compact"
    } else {
        "pg-im"
    };
    view! {
        <section class=root_class data-testid="imports" aria-labelledby="pg-im-title">
            <header>
                <h2 id="pg-im-title" class="pg-im__title">"Import status: "<code>"POST /imports"</code></h2>
                <p class="pg-im__lede">
                    "A background worker writes each job's status to "
                    <code>{keys::import_status("<jobId>")}</code>
                    " with EX IMPORT_STATUS_TTL_SECONDS; the client polls "
                    <code>"GET /imports/:jobId"</code>
                    {format!(" every {} s (virtual) until the key is gone.", POLL_MS / 1000)}
                </p>
            </header>

            <div class="pg-im__controls" role="group" aria-label="Start an import">
                <label class="pg-im__field">
                    <span>"Rows"</span>
                    <input type="number" data-testid="im-rows" min=ROWS_RANGE.0 max=ROWS_RANGE.1
                        prop:value=move || rows.get().to_string() on:change=on_rows />
                </label>
                <label class="pg-im__check">
                    <input type="checkbox" data-testid="im-fail" prop:checked=move || fail.get()
                        on:change=move |ev| fail.set(event_target_checked(&ev)) />
                    <span>"Fail halfway (a bad row)"</span>
                </label>
                <label class="pg-im__field">
                    <span class="pg-mono">"IMPORT_STATUS_TTL_SECONDS"</span>
                    <input type="number" data-testid="im-ttl" min=TTL_RANGE.0 max=TTL_RANGE.1
                        prop:value=move || ttl.get().to_string() on:change=on_ttl />
                </label>
                <button class="pg-btn pg-btn--primary" data-testid="im-start" on:click=start>"Start import"</button>
                <button class="pg-btn" data-testid="im-retry" on:click=retry
                    disabled=move || last_key.with(Option::is_none)>
                    {move || last_key.get().map_or("Retry (start one first)".to_string(), |k| format!("Retry with the same Idempotency-Key ({k})"))}
                </button>
                <p class="pg-im__note" role="status">{move || note.get()}</p>
            </div>

            <p class="pg-im__outcome" data-testid="im-outcome" aria-live="polite">
                {move || {
                    let o = outcome.get();
                    if o.is_empty() { "Start an import: its answer shows here.".to_string() } else { o }
                }}
            </p>

            <div class="pg-im__grid">
                <article class="pg-panel pg-im__jobs" aria-labelledby="pg-im-jobs">
                    <h3 id="pg-im-jobs" class="pg-panel__title">"Imports (as the client's polls saw them)"</h3>
                    <Show when=move || imports.with(Vec::is_empty)>
                        <p class="pg-muted">"No imports yet."</p>
                    </Show>
                    <ul class="pg-im__list">
                        <For each=move || imports.with(|v| v.iter().map(|r| (r.n, r.job_id.clone(), r.idem_key.clone())).collect::<Vec<_>>())
                            key=|r| r.0 let:r>
                            {
                                let (n, job, key) = r;
                                view! {
                                    <li class="pg-im__row" data-testid="im-row">
                                        <div class="pg-im__rowhead">
                                            <strong>{format!("Import {n}")}</strong>
                                            <code title=job.clone()>{short_id(&job)}</code>
                                            <span class="pg-muted">{format!("key {key}")}</span>
                                            <span class=move || format!("pg-im__status pg-im__status--{}", get(n, |v| v.status.clone())())
                                                data-testid=format!("im-status-{n}")>
                                                {get(n, |v| if v.status == "gone" { "404: gone".into() } else { v.status.clone() })}
                                            </span>
                                        </div>
                                        <div class="pg-im__bar" role="progressbar" aria-label=format!("Import {n} progress")
                                            aria-valuemin="0" aria-valuemax="100"
                                            aria-valuenow=get(n, |v| v.percent.to_string())
                                            data-testid=format!("im-progress-{n}")>
                                            <span style=move || format!("width:{:.0}%", pct(n, |v| v.percent as f64)())></span>
                                        </div>
                                        <p class="pg-im__facts">
                                            {get(n, |v| format!("{}/{} rows · {}% · {} polls", v.rows_done, v.rows_total, v.percent, v.polls))}
                                            {get(n, |v| v.error.clone().map_or(String::new(), |e| format!(" · {e}")))}
                                            {get(n, |v| if v.retries > 0 { format!(" · {} retries, same job", v.retries) } else { String::new() })}
                                        </p>
                                        <p class="pg-im__ttl">
                                            <code>{keys::import_status(&short_id(&job))}</code>
                                            " TTL "
                                            <strong data-testid=format!("im-ttl-{n}")>{get(n, ttl_text)}</strong>
                                            <span class="pg-im__ttlbar" aria-hidden="true">
                                                <span style=move || format!("width:{:.1}%", pct(n, ttl_pct)())></span>
                                            </span>
                                        </p>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </article>
                <article class="pg-panel pg-im__polls" aria-labelledby="pg-im-polls">
                    <h3 id="pg-im-polls" class="pg-panel__title">"Polls (newest first)"</h3>
                    <ol class="pg-im__polllist" data-testid="im-polls" tabindex="0" aria-labelledby="pg-im-polls">
                        <For each=move || polls.get() key=|p| (p.seq, p.count) let:p>
                            <li class=if p.status == 200 { "pg-im__poll" } else { "pg-im__poll pg-bad" }>{p.line()}</li>
                        </For>
                    </ol>
                </article>
            </div>
        </section>
    }
}
