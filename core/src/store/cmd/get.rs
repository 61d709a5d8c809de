use super::{arg, wrong_type};
use crate::store::{keyspace::Keyspace, reply::Reply};
use crate::time::Millis;

/// `GET key`: the string value, `(nil)` when absent or expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Get {
    pub key: Vec<u8>,
}

impl Get {
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Get { key: arg(args, 1) })
    }

    pub fn apply(self, ks: &mut Keyspace, now: Millis) -> Reply {
        match ks.lookup_read(&self.key, now) {
            None => Reply::Nil,
            Some(e) => match e.value.as_str() {
                Some(s) => Reply::bulk(s),
                None => wrong_type(),
            },
        }
    }
}
