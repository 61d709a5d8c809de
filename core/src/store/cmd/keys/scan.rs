use super::glob::string_match;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::{int::parse_i64, reply::Reply};

/// `SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]`.
///
/// The cursor is a slot index in keyspace order; each call visits `COUNT`
/// slots (10 by default) and answers the next cursor, "0" when the walk is
/// over. The cursor parses like C's `strtoul` (so `-1` is a huge cursor,
/// which simply ends the walk); anything else is "invalid cursor". Options
/// are checked after the cursor; COUNT below 1 is a syntax error; TYPE
/// compares case-insensitively and an unknown type matches nothing.
/// Expired keys are skipped. Redis also reclaims the expired keys a call
/// visits; here that happens only on the call that ends the walk, because
/// deleting moves the last slot into the hole, which would make a walk still
/// in progress miss a key (SCAN promises every key present throughout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub cursor: u64,
    pub pattern: Option<Vec<u8>>,
    pub count: usize,
    pub type_name: Option<Vec<u8>>,
}

/// `strtoul` as Redis's `parseScanCursorOrReply` accepts it: no leading
/// space, an optional sign, decimal digits, nothing after, no overflow.
pub(super) fn parse_cursor(b: &[u8]) -> Option<u64> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    if digits.is_empty() {
        // strtoul consumed nothing: the whole string must be empty.
        return if b.is_empty() { Some(0) } else { None };
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

impl Command for Scan {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let cursor =
            parse_cursor(&arg(args, 1)).ok_or_else(|| Reply::error("ERR invalid cursor"))?;
        let mut scan = Scan {
            cursor,
            pattern: None,
            count: 10,
            type_name: None,
        };
        let mut i = 2;
        while let Some(opt) = args.get(i) {
            let opt = opt.to_ascii_lowercase();
            let Some(value) = args.get(i + 1) else {
                return Err(syntax_error());
            };
            match opt.as_slice() {
                b"count" => {
                    let n = parse_i64(value).ok_or_else(not_an_integer)?;
                    if n < 1 {
                        return Err(syntax_error());
                    }
                    scan.count = usize::try_from(n).unwrap_or(usize::MAX);
                }
                b"match" => {
                    scan.pattern = if value.as_slice() == b"*" {
                        None
                    } else {
                        Some(value.clone())
                    };
                }
                b"type" => scan.type_name = Some(value.to_ascii_lowercase()),
                _ => return Err(syntax_error()),
            }
            i += 2;
        }
        Ok(scan)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let len = ctx.ks.len() as u64;
        let start = self.cursor.min(len);
        let end = start.saturating_add(self.count as u64).min(len);
        let mut found = Vec::new();
        let mut expired = Vec::new();
        for i in start..end {
            let Some((k, e)) = ctx.ks.slot(i as usize) else {
                break;
            };
            if e.is_expired(now) {
                expired.push(k.to_vec());
                continue;
            }
            if let Some(p) = &self.pattern {
                if !string_match(p, k) {
                    continue;
                }
            }
            if let Some(t) = &self.type_name {
                if t.as_slice() != e.value.type_name().as_bytes() {
                    continue;
                }
            }
            found.push(Reply::bulk(k));
        }
        let next = if end >= len { 0 } else { end };
        if next == 0 {
            for k in expired {
                ctx.ks.expire_if_due(&k, now);
            }
        }
        Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(found)])
    }
}
