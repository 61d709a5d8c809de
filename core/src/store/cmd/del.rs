use crate::store::{keyspace::Keyspace, reply::Reply};
use crate::time::Millis;

/// `DEL key [key …]`: how many live keys were removed. A key that has expired
/// but was still in memory is reclaimed and not counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Del {
    pub keys: Vec<Vec<u8>>,
}

impl Del {
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(Del {
            keys: args.iter().skip(1).cloned().collect(),
        })
    }

    pub fn apply(self, ks: &mut Keyspace, now: Millis) -> Reply {
        let removed = self.keys.iter().filter(|k| ks.delete(k, now)).count();
        Reply::Integer(removed as i64)
    }
}
