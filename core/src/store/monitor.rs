//! A MONITOR-style feed: every command the store executed, in order, with the
//! virtual time it ran at and who sent it. The console, the API flows and the
//! CLI all go through the same executor, so this is the whole truth.

use std::collections::VecDeque;

use super::args::join_args;
use crate::time::{format_clock, Millis};

/// Who sent a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The simulated API, on behalf of request number `request`.
    Api { request: u64 },
    /// Typed into a console or fed to the CLI.
    Console,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorEntry {
    /// Position in the whole feed since the store was created (never reused).
    pub seq: u64,
    pub at: Millis,
    pub origin: Origin,
    pub args: Vec<Vec<u8>>,
}

impl MonitorEntry {
    /// The command as one would type it, e.g. `SET product:1 "{…}" EX 10`.
    pub fn command_line(&self) -> String {
        join_args(&self.args)
    }

    /// `00:01.234 [api #3] GET product:1`
    pub fn to_line(&self) -> String {
        let who = match self.origin {
            Origin::Api { request } => format!("api #{request}"),
            Origin::Console => "console".to_string(),
        };
        format!(
            "{} [{}] {}",
            format_clock(self.at),
            who,
            self.command_line()
        )
    }
}

/// Argument buffers up to this capacity are reused when the ring wraps.
const REUSE_LIMIT: usize = 256;

/// A bounded feed: the oldest entries fall off past `capacity`.
#[derive(Debug)]
pub struct Monitor {
    entries: VecDeque<MonitorEntry>,
    capacity: usize,
    next_seq: u64,
}

impl Monitor {
    pub fn new(capacity: usize) -> Self {
        Monitor {
            entries: VecDeque::with_capacity(capacity.min(1024)),
            capacity: capacity.max(1),
            next_seq: 0,
        }
    }

    pub fn record(&mut self, at: Millis, origin: Origin, args: &[Vec<u8>]) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.entries.len() < self.capacity {
            self.entries.push_back(MonitorEntry {
                seq,
                at,
                origin,
                args: args.to_vec(),
            });
            return;
        }
        // Full: the oldest entry's buffers are reused for the newest, so a
        // busy store does not allocate and free for every command it logs.
        let Some(mut entry) = self.entries.pop_front() else {
            return;
        };
        entry.seq = seq;
        entry.at = at;
        entry.origin = origin;
        entry.args.truncate(args.len());
        for (dst, src) in entry.args.iter_mut().zip(args) {
            // Do not let one huge argument pin its buffer in the ring.
            if dst.capacity() > REUSE_LIMIT.max(src.len().saturating_mul(2)) {
                *dst = src.clone();
            } else {
                dst.clone_from(src);
            }
        }
        let reused = entry.args.len();
        entry.args.extend(args.iter().skip(reused).cloned());
        self.entries.push_back(entry);
    }

    /// Entries oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &MonitorEntry> {
        self.entries.iter()
    }

    /// How many commands were ever recorded (including those that fell off).
    pub fn total(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn ring_keeps_the_newest_entries_exactly() {
        let mut m = Monitor::new(3);
        let cmds = [
            args(&["SET", "a", "1"]),
            args(&["GET", "a"]),
            args(&["DEL", "a", "b", "c"]),
            args(&["PING"]),
            args(&["SET", "k", &"x".repeat(1000)]),
            args(&["INCR", "n"]),
        ];
        for (i, c) in cmds.iter().enumerate() {
            m.record(i as Millis * 10, Origin::Console, c);
        }
        let kept: Vec<&MonitorEntry> = m.entries().collect();
        assert_eq!(kept.len(), 3);
        for (entry, (i, c)) in kept.iter().zip(cmds.iter().enumerate().skip(3)) {
            assert_eq!(entry.seq, i as u64);
            assert_eq!(entry.at, i as Millis * 10);
            assert_eq!(&entry.args, c);
        }
        assert_eq!(m.total(), 6);
    }
}
