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
    /// `DEBUG POPULATE count [prefix] [size]`: `prefix:0…` = `value:0…`,
    /// skipping keys that exist; with `size`, values are cut or padded with
    /// zero bytes to that length (Redis 7.0's debug.c).
    Populate {
        count: u64,
        prefix: Vec<u8>,
        size: u64,
    },
}

/// Most keys one `DEBUG POPULATE` makes here: the page must stay responsive
/// (a real server would try, and a browser tab would freeze).
pub const POPULATE_MAX: u64 = 1_000_000;

impl<'a> Command<'a> for Debug {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
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
            (b"populate", 3..=5) => {
                let positive = |b: Option<&Vec<u8>>| -> Result<u64, Reply> {
                    // Redis 7.0 says the same for junk and for a negative.
                    match crate::store::int::parse_i64(b.map(Vec::as_slice).unwrap_or_default()) {
                        Some(n) if n >= 0 => Ok(n as u64),
                        _ => Err(Reply::error("ERR value is out of range, must be positive")),
                    }
                };
                let count = positive(args.get(2))?;
                let size = if args.len() == 5 {
                    positive(args.get(4))?
                } else {
                    0
                };
                if count > POPULATE_MAX || size > 1 << 20 {
                    return Err(Reply::error(format!(
                        "ERR the playground populates at most {POPULATE_MAX} keys of at most 1048576 bytes"
                    )));
                }
                // C reads the prefix as a C string: it ends at a zero byte.
                let prefix = match args.get(3) {
                    Some(p) => p.split(|b| *b == 0).next().unwrap_or_default().to_vec(),
                    None => b"key".to_vec(),
                };
                Ok(Debug::Populate {
                    count,
                    prefix,
                    size,
                })
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
            Debug::Populate {
                count,
                prefix,
                size,
            } => {
                for j in 0..count {
                    let mut key = prefix.clone();
                    key.push(b':');
                    key.extend_from_slice(j.to_string().as_bytes());
                    // snprintf into a 128-byte buffer.
                    key.truncate(127);
                    if ctx.ks.lookup_write(&key, ctx.now).is_some() {
                        continue;
                    }
                    let text = format!("value:{j}").into_bytes();
                    let value = if size == 0 {
                        text
                    } else {
                        let mut v = vec![0u8; size as usize];
                        let n = text.len().min(v.len());
                        if let (Some(dst), Some(src)) = (v.get_mut(..n), text.get(..n)) {
                            dst.copy_from_slice(src);
                        }
                        v
                    };
                    ctx.ks
                        .set(&key, crate::store::Value::Str(value), false, ctx.now);
                }
            }
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
    fn populate_parses_like_redis() {
        let a = |v: &[&str]| -> Vec<Vec<u8>> { v.iter().map(|s| s.as_bytes().to_vec()).collect() };
        assert_eq!(
            Debug::parse(&a(&["DEBUG", "POPULATE", "3"])),
            Ok(Debug::Populate {
                count: 3,
                prefix: b"key".to_vec(),
                size: 0
            })
        );
        assert_eq!(
            Debug::parse(&a(&["DEBUG", "populate", "-1"])),
            Err(Reply::error("ERR value is out of range, must be positive"))
        );
        assert_eq!(
            Debug::parse(&a(&["DEBUG", "POPULATE", "x"])),
            Err(Reply::error("ERR value is out of range, must be positive"))
        );
        assert!(Debug::parse(&a(&["DEBUG", "POPULATE", "99999999999"])).is_err());
    }

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
