//! `use_pause_when_hidden`: sets a signal while the tab is hidden or the
//! watched element is off-screen, so a simulation nobody can see stops
//! spending frames (and a reader scrolling back finds it where it was).
//!
//! The listener and observer are JS objects, not `Send`; like the frame
//! loop they live in a thread-local registry and `on_cleanup` carries only
//! the id, removing the listener and disconnecting the observer.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::effect;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// An observer and the JS callback it calls (kept alive with it).
type Observer = (
    web_sys::IntersectionObserver,
    Closure<dyn FnMut(js_sys::Array)>,
);

struct Watch {
    owner: u64,
    on_visibility: Closure<dyn FnMut()>,
    observer: Option<Observer>,
}

thread_local! {
    static WATCHES: RefCell<HashMap<u32, Watch>> = RefCell::new(HashMap::new());
    static NEXT: Cell<u32> = const { Cell::new(1) };
}

/// How many watches tagged `owner` exist (leak tests among others).
pub fn live_watches_owned_by(owner: u64) -> usize {
    WATCHES.with(|w| w.borrow().values().filter(|x| x.owner == owner).count())
}

/// Sets `hidden` to true while the document is hidden or `target` (once
/// mounted) does not intersect the viewport. `owner` tags the watch.
pub fn use_pause_when_hidden<E>(target: NodeRef<E>, hidden: RwSignal<bool>, owner: u64)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let id = NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    let page_hidden = RwSignal::new(doc.hidden());
    let off_screen = RwSignal::new(false);
    effect(move || {
        let h = page_hidden.get() || off_screen.get();
        if hidden.try_get_untracked() != Some(h) {
            hidden.try_set(h);
        }
    });

    let doc2 = doc.clone();
    let on_visibility = Closure::<dyn FnMut()>::new(move || {
        page_hidden.try_set(doc2.hidden());
    });
    let _ = doc.add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    WATCHES.with(|w| {
        w.borrow_mut().insert(
            id,
            Watch {
                owner,
                on_visibility,
                observer: None,
            },
        )
    });

    effect(move || {
        let Some(el) = target.get() else { return };
        let Ok(el) = el.dyn_into::<web_sys::Element>() else {
            return;
        };
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The last entry is the newest state of the one element watched.
            if let Some(e) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                off_screen.try_set(!e.is_intersecting());
            }
        });
        let Ok(obs) = web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) else {
            return;
        };
        obs.observe(&el);
        WATCHES.with(|w| {
            if let Some(watch) = w.borrow_mut().get_mut(&id) {
                if let Some((old, _)) = watch.observer.replace((obs, cb)) {
                    old.disconnect();
                }
            }
        });
    });

    on_cleanup(move || {
        let Some(watch) = WATCHES.with(|w| w.borrow_mut().remove(&id)) else {
            return;
        };
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let _ = doc.remove_event_listener_with_callback(
                "visibilitychange",
                watch.on_visibility.as_ref().unchecked_ref(),
            );
        }
        if let Some((obs, _)) = watch.observer {
            obs.disconnect();
        }
    });
}
