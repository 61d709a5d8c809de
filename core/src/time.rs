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

/// The wall-clock instant the virtual clock's 0 stands for, in Unix
/// seconds (2026-11-23T09:00:00Z): timestamps the API writes are readable.
pub const EPOCH_UNIX_SECONDS: i64 = 1_795_424_400;

/// ISO-8601 UTC (`2026-11-23T09:00:00Z`) of virtual time `ms`.
pub fn iso8601(ms: Millis) -> String {
    let secs = EPOCH_UNIX_SECONDS + (ms / 1000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0), "2026-11-23T09:00:00Z");
        assert_eq!(iso8601(15 * 3_600_000 + 1_999), "2026-11-24T00:00:01Z");
        assert_eq!(iso8601(40 * 86_400_000), "2027-01-02T09:00:00Z");
    }

    #[test]
    fn clock_format() {
        assert_eq!(format_clock(0), "00:00.000");
        assert_eq!(format_clock(61_234), "01:01.234");
        assert_eq!(format_clock(3_600_000 + 5), "1:00:00.005");
    }
}
