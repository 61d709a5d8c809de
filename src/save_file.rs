//! Text the reader saves as a file (the MONITOR log): a blob URL for a link
//! with a `download` attribute. A link, not a script-made click, so the
//! browser treats it as the reader's own download and a keyboard reaches it.

use wasm_bindgen::JsValue;

/// A `blob:` URL holding `text` as UTF-8 plain text, or why none could be
/// made. The caller revokes it ([`revoke`]) once a newer one replaces it.
pub fn text_url(text: &str) -> Result<String, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob))
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// Frees the text behind a URL from [`text_url`].
pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
