//! Bitmaps: SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP on strings, as Redis
//! 7.0 does them (BYTE|BIT ranges included). The pattern they serve: a bit
//! per user id (`SETBIT active:2026-12-05 1042 1`), counted with BITCOUNT
//! and combined across days with BITOP.
//!
//! Bit 0 is the most significant bit of the first byte. Offsets, ranges and
//! the order of checks follow Redis's `bitops.c`; BITPOS is a line-by-line
//! port, because its edge cases (a clear bit past the end of the string
//! counts only when no end was given) are its own.

use crate::store::cmd::{arg, not_an_integer, syntax_error, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::keyspace::Built;
use crate::store::reply::Reply;
use crate::store::value::Value;

use super::MAX_SETRANGE_LEN;

/// Redis's `proto-max-bulk-len`: no string may pass 512 MB.
const PROTO_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

fn bad_offset() -> Reply {
    Reply::error("ERR bit offset is not an integer or out of range")
}

fn bad_bit() -> Reply {
    Reply::error("ERR bit is not an integer or out of range")
}

/// `getBitOffsetFromArgument`: a non-negative integer whose byte is inside
/// 512 MB.
fn bit_offset(raw: &[u8]) -> Result<u64, Reply> {
    match parse_i64(raw) {
        Some(n) if n >= 0 && (n as u64 >> 3) < PROTO_MAX_BULK_LEN => Ok(n as u64),
        _ => Err(bad_offset()),
    }
}

fn bit_at(s: &[u8], offset: u64) -> bool {
    let byte = usize::try_from(offset >> 3).unwrap_or(usize::MAX);
    s.get(byte)
        .is_some_and(|b| b & (1 << (7 - (offset & 7))) != 0)
}

/// `SETBIT key offset 0|1`: sets or clears one bit, growing the string
/// with zero bytes; answers the bit's old value. The string is `raw`
/// afterwards, as Redis unshares it to write in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetBit {
    pub key: Vec<u8>,
    pub offset: u64,
    pub on: bool,
}

impl<'a> Command<'a> for SetBit {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let offset = bit_offset(&arg(args, 2))?;
        let on = match parse_i64(&arg(args, 3)) {
            Some(0) => false,
            Some(1) => true,
            _ => return Err(bad_bit()),
        };
        Ok(SetBit {
            key: arg(args, 1),
            offset,
            on,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let exists = match ctx.ks.lookup_write(&self.key, now) {
            None => false,
            Some(e) if matches!(e.value, Value::Str(_)) => true,
            Some(_) => return wrong_type(),
        };
        let byte = self.offset >> 3;
        if byte >= MAX_SETRANGE_LEN as u64 {
            return Reply::error(format!(
                "ERR string exceeds the playground's maximum of {MAX_SETRANGE_LEN} bytes (Redis allows 512 MB)"
            ));
        }
        if !exists {
            ctx.ks.set(&self.key, Value::Str(Vec::new()), false, now);
        }
        let Some(e) = ctx.ks.lookup_write(&self.key, now) else {
            return Reply::Integer(0);
        };
        let Value::Str(s) = &mut e.value else {
            return wrong_type();
        };
        let byte = byte as usize;
        // Announced as Redis 7.0 does: when the key was made or grew, or
        // the bit changed.
        let mut dirty = !exists;
        if s.len() <= byte {
            s.resize(byte + 1, 0);
            dirty = true;
        }
        let mask = 1u8 << (7 - (self.offset & 7));
        let old = s.get(byte).is_some_and(|b| b & mask != 0);
        if let Some(b) = s.get_mut(byte) {
            if self.on {
                *b |= mask;
            } else {
                *b &= !mask;
            }
        }
        e.mark_built(Built::InPlace);
        if dirty || old != self.on {
            ctx.ks.notify(notify::STRING, "setbit", &self.key);
        }
        Reply::Integer(i64::from(old))
    }
}

/// `GETBIT key offset`: a missing key, or a bit past the end, is 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetBit {
    pub key: Vec<u8>,
    pub offset: u64,
}

impl<'a> Command<'a> for GetBit {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(GetBit {
            key: arg(args, 1),
            offset: bit_offset(&arg(args, 2))?,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        match ctx.ks.lookup_read(&self.key, ctx.now) {
            None => Reply::Integer(0),
            Some(e) => match e.value.as_str() {
                Some(s) => Reply::Integer(i64::from(bit_at(s, self.offset))),
                None => wrong_type(),
            },
        }
    }
}

/// A BITCOUNT/BITPOS range after Redis's conversion: whole bytes
/// `start..=end`, and the masks of the bits outside a BIT range in the
/// first and last byte.
struct Span {
    start: i64,
    end: i64,
    first_mask: u8,
    last_mask: u8,
}

impl Span {
    /// Every byte of a string of `len` bytes.
    fn whole(len: i64) -> Span {
        Span {
            start: 0,
            end: len - 1,
            first_mask: 0,
            last_mask: 0,
        }
    }
}

/// Negative indexes from the end, clamped to the string; with `bit`, the
/// indexes are bits and become bytes plus edge masks.
fn span(mut start: i64, mut end: i64, len: i64, bit: bool) -> Span {
    let total = if bit { len << 3 } else { len };
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0).min(total - 1);
    let (mut first_mask, mut last_mask) = (0, 0);
    if bit && start <= end {
        first_mask = !((1u16 << (8 - (start & 7))) - 1) as u8;
        last_mask = ((1u16 << (7 - (end & 7))) - 1) as u8;
        start >>= 3;
        end >>= 3;
    }
    Span {
        start,
        end,
        first_mask,
        last_mask,
    }
}

/// Whether a range is in bits: `BIT`; `BYTE` or none is bytes (any
/// case); another word is a syntax error.
fn in_bits(word: Option<&Vec<u8>>) -> Result<bool, Reply> {
    match word {
        None => Ok(false),
        Some(w) if w.eq_ignore_ascii_case(b"bit") => Ok(true),
        Some(w) if w.eq_ignore_ascii_case(b"byte") => Ok(false),
        Some(_) => Err(syntax_error()),
    }
}

fn byte(s: &[u8], i: i64) -> u8 {
    usize::try_from(i)
        .ok()
        .and_then(|i| s.get(i))
        .copied()
        .unwrap_or(0)
}

/// `BITCOUNT key [start end [BYTE|BIT]]`. Redis looks the key up before
/// it reads the range: a missing key is 0 whatever follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitCount {
    pub args: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for BitCount {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(BitCount {
            args: args.to_vec(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let a = &self.args;
        let s = match ctx.ks.lookup_read(&arg(a, 1), ctx.now) {
            None => return Reply::Integer(0),
            Some(e) => match e.value.as_str() {
                Some(s) => s,
                None => return wrong_type(),
            },
        };
        let len = s.len() as i64;
        let sp = match a.len() {
            2 => Span::whole(len),
            4 | 5 => {
                let Some(start) = parse_i64(&arg(a, 2)) else {
                    return not_an_integer();
                };
                let Some(end) = parse_i64(&arg(a, 3)) else {
                    return not_an_integer();
                };
                let bit = match in_bits(a.get(4)) {
                    Ok(b) => b,
                    Err(e) => return e,
                };
                if start < 0 && end < 0 && start > end {
                    return Reply::Integer(0);
                }
                span(start, end, len, bit)
            }
            _ => return syntax_error(),
        };
        if sp.start > sp.end {
            return Reply::Integer(0);
        }
        let mut count: i64 = (sp.start..=sp.end)
            .map(|i| i64::from(byte(s, i).count_ones()))
            .sum();
        count -= i64::from((byte(s, sp.start) & sp.first_mask).count_ones());
        count -= i64::from((byte(s, sp.end) & sp.last_mask).count_ones());
        Reply::Integer(count)
    }
}

/// Redis's `redisBitpos`: the first bit equal to `bit` in `bytes`, or
/// for a clear bit not found the one just past them (the string continues
/// with zeros), and -1 for a set bit not found.
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    for (i, b) in bytes.iter().enumerate() {
        let b = if bit { *b } else { !*b };
        if b != 0 {
            return (i as i64) * 8 + i64::from(b.leading_zeros() as u8);
        }
    }
    if bit {
        -1
    } else {
        (bytes.len() as i64) * 8
    }
}

/// `BITPOS key 0|1 [start [end [BYTE|BIT]]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitPos {
    pub args: Vec<Vec<u8>>,
    pub bit: bool,
}

impl<'a> Command<'a> for BitPos {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let bit = match parse_i64(&arg(args, 2)) {
            None => return Err(not_an_integer()),
            Some(0) => false,
            Some(1) => true,
            Some(_) => return Err(Reply::error("ERR The bit argument must be 1 or 0.")),
        };
        Ok(BitPos {
            args: args.to_vec(),
            bit,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (a, bit) = (&self.args, self.bit);
        let s = match ctx.ks.lookup_read(&arg(a, 1), ctx.now) {
            // No key: an endless run of clear bits.
            None => return Reply::Integer(if bit { -1 } else { 0 }),
            Some(e) => match e.value.as_str() {
                Some(s) => s,
                None => return wrong_type(),
            },
        };
        let len = s.len() as i64;
        let mut end_given = false;
        let sp = match a.len() {
            3 => Span::whole(len),
            4..=6 => {
                let Some(start) = parse_i64(&arg(a, 3)) else {
                    return not_an_integer();
                };
                let unit_bit = match in_bits(a.get(5)) {
                    Ok(b) => b,
                    Err(e) => return e,
                };
                let end = if a.len() >= 5 {
                    let Some(end) = parse_i64(&arg(a, 4)) else {
                        return not_an_integer();
                    };
                    end_given = true;
                    end
                } else {
                    len - 1
                };
                span(start, end, len, unit_bit)
            }
            _ => return syntax_error(),
        };
        let (mut start, end) = (sp.start, sp.end);
        if start > end {
            return Reply::Integer(-1);
        }
        let mut bytes = end - start + 1;
        let at = |i: i64| byte(s, i);
        let edge = |c: u8, mask: u8| if bit { c & !mask } else { c | mask };
        let mut pos;
        'found: {
            if sp.first_mask != 0 {
                let mut c = edge(at(start), sp.first_mask);
                if sp.last_mask != 0 && bytes == 1 {
                    c = edge(c, sp.last_mask);
                }
                pos = first_bit(&[c], bit);
                if bytes == 1 || (pos != -1 && pos != 8) {
                    break 'found;
                }
                start += 1;
                bytes -= 1;
            }
            let whole = bytes - i64::from(sp.last_mask != 0);
            if whole > 0 {
                let from = usize::try_from(start).unwrap_or(usize::MAX);
                let to = usize::try_from(start + whole).unwrap_or(usize::MAX);
                pos = first_bit(s.get(from..to).unwrap_or(&[]), bit);
                if bytes == whole || (pos != -1 && pos != whole << 3) {
                    break 'found;
                }
                start += whole;
                bytes -= whole;
            }
            pos = first_bit(&[edge(at(end), sp.last_mask)], bit);
        }
        // A clear bit just past an explicit end is not in the range.
        if end_given && !bit && pos == bytes << 3 {
            return Reply::Integer(-1);
        }
        if pos != -1 {
            pos += start << 3;
        }
        Reply::Integer(pos)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitOpKind {
    And,
    Or,
    Xor,
    Not,
}

/// `BITOP AND|OR|XOR|NOT destkey key [key …]`: byte by byte over the
/// longest source (a shorter or missing one reads as zeros), stored in
/// `destkey` as a `raw` string without a TTL; an all-empty result deletes
/// it. Answers the length stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitOp {
    pub op: BitOpKind,
    pub dest: Vec<u8>,
    pub sources: Vec<Vec<u8>>,
}

impl<'a> Command<'a> for BitOp {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let name = arg(args, 1).to_ascii_lowercase();
        let op = match name.as_slice() {
            b"and" => BitOpKind::And,
            b"or" => BitOpKind::Or,
            b"xor" => BitOpKind::Xor,
            b"not" => BitOpKind::Not,
            _ => return Err(syntax_error()),
        };
        if op == BitOpKind::Not && args.len() != 4 {
            return Err(Reply::error(
                "ERR BITOP NOT must be called with a single source key.",
            ));
        }
        Ok(BitOp {
            op,
            dest: arg(args, 2),
            sources: args.get(3..).unwrap_or_default().to_vec(),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let mut strings: Vec<Vec<u8>> = Vec::with_capacity(self.sources.len());
        for key in &self.sources {
            match ctx.ks.lookup_read(key, now) {
                None => strings.push(Vec::new()),
                Some(e) => match e.value.as_str() {
                    Some(s) => strings.push(s.to_vec()),
                    None => return wrong_type(),
                },
            }
        }
        let max = strings.iter().map(Vec::len).max().unwrap_or(0);
        if max == 0 {
            if ctx.ks.delete_as_is(&self.dest, now) {
                ctx.ks.notify(notify::GENERIC, "del", &self.dest);
            }
            return Reply::Integer(0);
        }
        let at = |s: &Vec<u8>, i: usize| s.get(i).copied().unwrap_or(0);
        let result: Vec<u8> = (0..max)
            .map(|i| {
                let mut it = strings.iter();
                let first = it.next().map_or(0, |s| at(s, i));
                match self.op {
                    BitOpKind::Not => !first,
                    BitOpKind::And => it.fold(first, |acc, s| acc & at(s, i)),
                    BitOpKind::Or => it.fold(first, |acc, s| acc | at(s, i)),
                    BitOpKind::Xor => it.fold(first, |acc, s| acc ^ at(s, i)),
                }
            })
            .collect();
        // setKey: a write lookup (expiring the old key if due), then the
        // new value without a TTL, `raw` as Redis builds it.
        ctx.ks.lookup_write(&self.dest, now);
        ctx.ks.set(&self.dest, Value::Str(result), false, now);
        ctx.ks.mark_built(&self.dest, Built::InPlace);
        ctx.ks.notify(notify::STRING, "set", &self.dest);
        Reply::Integer(max as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bit_finds_set_and_clear_bits_like_redis_bitpos() {
        assert_eq!(first_bit(&[0x00, 0x10], true), 11);
        assert_eq!(first_bit(&[0xff, 0xff], false), 16, "past the end");
        assert_eq!(first_bit(&[0x00], true), -1);
        assert_eq!(first_bit(&[0xfe], false), 7);
        assert_eq!(first_bit(&[], false), 0);
    }

    #[test]
    fn bit_spans_become_bytes_with_edge_masks() {
        let sp = span(5, 17, 4, true);
        assert_eq!((sp.start, sp.end), (0, 2));
        assert_eq!((sp.first_mask, sp.last_mask), (0b1111_1000, 0b0011_1111));
        let sp = span(-2, -1, 4, false);
        assert_eq!(
            (sp.start, sp.end, sp.first_mask, sp.last_mask),
            (2, 3, 0, 0)
        );
        let sp = span(0, 100, 0, false);
        assert!(sp.start > sp.end, "an empty string has no bytes");
    }

    #[test]
    fn offsets_past_512_mb_are_refused() {
        assert_eq!(bit_offset(b"4294967295"), Ok(4_294_967_295));
        assert_eq!(bit_offset(b"4294967296"), Err(bad_offset()));
        assert_eq!(bit_offset(b"-1"), Err(bad_offset()));
        assert_eq!(bit_offset(b"#3"), Err(bad_offset()));
    }
}
