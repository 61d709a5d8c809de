//! `playground-cli`: the playground's store on the command line.
//!
//! Reads command lines from standard input, one per line, runs them in order
//! against one new store through the same executor the browser console uses,
//! and prints each reply as `redis-cli --no-raw` would. The virtual clock
//! stands still, so TTLs only change through commands that move time.
//! With a terminal on stdin it shows a prompt.

use std::io::{self, BufRead, IsTerminal, Write};

use playground_core::store::{Origin, Store};

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = io::stdout().lock();
    let mut store = Store::new();
    let now = 0;
    let prompt = |out: &mut io::StdoutLock<'_>| -> io::Result<()> {
        if interactive {
            write!(out, "playground> ")?;
            out.flush()?;
        }
        Ok(())
    };
    prompt(&mut out)?;
    for line in stdin.lock().split(b'\n') {
        let line = line?;
        // Bytes that are not UTF-8 are kept as well as a &str allows.
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        match store.execute_line(now, Origin::Console, text) {
            None => {}
            Some(Err(msg)) => writeln!(out, "{msg}")?,
            Some(Ok(reply)) => writeln!(out, "{}", reply.to_cli())?,
        }
        prompt(&mut out)?;
    }
    Ok(())
}
