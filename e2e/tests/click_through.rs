//! End-to-end click-through of the served playground in headless Chromium.
//!
//! `scripts/test.sh` serves the release `dist/` and runs this with
//! `E2E_URL=http://127.0.0.1:<port>/`. Without `E2E_URL` the tests fail on
//! purpose: a silently skipped e2e layer would look green in CI.
//!
//! Each test starts its own chromedriver on a free loopback port (killed on
//! drop) and drives one browser session at one window size. The viewport
//! tests take a lock so they run one after the other: the app's virtual clock
//! runs at real speed, and two browsers fighting for two cores would only make
//! the timing noisier and the log unreadable.
//!
//! Everything the page shows is read through `data-testid` attributes (the UI
//! contract), and every wait is a poll with a deadline, because Leptos applies
//! DOM updates asynchronously and a cache miss takes ~0.4 s of (virtual) time.
#![cfg(not(target_arch = "wasm32"))]

use tokio::sync::Mutex;

mod plumbing;
use fantoccini::{Client, Locator};
use plumbing::*;

/// Serialises the viewport tests (see the module docs).
static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::const_new(());

#[tokio::test]
async fn desktop_click_through() {
    run(DESKTOP, click_through).await;
}

#[tokio::test]
async fn phone_click_through() {
    run(PHONE, click_through).await;
}

/// The narrowest screen the playground supports (360 px, a small Android
/// phone). No screenshots of its own: the 390 px run takes those.
#[tokio::test]
async fn narrowest_phone_has_no_sideways_overflow() {
    const NARROW: Viewport = Viewport {
        name: "phone-360",
        width: 360,
        height: 740,
        mobile: true,
    };
    run(NARROW, no_overflow_anywhere).await;
}

/// axe-core's WCAG 2.1 A and AA rules on every tab, every widget alone, an
/// open tour chapter and the settings drawer, in both themes (contrast is
/// checked per theme).
#[tokio::test]
async fn accessibility_audit() {
    run(DESKTOP, audit_everything).await;
}

/// Sets up chromedriver and the session, runs `steps`, and always closes the
/// session before reporting, so a failed step does not leave a browser behind.
async fn run(vp: Viewport, steps: impl AsyncFnOnce(&Client, Viewport, &str) -> Res<()>) {
    // An async lock: each test has its own runtime, and a failed test must
    // not poison the other's turn.
    let _turn = ONE_BROWSER_AT_A_TIME.lock().await;
    let base = std::env::var("E2E_URL").unwrap_or_default();
    assert!(
        !base.trim().is_empty(),
        "E2E_URL is not set. Serve the app first and point the test at it, e.g.\n  \
         E2E_URL=http://127.0.0.1:8080/ cargo test -p playground-e2e\n\
         (scripts/test.sh does this for you)."
    );
    let base = base.trim().to_string();

    let (_driver, client) = match start_browser(vp).await {
        Ok(pair) => pair,
        Err(e) => panic!("[{}] could not start the browser: {e}", vp.name),
    };
    let mut outcome = steps(&client, vp, &base).await;
    // Whatever the steps did (hostile input, bad URLs, a hundred mounts), the
    // browser's console got no warning and no error.
    if outcome.is_ok() {
        outcome = match console_problems(&client).await {
            Ok(lines) if lines.is_empty() => Ok(()),
            Ok(lines) => Err(format!(
                "the browser's console has {} warnings or errors:\n  {}",
                lines.len(),
                lines.join("\n  ")
            )),
            Err(e) => Err(e),
        };
    }
    if let Err(e) = &outcome {
        // Leave evidence for whoever reads the CI log.
        let shot = screenshot(&client, &format!("{}-FAILED.png", vp.name)).await;
        let text = page_text(&client).await;
        eprintln!(
            "[{}] FAILED: {e}\n[{}] failure screenshot: {shot:?}\n[{}] page text:\n{text}",
            vp.name, vp.name, vp.name
        );
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!("[{}] {e}", vp.name);
    }
    println!("[{}] all steps passed", vp.name);
}

/// The whole click-through: the scripted session, the article, then every
/// tab and every tour chapter in each theme, each checked with axe-core.
async fn click_through(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    flow(c, vp, base).await?;
    article(c, vp, base).await?;
    for theme in ["light", "dark"] {
        every_widget(c, vp, base, theme).await?;
        tour(c, vp, base, theme).await?;
    }
    Ok(())
}

/// Every tab, every widget alone and the article: nothing wider than the screen.
async fn no_overflow_anywhere(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    let mut pages: Vec<(String, &str)> = TABS
        .iter()
        .map(|t| (format!("open={t}"), "shell"))
        .collect();
    for w in TABS.iter().chain(&["keyspace", "monitor", "trace"]) {
        pages.push((format!("widget={w}"), "embed-root"));
    }
    for (query, root) in &pages {
        c.goto(&with_query(base, query))
            .await
            .map_err(|e| format!("open ?{query}: {e}"))?;
        wait_for_testid(c, root).await?;
        // Let a frame or two lay out what the clock adds.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        no_sideways_overflow(c, vp, &format!("?{query}")).await?;
        time_bar_is_one_row(c, &format!("?{query}")).await?;
        println!(
            "[{}] ?{query}: no sideways overflow, time bar in one row",
            vp.name
        );
    }
    let article = format!("{}/article.html", base.trim_end_matches('/'));
    c.goto(&article)
        .await
        .map_err(|e| format!("open {article}: {e}"))?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    no_sideways_overflow(c, vp, "article").await
}

/// The time bar's controls (and Settings, on the full page) sit in one
/// row: on a phone they show icons, so the sticky bar takes one row of the
/// screen, not two.
async fn time_bar_is_one_row(c: &Client, page: &str) -> Res<()> {
    let spread = c
        .execute(
            "const els = [...document.querySelectorAll('.pg-clock > *, [data-testid=settings-open]')];
             const mids = els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
             return mids.length ? Math.max(...mids) - Math.min(...mids) : -1;",
            vec![],
        )
        .await
        .map_err(|e| format!("{page}: measuring the time bar: {e}"))?
        .as_f64()
        .unwrap_or(-1.0);
    if !(0.0..8.0).contains(&spread) {
        return Err(format!(
            "{page}: the time bar's controls are not in one row (their centres are {spread:.0} px apart)"
        ));
    }
    Ok(())
}

/// Runs axe-core on each page of the playground; fails listing every
/// violation (rule, impact, first elements) of every page.
async fn audit_everything(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    let axe = axe_source()?;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        let mut pages: Vec<(String, &str, Option<&str>)> = TABS
            .iter()
            .map(|t| (format!("open={t}&theme={theme}"), *t, None))
            .collect();
        for w in TABS.iter().chain(&["keyspace", "monitor", "trace"]) {
            pages.push((format!("widget={w}&theme={theme}"), "embed-root", None));
        }
        pages.push((format!("theme={theme}"), "shell", Some("tour-start")));
        pages.push((format!("theme={theme}"), "shell", Some("settings-open")));
        for (query, root, open) in &pages {
            c.goto(&with_query(base, query))
                .await
                .map_err(|e| format!("open ?{query}: {e}"))?;
            wait_for_testid(c, root).await?;
            let mut what = format!("?{query}");
            if let Some(button) = open {
                click(c, button).await?;
                what = format!("{what} + {button}");
            }
            // Let a frame or two lay out what the clock adds.
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            let violations = axe_violations(c, &axe).await?;
            println!("[{}] {what}: {} axe violations", vp.name, violations.len());
            found.extend(violations.into_iter().map(|v| format!("{what}: {v}")));
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} accessibility violations:\n{}",
            found.len(),
            found.join("\n")
        ))
    }
}

/// The scripted user session for one viewport.
async fn flow(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    let step = |msg: &str| println!("[{}] {msg}", vp.name);

    // --- full page ------------------------------------------------------------
    step(&format!("open {base}"));
    c.goto(base)
        .await
        .map_err(|e| format!("could not open {base}: {e}"))?;
    wait_for_testid(c, "ca-get").await?;
    loading_line(c).await?;

    let inner = c
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .map_err(|e| format!("reading the viewport size: {e}"))?;
    let inner_w = inner[0].as_u64().unwrap_or(0);
    let inner_h = inner[1].as_u64().unwrap_or(0);
    step(&format!(
        "viewport: window.innerWidth={inner_w} innerHeight={}",
        inner[1]
    ));
    // Scrollbars can take a few pixels off the inner width; anything further
    // off means --window-size did not apply and the layout under test is wrong.
    let want = u64::from(vp.width);
    if inner_w > want || inner_w + 20 < want || inner_h != u64::from(vp.height) {
        return Err(format!(
            "viewport: expected window.innerWidth about {want} and innerHeight {} (window-size {}x{}), the page reports {inner_w}x{inner_h}",
            vp.height,
            vp.width, vp.height
        ));
    }

    let roots = snapshot(c, &["shell", "embed-root", "cache-aside"]).await?;
    expect(&roots, "full page has the shell", |s| s.present("shell"))?;
    expect(&roots, "full page is not the embed", |s| {
        !s.present("embed-root")
    })?;
    expect(&roots, "the shell contains the cache-aside widget", |s| {
        s.present("cache-aside")
    })?;
    step("full page: shell with the cache-aside widget");

    const WATCH: &[&str] = &[
        "ca-product",
        "ca-status",
        "ca-cache-badge",
        "ca-latency",
        "ca-views",
        "ca-ttl-remaining",
        "ca-stat-requests",
        "ca-stat-hits",
        "ca-stat-misses",
        "ca-stat-ratio",
    ];

    // 1st GET: cold cache -> MISS.
    click(c, "ca-get").await?;
    let s = wait_until(c, "GET #1 to answer 200 MISS", WATCH, |s| {
        s.is("ca-status", "200") && s.is("ca-cache-badge", "MISS")
    })
    .await?;
    step(&format!(
        "GET #1 -> 200 MISS ({})",
        s.show(&["ca-latency", "ca-views", "ca-ttl-remaining"])
    ));

    // 2nd GET within the TTL (default 10 s) -> HIT.
    click(c, "ca-get").await?;
    let s = wait_until(
        c,
        "GET #2 to answer HIT with 2 requests counted",
        WATCH,
        |s| {
            s.is("ca-status", "200")
                && s.is("ca-cache-badge", "HIT")
                && s.is("ca-stat-requests", "2")
        },
    )
    .await?;
    step(&format!(
        "GET #2 -> 200 HIT ({})",
        s.show(&["ca-latency", "ca-views", "ca-stat-ratio"])
    ));

    // Invalidate -> the log shows the DEL.
    click(c, "ca-invalidate").await?;
    wait_until(
        c,
        "the log to show DEL product:1 after Invalidate",
        &["ca-log"],
        |s| s.contains("ca-log", "DEL product:1"),
    )
    .await?;
    step("Invalidate -> log shows DEL product:1");

    // MONITOR's Clear: the feed then shows only what the next click runs.
    // First let the keyspace view above drop product:1: the side column
    // shrinking under the pointer would move the button before the tap.
    wait_until(
        c,
        "the keyspace view to drop product:1",
        &["ks-count"],
        |s| s.contains("ks-count", "2 keys"),
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    click(c, "mon-clear").await?;
    wait_until(c, "MONITOR to be cleared", &["mon-total"], |s| {
        s.contains("mon-total", "0 commands since Clear")
    })
    .await?;
    step("MONITOR cleared");

    // 3rd GET after the DEL -> MISS again.
    click(c, "ca-get").await?;
    let s = wait_until(
        c,
        "GET #3 after invalidation to answer MISS with 3 requests counted",
        WATCH,
        |s| {
            s.is("ca-status", "200")
                && s.is("ca-cache-badge", "MISS")
                && s.is("ca-stat-requests", "3")
        },
    )
    .await?;
    step(&format!(
        "GET #3 -> 200 MISS ({})",
        s.show(&["ca-views", "ca-ttl-remaining"])
    ));
    expect(&s, "stats: hits = 1", |s| s.is("ca-stat-hits", "1"))?;
    expect(&s, "stats: misses = 2", |s| s.is("ca-stat-misses", "2"))?;
    // The cleared feed holds that miss's commands alone, newest first: the
    // view count is the last thing the request did.
    let m = wait_until(
        c,
        "MONITOR to show the miss's commands since the Clear",
        &["mon-total", "mon-row"],
        |s| s.contains("mon-total", "since Clear") && s.contains("mon-row", "product:1:views"),
    )
    .await?;
    step(&format!(
        "MONITOR since the Clear: {}",
        m.show(&["mon-total", "mon-row"])
    ));
    step(&format!(
        "stats: {}",
        s.show(&[
            "ca-stat-requests",
            "ca-stat-hits",
            "ca-stat-misses",
            "ca-stat-ratio"
        ])
    ));

    let log = snapshot(c, &["ca-log"]).await?;
    for cmd in ["GET product:1", "SET product:1", "INCR product:1:views"] {
        expect(&log, &format!("the log shows {cmd}"), |s| {
            s.contains("ca-log", cmd)
        })?;
    }
    step("log shows GET, SET, INCR and DEL on product:1");

    step(&format!(
        "screenshot {:?}",
        screenshot(c, &format!("{}-cache-aside.png", vp.name)).await?
    ));

    // Nothing may stick out sideways: at 390 px a too-wide element makes the
    // whole page scroll horizontally (on a phone, it widens the layout
    // viewport instead, so innerWidth grows too: compare with the device).
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the page width: {e}"))?;
    let (scroll_w, inner_w) = (
        widths[0].as_u64().unwrap_or(0),
        widths[1].as_u64().unwrap_or(0),
    );
    if scroll_w > inner_w || inner_w > u64::from(vp.width) {
        return Err(format!("the page is {scroll_w} px wide in a {inner_w} px viewport: something overflows sideways (device width {})", vp.width));
    }
    step(&format!(
        "no sideways overflow ({scroll_w} px of {inner_w} px)"
    ));

    // Unknown product -> 404 (nothing cached, no meta badge).
    select(c, "ca-product", "404").await?;
    click(c, "ca-get").await?;
    let s = wait_until(c, "GET /products/404 to answer 404", WATCH, |s| {
        s.is("ca-status", "404")
    })
    .await?;
    expect(&s, "a 404 carries no HIT/MISS badge", |s| {
        !s.is("ca-cache-badge", "HIT") && !s.is("ca-cache-badge", "MISS")
    })?;
    step("product 404 -> 404 without a cache badge");

    // --- compact embed ----------------------------------------------------------
    let embed = with_query(base, "widget=cache-aside");
    step(&format!("open {embed}"));
    c.goto(&embed)
        .await
        .map_err(|e| format!("could not open {embed}: {e}"))?;
    wait_for_testid(c, "embed-root").await?;
    let s = snapshot(c, &["embed-root", "shell", "cache-aside", "ca-get"]).await?;
    expect(&s, "the embed has no shell", |s| !s.present("shell"))?;
    expect(&s, "the embed shows the cache-aside widget", |s| {
        s.present("cache-aside") && s.present("ca-get")
    })?;
    step("embed: compact widget without the shell");
    step(&format!(
        "screenshot {:?}",
        screenshot(c, &format!("{}-embed.png", vp.name)).await?
    ));

    // --- unknown widget name --------------------------------------------------------
    let nope = with_query(base, "widget=nope");
    step(&format!("open {nope}"));
    c.goto(&nope)
        .await
        .map_err(|e| format!("could not open {nope}: {e}"))?;
    wait_for_testid(c, "shell").await?;
    let s = wait_until(
        c,
        "the shell note to mention \"nope\"",
        &["shell", "shell-note"],
        |s| s.contains("shell-note", "nope"),
    )
    .await?;
    let note = c
        .find(Locator::Css("[data-testid=shell-note]"))
        .await
        .map_err(|e| format!("finding shell-note: {e}"))?;
    if !note
        .is_displayed()
        .await
        .map_err(|e| format!("shell-note visibility: {e}"))?
    {
        return Err(format!(
            "shell-note exists but is not visible; it says {}",
            s.show(&["shell-note"])
        ));
    }
    step(&format!(
        "unknown widget -> shell with note {}",
        s.show(&["shell-note"])
    ));
    Ok(())
}

/// The tabs in the shell, each with its root testid and one interaction
/// that shows the widget working (its detailed tests are the browser ones).
const TABS: &[&str] = &[
    "cache-aside",
    "expiry",
    "rate-limit",
    "imports",
    "stampede",
    "service-cache",
    "load",
    "console",
];

/// Opens every tab in `theme`, does one thing in it, checks the side views
/// follow, and saves `<viewport>-<theme>-<widget>.png`.
async fn every_widget(c: &Client, vp: Viewport, base: &str, theme: &str) -> Res<()> {
    let step = |msg: &str| println!("[{}/{theme}] {msg}", vp.name);
    let url = with_query(base, &format!("theme={theme}&speed=10"));
    c.goto(&url)
        .await
        .map_err(|e| format!("could not open {url}: {e}"))?;
    wait_for_testid(c, "shell").await?;
    let scheme = c
        .execute(
            "return document.documentElement.getAttribute('data-theme');",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the theme: {e}"))?;
    if scheme.as_str() != Some(theme) {
        return Err(format!("?theme={theme} set data-theme={scheme}"));
    }
    let axe = axe_source()?;
    for name in TABS {
        click(c, &format!("tab-{name}")).await?;
        wait_for_testid(c, name).await?;
        match *name {
            "cache-aside" => {
                click(c, "ca-get").await?;
                wait_until(c, "a GET answered", &["ca-status"], |s| {
                    s.is("ca-status", "200")
                })
                .await?;
            }
            "expiry" => {
                click(c, "ex-add-200").await?;
                wait_until(c, "200 keys with TTLs", &["ex-live"], |s| {
                    s.get("ex-live").is_some_and(|v| v.trim() != "0")
                })
                .await?;
                // The side keyspace is throttled (4 builds a second): the
                // screenshot waits until it counts the new keys too.
                wait_until(c, "the keyspace to count them", &["ks-count"], |s| {
                    s.get("ks-count").is_some_and(|v| {
                        let n: String = v
                            .chars()
                            .take_while(|c| *c != ' ')
                            .filter(char::is_ascii_digit)
                            .collect();
                        // Some expire within the first rebuild (TTLs
                        // from 1 s at 10×): most of them is enough.
                        n.parse::<u32>().is_ok_and(|n| n >= 100)
                    })
                })
                .await?;
            }
            "rate-limit" => {
                click(c, "rl-client-1-burst").await?;
                wait_until(c, "the burst counted", &["rl-client-1-allowed"], |s| {
                    s.get("rl-client-1-allowed")
                        .is_some_and(|v| v.trim() != "0")
                })
                .await?;
            }
            "imports" => {
                click(c, "im-start").await?;
                wait_for_testid(c, "im-row").await?;
            }
            "stampede" => {
                click(c, "st-run").await?;
                wait_for_testid(c, "st-chart").await?;
                tokio::time::sleep(std::time::Duration::from_millis(800)).await;
                // Stop it again: later tabs read MONITOR, which it would flood.
                click(c, "st-run").await?;
            }
            "service-cache" => {
                click(c, "sc-send").await?;
                wait_until(c, "a signing key answer", &["sc-result"], |s| {
                    s.get("sc-result").is_some_and(|v| !v.trim().is_empty())
                })
                .await?;
            }
            "load" => {
                click(c, "ld-start").await?;
                wait_for_testid(c, "ld-chart-db").await?;
                tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            }
            "console" => {
                // The load test still runs (its traffic fills MONITOR): stop it.
                click(c, "tab-load").await?;
                click(c, "ld-stop").await?;
                click(c, "tab-console").await?;
                wait_for_testid(c, "console-input").await?;
                let input = c
                    .find(Locator::Css(&css("console-input")))
                    .await
                    .map_err(|e| format!("the console input: {e}"))?;
                input
                    .send_keys("SET e2e:greeting hello\u{E007}")
                    .await
                    .map_err(|e| format!("typing in the console: {e}"))?;
                wait_until(c, "the console to answer OK", &["console-output"], |s| {
                    s.contains("console-output", "OK")
                })
                .await?;
                // One store: the side views show what the console did.
                wait_until(
                    c,
                    "the keyspace and MONITOR to show the key",
                    &["keyspace", "monitor"],
                    |s| {
                        s.contains("keyspace", "e2e:greeting")
                            && s.contains("monitor", "e2e:greeting")
                    },
                )
                .await?;
                // The key inspector, opened from the key's name (the
                // filter leaves one row, whatever else the load wrote).
                c.find(Locator::Css(&css("ks-filter")))
                    .await
                    .map_err(|e| format!("the keyspace filter: {e}"))?
                    .send_keys("e2e:*")
                    .await
                    .map_err(|e| format!("typing in the filter: {e}"))?;
                wait_until(c, "the filter to leave one row", &["ks-shown"], |s| {
                    s.contains("ks-shown", "1 match")
                })
                .await?;
                click(c, "ks-open").await?;
                wait_until(
                    c,
                    "the inspector to show the value",
                    &["ks-inspector"],
                    |s| s.contains("ks-inspector", "hello") && s.contains("ks-inspector", "embstr"),
                )
                .await?;
                // Its editor: a new value, sent as typed, the TTL kept.
                c.find(Locator::Css(&css("ks-insp-new-value")))
                    .await
                    .map_err(|e| format!("the inspector's value editor: {e}"))?
                    .send_keys("hello, editor")
                    .await
                    .map_err(|e| format!("typing a new value: {e}"))?;
                click(c, "ks-insp-replace").await?;
                wait_until(c, "the value to be replaced", &["ks-inspector"], |s| {
                    s.contains("ks-inspector", "KEEPTTL → OK")
                        && s.contains("ks-inspector", "hello, editor")
                })
                .await?;
                // A worker waiting on an empty queue: the console blocks
                // and says what for (the screenshot shows it waiting).
                c.find(Locator::Css(&css("console-input")))
                    .await
                    .map_err(|e| format!("the console input: {e}"))?
                    .send_keys("BLPOP e2e:jobs 0\u{E007}")
                    .await
                    .map_err(|e| format!("typing BLPOP: {e}"))?;
                wait_until(c, "the console to wait", &["console-waiting"], |s| {
                    s.contains("console-waiting", "BLPOP waits for an element on e2e:jobs")
                })
                .await?;
            }
            _ => {}
        }
        let shot = screenshot(c, &format!("{}-{theme}-{name}.png", vp.name)).await?;
        no_sideways_overflow(c, vp, name).await?;
        fields_line_up(c, name).await?;
        accessible(c, &axe, name).await?;
        step(&format!("{name}: ok, screenshot {shot:?}"));
    }
    Ok(())
}

/// The sample article: two widgets mounted into its `<div data-playground>`s,
/// each with its own clock, and an iframe sized by the height its widget posts.
/// index.html's "Loading…" line is gone once the app is up, and its
/// handler turns the line into the reason when the wasm cannot start (here
/// a stand-in line and error event, since the real wasm did start).
async fn loading_line(c: &Client) -> Res<()> {
    let seen = c
        .execute(
            "const before = document.getElementById('pg-loading') !== null;
             const p = document.createElement('p');
             p.id = 'pg-loading';
             document.body.append(p);
             dispatchEvent(new ErrorEvent('error', { error: new Error('no wasm here') }));
             const after = [p.textContent, p.getAttribute('role')];
             p.remove();
             return [before, after];",
            vec![],
        )
        .await
        .map_err(|e| format!("checking the loading line: {e}"))?;
    let want = serde_json::json!([
        false,
        [
            "The playground could not start (no wasm here). It needs a browser with WebAssembly; reload the page to try again.",
            "alert"
        ]
    ]);
    if seen != want {
        return Err(format!(
            "the loading line: got {seen}, expected {want} (gone after the mount, then the reason)"
        ));
    }
    Ok(())
}

async fn article(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    let url = format!(
        "{}article.html",
        base.trim_end_matches('/').to_string() + "/"
    );
    c.goto(&url)
        .await
        .map_err(|e| format!("could not open {url}: {e}"))?;
    for id in ["article-expiry", "article-rate-limit"] {
        wait_until(c, &format!("{id} to hold its widget"), &[id], |s| {
            s.get(id)
                .is_some_and(|t| t.contains("Pause") && t.len() > 200)
        })
        .await?;
    }
    let mounted = c
        .execute(
            "return [...document.querySelectorAll('[data-playground] [data-testid=embed-root]')].map(e => e.getAttribute('data-widget'));",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the mounts: {e}"))?;
    let waiting = c
        .execute(
            "return document.querySelectorAll('[data-playground] .pg-loading').length;",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the mounts' loading lines: {e}"))?;
    if waiting != serde_json::json!(0) {
        return Err(format!(
            "{waiting} loading lines left in the article's mounts after they mounted"
        ));
    }
    if mounted != serde_json::json!(["expiry", "rate-limit"]) {
        return Err(format!(
            "the article's mounts hold {mounted}, expected expiry and rate-limit"
        ));
    }
    // A mount's data-query is read as a URL would be: the article asks
    // for a limit of 5.
    let max = c
        .execute(
            "const i = document.querySelector('[data-testid=article-rate-limit] [data-testid=rl-max]'); return i ? i.value : null;",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the mounted limit: {e}"))?;
    if max != serde_json::json!("5") {
        return Err(format!(
            "the rate-limit mount shows a limit of {max}, not the 5 of its data-query"
        ));
    }
    // The iframe starts at the article's 600 px and takes the posted height.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let h = c
            .execute(
                "const f = document.querySelector('[data-testid=article-iframe]'); return f ? f.style.height : null;",
                vec![],
            )
            .await
            .map_err(|e| format!("reading the iframe height: {e}"))?;
        if h.as_str().is_some_and(|v| v.ends_with("px")) {
            println!("[{}] article: iframe sized to {h} by postMessage", vp.name);
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err("the article's iframe never received its widget's height".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let shot = screenshot(c, &format!("{}-article.png", vp.name)).await?;
    no_sideways_overflow(c, vp, "article").await?;
    println!(
        "[{}] article: two data-playground mounts and a sized iframe, screenshot {shot:?}",
        vp.name
    );
    Ok(())
}

/// Fails if anything makes the page wider than the viewport.
async fn no_sideways_overflow(c: &Client, vp: Viewport, what: &str) -> Res<()> {
    let w = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .map_err(|e| format!("reading the page width: {e}"))?;
    let (scroll_w, inner_w) = (w[0].as_u64().unwrap_or(0), w[1].as_u64().unwrap_or(0));
    if scroll_w > inner_w || inner_w > u64::from(vp.width) {
        // Name the culprits: the innermost elements that reach past the device width.
        let culprits = c
            .execute(
                "const w = arguments[0]; const out = []; \
                 for (const e of document.querySelectorAll('body *')) { \
                   const r = e.getBoundingClientRect(); \
                   if (r.right > w + 1 && ![...e.children].some(k => k.getBoundingClientRect().right > w + 1)) \
                     out.push(e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '') + ' right=' + Math.round(r.right)); \
                   if (out.length >= 6) break; } return out;",
                vec![serde_json::json!(vp.width)],
            )
            .await
            .unwrap_or_default();
        return Err(format!(
            "{what}: the page is {scroll_w} px wide in a {inner_w} px viewport (device {} px): something overflows sideways: {culprits}",
            vp.width
        ));
    }
    Ok(())
}

/// axe-core finds no WCAG 2.1 A/AA violation on the page as it is now (after
/// the widget's interaction, so with its lists and charts filled).
async fn accessible(c: &Client, axe: &str, what: &str) -> Res<()> {
    let violations = axe_violations(c, axe).await?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what}: accessibility violations:\n{}",
            violations.join("\n")
        ))
    }
}

/// Text fields and selects that sit side by side in one row of the open
/// widget (the same flex row or grid) start at the same height. A field
/// taller than its neighbours (a hint under its input, a label that wraps)
/// lifts its input out of line in a bottom-aligned row; the expiry widget's
/// effort field did, with an empty hint.
async fn fields_line_up(c: &Client, what: &str) -> Res<()> {
    let off = c
        .execute(
            "const sel = 'input:not([type=checkbox]):not([type=range]), select'; \
             const row = e => { for (let p = e.parentElement; p; p = p.parentElement) { \
               const s = getComputedStyle(p); \
               if (s.display.endsWith('grid') || (s.display.endsWith('flex') && s.flexDirection.startsWith('row'))) return p; } }; \
             const boxes = [...document.querySelectorAll('[data-testid=' + arguments[0] + '] ' + sel)] \
               .filter(e => e.offsetParent !== null) \
               .map(e => [e.getAttribute('data-testid') || e.tagName, e.getBoundingClientRect(), row(e)]); \
             const out = []; \
             for (const [a, ra, pa] of boxes) for (const [b, rb, pb] of boxes) \
               if (a < b && pa === pb && ra.top < rb.bottom && rb.top < ra.bottom && Math.abs(ra.top - rb.top) > 1) \
                 out.push(a + ' at ' + Math.round(ra.top) + ', ' + b + ' at ' + Math.round(rb.top)); \
             return out;",
            vec![serde_json::json!(what)],
        )
        .await
        .map_err(|e| format!("reading the field positions: {e}"))?;
    match off.as_array() {
        Some(pairs) if !pairs.is_empty() => {
            Err(format!("{what}: fields in one row do not line up: {off}"))
        }
        _ => Ok(()),
    }
}

/// Walks the guided tour: each chapter opens its tab; the right answer is
/// found by clicking choices until the feedback says so.
async fn tour(c: &Client, vp: Viewport, base: &str, theme: &str) -> Res<()> {
    let step = |msg: &str| println!("[{}/{theme}] {msg}", vp.name);
    let url = with_query(base, &format!("theme={theme}"));
    c.goto(&url)
        .await
        .map_err(|e| format!("could not open {url}: {e}"))?;
    wait_for_testid(c, "tour-start").await?;
    click(c, "tour-start").await?;
    let axe = axe_source()?;
    let mut chapter = 0;
    while let Ok(el) = c.find(Locator::Css("[data-testid=tour-chapter]")).await {
        chapter += 1;
        let id = el
            .attr("data-chapter")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut right = false;
        for n in 0..4 {
            if c.find(Locator::Css(&css(&format!("tour-choice-{n}"))))
                .await
                .is_err()
            {
                break;
            }
            click(c, &format!("tour-choice-{n}")).await?;
            // The feedback of the previous choice may still be shown for a frame.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let s = wait_until(c, "feedback", &["tour-feedback"], |s| {
                s.get("tour-feedback").is_some_and(|v| !v.trim().is_empty())
            })
            .await?;
            if s.contains("tour-feedback", "Right.") {
                right = true;
                break;
            }
        }
        if !right {
            return Err(format!(
                "tour chapter {id}: no choice was accepted as right"
            ));
        }
        let shot = screenshot(c, &format!("{}-{theme}-tour-{chapter}-{id}.png", vp.name)).await?;
        no_sideways_overflow(c, vp, &format!("tour chapter {id}")).await?;
        accessible(c, &axe, &format!("tour chapter {id}")).await?;
        step(&format!(
            "tour chapter {chapter} ({id}) answered, screenshot {shot:?}"
        ));
        click(c, "tour-next").await?;
        if chapter > 20 {
            return Err("the tour does not end".into());
        }
    }
    // src/tour/model.rs's CHAPTERS (a native test there pins the same count).
    const CHAPTERS: usize = 10;
    if chapter != CHAPTERS {
        return Err(format!(
            "the tour had {chapter} chapters, expected {CHAPTERS}"
        ));
    }
    Ok(())
}
