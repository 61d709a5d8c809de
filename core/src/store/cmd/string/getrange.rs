use crate::store::cmd::{arg, not_an_integer, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::keyspace::Built;
use crate::store::reply::Reply;
use crate::store::value::Value;

/// `GETRANGE key start end` (and its old name `SUBSTR`): the bytes from
/// `start` to `end` inclusive, negative indexes counting from the end, as
/// Redis 7.0 clamps them. Both numbers are read before the key is looked
/// up; a missing key is an empty string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetRange {
    pub key: Vec<u8>,
    pub start: i64,
    pub end: i64,
}

impl<'a> Command<'a> for GetRange {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let start = parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?;
        let end = parse_i64(&arg(args, 3)).ok_or_else(not_an_integer)?;
        Ok(GetRange {
            key: arg(args, 1),
            start,
            end,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let s = match ctx.ks.lookup_read(&self.key, ctx.now) {
            None => return Reply::bulk(""),
            Some(e) => match e.value.as_str() {
                Some(s) => s,
                None => return wrong_type(),
            },
        };
        Reply::Bulk(range(s, self.start, self.end).to_vec())
    }
}

/// `getrangeCommand`'s arithmetic: two negative indexes in the wrong order
/// are empty at once; otherwise negatives count from the end and clamp to
/// 0, and the end clamps to the last byte.
fn range(s: &[u8], start: i64, end: i64) -> &[u8] {
    if start < 0 && end < 0 && start > end {
        return &[];
    }
    let len = s.len() as i64;
    let start = if start < 0 {
        len.saturating_add(start)
    } else {
        start
    }
    .max(0);
    let end = if end < 0 {
        len.saturating_add(end)
    } else {
        end
    }
    .max(0)
    .min(len - 1);
    if start > end || len == 0 {
        return &[];
    }
    s.get(start as usize..=end as usize).unwrap_or(&[])
}

/// Longest string SETRANGE may make. Redis allows 512 MB
/// (`proto-max-bulk-len`); zero-filling that much in a browser tab would
/// stall or kill it, so the playground stops at 16 MiB with its own error.
pub const MAX_SETRANGE_LEN: i64 = 16 * 1024 * 1024;
/// Redis 7.0's default `proto-max-bulk-len`: beyond it, Redis's own error.
const PROTO_MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

/// `SETRANGE key offset value`: overwrites bytes from `offset`, padding
/// with zero bytes, and answers the new length. Redis 7.0's order: the
/// offset must be an integer, then not negative; a write lookup (no hit or
/// miss); an empty value changes nothing (0 for a missing key, else the
/// length, after the type check); the length limit is checked last. A
/// string it writes is `raw`, as Redis unshares it into a raw SDS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetRange {
    pub key: Vec<u8>,
    pub offset: i64,
    pub value: Vec<u8>,
}

impl<'a> Command<'a> for SetRange {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let offset = parse_i64(&arg(args, 2)).ok_or_else(not_an_integer)?;
        if offset < 0 {
            return Err(Reply::error("ERR offset is out of range"));
        }
        Ok(SetRange {
            key: arg(args, 1),
            offset,
            value: arg(args, 3),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let too_long = || {
            Reply::error(format!(
                "ERR string exceeds the playground's maximum of {MAX_SETRANGE_LEN} bytes (Redis allows 512 MB)"
            ))
        };
        let new_len = self.offset.saturating_add(self.value.len() as i64);
        let exists = match ctx.ks.lookup_write(&self.key, now) {
            None => false,
            Some(e) => match &e.value {
                Value::Str(s) if self.value.is_empty() => return Reply::Integer(s.len() as i64),
                Value::Str(_) => true,
                _ => return wrong_type(),
            },
        };
        if self.value.is_empty() {
            return Reply::Integer(0);
        }
        if new_len > PROTO_MAX_BULK_LEN {
            return Reply::error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        if new_len > MAX_SETRANGE_LEN {
            return too_long();
        }
        let offset = self.offset as usize;
        if !exists {
            ctx.ks.set(&self.key, Value::Str(Vec::new()), false, now);
        }
        let Some(e) = ctx.ks.lookup_write(&self.key, now) else {
            return Reply::Integer(0);
        };
        let Value::Str(s) = &mut e.value else {
            return wrong_type();
        };
        if s.len() < offset + self.value.len() {
            s.resize(offset + self.value.len(), 0);
        }
        if let Some(dest) = s.get_mut(offset..offset + self.value.len()) {
            dest.copy_from_slice(&self.value);
        }
        let len = s.len();
        e.mark_built(Built::InPlace);
        ctx.ks.notify(notify::STRING, "setrange", &self.key);
        Reply::Integer(len as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::range;

    #[test]
    fn ranges_clamp_like_redis() {
        let s = b"This is a string";
        assert_eq!(range(s, 0, 3), b"This");
        assert_eq!(range(s, -3, -1), b"ing");
        assert_eq!(range(s, 0, -1), s);
        assert_eq!(range(s, 10, 100), b"string");
        assert_eq!(range(s, -1, -3), b"");
        assert_eq!(range(s, 5, 2), b"");
        assert_eq!(range(s, -100, 2), b"Thi");
        assert_eq!(range(s, i64::MIN, i64::MAX), s);
        assert_eq!(range(b"", 0, -1), b"");
    }
}
