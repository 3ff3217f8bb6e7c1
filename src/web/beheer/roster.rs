//! Reading in a school's pupils and staff from its administration system (issue 16): the
//! beheerder uploads an EDEXML or CSV file, sees what will be added, changed and marked as left,
//! and then confirms. Nothing changes before the confirmation, and the import is one transaction
//! (`store::roster`). The file is carried from the preview to the confirmation inside the form
//! (base64), so that nothing of it is kept on the server in between.

use axum::extract::Multipart;
use base64::Engine;

use super::*;
use crate::domain::import::Plan;
use crate::domain::roster::{self, ImportError};

/// The CSV template's download name.
const TEMPLATE_NAME: &str = "leerlingenlijst-sjabloon.csv";

#[derive(Template, WebTemplate)]
#[template(path = "beheer/roster.html")]
pub struct RosterPage {
    pub ctx: PageCtx,
    pub school: School,
    /// Why the file cannot be read in: where and what.
    pub error: Option<String>,
    /// What reading in the file would change, and the file to carry to the confirmation.
    pub preview: Option<Preview>,
}

pub struct Preview {
    pub plan: Plan,
    pub file: String,
}

impl RosterPage {
    /// A list of names for the preview: the first few, and how many more.
    pub fn names(list: &[String]) -> String {
        const SHOWN: usize = 10;
        let mut s = list
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if list.len() > SHOWN {
            s.push_str(&format!(" en nog {}", list.len() - SHOWN));
        }
        s
    }
}

impl Preview {
    pub fn added_pupils(&self) -> Vec<String> {
        self.plan
            .add_pupils
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }
    pub fn changed_pupils(&self) -> Vec<String> {
        self.plan
            .change_pupils
            .iter()
            .map(|c| format!("{} ({})", c.pupil.name, c.what.join(", ")))
            .collect()
    }
    pub fn left_pupils(&self) -> Vec<String> {
        self.plan
            .leave_pupils
            .iter()
            .map(|(_, n)| n.clone())
            .collect()
    }
    pub fn added_staff(&self) -> Vec<String> {
        self.plan
            .add_staff
            .iter()
            .map(|s| format!("{} ({})", s.name, s.email))
            .collect()
    }
    pub fn changed_staff(&self) -> Vec<String> {
        self.plan
            .change_staff
            .iter()
            .map(|(_, s)| s.name.clone())
            .collect()
    }
    pub fn left_staff(&self) -> Vec<String> {
        self.plan
            .leave_staff
            .iter()
            .map(|(_, n)| n.clone())
            .collect()
    }
}

pub async fn roster_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<RosterPage> {
    let school = school_of_org(&state, &b, &id).await?;
    Ok(RosterPage {
        ctx,
        school,
        error: None,
        preview: None,
    })
}

/// The CSV template, as Dutch Excel opens it (UTF-8 with a byte-order mark).
pub async fn roster_template(_b: Beheerder) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{TEMPLATE_NAME}\""),
            ),
        ],
        format!("\u{feff}{}", roster::CSV_TEMPLATE),
    )
        .into_response()
}

/// What the upload form sent: the file chosen, or the file carried from the preview, and
/// whether the beheerder confirmed.
#[derive(Default)]
struct Upload {
    file: Vec<u8>,
    carried: String,
    confirmed: bool,
}

async fn read_upload(mut multipart: Multipart) -> std::result::Result<Upload, ImportError> {
    let unreadable = || ImportError {
        place: "het bestand".into(),
        message: "Het bestand kon niet worden ontvangen. Probeer het opnieuw.".into(),
    };
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("bestand") => {
                upload.file = field.bytes().await.map_err(|_| unreadable())?.to_vec()
            }
            Some("inhoud") => upload.carried = field.text().await.map_err(|_| unreadable())?,
            Some("bevestigd") => {
                upload.confirmed = field.text().await.map_err(|_| unreadable())? == "ja"
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// The upload: a preview of what reading in the file would change, or, confirmed, the import.
pub async fn roster_upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response> {
    let school = school_of_org(&state, &b, &id).await?;
    let refused = |ctx: PageCtx, school: School, e: ImportError| {
        let page = RosterPage {
            ctx,
            school,
            error: Some(format!("{}: {}", capitalised(&e.place), e.message)),
            preview: None,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    // A form that is not an upload at all reads as one without a file.
    let upload = match multipart {
        Ok(m) => match read_upload(m).await {
            Ok(u) => u,
            Err(e) => return Ok(refused(ctx, school, e)),
        },
        Err(_) => Upload::default(),
    };
    let bytes = if upload.file.is_empty() {
        base64::engine::general_purpose::STANDARD
            .decode(upload.carried.trim())
            .unwrap_or_default()
    } else {
        upload.file
    };
    if bytes.is_empty() {
        let e = ImportError {
            place: "het bestand".into(),
            message: "Kies het bestand uit de leerlingadministratie (EDEXML of CSV).".into(),
        };
        return Ok(refused(ctx, school, e));
    }
    let parsed = match roster::parse(&bytes) {
        Ok(r) => r,
        Err(e) => return Ok(refused(ctx, school, e)),
    };
    if upload.confirmed {
        let actor = Actor {
            user_id: Some(b.0.user.id),
            role: Some(Role::Beheerder.code()),
            address: b.0.address.as_deref(),
        };
        return Ok(
            match state
                .db
                .import_roster(
                    b.0.user.organisation_id,
                    school.id,
                    &parsed,
                    &actor,
                    state.clock.unix(),
                )
                .await?
            {
                Ok(_) => {
                    Redirect::to(&urls::beheer_school(school.id, Some("ingelezen"))).into_response()
                }
                Err(e) => refused(ctx, school, e),
            },
        );
    }
    match state.db.roster_preview(school.id, &parsed).await? {
        Ok(plan) => Ok(RosterPage {
            ctx,
            school,
            error: None,
            preview: Some(Preview {
                plan,
                file: base64::engine::general_purpose::STANDARD.encode(&bytes),
            }),
        }
        .into_response()),
        Err(e) => Ok(refused(ctx, school, e)),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
