use super::read_list;
use crate::store::cmd::{arg, not_an_integer, syntax_error, Command, Ctx};
use crate::store::{int::parse_i64, reply::Reply};

/// `LPOS key element [RANK rank] [COUNT num] [MAXLEN len]`: where an
/// element is in a list (a job in a queue). RANK picks the n-th match,
/// negative from the tail; COUNT asks for an array of up to that many
/// matches (0: all); MAXLEN stops after that many elements compared.
///
/// As Redis 7.0's `lposCommand`: the options first (an option without its
/// value is a syntax error; a COUNT or MAXLEN that is not a non-negative
/// integer gets "can't be negative", whatever it is), then the key: absent
/// is nil, or an empty array with COUNT. The rank is a plain long, so
/// `RANK -9223372036854775808` negates to itself and, as in Redis, then
/// takes the first match from the tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LPos {
    pub key: Vec<u8>,
    pub element: Vec<u8>,
    pub rank: i64,
    /// `None`: no COUNT given (answer one position or nil).
    pub count: Option<i64>,
    /// 0: no limit.
    pub maxlen: i64,
}

const RANK_ZERO: &str = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

fn non_negative(text: &[u8], what: &str) -> Result<i64, Reply> {
    parse_i64(text)
        .filter(|n| *n >= 0)
        .ok_or_else(|| Reply::error(format!("ERR {what} can't be negative")))
}

impl<'a> Command<'a> for LPos {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
        let mut pos = LPos {
            key: arg(args, 1),
            element: arg(args, 2),
            rank: 1,
            count: None,
            maxlen: 0,
        };
        let mut i = 3;
        while let Some(option) = args.get(i) {
            let Some(value) = args.get(i + 1) else {
                return Err(syntax_error());
            };
            match option.to_ascii_lowercase().as_slice() {
                b"rank" => {
                    pos.rank = parse_i64(value).ok_or_else(not_an_integer)?;
                    if pos.rank == 0 {
                        return Err(Reply::error(RANK_ZERO));
                    }
                }
                b"count" => pos.count = Some(non_negative(value, "COUNT")?),
                b"maxlen" => pos.maxlen = non_negative(value, "MAXLEN")?,
                _ => return Err(syntax_error()),
            }
            i += 2;
        }
        Ok(pos)
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let absent = if self.count.is_some() {
            Reply::Array(Vec::new())
        } else {
            Reply::Nil
        };
        let list = match read_list(ctx.ks, &self.key, ctx.now) {
            Err(e) => return e,
            Ok(None) => return absent,
            Ok(Some(l)) => l,
        };
        let (from_tail, rank) = if self.rank < 0 {
            (true, self.rank.wrapping_neg())
        } else {
            (false, self.rank)
        };
        let len = list.len();
        let mut found = Vec::new();
        let mut matches: i64 = 0;
        for compared in 0..len {
            if self.maxlen != 0 && compared as i64 >= self.maxlen {
                break;
            }
            let index = if from_tail {
                len - 1 - compared
            } else {
                compared
            };
            if list.get(index) != Some(&self.element) {
                continue;
            }
            matches += 1;
            if matches < rank {
                continue;
            }
            found.push(Reply::Integer(index as i64));
            match self.count {
                None => break,
                // Wrapping, as the C arithmetic does for the extreme rank.
                Some(c) if c != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c => break,
                Some(_) => {}
            }
        }
        match self.count {
            Some(_) => Reply::Array(found),
            None => found.pop().unwrap_or(Reply::Nil),
        }
    }
}
