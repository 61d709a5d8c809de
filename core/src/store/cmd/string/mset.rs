use crate::store::cmd::{wrong_arity, Ctx};
use crate::store::config::notify;
use crate::store::{keyspace::Value, reply::Reply};

/// `MSET key value [key value …]` and `MSETNX`: set every pair, dropping
/// TTLs, as one atomic step. An odd number of arguments after the name is an
/// arity error, raised by the command itself (the table only says "at least
/// 3"). MSETNX sets nothing, and answers 0, if any of the keys exists; a key
/// named twice takes its last value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MSet {
    pub pairs: Vec<(Vec<u8>, Vec<u8>)>,
    pub nx: bool,
}

impl MSet {
    pub fn parse(args: &[Vec<u8>], nx: bool) -> Result<Self, Reply> {
        if args.len() % 2 == 0 {
            return Err(wrong_arity(if nx { "msetnx" } else { "mset" }));
        }
        let rest = args.get(1..).unwrap_or_default();
        let pairs = rest
            .chunks_exact(2)
            .filter_map(|p| Some((p.first()?.clone(), p.get(1)?.clone())))
            .collect();
        Ok(MSet { pairs, nx })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        if self.nx
            && self
                .pairs
                .iter()
                .any(|(k, _)| ctx.ks.lookup_write(k, now).is_some())
        {
            return Reply::Integer(0);
        }
        for (k, v) in self.pairs {
            ctx.ks.set(&k, Value::Str(v), false, now);
            ctx.ks.notify(notify::STRING, "set", &k);
        }
        if self.nx {
            Reply::Integer(1)
        } else {
            Reply::ok()
        }
    }
}
