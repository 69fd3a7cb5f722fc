//! How times and durations are written, in one place: every screen, report, export and command
//! output formats a time through one of these, so a change of convention is made here once.
//!
//! - Machine formats (JSON, audit lines, file names) are RFC 3339 in UTC.
//! - Human formats (detail views, timelines, `-o table|csv`, the dashboard's exports) are absolute
//!   times in the display zone with its offset, e.g. `2026-12-03 15:03:07 +01:00`.
//! - Lists show relative ages (`12s ago`, `3m ago`, `2h ago`, `5d ago`), computed when drawn from
//!   the stored instant and the current time, so they never freeze.
//!
//! The display zone is the local zone (chrono's `Local`, which honours `TZ` and otherwise reads
//! `/etc/localtime`) or UTC when the config says `ui.utc = true`. The binary sets it once at start
//! ([`set_display_zone`]); until then (tests, benchmarks) it is UTC, so output is deterministic.
//! Every formatter has an `_in` form taking the zone, for tests and callers that know better.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, Local, Offset, SecondsFormat, TimeZone, Utc};

/// Where human-readable times are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's zone: `TZ` when set, else the system's (DST applied per instant).
    Local,
    Utc,
    /// A fixed offset: tests, and zones a caller resolved itself.
    Fixed(FixedOffset),
}

impl Zone {
    /// The offset from UTC in this zone at `t` (a zone with summer time has two).
    pub fn offset_at(self, t: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Local => Local.offset_from_utc_datetime(&t.naive_utc()).fix(),
            Zone::Utc => Utc.fix(),
            Zone::Fixed(offset) => offset,
        }
    }

    /// `t` as a wall-clock time in this zone.
    pub fn at(self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset_at(t))
    }
}

static DISPLAY_ZONE: OnceLock<Zone> = OnceLock::new();

/// Set the zone human formats use, once, at start (a second call is ignored).
pub fn set_display_zone(zone: Zone) {
    let _ = DISPLAY_ZONE.set(zone);
}

/// The zone human formats use: as set at start, else UTC.
pub fn display_zone() -> Zone {
    DISPLAY_ZONE.get().copied().unwrap_or(Zone::Utc)
}

/// A time of day in the display zone, e.g. `15:03:07`: when a list was fetched.
pub fn clock(t: DateTime<Utc>) -> String {
    clock_in(t, display_zone())
}

pub fn clock_in(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%H:%M:%S").to_string()
}

/// A time of day with milliseconds in the display zone, e.g. `15:03:07.125`: a timeline's rows,
/// under a summary that gives the date and the offset.
pub fn clock_ms(t: DateTime<Utc>) -> String {
    clock_ms_in(t, display_zone())
}

pub fn clock_ms_in(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%H:%M:%S%.3f").to_string()
}

/// A date and second in the display zone with its offset, e.g. `2026-12-03 15:03:07 +01:00`:
/// detail views, summaries, `-o table|csv` and exports.
pub fn stamp(t: DateTime<Utc>) -> String {
    stamp_in(t, display_zone())
}

pub fn stamp_in(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%Y-%m-%d %H:%M:%S %:z").to_string()
}

/// [`stamp`] with milliseconds, e.g. `2026-12-03 15:03:07.125 +01:00`: events and timelines in
/// `-o table|csv`.
pub fn stamp_ms(t: DateTime<Utc>) -> String {
    stamp_ms_in(t, display_zone())
}

pub fn stamp_ms_in(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%Y-%m-%d %H:%M:%S%.3f %:z").to_string()
}

/// How long ago `t` was at `now`, in the largest whole unit: `just now` (under a second),
/// `12s ago`, `3m ago`, `2h ago`, `5d ago`. A time ahead of `now` (clocks that disagree) reads
/// `in 3m`. For list cells, computed when drawn.
pub fn age(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (ahead, secs) = (secs < 0, secs.unsigned_abs());
    let amount = match secs {
        0 => return "just now".to_owned(),
        1..60 => format!("{secs}s"),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        _ => format!("{}d", secs / 86_400),
    };
    if ahead {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// RFC 3339 in UTC to the second, e.g. `2026-12-03T14:03:07Z`: JSON output.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 in UTC to the millisecond, e.g. `2026-12-03T14:03:07.125Z`: audit lines, events.
pub fn rfc3339_ms(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Serde's `serialize_with` for an optional time as [`rfc3339`] (or null): JSON fields to the
/// second, whatever the display zone.
pub fn serialize_rfc3339<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

/// A compact UTC stamp for file and execution names, e.g. `20261203T140307`.
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

/// `--since`: an age (`90s`, `30m`, `1h`, `2d`) or a moment (RFC 3339, seconds optional:
/// `2026-12-01T00:00Z`, `2026-12-01T00:00:00+01:00`; or a day, `2026-12-01`, midnight UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Ago(chrono::Duration),
    At(DateTime<Utc>),
}

impl Since {
    pub fn parse(text: &str) -> Result<Since, String> {
        let t = text.trim();
        let refuse = || {
            format!(
                "`{t}` is neither an age (90s, 30m, 1h, 2d) nor a time (2026-12-01T00:00Z, \
                 2026-12-01T00:00:00+01:00, 2026-12-01)"
            )
        };
        if let Some(unit) = t.chars().last().filter(|c| "smhd".contains(*c)) {
            let n: i64 = t[..t.len() - 1].parse().map_err(|_| refuse())?;
            let secs = match unit {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => 86_400,
            };
            return n
                .checked_mul(secs)
                .filter(|s| *s > 0 && *s <= 366 * 86_400)
                .map(|s| Since::Ago(chrono::Duration::seconds(s)))
                .ok_or_else(refuse);
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(t) {
            return Ok(Since::At(at.with_timezone(&Utc)));
        }
        let upper = t.to_ascii_uppercase();
        let (local, zone) = match upper.strip_suffix('Z') {
            Some(rest) => (rest.to_owned(), "+00:00".to_owned()),
            None if upper.len() > 6
                && upper[upper.len() - 6..].starts_with(['+', '-'])
                && upper.as_bytes()[upper.len() - 3] == b':' =>
            {
                (
                    upper[..upper.len() - 6].to_owned(),
                    upper[upper.len() - 6..].to_owned(),
                )
            }
            None => (upper.clone(), "+00:00".to_owned()),
        };
        for with in [
            format!("{local}:00{zone}"),
            format!("{local}T00:00:00{zone}"),
        ] {
            if let Ok(at) = DateTime::parse_from_rfc3339(&with) {
                return Ok(Since::At(at.with_timezone(&Utc)));
            }
        }
        Err(refuse())
    }

    /// The moment it names, `now` being now.
    pub fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Since::Ago(d) => now - d,
            Since::At(t) => t,
        }
    }
}

#[cfg(test)]
mod since_tests {
    use super::*;

    #[test]
    fn since_reads_ages_and_times() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let at = |t: &str| Since::parse(t).unwrap().resolve(now).to_rfc3339();
        assert_eq!(at("1h"), "2026-12-03T11:00:00+00:00");
        assert_eq!(at("30m"), "2026-12-03T11:30:00+00:00");
        assert_eq!(at("2d"), "2026-12-01T12:00:00+00:00");
        assert_eq!(at("2026-12-01T00:00Z"), "2026-12-01T00:00:00+00:00");
        assert_eq!(at("2026-12-01T00:00:30Z"), "2026-12-01T00:00:30+00:00");
        assert_eq!(at("2026-12-01T01:00+01:00"), "2026-12-01T00:00:00+00:00");
        assert_eq!(at("2026-12-01"), "2026-12-01T00:00:00+00:00");
        for bad in ["", "h", "-1h", "0m", "1w", "yesterday", "2026-13-01"] {
            let e = Since::parse(bad).unwrap_err();
            assert!(e.contains("neither an age"), "{bad}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 14, 3, 7).unwrap() + Duration::milliseconds(125)
    }

    fn east(hours: i32, minutes: i32) -> Zone {
        Zone::Fixed(FixedOffset::east_opt(hours * 3600 + minutes * 60).unwrap())
    }

    #[test]
    fn each_format_says_what_its_name_says() {
        let t = t();
        assert_eq!(clock_in(t, Zone::Utc), "14:03:07");
        assert_eq!(clock_ms_in(t, Zone::Utc), "14:03:07.125");
        assert_eq!(stamp_in(t, Zone::Utc), "2026-12-03 14:03:07 +00:00");
        assert_eq!(stamp_ms_in(t, Zone::Utc), "2026-12-03 14:03:07.125 +00:00");
        assert_eq!(rfc3339(t), "2026-12-03T14:03:07Z");
        assert_eq!(rfc3339_ms(t), "2026-12-03T14:03:07.125Z");
        assert_eq!(file_stamp(t), "20261203T140307");
    }

    #[test]
    fn human_formats_are_in_the_zone_with_its_offset_and_machine_formats_stay_utc() {
        let t = t();
        assert_eq!(stamp_in(t, east(1, 0)), "2026-12-03 15:03:07 +01:00");
        assert_eq!(stamp_in(t, east(5, 30)), "2026-12-03 19:33:07 +05:30");
        // The date moves with the zone.
        assert_eq!(stamp_in(t, east(-15, 0)), "2026-12-02 23:03:07 -15:00");
        assert_eq!(clock_in(t, east(-5, 0)), "09:03:07");
        assert_eq!(clock_ms_in(t, east(1, 0)), "15:03:07.125");
        assert_eq!(stamp_ms_in(t, east(1, 0)), "2026-12-03 15:03:07.125 +01:00");
        assert_eq!(rfc3339(t), "2026-12-03T14:03:07Z");
    }

    #[test]
    fn without_a_zone_set_at_start_human_formats_are_utc() {
        // Tests never call set_display_zone, so this is the unset default.
        assert_eq!(display_zone(), Zone::Utc);
        assert_eq!(stamp(t()), "2026-12-03 14:03:07 +00:00");
    }

    #[test]
    fn the_local_zone_follows_its_offset_at_each_instant() {
        // Whatever TZ the test runs under, Local agrees with chrono's own conversion.
        let t = t();
        let expected = t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %:z");
        assert_eq!(stamp_in(t, Zone::Local), expected.to_string());
    }

    #[test]
    fn ages_use_the_largest_whole_unit() {
        let now = t();
        let ago = |secs: i64| age(now - Duration::seconds(secs), now);
        assert_eq!(ago(0), "just now");
        assert_eq!(age(now - Duration::milliseconds(900), now), "just now");
        assert_eq!(ago(12), "12s ago");
        assert_eq!(ago(59), "59s ago");
        assert_eq!(ago(60), "1m ago");
        assert_eq!(ago(3 * 60 + 59), "3m ago");
        assert_eq!(ago(2 * 3600 + 1), "2h ago");
        assert_eq!(ago(5 * 86_400 + 7), "5d ago");
        assert_eq!(ago(400 * 86_400), "400d ago");
        assert_eq!(ago(-180), "in 3m");
    }

    #[test]
    fn an_age_moves_on_with_now() {
        let started = t();
        assert_eq!(age(started, started + Duration::seconds(30)), "30s ago");
        assert_eq!(age(started, started + Duration::minutes(3)), "3m ago");
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
