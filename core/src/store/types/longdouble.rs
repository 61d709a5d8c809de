//! Just enough of the x87 80-bit `long double` for HINCRBYFLOAT to reply
//! byte for byte what Redis does on x86-64 Linux: `strtold` (correctly
//! rounded parsing), one addition, and `printf("%.17Lf")` with Redis's
//! trailing-zero trimming (`ld2string(…, LD_STR_HUMAN)`).
//!
//! Why not f64: Redis adds in 64-bit-mantissa precision and prints 17
//! decimals, so `1.5 + 0.1` is `1.6` there but `1.6000000000000001` with
//! doubles, and large values print all their digits (`1e400` is a valid
//! long double). All arithmetic here is exact on big integers, then
//! rounded once, to nearest with ties to even, as the FPU does.

use std::cmp::Ordering;

/// Exponent of the last mantissa bit of the smallest subnormal (2^-16445).
const MIN_EXP: i64 = -16445;
/// Exponent of the last mantissa bit of the largest finite values.
const MAX_EXP: i64 = 16320;
/// Inputs longer than this are refused, as Redis's `string2ld` buffer does.
const MAX_CHARS: usize = 5 * 1024;

/// An unsigned big integer, 32-bit limbs, least significant first, no
/// trailing zero limbs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(top) => (self.0.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        self.0
            .get((i / 32) as usize)
            .is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    /// Whether any bit below `i` is set.
    fn any_below(&self, i: u64) -> bool {
        let whole = (i / 32) as usize;
        if self.0.iter().take(whole).any(|&l| l != 0) {
            return true;
        }
        let part = i % 32;
        part > 0
            && self
                .0
                .get(whole)
                .is_some_and(|l| l & ((1u32 << part) - 1) != 0)
    }

    fn mul_add_small(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for l in self.0.iter_mut() {
            let v = u64::from(*l) * u64::from(m) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut n: u64) {
        while n >= 9 {
            self.mul_add_small(1_000_000_000, 0);
            n -= 9;
        }
        if n > 0 {
            self.mul_add_small(10u32.pow(n as u32), 0);
        }
    }

    /// Divides in place by a small number, returning the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for l in self.0.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*l);
            *l = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big::default();
        }
        let (limbs, bits) = ((n / 32) as usize, (n % 32) as u32);
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &l in &self.0 {
            if bits == 0 {
                out.push(l);
            } else {
                out.push((l << bits) | carry);
                carry = l >> (32 - bits);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shr(&self, n: u64) -> Big {
        let (limbs, bits) = ((n / 32) as usize, (n % 32) as u32);
        let src = self.0.get(limbs..).unwrap_or_default();
        let mut out = Vec::with_capacity(src.len());
        for (i, &l) in src.iter().enumerate() {
            let hi = if bits == 0 {
                0
            } else {
                src.get(i + 1).map_or(0, |&h| h << (32 - bits))
            };
            out.push((l >> bits) | hi);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn cmp_big(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    fn add(&self, o: &Big) -> Big {
        let n = self.0.len().max(o.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let v = u64::from(self.0.get(i).copied().unwrap_or(0))
                + u64::from(o.0.get(i).copied().unwrap_or(0))
                + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    /// `self - o`, for `self >= o`.
    fn sub(&self, o: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, &l) in self.0.iter().enumerate() {
            let mut v = i64::from(l) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
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

    fn low_u64(&self) -> u64 {
        let lo = u64::from(self.0.first().copied().unwrap_or(0));
        let hi = u64::from(self.0.get(1).copied().unwrap_or(0));
        lo | (hi << 32)
    }

    fn to_decimal(&self) -> String {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_small(1_000_000_000));
        }
        let mut s = chunks.last().map_or("0".to_string(), |c| c.to_string());
        for c in chunks.iter().rev().skip(1) {
            s.push_str(&format!("{c:09}"));
        }
        s
    }
}

/// A long double: ±mantissa × 2^exp with the mantissa below 2^64, or an
/// infinity. NaN never needs representing (every path refuses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongDouble {
    Finite { neg: bool, mant: u64, exp: i64 },
    Inf { neg: bool },
}

/// Rounds the exact value `mag × 2^exp` (plus a sticky "something nonzero
/// below" bit) to the nearest long double, ties to even.
fn round(neg: bool, mag: &Big, exp: i64, sticky: bool) -> LongDouble {
    if mag.is_zero() {
        return LongDouble::Finite {
            neg,
            mant: 0,
            exp: 0,
        };
    }
    let len = mag.bits() as i64;
    let target = (exp + len - 64).max(MIN_EXP);
    let shift = target - exp;
    let (mant, mut e) = if shift <= 0 {
        (mag.shl((-shift) as u64).low_u64(), target)
    } else {
        let s = shift as u64;
        let kept = mag.shr(s).low_u64();
        let half = mag.bit(s - 1);
        let below = mag.any_below(s - 1) || sticky;
        let up = half && (below || kept & 1 == 1);
        match kept.checked_add(u64::from(up)) {
            Some(m) => (m, target),
            None => (1u64 << 63, target + 1),
        }
    };
    if mant == 0 {
        e = 0;
    }
    if e > MAX_EXP {
        return LongDouble::Inf { neg };
    }
    LongDouble::Finite { neg, mant, exp: e }
}

/// What went wrong parsing, for the caller's error text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAFloat;

impl LongDouble {
    pub fn from_i64(v: i64) -> LongDouble {
        LongDouble::Finite {
            neg: v < 0,
            mant: v.unsigned_abs(),
            exp: 0,
        }
    }

    pub fn is_inf(&self) -> bool {
        matches!(self, LongDouble::Inf { .. })
    }

    /// Redis's `string2ld`: not empty, not too long, no leading space, the
    /// whole string consumed by `strtold`, not NaN, and no range error
    /// that gave ±HUGE_VAL or zero. Infinity literals pass (callers decide).
    pub fn parse(bytes: &[u8]) -> Result<LongDouble, NotAFloat> {
        if bytes.is_empty() || bytes.len() >= MAX_CHARS {
            return Err(NotAFloat);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| NotAFloat)?;
        let (neg, body) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..).unwrap_or("")),
            Some(b'+') => (false, text.get(1..).unwrap_or("")),
            _ => (false, text),
        };
        let lower = body.to_ascii_lowercase();
        if lower == "inf" || lower == "infinity" {
            return Ok(LongDouble::Inf { neg });
        }
        let (value, nonzero) = if let Some(hex) = lower.strip_prefix("0x") {
            parse_hex(neg, hex)?
        } else {
            parse_dec(neg, &lower)?
        };
        match value {
            LongDouble::Inf { .. } => Err(NotAFloat),
            LongDouble::Finite { mant: 0, .. } if nonzero => Err(NotAFloat),
            v => Ok(v),
        }
    }

    /// The exact sum, rounded once.
    pub fn plus(self, o: LongDouble) -> LongDouble {
        let (a, b) = match (self, o) {
            (LongDouble::Inf { neg: x }, LongDouble::Inf { neg: y }) if x != y => {
                // inf - inf is NaN; callers refuse both, so any infinity does.
                return LongDouble::Inf { neg: x };
            }
            (i @ LongDouble::Inf { .. }, _) | (_, i @ LongDouble::Inf { .. }) => return i,
            (a, b) => (a, b),
        };
        let (
            LongDouble::Finite {
                neg: na,
                mant: ma,
                exp: ea,
            },
            LongDouble::Finite {
                neg: nb,
                mant: mb,
                exp: eb,
            },
        ) = (a, b)
        else {
            return a;
        };
        let e = ea.min(eb);
        let x = Big::from_u64(ma).shl((ea - e) as u64);
        let y = Big::from_u64(mb).shl((eb - e) as u64);
        if na == nb {
            return round(na, &x.add(&y), e, false);
        }
        match x.cmp_big(&y) {
            Ordering::Equal => LongDouble::Finite {
                neg: false,
                mant: 0,
                exp: 0,
            },
            Ordering::Greater => round(na, &x.sub(&y), e, false),
            Ordering::Less => round(nb, &y.sub(&x), e, false),
        }
    }

    /// `%.17Lf`, then Redis's trimming of trailing zeros and of a bare
    /// point, and `-0` shown as `0`. Infinities print as glibc does.
    pub fn to_human(self) -> String {
        let (neg, mant, exp) = match self {
            LongDouble::Inf { neg: true } => return "-inf".into(),
            LongDouble::Inf { neg: false } => return "inf".into(),
            LongDouble::Finite { neg, mant, exp } => (neg, mant, exp),
        };
        let mut scaled = Big::from_u64(mant);
        scaled.mul_pow10(17);
        let n = if exp >= 0 {
            scaled.shl(exp as u64)
        } else {
            let s = (-exp) as u64;
            let kept = scaled.shr(s);
            let half = scaled.bit(s - 1);
            let below = scaled.any_below(s - 1);
            if half && (below || kept.bit(0)) {
                kept.add(&Big::from_u64(1))
            } else {
                kept
            }
        };
        let digits = format!("{:0>18}", n.to_decimal());
        let split = digits.len() - 17;
        let (int, frac) = digits.split_at(split);
        let frac = frac.trim_end_matches('0');
        let mut s = String::new();
        if neg {
            s.push('-');
        }
        s.push_str(int);
        if !frac.is_empty() {
            s.push('.');
            s.push_str(frac);
        }
        if s == "-0" {
            s = "0".into();
        }
        s
    }
}

/// Decimal `strtold` body (sign already taken): digits with an optional
/// point, then an optional exponent. Returns the value and whether any
/// mantissa digit was nonzero (to tell an underflow from a real zero).
fn parse_dec(neg: bool, s: &str) -> Result<(LongDouble, bool), NotAFloat> {
    let (mant, exp_part) = match s.find('e') {
        Some(i) => (s.get(..i).unwrap_or(""), Some(s.get(i + 1..).unwrap_or(""))),
        None => (s, None),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(NotAFloat);
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(NotAFloat);
    }
    let mut exp10: i64 = match exp_part {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NotAFloat);
            }
            // Absurd exponents saturate: the value is 0 or infinite anyway.
            let v: i64 = digits.parse().unwrap_or(1_000_000).min(1_000_000);
            if e.starts_with('-') {
                -v
            } else {
                v
            }
        }
    };
    exp10 -= frac.len() as i64;
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let first = all.iter().position(|&b| b != b'0');
    let Some(first) = first else {
        return Ok((round(neg, &Big::default(), 0, false), false));
    };
    let sig = all.get(first..).unwrap_or_default();
    // Quick range checks before any big arithmetic.
    let magnitude = exp10 + sig.len() as i64;
    if magnitude > 4934 {
        return Ok((LongDouble::Inf { neg }, true));
    }
    if magnitude < -4952 {
        return Ok((round(neg, &Big::default(), 0, false), true));
    }
    let mut d = Big::default();
    for &b in sig {
        d.mul_add_small(10, u32::from(b - b'0'));
    }
    if exp10 >= 0 {
        d.mul_pow10(exp10 as u64);
        return Ok((round(neg, &d, 0, false), true));
    }
    let mut den = Big::from_u64(1);
    den.mul_pow10((-exp10) as u64);
    // Scale so the quotient has at least 66 bits (more for subnormals is
    // handled by round's sticky bit).
    let s = 66 + den.bits() as i64 - d.bits() as i64;
    let num = if s > 0 { d.shl(s as u64) } else { d.clone() };
    let (q, rem_nonzero) = div_big(&num, &den);
    Ok((round(neg, &q, -s.max(0), rem_nonzero), true))
}

/// Long division: quotient and whether the remainder is nonzero.
fn div_big(num: &Big, den: &Big) -> (Big, bool) {
    if num.cmp_big(den) == Ordering::Less {
        return (Big::default(), !num.is_zero());
    }
    let top = num.bits() - den.bits();
    let mut rem = num.clone();
    let mut q = Big::default();
    for i in (0..=top).rev() {
        let shifted = den.shl(i);
        if rem.cmp_big(&shifted) != Ordering::Less {
            rem = rem.sub(&shifted);
            q = q.add(&Big::from_u64(1).shl(i));
        }
    }
    (q, !rem.is_zero())
}

/// Hex `strtold` body after `0x`: hex digits with an optional point, an
/// optional binary exponent `p[+-]digits`.
fn parse_hex(neg: bool, s: &str) -> Result<(LongDouble, bool), NotAFloat> {
    let (mant, exp) = match s.split_once('p') {
        Some((m, e)) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NotAFloat);
            }
            let v: i64 = digits.parse().unwrap_or(1_000_000).min(1_000_000);
            (m, if e.starts_with('-') { -v } else { v })
        }
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(NotAFloat);
    }
    let mut d = Big::default();
    let mut nonzero = false;
    for c in int.chars().chain(frac.chars()) {
        let v = c.to_digit(16).ok_or(NotAFloat)?;
        nonzero |= v != 0;
        d.mul_add_small(16, v);
    }
    let e = exp - 4 * frac.len() as i64;
    if nonzero && e + d.bits() as i64 > 16400 {
        return Ok((LongDouble::Inf { neg }, true));
    }
    if nonzero && e + (d.bits() as i64) < MIN_EXP - 2 {
        return Ok((round(neg, &Big::default(), 0, false), true));
    }
    Ok((round(neg, &d, e, false), nonzero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(a: &str, b: &str) -> String {
        let (Ok(x), Ok(y)) = (
            LongDouble::parse(a.as_bytes()),
            LongDouble::parse(b.as_bytes()),
        ) else {
            return "parse error".into();
        };
        x.plus(y).to_human()
    }

    #[test]
    fn matches_redis_on_x86_64() {
        assert_eq!(add("0", "0.1"), "0.1");
        assert_eq!(add("0.1", "0.2"), "0.3");
        assert_eq!(add("1.5", "0.1"), "1.6");
        assert_eq!(add("0.3", "1e20"), "100000000000000000000");
        assert_eq!(add("0", "-0.00000000000000001"), "-0.00000000000000001");
        assert_eq!(add("0", "1e-30"), "0");
        assert_eq!(add("3", "0x10"), "19");
        assert_eq!(add("0", "1.23456789012345678901234"), "1.23456789012345679");
        assert_eq!(
            add("1.23456789012345679", "0.00000000000000001"),
            "1.2345678901234568"
        );
        assert_eq!(add("0", "3.3333333333333333333"), "3.33333333333333333");
        assert_eq!(add("9223372036854775807", "1"), "9223372036854775808");
        assert_eq!(add("0x1p-3", "1e-4950"), "0.125");
        assert!(LongDouble::parse(b"1e-5000").is_err());
        assert!(LongDouble::parse(b"1e5000").is_err());
        assert!(LongDouble::parse(b" 1").is_err());
        assert!(LongDouble::parse(b"").is_err());
        assert!(LongDouble::parse(b"nan").is_err());
        assert!(LongDouble::parse(b"1e400").is_ok());
        assert!(LongDouble::parse(b"-inf").is_ok_and(|v| v.is_inf()));
    }
}
