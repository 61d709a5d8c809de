//! The guided tour: chapters that each open a widget, set the simulation up,
//! explain what to watch, and end with a question answered by clicking.
//! Next/Back move between chapters; Replay sets the chapter up again.

pub mod model;

use leptos::prelude::*;

use crate::route;
use crate::sim::Sim;
use model::CHAPTERS;

#[component]
pub fn Tour(sim: Sim, open: RwSignal<&'static str>) -> impl IntoView {
    // None: the tour is closed.
    let at = RwSignal::new(None::<usize>);
    let picked = RwSignal::new(None::<usize>);
    let problems = RwSignal::new(Vec::<String>::new());
    let go = move |i: usize| {
        let Some(c) = model::chapter(i) else { return };
        picked.set(None);
        at.set(Some(i));
        open.set(c.widget);
        route::replace_param("open", c.widget);
        route::replace_param("tour", c.id);
        problems.set(sim.update(|s| model::set_up(s, c)).unwrap_or_default());
    };
    let chapter = move || at.get().and_then(model::chapter);
    view! {
        <section class="pg-tour" data-testid="tour" aria-label="Guided tour">
            <Show
                when=move || at.get().is_some()
                fallback=move || view! {
                    <button class="pg-btn pg-btn--primary" data-testid="tour-start" on:click=move |_| go(0)>
                        {format!("Take the guided tour ({} chapters)", CHAPTERS.len())}
                    </button>
                }
            >
                {move || chapter().map(|c| {
                    let i = at.get_untracked().unwrap_or(0);
                    view! {
                        <div class="pg-tour__card" data-testid="tour-chapter" data-chapter=c.id>
                            <p class="pg-tour__progress">{format!("Chapter {} of {}", i + 1, CHAPTERS.len())}</p>
                            <h2 class="pg-tour__title" data-testid="tour-title">{c.title}</h2>
                            <p>{c.text}</p>
                            {move || (!problems.get().is_empty()).then(|| view! {
                                <p class="pg-bad" role="alert">{problems.get().join(" ")}</p>
                            })}
                            <fieldset class="pg-tour__quiz">
                                <legend>{c.question}</legend>
                                {c.choices.iter().enumerate().map(|(n, text)| {
                                    let class = move || match picked.get() {
                                        Some(p) if p == n && n == c.answer => "pg-btn pg-tour__choice pg-tour__choice--right",
                                        Some(p) if p == n => "pg-btn pg-tour__choice pg-tour__choice--wrong",
                                        _ => "pg-btn pg-tour__choice",
                                    };
                                    view! {
                                        <button
                                            class=class
                                            data-testid=format!("tour-choice-{n}")
                                            aria-pressed=move || (picked.get() == Some(n)).to_string()
                                            on:click=move |_| picked.set(Some(n))
                                        >
                                            {*text}
                                        </button>
                                    }
                                }).collect_view()}
                                <p class="pg-tour__feedback" role="status" aria-live="polite" data-testid="tour-feedback">
                                    {move || picked.get().map(|p| {
                                        if p == c.answer {
                                            format!("Right. {}", c.explain)
                                        } else {
                                            "Not quite: try the widget, then pick again.".to_string()
                                        }
                                    })}
                                </p>
                            </fieldset>
                            <div class="pg-tour__nav">
                                <button class="pg-btn" data-testid="tour-back" disabled=i == 0 on:click=move |_| go(i.saturating_sub(1))>"Back"</button>
                                <button class="pg-btn" data-testid="tour-replay" title="Set this chapter up again from a fresh store" on:click=move |_| go(i)>"Replay"</button>
                                {if i + 1 < CHAPTERS.len() {
                                    view! { <button class="pg-btn pg-btn--primary" data-testid="tour-next" on:click=move |_| go(i + 1)>"Next"</button> }.into_any()
                                } else {
                                    view! { <button class="pg-btn pg-btn--primary" data-testid="tour-next" on:click=move |_| at.set(None)>"Finish"</button> }.into_any()
                                }}
                                <button class="pg-btn" data-testid="tour-close" on:click=move |_| at.set(None)>"Close tour"</button>
                            </div>
                        </div>
                    }
                })}
            </Show>
        </section>
    }
}
