//! Timers: things that act at virtual times of their own choosing, between
//! the engine's events. No Leptos here.

use playground_core::sim::Engine;
use playground_core::time::Millis;

/// Something that acts at virtual times of its own choosing, between the
/// engine's events: the rate-limit and stampede widgets' steady traffic.
///
/// Why not act after each frame: a frame at 50× moves the clock ~800 ms, so
/// a client "sending 10 per second" would send 8 requests at one instant,
/// and a limiter sees a burst. [`SimState::advance_by`](super::SimState::advance_by) instead stops the
/// clock at each timer's time, so every request leaves exactly when due.
pub trait Timer {
    /// When it next wants to act, if ever.
    fn next_at(&self) -> Option<Millis>;
    /// The clock has reached [`Timer::next_at`]: act at `engine.now()`.
    fn fire(&mut self, engine: &mut Engine);
    /// Too many firings in one step: forget what fell due up to `until`.
    fn skip_past(&mut self, until: Millis);
    /// The engine was replaced by a fresh one whose clock reads `now`.
    fn restart(&mut self, now: Millis);
}

/// A timer shared with its owner, who reads it between steps.
impl<T: Timer> Timer for std::rc::Rc<std::cell::RefCell<T>> {
    fn next_at(&self) -> Option<Millis> {
        self.try_borrow().ok().and_then(|t| t.next_at())
    }
    fn fire(&mut self, engine: &mut Engine) {
        if let Ok(mut t) = self.try_borrow_mut() {
            t.fire(engine);
        }
    }
    fn skip_past(&mut self, until: Millis) {
        if let Ok(mut t) = self.try_borrow_mut() {
            t.skip_past(until);
        }
    }
    fn restart(&mut self, now: Millis) {
        if let Ok(mut t) = self.try_borrow_mut() {
            t.restart(now);
        }
    }
}
