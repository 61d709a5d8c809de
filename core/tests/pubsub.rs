//! Pub/Sub on the page's engine: the console subscribes (redis-cli's
//! subscribed mode), other clients publish, Esc ends it. (The replies
//! themselves are checked against redis-server in `differential.rs`.)

use playground_core::sim::Engine;
use playground_core::store::cmd::list::Wait;
use playground_core::store::{Origin, Reply};

fn args(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
}

fn info_field(e: &mut Engine, section: &str, name: &str) -> String {
    let Reply::Bulk(text) = e.command_from(Origin::Keyspace, &args(&format!("INFO {section}")))
    else {
        return String::new();
    };
    String::from_utf8_lossy(&text)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
        .unwrap_or_default()
}

#[test]
fn the_console_reads_what_others_publish_until_esc() {
    let mut e = Engine::new(1);
    let out = e.console_line("SUBSCRIBE news").unwrap_or_default();
    assert!(
        out.starts_with("Reading messages... (press Ctrl-C to quit)\n"),
        "{out}"
    );
    assert_eq!(
        e.console_blocked().map(|b| b.request.wait),
        Some(Wait::Messages)
    );
    // Not a blocked client for INFO; SUBSCRIBE counted when it ran.
    assert_eq!(info_field(&mut e, "clients", "blocked_clients"), "0");
    assert!(info_field(&mut e, "commandstats", "cmdstat_subscribe").starts_with("calls=1,"));
    assert_eq!(
        e.command_from(Origin::Keyspace, &args("PUBLISH news hi")),
        Reply::Integer(1)
    );
    assert_eq!(
        e.command_from(Origin::Keyspace, &args("PUBLISH other x")),
        Reply::Integer(0)
    );
    e.command_from(Origin::Keyspace, &args("PUBLISH news again"));
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"message\"\n2) \"news\"\n3) \"hi\"\n1) \"message\"\n2) \"news\"\n3) \"again\"\n")
    );
    assert!(e.console_blocked().is_some(), "still reading");
    // Esc: the subscription is gone, and so is the reader.
    e.cancel_console_block();
    assert!(e.console_blocked().is_none());
    assert!(e
        .take_console_answer()
        .is_some_and(|t| t.starts_with("(unsubscribed")));
    assert_eq!(
        e.command_from(Origin::Keyspace, &args("PUBLISH news lost")),
        Reply::Integer(0)
    );
    assert_eq!(
        e.console_line("PUBSUB NUMSUB news").as_deref(),
        Some("1) \"news\"\n2) (integer) 0\n")
    );
}

#[test]
fn only_the_console_outside_multi_subscribes() {
    let mut e = Engine::new(1);
    let Reply::Error(text) = e.command_from(Origin::Keyspace, &args("SUBSCRIBE news")) else {
        panic!("the inspector cannot subscribe");
    };
    assert!(text.contains("console only"), "{text}");
    e.console_line("MULTI");
    e.console_line("SUBSCRIBE news");
    let out = e.console_line("EXEC").unwrap_or_default();
    assert!(out.contains("console only"), "{out}");
    assert!(e.console_blocked().is_none());
}

#[test]
fn patterns_receive_pmessages_and_count_each_match() {
    let mut e = Engine::new(1);
    e.console_line("PSUBSCRIBE news.* *");
    assert_eq!(
        e.command_from(Origin::Keyspace, &args("PUBLISH news.tech a")),
        Reply::Integer(2),
        "two patterns match"
    );
    let text = e.take_console_answer().unwrap_or_default();
    assert!(
        text.starts_with("1) \"pmessage\"\n2) \"news.*\"\n3) \"news.tech\"\n4) \"a\"\n"),
        "{text}"
    );
}

#[test]
fn the_active_cycle_and_eviction_announce_what_they_reclaim() {
    let mut e = Engine::new(1);
    e.console_line("PSUBSCRIBE __keyevent@0__:*");
    e.command_from(
        Origin::Keyspace,
        &args("CONFIG SET notify-keyspace-events Exe"),
    );
    e.command_from(Origin::Keyspace, &args("SET session:1 v PX 50"));
    // Nobody touches it: the active cycle finds it, and says so.
    e.advance_to(2_000);
    assert_eq!(
        e.take_console_answer().as_deref(),
        Some("1) \"pmessage\"\n2) \"__keyevent@0__:*\"\n3) \"__keyevent@0__:expired\"\n4) \"session:1\"\n")
    );
    // Eviction: over maxmemory, allkeys-lru takes the only other key.
    e.command_from(
        Origin::Keyspace,
        &args("SET big xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    );
    e.command_from(
        Origin::Keyspace,
        &args("CONFIG SET maxmemory-policy allkeys-lru"),
    );
    e.command_from(Origin::Keyspace, &args("CONFIG SET maxmemory 1"));
    e.command_from(Origin::Keyspace, &args("SET next v"));
    let text = e.take_console_answer().unwrap_or_default();
    assert!(
        text.contains("3) \"__keyevent@0__:evicted\"\n4) \"big\"\n"),
        "{text}"
    );
    // Without K or E nothing is sent, whatever the classes. (The CONFIG
    // SET itself first evicts `next`, as Redis makes room before any
    // command while over maxmemory.)
    e.command_from(Origin::Keyspace, &args("CONFIG SET maxmemory 0"));
    assert!(e
        .take_console_answer()
        .is_some_and(|t| t.contains("\"next\"")));
    e.command_from(
        Origin::Keyspace,
        &args("CONFIG SET notify-keyspace-events x"),
    );
    e.command_from(Origin::Keyspace, &args("SET s2 v PX 10"));
    e.advance_to(4_000);
    assert_eq!(e.take_console_answer(), None);
}

#[test]
fn keyspace_notifications_show_the_api_s_cache_aside_traffic_key_by_key() {
    use playground_core::api::Request;
    let mut e = Engine::new(1);
    e.console_line("CONFIG SET notify-keyspace-events KEA");
    e.console_line("PSUBSCRIBE __keyspace@0__:product:*");
    e.take_console_answer();
    // A miss: the API reads the product from the database and caches it
    // with a TTL (SET … EX), which Redis announces as `set`, then `expire`.
    e.send(Request::get("/products/1"));
    e.run_until_idle();
    let heard = e.take_console_answer().unwrap_or_default();
    let events: Vec<&str> = heard
        .split("1) \"pmessage\"\n")
        .filter(|m| m.contains("__keyspace@0__:product:1\""))
        .filter_map(|m| m.lines().nth(2))
        .collect();
    assert_eq!(events, ["4) \"set\"", "4) \"expire\""], "{heard}");
    // Invalidation deletes the key: `del`.
    e.send(Request::delete("/products/1/cache"));
    e.run_until_idle();
    let heard = e.take_console_answer().unwrap_or_default();
    assert!(
        heard.ends_with("3) \"__keyspace@0__:product:1\"\n4) \"del\"\n"),
        "{heard}"
    );
}

#[test]
fn messages_nobody_takes_stay_bounded_and_keep_the_newest() {
    let mut e = Engine::new(1);
    e.console_line("SUBSCRIBE news");
    e.take_console_answer();
    // About 3 MB of printed messages, never taken by a console.
    for i in 0..40_000 {
        e.command_from(
            Origin::Keyspace,
            &args(&format!(
                "PUBLISH news message-number-{i}-padded-to-be-long"
            )),
        );
    }
    let text = e.take_console_answer().unwrap_or_default();
    assert!(text.len() <= 1 << 20, "{} bytes kept", text.len());
    assert!(text.len() >= 1 << 18, "{} bytes kept", text.len());
    assert!(text.starts_with("1) \"message\"\n"), "{}", &text[..60]);
    assert!(
        text.ends_with("3) \"message-number-39999-padded-to-be-long\"\n"),
        "{}",
        &text[text.len() - 60..]
    );
}
