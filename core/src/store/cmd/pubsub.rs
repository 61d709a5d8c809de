//! Pub/Sub: SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and
//! PUBSUB, as Redis 7.0 answers them (RESP2: each confirmation and message
//! is an array).
//!
//! Who subscribes: the console, as one redis-cli connection. SUBSCRIBE puts
//! it in redis-cli's subscribed mode: it prints what comes and reads no
//! more commands until Esc (Ctrl-C), which closes its subscriptions. The
//! store treats that like a blocked command that never gets a final answer
//! ([`Wait::Messages`]): a PUBLISH from another client, or a keyspace event,
//! lands in [`ServerState::messages`] and is printed under the SUBSCRIBE
//! after the command that sent it. Other clients (the API, the inspector)
//! never subscribe here, so they have no subscriptions to drop.

use super::keys::glob::string_match;
use super::list::{BlockRequest, Wait};
use super::{arg, Ctx};
use crate::store::reply::{self, Reply};

/// The console's subscriptions, in the order they were made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscriptions {
    pub channels: Vec<Vec<u8>>,
    pub patterns: Vec<Vec<u8>>,
}

impl Subscriptions {
    pub fn count(&self) -> i64 {
        (self.channels.len() + self.patterns.len()) as i64
    }

    /// The patterns (PSUBSCRIBE's) or the channels.
    fn list_mut(&mut self, pattern: bool) -> &mut Vec<Vec<u8>> {
        if pattern {
            &mut self.patterns
        } else {
            &mut self.channels
        }
    }
}

fn confirmation(kind: &str, name: Option<&[u8]>, count: i64) -> Reply {
    Reply::Array(vec![
        Reply::bulk(kind),
        name.map_or(Reply::Nil, |n| Reply::Bulk(n.to_vec())),
        Reply::Integer(count),
    ])
}

/// Whether a command's reply is a run of pub/sub confirmations that
/// redis-cli prints one after the other (not as one nested array).
pub fn prints_as_several(args: &[Vec<u8>]) -> bool {
    args.first().is_some_and(|n| {
        [
            &b"subscribe"[..],
            b"psubscribe",
            b"unsubscribe",
            b"punsubscribe",
        ]
        .iter()
        .any(|c| n.eq_ignore_ascii_case(c))
    })
}

/// redis-cli's text for the confirmations of a command that
/// [`prints_as_several`]: for SUBSCRIBE/PSUBSCRIBE first the banner it
/// prints as it enters subscribed mode.
pub fn cli_text(args: &[Vec<u8>], items: &[Reply]) -> String {
    let mut out = String::new();
    let subscribing = args.first().is_some_and(|n| {
        n.eq_ignore_ascii_case(b"subscribe") || n.eq_ignore_ascii_case(b"psubscribe")
    });
    if subscribing {
        out.push_str("Reading messages... (press Ctrl-C to quit)\n");
    }
    for item in items {
        out.push_str(&reply::cli_output(&[], item));
    }
    out
}

/// `SUBSCRIBE channel …` and `PSUBSCRIBE pattern …` (`pattern`).
pub fn subscribe(ctx: &mut Ctx, args: &[Vec<u8>], pattern: bool) -> Reply {
    if !ctx.server.may_block {
        return Reply::error(
            "ERR the playground subscribes from the console only, outside MULTI (redis-cli's subscribed mode)",
        );
    }
    let kind = if pattern { "psubscribe" } else { "subscribe" };
    let mut replies = Vec::new();
    for name in args.iter().skip(1) {
        let subs = &mut ctx.server.subscriptions;
        let list = subs.list_mut(pattern);
        if !list.contains(name) {
            list.push(name.clone());
        }
        replies.push(confirmation(kind, Some(name), subs.count()));
    }
    ctx.server.block_request = Some(BlockRequest {
        keys: Vec::new(),
        wait: Wait::Messages,
        deadline: None,
    });
    Reply::Array(replies)
}

/// `UNSUBSCRIBE [channel …]` and `PUNSUBSCRIBE [pattern …]`: without
/// names, every one the client has (none: one confirmation with nil).
/// Only the console has subscriptions; it cannot send this while it
/// reads messages, so here it mostly confirms that nothing was subscribed.
pub fn unsubscribe(ctx: &mut Ctx, args: &[Vec<u8>], pattern: bool) -> Reply {
    let kind = if pattern {
        "punsubscribe"
    } else {
        "unsubscribe"
    };
    let console = ctx.origin == crate::store::monitor::Origin::Console;
    let mut empty = Subscriptions::default();
    let subs = if console {
        &mut ctx.server.subscriptions
    } else {
        &mut empty
    };
    let names: Vec<Vec<u8>> = match args.get(1..) {
        Some(n) if !n.is_empty() => n.to_vec(),
        _ => subs.list_mut(pattern).clone(),
    };
    if names.is_empty() {
        return Reply::Array(vec![confirmation(kind, None, subs.count())]);
    }
    let mut replies = Vec::with_capacity(names.len());
    for name in &names {
        subs.list_mut(pattern).retain(|n| n != name);
        replies.push(confirmation(kind, Some(name), subs.count()));
    }
    Reply::Array(replies)
}

/// Delivers `message` on `channel` to the console's matching
/// subscriptions (its channel, then each pattern that matches it);
/// answers how many received it, as PUBLISH does.
pub fn deliver(server: &mut crate::store::ServerState, channel: &[u8], message: &[u8]) -> i64 {
    let subs = &server.subscriptions;
    let mut out = Vec::new();
    if subs.channels.iter().any(|c| c == channel) {
        out.push(Reply::Array(vec![
            Reply::bulk("message"),
            Reply::Bulk(channel.to_vec()),
            Reply::Bulk(message.to_vec()),
        ]));
    }
    for p in subs.patterns.iter().filter(|p| string_match(p, channel)) {
        out.push(Reply::Array(vec![
            Reply::bulk("pmessage"),
            Reply::Bulk(p.clone()),
            Reply::Bulk(channel.to_vec()),
            Reply::Bulk(message.to_vec()),
        ]));
    }
    let n = out.len() as i64;
    server.messages.extend(out);
    n
}

/// `PUBLISH channel message`.
pub fn publish(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    Reply::Integer(deliver(ctx.server, &arg(args, 1), &arg(args, 2)))
}

const HELP: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
];

use super::Spec;

/// PUBLISH is not a write (it changes no key); SUBSCRIBE may run in MULTI in
/// Redis, but the console's subscribed mode starts only outside it (the
/// command says so when it runs).
pub const SPECS: &[Spec] = &[
    Spec {
        name: "subscribe",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| subscribe(c, a, false),
    },
    Spec {
        name: "psubscribe",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| subscribe(c, a, true),
    },
    Spec {
        name: "unsubscribe",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| unsubscribe(c, a, false),
    },
    Spec {
        name: "punsubscribe",
        arity: -1,
        flags: 0,
        keys: (0, 0, 0),
        run: |c, a| unsubscribe(c, a, true),
    },
    Spec {
        name: "publish",
        arity: 3,
        flags: 0,
        keys: (0, 0, 0),
        run: publish,
    },
    Spec {
        name: "pubsub",
        arity: -2,
        flags: 0,
        keys: (0, 0, 0),
        run: pubsub,
    },
];

/// `PUBSUB CHANNELS|NUMSUB|NUMPAT|SHARDCHANNELS|SHARDNUMSUB|HELP`
/// (the subcommand and its arity are checked before it runs).
pub fn pubsub(ctx: &mut Ctx, args: &[Vec<u8>]) -> Reply {
    let sub = arg(args, 1).to_ascii_lowercase();
    let subs = &ctx.server.subscriptions;
    match sub.as_slice() {
        b"channels" | b"shardchannels" if args.len() <= 3 => {
            if sub == b"shardchannels" {
                return Reply::Array(Vec::new());
            }
            let pattern = args.get(2);
            Reply::Array(
                subs.channels
                    .iter()
                    .filter(|c| pattern.is_none_or(|p| string_match(p, c)))
                    .map(|c| Reply::Bulk(c.clone()))
                    .collect(),
            )
        }
        b"numsub" | b"shardnumsub" => {
            let mut out = Vec::new();
            for c in args.iter().skip(2) {
                let n = sub == b"numsub" && subs.channels.contains(c);
                out.push(Reply::Bulk(c.clone()));
                out.push(Reply::Integer(i64::from(n)));
            }
            Reply::Array(out)
        }
        b"numpat" => Reply::Integer(subs.patterns.len() as i64),
        b"help" => Reply::help(HELP),
        _ => Reply::error(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try PUBSUB HELP.",
            String::from_utf8_lossy(&arg(args, 1))
        )),
    }
}
