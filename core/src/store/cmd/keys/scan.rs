use super::element_scan::walk_buckets;
use super::glob::string_match;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::{int::parse_i64, reply::Reply};

/// `SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]`.
///
/// The keyspace is walked as Redis's `dictScan` walks its main table, with
/// the reverse-binary cursor of the element scans (see `element_scan`):
/// whole buckets of the store's fixed hash, about `COUNT` keys a call (10
/// by default), the next cursor answered, "0" when the walk is over. So a
/// key present for the whole walk is returned even when keys come and go,
/// and the table grows or shrinks, between calls. The cursor parses like
/// C's `strtoul` (so `-1` is a huge cursor); anything else is "invalid
/// cursor". Options are checked after the cursor; COUNT below 1 is a syntax
/// error; TYPE compares case-insensitively and an unknown type matches
/// nothing. An expired key a call visits is reclaimed there, as Redis's
/// filter step does, and not returned.
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

impl<'a> Command<'a> for Scan {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
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
        let keys = ctx.ks.iter().map(|(k, _)| (k.clone(), None)).collect();
        let (next, visited) = walk_buckets(keys, self.cursor, self.count, false);
        let mut found = Vec::new();
        for (key, _) in visited {
            // Redis's filter step: MATCH; then TYPE, through a read lookup
            // (a hit or a miss, reclaiming an expired key, whose type is
            // then "none"); then expiry, which reclaims the key.
            if let Some(p) = &self.pattern {
                if !string_match(p, &key) {
                    continue;
                }
            }
            if let Some(t) = &self.type_name {
                let kind = super::lookup_notouch(ctx.ks, &key, now)
                    .map_or("none", |e| e.value.type_name());
                if t.as_slice() != kind.as_bytes() {
                    continue;
                }
            }
            if ctx.ks.expire_if_due(&key, now) {
                continue;
            }
            found.push(Reply::Bulk(key));
        }
        Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(found)])
    }
}
