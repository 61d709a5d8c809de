//! Browser plumbing shared by the click-through test and the page
//! benchmark (`examples/bench_page.rs` includes this file by path):
//! chromedriver on a free port, sessions at a viewport, waits, snapshots.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

pub type Res<T> = Result<T, String>;

/// How long any single wait may take. A cold page load of the release bundle
/// is well under a second here; the slack is for a loaded CI machine.
pub fn step_timeout() -> Duration {
    let secs = std::env::var("E2E_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

pub const POLL_EVERY: Duration = Duration::from_millis(100);

#[derive(Clone, Copy)]
pub struct Viewport {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    /// Emulate a phone (touch, device metrics) instead of only sizing the window.
    pub mobile: bool,
}

pub const DESKTOP: Viewport = Viewport {
    name: "desktop",
    width: 1280,
    height: 800,
    mobile: false,
};
pub const PHONE: Viewport = Viewport {
    name: "phone",
    width: 390,
    height: 844,
    mobile: true,
};

// ---------------------------------------------------------------------------
// Browser plumbing
// ---------------------------------------------------------------------------

/// chromedriver on a free loopback port, and a session with the given window
/// size. The returned child is killed when dropped.
pub async fn start_browser(vp: Viewport) -> Res<(tokio::process::Child, Client)> {
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
    // Keep the console's warnings and errors for `console_problems`.
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "WARNING" }));
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| format!("new session via {driver_bin} (browser {chrome_bin}): {e}"))?;
    Ok((driver, client))
}

/// chromedriver's log endpoint for the browser's console (WebDriver has no
/// standard command for it, so fantoccini has no method).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// The warnings and errors the page wrote to the browser's console since the
/// last call (or since the session began), as `LEVEL message` lines. A page
/// a reader opens the developer tools on should show none.
pub async fn console_problems(c: &Client) -> Res<Vec<String>> {
    let log = c
        .issue_cmd(BrowserLog)
        .await
        .map_err(|e| format!("reading the browser's console: {e}"))?;
    let entries = log
        .as_array()
        .ok_or_else(|| format!("the browser's console log is not a list: {log}"))?;
    Ok(entries
        .iter()
        .map(|e| {
            let level = e.get("level").and_then(Value::as_str).unwrap_or("?");
            let message = e.get("message").and_then(Value::as_str).unwrap_or("");
            format!("{level} {message}")
        })
        .collect())
}

pub fn free_port() -> Res<u16> {
    // Bind to port 0, read what the OS picked, release it for chromedriver.
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

pub fn with_query(base: &str, query: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{query}")
}

pub fn css(testid: &str) -> String {
    format!("[data-testid={testid}]")
}

pub async fn wait_for_testid(c: &Client, testid: &str) -> Res<()> {
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

pub async fn click(c: &Client, testid: &str) -> Res<()> {
    println!("    click {testid}");
    // A live row (a key whose TTL ticks in the keyspace view) is rebuilt
    // while the page runs: an element found before the 150 ms settle can
    // be gone by the click. Find it again then, as a reader's eye would.
    let mut attempt = 1;
    loop {
        match click_once(c, testid).await {
            Err(e) if attempt < 3 && e.contains("stale element") => {
                println!("    (the element was rebuilt before the click; finding it again)");
                attempt += 1;
            }
            done => return done,
        }
    }
}

async fn click_once(c: &Client, testid: &str) -> Res<()> {
    let el = c
        .find(Locator::Css(&css(testid)))
        .await
        .map_err(|e| format!("expected a button [data-testid={testid}] to click: {e}"))?;
    // Centre it first, as a reader scrolls to what they want: WebDriver's
    // own scrolling puts it at an edge, where the sticky time bar lies.
    let arg = serde_json::to_value(&el).map_err(|e| format!("element as JSON: {e}"))?;
    // (window.scrollBy, not el.scrollIntoView: on the emulated phone the
    // latter also moves the visual viewport, and the tap then lands off.)
    c.execute(
        "const r = arguments[0].getBoundingClientRect(); window.scrollBy(0, r.top + r.height / 2 - window.innerHeight / 2);",
        vec![arg],
    )
        .await
        .map_err(|e| format!("scrolling to [data-testid={testid}]: {e}"))?;
    // Let the layout settle (a live widget above may have grown meanwhile).
    tokio::time::sleep(Duration::from_millis(150)).await;
    // A real WebDriver click (fails if something covers the element), not
    // a JS el.click(): the phone layout must be usable.
    el.click()
        .await
        .map_err(|e| format!("clicking [data-testid={testid}] failed: {e}"))
}

pub async fn select(c: &Client, testid: &str, value: &str) -> Res<()> {
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
pub async fn screenshot(c: &Client, file: &str) -> Res<PathBuf> {
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

pub fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp for integration tests.
    let target = option_env!("CARGO_TARGET_TMPDIR")
        .and_then(|tmp| PathBuf::from(tmp).parent().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("e2e-screenshots")
}

pub async fn page_text(c: &Client) -> String {
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
pub struct Snapshot(BTreeMap<String, Option<String>>);

impl Snapshot {
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0.get(id).and_then(|v| v.as_deref())
    }
    pub fn present(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
    pub fn is(&self, id: &str, want: &str) -> bool {
        self.get(id) == Some(want)
    }
    pub fn contains(&self, id: &str, needle: &str) -> bool {
        self.get(id).is_some_and(|t| t.contains(needle))
    }
    /// `id="text"` pairs for messages; long texts are cut.
    pub fn show(&self, ids: &[&str]) -> String {
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
    pub fn show_all(&self) -> String {
        self.show(&self.0.keys().map(String::as_str).collect::<Vec<_>>())
    }
}

pub const SNAPSHOT_JS: &str = r#"
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

pub async fn snapshot(c: &Client, ids: &[&str]) -> Res<Snapshot> {
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
pub async fn wait_until(
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

pub fn expect(s: &Snapshot, what: &str, ok: impl Fn(&Snapshot) -> bool) -> Res<()> {
    if ok(s) {
        Ok(())
    } else {
        Err(format!(
            "expected {what}; the page showed: {}",
            s.show_all()
        ))
    }
}

// ---------------------------------------------------------------------------
// Accessibility audit (axe-core)
// ---------------------------------------------------------------------------

/// axe-core's script, installed by `scripts/setup.sh` (WITH_BROWSER=1) from
/// npm at a pinned version; `AXE_JS` points elsewhere.
pub fn axe_source() -> Res<String> {
    let path = std::env::var("AXE_JS").unwrap_or_else(|_| {
        let tools = std::env::var("TOOLS_DIR").unwrap_or_else(|_| {
            format!(
                "{}/.cache/rpp-tools",
                std::env::var("HOME").unwrap_or_default()
            )
        });
        format!("{tools}/npm/node_modules/axe-core/axe.min.js")
    });
    std::fs::read_to_string(&path).map_err(|e| {
        format!("axe-core not found at {path} ({e}): run WITH_BROWSER=1 bash scripts/setup.sh")
    })
}

/// Runs axe-core's WCAG 2.0/2.1 A and AA rules on the current page (loading
/// axe into it first if needed) and returns one line per violated rule:
/// its id, impact, help text and the first few elements it names.
pub async fn axe_violations(c: &Client, axe: &str) -> Res<Vec<String>> {
    let loaded = c
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .map_err(|e| format!("checking for axe: {e}"))?;
    if loaded != Value::Bool(true) {
        c.execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .map_err(|e| format!("loading axe-core: {e}"))?;
    }
    let out = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }) \
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' -- ' + \
                  v.nodes.slice(0, 4).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 160) + ']' : '')).join(' | ')))) \
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .map_err(|e| format!("running axe: {e}"))?;
    Ok(out
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default())
}
