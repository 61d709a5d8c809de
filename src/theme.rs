//! Light and dark: the system's choice by default (CSS
//! `prefers-color-scheme`), or the reader's, set as `data-theme` on `<html>`
//! and kept in the URL so a shared link looks the same.

use leptos::prelude::*;

use crate::route;

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Sets the theme; `None` follows the system.
pub fn apply(theme: Option<&str>) {
    let Some(el) = root() else { return };
    let _ = match theme {
        Some(t) => el.set_attribute("data-theme", t),
        None => el.remove_attribute("data-theme"),
    };
}

/// The theme in effect: the reader's choice, else the system's.
pub fn current() -> &'static str {
    let chosen = root().and_then(|el| el.get_attribute("data-theme"));
    match chosen.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if dark {
                "dark"
            } else {
                "light"
            }
        }
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(current());
    let flip = move |_| {
        let next = if theme.get_untracked() == "dark" {
            "light"
        } else {
            "dark"
        };
        apply(Some(next));
        route::replace_param("theme", next);
        theme.set(next);
    };
    view! {
        <button
            class="pg-btn pg-theme"
            data-testid="theme-toggle"
            aria-pressed=move || (theme.get() == "dark").to_string()
            on:click=flip
        >
            // A toggle button keeps one label; aria-pressed says its state.
            "Dark theme"
        </button>
    }
}
