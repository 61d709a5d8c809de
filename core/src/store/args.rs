//! Splitting a typed command line into arguments exactly as redis-cli does
//! (its `sdssplitargs`), and the reverse: quoting arguments for display so
//! that a logged command can be pasted back into a console unchanged.

use super::reply::push_repr;

/// redis-cli's message for a line it cannot split (an unbalanced quote, or a
/// closing quote glued to the next word).
pub const INVALID_ARGUMENTS: &str = "Invalid argument(s)";

/// Splits a command line. `Err` carries redis-cli's own message.
///
/// Rules, as in `sdssplitargs`: blanks separate words; `"…"` understands
/// `\n \r \t \b \a \\ \"` and `\xHH`, any other `\c` is `c`; `'…'` only
/// understands `\'`; a closing quote must be followed by a blank or the end.
/// A NUL byte ends the line, as it does for the C string redis-cli reads.
pub fn split_args(line: &str) -> Result<Vec<Vec<u8>>, &'static str> {
    let bytes = line.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let s = bytes.get(..end).unwrap_or_default();
    let at = |i: usize| -> u8 { s.get(i).copied().unwrap_or(0) };
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while i < s.len() && is_space(at(i)) {
            i += 1;
        }
        if i >= s.len() {
            return Ok(args);
        }
        let (mut in_dq, mut in_sq) = (false, false);
        let mut cur = Vec::new();
        loop {
            let c = at(i);
            if in_dq {
                if c == b'\\' && at(i + 1) == b'x' && is_hex(at(i + 2)) && is_hex(at(i + 3)) {
                    cur.push(hex_val(at(i + 2)) * 16 + hex_val(at(i + 3)));
                    i += 3;
                } else if c == b'\\' && at(i + 1) != 0 {
                    i += 1;
                    cur.push(match at(i) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(i + 1) != 0 && !is_space(at(i + 1)) {
                        return Err(INVALID_ARGUMENTS);
                    }
                    i += 1;
                    break;
                } else if c == 0 {
                    return Err(INVALID_ARGUMENTS);
                } else {
                    cur.push(c);
                }
            } else if in_sq {
                if c == b'\\' && at(i + 1) == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if at(i + 1) != 0 && !is_space(at(i + 1)) {
                        return Err(INVALID_ARGUMENTS);
                    }
                    i += 1;
                    break;
                } else if c == 0 {
                    return Err(INVALID_ARGUMENTS);
                } else {
                    cur.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => break,
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    other => cur.push(other),
                }
            }
            i += 1;
        }
        args.push(cur);
    }
}

/// C's `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Whether an argument can be shown without quotes: printable ASCII with
/// no quote or backslash, and not empty.
fn is_bare(arg: &[u8]) -> bool {
    !arg.is_empty()
        && arg
            .iter()
            .all(|&b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\'' && b != b'\\')
}

/// One argument as a console user would type it: bare when that is
/// unambiguous, otherwise double-quoted with redis-cli escapes.
pub fn quote_arg(arg: &[u8]) -> String {
    let mut s = String::with_capacity(arg.len() + 2);
    push_quoted(&mut s, arg);
    s
}

/// Appends [`quote_arg`] of `arg` to `out` without a temporary string.
pub fn push_quoted(out: &mut String, arg: &[u8]) {
    match std::str::from_utf8(arg) {
        // Printable ASCII only, so this is valid UTF-8.
        Ok(text) if is_bare(arg) => out.push_str(text),
        _ => push_repr(out, arg),
    }
}

/// A whole command line, arguments quoted as needed and joined by spaces.
/// One allocation, sized for the common all-bare case: this runs for every
/// span of every simulated request.
pub fn join_args<A: AsRef<[u8]>>(args: &[A]) -> String {
    let len: usize = args.iter().map(|a| a.as_ref().len() + 1).sum();
    let mut out = String::with_capacity(len);
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_quoted(&mut out, a.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Result<Vec<String>, &'static str> {
        split_args(s).map(|v| {
            v.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn splits_like_redis_cli() {
        assert_eq!(split("  set  a   b ").unwrap(), ["set", "a", "b"]);
        assert_eq!(
            split(r#"set k "a b\n\x41\q""#).unwrap(),
            ["set", "k", "a b\nAq"]
        );
        assert_eq!(
            split(r"set k 'it\'s \n'").unwrap(),
            ["set", "k", "it's \\n"]
        );
        assert_eq!(split(r#"a"b c"d"#), Err(INVALID_ARGUMENTS));
        assert_eq!(split(r#"set k "open"#), Err(INVALID_ARGUMENTS));
        assert_eq!(split("set k 'open"), Err(INVALID_ARGUMENTS));
        assert_eq!(split(r#"x"y z""#).unwrap(), ["xy z"]);
        assert_eq!(split(r#""""#).unwrap(), [""]);
        assert_eq!(split("").unwrap(), Vec::<String>::new());
        assert_eq!(split("get a\0 b").unwrap(), ["get", "a"]);
    }

    #[test]
    fn quoting_round_trips() {
        let args: Vec<&[u8]> = vec![b"SET", b"k y", b"", b"q\"\\'\x00\xff\n", b"plain"];
        let line = join_args(&args);
        assert_eq!(line, r#"SET "k y" "" "q\"\\'\x00\xff\n" plain"#);
        let back = split_args(&line).unwrap();
        assert_eq!(back, args.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
    }
}
