//! Redis 7.0's LMPOP and ZMPOP, and their blocking forms BLMPOP and
//! BZMPOP: pop up to COUNT elements (or members with their scores) from
//! the first of several keys that has any, answering `[key, [popped…]]`.
//! The blocking forms wait like BLPOP (see `list::blocking`).
//!
//! In Redis 7.0's order of checks: numkeys, then the LEFT|RIGHT (MIN|MAX)
//! word where numkeys says it stands, then COUNT, then (blocking) the
//! timeout, then the keys in argument order (a key of another type met
//! first is WRONGTYPE).

use super::list::{deadline, parse_timeout, write_list, BlockRequest, End, Pop, Wait};
use super::zset::{write_zset, ZPop};
use super::{arg, syntax_error, Ctx};
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::time::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MPop {
    pub keys: Vec<Vec<u8>>,
    /// A sorted set (ZMPOP) or a list (LMPOP).
    pub zset: bool,
    /// RIGHT, or MAX.
    pub tail: bool,
    pub count: u64,
    /// The blocking forms' timeout (0: for ever).
    pub timeout: Option<Millis>,
}

impl MPop {
    /// `blocking`: BLMPOP/BZMPOP, whose timeout comes before numkeys.
    pub fn parse(args: &[Vec<u8>], zset: bool, blocking: bool) -> Result<Self, Reply> {
        let numkeys_at = if blocking { 2 } else { 1 };
        let numkeys = parse_i64(&arg(args, numkeys_at))
            .filter(|&n| n >= 1)
            .ok_or_else(|| Reply::error("ERR numkeys should be greater than 0"))?;
        // Where the direction must stand; past the end is a syntax error.
        let where_at = usize::try_from(numkeys)
            .ok()
            .and_then(|n| n.checked_add(numkeys_at + 1))
            .filter(|&i| i < args.len())
            .ok_or_else(syntax_error)?;
        let word = arg(args, where_at).to_ascii_uppercase();
        let tail = match (zset, word.as_slice()) {
            (false, b"LEFT") | (true, b"MIN") => false,
            (false, b"RIGHT") | (true, b"MAX") => true,
            _ => return Err(syntax_error()),
        };
        let mut count = None;
        let mut j = where_at + 1;
        while let Some(opt) = args.get(j) {
            let more = j + 1 < args.len();
            if count.is_none() && more && opt.eq_ignore_ascii_case(b"COUNT") {
                j += 1;
                count = Some(
                    parse_i64(&arg(args, j))
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| Reply::error("ERR count should be greater than 0"))?
                        as u64,
                );
            } else {
                return Err(syntax_error());
            }
            j += 1;
        }
        let timeout = if blocking {
            Some(parse_timeout(&arg(args, 1))?)
        } else {
            None
        };
        Ok(MPop {
            keys: args
                .get(numkeys_at + 1..where_at)
                .unwrap_or_default()
                .to_vec(),
            zset,
            tail,
            count: count.unwrap_or(1),
            timeout,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        for key in &self.keys {
            let popped = if self.zset {
                match write_zset(ctx.ks, key, now) {
                    Err(e) => return e,
                    Ok(None) => continue,
                    Ok(Some(_)) => pairs(
                        ZPop {
                            key: key.clone(),
                            count: usize::try_from(self.count).unwrap_or(usize::MAX),
                            max: self.tail,
                        }
                        .apply(ctx),
                    ),
                }
            } else {
                match write_list(ctx.ks, key, now) {
                    Err(e) => return e,
                    Ok(None) => continue,
                    Ok(Some(_)) => Pop {
                        key: key.clone(),
                        count: Some(usize::try_from(self.count).unwrap_or(usize::MAX)),
                        end: if self.tail { End::Right } else { End::Left },
                    }
                    .apply(ctx),
                }
            };
            // The key list is not a fixed position, so the memory figure of
            // the key popped from is refreshed here.
            ctx.ks.refresh_size(key, now);
            return Reply::Array(vec![Reply::Bulk(key.clone()), popped]);
        }
        if let (Some(timeout), true) = (self.timeout, ctx.server.may_block) {
            ctx.server.block_request = Some(BlockRequest {
                keys: self.keys,
                wait: Wait::MPop {
                    zset: self.zset,
                    tail: self.tail,
                    count: self.count,
                },
                deadline: deadline(now, timeout),
            });
        }
        Reply::Nil
    }
}

/// ZPOPMIN's flat `[member, score, …]` as ZMPOP nests it: `[[member, score], …]`.
pub fn pairs(flat: Reply) -> Reply {
    match flat {
        Reply::Array(items) => {
            let mut out = Vec::with_capacity(items.len() / 2);
            let mut it = items.into_iter();
            while let (Some(m), Some(s)) = (it.next(), it.next()) {
                out.push(Reply::Array(vec![m, s]));
            }
            Reply::Array(out)
        }
        other => other,
    }
}

/// What the store runs to serve a waiting BLMPOP/BZMPOP from `key`.
pub fn serving_command(zset: bool, tail: bool, count: u64, key: &[u8]) -> Vec<Vec<u8>> {
    let name: &[u8] = match (zset, tail) {
        (false, false) => b"LPOP",
        (false, true) => b"RPOP",
        (true, false) => b"ZPOPMIN",
        (true, true) => b"ZPOPMAX",
    };
    vec![name.to_vec(), key.to_vec(), count.to_string().into_bytes()]
}
