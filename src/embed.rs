//! One widget alone: in an iframe (`?widget=<name>`) or mounted into an
//! article's `<div data-playground="<name>">`. It gets its own simulation and
//! time bar, pauses while off-screen, and in an iframe reports its height to
//! the parent page so the iframe can fit it:
//! `{ type: "redis-playground:height", widget, height }` by `postMessage`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::hooks::effect;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::app::{configure, Notes};
use crate::hooks::use_pause_when_hidden;
use crate::route::PageRequest;
use crate::sim::provide_sim;
use crate::widgets::clock_controls::ClockControls;
use crate::widgets::keyspace::StartFilter;
use crate::widgets::registry;

/// The `type` of the height message.
pub const HEIGHT_MESSAGE: &str = "redis-playground:height";

#[component]
pub fn Embedded(name: &'static str, request: PageRequest) -> impl IntoView {
    let sim = provide_sim(request.seed);
    provide_context(StartFilter {
        pattern: request.keys_match.clone(),
        kind: request.keys_type,
        in_url: false,
    });
    // The console's scrollback outlives nothing here, but `?run=` writes
    // its commands into it before the console mounts.
    crate::widgets::console::provide_console_memory();
    let notes = configure(sim, &request);
    let root = NodeRef::<leptos::html::Section>::new();
    use_pause_when_hidden(root, sim.suspended, request.seed);
    use_height_report(root, name);
    let title = registry::info(name).map_or(name, |w| w.title);
    view! {
        <section class="pg-embed" data-testid="embed-root" data-widget=name node_ref=root aria-label=title>
            <Notes notes=notes testid="embed-note" />
            <div class="pg-embed__bar">
                <ClockControls sim=sim />
            </div>
            {registry::render(name, true)}
        </section>
    }
}

/// A live observer and the JS callback it calls (kept alive with it).
type Reporter = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

thread_local! {
    static REPORTERS: RefCell<HashMap<u32, Reporter>> = RefCell::new(HashMap::new());
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

/// Posts the element's height to the parent window whenever it changes,
/// when the page is inside a frame (nothing to tell otherwise).
fn use_height_report(target: NodeRef<leptos::html::Section>, name: &'static str) {
    let Some(w) = web_sys::window() else { return };
    let framed = w.parent().ok().flatten().is_some_and(|p| p != w);
    if !framed {
        return;
    }
    let id = NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    effect(move || {
        let Some(el) = target.get() else { return };
        let el: web_sys::Element = el.unchecked_into();
        let last = Cell::new(-1.0f64);
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Some(entry) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::ResizeObserverEntry>().ok())
            else {
                return;
            };
            let h = entry.target().get_bounding_client_rect().height().ceil();
            if h == last.get() {
                return;
            }
            last.set(h);
            post_height(name, h);
        });
        let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) else {
            return;
        };
        obs.observe(&el);
        REPORTERS.with(|r| {
            if let Some((old, _)) = r.borrow_mut().insert(id, (obs, cb)) {
                old.disconnect();
            }
        });
    });
    on_cleanup(move || {
        if let Some((obs, _)) = REPORTERS.with(|r| r.borrow_mut().remove(&id)) {
            obs.disconnect();
        }
    });
}

fn post_height(name: &str, height: f64) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &HEIGHT_MESSAGE.into());
    let _ = js_sys::Reflect::set(&msg, &"widget".into(), &name.into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from_f64(height));
    let _ = parent.post_message(&msg, "*");
}

/// Mounts a widget into every `[data-playground]` element of the page.
/// Returns how many were mounted (0: the page is the playground itself).
pub fn mount_all() -> u32 {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let Ok(list) = doc.query_selector_all("[data-playground]") else {
        return 0;
    };
    let mut mounted = 0;
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let asked = el.get_attribute("data-playground").unwrap_or_default();
        // What a URL would carry (`ttl=30&match=rl:*`), for a mount that has
        // no URL of its own; checked and noted the same way.
        let query = el.get_attribute("data-query").unwrap_or_default();
        let mut request = crate::route::parse(&query);
        let name = match registry::info(asked.trim()) {
            Some(w) => w.name,
            None => {
                request.notes.push(format!(
                    "data-playground=“{}” names no widget, so cache-aside is shown. Widgets: {}.",
                    asked.chars().take(60).collect::<String>(),
                    registry::names().collect::<Vec<_>>().join(", ")
                ));
                "cache-aside"
            }
        };
        el.set_text_content(None);
        leptos::mount::mount_to(el, move || view! { <Embedded name=name request=request /> })
            .forget();
        mounted += 1;
    }
    mounted
}
