//! SRANDMEMBER, SPOP, HRANDFIELD and ZRANDMEMBER: random members or fields, picked with the
//! server's seeded generator (a page replays the same picks). Where Redis's
//! answer is not random (no key, a zero count, a count that covers the
//! whole collection, every error) it is Redis 7.0's, in its order of checks:
//! the count, then the WITH… word, then the key.
//!
//! A positive count picks distinct items (all of them, in the collection's
//! own order, when it covers them); a negative one picks that many with
//! repeats; a count of 1 is one random pick.

use crate::rng::Rng;
use crate::store::cmd::{arg, not_an_integer, syntax_error};
use crate::store::int::parse_i64;
use crate::store::reply::Reply;

/// The most picks a negative count may ask for. Redis has no limit; a
/// browser tab answering `SRANDMEMBER s -1000000000` would freeze, so the
/// playground refuses it (the corpus README lists the difference).
pub const MAX_RANDOM_REPLIES: u64 = 100_000;

/// A count as Redis 7.0 reads it (`getRangeLongFromObjectOrReply` from
/// -LONG_MAX to LONG_MAX).
pub fn parse_count(raw: &[u8]) -> Result<i64, Reply> {
    match parse_i64(raw) {
        None => Err(not_an_integer()),
        Some(i64::MIN) => Err(Reply::error(
            // Sic: Redis 7.0's wording.
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        )),
        Some(n) => Ok(n),
    }
}

/// `key [count [WITH…]]`, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomArgs {
    pub key: Vec<u8>,
    /// `None`: no count, one bulk reply (nil for no key).
    pub count: Option<i64>,
    /// WITHVALUES / WITHSCORES.
    pub with: bool,
}

impl RandomArgs {
    /// `with_word` is WITHVALUES or WITHSCORES.
    pub fn parse(args: &[Vec<u8>], with_word: &[u8]) -> Result<Self, Reply> {
        let key = arg(args, 1);
        let Some(raw) = args.get(2) else {
            return Ok(RandomArgs {
                key,
                count: None,
                with: false,
            });
        };
        let count = parse_count(raw)?;
        let with = match args.get(3) {
            None => false,
            Some(w) if args.len() == 4 && w.eq_ignore_ascii_case(with_word) => true,
            Some(_) => return Err(syntax_error()),
        };
        // Twice the count of replies must fit a long.
        if with && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
            return Err(Reply::error("ERR value is out of range"));
        }
        Ok(RandomArgs {
            key,
            count: Some(count),
            with,
        })
    }
}

/// Which of `len` items a count picks, as indexes in the collection's order.
pub fn pick(count: i64, len: usize, rng: &mut Rng) -> Result<Vec<usize>, Reply> {
    let last = len.saturating_sub(1) as u64;
    if count == 0 || len == 0 {
        return Ok(Vec::new());
    }
    if count < 0 || count == 1 {
        let times = count.unsigned_abs();
        // Redis has no limit; a browser tab answering a count of a billion
        // would freeze (the corpus README lists the difference).
        if times > MAX_RANDOM_REPLIES {
            return Err(Reply::error(format!(
                "ERR the playground answers at most {MAX_RANDOM_REPLIES} members \
                 (Redis would send {times})"
            )));
        }
        return Ok((0..times).map(|_| rng.up_to(last) as usize).collect());
    }
    if count as u64 >= len as u64 {
        return Ok((0..len).collect());
    }
    // Distinct: draw without putting back.
    let mut left: Vec<usize> = (0..len).collect();
    let mut out = Vec::with_capacity(count as usize);
    while out.len() < count as usize && !left.is_empty() {
        let i = rng.up_to(left.len() as u64 - 1) as usize;
        out.push(left.swap_remove(i));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<RandomArgs, Reply> {
        let args: Vec<Vec<u8>> = line.split(' ').map(|w| w.as_bytes().to_vec()).collect();
        RandomArgs::parse(&args, b"WITHSCORES")
    }

    #[test]
    fn counts_and_words_are_checked_in_redis_s_order() {
        assert_eq!(parse("Z k").map(|a| a.count), Ok(None));
        assert_eq!(
            parse("Z k -3 withscores").map(|a| (a.count, a.with)),
            Ok((Some(-3), true))
        );
        assert_eq!(parse("Z k x WITHVALUES"), Err(not_an_integer()));
        assert_eq!(parse("Z k 1 WITHVALUES"), Err(syntax_error()));
        assert_eq!(parse("Z k 1 WITHSCORES x"), Err(syntax_error()));
        assert_eq!(
            parse("Z k 4611686018427387904 WITHSCORES"),
            Err(Reply::error("ERR value is out of range"))
        );
        assert!(parse("Z k 4611686018427387903 WITHSCORES").is_ok());
        assert!(parse("Z k -9223372036854775808").is_err());
    }

    #[test]
    fn picks_are_distinct_all_or_repeated() {
        let mut rng = Rng::new(7);
        assert_eq!(pick(5, 3, &mut rng), Ok(vec![0, 1, 2]), "all, in order");
        assert_eq!(pick(0, 3, &mut rng), Ok(vec![]));
        assert_eq!(pick(-4, 0, &mut rng), Ok(vec![]));
        let mut two = pick(2, 3, &mut rng).unwrap_or_default();
        two.sort_unstable();
        two.dedup();
        assert_eq!(two.len(), 2);
        let many = pick(-50, 2, &mut rng).unwrap_or_default();
        assert_eq!(many.len(), 50);
        assert!(many.iter().all(|&i| i < 2));
        assert!(pick(-100_001, 2, &mut rng).is_err());
    }
}
