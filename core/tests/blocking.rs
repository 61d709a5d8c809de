//! Blocking list pops on the virtual clock: the console waits on an empty
//! list until another client pushes or its timeout passes; the page can
//! step to the timeout or cancel the wait. (The answers themselves are
//! checked against redis-server in `differential.rs`: the corpus script
//! `list/blocking-pops.redis` and the two-client test.)

use playground_core::sim::Engine;
use playground_core::store::{Origin, Reply};

fn args(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
}

#[test]
fn the_console_waits_until_another_client_pushes() {
    let mut e = Engine::new(1);
    e.advance_to(1_000);
    assert_eq!(e.console_line("BLPOP jobs 0").as_deref(), Some(""));
    let waiting = e.console_blocked().expect("waiting");
    assert_eq!((waiting.since, waiting.request.deadline), (1_000, None));
    // Time passes: a timeout of 0 waits for ever.
    e.advance_to(60_000);
    assert!(e.console_blocked().is_some());
    assert_eq!(e.take_console_answer(), None);
    // Another client (the key inspector) pushes: the console is served at
    // once, and the pusher's reply counted the element it then took.
    let pushed = e.command_from(Origin::Keyspace, &args("RPUSH jobs j1"));
    assert_eq!(pushed, Reply::Integer(1));
    assert!(e.console_blocked().is_none());
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"jobs\"\n2) \"j1\"\n(59.00s)\n"),
        "redis-cli's answer, then the (virtual) time it waited"
    );
    assert_eq!(e.take_console_answer(), None, "taken once");
    assert_eq!(
        e.console_line("EXISTS jobs").as_deref(),
        Some("(integer) 0\n")
    );
    // MONITOR shows the BLPOP once, when sent, and no pop when served.
    let lines: Vec<String> = e.with_store(|s| {
        s.monitor()
            .entries()
            .map(|m| format!("{} {}", m.who(), m.command_line()))
            .collect()
    });
    assert_eq!(
        lines,
        [
            "console BLPOP jobs 0",
            "keyspace RPUSH jobs j1",
            "console EXISTS jobs"
        ]
    );
}

#[test]
fn a_timeout_answers_nil_on_the_virtual_clock_and_step_goes_there() {
    let mut e = Engine::new(1);
    e.console_line("BRPOP q 2.5");
    assert_eq!(
        e.console_blocked().and_then(|b| b.request.deadline),
        Some(2_500)
    );
    e.advance_to(2_499);
    assert!(e.console_blocked().is_some(), "not yet");
    // Step, with nothing else scheduled, jumps to the timeout.
    assert_eq!(e.next_event_at(), Some(2_500));
    assert_eq!(e.step(), Some(2_500));
    assert!(e.console_blocked().is_none());
    assert_eq!(e.take_console_answer().as_deref(), Some("(nil)\n(2.50s)\n"));
    // A short wait prints no time, as redis-cli under 0.5 s.
    e.console_line("BLMOVE q d LEFT LEFT 0.1");
    e.advance_by(100);
    assert_eq!(e.take_console_answer().as_deref(), Some("(nil)\n"));
}

#[test]
fn cancel_answers_nil_now_and_a_second_wait_is_not_started_meanwhile() {
    let mut e = Engine::new(1);
    e.console_line("BLPOP a b 10");
    // Another widget's console command while the console waits (the expiry
    // widget sends console lines): it runs, and cannot block in turn.
    assert_eq!(e.console_line("BLPOP c 10").as_deref(), Some("(nil)\n"));
    assert_eq!(
        e.console_blocked().map(|b| b.args),
        Some(args("BLPOP a b 10"))
    );
    e.advance_by(700);
    e.cancel_console_block();
    assert!(e.console_blocked().is_none());
    assert_eq!(e.take_console_answer().as_deref(), Some("(nil)\n(0.70s)\n"));
}

#[test]
fn a_pushing_request_or_a_console_line_serves_the_wait() {
    let mut e = Engine::new(1);
    e.console_line("BLMOVE jobs working LEFT RIGHT 0");
    // The expiry widget's SETs or the settings' CONFIG SET are console
    // lines too: they run while the console waits, and a push serves it.
    e.console_line("RPUSH jobs j1 j2");
    assert_eq!(e.take_console_answer().as_deref(), Some("\"j1\"\n"));
    assert_eq!(
        e.console_line("LRANGE working 0 -1").as_deref(),
        Some("1) \"j1\"\n")
    );
    assert_eq!(
        e.console_line("LRANGE jobs 0 -1").as_deref(),
        Some("1) \"j2\"\n")
    );
}

#[test]
fn a_wrong_type_destination_found_when_served_is_the_answer() {
    let mut e = Engine::new(1);
    e.console_line("SET dest text");
    e.console_line("BLMOVE src dest LEFT LEFT 0");
    assert!(
        e.console_blocked().is_some(),
        "the destination is not read yet"
    );
    e.command_from(Origin::Keyspace, &args("RPUSH src x"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("(error) WRONGTYPE Operation against a key holding the wrong kind of value\n")
    );
    assert_eq!(e.console_line("LLEN src").as_deref(), Some("(integer) 1\n"));
}

#[test]
fn repeats_wait_one_after_the_other() {
    let mut e = Engine::new(1);
    e.command_from(Origin::Keyspace, &args("RPUSH q a"));
    // redis-cli's `3 BLPOP q 1`: the first answers at once, the second
    // waits, the third goes once the second has its answer.
    assert_eq!(
        e.console_line("3 BLPOP q 1").as_deref(),
        Some("1) \"q\"\n2) \"a\"\n")
    );
    e.advance_by(200);
    e.command_from(Origin::Keyspace, &args("RPUSH q b"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"q\"\n2) \"b\"\n")
    );
    let third = e.console_blocked().expect("the third waits");
    assert_eq!(third.request.deadline, Some(1_200));
    e.advance_by(1_000);
    assert_eq!(e.take_console_answer().as_deref(), Some("(nil)\n(1.00s)\n"));
    assert!(e.console_blocked().is_none());
}

#[test]
fn watch_sees_the_pop_that_served_a_wait() {
    let mut e = Engine::new(1);
    e.console_line("WATCH jobs");
    e.console_line("BLPOP jobs 0");
    e.command_from(Origin::Keyspace, &args("RPUSH jobs j1"));
    e.take_console_answer();
    e.console_line("MULTI");
    e.console_line("SET x 1");
    // The push and the pop both changed the watched key.
    assert_eq!(e.console_line("EXEC").as_deref(), Some("(nil)\n"));
}

#[test]
fn a_reset_engine_holds_no_wait() {
    let mut e = Engine::new(1);
    e.console_line("BLPOP q 0");
    assert!(e.console_blocked().is_some());
    let fresh = Engine::new(1);
    assert!(fresh.console_blocked().is_none());
}

#[test]
fn a_served_rotation_leaves_nothing_ready_for_the_next_wait() {
    let mut e = Engine::new(1);
    e.console_line("BLMOVE ring ring LEFT RIGHT 0");
    e.command_from(Origin::Keyspace, &args("RPUSH ring a b"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("\"a\"\n"),
        "served at once: the rotation moved a to the tail"
    );
    // Its own LMOVE pushed onto `ring`, a key it waited on; that must not
    // serve a later wait on another key from `ring`.
    assert_eq!(e.console_line("BLPOP other 0").as_deref(), Some(""));
    e.command_from(Origin::Keyspace, &args("RPUSH ring c"));
    assert!(e.console_blocked().is_some(), "still waits on other");
    e.command_from(Origin::Keyspace, &args("RPUSH other x"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"other\"\n2) \"x\"\n")
    );
}

#[test]
fn info_counts_the_waiting_console_and_the_blocking_command_once() {
    let mut e = Engine::new(1);
    let field = |e: &mut Engine, section: &str, name: &str| -> String {
        let Reply::Bulk(text) = e.command_from(Origin::Keyspace, &args(&format!("INFO {section}")))
        else {
            panic!("INFO answers a bulk string");
        };
        String::from_utf8_lossy(&text)
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
            .unwrap_or_default()
    };
    assert_eq!(field(&mut e, "clients", "blocked_clients"), "0");
    e.console_line("BLPOP q 10");
    assert_eq!(field(&mut e, "clients", "blocked_clients"), "1");
    assert_eq!(field(&mut e, "clients", "clients_in_timeout_table"), "1");
    let before: u64 = field(&mut e, "stats", "total_commands_processed")
        .parse()
        .unwrap_or_default();
    e.command_from(Origin::Keyspace, &args("RPUSH q a"));
    assert!(e.take_console_answer().is_some(), "served");
    let after: u64 = field(&mut e, "stats", "total_commands_processed")
        .parse()
        .unwrap_or_default();
    // The INFO that read `before`, then the RPUSH: not the pop that served.
    assert_eq!(after, before + 2);
    assert_eq!(field(&mut e, "clients", "blocked_clients"), "0");
    assert_eq!(field(&mut e, "clients", "clients_in_timeout_table"), "0");
}

#[test]
fn a_priority_queue_worker_waits_for_a_member_not_a_list() {
    let mut e = Engine::new(1);
    assert_eq!(e.console_line("BZPOPMIN due 0").as_deref(), Some(""));
    assert_eq!(
        e.console_blocked().map(|b| b.request.wait.key_type()),
        Some("zset")
    );
    e.advance_to(2_000);
    // A list on the key is not what it waits for.
    e.command_from(Origin::Keyspace, &args("RPUSH due x"));
    assert!(e.console_blocked().is_some());
    e.command_from(Origin::Keyspace, &args("DEL due"));
    e.command_from(Origin::Keyspace, &args("ZADD due 20 later 10 sooner"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"due\"\n2) \"sooner\"\n3) \"10\"\n(2.00s)\n")
    );
    assert_eq!(
        e.console_line("ZRANGE due 0 -1").as_deref(),
        Some("1) \"later\"\n")
    );
}
