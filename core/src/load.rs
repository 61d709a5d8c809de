//! The load generator: virtual clients sending a mix of requests, and the
//! per-virtual-second series the charts draw.
//!
//! Open loop: requests arrive as a Poisson process at `rate` per second,
//! whatever the responses do (how real traffic behaves). Closed loop:
//! `concurrency` clients each send, wait for the answer, think, send again
//! (how a benchmark tool behaves; a slow server slows the traffic down).
//! Products are picked with a Zipf law (a few are hot), clients by IP.

use std::collections::VecDeque;
use std::fmt::Write;

use crate::api::{CacheOutcome, Method, Request};
use crate::rng::Rng;
use crate::sim::{Completed, Engine};
use crate::time::Millis;

/// Seconds of series kept (one virtual hour); older ones are dropped.
pub const SERIES_CAPACITY: usize = 3_600;

/// How far back arrivals are still sent after the engine's clock jumped
/// past them (a `DEBUG SLEEP` typed in the console): clients that waited
/// this long have given up; the rest arrive at once, as clients queued
/// behind a blocked server do. Bounds the burst to rate × 10 s.
pub const BACKLOG_MS: Millis = 10_000;
/// Most finished requests kept for a page between two reads.
pub const KEPT_CAPACITY: usize = 1_024;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Poisson arrivals at this many requests per virtual second.
    Open { rate: f64 },
    /// This many clients, each waiting `think_ms` between answer and next request.
    Closed { concurrency: u32, think_ms: Millis },
}

/// Shares of each route, in percent (the rest is `GET /products/:id`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteMix {
    pub views_percent: u32,
    pub update_percent: u32,
    pub invalidate_percent: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoadConfig {
    pub mode: Mode,
    /// Zipf exponent over the catalog: 0 = uniform, 1 = classic, 2 = very hot head.
    pub zipf_exponent: f64,
    /// Distinct client IPs.
    pub clients: u32,
    pub mix: RouteMix,
    /// Products `1..=products` are requested (the catalog has 12).
    pub products: u32,
}

impl Default for LoadConfig {
    fn default() -> Self {
        LoadConfig {
            mode: Mode::Open { rate: 100.0 },
            zipf_exponent: 1.0,
            clients: 50,
            mix: RouteMix::default(),
            products: 12,
        }
    }
}

/// One virtual second of traffic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Second {
    pub second: u64,
    pub requests: u64,
    pub hits: u64,
    pub misses: u64,
    pub db_queries: u64,
    pub too_many: u64,
    pub errors: u64,
    pub p50_ms: Millis,
    pub p95_ms: Millis,
    pub p99_ms: Millis,
    pub keys: u64,
    pub used_memory: u64,
}

/// Drives traffic into an engine and keeps the series.
pub struct LoadGenerator {
    config: LoadConfig,
    rng: Rng,
    zipf_cdf: Vec<f64>,
    /// Open loop: when the next request arrives.
    next_arrival: Option<Millis>,
    /// Closed loop: when each idle client sends again.
    client_wakeups: Vec<Millis>,
    in_flight_clients: std::collections::HashMap<u64, usize>,
    current: Second,
    latencies: Vec<Millis>,
    db_seen: u64,
    series: VecDeque<Second>,
    /// `/products/{n}` for each product, built once: cloning a short string
    /// is cheaper than formatting it for every request.
    product_paths: Vec<String>,
    /// The `x-forwarded-for` value of each client, built once likewise.
    client_ips: Vec<String>,
    /// Completed requests taken from the engine; kept to reuse its buffer.
    done: Vec<Completed>,
    /// Finished requests whose strings (path, body, client address) the
    /// next ones are written into: building a request allocated three
    /// times before (DHAT), now it allocates nothing once the load runs.
    spare: Vec<Request>,
    /// When a page shares the engine, the generator drains every finished
    /// request (its own and the reader's clicks): with this set it keeps
    /// them, at most [`KEPT_CAPACITY`], for the page to take.
    keep: bool,
    kept: VecDeque<Completed>,
    pub total_sent: u64,
    pub total_done: u64,
}

impl LoadGenerator {
    pub fn new(config: LoadConfig, seed: u64, start: Millis) -> Self {
        let n = config.products.clamp(1, 1_000);
        let s = if config.zipf_exponent.is_finite() {
            config.zipf_exponent.clamp(0.0, 5.0)
        } else {
            1.0
        };
        let weights: Vec<f64> = (1..=n).map(|k| 1.0 / f64::from(k).powf(s)).collect();
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let zipf_cdf = weights.iter().map(|w| {
            acc += w / total;
            acc
        });
        let zipf_cdf: Vec<f64> = zipf_cdf.collect();
        let client_wakeups = match config.mode {
            Mode::Closed { concurrency, .. } => vec![start; concurrency.clamp(1, 100_000) as usize],
            Mode::Open { .. } => Vec::new(),
        };
        let mut g = LoadGenerator {
            config,
            rng: Rng::new(seed),
            zipf_cdf,
            next_arrival: None,
            client_wakeups,
            in_flight_clients: Default::default(),
            current: Second {
                second: start / 1_000,
                ..Second::default()
            },
            latencies: Vec::new(),
            db_seen: 0,
            series: VecDeque::new(),
            product_paths: (1..=n).map(|p| format!("/products/{p}")).collect(),
            // Bounded like the generator's other tables; more clients than
            // this format their address per request.
            client_ips: (0..u64::from(config.clients.clamp(1, 65_536)))
                .map(client_ip)
                .collect(),
            done: Vec::new(),
            spare: Vec::new(),
            keep: false,
            kept: VecDeque::new(),
            total_sent: 0,
            total_done: 0,
        };
        if let Mode::Open { .. } = config.mode {
            g.next_arrival = Some(start + g.interarrival());
        }
        g
    }

    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponential gap between Poisson arrivals, in whole ms (≥ 0).
    fn interarrival(&mut self) -> Millis {
        let Mode::Open { rate } = self.config.mode else {
            return 0;
        };
        let rate = if rate.is_finite() {
            rate.clamp(0.001, 1_000_000.0)
        } else {
            1.0
        };
        let u = self.uniform().max(1e-12);
        (-u.ln() / rate * 1_000.0).round() as Millis
    }

    fn pick_product(&mut self) -> u32 {
        let u = self.uniform();
        let i = self.zipf_cdf.partition_point(|c| *c < u);
        (i.min(self.zipf_cdf.len().saturating_sub(1)) + 1) as u32
    }

    fn next_request(&mut self) -> Request {
        let product = self.pick_product();
        let client = self.rng.up_to(u64::from(self.config.clients.max(1)) - 1);
        let roll = self.rng.up_to(99) as u32;
        let m = self.config.mix;
        let mut req = self
            .spare
            .pop()
            .unwrap_or_else(|| Request::get(String::new()));
        // The previous request's address string, reused for this one's.
        let mut ip = req.headers.pop().map(|(_, v)| v).unwrap_or_default();
        req.headers.clear();
        req.path.clear();
        req.body.clear();
        // Writing to a String cannot fail.
        if roll < m.views_percent {
            req.method = Method::Get;
            let _ = write!(req.path, "/products/{product}/views");
        } else if roll < m.views_percent + m.update_percent {
            req.method = Method::Put;
            let _ = write!(req.path, "/products/{product}");
            let _ = write!(req.body, "{{\"stock\": {}}}", self.rng.up_to(500));
        } else if roll < m.views_percent + m.update_percent + m.invalidate_percent {
            req.method = Method::Delete;
            let _ = write!(req.path, "/products/{product}/cache");
        } else {
            req.method = Method::Get;
            match self.product_paths.get((product as usize).saturating_sub(1)) {
                Some(path) => req.path.push_str(path),
                None => {
                    let _ = write!(req.path, "/products/{product}");
                }
            }
        }
        ip.clear();
        match self.client_ips.get(client as usize) {
            Some(known) => ip.push_str(known),
            None => ip.push_str(&client_ip(client)),
        }
        req.headers.push(("x-forwarded-for".into(), ip));
        req
    }

    /// Sends everything due up to `until`, advancing the engine through the
    /// arrivals, then to `until`; records completions into the series.
    pub fn run_until(&mut self, engine: &mut Engine, until: Millis) {
        if let (Mode::Open { .. }, Some(next)) = (self.config.mode, self.next_arrival) {
            let oldest = engine.now().saturating_sub(BACKLOG_MS);
            if next < oldest {
                self.next_arrival = Some(oldest);
            }
        }
        loop {
            let next = match self.config.mode {
                Mode::Open { .. } => self.next_arrival,
                Mode::Closed { .. } => self
                    .client_wakeups
                    .iter()
                    .copied()
                    .filter(|t| *t != Millis::MAX)
                    .min(),
            };
            // In a closed loop, clients wake when answers arrive: run the
            // engine to its next event first if that comes sooner.
            if let Mode::Closed { .. } = self.config.mode {
                if let Some(ev) = engine
                    .next_event_at()
                    .filter(|ev| *ev <= until && next.is_none_or(|n| *ev < n))
                {
                    engine.advance_to(ev);
                    self.collect(engine);
                    continue;
                }
            }
            let Some(at) = next.filter(|t| *t <= until) else {
                break;
            };
            engine.advance_to(at);
            self.collect(engine);
            match self.config.mode {
                Mode::Open { .. } => {
                    let req = self.next_request();
                    // `at` is behind the clock only after a jump (see
                    // BACKLOG_MS): the latency then counts from the arrival.
                    engine.send_arrived(req, at);
                    self.total_sent += 1;
                    let gap = self.interarrival();
                    self.next_arrival = Some(at + gap);
                }
                Mode::Closed { .. } => {
                    for client in 0..self.client_wakeups.len() {
                        if self.client_wakeups.get(client) == Some(&at) {
                            let req = self.next_request();
                            let id = engine.send(req);
                            self.total_sent += 1;
                            self.in_flight_clients.insert(id, client);
                            if let Some(w) = self.client_wakeups.get_mut(client) {
                                *w = Millis::MAX;
                            }
                        }
                    }
                }
            }
            self.collect(engine);
        }
        engine.advance_to(until);
        self.collect(engine);
        self.roll_seconds(engine, until);
    }

    /// Keeps finished requests for [`take_kept_into`](Self::take_kept_into).
    pub fn keep_completed(&mut self, keep: bool) {
        self.keep = keep;
        if !keep {
            self.kept.clear();
        }
    }

    /// Moves the kept finished requests, oldest first, to the end of `out`.
    pub fn take_kept_into(&mut self, out: &mut Vec<Completed>) {
        out.extend(self.kept.drain(..));
    }

    fn collect(&mut self, engine: &mut Engine) {
        let mut done = std::mem::take(&mut self.done);
        engine.take_completed_into(&mut done);
        if done.is_empty() {
            self.done = done;
            return;
        }
        for d in done.drain(..) {
            self.roll_seconds(engine, d.finished_at);
            self.record(&d);
            if let Some(client) = self.in_flight_clients.remove(&d.id) {
                if let (Mode::Closed { think_ms, .. }, Some(w)) =
                    (self.config.mode, self.client_wakeups.get_mut(client))
                {
                    *w = d.finished_at + think_ms;
                }
            }
            if self.keep {
                if self.kept.len() >= KEPT_CAPACITY {
                    if let Some(old) = self.kept.pop_front() {
                        self.reuse(old.request);
                    }
                }
                self.kept.push_back(d);
            } else {
                self.reuse(d.request);
            }
        }
        self.done = done;
    }

    /// Keeps a finished request's strings for a next one (a few are
    /// enough: requests finish about as fast as they are sent).
    fn reuse(&mut self, request: Request) {
        const SPARE_MAX: usize = 64;
        if self.spare.len() < SPARE_MAX {
            self.spare.push(request);
        }
    }

    fn record(&mut self, d: &Completed) {
        self.total_done += 1;
        let c = &mut self.current;
        c.requests += 1;
        match d.response.cache {
            // A stale answer came from the cache too (refreshed behind it).
            Some(CacheOutcome::Hit | CacheOutcome::Stale) => c.hits += 1,
            Some(CacheOutcome::Miss) => c.misses += 1,
            _ => {}
        }
        match d.response.status {
            429 => c.too_many += 1,
            s if s >= 500 => c.errors += 1,
            _ => {}
        }
        // Bounded: at most this many latency samples per second.
        if self.latencies.len() < 200_000 {
            self.latencies.push(d.latency_ms());
        }
    }

    /// Closes every second that ended before `t`.
    fn roll_seconds(&mut self, engine: &Engine, t: Millis) {
        // After a jump longer than the series holds, the seconds before its
        // last SERIES_CAPACITY would be dropped as soon as pushed: close the
        // current one, then start there (one second at a time, a
        // `DEBUG SLEEP 1000000000` was 10⁹ of them).
        let skip_to = (t / 1_000).saturating_sub(SERIES_CAPACITY as u64);
        if skip_to > self.current.second + 1 {
            self.close_second(engine);
            self.current.second = skip_to;
        }
        while t / 1_000 > self.current.second {
            self.close_second(engine);
        }
    }

    /// Ends the current second: its percentiles, keys and memory go into
    /// the series, and the next second starts.
    fn close_second(&mut self, engine: &Engine) {
        let mut done = std::mem::take(&mut self.current);
        let db = engine.db_queries();
        done.db_queries = db - self.db_seen.min(db);
        self.db_seen = db;
        self.latencies.sort_unstable();
        let pct = |p: usize| -> Millis {
            if self.latencies.is_empty() {
                return 0;
            }
            let i = (self.latencies.len() * p).div_ceil(100).saturating_sub(1);
            self.latencies.get(i).copied().unwrap_or(0)
        };
        done.p50_ms = pct(50);
        done.p95_ms = pct(95);
        done.p99_ms = pct(99);
        let (keys, mem) =
            engine.with_store(|s| (s.keyspace.len() as u64, s.keyspace.used_memory() as u64));
        done.keys = keys;
        done.used_memory = mem;
        self.latencies.clear();
        self.current.second = done.second + 1;
        if self.series.len() >= SERIES_CAPACITY {
            self.series.pop_front();
        }
        self.series.push_back(done);
    }

    /// Finished seconds, oldest first.
    pub fn series(&self) -> &VecDeque<Second> {
        &self.series
    }
}

/// Client number `client` as an address in 10.0.0.0/8.
fn client_ip(client: u64) -> String {
    format!(
        "10.{}.{}.{}",
        client >> 16 & 255,
        client >> 8 & 255,
        client & 255
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `DEBUG SLEEP` in the console jumps the engine's clock: the
    /// generator then sends the last [`BACKLOG_MS`] of arrivals at once, not
    /// every arrival since, and fills the series up to now in bounded steps.
    #[test]
    fn a_clock_jump_sends_only_the_backlog_and_keeps_the_last_hour() {
        let mut e = Engine::new(1);
        let mut g = LoadGenerator::new(LoadConfig::default(), 7, 0);
        g.run_until(&mut e, 2_000);
        let sent = g.total_sent;
        e.console_line("DEBUG SLEEP 1000");
        let now = e.now();
        g.run_until(&mut e, now);
        let burst = g.total_sent - sent;
        // 100 requests a second for 10 s, not for 1,000 s.
        assert!((800..1_200).contains(&burst), "{burst} sent after the jump");
        // Thirty years later: the series holds the last hour, up to now.
        e.console_line("DEBUG SLEEP 1000000000");
        let now = e.now();
        g.run_until(&mut e, now);
        assert_eq!(g.series().len(), SERIES_CAPACITY);
        assert_eq!(g.series().back().map(|s| s.second), Some(now / 1_000 - 1));
        // And traffic goes on from there.
        let sent = g.total_sent;
        g.run_until(&mut e, now + 1_000);
        assert!(g.total_sent - sent > 50, "{}", g.total_sent - sent);
    }

    /// A `DEBUG SLEEP` of 2 s during a run: the arrivals it held up are
    /// sent when it ends, and their latency counts from their arrival, so
    /// the stall shows in the percentiles (as their clients saw it).
    #[test]
    fn a_debug_sleep_shows_in_the_latency_of_the_requests_it_held_up() {
        let mut e = Engine::new(1);
        let mut g = LoadGenerator::new(LoadConfig::default(), 7, 0);
        g.run_until(&mut e, 20_000);
        let calm = g.series().back().map_or(0, |s| s.p50_ms);
        assert!(calm < 10, "warm, hits answer in milliseconds: p50 {calm}");
        e.console_line("DEBUG SLEEP 2");
        let now = e.now();
        g.run_until(&mut e, now + 3_000);
        let after = || g.series().iter().filter(|s| s.second >= now / 1_000);
        let p50 = after().map(|s| s.p50_ms).max().unwrap_or(0);
        let p99 = after().map(|s| s.p99_ms).max().unwrap_or(0);
        assert!(
            p50 >= 500,
            "half the held-up requests waited ≥ 0.5 s: p50 {p50}"
        );
        assert!(
            (1_900..2_500).contains(&p99),
            "the first waited the whole 2 s: p99 {p99}"
        );
    }

    #[test]
    fn zipf_makes_the_first_product_hot() {
        let mut g = LoadGenerator::new(
            LoadConfig {
                zipf_exponent: 1.0,
                ..LoadConfig::default()
            },
            1,
            0,
        );
        let mut counts = [0u32; 13];
        for _ in 0..10_000 {
            let p = g.pick_product() as usize;
            if let Some(c) = counts.get_mut(p) {
                *c += 1;
            }
        }
        // 1/H(12) ≈ 32% for product 1, 1/(12·H(12)) ≈ 2.7% for product 12.
        assert!((2_900..3_500).contains(&counts[1]), "{counts:?}");
        assert!((150..400).contains(&counts[12]), "{counts:?}");
    }

    #[test]
    fn stale_answers_count_as_hits() {
        // Fresh for 1 s, then served stale while a refresh runs: with the
        // stale answers counted, hits + misses cover every product GET.
        let mut e = Engine::new(3);
        let mut settings = e.settings();
        settings.product_cache_ttl_seconds = 1;
        settings.defences.stale_while_revalidate_seconds = 30;
        settings.rate_limit_enabled = false;
        e.set_settings(settings);
        let mut g = LoadGenerator::new(
            LoadConfig {
                mode: Mode::Open { rate: 200.0 },
                ..LoadConfig::default()
            },
            9,
            0,
        );
        g.run_until(&mut e, 10_000);
        let s = g.series();
        let counted: u64 = s.iter().map(|x| x.hits + x.misses).sum();
        let ok: u64 = s.iter().map(|x| x.requests - x.errors - x.too_many).sum();
        assert!(counted > 0 && counted + 5 >= ok, "{counted} of {ok}");
    }

    /// Every kept request of a run from `keep_from` on (the generator
    /// recycles finished requests' strings only when it does not keep them).
    fn requests_kept(keep_from: Millis) -> Vec<(u64, Request)> {
        let mut e = Engine::new(5);
        let mut g = LoadGenerator::new(
            LoadConfig {
                mode: Mode::Open { rate: 400.0 },
                clients: 70_000,
                mix: RouteMix {
                    views_percent: 20,
                    update_percent: 10,
                    invalidate_percent: 10,
                },
                ..LoadConfig::default()
            },
            11,
            0,
        );
        g.run_until(&mut e, keep_from);
        g.keep_completed(true);
        g.run_until(&mut e, 6_000);
        let mut kept = Vec::new();
        g.take_kept_into(&mut kept);
        kept.into_iter().map(|d| (d.id, d.request)).collect()
    }

    #[test]
    fn recycled_requests_are_built_whole_and_the_same() {
        // Kept from the start (the first ones recycled only once the kept
        // queue is full) and kept from 3 s on (every earlier request
        // recycled): the last requests must be identical.
        let all = requests_kept(0);
        let late = requests_kept(3_000);
        assert!(
            late.len() > 500 && all.len() == KEPT_CAPACITY,
            "{}",
            late.len()
        );
        let tail = all.get(all.len() - late.len()..).unwrap_or_default();
        assert_eq!(tail, late.as_slice());
        for (_, r) in &late {
            let (ip_name, ip) = match r.headers.as_slice() {
                [(n, v)] => (n.as_ref(), v.as_str()),
                other => panic!("one header, not {other:?}"),
            };
            assert_eq!(ip_name, "x-forwarded-for");
            // 70,000 clients: past the table, addresses are formatted.
            assert!(ip.starts_with("10.") && ip.split('.').count() == 4, "{ip}");
            let id = r.path.strip_prefix("/products/").unwrap_or_default();
            let ok = match r.method {
                Method::Get => {
                    let id = id.strip_suffix("/views").unwrap_or(id);
                    id.parse::<u32>().is_ok() && r.body.is_empty()
                }
                Method::Put => {
                    id.parse::<u32>().is_ok()
                        && r.body.starts_with("{\"stock\": ")
                        && r.body.ends_with('}')
                }
                Method::Delete => id
                    .strip_suffix("/cache")
                    .is_some_and(|id| id.parse::<u32>().is_ok() && r.body.is_empty()),
                Method::Post => false,
            };
            assert!(ok, "{r:?}");
        }
    }

    #[test]
    fn open_loop_rate_and_series() {
        let mut e = Engine::new(3);
        let mut g = LoadGenerator::new(
            LoadConfig {
                mode: Mode::Open { rate: 200.0 },
                ..LoadConfig::default()
            },
            9,
            0,
        );
        g.run_until(&mut e, 10_000);
        let sent = g.total_sent;
        assert!(
            (1_800..2_200).contains(&sent),
            "about 2,000 requests in 10 s at 200/s: {sent}"
        );
        let s = g.series();
        assert_eq!(s.len(), 10);
        let misses: u64 = s.iter().map(|x| x.misses).sum();
        let hits: u64 = s.iter().map(|x| x.hits).sum();
        assert!(
            hits > misses * 5,
            "a hot catalog is mostly hits: {hits} hits, {misses} misses"
        );
        assert!(s
            .iter()
            .all(|x| x.p50_ms <= x.p95_ms && x.p95_ms <= x.p99_ms));
        // The article's limiter: 50 clients × 100 per minute is plenty here.
        assert_eq!(s.iter().map(|x| x.too_many).sum::<u64>(), 0);
    }

    #[test]
    fn closed_loop_is_paced_by_the_server() {
        let mut e = Engine::new(3);
        let cfg = LoadConfig {
            mode: Mode::Closed {
                concurrency: 4,
                think_ms: 0,
            },
            ..LoadConfig::default()
        };
        let mut g = LoadGenerator::new(cfg, 5, 0);
        g.run_until(&mut e, 5_000);
        // Four clients back to back: each request takes ≥ 4 ms (hit) or ≥ 405 ms (miss).
        assert!(
            g.total_sent > 100 && g.total_sent < 5_100,
            "{}",
            g.total_sent
        );
        assert!(g.total_done + 4 >= g.total_sent);
    }
}
