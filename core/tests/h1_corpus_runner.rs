//! Runs corpus scripts through the store the way `playground-cli` does, but
//! also answers `DEBUG SLEEP <seconds>` by moving the virtual clock (the
//! store's own DEBUG command lives elsewhere). Used to compare the corpus
//! with a real Redis while DEBUG is not in the store yet:
//!
//! `H1_CORPUS_IN=dir H1_CORPUS_OUT=dir cargo test --test h1_corpus_runner -- --ignored`
//!
//! Every `*.redis` in the input directory (comment lines already stripped)
//! gets a `*.out` with the replies as redis-cli --no-raw prints them.

use playground_core::store::{Origin, Store};

fn run_script(text: &str) -> String {
    let mut store = Store::new();
    let mut now = 0;
    let mut out = String::new();
    for line in text.lines() {
        let words: Vec<String> = line
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        if words.len() == 3 && words[0] == "debug" && words[1] == "sleep" {
            let secs: f64 = words[2].parse().unwrap_or(0.0);
            now += (secs * 1000.0).round() as u64;
            out.push_str("OK\n");
            continue;
        }
        match store.execute_line(now, Origin::Console, line) {
            None => {}
            Some(Err(msg)) => {
                out.push_str(msg);
                out.push('\n');
            }
            Some(Ok(reply)) => {
                out.push_str(&reply.to_cli());
                out.push('\n');
            }
        }
        now += store.take_sleep();
    }
    out
}

#[test]
#[ignore]
fn run_corpus_dir() {
    let (Ok(input), Ok(output)) = (
        std::env::var("H1_CORPUS_IN"),
        std::env::var("H1_CORPUS_OUT"),
    ) else {
        return;
    };
    for entry in std::fs::read_dir(&input).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("redis") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        std::fs::write(format!("{output}/{name}.out"), run_script(&text)).unwrap();
    }
}
