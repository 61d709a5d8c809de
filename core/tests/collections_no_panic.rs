//! Property test: hash, list and sorted-set commands never panic, whatever
//! the arguments (indexes at the i64 limits, odd option mixes, bad floats),
//! and a collection is never left empty in the keyspace.

use playground_core::store::{Origin, Store};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "hset",
    "hmset",
    "hsetnx",
    "hget",
    "hmget",
    "hgetall",
    "hkeys",
    "hvals",
    "hdel",
    "hexists",
    "hincrby",
    "hincrbyfloat",
    "hlen",
    "lpush",
    "rpush",
    "lpushx",
    "rpushx",
    "lpop",
    "rpop",
    "llen",
    "lrange",
    "lindex",
    "ltrim",
    "lrem",
    "zadd",
    "zincrby",
    "zrem",
    "zremrangebyscore",
    "zcard",
    "zscore",
    "zcount",
    "zrank",
    "zrevrank",
    "zrange",
    "zrangebyscore",
    "zrevrange",
    "zrevrangebyscore",
    "zrangebylex",
    "zrevrangebylex",
    "zlexcount",
    "zremrangebyrank",
    "zmscore",
    "zpopmin",
    "zpopmax",
    "hstrlen",
    "lset",
    "linsert",
    "set",
    "sadd",
    "srem",
    "smembers",
    "sismember",
    "smismember",
    "scard",
    "sinter",
    "sunion",
    "sdiff",
    "sinterstore",
    "sunionstore",
    "sdiffstore",
    "sintercard",
    "smove",
    "sscan",
    "zunion",
    "zinter",
    "zdiff",
    "zunionstore",
    "zinterstore",
    "zdiffstore",
    "lmove",
    "rpoplpush",
    "blpop",
    "brpop",
    "blmove",
    "brpoplpush",
    "bzpopmin",
    "bzpopmax",
    "zrangestore",
    "hrandfield",
    "zrandmember",
    "lmpop",
    "blmpop",
    "zmpop",
    "bzmpop",
    "zremrangebylex",
    "setbit",
    "getbit",
    "bitcount",
    "bitpos",
    "bitop",
    "lpos",
    "copy",
    "touch",
    "hscan",
    "zscan",
    "spop",
    "srandmember",
];

const TOKENS: &[&str] = &[
    "k",
    "k",
    "k",
    "a",
    "b",
    "0",
    "1",
    "-1",
    "2",
    "-2",
    "5",
    "1.5",
    "-0.0",
    "inf",
    "-inf",
    "+inf",
    "(1",
    "(-inf",
    "nan",
    "",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1e400",
    "0x10",
    "NX",
    "XX",
    "GT",
    "LT",
    "CH",
    "INCR",
    "BYSCORE",
    "BYLEX",
    "REV",
    "LIMIT",
    "WITHSCORES",
    "-",
    "+",
    "[a",
    "BEFORE",
    "AFTER",
    "(b",
    "MATCH",
    "WEIGHTS",
    "AGGREGATE",
    "MIN",
    "COUNT",
    "*",
    "18446744073709551615",
];

fn command() -> impl Strategy<Value = Vec<Vec<u8>>> {
    (
        prop::sample::select(NAMES),
        proptest::collection::vec(
            prop_oneof![
                4 => prop::sample::select(TOKENS).prop_map(|s| s.as_bytes().to_vec()),
                1 => proptest::collection::vec(any::<u8>(), 0..6),
            ],
            0..8,
        ),
    )
        .prop_map(|(name, mut args)| {
            args.insert(0, name.as_bytes().to_vec());
            args
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn collection_commands_never_panic(cmds in proptest::collection::vec(command(), 1..30)) {
        let mut store = Store::new();
        for c in &cmds {
            let _ = store.execute(0, Origin::Console, c);
            for (key, entry) in store.keyspace.iter() {
                prop_assert!(
                    !entry.value.is_empty_collection(),
                    "empty collection left at {:?} after {:?}",
                    key,
                    c
                );
            }
        }
    }
}
