//! What a request spent its time on: one span per store command or DB query.

use std::borrow::Cow;
use std::fmt;

use crate::store::args::join_args;
use crate::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// A store round trip: the command as sent.
    Redis(CommandLine),
    /// A database query; what was asked.
    Db(String),
    /// A call to another service (the MailPace case's signing-key service).
    Upstream(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub kind: SpanKind,
    pub start: Millis,
    pub end: Millis,
}

/// A store command in a trace: its arguments as sent, each after its
/// length (4 bytes, little-endian), in one buffer. Quoted as redis-cli
/// would show it only when read: every simulated request records about
/// four, and a page reads a handful; quoting each as it was sent took
/// about 5% of a load run.
#[derive(Clone, PartialEq, Eq)]
pub struct CommandLine {
    packed: Packed,
    /// The client gave up: Redis was down.
    timed_out: bool,
}

/// Room for a typical API command without an allocation: `INCR
/// rate_limit:get_product:203.0.113.7` packs into 48 bytes, `GET
/// product:1` into 20. Longer lines (an import's JSON) go to the heap.
const INLINE: usize = 62;

#[derive(Clone, PartialEq, Eq)]
enum Packed {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Vec<u8>),
}

/// Gives each argument after its length (4 bytes, little-endian) to
/// `put`, which writes the inline array or the heap buffer alike.
fn pack<A: AsRef<[u8]>>(args: &[A], mut put: impl FnMut(&[u8])) {
    for a in args {
        let a = a.as_ref();
        // An argument longer than 4 GiB cannot reach the store.
        put(&(a.len() as u32).to_le_bytes());
        put(a);
    }
}

impl Packed {
    fn as_slice(&self) -> &[u8] {
        match self {
            Packed::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Packed::Heap(v) => v,
        }
    }
}

impl CommandLine {
    pub fn new<A: AsRef<[u8]>>(args: &[A], timed_out: bool) -> Self {
        let len: usize = args.iter().map(|a| a.as_ref().len() + 4).sum();
        let packed = if len <= INLINE {
            let mut bytes = [0u8; INLINE];
            let mut at = 0;
            pack(args, |part| {
                if let Some(dst) = bytes.get_mut(at..at + part.len()) {
                    dst.copy_from_slice(part);
                }
                at += part.len();
            });
            Packed::Inline {
                len: len as u8,
                bytes,
            }
        } else {
            let mut packed = Vec::with_capacity(len);
            pack(args, |part| packed.extend_from_slice(part));
            Packed::Heap(packed)
        };
        CommandLine { packed, timed_out }
    }

    /// The arguments, in order.
    pub fn args(&self) -> impl Iterator<Item = &[u8]> {
        let mut rest = self.packed.as_slice();
        std::iter::from_fn(move || {
            let (len, tail) = rest.split_first_chunk::<4>()?;
            let len = u32::from_le_bytes(*len) as usize;
            let (arg, tail) = tail.split_at_checked(len)?;
            rest = tail;
            Some(arg)
        })
    }

    /// The line as typed in redis-cli, with " (timed out)" when it was.
    pub fn text(&self) -> String {
        let mut line = join_args(&self.args().collect::<Vec<_>>());
        if self.timed_out {
            line.push_str(" (timed out)");
        }
        line
    }
}

impl fmt::Display for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Debug for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text(), f)
    }
}

impl Span {
    pub fn label(&self) -> Cow<'_, str> {
        match &self.kind {
            SpanKind::Redis(c) => Cow::Owned(c.text()),
            SpanKind::Db(s) | SpanKind::Upstream(s) => Cow::Borrowed(s),
        }
    }

    pub fn is_db(&self) -> bool {
        matches!(self.kind, SpanKind::Db(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_keeps_its_arguments_and_reads_as_redis_cli_shows_it() {
        let args: [&[u8]; 5] = [b"SET", b"k y", b"", b"\x00\xffz", b"v"];
        let line = CommandLine::new(&args, false);
        assert_eq!(line.args().collect::<Vec<_>>(), args);
        assert_eq!(line.text(), join_args(&args));
        assert_eq!(line.text(), r#"SET "k y" "" "\x00\xffz" v"#);
        assert_eq!(format!("{line}"), line.text());
        let down = CommandLine::new(&[b"GET".as_slice(), b"k"], true);
        assert_eq!(down.text(), "GET k (timed out)");
        assert_eq!(CommandLine::new::<&[u8]>(&[], false).text(), "");
        let span = Span {
            kind: SpanKind::Redis(down),
            start: 0,
            end: 1,
        };
        assert_eq!(span.label(), "GET k (timed out)");
    }

    #[test]
    fn lines_inline_and_on_the_heap_read_back_the_same() {
        // Packed sizes around the inline room: 4 + 3 + 4 + n bytes.
        for n in [
            0usize,
            1,
            INLINE - 12,
            INLINE - 11,
            INLINE - 10,
            200,
            70_000,
        ] {
            let key = vec![b'k'; n];
            let args: [&[u8]; 2] = [b"GET", &key];
            let line = CommandLine::new(&args, false);
            assert_eq!(line.args().collect::<Vec<_>>(), args, "key of {n} bytes");
            assert_eq!(
                matches!(line.packed, Packed::Inline { .. }),
                n + 11 <= INLINE,
                "key of {n} bytes"
            );
            assert_eq!(line, line.clone());
        }
    }
}
