//! Model-based property test: random sequences of string/key operations and
//! clock advances run against [`Store`] and against a deliberately simple
//! reference model (a `HashMap` of value + optional absolute expiry, with
//! Redis's passive expiry rule `now > expire_at`). Every reply must match.
//!
//! `MODEL_CASES` sets the number of sequences (default 512, a few seconds in
//! debug):
//!
//! ```text
//! cargo test -p playground-core --test model_based
//! MODEL_CASES=20000 cargo test --release -p playground-core --test model_based
//! ```

use std::collections::HashMap;

use playground_core::store::{Origin, Reply, Store};
use proptest::prelude::*;

const KEYS: &[&str] = &["a", "b", "c", "counter", "k:1"];

#[derive(Clone, Debug)]
enum Op {
    /// `SET key value [PX ms]` (ms may be ≤ 0: an error, nothing changes).
    Set {
        key: usize,
        value: String,
        px: Option<i64>,
    },
    Get(usize),
    Del(Vec<usize>),
    Incr(usize),
    Exists(Vec<usize>),
    Pttl(usize),
    Ttl(usize),
    /// Move the clock forward.
    Advance(u64),
}

impl Op {
    fn args(&self) -> Vec<String> {
        let k = |i: &usize| KEYS[*i].to_string();
        match self {
            Op::Set { key, value, px } => {
                let mut a = vec!["SET".into(), k(key), value.clone()];
                if let Some(ms) = px {
                    a.push("PX".into());
                    a.push(ms.to_string());
                }
                a
            }
            Op::Get(key) => vec!["GET".into(), k(key)],
            Op::Del(keys) => std::iter::once("DEL".into())
                .chain(keys.iter().map(k))
                .collect(),
            Op::Incr(key) => vec!["INCR".into(), k(key)],
            Op::Exists(keys) => std::iter::once("EXISTS".into())
                .chain(keys.iter().map(k))
                .collect(),
            Op::Pttl(key) => vec!["PTTL".into(), k(key)],
            Op::Ttl(key) => vec!["TTL".into(), k(key)],
            Op::Advance(_) => vec![],
        }
    }
}

/// The reference: nothing clever, just the documented rules.
#[derive(Default)]
struct Model {
    now: u64,
    data: HashMap<String, (String, Option<u64>)>,
}

impl Model {
    /// The live entry for `key`, dropping it first if it has expired.
    fn live(&mut self, key: &str) -> Option<&mut (String, Option<u64>)> {
        let now = self.now;
        if matches!(self.data.get(key), Some((_, Some(at))) if now > *at) {
            self.data.remove(key);
        }
        self.data.get_mut(key)
    }

    fn apply(&mut self, op: &Op) -> Option<Reply> {
        let k = |i: &usize| KEYS[*i];
        Some(match op {
            Op::Advance(ms) => {
                self.now += ms;
                return None;
            }
            Op::Set { key, value, px } => {
                let expire_at = match px {
                    None => None,
                    Some(ms) if *ms <= 0 => {
                        return Some(Reply::error("ERR invalid expire time in 'set' command"))
                    }
                    Some(ms) => Some(self.now + *ms as u64),
                };
                self.data
                    .insert(k(key).to_string(), (value.clone(), expire_at));
                Reply::ok()
            }
            Op::Get(key) => match self.live(k(key)) {
                Some((v, _)) => Reply::bulk(v.as_bytes()),
                None => Reply::Nil,
            },
            Op::Del(keys) => {
                let mut n = 0;
                for key in keys {
                    if self.live(k(key)).is_some() {
                        self.data.remove(k(key));
                        n += 1;
                    }
                }
                Reply::Integer(n)
            }
            Op::Exists(keys) => {
                Reply::Integer(keys.iter().filter(|i| self.live(k(i)).is_some()).count() as i64)
            }
            Op::Incr(key) => match self.live(k(key)) {
                None => {
                    self.data.insert(k(key).to_string(), ("1".into(), None));
                    Reply::Integer(1)
                }
                Some(entry) => match strict_i64(&entry.0) {
                    None => Reply::error("ERR value is not an integer or out of range"),
                    Some(n) => match n.checked_add(1) {
                        None => Reply::error("ERR increment or decrement would overflow"),
                        Some(m) => {
                            // The TTL stays.
                            entry.0 = m.to_string();
                            Reply::Integer(m)
                        }
                    },
                },
            },
            Op::Pttl(key) | Op::Ttl(key) => {
                let now = self.now;
                let millis = matches!(op, Op::Pttl(_));
                match self.live(k(key)) {
                    None => Reply::Integer(-2),
                    Some((_, None)) => Reply::Integer(-1),
                    Some((_, Some(at))) => {
                        let left = (*at - now) as i64;
                        Reply::Integer(if millis { left } else { (left + 500) / 1000 })
                    }
                }
            }
        })
    }
}

/// An integer in Redis's canonical form only: what `to_string` of an `i64`
/// gives (no `+`, no leading zeros, no spaces, no `-0`).
fn strict_i64(s: &str) -> Option<i64> {
    let n: i64 = s.parse().ok()?;
    (n.to_string() == s).then_some(n)
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-20i64..20).prop_map(|n| n.to_string()),
        Just(i64::MAX.to_string()),
        Just((i64::MAX - 1).to_string()),
        Just(i64::MIN.to_string()),
        prop::sample::select(vec!["abc", "", "007", "+1", " 1", "1.5", "-0", "x y"])
            .prop_map(String::from),
    ]
}

fn key() -> impl Strategy<Value = usize> {
    0..KEYS.len()
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (key(), value(), prop::option::of(prop_oneof![
            8 => 1i64..5_000,
            1 => -2i64..=0,
        ]))
            .prop_map(|(key, value, px)| Op::Set { key, value, px }),
        3 => key().prop_map(Op::Get),
        1 => prop::collection::vec(key(), 1..4).prop_map(Op::Del),
        3 => key().prop_map(Op::Incr),
        1 => prop::collection::vec(key(), 1..4).prop_map(Op::Exists),
        2 => key().prop_map(Op::Pttl),
        2 => key().prop_map(Op::Ttl),
        4 => prop_oneof![Just(0u64), 0u64..=3_000].prop_map(Op::Advance),
    ]
}

fn cases() -> u32 {
    std::env::var("MODEL_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(512)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn store_matches_reference_model(ops in prop::collection::vec(op(), 1..80)) {
        let mut store = Store::new();
        let mut model = Model::default();
        for (step, op) in ops.iter().enumerate() {
            let expected = model.apply(op);
            let Some(expected) = expected else { continue };
            let args = op.args();
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let actual = store.exec(model.now, Origin::Console, &argv);
            prop_assert_eq!(
                &actual, &expected,
                "step {} at t={} ms: {:?}", step, model.now, argv
            );
        }
        // Whatever is still live agrees key by key at the end.
        for (i, key) in KEYS.iter().enumerate() {
            let expected = model.apply(&Op::Get(i));
            let actual = store.exec(model.now, Origin::Console, &["GET", key]);
            prop_assert_eq!(Some(actual), expected);
        }
    }
}

#[test]
fn model_follows_the_boundary_rule() {
    // The model itself: a key is readable at exactly expire_at, gone 1 ms later.
    let mut m = Model::default();
    m.apply(&Op::Set {
        key: 0,
        value: "v".into(),
        px: Some(10),
    });
    m.apply(&Op::Advance(10));
    assert_eq!(m.apply(&Op::Pttl(0)), Some(Reply::Integer(0)));
    m.apply(&Op::Advance(1));
    assert_eq!(m.apply(&Op::Get(0)), Some(Reply::Nil));
    assert_eq!(strict_i64("007"), None);
    assert_eq!(strict_i64("-0"), None);
    assert_eq!(strict_i64("-12"), Some(-12));
}
