//! Recording: each step's page with its instructions beside the form, the forms of the other
//! kinds, corrections, consultation requests, and the one POST that records any entry.

use super::*;
use crate::domain::ids::RequestId;

/// The kinds that can be recorded on a dossier's route, grouped for the step pages.
pub(super) fn kinds_for_step(step: Step) -> &'static [Kind] {
    match step {
        Step::Signalen => &[Kind::Signaal],
        Step::Consultatie => &[Kind::Consultatie],
        Step::Gesprek => &[Kind::Gesprek, Kind::GesprekOvergeslagen],
        Step::Wegen => &[Kind::Weging],
        Step::Beslissen => &[
            Kind::Besluit,
            Kind::Meldgesprek,
            Kind::MeldgesprekOvergeslagen,
            Kind::Melding,
            Kind::Terugkoppeling,
            Kind::Hulpplan,
            Kind::Evaluatie,
        ],
    }
}

/// Whether this user may record this kind on this dossier now (`domain::progress::may_record`).
pub(super) fn may_record(access: &DossierAccess, kind: Kind) -> bool {
    access.write(kind).is_some()
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/record.html")]
pub struct RecordPage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub kind: Kind,
    pub kind_code: &'static str,
    pub title: String,
    pub step: Option<u8>,
    /// Other kinds of this step to switch to: (code, label, current).
    pub choices: Vec<(&'static str, &'static str, bool)>,
    pub instructions: &'static str,
    pub fields: Vec<FieldView>,
    pub errors: Errors,
    pub refers_to: Option<(EntryId, String)>,
    /// The entry being corrected or added to, shown as it stands.
    pub referred_fields: Vec<(&'static str, String)>,
    /// For the report and the conversation before it: with whom, by the pupil's age.
    pub age_rule: Option<&'static str>,
    pub allowed: bool,
    /// Step 2: the dossier's consultation requests, whether this user may ask for one, and the
    /// request being answered.
    pub requests: Vec<RequestStatus>,
    pub can_request: bool,
    pub answering: Option<RequestId>,
    /// Step 2: the school's aandachtsfunctionarissen, whom the step refers to.
    pub experts: Vec<String>,
    pub notice: Option<&'static str>,
    /// The decision's form: the weighing whose question 2 it starts from (its number, when).
    pub carried_from: Option<(EntryId, String)>,
}

/// Which instructions stand beside a form: the step's, or for the other kinds the step whose
/// instructions speak of them.
pub(super) fn instructions_for(kind: Kind, route: Route) -> &'static str {
    match (route, kind.step(), kind) {
        (Route::Medewerker, _, _) => "medewerker",
        (_, Some(Step::Signalen), _) | (_, None, Kind::Aanvulling) => "stap1",
        (_, Some(Step::Consultatie), _) | (_, None, Kind::Verwijsindex) => "stap2",
        (_, Some(Step::Gesprek), _) | (_, None, Kind::Politie) => "stap3",
        (_, Some(Step::Wegen), _) | (_, None, Kind::Risico) => "stap4",
        (_, None, Kind::Waarneemnotitie) => "waarneming",
        _ => "stap5",
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn record_page(
    ctx: PageCtx,
    access: &DossierAccess,
    records: &[EntryRecord],
    kind: Kind,
    values: &Values,
    errors: Errors,
    refers_to: Option<&EntryRecord>,
    today: time::Date,
    list: &signals::List,
) -> RecordPage {
    // A form kept when the session ended comes back with what was typed (web::drafts).
    let restored = ctx.restored_values();
    let values = restored.as_ref().unwrap_or(values);
    let mut errors = errors;
    for f in kind.fields() {
        errors.label(f.key, f.label);
    }
    let o = overview(access.dossier().clone(), records, today);
    let step = kind.step();
    let mut omit = Omit::default();
    // Fields that do not apply to this dossier are left out of its form.
    if kind == Kind::Melding && o.missing_before_report.is_empty() {
        omit.fields
            .extend(["ontbrekende_grond", "ontbrekende_stappen"]);
    }
    if kind == Kind::Gesloten && o.standing.assessment.q1_suspicion.is_some() {
        omit.fields.push("grond");
    }
    if kind == Kind::Heropend
        && o.standing.closed_as != Some(dossier::CloseReason::Ongegrond)
        && !values.contains_key(keys::NIEUWE_SIGNALEN)
    {
        omit.fields.push("nieuwe_signalen");
    }
    if kind == Kind::Meldgesprek && o.age.is_some_and(|a| a < 16) {
        omit.fields
            .extend(["toestemming", "toestemming_toelichting"]);
    }
    let earlier: Vec<(Kind, &entry::Body)> = records.iter().map(|e| (e.kind, &e.body)).collect();
    let d = access.dossier();
    omit.fields
        .extend(staff::omitted_fields(d.route, &d.forms, kind, &earlier));
    let hypothesis = refers_to.is_some_and(|e| {
        e.kind == Kind::Signaal && e.body.get(keys::AARD).is_some_and(|a| a == "hypothese")
    });
    if kind == Kind::Aanvulling && !hypothesis {
        omit.choices
            .extend(["hypothese_bevestigd", "hypothese_weerlegd"]);
    }
    let choices = step.map_or_else(Vec::new, |s| {
        kinds_for_step(s)
            .iter()
            .filter(|k| may_record(access, **k))
            .map(|k| (k.code(), k.label(), *k == kind))
            .collect()
    });
    let age_rule = matches!(
        kind,
        Kind::Meldgesprek | Kind::MeldgesprekOvergeslagen | Kind::Melding
    )
    .then(|| o.age.map(|a| ReportConversationWith::for_age(a).label()))
    .flatten();
    let title = match step {
        Some(s) => format!("Stap {}: {}", s.number(), s.title()),
        None => kind.form_title().to_string(),
    };
    RecordPage {
        fields: field_views(kind, values, &errors, list, &access.dossier().forms, &omit),
        instructions: instructions_for(kind, access.dossier().route),
        kind_code: kind.code(),
        allowed: may_record(access, kind),
        requests: Vec::new(),
        can_request: false,
        answering: None,
        experts: Vec::new(),
        notice: None,
        carried_from: None,
        referred_fields: refers_to
            .map(|e| entry::display(e.kind, &e.body))
            .unwrap_or_default(),
        refers_to: refers_to.map(|e| {
            (
                e.id,
                format!("{} van {}", e.kind.label(), moment_nl(e.created_at)),
            )
        }),
        ctx,
        o,
        kind,
        title,
        step: step.map(Step::number),
        choices,
        errors,
        age_rule,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KindQuery {
    soort: String,
    /// A consultation request the aandachtsfunctionaris is answering.
    verzoek: String,
    melding: String,
}

pub async fn step_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path((id, step)): Path<(String, String)>,
    Query(q): Query<KindQuery>,
) -> Result<RecordPage> {
    let step = step
        .parse::<u8>()
        .ok()
        .and_then(Step::from_number)
        .ok_or(AppError::NotFound)?;
    let access = open(&state, &user, &id, Purpose::Read).await?;
    let records = state.db.entries(&access).await?;
    let list = signal_list(&state, &user, &access).await?;
    let kinds = kinds_for_step(step);
    let kind = Kind::parse(&q.soort)
        .filter(|k| kinds.contains(k))
        .or_else(|| kinds.iter().copied().find(|k| may_record(&access, *k)))
        .unwrap_or(kinds[0]);
    let today = today_nl(state.clock.unix());
    let requests = if step == Step::Consultatie {
        state.db.consultation_requests(&access).await?
    } else {
        Vec::new()
    };
    // Answering a request: the form starts filled in with the request's question.
    let mut values = Values::new();
    let answering = requests.iter().find(|r| {
        r.id.to_string() == q.verzoek
            && r.answered_at.is_none()
            && access.role() == Role::Aandachtsfunctionaris
    });
    if let Some(r) = answering {
        for (k, v) in [
            (keys::MET, "aandachtsfunctionaris".to_string()),
            (keys::NAAM, user.user.name.clone()),
            (keys::DATUM, today.to_string()),
            (
                keys::VRAAG,
                format!("{} (gevraagd door {})", r.question, r.requested_by_name),
            ),
            ("verzoek", r.id.to_string()),
        ] {
            values.insert(k.to_string(), vec![v]);
        }
    }
    // The decision starts from step 4: question 2 as the latest weighing answered it.
    let mut carried_from = None;
    if kind == Kind::Besluit {
        let recorded: Vec<Recorded> = records.iter().map(EntryRecord::recorded).collect();
        if let Some((from, carried)) = progress::decision_from_weighing(&recorded) {
            values.extend(carried.into_iter().map(|(k, v)| (k, vec![v])));
            carried_from = records
                .iter()
                .find(|e| e.id == from)
                .map(|e| (from, moment_nl(e.created_at)));
        }
    }
    let mut page = record_page(
        ctx,
        &access,
        &records,
        kind,
        &values,
        Errors::default(),
        None,
        today,
        &list,
    );
    page.carried_from = carried_from;
    page.answering = answering.map(|r| r.id);
    page.notice = PageNotice::parse(&q.melding).map(PageNotice::text);
    // The aandachtsfunctionaris is named only where they can see the dossier: not on the staff
    // route, where a request for a consultation goes to directie.
    if step == Step::Consultatie && access.dossier().route == Route::Stappenplan {
        page.experts = state.db.experts(access.dossier().school_id).await?;
    }
    page.can_request = step == Step::Consultatie && !second_line(&access) && access.dossier().open;
    let answers_here =
        access.dossier().route == Route::Medewerker && may_record(&access, Kind::Medewerkerplicht);
    page.requests = requests
        .into_iter()
        .map(|r| RequestStatus {
            answer_path: (answers_here && r.answered_at.is_none())
                .then(|| urls::answer_staff_request(access.id(), r.id)),
            question: r.question,
            when: moment_nl(r.created_at),
            by: r.requested_by_name,
            answered: r.answered_at.map(moment_nl),
            answer_entry: r.answer_entry_id,
        })
        .collect();
    Ok(page)
}

/// A consultation request as the step-2 page shows it.
pub struct RequestStatus {
    /// Where directie answers a request on the staff route, while it is open.
    pub answer_path: Option<String>,
    pub question: String,
    pub when: String,
    pub by: String,
    pub answered: Option<String>,
    pub answer_entry: Option<EntryId>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    vraag: String,
}

/// A teacher asks the aandachtsfunctionaris for a consultation (step 2).
pub async fn request_consultation(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<RequestForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    let question = form.vraag.trim();
    if !access.dossier().open {
        return Err(AppError::Forbidden);
    }
    if question.is_empty() || question.chars().count() > entry::TEXT_MAX {
        // Nothing typed, or far too much: back to step 2, which asks again.
        return Ok(Redirect::to(&urls::step_notice(
            access.id(),
            Step::Consultatie,
            PageNotice::VraagLeeg,
        ))
        .into_response());
    }
    state
        .db
        .request_consultation(&access, question, state.clock.unix())
        .await?;
    let notice = match access.dossier().route {
        Route::Stappenplan => PageNotice::OverlegGevraagd,
        Route::Medewerker => PageNotice::OverlegGevraagdDirectie,
    };
    Ok(Redirect::to(&urls::step_notice(access.id(), Step::Consultatie, notice)).into_response())
}

/// The form for a kind outside the steps (Verwijsindex, police, closing, a staff-route duty).
pub async fn record_kind(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<KindQuery>,
) -> Result<RecordPage> {
    let kind = Kind::parse(&kind)
        .filter(|k| Kind::RECORDABLE.contains(k))
        .ok_or(AppError::NotFound)?;
    let access = open(&state, &user, &id, Purpose::Read).await?;
    let records = state.db.entries(&access).await?;
    let list = signal_list(&state, &user, &access).await?;
    let today = today_nl(state.clock.unix());
    // On the staff route directie answers a request for a consultation with a duty entry: the
    // form starts filled in with the question.
    let mut values = Values::new();
    let answering =
        if kind == Kind::Medewerkerplicht && !q.verzoek.is_empty() && may_record(&access, kind) {
            state
                .db
                .consultation_requests(&access)
                .await?
                .into_iter()
                .find(|r| r.id.to_string() == q.verzoek && r.answered_at.is_none())
        } else {
            None
        };
    if let Some(r) = &answering {
        for (k, v) in [
            (keys::PLICHT, "anders".to_string()),
            (keys::DATUM, today.to_string()),
            (
                "toelichting",
                format!(
                    "Vraag van {}: {}\n\nAntwoord: ",
                    r.requested_by_name, r.question
                ),
            ),
            ("verzoek", r.id.to_string()),
        ] {
            values.insert(k.to_string(), vec![v]);
        }
    }
    let mut page = record_page(
        ctx,
        &access,
        &records,
        kind,
        &values,
        Errors::default(),
        None,
        today,
        &list,
    );
    page.answering = answering.map(|r| r.id);
    Ok(page)
}

pub async fn amend_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path((id, entry_id)): Path<(String, String)>,
) -> Result<RecordPage> {
    let access = open(&state, &user, &id, Purpose::Read).await?;
    let records = state.db.entries(&access).await?;
    let list = signal_list(&state, &user, &access).await?;
    let entry_id = parse_id(&entry_id)?;
    let referred = records
        .iter()
        .find(|e| e.id == entry_id)
        .ok_or(AppError::NotFound)?;
    Ok(record_page(
        ctx,
        &access,
        &records,
        Kind::Aanvulling,
        &Values::new(),
        Errors::default(),
        Some(referred),
        today_nl(state.clock.unix()),
        &list,
    ))
}

/// Records any entry. The kind comes from the form; whether it may be recorded here, its fields
/// and the rules are checked; on a mistake the same page comes back with the text kept.
pub async fn record(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let values = values_of(&body);
    let access = open(&state, &user, &id, Purpose::Write).await?;
    let kind = Kind::parse(first(&values, "soort"))
        .filter(|k| Kind::RECORDABLE.contains(k))
        .ok_or(AppError::NotFound)?;
    // A new entry needs only the one it refers to and which steps were done (kept on the
    // dossier): its cost does not grow with the dossier. The whole chronology is read only when
    // the form comes back with a message.
    let list = signal_list(&state, &user, &access).await?;
    let today = today_nl(state.clock.unix());
    let referred = match first(&values, "verwijst_naar") {
        "" => None,
        v => Some(
            state
                .db
                .entry(&access, v.parse().map_err(|_| AppError::NotFound)?)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    };
    let refers_to = referred.as_ref();
    // Not this user's to record (403), or "Nee, terug naar het formulier" on the closing's
    // confirmation: the form comes back as it was typed.
    let going_back = kind == Kind::Gesloten && first(&values, closing::BACK) == "ja";
    let write = match access.write(kind) {
        Some(write) if !going_back => write,
        write => {
            let records = state.db.entries(&access).await?;
            let page = record_page(
                ctx,
                &access,
                &records,
                kind,
                &values,
                Errors::default(),
                refers_to,
                today,
                &list,
            );
            let status = match write {
                Some(_) => StatusCode::OK,
                None => StatusCode::FORBIDDEN,
            };
            return Ok((status, page).into_response());
        }
    };
    let rules = Context {
        today,
        forms: access.dossier().forms.clone(),
        steps_done: Step::ALL
            .into_iter()
            .filter(|s| access.dossier().step_done(s.number()))
            .collect(),
        signals: Some(list.clone()),
        pupil_born: access.dossier().pupil.date_of_birth,
        opened_on: Some(today_nl(access.dossier().opened_at)),
    };
    let mut result = entry::validate(kind, &values, &rules);
    if let (Ok(b), Some(referred)) = (&result, refers_to)
        && !entry::relation_allowed(
            b.get(keys::RELATIE).map_or("", String::as_str),
            referred.kind,
            &referred.body,
        )
    {
        result = Err(vec![(
            "relatie",
            "Alleen een veronderstelling kan bevestigd of weerlegd worden.".to_string(),
        )]);
    }
    if kind == Kind::Aanvulling && refers_to.is_none() {
        result = Err(vec![(
            "relatie",
            "Kies de aantekening die u corrigeert of aanvult.".to_string(),
        )]);
    }
    // Closing asks for confirmation first, once the history admits it (it is decided again when
    // it is written).
    if kind == Kind::Gesloten
        && first(&values, closing::CONFIRMED) != "ja"
        && let Ok(entry_body) = &result
    {
        let records = state.db.entries(&access).await?;
        let history: Vec<(Kind, &entry::Body, i64)> = records
            .iter()
            .map(|e| (e.kind, &e.body, e.created_at))
            .collect();
        let d = access.dossier();
        let refused = progress::admit(kind, entry_body, d.route, &d.forms, &history);
        if refused.is_empty() {
            let page = closing::confirm_close(ctx, &access, &records, entry_body, &values, today);
            return Ok(page.into_response());
        }
        result = Err(refused);
    }
    let mistakes = match result {
        Ok(entry_body) => match state
            .db
            .add_entry(
                &write,
                &entry_body,
                refers_to.map(|e| e.id),
                first(&values, "verzoek").parse().ok(),
                state.clock.unix(),
            )
            .await?
        {
            Added::Recorded(entry_id) => {
                let back = match kind {
                    Kind::Gesloten => urls::dossier_notice(access.id(), PageNotice::Gesloten),
                    Kind::Heropend => urls::dossier_notice(access.id(), PageNotice::Heropend),
                    _ => urls::saved(access.id(), entry_id),
                };
                return Ok(Redirect::to(&back).into_response());
            }
            // The dossier's history does not admit it (the meldnorm, a contradictory record).
            Added::Refused(why) => why,
        },
        Err(mistakes) => mistakes,
    };
    let records = state.db.entries(&access).await?;
    let page = record_page(
        ctx,
        &access,
        &records,
        kind,
        &values,
        Errors::from(mistakes),
        refers_to,
        today,
        &list,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
