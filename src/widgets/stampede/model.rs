//! The stampede widget outside the DOM: steady traffic on one hot product,
//! scheduled on the virtual clock, and the database reads it causes per
//! virtual second, with and without a defence.
//!
//! Scheduling: the model is a [`Timer`] on the page's clock, which stops at
//! each GET's due time, so the traffic is evenly spaced at any speed (at
//! 50× a frame is ~800 ms: sending a frame's GETs together would make
//! bursts that change how many land in one rebuild).
//!
//! Counting: every database read of the product is followed by a
//! `SET product:{id}` (cache-aside writes what it read, whichever defence
//! is on, including stale-while-revalidate's background refresh, which no
//! request's trace shows). So the widget counts those SETs, from the key
//! events, by the virtual second they happened in.

use std::collections::VecDeque;

use playground_core::api::cache_defences::CacheDefences;
use playground_core::api::{keys, CacheOutcome, Request};
use playground_core::sim::Engine;
use playground_core::store::KeyEvent;
use playground_core::time::Millis;

use crate::sim::{SimState, Timer};
use crate::widgets::load::model::{bars_path, nice_max};

/// The hot product (not the cache-aside widget's default).
pub const PRODUCT: &str = "7";
/// Seconds of bars drawn.
pub const WINDOW: usize = 30;
pub const RATE_RANGE: (f64, f64) = (1.0, 500.0);
pub const TTL_RANGE: (f64, f64) = (1.0, 60.0);
pub const DEFAULT_RATE: u32 = 50;
pub const DEFAULT_TTL: u64 = 3;
/// Sends owed for longer than this are dropped, not replayed.
pub const CATCH_UP_MS: f64 = 2_000.0;
/// Rebuilds closer than this belong to the same expiry.
pub const BURST_GAP_MS: Millis = 1_000;
/// Stale-while-revalidate's window when that defence is chosen.
pub const SWR_SECONDS: u64 = 10;
pub const JITTER_PERCENT: u64 = 10;
pub const CHART_W: f64 = 300.0;
pub const CHART_H: f64 = 80.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Defence {
    #[default]
    None,
    SingleFlight,
    XFetch,
    Swr,
}

impl Defence {
    pub const ALL: [Defence; 4] = [
        Defence::None,
        Defence::SingleFlight,
        Defence::XFetch,
        Defence::Swr,
    ];

    pub fn value(self) -> &'static str {
        match self {
            Defence::None => "none",
            Defence::SingleFlight => "single-flight",
            Defence::XFetch => "xfetch",
            Defence::Swr => "swr",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Defence::None => "no defence",
            Defence::SingleFlight => "single-flight",
            Defence::XFetch => "XFetch",
            Defence::Swr => "stale-while-revalidate",
        }
    }

    pub fn option_text(self) -> &'static str {
        match self {
            Defence::None => "None (the article)",
            Defence::SingleFlight => "Single-flight lock (CACHE_SINGLE_FLIGHT)",
            Defence::XFetch => "XFetch, β = 1 (CACHE_XFETCH_BETA)",
            Defence::Swr => "Stale-while-revalidate, 10 s",
        }
    }

    pub fn from_value(v: &str) -> Defence {
        Defence::ALL
            .into_iter()
            .find(|d| d.value() == v)
            .unwrap_or(Defence::None)
    }

    /// The defence the engine's settings amount to (for a page whose
    /// settings someone else changed).
    pub fn of(d: &CacheDefences) -> Defence {
        if d.single_flight {
            Defence::SingleFlight
        } else if d.xfetch_beta_thousandths > 0 {
            Defence::XFetch
        } else if d.stale_while_revalidate_seconds > 0 {
            Defence::Swr
        } else {
            Defence::None
        }
    }

    fn index(self) -> usize {
        match self {
            Defence::None => 0,
            Defence::SingleFlight => 1,
            Defence::XFetch => 2,
            Defence::Swr => 3,
        }
    }

    /// `base` with this defence alone switched on (and jitter as asked).
    pub fn apply(self, mut base: CacheDefences, jitter: bool) -> CacheDefences {
        base.single_flight = self == Defence::SingleFlight;
        base.xfetch_beta_thousandths = if self == Defence::XFetch { 1_000 } else { 0 };
        base.stale_while_revalidate_seconds = if self == Defence::Swr { SWR_SECONDS } else { 0 };
        base.ttl_jitter_percent = if jitter { JITTER_PERCENT } else { 0 };
        base
    }
}

/// What the view shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StampedeView {
    pub bars: String,
    pub y_max: String,
    /// Highest DB reads in one second since the defence last changed.
    pub peak: String,
    pub summary: String,
    /// The seconds with reads, as text (the chart's text alternative).
    pub alt: String,
    pub answered: u64,
    pub too_many: u64,
    pub misses: u64,
}

#[derive(Default)]
pub struct Model {
    pub running: bool,
    pub rate: u32,
    pub defence: Defence,
    next_send: f64,
    sent: u64,
    started: bool,
    event_cursor: u64,
    done_cursor: u64,
    /// `(second, DB reads)`, oldest first, contiguous.
    bins: VecDeque<(u64, u32)>,
    peak_from: u64,
    burst: Option<(Millis, Defence)>,
    last_burst: [Option<u32>; 4],
    answered: u64,
    too_many: u64,
    misses: u64,
    last_now: Millis,
    path: String,
    key: Vec<u8>,
}

impl Model {
    pub fn new() -> Self {
        Model {
            rate: DEFAULT_RATE,
            path: format!("/products/{PRODUCT}"),
            key: keys::product(PRODUCT).into_bytes(),
            ..Model::default()
        }
    }

    pub fn start(&mut self, now: Millis) {
        self.running = true;
        self.started = true;
        self.next_send = now as f64;
        self.peak_from = now / 1_000;
    }

    pub fn stop(&mut self) {
        self.running = false;
    }

    /// A new defence: the peak starts over from the next whole second
    /// (reads already under way finish under the old one).
    pub fn set_defence(&mut self, d: Defence, now: Millis) {
        self.defence = d;
        self.peak_from = now.div_ceil(1_000) + 1;
    }

    pub fn set_rate(&mut self, rate: u32) {
        self.rate = rate.clamp(RATE_RANGE.0 as u32, RATE_RANGE.1 as u32);
    }

    /// The GETs due by `now`: `rate` a second, evenly spaced, each from
    /// its own client address (one per client per second keeps the
    /// article's limiter, 100 a minute per IP, out of the way).
    pub fn due(&mut self, now: Millis) -> Vec<Request> {
        if !self.running {
            return Vec::new();
        }
        let now_f = now as f64;
        if self.next_send < now_f - CATCH_UP_MS {
            self.next_send = now_f - CATCH_UP_MS;
        }
        let gap = self.gap_ms();
        let mut out = Vec::new();
        while self.next_send <= now_f {
            let client = self.sent % u64::from(self.rate.max(1));
            let mut r = Request::get(self.path.clone());
            r.headers.push((
                "x-forwarded-for".into(),
                format!("10.77.{}.{}", client >> 8 & 255, client & 255),
            ));
            out.push(r);
            self.sent += 1;
            self.next_send += gap;
        }
        out
    }

    fn gap_ms(&self) -> f64 {
        1_000.0 / f64::from(self.rate.max(1))
    }

    fn bin_for(&mut self, second: u64) -> Option<&mut (u64, u32)> {
        let last = self.bins.back().map(|b| b.0);
        match last {
            None => self.bins.push_back((second, 0)),
            Some(l) => {
                // Fill the seconds between with zeros (at most a window's worth).
                let from = (l + 1).max(second.saturating_sub(WINDOW as u64));
                if from > l + 1 {
                    self.bins.clear();
                }
                for s in from..=second {
                    self.bins.push_back((s, 0));
                }
            }
        }
        while self.bins.len() > WINDOW {
            self.bins.pop_front();
        }
        self.bins.iter_mut().rev().find(|b| b.0 == second)
    }

    fn record_rebuild(&mut self, at: Millis) {
        if let Some(b) = self.bin_for(at / 1_000) {
            b.1 += 1;
        }
        let d = self.defence;
        let same = self
            .burst
            .is_some_and(|(last, bd)| bd == d && at.saturating_sub(last) < BURST_GAP_MS);
        if let Some(slot) = self.last_burst.get_mut(d.index()) {
            *slot = Some(if same { slot.unwrap_or(0) + 1 } else { 1 });
        }
        self.burst = Some((at, d));
    }

    pub fn sync(&mut self, st: &SimState) -> StampedeView {
        let now = st.engine.now();
        if now < self.last_now {
            // Reset: a new engine from 0.
            self.bins.clear();
            self.burst = None;
            self.peak_from = 0;
        }
        self.last_now = now;
        let (events, cursor) = st.events.since(self.event_cursor);
        self.event_cursor = cursor;
        let rebuilds: Vec<Millis> = events
            .filter_map(|e| match e {
                KeyEvent::Set { key, at } if key.as_bytes() == self.key => Some(*at),
                _ => None,
            })
            .collect();
        for at in rebuilds {
            self.record_rebuild(at);
        }
        let (done, cursor) = st.done.since(self.done_cursor);
        self.done_cursor = cursor;
        for d in done.filter(|d| d.request.path == self.path) {
            self.answered += 1;
            if d.response.status == 429 {
                self.too_many += 1;
            }
            if d.response.cache == Some(CacheOutcome::Miss) {
                self.misses += 1;
            }
        }
        if self.started {
            let _ = self.bin_for(now / 1_000);
        }
        self.view()
    }

    fn view(&self) -> StampedeView {
        let mut values = vec![0.0; WINDOW.saturating_sub(self.bins.len())];
        values.extend(self.bins.iter().map(|b| f64::from(b.1)));
        let top = values.iter().copied().fold(0.0, f64::max);
        let y_max = nice_max(top);
        let peak = self
            .bins
            .iter()
            .filter(|b| b.0 >= self.peak_from)
            .map(|b| b.1)
            .max();
        let alt: Vec<String> = self
            .bins
            .iter()
            .filter(|b| b.1 > 0)
            .map(|b| format!("second {}: {}", b.0, b.1))
            .collect();
        StampedeView {
            bars: bars_path(&values, y_max, CHART_W, CHART_H),
            y_max: format!("{y_max:.0}"),
            peak: peak.map_or("—".into(), |p| p.to_string()),
            summary: self.summary(),
            alt: if alt.is_empty() {
                "no database reads in the last 30 virtual seconds".into()
            } else {
                alt.join("; ")
            },
            answered: self.answered,
            too_many: self.too_many,
            misses: self.misses,
        }
    }

    /// "DB queries at the last expiry: 50 → with single-flight: 1".
    pub fn summary(&self) -> String {
        let base = self.last_burst.first().copied().flatten();
        let cur = self.last_burst.get(self.defence.index()).copied().flatten();
        match (self.defence, base, cur) {
            (Defence::None, Some(b), _) => format!("DB queries at the last expiry: {b}"),
            (d, Some(b), Some(c)) => {
                format!(
                    "DB queries at the last expiry: {b} → with {}: {c}",
                    d.label()
                )
            }
            (d, None, Some(c)) => format!("DB queries at the last expiry with {}: {c}", d.label()),
            _ => "No expiry measured yet: run, and wait for the TTL to pass.".into(),
        }
    }
}

impl Timer for Model {
    fn next_at(&self) -> Option<Millis> {
        // The first whole millisecond at or after the fractional due time.
        self.running
            .then(|| self.next_send.max(0.0).ceil() as Millis)
    }

    fn fire(&mut self, engine: &mut Engine) {
        for r in self.due(engine.now()) {
            engine.send(r);
        }
    }

    fn skip_past(&mut self, until: Millis) {
        self.next_send = until as f64 + self.gap_ms();
    }

    fn restart(&mut self, now: Millis) {
        self.next_send = now as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Runs the widget's loop natively: the model on the clock as a timer,
    /// `frame` virtual ms per frame, a sync after each.
    fn drive(st: &mut SimState, m: &mut Model, frame: Millis, until: Millis) -> StampedeView {
        let mut v = m.sync(st);
        st.run_frames(m, frame, until, |m, st| v = m.sync(st));
        v
    }

    #[test]
    fn the_spike_does_not_depend_on_the_frame_length() {
        // The same traffic at 1× (16 ms frames), at 50× (800 ms frames) and
        // in 4 s jumps: the same reads in the same seconds.
        let bins = |frame| {
            let (mut st, mut m) = setup(Defence::None);
            drive(&mut st, &mut m, frame, 12_000);
            (m.bins.clone(), m.sent, st.engine.db_queries())
        };
        let at_1x = bins(16);
        assert!(at_1x.0.iter().any(|b| b.1 >= 10), "a spike: {at_1x:?}");
        assert_eq!(at_1x.1, 601, "50 a second from 0 to 12 s");
        assert_eq!(bins(800), at_1x);
        assert_eq!(bins(4_000), at_1x);
    }

    fn setup(d: Defence) -> (SimState, Model) {
        let mut st = SimState::new(21);
        let mut s = st.engine.settings();
        s.product_cache_ttl_seconds = DEFAULT_TTL;
        s.defences = d.apply(s.defences, false);
        st.engine.set_settings(s);
        let mut m = Model::new();
        m.set_defence(d, 0);
        m.start(0);
        (st, m)
    }

    #[test]
    fn without_a_defence_every_expiry_is_a_spike() {
        let (mut st, mut m) = setup(Defence::None);
        drive(&mut st, &mut m, 16, 12_000);
        // Let the reads under way finish (and write their SETs).
        m.stop();
        let v = drive(&mut st, &mut m, 16, 13_000);
        let peak: u32 = v.peak.parse().expect("a peak");
        // 50 GETs a second, a 400 ms rebuild: about 20 miss together.
        assert!(peak >= 10, "{v:?}");
        assert!(
            v.summary.starts_with("DB queries at the last expiry: "),
            "{}",
            v.summary
        );
        assert_eq!(
            v.too_many, 0,
            "one GET per client per second passes the limiter"
        );
        assert!(v.answered > 500);
        assert_eq!(
            m.bins.iter().map(|b| u64::from(b.1)).sum::<u64>(),
            st.engine.db_queries(),
            "every database read was counted (by its SET)"
        );
    }

    #[test]
    fn single_flight_keeps_the_peak_at_one_at_1x_and_50x() {
        for frame in [16, 800] {
            let (mut st, mut m) = setup(Defence::SingleFlight);
            let v = drive(&mut st, &mut m, frame, 15_000);
            assert_eq!(v.peak, "1", "frame {frame}: {v:?}");
            assert!(
                v.summary.ends_with("with single-flight: 1"),
                "{}",
                v.summary
            );
        }
    }

    #[test]
    fn stale_while_revalidate_and_xfetch_flatten_it() {
        // Neither helps a cold key (nothing to serve stale, nothing to
        // refresh early): the first fill is a stampede, the expiries after are not.
        let (mut st, mut m) = setup(Defence::Swr);
        let v = drive(&mut st, &mut m, 16, 2_000);
        assert!(v.peak.parse::<u32>().is_ok_and(|p| p > 1), "cold: {v:?}");
        m.set_defence(Defence::Swr, st.engine.now());
        let v = drive(&mut st, &mut m, 16, 20_000);
        assert_eq!(v.peak, "1", "{v:?}");
        assert!(
            v.alt.matches("second").count() >= 4,
            "one refresh every TTL: {v:?}"
        );
        let (mut st, mut m) = setup(Defence::XFetch);
        drive(&mut st, &mut m, 16, 2_000);
        m.set_defence(Defence::XFetch, st.engine.now());
        let v = drive(&mut st, &mut m, 16, 20_000);
        let peak: u32 = v.peak.parse().expect("a peak");
        assert!(
            peak <= 4,
            "XFetch has no lock, but few refresh early: {v:?}"
        );
    }

    #[test]
    fn the_summary_compares_with_the_last_undefended_expiry() {
        let (mut st, mut m) = setup(Defence::None);
        drive(&mut st, &mut m, 16, 8_000);
        let base = m.last_burst[0].expect("a burst");
        let mut s = st.engine.settings();
        s.defences = Defence::SingleFlight.apply(s.defences, false);
        st.engine.set_settings(s);
        m.set_defence(Defence::SingleFlight, st.engine.now());
        let v = drive(&mut st, &mut m, 16, 20_000);
        assert_eq!(
            v.summary,
            format!("DB queries at the last expiry: {base} → with single-flight: 1")
        );
        assert_eq!(v.peak, "1", "the peak counts from the switch on");
        assert!(base > 1);
    }

    #[test]
    fn sends_are_paced_capped_and_stop() {
        let mut m = Model::new();
        m.set_rate(10_000);
        assert_eq!(m.rate, 500);
        m.set_rate(10);
        assert!(m.due(1_000).is_empty(), "not running");
        m.start(1_000);
        assert_eq!(m.due(1_000).len(), 1);
        assert_eq!(m.due(1_999).len(), 9);
        // A long gap (hidden tab) replays at most CATCH_UP_MS of sends.
        assert_eq!(m.due(60_000).len(), 21);
        let r = m.due(60_100);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].path, "/products/7");
        m.stop();
        assert!(m.due(70_000).is_empty());
        assert_eq!(Defence::from_value("xfetch"), Defence::XFetch);
        assert_eq!(Defence::from_value("bogus"), Defence::None);
        let d = Defence::Swr.apply(CacheDefences::default(), true);
        assert_eq!(Defence::of(&d), Defence::Swr);
        assert_eq!(d.ttl_jitter_percent, JITTER_PERCENT);
    }
}
