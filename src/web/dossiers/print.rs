//! The print view and the summary for a report to Veilig Thuis.

use super::*;

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

/// A fact for the melding summary, with where it came from.
pub struct Fact {
    pub when: String,
    pub text: String,
    pub source: String,
    pub hypothesis: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/summary.html")]
pub struct SummaryPage {
    pub ctx: PageCtx,
    pub o: Overview,
    /// Signals ticked from the signal list, in all step-1 entries.
    pub ticked: Vec<String>,
    pub weighing: Option<String>,
    pub facts: Vec<Fact>,
    pub contra: Vec<String>,
    pub consultations: Vec<String>,
    pub conversations: Vec<String>,
}

/// The "melding summary": the facts with their sources, ready to read out or hand to Veilig Thuis.
pub async fn summary(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
) -> Result<SummaryPage> {
    let access = open(&state, &user, &id, Purpose::Print).await?;
    let records = state.db.entries(&access).await?;
    let o = overview(
        access.dossier().clone(),
        &records,
        today_nl(state.clock.unix()),
    );
    let get = |e: &EntryRecord, k: &str| e.body.get(k).cloned().unwrap_or_default();
    let signals: Vec<&EntryRecord> = records.iter().filter(|e| e.kind == Kind::Signaal).collect();
    let facts = signals
        .iter()
        .map(|e| Fact {
            when: moment_nl(e.created_at),
            text: get(e, "waarneming"),
            source: if get(e, "bron") == "derde" {
                format!("verteld door {}", get(e, "bron_wie"))
            } else {
                format!("eigen waarneming van {}", e.author_name)
            },
            hypothesis: get(e, "aard") == "hypothese",
        })
        .collect();
    let contra = signals
        .iter()
        .map(|e| get(e, "contra"))
        .filter(|c| !c.is_empty())
        .collect();
    let consultations = records
        .iter()
        .filter(|e| e.kind == Kind::Consultatie)
        .map(|e| {
            format!(
                "{} met {}: {}",
                iso_date_nl(&get(e, "datum")),
                get(e, "naam"),
                get(e, "advies")
            )
        })
        .collect();
    let ticked: Vec<String> = signals
        .iter()
        .filter_map(|e| e.body.get(keys::SIGNALEN))
        .flat_map(|v| v.lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let met = |code: &str| match code {
        "leerling" => "de leerling",
        "ouders" => "de ouder(s)",
        "leerling_en_ouders" => "de leerling en de ouder(s)",
        _ => "",
    };
    let conversations = records
        .iter()
        .filter(|e| matches!(e.kind, Kind::Gesprek | Kind::GesprekOvergeslagen))
        .map(|e| {
            if e.kind == Kind::Gesprek {
                format!(
                    "{}, met {}. Reactie: {}",
                    iso_date_nl(&get(e, "datum")),
                    met(&get(e, "met")),
                    get(e, "reactie")
                )
            } else {
                format!("Gesprek niet gevoerd: {}", get(e, "toelichting"))
            }
        })
        .collect();
    let weighing = records
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Weging)
        .map(|e| {
            format!(
                "Risico: {} Aard: {} Ernst: {}",
                get(e, "risico"),
                get(e, "aard"),
                get(e, "ernst")
            )
        });
    Ok(SummaryPage {
        ctx,
        o,
        ticked,
        weighing,
        facts,
        contra,
        consultations,
        conversations,
    })
}
