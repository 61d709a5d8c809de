//! The stampede widget: steady GETs of one hot product with a short TTL.
//! Without a defence, every expiry sends every request that arrives during
//! the rebuild to the database (the thundering herd); single-flight, XFetch
//! and stale-while-revalidate each keep it to about one read.
//!
//! The defences and the TTL are the page's settings (`Settings.defences`,
//! `PRODUCT_CACHE_TTL_SECONDS`): the cache-aside widget sees them too.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;

use crate::sim::use_sim;
use crate::widgets::load::model::clamp_number;
use model::{Defence, Model, StampedeView};

#[component]
pub fn Stampede(#[prop(optional)] compact: bool) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let initial = sim
        .with(|s| Defence::of(&s.engine.settings().defences))
        .unwrap_or_default();
    model.update_value(|m| m.defence = initial);
    let defence = RwSignal::new(initial);
    let jitter = RwSignal::new(
        sim.with(|s| s.engine.settings().defences.ttl_jitter_percent > 0)
            .unwrap_or(false),
    );
    let rate = RwSignal::new(model::DEFAULT_RATE);
    let ttl = RwSignal::new(model::DEFAULT_TTL);
    let running = RwSignal::new(false);
    let data = RwSignal::new(StampedeView::default());
    let note = RwSignal::new(String::new());
    let announce = RwSignal::new(String::new());

    // The GETs leave from inside the clock's advance, each at its own
    // virtual time (the model is a `Timer`); each move of the clock then
    // reads what happened.
    sim.use_timer(model);
    effect(move || {
        sim.version.track();
        if let Some(Some(v)) = sim.with(|st| model.try_update_value(|m| m.sync(st))) {
            if data.try_with_untracked(|d| *d != v) == Some(true) {
                data.set(v);
            }
        }
    });

    // Writes the chosen defence, jitter and TTL into the page's settings.
    let apply = move || {
        let (Some(d), Some(j), Some(t)) = (
            defence.try_get_untracked(),
            jitter.try_get_untracked(),
            ttl.try_get_untracked(),
        ) else {
            return;
        };
        sim.update(|st| {
            let mut s = st.engine.settings();
            s.defences = d.apply(s.defences, j);
            s.product_cache_ttl_seconds = t;
            st.engine.set_settings(s);
            let now = st.engine.now();
            model.try_update_value(|m| m.set_defence(d, now));
        });
    };
    let toggle_run = move |_| {
        let (Some(was), Some(r), Some(t), Some(d)) = (
            running.try_get_untracked(),
            rate.try_get_untracked(),
            ttl.try_get_untracked(),
            defence.try_get_untracked(),
        ) else {
            return;
        };
        let on = !was;
        running.set(on);
        if on {
            apply();
            sim.update(|st| {
                let now = st.engine.now();
                model.try_update_value(|m| m.start(now));
                // The first GET leaves at once, paused or not.
                st.advance_by(0);
            });
            announce.set(format!(
                "Running: {r} GETs a second of product {}, TTL {t} s, {}.",
                model::PRODUCT,
                d.label()
            ));
        } else {
            model.try_update_value(|m| m.stop());
            announce.set("Stopped.".into());
        }
    };
    let on_defence = move |ev| {
        let d = Defence::from_value(&event_target_value(&ev));
        defence.set(d);
        apply();
        announce.set(format!("Defence: {}.", d.label()));
    };
    let on_jitter = move |ev| {
        jitter.set(event_target_checked(&ev));
        apply();
    };
    let on_rate = move |ev| match clamp_number(&event_target_value(&ev), model::RATE_RANGE, "Rate")
    {
        Ok((v, n)) => {
            let v = v.round() as u32;
            rate.set(v);
            model.try_update_value(|m| m.set_rate(v));
            note.set(n.unwrap_or_default());
        }
        Err(e) => note.set(e),
    };
    let on_ttl = move |ev| match clamp_number(&event_target_value(&ev), model::TTL_RANGE, "TTL") {
        Ok((v, n)) => {
            ttl.set(v.round() as u64);
            apply();
            note.set(n.unwrap_or_default());
        }
        Err(e) => note.set(e),
    };

    let root_class = if compact {
        "pg-st pg-st--compact"
    } else {
        "pg-st"
    };
    view! {
        <section class=root_class data-testid="stampede" aria-labelledby="pg-st-title">
            <header>
                <h2 id="pg-st-title" class="pg-st__title">"Cache stampede: a hot key expires under load"</h2>
                <p class="pg-st__lede">
                    "Steady GETs of "<code>{format!("/products/{}", model::PRODUCT)}</code>", each from its own client. "
                    "When "<code>{format!("product:{}", model::PRODUCT)}</code>" expires, every request that arrives during "
                    "the ≈ 400 ms database read misses too, and reads the database again. "
                    "The defence and TTL are the page's settings."
                </p>
            </header>
            <div class="pg-st__controls" role="group" aria-label="Traffic and defence">
                <button
                    class="pg-btn pg-btn--primary"
                    data-testid="st-run"
                    aria-pressed=move || running.get().to_string()
                    on:click=toggle_run
                >
                    {move || if running.get() { "Stop" } else { "Run" }}
                </button>
                <label class="pg-st__field">
                    <span>"GETs per virtual second"</span>
                    <input
                        type="number"
                        data-testid="st-rate"
                        min=model::RATE_RANGE.0
                        max=model::RATE_RANGE.1
                        prop:value=move || rate.get().to_string()
                        on:change=on_rate
                    />
                </label>
                <label class="pg-st__field">
                    <span>"TTL (s)"</span>
                    <input
                        type="number"
                        data-testid="st-ttl"
                        min=model::TTL_RANGE.0
                        max=model::TTL_RANGE.1
                        prop:value=move || ttl.get().to_string()
                        on:change=on_ttl
                    />
                </label>
                <label class="pg-st__field">
                    <span>"Defence"</span>
                    <select
                        data-testid="st-defence"
                        prop:value=move || defence.get().value()
                        on:change=on_defence
                    >
                        {Defence::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.value()>{d.option_text()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="pg-st__check">
                    <input
                        type="checkbox"
                        data-testid="st-jitter"
                        prop:checked=move || jitter.get()
                        on:change=on_jitter
                    />
                    {format!("TTL jitter ±{} %", model::JITTER_PERCENT)}
                </label>
            </div>
            <p class="pg-st__note" data-testid="st-note" role="status">{move || note.get()}</p>
            <p class="pg-sr-only" aria-live="polite">{move || announce.get()}</p>

            <dl class="pg-st__stats">
                <div>
                    <dt>"Peak DB queries in one virtual second"</dt>
                    <dd data-testid="st-db-peak">{move || data.with(|d| d.peak.clone())}</dd>
                </div>
                <div>
                    <dt>"Answered / misses / 429"</dt>
                    <dd data-testid="st-answered">
                        {move || data.with(|d| format!("{} / {} / {}", d.answered, d.misses, d.too_many))}
                    </dd>
                </div>
            </dl>
            <p class="pg-st__summary" data-testid="st-summary">{move || data.with(|d| d.summary.clone())}</p>

            <figure class="pg-panel pg-st__chart">
                <figcaption>"Database queries per virtual second, last 30 s"</figcaption>
                <div class="pg-st__plot">
                    <span class="pg-st__ymax" aria-hidden="true">{move || data.with(|d| d.y_max.clone())}</span>
                    <svg
                        data-testid="st-chart"
                        viewBox=format!("0 0 {} {}", model::CHART_W, model::CHART_H)
                        preserveAspectRatio="none"
                        role="img"
                        aria-label=move || data.with(|d| format!("Database queries per virtual second: {}", d.alt))
                    >
                        <line class="pg-st__axis" x1="0" y1=model::CHART_H x2=model::CHART_W y2=model::CHART_H />
                        <path class="pg-st__bars" d=move || data.with(|d| d.bars.clone()) />
                    </svg>
                    <span class="pg-st__xlab" aria-hidden="true"><span>"−30 s"</span><span>"now"</span></span>
                </div>
            </figure>
        </section>
    }
}
