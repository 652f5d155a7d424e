//! Timestamps as the producers write them, made comparable: every finding's time becomes
//! `YYYY-MM-DDTHH:MM:SSZ` in UTC, so the newest is the greatest string.
//!
//! Accepted: RFC 3339 and the ISO 8601 forms the producers use (`2024-05-01T10:00:00.123Z`,
//! `2024-05-01T12:00:00+02:00`, Prowler v3's `2023-06-30 10:28:55.297615`, a bare date), and
//! Unix times as numbers (OCSF `time`: milliseconds; Prowler writes seconds, told apart by size).

/// `text` as `YYYY-MM-DDTHH:MM:SSZ`, or `None` when it is not a time whoowns reads.
pub fn normalize(text: &str) -> Option<String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let (mut hour, mut minute, mut second, mut rest) = (0, 0, 0, "");
    if text.len() > 10 {
        if !matches!(bytes[10], b'T' | b't' | b' ') || bytes.get(13) != Some(&b':') {
            return None;
        }
        hour = digits(11..13)?;
        minute = digits(14..16)?;
        if bytes.get(16) == Some(&b':') {
            second = digits(17..19)?;
            rest = &text[19..];
        } else {
            rest = text.get(16..)?;
        }
    }
    // A fraction of a second, then the zone.
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction.find(|c: char| !c.is_ascii_digit()).unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        rest = &fraction[end..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = zone[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            sign * (zone[..2].parse::<i64>().ok()? * 3600 + zone[2..].parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(format_unix(seconds))
}

/// A Unix time in seconds or milliseconds (told apart by size: milliseconds from 1973 on) as
/// `YYYY-MM-DDTHH:MM:SSZ`; `None` outside the years 1970 to 9999.
pub fn from_unix(value: f64) -> Option<String> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let seconds = if value >= 1e11 { value / 1000.0 } else { value };
    // 9999-12-31T23:59:59Z
    (seconds < 253_402_300_800.0).then(|| format_unix(seconds as i64))
}

fn format_unix(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a number of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_producers_write() {
        let n = |t: &str| normalize(t);
        assert_eq!(n("2017-03-22T13:22:13.933Z").as_deref(), Some("2017-03-22T13:22:13Z"));
        assert_eq!(n("2024-05-01T12:00:00+02:00").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(n("2024-05-01T00:30:00-01:00").as_deref(), Some("2024-05-01T01:30:00Z"));
        assert_eq!(n("2024-03-01T00:30:00+01:00").as_deref(), Some("2024-02-29T23:30:00Z"));
        assert_eq!(n("2023-06-30 10:28:55.297615").as_deref(), Some("2023-06-30T10:28:55Z"));
        assert_eq!(n("2024-05-01T10:00:00.123456+00:00").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(n("2024-05-01").as_deref(), Some("2024-05-01T00:00:00Z"));
        assert_eq!(n("2024-05-01T10:00Z").as_deref(), Some("2024-05-01T10:00:00Z"));
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-05-01X10:00:00",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00+2",
        ] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(from_unix(0.0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(from_unix(1_714_557_600.0).as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(from_unix(1_714_557_600_000.0).as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(from_unix(-1.0), None);
        assert_eq!(from_unix(f64::NAN), None);
        assert_eq!(from_unix(1e300), None);
    }

    #[test]
    fn round_trips_through_days() {
        for days in [-1, 0, 59, 60, 365, 11_016, 19_844, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
