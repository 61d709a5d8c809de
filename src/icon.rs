//! The time bar's icons. On a phone the bar's buttons show these instead of
//! their words, so the whole bar fits one row; the words stay in the
//! button (visually hidden) for screen readers and for wider screens.

use leptos::prelude::*;

/// 24×24 outlines, filled with the text colour.
pub const PLAY: &str = "M8 5v14l11-7z";
pub const PAUSE: &str = "M6 5h4v14H6zM14 5h4v14h-4z";
pub const STEP: &str = "M6 5v14l9-7zM16 5h2.5v14H16z";
pub const RESET: &str = "M12 4V1L7 5.5 12 10V6.5a5.5 5.5 0 1 1-5.5 5.5H4a8 8 0 1 0 8-8z";
pub const SETTINGS: &str = "M3 6h9.2a3 3 0 0 1 5.6 0H21v2h-3.2a3 3 0 0 1-5.6 0H3zM3 16h3.2a3 3 0 0 1 5.6 0H21v2h-9.2a3 3 0 0 1-5.6 0H3z";

/// An icon whose outline may change (Play ↔ Pause); hidden from assistive
/// technology, which reads the button's words.
pub fn icon(d: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    view! {
        <svg class="pg-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=d />
        </svg>
    }
}
