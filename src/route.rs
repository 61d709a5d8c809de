//! What the URL asks for: the whole playground, or one widget alone for an
//! iframe (`?widget=cache-aside`), plus settings such as `?ttl=30`. Bad values
//! never fail: they fall back or are clamped, and a note says so on the page.

/// Widgets that can be embedded alone, by their URL name.
pub const WIDGETS: &[&str] = &["cache-aside"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The playground shell with every widget.
    Shell,
    /// One widget alone, compact, for an iframe.
    Embed(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub mode: Mode,
    /// `PRODUCT_CACHE_TTL_SECONDS` for the cache-aside widget, 1–120.
    pub ttl_seconds: u64,
    /// Human-readable notes about values that were ignored or clamped.
    pub notes: Vec<String>,
}

pub const DEFAULT_TTL_SECONDS: u64 = 10;
pub const TTL_RANGE: (u64, u64) = (1, 120);

/// Parses `location.search` (with or without the leading `?`).
pub fn parse(search: &str) -> PageRequest {
    let mut req = PageRequest {
        mode: Mode::Shell,
        ttl_seconds: DEFAULT_TTL_SECONDS,
        notes: Vec::new(),
    };
    for (key, value) in pairs(search) {
        match key.as_str() {
            "widget" => match WIDGETS.iter().find(|w| **w == value) {
                Some(w) => req.mode = Mode::Embed(w),
                None => req.notes.push(format!(
                    "There is no widget named “{}”, so the whole playground is shown. Widgets: {}.",
                    shorten(&value, 60),
                    WIDGETS.join(", ")
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
            _ => {}
        }
    }
    req
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

fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        s.chars().take(max_chars).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_url_is_the_shell() {
        assert_eq!(
            parse(""),
            PageRequest {
                mode: Mode::Shell,
                ttl_seconds: 10,
                notes: vec![]
            }
        );
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
    fn decoding_never_panics_on_odd_input() {
        for s in ["%", "%4", "%zz", "a=%E2%82", "&&=&", "ttl=%FF%FE"] {
            let _ = parse(s);
        }
        assert_eq!(decode("a+b%21"), "a b!");
    }
}
