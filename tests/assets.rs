//! The static assets agree with each other: `style/playground.css` lists
//! every stylesheet in `style/`, `scripts/bundle-css.sh` joins them in that
//! order into the one `playground.css` that `index.html` builds into the page
//! (and an article links for `data-playground` mounts).
#![cfg(not(target_arch = "wasm32"))]

use std::fs;

fn read(p: &str) -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + p).unwrap_or_default()
}

#[test]
fn every_stylesheet_is_listed_for_the_joined_file() {
    let index = read("index.html");
    let all = read("style/playground.css");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/style");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.retain(|n| n.ends_with(".css") && n != "playground.css");
    names.sort();
    assert!(names.len() >= 5, "found {names:?}");
    assert!(
        index.contains("rel=\"css\" href=\"target/style/playground.css\""),
        "index.html does not build the joined stylesheet"
    );
    assert!(
        read("Trunk.toml").contains("command_arguments = [\"scripts/bundle-css.sh\"]"),
        "Trunk.toml does not run scripts/bundle-css.sh before a build"
    );
    for n in &names {
        assert!(
            all.contains(&format!("@import url(\"{n}\");")),
            "style/playground.css does not list {n}, so the build would leave it out"
        );
    }
    // Tokens first: every other file uses its custom properties.
    assert!(
        all.find("@import")
            .map(|i| &all[i..])
            .is_some_and(|r| r.starts_with("@import url(\"tokens.css\")")),
        "style/playground.css must list tokens.css first"
    );
    // Every class a stylesheet defines is prefixed pg-.
    for n in &names {
        let css = read(&format!("style/{n}"));
        for (i, _) in css.match_indices('.') {
            let rest = css.get(i + 1..).unwrap_or("");
            let starts_class = rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            let prev = css.get(..i).and_then(|p| p.chars().last()).unwrap_or(' ');
            if starts_class && !prev.is_ascii_digit() && !prev.is_ascii_alphanumeric() {
                assert!(
                    rest.starts_with("pg-"),
                    "style/{n}: class .{} is not prefixed pg-",
                    rest.chars().take(20).collect::<String>()
                );
            }
        }
    }
}

#[test]
fn the_article_embeds_three_widgets_both_ways() {
    let article = read("examples/article.html");
    assert!(article.contains("<div data-playground=\"expiry\""));
    assert!(article.contains("<div data-playground=\"rate-limit\""));
    assert!(article.contains("src=\"./?widget=cache-aside\""));
    assert!(article.contains("redis-playground:height"));
    assert!(read("index.html").contains("href=\"examples/article.html\""));
}

#[test]
fn the_joined_stylesheet_holds_every_file_in_the_listed_order() {
    let root = env!("CARGO_MANIFEST_DIR");
    let ran = std::process::Command::new("bash")
        .arg(format!("{root}/scripts/bundle-css.sh"))
        .status();
    assert!(
        ran.as_ref().is_ok_and(|s| s.success()),
        "scripts/bundle-css.sh failed: {ran:?}"
    );
    let joined = read("target/style/playground.css");
    let list = read("style/playground.css");
    let mut at = 0;
    let mut files = 0;
    for line in list.lines() {
        let Some(name) = line
            .strip_prefix("@import url(\"")
            .and_then(|r| r.strip_suffix("\");"))
        else {
            continue;
        };
        let css = read(&format!("style/{name}"));
        assert!(!css.is_empty(), "style/{name} is empty or missing");
        let found = joined.get(at..).and_then(|rest| rest.find(&css));
        assert!(
            found.is_some(),
            "{name} is not in the joined stylesheet after the files listed before it"
        );
        at += found.unwrap_or(0) + css.len();
        files += 1;
    }
    assert!(files >= 5, "only {files} files listed");
}
