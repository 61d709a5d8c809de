//! A new key from a form, as Redis Insight's "+ Key" makes one: a type, a
//! name, an optional TTL and a first element. It becomes the commands a
//! reader could type (SET … EX, or HSET/RPUSH/SADD/ZADD then EXPIRE), sent
//! through the store's one command path as the keyspace's own client. A
//! name already in use is refused before anything is sent, as Redis Insight
//! does: changing a key is the inspector's job. No Leptos here: tested
//! natively.

use playground_core::store::args::join_args;
use playground_core::store::Origin;

use super::inspector::model::{add_command, add_inputs};
use crate::sim::SimState;
use crate::widgets::keyspace::model::escape;

/// The types the form offers, with the names `TYPE` answers.
pub const KINDS: [&str; 5] = ["string", "hash", "list", "set", "zset"];

/// What the reader filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewKey {
    pub kind: String,
    pub name: String,
    /// Seconds as typed; blank means no TTL.
    pub ttl: String,
    /// A string's value, or the first of [`inputs`]' two.
    pub first: String,
    pub second: String,
}

/// The labels of the value inputs for a type: a string has one, `value`.
pub fn inputs(kind: &str) -> (&'static str, Option<&'static str>) {
    add_inputs(kind).unwrap_or(("value", None))
}

impl NewKey {
    /// The commands that make the key, in order.
    pub fn commands(&self) -> Vec<Vec<Vec<u8>>> {
        let b = |s: &str| s.as_bytes().to_vec();
        let ttl = self.ttl.trim();
        if self.kind == "string" {
            let mut set = vec![b("SET"), b(&self.name), b(&self.first)];
            if !ttl.is_empty() {
                set.extend([b("EX"), b(ttl)]);
            }
            return vec![set];
        }
        let mut add = vec![b(add_command(&self.kind)), b(&self.name), b(&self.first)];
        if inputs(&self.kind).1.is_some() {
            add.push(b(&self.second));
        }
        let mut out = vec![add];
        if !ttl.is_empty() {
            out.push(vec![b("EXPIRE"), b(&self.name), b(ttl)]);
        }
        out
    }
}

/// Makes the key. `Ok` with the commands and replies as redis-cli would
/// show them (one line each), or `Err` with why nothing or not everything
/// was done: the name is taken, or Redis answered an error (the commands
/// after it are not sent).
pub fn add(st: &mut SimState, new: &NewKey) -> Result<String, String> {
    if !KINDS.contains(&new.kind.as_str()) {
        return Err(format!("Choose a type: {}.", KINDS.join(", ")));
    }
    let now = st.engine.now();
    let taken = st.engine.with_store(|s| {
        s.keyspace
            .peek(new.name.as_bytes())
            .is_some_and(|e| !e.is_expired(now))
    });
    if taken {
        return Err(format!(
            "{} exists already: open it to change it.",
            escape(new.name.as_bytes(), 80)
        ));
    }
    let mut lines = Vec::new();
    for args in new.commands() {
        let reply = st.engine.command_from(Origin::Keyspace, &args);
        lines.push(format!("{} → {}", join_args(&args), reply.to_cli()));
        if reply.is_error() {
            return Err(lines.join("\n"));
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::keyspace::inspector::model::{inspect, Contents};

    fn new(kind: &str, name: &str, ttl: &str, first: &str, second: &str) -> NewKey {
        NewKey {
            kind: kind.into(),
            name: name.into(),
            ttl: ttl.into(),
            first: first.into(),
            second: second.into(),
        }
    }

    #[test]
    fn each_type_becomes_the_commands_a_reader_would_type() {
        let lines =
            |k: NewKey| -> Vec<String> { k.commands().iter().map(|a| join_args(a)).collect() };
        assert_eq!(
            lines(new("string", "greeting", " 30 ", "hello world", "")),
            ["SET greeting \"hello world\" EX 30"]
        );
        assert_eq!(lines(new("string", "g", "", "v", "")), ["SET g v"]);
        assert_eq!(
            lines(new("hash", "user:1", "60", "name", "Ada")),
            ["HSET user:1 name Ada", "EXPIRE user:1 60"]
        );
        assert_eq!(
            lines(new("list", "jobs", "", "j1", "ignored")),
            ["RPUSH jobs j1"]
        );
        assert_eq!(
            lines(new("set", "tags", "", "redis", "")),
            ["SADD tags redis"]
        );
        assert_eq!(
            lines(new("zset", "board", "", "10", "ada")),
            ["ZADD board 10 ada"]
        );
    }

    #[test]
    fn a_key_is_made_with_its_ttl_and_a_taken_name_is_refused() {
        let mut st = SimState::new(5);
        assert_eq!(
            add(&mut st, &new("hash", "user:1", "60", "name", "Ada")),
            Ok("HSET user:1 name Ada → (integer) 1\nEXPIRE user:1 60 → (integer) 1".into())
        );
        let d = st
            .engine
            .with_store(|s| inspect(s, b"user:1", 0))
            .expect("made");
        assert!(d.has_ttl);
        assert!(matches!(d.contents, Contents::Table { ref rows, .. } if rows.len() == 1));
        assert_eq!(
            add(&mut st, &new("string", "user:1", "", "x", "")),
            Err("user:1 exists already: open it to change it.".into())
        );
        // Redis answers bad input; what follows it is not sent.
        assert_eq!(
            add(&mut st, &new("zset", "board", "10", "high", "ada")),
            Err("ZADD board high ada → (error) ERR value is not a valid float".into())
        );
        assert_eq!(
            add(&mut st, &new("string", "g", "abc", "v", "")),
            Err("SET g v EX abc → (error) ERR value is not an integer or out of range".into())
        );
        assert!(add(&mut st, &new("stream", "s", "", "v", "")).is_err());
        let who: Vec<String> = st
            .engine
            .with_store(|s| s.monitor().entries().map(|e| e.who()).collect());
        assert!(who.iter().all(|w| w == "keyspace"), "{who:?}");
        assert_eq!(
            who.len(),
            4,
            "HSET, EXPIRE, ZADD, SET: nothing for a taken name"
        );
    }

    #[test]
    fn an_expired_key_s_name_is_free_again() {
        let mut st = SimState::new(5);
        st.engine.console_line("SET old v PX 1");
        st.engine.advance_by(5);
        assert_eq!(
            add(&mut st, &new("set", "old", "", "m", "")),
            Ok("SADD old m → (integer) 1".into())
        );
    }
}
