//! Transfers of a dossier to another school of the organisation.

use super::*;

/// A transfer of a dossier to another school, waiting for that school's aandachtsfunctionaris.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub id: TransferId,
    pub dossier_id: DossierId,
    /// The pupil who moves: the receiving aandachtsfunctionaris needs to know whom they accept.
    pub pupil_name: String,
    pub date_of_birth: Option<Date>,
    pub from_school: String,
    pub to_school_id: SchoolId,
    pub to_school: String,
    pub requested_by: String,
    pub requested_at: i64,
}

#[derive(FromRow)]
pub(super) struct TransferRow {
    id: TransferId,
    dossier_id: DossierId,
    pupil_name: String,
    date_of_birth: String,
    from_school: String,
    to_school_id: SchoolId,
    to_school: String,
    requested_by: String,
    requested_at: i64,
}

impl From<TransferRow> for Transfer {
    fn from(r: TransferRow) -> Transfer {
        Transfer {
            id: r.id,
            dossier_id: r.dossier_id,
            pupil_name: r.pupil_name,
            date_of_birth: stored_date(&r.date_of_birth),
            from_school: r.from_school,
            to_school_id: r.to_school_id,
            to_school: r.to_school,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
        }
    }
}

pub(super) const TRANSFER_SELECT: &str = "SELECT t.id, t.dossier_id, pt.name AS pupil_name, pt.date_of_birth, sf.name AS from_school, \
     t.to_school AS to_school_id, st.name AS to_school, u.name AS requested_by, t.requested_at FROM dossier_transfers t \
     JOIN schools sf ON sf.id = t.from_school JOIN schools st ON st.id = t.to_school \
     JOIN users u ON u.id = t.requested_by JOIN dossiers dt ON dt.id = t.dossier_id JOIN pupils pt ON pt.id = dt.pupil_id";

impl Db {
    /// Asks another school of the organisation to take over the dossier, when the pupil moves
    /// there. The receiving aandachtsfunctionarissen are notified; nothing moves until one accepts.
    pub async fn request_transfer(
        &self,
        access: &DossierAccess,
        to_school: (SchoolId, &str),
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO dossier_transfers (dossier_id, from_school, to_school, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(access.id())
        .bind(access.dossier().school_id)
        .bind(to_school.0)
        .bind(access.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut body = Body::new();
        body.insert(keys::VAN.into(), access.dossier().school_name.clone());
        body.insert(keys::NAAR.into(), to_school.1.to_string());
        insert_entry(
            self,
            &mut tx,
            access.id(),
            Kind::OverdrachtGevraagd,
            &body,
            access.user_id,
            access.role,
            None,
            now,
        )
        .await?;
        notify_role(
            &mut tx,
            to_school.0,
            Role::Aandachtsfunctionaris,
            access.id(),
            Notice::Overdracht,
            access.user_id,
            now,
        )
        .await?;
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("overdracht_gevraagd")),
        )
        .await?;
        tx.commit().await
    }

    /// The transfer waiting on a dossier, if any.
    pub async fn pending_transfer(
        &self,
        access: &DossierAccess,
    ) -> Result<Option<Transfer>, StoreError> {
        let dossier_id = access.id();
        let row: Option<TransferRow> = sqlx::query_as(&format!("{TRANSFER_SELECT} WHERE t.dossier_id = $1 AND t.accepted_at IS NULL ORDER BY t.id DESC LIMIT 1"))
            .bind(dossier_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(Transfer::from))
    }

    /// Transfers waiting for the schools where the viewer is aandachtsfunctionaris (or stands in
    /// for one today). Only the schools' names and who asked: the dossier's content opens after
    /// accepting.
    pub async fn incoming_transfers(&self, viewer: &Viewer) -> Result<Vec<Transfer>, StoreError> {
        let schools = viewer.coordinated_schools();
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{TRANSFER_SELECT} WHERE t.accepted_at IS NULL AND t.to_school IN ({}) ORDER BY t.id",
            crate::store::placeholders(1, schools.len())
        );
        let mut q = sqlx::query_as::<_, TransferRow>(&sql);
        for s in &schools {
            q = q.bind(*s);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .into_iter()
            .map(Transfer::from)
            .collect())
    }

    /// Accepts a transfer: the dossier and its pupil move to the receiving school, the history
    /// stays whole, and the acceptance is an entry. Only an aandachtsfunctionaris of the receiving
    /// school can; returns the dossier id, or `None` when the transfer is not theirs to accept.
    pub async fn accept_transfer(
        &self,
        viewer: &Viewer,
        transfer_id: TransferId,
        now: i64,
        address: Option<&str>,
    ) -> Result<Option<DossierId>, StoreError> {
        let Some(t) = sqlx::query_as::<_, TransferRow>(&format!(
            "{TRANSFER_SELECT} WHERE t.id = $1 AND t.accepted_at IS NULL"
        ))
        .bind(transfer_id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        if !viewer.coordinates_at(t.to_school_id) {
            return Ok(None);
        }
        let audit_role = if viewer.through_cover(t.to_school_id, Role::Aandachtsfunctionaris) {
            crate::domain::cover::AUDIT_ROLE
        } else {
            Role::Aandachtsfunctionaris.code()
        };
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("UPDATE dossier_transfers SET accepted_by = $1, accepted_at = $2 WHERE id = $3 AND accepted_at IS NULL")
            .bind(viewer.user_id())
            .bind(now)
            .bind(t.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        sqlx::query("UPDATE dossiers SET school_id = $1 WHERE id = $2")
            .bind(t.to_school_id)
            .bind(t.dossier_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE pupils SET school_id = $1 WHERE id = (SELECT pupil_id FROM dossiers WHERE id = $2)")
            .bind(t.to_school_id)
            .bind(t.dossier_id)
            .execute(&mut *tx)
            .await?;
        let mut body = Body::new();
        body.insert(keys::VAN.into(), t.from_school.clone());
        body.insert(keys::NAAR.into(), t.to_school.clone());
        insert_entry(
            self,
            &mut tx,
            t.dossier_id,
            Kind::Overgedragen,
            &body,
            viewer.user_id(),
            Role::Aandachtsfunctionaris,
            None,
            now,
        )
        .await?;
        let entry = Entry {
            dossier_id: Some(t.dossier_id),
            role: Some(audit_role),
            user_id: Some(viewer.user_id()),
            event: Event::DossierWritten,
            subject: Some("overgedragen"),
            address,
        };
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(Some(t.dossier_id))
    }
}
