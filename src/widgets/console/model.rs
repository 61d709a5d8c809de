//! The console outside the DOM: scrollback, shell-like history, Tab
//! completion of command and subcommand names. Running a line is the engine's job
//! (`Engine::console_line`: one command path, MONITOR origin `console`,
//! redis-cli's output, `help` included); this keeps what the page shows.
//! No Leptos here: tested natively.

use std::collections::VecDeque;
use std::sync::Arc;

use playground_core::store::cmd::list::Wait;
use playground_core::store::cmd::{docs, is_redis_only, subcommands, GROUPS};
use playground_core::store::Blocked;
use playground_core::time::format_clock;

/// Scrollback entries kept.
pub const SCROLLBACK: usize = 500;
/// History lines kept (ArrowUp/ArrowDown).
pub const HISTORY: usize = 100;
/// Characters of one output (or echoed line) shown.
pub const OUTPUT_CHARS: usize = 4_000;
/// Lines longer than this are run but not kept in the history.
const HISTORY_LINE_BYTES: usize = 64 * 1024;
/// Completion candidates listed in the hint line.
const HINT_NAMES: usize = 24;

/// Commands the console answers itself, besides the store's.
const CONSOLE_COMMANDS: [&str; 2] = ["help", "clear"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    /// The line as typed, shortened for display.
    pub input: Arc<str>,
    /// What redis-cli printed, shortened for display (no trailing newline).
    pub output: Arc<str>,
    pub error: bool,
}

/// Where a Tab left off, so the next Tab moves to the next match.
#[derive(Debug)]
struct Cycle {
    matches: Vec<String>,
    pos: usize,
    /// The input as the last Tab set it; anything else typed restarts.
    text: String,
}

#[derive(Debug, Default)]
pub struct Console {
    entries: VecDeque<Entry>,
    next_id: u64,
    history: VecDeque<String>,
    /// Position while browsing the history (`None`: at the draft).
    browsing: Option<usize>,
    /// What was typed before browsing started.
    draft: String,
    cycle: Option<Cycle>,
    /// The entry of a command that waits (BLPOP on an empty list): its
    /// answer is added to it when it comes.
    pending: Option<u64>,
    /// Every line sent to the store, in order, repeats included (unlike the
    /// history): what a link to this session replays (`?run=`), up to the
    /// first a link cannot take (past `RUN_LINES`, or too long).
    ran: Vec<String>,
    /// Lines ran after those: a link replays the beginning only.
    ran_cut: bool,
    /// The simulation's generation the lines ran in: a Reset starts afresh.
    ran_generation: u64,
}

/// The channel a subscribed console's Publish button sends to: the first
/// one a SUBSCRIBE names (a PSUBSCRIBE's patterns name no channel; a
/// keyspace-event channel is Redis's own to publish on).
pub fn publish_channel(b: &Blocked) -> Option<Vec<u8>> {
    let subscribe = b
        .args
        .first()
        .is_some_and(|n| n.eq_ignore_ascii_case(b"subscribe"));
    (b.request.wait == Wait::Messages && subscribe)
        .then(|| b.args.get(1).cloned())
        .flatten()
        .filter(|c| !c.starts_with(b"__key"))
}

/// What the console says while its command waits (BLPOP on an empty
/// list): what for, until when on the virtual clock, and how to end it.
/// Fixed while it waits (no countdown), so a screen reader hears it once.
/// `alone`: a console embedded on its own, with no keyspace view beside it
/// to push from.
pub fn waiting_text(b: &Blocked, alone: bool) -> String {
    use crate::widgets::keyspace::model::escape;
    let name = b
        .args
        .first()
        .map(|n| String::from_utf8_lossy(n).to_ascii_uppercase())
        .unwrap_or_default();
    let keys: Vec<String> = b.request.keys.iter().map(|k| escape(k, 40)).collect();
    let until = match b.request.deadline {
        None => "no timeout".to_string(),
        Some(at) => format!("until {} on the clock", format_clock(at)),
    };
    let keys = keys.join(", ");
    if b.request.wait == Wait::Messages {
        let names: Vec<String> = b.args.iter().skip(1).map(|n| escape(n, 40)).collect();
        let what = match (name == "PSUBSCRIBE", names.len() == 1) {
            (true, true) => "pattern",
            (true, false) => "patterns",
            (false, true) => "channel",
            (false, false) => "channels",
        };
        return format!(
            "Subscribed ({name}) to the {what} {}: each message published to them prints \
             above as it comes, and nothing else runs here. Esc ends the subscription \
             (Ctrl-C in redis-cli).",
            names.join(", ")
        );
    }
    let kind = b.request.wait.key_type();
    let (what, give) = if kind == "zset" {
        ("a member", "Add one")
    } else {
        ("an element", "Push one")
    };
    if alone {
        return format!(
            "{name} waits for {what} on {keys} ({until}). No other client shares this \
             console's store here: the timeout or Esc ends the wait (Ctrl-C in redis-cli)."
        );
    }
    // An empty list or sorted set does not exist, so the keyspace cannot
    // open it: the way to push from another client there is its Add a key
    // form.
    format!(
        "{name} waits for {what} on {keys} ({until}). {give} from another client: \
         in the keyspace, Add a key of type {kind} named {}. Esc cancels the wait \
         (Ctrl-C in redis-cli).",
        b.request
            .keys
            .first()
            .map_or(String::new(), |k| escape(k, 40))
    )
}

/// A line is `clear`: the console empties its scrollback (as redis-cli
/// clears the screen), nothing reaches the store.
pub fn is_clear(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case("clear")
}

impl Console {
    pub fn new() -> Self {
        Console::default()
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remembers a submitted line in the history (not blank ones, not a
    /// repeat of the previous one, as shells do) and leaves browsing.
    pub fn remember(&mut self, line: &str) {
        self.browsing = None;
        self.draft.clear();
        self.cycle = None;
        if line.trim().is_empty() || line.len() > HISTORY_LINE_BYTES {
            return;
        }
        if self.history.back().map(String::as_str) != Some(line) {
            if self.history.len() >= HISTORY {
                self.history.pop_front();
            }
            self.history.push_back(line.to_string());
        }
    }

    /// Adds a line and what it printed to the scrollback (`None`: a blank
    /// line printed nothing, so nothing is added). Returns the entry's id.
    pub fn record(&mut self, line: &str, output: Option<String>) -> Option<u64> {
        let output = output?;
        let out = output.strip_suffix('\n').unwrap_or(&output);
        let error =
            out.starts_with("(error)") || out == playground_core::store::args::INVALID_ARGUMENTS;
        if self.entries.len() >= SCROLLBACK {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry {
            id: self.next_id,
            input: cap(line).into(),
            output: cap(out).into(),
            error,
        });
        self.next_id += 1;
        Some(self.next_id - 1)
    }

    /// Adds what a blocked command printed once answered to its entry
    /// (still in the scrollback unless cleared or scrolled out).
    pub fn answer(&mut self, id: u64, text: &str) {
        let Some(e) = self.entries.iter_mut().find(|e| e.id == id) else {
            return;
        };
        let text = text.strip_suffix('\n').unwrap_or(text);
        let joined = if e.output.is_empty() {
            text.to_string()
        } else {
            format!("{}\n{text}", e.output)
        };
        e.error = e.error || text.starts_with("(error)");
        // A subscription prints for as long as it lasts: keep its newest
        // lines (a terminal shows the bottom), not its first ones.
        e.output = cap_keeping_end(&joined).into();
    }

    /// `line` was sent to the store of the simulation's `generation` (see
    /// [`ran`](Self::ran)).
    pub fn ran_line(&mut self, line: &str, generation: u64) {
        if generation != self.ran_generation {
            self.ran.clear();
            self.ran_cut = false;
            self.ran_generation = generation;
        }
        if self.ran_cut {
            return;
        }
        if self.ran.len() >= crate::route::RUN_LINES
            || line.chars().count() > crate::route::RUN_LINE_CHARS
        {
            // Replaying later lines without this one would be another session.
            self.ran_cut = true;
        } else {
            self.ran.push(line.to_string());
        }
    }

    /// The lines a link to this session replays (those run since the
    /// simulation's `generation` began), and whether later ones ran that it
    /// leaves out.
    pub fn ran(&self, generation: u64) -> (&[String], bool) {
        if generation == self.ran_generation {
            (&self.ran, self.ran_cut)
        } else {
            (&[], false)
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn pending(&self) -> Option<u64> {
        self.pending
    }

    pub fn set_pending(&mut self, id: Option<u64>) {
        self.pending = id;
    }

    /// ArrowUp: the previous history line (stays at the oldest).
    pub fn older(&mut self, current: &str) -> Option<String> {
        let pos = match self.browsing {
            None => {
                if self.history.is_empty() {
                    return None;
                }
                self.draft = current.to_string();
                self.history.len() - 1
            }
            Some(p) => p.saturating_sub(1),
        };
        self.browsing = Some(pos);
        self.history.get(pos).cloned()
    }

    /// ArrowDown: the next history line, then back to what was being typed.
    pub fn newer(&mut self) -> Option<String> {
        let pos = self.browsing?;
        if pos + 1 >= self.history.len() {
            self.browsing = None;
            return Some(std::mem::take(&mut self.draft));
        }
        self.browsing = Some(pos + 1);
        self.history.get(pos + 1).cloned()
    }

    /// Typing anything ends a completion cycle.
    pub fn typed(&mut self) {
        self.cycle = None;
    }

    /// Tab: completes the command name (the first word), or the subcommand
    /// after a container command (`OBJECT enc` → `OBJECT encoding`). One
    /// match: that name. Several: first their common prefix, then each match
    /// in turn on every further Tab. Returns the new input and the hint line.
    pub fn complete(&mut self, input: &str) -> (String, String) {
        if let Some(c) = self.cycle.as_mut() {
            if c.text == input && !c.matches.is_empty() {
                c.pos = (c.pos + 1) % c.matches.len();
                let text = c.matches.get(c.pos).cloned().unwrap_or_default();
                c.text = text.clone();
                let hint = hint(&c.matches);
                return (text, hint);
            }
        }
        self.cycle = None;
        let Some(target) = Target::of(input) else {
            return (input.to_string(), String::new());
        };
        let lower = target.word.to_ascii_lowercase();
        // The case of the word being completed, or of the command before
        // an empty one: `OBJECT ` offers `ENCODING`, `object ` `encoding`.
        let cased = if target.word.is_empty() {
            target.head
        } else {
            target.word
        };
        let upper = !cased.chars().any(|c| c.is_ascii_lowercase());
        let mut names: Vec<String> = target
            .names
            .iter()
            .filter(|n| n.starts_with(&lower))
            .map(|n| {
                if upper {
                    n.to_ascii_uppercase()
                } else {
                    n.to_string()
                }
            })
            .collect();
        names.sort();
        names.dedup();
        let Some(first) = names.first() else {
            let what = match target.head.trim() {
                "" => String::from("command"),
                cmd => format!("subcommand of {}", cmd.to_ascii_uppercase()),
            };
            return (
                input.to_string(),
                format!("No {what} starts with {}.", target.word),
            );
        };
        let hint = hint(&names);
        let matches: Vec<String> = names
            .iter()
            .map(|n| format!("{}{n}", target.head))
            .collect();
        if matches.len() == 1 {
            return (format!("{}{first}", target.head), hint);
        }
        let common = common_prefix(&matches);
        let typed = target.head.len() + target.word.len();
        let (text, pos) = if common.len() > typed {
            // The next Tab moves to the match after the prefix (the first
            // match if the prefix is not one itself).
            let pos = matches
                .iter()
                .position(|m| *m == common)
                .unwrap_or(matches.len() - 1);
            (common, pos)
        } else {
            (format!("{}{first}", target.head), 0)
        };
        self.cycle = Some(Cycle {
            matches,
            pos,
            text: text.clone(),
        });
        (text, hint)
    }
}

/// What a Tab in `input` would complete: the word being typed, the text
/// kept before it, and the names it may become.
struct Target<'a> {
    head: &'a str,
    word: &'a str,
    names: Vec<&'static str>,
}

impl<'a> Target<'a> {
    /// The first word while it is the only one; the second after a
    /// container command (those `cmd::subcommands` lists: OBJECT, CONFIG,
    /// COMMAND, FUNCTION), also when still empty. Anything else is not completed, and Tab moves focus.
    fn of(input: &'a str) -> Option<Self> {
        let line = input.trim_start();
        if line.is_empty() {
            return None;
        }
        let Some(space) = line.find(char::is_whitespace) else {
            return Some(Target {
                head: "",
                word: line,
                names: command_names().collect(),
            });
        };
        let (command, rest) = line.split_at(space);
        let word = rest.trim_start();
        if word.contains(char::is_whitespace) {
            return None;
        }
        let names = subcommands(&command.to_ascii_lowercase())?;
        Some(Target {
            head: line.get(..line.len() - word.len()).unwrap_or(line),
            word,
            names: names.iter().map(|(n, _)| *n).collect(),
        })
    }
}

/// Whether Tab completes something in `input`; when not, it moves focus
/// as usual, so the field is no keyboard trap.
pub fn tab_completes(input: &str) -> bool {
    Target::of(input).is_some()
}

/// The syntax of the command being typed, as redis-cli's help gives it
/// (`SET key value [NX|XX] …`), once its name is whole: a container's
/// subcommand once that is typed too, its subcommands before. A leading
/// repeat count (`3 INCR k`) is skipped, as redis-cli reads it. `None`
/// for anything else (a partial name, the console's own words).
pub fn syntax(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let mut name = words.next()?;
    if name.bytes().all(|b| b.is_ascii_digit()) {
        name = words.next()?;
    }
    let upper = name.to_ascii_uppercase();
    if let Some(d) = words
        .next()
        .and_then(|sub| docs::doc(&[name.as_bytes(), sub.as_bytes()]))
    {
        return Some(format!("{} {}", d.name.to_ascii_uppercase(), d.args));
    }
    let d = docs::doc(&[name.as_bytes()])?;
    match subcommands(d.name) {
        Some(subs) => {
            let names: Vec<String> = subs.iter().map(|(n, _)| n.to_ascii_uppercase()).collect();
            Some(format!("{upper} {}", names.join("|")))
        }
        None => Some(format!("{upper} {}", d.args).trim_end().to_string()),
    }
}

/// A note under the `unknown command` reply to a command that real Redis
/// has and this store does not simulate (`REDIS_ONLY`): the reply stays
/// Redis's own, and the note says it is no typo. `None` for any other
/// output (a typo really is unknown to Redis too).
pub fn redis_only_note(output: &str) -> Option<String> {
    let rest = output.strip_prefix("(error) ERR unknown command '")?;
    let (name, _) = rest.split_once("', with args beginning with:")?;
    if !is_redis_only(name) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let upper = lower.to_ascii_uppercase();
    Some(match lower.as_str() {
        "monitor" => "MONITOR is real Redis; here its feed is the MONITOR panel, which shows \
                      every command as it ran, from every client."
            .to_string(),
        "memory" => "MEMORY is real Redis; here a key's name in the keyspace opens the \
                     inspector, which shows the key's memory as the store estimates it (and \
                     INFO's used_memory sums it)."
            .to_string(),
        "eval" | "eval_ro" | "evalsha" | "evalsha_ro" | "script" => format!(
            "{upper} is real Redis, but the playground runs no Lua of yours: its server-side \
             code is one built-in function library (FCALL, FUNCTION LIST WITHCODE)."
        ),
        _ => format!(
            "{upper} is a real Redis command that the playground does not simulate; HELP \
             lists the ones it does."
        ),
    })
}

/// Every name the console completes: the store's command table and the
/// console's own commands, lowercase.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    GROUPS
        .iter()
        .flat_map(|g| g.iter().map(|s| s.name))
        .chain(CONSOLE_COMMANDS)
}

fn hint(matches: &[String]) -> String {
    let mut s = matches
        .iter()
        .take(HINT_NAMES)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    if matches.len() > HINT_NAMES {
        s.push_str(&format!(" … (+{} more)", matches.len() - HINT_NAMES));
    }
    s
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut len = first.len();
    for w in words {
        len = len.min(
            first
                .bytes()
                .zip(w.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first.get(..len).unwrap_or_default().to_string()
}

/// At most [`OUTPUT_CHARS`] characters, and how many more there were.
/// [`cap`] from the other end: the last [`OUTPUT_CHARS`] characters, from
/// the start of a line, after a note of how much came before.
pub fn cap_keeping_end(s: &str) -> String {
    let total = s.chars().count();
    if total <= OUTPUT_CHARS {
        return s.to_string();
    }
    let cut = s
        .char_indices()
        .nth(total - OUTPUT_CHARS)
        .map_or(s.len(), |(i, _)| i);
    // Begin at the next whole message (a reply's first line, `1) `), or
    // else the next whole line, if there is one.
    let rest = s.get(cut..).unwrap_or_default();
    let cut = rest
        .find("\n1) ")
        .or_else(|| rest.find('\n'))
        .map_or(cut, |nl| cut + nl + 1);
    let earlier = s.get(..cut).unwrap_or_default().chars().count();
    format!(
        "({} earlier characters…)\n{}",
        crate::widgets::keyspace::model::thousands(earlier),
        s.get(cut..).unwrap_or_default()
    )
}

pub fn cap(s: &str) -> String {
    match s.char_indices().nth(OUTPUT_CHARS) {
        None => s.to_string(),
        Some((cut, _)) => {
            let rest = s.get(cut..).unwrap_or_default().chars().count();
            format!(
                "{}… ({} more characters)",
                s.get(..cut).unwrap_or_default(),
                crate::widgets::keyspace::model::thousands(rest)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_session_link_replays_what_ran_since_the_reset_up_to_the_first_it_cannot_take() {
        let mut c = Console::new();
        assert_eq!(c.ran(0), (&[][..], false));
        for line in ["SET a 1", "INCR n", "INCR n"] {
            c.remember(line);
            c.ran_line(line, 0);
        }
        // Repeats kept (the history drops them: replaying needs them).
        assert_eq!(c.ran(0).0, ["SET a 1", "INCR n", "INCR n"]);
        // Another generation (a Reset): nothing from before.
        assert_eq!(c.ran(1), (&[][..], false));
        c.ran_line("GET a", 1);
        assert_eq!(c.ran(1).0, ["GET a"]);
        // A line too long for a link cuts the session there.
        c.ran_line(&"x".repeat(crate::route::RUN_LINE_CHARS + 1), 1);
        c.ran_line("GET b", 1);
        assert_eq!(c.ran(1), (&["GET a".to_string()][..], true));
        let mut c = Console::new();
        for i in 0..crate::route::RUN_LINES + 2 {
            c.ran_line(&format!("INCR n{i}"), 0);
        }
        let (lines, cut) = c.ran(0);
        assert_eq!((lines.len(), cut), (crate::route::RUN_LINES, true));
    }

    use super::*;

    #[test]
    fn the_syntax_of_the_command_being_typed() {
        assert_eq!(
            syntax("set").as_deref(),
            Some(
                "SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|\
                 PXAT unix-time-milliseconds|KEEPTTL]"
            )
        );
        assert_eq!(syntax("  3 incr k").as_deref(), Some("INCR key"));
        assert_eq!(syntax("RANDOMKEY").as_deref(), Some("RANDOMKEY"));
        assert_eq!(
            syntax("object").as_deref(),
            Some("OBJECT ENCODING|FREQ|HELP|IDLETIME|REFCOUNT")
        );
        assert_eq!(
            syntax("Object encoding k").as_deref(),
            Some("OBJECT ENCODING key")
        );
        assert_eq!(
            syntax("object nope").as_deref(),
            Some("OBJECT ENCODING|FREQ|HELP|IDLETIME|REFCOUNT")
        );
        for nothing in [
            "",
            "   ",
            "se",
            "help",
            "clear",
            "3",
            "memory usage k",
            "\u{1F600}",
        ] {
            assert_eq!(syntax(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn a_real_redis_command_not_simulated_gets_a_note_and_a_typo_none() {
        let mut store = playground_core::store::Store::new();
        let mut out = |line: &str| {
            store
                .execute_line_output(0, playground_core::store::Origin::Console, line)
                .unwrap_or_default()
        };
        let memory = out("memory usage k");
        assert!(
            memory.starts_with("(error) ERR unknown command 'memory'"),
            "{memory}"
        );
        assert!(redis_only_note(&memory).is_some_and(|n| n.contains("opens the inspector")));
        let mut note = |line: &str| redis_only_note(&out(line)).unwrap_or_default();
        assert_eq!(
            note("3 XADD s * a 1"),
            "XADD is a real Redis command that the playground does not simulate; HELP lists \
             the ones it does."
        );
        assert!(note("sort mylist").starts_with("SORT is a real Redis command"));
        assert!(note("MONITOR").contains("MONITOR panel"));
        assert!(note("EVAL \"return 1\" 0").contains("built-in function library"));
        // A typo, a command the store has, an argument error: no note.
        for line in [
            "MEMROY USAGE k",
            "GET k",
            "GET",
            "SET k v XX NX",
            "OBJECT NOPE k",
        ] {
            assert_eq!(redis_only_note(&out(line)), None, "{line}");
        }
    }
    use crate::sim::SimState;
    use playground_core::store::Origin;

    /// What the widget does on Enter.
    fn submit(c: &mut Console, st: &mut SimState, line: &str) {
        c.remember(line);
        if is_clear(line) {
            c.clear();
            return;
        }
        let out = st.engine.console_line(line);
        st.collect();
        c.record(line, out);
    }

    fn last(c: &Console) -> (String, String, bool) {
        c.entries()
            .last()
            .map(|e| (e.input.to_string(), e.output.to_string(), e.error))
            .unwrap_or_default()
    }

    #[test]
    fn a_blocked_command_s_entry_gets_its_answer_later() {
        let mut st = SimState::new(1);
        let mut c = Console::new();
        c.remember("BLPOP jobs 5");
        let out = st.engine.console_line("BLPOP jobs 5");
        let id = c.record("BLPOP jobs 5", out).expect("an entry");
        let b = st.engine.console_blocked().expect("waiting");
        assert_eq!(
            waiting_text(&b, false),
            "BLPOP waits for an element on jobs (until 00:05.000 on the clock). Push one \
             from another client: in the keyspace, Add a key of type list named jobs. Esc \
             cancels the wait (Ctrl-C in redis-cli)."
        );
        assert!(waiting_text(&b, true).ends_with(
            "No other client shares this console's store here: the timeout or Esc ends the \
             wait (Ctrl-C in redis-cli)."
        ));
        assert_eq!(last(&c), ("BLPOP jobs 5".into(), String::new(), false));
        st.engine.advance_by(1_500);
        st.engine.command_from(
            Origin::Keyspace,
            &[b"RPUSH".to_vec(), b"jobs".to_vec(), b"j1".to_vec()],
        );
        let text = st.engine.take_console_answer().expect("served");
        c.answer(id, &text);
        assert_eq!(
            last(&c),
            (
                "BLPOP jobs 5".into(),
                "1) \"jobs\"\n2) \"j1\"\n(1.50s)".into(),
                false
            )
        );
        // A sorted-set wait asks for a member and a zset.
        st.engine.console_line("BZPOPMIN due 0");
        let b = st.engine.console_blocked().expect("waiting on due");
        assert_eq!(
            waiting_text(&b, false),
            "BZPOPMIN waits for a member on due (no timeout). Add one from another client: \
             in the keyspace, Add a key of type zset named due. Esc cancels the wait \
             (Ctrl-C in redis-cli)."
        );
        st.engine.cancel_console_block();
        // A subscription names its channels (or patterns), one or several.
        st.engine.take_console_answer();
        st.engine.console_line("PSUBSCRIBE news.* sport.*");
        let b = st.engine.console_blocked().expect("reading messages");
        assert!(waiting_text(&b, false)
            .starts_with("Subscribed (PSUBSCRIBE) to the patterns news.*, sport.*: each message"));
        st.engine.cancel_console_block();
        st.engine.console_line("SUBSCRIBE news");
        let b = st.engine.console_blocked().expect("reading messages");
        assert!(waiting_text(&b, true).starts_with("Subscribed (SUBSCRIBE) to the channel news: "));
        st.engine.cancel_console_block();
        // An error answer marks the entry as one; a cleared entry is gone.
        c.answer(id, "(error) WRONGTYPE x\n");
        assert!(last(&c).2);
        c.clear();
        c.answer(id, "late");
        assert!(c.is_empty());
    }

    #[test]
    fn every_example_runs_in_order_without_an_error() {
        let mut st = SimState::new(1);
        let mut c = Console::new();
        for line in crate::widgets::console::EXAMPLES {
            submit(&mut c, &mut st, line);
            let (_, out, error) = last(&c);
            assert!(!error && !out.contains("ERR"), "{line} → {out}");
            // A subscription reads until Esc, as the page requires before
            // the next command.
            if st.engine.console_blocked().is_some() {
                st.engine.cancel_console_block();
            }
        }
        // The queue example moved the first job to the working list.
        assert_eq!(
            st.engine.console_line("LRANGE working 0 -1").as_deref(),
            Some("1) \"j1\"\n")
        );
    }

    #[test]
    fn lines_run_on_the_store_and_print_like_redis_cli() {
        let mut st = SimState::new(1);
        let mut c = Console::new();
        submit(&mut c, &mut st, "SET k v EX 100");
        assert_eq!(last(&c), ("SET k v EX 100".into(), "OK".into(), false));
        submit(&mut c, &mut st, "GET k");
        assert_eq!(last(&c).1, "\"v\"");
        submit(&mut c, &mut st, "TTL k");
        assert_eq!(last(&c).1, "(integer) 100");
        submit(&mut c, &mut st, "SET \"unbalanced");
        assert_eq!(
            last(&c),
            (
                "SET \"unbalanced".into(),
                "Invalid argument(s)".into(),
                true
            )
        );
        submit(&mut c, &mut st, "INCR k");
        assert_eq!(
            last(&c).1,
            "(error) ERR value is not an integer or out of range"
        );
        assert!(last(&c).2);
        submit(&mut c, &mut st, "   ");
        assert_eq!(c.len(), 5, "a blank line prints nothing");
        submit(&mut c, &mut st, "help incr");
        assert!(last(&c).1.starts_with("\n  INCR key\n  summary: Increment"));
        // The console's commands are MONITOR's `console` lines.
        let origins: Vec<Origin> = st
            .engine
            .with_store(|s| s.monitor().entries().map(|e| e.origin).collect());
        assert!(!origins.is_empty() && origins.iter().all(|o| *o == Origin::Console));
        submit(&mut c, &mut st, "clear");
        assert!(c.is_empty());
        assert_eq!(
            st.engine.with_store(|s| s.keyspace.len()),
            1,
            "CLEAR clears the screen, not the store"
        );
    }

    #[test]
    fn history_goes_back_and_forth_like_a_shell() {
        let mut c = Console::new();
        assert_eq!(c.older("x"), None);
        for l in ["one", "two", "two", "", "three"] {
            c.remember(l);
        }
        assert_eq!(c.older("draft").as_deref(), Some("three"));
        assert_eq!(c.older("three").as_deref(), Some("two"));
        assert_eq!(c.older("two").as_deref(), Some("one"));
        assert_eq!(
            c.older("one").as_deref(),
            Some("one"),
            "stays at the oldest"
        );
        assert_eq!(c.newer().as_deref(), Some("two"));
        assert_eq!(c.newer().as_deref(), Some("three"));
        assert_eq!(
            c.newer().as_deref(),
            Some("draft"),
            "back to what was typed"
        );
        assert_eq!(c.newer(), None);
        for i in 0..250 {
            c.remember(&format!("cmd {i}"));
        }
        assert_eq!(c.history.len(), HISTORY);
        assert_eq!(c.history.front().map(String::as_str), Some("cmd 150"));
    }

    #[test]
    fn tab_completes_the_prefix_then_cycles() {
        let mut c = Console::new();
        let (text, hint) = c.complete("INC");
        assert_eq!(text, "INCR");
        assert_eq!(hint, "INCR INCRBY INCRBYFLOAT");
        assert_eq!(c.complete("INCR").0, "INCRBY");
        assert_eq!(c.complete("INCRBY").0, "INCRBYFLOAT");
        assert_eq!(c.complete("INCRBYFLOAT").0, "INCR");
        c.typed();
        // Lower case stays lower case; one match is completed outright.
        assert_eq!(c.complete("zsco").0, "zscore");
        assert_eq!(c.complete("hel").0, "help");
        let (text, hint) = c.complete("nosuch");
        assert_eq!(
            (text.as_str(), hint.as_str()),
            ("nosuch", "No command starts with nosuch.")
        );
        assert_eq!(c.complete("GET k").0, "GET k", "only the command name");
        assert_eq!(c.complete("GET ").0, "GET ", "GET has no subcommands");
        let (text, _) = c.complete("");
        assert_eq!(text, "");
        // No common prefix beyond what is typed: cycling starts at once.
        let (text, hint) = c.complete("Z");
        let (names, more) = hint.split_once(" … ").unwrap_or((&hint, ""));
        assert!(text.starts_with('Z') && names.split(' ').all(|n| n.starts_with('Z')));
        // More Z commands than the hint lists: it says how many more.
        let z_count = command_names()
            .filter(|n| n.starts_with(['z', 'Z']))
            .count();
        assert_eq!(
            more,
            format!("(+{} more)", z_count.saturating_sub(HINT_NAMES)),
            "{hint}"
        );
        // Every name completes to itself.
        for n in command_names() {
            let mut c = Console::new();
            let (text, _) = c.complete(n);
            assert_eq!(text, n);
        }
    }

    #[test]
    fn tab_completes_subcommands_of_container_commands() {
        let mut c = Console::new();
        assert_eq!(c.complete("OBJECT enc").0, "OBJECT encoding");
        c.typed();
        assert_eq!(c.complete("object E").0, "object ENCODING");
        c.typed();
        // An empty second word lists them all, in the command's case.
        let (text, hint) = c.complete("CONFIG ");
        assert_eq!(text, "CONFIG GET");
        assert_eq!(hint, "GET HELP RESETSTAT REWRITE SET");
        assert_eq!(c.complete("CONFIG GET").0, "CONFIG HELP");
        c.typed();
        assert_eq!(c.complete("command co").0, "command count");
        c.typed();
        let (text, hint) = c.complete("OBJECT nope");
        assert_eq!(text, "OBJECT nope");
        assert_eq!(hint, "No subcommand of OBJECT starts with nope.");
        // Past the subcommand, Tab is not taken (focus moves on).
        assert!(!tab_completes("OBJECT ENCODING k"));
        assert!(!tab_completes("GET "));
        assert!(!tab_completes("   "));
        assert!(tab_completes("OBJECT "));
        assert!(tab_completes("ZAD"));
        // Every subcommand completes to itself.
        for container in ["object", "config", "command"] {
            for (sub, _) in subcommands(container).unwrap_or_default() {
                let line = format!("{container} {sub}");
                assert_eq!(Console::new().complete(&line).0, line);
            }
        }
    }

    #[test]
    fn scrollback_and_outputs_are_capped() {
        let mut c = Console::new();
        for i in 0..SCROLLBACK + 20 {
            c.record(&format!("PING {i}"), Some(format!("\"{i}\"\n")));
        }
        assert_eq!(c.len(), SCROLLBACK);
        assert_eq!(c.entries().next().map(|e| e.id), Some(20));
        c.record("x", Some("é".repeat(OUTPUT_CHARS + 1_234)));
        let out = last(&c).1;
        assert!(
            out.ends_with("… (1,234 more characters)"),
            "{}",
            &out[out.len() - 40..]
        );
        assert_eq!(
            out.chars().count(),
            OUTPUT_CHARS + "… (1,234 more characters)".chars().count()
        );
    }

    #[test]
    fn a_long_answer_keeps_its_newest_lines() {
        let mut c = Console::new();
        let id = c.record("SUBSCRIBE news", Some("Reading messages...\n".into()));
        let id = id.unwrap_or_default();
        for i in 0..2_000 {
            c.answer(id, &format!("3) \"message {i}\"\n"));
        }
        let out = last(&c).1;
        assert!(out.starts_with('('), "{}", &out[..60]);
        assert!(
            out.contains(" earlier characters…)\n3) \"message "),
            "{}",
            &out[..80]
        );
        // A subscription's messages are kept whole.
        let mut sub = Console::new();
        let id = sub
            .record("SUBSCRIBE n", Some(String::new()))
            .unwrap_or_default();
        for i in 0..1_000 {
            sub.answer(id, &format!("1) \"message\"\n2) \"n\"\n3) \"{i}\"\n"));
        }
        let kept = last(&sub).1;
        assert!(
            kept.contains(" earlier characters…)\n1) \"message\"\n"),
            "{}",
            &kept[..80]
        );
        assert!(
            out.ends_with("3) \"message 1999\""),
            "{}",
            &out[out.len() - 40..]
        );
        assert!(out.chars().count() <= OUTPUT_CHARS + 40);
        // Short answers are kept whole.
        let id = c
            .record("BLPOP q 0", Some(String::new()))
            .unwrap_or_default();
        c.answer(id, "1) \"q\"\n2) \"a\"\n");
        assert_eq!(last(&c).1, "1) \"q\"\n2) \"a\"");
    }

    #[test]
    fn odd_input_never_panics() {
        let mut st = SimState::new(1);
        let mut c = Console::new();
        let huge = format!("SET big {}", "x".repeat(1 << 20));
        let lines = [
            "\"",
            "'",
            "SET a \"b",
            "SET a 'b",
            "SET \"a\"b c",
            "GET \"\\xff\\xfe\"",
            "SET \"\\xff\" \"\\x00\\x01\"",
            "KEYS *",
            "🦀 🦀",
            "SET 🔑 🦀",
            "GET 🔑",
            "\u{0}",
            "SET a\u{0}b",
            "\\",
            "\"\\",
            "\"\\x",
            "\"\\xf",
            "0 PING",
            "-1 PING",
            "99999999999999999999 PING",
            "MULTI",
            "INCR x",
            "EXEC",
            "EXEC",
            "DEBUG SLEEP 0.5",
            "DEBUG SLEEP -1",
            "DEBUG SLEEP nan",
            "CONFIG SET hz 0",
            "SCAN 0 MATCH [ COUNT -1",
            "help",
            "help nosuch",
            "HELP \"",
            huge.as_str(),
            "GET big",
            "\t\r\n",
        ];
        for l in lines {
            c.complete(l);
            submit(&mut c, &mut st, l);
        }
        assert!(c
            .entries()
            .all(|e| e.output.chars().count() < OUTPUT_CHARS + 40));
        assert!(c
            .entries()
            .any(|e| &*e.input == "SET \"a\"b c" && &*e.output == "Invalid argument(s)"));
        assert!(c
            .entries()
            .any(|e| &*e.input == "GET 🔑" && &*e.output == r#""\xf0\x9f\xa6\x80""#));
        assert!(c.history.iter().all(|h| h.len() <= HISTORY_LINE_BYTES));
    }
}
