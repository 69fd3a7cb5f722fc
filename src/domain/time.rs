//! How times and durations are written, in one place: every screen, report, export and command
//! output formats a time through one of these, so a change of convention (the time zone, relative
//! ages) is made here once. Machine formats (JSON, audit lines) are RFC 3339 in UTC.

use chrono::{DateTime, SecondsFormat, Utc};

/// A time of day, e.g. `14:03:07`: when a list was fetched.
pub fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// A time of day with milliseconds, e.g. `14:03:07.125`: events of an execution.
pub fn clock_ms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S%.3f").to_string()
}

/// A date and minute, e.g. `2026-12-03 14:03`: list cells (created, last modified).
pub fn minute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A date and second, e.g. `2026-12-03 14:03:07`: detail views and summaries.
pub fn second(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A date and second with its zone, e.g. `2026-12-03 14:03:07 UTC`: where the zone must be said.
pub fn second_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// RFC 3339 in UTC to the second, e.g. `2026-12-03T14:03:07Z`: JSON output.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 in UTC to the millisecond, e.g. `2026-12-03T14:03:07.125Z`: audit lines, events.
pub fn rfc3339_ms(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A compact stamp for file and execution names, e.g. `20261203T140307`.
pub fn file_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// A duration that reads naturally: `850ms`, `12.4s`, `3m05s`, `2h01m`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1_000.0)
    } else if ms < 3_600_000 {
        format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1_000)
    } else {
        format!("{}h{:02}m", ms / 3_600_000, (ms % 3_600_000) / 60_000)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn each_format_says_what_its_name_says() {
        let t = Utc.with_ymd_and_hms(2026, 12, 3, 14, 3, 7).unwrap()
            + chrono::Duration::milliseconds(125);
        assert_eq!(clock(t), "14:03:07");
        assert_eq!(clock_ms(t), "14:03:07.125");
        assert_eq!(minute(t), "2026-12-03 14:03");
        assert_eq!(second(t), "2026-12-03 14:03:07");
        assert_eq!(second_utc(t), "2026-12-03 14:03:07 UTC");
        assert_eq!(rfc3339(t), "2026-12-03T14:03:07Z");
        assert_eq!(rfc3339_ms(t), "2026-12-03T14:03:07.125Z");
        assert_eq!(file_stamp(t), "20261203T140307");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(850), "850ms");
        assert_eq!(duration(12_400), "12.4s");
        assert_eq!(duration(185_000), "3m05s");
        assert_eq!(duration(7_260_000), "2h01m");
        assert_eq!(duration(-5), "0ms");
    }
}
