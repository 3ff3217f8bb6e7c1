//! Colleagues added to a dossier, and the case manager.

use super::*;

/// The roles of the colleagues who can be added to a dossier: those who work with dossiers.
const COLLEAGUE_ROLES: &str = "('beroepskracht', 'aandachtsfunctionaris', 'directie')";

/// Who is around a dossier, as its page shows it: see [`Db::circle`].
#[derive(Debug, Clone, Default)]
pub struct Circle {
    /// Colleagues added to the dossier, by name.
    pub members: Vec<Colleague>,
    /// The case manager of the help plan, if one was named as a colleague.
    pub case_manager: Option<Colleague>,
    /// The transfer to another school waiting for acceptance.
    pub transfer: Option<PendingTransfer>,
    /// Active colleagues at the school who work with dossiers (only when asked for), by name.
    pub colleagues: Vec<Colleague>,
    /// The viewer's unread notifications about the dossier: [`Db::mark_read`] has some to mark.
    pub unread: i64,
}

/// A transfer waiting for the receiving school, as the dossier page mentions it.
#[derive(Debug, Clone)]
pub struct PendingTransfer {
    pub to_school: String,
    pub requested_by: String,
    pub requested_at: i64,
}

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
                self,
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
            notifications::notify_user(&mut tx, colleague.id, access.id(), Notice::Toegevoegd, now)
                .await?;
        }
        if as_case_manager {
            sqlx::query("UPDATE dossiers SET case_manager = $1 WHERE id = $2")
                .bind(colleague.id)
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            insert_entry(
                self,
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
                self,
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

    /// Who is around the dossier, as its page shows it, in one query: the colleagues added to
    /// it (by name), the case manager of its help plan if one was named, the transfer to another
    /// school that waits for acceptance, how many of the viewer's notifications about it are
    /// unread, and, `with_colleagues`, the active colleagues at its school who work with dossiers
    /// (to add one).
    pub async fn circle(
        &self,
        access: &DossierAccess,
        with_colleagues: bool,
    ) -> Result<Circle, StoreError> {
        let mut sql = String::from(
            "SELECT 'lid' AS part, u.id AS id, u.name AS name, '' AS extra, 0 AS at \
             FROM dossier_members m JOIN users u ON u.id = m.user_id WHERE m.dossier_id = $1 \
             UNION ALL SELECT 'casemanager', u.id, u.name, '', 0 \
             FROM dossiers d JOIN users u ON u.id = d.case_manager WHERE d.id = $1 \
             UNION ALL SELECT 'overdracht', t.id, st.name, u.name, t.requested_at \
             FROM dossier_transfers t JOIN schools st ON st.id = t.to_school \
             JOIN users u ON u.id = t.requested_by WHERE t.id = (SELECT MAX(p.id) \
             FROM dossier_transfers p WHERE p.dossier_id = $1 AND p.accepted_at IS NULL) \
             UNION ALL SELECT 'ongelezen', COUNT(*), '', '', 0 FROM notifications \
             WHERE user_id = $2 AND dossier_id = $1 AND read_at IS NULL",
        );
        if with_colleagues {
            sql.push_str(&format!(
                " UNION ALL SELECT DISTINCT 'collega', u.id, u.name, '', 0 FROM users u \
                 JOIN role_assignments r ON r.user_id = u.id WHERE r.school_id = $3 \
                 AND r.role IN {COLLEAGUE_ROLES} AND u.active = 1"
            ));
        }
        sql.push_str(" ORDER BY part, name, id");
        let mut q = sqlx::query_as::<_, (String, i64, String, String, i64)>(&sql)
            .bind(access.id())
            .bind(access.user_id);
        if with_colleagues {
            q = q.bind(access.dossier().school_id);
        }
        let mut circle = Circle::default();
        for (part, id, name, extra, at) in q.fetch_all(self.pool()).await? {
            let person = || Colleague {
                id: UserId::new(id),
                name: name.clone(),
            };
            match part.as_str() {
                "lid" => circle.members.push(person()),
                "collega" => circle.colleagues.push(person()),
                "casemanager" => circle.case_manager = Some(person()),
                "ongelezen" => circle.unread = id,
                _ => {
                    circle.transfer = Some(PendingTransfer {
                        to_school: name.clone(),
                        requested_by: extra,
                        requested_at: at,
                    })
                }
            }
        }
        Ok(circle)
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
        sqlx::query_as(&format!(
            "SELECT DISTINCT u.id, u.name FROM users u JOIN role_assignments r ON r.user_id = u.id \
             WHERE r.school_id = $1 AND r.role IN {COLLEAGUE_ROLES} AND u.active = 1 ORDER BY u.name",
        ))
        .bind(school_id)
        .fetch_all(self.pool())
        .await
    }
}
