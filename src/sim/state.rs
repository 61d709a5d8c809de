//! The page's simulation outside the DOM: one engine, the real-to-virtual
//! time conversion, and the fan-out of what happened (finished requests,
//! expiry cycles, key events) to every widget that watches the same engine.
//! No Leptos here, so all of it is tested natively.
//!
//! Why a fan-out: the engine hands each finished request out once
//! (`take_completed`), but on the shared page the cache-aside widget, the
//! trace view and the load chart may all want it. `SimState` drains the
//! engine once per change into bounded rings numbered by a running count; a
//! widget keeps the count it has read up to (its cursor) and asks for what
//! came after.

use std::collections::VecDeque;

use playground_core::load::{LoadConfig, LoadGenerator};
use playground_core::sim::{Completed, Engine};
use playground_core::store::{CycleReport, KeyEvent};
use playground_core::time::Millis;

use super::timer::Timer;

/// Finished requests kept for late readers.
pub const DONE_RING: usize = 512;
/// Expiry cycle reports kept.
pub const CYCLE_RING: usize = 256;
/// Key events kept (sets, deletes, expiries, evictions).
pub const EVENT_RING: usize = 4_096;
/// Longest virtual step one frame may take: at 50× a 100 ms frame is 5 s,
/// and a hidden tab that returns must not replay an hour of load at once.
pub const MAX_STEP_MS: Millis = 5_000;
/// Most timer firings in one advance. Past it the timers skip to the end of
/// the step instead of replaying every send (a long jump, e.g. a tour
/// chapter that waits out a TTL, must not send thousands of requests).
pub const MAX_TIMER_FIRES: usize = 2_000;

/// A bounded ring with a running count, read through cursors.
#[derive(Debug)]
pub struct Ring<T> {
    items: VecDeque<T>,
    total: u64,
    capacity: usize,
}

impl<T> Ring<T> {
    pub fn new(capacity: usize) -> Self {
        Ring {
            items: VecDeque::new(),
            total: 0,
            capacity: capacity.max(1),
        }
    }

    pub fn push(&mut self, item: T) {
        if self.items.len() >= self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
        self.total += 1;
    }

    /// Items pushed so far, including the ones the ring has dropped.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Items after `cursor` still in the ring (older ones were dropped), and
    /// the cursor to pass next time.
    pub fn since(&self, cursor: u64) -> (impl Iterator<Item = &T>, u64) {
        let first = self.total - self.items.len() as u64;
        let skip = cursor.saturating_sub(first).min(self.items.len() as u64) as usize;
        (self.items.iter().skip(skip), self.total)
    }

    pub fn latest(&self) -> Option<&T> {
        self.items.back()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.items.iter()
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }
}

pub struct SimState {
    pub engine: Engine,
    seed: u64,
    /// Sub-millisecond remainder of real time not yet given to the engine.
    carry_ms: f64,
    pub done: Ring<Completed>,
    pub cycles: Ring<CycleReport>,
    pub events: Ring<KeyEvent>,
    /// Traffic generator, when the load widget runs one on this engine.
    pub load: Option<LoadGenerator>,
    scratch: Vec<Completed>,
    timers: Vec<(u64, Box<dyn Timer>)>,
    timer_ids: u64,
    /// How many times the engine was replaced (Reset, a tour chapter): what
    /// a view that remembers commands checks, as the store's counts start
    /// again from zero.
    pub generation: u64,
}

impl SimState {
    pub fn new(seed: u64) -> Self {
        SimState {
            engine: Engine::new(seed),
            seed,
            carry_ms: 0.0,
            done: Ring::new(DONE_RING),
            cycles: Ring::new(CYCLE_RING),
            events: Ring::new(EVENT_RING),
            load: None,
            scratch: Vec::new(),
            timers: Vec::new(),
            timer_ids: 0,
            generation: 0,
        }
    }

    /// Adds a timer; the id removes it again.
    pub fn add_timer(&mut self, timer: Box<dyn Timer>) -> u64 {
        self.timer_ids += 1;
        self.timers.push((self.timer_ids, timer));
        self.timer_ids
    }

    pub fn remove_timer(&mut self, id: u64) {
        self.timers.retain(|(i, _)| *i != id);
    }

    /// The earliest timer due by `until`: (its index, its time).
    fn next_timer(&self, until: Millis) -> Option<(usize, Millis)> {
        self.timers
            .iter()
            .enumerate()
            .filter_map(|(i, (_, t))| t.next_at().map(|at| (i, at)))
            .filter(|(_, at)| *at <= until)
            .min_by_key(|(i, at)| (*at, *i))
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A fresh engine with the same seed and settings: the same clicks replay
    /// the same run. Cursors held by widgets stay valid (counts only grow).
    pub fn reset(&mut self) {
        let settings = self.engine.settings();
        let config = self.engine.with_store(|s| s.config.clone());
        self.reset_to_defaults();
        self.engine.set_settings(settings);
        self.engine.with_store_mut(|s| s.config = config);
    }

    /// A fresh engine with default settings and config (the tour starts
    /// each chapter from here, so one chapter's faults do not leak into
    /// the next).
    pub fn reset_to_defaults(&mut self) {
        self.engine = Engine::new(self.seed);
        self.generation += 1;
        self.carry_ms = 0.0;
        self.load = None;
        self.done.clear();
        self.cycles.clear();
        self.events.clear();
        let now = self.engine.now();
        for (_, t) in &mut self.timers {
            t.restart(now);
        }
    }

    /// Moves virtual time forward by `real_ms` × `speed`, keeping fractions,
    /// at most [`MAX_STEP_MS`] per call. Returns the virtual ms advanced.
    pub fn advance_real(&mut self, real_ms: f64, speed: f64) -> Millis {
        let step = real_ms * speed;
        let total = self.carry_ms + if step.is_finite() { step.max(0.0) } else { 0.0 };
        let whole = total.floor().min(MAX_STEP_MS as f64);
        // Past the cap the rest of the real time is dropped, not owed.
        self.carry_ms = if total - whole < 1.0 {
            total - whole
        } else {
            0.0
        };
        let ms = whole as Millis;
        if ms >= 1 {
            self.advance_by(ms);
        }
        ms
    }

    /// Advances virtual time by `ms`, driving the load generator if one
    /// runs and stopping at each timer's time. `advance_by(0)` fires the
    /// timers due now.
    pub fn advance_by(&mut self, ms: Millis) {
        let until = self.engine.now().saturating_add(ms);
        let mut fired = 0;
        while let Some((i, at)) = self.next_timer(until) {
            if fired == MAX_TIMER_FIRES {
                for (_, t) in &mut self.timers {
                    t.skip_past(until);
                }
                break;
            }
            self.run_to(at);
            if let Some((_, t)) = self.timers.get_mut(i) {
                t.fire(&mut self.engine);
            }
            fired += 1;
        }
        self.run_to(until);
        self.collect();
    }

    fn run_to(&mut self, t: Millis) {
        let t = t.max(self.engine.now());
        match self.load.as_mut() {
            Some(load) => load.run_until(&mut self.engine, t),
            None => self.engine.advance_to(t),
        }
    }

    /// Paused: jump to the next scheduled event (the engine's or a timer's),
    /// or `idle_ms` on if nothing is scheduled (e.g. to watch a TTL run down).
    pub fn step(&mut self, idle_ms: Millis) {
        let timer = self.next_timer(Millis::MAX).map(|(_, at)| at);
        match [self.engine.next_event_at(), timer]
            .into_iter()
            .flatten()
            .min()
        {
            Some(t) => {
                let ms = t.saturating_sub(self.engine.now()).max(1);
                self.advance_by(ms);
            }
            None => self.advance_by(idle_ms),
        }
    }

    /// Starts (or replaces) a load generator on this engine.
    pub fn start_load(&mut self, config: LoadConfig) {
        let mut gen = LoadGenerator::new(config, self.seed ^ 0x10AD, self.engine.now());
        gen.keep_completed(true);
        self.load = Some(gen);
    }

    pub fn stop_load(&mut self) {
        if let Some(mut gen) = self.load.take() {
            gen.take_kept_into(&mut self.scratch);
            self.push_done();
        }
    }

    /// Drains the engine's outputs into the rings. Call after anything that
    /// may have changed the engine (the handle does, after every update).
    pub fn collect(&mut self) {
        if let Some(gen) = self.load.as_mut() {
            gen.take_kept_into(&mut self.scratch);
        }
        self.engine.take_completed_into(&mut self.scratch);
        self.push_done();
        let (cycles, events) = self
            .engine
            .with_store_mut(|s| (s.drain_cycles(), s.keyspace.drain_events()));
        for c in cycles {
            self.cycles.push(c);
        }
        for e in events {
            self.events.push(e);
        }
    }

    fn push_done(&mut self) {
        for d in self.scratch.drain(..) {
            self.done.push(d);
        }
    }
}

/// For the widgets' model tests: the widget's loop without a browser.
#[cfg(test)]
impl SimState {
    /// Runs `model` on this clock as a timer, in frames of `frame` ms (the
    /// last one cut to end at `until`), calling `each` after every frame as
    /// the widget syncs after every move of the clock. The model is lent
    /// to the clock for the run and handed back after.
    pub fn run_frames<T: Timer + Default + 'static>(
        &mut self,
        model: &mut T,
        frame: Millis,
        until: Millis,
        mut each: impl FnMut(&mut T, &SimState),
    ) {
        use std::cell::RefCell;
        use std::rc::Rc;
        let cell = Rc::new(RefCell::new(std::mem::take(model)));
        let id = self.add_timer(Box::new(cell.clone()));
        while self.engine.now() < until {
            self.advance_by(frame.min(until - self.engine.now()));
            each(&mut cell.borrow_mut(), self);
        }
        self.remove_timer(id);
        *model = Rc::try_unwrap(cell)
            .map(RefCell::into_inner)
            .unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_core::api::Request;

    #[test]
    fn ring_cursors_see_each_item_once_and_survive_drops() {
        let mut r = Ring::new(3);
        let (it, c0) = r.since(0);
        assert_eq!(it.count(), 0);
        for i in 0..5 {
            r.push(i);
        }
        // 0 and 1 were dropped: a reader at 0 gets what is left.
        let (it, c) = r.since(c0);
        assert_eq!(it.copied().collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(c, 5);
        r.push(5);
        let (it, c) = r.since(c);
        assert_eq!(it.copied().collect::<Vec<_>>(), [5]);
        let (it, _) = r.since(c);
        assert_eq!(it.count(), 0);
        // A cursor from the future (after a reset) reads nothing, no panic.
        let (it, _) = r.since(99);
        assert_eq!(it.count(), 0);
    }

    #[test]
    fn two_readers_both_see_a_finished_request() {
        let mut s = SimState::new(7);
        s.engine.send(Request::get("/products/1"));
        s.advance_by(2_000);
        let (a, _) = s.done.since(0);
        let (b, _) = s.done.since(0);
        assert_eq!(a.count(), 1);
        assert_eq!(b.count(), 1);
        // The GET wrote the product key: a Set event reached the ring.
        assert!(s
            .events
            .iter()
            .any(|e| matches!(e, KeyEvent::Set { key, .. } if key.as_bytes() == b"product:1")));
    }

    #[test]
    fn real_time_is_scaled_capped_and_carried() {
        let mut s = SimState::new(1);
        assert_eq!(s.advance_real(16.4, 1.0), 16);
        assert_eq!(s.advance_real(16.4, 1.0), 16);
        assert_eq!(s.advance_real(0.3, 1.0), 1); // 0.4 + 0.4 + 0.3 carried
        assert_eq!(s.advance_real(100.0, 0.25), 25);
        assert_eq!(s.advance_real(100.0, 1e9), MAX_STEP_MS);
        assert_eq!(s.advance_real(f64::NAN, 1.0), 0);
        assert_eq!(s.advance_real(-5.0, 1.0), 0);
        assert_eq!(s.engine.now(), 16 + 16 + 1 + 25 + MAX_STEP_MS);
    }

    #[test]
    fn load_runs_on_the_shared_engine_and_its_answers_reach_the_ring() {
        let mut s = SimState::new(3);
        s.start_load(LoadConfig::default());
        s.advance_by(3_000);
        let served = s.load.as_ref().map_or(0, |l| l.total_done);
        assert!(served > 100, "100 req/s for 3 s served {served}");
        assert_eq!(s.done.total(), served);
        s.stop_load();
        assert!(s.load.is_none());
    }

    #[test]
    fn reset_replays_the_same_run() {
        let run = |s: &mut SimState| {
            s.engine.send(Request::get("/products/2"));
            s.advance_by(1_500);
            s.done.latest().map(|d| d.latency_ms())
        };
        let mut s = SimState::new(11);
        let first = run(&mut s);
        s.reset();
        assert_eq!(s.engine.now(), 0);
        assert_eq!(run(&mut s), first);
    }

    /// Fires every `every` ms from `next`, sending a GET each time and
    /// noting the engine's clock.
    struct Every {
        next: Millis,
        every: Millis,
        fired_at: Vec<Millis>,
    }

    impl Timer for Every {
        fn next_at(&self) -> Option<Millis> {
            Some(self.next)
        }
        fn fire(&mut self, engine: &mut Engine) {
            self.fired_at.push(engine.now());
            engine.send(Request::get("/products/1"));
            self.next += self.every;
        }
        fn skip_past(&mut self, until: Millis) {
            self.next = until + self.every;
        }
        fn restart(&mut self, now: Millis) {
            self.next = now;
        }
    }

    fn every(every: Millis) -> std::rc::Rc<std::cell::RefCell<Every>> {
        std::rc::Rc::new(std::cell::RefCell::new(Every {
            next: 0,
            every,
            fired_at: Vec::new(),
        }))
    }

    #[test]
    fn timers_fire_at_their_own_times_inside_one_step() {
        let mut s = SimState::new(2);
        let t = every(300);
        let id = s.add_timer(Box::new(t.clone()));
        s.advance_by(1_000);
        assert_eq!(t.borrow().fired_at, [0, 300, 600, 900]);
        // Each request reached the engine at its timer's time.
        s.advance_by(2_000);
        let mut started: Vec<Millis> = s.done.iter().map(|d| d.started_at).collect();
        started.sort_unstable();
        assert_eq!(started[..4], [0, 300, 600, 900]);
        // advance_by(0) fires what is due now, and nothing twice.
        let n = t.borrow().fired_at.len();
        t.borrow_mut().next = s.engine.now();
        s.advance_by(0);
        s.advance_by(0);
        assert_eq!(t.borrow().fired_at.len(), n + 1);
        s.remove_timer(id);
        s.advance_by(5_000);
        assert_eq!(t.borrow().fired_at.len(), n + 1);
    }

    #[test]
    fn paused_step_stops_at_a_timer_and_reset_restarts_it() {
        let mut s = SimState::new(2);
        let t = every(700);
        s.add_timer(Box::new(t.clone()));
        s.advance_by(100); // fires at 0
        while s.engine.step().is_some() {} // the GET finishes
        let before = s.engine.now();
        assert!(before < 700, "the GET took {before} ms");
        // Nothing else scheduled: a step goes to the timer, not 1 s on.
        s.step(1_000);
        assert_eq!(s.engine.now(), 700);
        assert_eq!(t.borrow().fired_at, [0, 700]);
        s.reset();
        assert_eq!(t.borrow().next, 0);
        s.advance_by(0);
        assert_eq!(t.borrow().fired_at, [0, 700, 0]);
    }

    #[test]
    fn a_long_jump_caps_the_firings_and_skips_the_rest() {
        let mut s = SimState::new(2);
        let t = every(1);
        s.add_timer(Box::new(t.clone()));
        s.advance_by(60_000);
        assert_eq!(t.borrow().fired_at.len(), MAX_TIMER_FIRES);
        assert_eq!(t.borrow().next, 60_001);
        assert_eq!(s.engine.now(), 60_000);
    }
}
