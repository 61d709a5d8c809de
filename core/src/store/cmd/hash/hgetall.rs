use super::read_hash;
use crate::store::cmd::{arg, Ctx};
use crate::store::reply::Reply;

/// Which part of each field/value pair a whole-hash read returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HGetAllPart {
    /// `HGETALL`: field, value, field, value, … (a flat array in RESP2).
    Both,
    /// `HKEYS`.
    Keys,
    /// `HVALS`.
    Values,
}

/// `HGETALL`, `HKEYS`, `HVALS`: the whole hash in insertion order; an
/// empty array for an absent key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HGetAll {
    pub key: Vec<u8>,
    pub part: HGetAllPart,
}

impl HGetAll {
    pub fn parse_part(args: &[Vec<u8>], part: HGetAllPart) -> Self {
        HGetAll {
            key: arg(args, 1),
            part,
        }
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let h = match read_hash(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return Reply::Array(Vec::new()),
            Ok(Some(h)) => h,
        };
        let mut out = Vec::new();
        for (f, v) in h {
            if self.part != HGetAllPart::Values {
                out.push(Reply::bulk(f.clone()));
            }
            if self.part != HGetAllPart::Keys {
                out.push(Reply::bulk(v.clone()));
            }
        }
        Reply::Array(out)
    }
}
