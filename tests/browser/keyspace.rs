//! The keyspace side view, fed by the console on the same page Sim.

use leptos::prelude::*;
use redis_playground::app::Page;
use redis_playground::route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::util::*;

fn rows(host: &web_sys::HtmlElement) -> Vec<String> {
    texts(host, "[data-testid=ks-row]")
}

/// The inspector's value cells, without the Remove buttons' column.
fn cells(host: &web_sys::HtmlElement) -> Vec<String> {
    texts(host, "[data-testid=ks-insp-value] td:not(.pg-ks__rm)")
}

#[wasm_bindgen_test]
async fn console_writes_show_in_the_keyspace_as_text_and_the_filter_narrows() {
    let host = host();
    let _handle =
        leptos::mount::mount_to(host.clone(), || view! { <Page request=route::parse("") /> });
    leptos::task::tick().await;
    click(&host, "tab-console");
    wait_for(&host, "the console tab", |h| {
        count(h, "[data-testid=console-input]") == 1
    })
    .await;
    assert!(text(&host, "ks-count").is_some_and(|t| t.starts_with("0 keys")));

    console_run(&host, "SET user:1 alice EX 100");
    console_run(&host, "HSET product:7 name lamp");
    console_run(
        &host,
        "SET \"<img src=x onerror=alert(1)>\" \"<b>bold</b>\"",
    );
    wait_for(&host, "three keys in the keyspace", |h| {
        text(h, "ks-count").is_some_and(|t| t.starts_with("3 keys · 1 with TTL"))
    })
    .await;
    let r = rows(&host);
    assert_eq!(r.len(), 3, "{r:?}");
    let user = r.iter().find(|t| t.contains("user:1")).expect("user:1 row");
    assert!(
        user.contains("string") && user.contains("\"alice\""),
        "{user}"
    );
    assert!(
        user.contains(" s") || user.contains("min"),
        "a TTL countdown: {user}"
    );
    let product = r
        .iter()
        .find(|t| t.contains("product:7"))
        .expect("product row");
    assert!(
        product.contains("hash") && product.contains("{name: lamp}"),
        "{product}"
    );
    // The hostile key is text: no element was made from it.
    assert!(r
        .iter()
        .any(|t| t.contains("<img src=x onerror=alert(1)>") && t.contains("\"<b>bold</b>\"")));
    assert_eq!(count(&host, "[data-testid=keyspace] img"), 0);
    assert_eq!(count(&host, "[data-testid=keyspace] b"), 0);
    let groups = texts(&host, "[data-testid=ks-group] summary");
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert!(
        groups[1].starts_with("product") && groups[2].starts_with("user"),
        "sorted: {groups:?}"
    );

    set_value(&host, "ks-filter", "user:*");
    wait_for(&host, "the filter to narrow", |h| rows(h).len() == 1).await;
    assert!(rows(&host)[0].contains("user:1"));
    assert!(text(&host, "ks-shown").is_some_and(|t| t.contains("1 match")));
    set_value(&host, "ks-filter", "nothing*");
    wait_for(&host, "no rows", |h| rows(h).is_empty()).await;
    set_value(&host, "ks-filter", "");
    wait_for(&host, "all rows back", |h| rows(h).len() == 3).await;

    // Passive expiry, as in Redis: with the active cycle off, a key past its
    // TTL stays in memory (a ghost) until a command touches it.
    console_run(&host, "DEBUG SET-ACTIVE-EXPIRE 0");
    console_run(&host, "SET ghost 1 PX 5");
    console_run(&host, "DEBUG SLEEP 0.05");
    wait_for(&host, "a ghost", |h| {
        rows(h)
            .iter()
            .any(|t| t.contains("ghost") && t.contains("expired, not yet reclaimed"))
    })
    .await;
    assert_eq!(count(&host, ".pg-ks__row--ghost"), 1);
    console_run(&host, "GET ghost");
    wait_for(&host, "the ghost reclaimed by GET", |h| {
        !rows(h).iter().any(|t| t.contains("ghost"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn many_keys_render_at_most_two_hundred_rows() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    // Two MSETs of 2,500 keys each, in two namespaces.
    let keys: Vec<String> = (0..2_500).map(|i| format!("item:{i} {i}")).collect();
    console_run(&host, &format!("MSET {}", keys.join(" ")));
    let keys: Vec<String> = (2_500..5_000).map(|i| format!("other:{i} {i}")).collect();
    console_run(&host, &format!("MSET {}", keys.join(" ")));
    wait_for(&host, "5,000 keys counted", |h| {
        text(h, "ks-count").is_some_and(|t| t.starts_with("5,000 keys"))
    })
    .await;
    assert_eq!(count(&host, "[data-testid=ks-row]"), 200);
    assert!(text(&host, "ks-shown").is_some_and(|t| t.contains("showing 200 of 5,000")));
    let groups = texts(&host, "[data-testid=ks-group] summary");
    assert!(
        groups
            .iter()
            .any(|g| g.starts_with("item") && g.contains("2,500 · ") && g.ends_with('K')),
        "{groups:?}"
    );
}

/// Clicks the name of the row whose text contains `key`.
fn open_key(host: &web_sys::HtmlElement, key: &str) {
    let rows = host
        .query_selector_all("[data-testid=ks-row]")
        .expect("rows");
    for i in 0..rows.length() {
        let Some(row) = rows.item(i) else { continue };
        let row: web_sys::Element = row.unchecked_into();
        if row.text_content().unwrap_or_default().contains(key) {
            let button: web_sys::HtmlElement = row
                .query_selector("[data-testid=ks-open]")
                .ok()
                .flatten()
                .expect("the key's button")
                .unchecked_into();
            button.click();
            return;
        }
    }
    panic!("no row with {key}");
}

#[wasm_bindgen_test]
async fn a_key_opens_in_the_inspector_and_its_buttons_run_through_the_store() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "HSET product:7 name lamp price 12");
    console_run(&host, "SET \"<img src=x onerror=alert(1)>\" \"<b>v</b>\"");
    wait_for(&host, "two keys", |h| rows(h).len() == 2).await;
    assert!(
        attr(&host, "[data-testid=ks-inspector]", "hidden").is_some(),
        "closed until a key is opened"
    );

    open_key(&host, "product:7");
    wait_for(&host, "the hash in the inspector", |h| {
        shows(h, "ks-insp-key", "product:7") && cells(h) == ["name", "lamp", "price", "12"]
    })
    .await;
    let facts = texts(&host, "[data-testid=ks-insp-facts] dd").join(" | ");
    assert!(
        facts.contains("hash") && facts.contains("listpack") && facts.contains("2 fields"),
        "{facts}"
    );
    assert!(facts.contains("no TTL"), "{facts}");
    assert!(
        texts(&host, "[data-testid=ks-insp-facts] dt").contains(&"idle (OBJECT IDLETIME)".into()),
        "the idle time, which LRU eviction ranks keys by"
    );
    assert_eq!(
        count(&host, ".pg-ks__row--open"),
        1,
        "the open row is marked"
    );
    sleep(50).await;
    assert_eq!(
        focused().get_attribute("data-testid").as_deref(),
        Some("ks-inspector"),
        "focus moved to it"
    );

    // A bad number gets Redis's own answer; a good one sets the TTL.
    set_value(&host, "ks-insp-seconds", "abc");
    click(&host, "ks-insp-expire");
    wait_for(&host, "Redis's error", |h| {
        shows(
            h,
            "ks-insp-result",
            "EXPIRE product:7 abc → (error) ERR value is not an integer or out of range",
        )
    })
    .await;
    let table = host
        .query_selector("[data-testid=ks-insp-value]")
        .ok()
        .flatten()
        .expect("the value's table");
    set_value(&host, "ks-insp-seconds", "30");
    click(&host, "ks-insp-expire");
    wait_for(&host, "the TTL set", |h| {
        shows(h, "ks-insp-result", "EXPIRE product:7 30 → (integer) 1")
            && texts(h, "[data-testid=ks-insp-facts] dd")
                .get(2)
                .is_some_and(|ttl| ttl.ends_with(" s") && ttl != "no TTL")
    })
    .await;
    assert!(
        table.is_connected(),
        "a new TTL and history patch the inspector in place: the value's table (and where a \
         reader scrolled it) is kept"
    );
    wait_for(&host, "the key's own history, newest first", |h| {
        let history = texts(h, "[data-testid=ks-insp-history] li");
        history.len() == 3
            && history[0].ends_with("[keyspace] EXPIRE product:7 30")
            && history[1].ends_with("[keyspace] EXPIRE product:7 abc")
            && history[2].ends_with("[console] HSET product:7 name lamp price 12")
    })
    .await;
    click(&host, "ks-insp-del");
    wait_for(&host, "the key gone from the inspector and the list", |h| {
        count(h, "[data-testid=ks-insp-gone]") == 1 && rows(h).len() == 1
    })
    .await;
    wait_for(&host, "MONITOR to show what the inspector ran", |h| {
        let monitor = texts(h, "[data-testid=mon-row]");
        [
            "EXPIRE product:7 abc",
            "EXPIRE product:7 30",
            "DEL product:7",
        ]
        .iter()
        .all(|c| {
            monitor
                .iter()
                .any(|r| r.contains("[keyspace]") && r.ends_with(c))
        })
    })
    .await;

    // A hostile key and value stay text in the inspector too.
    open_key(&host, "<img");
    wait_for(&host, "the hostile key", |h| {
        shows(h, "ks-insp-key", "<img src=x onerror=alert(1)>")
            && shows(h, "ks-insp-value", "<b>v</b>")
    })
    .await;
    assert_eq!(count(&host, "[data-testid=keyspace] img"), 0);
    assert_eq!(count(&host, "[data-testid=keyspace] b"), 0);
    press(&host, "ks-inspector", "Escape");
    wait_for(&host, "Escape closes it", |h| {
        attr(h, "[data-testid=ks-inspector]", "hidden").is_some()
    })
    .await;
    assert!(
        focused()
            .text_content()
            .unwrap_or_default()
            .contains("<img")
            && focused().get_attribute("data-testid").as_deref() == Some("ks-open"),
        "focus is back on the key's name"
    );
}

/// The element that has focus.
fn focused() -> web_sys::HtmlElement {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .expect("something has focus")
        .unchecked_into()
}

/// A key pressed on the focused element.
fn press_focused(key: &str) {
    press_on(&focused(), key);
}

#[wasm_bindgen_test]
async fn the_key_list_is_one_tab_stop_and_arrows_move_between_keys() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "MSET a:1 x a:2 y b:1 z");
    wait_for(&host, "three keys", |h| rows(h).len() == 3).await;
    assert_eq!(
        count(&host, "[data-testid=ks-open][tabindex='-1']"),
        3,
        "no key is a Tab stop of its own"
    );
    let list: web_sys::HtmlElement = host
        .query_selector("[data-testid=ks-list]")
        .ok()
        .flatten()
        .expect("the list")
        .unchecked_into();
    list.focus().expect("the list takes focus");
    let name = || focused().text_content().unwrap_or_default();
    press_focused("ArrowDown");
    assert_eq!(name(), "a:1");
    press_focused("ArrowDown");
    press_focused("ArrowDown");
    assert_eq!(name(), "b:1", "across namespaces");
    press_focused("ArrowDown");
    assert_eq!(name(), "b:1", "stops at the last key");
    press_focused("Home");
    assert_eq!(name(), "a:1");
    press_focused("End");
    press_focused("ArrowUp");
    assert_eq!(name(), "a:2");
    focused().click();
    wait_for(&host, "the focused key open", |h| {
        shows(h, "ks-insp-key", "a:2")
    })
    .await;
    // A collapsed group's keys cannot take focus: the arrows skip them.
    host.query_selector("[data-testid=ks-group]")
        .ok()
        .flatten()
        .expect("the a group")
        .remove_attribute("open")
        .expect("collapsed");
    list.focus().expect("the list takes focus");
    press_focused("Home");
    assert_eq!(name(), "b:1");
}

#[wasm_bindgen_test]
async fn a_set_from_the_console_shows_its_members_and_encoding() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    click(&host, "console-example-3");
    wait_for(&host, "the SADD answered", |h| {
        texts(h, "[data-testid=console-output] .pg-con__res") == ["(integer) 2"]
    })
    .await;
    wait_for(&host, "the set's row", |h| {
        rows(h)
            .iter()
            .any(|r| r.contains("set") && r.contains("tags") && r.contains("{redis, cache}"))
    })
    .await;
    open_key(&host, "tags");
    wait_for(&host, "the set in the inspector", |h| {
        cells(h) == ["redis", "cache"]
            && texts(h, "[data-testid=ks-insp-facts] dd").contains(&"hashtable".to_string())
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_inspector_edits_values_renames_and_redis_answers_bad_input() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "HSET user:1 name Ada");
    console_run(&host, "SET greeting hello EX 100");
    wait_for(&host, "two keys", |h| rows(h).len() == 2).await;

    // A hash: add a field (the value with a space, as typed), remove one.
    open_key(&host, "user:1");
    wait_for(&host, "the hash's editor", |h| {
        cells(h) == ["name", "Ada"] && count(h, "[data-testid=ks-insp-add-2]") == 1
    })
    .await;
    assert_eq!(texts(&host, "[data-testid=ks-insp-add]"), ["HSET"]);
    set_value(&host, "ks-insp-add-1", "role");
    set_value(&host, "ks-insp-add-2", "site admin");
    click(&host, "ks-insp-add");
    wait_for(&host, "the field added", |h| {
        shows(
            h,
            "ks-insp-result",
            "HSET user:1 role \"site admin\" → (integer) 1",
        ) && cells(h) == ["name", "Ada", "role", "site admin"]
    })
    .await;
    assert_eq!(value(&host, "ks-insp-add-1"), "", "cleared after it worked");
    let remove: web_sys::HtmlElement = host
        .query_selector("[data-testid=ks-insp-remove][aria-label='HDEL name']")
        .ok()
        .flatten()
        .expect("a Remove button named for its field")
        .unchecked_into();
    remove.click();
    wait_for(&host, "the field removed", |h| {
        shows(h, "ks-insp-result", "HDEL user:1 name → (integer) 1")
            && cells(h) == ["role", "site admin"]
    })
    .await;

    // Renaming follows the key: the inspector and the list show the new name.
    assert_eq!(
        value(&host, "ks-insp-new-name"),
        "user:1",
        "starts as the name"
    );
    set_value(&host, "ks-insp-new-name", "user:2");
    click(&host, "ks-insp-rename");
    wait_for(&host, "the key renamed and still open", |h| {
        shows(h, "ks-insp-result", "RENAME user:1 user:2 → OK")
            && shows(h, "ks-insp-key", "user:2")
            && cells(h) == ["role", "site admin"]
            && rows(h).iter().any(|r| r.contains("user:2"))
            && !rows(h).iter().any(|r| r.contains("user:1"))
    })
    .await;

    // A string: replaced whole, its TTL kept; the editor follows the type.
    open_key(&host, "greeting");
    wait_for(&host, "the string's editor", |h| {
        count(h, "[data-testid=ks-insp-new-value]") == 1
            && count(h, "[data-testid=ks-insp-add]") == 0
            && shows(h, "ks-insp-value", "hello")
    })
    .await;
    set_value(&host, "ks-insp-new-value", "hi there");
    click(&host, "ks-insp-replace");
    wait_for(&host, "the value replaced, the TTL kept", |h| {
        shows(
            h,
            "ks-insp-result",
            "SET greeting \"hi there\" KEEPTTL → OK",
        ) && shows(h, "ks-insp-value", "hi there")
            && texts(h, "[data-testid=ks-insp-facts] dd")
                .get(2)
                .is_some_and(|ttl| ttl != "no TTL")
    })
    .await;
    // Renaming onto nothing: Redis's error, and the inspector stays put.
    set_value(&host, "ks-insp-new-name", "");
    click(&host, "ks-insp-rename");
    wait_for(&host, "RENAME to an empty name works in Redis too", |h| {
        shows(h, "ks-insp-result", "RENAME greeting \"\" → OK")
    })
    .await;
    wait_for(&host, "MONITOR shows the edits as the keyspace's", |h| {
        let monitor = texts(h, "[data-testid=mon-row]");
        [
            "HDEL user:1 name",
            "RENAME user:1 user:2",
            "SET greeting \"hi there\" KEEPTTL",
        ]
        .iter()
        .all(|c| {
            monitor
                .iter()
                .any(|r| r.contains("[keyspace]") && r.ends_with(c))
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_filter_s_matches_are_deleted_in_one_go_after_a_confirmation() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "MSET tmp:1 a tmp:2 b keep c");
    wait_for(&host, "three keys", |h| rows(h).len() == 3).await;
    assert_eq!(
        count(&host, "[data-testid=ks-bulk]"),
        0,
        "no filter, no bulk delete"
    );
    set_value(&host, "ks-filter", "tmp:*");
    wait_for(&host, "the offer", |h| {
        shows(h, "ks-bulk", "Delete 2 keys matching…")
    })
    .await;
    click(&host, "ks-bulk");
    wait_for(&host, "the question", |h| {
        count(h, "[data-testid=ks-bulk-confirm]") == 1
            && h.text_content()
                .unwrap_or_default()
                .contains("Delete 2 keys matching tmp:*?")
    })
    .await;
    // Cancel deletes nothing.
    click(&host, "ks-bulk-cancel");
    wait_for(&host, "the offer again", |h| {
        count(h, "[data-testid=ks-bulk]") == 1
    })
    .await;
    assert_eq!(rows(&host).len(), 2);
    click(&host, "ks-bulk");
    wait_for(&host, "the question", |h| {
        count(h, "[data-testid=ks-bulk-confirm]") == 1
    })
    .await;
    click(&host, "ks-bulk-confirm");
    wait_for(&host, "the matches gone, the rest kept", |h| {
        shows(
            h,
            "ks-bulk-result",
            "UNLINK × 1 for 2 keys matching tmp:* → 2 removed",
        ) && rows(h).is_empty()
            && count(h, "[data-testid=ks-bulk]") == 0
    })
    .await;
    set_value(&host, "ks-filter", "");
    wait_for(&host, "the other key", |h| {
        rows(h).len() == 1 && rows(h).iter().all(|r| r.contains("keep"))
    })
    .await;
    wait_for(&host, "MONITOR shows the batch", |h| {
        texts(h, "[data-testid=mon-row]")
            .iter()
            .any(|r| r.contains("[keyspace]") && r.contains("UNLINK tmp:"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_key_of_any_type_is_added_from_the_form_and_opens_in_the_inspector() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    assert_eq!(
        attr(&host, "[data-testid=ks-add]", "open"),
        None,
        "collapsed until asked for"
    );
    let summary: web_sys::HtmlElement = host
        .query_selector("[data-testid=ks-add] summary")
        .ok()
        .flatten()
        .expect("the Add a key form's summary")
        .unchecked_into();
    summary.click();
    assert!(attr(&host, "[data-testid=ks-add]", "open").is_some());
    // A string is one value; a sorted set asks for a score and a member.
    assert_eq!(count(&host, "[data-testid=ks-add-2]"), 0);
    set_value(&host, "ks-add-type", "zset");
    wait_for(&host, "the sorted set's inputs", |h| {
        texts(h, "[data-testid=ks-add] .pg-ks__edit-field span")
            .ends_with(&["score".to_string(), "member".to_string()])
    })
    .await;
    set_value(&host, "ks-add-name", "board");
    set_value(&host, "ks-add-ttl", "60");
    let score_input = host
        .query_selector("[data-testid=ks-add-1]")
        .ok()
        .flatten()
        .expect("the score input");
    set_value(&host, "ks-add-1", "10");
    set_value(&host, "ks-add-2", "ada lovelace");
    leptos::task::tick().await;
    assert!(
        score_input.is_connected(),
        "typing does not rebuild the inputs (a reader would lose focus)"
    );
    click(&host, "ks-add-create");
    wait_for(&host, "the key made, with its TTL, and opened", |h| {
        shows(
            h,
            "ks-add-result",
            // One line per command (the text helper joins lines with a space).
            "ZADD board 10 \"ada lovelace\" → (integer) 1 EXPIRE board 60 → (integer) 1",
        ) && shows(h, "ks-insp-key", "board")
            && cells(h) == ["ada lovelace", "10"]
            && rows(h).iter().any(|r| r.contains("board"))
    })
    .await;
    assert_eq!(
        value(&host, "ks-add-name"),
        "",
        "the form is ready for the next"
    );
    // The name is taken now: refused, nothing sent.
    set_value(&host, "ks-add-name", "board");
    set_value(&host, "ks-add-1", "1");
    click(&host, "ks-add-create");
    wait_for(&host, "the refusal", |h| {
        shows(
            h,
            "ks-add-result",
            "board exists already: open it to change it.",
        )
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_inspector_edit_between_watch_and_exec_makes_the_console_s_exec_fail() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "SET page:views 41");
    wait_for(&host, "the key", |h| rows(h).len() == 1).await;
    console_run(&host, "WATCH page:views");
    console_run(&host, "MULTI");
    console_run(&host, "INCR page:views");
    // The inspector is another client: its write lands between WATCH and EXEC.
    open_key(&host, "page:views");
    wait_for(&host, "the editor", |h| {
        count(h, "[data-testid=ks-insp-new-value]") == 1
    })
    .await;
    set_value(&host, "ks-insp-new-value", "100");
    click(&host, "ks-insp-replace");
    wait_for(&host, "the inspector's write", |h| {
        shows(h, "ks-insp-result", "SET page:views 100 KEEPTTL → OK")
    })
    .await;
    console_run(&host, "EXEC");
    wait_for(
        &host,
        "EXEC to answer nil, and the queued INCR not to run",
        |h| {
            texts(h, "[data-testid=console-output] .pg-con__res")
                .last()
                .is_some_and(|r| r == "(nil)")
                && shows(h, "ks-insp-value", "100")
        },
    )
    .await;
}

#[wasm_bindgen_test]
async fn the_type_filter_narrows_the_list_and_the_bulk_delete() {
    let host = host();
    let _handle = leptos::mount::mount_to(
        host.clone(),
        || view! { <Page request=route::parse("?open=console") /> },
    );
    leptos::task::tick().await;
    console_run(&host, "MSET user:1 ada user:2 bob");
    console_run(&host, "HSET user:3 name eve");
    console_run(&host, "RPUSH jobs a");
    wait_for(&host, "four keys", |h| rows(h).len() == 4).await;
    set_value(&host, "ks-type", "hash");
    wait_for(&host, "the hash alone", |h| {
        rows(h).len() == 1 && rows(h).iter().all(|r| r.contains("user:3"))
    })
    .await;
    set_value(&host, "ks-type", "string");
    set_value(&host, "ks-filter", "user:*");
    wait_for(&host, "the offer names the type", |h| {
        rows(h).len() == 2 && shows(h, "ks-bulk", "Delete 2 string keys matching…")
    })
    .await;
    click(&host, "ks-bulk");
    wait_for(&host, "the question", |h| {
        count(h, "[data-testid=ks-bulk-confirm]") == 1
    })
    .await;
    click(&host, "ks-bulk-confirm");
    wait_for(&host, "the strings gone", |h| {
        shows(
            h,
            "ks-bulk-result",
            "UNLINK × 1 for 2 string keys matching user:* → 2 removed",
        ) && rows(h).is_empty()
    })
    .await;
    set_value(&host, "ks-type", "");
    set_value(&host, "ks-filter", "");
    wait_for(&host, "the hash and the list kept", |h| {
        let r = rows(h);
        r.len() == 2
            && r.iter().any(|r| r.contains("user:3"))
            && r.iter().any(|r| r.contains("jobs"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn filters_start_from_the_url_and_the_address_bar_follows_them() {
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), || {
        view! { <Page request=route::parse("?open=console&match=user:*&type=string") /> }
    });
    leptos::task::tick().await;
    assert_eq!(value(&host, "ks-filter"), "user:*");
    assert_eq!(value(&host, "ks-type"), "string", "the select shows it");
    console_run(&host, "MSET user:1 ada user:2 bob");
    console_run(&host, "HSET user:3 name eve");
    console_run(&host, "RPUSH jobs a");
    wait_for(&host, "the two strings alone", |h| {
        let r = rows(h);
        r.len() == 2
            && r.iter()
                .all(|r| r.contains("user:1") || r.contains("user:2"))
    })
    .await;
    let search = || {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    };
    set_value(&host, "ks-filter", "jobs");
    set_value(&host, "ks-type", "");
    wait_for(&host, "the list", |h| rows(h).len() == 1).await;
    let now = search();
    assert!(now.contains("match=jobs"), "{now}");
    assert!(!now.contains("type="), "every type is no parameter: {now}");
    set_value(&host, "ks-filter", "");
    assert!(!search().contains("match="), "{}", search());
}
