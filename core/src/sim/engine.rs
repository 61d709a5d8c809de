use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::executor::{Clock, Executor};
use super::trace::{CommandLine, Span, SpanKind};
use crate::api::imports::{ImportJob, ImportSettings};
use crate::api::settings::CLIENT_TIMEOUT_MS;
use crate::api::signing_keys::{FakeSigningKeys, SigningKeyService, UpstreamError};
use crate::api::{self, ports, Request, Response, Settings};
use crate::db::{FakeDb, Product, ProductPatch};
use crate::rng::Rng;
use crate::store::{Blocked, Origin, Reply, Store};
use crate::time::Millis;

/// A finished request with its timing and trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completed {
    pub id: u64,
    pub request: Request,
    pub response: Response,
    pub started_at: Millis,
    pub finished_at: Millis,
    pub trace: Vec<Span>,
}

impl Completed {
    /// The simulated latency: virtual time from send to reply.
    pub fn latency_ms(&self) -> Millis {
        self.finished_at - self.started_at
    }
}

/// A request still running, and what it is waiting on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub id: u64,
    pub request: Request,
    pub started_at: Millis,
    /// The span it is inside now (its last one), if any.
    pub current: Option<Span>,
}

/// State the request tasks share with the engine.
struct World {
    clock: Rc<Clock>,
    store: RefCell<Store>,
    db: RefCell<FakeDb>,
    /// The MailPace case's upstream: per-domain signing keys.
    signing_keys: RefCell<FakeSigningKeys>,
    rng: RefCell<Rng>,
    settings: RefCell<Settings>,
    in_flight: RefCell<InFlightTable>,
    completed: RefCell<Vec<Completed>>,
    /// Argument buffers reused by every store call: the store takes owned
    /// argument vectors, and copying into warm buffers allocates nothing.
    args_buf: RefCell<Vec<Vec<u8>>>,
    /// Until when a `DEBUG SLEEP` blocks the server: Redis runs one command
    /// at a time, so the API's commands wait for it to wake.
    busy_until: Cell<Millis>,
}

/// What a task's ports write to while it runs: its trace so far and, for
/// a request, what was asked and when (shared with the in-flight table).
/// One allocation per request for all three: they were two.
struct Live {
    /// `None` for a background task (an import worker, a refresh): its
    /// trace is its own and nobody lists it.
    request: Option<Request>,
    started_at: Millis,
    trace: RefCell<Vec<Span>>,
}

impl Live {
    fn background(started_at: Millis) -> Rc<Live> {
        Rc::new(Live {
            request: None,
            started_at,
            trace: RefCell::new(Vec::new()),
        })
    }
}

/// A request in flight.
type Running = Rc<Live>;

/// Requests in flight by id. Ids are handed out in order, so a ring indexed
/// by `id - base` replaces a sorted map (no node allocations); finished
/// requests leave holes that are dropped once they reach the front.
#[derive(Default)]
struct InFlightTable {
    base: u64,
    slots: VecDeque<Option<Running>>,
}

impl InFlightTable {
    fn insert(&mut self, id: u64, running: Running) {
        if self.slots.is_empty() {
            self.base = id;
        }
        let Some(at) = id.checked_sub(self.base).map(|d| d as usize) else {
            return;
        };
        while self.slots.len() <= at {
            self.slots.push_back(None);
        }
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = Some(running);
        }
    }

    fn remove(&mut self, id: u64) -> Option<Running> {
        let at = id.checked_sub(self.base)? as usize;
        let running = self.slots.get_mut(at)?.take();
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        running
    }

    /// Oldest first.
    fn iter(&self) -> impl Iterator<Item = (u64, &Running)> {
        let base = self.base;
        self.slots
            .iter()
            .enumerate()
            .filter_map(move |(i, r)| r.as_ref().map(|r| (base + i as u64, r)))
    }
}

/// The simulation. Owns the clock; nothing moves unless the caller advances it.
pub struct Engine {
    world: Rc<World>,
    executor: Executor,
    next_request: u64,
}

impl Engine {
    pub fn new(seed: u64) -> Self {
        let executor = Executor::new();
        let world = Rc::new(World {
            clock: Rc::clone(executor.clock()),
            store: RefCell::new(Store::new()),
            db: RefCell::new(FakeDb::new()),
            signing_keys: RefCell::new(FakeSigningKeys::new()),
            rng: RefCell::new(Rng::new(seed)),
            settings: RefCell::new(Settings::default()),
            in_flight: RefCell::new(InFlightTable::default()),
            completed: RefCell::new(Vec::new()),
            args_buf: RefCell::new(Vec::new()),
            busy_until: Cell::new(0),
        });
        Engine {
            world,
            executor,
            next_request: 1,
        }
    }

    pub fn now(&self) -> Millis {
        self.world.clock.now()
    }

    pub fn settings(&self) -> Settings {
        *self.world.settings.borrow()
    }

    /// Applies new settings (clamped to workable values) to requests from now on.
    pub fn set_settings(&mut self, settings: Settings) {
        *self.world.settings.borrow_mut() = settings.clamped();
    }

    /// Sends a request at the current virtual time and returns its id. It runs
    /// until its first wait before this returns; the rest happens as time advances.
    pub fn send(&mut self, request: Request) -> u64 {
        self.send_arrived(request, self.now())
    }

    /// Sends a request that arrived at `arrived_at` but could only be sent
    /// now: the clock jumped past it (a `DEBUG SLEEP` blocked the server).
    /// Its latency and its first command count from its arrival, as its
    /// client would measure them (no coordinated omission).
    pub fn send_arrived(&mut self, request: Request, arrived_at: Millis) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        let world = Rc::clone(&self.world);
        let started_at = arrived_at.min(self.now());
        let live = Rc::new(Live {
            request: Some(request),
            started_at,
            // A request makes about four store calls: room for them up front.
            trace: RefCell::new(Vec::with_capacity(4)),
        });
        world.in_flight.borrow_mut().insert(id, Rc::clone(&live));
        self.executor.spawn(async move {
            let redis = SimRedis {
                world: Rc::clone(&world),
                request: id,
                live: Rc::clone(&live),
            };
            let db = SimDb {
                world: Rc::clone(&world),
                live: Rc::clone(&live),
            };
            let upstream = SimUpstream {
                world: Rc::clone(&world),
                live: Rc::clone(&live),
            };
            let ctx = SimContext {
                world: Rc::clone(&world),
                request: id,
            };
            let settings = *world.settings.borrow();
            // Always `Some` here (made just above): only background tasks
            // have no request.
            let response = match &live.request {
                Some(request) => {
                    Some(api::handle(&redis, &db, &upstream, &ctx, &settings, request).await)
                }
                None => None,
            };
            world.in_flight.borrow_mut().remove(id);
            // Finished: nobody else reads the trace or the request any more,
            // so both move out without a copy.
            drop((redis, db, upstream));
            let (request, trace) = match Rc::try_unwrap(live) {
                Ok(l) => (l.request, l.trace.into_inner()),
                Err(l) => (l.request.clone(), l.trace.borrow().clone()),
            };
            let (Some(request), Some(response)) = (request, response) else {
                return;
            };
            world.completed.borrow_mut().push(Completed {
                id,
                request,
                response,
                started_at,
                finished_at: world.clock.now(),
                trace,
            });
        });
        id
    }

    /// Runs a store command typed by a person (console), at the current time.
    /// A `DEBUG SLEEP` then lets its virtual time pass (see
    /// [`sleep_blocked`](Engine::sleep_blocked)).
    pub fn console(&mut self, args: &[Vec<u8>]) -> Reply {
        self.command_from(Origin::Console, args)
    }

    /// Runs a store command sent by `origin` (a person at the console, or
    /// the keyspace view's inspector) at the current time, as [`console`]
    /// does.
    ///
    /// [`console`]: Engine::console
    pub fn command_from(&mut self, origin: Origin, args: &[Vec<u8>]) -> Reply {
        let now = self.now();
        let (reply, sleep) = {
            let mut store = self.world.store.borrow_mut();
            let reply = store.execute(now, origin, args);
            // Redis runs a fast expiry cycle (if due) before sleeping again.
            store.before_sleep(now);
            (reply, store.take_sleep())
        };
        if sleep > 0 {
            self.sleep_blocked(sleep);
        }
        reply
    }

    /// Runs a console line (split like redis-cli) and returns what redis-cli
    /// would print; a `DEBUG SLEEP` lets its time pass afterwards.
    pub fn console_line(&mut self, line: &str) -> Option<String> {
        let now = self.now();
        let (out, sleep) = {
            let mut store = self.world.store.borrow_mut();
            let out = store.execute_line_output(now, Origin::Console, line);
            store.before_sleep(now);
            (out, store.take_sleep())
        };
        if sleep > 0 {
            self.sleep_blocked(sleep);
        }
        out
    }

    /// The time a `DEBUG SLEEP` blocked the server passes: the store runs
    /// no cron tick until it wakes, then the one that is overdue, and the
    /// API's commands sent meanwhile wait for it, as Redis's clients do (a
    /// slow command delays every client: the load test's latency shows it).
    fn sleep_blocked(&mut self, ms: Millis) {
        let wake = self.now().saturating_add(ms);
        self.world.store.borrow_mut().skip_cron_until(wake);
        self.world
            .busy_until
            .set(self.world.busy_until.get().max(wake));
        self.advance_to(wake);
    }

    /// Processes every event up to `t` and sets the clock to `t`. The
    /// store's cron (active expiry, `hz` times a second) and a blocked
    /// console command's timeout run in time order with the requests' events.
    pub fn advance_to(&mut self, t: Millis) {
        loop {
            let tick = self.world.store.borrow().next_timer_at();
            if tick > t {
                break;
            }
            // Events at the tick's instant run first, then the tick.
            self.executor.advance_to(tick.max(self.now()));
            let mut store = self.world.store.borrow_mut();
            store.cron_until(tick);
            store.time_out_blocked(tick);
        }
        self.executor.advance_to(t);
    }

    /// Decides one request's rate limit now, through the same
    /// [`rate_limit::check`](api::rate_limit::check) on the same store port
    /// as a served request (the limiter comparison replays its arrivals
    /// here, so the bundle holds one copy of every algorithm, not two).
    /// `None` if a store call had to wait: set a Redis latency of 0 first.
    pub fn decide_rate_limit(
        &mut self,
        limit: api::rate_limit::Limit,
        atomic: bool,
        identifier: &str,
        request: u64,
    ) -> Option<Result<api::rate_limit::Decision, api::rate_limit::LimiterError>> {
        let now = self.now();
        let redis = SimRedis {
            world: Rc::clone(&self.world),
            request,
            live: Live::background(now),
        };
        super::executor::run_now(api::rate_limit::check(
            &redis,
            limit,
            atomic,
            "get_product",
            identifier,
            now,
            request,
            false,
        ))
    }

    /// Advances by `ms` from now.
    pub fn advance_by(&mut self, ms: Millis) {
        let t = self.now().saturating_add(ms);
        self.advance_to(t);
    }

    /// Jumps to the next scheduled request event (or a blocked console
    /// command's timeout) and runs it, with any cron ticks before it;
    /// `None` if there is none.
    pub fn step(&mut self) -> Option<Millis> {
        let next = self.next_event_at()?;
        self.advance_to(next);
        Some(next)
    }

    /// When the next event is due, if anything is scheduled.
    pub fn next_event_at(&self) -> Option<Millis> {
        let timeout = self
            .world
            .store
            .borrow()
            .blocked()
            .and_then(|b| b.request.deadline);
        match (self.executor.next_event_at(), timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The console's blocking command while it waits (BLPOP on an empty
    /// list), for the page to show what it waits for.
    pub fn console_blocked(&self) -> Option<Blocked> {
        self.world.store.borrow().blocked().cloned()
    }

    /// What a blocked console command printed once it got its answer,
    /// taken once: redis-cli's text, then, as interactive redis-cli does
    /// for a command that took 0.5 s or more, the (virtual) time it took.
    pub fn take_console_answer(&mut self) -> Option<String> {
        self.world.store.borrow_mut().take_unblocked()
    }

    /// Stops the console's wait (Ctrl-C in redis-cli): it answers nil now.
    pub fn cancel_console_block(&mut self) {
        let now = self.now();
        self.world.store.borrow_mut().cancel_blocked(now);
    }

    /// Runs until no request is in flight (or nothing is scheduled).
    pub fn run_until_idle(&mut self) {
        while self.step().is_some() {}
    }

    /// Requests finished since the last call, in completion order.
    pub fn take_completed(&mut self) -> Vec<Completed> {
        std::mem::take(&mut *self.world.completed.borrow_mut())
    }

    /// Like [`take_completed`](Self::take_completed), into `out` (which
    /// should be empty): the two vectors swap, so a caller that drains
    /// often reuses both buffers instead of allocating one per call.
    pub fn take_completed_into(&mut self, out: &mut Vec<Completed>) {
        let mut done = self.world.completed.borrow_mut();
        if out.is_empty() {
            std::mem::swap(&mut *done, out);
        } else {
            out.append(&mut done);
        }
    }

    /// Requests still running, oldest first.
    pub fn in_flight(&self) -> Vec<InFlight> {
        self.world
            .in_flight
            .borrow()
            .iter()
            .filter_map(|(id, live)| {
                Some(InFlight {
                    id,
                    request: live.request.clone()?,
                    started_at: live.started_at,
                    current: live.trace.borrow().last().cloned(),
                })
            })
            .collect()
    }

    /// Read access to the store, for viewers (use `peek`, which changes nothing).
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        f(&self.world.store.borrow())
    }

    /// Write access to the store, e.g. to drain its events.
    pub fn with_store_mut<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.world.store.borrow_mut())
    }

    pub fn db_queries(&self) -> u64 {
        self.world.db.borrow().queries()
    }

    pub fn products(&self) -> Vec<Product> {
        self.world.db.borrow().products().to_vec()
    }
}

/// The store behind the Redis port: the command runs when it is sent, and
/// the reply arrives one round trip later.
struct SimRedis {
    world: Rc<World>,
    request: u64,
    live: Rc<Live>,
}

impl ports::Redis for SimRedis {
    async fn call(&self, args: &[&[u8]]) -> Reply {
        let called = self.world.clock.now();
        // Queued behind a DEBUG SLEEP: the command runs when the server
        // wakes, and its span (the client's view) includes the wait. So
        // does the first command of a request that arrived during the
        // sleep and is sent late (`send_arrived`).
        let sent = if self.live.trace.borrow().is_empty() {
            self.live.started_at.min(called)
        } else {
            called
        };
        let busy = self.world.busy_until.get();
        if busy > called {
            self.world.clock.sleep(busy - called).await;
        }
        let now = self.world.clock.now();
        let faults = self.world.settings.borrow().faults;
        if faults.redis_down {
            // Nothing reaches the server: the client gives up after its timeout.
            self.live.trace.borrow_mut().push(Span {
                kind: SpanKind::Redis(CommandLine::new(args, true)),
                start: now,
                end: now + CLIENT_TIMEOUT_MS,
            });
            self.world.clock.sleep(CLIENT_TIMEOUT_MS).await;
            return Reply::error("ERR connection timed out (Redis is down)");
        }
        let reply = {
            let mut buf = self.world.args_buf.borrow_mut();
            if buf.len() < args.len() {
                buf.resize_with(args.len(), Vec::new);
            }
            for (dst, src) in buf.iter_mut().zip(args) {
                dst.clear();
                dst.extend_from_slice(src);
            }
            let owned = buf.get(..args.len()).unwrap_or_default();
            self.world.store.borrow_mut().execute(
                now,
                Origin::Api {
                    request: self.request,
                },
                owned,
            )
        };
        let rtt = self.world.settings.borrow().redis_latency_ms + faults.redis_slow_ms;
        self.live.trace.borrow_mut().push(Span {
            kind: SpanKind::Redis(CommandLine::new(args, false)),
            start: sent,
            end: now + rtt,
        });
        self.world.clock.sleep(rtt).await;
        reply
    }
}

/// The request's view of the app server: the virtual clock and its id.
struct SimContext {
    world: Rc<World>,
    request: u64,
}

impl ports::RequestContext for SimContext {
    fn now_ms(&self) -> Millis {
        self.world.clock.now()
    }

    fn request_id(&self) -> u64 {
        self.request
    }

    fn random_u64(&self) -> u64 {
        self.world.rng.borrow_mut().next_u64()
    }

    fn start_import(&self, job: ImportJob, settings: ImportSettings) {
        let world = Rc::clone(&self.world);
        let request = self.request;
        self.world.clock.spawn(async move {
            // The worker's commands show in MONITOR under the request that
            // started it; its trace is its own.
            let redis = SimRedis {
                world: Rc::clone(&world),
                request,
                live: Live::background(world.clock.now()),
            };
            let timer = SimTimer {
                world: Rc::clone(&world),
            };
            api::imports::work(&redis, &timer, job, settings).await;
        });
    }

    async fn sleep(&self, ms: Millis) {
        self.world.clock.sleep(ms).await;
    }

    fn spawn_refresh(&self, id: String, settings: Settings) {
        let world = Rc::clone(&self.world);
        let request = self.request;
        self.world.clock.spawn(async move {
            // Like the import worker: MONITOR shows it under the request
            // that served the stale value; its trace is its own.
            let live = Live::background(world.clock.now());
            let redis = SimRedis {
                world: Rc::clone(&world),
                request,
                live: Rc::clone(&live),
            };
            let db = SimDb {
                world: Rc::clone(&world),
                live,
            };
            let ctx = SimContext { world, request };
            api::cache_defences::refresh(&redis, &db, &ctx, &settings, &id).await;
        });
    }
}

struct SimTimer {
    world: Rc<World>,
}

impl ports::Timer for SimTimer {
    async fn sleep(&self, ms: Millis) {
        self.world.clock.sleep(ms).await;
    }

    fn now_ms(&self) -> Millis {
        self.world.clock.now()
    }
}

/// The fake DB behind the database port: reads when asked, answers after
/// the configured latency (plus seeded jitter).
struct SimDb {
    world: Rc<World>,
    live: Rc<Live>,
}

impl SimDb {
    /// Charges one query's latency (with seeded jitter and any slowness
    /// fault) and records its span; a database that is down times out.
    async fn query(&self, what: String) -> Result<(), ports::DbError> {
        let now = self.world.clock.now();
        let settings = *self.world.settings.borrow();
        if settings.faults.db_down {
            let took = CLIENT_TIMEOUT_MS;
            self.live.trace.borrow_mut().push(Span {
                kind: SpanKind::Db(format!("{what} (timed out)")),
                start: now,
                end: now + took,
            });
            self.world.clock.sleep(took).await;
            return Err(ports::DbError("database unavailable".into()));
        }
        let took = FakeDb::query_latency(settings.db, &mut self.world.rng.borrow_mut())
            + settings.faults.db_slow_ms;
        self.live.trace.borrow_mut().push(Span {
            kind: SpanKind::Db(what),
            start: now,
            end: now + took,
        });
        self.world.clock.sleep(took).await;
        Ok(())
    }
}

/// The signing-key service (MailPace's per-domain DKIM keys) on the
/// virtual clock: each call takes `SIGNING_KEY_UPSTREAM_LATENCY_MS` and
/// shows in the trace as an upstream span.
struct SimUpstream {
    world: Rc<World>,
    live: Rc<Live>,
}

impl SimUpstream {
    async fn call(&self, what: String) {
        let now = self.world.clock.now();
        let took = self
            .world
            .settings
            .borrow()
            .signing_keys
            .upstream_latency_ms;
        self.live.trace.borrow_mut().push(Span {
            kind: SpanKind::Upstream(what),
            start: now,
            end: now + took,
        });
        self.world.clock.sleep(took).await;
    }
}

impl SigningKeyService for SimUpstream {
    async fn fetch_key(&self, domain: &str) -> Result<String, UpstreamError> {
        self.call(format!("GET signing key of {domain}")).await;
        // Read when the answer arrives: a rotation meanwhile is seen.
        Ok(self.world.signing_keys.borrow().current(domain))
    }

    async fn rotate_key(&self, domain: &str) -> Result<String, UpstreamError> {
        self.call(format!("ROTATE signing key of {domain}")).await;
        Ok(self.world.signing_keys.borrow_mut().rotate(domain))
    }
}

impl ports::ProductDb for SimDb {
    async fn find_product(&self, id: &str) -> Result<Option<Product>, ports::DbError> {
        let quoted = crate::json::string(id).replace('"', "'");
        let what = format!("SELECT * FROM products WHERE id = {quoted}");
        // The read happens when the query starts; a dead database reads nothing.
        let found = if self.world.settings.borrow().faults.db_down {
            None
        } else {
            self.world.db.borrow_mut().find_product(id)
        };
        self.query(what).await?;
        Ok(found)
    }

    async fn update_product(
        &self,
        id: &str,
        patch: &ProductPatch,
    ) -> Result<Option<Product>, ports::DbError> {
        let quoted = crate::json::string(id).replace('"', "'");
        self.query(format!("UPDATE products SET … WHERE id = {quoted}"))
            .await?;
        // The row changes when the UPDATE completes.
        let at = crate::time::iso8601(self.world.clock.now());
        Ok(self.world.db.borrow_mut().update_product(id, patch, at))
    }
}
