//! Requests that need the signing-key service (the MailPace routes), run on
//! the engine's virtual clock and store, beside the engine's own requests.
//!
//! Why beside: the engine's request tasks get the Redis and database ports
//! only, and the engine cannot grow a third port right now (its module is
//! being changed elsewhere). So these requests run here, through the same
//! route code (`routes::handle_signing_key`), with their own small driver:
//! each Redis command runs on the engine's store at the current virtual
//! time and its reply comes back one round trip later (as the engine's
//! Redis port does, faults included); an upstream call waits
//! `SIGNING_KEY_UPSTREAM_LATENCY_MS`. While they wait, the engine advances,
//! so its cron and its own requests run in time order with them.
//!
//! What the engine does not know: these requests are not in its in-flight
//! list or its completed list; their store commands show in MONITOR as
//! `api #1000001` and up. Wiring a `SigningKeyService` into the engine
//! (one port, like the database) would make this module unnecessary.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::api::ports::Redis;
use crate::api::routes::{self, Route};
use crate::api::settings::CLIENT_TIMEOUT_MS;
use crate::api::signing_keys::{FakeSigningKeys, SigningKeyService, UpstreamError};
use crate::api::{Request, Response};
use crate::sim::{Completed, Engine, Span, SpanKind};
use crate::store::{args::join_args, Origin, Reply};
use crate::time::Millis;

/// Request ids here start above any the engine will reach in a scenario,
/// so MONITOR lines from the two never share a number.
pub const FIRST_ID: u64 = 1_000_001;

/// The fake signing-key service and the ids handed out so far.
#[derive(Debug)]
pub struct SideRequests {
    upstream: Rc<RefCell<FakeSigningKeys>>,
    next_id: u64,
}

impl Default for SideRequests {
    fn default() -> Self {
        SideRequests {
            upstream: Rc::new(RefCell::new(FakeSigningKeys::new())),
            next_id: FIRST_ID,
        }
    }
}

/// Whether a request is one of the routes served here.
pub fn wants(request: &Request) -> bool {
    matches!(
        routes::route(request.method, &request.path),
        Some(Route::SigningKey(_) | Route::SigningKeyCache(_) | Route::RotateSigningKey(_))
    )
}

/// What a waiting task asked the driver for.
enum Ask {
    /// Run this command on the store; the reply arrives a round trip later.
    Command(Vec<Vec<u8>>),
    /// Let this much virtual time pass (an upstream call).
    Wait(Millis),
}

/// The mailbox between one task and the driver.
#[derive(Default)]
struct Slot {
    now: Millis,
    ask: Option<Ask>,
    reply: Option<Reply>,
    wake_at: Option<Millis>,
}

/// Resolves once the driver has answered and the clock reached `wake_at`.
struct Answer(Rc<RefCell<Slot>>);

impl Future for Answer {
    type Output = Option<Reply>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Reply>> {
        let mut slot = self.0.borrow_mut();
        match slot.wake_at {
            Some(t) if slot.now >= t && slot.ask.is_none() => {
                slot.wake_at = None;
                Poll::Ready(slot.reply.take())
            }
            _ => Poll::Pending,
        }
    }
}

struct SideRedis(Rc<RefCell<Slot>>);

impl Redis for SideRedis {
    async fn call(&self, args: &[&[u8]]) -> Reply {
        self.0.borrow_mut().ask = Some(Ask::Command(args.iter().map(|a| a.to_vec()).collect()));
        Answer(Rc::clone(&self.0))
            .await
            .unwrap_or_else(|| Reply::error("ERR no reply"))
    }
}

struct SideUpstream {
    slot: Rc<RefCell<Slot>>,
    keys: Rc<RefCell<FakeSigningKeys>>,
    latency_ms: Millis,
}

impl SideUpstream {
    async fn wait(&self) {
        self.slot.borrow_mut().ask = Some(Ask::Wait(self.latency_ms));
        Answer(Rc::clone(&self.slot)).await;
    }
}

impl SigningKeyService for SideUpstream {
    /// The service answers with the key it holds when the call arrives.
    async fn fetch_key(&self, domain: &str) -> Result<String, UpstreamError> {
        let key = self.keys.borrow().current(domain);
        self.wait().await;
        Ok(key)
    }

    async fn rotate_key(&self, domain: &str) -> Result<String, UpstreamError> {
        let key = self.keys.borrow_mut().rotate(domain);
        self.wait().await;
        Ok(key)
    }
}

type Task = Pin<Box<dyn Future<Output = Option<Response>>>>;

impl SideRequests {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `requests`, all sent at the current virtual time, until each
    /// has its response; returns them in the order given. A request that
    /// is not a route served here gets a 404, as an unknown route would.
    pub fn run(&mut self, engine: &mut Engine, requests: &[Request]) -> Vec<Completed> {
        let settings = engine.settings();
        let started_at = engine.now();
        struct Running {
            id: u64,
            slot: Rc<RefCell<Slot>>,
            trace: Vec<Span>,
            task: Task,
            done: Option<(Response, Millis)>,
        }
        let mut running: Vec<Running> = requests
            .iter()
            .map(|request| {
                let id = self.next_id;
                self.next_id += 1;
                let slot = Rc::new(RefCell::new(Slot {
                    now: started_at,
                    ..Slot::default()
                }));
                let redis = SideRedis(Rc::clone(&slot));
                let upstream = SideUpstream {
                    slot: Rc::clone(&slot),
                    keys: Rc::clone(&self.upstream),
                    latency_ms: settings.signing_keys.upstream_latency_ms,
                };
                let request = request.clone();
                let task: Task = Box::pin(async move {
                    routes::handle_signing_key(&redis, &upstream, settings, &request).await
                });
                Running {
                    id,
                    slot,
                    trace: Vec::new(),
                    task,
                    done: None,
                }
            })
            .collect();
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            let now = engine.now();
            for r in running.iter_mut().filter(|r| r.done.is_none()) {
                r.slot.borrow_mut().now = now;
                // Poll until the task waits for a later time (or ends).
                loop {
                    if let Poll::Ready(response) = r.task.as_mut().poll(&mut cx) {
                        let response =
                            response.unwrap_or_else(|| Response::text(404, "404 Not Found"));
                        r.done = Some((response, now));
                        break;
                    }
                    let ask = r.slot.borrow_mut().ask.take();
                    let wake_at = match ask {
                        Some(Ask::Command(args)) => {
                            let (reply, took, label) = run_command(engine, r.id, &args);
                            r.trace.push(Span {
                                kind: SpanKind::Redis(label),
                                start: now,
                                end: now + took,
                            });
                            r.slot.borrow_mut().reply = Some(reply);
                            now + took
                        }
                        Some(Ask::Wait(ms)) => now + ms,
                        None => break,
                    };
                    r.slot.borrow_mut().wake_at = Some(wake_at);
                    if wake_at > now {
                        break;
                    }
                }
            }
            let next = running
                .iter()
                .filter(|r| r.done.is_none())
                .filter_map(|r| r.slot.borrow().wake_at)
                .min();
            match next {
                Some(t) => engine.advance_to(t.max(now)),
                // Everything answered (a task that waits on nothing cannot
                // happen: every await here is an `Answer`).
                None => break,
            }
        }
        running
            .into_iter()
            .zip(requests)
            .map(|(r, request)| {
                let (response, finished_at) = r
                    .done
                    .unwrap_or_else(|| (Response::text(500, "Internal Server Error"), started_at));
                Completed {
                    id: r.id,
                    request: request.clone(),
                    response,
                    started_at,
                    finished_at,
                    trace: r.trace,
                }
            })
            .collect()
    }
}

/// One command on the engine's store, as the engine's Redis port runs it:
/// at once, with the reply a round trip later; a Redis that is down times
/// out. Returns the reply, the time it takes and the trace label.
fn run_command(engine: &mut Engine, id: u64, args: &[Vec<u8>]) -> (Reply, Millis, String) {
    let settings = engine.settings();
    if settings.faults.redis_down {
        return (
            Reply::error("ERR connection timed out (Redis is down)"),
            CLIENT_TIMEOUT_MS,
            format!("{} (timed out)", join_args(args)),
        );
    }
    let now = engine.now();
    let reply = engine.with_store_mut(|s| s.execute(now, Origin::Api { request: id }, args));
    let rtt = settings.redis_latency_ms + settings.faults.redis_slow_ms;
    (reply, rtt, join_args(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_miss_waits_for_the_upstream_then_a_hit_is_one_round_trip() {
        let mut engine = Engine::new(1);
        let mut side = SideRequests::new();
        let get = Request::get("/domains/example.com/signing-key");
        let miss = side.run(&mut engine, std::slice::from_ref(&get));
        let miss = miss.first().expect("one");
        // GET (1 ms) + upstream (150 ms) + SET (1 ms).
        assert_eq!(miss.latency_ms(), 152, "{:?}", miss.trace);
        assert_eq!(miss.response.status, 200);
        let hit = side.run(&mut engine, std::slice::from_ref(&get));
        assert_eq!(hit.first().map(Completed::latency_ms), Some(1));
        assert_eq!(engine.now(), 153);
        // Three cold misses at once: three upstream calls, all ~152 ms.
        let cold: Vec<Request> = (0..3)
            .map(|_| Request::get("/domains/cold.example/signing-key"))
            .collect();
        let done = side.run(&mut engine, &cold);
        assert!(done.iter().all(|c| c.latency_ms() == 152), "{done:?}");
        assert!(!wants(&Request::get("/products/1")));
    }
}
