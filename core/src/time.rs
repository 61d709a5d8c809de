//! Virtual time. The core never reads a real clock (`Instant::now` panics on
//! wasm32, and a real clock would make runs irreproducible); the shell or the
//! test decides how fast these milliseconds pass.

/// Milliseconds on the virtual clock since the simulation started.
pub type Millis = u64;

/// `mm:ss.mmm`, or `h:mm:ss.mmm` past an hour, for logs and timelines.
pub fn format_clock(ms: Millis) -> String {
    let millis = ms % 1000;
    let secs = (ms / 1000) % 60;
    let mins = (ms / 60_000) % 60;
    let hours = ms / 3_600_000;
    if hours > 0 {
        format!("{hours}:{mins:02}:{secs:02}.{millis:03}")
    } else {
        format!("{mins:02}:{secs:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_format() {
        assert_eq!(format_clock(0), "00:00.000");
        assert_eq!(format_clock(61_234), "01:01.234");
        assert_eq!(format_clock(3_600_000 + 5), "1:00:00.005");
    }
}
