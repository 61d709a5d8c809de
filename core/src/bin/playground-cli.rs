//! `playground-cli`: the playground's store on the command line.
//!
//! Reads command lines from standard input, one per line, runs them in order
//! against one new store through the same executor the browser console uses,
//! and prints each reply as `redis-cli --no-raw` would. The virtual clock
//! stands still except through `DEBUG SLEEP`, which moves it on like a
//! blocked server (no expiry cycle runs meanwhile). With a terminal on stdin
//! it shows a prompt, marked `(TX)` inside MULTI as redis-cli does.

use std::io::{self, BufRead, IsTerminal, Write};

use playground_core::store::{Origin, Store};

fn main() -> io::Result<()> {
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
        if slept >= 500 {
            writeln!(out, "({:.2}s)", slept as f64 / 1000.0)?;
        }
        now += slept;
        prompt(&mut out, store.in_transaction_mode())?;
    }
    Ok(())
}
