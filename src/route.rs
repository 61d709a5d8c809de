//! What the URL asks for: the whole playground, or one widget alone for an
//! iframe (`?widget=cache-aside`), plus settings such as `?ttl=30`. Bad values
//! never fail: they fall back or are clamped, and a note says so on the page.

use crate::sim::{DEFAULT_SEED, SPEEDS};
use crate::text::shorten;
use crate::widgets::keyspace::add_key::KINDS;
use crate::widgets::registry;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The playground shell with every widget.
    Shell,
    /// One widget alone, compact, for an iframe.
    Embed(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PageRequest {
    pub mode: Mode,
    /// The tab open on the playground page (`?open=`).
    pub open: &'static str,
    /// `PRODUCT_CACHE_TTL_SECONDS` for the cache-aside widget, 1–120.
    pub ttl_seconds: u64,
    /// Seed of the simulation (`?seed=`): the same seed replays the same run.
    pub seed: u64,
    /// Clock speed (`?speed=`), one of [`SPEEDS`].
    pub speed: f64,
    /// `?theme=light|dark`; `None` follows the system.
    pub theme: Option<&'static str>,
    /// Settings by their Redis / environment name (`?hz=50`), applied
    /// through the settings table, which clamps and explains.
    pub settings: Vec<(&'static str, String)>,
    /// The keyspace view's filters to start with: `?match=` (a glob, as in
    /// KEYS) and `?type=` (as SCAN TYPE; empty for every type).
    pub keys_match: String,
    pub keys_type: &'static str,
    /// Console commands to run as the page starts (`?run=`, one per line),
    /// as if typed: a teacher's link that sets up a keyspace.
    pub run: Vec<String>,
    /// Human-readable notes about values that were ignored or clamped.
    pub notes: Vec<String>,
}

/// `?run=` takes at most this many commands, each at most
/// [`RUN_LINE_CHARS`] characters: a link is for setting a scene up.
pub const RUN_LINES: usize = 50;
pub const RUN_LINE_CHARS: usize = 1_000;

/// A longer `?match=` is cut: a link is no place for a longer pattern.
pub const MATCH_CHARS: usize = 200;

pub const DEFAULT_TTL_SECONDS: u64 = 10;
pub const TTL_RANGE: (u64, u64) = (1, 120);

/// Parses `location.search` (with or without the leading `?`).
pub fn parse(search: &str) -> PageRequest {
    let mut req = PageRequest {
        mode: Mode::Shell,
        open: "cache-aside",
        ttl_seconds: DEFAULT_TTL_SECONDS,
        seed: DEFAULT_SEED,
        speed: 1.0,
        theme: None,
        settings: Vec::new(),
        keys_match: String::new(),
        keys_type: "",
        run: Vec::new(),
        notes: Vec::new(),
    };
    let mut open_given = false;
    let list = || registry::names().collect::<Vec<_>>().join(", ");
    for (key, value) in pairs(search) {
        match key.as_str() {
            "widget" => match registry::info(&value) {
                Some(w) => req.mode = Mode::Embed(w.name),
                None => req.notes.push(format!(
                    "There is no widget named “{}”, so the whole playground is shown. Widgets: {}.",
                    shorten(&value, 60),
                    list()
                )),
            },
            "open" => match registry::info(&value).filter(|w| !w.side) {
                Some(w) => {
                    req.open = w.name;
                    open_given = true;
                }
                None => req.notes.push(format!(
                    "open=“{}” is not a tab, so Cache-aside is open.",
                    shorten(&value, 60)
                )),
            },
            "seed" => match value.trim().parse::<u64>() {
                Ok(n) => req.seed = n,
                Err(_) => req.notes.push(format!(
                    "seed=“{}” is not a whole number from 0 to 18446744073709551615, so the seed {DEFAULT_SEED} is used.",
                    shorten(&value, 40)
                )),
            },
            "speed" => match value.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    // The nearest offered speed, so the menu can show it.
                    let x = x.clamp(0.0, 1e6);
                    let near = SPEEDS
                        .iter()
                        .copied()
                        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
                        .unwrap_or(1.0);
                    if near != x {
                        req.notes.push(format!("speed={x} is not offered, so {near}× is used."));
                    }
                    req.speed = near;
                }
                _ => req.notes.push(format!(
                    "speed=“{}” is not a number, so 1× is used.",
                    shorten(&value, 40)
                )),
            },
            "theme" => match value.as_str() {
                "light" => req.theme = Some("light"),
                "dark" => req.theme = Some("dark"),
                _ => req.notes.push(format!(
                    "theme=“{}” is neither light nor dark, so the system's choice is used.",
                    shorten(&value, 40)
                )),
            },
            "match" => {
                if value.chars().count() > MATCH_CHARS {
                    req.notes.push(format!(
                        "match= is longer than {MATCH_CHARS} characters, so the keyspace filter keeps the first {MATCH_CHARS}."
                    ));
                }
                req.keys_match = value.chars().take(MATCH_CHARS).collect();
            }
            "type" => match KINDS.iter().find(|k| value.trim().eq_ignore_ascii_case(k)) {
                Some(k) => req.keys_type = k,
                None => req.notes.push(format!(
                    "type=“{}” is not one of {}, so the keyspace shows every type.",
                    shorten(&value, 40),
                    KINDS.join(", ")
                )),
            },
            "ttl" => {
                let (lo, hi) = TTL_RANGE;
                match value.trim().parse::<i64>() {
                    Ok(n) if (lo as i64..=hi as i64).contains(&n) => req.ttl_seconds = n as u64,
                    Ok(n) => {
                        let used = if n < lo as i64 { lo } else { hi };
                        req.ttl_seconds = used;
                        req.notes.push(format!("ttl={n} is outside {lo}–{hi} s, so {used} s is used."));
                    }
                    Err(_) => req.notes.push(format!(
                        "ttl=“{}” is not a whole number of seconds, so the default {DEFAULT_TTL_SECONDS} s is used.",
                        shorten(&value, 40)
                    )),
                }
            }
            "run" => run_lines(&value, &mut req),
            other => {
                // Anything else may belong to the page that links here
                // (utm_…): only the playground's own names are read.
                if let Some(f) = crate::settings::model::field(other) {
                    req.settings.push((f.name, value));
                }
            }
        }
    }
    // Commands to run are run in the console, so it opens unless the link
    // chose a tab.
    if !req.run.is_empty() && !open_given {
        req.open = "console";
    }
    req
}

/// `?run=`'s lines: blank ones dropped, too long ones and those past
/// [`RUN_LINES`] left out with a note (a cut command would be another one).
fn run_lines(value: &str, req: &mut PageRequest) {
    let mut too_long = 0;
    let mut too_many = 0;
    for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > RUN_LINE_CHARS {
            too_long += 1;
        } else if req.run.len() >= RUN_LINES {
            too_many += 1;
        } else {
            req.run.push(line.to_string());
        }
    }
    if too_long > 0 {
        req.notes.push(format!(
            "run= had {too_long} command{} longer than {RUN_LINE_CHARS} characters, left out.",
            if too_long == 1 { "" } else { "s" }
        ));
    }
    if too_many > 0 {
        req.notes.push(format!(
            "run= takes {RUN_LINES} commands at most: the last {too_many} were left out."
        ));
    }
}

/// `a=1&b=x%20y` → decoded pairs; `+` is a space, bad escapes stay as typed.
fn pairs(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Rewrites one query parameter in the address bar without reloading, so
/// the URL always shares what the reader sees.
pub fn replace_param(key: &str, value: &str) {
    replace_params(&[(key, Some(value.to_string()))]);
}

/// The address bar's `seed` and `speed` for the run the page makes: the
/// seed it uses and the time bar's speed, left out where they are a fresh
/// page's. A value the page could not use (`speed=abc`, shown in a note)
/// gives way to the one it did use, so a copied link reproduces the page.
pub fn clock_params(seed: u64, speed: f64) -> [(&'static str, Option<String>); 2] {
    [
        ("seed", (seed != DEFAULT_SEED).then(|| seed.to_string())),
        ("speed", (speed != 1.0).then(|| format!("{speed}"))),
    ]
}

/// Sets (`Some`) or removes (`None`) each parameter, in one history entry
/// replaced in place.
pub fn replace_params(changes: &[(&str, Option<String>)]) {
    let (Some(w), Some(url)) = (web_sys::window(), url_with(changes)) else {
        return;
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's address (path, query and hash) with `changes` made to its
/// query: a value sets a parameter, `None` removes it.
pub fn url_with(changes: &[(&str, Option<String>)]) -> Option<String> {
    let loc = web_sys::window()?.location();
    let params = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default()).ok()?;
    for (key, value) in changes {
        match value {
            Some(v) => params.set(key, v),
            None => params.delete(key),
        }
    }
    Some(format!(
        "{}?{}{}",
        loc.pathname().unwrap_or_default(),
        String::from(params.to_string()),
        loc.hash().unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_lines_open_the_console_and_bad_ones_are_left_out_with_a_note() {
        let r = parse("?run=SET%20a%201%0A%0A%20%20GET%20a%20%0Aincr+n");
        assert_eq!(r.run, ["SET a 1", "GET a", "incr n"]);
        assert_eq!(r.open, "console");
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        // A tab the link chose stays open; the commands still run.
        let r = parse("?open=expiry&run=SET%20a%201");
        assert_eq!((r.open, r.run.len()), ("expiry", 1));
        let long = "x".repeat(RUN_LINE_CHARS + 1);
        let many: Vec<String> = (0..RUN_LINES + 3).map(|i| format!("INCR n{i}")).collect();
        let r = parse(&format!("?run={long}%0A{}", many.join("%0A")));
        assert_eq!(r.run.len(), RUN_LINES);
        assert_eq!(r.run.first().map(String::as_str), Some("INCR n0"));
        assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
        assert!(r.notes.iter().any(|n| n.contains("1 command longer than")));
        assert!(r
            .notes
            .iter()
            .any(|n| n.contains("the last 3 were left out")));
        assert!(parse("?run=%0A%20%0A").run.is_empty());
        assert_eq!(parse("?run=%0A").open, "cache-aside");
    }

    #[test]
    fn plain_url_is_the_shell() {
        assert_eq!(
            parse(""),
            PageRequest {
                mode: Mode::Shell,
                open: "cache-aside",
                ttl_seconds: 10,
                seed: DEFAULT_SEED,
                speed: 1.0,
                theme: None,
                settings: vec![],
                keys_match: String::new(),
                keys_type: "",
                run: vec![],
                notes: vec![]
            }
        );
    }

    #[test]
    fn keyspace_filters_are_read_and_bad_ones_noted() {
        let r = parse("match=rl%3A*&type=HASH");
        assert_eq!((r.keys_match.as_str(), r.keys_type), ("rl:*", "hash"));
        assert!(r.notes.is_empty());
        let r = parse("type=stream&match=%3Cimg%20src%3Dx%3E");
        assert_eq!((r.keys_match.as_str(), r.keys_type), ("<img src=x>", ""));
        assert_eq!(
            r.notes,
            ["type=“stream” is not one of string, hash, list, set, zset, so the keyspace shows every type."]
        );
        let long = "🔑".repeat(MATCH_CHARS + 5);
        let r = parse(&format!("match={long}"));
        assert_eq!(r.keys_match.chars().count(), MATCH_CHARS);
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn known_widget_embeds_unknown_shows_shell_with_note() {
        assert_eq!(
            parse("?widget=cache-aside").mode,
            Mode::Embed("cache-aside")
        );
        let r = parse("?widget=%3Cimg%20src%3Dx%3E");
        assert_eq!(r.mode, Mode::Shell);
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("“<img src=x>”"), "{:?}", r.notes);
    }

    #[test]
    fn ttl_is_clamped_with_a_note() {
        assert_eq!(parse("ttl=30").ttl_seconds, 30);
        let high = parse("?ttl=500");
        assert_eq!(high.ttl_seconds, 120);
        assert_eq!(
            high.notes,
            ["ttl=500 is outside 1–120 s, so 120 s is used."]
        );
        assert_eq!(parse("?ttl=-4").ttl_seconds, 1);
        let junk = parse("?ttl=abc&widget=cache-aside");
        assert_eq!(
            (junk.ttl_seconds, junk.mode, junk.notes.len()),
            (10, Mode::Embed("cache-aside"), 1)
        );
        assert_eq!(parse("?ttl=99999999999999999999999").ttl_seconds, 10);
    }

    #[test]
    fn every_registered_widget_embeds_and_tabs_open() {
        for w in registry::WIDGETS {
            assert_eq!(
                parse(&format!("widget={}", w.name)).mode,
                Mode::Embed(w.name)
            );
            let open = parse(&format!("open={}", w.name));
            if w.side {
                assert_eq!((open.open, open.notes.len()), ("cache-aside", 1));
            } else {
                assert_eq!((open.open, open.notes.len()), (w.name, 0));
            }
        }
    }

    #[test]
    fn the_url_carries_the_seed_and_speed_in_use() {
        assert_eq!(
            clock_params(DEFAULT_SEED, 1.0),
            [("seed", None), ("speed", None)]
        );
        assert_eq!(
            clock_params(7, 0.25),
            [("seed", Some("7".into())), ("speed", Some("0.25".into()))]
        );
        // What a bad URL falls back to is what the URL then says.
        let r = parse("seed=%3Cimg%3E&speed=abc");
        assert_eq!(
            clock_params(r.seed, r.speed),
            [("seed", None), ("speed", None)]
        );
        let r = parse("speed=3");
        assert_eq!(
            clock_params(r.seed, r.speed)[1],
            ("speed", Some("2".into()))
        );
    }

    #[test]
    fn seed_speed_and_theme_fall_back_with_notes() {
        let r = parse("seed=7&speed=5&theme=dark");
        assert_eq!(
            (r.seed, r.speed, r.theme, r.notes.len()),
            (7, 5.0, Some("dark"), 0)
        );
        let r = parse("seed=-1&speed=3&theme=%3Cb%3E");
        assert_eq!((r.seed, r.speed, r.theme), (DEFAULT_SEED, 2.0, None));
        assert_eq!(r.notes.len(), 3, "{:?}", r.notes);
        assert_eq!(r.notes[1], "speed=3 is not offered, so 2× is used.");
        assert_eq!(parse("speed=1e308").speed, 50.0);
        assert_eq!(parse("speed=NaN").speed, 1.0);
    }

    #[test]
    fn settings_by_their_names_are_collected() {
        let r = parse("hz=50&RATE_LIMIT_ALGORITHM=gcra&utm_source=blog");
        assert_eq!(
            r.settings,
            vec![
                ("hz", "50".to_string()),
                ("RATE_LIMIT_ALGORITHM", "gcra".to_string())
            ]
        );
        assert!(r.notes.is_empty());
    }

    #[test]
    fn decoding_never_panics_on_odd_input() {
        for s in ["%", "%4", "%zz", "a=%E2%82", "&&=&", "ttl=%FF%FE"] {
            let _ = parse(s);
        }
        assert_eq!(decode("a+b%21"), "a b!");
    }
}
