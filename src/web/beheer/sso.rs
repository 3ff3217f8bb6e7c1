//! Single sign-on: the beheerder chooses the organisation's identity provider (a preset or an
//! issuer URL), its client id and secret, the e-mail domains it covers, and whether password
//! login stays open for those users. The secret is never shown again: the page says "ingesteld".

use super::*;
use crate::domain::oidc::{Preset, parse_domains};
use crate::store::oidc::Provider;

/// What the form shows: as stored, or as typed when it comes back with mistakes. Never the secret.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SsoForm {
    aanbieder: String,
    tenant: String,
    issuer: String,
    naam: String,
    client_id: String,
    /// Empty: keep the stored secret.
    client_secret: String,
    domeinen: String,
    /// "ja" when password login stays open for everyone.
    wachtwoord: String,
    /// The school (its id) at which a login that finds no account makes one; empty: never.
    nieuw: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/sso.html")]
pub struct SsoPage {
    pub ctx: PageCtx,
    pub form: SsoForm,
    /// Whether a provider is stored (and so a secret: the page says "ingesteld").
    pub configured: bool,
    pub presets: [Preset; 3],
    pub errors: Errors,
    pub notice: Option<&'static str>,
    /// The address to register at the provider as the redirect URI.
    pub callback: String,
    /// The schools, for "make an account at …".
    pub schools: Vec<School>,
}

impl SsoPage {
    fn new(
        state: &AppState,
        ctx: PageCtx,
        form: SsoForm,
        configured: bool,
        schools: Vec<School>,
    ) -> SsoPage {
        SsoPage {
            schools,
            ctx,
            form,
            configured,
            presets: Preset::ALL,
            errors: Errors::default(),
            notice: None,
            callback: format!(
                "{}{}",
                state.settings.public_url,
                crate::web::oidc::CALLBACK_PATH
            ),
        }
    }

    /// The stored secret is never shown; the hint says whether there is one.
    pub fn secret_hint(&self) -> &'static str {
        if self.configured {
            "Ingesteld. Laat dit veld leeg om het te houden; vul een nieuw geheim in om het te vervangen."
        } else {
            "Meldcode toont het geheim na het opslaan nooit meer."
        }
    }
}

impl SsoForm {
    fn from_stored(p: &Provider) -> SsoForm {
        let preset = Preset::parse(&p.preset).unwrap_or(Preset::Other);
        let tenant = match preset {
            Preset::Microsoft => p
                .issuer
                .trim_start_matches("https://login.microsoftonline.com/")
                .trim_end_matches("/v2.0")
                .to_string(),
            _ => String::new(),
        };
        SsoForm {
            aanbieder: p.preset.clone(),
            tenant,
            issuer: if preset == Preset::Other {
                p.issuer.clone()
            } else {
                String::new()
            },
            naam: p.name.clone(),
            client_id: p.client_id.clone(),
            client_secret: String::new(),
            domeinen: p.domains.clone(),
            wachtwoord: if p.password_login != 0 { "ja" } else { "" }.to_string(),
            nieuw: p
                .create_school_id
                .map(|s| s.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn chosen(&self, p: &Preset) -> bool {
        self.aanbieder == p.code()
    }

    pub fn password_open(&self) -> bool {
        self.wachtwoord == "ja"
    }

    pub fn creates_at(&self, school: &School) -> bool {
        self.nieuw == school.id.to_string()
    }
}

pub async fn sso_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<SsoPage> {
    let org = organisation(&state, &b).await?;
    let stored = state.db.oidc_provider(org.id).await?;
    let form = match &stored {
        Some(p) => SsoForm::from_stored(p),
        // Password login stays open unless the beheerder closes it.
        None => SsoForm {
            aanbieder: Preset::Microsoft.code().to_string(),
            wachtwoord: "ja".to_string(),
            ..SsoForm::default()
        },
    };
    let schools = state.db.schools(org.id).await?;
    Ok(SsoPage {
        notice: notice(&q.melding),
        ..SsoPage::new(&state, ctx, form, stored.is_some(), schools)
    })
}

pub async fn save_sso(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(mut form): Form<SsoForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let stored = state.db.oidc_provider(org.id).await?;
    let mut errors = Errors::default();
    let preset = Preset::parse(&form.aanbieder);
    if preset.is_none() {
        errors.add("aanbieder", "Kies de aanbieder.");
    }
    let issuer = preset.and_then(|p| {
        let field = if p == Preset::Microsoft {
            "tenant"
        } else {
            "issuer"
        };
        errors.check(field, p.issuer(&form.tenant, &form.issuer))
    });
    // A plain-http provider on this machine is for a test set-up only, never for a served site.
    let issuer = issuer.filter(|i| {
        let plain = i.starts_with("http://");
        if plain && state.settings.https() {
            errors.add(
                "issuer",
                "Het adres van de aanbieder moet met https:// beginnen.",
            );
        }
        !(plain && state.settings.https())
    });
    let name = if form.naam.trim().is_empty() {
        preset.map(|p| p.default_name().to_string())
    } else {
        errors
            .check("naam", ShortText::parse(&form.naam, "De naam"))
            .map(|n| n.as_str().to_string())
    };
    let client_id = form.client_id.trim().to_string();
    if client_id.is_empty() || client_id.len() > 200 {
        errors.add(
            "client_id",
            "Vul de client-id in die de aanbieder voor Meldcode gaf.",
        );
    }
    let secret = form.client_secret.trim().to_string();
    if secret.is_empty() && stored.is_none() {
        errors.add(
            "client_secret",
            "Vul het clientgeheim in dat de aanbieder voor Meldcode gaf.",
        );
    } else if secret.len() > 500 {
        errors.add("client_secret", "Dit clientgeheim is te lang.");
    }
    let domains = errors.check("domeinen", parse_domains(&form.domeinen));
    let password_login = form.password_open();
    if !password_login && domains.as_ref().is_some_and(|d| d.is_empty()) {
        errors.add(
            "domeinen",
            "Noem de e-maildomeinen van de aanbieder als alleen inloggen via de organisatie mag.",
        );
    }
    // A login makes an account only for an address in the organisation's own domains, and only
    // as a beroepskracht: a role that sees dossiers of others is always the beheerder's decision.
    let schools = state.db.schools(org.id).await?;
    let create_school_id = match form.nieuw.trim() {
        "" => Some(None),
        id => schools
            .iter()
            .find(|s| s.id.to_string() == id)
            .map(|s| Some(s.id.get())),
    };
    if create_school_id.is_none() {
        errors.add(
            "nieuw",
            "Kies een school, of kies dat een inlog nooit een account maakt.",
        );
    }
    if matches!(create_school_id, Some(Some(_))) && domains.as_ref().is_some_and(|d| d.is_empty()) {
        errors.add(
            "domeinen",
            "Noem de e-maildomeinen van uw organisatie als een inlog een account mag maken.",
        );
    }
    let (Some(preset), Some(issuer), Some(name), Some(domains), Some(create_school_id), true) = (
        preset,
        issuer,
        name,
        domains,
        create_school_id,
        errors.is_empty(),
    ) else {
        // The secret typed is not sent back into the page.
        form.client_secret.clear();
        let page = SsoPage {
            errors,
            ..SsoPage::new(&state, ctx, form, stored.is_some(), schools)
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let provider = Provider {
        organisation_id: org.id,
        preset: preset.code().to_string(),
        name,
        issuer,
        client_id,
        client_secret: secret,
        domains: domains.join(" "),
        password_login: i64::from(password_login),
        create_school_id,
    };
    state
        .db
        .save_oidc_provider(&provider, state.clock.unix())
        .await?;
    audit(&state, &b, Event::SingleSignOnChanged, preset.code()).await?;
    Ok(Redirect::to(crate::web::urls::path::BEHEER_SSO_SAVED).into_response())
}

pub async fn remove_sso(State(state): State<AppState>, b: Beheerder) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    state.db.remove_oidc_provider(org.id).await?;
    audit(&state, &b, Event::SingleSignOnChanged, "uit").await?;
    Ok(Redirect::to(crate::web::urls::path::BEHEER_SSO_REMOVED).into_response())
}
