//! Expiry fidelity and cost: prints figures, asserts nothing.
//!
//! ```sh
//! cargo run --profile fast -p playground-core --example bench_expiry
//! ```
//!
//! 1. Fidelity: 100,000 keys with TTLs uniform in 1–10 s and no reads, on a
//!    real `redis-server` (started here on a free loopback port, stopped by
//!    PID) and on the store's virtual clock; DBSIZE every 100 ms for 12 s.
//!    Prints both curves and the largest gap as a share of the key count
//!    (goal ≤ 5%). The real server's keys are written over a few hundred ms;
//!    each key's TTL is set so that it expires at the same offset from the
//!    start of the load on both sides.
//! 2. Cost: wall time of one cron tick of the store's active cycle with
//!    1,000,000 keys that have a TTL, when none is due and when all are.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use playground_core::rng::Rng;
use playground_core::store::{Origin, Store};

const KEYS: usize = 100_000;
const SAMPLE_EVERY_MS: u64 = 100;
const DURATION_MS: u64 = 12_000;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let mut rng = Rng::new(2026);
    let ttls: Vec<u64> = (0..KEYS).map(|_| 1_000 + rng.up_to(9_000)).collect();

    // Two real runs: how far a real Redis is from *itself* is the noise
    // floor of this comparison (its cron phase and sampling are random).
    match (real_curve(&ttls), real_curve(&ttls)) {
        (Ok(real_a), Ok(real_b)) => {
            let ours = store_curve(&ttls);
            println!("\n  t (ms)  real run A  real run B   store   store-A  store-B    A-B");
            for (((t, a), (_, b)), (_, o)) in real_a.iter().zip(real_b.iter()).zip(ours.iter()) {
                if t % 500 == 0 {
                    println!(
                        "{t:>8} {a:>11} {b:>11} {o:>7} {:>9} {:>8} {:>6}",
                        o.abs_diff(*a),
                        o.abs_diff(*b),
                        a.abs_diff(*b)
                    );
                }
            }
            let worst = |x: &[(u64, usize)], y: &[(u64, usize)]| {
                x.iter()
                    .zip(y)
                    .map(|((_, p), (_, q))| p.abs_diff(*q))
                    .max()
                    .unwrap_or(0) as f64
                    * 100.0
                    / KEYS as f64
            };
            let (sa, sb, ab) = (
                worst(&ours, &real_a),
                worst(&ours, &real_b),
                worst(&real_a, &real_b),
            );
            println!("\nexpiry fidelity (largest DBSIZE gap, share of {KEYS} keys; goal <= 5%):");
            println!("  store vs real A: {sa:.2}%   store vs real B: {sb:.2}%   real A vs real B: {ab:.2}% (noise floor)");
            let mean_gap = |x: &[(u64, usize)], y: &[(u64, usize)]| {
                x.iter()
                    .zip(y)
                    .map(|((_, p), (_, q))| p.abs_diff(*q))
                    .sum::<usize>() as f64
                    * 100.0
                    / (KEYS * x.len()) as f64
            };
            println!(
                "  mean gap:        {:.2}%            {:.2}%            {:.2}%",
                mean_gap(&ours, &real_a),
                mean_gap(&ours, &real_b),
                mean_gap(&real_a, &real_b)
            );
        }
        (Err(e), _) | (_, Err(e)) => println!("expiry fidelity: skipped, no real server: {e}"),
    }

    cycle_cost();
}

/// DBSIZE of the store over time, on its own cron.
fn store_curve(ttls: &[u64]) -> Vec<(u64, usize)> {
    let mut s = Store::new();
    for (i, ttl) in ttls.iter().enumerate() {
        s.exec(
            0,
            Origin::Console,
            &["SET", &format!("key:{i}"), "v", "PX", &ttl.to_string()],
        );
    }
    let mut out = Vec::new();
    let mut t = 0;
    while t <= DURATION_MS {
        s.cron_until(t);
        // The sample is a command, as on the real server: it wakes the
        // event loop, and Redis runs a fast cycle before sleeping again.
        let n = match s.exec(t, Origin::Console, &["DBSIZE"]) {
            playground_core::store::Reply::Integer(n) => n as usize,
            _ => s.keyspace.len(),
        };
        s.before_sleep(t);
        out.push((t, n));
        t += SAMPLE_EVERY_MS;
    }
    if let playground_core::store::Reply::Bulk(b) = s.exec(t, Origin::Console, &["INFO", "stats"]) {
        for l in String::from_utf8_lossy(&b)
            .lines()
            .filter(|l| l.starts_with("expire"))
        {
            println!("store       {l}");
        }
    }
    out
}

/// DBSIZE of a real redis-server over real time.
fn real_curve(ttls: &[u64]) -> Result<Vec<(u64, usize)>, String> {
    let port = TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!("cannot start redis-server ({e}); install it: apt-get install redis-server")
        })?;
    let _server = Server(child);
    let mut conn = connect(port)?;
    // Pipelined load: PEXPIREAT-style offsets from the load's start, so the
    // time the load takes does not shift the curve.
    let start = Instant::now();
    let mut buf = Vec::with_capacity(KEYS * 60);
    let now_ms = unix_ms()?;
    for (i, ttl) in ttls.iter().enumerate() {
        let at = (now_ms + ttl).to_string();
        resp(&mut buf, &["SET", &format!("key:{i}"), "v", "PXAT", &at]);
    }
    conn.write_all(&buf).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(conn.try_clone().map_err(|e| e.to_string())?);
    let mut line = String::new();
    for _ in 0..KEYS {
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
    }
    println!(
        "loaded {KEYS} keys into redis-server :{port} in {:?}",
        start.elapsed()
    );
    let mut out = Vec::new();
    let mut t = 0;
    while t <= DURATION_MS {
        let due = Duration::from_millis(t);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        conn.write_all(b"*1\r\n$6\r\nDBSIZE\r\n")
            .map_err(|e| e.to_string())?;
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let n = line
            .trim()
            .trim_start_matches(':')
            .parse::<usize>()
            .map_err(|e| format!("{line:?}: {e}"))?;
        out.push((t, n));
        t += SAMPLE_EVERY_MS;
    }
    // How hard the real server worked: the store's cost model is calibrated
    // on these (CPU per expired key, how often the time cap was hit).
    conn.write_all(b"*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n")
        .map_err(|e| e.to_string())?;
    line.clear();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    let len: usize = line
        .trim()
        .trim_start_matches('$')
        .parse()
        .map_err(|e| format!("{line:?}: {e}"))?;
    let mut body = vec![0u8; len + 2];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    for l in String::from_utf8_lossy(&body).lines() {
        if l.starts_with("expire") {
            println!("real server {l}");
        }
    }
    Ok(out)
}

fn connect(port: u16) -> Result<TcpStream, String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) {
            c.write_all(b"*1\r\n$4\r\nPING\r\n")
                .map_err(|e| e.to_string())?;
            let mut b = [0u8; 7];
            if c.read_exact(&mut b).is_ok() && &b == b"+PONG\r\n" {
                return Ok(c);
            }
        }
        if Instant::now() > deadline {
            return Err("redis-server did not answer within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn unix_ms() -> Result<u64, String> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .map_err(|e| e.to_string())
}

fn resp(buf: &mut Vec<u8>, args: &[&str]) {
    buf.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        buf.extend_from_slice(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
    }
}

/// Wall time of one tick of the active cycle at hz 10 with 1,000,000 keys.
fn cycle_cost() {
    const N: usize = 1_000_000;
    let mut s = Store::new();
    for i in 0..N {
        s.exec(
            0,
            Origin::Console,
            &["SET", &format!("k{i}"), "v", "PX", "5000"],
        );
    }
    println!("\nactive cycle cost per tick, {N} keys with a TTL (hz 10):");
    for (label, at) in [
        ("none due (one 20-key loop)", 1_000u64),
        ("all due (budget-capped)", 6_000),
    ] {
        // Catch up to just before the measured ticks, untimed.
        s.cron_until(at - 100);
        s.drain_cycles();
        let mut best = Duration::MAX;
        let mut expired = 0;
        for k in 0..5 {
            let t = at + k * 100;
            let start = Instant::now();
            s.cron_until(t);
            best = best.min(start.elapsed());
            expired += s.drain_cycles().iter().map(|c| c.expired).sum::<u64>();
            s.keyspace.drain_events();
        }
        println!(
            "  {label:<28} best of 5 ticks: {:>9.1} µs   (keys expired in those ticks: {expired})",
            best.as_secs_f64() * 1e6
        );
    }
}
