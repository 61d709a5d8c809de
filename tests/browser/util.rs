//! Helpers shared by the component tests: a host element, real waiting,
//! reading text and clicking by `data-testid`.

use wasm_bindgen::JsCast;

pub fn host() -> web_sys::HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let host = doc.create_element("div").expect("a div");
    doc.body()
        .expect("a body")
        .append_child(&host)
        .expect("appended");
    // Every host lies over the viewport: tests run concurrently on one page,
    // and a widget pushed below the fold by other tests' hosts would pause
    // (widgets stop their clock while off-screen).
    let _ = host.set_attribute(
        "style",
        "position:fixed;top:0;left:0;right:0;height:100vh;overflow:hidden",
    );
    host.unchecked_into()
}

pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(p)
        .await
        .expect("timer");
}

pub fn text(host: &web_sys::HtmlElement, testid: &str) -> Option<String> {
    let el = host
        .query_selector(&format!("[data-testid={testid}]"))
        .ok()
        .flatten()?;
    Some(
        el.text_content()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

pub fn click(host: &web_sys::HtmlElement, testid: &str) {
    let el: web_sys::HtmlElement = host
        .query_selector(&format!("[data-testid={testid}]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no [data-testid={testid}]"))
        .unchecked_into();
    el.click();
}

/// Polls (up to 5 s of real time) until `ok` holds; panics with what the
/// widget showed otherwise.
pub async fn wait_for(
    host: &web_sys::HtmlElement,
    what: &str,
    ok: impl Fn(&web_sys::HtmlElement) -> bool,
) {
    for _ in 0..250 {
        leptos::task::tick().await;
        if ok(host) {
            return;
        }
        sleep(20).await;
    }
    let show: Vec<String> = [
        "ca-status",
        "ca-cache-badge",
        "ca-stat-requests",
        "clock-now",
        "ca-inflight",
    ]
    .iter()
    .map(|id| format!("{id}={:?}", text(host, id)))
    .collect();
    panic!(
        "timed out waiting for {what}; widget shows {}",
        show.join(" ")
    );
}

pub fn shows(host: &web_sys::HtmlElement, testid: &str, want: &str) -> bool {
    text(host, testid).as_deref() == Some(want)
}

fn element(host: &web_sys::HtmlElement, testid: &str) -> web_sys::HtmlElement {
    host.query_selector(&format!("[data-testid={testid}]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no [data-testid={testid}]"))
        .unchecked_into()
}

/// Types `value` into an input, textarea or select, firing `input` and `change`.
pub fn set_value(host: &web_sys::HtmlElement, testid: &str, value: &str) {
    let el = element(host, testid);
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    }
    for kind in ["input", "change"] {
        let ev = web_sys::Event::new_with_event_init_dict(kind, &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        })
        .expect("event");
        el.dispatch_event(&ev).expect("dispatched");
    }
}

/// Presses `key` (e.g. "Enter", "ArrowUp", "Tab") on the element.
pub fn press(host: &web_sys::HtmlElement, testid: &str, key: &str) {
    press_on(&element(host, testid), key);
}

/// Presses `key` on `el` (a keydown that bubbles and can be cancelled).
pub fn press_on(el: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("keyboard event");
    el.dispatch_event(&ev).expect("dispatched");
}

/// How many elements match `selector` inside `host`.
pub fn count(host: &web_sys::HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector).map_or(0, |l| l.length())
}

/// The number an element shows (thousands separators ignored), if any.
pub fn num(host: &web_sys::HtmlElement, testid: &str) -> Option<u64> {
    text(host, testid).and_then(|t| t.replace(',', "").trim().parse().ok())
}

/// An attribute of the first element matching `selector` inside `host`.
pub fn attr(host: &web_sys::HtmlElement, selector: &str, name: &str) -> Option<String> {
    host.query_selector(selector)
        .ok()
        .flatten()?
        .get_attribute(name)
}

/// A host laid over the top of the page rather than appended below it: a
/// tall widget would push later tests' hosts off-screen, where their
/// simulations pause (as they should on a real page).
pub fn overlay_host() -> web_sys::HtmlElement {
    // `host` itself lies over the viewport now.
    host()
}

/// The current value of an input, select or textarea (empty if there is none).
pub fn value(host: &web_sys::HtmlElement, testid: &str) -> String {
    let Some(el) = host
        .query_selector(&format!("[data-testid={testid}]"))
        .ok()
        .flatten()
    else {
        return String::new();
    };
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

/// Types `line` into the console and presses Enter.
pub fn console_run(host: &web_sys::HtmlElement, line: &str) {
    set_value(host, "console-input", line);
    press(host, "console-input", "Enter");
}

/// Texts of every element matching `selector` inside `host`.
pub fn texts(host: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let Ok(list) = host.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

/// A host pinned over the viewport (`position: fixed`), so an embed's
/// pause-when-off-screen never stops its clock however many hosts the
/// concurrent tests have stacked on the page. Clicks here are programmatic,
/// so the overlap does not matter.
pub fn pinned_host() -> web_sys::HtmlElement {
    // `host` itself lies over the viewport now.
    host()
}
