//! The virtual clock's face and its two buttons: pause/resume and step.
//! It owns nothing: the widget that owns the clock passes what to show and
//! what to do.

use leptos::prelude::*;
use playground_core::time::{format_clock, Millis};

#[component]
pub fn ClockControls(
    now: ReadSignal<Millis>,
    running: ReadSignal<bool>,
    on_toggle: Callback<()>,
    on_step: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="pg-clock" role="group" aria-label="Virtual clock">
            <span class="pg-clock__face" title="Virtual time since the widget started (minutes:seconds.ms)">
                <time data-testid="clock-now">{move || format_clock(now.get())}</time>
                <span class="pg-clock__state">{move || if running.get() { " 1×" } else { " paused" }}</span>
            </span>
            <button
                class="pg-btn"
                data-testid="clock-toggle"
                aria-pressed=move || (!running.get()).to_string()
                on:click=move |_| on_toggle.run(())
            >
                {move || if running.get() { "Pause" } else { "Resume" }}
            </button>
            <button
                class="pg-btn"
                data-testid="clock-step"
                disabled=move || running.get()
                title="Jump to the next event, or 1 s if nothing is scheduled"
                on:click=move |_| on_step.run(())
            >
                "Step"
            </button>
        </div>
    }
}
