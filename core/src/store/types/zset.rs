//! A sorted set: members ordered by (score, member bytes), as Redis orders
//! them, with a member → score map for O(1) ZSCORE.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use crate::store::value::{LISTPACK_MAX_VALUE, ZSET_LISTPACK_MAX_ENTRIES};

/// A score that is never NaN (Redis refuses NaN), so it can be ordered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    /// Numeric order, as Redis's skiplist compares (`<`, `==`): `-0` and
    /// `0` are equal, so members with either are ordered by their bytes.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZSet {
    scores: HashMap<Vec<u8>, f64>,
    order: BTreeSet<(Score, Vec<u8>)>,
    /// Converted to a skiplist: Redis never converts back. Its scores are
    /// doubles, so `-0` stays `-0`; a listpack stores scores as text, where
    /// `-0` becomes `0`.
    skiplist: bool,
}

impl ZSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new set for a ZADD whose first member is `first` bytes: Redis
    /// 7.0 creates a skiplist straight away when that one member could not
    /// fit a listpack (it looks at no other; later ones convert on insert).
    pub fn for_zadd(first: usize) -> Self {
        ZSet {
            skiplist: first > LISTPACK_MAX_VALUE,
            ..Self::default()
        }
    }

    /// `OBJECT ENCODING`: `skiplist` or `listpack`.
    pub fn is_skiplist(&self) -> bool {
        self.skiplist
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Adds or moves a member; returns the previous score. A new member
    /// that would not fit a listpack converts the set first, as Redis's
    /// `zsetAdd` does; in a listpack `-0.0` is stored as `0.0`.
    pub fn insert(&mut self, member: Vec<u8>, score: f64) -> Option<f64> {
        if !self.skiplist
            && !self.scores.contains_key(&member)
            && (self.scores.len() + 1 > ZSET_LISTPACK_MAX_ENTRIES
                || member.len() > LISTPACK_MAX_VALUE)
        {
            self.skiplist = true;
        }
        let score = if score == 0.0 && !self.skiplist {
            0.0
        } else {
            score
        };
        let old = self.scores.insert(member.clone(), score);
        if let Some(old) = old {
            self.order.remove(&(Score(old), member.clone()));
        }
        self.order.insert((Score(score), member));
        old
    }

    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let old = self.scores.remove(member)?;
        self.order.remove(&(Score(old), member.to_vec()));
        Some(old)
    }

    /// Members in ascending (score, member) order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> + '_ {
        self.order.iter().map(|(s, m)| (m.as_slice(), s.0))
    }

    /// 0-based position in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        Some(self.order.range(..(Score(score), member.to_vec())).count())
    }

    /// Members whose score lies in `range`, ascending.
    pub fn in_range<'a>(
        &'a self,
        range: &'a ScoreRange,
    ) -> impl DoubleEndedIterator<Item = (&'a [u8], f64)> + 'a {
        self.iter().filter(move |(_, s)| range.contains(*s))
    }

    pub fn memory_estimate(&self) -> usize {
        self.scores.keys().map(|m| m.len() + 8 + 11).sum()
    }
}

/// Formats a score as Redis 7.0 replies it in RESP2 (`addReplyDouble`):
/// `printf("%.17g")`, so 0.1 is `0.10000000000000001`, 1e20 is `1e+20`,
/// and infinities are `inf` / `-inf`. The sign of a negative zero shows
/// (`-0`), which only ZADD INCR can reply (stored scores are normalised).
pub fn format_score(d: f64) -> String {
    if d.is_nan() {
        return "nan".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // 17 significant digits, exactly rounded (as glibc does), then %g's
    // choice between fixed and exponent notation.
    let sci = format!("{:.16e}", d);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    if !(-4..17).contains(&exp) {
        let m = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.unsigned_abs())
    } else {
        let decimals = (16 - exp).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, d)).to_string()
    }
}

/// %g's removal of trailing zeros (and of a trailing point).
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// C's `strtod` over the whole argument: what it accepts (decimal with
/// optional sign, point and exponent, hex `0x…` with optional `p` exponent,
/// `inf`/`infinity`/`nan` in any case, leading whitespace) and whether it
/// would set ERANGE for an overflow (±HUGE_VAL) or an underflow to zero.
/// `None` when characters are left over. An empty string is `Some(0.0)`:
/// strtod converts nothing and stops at the terminating NUL.
fn strtod_all(bytes: &[u8]) -> Option<(f64, bool)> {
    let start = bytes
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(bytes.len());
    let s = bytes.get(start..).unwrap_or_default();
    if s.is_empty() {
        return Some((0.0, false));
    }
    let text = std::str::from_utf8(s).ok()?;
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let v = if lower == "inf" || lower == "infinity" {
        return Some((
            if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            },
            false,
        ));
    } else if lower.starts_with("nan") {
        f64::NAN
    } else if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex(hex)?
    } else {
        if !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        body.parse::<f64>().ok()?
    };
    let mantissa_nonzero = {
        let m = lower
            .strip_prefix("0x")
            .map(|h| h.split('p').next().unwrap_or(""))
            .unwrap_or_else(|| lower.split('e').next().unwrap_or(""));
        m.bytes().any(|b| b.is_ascii_alphanumeric() && b != b'0')
    };
    let erange = v.is_infinite() || (v == 0.0 && mantissa_nonzero);
    Some((if neg { -v } else { v }, erange))
}

/// The part of a hex float after `0x`: hex digits, an optional point and
/// more hex digits (at least one digit in all), an optional `p` exponent.
fn parse_hex(s: &str) -> Option<f64> {
    let (mant, exp) = match s.split_once('p') {
        Some((m, e)) => {
            let e: i32 = if e.starts_with('+') {
                e.get(1..)?.parse().ok()?
            } else {
                e.parse().ok()?
            };
            (m, e)
        }
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

/// A score argument as ZADD/ZINCRBY read it (`getDoubleFromObject`): not
/// empty, no leading space, the whole string a number, no NaN, and no
/// overflow or underflow to zero (ERANGE). `1e-310` (a subnormal) is fine.
pub fn parse_score(bytes: &[u8]) -> Option<f64> {
    match bytes.first() {
        None => return None,
        Some(b) if b.is_ascii_whitespace() || *b == 0x0b => return None,
        _ => {}
    }
    let (v, erange) = strtod_all(bytes)?;
    if erange || v.is_nan() {
        return None;
    }
    Some(v)
}

/// One end of a score range (`zslParseRange`): `(` makes it exclusive; the
/// rest goes to plain strtod, which is laxer than [`parse_score`]: leading
/// spaces, overflow to ±inf and even an empty string (0) pass; NaN does not.
///
/// Redis hands the argument to strtod as a C string, so a NUL byte ends it.
pub fn parse_bound(bytes: &[u8]) -> Option<(f64, bool)> {
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or_default();
    let (exclusive, rest) = match bytes.split_first() {
        Some((b'(', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (v, _) = strtod_all(rest)?;
    if v.is_nan() {
        return None;
    }
    Some((v, exclusive))
}

/// A score interval with inclusive or exclusive ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub min_ex: bool,
    pub max: f64,
    pub max_ex: bool,
}

impl ScoreRange {
    pub fn parse(min: &[u8], max: &[u8]) -> Option<Self> {
        let (min, min_ex) = parse_bound(min)?;
        let (max, max_ex) = parse_bound(max)?;
        Some(ScoreRange {
            min,
            min_ex,
            max,
            max_ex,
        })
    }

    pub fn above_min(&self, s: f64) -> bool {
        if self.min_ex {
            s > self.min
        } else {
            s >= self.min
        }
    }

    pub fn below_max(&self, s: f64) -> bool {
        if self.max_ex {
            s < self.max
        } else {
            s <= self.max
        }
    }

    pub fn contains(&self, s: f64) -> bool {
        self.above_min(s) && self.below_max(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_format_like_printf_17g() {
        for (d, s) in [
            (0.1, "0.10000000000000001"),
            (1.5, "1.5"),
            (1e20, "1e+20"),
            (3.0, "3"),
            (-0.0, "-0"),
            (f64::INFINITY, "inf"),
            (1e-7, "9.9999999999999995e-08"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.3, "0.29999999999999999"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(format_score(d), s);
        }
        assert_eq!(parse_score(b"0x10"), Some(16.0));
        assert_eq!(parse_score(b""), None);
        assert_eq!(parse_score(b"1e400"), None);
        assert_eq!(parse_score(b" 1"), None);
        assert_eq!(parse_bound(b"(1e400"), Some((f64::INFINITY, true)));
        assert_eq!(parse_bound(b""), Some((0.0, false)));
    }

    #[test]
    fn orders_by_score_then_member_and_moves_on_update() {
        let mut z = ZSet::new();
        z.insert(b"b".to_vec(), 1.0);
        z.insert(b"a".to_vec(), 1.0);
        z.insert(b"c".to_vec(), 0.5);
        assert_eq!(z.insert(b"c".to_vec(), 2.0), Some(0.5));
        let got: Vec<_> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
        assert_eq!(
            got,
            vec![
                (b"a".to_vec(), 1.0),
                (b"b".to_vec(), 1.0),
                (b"c".to_vec(), 2.0)
            ]
        );
        assert_eq!(z.remove(b"a"), Some(1.0));
        assert_eq!(z.len(), 2);
        assert_eq!(
            z.iter().next().map(|(m, _)| m.to_vec()),
            Some(b"b".to_vec())
        );
    }
}
