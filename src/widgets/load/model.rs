//! The load widget outside the DOM: reading the form into a `LoadConfig`
//! (clamped, with a note saying what was changed), turning the generator's
//! per-second series into chart paths, and deciding when to redraw.
//!
//! The chart helpers ([`line_path`], [`bars_path`], [`nice_max`]) are used
//! by the expiry and stampede widgets too: one copy in the bundle.

use std::collections::VecDeque;
use std::fmt::Write;

use crate::text::shorten;
use playground_core::load::{LoadConfig, Mode, RouteMix, Second};

/// Chart drawing box (SVG user units); the SVG scales to its container.
pub const CHART_W: f64 = 300.0;
pub const CHART_H: f64 = 80.0;
/// Virtual seconds a chart shows.
pub const WINDOW_SECONDS: usize = 60;
/// Real milliseconds between chart redraws (about 4 a second; not the side
/// views' 250/290/370 ms, so their rebuilds rarely share a frame).
pub const REDRAW_MS: f64 = 230.0;

pub const RATE_RANGE: (f64, f64) = (1.0, 5_000.0);
pub const ZIPF_RANGE: (f64, f64) = (0.0, 3.0);
pub const CLIENTS_RANGE: (f64, f64) = (1.0, 10_000.0);

/// The smallest "round" number (1, 2, 5 × 10ⁿ) at or above `v`; at least 1.
pub fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 1.0 {
        return 1.0;
    }
    let mut step = 1.0;
    while step * 10.0 < v {
        step *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * step)
        .find(|c| *c >= v)
        .unwrap_or(step * 10.0)
}

/// SVG path (`M x y L x y …`) through `points` (x, y), with x scaled from
/// `x0..=x1` onto `0..=w` and y from `0..=y_max` onto `h..=0` (up is
/// more). Values outside are pinned to the edges; empty input, empty path.
pub fn line_path(points: &[(f64, f64)], x0: f64, x1: f64, y_max: f64, w: f64, h: f64) -> String {
    let span = if x1 > x0 { x1 - x0 } else { 1.0 };
    let y_max = if y_max > 0.0 && y_max.is_finite() {
        y_max
    } else {
        1.0
    };
    let mut d = String::with_capacity(points.len() * 14);
    for (i, (x, y)) in points.iter().enumerate() {
        let px = ((x - x0) / span).clamp(0.0, 1.0) * w;
        let py = h - (y / y_max).clamp(0.0, 1.0) * h;
        let _ = write!(d, "{}{px:.1} {py:.1}", if i == 0 { "M" } else { " L" });
    }
    d
}

/// One SVG path of bars: `values` side by side across `w`, each bar as
/// tall as its value over `y_max` of `h` (zero bars are left out).
pub fn bars_path(values: &[f64], y_max: f64, w: f64, h: f64) -> String {
    let n = values.len().max(1) as f64;
    let slot = w / n;
    let bar = (slot * 0.8).max(0.5);
    let y_max = if y_max > 0.0 && y_max.is_finite() {
        y_max
    } else {
        1.0
    };
    let mut d = String::new();
    for (i, v) in values.iter().enumerate() {
        let bh = (v / y_max).clamp(0.0, 1.0) * h;
        if bh <= 0.0 {
            continue;
        }
        let x = i as f64 * slot + (slot - bar) / 2.0;
        let _ = write!(d, "M{x:.1} {h:.1}v-{bh:.1}h{bar:.1}v{bh:.1}Z");
    }
    d
}

/// Parses a number typed into a field and keeps it inside `range`. The
/// note says what was changed, for the reader; `Err` when it is no number.
pub fn clamp_number(
    raw: &str,
    range: (f64, f64),
    what: &str,
) -> Result<(f64, Option<String>), String> {
    let v: f64 = raw
        .trim()
        .replace(',', "")
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("{what}: “{}” is not a number", shorten(raw.trim(), 20)))?;
    let c = v.clamp(range.0, range.1);
    let note = (c != v).then(|| {
        format!(
            "{what} must be {}–{}: using {}",
            fmt_num(range.0),
            fmt_num(range.1),
            fmt_num(c)
        )
    });
    Ok((c, note))
}

/// A number as people write it: `5,000`, `1.5`, `0`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Bytes as `812 B`, `14.2 KB`, `3.1 MB`.
pub fn fmt_bytes(b: f64) -> String {
    if b < 1_024.0 {
        format!("{b:.0} B")
    } else if b < 1_048_576.0 {
        format!("{:.1} KB", b / 1_024.0)
    } else {
        format!("{:.1} MB", b / 1_048_576.0)
    }
}

/// What the form holds, as typed (already clamped by [`clamp_number`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Form {
    pub rate: f64,
    pub zipf: f64,
    pub clients: f64,
    pub views_percent: u32,
    pub update_percent: u32,
    pub invalidate_percent: u32,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            rate: 200.0,
            zipf: 1.0,
            clients: 500.0,
            views_percent: 0,
            update_percent: 0,
            invalidate_percent: 0,
        }
    }
}

impl Form {
    /// Says how the route shares were cut when they add up past 100 %.
    pub fn mix_note(&self) -> Option<String> {
        let sum = self.views_percent + self.update_percent + self.invalidate_percent;
        (sum > 100).then(|| {
            let m = self.config().mix;
            format!(
                "Route shares add up to {sum} %: using views {} %, updates {} %, invalidations {} %",
                m.views_percent, m.update_percent, m.invalidate_percent
            )
        })
    }

    /// The generator's configuration. Route shares above 100 % in total
    /// are cut from the last ones (invalidate, then update).
    pub fn config(&self) -> LoadConfig {
        let views = self.views_percent.min(100);
        let update = self.update_percent.min(100 - views);
        let invalidate = self.invalidate_percent.min(100 - views - update);
        LoadConfig {
            mode: Mode::Open {
                rate: self.rate.clamp(RATE_RANGE.0, RATE_RANGE.1),
            },
            zipf_exponent: self.zipf.clamp(ZIPF_RANGE.0, ZIPF_RANGE.1),
            clients: self.clients.clamp(CLIENTS_RANGE.0, CLIENTS_RANGE.1) as u32,
            mix: RouteMix {
                views_percent: views,
                update_percent: update,
                invalidate_percent: invalidate,
            },
            products: 12,
        }
    }
}

/// One chart, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartView {
    /// `db`, `hit`, `latency`, `429`, `keys`, `memory` (test ids `ld-chart-<metric>`).
    pub metric: &'static str,
    pub title: &'static str,
    /// `(css modifier, path d, legend)` per line.
    pub lines: Vec<(&'static str, String, &'static str)>,
    pub y_max: String,
    /// The newest value(s), as text.
    pub latest: String,
}

/// A row of the visually hidden summary table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    pub label: &'static str,
    pub last: String,
    pub mean: String,
}

/// Everything the load view shows, built from the series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadView {
    pub charts: Vec<ChartView>,
    pub summary: Vec<SummaryRow>,
    /// First and last virtual second shown.
    pub span: Option<(u64, u64)>,
}

fn hit_ratio(s: &Second) -> Option<f64> {
    let n = s.hits + s.misses;
    (n > 0).then(|| s.hits as f64 * 100.0 / n as f64)
}

/// Charts and summary for the last [`WINDOW_SECONDS`] of `series`.
pub fn load_view(series: &VecDeque<Second>) -> LoadView {
    let skip = series.len().saturating_sub(WINDOW_SECONDS);
    let shown: Vec<&Second> = series.iter().skip(skip).collect();
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
        return LoadView::default();
    };
    // The window always spans 60 s, ending at the newest second, so the
    // lines grow in from the right rather than stretch.
    let x1 = last.second as f64;
    let x0 = x1 - (WINDOW_SECONDS as f64 - 1.0);
    type Metric = fn(&Second) -> Option<f64>;
    let chart = |metric: &'static str,
                 title: &'static str,
                 lines: &[(&'static str, Metric, &'static str)],
                 fixed_max: Option<f64>,
                 fmt: fn(f64) -> String| {
        let pts: Vec<Vec<(f64, f64)>> = lines
            .iter()
            .map(|(_, f, _)| {
                shown
                    .iter()
                    .filter_map(|s| f(s).map(|v| (s.second as f64, v)))
                    .collect()
            })
            .collect();
        let top = pts.iter().flatten().map(|p| p.1).fold(0.0, f64::max);
        let y_max = fixed_max.unwrap_or_else(|| nice_max(top));
        let latest = lines
            .iter()
            .map(|(_, f, legend)| {
                let v = f(last).map_or("—".to_string(), fmt);
                if lines.len() > 1 {
                    format!("{legend} {v}")
                } else {
                    v
                }
            })
            .collect::<Vec<_>>()
            .join(" · ");
        ChartView {
            metric,
            title,
            lines: lines
                .iter()
                .zip(&pts)
                .map(|((class, _, legend), p)| {
                    (
                        *class,
                        line_path(p, x0, x1, y_max, CHART_W, CHART_H),
                        *legend,
                    )
                })
                .collect(),
            y_max: fmt(y_max),
            latest,
        }
    };
    let per_s = |v: f64| format!("{}/s", fmt_num(v.round()));
    let ms = |v: f64| format!("{} ms", fmt_num(v.round()));
    let pct = |v: f64| format!("{v:.0}%");
    let count = |v: f64| fmt_num(v.round());
    let charts = vec![
        chart(
            "db",
            "Database queries per second",
            &[("a", |s| Some(s.db_queries as f64), "DB")],
            None,
            per_s,
        ),
        chart(
            "hit",
            "Cache hit ratio",
            &[("a", hit_ratio, "hits")],
            Some(100.0),
            pct,
        ),
        chart(
            "latency",
            "Latency",
            &[
                ("a", |s| Some(s.p50_ms as f64), "p50"),
                ("b", |s| Some(s.p99_ms as f64), "p99"),
            ],
            None,
            ms,
        ),
        // Refused and failed answers on one chart: a fault in the settings
        // (Redis or the database down) shows here as 5xx, next to the
        // limiter's 429s.
        chart(
            "429",
            "429 and 5xx per second",
            &[
                ("a", |s| Some(s.too_many as f64), "429"),
                ("b", |s| Some(s.errors as f64), "5xx"),
            ],
            None,
            per_s,
        ),
        chart(
            "keys",
            "Keys in Redis",
            &[("a", |s| Some(s.keys as f64), "keys")],
            None,
            count,
        ),
        chart(
            "memory",
            "used_memory",
            &[("a", |s| Some(s.used_memory as f64), "memory")],
            None,
            fmt_bytes,
        ),
    ];
    let n = shown.len() as f64;
    let mean = |f: fn(&Second) -> f64| shown.iter().map(|s| f(s)).sum::<f64>() / n;
    let total_hits: u64 = shown.iter().map(|s| s.hits).sum();
    let total_looked: u64 = shown.iter().map(|s| s.hits + s.misses).sum();
    let mean_ratio = (total_looked > 0).then(|| total_hits as f64 * 100.0 / total_looked as f64);
    let row = |label, last: String, mean: String| SummaryRow { label, last, mean };
    let summary = vec![
        row(
            "Requests",
            per_s(last.requests as f64),
            per_s(mean(|s| s.requests as f64)),
        ),
        row(
            "Database queries",
            per_s(last.db_queries as f64),
            per_s(mean(|s| s.db_queries as f64)),
        ),
        row(
            "Hit ratio",
            hit_ratio(last).map_or("—".into(), pct),
            mean_ratio.map_or("—".into(), pct),
        ),
        row(
            "p50 latency",
            ms(last.p50_ms as f64),
            ms(mean(|s| s.p50_ms as f64)),
        ),
        row(
            "p99 latency",
            ms(last.p99_ms as f64),
            ms(mean(|s| s.p99_ms as f64)),
        ),
        row(
            "429 responses",
            per_s(last.too_many as f64),
            per_s(mean(|s| s.too_many as f64)),
        ),
        row(
            "5xx responses",
            per_s(last.errors as f64),
            per_s(mean(|s| s.errors as f64)),
        ),
        row(
            "Keys",
            count(last.keys as f64),
            count(mean(|s| s.keys as f64)),
        ),
        row(
            "used_memory",
            fmt_bytes(last.used_memory as f64),
            fmt_bytes(mean(|s| s.used_memory as f64)),
        ),
    ];
    LoadView {
        charts,
        summary,
        span: Some((first.second, last.second)),
    }
}

/// Decides when the charts are redrawn: at most every [`REDRAW_MS`] of
/// real time, and only when a new second was added (or when told to, e.g.
/// on pause or stop, so the last data is never left undrawn).
#[derive(Default)]
pub struct Throttle {
    last_real: Option<f64>,
    last_second: Option<(u64, usize)>,
}

impl Throttle {
    /// `newest`: the newest second and the series length, if any.
    pub fn due(&mut self, real_ms: f64, newest: Option<(u64, usize)>, force: bool) -> bool {
        if newest == self.last_second {
            return false;
        }
        let soon = self
            .last_real
            .is_some_and(|t| real_ms >= t && real_ms - t < REDRAW_MS);
        if soon && !force {
            return false;
        }
        self.last_real = Some(real_ms);
        self.last_second = newest;
        true
    }

    /// Forget what was drawn (after a reset), so the next data draws.
    pub fn clear(&mut self) {
        *self = Throttle::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimState;

    #[test]
    fn nice_max_rounds_up_to_1_2_5() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(200.0), 200.0);
        assert_eq!(nice_max(201.0), 500.0);
        assert_eq!(nice_max(5_001.0), 10_000.0);
    }

    #[test]
    fn line_path_scales_flips_and_pins() {
        let d = line_path(
            &[(0.0, 0.0), (5.0, 5.0), (10.0, 20.0)],
            0.0,
            10.0,
            10.0,
            100.0,
            50.0,
        );
        assert_eq!(d, "M0.0 50.0 L50.0 25.0 L100.0 0.0");
        assert_eq!(line_path(&[], 0.0, 1.0, 1.0, 10.0, 10.0), "");
        // A degenerate range draws, no NaN.
        let d = line_path(&[(3.0, 1.0)], 3.0, 3.0, 0.0, 10.0, 10.0);
        assert_eq!(d, "M0.0 0.0");
    }

    #[test]
    fn bars_path_skips_zero_and_scales() {
        let d = bars_path(&[0.0, 10.0, 5.0], 10.0, 30.0, 20.0);
        assert_eq!(d, "M11.0 20.0v-20.0h8.0v20.0ZM21.0 20.0v-10.0h8.0v10.0Z");
        assert_eq!(bars_path(&[], 1.0, 30.0, 20.0), "");
    }

    #[test]
    fn numbers_are_clamped_with_a_note() {
        assert_eq!(clamp_number("200", RATE_RANGE, "Rate"), Ok((200.0, None)));
        let (v, note) = clamp_number(" 9000 ", RATE_RANGE, "Rate").expect("a number");
        assert_eq!(v, 5_000.0);
        assert_eq!(note.as_deref(), Some("Rate must be 1–5,000: using 5,000"));
        let (v, note) = clamp_number("0", RATE_RANGE, "Rate").expect("a number");
        assert_eq!((v, note.is_some()), (1.0, true));
        assert!(clamp_number("fast", RATE_RANGE, "Rate").is_err());
        assert!(clamp_number("NaN", RATE_RANGE, "Rate").is_err());
        assert_eq!(fmt_num(1234567.0), "1,234,567");
        assert_eq!(fmt_num(1.5), "1.5");
        assert_eq!(fmt_bytes(2_048.0), "2.0 KB");
    }

    #[test]
    fn form_caps_the_route_mix_at_100_percent() {
        let f = Form {
            views_percent: 60,
            update_percent: 30,
            invalidate_percent: 30,
            rate: 1e9,
            ..Form::default()
        };
        let c = f.config();
        assert_eq!(
            (
                c.mix.views_percent,
                c.mix.update_percent,
                c.mix.invalidate_percent
            ),
            (60, 30, 10)
        );
        assert_eq!(c.mode, Mode::Open { rate: 5_000.0 });
        assert_eq!(
            f.mix_note().as_deref(),
            Some(
                "Route shares add up to 120 %: using views 60 %, updates 30 %, invalidations 10 %"
            )
        );
        assert_eq!(Form::default().mix_note(), None);
    }

    /// The series of a load test run for `ms` of virtual time on `st`.
    fn run_load(mut st: SimState, ms: u64) -> VecDeque<Second> {
        st.start_load(Form::default().config());
        st.advance_by(ms);
        st.load
            .as_ref()
            .map(|l| l.series().clone())
            .unwrap_or_default()
    }

    #[test]
    fn charts_from_a_real_run() {
        let series = run_load(SimState::new(5), 8_000);
        assert!(series.len() >= 7, "{} seconds", series.len());
        let v = load_view(&series);
        let metrics: Vec<&str> = v.charts.iter().map(|c| c.metric).collect();
        assert_eq!(metrics, ["db", "hit", "latency", "429", "keys", "memory"]);
        for c in &v.charts {
            for (_, d, _) in &c.lines {
                assert!(d.starts_with('M'), "{}: {d}", c.metric);
                // One point per second shown.
                assert_eq!(d.matches('L').count() + 1, series.len(), "{}", c.metric);
            }
        }
        let hit = &v.charts[1];
        assert_eq!(hit.y_max, "100%");
        let ratio = hit_ratio(series.back().expect("a second")).expect("lookups");
        assert_eq!(hit.latest, format!("{ratio:.0}%"));
        assert!(ratio > 50.0, "a hot catalog is mostly hits: {ratio}");
        let latency = &v.charts[2];
        assert_eq!(latency.lines.len(), 2);
        assert!(latency.latest.starts_with("p50 ") && latency.latest.contains(" · p99 "));
        let summary_ratio = &v.summary[2];
        assert_eq!(summary_ratio.label, "Hit ratio");
        assert!(summary_ratio.mean.ends_with('%'));
        // 60 s window: the newest point sits at the right edge.
        assert!(v.charts[0].lines[0].1.contains(&format!("{CHART_W:.1} ")));
        assert_eq!(load_view(&VecDeque::new()), LoadView::default());
    }

    #[test]
    fn a_database_outage_shows_as_5xx_beside_the_429s() {
        let mut st = SimState::new(5);
        let mut settings = st.engine.settings();
        settings.faults.db_down = true;
        st.engine.set_settings(settings);
        let series = run_load(st, 5_000);
        let v = load_view(&series);
        let chart = v.charts.iter().find(|c| c.metric == "429").expect("chart");
        assert_eq!(chart.title, "429 and 5xx per second");
        let legends: Vec<&str> = chart.lines.iter().map(|l| l.2).collect();
        assert_eq!(legends, ["429", "5xx"]);
        // Every product is a miss with the database down: the cache starts
        // empty, so every answer of a whole second is a 503.
        let last = series.back().expect("a second");
        assert!(last.errors > 0 && last.errors == last.requests, "{last:?}");
        assert_eq!(chart.latest, format!("429 0/s · 5xx {}/s", last.errors));
        let row = v
            .summary
            .iter()
            .find(|r| r.label == "5xx responses")
            .expect("row");
        assert_eq!(row.last, format!("{}/s", last.errors));
    }

    #[test]
    fn throttle_redraws_at_most_four_times_a_second_but_never_drops_the_last() {
        let mut t = Throttle::default();
        assert!(!t.due(0.0, None, false), "nothing to draw");
        assert!(t.due(0.0, Some((1, 1)), false));
        assert!(!t.due(100.0, Some((2, 2)), false), "too soon");
        assert!(!t.due(200.0, Some((2, 2)), false));
        assert!(t.due(260.0, Some((3, 3)), false));
        assert!(t.due(270.0, Some((4, 4)), true), "forced (paused)");
        assert!(!t.due(900.0, Some((4, 4)), true), "nothing new");
        t.clear();
        assert!(t.due(901.0, Some((4, 4)), false));
    }
}
