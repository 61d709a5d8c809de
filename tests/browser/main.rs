//! Component tests in headless Chromium (wasm-bindgen-test), one binary:
//! each widget's tests are a module here, sharing `util`. Widgets run on
//! their real frame loop, so waiting here is real waiting.
#![cfg(target_arch = "wasm32")]

mod cache_aside;
mod console;
mod expiry;
mod imports;
mod keyspace;
mod load;
mod monitor;
mod rate_limit;
mod service_cache;
mod shell;
mod stampede;
mod trace;
mod util;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
