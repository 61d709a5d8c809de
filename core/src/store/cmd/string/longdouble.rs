//! Just enough of x86's 80-bit `long double` for INCRBYFLOAT: parse a decimal
//! string (correctly rounded, like glibc's `strtold`), add two values, print
//! with `%.17Lf`. Redis computes in `long double`, and with 64 mantissa bits
//! `0.1 + 0.2` prints as `0.30000000000000000`, where an `f64` would give
//! `0.30000000000000004`: replies only match with the same precision.
//!
//! A finite value is `m × 2^e`, exactly; rounding to 64 bits (half to even,
//! with subnormals below 2^-16382) happens after every operation, using
//! arbitrary-precision integers so nothing is lost before rounding.

use std::cmp::Ordering;

/// Smallest exponent of the last mantissa bit (subnormals included).
const MIN_EXP: i64 = -16445;
/// Largest `e` for a 64-bit `m`: values stay below 2^16384.
const MAX_EXP: i64 = 16320;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ld {
    /// `neg × m × 2^e` (m may be 0: a signed zero).
    Finite {
        neg: bool,
        m: u64,
        e: i64,
    },
    Inf {
        neg: bool,
    },
}

/// Little-endian base-2^32 natural numbers, only the operations needed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bit_len(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        self.0
            .get((i / 32) as usize)
            .is_some_and(|w| (w >> (i % 32)) & 1 == 1)
    }

    /// Whether any bit below `i` is set.
    fn any_below(&self, i: u64) -> bool {
        let full = (i / 32) as usize;
        if self.0.iter().take(full).any(|&w| w != 0) {
            return true;
        }
        let rest = i % 32;
        rest > 0
            && self
                .0
                .get(full)
                .is_some_and(|&w| w & ((1u32 << rest) - 1) != 0)
    }

    fn mul_small(&mut self, k: u32) {
        let mut carry = 0u64;
        for w in self.0.iter_mut() {
            let v = u64::from(*w) * u64::from(k) + carry;
            *w = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, k: u32) {
        let mut carry = u64::from(k);
        for w in self.0.iter_mut() {
            if carry == 0 {
                return;
            }
            let v = u64::from(*w) + carry;
            *w = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, mut n: u64) {
        // 5^13 is the largest power of 5 below 2^32.
        while n >= 13 {
            self.mul_small(1_220_703_125);
            n -= 13;
        }
        self.mul_small(5u32.pow(n as u32));
    }

    fn shl(&self, bits: u64) -> Big {
        if self.is_zero() {
            return Big(Vec::new());
        }
        let words = (bits / 32) as usize;
        let rest = (bits % 32) as u32;
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &w in &self.0 {
            if rest == 0 {
                out.push(w);
            } else {
                out.push((w << rest) | carry);
                carry = w >> (32 - rest);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        Big(out)
    }

    /// The bits from `lo` upward, as a u128 (callers ensure they fit).
    fn bits_from(&self, lo: u64) -> u128 {
        let mut v: u128 = 0;
        for i in (lo..self.bit_len()).rev() {
            v = (v << 1) | u128::from(self.bit(i));
        }
        v
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn add(&self, other: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len().max(other.0.len()) + 1);
        let mut carry = 0u64;
        for i in 0..self.0.len().max(other.0.len()) {
            let v = u64::from(self.0.get(i).copied().unwrap_or(0))
                + u64::from(other.0.get(i).copied().unwrap_or(0))
                + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Big(out)
    }

    /// `self - other`, for `self >= other`.
    fn sub(&self, other: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut v = i64::from(self.0.get(i).copied().unwrap_or(0))
                - i64::from(other.0.get(i).copied().unwrap_or(0))
                - borrow;
            borrow = 0;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            }
            out.push(v as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    /// Quotient (which must fit in a u128) and whether a remainder is left.
    fn div(&self, den: &Big) -> (u128, bool) {
        let mut num = self.clone();
        let mut q: u128 = 0;
        let top = self.bit_len().saturating_sub(den.bit_len());
        for i in (0..=top).rev() {
            let d = den.shl(i);
            if num.cmp(&d) != Ordering::Less {
                num = num.sub(&d);
                if i < 128 {
                    q |= 1u128 << i;
                }
            }
        }
        (q, !num.is_zero())
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut words = self.0.clone();
        let mut chunks = Vec::new();
        while !words.is_empty() {
            let mut rem = 0u64;
            for w in words.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*w);
                *w = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            while words.last() == Some(&0) {
                words.pop();
            }
            chunks.push(rem);
        }
        let mut s = String::new();
        for (i, c) in chunks.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&c.to_string());
            } else {
                s.push_str(&format!("{c:09}"));
            }
        }
        s
    }
}

/// Rounds `n × 2^e0` (plus a sticky fraction below it) to a long double.
fn round(neg: bool, n: &Big, e0: i64, sticky: bool) -> Ld {
    let len = n.bit_len() as i64;
    if len == 0 {
        return Ld::Finite { neg, m: 0, e: 0 };
    }
    let shift = (len - 64).max(MIN_EXP - e0);
    let (mut m, mut e) = if shift <= 0 {
        (n.bits_from(0), e0)
    } else {
        let s = shift as u64;
        let kept = n.bits_from(s);
        let half = n.bit(s - 1);
        let rest = sticky || n.any_below(s - 1);
        let up = half && (rest || kept & 1 == 1);
        (kept + u128::from(up), e0 + shift)
    };
    if m >> 64 != 0 {
        m >>= 1;
        e += 1;
    }
    if m == 0 {
        return Ld::Finite { neg, m: 0, e: 0 };
    }
    // Normalise upward-shifted small values so the exponent check is fair.
    let top = 128 - i64::from(m.leading_zeros() as u16);
    if e + top > MAX_EXP + 64 {
        return Ld::Inf { neg };
    }
    Ld::Finite {
        neg,
        m: m as u64,
        e,
    }
}

/// glibc `strtold` on the whole string, as Redis's `string2ld` uses it:
/// `None` for anything that is not entirely a number, for NaN, and for
/// values that overflow to infinity or underflow to zero.
pub fn parse(s: &[u8]) -> Option<Ld> {
    if s.is_empty() || s.len() >= 5 * 1024 {
        return None;
    }
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == b"inf" || lower == b"infinity" {
        return Some(Ld::Inf { neg });
    }
    if let Some(hex) = lower.strip_prefix(b"0x") {
        return parse_hex(neg, hex);
    }
    let mut digits = Big(Vec::new());
    let mut ndigits = 0usize;
    let mut exp10: i64 = 0;
    let mut i = 0;
    let mut seen_digit = false;
    let push = |d: u8, digits: &mut Big| {
        digits.mul_small(10);
        digits.add_small(u32::from(d - b'0'));
    };
    while let Some(&c) = body.get(i).filter(|c| c.is_ascii_digit()) {
        push(c, &mut digits);
        seen_digit = true;
        ndigits += 1;
        i += 1;
    }
    if body.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = body.get(i).filter(|c| c.is_ascii_digit()) {
            push(c, &mut digits);
            seen_digit = true;
            ndigits += 1;
            exp10 -= 1;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    if matches!(body.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let eneg = match body.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        let mut x: i64 = 0;
        while let Some(&c) = body.get(j).filter(|c| c.is_ascii_digit()) {
            x = (x * 10 + i64::from(c - b'0')).min(1_000_000);
            j += 1;
        }
        if j == start {
            // "1e" or "1e+": strtold stops before the "e", leaving garbage.
            return None;
        }
        exp10 += if eneg { -x } else { x };
        i = j;
    }
    if i != body.len() {
        return None;
    }
    let _ = ndigits;
    if digits.is_zero() {
        return Some(Ld::Finite { neg, m: 0, e: 0 });
    }
    let magnitude = exp10 + digits.to_decimal().len() as i64;
    if magnitude > 4940 {
        return None;
    }
    if magnitude < -4960 {
        return None;
    }
    let v = if exp10 >= 0 {
        let mut n = digits;
        n.mul_pow5(exp10 as u64);
        round(neg, &n, exp10, false)
    } else {
        let j = (-exp10) as u64;
        let mut den = Big::from_u64(1);
        den.mul_pow5(j);
        // Scale so the quotient has 66+ bits, and keep the sticky remainder.
        let s = (66 + den.bit_len() as i64 - digits.bit_len() as i64).max(0) as u64;
        let (q, rem) = digits.shl(s).div(&den);
        let qb = Big(vec![
            q as u32,
            (q >> 32) as u32,
            (q >> 64) as u32,
            (q >> 96) as u32,
        ]);
        let mut qb = qb;
        qb.trim();
        round(neg, &qb, -(s as i64) - j as i64, rem)
    };
    match v {
        Ld::Inf { .. } => None,
        Ld::Finite { m: 0, .. } => None,
        v => Some(v),
    }
}

/// The part after `0x` of a C99 hex float: hex digits with an optional dot,
/// then an optional `p` binary exponent (which needs digits).
fn parse_hex(neg: bool, body: &[u8]) -> Option<Ld> {
    let mut n = Big(Vec::new());
    let mut exp2: i64 = 0;
    let mut seen = false;
    let mut i = 0;
    let hexval = |c: u8| (c as char).to_digit(16);
    while let Some(d) = body.get(i).and_then(|&c| hexval(c)) {
        n.mul_small(16);
        n.add_small(d);
        seen = true;
        i += 1;
    }
    if body.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = body.get(i).and_then(|&c| hexval(c)) {
            n.mul_small(16);
            n.add_small(d);
            seen = true;
            exp2 -= 4;
            i += 1;
        }
    }
    if !seen {
        return None;
    }
    if body.get(i) == Some(&b'p') {
        let mut j = i + 1;
        let eneg = match body.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        let mut x: i64 = 0;
        while let Some(&c) = body.get(j).filter(|c| c.is_ascii_digit()) {
            x = (x * 10 + i64::from(c - b'0')).min(1_000_000);
            j += 1;
        }
        if j == start {
            return None;
        }
        exp2 += if eneg { -x } else { x };
        i = j;
    }
    if i != body.len() {
        return None;
    }
    if n.is_zero() {
        return Some(Ld::Finite { neg, m: 0, e: 0 });
    }
    match round(neg, &n, exp2, false) {
        Ld::Finite { m: 0, .. } | Ld::Inf { .. } => None,
        v => Some(v),
    }
}

/// `a + b`, rounded; `None` when the result is NaN.
pub fn add(a: Ld, b: Ld) -> Option<Ld> {
    match (a, b) {
        (Ld::Inf { neg: x }, Ld::Inf { neg: y }) if x != y => None,
        (Ld::Inf { neg }, _) | (_, Ld::Inf { neg }) => Some(Ld::Inf { neg }),
        (
            Ld::Finite {
                neg: na,
                m: ma,
                e: ea,
            },
            Ld::Finite {
                neg: nb,
                m: mb,
                e: eb,
            },
        ) => {
            if ma == 0 && mb == 0 {
                return Some(Ld::Finite {
                    neg: na && nb,
                    m: 0,
                    e: 0,
                });
            }
            if ma == 0 {
                return Some(b);
            }
            if mb == 0 {
                return Some(a);
            }
            let e = ea.min(eb);
            let x = Big::from_u64(ma).shl((ea - e) as u64);
            let y = Big::from_u64(mb).shl((eb - e) as u64);
            Some(if na == nb {
                round(na, &x.add(&y), e, false)
            } else {
                match x.cmp(&y) {
                    Ordering::Equal => Ld::Finite {
                        neg: false,
                        m: 0,
                        e: 0,
                    },
                    Ordering::Greater => round(na, &x.sub(&y), e, false),
                    Ordering::Less => round(nb, &y.sub(&x), e, false),
                }
            })
        }
    }
}

/// `printf("%.17Lf")` of a finite value (exact, ties to even).
pub fn format_fixed17(v: Ld) -> String {
    let Ld::Finite { neg, m, e } = v else {
        return if matches!(v, Ld::Inf { neg: true }) {
            "-inf".into()
        } else {
            "inf".into()
        };
    };
    let mut x = Big::from_u64(m);
    // × 10^17 = × 5^17 × 2^17
    x.mul_pow5(17);
    let e = e + 17;
    let q = if e >= 0 {
        x.shl(e as u64)
    } else {
        let s = (-e) as u64;
        if s > x.bit_len() + 1 {
            Big(Vec::new())
        } else {
            let mut kept = Big(x.0.clone());
            kept = shr(&kept, s);
            let half = x.bit(s - 1);
            let rest = x.any_below(s - 1);
            let odd = kept.bit(0);
            if half && (rest || odd) {
                kept.add_small(1);
            }
            kept
        }
    };
    let digits = q.to_decimal();
    let digits = format!("{digits:0>18}");
    let (int, frac) = digits.split_at(digits.len() - 17);
    format!("{}{int}.{frac}", if neg { "-" } else { "" })
}

fn shr(b: &Big, bits: u64) -> Big {
    let words = (bits / 32) as usize;
    let rest = (bits % 32) as u32;
    let src = b.0.get(words..).unwrap_or_default();
    let mut out = Vec::with_capacity(src.len());
    for (i, &w) in src.iter().enumerate() {
        let hi = src.get(i + 1).copied().unwrap_or(0);
        out.push(if rest == 0 {
            w
        } else {
            (w >> rest) | (hi << (32 - rest))
        });
    }
    let mut r = Big(out);
    r.trim();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(a: &str, b: &str) -> String {
        format_fixed17(add(parse(a.as_bytes()).unwrap(), parse(b.as_bytes()).unwrap()).unwrap())
    }

    #[test]
    fn long_double_sums_print_like_redis() {
        assert_eq!(show("0", "0.1"), "0.10000000000000000");
        assert_eq!(show("0.1", "0.2"), "0.30000000000000000");
        assert_eq!(show("1.1", "2.2"), "3.30000000000000000");
        assert_eq!(
            show("0", "123456789.123456789"),
            "123456789.12345678899873747"
        );
        assert_eq!(show("10.5", "0.1"), "10.60000000000000000");
        assert_eq!(show("1", "-1"), "0.00000000000000000");
    }
}
