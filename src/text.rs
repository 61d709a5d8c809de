//! Text helpers shared by the widgets.

use playground_core::store::MonitorEntry;

/// At most `max_chars` characters of `s`, with `…` when it was cut. Cuts
/// on a character boundary, so any user text is safe to pass.
pub fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or_default()),
    }
}

/// Who sent a logged command, short, for a log column: `#3` (API request
/// 3), `console`, with ` lua` when a function that sender called ran it.
pub fn who(e: &MonitorEntry) -> String {
    // The log's own label (`api #3 lua`) without the `api ` a column of
    // request numbers does not need.
    let who = e.who();
    match who.strip_prefix("api ") {
        Some(rest) => rest.to_string(),
        None => who,
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn cuts_on_characters() {
        assert_eq!(shorten("héllo", 2), "hé…");
        assert_eq!(shorten("hi", 2), "hi");
        assert_eq!(shorten("🔥🔥🔥", 1), "🔥…");
        assert_eq!(shorten("", 0), "");
    }
}
