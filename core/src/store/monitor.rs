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
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(MonitorEntry {
            seq: self.next_seq,
            at,
            origin,
            args: args.to_vec(),
        });
        self.next_seq += 1;
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
