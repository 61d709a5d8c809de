//! Hooks that own browser resources (frames, timers) and release them when
//! the component that called them is cleaned up.

mod use_frame_loop;

pub use use_frame_loop::{use_frame_loop, FrameLoop};
