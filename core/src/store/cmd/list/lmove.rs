use super::{write_list, End, List};
use crate::store::cmd::{arg, syntax_error, wrong_type, Ctx};
use crate::store::config::notify;
use crate::store::reply::Reply;
use crate::store::value::Value;

/// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT`, and `RPOPLPUSH
/// source destination` (RIGHT, LEFT): pops one element from `source` and
/// pushes it onto `destination`, answering it. The reliable-queue and
/// rotation patterns: with one key as both, the list turns.
///
/// In Redis 7.0's order: the directions are read first (anything else is a
/// syntax error); a missing source answers nil whatever the destination
/// holds; a destination of another type is WRONGTYPE and nothing moves.
/// Neither key counts a hit or a miss (both are write lookups). The source
/// is deleted when it empties, after the push, so a one-element list
/// rotated onto itself stays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LMove {
    pub source: Vec<u8>,
    pub destination: Vec<u8>,
    pub from: End,
    pub to: End,
}

fn end(word: &[u8]) -> Result<End, Reply> {
    match word.to_ascii_lowercase().as_slice() {
        b"left" => Ok(End::Left),
        b"right" => Ok(End::Right),
        _ => Err(syntax_error()),
    }
}

impl LMove {
    pub fn parse_lmove(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(LMove {
            source: arg(args, 1),
            destination: arg(args, 2),
            from: end(&arg(args, 3))?,
            to: end(&arg(args, 4))?,
        })
    }

    pub fn parse_rpoplpush(args: &[Vec<u8>]) -> Self {
        LMove {
            source: arg(args, 1),
            destination: arg(args, 2),
            from: End::Right,
            to: End::Left,
        }
    }

    pub fn apply(&self, ctx: &mut Ctx) -> Reply {
        let (ks, now) = (&mut *ctx.ks, ctx.now);
        match write_list(ks, &self.source, now) {
            Err(e) => return e,
            Ok(None) => return Reply::Nil,
            Ok(Some(l)) if l.is_empty() => return Reply::Nil,
            Ok(Some(_)) => {}
        }
        // The destination's type is checked before anything is popped.
        let dest_exists = match ks.lookup_write(&self.destination, now) {
            None => false,
            Some(e) if matches!(e.value, Value::List(_)) => true,
            Some(_) => return wrong_type(),
        };
        let popped = match write_list(ks, &self.source, now) {
            Ok(Some(l)) => match self.from {
                End::Left => l.pop_front(),
                End::Right => l.pop_back(),
            },
            _ => None,
        };
        let Some(value) = popped else {
            return Reply::Nil;
        };
        if !dest_exists {
            ks.set(&self.destination, Value::List(List::new()), false, now);
        }
        if let Ok(Some(l)) = write_list(ks, &self.destination, now) {
            match self.to {
                End::Left => l.push_front(value.clone()),
                End::Right => l.push_back(value.clone()),
            }
        }
        // Redis announces the push, then the pop (then the source's del).
        ks.notify(notify::LIST, self.to.push_event(), &self.destination);
        ks.notify(notify::LIST, self.from.pop_event(), &self.source);
        ks.delete_if_empty(&self.source, now);
        Reply::Bulk(value)
    }
}
