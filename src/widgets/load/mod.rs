//! The load widget: a traffic generator on the page's engine, and live
//! charts of what it does to Redis and the database, per virtual second.
//! The generator runs inside the shared simulation (`SimState::load`), so
//! every other widget sees its traffic and keys.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;

use crate::sim::use_sim;
use model::{clamp_number, load_view, ChartView, Form, LoadView, Throttle};

fn real_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[component]
pub fn Load(#[prop(optional)] compact: bool) -> impl IntoView {
    let sim = use_sim();
    let form = RwSignal::new(Form::default());
    let note = RwSignal::new(String::new());
    let announce = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    let view_data = RwSignal::new(LoadView::default());
    let throttle = StoredValue::new_local(Throttle::default());

    // Redraws from the generator's series, at most ~4 times a second of
    // real time (or at once when told to: pause, stop).
    let redraw = move |force: bool| {
        let Some((is_on, newest)) = sim.with(|st| {
            let newest = st
                .load
                .as_ref()
                .and_then(|l| l.series().back().map(|s| (s.second, l.series().len())));
            (st.load.is_some(), newest)
        }) else {
            return;
        };
        if running.try_get_untracked() != Some(is_on) {
            running.set(is_on);
        }
        let due = throttle
            .try_update_value(|t| t.due(real_now(), newest, force))
            .unwrap_or(false);
        if !due {
            return;
        }
        if let Some(Some(v)) = sim.with(|st| st.load.as_ref().map(|l| load_view(l.series()))) {
            view_data.set(v);
        }
    };
    effect(move || {
        sim.version.track();
        let paused = !sim.running.get() || sim.suspended.get();
        redraw(paused);
    });

    let start = move |_| {
        let Some(f) = form.try_get_untracked() else {
            return;
        };
        throttle.try_update_value(|t| t.clear());
        sim.update(|st| st.start_load(f.config()));
        announce.set(format!(
            "Load started: {} requests per second from {} clients.",
            model::fmt_num(f.rate),
            model::fmt_num(f.clients)
        ));
    };
    let stop = move |_| {
        redraw(true);
        sim.update(|st| st.stop_load());
        announce.set("Load stopped.".into());
    };

    // A number field: parse, clamp (with a note), store, and apply to a
    // running generator at once.
    let field = move |raw: String, range: (f64, f64), what: &str, set: fn(&mut Form, f64)| {
        match clamp_number(&raw, range, what) {
            Ok((v, n)) => {
                form.try_update(|f| set(f, v));
                let mix = form.try_with_untracked(|f| f.mix_note()).flatten();
                note.set(n.or(mix).unwrap_or_default());
                let on = sim.with(|st| st.load.is_some()).unwrap_or(false);
                if let (true, Some(f)) = (on, form.try_get_untracked()) {
                    sim.update(|st| st.start_load(f.config()));
                }
            }
            Err(e) => note.set(e),
        }
    };

    let num_input = move |label: &'static str,
                          testid: &'static str,
                          range: (f64, f64),
                          step: &'static str,
                          get: fn(&Form) -> f64,
                          set: fn(&mut Form, f64)| {
        view! {
            <label class="pg-ld__field">
                <span>{label}</span>
                <input
                    type="number"
                    data-testid=testid
                    min=range.0
                    max=range.1
                    step=step
                    prop:value=move || model::fmt_num(form.with(get)).replace(',', "")
                    on:change=move |ev| field(event_target_value(&ev), range, label, set)
                />
            </label>
        }
    };

    let root_class = if compact {
        "pg-ld pg-ld--compact"
    } else {
        "pg-ld"
    };
    view! {
        <section class=root_class data-testid="load" aria-labelledby="pg-ld-title">
            <header>
                <h2 id="pg-ld-title" class="pg-ld__title">"Load test"</h2>
                <p class="pg-ld__lede">
                    "Virtual clients send Poisson traffic at the API on the page's simulation: product reads "
                    "picked with a Zipf law (a few products are hot), plus the route mix you choose. "
                    "Charts show the last 60 virtual seconds."
                </p>
            </header>
            <div class="pg-ld__controls" role="group" aria-label="Traffic">
                {num_input("Rate (req/s)", "ld-rate", model::RATE_RANGE, "1", |f| f.rate, |f, v| f.rate = v.round())}
                {num_input("Zipf exponent", "ld-zipf", model::ZIPF_RANGE, "0.1", |f| f.zipf, |f, v| f.zipf = v)}
                {num_input("Clients (IPs)", "ld-clients", model::CLIENTS_RANGE, "1", |f| f.clients, |f, v| f.clients = v.round())}
                {num_input("Views %", "ld-views", (0.0, 100.0), "1", |f| f64::from(f.views_percent), |f, v| f.views_percent = v as u32)}
                {num_input("Updates %", "ld-updates", (0.0, 100.0), "1", |f| f64::from(f.update_percent), |f, v| f.update_percent = v as u32)}
                {num_input("Invalidations %", "ld-invalidations", (0.0, 100.0), "1", |f| f64::from(f.invalidate_percent), |f, v| f.invalidate_percent = v as u32)}
                <button class="pg-btn pg-btn--primary" data-testid="ld-start" on:click=start>
                    {move || if running.get() { "Restart" } else { "Start" }}
                </button>
                <button class="pg-btn" data-testid="ld-stop" disabled=move || !running.get() on:click=stop>
                    "Stop"
                </button>
            </div>
            <p class="pg-ld__note" data-testid="ld-note" role="status">{move || note.get()}</p>
            <p class="pg-sr-only" aria-live="polite">{move || announce.get()}</p>
            <div class="pg-ld__charts">
                {move || {
                    let v = view_data.get();
                    if v.charts.is_empty() {
                        return view! {
                            <p class="pg-muted" data-testid="ld-empty">
                                "Start the load to draw the charts (one point per virtual second)."
                            </p>
                        }
                            .into_any();
                    }
                    let span = v.span.map(|(a, b)| format!("virtual seconds {a}–{b}")).unwrap_or_default();
                    v.charts.into_iter().map(|c| chart(c, &span)).collect_view().into_any()
                }}
            </div>
            // The wrapper hides it: a table ignores the 1 px box of
            // pg-sr-only and would widen the page on a phone.
            <div class="pg-sr-only" data-testid="ld-summary"><table>
                <caption>"Load test, last virtual second and mean over the charts' window"</caption>
                <thead>
                    <tr><th scope="col">"Metric"</th><th scope="col">"Last second"</th><th scope="col">"Mean"</th></tr>
                </thead>
                <tbody>
                    {move || view_data.with(|v| {
                        v.summary.iter().map(|r| view! {
                            <tr><th scope="row">{r.label}</th><td>{r.last.clone()}</td><td>{r.mean.clone()}</td></tr>
                        }).collect_view()
                    })}
                </tbody>
            </table></div>
        </section>
    }
}

fn chart(c: ChartView, span: &str) -> impl IntoView {
    let label = format!("{}: now {}, {span}", c.title, c.latest);
    let testid = format!("ld-chart-{}", c.metric);
    let legend = c.lines.len() > 1;
    view! {
        <figure class="pg-panel pg-ld__chart">
            <figcaption class="pg-ld__cap">
                <span>{c.title}</span>
                <strong class="pg-ld__latest">{c.latest.clone()}</strong>
            </figcaption>
            <div class="pg-ld__plot">
                <span class="pg-ld__ymax" aria-hidden="true">{c.y_max.clone()}</span>
                <svg
                    data-testid=testid
                    viewBox=format!("0 0 {} {}", model::CHART_W, model::CHART_H)
                    preserveAspectRatio="none"
                    role="img"
                    aria-label=label
                >
                    <line class="pg-ld__axis" x1="0" y1=model::CHART_H x2=model::CHART_W y2=model::CHART_H />
                    {c.lines.iter().map(|(m, d, _)| {
                        view! { <path class=format!("pg-ld__line pg-ld__line--{m}") d=d.clone() /> }
                    }).collect_view()}
                </svg>
                <span class="pg-ld__xlab" aria-hidden="true"><span>"−60 s"</span><span>"now"</span></span>
            </div>
            {legend.then(|| view! {
                <p class="pg-ld__legend" aria-hidden="true">
                    {c.lines.iter().map(|(m, _, l)| view! {
                        <span class=format!("pg-ld__key pg-ld__key--{m}")>{*l}</span>
                    }).collect_view()}
                </p>
            })}
        </figure>
    }
}
