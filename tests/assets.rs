//! The static assets agree with each other: every stylesheet in `style/` is
//! built into the page by `index.html`, and `playground.css` (the one link
//! an article needs for `data-playground` mounts) imports every one of them.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;

fn read(p: &str) -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + p).unwrap_or_default()
}

#[test]
fn every_stylesheet_is_linked_and_imported() {
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
    for n in &names {
        assert!(
            index.contains(&format!("rel=\"css\" href=\"style/{n}\"")),
            "index.html does not build style/{n}"
        );
        assert!(
            all.contains(&format!("@import url(\"{n}\")")),
            "playground.css does not import {n}"
        );
    }
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
