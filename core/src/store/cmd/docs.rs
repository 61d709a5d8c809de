//! redis-cli's `help`, for the commands this store has: the console's
//! `help SET` prints what redis-cli 7.0 prints (less its colours), from
//! `docs.tsv`. That file is redis-cli's own help text (name, arguments,
//! summary, since, group; one command or subcommand a line, in redis-cli's
//! order), written by `scripts/gen-command-docs.py` from a real redis-cli;
//! the differential tests compare the console's help with redis-cli's again.

const DOCS: &str = include_str!("docs.tsv");

/// One command's (or subcommand's) help entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Doc {
    /// Lowercase; a subcommand after its container: `object encoding`.
    pub name: &'static str,
    /// The arguments as redis-cli shows them: `key value [NX|XX] …`.
    pub args: &'static str,
    pub summary: &'static str,
    pub since: &'static str,
    pub group: &'static str,
}

/// Every entry, in redis-cli's order (by name, ignoring case).
pub fn docs() -> impl Iterator<Item = Doc> {
    DOCS.lines().filter_map(|line| {
        let mut f = line.split('\t');
        Some(Doc {
            name: f.next()?,
            args: f.next()?,
            summary: f.next()?,
            since: f.next()?,
            group: f.next()?,
        })
    })
}

impl Doc {
    /// Whether `words` are the first words of this entry's name, in any
    /// letter case (redis-cli's match: `help object` covers `object
    /// encoding`). Also true of an entry with more words than given.
    fn starts_with<W: AsRef<[u8]>>(&self, words: &[W]) -> bool {
        let mut names = self.name.split(' ');
        words.iter().all(|w| {
            names
                .next()
                .is_some_and(|n| n.as_bytes().eq_ignore_ascii_case(w.as_ref()))
        })
    }
}

/// The entry for a command, or a container's subcommand, by its words.
pub fn doc(words: &[&[u8]]) -> Option<Doc> {
    docs().find(|d| d.starts_with(words) && d.name.split(' ').count() == words.len())
}

/// What redis-cli prints for `help <topic…>` (its `cliOutputHelp`):
/// `help @hash` lists a group's commands; `help object` a command and, for
/// a container, each subcommand; `help object encoding` one subcommand.
/// `None` when nothing matches (redis-cli then prints a blank line).
pub fn help(topic: &[Vec<u8>]) -> Option<String> {
    let first = topic.first()?;
    let group = first.strip_prefix(b"@");
    let mut out = String::new();
    for d in docs() {
        let shown = match group {
            Some(g) => d.group.as_bytes().eq_ignore_ascii_case(g),
            None => d.starts_with(topic),
        };
        if !shown {
            continue;
        }
        out.push_str("\n  ");
        out.push_str(&d.name.to_ascii_uppercase());
        out.push(' ');
        out.push_str(d.args);
        out.push_str("\n  summary: ");
        out.push_str(d.summary);
        out.push_str("\n  since: ");
        out.push_str(d.since);
        out.push('\n');
        // A group's list leaves the group out: it is the one asked for.
        if group.is_none() {
            out.push_str("  group: ");
            out.push_str(d.group);
            out.push('\n');
        }
    }
    (!out.is_empty()).then(|| out + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::cmd::{self, GROUPS};

    #[test]
    fn every_command_and_subcommand_has_its_entry_and_nothing_else_does() {
        for spec in GROUPS.iter().flat_map(|g| g.iter()) {
            assert!(doc(&[spec.name.as_bytes()]).is_some(), "{}", spec.name);
            for (sub, _) in cmd::subcommands(spec.name).unwrap_or_default() {
                assert!(
                    doc(&[spec.name.as_bytes(), sub.as_bytes()]).is_some(),
                    "{} {sub}",
                    spec.name
                );
            }
        }
        for d in docs() {
            let mut words = d.name.split(' ');
            let top = words.next().and_then(|n| cmd::find(n.as_bytes()));
            assert!(top.is_some(), "{} is not a command here", d.name);
            assert!(!d.summary.is_empty() && !d.since.is_empty() && !d.group.is_empty());
        }
        let names: Vec<&str> = docs().map(|d| d.name).collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_ascii_lowercase());
        assert_eq!(names, sorted, "redis-cli's order");
    }

    #[test]
    fn help_prints_redis_cli_s_blocks() {
        let words = |s: &str| {
            s.split(' ')
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            help(&words("get")).as_deref(),
            Some("\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n\n")
        );
        // A container: itself, then every subcommand; one subcommand alone.
        let object = help(&words("OBJECT")).unwrap_or_default();
        assert!(
            object.starts_with("\n  OBJECT \n  summary: A container"),
            "{object}"
        );
        assert_eq!(object.matches("\n  OBJECT ").count(), 6, "{object}");
        let enc = help(&words("object Encoding")).unwrap_or_default();
        assert!(enc.starts_with("\n  OBJECT ENCODING key\n"), "{enc}");
        assert_eq!(enc.matches("summary:").count(), 1);
        // A group: its commands, without the group line.
        let hash = help(&words("@HASH")).unwrap_or_default();
        assert!(
            hash.starts_with("\n  HDEL key field [field ...]\n"),
            "{hash}"
        );
        assert!(!hash.contains("group:"));
        assert_eq!(hash.matches("summary:").count(), 16);
        for nothing in ["nosuch", "get extra", "@nosuch", "@"] {
            assert_eq!(help(&words(nothing)), None, "{nothing}");
        }
    }
}
