//! Actions with deadlines on a dossier (`domain::action`; table `dossier_actions`, migration
//! 0027). Assigning and closing write the chronology's entry and the kept row in one transaction;
//! the start page and the workspace read the kept rows, never the entries.

use super::*;
use crate::domain::action::{Assignment, Outcome};
use crate::domain::ids::ActionId;

/// An action on a dossier, as its page lists it.
#[derive(Debug, Clone, FromRow)]
pub struct ActionRow {
    pub id: ActionId,
    pub entry_id: EntryId,
    pub assignee: UserId,
    pub assignee_name: String,
    pub what: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub assigned_by_name: String,
    /// "gedaan" or "niet_gedaan" once closed.
    pub outcome: Option<String>,
    pub closed_at: Option<i64>,
}

impl ActionRow {
    pub fn due_date(&self) -> Option<Date> {
        stored_date(&self.due)
    }
}

/// One of the user's open actions, for their start page.
#[derive(Debug, Clone, FromRow)]
pub struct MyAction {
    pub id: ActionId,
    pub dossier_id: DossierId,
    pub pupil: String,
    pub what: String,
    pub due: String,
}

impl MyAction {
    pub fn due_date(&self) -> Option<Date> {
        stored_date(&self.due)
    }
}

/// What became of an attempt to close an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Recorded,
    /// Someone else recorded it first (or it is no action of this dossier): nothing written.
    AlreadyClosed,
}

const ACTION_SELECT: &str = "SELECT a.id, a.entry_id, a.assignee, u.name AS assignee_name, a.what, \
     a.due, b.name AS assigned_by_name, a.outcome, a.closed_at FROM dossier_actions a \
     JOIN users u ON u.id = a.assignee JOIN users b ON b.id = a.assigned_by";

impl Db {
    /// The people an action on this dossier can go to: those who may see it now (the conditions
    /// of `domain::access::decide` for the stappenplan): its aandachtsfunctionarissen, whoever
    /// opened it and the colleagues added to it, if they still work with dossiers at its school;
    /// a deputy standing in for its aandachtsfunctionaris today (`store::covers::in_force`); and
    /// the viewer.
    pub async fn action_candidates(
        &self,
        access: &DossierAccess,
        today: &str,
    ) -> Result<Vec<Colleague>, StoreError> {
        let sql = format!(
            "SELECT u.id, u.name FROM users u WHERE u.active = 1 AND (u.id = $2 OR ( \
               EXISTS (SELECT 1 FROM role_assignments w WHERE w.user_id = u.id AND w.school_id = $3 \
                 AND w.role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie')) \
               AND (u.id = (SELECT d.opened_by FROM dossiers d WHERE d.id = $1) \
                 OR EXISTS (SELECT 1 FROM dossier_members m WHERE m.dossier_id = $1 AND m.user_id = u.id) \
                 OR EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.school_id = $3 \
                   AND r.role = 'aandachtsfunctionaris'))) \
               OR EXISTS (SELECT 1 FROM covers c WHERE c.deputy_id = u.id AND c.school_id = $3 AND {})) \
             ORDER BY u.name, u.id",
            crate::store::covers::in_force("$4")
        );
        sqlx::query_as(&sql)
            .bind(access.id())
            .bind(access.user_id)
            .bind(access.dossier().school_id)
            .bind(today)
            .fetch_all(self.pool())
            .await
    }

    /// The dossier's actions, open ones first (soonest due first), then closed ones.
    pub async fn dossier_actions(
        &self,
        access: &DossierAccess,
    ) -> Result<Vec<ActionRow>, StoreError> {
        sqlx::query_as(&format!(
            "{ACTION_SELECT} WHERE a.dossier_id = $1 \
             ORDER BY CASE WHEN a.closed_at IS NULL THEN 0 ELSE 1 END, a.due, a.id"
        ))
        .bind(access.id())
        .fetch_all(self.pool())
        .await
    }

    /// Assigns an action: the chronology's entry, the kept row, the assignee's notification and
    /// the audit row, in one transaction. The caller checked `domain::action::may_assign` and
    /// that `assignee` is one of [`Db::action_candidates`].
    pub async fn assign_action(
        &self,
        access: &DossierAccess,
        assignee: &Colleague,
        assignment: &Assignment,
        now: i64,
    ) -> Result<ActionId, StoreError> {
        let mut tx = self.begin_write().await?;
        let due = assignment.due.to_string();
        let mut body = Body::new();
        body.insert(keys::WAT.into(), assignment.what.clone());
        body.insert(keys::VOOR.into(), assignee.name.clone());
        body.insert(keys::UITERLIJK.into(), due.clone());
        let entry = insert_entry(
            self,
            &mut tx,
            access.id(),
            Kind::Actie,
            &body,
            access.user_id,
            access.role,
            None,
            now,
        )
        .await?;
        let (id,): (ActionId,) = sqlx::query_as(
            "INSERT INTO dossier_actions (dossier_id, entry_id, assignee, what, due, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(access.id())
        .bind(entry)
        .bind(assignee.id)
        .bind(&assignment.what)
        .bind(&due)
        .bind(access.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if assignee.id != access.user_id {
            super::notifications::notify_user(
                &mut tx,
                assignee.id,
                access.id(),
                Notice::Actie,
                now,
            )
            .await?;
        }
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("actie")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records an open action of this dossier as done or not done: the kept row is closed only if
    /// it was open (so of two people at once, one records it), with the chronology's entry
    /// (referring to the action's) and the audit row in the same transaction.
    pub async fn close_action(
        &self,
        access: &DossierAccess,
        action: &ActionRow,
        outcome: Outcome,
        note: &str,
        now: i64,
    ) -> Result<Closed, StoreError> {
        let mut tx = self.begin_write().await?;
        let closed = sqlx::query(
            "UPDATE dossier_actions SET outcome = $3, closed_at = $4 \
             WHERE id = $1 AND dossier_id = $2 AND closed_at IS NULL",
        )
        .bind(action.id)
        .bind(access.id())
        .bind(outcome.code())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if closed == 0 {
            return Ok(Closed::AlreadyClosed);
        }
        let mut body = Body::new();
        body.insert(keys::WAT.into(), action.what.clone());
        body.insert(keys::UITKOMST.into(), outcome.code().into());
        if !note.trim().is_empty() {
            body.insert(keys::TOELICHTING.into(), note.trim().to_string());
        }
        let entry = insert_entry(
            self,
            &mut tx,
            access.id(),
            Kind::ActieAfgerond,
            &body,
            access.user_id,
            access.role,
            Some(action.entry_id),
            now,
        )
        .await?;
        sqlx::query("UPDATE dossier_actions SET closed_entry_id = $2 WHERE id = $1")
            .bind(action.id)
            .bind(entry)
            .execute(&mut *tx)
            .await?;
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("actie_afgerond")),
        )
        .await?;
        tx.commit().await?;
        Ok(Closed::Recorded)
    }

    /// The viewer's open actions, soonest due first, on dossiers they may see now (the access
    /// decision in SQL, as for every list): an action on a dossier they lost access to waits
    /// for whoever coordinates it.
    pub async fn my_open_actions(&self, viewer: &Viewer) -> Result<Vec<MyAction>, StoreError> {
        let Some((visible, ids)) = super::lists::visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT a.id, a.dossier_id, p.name AS pupil, a.what, a.due FROM dossier_actions a \
             JOIN dossiers d ON d.id = a.dossier_id JOIN pupils p ON p.id = d.pupil_id \
             WHERE a.assignee = $1 AND a.closed_at IS NULL AND d.purged_at IS NULL AND {visible} \
             ORDER BY a.due, a.id LIMIT 100"
        );
        let mut q = sqlx::query_as::<_, MyAction>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(self.pool()).await
    }
}
