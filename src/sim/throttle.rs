//! When a live view rebuilds. A running clock bumps the engine's version
//! every frame (60 times a second); a view that lists thousands of keys or
//! hundreds of commands cannot redraw that often, and need not: a reader
//! cannot follow more than a few updates a second. No Leptos in [`Throttle`]
//! itself, so it is tested natively; [`throttled`] ties it to a [`Sim`].

use leptos::prelude::*;

use super::Sim;

/// Real milliseconds between two rebuilds of a side view while the clock runs.
pub const THROTTLE_MS: f64 = 250.0;

/// Decides when a side view rebuilds: at most every [`THROTTLE_MS`] of real
/// time while the simulation moves on its own (a frame bumps the engine's
/// version 60 times a second), at once when forced (the reader changed the
/// filter, or the clock stands still so every change is a reader's click).
#[derive(Debug)]
pub struct Throttle {
    last_at: Option<f64>,
    last_version: Option<u64>,
    period_ms: f64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::every(THROTTLE_MS)
    }
}

impl Throttle {
    /// A throttle with its own period. The side views use different ones
    /// (250, 290, 370 ms), so that their rebuilds drift apart instead of
    /// all landing in the same frame and making it miss its 16 ms.
    pub fn every(period_ms: f64) -> Self {
        Throttle {
            last_at: None,
            last_version: None,
            period_ms,
        }
    }

    pub fn due(&mut self, real_ms: f64, version: u64, force: bool) -> bool {
        let changed = self.last_version != Some(version);
        let period = self.period_ms;
        let waited = self
            .last_at
            .is_none_or(|t| real_ms - t >= period || real_ms < t);
        let go = force || (changed && waited);
        if go {
            self.last_at = Some(real_ms);
            self.last_version = Some(version);
        }
        go
    }
}

/// Whether a view watching `sim` through `throttle` rebuilds now: when the
/// engine changed and the period has passed, at once when `force`, or
/// whenever the clock stands still (then every change is a reader's click,
/// which must show at once).
pub fn throttled(sim: Sim, throttle: StoredValue<Throttle, LocalStorage>, force: bool) -> bool {
    let Some(version) = sim.version.try_get_untracked() else {
        return false;
    };
    let moving = sim.running.try_get_untracked() == Some(true)
        && sim.suspended.try_get_untracked() == Some(false);
    let now = js_sys::Date::now();
    throttle.try_update_value(|t| t.due(now, version, force || !moving)) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_rebuilds_at_most_four_times_a_second_unless_forced() {
        let mut t = Throttle::default();
        assert!(t.due(0.0, 1, false));
        assert!(!t.due(10.0, 1, false), "nothing changed");
        assert!(!t.due(100.0, 2, false), "changed, but too soon");
        assert!(t.due(250.0, 3, false));
        assert!(t.due(261.0, 4, true), "forced");
        assert!(!t.due(300.0, 4, false));
        // Real time that goes backwards (another page clock) does not stall it.
        assert!(t.due(5.0, 5, false));
    }
}
