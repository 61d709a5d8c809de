//! Differential test: every script of the corpus runs through a real
//! `redis-server` (via `redis-cli --no-raw`) and through `playground-cli`,
//! and the two outputs must match byte for byte.
//!
//! The corpus is `core/tests/redis-corpus/**/*.redis` (a `pending/` folder is
//! skipped); `core/tests/redis-corpus/README.md` says what a script may and
//! may not do, and why, and describes the `#! unordered` directive.
//!
//! Needs `redis-server` and `redis-cli` (`apt-get install redis-server`; the
//! reference is Redis 7.0). `SKIP_REDIS_ORACLE=1` skips the test with a loud
//! notice. `REDIS_CORPUS_MIN` (default 150) is the fewest scripts that must
//! run. Typical runs:
//!
//! ```text
//! cargo test -p playground-core --test differential -- --nocapture
//! REDIS_CORPUS_MIN=1 cargo test -p playground-core --test differential
//! ```

// The random-script half lives beside this file (a crate root looks for
// modules next to itself, hence the path).
#[path = "differential/random.rs"]
mod random;

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const REDIS_SERVER: &str = "redis-server";
const REDIS_CLI: &str = "redis-cli";
const DEFAULT_MIN_SCRIPTS: usize = 150;

/// Run before every script so that each starts from the same server state.
const RESET: &[&str] = &[
    "FLUSHALL",
    "CONFIG SET hz 10 maxmemory 0 maxmemory-policy noeviction maxmemory-samples 5 active-expire-effort 1 notify-keyspace-events \"\"",
    "DEBUG SET-ACTIVE-EXPIRE 1",
];

/// Owns the redis-server child: dropping it (test end, failed assertion,
/// panic) kills that process by its PID and reaps it.
struct ServerGuard {
    child: Child,
    port: u16,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/redis-corpus")
}

fn on_path(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// False, with a loud note, when SKIP_REDIS_ORACLE=1; fails when the
/// real server is missing otherwise.
fn oracle_available(what: &str) -> bool {
    if std::env::var("SKIP_REDIS_ORACLE").is_ok_and(|v| v == "1") {
        eprintln!("SKIP_REDIS_ORACLE=1: {what} were NOT compared with redis-server");
        return false;
    }
    assert!(
        on_path(REDIS_SERVER) && on_path(REDIS_CLI),
        "needs redis-server and redis-cli (apt-get install redis-server), or SKIP_REDIS_ORACLE=1"
    );
    true
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free loopback port");
    listener.local_addr().expect("local address").port()
}

/// Runs `redis-cli --no-raw -p port` with `input` on stdin; its stdout.
fn redis_cli(port: u16, input: &str) -> String {
    run_with_stdin(
        Command::new(REDIS_CLI).args(["--no-raw", "-p", &port.to_string()]),
        input,
    )
}

fn run_with_stdin(cmd: &mut Command, input: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_owned();
    // Write from another thread so a large output cannot deadlock the pipes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for child");
    let _ = writer.join();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start_server() -> ServerGuard {
    // A port found free can be taken before the server binds it; retry then.
    let mut last_failure = String::new();
    for _attempt in 0..5 {
        let port = free_port();
        let log_path =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("redis-oracle-{port}.log"));
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
        let log_err = log.try_clone().expect("clone log file");
        let child = Command::new(REDIS_SERVER)
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--enable-debug-command", "local"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {REDIS_SERVER}: {e}"));
        let mut guard = ServerGuard { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = guard.child.try_wait() {
                last_failure = format!(
                    "redis-server exited with {status}; log:\n{}",
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                );
                break;
            }
            if Instant::now() > deadline {
                last_failure = format!(
                    "redis-server did not answer PING within 10 s; log in {}",
                    log_path.display()
                );
                break;
            }
            let pong = Command::new(REDIS_CLI)
                .args(["-p", &port.to_string(), "ping"])
                .stderr(Stdio::null())
                .output();
            if pong.is_ok_and(|o| o.stdout.starts_with(b"PONG")) {
                return guard;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        drop(guard);
    }
    panic!("could not start redis-server: {last_failure}");
}

/// The playground's function library, loaded as a client would: FCALL
/// scripts then compare the Lua with its Rust twin.
fn load_library(port: u16) {
    let loaded = run_with_stdin(
        Command::new(REDIS_CLI).args([
            "-p",
            &port.to_string(),
            "-x",
            "FUNCTION",
            "LOAD",
            "REPLACE",
        ]),
        playground_core::store::functions::LIBRARY_SOURCE,
    );
    assert_eq!(
        loaded, "playground\n",
        "FUNCTION LOAD of playground.lua into redis-server failed"
    );
}

/// Every `*.redis` under `dir`, sorted, skipping any `pending/` folder.
fn collect_scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "pending") {
                continue;
            }
            collect_scripts(&path, out);
        } else if path.extension().is_some_and(|e| e == "redis") {
            out.push(path);
        }
    }
}

struct Script {
    unordered: bool,
    /// `#! drift-ms N`: integer lines may trail the playground's by up to
    /// N ms (see `align_drift`).
    drift_ms: Option<i64>,
    /// The script without its comment lines: what both sides read.
    body: String,
}

fn load_script(path: &Path) -> Script {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    // Directives are the `#!` lines at the top of a script.
    let directives: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("#!"))
        .map(str::trim_end)
        .collect();
    let unordered = directives.contains(&"#! unordered");
    let drift_ms =
        directives.iter().find_map(|d| {
            let n = d.strip_prefix("#! drift-ms ")?;
            Some(n.trim().parse::<i64>().unwrap_or_else(|_| {
                panic!("{}: `#! drift-ms` needs a number of ms", path.display())
            }))
        });
    for d in &directives {
        assert!(
            *d == "#! unordered" || d.starts_with("#! drift-ms "),
            "{}: unknown directive {d:?}",
            path.display()
        );
    }
    let mut body = String::new();
    for line in text.lines() {
        if !line.starts_with('#') {
            body.push_str(line);
            body.push('\n');
        }
    }
    Script {
        unordered,
        drift_ms,
        body,
    }
}

/// A line without its array numbering, nested levels included (`1) `,
/// ` 9) `, `2) 1) `): in an unordered reply, which element got which
/// number is exactly what may differ.
fn strip_numbering(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        match trimmed.get(digits..) {
            Some(after) if digits > 0 && after.starts_with(") ") => rest = &after[2..],
            _ => return if std::ptr::eq(rest, line) { line } else { rest },
        }
    }
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(strip_numbering).collect();
    lines.sort_unstable();
    lines
}

/// A unified-style diff of two texts, line by line (LCS; the outputs are small).
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Walk the table into (tag, line) operations.
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    // Print hunks: changed lines with up to 3 lines of context around them.
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut out =
        String::from("    --- expected (redis-server)\n    +++ actual (playground-cli)\n");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k] + CONTEXT + 1;
        while k + 1 < changed.len() && changed[k + 1] <= end + CONTEXT {
            k += 1;
            end = changed[k] + CONTEXT + 1;
        }
        let end = end.min(ops.len());
        // Line numbers (1-based) in each text where the hunk starts.
        let old_start = 1 + ops[..start].iter().filter(|o| o.0 != '+').count();
        let new_start = 1 + ops[..start].iter().filter(|o| o.0 != '-').count();
        let old_len = ops[start..end].iter().filter(|o| o.0 != '+').count();
        let new_len = ops[start..end].iter().filter(|o| o.0 != '-').count();
        let _ = writeln!(
            out,
            "    @@ -{old_start},{old_len} +{new_start},{new_len} @@"
        );
        for (tag, line) in &ops[start..end] {
            let _ = writeln!(out, "    {tag}{line}");
        }
        k += 1;
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("    (the outputs differ in their final newline)\n");
    }
    out
}

/// The real output with each line that `same(real, ours)` accepts replaced
/// by the playground's line at the same place; every other line stays, so
/// the comparison still sees any other difference.
fn align(expected: &str, actual: &str, same: impl Fn(&str, &str) -> bool) -> String {
    let mut out = String::with_capacity(expected.len());
    let mut theirs = actual.lines();
    for line in expected.split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        match theirs.next() {
            Some(ours) if same(text, ours) => {
                out.push_str(ours);
                out.push_str(&line[text.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// A function that sets a TTL and returns the key's `PTTL` in the same call
/// (`pg_fixed_window`) answers `1000` on the playground's clock, which stands
/// still inside a command, and `999` on a real Redis 7.0 whose millisecond
/// ticked between its `PEXPIRE` and its `PTTL` (7.0 reads the wall clock for
/// each; 7.2 snapshots it). A script that prints such a value declares
/// `#! drift-ms N`: an integer line of the real output that is at most N
/// below the playground's, at the same place, is taken as the playground's.
/// Only downwards: real time only ever makes a TTL smaller.
fn align_drift(expected: &str, actual: &str, drift_ms: i64) -> String {
    fn integer(line: &str) -> Option<(&str, i64)> {
        let at = line.find("(integer) ")?;
        let value = line[at + "(integer) ".len()..].parse().ok()?;
        Some((&line[..at], value))
    }
    align(expected, actual, |real, ours| {
        match (integer(real), integer(ours)) {
            (Some((prefix, r)), Some((our_prefix, p))) => {
                prefix == our_prefix && r <= p && p.checked_sub(r).is_some_and(|d| d <= drift_ms)
            }
            _ => false,
        }
    })
}

/// redis-cli's `(1.10s)` after a slow command is the wall time it waited:
/// a real server under load answers a `DEBUG SLEEP 1.1` in 1.11 s, the
/// playground's clock in exactly 1.10 s. Where both outputs have such a line
/// at the same place, within 0.1 s of each other, the real one is taken as
/// the playground's; any other difference stays.
fn align_timings(expected: &str, actual: &str) -> String {
    fn seconds(line: &str) -> Option<f64> {
        line.strip_prefix('(')?.strip_suffix("s)")?.parse().ok()
    }
    align(expected, actual, |real, ours| {
        match (seconds(real), seconds(ours)) {
            (Some(a), Some(b)) => (a - b).abs() <= 0.1 + 1e-9,
            _ => false,
        }
    })
}

fn min_scripts() -> usize {
    match std::env::var("REDIS_CORPUS_MIN") {
        Err(_) => DEFAULT_MIN_SCRIPTS,
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("REDIS_CORPUS_MIN must be a number, got {v:?}")),
    }
}

#[test]
fn corpus_matches_real_redis() {
    if std::env::var("SKIP_REDIS_ORACLE").is_ok_and(|v| v == "1") {
        eprintln!();
        eprintln!("**************************************************************");
        eprintln!("*  SKIP_REDIS_ORACLE=1: the differential test against a real *");
        eprintln!("*  redis-server did NOT run. Nothing was compared.           *");
        eprintln!("**************************************************************");
        eprintln!();
        return;
    }
    assert!(
        on_path(REDIS_SERVER) && on_path(REDIS_CLI),
        "the differential test needs `{REDIS_SERVER}` and `{REDIS_CLI}` (Redis 7.0) on PATH: \
         install them with `apt-get install redis-server`, or set SKIP_REDIS_ORACLE=1 \
         to skip this test"
    );

    let mut scripts = Vec::new();
    collect_scripts(&corpus_dir(), &mut scripts);
    scripts.sort();
    let min = min_scripts();

    let server = start_server();
    load_library(server.port);
    let reset_input: String = RESET.iter().map(|c| format!("{c}\n")).collect();
    let playground = env!("CARGO_BIN_EXE_playground-cli");

    let mut failures: Vec<String> = Vec::new();
    for path in &scripts {
        let name = path
            .strip_prefix(corpus_dir())
            .unwrap_or(path)
            .display()
            .to_string();
        let script = load_script(path);

        let reset = redis_cli(server.port, &reset_input);
        assert_eq!(
            reset,
            "OK\n".repeat(RESET.len()),
            "resetting the server before {name} failed"
        );
        let expected = redis_cli(server.port, &script.body);
        let actual = run_with_stdin(&mut Command::new(playground), &script.body);
        let mut expected = align_timings(&expected, &actual);
        if let Some(ms) = script.drift_ms {
            expected = align_drift(&expected, &actual, ms);
        }

        let same = if script.unordered {
            sorted_lines(&expected) == sorted_lines(&actual)
        } else {
            expected == actual
        };
        if !same {
            let mut report = format!("MISMATCH {name}");
            if script.unordered {
                report.push_str(" (unordered; lines sorted, numbering removed)");
                let e = sorted_lines(&expected).join("\n") + "\n";
                let a = sorted_lines(&actual).join("\n") + "\n";
                report.push('\n');
                report.push_str(&diff(&e, &a));
            } else {
                report.push('\n');
                report.push_str(&diff(&expected, &actual));
            }
            failures.push(report);
        }
    }
    drop(server);

    let ran = scripts.len();
    let passed = ran - failures.len();
    println!(
        "differential: {ran} scripts compared, {passed} passed, {} failed",
        failures.len()
    );
    for f in &failures {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} corpus scripts differ from real Redis:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        ran >= min,
        "only {ran} corpus scripts ran, at least {min} are required \
         (REDIS_CORPUS_MIN; scripts live in {})",
        corpus_dir().display()
    );
}

#[test]
fn timing_lines_within_a_tenth_of_a_second_count_as_equal() {
    let real = "OK\n(1.11s)\n(integer) 1\n";
    assert_eq!(
        align_timings(real, "OK\n(1.10s)\n(integer) 1\n"),
        "OK\n(1.10s)\n(integer) 1\n"
    );
    // Too far apart, or not at the same place: left as they are.
    assert_eq!(align_timings(real, "OK\n(1.30s)\n(integer) 1\n"), real);
    assert_eq!(align_timings(real, "(1.10s)\nOK\n(integer) 1\n"), real);
    assert_eq!(align_timings("(0.50s)", "(0.55s)"), "(0.55s)");
}

#[test]
fn drift_lets_real_integers_trail_by_at_most_n_ms() {
    let ours = "1) (integer) 1\n2) (integer) 1000\nOK\n";
    assert_eq!(
        align_drift("1) (integer) 1\n2) (integer) 999\nOK\n", ours, 5),
        ours
    );
    // Above the playground's, too far below, or at another place: kept.
    let above = "1) (integer) 1\n2) (integer) 1001\nOK\n";
    assert_eq!(align_drift(above, ours, 5), above);
    let far = "1) (integer) 1\n2) (integer) 990\nOK\n";
    assert_eq!(align_drift(far, ours, 5), far);
    let moved = "1) (integer) 1\n(integer) 999\nOK\n";
    assert_eq!(align_drift(moved, ours, 5), moved);
}

#[test]
fn diff_and_unordered_helpers() {
    assert_eq!(strip_numbering(" 9) \"a\""), "\"a\"");
    assert_eq!(strip_numbering("10) 1) \"a\""), "\"a\"");
    assert_eq!(strip_numbering("(integer) 1"), "(integer) 1");
    assert_eq!(
        sorted_lines("1) \"b\"\n2) \"a\"\n"),
        sorted_lines("1) \"a\"\n2) \"b\"\n")
    );
    let d = diff("a\nb\nc\n", "a\nx\nc\n");
    assert!(d.contains("    -b\n    +x\n"), "{d}");
    assert!(d.contains("@@ -1,3 +1,3 @@"), "{d}");
    assert!(!diff("a\n", "a").is_empty());
}

/// Two clients, as redis-cli gives them: `waiter` sends a blocking command
/// (its first line) and, once answered, the rest of its lines; `pusher`
/// runs while it waits. Returns what each printed, from a real server and
/// from the playground (the console blocked, the inspector pushing).
fn two_clients(port: u16, waiter: &[&str], pusher: &[&str]) -> [(String, String); 2] {
    use playground_core::store::{Origin, Store};
    let text = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    // Real: the waiter in the background until the server counts it blocked.
    assert_eq!(redis_cli(port, "FLUSHALL\n"), "OK\n");
    let waiter_input = text(waiter);
    let waiting = std::thread::spawn(move || redis_cli(port, &waiter_input));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !redis_cli(port, "INFO clients\n").contains("blocked_clients:1") {
        assert!(Instant::now() < deadline, "the waiter never blocked");
        std::thread::sleep(Duration::from_millis(20));
    }
    let real_pusher = redis_cli(port, &text(pusher));
    let real_waiter = waiting.join().expect("the waiter's thread");

    let mut store = Store::new();
    let mut ours_waiter = String::new();
    let mut ours_pusher = String::new();
    let (first, rest) = waiter.split_first().expect("a blocking command");
    ours_waiter += &store
        .execute_line_output(0, Origin::Console, first)
        .unwrap_or_default();
    assert!(store.blocked().is_some(), "{first} should wait");
    // The inspector pushes; a transaction needs a console (only consoles
    // open MULTI here), e.g. a second widget's console beside the waiting one.
    let pusher_origin = if pusher.iter().any(|l| l.eq_ignore_ascii_case("MULTI")) {
        Origin::Console
    } else {
        Origin::Keyspace
    };
    for line in pusher {
        ours_pusher += &store
            .execute_line_output(1, pusher_origin, line)
            .unwrap_or_default();
    }
    ours_waiter += &store.take_unblocked().unwrap_or_default();
    for line in rest {
        ours_waiter += &store
            .execute_line_output(2, Origin::Console, line)
            .unwrap_or_default();
    }
    [(real_waiter, ours_waiter), (real_pusher, ours_pusher)]
}

#[test]
fn a_blocked_client_is_served_by_another_client_s_push_as_in_redis() {
    if !oracle_available("the two-client blocking pops") {
        return;
    }
    let server = start_server();
    let cases: [(&[&str], &[&str]); 12] = [
        // The second key of the two is pushed: answered with its name; the
        // push counts the element the waiter then takes.
        (
            &["BLPOP jobs other 5", "EXISTS other"],
            &["RPUSH other j1 j2", "LRANGE other 0 -1"],
        ),
        // A push onto another key leaves it waiting; a push onto its key
        // serves it (BRPOP takes the right end: "a" of LPUSH a b c).
        (
            &["BRPOP q 5", "LRANGE q 0 -1"],
            &["RPUSH elsewhere x", "LPUSH q a b c", "LRANGE q 0 -1"],
        ),
        // A reliable queue: the job moves to the worker's list.
        (
            &["BLMOVE jobs working LEFT RIGHT 5", "LRANGE working 0 -1"],
            &[
                "RPUSH jobs j1 j2",
                "LRANGE jobs 0 -1",
                "LRANGE working 0 -1",
            ],
        ),
        (
            &["BRPOPLPUSH jobs jobs 5", "LRANGE jobs 0 -1"],
            &["RPUSH jobs j1 j2 j3", "LRANGE jobs 0 -1"],
        ),
        // The destination is read when served: a string there is the
        // waiter's WRONGTYPE, and the element stays in the source.
        (
            &["BLMOVE src dest LEFT LEFT 5", "LLEN src"],
            &["SET dest text", "RPUSH src x", "LLEN src"],
        ),
        // A waited-on key that becomes a string does not end the wait; a
        // list made there later serves it.
        (
            &["BLPOP q 5", "EXISTS q"],
            &["SET q str", "DEL q", "RPUSH q a"],
        ),
        // Two keys made ready by one transaction: served from the one that
        // got elements first (Redis's ready list), not the first named.
        (
            &["BLPOP a b 5", "LRANGE a 0 -1"],
            &["MULTI", "RPUSH b x", "RPUSH a y", "EXEC"],
        ),
        // Ready first but emptied, then given elements again: still first.
        (
            &["BLPOP a b 5", "LRANGE a 0 -1", "LRANGE b 0 -1"],
            &[
                "MULTI",
                "RPUSH b x",
                "LPOP b",
                "RPUSH a y",
                "RPUSH b z",
                "EXEC",
            ],
        ),
        // A priority queue: the lowest score is taken once members come.
        (
            &["BZPOPMIN due 5", "ZRANGE due 0 -1 WITHSCORES"],
            &["ZADD due 5 late 1 soon", "ZCARD due"],
        ),
        // A list made on the key does not serve BZPOPMAX; a sorted set does.
        (
            &["BZPOPMAX pq 5", "TYPE pq"],
            &["RPUSH pq a", "DEL pq", "ZADD pq 7 top 3 low"],
        ),
        // BLMPOP takes up to COUNT from the key pushed, nested under it.
        (
            &["BLMPOP 5 2 a b RIGHT COUNT 2", "LRANGE b 0 -1"],
            &["RPUSH b 1 2 3", "LLEN b"],
        ),
        // BZMPOP: members with their scores, in pairs; a list does not serve.
        (
            &["BZMPOP 5 1 due MIN COUNT 5", "EXISTS due"],
            &["RPUSH due x", "DEL due", "ZADD due 3 c 1 a 2 b"],
        ),
    ];
    for (waiter, pusher) in cases {
        let [(real_w, ours_w), (real_p, ours_p)] = two_clients(server.port, waiter, pusher);
        assert_eq!(ours_w, real_w, "the waiter, {waiter:?} / {pusher:?}");
        assert_eq!(ours_p, real_p, "the pusher, {waiter:?} / {pusher:?}");
    }
    // INFO while a client waits, and after: the clients it counts blocked
    // (with a timeout or not), and the blocking command counted once, when
    // it was sent (serving it is not another command).
    let fields = |info: &str| -> Vec<String> {
        info.lines()
            .filter(|l| {
                [
                    "blocked_clients:",
                    "clients_in_timeout_table:",
                    "total_commands_processed:",
                ]
                .iter()
                .any(|f| l.starts_with(f))
            })
            .map(str::to_owned)
            .collect()
    };
    for waiter in ["BLPOP q 5", "BLPOP q 0"] {
        let [(real_w, ours_w), (real_p, ours_p)] = two_clients(
            server.port,
            &[waiter],
            &[
                "INFO clients",
                "CONFIG RESETSTAT",
                "RPUSH q a",
                "INFO stats",
                "INFO clients",
            ],
        );
        assert_eq!(ours_w, real_w);
        assert_eq!(fields(&real_p).len(), 5, "{real_p}");
        assert_eq!(fields(&ours_p), fields(&real_p), "{waiter}");
    }
}

/// INFO commandstats and errorstats after the same session on both:
/// calls, failures and refusals per command (subcommands apart), and error
/// replies by their first word. Lines are compared sorted (Redis lists
/// commands in its table's order) and without `usec` (virtual time here).
#[test]
fn command_and_error_stats_match_real_redis() {
    if !oracle_available("the command and error stats") {
        return;
    }
    use playground_core::store::{Origin, Store};
    let server = start_server();
    load_library(server.port);
    let session = [
        "FLUSHALL",
        "CONFIG RESETSTAT",
        "SET a 1",
        "GET a",
        "GET nosuch",
        "INCR a",
        "LPUSH a x",
        "GET",
        "NOSUCHCMD x",
        "CONFIG GET hz",
        "CONFIG FOO",
        "CONFIG",
        "OBJECT ENCODING a",
        "OBJECT ENCODING",
        "MULTI",
        "INCR a",
        "LPUSH a y",
        "EXEC",
        "MULTI",
        "GET",
        "SET b 2",
        "EXEC",
        "EXEC",
        "DISCARD",
        "WATCH a",
        "UNWATCH",
        "BLPOP q 0.01",
        "RPUSH q j",
        "BLPOP q 0",
        "SET k nan",
        "FCALL pg_gcra 1 k 3 60000 2500",
        "FCALL pg_gcra 1 fresh 3 60000 2500",
        "ZADD z 1 m",
        "BZPOPMIN z 0",
        "INFO commandstats",
        "INFO errorstats",
        "INFO stats",
    ];
    let input: String = session.iter().map(|l| format!("{l}\n")).collect();
    let real = redis_cli(server.port, &input);
    let mut store = Store::new();
    let mut ours = String::new();
    for (i, line) in session.iter().enumerate() {
        // A second a line: BLPOP's 10 ms timeout passes before the next.
        let now = 1_000 * i as u64;
        store.time_out_blocked(now);
        ours += &store
            .execute_line_output(now, Origin::Console, line)
            .unwrap_or_default();
        ours += &store.take_unblocked().unwrap_or_default();
    }
    let lines = |out: &str| -> Vec<String> {
        let mut v: Vec<String> = out
            .lines()
            .filter(|l| {
                l.starts_with("cmdstat_")
                    || l.starts_with("errorstat_")
                    || l.starts_with("total_error_replies:")
                    || l.starts_with("total_commands_processed:")
            })
            .map(|l| {
                // `usec=…,usec_per_call=…,` are timings.
                let mut parts: Vec<&str> = l.split(',').collect();
                parts.retain(|p| !p.starts_with("usec="));
                parts.retain(|p| !p.starts_with("usec_per_call="));
                parts.join(",")
            })
            .collect();
        v.sort();
        v
    };
    let (real_lines, our_lines) = (lines(&real), lines(&ours));
    assert!(
        real_lines.iter().any(|l| l.starts_with("cmdstat_get:")),
        "{real}"
    );
    assert_eq!(our_lines, real_lines, "real session:\n{real}");
}

/// The store's command table against a real server's: every name the
/// store's COMMAND LIST gives (subcommands as `container|sub`) is one
/// Redis 7.0 lists, COUNT counts commands as Redis does, and the names
/// the console calls "real Redis, not simulated" (`cmd::REDIS_ONLY`) are
/// exactly Redis's commands the store lacks.
#[test]
fn the_command_table_is_real_redis_s_less_redis_only() {
    if !oracle_available("the command names") {
        return;
    }
    use playground_core::store::cmd::REDIS_ONLY;
    use playground_core::store::{Origin, Store};
    use std::collections::BTreeSet;
    let server = start_server();
    let names = |out: &str| -> BTreeSet<String> {
        out.lines()
            .map(|l| strip_numbering(l).trim_matches('"').to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let real = names(&redis_cli(server.port, "COMMAND LIST\n"));
    let real_count = redis_cli(server.port, "COMMAND COUNT\n");
    let mut store = Store::new();
    let ours = names(
        &store
            .execute_line_output(0, Origin::Console, "COMMAND LIST")
            .unwrap_or_default(),
    );
    let our_count = store
        .execute_line_output(0, Origin::Console, "COMMAND COUNT")
        .unwrap_or_default();
    let top = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter().filter(|n| !n.contains('|')).cloned().collect()
    };
    assert!(real.contains("config|get"), "{real:?}");
    assert!(
        ours.contains("config|get") && ours.contains("object|encoding"),
        "{ours:?}"
    );
    let unknown: Vec<&String> = ours.difference(&real).collect();
    assert!(
        unknown.is_empty(),
        "names Redis 7.0 does not list: {unknown:?}"
    );
    assert_eq!(real_count.trim(), format!("(integer) {}", top(&real).len()));
    assert_eq!(our_count.trim(), format!("(integer) {}", top(&ours).len()));
    let missing: BTreeSet<String> = top(&real).difference(&top(&ours)).cloned().collect();
    let listed: BTreeSet<String> = REDIS_ONLY.split_whitespace().map(str::to_string).collect();
    assert_eq!(
        listed.difference(&missing).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in REDIS_ONLY but the store has them, or Redis does not"
    );
    assert_eq!(
        missing.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "Redis commands the store lacks, missing from REDIS_ONLY"
    );
}

/// redis-cli's text without its colours and carriage returns.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            // An SGR sequence: ESC [ … m.
            '\u{1b}' => {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The console's `help <command>` for every command and container the
/// store has is redis-cli's, byte for byte (colours aside); `help @group`
/// is redis-cli's list less the commands the store lacks.
#[test]
fn help_is_redis_cli_s_for_every_command_here() {
    if !oracle_available("the help texts") {
        return;
    }
    use playground_core::store::cmd::{docs, GROUPS};
    use playground_core::store::{Origin, Store};
    let server = start_server();
    let mut store = Store::new();
    let mut ours = |line: &str| {
        store
            .execute_line_output(0, Origin::Console, line)
            .unwrap_or_default()
    };
    let mut lines: Vec<String> = GROUPS
        .iter()
        .flat_map(|g| g.iter())
        .map(|s| format!("help {}", s.name))
        .collect();
    lines.push("help object encoding".into());
    lines.push("help CONFIG get".into());
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let real = plain(&redis_cli(server.port, &input));
    let mine: String = lines.iter().map(|l| ours(l)).collect();
    assert!(real.contains("\n  SET key value [NX|XX]"), "{real}");
    assert!(mine == real, "{}", diff(&real, &mine));

    // Groups: redis-cli's blocks for the commands the store has.
    let mut groups: Vec<&str> = docs::docs().map(|d| d.group).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let line = format!("help @{group}");
        let real = plain(&redis_cli(server.port, &format!("{line}\n")));
        let kept: String = real
            .split("\n\n")
            .filter(|block| {
                let head = block.trim_start_matches('\n');
                let name: Vec<&[u8]> = head
                    .trim_start()
                    .split(' ')
                    .take_while(|w| {
                        !w.is_empty()
                            && w.bytes()
                                .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-')
                    })
                    .map(str::as_bytes)
                    .collect();
                // A container's subcommand is two upper-case words
                // ("OBJECT ENCODING key"); a command the store lacks has
                // no entry, whatever its first argument looks like.
                docs::doc(&name).is_some()
            })
            .map(|b| format!("{b}\n\n"))
            .collect();
        let mine = ours(&line);
        assert!(!mine.is_empty());
        assert!(kept.trim() == mine.trim(), "{line}: {}", diff(&kept, &mine));
    }
}

/// A real redis-cli that SUBSCRIBEs (or PSUBSCRIBEs) in the background and
/// a second client that publishes, against the playground's console
/// subscribed and its inspector publishing: what each client prints.
fn subscriber_and_publisher(
    port: u16,
    subscribe: &str,
    publisher: &[&str],
) -> [(String, String); 2] {
    use playground_core::store::{Origin, Store};
    use std::io::Read;
    let text = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    assert_eq!(redis_cli(port, "FLUSHALL\n"), "OK\n");
    let mut child = Command::new(REDIS_CLI)
        .args(["--no-raw", "-p", &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-cli for the subscriber");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(format!("{subscribe}\n").as_bytes());
    }
    // Subscribed once the server counts its channels or patterns.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let info = redis_cli(port, "PUBSUB NUMPAT\nPUBSUB CHANNELS\n");
        if info != "(integer) 0\n(empty array)\n" {
            break;
        }
        assert!(Instant::now() < deadline, "the subscriber never subscribed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let real_publisher = redis_cli(port, &text(publisher));
    // The messages reach the subscriber's terminal; then Ctrl-C.
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let mut real_subscriber = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut real_subscriber);
    }
    let _ = child.wait();

    let mut store = Store::new();
    let mut ours_subscriber = store
        .execute_line_output(0, Origin::Console, subscribe)
        .unwrap_or_default();
    assert!(
        store.blocked().is_some(),
        "{subscribe} should read messages"
    );
    let mut ours_publisher = String::new();
    let mut now = 1;
    for line in publisher {
        ours_publisher += &store
            .execute_line_output(now, Origin::Keyspace, line)
            .unwrap_or_default();
        // A DEBUG SLEEP lets its (virtual) time pass, as the CLI does.
        now += store.take_sleep();
        ours_subscriber += &store.take_unblocked().unwrap_or_default();
    }
    [
        (real_subscriber, ours_subscriber),
        (real_publisher, ours_publisher),
    ]
}

#[test]
fn a_subscribed_console_prints_what_another_client_publishes_as_redis_cli_does() {
    if !oracle_available("the subscribed clients") {
        return;
    }
    let server = start_server();
    let cases: [(&str, &[&str]); 7] = [
        (
            "SUBSCRIBE news sport",
            &[
                "PUBLISH news hello",
                "PUBLISH other x",
                "PUBLISH sport \"a b\"",
                "PUBSUB NUMSUB news sport other",
                "PUBSUB NUMPAT",
            ],
        ),
        (
            "PSUBSCRIBE news.* h?llo",
            &[
                "PUBLISH news.tech a",
                "PUBLISH hello b",
                "PUBLISH news c",
                "PUBSUB NUMPAT",
                "PUBSUB CHANNELS",
            ],
        ),
        // Keyspace notifications: a key found expired by a GET (the active
        // cycle off, so nothing else finds it first) is announced on its
        // keyspace channel, then on the `expired` keyevent channel.
        (
            "PSUBSCRIBE __key*__:*",
            &[
                "CONFIG SET notify-keyspace-events KEx",
                "DEBUG SET-ACTIVE-EXPIRE 0",
                "SET session:1 v PX 1",
                "SET other v",
                "DEBUG SLEEP 0.01",
                "GET session:1",
                "GET other",
                "CONFIG GET notify-keyspace-events",
                "CONFIG SET notify-keyspace-events \"\"",
                "DEBUG SET-ACTIVE-EXPIRE 1",
            ],
        ),
        // The list, set and sorted-set commands' events (KEA): the `del` of
        // a key a command empties comes where Redis sends it (after the
        // pop; SMOVE's before its `sadd`), and nothing where nothing changed.
        (
            "PSUBSCRIBE __key*__:*",
            &[
                "CONFIG SET notify-keyspace-events KEA",
                "RPUSH l a b",
                "LPOP l",
                "RPOP l",
                "RPUSH l2 x",
                "LMOVE l2 l3 LEFT RIGHT",
                "LREM l3 0 x",
                "RPUSH l4 a",
                "LTRIM l4 1 0",
                "RPUSH l5 a",
                "LMPOP 1 l5 LEFT",
                "RPUSH l6 a",
                "RPOPLPUSH l6 l6",
                "SADD s a",
                "SREM s a",
                "SADD s1 a",
                "SMOVE s1 s2 a",
                "SADD s3 a",
                "SPOP s3 5",
                "SADD s6 a",
                "SPOP s6",
                "SADD s4 a",
                "SINTERSTORE s4 nokey",
                "SINTERSTORE s5 nokey",
                "SADD s7 a",
                "SDIFFSTORE s7 s7",
                "ZADD z 1 a",
                "ZREM z a",
                "ZADD z1 1 a 2 b",
                "ZPOPMIN z1 5",
                "ZADD z2 1 a",
                "ZREMRANGEBYSCORE z2 0 10",
                "ZADD z3 1 a",
                "ZUNIONSTORE z3 1 nokey",
                "ZADD z4 1 a",
                "ZRANGESTORE z4 nokey 0 -1",
                "ZADD z5 1 a",
                "ZREMRANGEBYRANK z5 0 -1",
                "ZADD z6 1 a",
                "ZREMRANGEBYLEX z6 - +",
                "ZADD z7 1 a",
                "ZMPOP 1 z7 MIN",
                "HSET hh f v",
                "HDEL hh f",
                "RPUSH l7 a",
                "DEL l7",
                "FLUSHALL",
                "RPUSH l a b c",
                "LPUSH l z",
                "RPUSHX l y",
                "LPUSHX nol y",
                "LPOP l",
                "RPOP l 2",
                "LINSERT l BEFORE a q",
                "LINSERT l BEFORE nope q",
                "LSET l 0 w",
                "LREM l 0 w",
                "LREM l 0 nope",
                "LTRIM l 0 0",
                "LTRIM l 0 -1",
                "RPUSH src a b",
                "LMOVE src dst LEFT RIGHT",
                "RPOPLPUSH src dst",
                "RPOPLPUSH dst dst",
                "BLPOP dst 1",
                "LMPOP 1 dst RIGHT COUNT 5",
                "SADD s a b",
                "SADD s a",
                "SREM s a nope",
                "SREM s nope",
                "SMOVE s s2 b",
                "SMOVE s2 s3 nope",
                "SADD s4 1",
                "SPOP s4",
                "SADD s5 1 2",
                "SPOP s5 0",
                "SINTERSTORE s6 s5 s5",
                "SUNIONSTORE s7 s5",
                "SDIFFSTORE s8 s5 s5",
                "SADD s9 1",
                "SPOP s9 3",
                "ZADD z 1 a 2 b",
                "ZADD z 1 a",
                "ZADD z INCR 5 a",
                "ZINCRBY z 1 b",
                "ZADD z XX 9 nope",
                "ZREM z a nope",
                "ZREM z nope",
                "ZADD z 1 c 2 d 3 e",
                "ZREMRANGEBYSCORE z 1 1",
                "ZREMRANGEBYRANK z 0 0",
                "ZREMRANGEBYLEX z [a [b",
                "ZADD zz 1 a 2 b 3 c",
                "ZPOPMIN zz",
                "ZPOPMAX zz 5",
                "ZADD z1 1 a",
                "ZUNIONSTORE z2 1 z1",
                "ZINTERSTORE z3 1 z1",
                "ZDIFFSTORE z4 1 z1",
                "ZRANGESTORE z5 z1 0 -1",
                "ZADD z6 1 x",
                "ZMPOP 1 z6 MIN",
                "ZADD z7 1 x",
                "BZPOPMAX z7 1",
                "CONFIG SET notify-keyspace-events \"\"",
            ],
        ),
        // New keys (n): `new` comes first, where Redis's dbAdd sends it,
        // also for a key made again after it expired or was renamed over.
        (
            "PSUBSCRIBE __key*__:*",
            &[
                "CONFIG SET notify-keyspace-events KEAn",
                "SET a 1",
                "SET a 2",
                "SET gone 1 PX 1",
                "DEBUG SLEEP 0.01",
                "SET gone 2",
                "RPUSH l x",
                "RPUSH l y",
                "RENAME l l2",
                "SET r 1",
                "RENAME l2 r",
                "COPY r l3",
                "COPY r l3 REPLACE",
                "LMOVE r l4 LEFT LEFT",
                "SADD s a",
                "SMOVE s s2 a",
                "SINTERSTORE s5 s2",
                "ZADD z 1 a",
                "ZUNIONSTORE z2 1 z",
                "HSET h f v",
                "INCR n",
                "SETBIT b 1 1",
                "BITOP NOT b2 b",
                "APPEND ap x",
                "SETRANGE sr 1 x",
                "SETRANGE sr2 0 \"\"",
                "GETSET gs 1",
                "MSET m1 1 m2 2",
                "INCRBYFLOAT f 1",
                "CONFIG SET notify-keyspace-events \"\"",
            ],
        ),
        // Every event the generic, string and hash commands send (KEA),
        // in Redis's order, and none where a command changed nothing.
        (
            "PSUBSCRIBE __key*__:*",
            &[
                "CONFIG SET notify-keyspace-events KEA",
                "SET a 1",
                "SET a 2 EX 100",
                "SET a 3 NX",
                "SET b x XX",
                "SETNX c 1",
                "SETEX d 10 v",
                "PSETEX e 100000 v",
                "GETSET a 5",
                "SET a 6 GET",
                "SET a 7 KEEPTTL",
                "MSET m1 1 m2 2",
                "MSETNX m1 1 m3 3",
                "MSETNX n1 1 n2 2",
                "INCR i",
                "DECR i",
                "INCRBY i 5",
                "DECRBY i 2",
                "INCRBYFLOAT f 1.5",
                "INCR a:str",
                "APPEND s abc",
                "SETRANGE s 1 Z",
                "SETRANGE empty 0 \"\"",
                "SETRANGE s 0 \"\"",
                "GETDEL s",
                "GETDEL nokey",
                "GETEX a EX 50",
                "GETEX a PERSIST",
                "GETEX a",
                "GETEX nokey EX 5",
                "GETEX a PX -1",
                "SET x 1",
                "EXPIRE x 100",
                "EXPIRE x 100 NX",
                "PEXPIRE x 5000",
                "EXPIREAT x 99999999999",
                "PERSIST x",
                "PERSIST x",
                "EXPIRE x -1",
                "SET x 1",
                "PEXPIREAT x 1",
                "SET y 1",
                "DEL y nokey",
                "SET y 1",
                "UNLINK y",
                "SET r1 1",
                "RENAME r1 r2",
                "SET r3 1",
                "RENAMENX r2 r3",
                "RENAMENX r2 r4",
                "COPY r4 r5",
                "COPY r4 r5",
                "COPY r4 r5 REPLACE",
                "HSET h f 1 g 2",
                "HSETNX h f 9",
                "HSETNX h k 9",
                "HMSET h a 1",
                "HINCRBY h n 1",
                "HINCRBYFLOAT h x 1.5",
                "HDEL h f nof",
                "HDEL h g k a n x",
                "SETBIT bits 3 1",
                "SETBIT bits 3 1",
                "SET b1 a",
                "BITOP NOT b2 b1",
                "BITOP AND b2 nokey1 nokey2",
                "BITOP AND b9 nokey1",
                "EXPIRE nokey 10",
                "TOUCH a",
                "SETBIT nb 3 0",
                "SETBIT nb 3 0",
                "SETBIT nb 3 1",
                "SETBIT nb 100 0",
                "HINCRBY h2 f 1",
                "HSET h2 f notanumber",
                "HINCRBY h2 f 1",
                "SET h2 v GET",
                "INCR a",
                "HSETNX newhash f 1",
                "GETEX x PERSIST",
                "SET p 1 EX 100",
                "GETEX p PERSIST",
                "GETEX p PERSIST",
                "GETEX p PXAT 1",
                "CONFIG SET notify-keyspace-events \"\"",
            ],
        ),
        // Key misses (`m`, which `A` leaves out): announced wherever a read
        // counts a miss, never for a write's lookup, and not for OBJECT
        // (Redis looks its key up with LOOKUP_NONOTIFY).
        (
            "PSUBSCRIBE __key*__:*",
            &[
                "CONFIG SET notify-keyspace-events KEA",
                "GET quiet",
                "CONFIG SET notify-keyspace-events KEm",
                "CONFIG GET notify-keyspace-events",
                "GET nokey",
                "MGET a nokey b",
                "SET a 1",
                "GET a",
                "STRLEN nokey",
                "GETRANGE nokey 0 1",
                "EXISTS a nokey",
                "TYPE nokey",
                "TTL nokey",
                "PTTL nokey",
                "EXPIRETIME nokey",
                "OBJECT ENCODING nokey",
                "OBJECT FREQ nokey",
                "HGET nokey f",
                "HGETALL nokey",
                "LRANGE nokey 0 -1",
                "LLEN nokey",
                "SMEMBERS nokey",
                "SISMEMBER nokey m",
                "ZSCORE nokey m",
                "ZRANGE nokey 0 -1",
                "GETBIT nokey 1",
                "BITCOUNT nokey",
                "INCR counter",
                "DEL nokey",
                "APPEND app x",
                "RPUSH l a",
                "LPOP nolist",
                "GETDEL nokey",
                "SET px 1 PX 1",
                "DEBUG SET-ACTIVE-EXPIRE 0",
                "DEBUG SLEEP 0.01",
                "GET px",
                "DEBUG SET-ACTIVE-EXPIRE 1",
                "SUNION nokey a2",
                "ZUNIONSTORE dst 2 nokey nokey2",
                "CONFIG SET notify-keyspace-events KEAm",
                "GET nokey",
                "CONFIG GET notify-keyspace-events",
                "CONFIG SET notify-keyspace-events \"\"",
            ],
        ),
    ];
    for (subscribe, publisher) in cases {
        let [(real_s, ours_s), (real_p, ours_p)] =
            subscriber_and_publisher(server.port, subscribe, publisher);
        assert_eq!(ours_s, real_s, "the subscriber, {subscribe}");
        assert_eq!(ours_p, real_p, "the publisher, {subscribe}");
    }
    // INFO stats counts the channels and patterns subscribed to.
    let pubsub_lines = |info: &str| -> Vec<String> {
        info.lines()
            .filter(|l| l.starts_with("pubsub_"))
            .map(str::to_owned)
            .collect()
    };
    for subscribe in ["SUBSCRIBE a b", "PSUBSCRIBE p*"] {
        let [_, (real_p, ours_p)] =
            subscriber_and_publisher(server.port, subscribe, &["INFO stats"]);
        assert_eq!(pubsub_lines(&real_p).len(), 2, "{real_p}");
        assert_eq!(pubsub_lines(&ours_p), pubsub_lines(&real_p), "{subscribe}");
    }
}
