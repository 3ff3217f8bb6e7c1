//! The emergency report, from the emergency page: a dossier opened with what happened.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/emergency.html")]
pub struct EmergencyPage {
    pub ctx: PageCtx,
    pub schools: Vec<SchoolChoice>,
    pub form: NewForm,
    pub gebeld: String,
    pub wat: String,
    pub errors: Errors,
    /// An open dossier about this pupil that the user may see (domain::merge).
    pub existing: Option<ExistingView>,
}

pub async fn emergency_page(
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
) -> Result<EmergencyPage> {
    let schools = schools_of(&user);
    // A form kept when the session ended comes back with what was typed (web::drafts).
    let restored = ctx.restored_values().unwrap_or_default();
    let form = match ctx.restored {
        Some(_) => NewForm::from_values(&restored),
        None => empty_form(&schools),
    };
    Ok(EmergencyPage {
        gebeld: first(&restored, "gebeld").to_string(),
        wat: first(&restored, "wat").to_string(),
        ctx,
        schools,
        form,
        errors: Errors::default(),
        existing: None,
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
            existing: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    // The same as opening a dossier: an open dossier about this pupil that the user may see is
    // offered first (a pupil whose date of birth is not known yet is not looked up).
    match existing_choice(
        &state,
        &user,
        school_id,
        &pupil,
        Route::Stappenplan,
        &values,
    )
    .await?
    {
        Existing::Offer(view) => {
            let page = EmergencyPage {
                ctx,
                schools,
                gebeld: first(&values, "gebeld").to_string(),
                wat: first(&values, "wat").to_string(),
                form,
                errors,
                existing: Some(view),
            };
            return Ok(page.into_response());
        }
        Existing::AddTo(id) => {
            match add_to_existing(&state, &user, id, Kind::Noodmelding, &report).await? {
                None => {
                    return Ok(
                        Redirect::to(&urls::dossier_notice(id, PageNotice::NoodToegevoegd))
                            .into_response(),
                    );
                }
                Some(list) => {
                    for (k, v) in list {
                        errors.add(k, v);
                    }
                    let page = EmergencyPage {
                        ctx,
                        schools,
                        gebeld: first(&values, "gebeld").to_string(),
                        wat: first(&values, "wat").to_string(),
                        form,
                        errors,
                        existing: None,
                    };
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
                }
            }
        }
        Existing::None => {}
    }
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
    Ok(Redirect::to(&urls::dossier_notice(id, PageNotice::Nood)).into_response())
}
