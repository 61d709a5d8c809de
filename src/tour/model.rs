//! The guided tour's chapters as data: what each one opens, how it sets the
//! simulation up (settings, commands, requests: the same paths a reader's
//! clicks take), what it says, and the question it ends with. No Leptos.

use playground_core::api::Request;

use crate::settings::model::{apply, field, Applied};
use crate::sim::SimState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    /// A setting by its Redis / environment name.
    Set(&'static str, &'static str),
    /// A console line (recorded in MONITOR as the console's).
    Cmd(&'static str),
    /// `GET <path>` sent to the API.
    Get(&'static str),
    /// Virtual milliseconds to let pass.
    Wait(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub id: &'static str,
    pub title: &'static str,
    /// The tab the chapter opens.
    pub widget: &'static str,
    pub text: &'static str,
    pub setup: &'static [Setup],
    pub question: &'static str,
    pub choices: &'static [&'static str],
    pub answer: usize,
    pub explain: &'static str,
}

use Setup::*;

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        id: "cache-aside",
        title: "Cache-aside",
        widget: "cache-aside",
        text: "The API asks Redis first. On a miss it queries the slow database and stores the answer with a TTL; the next GET within the TTL is answered from Redis. One product has just been read once: send a GET and compare its latency with the first.",
        setup: &[Set("PRODUCT_CACHE_TTL_SECONDS", "30"), Get("/products/1"), Wait(600)],
        question: "Where does the second GET's answer come from?",
        choices: &["The database, like the first", "Redis: product:1 is cached for 30 s", "The browser's cache"],
        answer: 1,
        explain: "The first GET missed and wrote product:1 with EX 30; until that runs out, every GET is a hit of about a millisecond.",
    },
    Chapter {
        id: "expiry",
        title: "TTL and expiry internals",
        widget: "expiry",
        text: "A key with a TTL is not deleted the moment it expires. Redis deletes it when something touches it (passive expiry) or when a sampling cycle, hz times a second, happens to pick it (active expiry). Until then it is a ghost: expired, still in memory.",
        setup: &[Set("hz", "10"), Set("active-expire-effort", "1"), Set("expire-mode", "modern")],
        question: "Raising hz from 10 to 100 makes ghosts…",
        choices: &["disappear sooner: cycles run ten times as often", "live longer", "no different: hz only affects clients"],
        answer: 0,
        explain: "hz is how often the server cron runs, and with it the slow expiry cycle; each cycle has a time budget, so more cycles reclaim expired keys sooner.",
    },
    Chapter {
        id: "invalidation",
        title: "Invalidation",
        widget: "cache-aside",
        text: "A cached copy can be out of date: the database changed, Redis still holds the old answer until the TTL ends. Deleting the key on every write (invalidation) makes the next read fetch the new value. product:2 is cached now. To drop a whole namespace, filter the keyspace with product:* and delete the matches: every next read misses, which is how a cold cache starts.",
        setup: &[Set("PRODUCT_CACHE_TTL_SECONDS", "60"), Get("/products/2"), Wait(600)],
        question: "After DELETE /products/2/cache, the next GET is…",
        choices: &["a hit with the old value", "a miss that reads the database", "an error"],
        answer: 1,
        explain: "Invalidation deletes product:2, so the next read misses, reads the current row and caches it again.",
    },
    Chapter {
        id: "counters",
        title: "Counters",
        widget: "console",
        text: "INCR is atomic: two clients incrementing the same key never lose an update, because Redis runs one command at a time. Every product GET also increments product:<id>:views. Try INCR and GET in the console, and click page:views in the keyspace to inspect it: a string, with the encoding int. A change that takes more than one command needs WATCH: WATCH page:views, MULTI, SET …, then change the key from the inspector before EXEC, and EXEC answers (nil).",
        setup: &[Cmd("SET page:views 41"), Cmd("INCR page:views")],
        question: "page:views was 41 and was incremented once. What does GET page:views return?",
        choices: &["\"41\"", "\"42\"", "(integer) 42"],
        answer: 1,
        explain: "INCR replied (integer) 42, but GET returns the stored string \"42\": Redis keeps counters as strings that look like integers.",
    },
    Chapter {
        id: "rate-limit",
        title: "Rate-limit algorithms",
        widget: "rate-limit",
        text: "A fixed window counts requests per client in windows that start at fixed times. A burst at the end of one window and another at the start of the next can pass twice the limit in a moment. Sliding windows, token buckets and GCRA smooth that out.",
        setup: &[Set("RATE_LIMIT_ENABLED", "true"), Set("RATE_LIMIT_ALGORITHM", "fixed-aligned"), Set("RATE_LIMIT_MAX_REQUESTS", "5"), Set("RATE_LIMIT_WINDOW_SECONDS", "10")],
        question: "Limit 5 per 10 s, aligned windows: 5 requests at 9.9 s and 5 at 10.0 s. How many pass?",
        choices: &["5", "10", "none"],
        answer: 1,
        explain: "The two bursts fall into two windows, each under its limit: 10 pass within 100 ms. The smoothing algorithms admit 5.",
    },
    Chapter {
        id: "imports",
        title: "Import status",
        widget: "imports",
        text: "A long import runs in the background; the client polls a status key that the worker updates. The key has a TTL, so finished statuses clean themselves up, and an Idempotency-Key makes a retried POST return the same import instead of starting a second.",
        setup: &[Set("IMPORT_STATUS_TTL_SECONDS", "30")],
        question: "What does a poll get once the status key's TTL has run out?",
        choices: &["The last status, forever", "404: the status is gone", "A new import"],
        answer: 1,
        explain: "The status key expired, so the route finds nothing and answers 404; the client must stop polling before then.",
    },
    Chapter {
        id: "queues",
        title: "Queues",
        widget: "console",
        text: "A list is a queue: producers RPUSH jobs, a worker takes them from the other end. BLPOP waits on an empty queue instead of polling it, and answers the moment a job arrives. BLMOVE jobs working LEFT RIGHT 0 also keeps the job in a working list while it is processed: the reliable queue. Two jobs are queued: run that BLMOVE three times. The third waits; push a job from another client (the keyspace's Add a key, a list named jobs) and watch it answer.",
        setup: &[Cmd("RPUSH jobs j1 j2")],
        question: "A worker took j1 with BLMOVE jobs working LEFT RIGHT and crashed before finishing it. Where is j1?",
        choices: &["Lost: it left the queue", "In working, where a recovery can find it", "Back at the head of jobs"],
        answer: 1,
        explain: "BLMOVE moved j1 from jobs to working in one step. A worker removes a job from working (LREM) when it is done, so what a crash leaves there can be pushed back onto jobs. With BLPOP alone, the job would be lost.",
    },
    Chapter {
        id: "stampede",
        title: "Stampede",
        widget: "stampede",
        text: "When a hot key expires, every request that arrives before it is rebuilt misses at once and queries the database: a stampede. A single-flight lock lets one request rebuild while the rest wait; XFetch refreshes early, before the key expires.",
        setup: &[Set("CACHE_SINGLE_FLIGHT", "false"), Set("PRODUCT_CACHE_TTL_SECONDS", "3")],
        question: "50 requests arrive in the 400 ms the rebuild takes. With single-flight, how many database queries?",
        choices: &["50", "1", "0"],
        answer: 1,
        explain: "One request takes the lock (SET NX PX) and queries; the others retry and then read the fresh key.",
    },
    Chapter {
        id: "faults",
        title: "Faults",
        widget: "cache-aside",
        text: "Redis is a dependency. If it is down, a cache-aside API can fail every request or fall back to the database. Redis is down now and CACHE_ERRORS_FALL_BACK is off, as in the article. Send a GET.",
        setup: &[Set("FAULT_REDIS_DOWN", "true"), Set("CACHE_ERRORS_FALL_BACK", "false")],
        question: "With Redis down and no fallback, what does GET /products/1 return?",
        choices: &["200 from the database", "A 500 after the client's timeout", "A cached copy"],
        answer: 1,
        explain: "The call waits for the client timeout and the error escapes as a 500. Turn CACHE_ERRORS_FALL_BACK on in Settings to serve from the database instead.",
    },
    Chapter {
        id: "eviction",
        title: "Memory and eviction",
        widget: "console",
        text: "With maxmemory set, Redis makes room for writes by evicting keys as the policy says: the least recently used (allkeys-lru), only keys with a TTL (volatile-*), or refusing writes (noeviction). Fill the store in the console and watch INFO's evicted_keys; click a key's name to see its memory and the idle time LRU ranks by.",
        setup: &[Set("maxmemory", "2000"), Set("maxmemory-policy", "noeviction"), Cmd("SET big:1 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")],
        question: "Under noeviction, what happens to a SET once the memory limit is reached?",
        choices: &["An old key is deleted to make room", "It fails with an OOM error", "The TTLs get shorter"],
        answer: 1,
        explain: "noeviction never deletes: writes fail with -OOM command not allowed when used memory > 'maxmemory'. allkeys-lru would evict instead.",
    },
];

pub fn chapter(i: usize) -> Option<&'static Chapter> {
    CHAPTERS.get(i)
}

/// Resets the simulation and plays the chapter's setup on it. Returns the
/// setup steps that failed (they should not; a test checks every chapter).
pub fn set_up(st: &mut SimState, c: &Chapter) -> Vec<String> {
    st.reset_to_defaults();
    let mut problems = Vec::new();
    for step in c.setup {
        match *step {
            Set(name, value) => match field(name) {
                Some(f) => {
                    if let Applied::Refused(why) | Applied::Clamped(_, why) = apply(st, f, value) {
                        problems.push(why);
                    }
                }
                None => problems.push(format!("no setting {name}")),
            },
            Cmd(line) => {
                if let Some(out) = st.engine.console_line(line) {
                    if out.starts_with("(error)") {
                        problems.push(format!("{line}: {out}"));
                    }
                }
            }
            Get(path) => {
                st.engine.send(Request::get(path));
            }
            Wait(ms) => st.advance_by(ms),
        }
    }
    st.collect();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::registry;

    #[test]
    fn every_chapter_sets_up_cleanly_and_opens_a_tab() {
        assert_eq!(CHAPTERS.len(), 10);
        let mut st = SimState::new(42);
        for c in CHAPTERS {
            assert_eq!(set_up(&mut st, c), Vec::<String>::new(), "{}", c.id);
            assert!(
                registry::info(c.widget).is_some_and(|w| !w.side),
                "{}",
                c.id
            );
            assert!(c.answer < c.choices.len(), "{}", c.id);
        }
    }

    #[test]
    fn chapters_leave_the_state_they_describe() {
        let mut st = SimState::new(42);
        let ca = chapter(0).expect("chapter");
        set_up(&mut st, ca);
        assert!(st
            .engine
            .with_store(|s| s.keyspace.peek(b"product:1").is_some()));
        // Replay starts again from a fresh store: the key is there once.
        set_up(&mut st, ca);
        assert_eq!(
            st.done
                .iter()
                .filter(|d| d.request.path == "/products/1")
                .count(),
            1
        );
        let counters = CHAPTERS
            .iter()
            .find(|c| c.id == "counters")
            .expect("chapter");
        set_up(&mut st, counters);
        assert_eq!(
            st.engine
                .console_line("GET page:views")
                .as_deref()
                .map(str::trim_end),
            Some("\"42\"")
        );
        let evict = CHAPTERS
            .iter()
            .find(|c| c.id == "eviction")
            .expect("chapter");
        set_up(&mut st, evict);
        // The chapter's question is honest: under noeviction a write past the limit fails.
        let mut refused = None;
        for i in 0..100 {
            let out = st
                .engine
                .console_line(&format!("SET fill:{i} {}", "y".repeat(100)));
            if out.as_deref().is_some_and(|o| o.contains("OOM")) {
                refused = out;
                break;
            }
        }
        assert!(refused.is_some(), "a write past maxmemory is refused");
        // The queue chapter's answer: BLMOVE left the job in working.
        let queues = CHAPTERS.iter().find(|c| c.id == "queues").expect("chapter");
        set_up(&mut st, queues);
        assert_eq!(
            st.engine
                .console_line("BLMOVE jobs working LEFT RIGHT 0")
                .as_deref(),
            Some("\"j1\"\n")
        );
        assert_eq!(
            st.engine.console_line("LRANGE working 0 -1").as_deref(),
            Some("1) \"j1\"\n")
        );
        let faults = CHAPTERS.iter().find(|c| c.id == "faults").expect("chapter");
        set_up(&mut st, faults);
        st.engine.send(Request::get("/products/1"));
        st.advance_by(3_000);
        assert_eq!(st.done.latest().map(|d| d.response.status), Some(500));
    }
}
