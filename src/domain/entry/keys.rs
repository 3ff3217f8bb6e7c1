//! The keys of an entry's body that code reads or writes beyond the field lists: the rules, the
//! dossier's standing, the staff route, the pages and the store. Each is defined once, here.
//!
//! A key is part of the stored record: entries already written carry it, so its spelling never
//! changes. A key that only its own form and the display use stays a literal in its field list
//! (`fields.rs`); when other code starts to read or write it, it moves here.

// Signal (step 1).
/// Signal: a fact or a hypothesis (`feit`, `hypothese`); weighing: the nature of the violence.
pub const AARD: &str = "aard";
/// Signal: the description of what was seen or heard.
pub const WAARNEMING: &str = "waarneming";
/// Signal: the signals ticked from the signal list, their texts one per line.
pub const SIGNALEN: &str = "signalen";
/// Signal: where on the body an injury was seen, the body map's region codes one per line
/// (`domain::bodymap`).
pub const LICHAAM: &str = "lichaam";
/// Signal: where the information comes from (`eigen`, `derde`).
pub const BRON: &str = "bron";
/// Signal: who told it, when the information comes from someone else.
pub const BRON_WIE: &str = "bron_wie";
/// Signal: what speaks against the suspicion.
pub const CONTRA: &str = "contra";
/// Signal: a diagnosis made by a qualified professional.
pub const DIAGNOSE: &str = "diagnose";
/// Signal: who made the diagnosis, with their profession.
pub const DIAGNOSE_DOOR: &str = "diagnose_door";
/// Signal: the pupil told of unsafety at home (a check box, `ja` when ticked).
pub const ONTHULLING: &str = "onthulling";

// Consultation and conversations (steps 2 and 3, and the conversation before a report).
/// Consultation, conversation, report conversation: with whom.
pub const MET: &str = "met";
/// Consultation: the name of the person consulted.
pub const NAAM: &str = "naam";
/// Consultation: the question asked.
pub const VRAAG: &str = "vraag";
/// Consultation: the advice given.
pub const ADVIES: &str = "advies";
/// Consultation: Veilig Thuis was asked without the pupil's data; report: the reporter stays
/// anonymous towards the family.
pub const ANONIEM: &str = "anoniem";
/// Consultation: who with specific expertise was consulted (the honour route: FGM,
/// honour-related violence, forced marriage).
pub const DESKUNDIGE: &str = "deskundige";
/// Conversation, report conversation: the specific expertise consulted judged this conversation
/// with the parents safe (a check box, `ja` when ticked; asked on the honour route only).
pub const VEILIG_MET_OUDERS: &str = "veilig_met_ouders";
/// Conversation, report conversation on the honour route: it already took place before the
/// consultation with specific expertise (or with the parents without its judgement), and why.
pub const AL_GEVOERD: &str = "al_gevoerd";
/// Conversation, report conversation: how the pupil or the parents reacted.
pub const REACTIE: &str = "reactie";
/// Conversation: whether the parents were informed beforehand (`ja`, `nee`, `nvt`).
pub const OUDERS_VOORAF: &str = "ouders_vooraf";
/// Conversation: why the parents were not informed beforehand.
pub const OUDERS_VOORAF_WAAROM: &str = "ouders_vooraf_waarom";

// Weighing and decision (steps 4 and 5): the afwegingskader.
/// Weighing: the risk.
pub const RISICO: &str = "risico";
/// Weighing: the severity.
pub const ERNST: &str = "ernst";
/// Weighing: question 1, is there a suspicion (`ja`, `nee`).
pub const VRAAG1: &str = "vraag1";
/// Weighing, decision: question 2, acute and/or structural unsafety (`ja`, `twijfel`, `nee`).
pub const VRAAG2: &str = "vraag2";
/// Weighing, decision: the grounds for the answer to question 2.
pub const VRAAG2_TOELICHTING: &str = "vraag2_toelichting";
/// Decision: question 3, can the school offer or organise effective help (`ja`, `nee`).
pub const VRAAG3: &str = "vraag3";
/// Decision: the grounds for the answer to question 3.
pub const VRAAG3_TOELICHTING: &str = "vraag3_toelichting";
/// Decision: question 4, do those involved accept the help (`ja`, `nee`).
pub const VRAAG4: &str = "vraag4";
/// Decision: the grounds for the answer to question 4.
pub const VRAAG4_TOELICHTING: &str = "vraag4_toelichting";
/// Evaluation: question 5, did the help bring safety within the term (`ja`, `nee`).
pub const VRAAG5: &str = "vraag5";

// Help plan, report and what follows.
/// The date of an event (a conversation, a plan, a report, feedback, a duty), as `YYYY-MM-DD`.
pub const DATUM: &str = "datum";
/// Hulpplan: which help (the refusal of a plan without a decision is shown beside it).
pub const HULP: &str = "hulp";
/// Help plan: the date by which the help must work.
pub const TERMIJN: &str = "termijn";
/// Help plan: the review date, on which question 5 is answered.
pub const EVALUATIEDATUM: &str = "evaluatiedatum";
/// Help plan: who keeps the direction (casemanager).
pub const CASEMANAGER: &str = "casemanager";
/// Evaluation, closing: the agreements on monitoring safety after help that worked.
pub const MONITORING: &str = "monitoring";
/// Report conversation: the objections raised.
pub const BEZWAREN: &str = "bezwaren";
/// Report conversation: how the objections were weighed against the need to protect.
pub const AFWEGING: &str = "afweging";
/// Report conversation: whether a pupil of 16 or older consented to the parents joining.
pub const TOESTEMMING: &str = "toestemming";
/// Report conversation: why that consent was not asked.
pub const TOESTEMMING_TOELICHTING: &str = "toestemming_toelichting";
/// Report: the lawful ground for staying anonymous towards the family.
pub const ANONIEM_GROND: &str = "anoniem_grond";
/// Report: the lawful ground for reporting before all steps are gone through.
pub const ONTBREKENDE_GROND: &str = "ontbrekende_grond";
/// Report: the explanation of why not all steps were gone through.
pub const ONTBREKENDE_STAPPEN: &str = "ontbrekende_stappen";
/// Follow-up: how it relates to the entry it refers to (correction, addition, hypothesis
/// confirmed or refuted).
pub const RELATIE: &str = "relatie";

// Closing and reopening.
/// Skipped conversation, closing, reopening, Verwijsindex: the reason (a choice or a text).
pub const REDEN: &str = "reden";
/// Closing as unfounded without a weighing: what showed it (`gesprek`, `consultatie`).
pub const GROND: &str = "grond";
/// An explanation: of a skipped conversation, an evaluation, a closing, a staff duty.
pub const TOELICHTING: &str = "toelichting";
/// Reopening after an unfounded closing: the new signals.
pub const NIEUWE_SIGNALEN: &str = "nieuwe_signalen";

// Emergency report.
/// Emergency report: who was called (`veilig_thuis`, `112`, `beide`, `anders`).
pub const GEBELD: &str = "gebeld";
/// Emergency report: what happened.
pub const WAT: &str = "wat";

// The staff route (WPO art. 4a).
/// Staff duty: which duty the entry records (a `domain::staff::Duty` code).
pub const PLICHT: &str = "plicht";
/// Staff duty: the outcome of the consultation with the vertrouwensinspecteur (`ja`, `nee`).
pub const REDELIJK_VERMOEDEN: &str = "redelijk_vermoeden";
/// Staff duty: why a step is taken before the one the law puts first (acute danger).
pub const REDEN_VOLGORDE: &str = "reden_volgorde";
/// Closing on the staff route: why the dossier is closed while duties stand open.
pub const OPEN_PLICHTEN_REDEN: &str = "open_plichten_reden";

// The risk level (`domain::risk`).
/// Risk: the level judged (a `domain::risk::RiskLevel` code).
pub const NIVEAU: &str = "niveau";
/// Risk: the reason for the level judged.
pub const ONDERBOUWING: &str = "onderbouwing";

// Entries the application writes itself.
/// Opening: the route the dossier was opened on (a `domain::dossier::Route` code).
pub const ROUTE: &str = "route";
/// Colleague added or removed, casemanager named: the colleague's name.
pub const COLLEGA: &str = "collega";
/// Transfer: the school the dossier comes from.
pub const VAN: &str = "van";
/// Transfer: the school the dossier goes to.
pub const NAAR: &str = "naar";
/// Merge: the other dossier, by its number and opening date ("nummer 12, geopend op 3-10-2026").
pub const DOSSIER: &str = "dossier";
/// An action: for whom (their name), by when (`YYYY-MM-DD`), and how it ended.
pub const VOOR: &str = "voor";
pub const UITERLIJK: &str = "uiterlijk";
pub const UITKOMST: &str = "uitkomst";

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::*;

    /// Stored entries carry these keys: changing one's spelling would hide what they record.
    #[test]
    fn the_spelling_of_a_key_never_changes() {
        let pinned = [
            (AARD, "aard"),
            (WAARNEMING, "waarneming"),
            (SIGNALEN, "signalen"),
            (BRON, "bron"),
            (BRON_WIE, "bron_wie"),
            (CONTRA, "contra"),
            (DIAGNOSE, "diagnose"),
            (DIAGNOSE_DOOR, "diagnose_door"),
            (ONTHULLING, "onthulling"),
            (MET, "met"),
            (NAAM, "naam"),
            (VRAAG, "vraag"),
            (ADVIES, "advies"),
            (ANONIEM, "anoniem"),
            (DESKUNDIGE, "deskundige"),
            (VEILIG_MET_OUDERS, "veilig_met_ouders"),
            (AL_GEVOERD, "al_gevoerd"),
            (REACTIE, "reactie"),
            (OUDERS_VOORAF, "ouders_vooraf"),
            (OUDERS_VOORAF_WAAROM, "ouders_vooraf_waarom"),
            (RISICO, "risico"),
            (ERNST, "ernst"),
            (VRAAG1, "vraag1"),
            (VRAAG2, "vraag2"),
            (VRAAG2_TOELICHTING, "vraag2_toelichting"),
            (VRAAG3, "vraag3"),
            (VRAAG3_TOELICHTING, "vraag3_toelichting"),
            (VRAAG4, "vraag4"),
            (VRAAG4_TOELICHTING, "vraag4_toelichting"),
            (VRAAG5, "vraag5"),
            (DATUM, "datum"),
            (TERMIJN, "termijn"),
            (EVALUATIEDATUM, "evaluatiedatum"),
            (CASEMANAGER, "casemanager"),
            (MONITORING, "monitoring"),
            (BEZWAREN, "bezwaren"),
            (AFWEGING, "afweging"),
            (TOESTEMMING, "toestemming"),
            (TOESTEMMING_TOELICHTING, "toestemming_toelichting"),
            (ANONIEM_GROND, "anoniem_grond"),
            (ONTBREKENDE_GROND, "ontbrekende_grond"),
            (ONTBREKENDE_STAPPEN, "ontbrekende_stappen"),
            (RELATIE, "relatie"),
            (REDEN, "reden"),
            (GROND, "grond"),
            (TOELICHTING, "toelichting"),
            (NIEUWE_SIGNALEN, "nieuwe_signalen"),
            (GEBELD, "gebeld"),
            (WAT, "wat"),
            (PLICHT, "plicht"),
            (REDELIJK_VERMOEDEN, "redelijk_vermoeden"),
            (REDEN_VOLGORDE, "reden_volgorde"),
            (OPEN_PLICHTEN_REDEN, "open_plichten_reden"),
            (NIVEAU, "niveau"),
            (ONDERBOUWING, "onderbouwing"),
            (ROUTE, "route"),
            (COLLEGA, "collega"),
            (VAN, "van"),
            (NAAR, "naar"),
        ];
        for (key, spelling) in pinned {
            assert_eq!(key, spelling);
        }
    }

    /// A key here is one a form records or the application writes, not a name of its own.
    #[test]
    fn every_key_is_a_field_of_some_kind_except_the_route_of_the_opening() {
        let all = [
            AARD,
            WAARNEMING,
            SIGNALEN,
            BRON,
            BRON_WIE,
            CONTRA,
            DIAGNOSE,
            DIAGNOSE_DOOR,
            ONTHULLING,
            MET,
            NAAM,
            VRAAG,
            ADVIES,
            ANONIEM,
            DESKUNDIGE,
            VEILIG_MET_OUDERS,
            AL_GEVOERD,
            REACTIE,
            OUDERS_VOORAF,
            OUDERS_VOORAF_WAAROM,
            RISICO,
            ERNST,
            VRAAG1,
            VRAAG2,
            VRAAG2_TOELICHTING,
            VRAAG3,
            VRAAG3_TOELICHTING,
            VRAAG4,
            VRAAG4_TOELICHTING,
            VRAAG5,
            DATUM,
            TERMIJN,
            EVALUATIEDATUM,
            CASEMANAGER,
            MONITORING,
            BEZWAREN,
            AFWEGING,
            TOESTEMMING,
            TOESTEMMING_TOELICHTING,
            ANONIEM_GROND,
            ONTBREKENDE_GROND,
            ONTBREKENDE_STAPPEN,
            RELATIE,
            REDEN,
            GROND,
            TOELICHTING,
            NIEUWE_SIGNALEN,
            GEBELD,
            WAT,
            PLICHT,
            REDELIJK_VERMOEDEN,
            REDEN_VOLGORDE,
            OPEN_PLICHTEN_REDEN,
            NIVEAU,
            ONDERBOUWING,
            COLLEGA,
            VAN,
            NAAR,
            DOSSIER,
            VOOR,
            UITERLIJK,
            UITKOMST,
        ];
        let kinds = Kind::RECORDABLE.into_iter().chain([
            Kind::Noodmelding,
            Kind::CollegaToegevoegd,
            Kind::OverdrachtGevraagd,
            Kind::Samengevoegd,
            Kind::Actie,
            Kind::ActieAfgerond,
        ]);
        let known: Vec<&str> = kinds
            .flat_map(|k| k.fields().iter().map(|f| f.key))
            .collect();
        for key in all {
            assert!(known.contains(&key), "{key}");
        }
        assert!(
            Kind::Geopend.fields().is_empty(),
            "the route is not shown as a field"
        );
    }
}
