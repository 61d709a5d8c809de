use crate::store::{keyspace::Keyspace, reply::Reply};
use crate::time::Millis;

/// `EXISTS key [key …]`: counts live keys; a key named twice counts twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exists {
    pub keys: Vec<Vec<u8>>,
}

impl Exists {
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Exists {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    pub fn apply(self, ks: &mut Keyspace, now: Millis) -> Reply {
        let found = self
            .keys
            .iter()
            .filter(|k| ks.lookup_read(k, now).is_some())
            .count();
        Reply::Integer(found as i64)
    }
}
