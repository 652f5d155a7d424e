//! Today's date as `YYYY-MM-DD` (UTC), for the `updated` field of task states, without a
//! date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date in UTC, e.g. `2026-11-28`.
pub fn today() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    date_from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::date_from_days;

    #[test]
    fn known_dates() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(11_016), "2000-02-29");
        assert_eq!(date_from_days(20_785), "2026-11-28");
    }
}
