//! Side-by-side replay: the same traffic through several limiter
//! algorithms, to compare what each admits.
//!
//! Each algorithm gets its own fresh simulation and sees every arrival at
//! its exact time through the real code path ([`rate_limit::check`] on the
//! engine's store port, with no latency), so a difference in the table is
//! a difference between the algorithms, never between runs. The replay is sequential: requests
//! at the same millisecond are decided one after another with no network
//! in between, so it shows each algorithm's rule, not the client-side
//! race (`rate-limit-read-modify-write-race.scenario` shows that).

use super::rate_limit::{self, Algorithm, Limit};
use crate::sim::Engine;
use crate::store::Reply;
use crate::time::Millis;

/// Most arrivals one replay takes: enough for any teaching example, small
/// enough that a typo in a count cannot stall the page.
pub const MAX_ARRIVALS: usize = 100_000;

/// The identifier an arrival has when the spec names none.
pub const DEFAULT_IDENTIFIER: &str = "client";

/// One request: when it arrives and whom it is counted for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub at_ms: Millis,
    pub identifier: String,
}

/// What one algorithm answered one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub remaining: u64,
    pub retry_after_ms: Option<Millis>,
    /// The limiter failed (an error reply): the request is counted neither
    /// allowed nor refused.
    pub error: Option<String>,
}

/// One algorithm's answers, in arrival order, and its totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgorithmRun {
    pub algorithm: Algorithm,
    pub verdicts: Vec<Verdict>,
    pub allowed: usize,
    pub refused: usize,
    pub errors: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The arrivals in the order they were replayed (by time, ties in the
    /// order given).
    pub arrivals: Vec<Arrival>,
    pub limit: Limit,
    pub atomic: bool,
    pub runs: Vec<AlgorithmRun>,
}

/// Replays `arrivals` through each of `algorithms` (the algorithm in
/// `limit` is ignored), each on a fresh store. `atomic` picks the
/// server-side (`FCALL`) or client-side versions, as `RATE_LIMIT_ATOMIC` does.
pub fn compare(
    arrivals: &[Arrival],
    limit: Limit,
    atomic: bool,
    algorithms: &[Algorithm],
) -> Comparison {
    let mut arrivals = arrivals.to_vec();
    // Stable: same-time arrivals keep the order they were given in.
    crate::sort::sort_by_u64_key(&mut arrivals, |a| a.at_ms);
    let runs = algorithms
        .iter()
        .map(|&algorithm| replay(&arrivals, Limit { algorithm, ..limit }, atomic))
        .collect();
    Comparison {
        arrivals,
        limit,
        atomic,
        runs,
    }
}

fn replay(arrivals: &[Arrival], limit: Limit, atomic: bool) -> AlgorithmRun {
    // A fresh simulation whose store answers at once (no round trip, no
    // fault): each arrival is decided at its exact time.
    let mut engine = Engine::new(0);
    let mut settings = engine.settings();
    settings.redis_latency_ms = 0;
    settings.faults = Default::default();
    engine.set_settings(settings);
    let mut run = AlgorithmRun {
        algorithm: limit.algorithm,
        verdicts: Vec::with_capacity(arrivals.len()),
        allowed: 0,
        refused: 0,
        errors: 0,
    };
    for (i, arrival) in arrivals.iter().enumerate() {
        let request = i as u64 + 1;
        engine.advance_to(arrival.at_ms);
        let decided = engine.decide_rate_limit(limit, atomic, &arrival.identifier, request);
        let verdict = match decided {
            Some(Ok(d)) => Verdict {
                allowed: d.allowed,
                remaining: d.remaining,
                retry_after_ms: d.retry_after_ms,
                error: None,
            },
            Some(Err(e)) => Verdict {
                allowed: false,
                remaining: 0,
                retry_after_ms: None,
                error: Some(match e {
                    rate_limit::LimiterError::Redis(Reply::Error(text)) => text,
                    other => format!("{other:?}"),
                }),
            },
            None => Verdict {
                allowed: false,
                remaining: 0,
                retry_after_ms: None,
                error: Some("the limiter waited on something".into()),
            },
        };
        match (&verdict.error, verdict.allowed) {
            (Some(_), _) => run.errors += 1,
            (None, true) => run.allowed += 1,
            (None, false) => run.refused += 1,
        }
        run.verdicts.push(verdict);
    }
    run
}

/// Parses arrivals: space-separated `<ms>[x<count>][@<identifier>]`, e.g.
/// `9000x5 10000x5` (five at 9 s, five at 10 s) or `0@alice 0@bob`.
pub fn parse_arrivals(spec: &str) -> Result<Vec<Arrival>, String> {
    let mut out = Vec::new();
    for item in spec.split_whitespace() {
        let (rest, identifier) = match item.split_once('@') {
            Some((r, id)) if !id.is_empty() => (r, id),
            Some(_) => return Err(format!("“{item}”: nothing after @")),
            None => (item, DEFAULT_IDENTIFIER),
        };
        let (at, count) = match rest.split_once(['x', 'X']) {
            Some((at, n)) => (at, n),
            None => (rest, "1"),
        };
        let at: Millis = at
            .parse()
            .map_err(|_| format!("“{item}”: the time is whole milliseconds"))?;
        let count: usize = count
            .parse()
            .map_err(|_| format!("“{item}”: the count after x is a whole number"))?;
        if count == 0 || out.len() + count > MAX_ARRIVALS {
            return Err(format!(
                "“{item}”: between 1 and {MAX_ARRIVALS} arrivals in all"
            ));
        }
        out.extend((0..count).map(|_| Arrival {
            at_ms: at,
            identifier: identifier.to_string(),
        }));
    }
    if out.is_empty() {
        return Err("no arrivals (e.g. 9000x5 10000x5)".into());
    }
    Ok(out)
}

/// Parses `all` or a comma-separated list of algorithm names.
pub fn parse_algorithms(spec: &str) -> Result<Vec<Algorithm>, String> {
    if spec.eq_ignore_ascii_case("all") {
        return Ok(Algorithm::ALL.to_vec());
    }
    spec.split(',')
        .map(|name| {
            Algorithm::parse(name.trim()).ok_or_else(|| {
                let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
                format!(
                    "“{name}” is not an algorithm (all, or some of {})",
                    names.join(", ")
                )
            })
        })
        .collect()
}

impl Comparison {
    /// A plain-text table: one row per arrival, one column per algorithm
    /// (`pass N` with N left, `429 +N ms` with the wait, `error`), then the
    /// totals. Runs of identical rows are folded into one with a count, so
    /// a burst of a hundred reads as one line.
    pub fn table(&self) -> String {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut header = vec!["time ms".to_string(), "who".to_string(), "n".to_string()];
        header.extend(self.runs.iter().map(|r| r.algorithm.as_str().to_string()));
        rows.push(header);
        let mut last: Option<Vec<String>> = None;
        let mut count = 0usize;
        let flush = |rows: &mut Vec<Vec<String>>, last: &Option<Vec<String>>, count: usize| {
            if let Some(row) = last {
                let mut row = row.clone();
                row.insert(2, format!("×{count}"));
                rows.push(row);
            }
        };
        for (i, arrival) in self.arrivals.iter().enumerate() {
            let mut row = vec![arrival.at_ms.to_string(), arrival.identifier.clone()];
            row.extend(
                self.runs
                    .iter()
                    .map(|r| r.verdicts.get(i).map(cell).unwrap_or_default()),
            );
            if last.as_ref() == Some(&row) {
                count += 1;
            } else {
                flush(&mut rows, &last, count);
                last = Some(row);
                count = 1;
            }
        }
        flush(&mut rows, &last, count);
        // Without a single fold the count column says nothing: drop it.
        if rows
            .iter()
            .skip(1)
            .all(|r| r.get(2).is_some_and(|n| n == "×1"))
        {
            for row in &mut rows {
                row.remove(2);
            }
        }
        let folded = rows
            .first()
            .is_some_and(|h| h.get(2).is_some_and(|n| n == "n"));
        let mut totals = vec!["allowed".to_string(), String::new()];
        if folded {
            totals.push(String::new());
        }
        totals.extend(self.runs.iter().map(|r| {
            let mut t = format!("{}/{}", r.allowed, r.verdicts.len());
            if r.errors > 0 {
                t.push_str(&format!(" ({} errors)", r.errors));
            }
            t
        }));
        rows.push(totals);
        let columns = rows.first().map_or(0, Vec::len);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = format!(
            "COMPARE {} per {} s, {}, {} requests\n",
            self.limit.max_requests,
            self.limit.window_seconds,
            if self.atomic {
                "RATE_LIMIT_ATOMIC=true"
            } else {
                "RATE_LIMIT_ATOMIC=false"
            },
            self.arrivals.len()
        );
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (s, &w))| {
                    let pad = w.saturating_sub(s.chars().count());
                    // Times and counts right-aligned, the rest left.
                    if c == 0 || (folded && c == 2) {
                        format!("{}{s}", " ".repeat(pad))
                    } else {
                        format!("{s}{}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push_str("  ");
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }
}

fn cell(v: &Verdict) -> String {
    match (&v.error, v.allowed, v.retry_after_ms) {
        (Some(_), _, _) => "error".into(),
        (None, true, _) => format!("pass {}", v.remaining),
        (None, false, Some(ms)) => format!("429 +{ms} ms"),
        (None, false, None) => "429".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(max: u64, window: u64) -> Limit {
        Limit {
            algorithm: Algorithm::ArticleFixed,
            max_requests: max,
            window_seconds: window,
        }
    }

    #[test]
    fn arrivals_parse_with_counts_and_identifiers() {
        let a = parse_arrivals("10x2 5@bob").expect("parses");
        assert_eq!(a.len(), 3);
        assert_eq!(a[2].identifier, "bob");
        assert_eq!(a[0].identifier, DEFAULT_IDENTIFIER);
        assert!(parse_arrivals("").is_err());
        assert!(parse_arrivals("10x0").is_err());
        assert!(parse_arrivals("soon").is_err());
        assert!(parse_arrivals("1x100001").is_err());
        assert!(parse_algorithms("gcra,nope").is_err());
        assert_eq!(parse_algorithms("all").expect("all").len(), 7);
    }

    #[test]
    fn the_boundary_burst_passes_aligned_windows_only() {
        // 5 per 10 s; five at 9 s and five at 10 s: two aligned windows.
        let arrivals = parse_arrivals("9000x5 10000x5").expect("parses");
        let algorithms = [
            Algorithm::FixedAligned,
            Algorithm::SlidingLog,
            Algorithm::Gcra,
        ];
        for atomic in [true, false] {
            let c = compare(&arrivals, limit(5, 10), atomic, &algorithms);
            let allowed: Vec<usize> = c.runs.iter().map(|r| r.allowed).collect();
            assert_eq!(allowed, vec![10, 5, 5], "atomic {atomic}");
            assert!(c.runs.iter().all(|r| r.errors == 0));
        }
    }

    #[test]
    fn replays_are_deterministic_and_identifiers_are_separate() {
        let arrivals = parse_arrivals("0x3@a 0x3@b 500x3@a").expect("parses");
        let c = compare(&arrivals, limit(2, 1), true, &Algorithm::ALL);
        assert_eq!(
            c,
            compare(&arrivals, limit(2, 1), true, &Algorithm::ALL),
            "same input, same output"
        );
        // Sorted by time, ties in the given order: a, a, a, b, b, b, a…
        assert_eq!(c.arrivals[3].identifier, "b");
        for run in &c.runs {
            // Each identifier gets its own 2 at time 0.
            assert!(!run.verdicts[2].allowed, "{:?}", run.algorithm);
            assert!(run.verdicts[3].allowed, "{:?}", run.algorithm);
        }
        let table = c.table();
        assert!(table.starts_with("COMPARE 2 per 1 s"), "{table}");
        let spaced = compare(
            &parse_arrivals("0 1000").expect("parses"),
            limit(1, 1),
            true,
            &[Algorithm::Gcra],
        );
        assert!(
            !spaced.table().contains('×'),
            "no fold, no count column: {}",
            spaced.table()
        );
        let burst = compare(
            &parse_arrivals("0x4").expect("parses"),
            limit(1, 1),
            true,
            &[Algorithm::Gcra],
        );
        assert!(burst.table().contains("×3"), "{}", burst.table());
    }
}
