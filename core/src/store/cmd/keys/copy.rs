use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::config::notify;
use crate::store::int::parse_i64;
use crate::store::reply::Reply;

/// `COPY source destination [DB index] [REPLACE]`: a copy of the value, its
/// encoding and its TTL under a new name; 1 when copied, 0 when the source
/// is missing or the destination exists (without REPLACE).
///
/// Redis 7.0's order: the options first (an unknown word is a syntax
/// error); then the same name twice is an error; the source is a read
/// lookup (a hit or a miss), the destination a write lookup. The playground
/// has one database: `DB 0` is this one, another valid index (1–15) gets
/// an error of the playground's own, and a bad one Redis's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyKey {
    pub from: Vec<u8>,
    pub to: Vec<u8>,
    pub replace: bool,
}

/// Redis's default `databases`.
const DATABASES: i64 = 16;

/// A database index as `getIntFromObjectOrReply` reads it (a 32-bit
/// integer, with 7.0's own wording for one out of range), then checked
/// against Redis's 16 databases. The playground has only db 0: another
/// valid index gets an error of the playground's own, naming `what`.
pub(crate) fn only_db_zero(text: &[u8], what: &str) -> Result<(), Reply> {
    let db = parse_i64(text).ok_or_else(not_an_integer)?;
    if i32::try_from(db).is_err() {
        return Err(Reply::error(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ));
    }
    if !(0..DATABASES).contains(&db) {
        return Err(Reply::error("ERR DB index is out of range"));
    }
    if db != 0 {
        return Err(Reply::error(format!(
            "ERR the playground has one database (db 0): {what} is not emulated"
        )));
    }
    Ok(())
}

impl<'a> Command<'a> for CopyKey {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let mut replace = false;
        let mut i = 3;
        while let Some(word) = args.get(i) {
            match word.to_ascii_lowercase().as_slice() {
                b"replace" => replace = true,
                b"db" if i + 1 < args.len() => {
                    only_db_zero(&arg(args, i + 1), "COPY to another")?;
                    i += 1;
                }
                _ => return Err(syntax_error()),
            }
            i += 1;
        }
        let (from, to) = (arg(args, 1), arg(args, 2));
        if from == to {
            return Err(Reply::error(
                "ERR source and destination objects are the same",
            ));
        }
        Ok(CopyKey { from, to, replace })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let Some(source) = ctx.ks.lookup_read(&self.from, now) else {
            return Reply::Integer(0);
        };
        let (value, built, expire_at) = (source.value.clone(), source.built(), source.expire_at());
        if ctx.ks.lookup_write(&self.to, now).is_some() {
            if !self.replace {
                return Reply::Integer(0);
            }
            ctx.ks.delete(&self.to, now);
        }
        ctx.ks.set(&self.to, value, false, now);
        // Redis duplicates the object as it is encoded: a raw string stays
        // raw, a grown hash stays a hashtable.
        ctx.ks.mark_built(&self.to, built);
        if expire_at.is_some() {
            ctx.ks.set_expire(&self.to, expire_at);
        }
        ctx.ks.notify(notify::GENERIC, "copy_to", &self.to);
        Reply::Integer(1)
    }
}
