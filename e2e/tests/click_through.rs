//! End-to-end click-through of the served playground in headless Chromium.
//!
//! `scripts/test.sh` serves the release `dist/` and runs this with
//! `E2E_URL=http://127.0.0.1:<port>/`. Without `E2E_URL` the tests fail on
//! purpose: a silently skipped e2e layer would look green in CI.
//!
//! Each test starts its own chromedriver on a free loopback port (killed on
//! drop) and drives one browser session at one window size. The two viewport
//! tests take a lock so they run one after the other: the app's virtual clock
//! runs at real speed, and two browsers fighting for two cores would only make
//! the timing noisier and the log unreadable.
//!
//! Everything the page shows is read through `data-testid` attributes (the UI
//! contract), and every wait is a poll with a deadline, because Leptos applies
//! DOM updates asynchronously and a cache miss takes ~0.4 s of (virtual) time.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

type Res<T> = Result<T, String>;

/// Serialises the viewport tests (see the module docs).
static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

/// How long any single wait may take. A cold page load of the release bundle
/// is well under a second here; the slack is for a loaded CI machine.
fn step_timeout() -> Duration {
    let secs = std::env::var("E2E_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

const POLL_EVERY: Duration = Duration::from_millis(100);

#[derive(Clone, Copy)]
struct Viewport {
    name: &'static str,
    width: u32,
    height: u32,
    /// Emulate a phone (touch, device metrics) instead of only sizing the window.
    mobile: bool,
}

const DESKTOP: Viewport = Viewport {
    name: "desktop",
    width: 1280,
    height: 800,
    mobile: false,
};
const PHONE: Viewport = Viewport {
    name: "phone",
    width: 390,
    height: 844,
    mobile: true,
};

#[tokio::test]
async fn desktop_click_through() {
    run(DESKTOP).await;
}

#[tokio::test]
async fn phone_click_through() {
    run(PHONE).await;
}

/// Sets up chromedriver and the session, runs the flow, and always closes the
/// session before reporting, so a failed step does not leave a browser behind.
async fn run(vp: Viewport) {
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
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
    let outcome = flow(&client, vp, &base).await;
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

/// The scripted user session for one viewport.
async fn flow(c: &Client, vp: Viewport, base: &str) -> Res<()> {
    let step = |msg: &str| println!("[{}] {msg}", vp.name);

    // --- full page ------------------------------------------------------------
    step(&format!("open {base}"));
    c.goto(base)
        .await
        .map_err(|e| format!("could not open {base}: {e}"))?;
    wait_for_testid(c, "ca-get").await?;

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

// ---------------------------------------------------------------------------
// Browser plumbing
// ---------------------------------------------------------------------------

/// chromedriver on a free loopback port, and a session with the given window
/// size. The returned child is killed when dropped.
async fn start_browser(vp: Viewport) -> Res<(tokio::process::Child, Client)> {
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let chrome_bin = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port()?;
    let driver = tokio::process::Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run {driver_bin}: {e} (install chromium-driver: scripts/setup.sh with WITH_BROWSER=1)"))?;

    let deadline = Instant::now() + step_timeout();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!(
                "{driver_bin} did not listen on port {port} within {:?}",
                step_timeout()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut chrome = json!({
        "binary": chrome_bin,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            format!("--window-size={},{}", vp.width, vp.height),
        ],
    });
    // The viewport is set by device metrics, not by the window: headless
    // Chromium will not make a window narrower than 500 px (measured:
    // --window-size=390,844 gives innerWidth 500), and its window size still
    // counts browser chrome (1280,800 gives innerHeight 657). `mobile: true`
    // also makes the page's <meta name="viewport"> count, as on a real phone.
    chrome["mobileEmulation"] = json!({
        "deviceMetrics": {
            "width": vp.width,
            "height": vp.height,
            "pixelRatio": if vp.mobile { 2 } else { 1 },
            "mobile": vp.mobile,
            "touch": vp.mobile,
        },
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), chrome);
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| format!("new session via {driver_bin} (browser {chrome_bin}): {e}"))?;
    Ok((driver, client))
}

fn free_port() -> Res<u16> {
    // Bind to port 0, read what the OS picked, release it for chromedriver.
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn with_query(base: &str, query: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{query}")
}

fn css(testid: &str) -> String {
    format!("[data-testid={testid}]")
}

async fn wait_for_testid(c: &Client, testid: &str) -> Res<()> {
    c.wait()
        .at_most(step_timeout())
        .every(POLL_EVERY)
        .for_element(Locator::Css(&css(testid)))
        .await
        .map(|_| ())
        .map_err(|e| {
            format!("expected an element [data-testid={testid}] within {:?}, the page never showed one ({e})", step_timeout())
        })
}

async fn click(c: &Client, testid: &str) -> Res<()> {
    println!("    click {testid}");
    let el = c
        .find(Locator::Css(&css(testid)))
        .await
        .map_err(|e| format!("expected a button [data-testid={testid}] to click: {e}"))?;
    // A real WebDriver click (scrolls into view, fails if something covers
    // the element), not a JS el.click(): the phone layout must be usable.
    el.click()
        .await
        .map_err(|e| format!("clicking [data-testid={testid}] failed: {e}"))
}

async fn select(c: &Client, testid: &str, value: &str) -> Res<()> {
    println!("    select {value:?} in {testid}");
    let el = c
        .find(Locator::Css(&css(testid)))
        .await
        .map_err(|e| format!("expected a <select> [data-testid={testid}]: {e}"))?;
    el.select_by_value(value).await.map_err(|e| {
        format!("choosing option value {value:?} in [data-testid={testid}] failed: {e}")
    })?;
    let s = snapshot(c, &[testid]).await?;
    if !s.is(testid, value) {
        return Err(format!(
            "after choosing {value:?}, [data-testid={testid}] has value {}",
            s.show(&[testid])
        ));
    }
    Ok(())
}

/// Saves a PNG of the viewport under `target/e2e-screenshots/`.
async fn screenshot(c: &Client, file: &str) -> Res<PathBuf> {
    let png = c
        .screenshot()
        .await
        .map_err(|e| format!("screenshot {file}: {e}"))?;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let path = dir.join(file);
    std::fs::write(&path, png).map_err(|e| format!("writing {}: {e}", path.display()))?;
    Ok(path)
}

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp for integration tests.
    let target = option_env!("CARGO_TARGET_TMPDIR")
        .and_then(|tmp| PathBuf::from(tmp).parent().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("e2e-screenshots")
}

async fn page_text(c: &Client) -> String {
    match c
        .execute(
            "return document.body ? document.body.innerText : '(no body)';",
            vec![],
        )
        .await
    {
        Ok(Value::String(s)) => s.chars().take(2000).collect(),
        Ok(other) => other.to_string(),
        Err(e) => format!("(could not read the page: {e})"),
    }
}

// ---------------------------------------------------------------------------
// Reading the page
// ---------------------------------------------------------------------------

/// What a set of `data-testid` elements showed at one moment: the trimmed
/// text, or the value for form controls; `None` when the element is absent.
struct Snapshot(BTreeMap<String, Option<String>>);

impl Snapshot {
    fn get(&self, id: &str) -> Option<&str> {
        self.0.get(id).and_then(|v| v.as_deref())
    }
    fn present(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
    fn is(&self, id: &str, want: &str) -> bool {
        self.get(id) == Some(want)
    }
    fn contains(&self, id: &str, needle: &str) -> bool {
        self.get(id).is_some_and(|t| t.contains(needle))
    }
    /// `id="text"` pairs for messages; long texts are cut.
    fn show(&self, ids: &[&str]) -> String {
        ids.iter()
            .map(|id| match self.get(id) {
                None => format!("{id}=<absent>"),
                Some(t) if t.chars().count() > 160 => {
                    format!("{id}={:?}…", t.chars().take(160).collect::<String>())
                }
                Some(t) => format!("{id}={t:?}"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn show_all(&self) -> String {
        self.show(&self.0.keys().map(String::as_str).collect::<Vec<_>>())
    }
}

const SNAPSHOT_JS: &str = r#"
const out = {};
for (const id of arguments[0]) {
  const el = document.querySelector('[data-testid="' + id + '"]');
  if (el === null) { out[id] = null; continue; }
  const tag = el.tagName;
  const text = (tag === 'SELECT' || tag === 'INPUT' || tag === 'TEXTAREA') ? el.value : el.textContent;
  out[id] = text.replace(/\s+/g, ' ').trim();
}
return out;
"#;

async fn snapshot(c: &Client, ids: &[&str]) -> Res<Snapshot> {
    let v = c
        .execute(SNAPSHOT_JS, vec![json!(ids)])
        .await
        .map_err(|e| format!("reading {ids:?} from the page: {e}"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| format!("page snapshot was not an object: {v}"))?;
    Ok(Snapshot(
        obj.iter()
            .map(|(k, v)| (k.clone(), v.as_str().map(String::from)))
            .collect(),
    ))
}

/// Polls until `ok` holds; on timeout says what was awaited and what the page
/// showed last.
async fn wait_until(
    c: &Client,
    what: &str,
    ids: &[&str],
    ok: impl Fn(&Snapshot) -> bool,
) -> Res<Snapshot> {
    let deadline = Instant::now() + step_timeout();
    loop {
        let s = snapshot(c, ids).await?;
        if ok(&s) {
            return Ok(s);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "timed out after {:?} waiting for {what}; the page showed: {}",
                step_timeout(),
                s.show_all()
            ));
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

fn expect(s: &Snapshot, what: &str, ok: impl Fn(&Snapshot) -> bool) -> Res<()> {
    if ok(s) {
        Ok(())
    } else {
        Err(format!(
            "expected {what}; the page showed: {}",
            s.show_all()
        ))
    }
}
