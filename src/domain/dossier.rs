//! The dossier (casus) and the rules of the stappenplan: the five steps, the forms of violence,
//! ages, the afwegingskader's five questions and the meldnormen, lawful reasons to skip a
//! conversation, and the Veilig Thuis feedback term. All pure; see DOMAIN.md for the law behind
//! each rule.

use std::collections::BTreeSet;

use time::Date;

/// The five steps of the meldcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Stap 1: in kaart brengen van signalen.
    Signalen = 1,
    /// Stap 2: collegiale consultatie en zo nodig advies van Veilig Thuis.
    Consultatie = 2,
    /// Stap 3: gesprek met de leerling en/of de ouders.
    Gesprek = 3,
    /// Stap 4: wegen van het geweld of de kindermishandeling, met het afwegingskader.
    Wegen = 4,
    /// Stap 5: beslissen: eerst over melden, dan over hulp.
    Beslissen = 5,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Signalen,
        Step::Consultatie,
        Step::Gesprek,
        Step::Wegen,
        Step::Beslissen,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.number() == n)
    }

    pub fn title(self) -> &'static str {
        match self {
            Step::Signalen => "Signalen in kaart brengen",
            Step::Consultatie => "Collegiale consultatie",
            Step::Gesprek => "Gesprek met leerling en/of ouders",
            Step::Wegen => "Wegen",
            Step::Beslissen => "Beslissen: melden en/of hulp",
        }
    }
}

/// The forms of domestic violence and child abuse a dossier can concern; several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    Lichamelijk,
    Psychisch,
    Seksueel,
    Verwaarlozing,
    GetuigeHuiselijkGeweld,
    Eergerelateerd,
    Meisjesbesnijdenis,
    Huwelijksdwang,
    Ouderenmishandeling,
}

impl Form {
    pub const ALL: [Form; 9] = [
        Form::Lichamelijk,
        Form::Psychisch,
        Form::Seksueel,
        Form::Verwaarlozing,
        Form::GetuigeHuiselijkGeweld,
        Form::Eergerelateerd,
        Form::Meisjesbesnijdenis,
        Form::Huwelijksdwang,
        Form::Ouderenmishandeling,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Form::Lichamelijk => "lichamelijk",
            Form::Psychisch => "psychisch",
            Form::Seksueel => "seksueel",
            Form::Verwaarlozing => "verwaarlozing",
            Form::GetuigeHuiselijkGeweld => "getuige",
            Form::Eergerelateerd => "eergerelateerd",
            Form::Meisjesbesnijdenis => "meisjesbesnijdenis",
            Form::Huwelijksdwang => "huwelijksdwang",
            Form::Ouderenmishandeling => "ouderenmishandeling",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Form::Lichamelijk => "Lichamelijk geweld of mishandeling",
            Form::Psychisch => "Psychisch of emotioneel geweld",
            Form::Seksueel => "Seksueel geweld of misbruik",
            Form::Verwaarlozing => "Verwaarlozing (lichamelijk of emotioneel)",
            Form::GetuigeHuiselijkGeweld => "Getuige van huiselijk geweld",
            Form::Eergerelateerd => "Eergerelateerd geweld",
            Form::Meisjesbesnijdenis => "Vrouwelijke genitale verminking (meisjesbesnijdenis)",
            Form::Huwelijksdwang => "Huwelijksdwang",
            Form::Ouderenmishandeling => "Ouderenmishandeling",
        }
    }

    pub fn parse(code: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Whether this form puts a dossier on the honour route (`domain::honour`): honour-related
    /// violence, forced marriage and female genital mutilation, where talking with the family can
    /// raise the danger (issue 17).
    pub fn honour_route(self) -> bool {
        matches!(
            self,
            Form::Eergerelateerd | Form::Huwelijksdwang | Form::Meisjesbesnijdenis
        )
    }

    /// DOMAIN.md, step 2: suspected female genital mutilation or honour-related violence needs
    /// specific expertise in the consultation. Forced marriage too: it is a form of
    /// honour-related violence, and the police's Landelijk Expertisecentrum Eergerelateerd
    /// Geweld (LEC EGG) covers it. These are exactly the forms of the honour route.
    pub fn needs_specific_expertise(self) -> bool {
        self.honour_route()
    }
}

/// Whether a dossier follows the stappenplan or the route for a staff member as suspected
/// perpetrator (WPO art. 4a), which leaves the stappenplan and goes to directie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Stappenplan,
    Medewerker,
}

impl Route {
    pub fn code(self) -> &'static str {
        match self {
            Route::Stappenplan => "stappenplan",
            Route::Medewerker => "medewerker",
        }
    }

    pub fn parse(code: &str) -> Option<Route> {
        match code {
            "stappenplan" => Some(Route::Stappenplan),
            "medewerker" => Some(Route::Medewerker),
            _ => None,
        }
    }
}

/// Why a dossier was closed. Closing always records one of these, and who closed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// Question 1 answered "no": the suspicion proved unfounded, recorded explicitly.
    Ongegrond,
    /// Question 5 answered "yes": help achieved safety; closed with agreements on monitoring.
    HulpGeslaagd,
    /// Handed over to Veilig Thuis after a report.
    OverdrachtNaMelding,
    /// The pupil left the school.
    LeerlingVertrokken,
    /// Merged into another dossier about the same pupil (domain::merge): never chosen on the
    /// closing form, whose choices are its own list (entry::fields).
    Samengevoegd,
}

impl CloseReason {
    pub const ALL: [CloseReason; 5] = [
        CloseReason::Ongegrond,
        CloseReason::HulpGeslaagd,
        CloseReason::OverdrachtNaMelding,
        CloseReason::LeerlingVertrokken,
        CloseReason::Samengevoegd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CloseReason::Ongegrond => "ongegrond",
            CloseReason::HulpGeslaagd => "hulp_geslaagd",
            CloseReason::OverdrachtNaMelding => "overdracht_na_melding",
            CloseReason::LeerlingVertrokken => "leerling_vertrokken",
            CloseReason::Samengevoegd => "samengevoegd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CloseReason::Ongegrond => "Het vermoeden bleek ongegrond",
            CloseReason::HulpGeslaagd => {
                "De hulp heeft gewerkt; afspraken over het volgen van de veiligheid"
            }
            CloseReason::OverdrachtNaMelding => "Overgedragen na een melding bij Veilig Thuis",
            CloseReason::LeerlingVertrokken => "De leerling heeft de school verlaten",
            CloseReason::Samengevoegd => "Samengevoegd met een ander dossier over deze leerling",
        }
    }

    pub fn parse(code: &str) -> Option<CloseReason> {
        CloseReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The pupil's age in whole years on a date: the age on the day of each conversation or decision
/// is what counts (12 and 16 change who is spoken to).
pub fn age_on(date_of_birth: Date, on: Date) -> i32 {
    let mut age = on.year() - date_of_birth.year();
    if (on.month() as u8, on.day()) < (date_of_birth.month() as u8, date_of_birth.day()) {
        age -= 1;
    }
    age
}

/// With whom the conversation before a report is held, by the pupil's age (DOMAIN.md, step 5):
/// under 12 the parents; 12 to 16 the pupil and/or the parents; 16 and over the pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportConversationWith {
    Ouders,
    LeerlingEnOfOuders,
    Leerling,
}

impl ReportConversationWith {
    pub fn for_age(age: i32) -> ReportConversationWith {
        if age < 12 {
            ReportConversationWith::Ouders
        } else if age < 16 {
            ReportConversationWith::LeerlingEnOfOuders
        } else {
            ReportConversationWith::Leerling
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportConversationWith::Ouders => "met de ouder(s) (leerling jonger dan 12)",
            ReportConversationWith::LeerlingEnOfOuders => {
                "met de leerling en/of de ouder(s) (leerling van 12 tot 16)"
            }
            ReportConversationWith::Leerling => "met de leerling (16 jaar of ouder)",
        }
    }
}

/// The only two lawful reasons to skip the conversation of step 3 or the one before a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The safety of the pupil, the professional or someone else is at stake.
    Veiligheid,
    /// There is good reason to believe the pupil or parents will break off contact.
    ContactVerbreken,
}

impl SkipReason {
    pub fn parse(code: &str) -> Option<SkipReason> {
        match code {
            "veiligheid" => Some(SkipReason::Veiligheid),
            "contact_verbreken" => Some(SkipReason::ContactVerbreken),
            _ => None,
        }
    }
}

/// A three-way answer, for question 2 ("acute and/or structural unsafety?"), where doubt counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Ja,
    Nee,
    Twijfel,
}

impl Answer {
    pub fn parse(code: &str) -> Option<Answer> {
        match code {
            "ja" => Some(Answer::Ja),
            "nee" => Some(Answer::Nee),
            "twijfel" => Some(Answer::Twijfel),
            _ => None,
        }
    }
}

/// The answers given so far to the five questions of the afwegingskader, plus the one fact that
/// leads to a report by itself: a disclosure by the child of unsafety at home.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assessment {
    /// 1. Is there a suspicion of (threat of) domestic violence or child abuse?
    pub q1_suspicion: Option<bool>,
    /// 2. Is there acute and/or structural unsafety?
    pub q2_unsafety: Option<Answer>,
    /// 3. Can the school provide or organise effective help?
    pub q3_help_possible: Option<bool>,
    /// 4. Do those involved accept the help and commit to it?
    pub q4_help_accepted: Option<bool>,
    /// 5. Does the help achieve the required safety within the agreed term?
    pub q5_help_works: Option<bool>,
    /// The child told of unsafety at home (a meldnorm).
    pub disclosure: bool,
}

/// Why a report to Veilig Thuis is called for: the meldnormen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meldnorm {
    /// Always report with acute and/or structural unsafety (or doubt about it).
    Onveiligheid,
    /// Report whenever the school cannot provide or organise effective help.
    GeenEffectieveHulp,
    /// The help is not accepted.
    HulpNietGeaccepteerd,
    /// The help did not bring safety within the agreed term: report (again).
    HulpWerktNiet,
    /// A disclosure by the child of unsafety at home.
    Onthulling,
}

impl Meldnorm {
    pub fn explanation(self) -> &'static str {
        match self {
            Meldnorm::Onveiligheid => {
                "Er is (twijfel over) acute en/of structurele onveiligheid: melden bij Veilig Thuis is nodig. De vragen 3 tot 5 beantwoordt u samen met Veilig Thuis."
            }
            Meldnorm::GeenEffectieveHulp => {
                "De school kan geen effectieve hulp bieden of organiseren: melden bij Veilig Thuis."
            }
            Meldnorm::HulpNietGeaccepteerd => {
                "De betrokkenen aanvaarden de hulp niet of zetten zich er niet voor in: melden bij Veilig Thuis."
            }
            Meldnorm::HulpWerktNiet => {
                "De hulp leidt niet binnen de afgesproken termijn tot de nodige veiligheid: (opnieuw) melden bij Veilig Thuis."
            }
            Meldnorm::Onthulling => {
                "Het kind heeft zelf verteld over onveiligheid thuis: dat leidt tot een melding bij Veilig Thuis."
            }
        }
    }
}

/// What the afwegingskader says to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// Answer this question next (1 to 5).
    Answer(u8),
    /// Question 1 "no": close the dossier and record that the suspicion proved unfounded.
    CloseUnfounded,
    /// Report to Veilig Thuis, for this reason.
    Report(Meldnorm),
    /// Questions 3 and 4 "yes": agree a term, roles and a case manager, and record them; question
    /// 5 is answered at the review date.
    HelpPlan,
    /// Question 5 "yes": close, with agreements on monitoring safety.
    CloseWithMonitoring,
}

/// The afwegingskader as a function: the answers so far determine the next thing to do.
pub fn advise(a: &Assessment) -> Advice {
    match a.q1_suspicion {
        None => return Advice::Answer(1),
        Some(false) => return Advice::CloseUnfounded,
        Some(true) => {}
    }
    match a.q2_unsafety {
        None if a.disclosure => return Advice::Report(Meldnorm::Onthulling),
        None => return Advice::Answer(2),
        Some(Answer::Ja | Answer::Twijfel) => return Advice::Report(Meldnorm::Onveiligheid),
        Some(Answer::Nee) => {}
    }
    if a.disclosure {
        return Advice::Report(Meldnorm::Onthulling);
    }
    match a.q3_help_possible {
        None => return Advice::Answer(3),
        Some(false) => return Advice::Report(Meldnorm::GeenEffectieveHulp),
        Some(true) => {}
    }
    match a.q4_help_accepted {
        None => return Advice::Answer(4),
        Some(false) => return Advice::Report(Meldnorm::HulpNietGeaccepteerd),
        Some(true) => {}
    }
    match a.q5_help_works {
        None => Advice::HelpPlan,
        Some(false) => Advice::Report(Meldnorm::HulpWerktNiet),
        Some(true) => Advice::CloseWithMonitoring,
    }
}

/// The steps not yet gone through before a decision to report (steps 1 to 4; step 5 is the
/// decision itself). The order of the steps is free and steps may repeat; what matters is that all
/// have been gone through, or that the reason why not is recorded (an emergency is lawful).
pub fn missing_before_report(done: &BTreeSet<Step>) -> Vec<Step> {
    [
        Step::Signalen,
        Step::Consultatie,
        Step::Gesprek,
        Step::Wegen,
    ]
    .into_iter()
    .filter(|s| !done.contains(s))
    .collect()
}

/// Working days, as the law counts them (without weekends and public holidays).
pub use super::calendar::add_working_days;

/// Veilig Thuis does its safety assessment within 5 working days after a report and informs the
/// reporter; without feedback after that, the dossier shows it as overdue.
pub const FEEDBACK_WORKING_DAYS: u32 = 5;

pub fn feedback_overdue(reported_on: Date, today: Date, feedback_received: bool) -> bool {
    !feedback_received && today > add_working_days(reported_on, FEEDBACK_WORKING_DAYS)
}

/// How many days an open dossier may go without a new entry before it counts as overdue: the
/// workspace shows it, and the aandachtsfunctionaris is reminded of it. The organisation chooses
/// the number (issue 18), within [`QuietDays::MIN`] and [`QuietDays::MAX`]; 14 until it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietDays(i64);

impl QuietDays {
    /// Fewer than 3 days would flag a dossier over a long weekend.
    pub const MIN: i64 = 3;
    /// More than 90 days (a school term) would let a dossier lie unseen for too long.
    pub const MAX: i64 = 90;
    /// Until the organisation chooses: two weeks.
    pub const DEFAULT: QuietDays = QuietDays(14);

    /// The number as the beheerder types it, with a Dutch message when it is not a whole number
    /// of days within the bounds.
    pub fn parse(input: &str) -> Result<QuietDays, String> {
        let message = || {
            format!(
                "Vul een aantal dagen in, van {} tot en met {}.",
                Self::MIN,
                Self::MAX
            )
        };
        let days: i64 = input.trim().parse().map_err(|_| message())?;
        if (Self::MIN..=Self::MAX).contains(&days) {
            Ok(QuietDays(days))
        } else {
            Err(message())
        }
    }

    /// The number as stored: checked when it was saved; should it be out of bounds after all,
    /// the nearest bound serves.
    pub fn from_stored(days: i64) -> QuietDays {
        QuietDays(days.clamp(Self::MIN, Self::MAX))
    }

    pub fn days(self) -> i64 {
        self.0
    }

    /// The moment before which an open dossier's latest entry makes it quiet, at `now`.
    pub fn since(self, now: i64) -> i64 {
        now - self.0 * 24 * 60 * 60
    }
}

impl Default for QuietDays {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn quiet_days_are_a_whole_number_from_3_to_90_days() {
        assert_eq!(QuietDays::DEFAULT.days(), 14);
        assert_eq!(QuietDays::parse(" 3 ").map(QuietDays::days), Ok(3));
        assert_eq!(QuietDays::parse("90").map(QuietDays::days), Ok(90));
        let message = "Vul een aantal dagen in, van 3 tot en met 90.".to_string();
        for wrong in ["2", "91", "0", "-5", "", "veertien", "7.5"] {
            assert_eq!(QuietDays::parse(wrong), Err(message.clone()), "{wrong:?}");
        }
        assert_eq!(QuietDays::from_stored(1).days(), 3);
        assert_eq!(QuietDays::from_stored(500).days(), 90);
        assert_eq!(QuietDays::from_stored(21).since(30 * 86_400), 9 * 86_400);
    }

    #[test]
    fn age_counts_whole_years_on_the_day_of_the_conversation() {
        let born = date!(2014 - 03 - 15);
        assert_eq!(age_on(born, date!(2026 - 03 - 14)), 11);
        assert_eq!(age_on(born, date!(2026 - 03 - 15)), 12);
        assert_eq!(age_on(date!(2012 - 02 - 29), date!(2028 - 02 - 28)), 15);
        assert_eq!(age_on(date!(2012 - 02 - 29), date!(2028 - 02 - 29)), 16);
    }

    #[test]
    fn report_conversation_is_with_parents_under_12_either_from_12_and_pupil_from_16() {
        assert_eq!(
            ReportConversationWith::for_age(11),
            ReportConversationWith::Ouders
        );
        assert_eq!(
            ReportConversationWith::for_age(12),
            ReportConversationWith::LeerlingEnOfOuders
        );
        assert_eq!(
            ReportConversationWith::for_age(15),
            ReportConversationWith::LeerlingEnOfOuders
        );
        assert_eq!(
            ReportConversationWith::for_age(16),
            ReportConversationWith::Leerling
        );
    }

    #[test]
    fn question_1_no_closes_the_dossier_as_unfounded() {
        let a = Assessment {
            q1_suspicion: Some(false),
            ..Default::default()
        };
        assert_eq!(advise(&a), Advice::CloseUnfounded);
    }

    #[test]
    fn question_2_yes_or_doubt_leads_to_a_report() {
        for q2 in [Answer::Ja, Answer::Twijfel] {
            let a = Assessment {
                q1_suspicion: Some(true),
                q2_unsafety: Some(q2),
                ..Default::default()
            };
            assert_eq!(advise(&a), Advice::Report(Meldnorm::Onveiligheid));
        }
    }

    #[test]
    fn question_3_no_help_possible_leads_to_a_report() {
        let a = Assessment {
            q1_suspicion: Some(true),
            q2_unsafety: Some(Answer::Nee),
            q3_help_possible: Some(false),
            ..Default::default()
        };
        assert_eq!(advise(&a), Advice::Report(Meldnorm::GeenEffectieveHulp));
    }

    #[test]
    fn question_4_help_not_accepted_leads_to_a_report_and_accepted_to_a_help_plan() {
        let mut a = Assessment {
            q1_suspicion: Some(true),
            q2_unsafety: Some(Answer::Nee),
            q3_help_possible: Some(true),
            q4_help_accepted: Some(false),
            ..Default::default()
        };
        assert_eq!(advise(&a), Advice::Report(Meldnorm::HulpNietGeaccepteerd));
        a.q4_help_accepted = Some(true);
        assert_eq!(advise(&a), Advice::HelpPlan);
    }

    #[test]
    fn question_5_decides_between_reporting_again_and_closing_with_monitoring() {
        let mut a = Assessment {
            q1_suspicion: Some(true),
            q2_unsafety: Some(Answer::Nee),
            q3_help_possible: Some(true),
            q4_help_accepted: Some(true),
            q5_help_works: Some(false),
            disclosure: false,
        };
        assert_eq!(advise(&a), Advice::Report(Meldnorm::HulpWerktNiet));
        a.q5_help_works = Some(true);
        assert_eq!(advise(&a), Advice::CloseWithMonitoring);
    }

    #[test]
    fn a_disclosure_by_the_child_leads_to_a_report_even_without_unsafety_answered() {
        let a = Assessment {
            q1_suspicion: Some(true),
            disclosure: true,
            ..Default::default()
        };
        assert_eq!(advise(&a), Advice::Report(Meldnorm::Onthulling));
        let b = Assessment {
            q1_suspicion: Some(true),
            q2_unsafety: Some(Answer::Nee),
            disclosure: true,
            ..Default::default()
        };
        assert_eq!(advise(&b), Advice::Report(Meldnorm::Onthulling));
    }

    #[test]
    fn unanswered_questions_are_asked_in_order() {
        assert_eq!(advise(&Assessment::default()), Advice::Answer(1));
        let a = Assessment {
            q1_suspicion: Some(true),
            ..Default::default()
        };
        assert_eq!(advise(&a), Advice::Answer(2));
    }

    #[test]
    fn a_report_shows_which_of_steps_1_to_4_were_not_gone_through() {
        let done: BTreeSet<Step> = [Step::Signalen, Step::Wegen].into_iter().collect();
        assert_eq!(
            missing_before_report(&done),
            vec![Step::Consultatie, Step::Gesprek]
        );
        let all: BTreeSet<Step> = Step::ALL.into_iter().collect();
        assert!(missing_before_report(&all).is_empty());
    }

    #[test]
    fn veilig_thuis_feedback_is_overdue_after_5_working_days() {
        // Reported on a Thursday: 5 working days end the next Thursday.
        let thursday = date!(2026 - 11 - 26);
        assert_eq!(add_working_days(thursday, 5), date!(2026 - 12 - 03));
        assert!(!feedback_overdue(thursday, date!(2026 - 12 - 03), false));
        assert!(feedback_overdue(thursday, date!(2026 - 12 - 04), false));
        assert!(!feedback_overdue(thursday, date!(2026 - 12 - 10), true));
    }

    #[test]
    fn fgm_honour_related_violence_and_forced_marriage_need_specific_expertise() {
        let needing: Vec<Form> = Form::ALL
            .into_iter()
            .filter(|f| f.needs_specific_expertise())
            .collect();
        assert_eq!(
            needing,
            vec![
                Form::Eergerelateerd,
                Form::Meisjesbesnijdenis,
                Form::Huwelijksdwang
            ]
        );
        let route: Vec<Form> = Form::ALL.into_iter().filter(|f| f.honour_route()).collect();
        assert_eq!(route, needing, "the honour route is where it is needed");
    }

    #[test]
    fn only_two_reasons_make_skipping_a_conversation_lawful() {
        assert_eq!(
            SkipReason::parse("veiligheid"),
            Some(SkipReason::Veiligheid)
        );
        assert_eq!(
            SkipReason::parse("contact_verbreken"),
            Some(SkipReason::ContactVerbreken)
        );
        assert_eq!(SkipReason::parse("geen_tijd"), None);
    }

    #[test]
    fn a_dossier_can_concern_each_of_the_nine_forms_of_violence() {
        let codes: BTreeSet<&str> = Form::ALL.into_iter().map(Form::code).collect();
        assert_eq!(codes.len(), 9, "nine distinct forms");
        for form in Form::ALL {
            assert_eq!(Form::parse(form.code()), Some(form));
        }
        for word in [
            "Lichamelijk",
            "Psychisch",
            "Seksueel",
            "Verwaarlozing",
            "Getuige van huiselijk geweld",
            "Eergerelateerd",
            "genitale verminking",
            "Huwelijksdwang",
            "Ouderenmishandeling",
        ] {
            assert!(
                Form::ALL.into_iter().any(|f| f.label().contains(word)),
                "{word}"
            );
        }
    }
}
