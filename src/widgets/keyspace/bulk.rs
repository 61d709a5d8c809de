//! Deleting every key the filter matches, as Redis Insight's bulk delete
//! does: in batches of UNLINK, sent through the store's one command path
//! as the keyspace's own client, so MONITOR shows each batch and a console
//! in the middle of a MULTI is not disturbed. No Leptos here: tested
//! natively.

use playground_core::store::{Origin, Reply};

use crate::sim::SimState;
use crate::widgets::keyspace::model::{escape, thousands, Filter};

/// Keys per UNLINK. One command with 5,000 keys would be one unreadable
/// MONITOR line; Redis Insight deletes in batches too.
pub const BATCH: usize = 100;

/// The keys in memory that `filter` matches, expired ones included (the
/// view lists them as ghosts), in keyspace order.
pub fn matching_keys(st: &SimState, filter: &Filter) -> Vec<Vec<u8>> {
    st.engine.with_store(|s| {
        s.keyspace
            .iter()
            .filter(|(k, e)| filter.matches(k, e))
            .map(|(k, _)| k.clone())
            .collect()
    })
}

/// Deletes what `filter` matches now (the count may have changed since the
/// reader confirmed: the clock runs) and says what happened. An empty
/// pattern deletes nothing, whatever the type: clearing everything must be
/// typed (`*`).
pub fn delete_matching(st: &mut SimState, filter: &Filter) -> String {
    let shown = escape(filter.pattern.as_bytes(), 80);
    if filter.pattern.is_empty() {
        return "Type a pattern first: an empty filter deletes nothing.".into();
    }
    let keys = matching_keys(st, filter);
    if keys.is_empty() {
        return format!("No {} matches {shown} any more.", filter.key_word());
    }
    let mut removed = 0;
    let mut commands = 0;
    for batch in keys.chunks(BATCH) {
        let mut args = Vec::with_capacity(batch.len() + 1);
        args.push(b"UNLINK".to_vec());
        args.extend(batch.iter().cloned());
        if let Reply::Integer(n) = st.engine.command_from(Origin::Keyspace, &args) {
            removed += n;
        }
        commands += 1;
    }
    let expired = (keys.len() as i64).saturating_sub(removed);
    let mut line = format!(
        "UNLINK × {commands} for {} matching {shown} → {} removed",
        filter.count_text(keys.len()),
        thousands(usize::try_from(removed).unwrap_or(0)),
    );
    if expired > 0 {
        // UNLINK looks each key up first: a ghost is reclaimed as expired
        // and not counted, as in Redis.
        line.push_str(&format!("; {expired} had expired (reclaimed, not counted)"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletes_in_batches_what_the_pattern_matches_and_nothing_else() {
        let mut st = SimState::new(3);
        for i in 0..250 {
            st.engine.console_line(&format!("SET rl:{i} 1"));
        }
        st.engine.console_line("SET product:1 p");
        st.engine.console_line("SET rl:ghost 1 PX 1");
        st.engine.advance_by(10);
        assert_eq!(
            matching_keys(&st, &Filter::pattern("rl:*")).len(),
            251,
            "ghost included"
        );
        assert_eq!(
            delete_matching(&mut st, &Filter::pattern("rl:*")),
            "UNLINK × 3 for 251 keys matching rl:* → 250 removed; 1 had expired (reclaimed, not counted)"
        );
        assert!(matching_keys(&st, &Filter::pattern("rl:*")).is_empty());
        assert_eq!(
            matching_keys(&st, &Filter::pattern("*")),
            [b"product:1".to_vec()]
        );
        let batches: Vec<(String, usize)> = st.engine.with_store(|s| {
            s.monitor()
                .entries()
                .filter(|e| e.command_line().starts_with("UNLINK"))
                .map(|e| (e.who(), e.command_line().split(' ').count() - 1))
                .collect()
        });
        assert_eq!(
            batches,
            [
                ("keyspace".to_string(), 100),
                ("keyspace".to_string(), 100),
                ("keyspace".to_string(), 51)
            ]
        );
    }

    #[test]
    fn an_empty_pattern_or_no_match_deletes_nothing() {
        let mut st = SimState::new(3);
        st.engine.console_line("SET a 1");
        assert!(delete_matching(&mut st, &Filter::pattern("")).starts_with("Type a pattern"));
        assert_eq!(
            delete_matching(&mut st, &Filter::pattern("zz*")),
            "No key matches zz* any more."
        );
        assert_eq!(matching_keys(&st, &Filter::pattern("*")).len(), 1);
    }

    #[test]
    fn a_type_filter_deletes_only_keys_of_that_type() {
        let mut st = SimState::new(3);
        st.engine.console_line("SET user:1 ada");
        st.engine.console_line("HSET user:2 name bob");
        st.engine.console_line("HSET user:3 name eve");
        st.engine.console_line("HSET session:1 id 9");
        let hashes = Filter {
            pattern: "user:*".into(),
            kind: "hash".into(),
        };
        assert_eq!(
            delete_matching(&mut st, &hashes),
            "UNLINK × 1 for 2 hash keys matching user:* → 2 removed"
        );
        let mut left = matching_keys(&st, &Filter::pattern("*"));
        left.sort();
        assert_eq!(left, [b"session:1".to_vec(), b"user:1".to_vec()]);
        assert_eq!(
            delete_matching(&mut st, &hashes),
            "No hash key matches user:* any more."
        );
        // A type alone is not a pattern: nothing goes without one typed.
        let all_hashes = Filter {
            pattern: String::new(),
            kind: "hash".into(),
        };
        assert!(delete_matching(&mut st, &all_hashes).starts_with("Type a pattern"));
        assert_eq!(matching_keys(&st, &all_hashes), [b"session:1".to_vec()]);
    }
}
