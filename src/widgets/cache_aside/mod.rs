//! The cache-aside widget: the article's product endpoint, clicked through on
//! a virtual clock. Every number shown is simulated (Redis round trip, DB
//! latency), never animation time; every store command shows in the log.
//!
//! The engine is the page's shared `Sim` (or the widget's own when mounted
//! alone); after each move of its clock, `sync` copies what changed into plain
//! signals, and the view reads only those signals.

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::time::{format_clock, Millis};

use playground_core::api::{Request, Settings};

use crate::route::{DEFAULT_TTL_SECONDS, TTL_RANGE};
use crate::sim::use_sim;
use model::{
    format_seconds, InFlightRow, KeyView, LogRow, Model, ResponseView, SpanRow, StatsView,
};

/// How many requests the burst button sends at the same instant.
const BURST: usize = 3;

#[component]
pub fn CacheAside(
    /// Tighter layout for an iframe or a narrow column.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let products: Vec<(String, String)> = sim
        .with(|s| {
            s.engine
                .products()
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect()
        })
        .unwrap_or_default();

    let now = RwSignal::new(0 as Millis);
    let product = RwSignal::new("1".to_string());
    let ttl = RwSignal::new(
        sim.with(|s| s.engine.settings().product_cache_ttl_seconds)
            .unwrap_or(DEFAULT_TTL_SECONDS),
    );
    let last = RwSignal::new(None::<ResponseView>);
    let stats = RwSignal::new(model::stats_view(&Default::default()));
    let log = RwSignal::new(Vec::<LogRow>::new());
    let key = RwSignal::new(KeyView::default());
    let in_flight = RwSignal::new(Vec::<InFlightRow>::new());
    let announce = RwSignal::new(String::new());

    // Copies the simulation's state into the signals, touching only what
    // changed, after every move of the shared clock (`version`).
    //
    // Only `try_` reads: a read of a disposed signal would panic, and a
    // panic kills the page.
    let sync = move || {
        let Some(p) = product.try_get_untracked() else {
            return;
        };
        let Some(Some(s)) = sim.with(|st| model.try_update_value(|m| m.sync(st, &p))) else {
            return;
        };
        if now.try_get_untracked().is_some_and(|n| n != s.now) {
            now.set(s.now);
        }
        if let Some(f) = s.finished.last() {
            announce.set(announcement(f));
            last.set(Some(f.clone()));
        }
        if let Some(st) = s.stats {
            stats.set(st);
        }
        if let Some(l) = s.log {
            log.set(l);
        }
        if key.try_with_untracked(|k| *k != s.key) == Some(true) {
            key.set(s.key);
        }
        if in_flight.try_with_untracked(|f| *f != s.in_flight) == Some(true) {
            in_flight.set(s.in_flight);
        }
    };
    effect(move || {
        sim.version.track();
        sync();
    });

    let send_get = move |count: usize| {
        let Some(p) = product.try_get_untracked() else {
            return;
        };
        sim.update(|s| {
            for _ in 0..count {
                s.engine.send(Request::get(format!("/products/{p}")));
            }
        });
    };
    let invalidate = move |_| {
        let Some(p) = product.try_get_untracked() else {
            return;
        };
        sim.update(|s| {
            s.engine
                .send(Request::delete(format!("/products/{p}/cache")))
        });
    };
    let on_ttl = move |ev| {
        let Ok(v) = event_target_value(&ev).trim().parse::<u64>() else {
            return;
        };
        let v = v.clamp(TTL_RANGE.0, TTL_RANGE.1);
        ttl.set(v);
        sim.update(|s| {
            let settings = Settings {
                product_cache_ttl_seconds: v,
                ..s.engine.settings()
            };
            s.engine.set_settings(settings);
        });
    };
    let on_product = move |ev| {
        product.set(event_target_value(&ev));
        sync();
    };

    let root_class = if compact {
        "pg-ca pg-ca--compact"
    } else {
        "pg-ca"
    };
    view! {
        <section class=root_class data-testid="cache-aside" aria-labelledby="pg-ca-title">
            <header class="pg-ca__head">
                <h2 id="pg-ca-title" class="pg-ca__title">"Cache-aside: "<code>"GET /products/:id"</code></h2>
                <p class="pg-ca__lede">
                    "Read Redis first; on a miss, ask the slow database and keep its answer for the TTL. "
                    "Latencies are simulated: Redis ≈ 1 ms, database ≈ 400 ms."
                </p>
            </header>

            <div class="pg-ca__controls" role="group" aria-label="Request">
                <label class="pg-ca__field">
                    <span>"Product"</span>
                    <select data-testid="ca-product" on:change=on_product prop:value=move || product.get()>
                        {products
                            .into_iter()
                            .map(|(id, name)| {
                                let label = format!("{id} · {name}");
                                view! { <option value=id>{label}</option> }
                            })
                            .collect_view()}
                        <option value="404">"404 · no such product"</option>
                    </select>
                </label>
                <button class="pg-btn pg-btn--primary" data-testid="ca-get" on:click=move |_| send_get(1)>
                    "Send GET"
                </button>
                <button
                    class="pg-btn"
                    data-testid="ca-get-burst"
                    title="Three GETs at the same instant: on a cold key, all three miss and query the database"
                    on:click=move |_| send_get(BURST)
                >
                    {format!("GET ×{BURST} at once")}
                </button>
                <button class="pg-btn" data-testid="ca-invalidate" on:click=invalidate>
                    "Invalidate (DELETE …/cache)"
                </button>
                <label class="pg-ca__field pg-ca__ttl">
                    <span>"TTL "<output data-testid="ca-ttl-value">{move || format!("{} s", ttl.get())}</output></span>
                    <input
                        type="range"
                        data-testid="ca-ttl"
                        min=TTL_RANGE.0
                        max=TTL_RANGE.1
                        step="1"
                        prop:value=move || ttl.get().to_string()
                        on:input=on_ttl
                        aria-describedby="pg-ca-ttl-help"
                    />
                    <small id="pg-ca-ttl-help">"Applies to the next write (SET … EX)."</small>
                </label>
            </div>

            <p class="pg-sr-only" aria-live="polite" data-testid="ca-announce">{move || announce.get()}</p>

            <div class="pg-ca__grid">
                <ResponsePanel last=last.read_only() />
                <KeyPanel key=key.read_only() now=now.read_only() />
                <StatsPanel stats=stats.read_only() />
                <InFlightPanel rows=in_flight.read_only() now=now.read_only() />
                <LogPanel rows=log.read_only() compact=compact />
            </div>
        </section>
    }
}

fn announcement(f: &ResponseView) -> String {
    let cache = match f.cache {
        Some("hit") => ", cache hit",
        Some("miss") => ", cache miss",
        _ => "",
    };
    format!(
        "{}: {}{cache}, {} ms simulated",
        f.request, f.status, f.latency_ms
    )
}

#[component]
fn ResponsePanel(last: ReadSignal<Option<ResponseView>>) -> impl IntoView {
    let status =
        move || last.with(|l| l.as_ref().map_or("—".to_string(), |r| r.status.to_string()));
    let status_class = move || {
        last.with(|l| match l.as_ref().map(|r| r.status) {
            Some(200..=299) => "pg-ca__status pg-ok",
            Some(_) => "pg-ca__status pg-bad",
            None => "pg-ca__status",
        })
    };
    let badge = move || {
        last.with(|l| {
            l.as_ref()
                .and_then(|r| r.cache)
                .map(str::to_ascii_uppercase)
                .unwrap_or_default()
        })
    };
    let badge_class = move || {
        last.with(|l| match l.as_ref().and_then(|r| r.cache) {
            Some("hit") => "pg-badge pg-badge--hit",
            Some(_) => "pg-badge pg-badge--miss",
            None => "pg-badge pg-badge--none",
        })
    };
    let latency = move || {
        last.with(|l| {
            l.as_ref()
                .map_or("—".to_string(), |r| format!("{} ms", r.latency_ms))
        })
    };
    let request = move || {
        last.with(|l| {
            l.as_ref()
                .map_or("No request yet".to_string(), |r| r.request.clone())
        })
    };
    let body = move || {
        last.with(|l| {
            l.as_ref()
                .map_or("Send a GET to see the response body.".to_string(), |r| {
                    r.body.clone()
                })
        })
    };
    let spans = move || last.with(|l| l.as_ref().map(|r| (r.latency_ms, r.spans.clone())));
    view! {
        <article class="pg-panel pg-ca__response" aria-label="Last response">
            <h3 class="pg-panel__title">"Last response"</h3>
            <p class="pg-ca__reqline">{request}</p>
            <dl class="pg-ca__facts">
                <div>
                    <dt>"Status"</dt>
                    <dd class=status_class data-testid="ca-status">{status}</dd>
                </div>
                <div>
                    <dt>{"meta.cache"}</dt>
                    <dd>
                        <span class=badge_class data-testid="ca-cache-badge">{badge}</span>
                    </dd>
                </div>
                <div>
                    <dt>"Latency (simulated)"</dt>
                    <dd data-testid="ca-latency">{latency}</dd>
                </div>
            </dl>
            <Waterfall spans=Signal::derive(spans) />
            <pre class="pg-ca__body" data-testid="ca-body" tabindex="0" aria-label="Response body">{body}</pre>
        </article>
    }
}

/// Where the time of the last request went: each store call and DB query as
/// a bar on the request's own time line.
#[component]
fn Waterfall(spans: Signal<Option<(Millis, Vec<SpanRow>)>>) -> impl IntoView {
    view! {
        <ol class="pg-ca__waterfall" data-testid="ca-waterfall" aria-label="Where the time went">
            {move || {
                spans
                    .get()
                    .map(|(total, rows)| {
                        let total = total.max(1) as f64;
                        rows.into_iter()
                            .map(|s| {
                                let left = s.offset_ms as f64 * 100.0 / total;
                                let width = (s.duration_ms as f64 * 100.0 / total).max(0.8);
                                let style = format!("margin-left:{left:.2}%;width:{width:.2}%");
                                let class = if s.is_db { "pg-ca__bar pg-ca__bar--db" } else { "pg-ca__bar" };
                                let text = format!("{} ms · {}", s.duration_ms, s.label);
                                view! {
                                    <li>
                                        <span class="pg-ca__barlabel">{text}</span>
                                        <span class=class style=style></span>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
            }}
        </ol>
    }
}

#[component]
fn KeyPanel(key: ReadSignal<KeyView>, now: ReadSignal<Millis>) -> impl IntoView {
    let name = move || key.with(|k| k.key.clone());
    // Redis keeps an expired key until something touches it (passive expiry);
    // say so rather than pretend it vanished on time.
    let remaining = move || {
        let t = now.get();
        key.with(|k| match (k.present, k.expire_at) {
            (false, _) => "not cached".to_string(),
            (true, None) => "no TTL".to_string(),
            (true, Some(at)) if t > at => "expired: deleted on the next access".to_string(),
            (true, Some(at)) => format_seconds(at - t),
        })
    };
    let fraction = move || {
        let t = now.get();
        key.with(|k| match (k.present, k.expire_at, k.set_at) {
            (true, Some(at), Some(set)) if at > set && t <= at => {
                (at - t) as f64 / (at - set) as f64
            }
            _ => 0.0,
        })
    };
    let bar_style = move || format!("width:{:.2}%", fraction() * 100.0);
    let set_at = move || key.with(|k| k.set_at.map_or("—".to_string(), format_clock));
    let views_key = move || key.with(|k| k.views_key.clone());
    let views = move || key.with(|k| k.views.clone().unwrap_or_else(|| "—".to_string()));
    view! {
        <article class="pg-panel pg-ca__key" aria-label="What Redis holds">
            <h3 class="pg-panel__title">"In Redis"</h3>
            <p>
                <code>{name}</code>
                " · TTL "
                <strong data-testid="ca-ttl-remaining">{remaining}</strong>
            </p>
            <div
                class="pg-ca__ttlbar"
                role="meter"
                aria-label="Time to live left"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || format!("{:.0}", fraction() * 100.0)
            >
                <span style=bar_style></span>
            </div>
            <p class="pg-muted">"Written at " {set_at}</p>
            <p>
                <code>{views_key}</code>
                " = "
                <strong data-testid="ca-views">{views}</strong>
                <span class="pg-muted">" (INCR on every GET; never expires)"</span>
            </p>
        </article>
    }
}

#[component]
fn StatsPanel(stats: ReadSignal<StatsView>) -> impl IntoView {
    let cell = move |label: &'static str, testid: &'static str, f: fn(&StatsView) -> String| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd data-testid=testid>{move || stats.with(f)}</dd>
            </div>
        }
    };
    view! {
        <article class="pg-panel pg-ca__stats" aria-label="Statistics">
            <h3 class="pg-panel__title">"Product GETs"</h3>
            <dl class="pg-ca__statgrid">
                {cell("Requests", "ca-stat-requests", |s| s.requests.to_string())}
                {cell("Hits", "ca-stat-hits", |s| s.hits.to_string())}
                {cell("Misses", "ca-stat-misses", |s| s.misses.to_string())}
                {cell("Hit ratio", "ca-stat-ratio", |s| s.ratio.clone())}
                {cell("Mean", "ca-stat-mean", |s| s.mean.clone())}
                {cell("p95", "ca-stat-p95", |s| s.p95.clone())}
            </dl>
        </article>
    }
}

#[component]
fn InFlightPanel(rows: ReadSignal<Vec<InFlightRow>>, now: ReadSignal<Millis>) -> impl IntoView {
    view! {
        <article class="pg-panel pg-ca__inflight" aria-label="Requests in flight">
            <h3 class="pg-panel__title">"In flight"</h3>
            <ul data-testid="ca-inflight" class="pg-ca__list">
                <Show when=move || rows.with(|r| r.is_empty())>
                    <li class="pg-muted">"Nothing in flight."</li>
                </Show>
                <For each=move || rows.get() key=|r| (r.id, r.phase.clone()) let:row>
                    <li>
                        <span class="pg-mono">{format!("#{} {}", row.id, row.request)}</span>
                        " · "
                        {row.phase.clone()}
                        " · "
                        <span class="pg-mono">
                            {move || format!("{} ms", now.get().saturating_sub(row.started_at))}
                        </span>
                    </li>
                </For>
            </ul>
        </article>
    }
}

#[component]
fn LogPanel(rows: ReadSignal<Vec<LogRow>>, compact: bool) -> impl IntoView {
    let shown = move || {
        let mut r = rows.get();
        if compact {
            r.truncate(8);
        }
        r
    };
    view! {
        <article class="pg-panel pg-ca__log" aria-label="Commands Redis ran">
            <h3 class="pg-panel__title">"Redis commands (newest first)"</h3>
            <ol data-testid="ca-log" class="pg-ca__loglist" tabindex="0" aria-label="Command log">
                <Show when=move || rows.with(|r| r.is_empty())>
                    <li class="pg-muted">"No commands yet."</li>
                </Show>
                <For each=shown key=|r| r.seq let:row>
                    <li title=row.full.clone()>
                        <span class="pg-ca__logtime">{row.time.clone()}</span>
                        <span class="pg-ca__logwho">{row.origin.clone()}</span>
                        <code>{row.line.clone()}</code>
                    </li>
                </For>
            </ol>
        </article>
    }
}
