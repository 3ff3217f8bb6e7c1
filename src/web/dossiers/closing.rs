//! Closing a dossier asks for confirmation: the closing form does not close at once, but shows
//! what will be recorded, what the stappenplan still asks, and two buttons: close, or go back to
//! the form with everything typed still in it. The closing itself is the ordinary entry
//! (`record`), decided again in its write transaction.

use super::*;

/// The fields a confirmation carries back, besides the entry's own: never the token, nor the
/// buttons' own names.
const NOT_CARRIED: [&str; 3] = ["_csrf", CONFIRMED, BACK];
/// The button that closes.
pub(super) const CONFIRMED: &str = "bevestigd";
/// The button that goes back to the form.
pub(super) const BACK: &str = "terug";

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/close_confirm.html")]
pub struct CloseConfirmPage {
    pub ctx: PageCtx,
    pub o: Overview,
    /// What will be recorded, as the chronology will show it.
    pub recorded: Vec<(&'static str, String)>,
    /// Every value of the form, to send again with the choice.
    pub carried: Vec<(String, String)>,
    /// What the meldcode still asks, if it is not closing ("Volgende: …").
    pub still_asked: Option<String>,
}

/// The confirmation of a closing that the dossier's history admits.
pub(super) fn confirm_close(
    ctx: PageCtx,
    access: &DossierAccess,
    records: &[EntryRecord],
    body: &entry::Body,
    values: &Values,
    today: time::Date,
) -> CloseConfirmPage {
    let o = overview(access.dossier().clone(), records, today);
    let still_asked = o
        .next_step
        .filter(|n| n.kind() != Kind::Gesloten)
        .map(NextStep::label);
    CloseConfirmPage {
        recorded: entry::display(Kind::Gesloten, body),
        carried: values
            .iter()
            .filter(|(k, _)| !NOT_CARRIED.contains(&k.as_str()))
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect(),
        still_asked,
        ctx,
        o,
    }
}
