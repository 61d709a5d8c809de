//! A panic in wasm stops the app. Rather than leave the reader a frozen or
//! blank page, the hook logs the panic to the console (with its message and
//! location) and puts a visible, plain-text alert at the top of the page.

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), Ok(banner)) = (doc.body(), doc.create_element("div")) else {
        return;
    };
    banner.set_class_name("pg-crash");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "crash-banner");
    // Text only: the message may contain anything a user typed.
    banner.set_text_content(Some(&format!(
        "The playground hit an internal error and stopped. Reload the page to start again. Details: {message}"
    )));
    if let Some(el) = banner.dyn_ref::<web_sys::HtmlElement>() {
        let _ = body.insert_before(el, body.first_child().as_ref());
    }
}
