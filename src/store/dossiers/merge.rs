//! Merging two dossiers about one pupil into one (domain::merge): the coordinator's remedy when
//! a second dossier was opened for the same concern.

use super::*;

#[derive(FromRow)]
struct SideRow {
    id: DossierId,
    pupil_id: PupilId,
    route: String,
    status: String,
    forms: String,
    opened_at: i64,
    opened_by: UserId,
    report_due_since: Option<i64>,
    feedback_due: Option<String>,
    review_due: Option<String>,
}

/// How an entry names the other dossier: "nummer 12, geopend op 3-10-2026".
fn named(id: DossierId, opened_at: i64) -> String {
    let d = crate::clock::today_nl(opened_at);
    format!(
        "nummer {id}, geopend op {}-{}-{}",
        d.day(),
        u8::from(d.month()),
        d.year()
    )
}

impl Db {
    /// Merges `gone` into `keep`, both opened by the same user: both keep their whole history
    /// and get an entry about the merge; `gone` is closed (reason `samengevoegd`) and points to
    /// `keep`; its forms of violence are added to `keep`'s, its unanswered requests for
    /// consultation move to `keep`, and the colleagues who worked in it (its opener and members)
    /// are added to `keep`, so that they go on there. The rules (`domain::merge::refusals`) are
    /// decided inside the transaction, on both rows locked; a refusal comes back in Dutch.
    pub async fn merge_dossiers(
        &self,
        keep: &DossierAccess,
        gone: &DossierAccess,
        note: &str,
        now: i64,
    ) -> Result<Result<(), Vec<&'static str>>, StoreError> {
        if keep.user_id != gone.user_id {
            return Ok(Err(vec![
                "Alleen wie beide dossiers coördineert, kan ze samenvoegen.",
            ]));
        }
        let mut tx = self.begin_write().await?;
        // Both rows locked, in the order of their ids (PostgreSQL; SQLite has one writer), so
        // that two merges of the same pair wait for each other instead of deadlocking.
        let mut ids = [keep.id(), gone.id()];
        ids.sort();
        for id in ids {
            sqlx::query("UPDATE dossiers SET standing_version = standing_version WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let mut rows: Vec<SideRow> = sqlx::query_as(
            "SELECT id, pupil_id, route, status, forms, opened_at, opened_by, report_due_since, \
             feedback_due, review_due FROM dossiers WHERE id IN ($1, $2) AND purged_at IS NULL",
        )
        .bind(keep.id())
        .bind(gone.id())
        .fetch_all(&mut *tx)
        .await?;
        let take = |rows: &mut Vec<SideRow>, id: DossierId| {
            rows.iter()
                .position(|r| r.id == id)
                .map(|i| rows.swap_remove(i))
        };
        let (Some(k), Some(g)) = (take(&mut rows, keep.id()), take(&mut rows, gone.id())) else {
            tx.rollback().await?;
            return Ok(Err(vec![
                "Een dossier kan niet met zichzelf worden samengevoegd.",
            ]));
        };
        let side = |r: &SideRow, role: Role| crate::domain::merge::Side {
            id: r.id,
            pupil: r.pupil_id,
            route: Route::parse(&r.route).unwrap_or(Route::Medewerker),
            open: r.status == "open",
            report_due: r.report_due_since.is_some(),
            awaiting: r.feedback_due.is_some() || r.review_due.is_some(),
            role,
        };
        let refused = crate::domain::merge::refusals(&side(&k, keep.role), &side(&g, gone.role));
        if !refused.is_empty() {
            tx.rollback().await?;
            return Ok(Err(refused));
        }
        let me = keep.user_id;
        let mut body = Body::new();
        body.insert(keys::DOSSIER.into(), named(g.id, g.opened_at));
        if !note.trim().is_empty() {
            body.insert(keys::TOELICHTING.into(), note.trim().to_string());
        }
        insert_entry(
            self,
            &mut tx,
            k.id,
            Kind::Samengevoegd,
            &body,
            me,
            keep.role,
            None,
            now,
        )
        .await?;
        body.insert(keys::DOSSIER.into(), named(k.id, k.opened_at));
        insert_entry(
            self,
            &mut tx,
            g.id,
            Kind::OpgegaanIn,
            &body,
            me,
            gone.role,
            None,
            now,
        )
        .await?;
        sqlx::query(
            "UPDATE dossiers SET status = 'gesloten', close_reason = 'samengevoegd', closed_at = $1, \
             merged_into = $2, review_due = NULL, feedback_due = NULL, report_due_since = NULL WHERE id = $3",
        )
        .bind(now)
        .bind(k.id)
        .bind(g.id)
        .execute(&mut *tx)
        .await?;
        let mut forms: Vec<&str> = k.forms.split(' ').filter(|f| !f.is_empty()).collect();
        for f in g.forms.split(' ').filter(|f| !f.is_empty()) {
            if !forms.contains(&f) {
                forms.push(f);
            }
        }
        sqlx::query("UPDATE dossiers SET forms = $1 WHERE id = $2")
            .bind(forms.join(" "))
            .bind(k.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE consultation_requests SET dossier_id = $1 WHERE dossier_id = $2 AND answered_at IS NULL",
        )
        .bind(k.id)
        .bind(g.id)
        .execute(&mut *tx)
        .await?;
        // Who worked in the dossier merged away goes on in the other: its opener and members,
        // told as anyone added to a dossier is.
        let colleagues: Vec<(UserId, String)> = sqlx::query_as(
            "SELECT u.id, u.name FROM users u WHERE u.id IN (SELECT user_id FROM dossier_members \
             WHERE dossier_id = $1 UNION SELECT opened_by FROM dossiers WHERE id = $1) ORDER BY u.id",
        )
        .bind(g.id)
        .fetch_all(&mut *tx)
        .await?;
        for (user, name) in colleagues {
            if user == k.opened_by || user == me {
                continue;
            }
            let added = sqlx::query(
                "INSERT INTO dossier_members (dossier_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (dossier_id, user_id) DO NOTHING",
            )
            .bind(k.id)
            .bind(user)
            .bind(me)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added > 0 {
                let mut who = Body::new();
                who.insert(keys::COLLEGA.into(), name);
                insert_entry(
                    self,
                    &mut tx,
                    k.id,
                    Kind::CollegaToegevoegd,
                    &who,
                    me,
                    keep.role,
                    None,
                    now,
                )
                .await?;
                notifications::notify_user(&mut tx, user, k.id, Notice::Toegevoegd, now).await?;
            }
        }
        audit::audit(
            &mut tx,
            now,
            keep.audit_entry(Event::DossierWritten, Some("samengevoegd")),
        )
        .await?;
        audit::audit(
            &mut tx,
            now,
            gone.audit_entry(Event::DossierWritten, Some("opgegaan_in")),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
