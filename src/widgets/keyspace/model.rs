//! The keyspace view outside the DOM: every key of the store grouped by
//! namespace, filtered by the same glob as `KEYS`/`SCAN MATCH`, with type,
//! an escaped value preview and the TTL left. Read with `peek` only: a
//! viewer must not touch LRU clocks, count hits or expire what it looks at
//! (a real Redis keeps an expired key until something accesses it, and this
//! view shows such a key as a ghost). No Leptos here: tested natively.

use std::collections::HashMap;

use playground_core::store::cmd::keys::string_match;
use playground_core::store::{Entry, KeyEvent, Value};
use playground_core::time::Millis;

use crate::sim::SimState;
use crate::text::shorten;

/// Rows rendered at most; the counts always cover every key.
pub const ROW_CAP: usize = 200;
/// Characters of a value preview.
pub const PREVIEW_CHARS: usize = 60;
/// Characters of a key name in a row (the tooltip has more).
pub const KEY_CHARS: usize = 80;
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Row {
    /// Tells rows apart even when their shortened names look alike.
    pub id: u64,
    /// The key's bytes, for the inspector.
    pub raw: Vec<u8>,
    pub key: String,
    /// The key at more length, for the tooltip.
    pub title: String,
    pub kind: &'static str,
    pub preview: String,
    /// `11 bytes`, `3 fields`, …
    pub size: String,
    pub ttl: String,
    /// Past its expiry time but still in memory (not yet reclaimed).
    pub ghost: bool,
    /// Share of the TTL left, in percent (`None`: no TTL, or unknown start).
    pub bar: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Tells groups apart even when their shortened names look alike.
    pub id: u64,
    /// The part before the first `:`, escaped; `(no namespace)` for none.
    pub name: String,
    /// Keys of this group that match the filter (all, not just the shown).
    pub count: usize,
    /// Their memory, by the store's estimate (what `used_memory` and
    /// eviction count): which namespace fills the memory, as Redis
    /// Insight's analysis shows it.
    pub memory: usize,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// Keys in memory (`DBSIZE`, ghosts included).
    pub total: usize,
    /// Keys with a TTL (INFO's `expires=`).
    pub expires: usize,
    /// Keys past their expiry, not yet reclaimed.
    pub ghosts: usize,
    /// Keys matching the filter.
    pub matched: usize,
    /// Rows built (at most [`ROW_CAP`]).
    pub shown: usize,
    pub groups: Vec<Group>,
}

impl View {
    pub fn counts_text(&self) -> String {
        let mut s = format!(
            "{} key{} · {} with TTL",
            thousands(self.total),
            if self.total == 1 { "" } else { "s" },
            thousands(self.expires)
        );
        if self.ghosts > 0 {
            s.push_str(&format!(
                " · {} expired, not yet reclaimed",
                thousands(self.ghosts)
            ));
        }
        s
    }

    pub fn shown_text(&self) -> String {
        if self.shown < self.matched {
            format!(
                "showing {} of {} — refine the filter",
                thousands(self.shown),
                thousands(self.matched)
            )
        } else if self.matched < self.total {
            format!("{} match the filter", thousands(self.matched))
        } else {
            String::new()
        }
    }
}

/// Which keys the view lists: a glob over the name (as `SCAN MATCH`; empty
/// means every key) and a type (as `SCAN TYPE`; empty means every type),
/// Redis Insight's two filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub pattern: String,
    /// A name `TYPE` answers (`string`, `hash`, …) or empty.
    pub kind: String,
}

impl Filter {
    pub fn pattern(pattern: &str) -> Self {
        Filter {
            pattern: pattern.to_string(),
            kind: String::new(),
        }
    }

    /// A ghost is filtered by the type it still holds: the view shows it
    /// with that type until Redis reclaims it.
    pub fn matches(&self, key: &[u8], entry: &Entry) -> bool {
        (self.kind.is_empty() || entry.value.type_name() == self.kind)
            && (self.pattern.is_empty() || string_match(self.pattern.as_bytes(), key))
    }

    /// `2 keys`, `2 hash keys`: a count of what this filter matched.
    pub fn count_text(&self, n: usize) -> String {
        format!(
            "{} {}{}",
            thousands(n),
            self.key_word(),
            if n == 1 { "" } else { "s" }
        )
    }

    /// `key`, or `hash key` with a type filter.
    pub fn key_word(&self) -> String {
        if self.kind.is_empty() {
            "key".into()
        } else {
            format!("{} key", self.kind)
        }
    }
}

/// What the view remembers between builds: its cursor into the key events,
/// and when each shown key's current TTL began (for the bar's full length).
#[derive(Default)]
pub struct Model {
    event_cursor: u64,
    /// key → (expire_at seen, when that TTL began).
    baseline: HashMap<Vec<u8>, (Millis, Millis)>,
    last_now: Millis,
}

impl Model {
    pub fn new() -> Self {
        Model::default()
    }

    /// Builds the view for `pattern` (a glob; empty means every key).
    pub fn build(&mut self, st: &SimState, pattern: &str) -> View {
        self.build_filtered(st, &Filter::pattern(pattern))
    }

    /// Builds the view of the keys `filter` matches.
    pub fn build_filtered(&mut self, st: &SimState, filter: &Filter) -> View {
        let now = st.engine.now();
        if now < self.last_now {
            // The simulation was reset: what we knew is about another run.
            self.baseline.clear();
        }
        self.last_now = now;
        let (events, cursor) = st.events.since(self.event_cursor);
        self.event_cursor = cursor;
        let mut written: HashMap<&[u8], Millis> = HashMap::new();
        for e in events {
            if let KeyEvent::Set { key, at } = e {
                written.insert(key.as_bytes(), *at);
            }
        }
        let mut shown_keys: Vec<Vec<u8>> = Vec::new();
        let mut view = st.engine.with_store(|s| {
            let ks = &s.keyspace;
            let mut keys: Vec<(&[u8], &[u8], &Entry)> = ks
                .iter()
                .filter(|(k, e)| filter.matches(k, e))
                .map(|(k, e)| (namespace(k), k.as_slice(), e))
                .collect();
            keys.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            let mut view = View {
                total: ks.len(),
                expires: ks.volatile_len(),
                ghosts: ks.iter().filter(|(_, e)| e.is_expired(now)).count(),
                matched: keys.len(),
                ..View::default()
            };
            let mut current: Option<&[u8]> = None;
            for (ns, key, entry) in keys {
                if current != Some(ns) {
                    current = Some(ns);
                    view.groups.push(Group {
                        id: hash(ns),
                        name: if ns.is_empty() {
                            "(no namespace)".into()
                        } else {
                            escape(ns, KEY_CHARS)
                        },
                        count: 0,
                        memory: 0,
                        rows: Vec::new(),
                    });
                }
                let Some(group) = view.groups.last_mut() else {
                    continue;
                };
                group.count += 1;
                group.memory += entry.size();
                if view.shown < ROW_CAP {
                    view.shown += 1;
                    shown_keys.push(key.to_vec());
                    let since = entry
                        .expire_at()
                        .map(|at| self.since(key, at, written.get(key).copied(), now));
                    group.rows.push(row(key, entry, now, since));
                }
            }
            view
        });
        // Remember TTL starts for the shown keys only: bounded memory.
        if self.baseline.len() > 4 * ROW_CAP {
            shown_keys.sort_unstable();
            self.baseline
                .retain(|k, _| shown_keys.binary_search(k).is_ok());
        }
        view.groups.retain(|g| g.count > 0);
        view
    }

    /// When the TTL `expire_at` of `key` began: the write that set it if
    /// we saw it, else the first build that saw this expiry time.
    fn since(
        &mut self,
        key: &[u8],
        expire_at: Millis,
        written: Option<Millis>,
        now: Millis,
    ) -> Millis {
        match (self.baseline.get(key), written) {
            (Some(&(at, since)), None) if at == expire_at => since,
            _ => {
                let since = written.filter(|&w| w <= expire_at).unwrap_or(now);
                self.baseline.insert(key.to_vec(), (expire_at, since));
                since
            }
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// The part of a key before its first `:` (the whole key has none: empty).
pub fn namespace(key: &[u8]) -> &[u8] {
    match key.iter().position(|&b| b == b':') {
        Some(i) => key.get(..i).unwrap_or_default(),
        None => &[],
    }
}

fn row(key: &[u8], entry: &Entry, now: Millis, since: Option<Millis>) -> Row {
    let (preview, size) = preview(&entry.value);
    let ghost = entry.is_expired(now);
    let bar = match (entry.expire_at(), since) {
        (Some(at), Some(since)) if !ghost && at > since => {
            let left = at.saturating_sub(now) as f64 / (at - since) as f64;
            Some((left.clamp(0.0, 1.0) * 100.0).round() as u8)
        }
        (Some(_), _) => Some(0),
        _ => None,
    };
    Row {
        id: hash(key),
        raw: key.to_vec(),
        key: escape(key, KEY_CHARS),
        title: escape(key, 400),
        kind: entry.value.type_name(),
        preview,
        size,
        ttl: ttl_text(entry.expire_at(), now),
        ghost,
        bar,
    }
}

/// The TTL left as a reader wants it: `9.6 s`, `4 min 10 s`, `2 h 5 min`;
/// `expired, not yet reclaimed` for a key past its time that Redis has not
/// deleted yet (it is still readable at exactly `expire_at`, as in Redis).
pub fn ttl_text(expire_at: Option<Millis>, now: Millis) -> String {
    let Some(at) = expire_at else {
        return "no TTL".into();
    };
    if now > at {
        return "expired, not yet reclaimed".into();
    }
    let ms = at - now;
    let s = ms / 1000;
    match s {
        0..=59 => format!("{}.{} s", s, (ms % 1000) / 100),
        60..=3_599 => format!("{} min {} s", s / 60, s % 60),
        3_600..=86_399 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// A short preview of a value and its size, never reading more of it than
/// the preview needs (a 1 MB string costs as little as a short one).
pub fn preview(value: &Value) -> (String, String) {
    let text = match value {
        Value::Str(s) => format!("\"{}\"", escape(s, PREVIEW_CHARS)),
        Value::Hash(h) => list_preview(
            h.iter().map(|(f, v)| (f.as_slice(), Some(v.as_slice()))),
            '{',
            '}',
        ),
        Value::List(l) => list_preview(l.iter().map(|v| (v.as_slice(), None)), '[', ']'),
        Value::Set(s) => list_preview(s.iter().map(|m| (m, None)), '{', '}'),
        Value::ZSet(z) => {
            let scores: Vec<(Vec<u8>, String)> = z
                .iter()
                .take(8)
                .map(|(m, s)| {
                    (
                        m.to_vec(),
                        playground_core::store::types::zset::format_score(s),
                    )
                })
                .collect();
            list_preview(
                scores
                    .iter()
                    .map(|(m, s)| (m.as_slice(), Some(s.as_bytes()))),
                '[',
                ']',
            )
        }
    };
    (text, size_text(value))
}

/// A value's size as a reader counts it: `11 bytes`, `3 fields`, …
pub fn size_text(value: &Value) -> String {
    let (n, one, many) = match value {
        Value::Str(s) => (s.len(), "byte", "bytes"),
        Value::Hash(h) => (h.len(), "field", "fields"),
        Value::List(l) => (l.len(), "item", "items"),
        Value::Set(s) => (s.len(), "member", "members"),
        Value::ZSet(z) => (z.len(), "member", "members"),
    };
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn list_preview<'a>(
    items: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
    open: char,
    close: char,
) -> String {
    let mut out = String::from(open);
    for (i, (a, b)) in items.enumerate() {
        if out.chars().count() >= PREVIEW_CHARS {
            out.push('…');
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&escape(a, PREVIEW_CHARS));
        if let Some(b) = b {
            out.push_str(": ");
            out.push_str(&escape(b, PREVIEW_CHARS));
        }
    }
    out.push(close);
    shorten(&out, PREVIEW_CHARS + 2)
}

/// Bytes as readable text of at most `max_chars` characters (then `…`):
/// valid UTF-8 stays as it is (emoji too), control characters and bytes
/// that are not UTF-8 are escaped like redis-cli does (`\n`, `\xff`). Only
/// the start of `bytes` is read.
pub fn escape(bytes: &[u8], max_chars: usize) -> String {
    // Every character takes at most 4 bytes: this prefix holds more than
    // `max_chars` of them.
    let prefix = bytes
        .get(
            ..bytes
                .len()
                .min(max_chars.saturating_mul(4).saturating_add(4)),
        )
        .unwrap_or(bytes);
    let mut out = String::new();
    let mut n = 0usize;
    let mut push = |out: &mut String, s: &str| -> bool {
        if n >= max_chars {
            out.push('…');
            return false;
        }
        out.push_str(s);
        n += 1;
        true
    };
    for chunk in prefix.utf8_chunks() {
        for c in chunk.valid().chars() {
            let esc;
            let s = match c {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                c if c.is_control() => {
                    // Byte by byte, as redis-cli does (U+0085 is `\xc2\x85`),
                    // so no two different keys look alike.
                    let mut buf = [0u8; 4];
                    esc = c
                        .encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("\\x{b:02x}"))
                        .collect::<String>();
                    esc.as_str()
                }
                c => {
                    let mut buf = [0u8; 4];
                    if !push(&mut out, c.encode_utf8(&mut buf)) {
                        return out;
                    }
                    continue;
                }
            };
            if !push(&mut out, s) {
                return out;
            }
        }
        for b in chunk.invalid() {
            if !push(&mut out, &format!("\\x{b:02x}")) {
                return out;
            }
        }
    }
    if prefix.len() < bytes.len() && n >= max_chars {
        out.push('…');
    }
    out
}

/// `5000` → `5,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(st: &mut SimState, line: &str) -> Option<String> {
        let out = st.engine.console_line(line);
        st.collect();
        out
    }

    fn keys_of(v: &View) -> Vec<String> {
        v.groups
            .iter()
            .flat_map(|g| g.rows.iter().map(|r| r.key.clone()))
            .collect()
    }

    #[test]
    fn groups_by_namespace_sorted_with_types_and_counts() {
        let mut st = SimState::new(1);
        run(&mut st, "SET user:2 bob");
        run(&mut st, "SET user:1 alice EX 100");
        run(&mut st, "HSET product:1 name lamp price 10");
        run(&mut st, "RPUSH queue a b c");
        run(&mut st, "ZADD board 1 x 2.5 y");
        run(&mut st, "SET plain 1");
        let v = Model::new().build(&st, "");
        let names: Vec<&str> = v.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["(no namespace)", "product", "user"]);
        assert_eq!(
            keys_of(&v),
            ["board", "plain", "queue", "product:1", "user:1", "user:2"]
        );
        assert_eq!((v.total, v.expires, v.matched, v.shown), (6, 1, 6, 6));
        let kinds: Vec<&str> = v
            .groups
            .iter()
            .flat_map(|g| g.rows.iter().map(|r| r.kind))
            .collect();
        assert_eq!(
            kinds,
            ["zset", "string", "list", "hash", "string", "string"]
        );
        let r = |k: &str| {
            v.groups
                .iter()
                .flat_map(|g| g.rows.iter())
                .find(|r| r.key == k)
                .cloned()
                .expect("row")
        };
        assert_eq!(r("product:1").preview, "{name: lamp, price: 10}");
        assert_eq!(r("product:1").size, "2 fields");
        assert_eq!(r("queue").preview, "[a, b, c]");
        assert_eq!(r("board").preview, "[x: 1, y: 2.5]");
        assert_eq!(r("user:2").preview, "\"bob\"");
        assert_eq!(r("user:2").ttl, "no TTL");
        assert_eq!(r("user:1").ttl, "1 min 40 s");
        assert_eq!(r("user:1").bar, Some(100));
        assert_eq!(v.counts_text(), "6 keys · 1 with TTL");
        assert_eq!(v.shown_text(), "");
        // Each group's memory is its keys' estimates; together, used_memory.
        let memory = |k: &str| {
            st.engine
                .with_store(|s| s.keyspace.peek(k.as_bytes()).map(|e| e.size()))
                .unwrap_or(0)
        };
        let user = v.groups.iter().find(|g| g.name == "user").map(|g| g.memory);
        assert_eq!(user, Some(memory("user:1") + memory("user:2")));
        assert!(memory("user:1") > 0);
        let total: usize = v.groups.iter().map(|g| g.memory).sum();
        assert_eq!(total, st.engine.with_store(|s| s.keyspace.used_memory()));
        // A filter counts only the keys it matches.
        let u1 = Model::new().build(&st, "user:1");
        assert_eq!(
            u1.groups.iter().map(|g| g.memory).collect::<Vec<_>>(),
            [memory("user:1")]
        );
    }

    #[test]
    fn filter_is_the_keys_glob_and_peeking_changes_nothing() {
        let mut st = SimState::new(1);
        for k in ["product:1", "product:2", "products", "user:1"] {
            run(&mut st, &format!("SET {k} v"));
        }
        let before = st.engine.with_store(|s| {
            (
                s.keyspace.stats,
                s.commands_processed(),
                s.monitor().total(),
            )
        });
        let mut m = Model::new();
        let v = m.build(&st, "product:*");
        assert_eq!(keys_of(&v), ["product:1", "product:2"]);
        assert_eq!((v.total, v.matched), (4, 2));
        assert_eq!(v.shown_text(), "2 match the filter");
        assert_eq!(
            keys_of(&m.build(&st, "*[12]")),
            ["product:1", "product:2", "user:1"]
        );
        assert!(m.build(&st, "nothing*").groups.is_empty());
        // A pattern KEYS would take: the same answer.
        let keys = run(&mut st, "KEYS product?*").unwrap_or_default();
        assert_eq!(keys.lines().count(), m.build(&st, "product?*").matched);
        let after = st.engine.with_store(|s| s.keyspace.stats);
        assert_eq!(after, before.0, "no hits, misses or expiries from viewing");
    }

    #[test]
    fn an_expired_key_not_yet_reclaimed_is_a_ghost() {
        let mut st = SimState::new(1);
        // No active expiry: the key stays until touched, as in Redis.
        run(&mut st, "DEBUG SET-ACTIVE-EXPIRE 0");
        run(&mut st, "SET session:1 x PX 1500");
        let mut m = Model::new();
        let v = m.build(&st, "");
        assert_eq!(v.groups[0].rows[0].ttl, "1.5 s");
        assert_eq!(v.groups[0].rows[0].bar, Some(100));
        st.advance_by(750);
        let v = m.build(&st, "");
        assert_eq!(v.groups[0].rows[0].bar, Some(50), "half the TTL is left");
        st.advance_by(750);
        let v = m.build(&st, "");
        assert_eq!(
            v.groups[0].rows[0].ttl, "0.0 s",
            "still readable at expire_at"
        );
        assert!(!v.groups[0].rows[0].ghost);
        st.advance_by(1);
        let v = m.build(&st, "");
        let r = &v.groups[0].rows[0];
        assert!(r.ghost);
        assert_eq!(r.ttl, "expired, not yet reclaimed");
        assert_eq!(v.ghosts, 1);
        assert!(v.counts_text().ends_with("1 expired, not yet reclaimed"));
        // Viewing did not reclaim it; a GET does (passive expiry).
        assert_eq!(m.build(&st, "").total, 1);
        assert_eq!(run(&mut st, "GET session:1").as_deref(), Some("(nil)\n"));
        assert_eq!(m.build(&st, "").total, 0);
    }

    #[test]
    fn a_type_filter_lists_only_that_type_ghosts_included() {
        let mut st = SimState::new(1);
        for line in [
            "SET user:1 ada",
            "HSET user:2 name bob",
            "HSET cart:7 sku 3",
            "HSET user:ghost n 1",
            "PEXPIRE user:ghost 5",
            "RPUSH queue a",
        ] {
            st.engine.console_line(line);
        }
        st.engine.advance_by(10);
        st.collect();
        let mut m = Model::new();
        let hashes = |pattern: &str| Filter {
            pattern: pattern.into(),
            kind: "hash".into(),
        };
        let v = m.build_filtered(&st, &hashes(""));
        assert_eq!(keys_of(&v), ["cart:7", "user:2", "user:ghost"]);
        assert_eq!((v.total, v.matched), (5, 3));
        assert_eq!(v.shown_text(), "3 match the filter");
        let v = m.build_filtered(&st, &hashes("user:*"));
        assert_eq!(keys_of(&v), ["user:2", "user:ghost"]);
        assert!(v.groups[0].rows[1].ghost, "a ghost keeps its type");
        let lists = Filter {
            pattern: String::new(),
            kind: "list".into(),
        };
        assert_eq!(keys_of(&m.build_filtered(&st, &lists)), ["queue"]);
        assert_eq!(hashes("").count_text(1), "1 hash key");
        assert_eq!(Filter::pattern("x").count_text(2_500), "2,500 keys");
    }

    #[test]
    fn five_thousand_keys_show_two_hundred_rows_and_count_all() {
        let mut st = SimState::new(1);
        st.engine.with_store_mut(|s| {
            for i in 0..5_000 {
                let ns = ["product", "user", "session", "rate"][i % 4];
                let mut args = vec![
                    b"SET".to_vec(),
                    format!("{ns}:{i}").into_bytes(),
                    b"v".to_vec(),
                ];
                if i % 2 == 0 {
                    args.extend([b"EX".to_vec(), b"60".to_vec()]);
                }
                s.execute(0, playground_core::store::Origin::Console, &args);
            }
        });
        st.collect();
        let mut m = Model::new();
        let v = m.build(&st, "");
        assert_eq!(
            (v.total, v.matched, v.shown, v.expires),
            (5_000, 5_000, ROW_CAP, 2_500)
        );
        assert_eq!(
            v.groups.iter().map(|g| g.rows.len()).sum::<usize>(),
            ROW_CAP
        );
        assert_eq!(v.groups.iter().map(|g| g.count).sum::<usize>(), 5_000);
        assert_eq!(v.shown_text(), "showing 200 of 5,000 — refine the filter");
        // The first group alone fills the rows: the others still count.
        assert_eq!(v.groups.len(), 4);
        assert_eq!(v.groups[0].name, "product");
        assert_eq!(v.groups[1].count, 1_250);
        let v = m.build(&st, "user:1?");
        assert_eq!(keys_of(&v).len(), 2, "user:13 and user:17");
        // Rebuilding many times keeps the remembered TTL starts bounded.
        for p in ["rate:*", "session:*", "product:*", "user:*", "*"] {
            m.build(&st, p);
        }
        assert!(m.baseline.len() <= 4 * ROW_CAP + ROW_CAP);
    }

    #[test]
    fn hostile_names_and_huge_values_stay_short_text() {
        let mut st = SimState::new(1);
        st.engine.with_store_mut(|s| {
            let o = playground_core::store::Origin::Console;
            s.execute(
                0,
                o,
                &[
                    b"SET".to_vec(),
                    b"<img src=x onerror=alert(1)>".to_vec(),
                    b"<b>".to_vec(),
                ],
            );
            s.execute(
                0,
                o,
                &[
                    b"SET".to_vec(),
                    "🔑:🦀".as_bytes().to_vec(),
                    "héllo 🌍".as_bytes().to_vec(),
                ],
            );
            s.execute(
                0,
                o,
                &[
                    b"SET".to_vec(),
                    b"bin:\xff\x00\n".to_vec(),
                    b"\xfe\xff".to_vec(),
                ],
            );
            s.execute(
                0,
                o,
                &[b"SET".to_vec(), b"big".to_vec(), vec![b'x'; 1 << 20]],
            );
            s.execute(
                0,
                o,
                &[
                    b"SET".to_vec(),
                    b"emoji".to_vec(),
                    "🦀".repeat(300).into_bytes(),
                ],
            );
        });
        st.collect();
        let v = Model::new().build(&st, "");
        let rows: Vec<&Row> = v.groups.iter().flat_map(|g| g.rows.iter()).collect();
        let r = |k: &str| rows.iter().find(|r| r.key == k).copied().expect(k);
        assert_eq!(r("<img src=x onerror=alert(1)>").preview, "\"<b>\"");
        assert_eq!(r("🔑:🦀").preview, "\"héllo 🌍\"");
        assert!(v.groups.iter().any(|g| g.name == "🔑"));
        assert_eq!(r("bin:\\xff\\x00\\n").preview, "\"\\xfe\\xff\"");
        assert!(v.groups.iter().any(|g| g.name == "bin"));
        let big = r("big");
        assert_eq!(big.size, "1,048,576 bytes");
        assert_eq!(big.preview, format!("\"{}…\"", "x".repeat(PREVIEW_CHARS)));
        assert_eq!(
            r("emoji").preview,
            format!("\"{}…\"", "🦀".repeat(PREVIEW_CHARS))
        );
        // Names that look alike once shortened are still told apart.
        let mut st = SimState::new(1);
        let long = "n".repeat(KEY_CHARS + 10);
        for k in [
            format!("{long}a:1"),
            format!("{long}b:1"),
            format!("{long}b:2"),
        ] {
            run(&mut st, &format!("SET {k} v"));
        }
        let v = Model::new().build(&st, "");
        assert_eq!(v.groups.len(), 2);
        assert_eq!(v.groups[0].name, v.groups[1].name);
        assert_ne!(v.groups[0].id, v.groups[1].id);
        let rows: Vec<&Row> = v.groups.iter().flat_map(|g| g.rows.iter()).collect();
        assert_eq!(rows[1].key, rows[2].key);
        assert_ne!(rows[1].id, rows[2].id);
        // A hostile filter is just a pattern.
        let _ = Model::new().build(&st, "[\\");
        let _ = Model::new().build(&st, &"*a".repeat(5_000));
    }

    #[test]
    fn escape_reads_only_what_it_shows() {
        assert_eq!(escape(b"abc", 2), "ab…");
        assert_eq!(escape(b"ab", 2), "ab");
        assert_eq!(escape(b"a\tb\x7f\x01", 10), "a\\tb\\x7f\\x01");
        assert_eq!(escape(b"\xf0\x9f", 10), "\\xf0\\x9f");
        // A backslash is escaped too, so bytes and their escapes differ,
        // and a C1 control shows its bytes as redis-cli does.
        assert_eq!(escape(b"\\xff", 10), "\\\\xff");
        assert_eq!(escape("\u{85}".as_bytes(), 10), "\\xc2\\x85");
        assert_ne!(escape(b"\xc2\x85", 10), escape(b"\\xc2\\x85", 20));
        assert_eq!(escape("é".as_bytes(), 0), "…");
        assert_eq!(escape(b"", 5), "");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(
            ttl_text(Some(10_000 + 3_600_000 * 2 + 300_000), 10_000),
            "2 h 5 min"
        );
        assert_eq!(ttl_text(Some(90_000_000), 0), "1 d 1 h");
    }

    #[test]
    fn a_reset_forgets_ttl_starts() {
        let mut st = SimState::new(1);
        run(&mut st, "SET a 1 EX 10");
        st.advance_by(5_000);
        let mut m = Model::new();
        assert_eq!(m.build(&st, "").groups[0].rows[0].bar, Some(50));
        st.reset();
        run(&mut st, "SET a 1 EX 10");
        assert_eq!(m.build(&st, "").groups[0].rows[0].bar, Some(100));
    }
}
