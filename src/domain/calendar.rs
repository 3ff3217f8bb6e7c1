//! Working days as Dutch law counts them (Algemene termijnenwet, art. 3): every day except
//! Saturdays, Sundays and the general public holidays: Nieuwjaarsdag, tweede Paasdag, Koningsdag,
//! Bevrijdingsdag (5 May), Hemelvaartsdag, tweede Pinksterdag and both Christmas days. Terms in
//! working days, such as Veilig Thuis's five after a report, are counted with these.

use time::{Date, Duration, Month, Weekday};

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm, also
/// known as Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = if month == 3 {
        Month::March
    } else {
        Month::April
    };
    Date::from_calendar_date(year, month, day as u8).expect("Easter falls in March or April")
}

/// Koningsdag: 27 April, or 26 April when the 27th is a Sunday.
pub fn koningsdag(year: i32) -> Date {
    let the_27th = Date::from_calendar_date(year, Month::April, 27).expect("27 April exists");
    if the_27th.weekday() == Weekday::Sunday {
        the_27th - Duration::days(1)
    } else {
        the_27th
    }
}

/// Whether `date` is one of the general public holidays of the Algemene termijnenwet.
pub fn is_public_holiday(date: Date) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let fixed = matches!(
        (month, day),
        (Month::January, 1) | (Month::May, 5) | (Month::December, 25 | 26)
    );
    let easter = easter_sunday(year);
    let moving = [
        easter + Duration::days(1),  // tweede Paasdag
        easter + Duration::days(39), // Hemelvaartsdag
        easter + Duration::days(50), // tweede Pinksterdag
        koningsdag(year),
    ];
    fixed || moving.contains(&date)
}

/// Whether `date` is a working day: not a Saturday, a Sunday or a public holiday.
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(date)
}

/// The day `days` working days after `from`.
pub fn add_working_days(from: Date, days: u32) -> Date {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date += Duration::days(1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter_follows_the_gregorian_rule() {
        assert_eq!(easter_sunday(2024), date!(2024 - 03 - 31));
        assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
        assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
        assert_eq!(easter_sunday(2027), date!(2027 - 03 - 28));
        assert_eq!(easter_sunday(2038), date!(2038 - 04 - 25));
        assert_eq!(easter_sunday(2285), date!(2285 - 03 - 22));
    }

    #[test]
    fn koningsdag_moves_to_26_april_when_27_april_is_a_sunday() {
        assert_eq!(koningsdag(2025), date!(2025 - 04 - 26));
        assert_eq!(koningsdag(2026), date!(2026 - 04 - 27));
    }

    #[test]
    fn the_public_holidays_of_the_algemene_termijnenwet_are_no_working_days() {
        for holiday in [
            date!(2027 - 01 - 01), // Nieuwjaarsdag (a Friday)
            date!(2027 - 03 - 29), // tweede Paasdag
            date!(2027 - 04 - 27), // Koningsdag (a Tuesday)
            date!(2027 - 05 - 05), // Bevrijdingsdag (a Wednesday)
            date!(2027 - 05 - 06), // Hemelvaartsdag
            date!(2027 - 05 - 17), // tweede Pinksterdag
            date!(2026 - 12 - 25), // eerste Kerstdag
        ] {
            assert!(!is_working_day(holiday), "{holiday} is a public holiday");
        }
        assert!(!is_working_day(date!(2027 - 12 - 26)), "tweede Kerstdag");
        assert!(is_working_day(date!(2027 - 12 - 27)), "an ordinary Monday");
        // Goede Vrijdag is no general public holiday under the Algemene termijnenwet.
        assert!(is_working_day(date!(2027 - 03 - 26)));
    }

    #[test]
    fn a_report_on_24_december_2026_is_due_back_on_4_january_2027() {
        assert_eq!(
            add_working_days(date!(2026 - 12 - 24), 5),
            date!(2027 - 01 - 04)
        );
    }

    #[test]
    fn five_working_days_skip_the_weekend() {
        assert_eq!(
            add_working_days(date!(2026 - 11 - 26), 5),
            date!(2026 - 12 - 03)
        );
    }
}
