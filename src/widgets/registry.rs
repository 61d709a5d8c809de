//! Every widget by its URL name, in the order the playground lists them.
//! The shell's tabs, `?widget=<name>` embeds and `data-playground="<name>"`
//! mounts all go through [`render`], so a widget added here is reachable in
//! all three ways.

use leptos::prelude::*;

pub struct WidgetInfo {
    /// The name in URLs and `data-playground`.
    pub name: &'static str,
    /// Tab label.
    pub title: &'static str,
    /// One line under the tab, and the embed's accessible description.
    pub blurb: &'static str,
    /// Side views (keyspace, monitor) are shown next to every flow on the
    /// playground page rather than as a tab.
    pub side: bool,
}

pub const WIDGETS: &[WidgetInfo] = &[
    WidgetInfo {
        name: "cache-aside",
        title: "Cache-aside",
        blurb: "GET a product: Redis first, the slow database on a miss.",
        side: false,
    },
    WidgetInfo {
        name: "expiry",
        title: "Expiry",
        blurb: "How Redis finds and deletes expired keys: passive and active expiry.",
        side: false,
    },
    WidgetInfo {
        name: "rate-limit",
        title: "Rate limit",
        blurb: "Traffic from several IPs against seven limiter algorithms.",
        side: false,
    },
    WidgetInfo {
        name: "imports",
        title: "Import status",
        blurb: "Start imports, poll their status, watch the TTL run out.",
        side: false,
    },
    WidgetInfo {
        name: "stampede",
        title: "Stampede",
        blurb: "A hot key expires under load: defences against the thundering herd.",
        side: false,
    },
    WidgetInfo {
        name: "service-cache",
        title: "Service cache",
        blurb: "A per-domain signing key cached EX 60, with forced invalidation.",
        side: false,
    },
    WidgetInfo {
        name: "load",
        title: "Load test",
        blurb: "A traffic generator and live charts: QPS, hit ratio, latency.",
        side: false,
    },
    WidgetInfo {
        name: "console",
        title: "Console",
        blurb: "redis-cli in the page, on the same store.",
        side: false,
    },
    WidgetInfo {
        name: "keyspace",
        title: "Keyspace",
        blurb: "Every key, grouped by namespace, with type, value and TTL.",
        side: true,
    },
    WidgetInfo {
        name: "monitor",
        title: "MONITOR",
        blurb: "Every command the store ran, and INFO stats.",
        side: true,
    },
    WidgetInfo {
        name: "trace",
        title: "Trace",
        blurb: "One request as a sequence: client, API, Redis, database, with virtual timings.",
        side: true,
    },
];

pub fn names() -> impl Iterator<Item = &'static str> {
    WIDGETS.iter().map(|w| w.name)
}

pub fn info(name: &str) -> Option<&'static WidgetInfo> {
    WIDGETS.iter().find(|w| w.name == name)
}

/// The widget named `name`, on the `Sim` in context.
#[cfg(not(feature = "size-floor"))]
pub fn render(name: &str, compact: bool) -> AnyView {
    use crate::widgets::*;
    match name {
        "cache-aside" => view! { <cache_aside::CacheAside compact=compact /> }.into_any(),
        "expiry" => view! { <expiry::Expiry compact=compact /> }.into_any(),
        "stampede" => view! { <stampede::Stampede compact=compact /> }.into_any(),
        "load" => view! { <load::Load compact=compact /> }.into_any(),
        "console" => view! { <console::Console compact=compact /> }.into_any(),
        "keyspace" => view! { <keyspace::Keyspace compact=compact /> }.into_any(),
        "monitor" => view! { <monitor::Monitor compact=compact /> }.into_any(),
        "rate-limit" => view! { <rate_limit::RateLimit compact=compact /> }.into_any(),
        "imports" => view! { <imports::Imports compact=compact /> }.into_any(),
        "service-cache" => view! { <service_cache::ServiceCache compact=compact /> }.into_any(),
        "trace" => view! { <trace::TraceView compact=compact /> }.into_any(),
        other => view! { <p class="pg-muted">{format!("There is no widget named {other}.")}</p> }
            .into_any(),
    }
}

/// The bundle without any widget view, for `scripts/bundle-floor.sh` only:
/// what the rest of the page weighs.
#[cfg(feature = "size-floor")]
pub fn render(name: &str, _compact: bool) -> AnyView {
    view! { <p class="pg-muted">{format!("There is no widget named {name}.")}</p> }.into_any()
}
