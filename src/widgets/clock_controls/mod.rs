//! The time bar: the virtual clock's face, play/pause, speed, step and reset.
//! It drives the `Sim` it is given; widgets never own a clock of their own,
//! so on the playground page one bar moves every widget together.

use leptos::prelude::*;
use playground_core::time::format_clock;

use crate::icon::{icon, PAUSE, PLAY, RESET, STEP};
use crate::sim::{Sim, SPEEDS};

#[component]
pub fn ClockControls(sim: Sim) -> impl IntoView {
    let on_speed = move |ev| {
        if let Ok(x) = event_target_value(&ev).parse::<f64>() {
            if SPEEDS.contains(&x) {
                sim.speed.set(x);
            }
        }
    };
    let state = move || {
        if !sim.running.get() {
            "paused".to_string()
        } else if sim.suspended.get() {
            "waiting (not visible)".to_string()
        } else {
            format!("{}×", sim.speed.get())
        }
    };
    view! {
        <div class="pg-clock" role="group" aria-label="Virtual clock">
            <span class="pg-clock__face" title="Virtual time since the simulation started (minutes:seconds.ms)">
                <time data-testid="clock-now">{move || format_clock(sim.now.get())}</time>
                " "<span class="pg-clock__state" data-testid="clock-state">{state}</span>
            </span>
            <button
                class="pg-btn"
                data-testid="clock-toggle"
                aria-pressed=move || (!sim.running.get()).to_string()
                on:click=move |_| sim.toggle()
            >
                {icon(move || if sim.running.get() { PAUSE } else { PLAY })}
                <span class="pg-btn__label">{move || if sim.running.get() { "Pause" } else { "Play" }}</span>
            </button>
            <button
                class="pg-btn"
                data-testid="clock-step"
                disabled=move || sim.running.get()
                title="Jump to the next event, or 1 s on if nothing is scheduled"
                on:click=move |_| sim.step()
            >
                {icon(|| STEP)}
                <span class="pg-btn__label">"Step"</span>
            </button>
            <label class="pg-clock__speed">
                <span>"Speed"</span>
                <select data-testid="clock-speed" on:change=on_speed prop:value=move || sim.speed.get().to_string()>
                    {SPEEDS
                        .iter()
                        .map(|x| view! { <option value=x.to_string()>{format!("{x}×")}</option> })
                        .collect_view()}
                </select>
            </label>
            <button
                class="pg-btn"
                data-testid="clock-reset"
                title="Start again from 0 with the same seed: the same clicks replay the same run"
                on:click=move |_| sim.reset()
            >
                {icon(|| RESET)}
                <span class="pg-btn__label">"Reset"</span>
            </button>
        </div>
    }
}
