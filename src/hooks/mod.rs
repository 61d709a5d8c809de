//! Hooks that own browser resources (frames, timers, observers) and release
//! them when the component that called them is cleaned up.

mod effect;
mod use_frame_loop;
mod use_visibility;

pub use effect::effect;
pub use use_frame_loop::{use_frame_loop, FrameLoop};
pub use use_visibility::{live_watches_owned_by, use_pause_when_hidden};
