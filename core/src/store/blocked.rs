//! The console while a blocking command waits (BLPOP, BRPOP, BLMOVE,
//! BRPOPLPUSH on empty lists; BZPOPMIN, BZPOPMAX on empty sorted sets):
//! which keys it waits on, until when, and the answer once it comes.
//!
//! Why the store holds it: the answer is made by *another* client's push.
//! Redis serves a blocked client right after the command that made one of
//! its keys ready, before the next command runs; here [`Store::execute`]
//! does the same after every command, from any client. A timeout is a
//! deadline on the virtual clock: the engine's clock runs to it like to a
//! cron tick ([`Store::next_timer_at`]), and the answer is then `(nil)`.
//!
//! Only the console blocks (as one redis-cli connection would); the page's
//! other widgets that send console commands are not held up by it.

use super::cmd::list::{BlockRequest, End, Wait};
use super::monitor::Origin;
use super::reply::{self, Reply};
use super::value::Value;
use super::{cmd, Store};
use crate::time::Millis;

/// Bytes of printed messages kept for a subscribed console that does not
/// take them (the page shows a subscription's last few thousand characters).
const UNREAD_MESSAGES_MAX: usize = 1 << 20;

/// How a served pop's reply becomes the blocking command's answer.
enum Answer {
    /// BLMOVE, BRPOPLPUSH: the element moved.
    AsIs,
    /// BLPOP, BZPOPMIN: `[key, element]`, `[key, member, score]`.
    KeyFirst,
    /// BLMPOP: `[key, [elements…]]`.
    KeyAndList,
    /// BZMPOP: `[key, [[member, score]…]]`.
    KeyAndPairs,
}

/// The console's blocked command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The command as sent, for its answer's shape and for the page.
    pub args: Vec<Vec<u8>>,
    pub request: BlockRequest,
    /// When it started waiting.
    pub since: Millis,
    /// redis-cli's `N command` repeats not sent yet: each goes once the
    /// one before has its answer.
    pub repeats_left: u64,
}

impl Store {
    /// The console's blocked command, if one waits.
    pub fn blocked(&self) -> Option<&Blocked> {
        self.blocked.as_ref()
    }

    /// The next time something is due on the store's own clock: a cron
    /// tick, or a blocked command's timeout if that is sooner.
    pub fn next_timer_at(&self) -> Millis {
        let cron = self.next_cron_at();
        self.blocked
            .as_ref()
            .and_then(|b| b.request.deadline)
            .map_or(cron, |d| d.min(cron))
    }

    /// What the console printed since its command was blocked: the
    /// answer as redis-cli shows it, with the time it took once that is
    /// 0.5 s or more (redis-cli prints it). Taken once; `None` if nothing.
    pub fn take_unblocked(&mut self) -> Option<String> {
        (!self.unblocked.is_empty()).then(|| std::mem::take(&mut self.unblocked))
    }

    /// A blocked command whose deadline is `now` or past answers `(nil)`.
    pub fn time_out_blocked(&mut self, now: Millis) {
        if self
            .blocked
            .as_ref()
            .and_then(|b| b.request.deadline)
            .is_some_and(|d| d <= now)
        {
            self.answer_blocked(now, Reply::Nil);
        }
    }

    /// Whether the console is subscribed (redis-cli's reading mode) rather
    /// than waiting for one answer.
    pub fn reads_messages(&self) -> bool {
        self.blocked
            .as_ref()
            .is_some_and(|b| b.request.wait == Wait::Messages)
    }

    /// Gives up waiting, as `CLIENT UNBLOCK id` does by default (and as a
    /// redis-cli interrupted with Ctrl-C leaves it): the answer is `(nil)`.
    pub fn cancel_blocked(&mut self, now: Millis) {
        if self.reads_messages() {
            // Ctrl-C closes redis-cli's connection, and its subscriptions
            // with it.
            self.blocked = None;
            self.server.subscriptions = Default::default();
            self.server.messages.clear();
            self.unblocked.push_str(
                "(unsubscribed: Ctrl-C in redis-cli closes the connection and its subscriptions)\n",
            );
            return;
        }
        if self.blocked.is_some() {
            self.answer_blocked(now, Reply::Nil);
        }
    }

    fn answer_blocked(&mut self, now: Millis, reply: Reply) {
        let Some(b) = self.blocked.take() else {
            return;
        };
        self.server.blocked_clients = 0;
        self.server.clients_in_timeout_table = 0;
        // In commandstats once answered (served, timed out or cancelled).
        if let Some(spec) = b.args.first().and_then(|n| cmd::find(n)) {
            self.server.stats.called(spec, &b.args, &reply);
        }
        self.server.stats.error_reply(&reply);
        // What its own LMOVE made ready is not for a later wait.
        self.ready.clear();
        self.unblocked.push_str(&reply::cli_output(&b.args, &reply));
        self.unblocked
            .push_str(&reply::elapsed_line(now.saturating_sub(b.since)));
        // The repeats redis-cli still had to send, one after the other,
        // until one waits again.
        for left in (0..b.repeats_left).rev() {
            let reply = self.execute(now, Origin::Console, &b.args);
            if let Some(again) = self.blocked.as_mut() {
                again.repeats_left = left;
                return;
            }
            self.unblocked.push_str(&reply::cli_output(&b.args, &reply));
        }
    }

    /// Keeps what a command that found nothing asked for (see `may_block`).
    pub(super) fn keep_block_request(&mut self, now: Millis, args: &[Vec<u8>]) {
        if let Some(request) = self.server.block_request.take() {
            // A subscribed client reads messages; INFO does not count it blocked.
            let blocks = request.wait != Wait::Messages;
            self.server.blocked_clients = u8::from(blocks);
            self.server.clients_in_timeout_table = u8::from(blocks && request.deadline.is_some());
            self.blocked = Some(Blocked {
                args: args.to_vec(),
                request,
                since: now,
                repeats_left: 0,
            });
        }
    }

    /// Whether `key` holds what the wait takes: a list with elements, or
    /// a sorted set with members (empty ones do not exist).
    fn holds_elements(&self, wait: &Wait, key: &[u8], now: Millis) -> bool {
        self.keyspace.peek(key).is_some_and(|e| {
            !e.is_expired(now)
                && match &e.value {
                    Value::ZSet(z) => wait.key_type() == "zset" && !z.is_empty(),
                    Value::List(l) => wait.key_type() == "list" && !l.is_empty(),
                    _ => false,
                }
        })
    }

    /// After each write (also each one inside EXEC): the waited-on keys
    /// that now hold elements join the ready list, once, in the order they
    /// got them. Redis signals a key when a list is created there, which
    /// is the only way an empty key gets elements.
    pub(super) fn note_ready(&mut self, now: Millis) {
        let Some(b) = &self.blocked else {
            return;
        };
        let newly: Vec<Vec<u8>> = b
            .request
            .keys
            .iter()
            .filter(|k| !self.ready.contains(k) && self.holds_elements(&b.request.wait, k, now))
            .cloned()
            .collect();
        self.ready.extend(newly);
    }

    /// Serves the blocked command from the first key of the ready list
    /// that still holds elements (a key pushed then emptied again inside
    /// a transaction is passed over, as in Redis): the pop or move runs as
    /// the console's, and its answer is kept for the console.
    pub(super) fn serve_blocked(&mut self, now: Millis) {
        // Looked at once per command, as Redis empties `ready_keys`.
        let ready = std::mem::take(&mut self.ready);
        let Some(b) = &self.blocked else {
            // Nobody reads messages: they are gone, as in Redis.
            self.server.messages.clear();
            return;
        };
        // Subscribed: print what was published, and go on reading.
        if b.request.wait == Wait::Messages {
            for m in std::mem::take(&mut self.server.messages) {
                self.unblocked.push_str(&reply::cli_output(&[], &m));
            }
            // Unread (a console not on screen while keyspace events of a
            // busy load keep coming): the oldest text goes, so that memory
            // stays bounded; a reader sees the newest lines anyway.
            if self.unblocked.len() > UNREAD_MESSAGES_MAX {
                // From a whole message on: each begins a line with `1) `
                // (ASCII, so the cut is a char boundary).
                let from = self.unblocked.len() - UNREAD_MESSAGES_MAX / 2;
                let cut = self
                    .unblocked
                    .as_bytes()
                    .get(from..)
                    .and_then(|rest| rest.windows(4).position(|w| w == b"\n1) "))
                    .map_or(self.unblocked.len(), |at| from + at + 1);
                self.unblocked.drain(..cut);
            }
            return;
        }
        let Some(key) = ready
            .into_iter()
            .find(|k| b.request.keys.contains(k) && self.holds_elements(&b.request.wait, k, now))
        else {
            return;
        };
        let word = |end: &End| -> Vec<u8> {
            match end {
                End::Left => b"LEFT".to_vec(),
                End::Right => b"RIGHT".to_vec(),
            }
        };
        let (args, answer) = match &b.request.wait {
            // Handled above: messages are printed, never a final answer.
            Wait::Messages => return,
            Wait::Pop(End::Left) => (vec![b"LPOP".to_vec(), key.clone()], Answer::KeyFirst),
            Wait::Pop(End::Right) => (vec![b"RPOP".to_vec(), key.clone()], Answer::KeyFirst),
            Wait::ZPop { max } => {
                let name: &[u8] = if *max { b"ZPOPMAX" } else { b"ZPOPMIN" };
                (vec![name.to_vec(), key.clone()], Answer::KeyFirst)
            }
            Wait::MPop { zset, tail, count } => (
                cmd::mpop::serving_command(*zset, *tail, *count, &key),
                if *zset {
                    Answer::KeyAndPairs
                } else {
                    Answer::KeyAndList
                },
            ),
            Wait::Move {
                destination,
                from,
                to,
            } => (
                vec![
                    b"LMOVE".to_vec(),
                    key.clone(),
                    destination.clone(),
                    word(from),
                    word(to),
                ],
                Answer::AsIs,
            ),
        };
        // Not through `execute`: MONITOR showed the blocking command when
        // it was sent, and Redis shows nothing more when it is served.
        let Some(spec) = cmd::find(args.first().map(Vec::as_slice).unwrap_or_default()) else {
            return;
        };
        // Nor does INFO count it again: Redis counted the blocking command
        // when it was sent, and serving it is not another command.
        let reply = self.run(now, Origin::Console, spec, &args, false);
        let reply = match (answer, reply) {
            (_, e @ Reply::Error(_)) | (Answer::AsIs, e) => e,
            (Answer::KeyFirst, Reply::Bulk(element)) => {
                Reply::Array(vec![Reply::Bulk(key), Reply::Bulk(element)])
            }
            (Answer::KeyFirst, popped) => cmd::zset::with_key(key, popped),
            (Answer::KeyAndList, popped) => Reply::Array(vec![Reply::Bulk(key), popped]),
            (Answer::KeyAndPairs, popped) => {
                Reply::Array(vec![Reply::Bulk(key), cmd::mpop::pairs(popped)])
            }
        };
        self.answer_blocked(now, reply);
    }
}
