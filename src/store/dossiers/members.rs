//! Colleagues added to a dossier, and the case manager.

use super::*;

impl Db {
    /// Adds a colleague to a dossier: from now on they may see it. With `as_case_manager`, the
    /// colleague also becomes the case manager of the help plan.
    pub async fn add_member(
        &self,
        access: &DossierAccess,
        colleague: &Colleague,
        as_case_manager: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query("INSERT INTO dossier_members (dossier_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dossier_id, user_id) DO NOTHING")
            .bind(access.id())
            .bind(colleague.id)
            .bind(access.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        let mut body = Body::new();
        body.insert(keys::COLLEGA.into(), colleague.name.clone());
        if added {
            insert_entry(
                &mut tx,
                access.id(),
                Kind::CollegaToegevoegd,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
            sqlx::query("INSERT INTO notifications (user_id, dossier_id, kind, created_at) VALUES ($1, $2, $3, $4)")
                .bind(colleague.id)
                .bind(access.id())
                .bind(Notice::Toegevoegd.code())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if as_case_manager {
            sqlx::query("UPDATE dossiers SET case_manager = $1 WHERE id = $2")
                .bind(colleague.id)
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            insert_entry(
                &mut tx,
                access.id(),
                Kind::Casemanager,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
        }
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("collega_toegevoegd")),
        )
        .await?;
        tx.commit().await
    }

    /// Removes a colleague from a dossier: from now on they no longer see it (unless their role
    /// gives them access anyway). Recorded as an entry and audited.
    pub async fn remove_member(
        &self,
        access: &DossierAccess,
        colleague: &Colleague,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM dossier_members WHERE dossier_id = $1 AND user_id = $2")
                .bind(access.id())
                .bind(colleague.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
        if removed {
            sqlx::query(
                "UPDATE dossiers SET case_manager = NULL WHERE id = $1 AND case_manager = $2",
            )
            .bind(access.id())
            .bind(colleague.id)
            .execute(&mut *tx)
            .await?;
            let mut body = Body::new();
            body.insert(keys::COLLEGA.into(), colleague.name.clone());
            insert_entry(
                &mut tx,
                access.id(),
                Kind::CollegaVerwijderd,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
            audit::audit(
                &mut tx,
                now,
                access.audit_entry(Event::DossierWritten, Some("collega_verwijderd")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The case manager of the dossier's help plan, if one was named.
    pub async fn case_manager(
        &self,
        access: &DossierAccess,
    ) -> Result<Option<Colleague>, StoreError> {
        sqlx::query_as("SELECT u.id, u.name FROM dossiers d JOIN users u ON u.id = d.case_manager WHERE d.id = $1")
            .bind(access.id())
            .fetch_optional(self.pool())
            .await
    }

    pub async fn members(&self, access: &DossierAccess) -> Result<Vec<Colleague>, StoreError> {
        sqlx::query_as("SELECT u.id, u.name FROM dossier_members m JOIN users u ON u.id = m.user_id WHERE m.dossier_id = $1 ORDER BY u.name")
            .bind(access.id())
            .fetch_all(self.pool())
            .await
    }

    /// Active colleagues at the dossier's school who work with dossiers, to add to it.
    pub async fn colleagues(&self, access: &DossierAccess) -> Result<Vec<Colleague>, StoreError> {
        let school_id = access.dossier().school_id;
        sqlx::query_as(
            "SELECT DISTINCT u.id, u.name FROM users u JOIN role_assignments r ON r.user_id = u.id \
             WHERE r.school_id = $1 AND r.role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie') AND u.active = 1 ORDER BY u.name",
        )
        .bind(school_id)
        .fetch_all(self.pool())
        .await
    }
}
