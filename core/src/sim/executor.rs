//! A tiny single-threaded executor on virtual time.
//!
//! Handlers are ordinary `async` code; the only thing that makes them wait is
//! [`Clock::sleep`], which parks the task on a timer heap. Advancing the clock
//! pops timers in time order (ties in the order they were set) and polls the
//! owning task, so a run is fully deterministic and many requests can be in
//! flight at once without threads or a real clock.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::time::Millis;

type TaskId = usize;

/// The virtual clock and its timers, shared by the executor and every task.
#[derive(Debug, Default)]
pub struct Clock {
    now: Cell<Millis>,
    /// (due time, insertion order, task): a min-heap through `Reverse`.
    timers: RefCell<BinaryHeap<Reverse<(Millis, u64, TaskId)>>>,
    next_seq: Cell<u64>,
    /// The task being polled, so a sleep knows whom to wake.
    current: Cell<TaskId>,
    /// Tasks started from inside a task (a background worker), started by
    /// the executor as soon as the task that spawned them yields.
    spawned: Spawned,
}

#[derive(Default)]
struct Spawned(RefCell<Vec<Task>>);

impl std::fmt::Debug for Spawned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} pending spawns", self.0.borrow().len())
    }
}

impl Clock {
    pub fn now(&self) -> Millis {
        self.now.get()
    }

    /// A future that completes once the clock reaches `now + ms`. Zero
    /// completes at once, without yielding.
    pub fn sleep(self: &Rc<Self>, ms: Millis) -> Sleep {
        Sleep {
            clock: Rc::clone(self),
            until: self.now().saturating_add(ms),
            armed: false,
        }
    }

    /// Starts a task from inside another one (it begins at the current
    /// virtual time, right after the spawning task yields).
    pub fn spawn(&self, fut: impl Future<Output = ()> + 'static) {
        self.spawned.0.borrow_mut().push(Box::pin(fut));
    }

    fn next_due(&self) -> Option<Millis> {
        self.timers.borrow().peek().map(|Reverse((at, _, _))| *at)
    }
}

pub struct Sleep {
    clock: Rc<Clock>,
    until: Millis,
    armed: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.clock.now() >= self.until {
            return Poll::Ready(());
        }
        if !self.armed {
            self.armed = true;
            let seq = self.clock.next_seq.get();
            self.clock.next_seq.set(seq + 1);
            let task = self.clock.current.get();
            self.clock
                .timers
                .borrow_mut()
                .push(Reverse((self.until, seq, task)));
        }
        Poll::Pending
    }
}

/// Polls a future that should never wait (every sleep in it is of zero
/// time) to its end, outside any executor; `None` if it did wait.
pub(crate) fn run_now<T>(fut: impl Future<Output = T>) -> Option<T> {
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

#[derive(Default)]
pub struct Executor {
    clock: Rc<Clock>,
    tasks: Vec<Option<Task>>,
    free: Vec<TaskId>,
}

impl Executor {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn clock(&self) -> &Rc<Clock> {
        &self.clock
    }

    /// Starts a task now: it runs until its first wait before this returns.
    pub fn spawn(&mut self, fut: impl Future<Output = ()> + 'static) {
        self.spawn_boxed(Box::pin(fut));
    }

    fn spawn_boxed(&mut self, fut: Task) {
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.tasks.push(None);
                self.tasks.len() - 1
            }
        };
        if let Some(slot) = self.tasks.get_mut(id) {
            *slot = Some(fut);
        }
        self.poll_task(id);
    }

    /// Tasks started and not yet finished.
    pub fn live_tasks(&self) -> usize {
        self.tasks.len() - self.free.len()
    }

    /// When the next timer fires, if any.
    pub fn next_event_at(&self) -> Option<Millis> {
        self.clock.next_due()
    }

    /// Fires every timer due at or before `t`, in order, then sets the clock
    /// to `t`. Time never goes backwards: an earlier `t` is a no-op.
    pub fn advance_to(&mut self, t: Millis) {
        while let Some(at) = self.clock.next_due().filter(|&at| at <= t) {
            self.fire_next(at);
        }
        if t > self.clock.now() {
            self.clock.now.set(t);
        }
    }

    /// Jumps to the next timer and fires every timer due then. Returns the
    /// new time, or `None` when nothing is scheduled.
    pub fn step(&mut self) -> Option<Millis> {
        let at = self.clock.next_due()?;
        self.advance_to(at);
        Some(at)
    }

    fn fire_next(&mut self, at: Millis) {
        let popped = self.clock.timers.borrow_mut().pop();
        if let Some(Reverse((_, _, task))) = popped {
            if at > self.clock.now() {
                self.clock.now.set(at);
            }
            self.poll_task(task);
        }
    }

    fn poll_task(&mut self, id: TaskId) {
        let Some(Some(task)) = self.tasks.get_mut(id) else {
            return;
        };
        self.clock.current.set(id);
        let mut cx = Context::from_waker(Waker::noop());
        if task.as_mut().poll(&mut cx).is_ready() {
            if let Some(slot) = self.tasks.get_mut(id) {
                *slot = None;
            }
            self.free.push(id);
        }
        let spawned = std::mem::take(&mut *self.clock.spawned.0.borrow_mut());
        for fut in spawned {
            self.spawn_boxed(fut);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_interleave_in_virtual_time_order() {
        let mut ex = Executor::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        for (name, first, second) in [("a", 10, 30), ("b", 20, 5)] {
            let clock = Rc::clone(ex.clock());
            let log = Rc::clone(&log);
            ex.spawn(async move {
                clock.sleep(first).await;
                log.borrow_mut().push((name, clock.now()));
                clock.sleep(second).await;
                log.borrow_mut().push((name, clock.now()));
            });
        }
        assert_eq!(ex.live_tasks(), 2);
        assert_eq!(ex.next_event_at(), Some(10));
        ex.advance_to(22);
        assert_eq!(*log.borrow(), [("a", 10), ("b", 20)]);
        assert_eq!(ex.clock().now(), 22);
        while ex.step().is_some() {}
        assert_eq!(*log.borrow(), [("a", 10), ("b", 20), ("b", 25), ("a", 40)]);
        assert_eq!(ex.live_tasks(), 0);
    }

    #[test]
    fn zero_sleep_does_not_yield_and_time_never_goes_back() {
        let mut ex = Executor::new();
        let clock = Rc::clone(ex.clock());
        let done = Rc::new(Cell::new(false));
        let d = Rc::clone(&done);
        ex.spawn(async move {
            clock.sleep(0).await;
            d.set(true);
        });
        assert!(done.get());
        ex.advance_to(100);
        ex.advance_to(50);
        assert_eq!(ex.clock().now(), 100);
    }
}
