//! The bits of Lua 5.1 (as embedded in Redis) the function twins need to
//! agree with the real thing: how a string becomes a number (`tonumber`),
//! how a number becomes a command argument (`%.14g`), and how a number
//! becomes a reply (truncated to an integer).

use crate::store::reply::Reply;

/// Lua's `tonumber(s)` for a string: C `strtod` after optional white space
/// (so `1e3`, `.5`, `inf`, `nan` and hex `0x1A` are numbers), then only
/// white space may follow. `None` where Lua gives `nil`. Lua 5.1 hands the
/// string to `strtod` as a C string, so it ends at the first NUL byte:
/// `"nan\0\0-1"` (what SETRANGE leaves past a value's end) is NaN.
pub fn tonumber(bytes: &[u8]) -> Option<f64> {
    let c_string = bytes.split(|&b| b == 0).next().unwrap_or_default();
    let text = std::str::from_utf8(c_string).ok()?;
    // C's isspace: space, \t \n \v \f \r.
    let text = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    if text.is_empty() {
        return None;
    }
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut n = 0f64;
        for b in hex.bytes() {
            n = n * 16.0 + f64::from((b as char).to_digit(16)?);
        }
        return Some(if negative { -n } else { n });
    }
    // Rust accepts what strtod accepts here, bar the forms checked below.
    let ok_chars = unsigned
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    if !ok_chars || unsigned.starts_with(['+', '-']) {
        return None;
    }
    let n: f64 = unsigned.parse().ok()?;
    Some(if negative { -n } else { n })
}

/// A number passed to `redis.call`: Redis 7.0 prints it with `%.17g`
/// (not Lua's own `%.14g`, which would lose precision), so 0.1 goes out as
/// `0.10000000000000001`.
pub fn fmt(n: f64) -> Vec<u8> {
    fmt_g(n, 17).into_bytes()
}

/// A number joined to a string with Lua's `..`: `%.14g`.
pub fn tostring(n: f64) -> String {
    fmt_g(n, 14)
}

/// C's `%.<precision>g`.
fn fmt_g(n: f64, precision: i32) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    // Significant digits, exponent form when the exponent is below -4 or
    // at least the precision; trailing zeros (and a bare '.') removed.
    let sci = format!("{:.*e}", (precision - 1) as usize, n);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (sci.clone(), 0),
    };
    if exp < -4 || exp >= precision {
        let m = strip_zeros(&mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", exp.abs());
    }
    let decimals = (precision - 1 - exp).max(0) as usize;
    strip_zeros(&format!("{:.*}", decimals, n))
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// A Lua number returned to the client: Redis casts it to `long long`,
/// truncating. Out of range (NaN, ±inf, 2^63 and beyond) the C cast is
/// undefined; x86-64, where the reference server runs, answers the
/// "integer indefinite" value, i64::MIN, for all of them. Rust's `as` would
/// saturate instead (i64::MAX for 1e308), so those are mapped by hand.
pub fn int(n: f64) -> Reply {
    // 2^63 is exactly representable; anything at or above it, or below
    // -2^63, does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if n.is_nan() || !(-LIMIT..LIMIT).contains(&n) {
        return Reply::Integer(i64::MIN);
    }
    Reply::Integer(n as i64)
}

/// A table of numbers returned to the client.
pub fn ints(ns: &[f64]) -> Reply {
    Reply::Array(ns.iter().map(|&n| int(n)).collect())
}

/// Lua's `math.floor`/`math.ceil` are C's; so are these.
pub fn floor(n: f64) -> f64 {
    n.floor()
}

pub fn ceil(n: f64) -> f64 {
    n.ceil()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tonumber_like_lua() {
        assert_eq!(tonumber(b"12"), Some(12.0));
        assert_eq!(tonumber(b" 2 "), Some(2.0));
        assert_eq!(tonumber(b"0x10"), Some(16.0));
        assert_eq!(tonumber(b"-0x10"), Some(-16.0));
        assert_eq!(tonumber(b"1e3"), Some(1000.0));
        assert_eq!(tonumber(b"1.5"), Some(1.5));
        assert_eq!(tonumber(b".5"), Some(0.5));
        assert_eq!(tonumber(b"abc"), None);
        assert_eq!(tonumber(b""), None);
        assert_eq!(tonumber(b"1 2"), None);
        assert_eq!(tonumber(b"--1"), None);
        assert_eq!(tonumber(b"0x"), None);
        // Read as a C string: up to the first NUL.
        assert!(tonumber(b"nan\0\0\0-1").is_some_and(f64::is_nan));
        assert_eq!(tonumber(b"12\0abc\xff"), Some(12.0));
        assert_eq!(tonumber(b"\x0012"), None);
    }

    #[test]
    fn tostring_like_percent_14g() {
        assert_eq!(tostring(300.0), "300");
        assert_eq!(tostring(-500.0), "-500");
        assert_eq!(tostring(1.5), "1.5");
        assert_eq!(tostring(0.1), "0.1");
        assert_eq!(tostring(1e14), "1e+14");
        assert_eq!(tostring(100000086400000.0), "1.000000864e+14");
        assert_eq!(tostring(1.0 / 3.0), "0.33333333333333");
        assert_eq!(tostring(0.00001), "1e-05");
        assert_eq!(tostring(123456.789), "123456.789");
    }

    #[test]
    fn call_arguments_like_percent_17g() {
        assert_eq!(fmt(0.1), b"0.10000000000000001");
        assert_eq!(fmt(1e14), b"100000000000000");
        assert_eq!(fmt(1e17), b"1e+17");
        assert_eq!(fmt(-3.0), b"-3");
        assert_eq!(fmt(4.5), b"4.5");
    }

    #[test]
    fn numbers_become_integers_by_truncation() {
        assert_eq!(int(2.9), Reply::Integer(2));
        assert_eq!(int(-2.9), Reply::Integer(-2));
        // Out of range: what redis-server on x86-64 answers (checked
        // against 7.0.15 by the random differential scripts).
        assert_eq!(int(1e308), Reply::Integer(i64::MIN));
        assert_eq!(int(-1e308), Reply::Integer(i64::MIN));
        assert_eq!(int(f64::INFINITY), Reply::Integer(i64::MIN));
        assert_eq!(int(f64::NAN), Reply::Integer(i64::MIN));
        assert_eq!(int(9_223_372_036_854_775_808.0), Reply::Integer(i64::MIN));
        assert_eq!(int(-9_223_372_036_854_775_808.0), Reply::Integer(i64::MIN));
        assert_eq!(
            int(9_223_372_036_854_774_784.0),
            Reply::Integer(9_223_372_036_854_774_784)
        );
    }
}
