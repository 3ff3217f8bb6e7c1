//! In-app notifications: who is told, what is unread.

use super::*;

/// Notifies one user about a dossier, in the caller's transaction.
pub(super) async fn notify_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    dossier_id: DossierId,
    kind: Notice,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, dossier_id, kind, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user)
    .bind(dossier_id)
    .bind(kind.code())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Notifies everyone active who holds `role` at `school` about a dossier, except `except` (the
/// user who caused it), in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn notify_role(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    school: SchoolId,
    role: Role,
    dossier_id: DossierId,
    kind: Notice,
    except: UserId,
    now: i64,
) -> Result<(), StoreError> {
    // A deputy standing in for the school's aandachtsfunctionaris today hears what they would
    // (issue 18: cover during absence; `store::covers::in_force`).
    let sql = format!(
        "INSERT INTO notifications (user_id, dossier_id, kind, created_at) \
         SELECT DISTINCT x.user_id, $1, $2, $3 FROM ( \
           SELECT r.user_id FROM role_assignments r WHERE r.school_id = $4 AND r.role = $5 \
           UNION SELECT c.deputy_id FROM covers c \
           WHERE $5 = 'aandachtsfunctionaris' AND c.school_id = $4 AND {}) x \
         JOIN users u ON u.id = x.user_id WHERE u.active = 1 AND x.user_id <> $6",
        crate::store::covers::in_force("$7")
    );
    sqlx::query(&sql)
        .bind(dossier_id)
        .bind(kind.code())
        .bind(now)
        .bind(school)
        .bind(role.code())
        .bind(except)
        .bind(crate::clock::today_nl(now).to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Db {
    /// The viewer's unread notifications about dossiers they may see now (a role can have ended
    /// since; the conditions of [`Db::dossier_page`]), newest first, with the pupil's name. Reads
    /// only the notifications and their dossiers, however many dossiers the viewer may see.
    pub async fn notifications(&self, viewer: &Viewer) -> Result<Vec<Notification>, StoreError> {
        let Some((visible, ids)) = super::lists::visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT n.id, n.dossier_id, n.kind, n.created_at, p.name AS pupil_name \
             FROM notifications n JOIN dossiers d ON d.id = n.dossier_id JOIN pupils p ON p.id = d.pupil_id \
             WHERE n.user_id = $1 AND n.read_at IS NULL AND d.purged_at IS NULL AND {visible} \
             ORDER BY n.created_at DESC, n.id DESC LIMIT 50"
        );
        let mut q = sqlx::query_as::<_, Notification>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(self.pool()).await
    }

    /// Marks the user's notifications about the dossier as read (when they open it).
    pub async fn mark_read(&self, access: &DossierAccess, now: i64) -> Result<(), StoreError> {
        let (user_id, dossier_id) = (access.user_id, access.id());
        // Most views have nothing unread: look first, so that a page view is not a write.
        let (unread,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND dossier_id = $2 AND read_at IS NULL",
        )
        .bind(user_id)
        .bind(dossier_id)
        .fetch_one(self.pool())
        .await?;
        if unread == 0 {
            return Ok(());
        }
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND dossier_id = $3 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(dossier_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// When an aandachtsfunctionaris (someone other than the viewer), or a deputy standing in for
    /// one (`domain::cover::AUDIT_ROLE`), last opened the dossier at or after `since`, from the
    /// audit log's reads ("gelezen door de aandachtsfunctionaris").
    pub async fn read_by_coordinator_since(
        &self,
        access: &DossierAccess,
        since: i64,
    ) -> Result<Option<i64>, StoreError> {
        let (at,): (Option<i64>,) = sqlx::query_as(
            "SELECT MAX(a.at) FROM audit_log a WHERE a.dossier_id = $1 AND a.at >= $2 \
             AND a.event = $3 AND a.role IN ('aandachtsfunctionaris', 'waarneming') AND a.user_id <> $4",
        )
        .bind(access.id())
        .bind(since)
        .bind(Event::DossierRead.code())
        .bind(access.user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(at)
    }
}
