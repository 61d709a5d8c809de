//! The store's replies and expiry, checked command by command.

use playground_core::store::{Origin, Reply, Store};

const C: Origin = Origin::Console;

fn int(n: i64) -> Reply {
    Reply::Integer(n)
}

#[test]
fn key_is_there_at_expire_at_and_gone_one_ms_later() {
    let mut s = Store::new();
    assert_eq!(
        s.exec(1_000, C, &["SET", "k", "v", "PX", "500"]),
        Reply::ok()
    );
    // expire_at = 1500: at exactly that instant the key still answers.
    assert_eq!(s.exec(1_500, C, &["PTTL", "k"]), int(0));
    assert_eq!(s.exec(1_500, C, &["GET", "k"]), Reply::bulk("v"));
    assert_eq!(s.exec(1_501, C, &["GET", "k"]), Reply::Nil);
    assert_eq!(s.exec(1_501, C, &["TTL", "k"]), int(-2));
    assert_eq!(s.keyspace.stats.expired_keys, 1);
}

#[test]
fn expired_key_stays_in_memory_until_touched() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "a", "1", "EX", "1"]);
    s.exec(0, C, &["SET", "b", "1", "EX", "1"]);
    // Nobody touched them: passive expiry alone reclaims nothing.
    assert_eq!(s.keyspace.len(), 2);
    assert_eq!(s.exec(5_000, C, &["GET", "a"]), Reply::Nil);
    assert_eq!(s.keyspace.len(), 1, "only the touched key is reclaimed");
    assert!(s.keyspace.peek(b"b").is_some_and(|e| e.is_expired(5_000)));
}

#[test]
fn ttl_rounds_half_up_and_reports_missing_and_persistent() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "k", "v", "EX", "10"]);
    assert_eq!(s.exec(0, C, &["TTL", "k"]), int(10));
    assert_eq!(s.exec(8_500, C, &["TTL", "k"]), int(2)); // 1500 ms → 2
    assert_eq!(s.exec(8_501, C, &["TTL", "k"]), int(1)); // 1499 ms → 1
    assert_eq!(s.exec(9_600, C, &["TTL", "k"]), int(0)); // 400 ms → 0
    assert_eq!(s.exec(9_600, C, &["PTTL", "k"]), int(400));
    s.exec(0, C, &["SET", "p", "v"]);
    assert_eq!(s.exec(0, C, &["TTL", "p"]), int(-1));
    assert_eq!(s.exec(0, C, &["TTL", "nope"]), int(-2));
}

#[test]
fn set_drops_ttl_incr_keeps_it_and_recreates_expired_without() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "n", "5", "EX", "10"]);
    assert_eq!(s.exec(0, C, &["INCR", "n"]), int(6));
    assert_eq!(s.exec(0, C, &["TTL", "n"]), int(10), "INCR keeps the TTL");
    assert_eq!(s.exec(0, C, &["SET", "n", "1"]), Reply::ok());
    assert_eq!(
        s.exec(0, C, &["TTL", "n"]),
        int(-1),
        "SET without KEEPTTL drops it"
    );
    s.exec(0, C, &["SET", "n", "1", "EX", "1"]);
    assert_eq!(s.exec(0, C, &["SET", "n", "2", "KEEPTTL"]), Reply::ok());
    assert_eq!(s.exec(0, C, &["PTTL", "n"]), int(1_000));
    assert_eq!(
        s.exec(2_000, C, &["INCR", "n"]),
        int(1),
        "an expired key counts as absent"
    );
    assert_eq!(
        s.exec(2_000, C, &["TTL", "n"]),
        int(-1),
        "and comes back without a TTL"
    );
}

#[test]
fn set_options_and_their_errors_match_redis() {
    let mut s = Store::new();
    let syntax = Reply::error("ERR syntax error");
    let invalid = Reply::error("ERR invalid expire time in 'set' command");
    let not_int = Reply::error("ERR value is not an integer or out of range");
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "EX", "0"]), invalid);
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "PX", "-5"]), invalid);
    assert_eq!(
        s.exec(0, C, &["SET", "k", "v", "EX", "9223372036854776"]),
        invalid
    );
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "EX", "ten"]), not_int);
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "EX"]), syntax);
    assert_eq!(
        s.exec(0, C, &["SET", "k", "v", "EX", "1", "PX", "1"]),
        syntax
    );
    assert_eq!(
        s.exec(0, C, &["SET", "k", "v", "KEEPTTL", "EX", "1"]),
        syntax
    );
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "NX", "XX"]), syntax);
    assert_eq!(s.exec(0, C, &["SET", "k", "v", "BOGUS"]), syntax);
    assert_eq!(
        s.exec(0, C, &["GET", "k"]),
        Reply::Nil,
        "rejected SETs wrote nothing"
    );
    assert_eq!(
        s.exec(0, C, &["SET", "k", "v", "ex", "1", "EX", "2"]),
        Reply::ok(),
        "the last EX wins"
    );
    assert_eq!(s.exec(0, C, &["PTTL", "k"]), int(2_000));
    assert_eq!(s.exec(0, C, &["SET", "k", "w", "NX"]), Reply::Nil);
    assert_eq!(
        s.exec(0, C, &["SET", "k", "w", "XX", "GET"]),
        Reply::bulk("v")
    );
    assert_eq!(s.exec(0, C, &["SET", "new", "x", "XX"]), Reply::Nil);
    assert_eq!(s.exec(0, C, &["SET", "new", "x", "NX", "GET"]), Reply::Nil);
    assert_eq!(s.exec(0, C, &["GET", "new"]), Reply::bulk("x"));
}

#[test]
fn integer_commands_parse_strictly_and_guard_overflow() {
    let mut s = Store::new();
    let not_int = Reply::error("ERR value is not an integer or out of range");
    s.exec(0, C, &["SET", "s", "abc"]);
    assert_eq!(s.exec(0, C, &["INCR", "s"]), not_int);
    s.exec(0, C, &["SET", "s", " 1"]);
    assert_eq!(s.exec(0, C, &["INCR", "s"]), not_int);
    assert_eq!(s.exec(0, C, &["INCRBY", "c", "+1"]), not_int);
    assert_eq!(s.exec(0, C, &["INCRBY", "c", "-7"]), int(-7));
    assert_eq!(s.exec(0, C, &["DECRBY", "c", "3"]), int(-10));
    assert_eq!(s.exec(0, C, &["DECR", "c"]), int(-11));
    s.exec(0, C, &["SET", "m", "9223372036854775807"]);
    assert_eq!(
        s.exec(0, C, &["INCR", "m"]),
        Reply::error("ERR increment or decrement would overflow")
    );
    assert_eq!(
        s.exec(0, C, &["DECRBY", "m", "-9223372036854775808"]),
        Reply::error("ERR decrement would overflow")
    );
}

#[test]
fn unknown_commands_and_arity_use_redis_texts_and_skip_monitor() {
    let mut s = Store::new();
    assert_eq!(
        s.exec(0, C, &["FOO", "bar", "baz"]),
        Reply::error("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ")
    );
    assert_eq!(
        s.exec(0, C, &["FOO"]),
        Reply::error("ERR unknown command 'FOO', with args beginning with: ")
    );
    assert_eq!(
        s.exec(0, C, &["INCR"]),
        Reply::error("ERR wrong number of arguments for 'incr' command")
    );
    assert_eq!(
        s.exec(0, C, &["GET", "a", "b"]),
        Reply::error("ERR wrong number of arguments for 'get' command")
    );
    assert_eq!(
        s.exec(0, C, &["ping", "a", "b"]),
        Reply::error("ERR wrong number of arguments for 'ping' command")
    );
    assert_eq!(
        s.monitor().total(),
        1,
        "only the PING that got past the table ran"
    );
    let long = "x".repeat(300);
    let Reply::Error(text) = s.exec(0, C, &["nope", &long, "y"]) else {
        panic!("expected an error")
    };
    assert_eq!(
        text,
        format!(
            "ERR unknown command 'nope', with args beginning with: '{}' ",
            "x".repeat(128)
        )
    );
}

#[test]
fn del_exists_ping() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "a", "1"]);
    s.exec(0, C, &["SET", "b", "1", "PX", "10"]);
    assert_eq!(s.exec(0, C, &["EXISTS", "a", "a", "b", "zz"]), int(3));
    assert_eq!(
        s.exec(50, C, &["DEL", "a", "b", "zz"]),
        int(1),
        "the expired b is not counted"
    );
    assert_eq!(s.keyspace.len(), 0);
    assert_eq!(s.exec(0, C, &["PING"]), Reply::Simple("PONG".into()));
    assert_eq!(s.exec(0, C, &["PING", "hi"]), Reply::bulk("hi"));
}

#[test]
fn console_lines_split_like_redis_cli_and_monitor_shows_what_ran() {
    let mut s = Store::new();
    let r = s.execute_line(7, C, r#"set "my key" "a\x41\n""#);
    assert_eq!(r, Some(Ok(Reply::ok())));
    assert_eq!(s.exec(7, C, &["GET", "my key"]).to_cli(), r#""aA\n""#);
    assert_eq!(s.execute_line(7, C, "   "), None);
    assert_eq!(
        s.execute_line(7, C, "get \"open"),
        Some(Err("Invalid argument(s)"))
    );
    let lines: Vec<String> = s.monitor().entries().map(|e| e.to_line()).collect();
    assert_eq!(
        lines,
        [
            r#"00:00.007 [console] set "my key" "aA\n""#,
            r#"00:00.007 [console] GET "my key""#
        ]
    );
}

#[test]
fn keyspace_hits_and_misses_count_reads() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "a", "1"]);
    s.exec(0, C, &["GET", "a"]);
    s.exec(0, C, &["GET", "nope"]);
    s.exec(0, C, &["INCR", "a"]); // a write lookup: not counted
    assert_eq!(
        (
            s.keyspace.stats.keyspace_hits,
            s.keyspace.stats.keyspace_misses
        ),
        (1, 1)
    );
}

/// The console's own `help`: redis-cli's help text for a command, a
/// container's subcommands and a group; the store's commands by group; a
/// real Redis command the store lacks, and a typo, each said so.
#[test]
fn help_is_redis_cli_s() {
    use playground_core::store::help;
    let topic = |t: &str| {
        help(
            &t.split(' ')
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        topic("incr"),
        "\n  INCR key\n  summary: Increment the integer value of a key by one\n  since: 1.0.0\n  group: string\n\n"
    );
    let config = topic("config");
    for sub in ["GET", "HELP", "RESETSTAT", "REWRITE", "SET"] {
        assert!(config.contains(&format!("\n  CONFIG {sub} ")), "{config}");
    }
    assert!(topic("@sorted-set").contains("\n  ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member"));
    assert!(topic("@nope").starts_with("No group named \"nope\" here. Groups: @bitmap, "));
    assert!(topic("xadd")
        .starts_with("XADD is a real Redis command that the playground does not simulate"));
    assert!(topic("nosuch").starts_with("No command named \"nosuch\""));
    assert!(help(&[]).contains("sorted sets: ZADD"));
}

/// MONITOR and INFO's `total_commands_processed` around transactions, as
/// redis-server 7.0.15 shows them: EXEC and DISCARD without MULTI, a nested
/// MULTI and an aborted EXEC ran (and failed), so they are logged and
/// counted; queued commands are logged when EXEC runs them, before it.
#[test]
fn transactions_in_monitor_and_info_like_redis() {
    let mut s = Store::new();
    for line in [
        "EXEC", "DISCARD", "MULTI", "SET a", "EXEC", "MULTI", "SET x 1", "DISCARD", "MULTI",
        "MULTI", "SET y 1", "EXEC", "MULTI", "INCR x", "EXEC",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        s.exec(0, C, &args);
    }
    let feed: Vec<String> = s.monitor().entries().map(|e| e.command_line()).collect();
    // redis-server's MONITOR for the same lines (timestamps and client cut).
    let real = [
        "EXEC", "DISCARD", "MULTI", "EXEC", "MULTI", "DISCARD", "MULTI", "MULTI", "SET y 1",
        "EXEC", "MULTI", "INCR x", "EXEC",
    ];
    assert_eq!(feed, real);
    let info = s.exec(0, C, &["INFO", "stats"]);
    let Reply::Bulk(text) = info else {
        panic!("INFO answers a bulk string: {info:?}")
    };
    let text = String::from_utf8_lossy(&text);
    // Every logged command ran once: 13.
    assert!(text.contains("total_commands_processed:13\r\n"), "{text}");
}

#[test]
fn the_key_inspector_is_a_client_of_its_own_beside_a_console_multi() {
    // Redis Insight deleting a key while redis-cli has a MULTI open: the
    // DEL runs at once on its own connection, the console's queue is
    // untouched, and MONITOR shows who sent what.
    let mut s = Store::new();
    s.exec(0, C, &["SET", "k", "v"]);
    assert_eq!(s.exec(1, C, &["MULTI"]), Reply::ok());
    assert_eq!(s.exec(2, C, &["GET", "k"]), Reply::Simple("QUEUED".into()));
    assert_eq!(s.exec(3, Origin::Keyspace, &["DEL", "k"]), int(1));
    assert!(s.in_transaction_mode(), "the console's MULTI is still open");
    assert_eq!(
        s.exec(4, C, &["EXEC"]),
        Reply::Array(vec![Reply::Nil]),
        "the queued GET ran after the inspector's DEL"
    );
    let who: Vec<(String, String)> = s
        .monitor()
        .entries()
        .map(|e| (e.who(), e.command_line()))
        .collect();
    assert!(
        who.contains(&("keyspace".to_string(), "DEL k".to_string())),
        "{who:?}"
    );
}

#[test]
fn set_commands_count_hits_and_misses_as_redis_7_0_does() {
    // Measured on redis-server 7.0.15 after CONFIG RESETSTAT: the STORE
    // forms read their sources like SINTER does (hits 6, misses 4); SMOVE
    // looks up for writing and counts nothing.
    let mut s = Store::new();
    s.exec(0, C, &["SADD", "f", "1", "2"]);
    s.exec(0, C, &["SADD", "g", "2"]);
    s.exec(0, C, &["CONFIG", "RESETSTAT"]);
    s.exec(0, C, &["SINTERSTORE", "o", "f", "g", "nokey"]);
    s.exec(0, C, &["SUNIONSTORE", "o", "f", "nokey"]);
    s.exec(0, C, &["SDIFFSTORE", "o", "f", "nokey"]);
    s.exec(0, C, &["SINTER", "f", "g", "nokey"]);
    s.exec(0, C, &["SMOVE", "f", "g", "1"]);
    s.exec(0, C, &["SMOVE", "nokey", "g", "1"]);
    let st = s.keyspace.stats;
    assert_eq!((st.keyspace_hits, st.keyspace_misses), (6, 4));
}

#[test]
fn help_lists_the_set_commands_in_their_own_group() {
    let out = playground_core::store::help(&[]);
    let sets = out
        .lines()
        .find(|l| l.trim_start().starts_with("sets:"))
        .unwrap_or_else(|| panic!("no sets line in:\n{out}"));
    for name in ["SADD", "SMEMBERS", "SINTERCARD", "SMOVE"] {
        assert!(sets.contains(name), "{sets}");
    }
    let zsets = out
        .lines()
        .find(|l| l.trim_start().starts_with("sorted sets:"))
        .unwrap_or_default();
    assert!(zsets.contains("ZADD") && !zsets.contains("SADD"), "{zsets}");
}

#[test]
fn random_set_picks_are_members_replayed_by_seed_and_capped_for_the_tab() {
    let picks = || {
        let mut s = Store::new();
        s.exec(0, C, &["SADD", "s", "a", "b", "c", "d"]);
        let r = s.exec(0, C, &["SRANDMEMBER", "s", "-20"]);
        let p = s.exec(0, C, &["SPOP", "s", "2"]);
        (r, p, s.exec(0, C, &["SCARD", "s"]))
    };
    let (r, p, card) = picks();
    assert_eq!(
        (r.clone(), p.clone(), card.clone()),
        picks(),
        "one seed, one run"
    );
    let Reply::Array(r) = r else { panic!("{r:?}") };
    assert_eq!(r.len(), 20);
    assert!(r.iter().all(
        |m| matches!(m, Reply::Bulk(b) if [&b"a"[..], b"b", b"c", b"d"].contains(&b.as_slice()))
    ));
    let Reply::Array(p) = p else { panic!("{p:?}") };
    assert_eq!(p.len(), 2);
    assert_ne!(p.first(), p.get(1), "SPOP's picks are distinct");
    assert_eq!(card, int(2));

    let mut s = Store::new();
    s.exec(0, C, &["SADD", "s", "x"]);
    let Reply::Array(all) = s.exec(0, C, &["SRANDMEMBER", "s", "-100000"]) else {
        panic!("an array")
    };
    assert_eq!(all.len(), 100_000);
    assert!(s.exec(0, C, &["SRANDMEMBER", "s", "-100001"]).is_error());
}

#[test]
fn string_range_copy_touch_move_and_scan_count_hits_and_misses_as_redis_7_0_does() {
    // Measured on redis-server 7.0.15 after CONFIG RESETSTAT: GETRANGE,
    // SUBSTR, TOUCH, COPY's source and the element scans are reads;
    // SETRANGE, COPY's destination, LMOVE and RPOPLPUSH count nothing.
    let mut s = Store::new();
    s.exec(0, C, &["SET", "s", "hello"]);
    s.exec(0, C, &["RPUSH", "l", "a", "b"]);
    s.exec(0, C, &["SADD", "st", "1"]);
    s.exec(0, C, &["CONFIG", "RESETSTAT"]);
    for line in [
        "getrange s 0 1",
        "getrange nokey 0 1",
        "substr s 0 1",
        "setrange s 0 x",
        "setrange nokey2 0 x",
        "touch s nokey l",
        "copy s s9",
        "copy nokey s8",
        "lmove l l2 left left",
        "lmove nokey l2 left left",
        "rpoplpush l2 l",
        "sscan st 0",
        "sscan nokey 0",
        "hscan nokey 0",
        "zscan nokey 0",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        s.exec(0, C, &args);
    }
    let st = s.keyspace.stats;
    assert_eq!((st.keyspace_hits, st.keyspace_misses), (6, 6));
}

#[test]
fn touch_refreshes_the_idle_time_that_exists_leaves_alone() {
    let mut s = Store::new();
    s.exec(0, C, &["SET", "k", "v"]);
    assert_eq!(s.exec(20_000, C, &["EXISTS", "k"]), int(1));
    assert_eq!(s.exec(20_000, C, &["OBJECT", "IDLETIME", "k"]), int(20));
    assert_eq!(s.exec(20_000, C, &["TOUCH", "k", "nokey"]), int(1));
    assert_eq!(s.exec(20_000, C, &["OBJECT", "IDLETIME", "k"]), int(0));
}

#[test]
fn another_client_s_write_to_a_watched_key_fails_the_console_s_exec() {
    // Optimistic locking across the page's clients: the console watches a
    // counter, the API (or the key inspector) changes it, EXEC answers nil.
    let mut s = Store::new();
    s.exec(0, C, &["SET", "stock", "5"]);
    assert_eq!(s.exec(1, C, &["WATCH", "stock"]), Reply::ok());
    assert_eq!(s.exec(2, C, &["MULTI"]), Reply::ok());
    s.exec(3, C, &["DECR", "stock"]);
    assert_eq!(
        s.exec(4, Origin::Api { request: 1 }, &["DECR", "stock"]),
        int(4)
    );
    assert_eq!(
        s.exec(5, C, &["EXEC"]),
        Reply::Nil,
        "the transaction did not run"
    );
    assert_eq!(s.exec(6, C, &["GET", "stock"]), Reply::bulk("4"));
    // Retried with nothing in between: it runs.
    s.exec(7, C, &["WATCH", "stock"]);
    s.exec(8, C, &["MULTI"]);
    s.exec(9, C, &["DECR", "stock"]);
    assert_eq!(s.exec(10, C, &["EXEC"]), Reply::Array(vec![int(3)]));
    // A read by another client is no modification; eviction and the
    // active expiry cycle are (below: the cycle reclaims a watched key).
    s.exec(11, C, &["SET", "t", "v", "PX", "5"]);
    s.exec(12, C, &["WATCH", "t", "stock"]);
    s.exec(13, Origin::Api { request: 2 }, &["GET", "stock"]);
    s.cron_until(2_000);
    assert!(s.keyspace.peek(b"t").is_none(), "reclaimed by the cycle");
    s.exec(2_001, C, &["MULTI"]);
    assert_eq!(s.exec(2_002, C, &["EXEC"]), Reply::Nil);
}

#[test]
fn help_lists_watch_with_the_transactions() {
    let out = playground_core::store::help(&[]);
    assert!(
        out.contains("transactions: MULTI EXEC DISCARD WATCH UNWATCH"),
        "{out}"
    );
    assert_eq!(
        out.matches("WATCH").count(),
        2,
        "not also in another group: {out}"
    );
}

#[test]
fn zset_algebra_reads_every_input_even_after_a_missing_one() {
    // Measured on redis-server 7.0.15 after CONFIG RESETSTAT: each input
    // is a read lookup, all of them, whatever the operation; the
    // destination counts nothing.
    let mut s = Store::new();
    s.exec(0, C, &["ZADD", "a", "1", "x"]);
    s.exec(0, C, &["SADD", "s", "x"]);
    s.exec(0, C, &["CONFIG", "RESETSTAT"]);
    for line in [
        "zunionstore d 2 a nokey",
        "zinter 2 s a",
        "zdiff 2 nokey a",
        "zinterstore d 3 nokey a s",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        s.exec(0, C, &args);
    }
    let st = s.keyspace.stats;
    assert_eq!((st.keyspace_hits, st.keyspace_misses), (6, 3));
}

#[test]
fn select_other_databases_is_refused_and_time_is_the_virtual_clock() {
    let mut s = Store::new();
    assert_eq!(s.exec(0, C, &["SELECT", "0"]), Reply::ok());
    for db in ["1", "15"] {
        assert_eq!(
            s.exec(0, C, &["SELECT", db]),
            Reply::error(
                "ERR the playground has one database (db 0): SELECT of another is not emulated"
            )
        );
    }
    assert_eq!(
        s.exec(0, C, &["COPY", "a", "b", "DB", "3"]),
        Reply::error("ERR the playground has one database (db 0): COPY to another is not emulated")
    );
    assert_eq!(
        s.exec(61_234, C, &["TIME"]),
        Reply::Array(vec![Reply::bulk("61"), Reply::bulk("234000")])
    );
}

/// redis-cli's repeat prefix runs a line N times; past the playground's
/// cap the rest is not run, and the output says so instead of stopping
/// without a word.
#[test]
fn a_repeat_past_the_cap_runs_the_cap_and_says_so() {
    use playground_core::store::MAX_REPEAT;
    let mut s = Store::new();
    let out = s.execute_line_output(0, C, "3 INCR n").unwrap_or_default();
    assert_eq!(out, "(integer) 1\n(integer) 2\n(integer) 3\n");
    let asked = MAX_REPEAT * 10;
    let out = s
        .execute_line_output(0, C, &format!("{asked} INCR m"))
        .unwrap_or_default();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len() as i64, MAX_REPEAT + 1);
    assert_eq!(
        lines.get(MAX_REPEAT as usize - 1).copied(),
        Some("(integer) 10000")
    );
    assert_eq!(
        lines.last().copied(),
        Some(
            "(the playground repeats a command at most 10000 times: 10000 of the 100000 asked ran)"
        )
    );
    assert_eq!(s.exec(0, C, &["GET", "m"]), Reply::bulk("10000"));
}
