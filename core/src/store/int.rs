//! Integers exactly as Redis parses them (`string2ll`): an optional `-`, then
//! `0` alone or a digit 1–9 followed by digits; no `+`, no spaces, no leading
//! zeros, no `-0`, at most 20 characters, and it must fit in an `i64`.

pub fn parse_i64(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() >= 21 {
        return None;
    }
    if bytes == b"0" {
        return Some(0);
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    // Accumulate as a negative number so that i64::MIN fits.
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_sub(i64::from(d - b'0'))?;
    }
    if negative {
        Some(v)
    } else {
        v.checked_neg()
    }
}

/// The decimal text of `n`, as Redis's `ll2string` writes it, straight into
/// the bytes a value keeps: INCR stores one on every call, and going
/// through `to_string` cost it the formatting machinery.
pub fn i64_bytes(n: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(20);
    push_i64(&mut out, n);
    out
}

/// Appends the decimal text of `n` to `out`: INCR rewrites a counter's
/// bytes in place with it, so a counter that exists allocates nothing.
pub fn push_i64(out: &mut Vec<u8>, n: i64) {
    // unsigned_abs: i64::MIN has no positive i64.
    let (digits, at) = u64_digits(n.unsigned_abs());
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// The decimal digits of `n`, right-aligned in 20 bytes (`u64::MAX` has
/// 20), and the index of the first: `digits[at..]` is the text.
pub fn u64_digits(n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    (digits, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_as_to_string_writes_them() {
        let mut rng = crate::rng::Rng::new(7);
        let edges = [
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let random = (0..10_000).map(|i| {
            // Every magnitude: shifted right by 0 to 63 bits.
            let n = rng.next_u64() >> (i % 64);
            n as i64
        });
        for n in edges.into_iter().chain(random) {
            assert_eq!(i64_bytes(n), n.to_string().into_bytes(), "{n}");
        }
    }

    #[test]
    fn accepts_only_what_redis_accepts() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-5"), Some(-5));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"+1",
            b" 1",
            b"1 ",
            b"01",
            b"1.0",
            b"9223372036854775808",
            b"abc",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
