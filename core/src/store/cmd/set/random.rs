//! SPOP and SRANDMEMBER: random picks from the server's seeded generator,
//! so a page replays the same picks. Where Redis's answer is not random
//! (no key, a zero count, a count that covers the whole set, errors) it is
//! Redis 7.0's, which the corpus and the random scripts check.

use super::{read_set, write_set};
use crate::rng::Rng;
use crate::store::cmd::random_count::{parse_count, pick};
use crate::store::cmd::{arg, syntax_error, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::store::value::Set;

/// One random member (`None` only for an empty set, which is never stored).
fn one(set: &Set, rng: &mut Rng) -> Option<Vec<u8>> {
    let i = rng.up_to(set.len().saturating_sub(1) as u64) as usize;
    set.get(i).map(<[u8]>::to_vec)
}

/// The members a count picks (see `random_count::pick`): distinct for a
/// positive count, in random order (Redis's order is its own).
fn picked(set: &Set, count: i64, rng: &mut Rng) -> Result<Vec<Vec<u8>>, Reply> {
    Ok(pick(count, set.len(), rng)?
        .into_iter()
        .filter_map(|i| set.get(i).map(<[u8]>::to_vec))
        .collect())
}

fn bulk(members: Vec<Vec<u8>>) -> Reply {
    Reply::Array(members.into_iter().map(Reply::Bulk).collect())
}

/// `SPOP key [count]`: removes and answers random members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SPop {
    pub key: Vec<u8>,
    pub count: Option<u64>,
}

impl<'a> Command<'a> for SPop {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let count = match args.len() {
            2 => None,
            // Redis 7.0's getPositiveLongFromObjectOrReply gives one
            // message for a word and for a negative number.
            3 => Some(
                parse_i64(&arg(args, 2))
                    .filter(|&n| n >= 0)
                    .ok_or_else(|| Reply::error("ERR value is out of range, must be positive"))?
                    as u64,
            ),
            _ => return Err(syntax_error()),
        };
        Ok(SPop {
            key: arg(args, 1),
            count,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        let set = match write_set(ks, &self.key, now) {
            Err(e) => return e,
            Ok(None) if self.count.is_some() => return Reply::Array(Vec::new()),
            Ok(None) => return Reply::Nil,
            Ok(Some(s)) => s,
        };
        let reply = match self.count {
            None => match one(set, &mut ctx.server.rng) {
                Some(m) => {
                    set.remove(&m);
                    Reply::Bulk(m)
                }
                None => Reply::Nil,
            },
            Some(0) => return Reply::Array(Vec::new()),
            // The whole set: Redis answers it through SUNION's code, a read
            // lookup (one keyspace hit) and the set's own order.
            Some(n) if n >= set.len() as u64 => {
                let all: Vec<Vec<u8>> = set.members().into_iter().map(<[u8]>::to_vec).collect();
                ks.lookup_read(&self.key, now);
                ks.delete_as_is(&self.key, now);
                ks.notify(notify::SET, "spop", &self.key);
                ks.notify(notify::GENERIC, "del", &self.key);
                return bulk(all);
            }
            Some(n) => {
                let count = i64::try_from(n).unwrap_or(i64::MAX);
                let taken = match picked(set, count, &mut ctx.server.rng) {
                    Ok(t) => t,
                    Err(e) => return e,
                };
                for m in &taken {
                    set.remove(m);
                }
                bulk(taken)
            }
        };
        if !reply.is_nothing() {
            ks.notify(notify::SET, "spop", &self.key);
        }
        ks.delete_if_empty(&self.key, now);
        reply
    }
}

/// `SRANDMEMBER key [count]`: random members, distinct for a positive
/// count, possibly repeated for a negative one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SRandMember {
    pub key: Vec<u8>,
    pub count: Option<i64>,
}

impl<'a> Command<'a> for SRandMember {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let count = match args.len() {
            2 => None,
            3 => Some(parse_count(&arg(args, 2))?),
            _ => return Err(syntax_error()),
        };
        Ok(SRandMember {
            key: arg(args, 1),
            count,
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let set = match read_set(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) if self.count.is_some() => return Reply::Array(Vec::new()),
            Ok(None) => return Reply::Nil,
            Ok(Some(s)) => s,
        };
        let rng = &mut ctx.server.rng;
        match self.count {
            None => one(set, rng).map_or(Reply::Nil, Reply::Bulk),
            // The whole set, in the set's own order (an intset's, or its
            // hash table's).
            Some(n) if n > 1 && n as u64 >= set.len() as u64 => {
                bulk(set.members().into_iter().map(<[u8]>::to_vec).collect())
            }
            Some(n) => picked(set, n, rng).map_or_else(|e| e, bulk),
        }
    }
}
