//! The print view and the summary for a report to Veilig Thuis.

use super::*;
use crate::domain::melding::{self, Melding};

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/print.html")]
pub struct PrintPage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub printed: String,
    pub printed_by: String,
}

pub async fn print(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
) -> Result<PrintPage> {
    let access = open(&state, &user, &id, Purpose::Print).await?;
    let records = state.db.entries(&access).await?;
    let mut o = overview(
        access.dossier().clone(),
        &records,
        today_nl(state.clock.unix()),
    );
    // On paper the story reads from the start.
    o.entries.reverse();
    Ok(PrintPage {
        ctx,
        o,
        printed: moment_nl(state.clock.unix()),
        printed_by: user.user.name.clone(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/melding.html")]
pub struct MeldingPage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub melding: Melding,
    pub read_later: &'static str,
    pub prepared: String,
    /// Whether the viewer may record the report now (the link to its form).
    pub may_report: bool,
}

/// The melding: the report to Veilig Thuis prepared from the dossier, in the order of Veilig
/// Thuis's form (`domain::melding`), to read out, print or copy section by section.
pub async fn melding(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
) -> Result<MeldingPage> {
    let access = open(&state, &user, &id, Purpose::Print).await?;
    if access.dossier().route != Route::Stappenplan {
        // A concern about a staff member is not reported to Veilig Thuis (WPO art. 4a).
        return Err(AppError::NotFound);
    }
    let records = state.db.entries(&access).await?;
    let today = today_nl(state.clock.unix());
    let o = overview(access.dossier().clone(), &records, today);
    let sources: Vec<melding::Source<'_>> = records
        .iter()
        .map(|e| melding::Source {
            id: e.id.get(),
            kind: e.kind,
            body: &e.body,
            author: &e.author_name,
            refers_to: e.refers_to.map(|r| r.get()),
            recorded: today_nl(e.created_at),
        })
        .collect();
    let group = o.header.pupil.group_label();
    let role = access.role().label().to_lowercase();
    let melding = melding::prepare(
        &melding::Parties {
            school: &o.header.school_name,
            reporter: &user.user.name,
            reporter_role: &role,
            reporter_email: &user.user.email,
            pupil: &o.header.pupil.name,
            date_of_birth: o.header.pupil.date_of_birth,
            group: &group,
            forms: &o.forms,
            veilig_thuis: &ctx.veilig_thuis_name,
            veilig_thuis_phone: &ctx.veilig_thuis_phone,
            today,
        },
        &sources,
    );
    let may_report = may_record(&access, Kind::Melding);
    Ok(MeldingPage {
        ctx,
        o,
        melding,
        read_later: melding::READ_LATER,
        prepared: moment_nl(state.clock.unix()),
        may_report,
    })
}
