//! Opening a dossier: "Ik maak me zorgen". The pupil is typed, never chosen from a list, and
//! linked on the server (who has a dossier is itself confidential).

use super::*;
use crate::domain::ids::SchoolId;

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
    /// The roster search typed, and the roster pupil chosen from it (their id).
    pub zoek: String,
    pub leerling_id: String,
    /// The body map's ticked regions (`domain::bodymap`).
    pub lichaam: Vec<String>,
}

impl NewForm {
    pub(super) fn from_values(v: &Values) -> NewForm {
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
            zoek: first(v, "zoek").to_string(),
            leerling_id: first(v, "leerling_id").to_string(),
            lichaam: v.get(keys::LICHAAM).cloned().unwrap_or_default(),
        }
    }

    pub fn has_form(&self, code: &str) -> bool {
        self.vormen.iter().any(|v| v == code)
    }
}

/// A school where the user works with dossiers, to choose from when they work at several.
pub struct SchoolChoice {
    pub school_id: SchoolId,
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
    /// An open dossier about this pupil that the user may see: offered before a second one is
    /// opened (domain::merge).
    pub existing: Option<ExistingView>,
    /// The school's roster, when it has one: the search and what it found.
    pub roster: RosterView,
}

impl NewPage {
    /// The first signal's body map, as the step forms show it.
    pub fn body_map(&self) -> FieldView {
        body_map_field(&self.form.lichaam)
    }

    fn new(
        ctx: PageCtx,
        schools: Vec<SchoolChoice>,
        form: NewForm,
        errors: Errors,
        existing: Option<ExistingView>,
        roster: RosterView,
    ) -> NewPage {
        NewPage {
            ctx,
            schools,
            forms: form_options(),
            form,
            errors,
            existing,
            roster,
        }
    }
}

/// The roster search on the opening form (issue 16). Without JavaScript: "Zoeken" posts the form,
/// which comes back with everything typed and the pupils found as choices. It searches the
/// roster only, so it tells nobody who has a dossier.
#[derive(Debug, Clone, Default)]
pub struct RosterView {
    /// Whether the school has a roster to search.
    pub available: bool,
    /// Whether a search was made (then `found` is its answer, perhaps none).
    pub searched: bool,
    pub found: Vec<RosterChoice>,
    /// The pupil chosen from an earlier search, while the form comes back.
    pub chosen: Option<RosterChoice>,
}

impl RosterView {
    /// The pupils to choose from, with the one chosen checked: the chosen one first when the
    /// search did not find it again.
    pub fn choices(&self) -> Vec<(&RosterChoice, bool)> {
        let chosen = self.chosen.as_ref().map(|c| c.id);
        let mut list: Vec<(&RosterChoice, bool)> = Vec::new();
        if let Some(c) = &self.chosen
            && !self.found.iter().any(|f| f.id == c.id)
        {
            list.push((c, true));
        }
        list.extend(self.found.iter().map(|f| (f, Some(f.id) == chosen)));
        list
    }
}

/// A pupil of the roster as a choice: the id, and name, group and date of birth to tell two
/// pupils of the same name apart.
#[derive(Debug, Clone)]
pub struct RosterChoice {
    pub id: crate::domain::ids::PupilId,
    pub label: String,
}

impl RosterChoice {
    fn of(m: &crate::store::roster::RosterMatch) -> RosterChoice {
        let group = crate::domain::pupil::group_label(&m.group_name);
        let born = crate::web::format::iso_date_nl(&m.date_of_birth);
        let label = match group.is_empty() {
            true => format!("{}, geboren {born}", m.name),
            false => format!("{}, {group}, geboren {born}", m.name),
        };
        RosterChoice { id: m.id, label }
    }
}

/// The roster part of the opening form for the school chosen on it: whether there is a roster,
/// the search's answer when "Zoeken" was pressed, and the pupil chosen. The roster pupil chosen
/// is returned as the pupil the dossier is about.
pub(super) async fn roster_view(
    state: &AppState,
    schools: &[SchoolChoice],
    form: &NewForm,
    searching: bool,
) -> Result<(RosterView, Option<NewPupil>)> {
    let Some(school) = schools
        .iter()
        .find(|s| s.school_id.to_string() == form.school || schools.len() == 1)
        .or(schools.first())
    else {
        return Ok((RosterView::default(), None));
    };
    let mut view = RosterView {
        available: state.db.has_roster(school.school_id).await?,
        ..RosterView::default()
    };
    if !view.available {
        return Ok((view, None));
    }
    if searching {
        let words = crate::domain::pupil::search_words(&form.zoek);
        view.searched = true;
        view.found = state
            .db
            .search_roster(school.school_id, &words)
            .await?
            .iter()
            .map(RosterChoice::of)
            .collect();
    }
    let mut pupil = None;
    if let Ok(id) = form.leerling_id.parse::<i64>()
        && let Some(m) = state
            .db
            .roster_pupil(school.school_id, crate::domain::ids::PupilId::from(id))
            .await?
    {
        view.chosen = Some(RosterChoice::of(&m));
        pupil = Some(NewPupil {
            name: m.name.clone(),
            date_of_birth: entry::parse_date(&m.date_of_birth),
            group_name: m.group_name.clone(),
        });
    }
    Ok((view, pupil))
}

/// An open dossier about the typed pupil, as the opening forms offer it.
pub struct ExistingView {
    pub id: DossierId,
    pub opened_on: String,
}

/// What the user chose about an open dossier the opening form offered.
pub(super) enum Existing {
    /// No open dossier about this pupil that the user may see, or they chose a new one.
    None,
    /// Offer it (first time, or the dossier offered is no longer the one found).
    Offer(ExistingView),
    /// Add the signal or report there.
    AddTo(DossierId),
}

/// Adds the signal, or the emergency report, to the open dossier the user chose on the opening
/// or emergency form instead of opening a second one: the dossier is opened (decided and
/// audited) and the entry written as any entry is. `None` when it is recorded; the history's
/// refusals, in Dutch, when it is not admitted.
pub(super) async fn add_to_existing(
    state: &AppState,
    user: &CurrentUser,
    id: DossierId,
    kind: Kind,
    body: &entry::Body,
) -> Result<Option<entry::FieldErrors>> {
    let access = state
        .db
        .open_dossier(
            &viewer(user),
            id,
            Purpose::Write,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let write = match kind {
        Kind::Noodmelding => access.write_emergency(),
        _ => access.write(kind),
    }
    .ok_or(AppError::NotFound)?;
    Ok(
        match state
            .db
            .add_entry(&write, body, None, None, state.clock.unix())
            .await?
        {
            Added::Recorded(_) => None,
            Added::Refused(list) => Some(list),
        },
    )
}

/// Looks for an open dossier about the typed pupil that the user may see, and reads the choice
/// the form sent about it (`bestaand`: `toevoegen` or `nieuw`, for the dossier `bestaand_id`).
/// A choice counts only for the dossier it was made about.
pub(super) async fn existing_choice(
    state: &AppState,
    user: &CurrentUser,
    school_id: SchoolId,
    pupil: &NewPupil,
    route: Route,
    values: &Values,
) -> Result<Existing> {
    let Some(found) = state
        .db
        .open_dossier_about(&viewer(user), school_id, pupil, route)
        .await?
    else {
        return Ok(Existing::None);
    };
    let about_this = first(values, "bestaand_id") == found.id.to_string();
    Ok(match first(values, "bestaand") {
        "toevoegen" if about_this => Existing::AddTo(found.id),
        "nieuw" if about_this => Existing::None,
        _ => Existing::Offer(ExistingView {
            id: found.id,
            opened_on: crate::web::format::date_nl(today_nl(found.opened_at)),
        }),
    })
}

/// The schools where the user works with dossiers. No pupil is listed: who has a dossier is
/// itself confidential (the pupil is typed, and linked on the server).
pub(super) fn schools_of(user: &CurrentUser) -> Vec<SchoolChoice> {
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
pub(super) fn form_options() -> Vec<(&'static str, &'static str)> {
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
pub(super) fn typed_pupil(
    form: &NewForm,
    schools: &[SchoolChoice],
    today: time::Date,
    birth_date_required: bool,
    errors: &mut Errors,
) -> Option<(SchoolId, NewPupil)> {
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
            Ok(d) => Some(Some(d)),
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
        None if !birth_date_required => Some(None),
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
pub(super) fn pupil_labels() -> Errors {
    let mut errors = Errors::default();
    errors.label("school", "School");
    errors.label("naam", "Naam van de leerling");
    errors.label("geboortedatum", "Geboortedatum");
    errors.label("groep", "Groep of klas");
    errors
}

/// An empty opening form, with the user's first school chosen.
pub(super) fn empty_form(schools: &[SchoolChoice]) -> NewForm {
    NewForm {
        school: schools
            .first()
            .map(|s| s.school_id.to_string())
            .unwrap_or_default(),
        ..NewForm::default()
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
) -> Result<NewPage> {
    let schools = schools_of(&user);
    // A form kept when the session ended comes back with what was typed (web::drafts).
    let form = match ctx.restored_values() {
        Some(values) => NewForm::from_values(&values),
        None => empty_form(&schools),
    };
    let (roster, _) = roster_view(&state, &schools, &form, false).await?;
    Ok(NewPage::new(
        ctx,
        schools,
        form,
        Errors::default(),
        None,
        roster,
    ))
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

    // "Zoeken" on the roster: the form comes back with what was typed and the pupils found.
    let searching = first(&values, "actie") == "zoeken";
    let (roster, from_roster) = roster_view(&state, &schools, &form, searching).await?;
    if searching {
        let page = NewPage::new(ctx, schools, form, Errors::default(), None, roster.clone());
        return Ok(page.into_response());
    }
    // A pupil chosen from the roster is who the dossier is about; else the typed pupil.
    let chosen = match from_roster {
        Some(p) => schools
            .iter()
            .find(|s| s.school_id.to_string() == form.school || schools.len() == 1)
            .map(|s| (s.school_id, p)),
        None => typed_pupil(&form, &schools, today, true, &mut errors),
    };
    let (school_id, pupil) = chosen.map_or((SchoolId::new(0), None), |(s, p)| (s, Some(p)));

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
        let page = NewPage::new(ctx, schools, form, errors, None, roster.clone());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    // One dossier per concern: an open dossier about this pupil that the user may see is offered
    // first, and adding the signal there is the default.
    match existing_choice(&state, &user, school_id, &pupil, route, &values).await? {
        Existing::Offer(view) => {
            let page = NewPage::new(ctx, schools, form, errors, Some(view), roster.clone());
            return Ok(page.into_response());
        }
        Existing::AddTo(id) => {
            match add_to_existing(&state, &user, id, Kind::Signaal, &signal).await? {
                None => {
                    return Ok(Redirect::to(&urls::dossier_notice(
                        id,
                        PageNotice::SignaalToegevoegd,
                    ))
                    .into_response());
                }
                // A signal is not decided on the history; should that change, say why.
                Some(list) => {
                    for (k, v) in list {
                        errors.add(k, v);
                    }
                    let page = NewPage::new(ctx, schools, form, errors, None, roster.clone());
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
                }
            }
        }
        Existing::None => {}
    }
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
        Route::Stappenplan => PageNotice::Geopend,
        Route::Medewerker => PageNotice::Medewerker,
    };
    Ok(Redirect::to(&urls::dossier_notice(id, notice)).into_response())
}
