//! The rate-limit widget: a few clients (one IP each) against
//! `GET /products/:id`, with the limiter algorithm, its limit and window,
//! `RATE_LIMIT_ATOMIC` and the article's INCR/EXPIRE crash to play with.
//! The limiter's state is drawn from the store itself (read with `peek`),
//! and the recorded traffic is replayed through a second algorithm to
//! compare what each admits. Steady traffic is scheduled on the virtual
//! clock: each sync sends what has fallen due (see `model`).

pub mod limiter_state;
pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::api::rate_limit::Algorithm;
use playground_core::api::{keys, Settings};

use crate::sim::{use_sim, Sim};
use limiter_state::LimiterState;
use model::{
    clamp_input, secs, ClientView, CompareView, Last, Model, BURST, CLIENTS, MAX_RANGE, RATE_RANGE,
    ROUTE, WINDOW_RANGE,
};

/// Steady rate (requests per virtual second) a client starts with.
const DEFAULT_RATE: u64 = 2;

/// The engine's limiter settings, as the controls show them.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Cfg {
    algorithm: Algorithm,
    max: u64,
    window: u64,
    atomic: bool,
    crash: bool,
}

fn cfg_of(s: &Settings) -> Cfg {
    Cfg {
        algorithm: s.rate_limit.algorithm,
        max: s.rate_limit.max_requests,
        window: s.rate_limit.window_seconds,
        atomic: s.rate_limit_atomic,
        crash: s.faults.crash_after_incr,
    }
}

fn apply(sim: Sim, f: impl FnOnce(&mut Settings)) {
    sim.update(|st| {
        let mut s = st.engine.settings();
        f(&mut s);
        st.engine.set_settings(s);
    });
}

fn blurb(a: Algorithm) -> &'static str {
    match a {
        Algorithm::ArticleFixed => "fixed window, INCR then EXPIRE (the article)",
        Algorithm::FixedAtomic => "fixed window, TTL set atomically",
        Algorithm::FixedAligned => "fixed window aligned to the clock",
        Algorithm::SlidingCounter => "sliding window counter",
        Algorithm::SlidingLog => "sliding window log (sorted set)",
        Algorithm::TokenBucket => "token bucket",
        Algorithm::Gcra => "GCRA (theoretical arrival time)",
    }
}

#[component]
pub fn RateLimit(
    /// Tighter layout for an iframe or a narrow column.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new(DEFAULT_RATE));
    let initial = sim
        .with(|st| cfg_of(&st.engine.settings()))
        .unwrap_or(cfg_of(&Settings::default()));
    let cfg = RwSignal::new(initial);
    let clients = RwSignal::new(Vec::<ClientView>::new());
    let latest = RwSignal::new(None::<(usize, Last)>);
    let compare = RwSignal::new(None::<CompareView>);
    let other = RwSignal::new(Algorithm::SlidingLog);
    let rate = RwSignal::new(DEFAULT_RATE);
    let note = RwSignal::new(String::new());
    let announce = RwSignal::new(String::new());

    // After every move of the clock: read what finished and the store.
    let sync = move || {
        let Some(o) = other.try_get_untracked() else {
            return;
        };
        let Some(Some((s, c))) = sim.with(|st| {
            model
                .try_update_value(|m| m.sync(st, o))
                .map(|s| (s, cfg_of(&st.engine.settings())))
        }) else {
            return;
        };
        if cfg.try_get_untracked().is_some_and(|old| old != c) {
            cfg.set(c);
        }
        if clients.try_with_untracked(|v| *v != s.clients) == Some(true) {
            clients.set(s.clients);
        }
        if let Some((i, last)) = s.latest {
            announce.set(format!(
                "Client {}: {}{}",
                i + 1,
                last.status,
                last.headers
                    .iter()
                    .find(|(n, _)| n == "Retry-After")
                    .map_or(String::new(), |(_, v)| format!(", retry after {v} s"))
            ));
            latest.set(Some((i, last)));
        }
        if s.reset {
            latest.set(None);
            compare.set(None);
        }
        if let Some(cv) = s.compare {
            compare.set(Some(cv));
        }
    };
    // The steady clients send from inside the clock's advance, each request
    // at its own virtual time (see `Timer`); unmounting takes them off.
    sim.use_timer(model);
    effect(move || {
        sim.version.track();
        other.track();
        sync();
    });

    let send = move |client: usize, count: usize| {
        sim.update(|st| model.try_update_value(|m| m.send(&mut st.engine, client, count)));
    };
    // Turning a client on sends its first request at once, paused or not.
    let toggle_steady = move |client: usize| {
        sim.update(|st| {
            let now = st.engine.now();
            model.try_update_value(|m| m.set_steady(client, !m.is_steady(client), now));
            st.advance_by(0);
        });
    };

    let on_algorithm = move |ev| {
        let Some(a) = Algorithm::parse(&event_target_value(&ev)) else {
            return;
        };
        let crash = sim.with(|st| st.engine.settings().faults.crash_after_incr) == Some(true);
        note.set(if crash && a != Algorithm::ArticleFixed {
            "FAULT_CRASH_AFTER_INCR only breaks article-fixed: the other algorithms never leave a key without a TTL.".into()
        } else {
            String::new()
        });
        apply(sim, |s| s.rate_limit.algorithm = a);
    };
    let number = move |ev: leptos::ev::Event, range: (u64, u64), name: &str| -> Option<u64> {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        match clamp_input(&input.value(), range, name) {
            Ok((v, n)) => {
                input.set_value(&v.to_string());
                note.set(n.unwrap_or_default());
                Some(v)
            }
            Err(e) => {
                note.set(e);
                None
            }
        }
    };
    let on_max = move |ev| {
        if let Some(v) = number(ev, MAX_RANGE, "RATE_LIMIT_MAX_REQUESTS") {
            apply(sim, |s| s.rate_limit.max_requests = v);
        }
    };
    let on_window = move |ev| {
        if let Some(v) = number(ev, WINDOW_RANGE, "RATE_LIMIT_WINDOW_SECONDS") {
            apply(sim, |s| s.rate_limit.window_seconds = v);
        }
    };
    let on_rate = move |ev| {
        if let Some(v) = number(ev, RATE_RANGE, "Steady rate") {
            rate.set(v);
            model.try_update_value(|m| m.set_rate(v));
        }
    };
    let on_atomic = move |ev| {
        let on = event_target_checked(&ev);
        apply(sim, |s| s.rate_limit_atomic = on);
    };
    let on_crash = move |ev| {
        let on = event_target_checked(&ev);
        let switch = on
            && sim.with(|st| st.engine.settings().rate_limit.algorithm)
                != Some(Algorithm::ArticleFixed);
        note.set(if switch {
            "The crash fault breaks the article's limiter, so the algorithm is now article-fixed."
                .into()
        } else {
            String::new()
        });
        apply(sim, |s| {
            s.faults.crash_after_incr = on;
            if on {
                s.rate_limit.algorithm = Algorithm::ArticleFixed;
            }
        });
    };
    let on_other = move |ev| {
        if let Some(a) = Algorithm::parse(&event_target_value(&ev)) {
            other.set(a);
        }
    };

    let options = move |selected: Signal<Algorithm>| {
        Algorithm::ALL
            .into_iter()
            .map(|a| {
                view! {
                    <option value=a.as_str() selected=move || selected.get() == a>
                        {format!("{} · {}", a.as_str(), blurb(a))}
                    </option>
                }
            })
            .collect_view()
    };
    let chosen = Signal::derive(move || cfg.get().algorithm);

    let root_class = if compact {
        "pg-rl pg-rl--compact"
    } else {
        "pg-rl"
    };
    view! {
        <section class=root_class data-testid="rate-limit" aria-labelledby="pg-rl-title">
            <header>
                <h2 id="pg-rl-title" class="pg-rl__title">"Rate limiting: "<code>"GET /products/:id"</code></h2>
                <p class="pg-rl__lede">
                    "Each client sends from its own IP (" <code>"x-forwarded-for"</code>
                    "); the limiter keeps its count in Redis under "
                    <code>{keys::rate_limit("<ip>", ROUTE)}</code>
                    ". Steady traffic runs on the virtual clock: pause it, step it, speed it up."
                </p>
            </header>

            <div class="pg-rl__controls" role="group" aria-label="Limiter settings">
                <label class="pg-rl__field pg-rl__wide">
                    <span>"RATE_LIMIT_ALGORITHM"</span>
                    <select data-testid="rl-algorithm" on:change=on_algorithm>{options(chosen)}</select>
                </label>
                <label class="pg-rl__field">
                    <span>"RATE_LIMIT_MAX_REQUESTS"</span>
                    <input type="number" data-testid="rl-max" min=MAX_RANGE.0 max=MAX_RANGE.1
                        prop:value=move || cfg.get().max.to_string() on:change=on_max />
                </label>
                <label class="pg-rl__field">
                    <span>"RATE_LIMIT_WINDOW_SECONDS"</span>
                    <input type="number" data-testid="rl-window" min=WINDOW_RANGE.0 max=WINDOW_RANGE.1
                        prop:value=move || cfg.get().window.to_string() on:change=on_window />
                </label>
                <label class="pg-rl__field">
                    <span>"Steady rate (req/s)"</span>
                    <input type="number" data-testid="rl-rate" min=RATE_RANGE.0 max=RATE_RANGE.1
                        prop:value=move || rate.get().to_string() on:change=on_rate />
                </label>
                <label class="pg-rl__check">
                    <input type="checkbox" data-testid="rl-atomic"
                        prop:checked=move || cfg.get().atomic on:change=on_atomic />
                    <span>"RATE_LIMIT_ATOMIC "<small class="pg-muted">"(one FCALL; off: the client-side commands)"</small></span>
                </label>
                <label class="pg-rl__check">
                    <input type="checkbox" data-testid="rl-fault-crash"
                        prop:checked=move || cfg.get().crash on:change=on_crash />
                    <span>"FAULT_CRASH_AFTER_INCR "<small class="pg-muted">"(the API dies between INCR and EXPIRE)"</small></span>
                </label>
                <p class="pg-rl__note" data-testid="rl-note" role="status">{move || note.get()}</p>
            </div>

            <ul class="pg-rl__clients" aria-label="Clients">
                {(0..CLIENTS.len()).map(|i| client_card(i, clients, send, toggle_steady)).collect_view()}
            </ul>

            <div class="pg-rl__grid">
                <StatePanel clients=clients cfg=cfg />
                <LatestPanel latest=latest />
                <article class="pg-panel pg-rl__compare" data-testid="rl-compare" aria-labelledby="pg-rl-cmp">
                    <h3 id="pg-rl-cmp" class="pg-panel__title">"Same traffic, other algorithm"</h3>
                    <label class="pg-rl__field">
                        <span>"Compare with…"</span>
                        <select data-testid="rl-compare-with" on:change=on_other>{options(other.into())}</select>
                    </label>
                    <CompareTable compare=compare />
                </article>
            </div>
            <p class="pg-sr-only" aria-live="polite" data-testid="rl-announce">{move || announce.get()}</p>
        </section>
    }
}

fn client_card(
    i: usize,
    clients: RwSignal<Vec<ClientView>>,
    send: impl Fn(usize, usize) + Copy + 'static,
    toggle: impl Fn(usize) + Copy + 'static,
) -> impl IntoView {
    let n = i + 1;
    let ip = CLIENTS.get(i).copied().unwrap_or_default();
    let get = move |f: fn(&ClientView) -> String| {
        move || clients.with(|c| c.get(i).map(f).unwrap_or_default())
    };
    let steady = move || clients.with(|c| c.get(i).is_some_and(|c| c.steady));
    let status_class = move || {
        clients.with(
            |c| match c.get(i).and_then(|c| c.last.as_ref()).map(|l| l.status) {
                Some(429) | Some(500..=599) => "pg-rl__status pg-bad",
                Some(_) => "pg-rl__status pg-ok",
                None => "pg-rl__status",
            },
        )
    };
    let id = move |what: &str| format!("rl-client-{n}-{what}");
    view! {
        <li class="pg-panel pg-rl__client">
            <h3 class="pg-rl__ip">{format!("Client {n} · ")}<code>{ip}</code></h3>
            <div class="pg-rl__buttons" role="group" aria-label=format!("Client {n} traffic")>
                <button class="pg-btn" data-testid=id("send") on:click=move |_| send(i, 1)>"Send 1"</button>
                <button class="pg-btn" data-testid=id("burst") on:click=move |_| send(i, BURST)>
                    {format!("Burst {BURST}")}
                </button>
                <button class="pg-btn" data-testid=id("steady") aria-pressed=move || steady().to_string()
                    on:click=move |_| toggle(i)>
                    {move || if steady() { "Steady: on" } else { "Steady: off" }}
                </button>
            </div>
            <dl class="pg-rl__counts">
                <div><dt>"Allowed"</dt><dd data-testid=id("allowed")>{get(|c| c.allowed.to_string())}</dd></div>
                <div><dt>"429"</dt><dd data-testid=id("limited")>{get(|c| c.limited.to_string())}</dd></div>
                <div><dt>"5xx"</dt><dd data-testid=id("failed")>{get(|c| c.failed.to_string())}</dd></div>
                <div>
                    <dt>"Last"</dt>
                    <dd class=status_class data-testid=id("status")>
                        {get(|c| c.last.as_ref().map_or("—".into(), |l| l.status.to_string()))}
                    </dd>
                </div>
            </dl>
            <p class="pg-rl__hdrs" data-testid=id("headers")>
                {get(|c| c.last.as_ref().map_or(String::new(), Last::headers_text))}
            </p>
        </li>
    }
}

#[component]
fn StatePanel(clients: RwSignal<Vec<ClientView>>, cfg: RwSignal<Cfg>) -> impl IntoView {
    let title = move || {
        let c = cfg.get();
        format!(
            "In Redis: {} ({} per {} s)",
            c.algorithm.as_str(),
            c.max,
            c.window
        )
    };
    view! {
        <article class="pg-panel pg-rl__state" data-testid="rl-state" aria-labelledby="pg-rl-state">
            <h3 id="pg-rl-state" class="pg-panel__title">{title}</h3>
            <ul class="pg-rl__states">
                {(0..CLIENTS.len())
                    .map(|i| {
                        let state = move || clients.with(|c| c.get(i).map(|c| c.state.clone()));
                        view! {
                            <li data-testid=format!("rl-state-{}", i + 1)>
                                <span class="pg-rl__who">{format!("Client {}", i + 1)}</span>
                                {move || state().map(|s| state_view(&s))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </article>
    }
}

/// The algorithm's state, drawn on one fixed markup (see
/// `LimiterState::drawing`), with its sentence as the text alternative.
fn state_view(s: &LimiterState) -> impl IntoView {
    let text = s.describe();
    let d = s.drawing();
    let w = |p: f64| format!("width:{p:.1}%");
    let main_class = match (d.tokens, d.main_full) {
        (true, _) => "pg-rl__fill pg-rl__fill--tokens",
        (false, true) => "pg-rl__fill pg-rl__fill--full",
        (false, false) => "pg-rl__fill",
    };
    view! {
        <span class="pg-rl__draw" role="img" aria-label=text.clone()>
            <span class="pg-rl__track">
                <span class="pg-rl__fill pg-rl__fill--prev" style=w(d.prev)></span>
                <span class=main_class style=w(d.main)></span>
                {d.dots.iter().map(|x| view! { <i class="pg-rl__dot" style=format!("left:{x:.1}%")></i> }).collect_view()}
                <span class="pg-rl__tat" hidden=d.marker.is_none()
                    style=format!("left:{:.1}%", d.marker.unwrap_or(0.0))></span>
            </span>
            <span class="pg-rl__track pg-rl__track--thin" hidden=d.time.is_none() title="Window time left">
                <span class="pg-rl__fill pg-rl__fill--time" style=w(d.time.unwrap_or(0.0))></span>
            </span>
            <span class="pg-rl__immortal" hidden=!d.immortal>"TTL -1"</span>
        </span>
        <span class="pg-rl__desc">{text}</span>
    }
}

#[component]
fn LatestPanel(latest: RwSignal<Option<(usize, Last)>>) -> impl IntoView {
    let who = move || {
        latest.with(|l| match l {
            None => "No answer yet: send a request.".to_string(),
            Some((i, last)) => format!(
                "Client {} · {} · {} at {}",
                i + 1,
                CLIENTS.get(*i).copied().unwrap_or_default(),
                last.status,
                secs(last.at)
            ),
        })
    };
    let rows = move || {
        latest.with(|l| {
            l.iter()
                .flat_map(|(_, last)| last.headers.iter())
                .map(|(n, v)| view! { <li><code>{format!("{n}: {v}")}</code></li> })
                .collect_view()
        })
    };
    let body = move || {
        latest.with(|l| {
            l.as_ref()
                .map(|(_, last)| last.body.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <article class="pg-panel pg-rl__latest" data-testid="rl-headers" aria-labelledby="pg-rl-latest">
            <h3 id="pg-rl-latest" class="pg-panel__title">"Latest answer and its headers"</h3>
            <p class="pg-mono">{who}</p>
            <ul class="pg-rl__hlist">{rows}</ul>
            <pre class="pg-rl__body" tabindex="0" aria-label="Response body" hidden=move || latest.with(Option::is_none)>{body}</pre>
        </article>
    }
}

#[component]
fn CompareTable(compare: RwSignal<Option<CompareView>>) -> impl IntoView {
    let summary = move || {
        compare.with(|c| match c {
            None => "Send some traffic: it is recorded and replayed here.".to_string(),
            Some(c) => format!(
                "{} recorded requests over {}, replayed on fresh stores with the current limit.",
                c.requests,
                secs(c.span_ms)
            ),
        })
    };
    let rows = move || {
        compare.with(|c| {
            c.iter()
                .flat_map(|c| c.rows.iter())
                .map(|r| {
                    let per = r.per_client.iter().map(|n| view! { <td>{n.to_string()}</td> }).collect_view();
                    let marks = r
                        .marks
                        .iter()
                        .map(|(x, ok)| {
                            let class = if *ok { "pg-rl__ok" } else { "pg-rl__no" };
                            view! { <rect class=class x=(*x as f64 * 0.995).to_string() y="2" width="5" height="12" /> }
                        })
                        .collect_view();
                    view! {
                        <tr data-testid=format!("rl-compare-{}", r.algorithm)>
                            <th scope="row"><code>{r.algorithm}</code></th>
                            <td>{r.allowed.to_string()}</td>
                            <td>{r.refused.to_string()}</td>
                            {per}
                            <td class="pg-rl__tl">
                                <svg viewBox="0 0 1000 16" preserveAspectRatio="none" aria-hidden="true">{marks}</svg>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let heads = (1..=CLIENTS.len())
        .map(|n| view! { <th scope="col">{format!("C{n}")}</th> })
        .collect_view();
    view! {
        <p class="pg-muted">{summary}</p>
        <div class="pg-rl__scroll" role="region" tabindex="0" aria-label="Algorithms compared on the same traffic" hidden=move || compare.with(Option::is_none)>
            <table class="pg-rl__table">
                <thead>
                    <tr>
                        <th scope="col">"Algorithm"</th>
                        <th scope="col">"Admitted"</th>
                        <th scope="col">"429"</th>
                        {heads}
                        <th scope="col">"Newest arrivals (green passed)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
