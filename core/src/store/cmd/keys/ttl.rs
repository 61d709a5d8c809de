use crate::store::cmd::arg_ref;
use crate::store::cmd::Ctx;
use crate::store::reply::Reply;

/// `TTL key` / `PTTL key`: −2 when the key is absent, −1 when it has no TTL,
/// else the time left. TTL rounds milliseconds half up (`(pttl+500)/1000`),
/// so a key with 1.5 s left shows 2 and one with 0.4 s shows 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ttl<'a> {
    /// Borrowed: PTTL runs for every rate-limited request of a load.
    pub key: &'a [u8],
    pub millis: bool,
}

impl<'a> Ttl<'a> {
    pub fn parse(args: &'a [Vec<u8>], millis: bool) -> Result<Self, Reply> {
        Ok(Ttl {
            key: arg_ref(args, 1),
            millis,
        })
    }

    pub fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let ks = &mut *ctx.ks;
        let Some(entry) = super::lookup_notouch(ks, self.key, now) else {
            return Reply::Integer(-2);
        };
        let Some(at) = entry.expire_at() else {
            return Reply::Integer(-1);
        };
        let left = at.saturating_sub(now) as i64;
        Reply::Integer(if self.millis {
            left
        } else {
            left.saturating_add(500) / 1000
        })
    }
}
