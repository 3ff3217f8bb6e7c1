//! Teachers' requests for a consultation, and their answers.

use super::*;

/// A teacher's request for a consultation, as the dossier and the workspace show it.
#[derive(Debug, Clone, FromRow)]
pub struct ConsultationRequest {
    pub id: RequestId,
    pub dossier_id: DossierId,
    pub requested_by: UserId,
    pub requested_by_name: String,
    pub question: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub answer_entry_id: Option<EntryId>,
    /// Only for users who may see the dossier (the request's own dossier page, the workspace of
    /// the school's aandachtsfunctionaris).
    pub pupil_name: String,
}

pub(super) const REQUEST_SELECT: &str = "SELECT r.id, r.dossier_id, r.requested_by, u.name AS requested_by_name, r.question, r.created_at, \
     r.answered_at, r.answer_entry_id, pq.name AS pupil_name FROM consultation_requests r \
     JOIN users u ON u.id = r.requested_by JOIN dossiers dq ON dq.id = r.dossier_id JOIN pupils pq ON pq.id = dq.pupil_id";

impl Db {
    /// Asks for a consultation: the school's aandachtsfunctionaris, or on the staff route the
    /// school's directie (the aandachtsfunctionaris cannot see such a dossier); they are
    /// notified in the app.
    pub async fn request_consultation(
        &self,
        access: &DossierAccess,
        question: &str,
        now: i64,
    ) -> Result<RequestId, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (RequestId,) = sqlx::query_as(
            "INSERT INTO consultation_requests (dossier_id, requested_by, question, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(access.id())
        .bind(access.user_id)
        .bind(question)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let school = access.dossier().school_id;
        let who = crate::domain::access::coordinator(access.dossier().route);
        notify_role(
            &mut tx,
            school,
            who,
            access.id(),
            Notice::OverlegGevraagd,
            access.user_id,
            now,
        )
        .await?;
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("overleg_gevraagd")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The consultation requests of a dossier, newest first.
    pub async fn consultation_requests(
        &self,
        access: &DossierAccess,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        sqlx::query_as(&format!(
            "{REQUEST_SELECT} WHERE r.dossier_id = $1 ORDER BY r.id DESC"
        ))
        .bind(access.id())
        .fetch_all(self.pool())
        .await
    }

    /// Unanswered consultation requests at the schools where the viewer is aandachtsfunctionaris.
    pub async fn open_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        self.open_requests_on(viewer, Route::Stappenplan).await
    }

    /// Unanswered consultation requests on staff dossiers of the schools where the viewer is
    /// directie: on the staff route a request goes to directie.
    pub async fn open_staff_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        self.open_requests_on(viewer, Route::Medewerker).await
    }

    /// Unanswered requests on dossiers of `route` at the schools where the viewer holds the role
    /// that coordinates that route (`domain::access::coordinator`).
    async fn open_requests_on(
        &self,
        viewer: &Viewer,
        route: Route,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        // The aandachtsfunctionaris's requests go to a deputy standing in for them too; directie's
        // never (a cover is the stappenplan's).
        let schools = match route {
            Route::Stappenplan => viewer.coordinated_schools(),
            Route::Medewerker => viewer.schools_with(crate::domain::access::coordinator(route)),
        };
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        // Only dossiers the viewer may see now, by the rule of `Db::dossier_page` (the
        // coordinator of a route sees its dossiers; checked once more, not assumed).
        let Some((visible, ids)) = super::lists::visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let n = ids.len() + 2;
        let sql = format!(
            "{REQUEST_SELECT} JOIN dossiers d ON d.id = r.dossier_id WHERE r.answered_at IS NULL \
             AND d.purged_at IS NULL AND {visible} AND d.route = ${n} AND d.school_id IN ({}) ORDER BY r.id",
            crate::store::placeholders(n + 1, schools.len())
        );
        let mut q = sqlx::query_as::<_, ConsultationRequest>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        let mut q = q.bind(route.code());
        for s in &schools {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }
}
