//! The dossier page: where the dossier stands (from `domain::progress`), its chronology, and
//! what the user can do next.

use super::*;
use crate::domain::ids::UserId;

pub struct EntryView {
    pub id: EntryId,
    pub label: &'static str,
    pub step: Option<u8>,
    pub author: String,
    pub role: &'static str,
    pub when: String,
    pub fields: Vec<(&'static str, String)>,
    /// The body map's drawing, when the entry marks regions of it (its words are in `fields`).
    pub body_map: Vec<super::bodymap::FigureView>,
    pub refers_to: Option<EntryId>,
    pub referred_by: Vec<EntryId>,
    pub amendable: bool,
}

pub struct StepView {
    pub number: u8,
    pub title: &'static str,
    pub count: usize,
}

/// What the dossier page shows about a dossier, computed from its entries.
pub struct Overview {
    pub header: DossierHeader,
    pub age: Option<i32>,
    pub date_of_birth: String,
    pub forms: Vec<&'static str>,
    pub steps: Vec<StepView>,
    pub advice: Option<String>,
    pub missing_before_report: Vec<&'static str>,
    pub feedback_overdue: bool,
    pub review_overdue: Option<String>,
    pub expertise_missing: bool,
    /// On the honour route (`domain::honour`): the step pages show its instructions, and the
    /// forms its questions.
    pub honour: bool,
    /// Suspected female genital mutilation: the instructions name the Verklaring tegen
    /// meisjesbesnijdenis.
    pub fgm: bool,
    /// "Melden nodig, nog niet gemeld": the meldnorm's explanation, the days since the entry that
    /// made the report due, and its date.
    pub report_due: Option<ReportDueView>,
    /// Where the dossier stands under the meldcode (`domain::progress`), for the forms.
    pub standing: Standing,
    /// What the meldcode asks next (`domain::progress::next_step`, computed with the status).
    pub next_step: Option<NextStep>,
    /// The entries, newest first (of one step, when the page is filtered on a step).
    pub entries: Vec<EntryView>,
    /// How many older entries (of that step) the chronology leaves out: see [`CHRONOLOGY_PAGE`].
    pub hidden: usize,
    /// Step 5 as an ordered checklist (`domain::progress::checklist`); empty on the staff route.
    pub step5: Vec<Step5Item>,
    /// The risk level as the header shows it (`domain::risk::shown`: "Niet ingeschat" when no
    /// one judged it), and the latest risk entry, whose reason the header links to.
    pub risk: &'static str,
    pub risk_entry: Option<EntryId>,
}

impl Overview {
    /// Whether step 5 has begun: a task of it done or asked for now. Then the dossier page shows
    /// its checklist too.
    pub fn step5_begun(&self) -> bool {
        self.step5.iter().any(|t| t.mark != "later")
    }
}

/// One task of step 5 as the checklist shows it.
pub struct Step5Item {
    pub label: &'static str,
    /// The code of the entry kind that records it (its form on the step-5 page).
    pub kind: Option<&'static str>,
    /// gedaan, nu, later or niet-nodig.
    pub mark: &'static str,
}

impl Step5Item {
    fn new((task, mark): (Task, Mark)) -> Step5Item {
        Step5Item {
            label: task.label(),
            kind: task.kind().map(Kind::code),
            mark: match mark {
                Mark::Done => "gedaan",
                Mark::Now => "nu",
                Mark::Later => "later",
                Mark::NotNeeded => "niet-nodig",
            },
        }
    }
}

pub struct ReportDueView {
    pub explanation: &'static str,
    pub days: i64,
    pub since: String,
}

impl ReportDueView {
    pub fn new(duty: ReportDuty, today: time::Date) -> ReportDueView {
        let since = today_nl(duty.since);
        ReportDueView {
            explanation: duty.norm.explanation(),
            days: (today - since).whole_days().max(0),
            since: crate::web::format::date_nl(since),
        }
    }
}

pub(super) fn role_label(role: Option<Role>) -> &'static str {
    role.map_or("", Role::label)
}

/// How many entries the dossier page shows at first, the newest; a link shows them all.
pub const CHRONOLOGY_PAGE: usize = 100;

pub(super) fn overview(
    header: DossierHeader,
    records: &[EntryRecord],
    today: time::Date,
) -> Overview {
    overview_of(header, records, today, None, None)
}

/// The overview with only the newest `limit` entries of step `step` (all entries of every step
/// when `None`) in its chronology. Where the dossier stands is still read from every entry.
pub(super) fn overview_of(
    header: DossierHeader,
    records: &[EntryRecord],
    today: time::Date,
    step: Option<u8>,
    limit: Option<usize>,
) -> Overview {
    let dob = header.pupil.date_of_birth;
    let age = dob.map(|d| dossier::age_on(d, today));
    // Where the dossier stands is the domain's to say (`domain::progress::status`).
    let recorded: Vec<Recorded> = records.iter().map(EntryRecord::recorded).collect();
    let status = progress::status(header.route, &header.forms, header.open, &recorded, today);
    let steps = status
        .step_counts
        .iter()
        .map(|(s, count)| StepView {
            number: s.number(),
            title: s.title(),
            count: *count,
        })
        .collect();
    let date_nl = crate::web::format::date_nl;
    let advice = status.next.map(|next| match next {
        Next::Afwegingskader(advice) => advice_text(advice),
        Next::Reported {
            on,
            feedback_received: true,
            ..
        } => format!(
            "Gemeld bij Veilig Thuis op {}; Veilig Thuis heeft teruggekoppeld. Blijf doen wat met Veilig Thuis is afgesproken, en sluit het dossier als het is overgedragen.",
            date_nl(on)
        ),
        Next::Reported {
            on, feedback_due, ..
        } => format!(
            "Gemeld bij Veilig Thuis op {}. Veilig Thuis laat binnen 5 werkdagen weten wat het doet (uiterlijk {}). Leg de terugkoppeling vast bij stap 5.",
            date_nl(on),
            date_nl(feedback_due)
        ),
    });
    let mut referred: BTreeMap<EntryId, Vec<EntryId>> = BTreeMap::new();
    for e in records {
        if let Some(r) = e.refers_to {
            referred.entry(r).or_default().push(e.id);
        }
    }
    let of_step = |e: &&EntryRecord| step.is_none() || e.kind.step().map(Step::number) == step;
    let entries: Vec<EntryView> = records
        .iter()
        .rev()
        .filter(of_step)
        .take(limit.unwrap_or(usize::MAX))
        .map(|e| EntryView {
            id: e.id,
            label: e.kind.label(),
            step: e.kind.step().map(Step::number),
            author: e.author_name.clone(),
            role: role_label(e.author_role),
            when: moment_nl(e.created_at),
            fields: entry::display(e.kind, &e.body)
                .into_iter()
                .map(|(l, v)| (l, date_or_text(e.kind, l, v)))
                .collect(),
            body_map: e
                .body
                .get(keys::LICHAAM)
                .filter(|v| !v.is_empty())
                .map(|v| super::bodymap::figures(v))
                .unwrap_or_default(),
            refers_to: e.refers_to,
            referred_by: referred.get(&e.id).cloned().unwrap_or_default(),
            amendable: Kind::RECORDABLE.contains(&e.kind) || e.kind == Kind::Noodmelding,
        })
        .collect();
    let hidden = records.iter().filter(of_step).count() - entries.len();
    let risk_entry = records
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Risico)
        .map(|e| e.id);
    // Newest first.
    Overview {
        age,
        date_of_birth: dob
            .map(crate::web::format::date_nl)
            .unwrap_or_else(|| "onbekend".into()),
        forms: header.forms.iter().map(|f| f.label()).collect(),
        steps,
        advice,
        missing_before_report: status
            .missing_before_report
            .iter()
            .map(|s| s.title())
            .collect(),
        feedback_overdue: status.feedback_overdue,
        review_overdue: status.review_overdue.map(date_nl),
        expertise_missing: status.expertise_missing,
        honour: honour::applies(&header.forms),
        fgm: header.forms.contains(&Form::Meisjesbesnijdenis),
        report_due: status.report_due.map(|d| ReportDueView::new(d, today)),
        next_step: status.next_step,
        step5: status.step5.into_iter().map(Step5Item::new).collect(),
        risk: crate::domain::risk::shown(header.risk_level),
        risk_entry,
        standing: status.standing,
        entries,
        hidden,
        header,
    }
}

/// Dates are stored as `YYYY-MM-DD`; shown in Dutch.
pub(super) fn date_or_text(kind: Kind, label: &str, value: String) -> String {
    let is_date = kind
        .fields()
        .iter()
        .any(|f| f.label == label && matches!(f.input, Input::Date(_)));
    if is_date { iso_date_nl(&value) } else { value }
}

pub(super) fn advice_text(advice: Advice) -> String {
    match advice {
        Advice::Answer(1) => "Afwegingsvraag 1 is nog niet beantwoord: is er een vermoeden van huiselijk geweld of kindermishandeling? Dat doet u bij stap 4.".into(),
        Advice::Answer(2) => "Afwegingsvraag 2 is nog niet beantwoord: is er acute en/of structurele onveiligheid? Dat doet u bij stap 4 of 5.".into(),
        Advice::Answer(n) => format!("Beantwoord afwegingsvraag {n} bij stap 5."),
        Advice::CloseUnfounded => "Het vermoeden is ongegrond (vraag 1: nee). Sluit het dossier en leg vast dat het vermoeden ongegrond bleek.".into(),
        Advice::Report(norm) => norm.explanation().into(),
        Advice::HelpPlan => "Hulp is mogelijk en wordt aanvaard: leg in een hulpplan de termijn, de rollen, de casemanager en de evaluatiedatum vast. Op de evaluatiedatum beantwoordt u vraag 5.".into(),
        Advice::CloseWithMonitoring => "De hulp heeft gewerkt (vraag 5: ja). Sluit het dossier met afspraken over het volgen van de veiligheid.".into(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    stap: String,
    melding: String,
    /// "1": every entry in the chronology, not only the newest [`CHRONOLOGY_PAGE`].
    alle: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub o: Overview,
    /// The dossier's actions with deadlines (`domain::action`).
    pub actions: ActionsView,
    /// For a teacher: whether (and when) the aandachtsfunctionaris read the latest signal.
    pub signal_read: Option<Option<String>>,
    pub filter: Option<u8>,
    pub notice: Option<&'static str>,
    pub can_close: bool,
    pub can_add_colleague: bool,
    pub colleagues: Vec<(UserId, String)>,
    pub members: Vec<(UserId, String)>,
    pub case_manager: Option<String>,
    /// A transfer to another school waiting for acceptance: (to school, asked by, when).
    pub transfer: Option<(String, String, String)>,
    /// Whether the dossier can be handed to another school now (its own page chooses which).
    pub can_transfer: bool,
    /// The art. 4a duties in their order: (label, gedaan / volgende / open / vervallen).
    pub staff_duties: Vec<(&'static str, &'static str)>,
    /// Whether art. 4a applies (a staff dossier about sexual violence).
    pub art_4a: bool,
    /// For the one who coordinates: the pupil's other dossiers that they may see.
    pub other_dossiers: Vec<OtherDossier>,
    /// "Volgende: …": the words, and the form that records it with that form's title, where
    /// this user may record it.
    pub next: Option<(String, Option<(String, &'static str)>)>,
    /// Whether this user may judge the risk level now (`domain::progress::may_record_as`).
    pub can_judge_risk: bool,
    /// Whether this user may write a handover note for a deputy (`Kind::Waarneemnotitie`).
    pub can_note_for_deputy: bool,
    /// Whether this user may make the pupil's inspection copy: the aandachtsfunctionaris by
    /// their own role, not a deputy (`domain::cover`).
    pub can_inspect: bool,
    /// For a deputy acting through a cover: whom they stand in for, and until when.
    pub covering: Option<(String, String)>,
    /// The teacher's main button: ask the aandachtsfunctionaris for a consultation (no
    /// consultation recorded yet, none asked and waiting).
    pub ask_consultation: bool,
    /// The user's own request for a consultation that waits for an answer: when it was asked.
    pub my_request_waiting: Option<String>,
    /// For the one who coordinates: requests waiting for them, (who, question, when, where to
    /// record the consultation).
    pub waiting_requests: Vec<(String, String, String, String)>,
}

/// Another dossier about the same pupil, as the notice on the dossier page lists it.
pub struct OtherDossier {
    pub id: DossierId,
    pub opened: String,
    pub open: bool,
    pub school: String,
    /// Whether it can be merged into this dossier: both open, on the same route (the merge page
    /// says why not otherwise: domain::merge).
    pub mergeable: bool,
}

/// The pupil's other dossiers, for the coordinator of this dossier only (the store gives no one
/// else any): that a pupil had earlier dossiers is itself confidential.
pub(super) async fn other_dossiers(
    state: &AppState,
    user: &CurrentUser,
    access: &DossierAccess,
) -> Result<Vec<OtherDossier>> {
    Ok(state
        .db
        .other_dossiers(access, &viewer(user))
        .await?
        .into_iter()
        .map(|s| OtherDossier {
            id: s.header.id,
            opened: crate::web::format::date_nl(today_nl(s.header.opened_at)),
            open: s.header.open,
            mergeable: s.header.open
                && access.dossier().open
                && s.header.route == access.dossier().route,
            school: s.header.school_name,
        })
        .collect())
}

impl ShowPage {
    pub fn is_filter(&self, n: &u8) -> bool {
        self.filter == Some(*n)
    }

    /// The heading of the notice about the pupil's other dossiers.
    pub fn other_dossiers_title(&self) -> &'static str {
        let earlier = self.other_dossiers.iter().all(|d| d.id < self.o.header.id);
        match (earlier, self.other_dossiers.len()) {
            (true, 1) => "Deze leerling heeft een eerder dossier",
            (true, _) => "Deze leerling heeft eerdere dossiers",
            (false, 1) => "Deze leerling heeft nog een dossier",
            (false, _) => "Deze leerling heeft nog andere dossiers",
        }
    }
}

/// Whether the user coordinates this dossier (`domain::access::coordinates`): closing and
/// reopening, colleagues and the help plan are theirs.
pub(super) fn second_line(access: &DossierAccess) -> bool {
    coordinates(access.role(), access.dossier().route)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<ShowPage> {
    let access = open(&state, &user, &id, Purpose::Read).await?;
    let records = state.db.entries(&access).await?;
    let other_dossiers = other_dossiers(&state, &user, &access).await?;
    let filter = q.stap.parse::<u8>().ok().filter(|n| (1..=5).contains(n));
    let all = q.alle == "1";
    // Where the dossier stands is read from all its entries; the chronology shows the newest.
    let o = overview_of(
        access.dossier().clone(),
        &records,
        today_nl(state.clock.unix()),
        filter,
        (!all).then_some(CHRONOLOGY_PAGE),
    );
    let can_add_colleague = second_line(&access)
        && access.dossier().route == Route::Stappenplan
        && access.dossier().open;
    // The added colleagues, the case manager, a waiting transfer and (for the one who can add
    // them) the school's colleagues, and whether the viewer has unread notifications about it:
    // one query.
    let circle = state.db.circle(&access, can_add_colleague).await?;
    // Opening the dossier reads its notifications; most views have none, and write nothing.
    if circle.unread > 0 {
        state.db.mark_read(&access, state.clock.unix()).await?;
    }
    // Who can still be added: colleagues of the school who do not see the dossier already.
    let colleagues = circle
        .colleagues
        .into_iter()
        .filter(|c| {
            c.id != user.user.id
                && c.id != access.dossier().opened_by
                && !circle.members.iter().any(|m| m.id == c.id)
        })
        .map(|c| (c.id, c.name))
        .collect();
    let members = circle.members.into_iter().map(|c| (c.id, c.name)).collect();
    let actions = actions_view(&state, &access, circle.case_manager.as_ref().map(|c| c.id)).await?;
    // The case manager named as a colleague, or else the one written in the latest help plan.
    let case_manager = match circle.case_manager {
        Some(c) => Some(c.name),
        None => records
            .iter()
            .rev()
            .find(|e| e.kind == Kind::Hulpplan)
            .and_then(|e| e.body.get(keys::CASEMANAGER).cloned()),
    };
    let transfer = circle
        .transfer
        .map(|t| (t.to_school, t.requested_by, moment_nl(t.requested_at)));
    let can_transfer = can_add_colleague && transfer.is_none();
    let earlier: Vec<(Kind, &entry::Body)> = records.iter().map(|e| (e.kind, &e.body)).collect();
    // What comes next, and who waits for whom: the consultation requests of this dossier.
    let requests = state.db.consultation_requests(&access).await?;
    let waiting: Vec<_> = requests
        .iter()
        .filter(|r| r.answered_at.is_none())
        .collect();
    let my_request_waiting = waiting
        .iter()
        .find(|r| r.requested_by == user.user.id)
        .map(|r| moment_nl(r.created_at));
    let coordinator = second_line(&access);
    let d = access.dossier();
    let waiting_requests = if coordinator {
        waiting
            .iter()
            .map(|r| {
                let path = match d.route {
                    Route::Stappenplan => urls::answer_request(d.id, r.id),
                    Route::Medewerker => urls::answer_staff_request(d.id, r.id),
                };
                (
                    r.requested_by_name.clone(),
                    r.question.clone(),
                    moment_nl(r.created_at),
                    path,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // The teacher sees whether the aandachtsfunctionaris has read the latest signal (one a
    // teacher recorded): from the audit log's reads since it was recorded.
    let signal_read = match records
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Signaal && e.author_role != Some(Role::Aandachtsfunctionaris))
    {
        Some(signal) if !coordinator && d.route == Route::Stappenplan => Some(
            state
                .db
                .read_by_coordinator_since(&access, signal.created_at)
                .await?
                .map(moment_nl),
        ),
        _ => None,
    };
    let ask_consultation = !coordinator
        && d.open
        && d.route == Route::Stappenplan
        && !o.standing.consultation
        && my_request_waiting.is_none();
    // The link opens the form of what comes next, where this user may record it.
    let next = o.next_step.map(|n| {
        let href = may_record(&access, n.kind())
            .then(|| (urls::form(d.id, n.kind()), n.kind().form_title()));
        (n.label(), href)
    });
    let art_4a = staff::applies_art_4a(&access.dossier().forms);
    let staff_duties = staff::checklist(&access.dossier().forms, &earlier)
        .into_iter()
        .map(|(duty, state)| {
            let state = match state {
                DutyState::Done => "gedaan",
                DutyState::Next => "volgende",
                DutyState::Open => "open",
                DutyState::FallenAway => "vervallen",
            };
            (duty.label(), state)
        })
        .collect();
    Ok(ShowPage {
        ctx,
        o,
        actions,
        signal_read,
        filter,
        notice: PageNotice::parse(&q.melding).map(PageNotice::text),
        can_close: second_line(&access),
        can_add_colleague,
        colleagues,
        members,
        case_manager,
        transfer,
        can_transfer,
        staff_duties,
        art_4a,
        other_dossiers,
        next,
        can_judge_risk: may_record(&access, Kind::Risico),
        can_note_for_deputy: may_record(&access, Kind::Waarneemnotitie),
        can_inspect: second_line(&access) && !access.through_cover(),
        covering: access
            .through_cover()
            .then(|| {
                user.covers
                    .iter()
                    .find(|c| c.school_id == access.dossier().school_id)
                    .map(|c| {
                        (
                            c.absent_name.clone(),
                            crate::domain::dates::date_nl(c.period.until),
                        )
                    })
            })
            .flatten(),
        ask_consultation,
        my_request_waiting,
        waiting_requests,
    })
}
