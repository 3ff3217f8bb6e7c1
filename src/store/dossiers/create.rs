//! Opening a dossier: the pupil linked or made, the dossier, its first entries and who is told.

use super::*;

/// The id of the school's pupil with this date of birth and name (ignoring case and spacing),
/// made when there is none; a newly typed group replaces the one kept. A pupil whose date of
/// birth is not known (an emergency report) gets a record of their own: a name alone does not
/// tell two pupils apart.
pub(super) async fn link_pupil(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    school_id: SchoolId,
    pupil: &NewPupil,
    now: i64,
) -> Result<i64, StoreError> {
    let key = name_key(&pupil.name);
    // Dates are stored as `YYYY-MM-DD`, and an unknown date of birth as "".
    let born = pupil
        .date_of_birth
        .map(|d| d.to_string())
        .unwrap_or_default();
    if !born.is_empty() {
        // Two openings for the same new pupil at once must not make two records: the school's
        // row is locked for the rest of the transaction (SQLite has one writer anyway).
        sqlx::query("UPDATE schools SET name = name WHERE id = $1")
            .bind(school_id)
            .execute(&mut **tx)
            .await?;
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, group_name FROM pupils WHERE school_id = $1 AND date_of_birth = $2 AND name_key = $3 \
             ORDER BY id LIMIT 1",
        )
        .bind(school_id)
        .bind(&born)
        .bind(&key)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((id, group)) = found {
            if !pupil.group_name.is_empty() && pupil.group_name != group {
                sqlx::query("UPDATE pupils SET group_name = $1 WHERE id = $2")
                    .bind(&pupil.group_name)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            return Ok(id);
        }
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pupils (school_id, name, name_key, date_of_birth, group_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(school_id)
    .bind(&pupil.name)
    .bind(&key)
    .bind(&born)
    .bind(&pupil.group_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// An open dossier about the pupil being typed, which the user may see: offered before a second
/// one is opened (domain::merge::offers_existing).
#[derive(Debug, Clone)]
pub struct ExistingDossier {
    pub id: DossierId,
    pub opened_at: i64,
}

#[derive(FromRow)]
struct CandidateRow {
    id: DossierId,
    opened_at: i64,
    opened_by: UserId,
    route: String,
    member: i64,
}

impl Db {
    /// The newest open dossier on `route` about the school's pupil with this date of birth and
    /// name (linked as [`Db::create_dossier`] links them) that the viewer may see
    /// (`domain::access::decide`); `None` when there is none, or none the viewer may see, or the
    /// date of birth is not known. Nothing is said of dossiers the viewer may not see.
    pub async fn open_dossier_about(
        &self,
        viewer: &Viewer,
        school_id: SchoolId,
        pupil: &NewPupil,
        route: Route,
    ) -> Result<Option<ExistingDossier>, StoreError> {
        let Some(born) = pupil.date_of_birth else {
            return Ok(None);
        };
        let rows: Vec<CandidateRow> = sqlx::query_as(
            "SELECT d.id, d.opened_at, d.opened_by, d.route,              (SELECT COUNT(*) FROM dossier_members m WHERE m.dossier_id = d.id AND m.user_id = $5) AS member              FROM pupils p JOIN dossiers d ON d.pupil_id = p.id              WHERE p.school_id = $1 AND p.date_of_birth = $2 AND p.name_key = $3 AND d.route = $4              AND d.status = 'open' AND d.purged_at IS NULL ORDER BY d.opened_at DESC, d.id DESC LIMIT 20",
        )
        .bind(school_id)
        .bind(born.to_string())
        .bind(name_key(&pupil.name))
        .bind(route.code())
        .bind(viewer.user_id())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().find_map(|r| {
            let existing_route = Route::parse(&r.route)?;
            let facts = DossierFacts {
                school_id,
                route: existing_route,
                opened_by: r.opened_by,
                viewer_is_member: r.member > 0,
            };
            (crate::domain::merge::offers_existing(route, existing_route, true)
                && decide(viewer, &facts).is_some())
            .then_some(ExistingDossier {
                id: r.id,
                opened_at: r.opened_at,
            })
        }))
    }

    /// Gives pupils recorded before names were keyed (migration 0017) their `name_key`, once, at
    /// start-up. The key is made here and not in SQL: SQLite's lower() knows only ASCII.
    pub async fn key_unkeyed_pupils(&self) -> Result<u64, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM pupils WHERE name_key IS NULL ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        for (id, name) in &rows {
            sqlx::query("UPDATE pupils SET name_key = $1 WHERE id = $2 AND name_key IS NULL")
                .bind(name_key(name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Opens a new dossier, with its first entry, notifies who must know, and returns its id.
    /// Everything happens in one transaction with its audit row, the pupil's record included:
    /// the typed pupil is linked silently to the school's pupil with the same date of birth and
    /// name, or a new record is made. Either way the caller learns nothing but the new id.
    pub async fn create_dossier(
        &self,
        viewer: &Viewer,
        new: &NewDossier,
        now: i64,
        address: Option<&str>,
    ) -> Result<DossierId, StoreError> {
        let role = match new.route {
            Route::Stappenplan => viewer.acting_role(new.school_id),
            // A cover is the stappenplan's: a staff dossier is opened in one's own role.
            Route::Medewerker => viewer.own_acting_role(new.school_id),
        }
        .unwrap_or(Role::Beroepskracht);
        let audit_role = if viewer.through_cover(new.school_id, role) {
            crate::domain::cover::AUDIT_ROLE
        } else {
            role.code()
        };
        let mut tx = self.begin_write().await?;
        let pupil_id = link_pupil(&mut tx, new.school_id, &new.pupil, now).await?;
        let forms: Vec<&str> = new.forms.iter().map(|f| f.code()).collect();
        let (dossier_id,): (DossierId,) = sqlx::query_as(
            "INSERT INTO dossiers (school_id, pupil_id, route, forms, status, emergency, opened_by, opened_at, last_entry_at, standing_version) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7, 1) RETURNING id",
        )
        .bind(new.school_id)
        .bind(pupil_id)
        .bind(new.route.code())
        .bind(forms.join(" "))
        .bind(i64::from(new.emergency))
        .bind(viewer.user_id())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut opened = Body::new();
        opened.insert(keys::ROUTE.into(), new.route.code().into());
        insert_entry(
            self,
            &mut tx,
            dossier_id,
            Kind::Geopend,
            &opened,
            viewer.user_id(),
            role,
            None,
            now,
        )
        .await?;
        if let Some((kind, body)) = &new.first_entry {
            insert_entry(
                self,
                &mut tx,
                dossier_id,
                *kind,
                body,
                viewer.user_id(),
                role,
                None,
                now,
            )
            .await?;
        }
        // Who must know: the aandachtsfunctionarissen of the school for the stappenplan, directie
        // for a signal about a staff member. Never the person who opened it.
        // When the pupil already has an open dossier on this route, the coordinator (who sees
        // both) is told so, and can merge them; the one who opened it learns nothing of dossiers
        // they may not see.
        let who = crate::domain::access::coordinator(new.route);
        let (others,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM dossiers WHERE pupil_id = $1 AND route = $2 AND status = 'open'              AND id <> $3 AND purged_at IS NULL",
        )
        .bind(pupil_id)
        .bind(new.route.code())
        .bind(dossier_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut kinds = Vec::new();
        if new.emergency {
            kinds.push(Notice::Noodmelding);
        }
        if others > 0 {
            kinds.push(Notice::ZelfdeLeerling);
        }
        if kinds.is_empty() {
            kinds.push(Notice::NieuwDossier);
        }
        for kind in kinds {
            notify_role(
                &mut tx,
                new.school_id,
                who,
                dossier_id,
                kind,
                viewer.user_id(),
                now,
            )
            .await?;
        }
        let entry = Entry {
            dossier_id: Some(dossier_id),
            role: Some(audit_role),
            user_id: Some(viewer.user_id()),
            event: Event::DossierOpened,
            subject: None,
            address,
        };
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(dossier_id)
    }
}
