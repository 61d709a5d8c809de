//! `playground-cli`: the playground's store on the command line.
//!
//! Reads command lines from standard input, one per line, runs them in order
//! against one new store through the same executor the browser console uses,
//! and prints each reply as `redis-cli --no-raw` would. The virtual clock
//! stands still except through `DEBUG SLEEP`, which moves it on like a
//! blocked server (no expiry cycle runs meanwhile). With a terminal on stdin
//! it shows a prompt, marked `(TX)` inside MULTI as redis-cli does.

use std::io::{self, BufRead, IsTerminal, Write};

use playground_core::store::{reply, Origin, Store};

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => console(None),
        // The differential test compares this feed with redis-server's.
        Some("--monitor") => match args.get(1) {
            Some(path) => console(Some(path)),
            None => {
                eprintln!("playground-cli: --monitor needs a FILE\n{USAGE}");
                std::process::exit(2);
            }
        },
        Some("scenario") => scenario(args.get(1..).unwrap_or_default()),
        Some("compare") => compare(args.get(1..).unwrap_or_default()),
        Some(other) => {
            eprintln!("playground-cli: unknown argument “{other}”\n{USAGE}");
            std::process::exit(2);
        }
    }
}

const USAGE: &str = "usage: playground-cli                         redis-cli-like console on stdin\n       playground-cli --monitor FILE          the same, then writes its MONITOR feed to FILE as Redis prints it (no CONFIG, no DEBUG)\n       playground-cli scenario FILE|- [--seed N]  run a scenario script\n       playground-cli compare ALGORITHMS|all MAX/WINDOW_S ARRIVALS… [--client-side]\n                                                replay arrivals (e.g. 9999x5 10000x5@bob) through limiters";

/// `playground-cli scenario FILE [--seed N]` (`-` reads stdin).
fn scenario(args: &[String]) -> io::Result<()> {
    let mut file = None;
    let mut seed = playground_core::scenario::DEFAULT_SEED;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("playground-cli: --seed needs a whole number\n{USAGE}");
                    std::process::exit(2);
                }
            },
            f if file.is_none() => file = Some(f.to_string()),
            extra => {
                eprintln!("playground-cli: unexpected argument “{extra}”\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("playground-cli: scenario needs a FILE (or - for stdin)\n{USAGE}");
        std::process::exit(2);
    };
    let script = if file == "-" {
        let mut s = String::new();
        io::Read::read_to_string(&mut io::stdin(), &mut s)?;
        s
    } else {
        std::fs::read_to_string(&file)
            .map_err(|e| io::Error::new(e.kind(), format!("{file}: {e}")))?
    };
    let mut out = io::stdout().lock();
    match playground_core::scenario::run(&script, seed) {
        Ok(text) => out.write_all(text.as_bytes()),
        Err((text, err)) => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
            eprintln!("playground-cli: {file}: {err}");
            std::process::exit(1);
        }
    }
}

/// `playground-cli compare gcra,fixed-aligned 5/10 9999x5 10000x5`: the
/// scenario step `COMPARE`, on its own (`--client-side` for
/// `RATE_LIMIT_ATOMIC=false`).
fn compare(args: &[String]) -> io::Result<()> {
    let client_side = args.iter().any(|a| a == "--client-side");
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--client-side")
        .collect();
    if words.len() < 3 {
        eprintln!("playground-cli: compare needs algorithms, MAX/WINDOW_S and arrivals\n{USAGE}");
        std::process::exit(2);
    }
    let mut script = String::new();
    if client_side {
        script.push_str("ENV RATE_LIMIT_ATOMIC=false\n");
    }
    script.push_str(&format!("COMPARE {}\n", words.join(" ")));
    let mut out = io::stdout().lock();
    match playground_core::scenario::run(&script, playground_core::scenario::DEFAULT_SEED) {
        Ok(text) => out.write_all(text.as_bytes()),
        Err((_, err)) => {
            eprintln!("playground-cli: compare: {}", err.message);
            std::process::exit(2);
        }
    }
}

fn console(monitor: Option<&str>) -> io::Result<()> {
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = io::stdout().lock();
    let mut store = Store::new();
    let mut now = 0;
    let prompt = |out: &mut io::StdoutLock<'_>, tx: bool| -> io::Result<()> {
        if interactive {
            write!(out, "playground{}> ", if tx { "(TX)" } else { "" })?;
            out.flush()?;
        }
        Ok(())
    };
    prompt(&mut out, false)?;
    for line in stdin.lock().split(b'\n') {
        let line = line?;
        // Bytes that are not UTF-8 are kept as well as a &str allows.
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        if let Some(output) = store.execute_line_output(now, Origin::Console, text) {
            out.write_all(output.as_bytes())?;
        }
        // redis-cli prints how long a command took once it is 0.5 s or more
        // (here: the virtual time a DEBUG SLEEP let pass).
        let slept = store.take_sleep();
        out.write_all(reply::elapsed_line(slept).as_bytes())?;
        now += slept;
        // A blocking command on an empty list: no other client here can
        // push, so it waits out its timeout on the virtual clock, as
        // redis-cli would in real time.
        while let Some(deadline) = store.blocked().map(|b| b.request.deadline) {
            match deadline {
                Some(at) => {
                    now = now.max(at);
                    store.time_out_blocked(now);
                }
                None => {
                    eprintln!("playground-cli: this would wait for ever (no other client can push or publish here): ended");
                    store.cancel_blocked(now);
                }
            }
        }
        if let Some(text) = store.take_unblocked() {
            out.write_all(text.as_bytes())?;
        }
        prompt(&mut out, store.in_transaction_mode())?;
    }
    if let Some(path) = monitor {
        let feed = store.monitor();
        let kept = feed.entries().count() as u64;
        if kept < feed.total() {
            eprintln!(
                "playground-cli: the MONITOR feed kept the last {kept} of {} commands",
                feed.total()
            );
        }
        // As Redis prints it: without the admin commands it hides.
        let text: String = feed
            .entries()
            .filter(|e| !e.is_admin())
            .map(|e| e.redis_line() + "\n")
            .collect();
        std::fs::write(path, text)?;
    }
    Ok(())
}
