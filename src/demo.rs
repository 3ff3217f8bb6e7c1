//! The demo organisation: two schools and a user for every role, to log in with right away.
//! Names and addresses are invented; the `.example` domain can never reach a real mailbox.

use anyhow::bail;

use crate::auth::Passwords;
use crate::domain::role::Role;
use crate::store::{Db, org, users};

/// The password of every demo user. Printed by `meldcode demo`: never use demo data for real work.
pub const PASSWORD: &str = "Meldcode-demo-2026";

pub struct Login {
    pub email: &'static str,
    pub roles: String,
}

const ORGANISATION: &str = "Stichting Voorbeeld Onderwijs";
const SCHOOLS: [&str; 2] = ["De Regenboog", "Het Kompas"];

/// (e-mail, name, school index, roles)
const USERS: [(&str, &str, usize, &[Role]); 6] = [
    (
        "leerkracht@regenboog.example",
        "Sanne de Boer",
        0,
        &[Role::Beroepskracht],
    ),
    (
        "af@regenboog.example",
        "Ahmed El Amrani",
        0,
        &[Role::Aandachtsfunctionaris],
    ),
    (
        "directie@regenboog.example",
        "Marleen Visser",
        0,
        &[Role::Directie],
    ),
    (
        "beheer@voorbeeld.example",
        "Tom Bakker",
        0,
        &[Role::Beheerder],
    ),
    (
        "leerkracht@kompas.example",
        "Kees Mulder",
        1,
        &[Role::Beroepskracht],
    ),
    // In a small school the director is often the aandachtsfunctionaris too.
    (
        "directie@kompas.example",
        "Fatma Yilmaz",
        1,
        &[Role::Aandachtsfunctionaris, Role::Directie],
    ),
];

/// Loads the demo organisation into an empty database.
pub async fn load(db: &Db, passwords: &Passwords, now: i64) -> anyhow::Result<Vec<Login>> {
    if db.organisation().await?.is_some() {
        bail!(
            "de database bevat al een organisatie; demo-gegevens gaan alleen in een lege database"
        );
    }
    // One hash serves every demo user: they share the published demo password anyway.
    let hash = passwords.hash(PASSWORD).await?;
    let mut tx = db.begin_write().await?;
    let (org_id, first) = org::create_organisation(&mut tx, ORGANISATION, SCHOOLS[0], now).await?;
    let second = org::insert_school(&mut *tx, org_id, SCHOOLS[1], now).await?;
    let school_ids = [first, second];
    let mut logins = Vec::new();
    for (email, name, school, roles) in USERS {
        let user_id = users::add_user(&mut *tx, org_id, email, name, Some(&hash), now).await?;
        for role in roles {
            users::grant_role(&mut *tx, user_id, school_ids[school], *role, now).await?;
        }
        let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        logins.push(Login {
            email,
            roles: format!("{} ({})", labels.join(" + "), SCHOOLS[school]),
        });
    }
    tx.commit().await?;
    Ok(logins)
}
