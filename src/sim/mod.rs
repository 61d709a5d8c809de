//! The simulation a widget runs on, as a Leptos handle: the engine and its
//! fan-out (`state`), the virtual clock's speed and pause, and one `version`
//! signal that moves whenever the engine changed.
//!
//! On the playground page every widget shares one `Sim` (provided by the
//! shell), so the console, the keyspace, the MONITOR log and the flows all
//! see the same store. A widget mounted alone (an embed, a test) gets its own
//! through [`use_sim`]. Views read the engine inside closures that track
//! `version`, so a frame where nothing changed re-renders nothing.

pub mod state;
pub mod throttle;
pub mod timer;

use crate::hooks::effect;
use leptos::prelude::*;
use playground_core::sim::Engine;
use playground_core::time::Millis;

use crate::hooks::{use_frame_loop, FrameLoop};
pub use state::{Ring, SimState};
pub use timer::Timer;

/// Speeds offered by the clock controls (virtual ms per real ms).
pub const SPEEDS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0];
/// Seed of a page's simulation unless the URL gives one.
pub const DEFAULT_SEED: u64 = 42;

#[derive(Clone, Copy)]
pub struct Sim {
    state: StoredValue<SimState, LocalStorage>,
    /// Virtual time now.
    pub now: RwSignal<Millis>,
    /// The reader's choice: play or pause.
    pub running: RwSignal<bool>,
    /// Paused by the page, not the reader: tab hidden or widget off-screen.
    pub suspended: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// Moves after every change to the engine; views track it.
    pub version: RwSignal<u64>,
    frames: FrameLoop,
}

impl Sim {
    /// A new simulation owned by the calling component (its frame loop stops
    /// and is released with it).
    pub fn new(seed: u64) -> Sim {
        let state = StoredValue::new_local(SimState::new(seed));
        let now = RwSignal::new(0);
        let running = RwSignal::new(true);
        let suspended = RwSignal::new(false);
        let speed = RwSignal::new(1.0);
        let version = RwSignal::new(0u64);
        // Callbacks can outlive the component by a frame, so only `try_`
        // access: touching a disposed signal panics, and a panic kills the page.
        let frames = use_frame_loop(false, move |elapsed| {
            let Some(x) = speed.try_get_untracked() else {
                return;
            };
            let moved = state.try_update_value(|s| s.advance_real(elapsed, x));
            if moved.is_some_and(|ms| ms > 0) {
                publish(state, now, version);
            }
        });
        frames.set_owner(seed);
        let sim = Sim {
            state,
            now,
            running,
            suspended,
            speed,
            version,
            frames,
        };
        // The loop runs exactly when the reader wants it and the page lets it.
        effect(move || {
            let go = running.get() && !suspended.get();
            if go {
                frames.start();
            } else {
                frames.stop();
            }
        });
        sim
    }

    /// Reads the simulation; `None` once its owner is gone.
    pub fn with<T>(&self, f: impl FnOnce(&SimState) -> T) -> Option<T> {
        self.state.try_with_value(f)
    }

    /// Changes the simulation, then collects its outputs and tells the views.
    pub fn update<T>(&self, f: impl FnOnce(&mut SimState) -> T) -> Option<T> {
        let out = self.state.try_update_value(|s| {
            let out = f(s);
            s.collect();
            out
        })?;
        publish(self.state, self.now, self.version);
        Some(out)
    }

    /// Changes the simulation without telling the views: only for taking
    /// something that was meant for the caller alone (the console's answer
    /// to a blocked command), from an effect that tracks `version` — a
    /// publishing update there would run that effect again, for ever.
    pub fn take<T>(&self, f: impl FnOnce(&mut SimState) -> T) -> Option<T> {
        self.state.try_update_value(f)
    }

    /// Tracks `version` and reads: the building block of every live view.
    pub fn track<T>(&self, f: impl FnOnce(&SimState) -> T) -> Option<T> {
        self.version.track();
        self.with(f)
    }

    /// Puts a widget's model on the clock as a timer for as long as the
    /// calling component lives (see [`Timer`]).
    pub fn use_timer<T: Timer + 'static>(&self, model: StoredValue<T, LocalStorage>) {
        let state = self.state;
        let id = state.try_update_value(|s| s.add_timer(Box::new(StoredTimer(model))));
        on_cleanup(move || {
            if let Some(id) = id {
                state.try_update_value(|s| s.remove_timer(id));
            }
        });
    }

    pub fn toggle(&self) {
        self.running.update(|r| *r = !*r);
    }

    /// One step while paused: the next event, or one virtual second.
    pub fn step(&self) {
        self.update(|s| s.step(1_000));
    }

    pub fn reset(&self) {
        self.update(|s| s.reset());
    }

    pub fn is_ticking(&self) -> bool {
        self.frames.is_running()
    }
}

/// A model in a `StoredValue` as a timer. Only `try_` access: the timer can
/// outlive its component by a step, and a disposed model then reads as
/// "nothing due".
struct StoredTimer<T: 'static>(StoredValue<T, LocalStorage>);

impl<T: Timer + 'static> Timer for StoredTimer<T> {
    fn next_at(&self) -> Option<Millis> {
        self.0.try_with_value(|m| m.next_at()).flatten()
    }
    fn fire(&mut self, engine: &mut Engine) {
        self.0.try_update_value(|m| m.fire(engine));
    }
    fn skip_past(&mut self, until: Millis) {
        self.0.try_update_value(|m| m.skip_past(until));
    }
    fn restart(&mut self, now: Millis) {
        self.0.try_update_value(|m| m.restart(now));
    }
}

fn publish(
    state: StoredValue<SimState, LocalStorage>,
    now: RwSignal<Millis>,
    version: RwSignal<u64>,
) {
    if let Some(t) = state.try_with_value(|s| s.engine.now()) {
        if now.try_get_untracked().is_some_and(|n| n != t) {
            now.set(t);
        }
    }
    version.try_update(|v| *v = v.wrapping_add(1));
}

/// The page's simulation if the shell provided one, otherwise a new one
/// for this widget alone.
pub fn use_sim() -> Sim {
    use_context::<Sim>().unwrap_or_else(|| Sim::new(DEFAULT_SEED))
}

/// Creates a simulation and makes it the one every widget below shares.
pub fn provide_sim(seed: u64) -> Sim {
    let sim = Sim::new(seed);
    provide_context(sim);
    sim
}
