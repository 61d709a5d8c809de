//! The service-cache widget: the MailPace case. Sending an email needs the
//! domain's signing key, which another, slower service (~150 ms) owns; the
//! API caches it with `SET signing_key:{domain} … EX 60`. Rotating the key
//! upstream leaves the cache serving the old one until it expires or is
//! invalidated (`DELETE …/signing-key/cache`).

pub mod model;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::api::keys;

use crate::sim::use_sim;
use model::{Action, DomainView, LogRow, Model, ResultView, DOMAINS};

fn secs(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

fn ttl_text(d: &DomainView) -> String {
    match (&d.cached, d.ttl_left, d.expired) {
        (None, _, _) => "not cached".into(),
        (Some(_), _, true) => "expired: deleted on the next access".into(),
        (Some(_), None, _) => "no TTL".into(),
        (Some(_), Some(ms), false) => format!("{} left", secs(ms)),
    }
}

#[component]
pub fn ServiceCache(
    /// Tighter layout for an iframe or a narrow column.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let sim = use_sim();
    let model = StoredValue::new_local(Model::new());
    let domain = RwSignal::new(DOMAINS[0].to_string());
    let ttl_setting = RwSignal::new(60u64);
    let last = RwSignal::new(None::<ResultView>);
    let domains = RwSignal::new(Vec::<DomainView>::new());
    let log = RwSignal::new(Vec::<LogRow>::new());
    let announce = RwSignal::new(String::new());

    let sync = move || {
        let Some(Some((s, ttl))) = sim.with(|st| {
            model
                .try_update_value(|m| m.sync(st))
                .map(|s| (s, st.engine.settings().signing_keys.cache_ttl_seconds))
        }) else {
            return;
        };
        if ttl_setting.try_get_untracked().is_some_and(|t| t != ttl) {
            ttl_setting.set(ttl);
        }
        if s.reset {
            last.set(None);
        }
        if let Some(r) = s.finished.into_iter().last() {
            announce.set(format!(
                "{}: {} in {} ms{}",
                r.domain,
                r.cache.unwrap_or("?"),
                r.latency_ms,
                if r.stale_vs.is_some() {
                    ", stale key"
                } else {
                    ""
                }
            ));
            last.set(Some(r));
        }
        if let Some(l) = s.log {
            log.set(l);
        }
        if domains.try_with_untracked(|d| *d != s.domains) == Some(true) {
            domains.set(s.domains);
        }
    };
    effect(move || {
        sim.version.track();
        sync();
    });

    let act = move |a: Action| {
        let Some(d) = domain.try_get_untracked() else {
            return;
        };
        sim.update(|st| model.try_update_value(|m| m.act(&mut st.engine, a, &d)));
    };
    let selected = move || {
        let d = domain.get();
        domains.with(|v| v.iter().find(|x| x.domain == d).cloned())
    };

    let root_class = if compact {
        "pg-sc pg-sc--compact"
    } else {
        "pg-sc"
    };
    view! {
        <section class=root_class data-testid="service-cache" aria-labelledby="pg-sc-title">
            <header>
                <h2 id="pg-sc-title" class="pg-sc__title">"Caching another service: signing keys"</h2>
                <p class="pg-sc__lede">
                    "Every email needs its domain's signing key from a slower service. The API keeps it in "
                    <code>{keys::signing_key("<domain>")}</code>
                    {move || format!(" with EX {}: fast, but after a rotation the old key is served until the TTL ends or the cache is invalidated.", ttl_setting.get())}
                </p>
            </header>

            <div class="pg-sc__controls" role="group" aria-label="Email sending">
                <label class="pg-sc__field">
                    <span>"Sending domain"</span>
                    <select data-testid="sc-domain" on:change=move |ev| domain.set(event_target_value(&ev))
                        prop:value=move || domain.get()>
                        {DOMAINS.map(|d| view! { <option value=d>{d}</option> }).collect_view()}
                    </select>
                </label>
                <button class="pg-btn pg-btn--primary" data-testid="sc-send" on:click=move |_| act(Action::Send)>
                    "Send email"
                </button>
                <button class="pg-btn" data-testid="sc-rotate" on:click=move |_| act(Action::Rotate)
                    title="PUT /domains/:domain/signing-key: the signing-key service issues a new key; the API's cache is not told">
                    "Rotate key upstream"
                </button>
                <button class="pg-btn" data-testid="sc-invalidate" on:click=move |_| act(Action::Invalidate)
                    title="DELETE /domains/:domain/signing-key/cache">
                    "Force invalidation"
                </button>
            </div>
            <p class="pg-sr-only" aria-live="polite" data-testid="sc-announce">{move || announce.get()}</p>

            <div class="pg-sc__grid">
                <article class="pg-panel" aria-labelledby="pg-sc-res">
                    <h3 id="pg-sc-res" class="pg-panel__title">"Last email's key lookup"</h3>
                    <div data-testid="sc-result">{move || last.with(|r| result_view(r.as_ref()))}</div>
                </article>
                <article class="pg-panel" aria-labelledby="pg-sc-cache">
                    <h3 id="pg-sc-cache" class="pg-panel__title">"In Redis"</h3>
                    <p>
                        <code>{move || keys::signing_key(&domain.get())}</code>
                        " · TTL "
                        <strong data-testid="sc-ttl">{move || selected().map_or("not cached".into(), |d| ttl_text(&d))}</strong>
                    </p>
                    <div class="pg-sc__ttlbar" role="meter" aria-label="Cached key's time to live left"
                        aria-valuemin="0" aria-valuemax="100"
                        aria-valuenow=move || format!("{:.0}", ttl_pct(selected(), ttl_setting.get()))>
                        <span style=move || format!("width:{:.1}%", ttl_pct(selected(), ttl_setting.get()))></span>
                    </div>
                    <table class="pg-sc__table" data-testid="sc-domains">
                        <thead><tr><th scope="col">"Domain"</th><th scope="col">"Cached key"</th><th scope="col">"Upstream has"</th></tr></thead>
                        <tbody>
                            {move || domains.with(|v| v.iter().map(domain_row).collect_view())}
                        </tbody>
                    </table>
                </article>
                <article class="pg-panel pg-sc__logpanel" aria-labelledby="pg-sc-log">
                    <h3 id="pg-sc-log" class="pg-panel__title">"Requests (newest first)"</h3>
                    <ol class="pg-sc__log" data-testid="sc-log" tabindex="0" aria-labelledby="pg-sc-log">
                        <For each=move || log.get() key=|r| r.id let:r>
                            <li>{r.line}</li>
                        </For>
                    </ol>
                </article>
            </div>
        </section>
    }
}

fn ttl_pct(d: Option<DomainView>, ttl_s: u64) -> f64 {
    match d {
        Some(DomainView {
            cached: Some(_),
            ttl_left: Some(ms),
            expired: false,
            ..
        }) => (ms as f64 * 100.0 / (ttl_s.max(1) * 1_000) as f64).min(100.0),
        _ => 0.0,
    }
}

fn domain_row(d: &DomainView) -> impl IntoView {
    let cached = match &d.cached {
        Some(k) if !d.expired => format!("{k} ({})", ttl_text(d)),
        _ => ttl_text(d),
    };
    let stale = d.stale();
    view! {
        <tr class=if stale { "pg-sc__stale" } else { "" }>
            <th scope="row">{d.domain}</th>
            <td><code>{cached}</code>{stale.then_some(" STALE")}</td>
            <td><code>{d.upstream.clone().unwrap_or_else(|| "not seen yet".into())}</code></td>
        </tr>
    }
}

fn result_view(r: Option<&ResultView>) -> AnyView {
    let Some(r) = r else {
        return view! { <p class="pg-muted">"Send an email to fetch its domain's signing key."</p> }.into_any();
    };
    let (badge, class) = match r.cache {
        Some("hit") => ("HIT", "pg-badge pg-badge--hit"),
        _ => ("MISS", "pg-badge pg-badge--miss"),
    };
    let total = r.latency_ms.max(1) as f64;
    let bars = r
        .spans
        .iter()
        .map(|s| {
            let style = format!(
                "margin-left:{:.2}%;width:{:.2}%",
                s.offset_ms as f64 * 100.0 / total,
                (s.duration_ms as f64 * 100.0 / total).max(0.8)
            );
            let (bar, who) = if s.upstream {
                ("pg-sc__bar pg-sc__bar--up", "upstream")
            } else {
                ("pg-sc__bar", "redis")
            };
            view! {
                <li>
                    <span class="pg-sc__barlabel">{format!("{} ms · {who} · {}", s.duration_ms, s.label)}</span>
                    <span class=bar style=style></span>
                </li>
            }
        })
        .collect_view();
    let stale = r.stale_vs.as_ref().map(|k| {
        view! {
            <p class="pg-sc__warn">
                {format!("STALE: the signing-key service has rotated to {k}; this cached key stays until its TTL ends or the cache is invalidated.")}
            </p>
        }
    });
    view! {
        <p class="pg-sc__head">
            <span class=class>{badge}</span>
            {format!(" {} · {} ms · {}", r.domain, r.latency_ms, r.status)}
        </p>
        <p>"Key "<code>{r.key.clone()}</code></p>
        {stale}
        <ol class="pg-sc__waterfall" aria-label="Where the time went">{bars}</ol>
    }
    .into_any()
}
