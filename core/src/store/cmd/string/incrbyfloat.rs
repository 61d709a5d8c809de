use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::{keyspace::Value, reply::Reply};

/// `INCRBYFLOAT key increment`: adds a float to the number at `key` (absent
/// counts as 0) and stores the result as a string, keeping the TTL.
///
/// Redis parses both with `strtold` (so `+1.5`, `1e3`, `inf` are numbers,
/// a leading space or trailing garbage is not), refuses a NaN or infinite
/// result, and prints with `%.17Lf` then trims trailing zeros (and the dot).
/// Redis uses 80-bit `long double`; this uses `f64`, which agrees whenever
/// the result has at most ~15 significant digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncrByFloat {
    pub key: Vec<u8>,
    pub incr: Vec<u8>,
}

impl Command for IncrByFloat {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(IncrByFloat {
            key: arg(args, 1),
            incr: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let current = match ctx.ks.lookup_write(&self.key, now) {
            None => None,
            Some(e) => match e.value.as_str() {
                None => return wrong_type(),
                Some(s) => Some(s.to_vec()),
            },
        };
        let value = match &current {
            None => 0.0,
            Some(s) => match parse_float(s) {
                Some(v) => v,
                None => return not_a_float(),
            },
        };
        let Some(incr) = parse_float(&self.incr) else {
            return not_a_float();
        };
        let sum = value + incr;
        if !sum.is_finite() {
            return Reply::error("ERR increment would produce NaN or Infinity");
        }
        let text = format_human(sum).into_bytes();
        if current.is_some() {
            ctx.ks
                .replace_value(&self.key, Value::Str(text.clone()), now);
        } else {
            ctx.ks.set(&self.key, Value::Str(text.clone()), false, now);
        }
        Reply::bulk(text)
    }
}

fn not_a_float() -> Reply {
    Reply::error("ERR value is not a valid float")
}

/// Redis's `string2ld`: `strtold` over the whole string, no leading space,
/// no NaN, no overflow to infinity or underflow to zero.
pub fn parse_float(s: &[u8]) -> Option<f64> {
    if s.is_empty() || s.len() >= 5 * 1024 {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    // Only the decimal syntax strtold accepts: digits, one optional dot, an
    // optional exponent; at least one digit in the mantissa.
    let b = body.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        // strtold stops before an exponent with no digits: then the "e" is
        // trailing garbage.
        if j == start {
            return None;
        }
        i = j;
    }
    if i != b.len() {
        return None;
    }
    let v: f64 = text.parse().ok()?;
    let mantissa_nonzero = body
        .bytes()
        .take_while(|c| *c != b'e' && *c != b'E')
        .any(|c| (b'1'..=b'9').contains(&c));
    if v.is_infinite() || (v == 0.0 && mantissa_nonzero) {
        return None;
    }
    Some(v)
}

/// `%.17Lf`, then trailing zeros and a trailing dot removed, and "-0" → "0".
pub fn format_human(v: f64) -> String {
    let mut s = format!("{v:.17}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}
