//! A typed reply, and its rendering exactly as `redis-cli --no-raw` prints it.

use crate::time::Millis;
use std::borrow::Cow;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`, `+PONG`: printed bare. Nearly always a fixed word, so not
    /// allocated: a SET's `OK` would otherwise cost a malloc and a free.
    Simple(Cow<'static, str>),
    /// `-ERR …`: the full text, prefix included (`ERR`, `WRONGTYPE`, …).
    Error(String),
    Integer(i64),
    Bulk(Vec<u8>),
    Nil,
    Array(Vec<Reply>),
}

impl Reply {
    /// A `… HELP` answer: Redis sends each line as a status reply.
    pub fn help(lines: &[&'static str]) -> Reply {
        Reply::Array(lines.iter().map(|l| Reply::Simple((*l).into())).collect())
    }

    pub fn ok() -> Reply {
        Reply::Simple("OK".into())
    }

    pub fn error(text: impl Into<String>) -> Reply {
        Reply::Error(text.into())
    }

    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// Nil or an empty array: a pop or read that found nothing.
    pub fn is_nothing(&self) -> bool {
        match self {
            Reply::Nil => true,
            Reply::Array(items) => items.is_empty(),
            _ => false,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// The reply as redis-cli prints it in a terminal, without the trailing
    /// newline (one line for scalars, several for arrays).
    pub fn to_cli(&self) -> String {
        let mut out = String::new();
        format_tty(self, "", &mut out);
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

/// The line redis-cli prints after a command that took 0.5 s or more
/// (`(1.50s)`), for `ms` of virtual time; empty below that.
pub fn elapsed_line(ms: Millis) -> String {
    if ms >= 500 {
        format!("({:.2}s)\n", ms as f64 / 1000.0)
    } else {
        String::new()
    }
}

/// What redis-cli prints for a reply to `args`, trailing newline included.
/// redis-cli switches to raw output for INFO (and LOLWUT): the bulk text is
/// written as is, with no quotes and no newline of its own.
pub fn cli_output(args: &[Vec<u8>], reply: &Reply) -> String {
    // SUBSCRIBE & co. answer one confirmation per channel, which redis-cli
    // prints one after the other.
    if let Reply::Array(items) = reply {
        if super::cmd::pubsub::prints_as_several(args) {
            return super::cmd::pubsub::cli_text(args, items);
        }
    }
    let raw = args
        .first()
        .is_some_and(|n| n.eq_ignore_ascii_case(b"info") || n.eq_ignore_ascii_case(b"lolwut"));
    match reply {
        Reply::Bulk(b) if raw => String::from_utf8_lossy(b).into_owned(),
        _ => format!("{}\n", reply.to_cli()),
    }
}

/// Mirrors redis-cli's `cliFormatReplyTTY`: every scalar ends in a newline;
/// array items are numbered with the index right-aligned to the widest index,
/// and nested arrays indent by that width plus two, the first nested item
/// sharing the parent's line.
fn format_tty(reply: &Reply, prefix: &str, out: &mut String) {
    match reply {
        Reply::Simple(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Reply::Error(e) => {
            out.push_str("(error) ");
            out.push_str(e);
            out.push('\n');
        }
        Reply::Integer(n) => {
            let _ = writeln!(out, "(integer) {n}");
        }
        Reply::Bulk(b) => {
            push_repr(out, b);
            out.push('\n');
        }
        Reply::Nil => out.push_str("(nil)\n"),
        Reply::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
        Reply::Array(items) => {
            let width = items.len().to_string().len();
            let child_prefix = format!("{prefix}{}", " ".repeat(width + 2));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(prefix);
                }
                let _ = write!(out, "{:>width$}) ", i + 1);
                format_tty(item, &child_prefix, out);
            }
        }
    }
}

/// Appends `bytes` quoted the way Redis's `sdscatrepr` does: `"` and `\`
/// escaped, the usual control escapes, anything else unprintable as `\xHH`.
pub fn push_repr(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
}

/// `sdscatrepr` of `bytes` as a new string.
pub fn repr(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    push_repr(&mut s, bytes);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_print_like_redis_cli() {
        assert_eq!(Reply::ok().to_cli(), "OK");
        assert_eq!(Reply::Integer(-3).to_cli(), "(integer) -3");
        assert_eq!(Reply::Nil.to_cli(), "(nil)");
        assert_eq!(
            Reply::error("ERR syntax error").to_cli(),
            "(error) ERR syntax error"
        );
        assert_eq!(
            Reply::bulk(&b"a\"b\\c\n\x01\xff"[..]).to_cli(),
            r#""a\"b\\c\n\x01\xff""#
        );
        assert_eq!(Reply::Array(vec![]).to_cli(), "(empty array)");
    }

    #[test]
    fn arrays_number_and_indent_like_redis_cli() {
        let items: Vec<Reply> = (0..10).map(|i| Reply::bulk(i.to_string())).collect();
        let text = Reply::Array(items).to_cli();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], r#" 1) "0""#);
        assert_eq!(lines[9], r#"10) "9""#);

        let nested = Reply::Array(vec![
            Reply::Array(vec![Reply::bulk("a"), Reply::Integer(1)]),
            Reply::Nil,
        ]);
        assert_eq!(nested.to_cli(), "1) 1) \"a\"\n   2) (integer) 1\n2) (nil)");
    }
}
