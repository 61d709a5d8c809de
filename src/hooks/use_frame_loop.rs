//! `use_frame_loop`: calls back on every animation frame with the real time
//! elapsed since the previous one, while running.
//!
//! The loop's JS closure and frame id live in a thread-local registry keyed by
//! a number, because `on_cleanup` needs a `Send` closure and JS handles are
//! not `Send`: the cleanup only carries the number. Stopping cancels the
//! pending frame, so a paused or unmounted widget costs nothing.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::on_cleanup;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Real milliseconds per frame are capped at this, so a tab that was in the
/// background (where browsers stop frames) does not jump the clock forward.
const MAX_FRAME_MS: f64 = 100.0;

struct LoopState {
    /// Who made it (a simulation's seed), for leak tests among others.
    owner: Cell<u64>,
    frame_id: Cell<Option<i32>>,
    last_ts: Cell<Option<f64>>,
    callback: RefCell<Box<dyn FnMut(f64)>>,
    closure: RefCell<Option<FrameClosure>>,
}

/// The JS function `requestAnimationFrame` calls.
type FrameClosure = Closure<dyn FnMut(f64)>;

thread_local! {
    static LOOPS: RefCell<HashMap<u32, Rc<LoopState>>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// Handle to a frame loop: `Copy` and `Send`, so views and handlers can hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameLoop {
    id: u32,
}

impl FrameLoop {
    /// Starts requesting frames (no-op if already running).
    pub fn start(self) {
        let Some(state) = get(self.id) else { return };
        if state.frame_id.get().is_some() {
            return;
        }
        state.last_ts.set(None);
        request(&state);
    }

    /// Cancels the pending frame.
    pub fn stop(self) {
        let Some(state) = get(self.id) else { return };
        if let (Some(id), Some(w)) = (state.frame_id.take(), web_sys::window()) {
            let _ = w.cancel_animation_frame(id);
        }
    }

    pub fn is_running(self) -> bool {
        get(self.id).is_some_and(|s| s.frame_id.get().is_some())
    }

    /// Ids of the loops that exist on the page (for leak tests).
    pub fn live_ids() -> Vec<u32> {
        LOOPS.with(|l| l.borrow().keys().copied().collect())
    }

    pub fn id(self) -> u32 {
        self.id
    }

    /// Tags the loop with its owner (see [`live_owned_by`](Self::live_owned_by)).
    pub fn set_owner(self, owner: u64) {
        if let Some(s) = get(self.id) {
            s.owner.set(owner);
        }
    }

    /// How many loops tagged `owner` exist.
    pub fn live_owned_by(owner: u64) -> usize {
        LOOPS.with(|l| {
            l.borrow()
                .values()
                .filter(|s| s.owner.get() == owner)
                .count()
        })
    }
}

fn get(id: u32) -> Option<Rc<LoopState>> {
    LOOPS.with(|l| l.borrow().get(&id).cloned())
}

fn request(state: &Rc<LoopState>) {
    let Some(w) = web_sys::window() else { return };
    let closure = state.closure.borrow();
    if let Some(c) = closure.as_ref() {
        if let Ok(id) = w.request_animation_frame(c.as_ref().unchecked_ref()) {
            state.frame_id.set(Some(id));
        }
    }
}

/// Creates a loop that calls `on_frame(elapsed_ms)` each frame while started.
/// Starts immediately when `start_now`. Released with the calling component.
pub fn use_frame_loop(start_now: bool, on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1).max(1));
        id
    });
    let state = Rc::new(LoopState {
        owner: Cell::new(0),
        frame_id: Cell::new(None),
        last_ts: Cell::new(None),
        callback: RefCell::new(Box::new(on_frame)),
        closure: RefCell::new(None),
    });
    let closure = Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
        let Some(state) = get(id) else { return };
        state.frame_id.set(None);
        let elapsed = state
            .last_ts
            .get()
            .map_or(0.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
        state.last_ts.set(Some(ts));
        // Ask for the next frame first, so a callback that stops the loop wins.
        request(&state);
        if let Ok(mut cb) = state.callback.try_borrow_mut() {
            cb(elapsed);
        };
    });
    *state.closure.borrow_mut() = Some(closure);
    LOOPS.with(|l| l.borrow_mut().insert(id, state));
    let handle = FrameLoop { id };
    on_cleanup(move || {
        handle.stop();
        LOOPS.with(|l| l.borrow_mut().remove(&id));
    });
    if start_now {
        handle.start();
    }
    handle
}
