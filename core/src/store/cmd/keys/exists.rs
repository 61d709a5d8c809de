use crate::store::cmd::{Command, Ctx};
use crate::store::reply::Reply;

/// `EXISTS key [key …]`: counts live keys; a key named twice counts twice.
/// Each is a read (a hit or a miss) that leaves the key's access time alone.
///
/// `TOUCH key [key …]` counts the same way, but its reads refresh each
/// key's access time (LRU clock, LFU counter), which is its point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exists {
    pub keys: Vec<Vec<u8>>,
    /// TOUCH rather than EXISTS.
    pub touch: bool,
}

impl Exists {
    pub fn parse_as(args: &[Vec<u8>], touch: bool) -> Self {
        Exists {
            keys: args.iter().skip(1).cloned().collect(),
            touch,
        }
    }
}

impl<'a> Command<'a> for Exists {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(Exists::parse_as(args, false))
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let found = self
            .keys
            .iter()
            .filter(|k| {
                if self.touch {
                    ks.lookup_read(k, now).is_some()
                } else {
                    super::lookup_notouch(ks, k, now).is_some()
                }
            })
            .count();
        Reply::Integer(found as i64)
    }
}
