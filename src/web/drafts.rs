//! A form sent after its session ended by time: what was typed is not lost.
//!
//! The session guard sees a form arrive from a session that has just ended (idle for 30 minutes,
//! or at its absolute limit). When the form came from our own origin with that session's own form
//! token, it was typed by the session's user on one of our pages, and [`keep`] keeps it for that
//! user (`store::drafts`, briefly) before sending them to the login page. A cross-site post fails
//! the origin check or the token and keeps nothing. After a fresh login by the same user,
//! [`landing`] sends them to the form's own page, where [`restore`] (run by `PageCtx`) takes the
//! kept fields out of the store; the page fills them in and says that the text was kept and not
//! yet saved.
//!
//! Only forms that can take their values back are kept: opening a dossier, the emergency form
//! and the entry forms of the steps. Any other form sent too late gets the `form_expired` page,
//! which shows what was typed under the form's own labels ([`labelled`]).

use tower_sessions::Session;

use super::error::AppError;
use super::guard::CurrentUser;
use crate::app::AppState;
use crate::domain::entry::{Input, Kind};
use crate::domain::ids::UserId;
use crate::domain::session::draft_keeps_field;
use crate::store::drafts::Draft;

/// The session key of the page where a kept form waits to be filled in again, set at login.
const RESTORE_KEY: &str = "restore_form";

/// The page where the form sent to `post_path` is filled in again, for the forms that can take
/// their values back; `None` for any other form.
pub fn form_page(post_path: &str, fields: &[(String, String)]) -> Option<String> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match post_path {
        "/dossiers/nieuw" | "/nood/melding" => return Some(post_path.to_string()),
        _ => {}
    }
    let id = post_path
        .strip_prefix("/dossiers/")?
        .strip_suffix("/aantekening")?;
    if !numeric(id) {
        return None;
    }
    let kind = Kind::parse(value("soort")).filter(|k| Kind::RECORDABLE.contains(k))?;
    let refers_to = value("verwijst_naar");
    if numeric(refers_to) {
        return Some(format!("/dossiers/{id}/aanvullen/{refers_to}"));
    }
    let request = value("verzoek");
    let request = if numeric(request) {
        format!("&verzoek={request}")
    } else {
        String::new()
    };
    Some(match kind.step() {
        Some(step) => format!(
            "/dossiers/{id}/stap/{}?soort={}{request}",
            step.number(),
            kind.code()
        ),
        None => format!(
            "/dossiers/{id}/vastleggen/{}?{}",
            kind.code(),
            request.trim_start_matches('&')
        )
        .trim_end_matches('?')
        .to_string(),
    })
}

/// Keeps a form sent after the session of `user_id` ended, when it is one that can be filled in
/// again. Returns whether it was kept. The guard calls this only for a form from our own origin
/// that carries the ended session's own token.
pub async fn keep(
    state: &AppState,
    user_id: UserId,
    post_path: &str,
    fields: &[(String, String)],
    address: Option<&str>,
) -> Result<bool, AppError> {
    let Some(form_path) = form_page(post_path, fields) else {
        return Ok(false);
    };
    let fields = fields
        .iter()
        .filter(|(k, v)| draft_keeps_field(k, v))
        .cloned()
        .collect();
    let draft = Draft { form_path, fields };
    state
        .db
        .keep_draft(user_id, &draft, state.clock.unix(), address)
        .await?;
    Ok(true)
}

/// Where a user lands after logging in: the page of a form kept for them, or the start page.
/// The page to restore is remembered in the (new) session, so that only this login fills it in.
pub async fn landing(
    state: &AppState,
    session: &Session,
    user_id: UserId,
) -> Result<String, AppError> {
    match state.db.draft_path(user_id, state.clock.unix()).await? {
        Some(path) => {
            session.insert(RESTORE_KEY, &path).await?;
            Ok(path)
        }
        None => Ok(super::urls::path::START.to_string()),
    }
}

/// The kept fields for the page at `path`, taken out of the store, when this session's login
/// found a form kept for this page. Nothing is read from the database otherwise.
pub async fn restore(
    state: &AppState,
    session: &Session,
    user: &CurrentUser,
    path: &str,
) -> Result<Option<Vec<(String, String)>>, AppError> {
    let Some(form_path) = session.get::<String>(RESTORE_KEY).await? else {
        return Ok(None);
    };
    if form_path.split('?').next() != Some(path) {
        return Ok(None);
    }
    session.remove::<String>(RESTORE_KEY).await?;
    let draft = state
        .db
        .take_draft(
            user.user.id,
            &form_path,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?;
    Ok(draft.map(|d| d.fields))
}

/// The fields of a form as its page labels them, for showing what was typed when the form
/// cannot be filled in again: the opening and emergency forms' own labels, an entry kind's field
/// labels (and the chosen option's label rather than its code), and for other forms a plain
/// label. Hidden fields (the form token, the kind, references) and passwords are left out.
pub fn labelled(post_path: &str, fields: &[(String, String)]) -> Vec<(String, String)> {
    let kind = fields
        .iter()
        .find(|(k, _)| k == "soort")
        .and_then(|(_, v)| Kind::parse(v));
    let opening = matches!(post_path, "/dossiers/nieuw" | "/nood/melding");
    let mut shown = Vec::new();
    for (name, value) in fields {
        if !draft_keeps_field(name, value)
            || matches!(
                name.as_str(),
                "soort" | "verwijst_naar" | "verzoek" | "school"
            )
        {
            continue;
        }
        let entry_field = kind
            .into_iter()
            .chain(opening.then_some(Kind::Signaal))
            .chain((post_path == "/nood/melding").then_some(Kind::Noodmelding))
            .flat_map(|k| k.fields().iter())
            .find(|f| f.key == name);
        let (label, value) = match entry_field {
            Some(f) => {
                let value = match f.input {
                    Input::Choice(options) => options
                        .iter()
                        .find(|(code, _)| code == value)
                        .map_or(value.clone(), |(_, label)| label.to_string()),
                    Input::Check => "ja".to_string(),
                    Input::BodyMap => crate::domain::bodymap::readable(value),
                    _ => value.clone(),
                };
                (f.label.to_string(), value)
            }
            None => (plain_label(name, opening).to_string(), value.clone()),
        };
        shown.push((label, value));
    }
    shown
}

/// The label of a field outside the entry kinds, as the forms show it.
fn plain_label(name: &str, opening: bool) -> &'static str {
    match name {
        "naam" if opening => "Naam van de leerling",
        "geboortedatum" => "Geboortedatum",
        "groep" => "Groep of klas",
        "vormen" => "Waar maakt u zich zorgen over?",
        "medewerker" => "Gaat het vermoeden over een medewerker van school?",
        "aard" => "Wat legt u vast?",
        "waarneming" => "Beschrijving",
        "bron" => "Van wie komt deze informatie?",
        "bron_wie" => "Wie vertelde het?",
        "vraag" => "Uw vraag",
        "naam" => "Naam",
        "email" => "E-mailadres",
        "titel" => "Titel",
        "datum" => "Datum",
        "tekst" => "Tekst",
        "toelichting" => "Toelichting",
        _ => "Wat u invulde",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_entry_form_is_filled_in_again_on_its_step_page() {
        let f = fields(&[("soort", "signaal"), ("waarneming", "x")]);
        assert_eq!(
            form_page("/dossiers/7/aantekening", &f).as_deref(),
            Some("/dossiers/7/stap/1?soort=signaal")
        );
    }

    #[test]
    fn a_correction_is_filled_in_again_on_the_page_of_the_entry_it_corrects() {
        let f = fields(&[("soort", "aanvulling"), ("verwijst_naar", "12")]);
        assert_eq!(
            form_page("/dossiers/7/aantekening", &f).as_deref(),
            Some("/dossiers/7/aanvullen/12")
        );
    }

    #[test]
    fn the_opening_and_emergency_forms_are_filled_in_again_where_they_were() {
        assert_eq!(
            form_page("/dossiers/nieuw", &[]).as_deref(),
            Some("/dossiers/nieuw")
        );
        assert_eq!(
            form_page("/nood/melding", &[]).as_deref(),
            Some("/nood/melding")
        );
    }

    #[test]
    fn other_forms_and_made_up_paths_are_not_kept() {
        assert_eq!(form_page("/beheer/scholen", &[]), None);
        assert_eq!(
            form_page("/dossiers/x/aantekening", &fields(&[("soort", "signaal")])),
            None
        );
        assert_eq!(
            form_page("/dossiers/7/aantekening", &fields(&[("soort", "?")])),
            None
        );
    }

    #[test]
    fn kept_text_is_shown_under_the_forms_own_labels_never_internal_names() {
        let f = fields(&[
            ("_csrf", "t"),
            ("naam", "Sam de Vries"),
            ("aard", "feit"),
            ("waarneming", "Blauwe plek"),
            ("password", "geheim"),
        ]);
        let shown = labelled("/dossiers/nieuw", &f);
        assert!(shown.iter().all(|(l, _)| l != "naam" && l != "aard"));
        assert!(shown.contains(&("Naam van de leerling".into(), "Sam de Vries".into())));
        assert!(!shown.iter().any(|(_, v)| v == "geheim" || v == "t"));
    }
}
