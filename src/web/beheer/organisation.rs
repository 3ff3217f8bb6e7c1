//! The beheer overview: the organisation, its schools and users; the form with its phone numbers,
//! its settings (training, retention, quiet days, two-factor roles) and the support arrangement.

use super::*;
use crate::domain::conditions::{Part, Support};
use crate::domain::dossier::QuietDays;

pub struct UserRow {
    pub user: User,
    pub roles: Vec<RoleAt>,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/overview.html")]
pub struct Overview {
    pub ctx: PageCtx,
    pub org: Organisation,
    pub schools: Vec<School>,
    pub users: Vec<UserRow>,
    pub school_name: String,
    pub errors: Errors,
    pub notice: Option<&'static str>,
    /// The schools that have no aandachtsfunctionaris yet.
    pub without_expert: Vec<crate::domain::ids::SchoolId>,
}

impl Overview {
    pub fn lacks_expert(&self, id: &crate::domain::ids::SchoolId) -> bool {
        self.without_expert.contains(id)
    }
}

pub(super) async fn overview_page(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    school_name: String,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<Overview> {
    let org = organisation(state, b).await?;
    let schools = state.db.schools(org.id).await?;
    let all_roles = state.db.all_roles(org.id).await?;
    let users: Vec<UserRow> = state
        .db
        .users(org.id)
        .await?
        .into_iter()
        .map(|user| {
            let roles = all_roles
                .iter()
                .filter(|(uid, _)| *uid == user.id)
                .map(|(_, r)| r.clone())
                .collect();
            UserRow { user, roles }
        })
        .collect();
    let without_expert = schools
        .iter()
        .map(|s| s.id)
        .filter(|id| {
            !all_roles.iter().any(|(uid, r)| {
                r.school_id == *id
                    && r.role == Role::Aandachtsfunctionaris
                    && users.iter().any(|u| u.user.id == *uid && u.user.active)
            })
        })
        .collect();
    Ok(Overview {
        without_expert,
        ctx,
        org,
        schools,
        users,
        school_name,
        errors,
        notice,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<Overview> {
    overview_page(
        &state,
        &b,
        ctx,
        String::new(),
        Errors::default(),
        notice(&q.melding),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SchoolForm {
    naam: String,
}

pub async fn add_school(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(form): Form<SchoolForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let mut errors = Errors::default();
    if let Some(name) = errors.check(
        "naam",
        ShortText::parse(&form.naam, "de naam van de school"),
    ) {
        match state
            .db
            .add_school(org.id, name.as_str(), state.clock.unix())
            .await
        {
            Ok(id) => {
                audit(&state, &b, Event::SchoolAdded, &format!("school:{id}")).await?;
                // The next step: a school without an aandachtsfunctionaris has nobody for step 2.
                return Ok(Redirect::to(&urls::beheer_school(id, Some("school"))).into_response());
            }
            Err(e) if is_unique_violation(&e) => {
                errors.add("naam", "Er is al een school met deze naam.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = overview_page(&state, &b, ctx, form.naam, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NumbersForm {
    veilig_thuis: String,
    regio: String,
    nood: String,
    inspectie: String,
    training: String,
    bewaren: String,
    /// After how many days without an entry an open dossier is quiet.
    stil: String,
    /// How the organisation supports staff held to account for applying the meldcode, and whom
    /// to contact about it.
    ondersteuning: String,
    ondersteuning_naam: String,
    ondersteuning_contact: String,
    /// The roles that must use two-factor authentication (check boxes).
    #[serde(skip)]
    tweestaps: Vec<String>,
}

impl NumbersForm {
    /// Reads the form by hand: the check boxes repeat one name, which serde_urlencoded cannot
    /// gather into a list.
    fn from_body(body: &[u8]) -> NumbersForm {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        NumbersForm {
            veilig_thuis: get("veilig_thuis"),
            regio: get("regio"),
            nood: get("nood"),
            inspectie: get("inspectie"),
            training: get("training"),
            bewaren: get("bewaren"),
            stil: get("stil"),
            ondersteuning: get("ondersteuning"),
            ondersteuning_naam: get("ondersteuning_naam"),
            ondersteuning_contact: get("ondersteuning_contact"),
            tweestaps: pairs
                .iter()
                .filter(|(k, _)| k == "tweestaps")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    pub fn requires(&self, role: &Role) -> bool {
        self.tweestaps.iter().any(|r| r == role.code())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/numbers.html")]
pub struct NumbersPage {
    pub ctx: PageCtx,
    pub roles: [Role; 5],
    pub form: NumbersForm,
    pub errors: Errors,
}

pub async fn numbers_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
) -> Result<NumbersPage> {
    let org = organisation(&state, &b).await?;
    let form = NumbersForm {
        stil: org.quiet().days().to_string(),
        veilig_thuis: org.veilig_thuis_phone,
        regio: org.veilig_thuis_region,
        nood: org.emergency_phone,
        inspectie: org.inspector_phone,
        training: org.training_interval_months.to_string(),
        bewaren: org.retention_years.to_string(),
        ondersteuning: org.support_text.clone(),
        ondersteuning_naam: org.support_contact_name.clone(),
        ondersteuning_contact: org.support_contact.clone(),
        tweestaps: org
            .two_factor_roles
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    Ok(NumbersPage {
        ctx,
        roles: Role::ALL,
        form,
        errors: Errors::default(),
    })
}

pub async fn save_numbers(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    body: axum::body::Bytes,
) -> Result<Response> {
    let form = NumbersForm::from_body(&body);
    let org = organisation(&state, &b).await?;
    let mut errors = Errors::default();
    // The three numbers share their messages: the summary says which field each is about.
    for (field, label) in [
        ("veilig_thuis", "Veilig Thuis"),
        ("regio", "Regio van Veilig Thuis"),
        ("nood", "Alarmnummer"),
        ("inspectie", "Vertrouwensinspecteur"),
        ("stil", "Dossier zonder aantekening"),
        ("ondersteuning", "Ondersteuning van medewerkers"),
        ("ondersteuning_naam", "Contactpersoon"),
        (
            "ondersteuning_contact",
            "Telefoon of e-mail van de contactpersoon",
        ),
    ] {
        errors.label(field, label);
    }
    let vt = errors.check("veilig_thuis", parse_phone(&form.veilig_thuis));
    let nood = errors.check("nood", parse_phone(&form.nood));
    let insp = errors.check("inspectie", parse_phone(&form.inspectie));
    let region = form.regio.trim().to_string();
    if region.chars().count() > 80 || region.chars().any(char::is_control) {
        errors.add("regio", "Gebruik hoogstens 80 gewone tekens.");
    }
    let interval = form
        .training
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=120).contains(m));
    if interval.is_none() {
        errors.add("training", "Vul een aantal maanden in, van 1 tot 120.");
    }
    let retention = form
        .bewaren
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1..=100).contains(y));
    if retention.is_none() {
        errors.add("bewaren", "Vul een aantal jaren in, van 1 tot 100.");
    }
    let quiet_days = errors.check("stil", QuietDays::parse(&form.stil));
    let support = match Support::parse(
        &form.ondersteuning,
        &form.ondersteuning_naam,
        &form.ondersteuning_contact,
    ) {
        Ok(support) => Some(support),
        Err(messages) => {
            for (part, message) in messages {
                let field = match part {
                    Part::Text => "ondersteuning",
                    Part::ContactName => "ondersteuning_naam",
                    Part::Contact => "ondersteuning_contact",
                };
                errors.add(field, message);
            }
            None
        }
    };
    let (
        Some(veilig_thuis_phone),
        Some(emergency_phone),
        Some(inspector_phone),
        Some(training_interval_months),
        Some(retention_years),
        Some(quiet_days),
        Some(support),
        true,
    ) = (
        vt,
        nood,
        insp,
        interval,
        retention,
        quiet_days,
        support,
        errors.is_empty(),
    )
    else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            NumbersPage {
                ctx,
                roles: Role::ALL,
                form,
                errors,
            },
        )
            .into_response());
    };
    state
        .db
        .update_numbers(
            org.id,
            &Numbers {
                veilig_thuis_phone,
                emergency_phone,
                inspector_phone,
                veilig_thuis_region: region,
                training_interval_months,
                retention_years,
                two_factor_roles: Role::ALL
                    .iter()
                    .filter(|r| form.requires(r))
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(" "),
                support,
                quiet_days,
            },
        )
        .await?;
    state.organisation_changed().await;
    audit(&state, &b, Event::NumbersChanged, "organisation").await?;
    Ok(Redirect::to(crate::web::urls::path::BEHEER_NUMBERS_SAVED).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/school.html")]
pub struct SchoolPage {
    pub ctx: PageCtx,
    pub school: School,
    /// The school's aandachtsfunctionarissen now.
    pub experts: Vec<String>,
    /// Active users of the organisation who could be named (id, name, e-mail).
    pub candidates: Vec<(crate::domain::ids::UserId, String, String)>,
    pub chosen: String,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

/// A school of the beheerder's own organisation; any other id is not found.
pub(super) async fn school_of_org(state: &AppState, b: &Beheerder, id: &str) -> Result<School> {
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .db
        .school(b.0.user.organisation_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn school_page_with(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    school: School,
    chosen: String,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<SchoolPage> {
    let experts = state.db.experts(school.id).await?;
    let org_id = b.0.user.organisation_id;
    let named: Vec<crate::domain::ids::UserId> = state
        .db
        .all_roles(org_id)
        .await?
        .into_iter()
        .filter(|(_, r)| r.school_id == school.id && r.role == Role::Aandachtsfunctionaris)
        .map(|(uid, _)| uid)
        .collect();
    let candidates = state
        .db
        .users(org_id)
        .await?
        .into_iter()
        .filter(|u| u.active && !named.contains(&u.id))
        .map(|u| (u.id, u.name, u.email))
        .collect();
    Ok(SchoolPage {
        ctx,
        school,
        experts,
        candidates,
        chosen,
        errors,
        notice,
    })
}

/// A school's page: who its aandachtsfunctionaris is, and naming one (the step after adding it).
pub async fn school_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Query(q): Query<Melding>,
) -> Result<SchoolPage> {
    let school = school_of_org(&state, &b, &id).await?;
    school_page_with(
        &state,
        &b,
        ctx,
        school,
        String::new(),
        Errors::default(),
        notice(&q.melding),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExpertForm {
    gebruiker: String,
}

/// Names an existing user aandachtsfunctionaris of the school.
pub async fn name_expert(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<ExpertForm>,
) -> Result<Response> {
    let school = school_of_org(&state, &b, &id).await?;
    // Giving a role changes who may see which dossiers: the password must be fresh.
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_school(school.id, None))?;
    let user = match form.gebruiker.parse() {
        Ok(user_id) => state
            .db
            .user(user_id)
            .await?
            .filter(|u| u.organisation_id == b.0.user.organisation_id && u.active),
        Err(_) => None,
    };
    let Some(user) = user else {
        let mut errors = Errors::default();
        errors.label("gebruiker", "Gebruiker");
        errors.add(
            "gebruiker",
            "Kies wie de aandachtsfunctionaris van deze school wordt.",
        );
        let page = school_page_with(&state, &b, ctx, school, form.gebruiker, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let role = Role::Aandachtsfunctionaris;
    let subject = format!("user:{} school:{} role:{}", user.id, school.id, role.code());
    state
        .db
        .grant_role_audited(
            user.id,
            school.id,
            role,
            state.clock.unix(),
            entry(&b, Event::RoleGranted, &subject),
        )
        .await?;
    Ok(Redirect::to(&urls::beheer_school(
        school.id,
        Some("aandachtsfunctionaris"),
    ))
    .into_response())
}
