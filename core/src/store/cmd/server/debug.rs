use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;
use crate::time::Millis;

/// The `DEBUG` subcommands the playground models.
#[derive(Clone, Debug, PartialEq)]
pub enum Debug {
    /// `DEBUG SLEEP seconds`: the server blocks; here virtual time passes
    /// (the caller that owns the clock takes it from `server.sleep_ms`).
    Sleep(Millis),
    /// `DEBUG SET-ACTIVE-EXPIRE 0|1`.
    SetActiveExpire(bool),
}

impl Command for Debug {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let sub = args
            .get(1)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        match (sub.as_slice(), args.len()) {
            (b"sleep", 3) => {
                // Redis reads the seconds with atof: junk counts as 0, and a
                // negative time sleeps not at all.
                let secs = atof(args.get(2).map(Vec::as_slice).unwrap_or_default());
                let ms = if secs.is_finite() && secs > 0.0 {
                    (secs * 1000.0).min(1e12) as Millis
                } else {
                    0
                };
                Ok(Debug::Sleep(ms))
            }
            (b"set-active-expire", 3) => Ok(Debug::SetActiveExpire(
                atoi(args.get(2).map(Vec::as_slice).unwrap_or_default()) != 0,
            )),
            _ => Err(Reply::error(format!(
                "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
                String::from_utf8_lossy(args.get(1).map(Vec::as_slice).unwrap_or_default())
            ))),
        }
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Debug::Sleep(ms) => ctx.server.sleep_ms = ctx.server.sleep_ms.saturating_add(ms),
            Debug::SetActiveExpire(on) => ctx.config.active_expire_enabled = on,
        }
        Reply::ok()
    }
}

/// C's `atof`: the longest leading decimal float, 0 if none.
fn atof(b: &[u8]) -> f64 {
    let s = String::from_utf8_lossy(b);
    let t = s.trim_start().as_bytes();
    let mut i = 0;
    if matches!(t.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    while t.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if t.get(i) == Some(&b'.') {
        i += 1;
        while t.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(t.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if t.get(j).is_some_and(u8::is_ascii_digit) {
            while t.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    std::str::from_utf8(t.get(..i).unwrap_or_default())
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0)
}

/// C's `atoi`: optional sign and leading digits, 0 if none.
fn atoi(b: &[u8]) -> i64 {
    let s = String::from_utf8_lossy(b);
    let s = s.trim_start();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |acc, d| {
            acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if neg {
        -n
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_number_parsing() {
        assert_eq!(atof(b"0.25"), 0.25);
        assert_eq!(atof(b"abc"), 0.0);
        assert_eq!(atof(b"1.5xyz"), 1.5);
        assert_eq!(atoi(b"2"), 2);
        assert_eq!(atoi(b"abc"), 0);
        assert_eq!(atoi(b"-3x"), -3);
    }
}
