//! SPOP and SRANDMEMBER: random picks from the server's seeded generator,
//! so a page replays the same picks. Where Redis's answer is not random
//! (no key, a zero count, a count that covers the whole set, errors) it is
//! Redis 7.0's, which the corpus and the random scripts check.

use super::{delete_if_empty, read_set, write_set};
use crate::rng::Rng;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::int::parse_i64;
use crate::store::reply::Reply;
use crate::store::value::Set;

/// The most elements a negative SRANDMEMBER count may ask for. Redis has no
/// limit; a browser tab answering `SRANDMEMBER s -1000000000` would freeze,
/// so the playground refuses it (the corpus README lists the difference).
pub const MAX_RANDOM_REPLIES: u64 = 100_000;

/// One random member (`None` only for an empty set, which is never stored).
fn one(set: &Set, rng: &mut Rng) -> Option<Vec<u8>> {
    let i = rng.up_to(set.len().saturating_sub(1) as u64) as usize;
    set.get(i).map(<[u8]>::to_vec)
}

/// `count` distinct members in random order (Redis's order is its own).
fn distinct(set: &Set, count: usize, rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut idx: Vec<usize> = (0..set.len()).collect();
    let mut out = Vec::with_capacity(count.min(idx.len()));
    while out.len() < count && !idx.is_empty() {
        let i = rng.up_to(idx.len() as u64 - 1) as usize;
        let at = idx.swap_remove(i);
        out.extend(set.get(at).map(<[u8]>::to_vec));
    }
    out
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

impl Command for SPop {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
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
                return bulk(all);
            }
            Some(n) => {
                let picked = distinct(set, n as usize, &mut ctx.server.rng);
                for m in &picked {
                    set.remove(m);
                }
                bulk(picked)
            }
        };
        delete_if_empty(ks, &self.key, now);
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

impl Command for SRandMember {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        let count = match args.len() {
            2 => None,
            3 => Some(match parse_i64(&arg(args, 2)) {
                None => return Err(not_an_integer()),
                Some(i64::MIN) => {
                    return Err(Reply::error(
                        // Sic: Redis 7.0's wording.
                        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                    ));
                }
                Some(n) => n,
            }),
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
            Some(0) => Reply::Array(Vec::new()),
            Some(n) if n < 0 || n == 1 => {
                let times = n.unsigned_abs();
                if times > MAX_RANDOM_REPLIES {
                    return Reply::error(format!(
                        "ERR the playground answers at most {MAX_RANDOM_REPLIES} members \
                         (Redis would send {times})"
                    ));
                }
                let picks = (0..times).filter_map(|_| one(set, rng)).collect();
                bulk(picks)
            }
            Some(n) if n as u64 >= set.len() as u64 => {
                bulk(set.members().into_iter().map(<[u8]>::to_vec).collect())
            }
            Some(n) => bulk(distinct(set, n as usize, rng)),
        }
    }
}
