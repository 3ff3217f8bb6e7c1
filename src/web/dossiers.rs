//! The dossier pages: the list, "Ik maak me zorgen" (opening a dossier), the dossier with its
//! steps and chronology, each step's page with its instructions beside its form, recording
//! entries, corrections, closing and reopening, adding colleagues, the emergency report, and the
//! print views.
//!
//! Every route takes a [`DossierWorker`] first (the beheerder gets "not found" everywhere), and
//! every route about one dossier gets its [`DossierAccess`] from `Db::open_dossier`, which decides
//! and audits. A dossier the user may not see is "not found", as one that does not exist.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::access::DossierWorker;
use super::error::{AppError, Result};
use super::form::Errors;
use super::format::{iso_date_nl, moment_nl, today_nl};
use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::access::Viewer;
use crate::domain::dossier::{self, Advice, Form, ReportConversationWith, Route, Step};
use crate::domain::entry::{self, Context, Input, Kind, Values};
use crate::domain::progress::{ReportDuty, Standing};
use crate::domain::role::Role;
use crate::domain::signals::{self, AgeBand};
use crate::domain::staff::{self, DutyState};
use crate::store::dossiers::{
    Added, DossierAccess, DossierHeader, EntryRecord, NewDossier, NewPupil, Purpose,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dossiers", get(list))
        .route("/dossiers/nieuw", get(new_form).post(create))
        .route("/dossiers/{id}", get(show))
        .route("/dossiers/{id}/stap/{step}", get(step_page))
        .route("/dossiers/{id}/vastleggen/{kind}", get(record_kind))
        .route("/dossiers/{id}/aanvullen/{entry}", get(amend_page))
        .route("/dossiers/{id}/aantekening", post(record))
        .route("/dossiers/{id}/collega", post(add_colleague))
        .route("/dossiers/{id}/collega/verwijderen", post(remove_colleague))
        .route(
            "/dossiers/{id}/overdragen",
            get(transfer_page).post(transfer),
        )
        .route(
            "/werkruimte/overdracht/{transfer}/accepteren",
            post(accept_transfer),
        )
        .route("/dossiers/{id}/overleg-vragen", post(request_consultation))
        .route("/dossiers/{id}/afdrukken", get(print))
        .route("/dossiers/{id}/samenvatting", get(summary))
        .route("/nood/melding", get(emergency_page).post(emergency))
        // Anything else below /dossiers: also behind the DossierWorker gate.
        .route("/dossiers/{id}/{*rest}", get(unknown).post(unknown))
}

pub fn viewer(user: &CurrentUser) -> Viewer {
    Viewer {
        user_id: user.user.id,
        roles: user.roles.iter().map(|r| (r.school_id, r.role)).collect(),
    }
}

fn parse_id(id: &str) -> Result<i64> {
    id.parse().map_err(|_| AppError::NotFound)
}

async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    purpose: Purpose,
) -> Result<DossierAccess> {
    let id = parse_id(id)?;
    state
        .db
        .open_dossier(
            &viewer(user),
            id,
            purpose,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)
}

fn values_of(body: &Bytes) -> Values {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut values = Values::new();
    for (k, v) in pairs {
        values.entry(k).or_default().push(v);
    }
    values
}

fn first<'a>(values: &'a Values, key: &str) -> &'a str {
    values
        .get(key)
        .and_then(|v| v.first())
        .map_or("", |s| s.as_str())
}

pub async fn unknown(DossierWorker(_): DossierWorker) -> AppError {
    AppError::NotFound
}

// ---------------------------------------------------------------------------------------------
// The list

pub struct ListRow {
    pub id: i64,
    pub pupil: String,
    pub school: String,
    pub open: bool,
    pub staff_route: bool,
    pub emergency: bool,
    pub steps: Vec<(u8, bool)>,
    pub last_activity: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/list.html")]
pub struct DossierList {
    pub ctx: PageCtx,
    pub rows: Vec<ListRow>,
    pub can_open: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
) -> Result<DossierList> {
    let rows = state
        .db
        .dossiers_for(&viewer(&user))
        .await?
        .into_iter()
        .map(|s| ListRow {
            id: s.header.id,
            pupil: s.header.pupil.name.clone(),
            school: s.header.school_name.clone(),
            open: s.header.open,
            staff_route: s.header.route == Route::Medewerker,
            emergency: s.header.emergency,
            steps: Step::ALL
                .iter()
                .map(|st| (st.number(), s.steps_done.contains(&st.number())))
                .collect(),
            last_activity: moment_nl(s.header.last_entry_at),
        })
        .collect();
    Ok(DossierList {
        ctx,
        rows,
        can_open: true,
    })
}

// ---------------------------------------------------------------------------------------------
// Opening a dossier: "Ik maak me zorgen"

#[derive(Debug, Default, Clone)]
pub struct NewForm {
    pub school: String,
    pub naam: String,
    pub geboortedatum: String,
    pub groep: String,
    pub vormen: Vec<String>,
    pub medewerker: String,
    pub aard: String,
    pub waarneming: String,
    pub bron: String,
    pub bron_wie: String,
}

impl NewForm {
    fn from_values(v: &Values) -> NewForm {
        NewForm {
            school: first(v, "school").to_string(),
            naam: first(v, "naam").to_string(),
            geboortedatum: first(v, "geboortedatum").to_string(),
            groep: first(v, "groep").to_string(),
            vormen: v.get("vormen").cloned().unwrap_or_default(),
            medewerker: first(v, "medewerker").to_string(),
            aard: first(v, "aard").to_string(),
            waarneming: first(v, "waarneming").to_string(),
            bron: first(v, "bron").to_string(),
            bron_wie: first(v, "bron_wie").to_string(),
        }
    }

    pub fn has_form(&self, code: &str) -> bool {
        self.vormen.iter().any(|v| v == code)
    }
}

/// A school where the user works with dossiers, to choose from when they work at several.
pub struct SchoolChoice {
    pub school_id: i64,
    pub school_name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/new.html")]
pub struct NewPage {
    pub ctx: PageCtx,
    pub schools: Vec<SchoolChoice>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub form: NewForm,
    pub errors: Errors,
}

/// The schools where the user works with dossiers. No pupil is listed: who has a dossier is
/// itself confidential (the pupil is typed, and linked on the server).
fn schools_of(user: &CurrentUser) -> Vec<SchoolChoice> {
    let mut seen = BTreeSet::new();
    user.roles
        .iter()
        .filter(|r| r.role.may_work_with_dossiers() && seen.insert(r.school_id))
        .map(|r| SchoolChoice {
            school_id: r.school_id,
            school_name: r.school_name.clone(),
        })
        .collect()
}

/// The forms of violence offered for a pupil. Elder abuse is one of the meldcode's forms, but not
/// one a school meets in a pupil.
fn form_options() -> Vec<(&'static str, &'static str)> {
    Form::ALL
        .iter()
        .filter(|f| **f != Form::Ouderenmishandeling)
        .map(|f| (f.code(), f.label()))
        .collect()
}

/// The pupil a new dossier is about, as typed, at one of the user's schools. A pupil needs a
/// plausible date of birth, except in an emergency, when it may still be unknown. Whether the
/// school already has this pupil is not asked here: the store links them silently, so that the
/// answer is the same either way. Mistakes are added to `errors`.
fn typed_pupil(
    form: &NewForm,
    schools: &[SchoolChoice],
    today: time::Date,
    birth_date_required: bool,
    errors: &mut Errors,
) -> Option<(i64, NewPupil)> {
    let school = schools
        .iter()
        .find(|s| s.school_id.to_string() == form.school || schools.len() == 1);
    if school.is_none() {
        errors.add("school", "Kies de school van de leerling.");
    }
    let name = errors.check(
        "naam",
        crate::domain::account::ShortText::parse(&form.naam, "de naam van de leerling"),
    );
    let dob = match entry::parse_date(&form.geboortedatum) {
        Some(d) => match crate::domain::dates::check_date_of_birth(d, today) {
            Ok(d) => Some(d.to_string()),
            Err(msg) => {
                errors.add("geboortedatum", msg);
                None
            }
        },
        // Something typed that is not a date: refused, also where the date may be left open.
        None if !form.geboortedatum.trim().is_empty() => {
            errors.add(
                "geboortedatum",
                "Vul een geldige geboortedatum in: dag, maand en jaar, bijvoorbeeld 28-11-2016.",
            );
            None
        }
        None if !birth_date_required => Some(String::new()),
        None => {
            errors.add(
                "geboortedatum",
                "Vul de geboortedatum in, bijvoorbeeld 28-11-2016.",
            );
            None
        }
    };
    let (school, name, dob) = (school?, name?, dob?);
    Some((
        school.school_id,
        NewPupil {
            name: name.as_str().to_string(),
            date_of_birth: dob,
            group_name: crate::domain::pupil::clean_group(&form.groep),
        },
    ))
}

/// The pupil's fields by the labels the opening and emergency forms show, for the summary.
fn pupil_labels() -> Errors {
    let mut errors = Errors::default();
    errors.label("school", "School");
    errors.label("naam", "Naam van de leerling");
    errors.label("geboortedatum", "Geboortedatum");
    errors.label("groep", "Groep of klas");
    errors
}

/// An empty opening form, with the user's first school chosen.
fn empty_form(schools: &[SchoolChoice]) -> NewForm {
    NewForm {
        school: schools
            .first()
            .map(|s| s.school_id.to_string())
            .unwrap_or_default(),
        ..NewForm::default()
    }
}

pub async fn new_form(ctx: PageCtx, DossierWorker(user): DossierWorker) -> Result<NewPage> {
    let schools = schools_of(&user);
    let form = empty_form(&schools);
    Ok(NewPage {
        ctx,
        schools,
        forms: form_options(),
        form,
        errors: Errors::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    body: Bytes,
) -> Result<Response> {
    let values = values_of(&body);
    let form = NewForm::from_values(&values);
    let schools = schools_of(&user);
    let today = today_nl(state.clock.unix());
    let mut errors = pupil_labels();

    let chosen = typed_pupil(&form, &schools, today, true, &mut errors);
    let (school_id, pupil) = chosen.map_or((0, None), |(s, p)| (s, Some(p)));

    let forms: Vec<Form> = form.vormen.iter().filter_map(|c| Form::parse(c)).collect();
    let route = match form.medewerker.as_str() {
        "ja" => Some(Route::Medewerker),
        "nee" => Some(Route::Stappenplan),
        _ => {
            errors.add(
                "medewerker",
                "Geef aan of het vermoeden een medewerker van school betreft.",
            );
            None
        }
    };
    match (forms.is_empty(), route) {
        (true, Some(Route::Stappenplan)) => errors.add("vormen", "Kies minstens één vorm van geweld waar u zich zorgen over maakt. Twijfelt u? Kies wat het meest in de buurt komt; u kunt het later aanvullen."),
        // On the staff route the forms decide whether the law's duties apply (WPO art. 4a).
        (true, Some(Route::Medewerker)) => errors.add("vormen", "Kies minstens één vorm van geweld waar u zich zorgen over maakt. Gaat het (mogelijk) om seksueel misbruik of seksueel grensoverschrijdend gedrag? Kies dan \u{201c}Seksueel geweld of misbruik\u{201d}: dan gelden de plichten uit de wet."),
        _ => {}
    }
    let ctx_rules = Context {
        today,
        forms: forms.clone(),
        steps_done: BTreeSet::new(),
        signals: None,
        pupil_born: None,
        opened_on: None,
    };
    for f in Kind::Signaal.fields() {
        errors.label(f.key, f.label);
    }
    let signal = match entry::validate(Kind::Signaal, &values, &ctx_rules) {
        Ok(body) => Some(body),
        Err(list) => {
            for (k, v) in list {
                errors.add(k, v);
            }
            None
        }
    };

    let (Some(pupil), Some(route), Some(signal), true) = (pupil, route, signal, errors.is_empty())
    else {
        let page = NewPage {
            ctx,
            schools,
            forms: form_options(),
            form,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let new = NewDossier {
        school_id,
        pupil,
        route,
        forms,
        first_entry: Some((Kind::Signaal, signal)),
        emergency: false,
    };
    let id = state
        .db
        .create_dossier(
            &viewer(&user),
            &new,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?;
    // Who sees it now: the aandachtsfunctionaris, or for a staff member only directie.
    let notice = match route {
        Route::Stappenplan => "geopend",
        Route::Medewerker => "medewerker",
    };
    Ok(Redirect::to(&format!("/dossiers/{id}?melding={notice}")).into_response())
}

// ---------------------------------------------------------------------------------------------
// The dossier page

pub struct EntryView {
    pub id: i64,
    pub label: &'static str,
    pub step: Option<u8>,
    pub author: String,
    pub role: &'static str,
    pub when: String,
    pub fields: Vec<(&'static str, String)>,
    pub refers_to: Option<i64>,
    pub referred_by: Vec<i64>,
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
    /// "Melden nodig, nog niet gemeld": the meldnorm's explanation, the days since the entry that
    /// made the report due, and its date.
    pub report_due: Option<ReportDueView>,
    /// Where the dossier stands under the meldcode (`domain::progress`), for the forms.
    pub standing: Standing,
    pub entries: Vec<EntryView>,
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
            since: super::format::date_nl(since),
        }
    }
}

fn role_label(role: Option<Role>) -> &'static str {
    role.map_or("", Role::label)
}

fn overview(header: DossierHeader, records: &[EntryRecord], today: time::Date) -> Overview {
    let dob = entry::parse_date(&header.pupil.date_of_birth);
    let age = dob.map(|d| dossier::age_on(d, today));
    let done: BTreeSet<Step> = records.iter().filter_map(|e| e.kind.step()).collect();
    let steps = Step::ALL
        .iter()
        .map(|s| StepView {
            number: s.number(),
            title: s.title(),
            count: records.iter().filter(|e| e.kind.step() == Some(*s)).count(),
        })
        .collect();
    let standing = Standing::of(records.iter().map(|e| (e.kind, &e.body, e.created_at)));
    let assessment = standing.assessment;
    let report_due = standing
        .duty
        .filter(|_| header.open && header.route == Route::Stappenplan)
        .map(|d| ReportDueView::new(d, today));
    let last_report = records.iter().rev().find(|e| e.kind == Kind::Melding);
    let reported = last_report.and_then(|e| entry::parse_date(e.body.get("datum")?));
    let after_report = |kinds: &[Kind]| {
        last_report.is_some_and(|r| {
            records
                .iter()
                .any(|e| kinds.contains(&e.kind) && e.id > r.id)
        })
    };
    let feedback_after = after_report(&[Kind::Terugkoppeling]);
    let feedback_overdue = header.open
        && reported.is_some_and(|d| dossier::feedback_overdue(d, today, feedback_after));
    // What the afwegingskader says next; after a report, where the report stands, unless the
    // questions were answered again since.
    let advice = match (header.open, header.route, reported) {
        (false, _, _) | (_, Route::Medewerker, _) => None,
        (true, Route::Stappenplan, Some(d))
            if !after_report(&[Kind::Weging, Kind::Besluit, Kind::Evaluatie]) =>
        {
            Some(if feedback_after {
                format!(
                    "Gemeld bij Veilig Thuis op {}; Veilig Thuis heeft teruggekoppeld. Blijf doen wat met Veilig Thuis is afgesproken, en sluit het dossier als het is overgedragen.",
                    super::format::date_nl(d)
                )
            } else {
                format!(
                    "Gemeld bij Veilig Thuis op {}. Veilig Thuis laat binnen 5 werkdagen weten wat het doet (uiterlijk {}). Leg de terugkoppeling vast bij stap 5.",
                    super::format::date_nl(d),
                    super::format::date_nl(dossier::add_working_days(
                        d,
                        dossier::FEEDBACK_WORKING_DAYS
                    ))
                )
            })
        }
        _ => Some(advice_text(dossier::advise(&assessment))),
    };
    let last_plan = records.iter().rev().find(|e| e.kind == Kind::Hulpplan);
    let review_overdue = last_plan.and_then(|plan| {
        let review = entry::parse_date(plan.body.get("evaluatiedatum")?)?;
        let evaluated = records
            .iter()
            .any(|e| e.kind == Kind::Evaluatie && e.id > plan.id);
        (header.open && !evaluated && review < today).then(|| super::format::date_nl(review))
    });
    let expertise_missing = header.open
        && header.forms.iter().any(|f| f.needs_specific_expertise())
        && !records
            .iter()
            .any(|e| e.kind == Kind::Consultatie && e.body.contains_key("deskundige"));
    let mut referred: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for e in records {
        if let Some(r) = e.refers_to {
            referred.entry(r).or_default().push(e.id);
        }
    }
    let mut entries: Vec<EntryView> = records
        .iter()
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
            refers_to: e.refers_to,
            referred_by: referred.get(&e.id).cloned().unwrap_or_default(),
            amendable: Kind::RECORDABLE.contains(&e.kind) || e.kind == Kind::Noodmelding,
        })
        .collect();
    entries.reverse();
    Overview {
        age,
        date_of_birth: dob
            .map(super::format::date_nl)
            .unwrap_or_else(|| "onbekend".into()),
        forms: header.forms.iter().map(|f| f.label()).collect(),
        steps,
        advice,
        missing_before_report: dossier::missing_before_report(&done)
            .iter()
            .map(|s| s.title())
            .collect(),
        feedback_overdue,
        review_overdue,
        expertise_missing,
        report_due,
        standing,
        entries,
        header,
    }
}

/// Dates are stored as `YYYY-MM-DD`; shown in Dutch.
fn date_or_text(kind: Kind, label: &str, value: String) -> String {
    let is_date = kind
        .fields()
        .iter()
        .any(|f| f.label == label && matches!(f.input, Input::Date(_)));
    if is_date { iso_date_nl(&value) } else { value }
}

fn advice_text(advice: Advice) -> String {
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
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub filter: Option<u8>,
    pub notice: Option<&'static str>,
    pub can_close: bool,
    pub can_add_colleague: bool,
    pub colleagues: Vec<(i64, String)>,
    pub members: Vec<(i64, String)>,
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
}

/// Another dossier about the same pupil, as the notice on the dossier page lists it.
pub struct OtherDossier {
    pub id: i64,
    pub opened: String,
    pub open: bool,
    pub school: String,
}

/// The pupil's other dossiers, for the coordinator of this dossier only (the store gives no one
/// else any): that a pupil had earlier dossiers is itself confidential.
async fn other_dossiers(
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
            opened: super::format::date_nl(today_nl(s.header.opened_at)),
            open: s.header.open,
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

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "geopend" => {
            Some("Het dossier is geopend. De aandachtsfunctionaris van de school ziet het nu ook.")
        }
        "medewerker" => Some(
            "Het dossier is geopend en gaat naar de directie. Alleen de directie van de school en u zien het.",
        ),
        "opgeslagen" => Some("De aantekening is opgeslagen."),
        "collega" => Some("De collega is toegevoegd en kan het dossier nu zien."),
        "kies-collega" => Some("Kies eerst een collega."),
        "collega-weg" => Some(
            "De collega is verwijderd en ziet het dossier niet meer. Was deze collega casemanager, wijs dan een nieuwe aan.",
        ),
        "overdracht" => Some(
            "De overdracht is gevraagd. Het dossier blijft bij uw school tot de aandachtsfunctionaris van de andere school het overneemt.",
        ),
        "overgenomen" => Some("U heeft het dossier overgenomen. Het hoort nu bij uw school."),
        "gesloten" => Some("Het dossier is gesloten. De reden staat in de aantekeningen."),
        "heropend" => Some("Het dossier is heropend."),
        "overleg-gevraagd" => Some(
            "Uw vraag om overleg is verstuurd. De aandachtsfunctionaris ziet haar in de werkruimte.",
        ),
        "overleg-gevraagd-directie" => Some(
            "Uw vraag om overleg is verstuurd. De directie van de school ziet haar op de startpagina.",
        ),
        "vraag-leeg" => Some("Schrijf eerst uw vraag op."),
        "nood" => Some(
            "De noodmelding is vastgelegd. Vul het dossier later aan met wat er is gebeurd en wat u deed.",
        ),
        _ => None,
    }
}

/// Closing and reopening, adding colleagues and the help plan belong to the second line: the
/// aandachtsfunctionaris for the stappenplan, directie for a dossier about a staff member.
fn second_line(access: &DossierAccess) -> bool {
    match access.dossier().route {
        Route::Stappenplan => access.role() == Role::Aandachtsfunctionaris,
        Route::Medewerker => access.role() == Role::Directie,
    }
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
    state
        .db
        .mark_read(user.user.id, access.id(), state.clock.unix())
        .await?;
    let filter = q.stap.parse::<u8>().ok().filter(|n| (1..=5).contains(n));
    let mut o = overview(
        access.dossier().clone(),
        &records,
        today_nl(state.clock.unix()),
    );
    if let Some(n) = filter {
        o.entries.retain(|e| e.step == Some(n));
    }
    let can_add_colleague = second_line(&access)
        && access.dossier().route == Route::Stappenplan
        && access.dossier().open;
    let member_list = state.db.members(&access).await?;
    // Who can still be added: colleagues of the school who do not see the dossier already.
    let colleagues = if can_add_colleague {
        state
            .db
            .colleagues(access.dossier().school_id)
            .await?
            .into_iter()
            .filter(|c| {
                c.id != user.user.id
                    && c.id != access.dossier().opened_by
                    && !member_list.iter().any(|m| m.id == c.id)
            })
            .map(|c| (c.id, c.name))
            .collect()
    } else {
        Vec::new()
    };
    let members = member_list.into_iter().map(|c| (c.id, c.name)).collect();
    // The case manager named as a colleague, or else the one written in the latest help plan.
    let case_manager = match state.db.case_manager(&access).await? {
        Some(c) => Some(c.name),
        None => records
            .iter()
            .rev()
            .find(|e| e.kind == Kind::Hulpplan)
            .and_then(|e| e.body.get("casemanager").cloned()),
    };
    let transfer = state
        .db
        .pending_transfer(access.id())
        .await?
        .map(|t| (t.to_school, t.requested_by, moment_nl(t.requested_at)));
    let can_transfer = can_add_colleague && transfer.is_none();
    let earlier: Vec<(Kind, &entry::Body)> = records.iter().map(|e| (e.kind, &e.body)).collect();
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
        filter,
        notice: notice(&q.melding),
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
    })
}

// ---------------------------------------------------------------------------------------------
// Recording: each step's page, any other kind, and corrections

/// The signal list for the pupil's age band: the organisation's own, or the default. A pupil
/// whose date of birth is not known yet gets the primary-school list.
async fn signal_list(
    state: &AppState,
    user: &CurrentUser,
    access: &DossierAccess,
) -> Result<signals::List> {
    let today = today_nl(state.clock.unix());
    let band = entry::parse_date(&access.dossier().pupil.date_of_birth)
        .map_or(AgeBand::From4To12, |d| {
            AgeBand::for_age(dossier::age_on(d, today).max(0) as u32)
        });
    Ok(state
        .db
        .signal_list(user.user.organisation_id, band)
        .await?
        .0)
}

pub struct OptionView {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct SignalGroupView {
    pub title: String,
    pub signals: Vec<OptionView>,
}

pub struct FieldView {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// line, text, date, choice, check or signals
    pub input: &'static str,
    pub required: bool,
    pub value: String,
    pub options: Vec<OptionView>,
    pub groups: Vec<SignalGroupView>,
    pub error: Option<String>,
}

/// What a form leaves out because it does not apply to this dossier: fields, and choices.
#[derive(Debug, Default)]
struct Omit {
    fields: Vec<&'static str>,
    choices: Vec<&'static str>,
}

fn field_views(
    kind: Kind,
    values: &Values,
    errors: &Errors,
    list: &signals::List,
    forms: &[Form],
    omit: &Omit,
) -> Vec<FieldView> {
    kind.fields()
        .iter()
        // The question about specific expertise only where the forms of violence call for it.
        .filter(|f| f.key != "deskundige" || forms.iter().any(|x| x.needs_specific_expertise()))
        .filter(|f| !omit.fields.contains(&f.key))
        .map(|f| {
            let value = first(values, f.key).to_string();
            let all = values.get(f.key).cloned().unwrap_or_default();
            let (input, options) = match f.input {
                Input::Line => ("line", Vec::new()),
                Input::Text => ("text", Vec::new()),
                Input::Date(_) => ("date", Vec::new()),
                Input::Check => ("check", Vec::new()),
                Input::Signals => ("signals", Vec::new()),
                Input::Choice(opts) => (
                    "choice",
                    opts.iter()
                        .filter(|(c, _)| !omit.choices.contains(c))
                        .map(|(c, l)| OptionView {
                            code: c.to_string(),
                            label: l.to_string(),
                            checked: value == *c,
                        })
                        .collect(),
                ),
            };
            let groups = if f.input == Input::Signals {
                list.groups
                    .iter()
                    .map(|g| SignalGroupView {
                        title: g.title.clone(),
                        signals: g
                            .signals
                            .iter()
                            .map(|s| OptionView {
                                code: s.clone(),
                                label: s.clone(),
                                checked: all.iter().any(|v| v == s),
                            })
                            .collect(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            FieldView {
                key: f.key,
                label: f.label,
                hint: f.hint,
                input,
                required: f.required,
                value,
                options,
                groups,
                error: errors.get(f.key).map(str::to_string),
            }
        })
        .collect()
}

/// The kinds that can be recorded on a dossier's route, grouped for the step pages.
fn kinds_for_step(step: Step) -> &'static [Kind] {
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

/// Whether this user may record this kind on this dossier now.
fn may_record(access: &DossierAccess, kind: Kind) -> bool {
    let d = access.dossier();
    let on_route = match d.route {
        Route::Stappenplan => !matches!(kind, Kind::Medewerkerplicht),
        Route::Medewerker => matches!(
            kind,
            Kind::Signaal
                | Kind::Medewerkerplicht
                | Kind::Aanvulling
                | Kind::Politie
                | Kind::Gesloten
                | Kind::Heropend
        ),
    };
    let open_state = if kind == Kind::Heropend {
        !d.open
    } else {
        d.open || kind == Kind::Aanvulling
    };
    // Help is organised by the second line, not by the teacher alone; closing is theirs too.
    let second = !matches!(
        kind,
        Kind::Hulpplan | Kind::Gesloten | Kind::Heropend | Kind::Medewerkerplicht
    ) || second_line(access);
    on_route && open_state && second && Kind::RECORDABLE.contains(&kind)
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
    pub refers_to: Option<(i64, String)>,
    /// The entry being corrected or added to, shown as it stands.
    pub referred_fields: Vec<(&'static str, String)>,
    /// For the report and the conversation before it: with whom, by the pupil's age.
    pub age_rule: Option<&'static str>,
    pub allowed: bool,
    /// Step 2: the dossier's consultation requests, whether this user may ask for one, and the
    /// request being answered.
    pub requests: Vec<RequestStatus>,
    pub can_request: bool,
    pub answering: Option<i64>,
    /// Step 2: the school's aandachtsfunctionarissen, whom the step refers to.
    pub experts: Vec<String>,
    pub notice: Option<&'static str>,
}

/// Which instructions stand beside a form: the step's, or for the other kinds the step whose
/// instructions speak of them.
fn instructions_for(kind: Kind, route: Route) -> &'static str {
    match (route, kind.step(), kind) {
        (Route::Medewerker, _, _) => "medewerker",
        (_, Some(Step::Signalen), _) | (_, None, Kind::Aanvulling) => "stap1",
        (_, Some(Step::Consultatie), _) | (_, None, Kind::Verwijsindex) => "stap2",
        (_, Some(Step::Gesprek), _) | (_, None, Kind::Politie) => "stap3",
        (_, Some(Step::Wegen), _) => "stap4",
        _ => "stap5",
    }
}

#[allow(clippy::too_many_arguments)]
fn record_page(
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
        && !values.contains_key("nieuwe_signalen")
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
        e.kind == Kind::Signaal && e.body.get("aard").is_some_and(|a| a == "hypothese")
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
            ("met", "aandachtsfunctionaris".to_string()),
            ("naam", user.user.name.clone()),
            ("datum", today.to_string()),
            (
                "vraag",
                format!("{} (gevraagd door {})", r.question, r.requested_by_name),
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
    page.notice = notice(&q.melding);
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
            answer_path: (answers_here && r.answered_at.is_none()).then(|| {
                format!(
                    "/dossiers/{}/vastleggen/medewerkerplicht?verzoek={}",
                    access.id(),
                    r.id
                )
            }),
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
    pub answer_entry: Option<i64>,
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
        return Ok(Redirect::to(&format!(
            "/dossiers/{}/stap/2?melding=vraag-leeg",
            access.id()
        ))
        .into_response());
    }
    state
        .db
        .request_consultation(&access, question, state.clock.unix())
        .await?;
    let notice = match access.dossier().route {
        Route::Stappenplan => "overleg-gevraagd",
        Route::Medewerker => "overleg-gevraagd-directie",
    };
    Ok(Redirect::to(&format!(
        "/dossiers/{}/stap/2?melding={notice}",
        access.id()
    ))
    .into_response())
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
            ("plicht", "anders".to_string()),
            ("datum", today.to_string()),
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
    if !may_record(&access, kind) {
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
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let rules = Context {
        today,
        forms: access.dossier().forms.clone(),
        steps_done: Step::ALL
            .into_iter()
            .filter(|s| access.dossier().step_done(s.number()))
            .collect(),
        signals: Some(list.clone()),
        pupil_born: entry::parse_date(&access.dossier().pupil.date_of_birth),
        opened_on: Some(today_nl(access.dossier().opened_at)),
    };
    let mut result = entry::validate(kind, &values, &rules);
    if let (Ok(b), Some(referred)) = (&result, refers_to)
        && !entry::relation_allowed(
            b.get("relatie").map_or("", String::as_str),
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
    let mistakes = match result {
        Ok(entry_body) => match state
            .db
            .add_entry(
                &access,
                kind,
                &entry_body,
                refers_to.map(|e| e.id),
                first(&values, "verzoek").parse().ok(),
                state.clock.unix(),
            )
            .await?
        {
            Added::Recorded(_) => {
                let back = match (kind, kind.step()) {
                    (Kind::Gesloten, _) => format!("/dossiers/{}?melding=gesloten", access.id()),
                    (Kind::Heropend, _) => format!("/dossiers/{}?melding=heropend", access.id()),
                    (_, Some(s)) => format!(
                        "/dossiers/{}?melding=opgeslagen&stap={}",
                        access.id(),
                        s.number()
                    ),
                    (_, None) => format!("/dossiers/{}?melding=opgeslagen", access.id()),
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColleagueForm {
    collega: String,
    casemanager: String,
}

/// Coordinating a dossier's colleagues belongs to the aandachtsfunctionaris (stappenplan only).
fn coordinator(access: &DossierAccess) -> Result<()> {
    if second_line(access) && access.dossier().route == Route::Stappenplan {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Adds a colleague of the school to the dossier, optionally as the help plan's case manager.
pub async fn add_colleague(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ColleagueForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    if form.collega.is_empty() {
        return Ok(
            Redirect::to(&format!("/dossiers/{}?melding=kies-collega", access.id()))
                .into_response(),
        );
    }
    let colleagues = state.db.colleagues(access.dossier().school_id).await?;
    let colleague = colleagues
        .iter()
        .find(|c| c.id.to_string() == form.collega)
        .ok_or(AppError::NotFound)?;
    state
        .db
        .add_member(
            &access,
            colleague,
            !form.casemanager.is_empty(),
            state.clock.unix(),
        )
        .await?;
    Ok(Redirect::to(&format!("/dossiers/{}?melding=collega", access.id())).into_response())
}

/// Removes a colleague: their access ends now.
pub async fn remove_colleague(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ColleagueForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    let members = state.db.members(&access).await?;
    let colleague = members
        .iter()
        .find(|c| c.id.to_string() == form.collega)
        .ok_or(AppError::NotFound)?;
    state
        .db
        .remove_member(&access, colleague, state.clock.unix())
        .await?;
    Ok(Redirect::to(&format!("/dossiers/{}?melding=collega-weg", access.id())).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TransferForm {
    school: String,
    /// The search the list was made with, to show the same list again.
    zoek: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TransferQuery {
    zoek: String,
}

/// How many schools the transfer page lists at once: an organisation can have a thousand.
const SCHOOLS_SHOWN: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/transfer.html")]
pub struct TransferPage {
    pub ctx: PageCtx,
    pub header: DossierHeader,
    pub search: String,
    pub schools: Vec<(i64, String)>,
    /// More schools match than are shown: the user narrows the search.
    pub more: bool,
    pub error: Option<&'static str>,
}

/// The page to choose the school a dossier goes to: a search by name, at most 20 schools shown.
pub async fn transfer_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    Query(q): Query<TransferQuery>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Read).await?;
    transfer_choice(&state, ctx, &user, &access, q.zoek, None).await
}

async fn transfer_choice(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    access: &DossierAccess,
    search: String,
    error: Option<&'static str>,
) -> Result<Response> {
    coordinator(access)?;
    if !access.dossier().open || state.db.pending_transfer(access.id()).await?.is_some() {
        return Ok(Redirect::to(&format!("/dossiers/{}", access.id())).into_response());
    }
    let mut schools: Vec<(i64, String)> = state
        .db
        .schools_matching(user.user.organisation_id, &search, SCHOOLS_SHOWN + 2)
        .await?
        .into_iter()
        .filter(|s| s.id != access.dossier().school_id)
        .map(|s| (s.id, s.name))
        .collect();
    let more = schools.len() > SCHOOLS_SHOWN as usize;
    schools.truncate(SCHOOLS_SHOWN as usize);
    Ok(TransferPage {
        ctx,
        header: access.dossier().clone(),
        search,
        schools,
        more,
        error,
    }
    .into_response())
}

/// Asks another school of the organisation to take over the dossier (the pupil moves there).
pub async fn transfer(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<TransferForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    if !access.dossier().open || state.db.pending_transfer(access.id()).await?.is_some() {
        return Err(AppError::Forbidden);
    }
    let target = match form.school.parse::<i64>() {
        Ok(school) if school != access.dossier().school_id => {
            state.db.school(user.user.organisation_id, school).await?
        }
        _ => None,
    };
    let Some(target) = target else {
        let error = Some("Kies de school waar de leerling naartoe gaat.");
        let mut page = transfer_choice(&state, ctx, &user, &access, form.zoek, error).await?;
        *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    state
        .db
        .request_transfer(&access, (target.id, &target.name), state.clock.unix())
        .await?;
    Ok(Redirect::to(&format!("/dossiers/{}?melding=overdracht", access.id())).into_response())
}

/// The receiving aandachtsfunctionaris accepts a transfer; the dossier moves to their school.
pub async fn accept_transfer(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(transfer): Path<String>,
) -> Result<Response> {
    let transfer = parse_id(&transfer)?;
    let id = state
        .db
        .accept_transfer(
            &viewer(&user),
            transfer,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/dossiers/{id}?melding=overgenomen")).into_response())
}

// ---------------------------------------------------------------------------------------------
// The emergency report (from the emergency page)

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/emergency.html")]
pub struct EmergencyPage {
    pub ctx: PageCtx,
    pub schools: Vec<SchoolChoice>,
    pub form: NewForm,
    pub gebeld: String,
    pub wat: String,
    pub errors: Errors,
}

pub async fn emergency_page(
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
) -> Result<EmergencyPage> {
    let schools = schools_of(&user);
    let form = empty_form(&schools);
    Ok(EmergencyPage {
        ctx,
        schools,
        form,
        gebeld: String::new(),
        wat: String::new(),
        errors: Errors::default(),
    })
}

/// An immediate report with the minimum: who, what, whom was called. The dossier is completed later.
pub async fn emergency(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    body: Bytes,
) -> Result<Response> {
    let values = values_of(&body);
    let form = NewForm::from_values(&values);
    let schools = schools_of(&user);
    let mut errors = pupil_labels();
    for f in Kind::Noodmelding.fields() {
        errors.label(f.key, f.label);
    }
    let today = today_nl(state.clock.unix());
    // The date of birth may be unknown in an emergency; it is filled in later.
    let chosen = typed_pupil(&form, &schools, today, false, &mut errors);
    let rules = Context {
        today,
        forms: Vec::new(),
        steps_done: BTreeSet::new(),
        signals: None,
        pupil_born: None,
        opened_on: None,
    };
    let report = match entry::validate(Kind::Noodmelding, &values, &rules) {
        Ok(b) => Some(b),
        Err(list) => {
            for (k, v) in list {
                errors.add(k, v);
            }
            None
        }
    };
    let (Some((school_id, pupil)), Some(report), true) = (chosen, report, errors.is_empty()) else {
        let page = EmergencyPage {
            ctx,
            schools,
            gebeld: first(&values, "gebeld").to_string(),
            wat: first(&values, "wat").to_string(),
            form,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let new = NewDossier {
        school_id,
        pupil,
        route: Route::Stappenplan,
        forms: Vec::new(),
        first_entry: Some((Kind::Noodmelding, report)),
        emergency: true,
    };
    let id = state
        .db
        .create_dossier(
            &viewer(&user),
            &new,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?melding=nood")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Print views

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
        .filter_map(|e| e.body.get("signalen"))
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
