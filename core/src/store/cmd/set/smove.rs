use super::write_set;
use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::value::{Set, Value};

/// `SMOVE source destination member`: 1 when the member moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SMove {
    pub source: Vec<u8>,
    pub destination: Vec<u8>,
    pub member: Vec<u8>,
}

impl<'a> Command<'a> for SMove {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        Ok(SMove {
            source: arg(args, 1),
            destination: arg(args, 2),
            member: arg(args, 3),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        // Redis looks both up first; a missing source answers 0 before
        // either type is checked.
        let src = ks
            .lookup_write(&self.source, now)
            .map(|e| matches!(e.value, Value::Set(_)));
        let dst = ks
            .lookup_write(&self.destination, now)
            .map(|e| matches!(e.value, Value::Set(_)));
        match (src, dst) {
            (None, _) => return Reply::Integer(0),
            (Some(false), _) | (_, Some(false)) => return wrong_type(),
            _ => {}
        }
        if self.source == self.destination {
            let there = matches!(ks.peek(&self.source).map(|e| &e.value),
                Some(Value::Set(s)) if s.contains(&self.member));
            return Reply::Integer(i64::from(there));
        }
        let Ok(Some(src)) = write_set(ks, &self.source, now) else {
            return Reply::Integer(0);
        };
        if !src.remove(&self.member) {
            return Reply::Integer(0);
        }
        ks.notify(notify::SET, "srem", &self.source);
        ks.delete_if_empty(&self.source, now);
        if dst.is_none() {
            ks.set(
                &self.destination,
                Value::Set(Set::for_first(&self.member)),
                false,
                now,
            );
        }
        let added = match write_set(ks, &self.destination, now) {
            Ok(Some(dst)) => dst.insert(&self.member),
            _ => false,
        };
        if added {
            ks.notify(notify::SET, "sadd", &self.destination);
        }
        Reply::Integer(1)
    }
}
