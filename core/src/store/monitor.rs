//! A MONITOR-style feed: every command the store executed, in order, with the
//! virtual time it ran at and who sent it. The console, the API flows and the
//! CLI all go through the same executor, so this is the whole truth.

use super::args::join_args;
use super::reply::push_repr;
use crate::time::{format_clock, Millis};

/// Who sent a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The simulated API, on behalf of request number `request`.
    Api { request: u64 },
    /// Typed into a console or fed to the CLI.
    Console,
    /// The keyspace view's key inspector (Delete, Persist, Expire). A
    /// client of its own, as Redis Insight is beside redis-cli: its commands
    /// never join a transaction the console has open.
    Keyspace,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorEntry {
    /// Position in the whole feed since the store was created (never reused).
    pub seq: u64,
    pub at: Millis,
    pub origin: Origin,
    /// Run by a function that `origin` called (FCALL): Redis's MONITOR
    /// shows these as `[0 lua]`.
    pub script: bool,
    pub args: ArgList,
}

impl MonitorEntry {
    /// The command as one would type it, e.g. `SET product:1 "{…}" EX 10`.
    pub fn command_line(&self) -> String {
        let args: Vec<&[u8]> = self.args.iter().collect();
        join_args(&args)
    }

    /// Who sent it, as the log shows it: `api #3`, `console`, and ` lua`
    /// after either for a command a function ran.
    pub fn who(&self) -> String {
        let who = match self.origin {
            Origin::Api { request } => format!("api #{request}"),
            Origin::Console => "console".to_string(),
            Origin::Keyspace => "keyspace".to_string(),
        };
        if self.script {
            who + " lua"
        } else {
            who
        }
    }

    /// Redis 7.0's admin commands among the store's: DEBUG, and every
    /// CONFIG subcommand but HELP. A real MONITOR does not show them; the
    /// playground's view does, marked, so a reader sees what changed.
    pub fn is_admin(&self) -> bool {
        let mut args = self.args.iter();
        match (args.next(), args.next()) {
            (Some(n), _) if n.eq_ignore_ascii_case(b"debug") => true,
            (Some(n), sub) if n.eq_ignore_ascii_case(b"config") => {
                !sub.is_some_and(|s| s.eq_ignore_ascii_case(b"help"))
            }
            _ => false,
        }
    }

    /// What a real Redis's MONITOR prints after its timestamp, with the
    /// client address replaced by `client`: `[0 client] "SET" "k" "v"`,
    /// `[0 lua] "INCR" "rl"`. Arguments as Redis's `sdscatrepr` quotes them.
    /// The differential test compares this with redis-server's own feed.
    pub fn redis_line(&self) -> String {
        self.redis_line_as("client")
    }

    /// [`redis_line`](Self::redis_line) with `client` where Redis prints the
    /// client's address (a function's commands still say `lua`).
    pub fn redis_line_as(&self, client: &str) -> String {
        let mut out = String::from("[0 ");
        out.push_str(if self.script { "lua" } else { client });
        out.push(']');
        for arg in self.args.iter() {
            out.push(' ');
            push_repr(&mut out, arg);
        }
        out
    }

    /// `00:01.234 [api #3] GET product:1`, `00:01.236 [api #4 lua] INCR rl:…`
    pub fn to_line(&self) -> String {
        let who = self.who();
        format!(
            "{} [{}] {}",
            format_clock(self.at),
            who,
            self.command_line()
        )
    }
}

/// Bytes of arguments (with their length prefixes) kept inside the entry.
const INLINE: usize = 104;

/// A command's arguments, stored back to back, each after its length (4
/// bytes, little endian). Short commands (all the API's but a product SET)
/// live inside the entry itself, so the ring is one contiguous block that
/// is written in order: a ring of separately allocated argument vectors
/// cost a few cache misses per recorded command, because the slot being
/// reused had gone cold since the ring last came round.
#[derive(Clone)]
pub struct ArgList {
    /// Bytes used in `inline`, or `None` when the arguments are in `spill`.
    inline_len: Option<u8>,
    inline: [u8; INLINE],
    spill: Vec<u8>,
}

/// Spilled buffers up to this capacity are kept for the next long command.
const REUSE_LIMIT: usize = 4_096;

impl ArgList {
    fn new() -> Self {
        ArgList {
            inline_len: Some(0),
            inline: [0; INLINE],
            spill: Vec::new(),
        }
    }

    /// Replaces the contents with `args`.
    fn set<A: AsRef<[u8]>>(&mut self, args: &[A]) {
        let encoded: usize = args.iter().map(|a| a.as_ref().len() + 4).sum();
        if encoded <= INLINE {
            let mut at = 0;
            for a in args {
                let a = a.as_ref();
                // Fits: `encoded` counted every byte written here.
                if let Some(dst) = self.inline.get_mut(at..at + 4 + a.len()) {
                    let (len, bytes) = dst.split_at_mut(4);
                    len.copy_from_slice(&(a.len() as u32).to_le_bytes());
                    bytes.copy_from_slice(a);
                }
                at += 4 + a.len();
            }
            self.inline_len = Some(at as u8);
            if self.spill.capacity() > REUSE_LIMIT {
                self.spill = Vec::new();
            }
            return;
        }
        self.inline_len = None;
        // Do not let one huge command pin its buffer in the ring.
        if self.spill.capacity() > REUSE_LIMIT.max(encoded.saturating_mul(2)) {
            self.spill = Vec::new();
        }
        self.spill.clear();
        self.spill.reserve_exact(encoded);
        for a in args {
            let a = a.as_ref();
            self.spill
                .extend_from_slice(&(a.len() as u32).to_le_bytes());
            self.spill.extend_from_slice(a);
        }
    }

    fn encoded(&self) -> &[u8] {
        match self.inline_len {
            Some(n) => self.inline.get(..usize::from(n)).unwrap_or_default(),
            None => &self.spill,
        }
    }

    /// The arguments, the command name first.
    pub fn iter(&self) -> ArgIter<'_> {
        ArgIter {
            rest: self.encoded(),
        }
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.encoded().is_empty()
    }

    /// The arguments as owned vectors.
    pub fn to_vecs(&self) -> Vec<Vec<u8>> {
        self.iter().map(<[u8]>::to_vec).collect()
    }
}

impl PartialEq for ArgList {
    fn eq(&self, other: &Self) -> bool {
        self.encoded() == other.encoded()
    }
}

impl Eq for ArgList {}

impl std::fmt::Debug for ArgList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(String::from_utf8_lossy))
            .finish()
    }
}

/// Iterator over an [`ArgList`].
pub struct ArgIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for ArgIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let (len, rest) = self.rest.split_first_chunk::<4>()?;
        let n = u32::from_le_bytes(*len) as usize;
        let (arg, rest) = rest.split_at_checked(n)?;
        self.rest = rest;
        Some(arg)
    }
}

/// A bounded feed: the oldest entries fall off past `capacity`.
#[derive(Debug)]
pub struct Monitor {
    /// A ring: once full, `head` is the oldest entry and the next to be
    /// overwritten in place (no moving of entries in and out of a deque).
    entries: Vec<MonitorEntry>,
    head: usize,
    capacity: usize,
    next_seq: u64,
}

impl Monitor {
    pub fn new(capacity: usize) -> Self {
        Monitor {
            entries: Vec::with_capacity(capacity.clamp(1, 1024)),
            head: 0,
            capacity: capacity.max(1),
            next_seq: 0,
        }
    }

    pub fn record<A: AsRef<[u8]>>(&mut self, at: Millis, origin: Origin, args: &[A]) {
        self.push(at, origin, false, args);
    }

    /// A command run by a function that `origin` called.
    pub fn record_script<A: AsRef<[u8]>>(&mut self, at: Millis, origin: Origin, args: &[A]) {
        self.push(at, origin, true, args);
    }

    fn push<A: AsRef<[u8]>>(&mut self, at: Millis, origin: Origin, script: bool, args: &[A]) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.entries.len() < self.capacity {
            let mut entry = MonitorEntry {
                seq,
                at,
                origin,
                script,
                args: ArgList::new(),
            };
            entry.args.set(args);
            self.entries.push(entry);
            return;
        }
        // Full: the oldest entry is overwritten in place (its spilled buffer
        // reused too, if any), so a busy store allocates nothing per command.
        let Some(entry) = self.entries.get_mut(self.head) else {
            return;
        };
        entry.seq = seq;
        entry.at = at;
        entry.origin = origin;
        entry.script = script;
        entry.args.set(args);
        self.head = (self.head + 1) % self.capacity;
    }

    /// Entries oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &MonitorEntry> {
        let oldest = self.entries.get(self.head..).unwrap_or_default();
        let newest = self.entries.get(..self.head).unwrap_or_default();
        oldest.iter().chain(newest)
    }

    /// How many commands were ever recorded (including those that fell off).
    pub fn total(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redis_line_quotes_like_sdscatrepr() {
        let mut m = Monitor::new(4);
        m.record(
            0,
            Origin::Console,
            &[&b"SET"[..], b"a \"q\"\\", b"\n\r\t\x07\x08\xff\x00"],
        );
        m.record_script(0, Origin::Api { request: 1 }, &["INCR", "k"]);
        let lines: Vec<String> = m.entries().map(MonitorEntry::redis_line).collect();
        assert_eq!(
            lines,
            [
                r#"[0 client] "SET" "a \"q\"\\" "\n\r\t\a\b\xff\x00""#,
                r#"[0 lua] "INCR" "k""#,
            ]
        );
    }

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
            assert_eq!(&entry.args.to_vecs(), c);
            assert_eq!(entry.args.len(), c.len());
        }
        assert_eq!(m.total(), 6);
    }

    /// As redis-server 7.0's MONITOR: the FCALL, then each command the
    /// function ran, marked `lua`, under the client that called it.
    #[test]
    fn a_functions_commands_show_under_its_caller_marked_lua() {
        let mut s = crate::store::Store::new();
        s.exec(
            0,
            Origin::Api { request: 7 },
            &["FCALL", "pg_fixed_window", "1", "fw", "1000"],
        );
        let lines: Vec<String> = s.monitor().entries().map(|e| e.to_line()).collect();
        assert_eq!(
            lines,
            [
                "00:00.000 [api #7] FCALL pg_fixed_window 1 fw 1000",
                "00:00.000 [api #7 lua] INCR fw",
                "00:00.000 [api #7 lua] PEXPIRE fw 1000",
                "00:00.000 [api #7 lua] PTTL fw",
            ]
        );
        // A ring slot reused for a client's command loses the mark.
        let mut m = Monitor::new(1);
        m.record_script(0, Origin::Console, &args(&["INCR", "k"]));
        m.record(1, Origin::Console, &args(&["GET", "k"]));
        let e = m.entries().next().map(|e| (e.script, e.who()));
        assert_eq!(e, Some((false, "console".to_string())));
    }
}
