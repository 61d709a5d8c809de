//! Every `tests/scenarios/*.scenario` runs on a fresh engine with the
//! default seed and must print exactly its `.expected` file.
//!
//! After a deliberate behaviour change, review the new output and refresh
//! the files with `BLESS=1 cargo test -p playground-core --test scenarios`.

use std::path::{Path, PathBuf};

use playground_core::scenario::{run, DEFAULT_SEED};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scenario"))
        .collect();
    files.sort();
    files
}

#[test]
fn scenarios_print_their_expected_output() {
    let bless = std::env::var_os("BLESS").is_some();
    let files = scenario_files();
    assert!(
        files.len() >= 7,
        "the scenario library shrank: {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let script = std::fs::read_to_string(file).unwrap_or_default();
        let got = match run(&script, DEFAULT_SEED) {
            Ok(out) => out,
            Err((out, err)) => format!("{out}ERROR {err}\n"),
        };
        let expected_path = file.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            format!(
                "(missing {}: run with BLESS=1 after reviewing)\n",
                expected_path.display()
            )
        });
        if got != want {
            failures.push(format!(
                "== {}\n-- expected\n{want}-- got\n{got}",
                file.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    println!("{} scenarios match", files.len());
}

#[test]
fn the_same_seed_replays_the_same_run_and_another_seed_differs_with_jitter() {
    let script = "ENV DB_JITTER_MS=200\nPARALLEL 5 GET /products/1\n";
    let a = run(script, 7).expect("runs");
    assert_eq!(a, run(script, 7).expect("runs"), "deterministic for a seed");
    assert_ne!(
        a,
        run(script, 8).expect("runs"),
        "jitter depends on the seed"
    );
}
