use super::write_or_create_hash;
use crate::store::cmd::{arg, wrong_arity, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;

/// How the reply and the overwrite rule differ between the three setters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HSetKind {
    /// `HSET key f v [f v …]`: replies how many fields were new.
    Set,
    /// `HMSET`: the same, replying OK (deprecated alias kept by Redis).
    MSet,
    /// `HSETNX key f v`: only when the field is absent; replies 1 or 0.
    SetNx,
}

/// `HSET`, `HMSET`, `HSETNX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HSet {
    pub key: Vec<u8>,
    pub pairs: Vec<(Vec<u8>, Vec<u8>)>,
    pub kind: HSetKind,
}

impl HSet {
    /// An odd number of field/value arguments is refused with the arity
    /// error (Redis checks it inside the command, since the table's arity
    /// can only say "at least 4").
    pub fn parse_as(args: &[Vec<u8>], name: &str) -> Result<Self, Reply> {
        let kind = match name {
            "hmset" => HSetKind::MSet,
            "hsetnx" => HSetKind::SetNx,
            _ => HSetKind::Set,
        };
        let rest = args.get(2..).unwrap_or_default();
        if rest.is_empty() || rest.len() % 2 != 0 {
            return Err(wrong_arity(name));
        }
        let pairs = rest.chunks(2).map(|p| (arg(p, 0), arg(p, 1))).collect();
        Ok(HSet {
            key: arg(args, 1),
            pairs,
            kind,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let h = match write_or_create_hash(ctx.ks, &self.key, ctx.now) {
            Ok(h) => h,
            Err(e) => return e,
        };
        let mut added = 0;
        for (f, v) in self.pairs {
            if self.kind == HSetKind::SetNx && h.contains_key(&f) {
                continue;
            }
            // IndexMap::insert keeps an existing field in its place, as a
            // listpack overwrites in place.
            if h.insert(f, v).is_none() {
                added += 1;
            }
        }
        // HSETNX announces only a field it set; HSET and HMSET always.
        if self.kind != HSetKind::SetNx || added > 0 {
            ctx.ks.notify(notify::HASH, "hset", &self.key);
        }
        match self.kind {
            HSetKind::MSet => Reply::ok(),
            _ => Reply::Integer(added),
        }
    }
}
