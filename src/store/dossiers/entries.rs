//! A dossier's entries: reading them, and adding one after the history admits it
//! (`domain::progress::admit`), in one transaction with the state kept beside the dossier.

use super::*;

/// A dossier's entries, oldest first, read inside the write transaction.
pub(super) async fn history_in(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: DossierId,
) -> Result<Vec<EntryRecord>, StoreError> {
    all_entries(db, &mut **tx, dossier_id).await
}

/// A dossier's whole history, oldest first, in one row: the database puts the entries together
/// as one JSON array (SQLite's `json_group_array`, PostgreSQL's `json_agg`), which is read and
/// parsed here. The driver hands each row over from its worker as a message of its own; a
/// dossier of 50 entries read as 50 rows cost three times as much as one row holding all 50
/// (bench/PROFILE.md, issue 14). The bodies travel as JSON strings, so that an unreadable body
/// still arrives and becomes an unreadable record (`EntryRow::into_record`) instead of failing
/// the query.
pub(super) async fn all_entries<'e, E>(
    db: &Db,
    executor: E,
    dossier_id: DossierId,
) -> Result<Vec<EntryRecord>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let aggregate = match db.backend {
        Backend::Sqlite => {
            "SELECT json_group_array(json_array(e.id, e.kind, u.name, e.author_role, e.created_at, \
             e.refers_to, e.body) ORDER BY e.id)"
        }
        Backend::Postgres => {
            "SELECT COALESCE(json_agg(json_build_array(e.id, e.kind, u.name, e.author_role, \
             e.created_at, e.refers_to, e.body) ORDER BY e.id)::text, '[]')"
        }
    };
    let (json,): (String,) = sqlx::query_as(&format!(
        "{aggregate} FROM entries e JOIN users u ON u.id = e.author_id WHERE e.dossier_id = $1"
    ))
    .bind(dossier_id)
    .fetch_one(executor)
    .await?;
    let mut rows: Vec<EntryRow> = crate::store::json_rows(&json)?;
    // The aggregate's own ORDER BY already gives this order; kept as the guarantee.
    rows.sort_by_key(|r| r.id);
    db.hold_keys_for(rows.iter().map(|r| r.body.as_str()))
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(db, dossier_id))
        .collect())
}

/// Keeps "melden nodig, nog niet gemeld" beside the dossier. The meldnorm is the stappenplan's;
/// a dossier about a staff member follows its own duties.
pub(super) async fn set_report_due(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: DossierId,
    route: Route,
    standing: &Standing,
) -> Result<(), StoreError> {
    let since = match route {
        Route::Stappenplan => standing.duty.map(|d| d.since),
        Route::Medewerker => None,
    };
    sqlx::query("UPDATE dossiers SET report_due_since = $1, standing_version = 1 WHERE id = $2")
        .bind(since)
        .bind(dossier_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_entry(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: DossierId,
    kind: Kind,
    body: &Body,
    author_id: UserId,
    role: Role,
    refers_to: Option<EntryId>,
    now: i64,
) -> Result<EntryId, StoreError> {
    let json = serde_json::to_string(body).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    // The body is sealed with the key of the dossier's organisation (issue 19); the lawful
    // reason for a skipped conversation stays beside it in plain, for the yearly report.
    let (organisation,): (i64,) = sqlx::query_as(
        "SELECT s.organisation_id FROM dossiers d JOIN schools s ON s.id = d.school_id WHERE d.id = $1",
    )
    .bind(dossier_id)
    .fetch_one(&mut **tx)
    .await?;
    let sealed = db
        .seal_with_existing_key(organisation, crate::store::keys::purpose::ENTRY_BODY, &json)
        .await?;
    let (id,): (EntryId,) = sqlx::query_as(
        "INSERT INTO entries (dossier_id, kind, step, author_id, author_role, created_at, refers_to, body, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(dossier_id)
    .bind(kind.code())
    .bind(kind.step().map(|s| i64::from(s.number())))
    .bind(author_id)
    .bind(role.code())
    .bind(now)
    .bind(refers_to)
    .bind(sealed)
    .bind(crate::domain::entry::lawful_skip_reason(kind, body))
    .fetch_one(&mut **tx)
    .await?;
    // Where the dossier stands changes with the entry, in the same transaction.
    let change = crate::domain::entry::state_change(kind, body);
    let stored = |d: Option<Date>| d.map(|d| d.to_string());
    let (set_review, review) = change.review_due.map_or((0_i64, None), |d| (1, stored(d)));
    let (set_feedback, feedback) = change
        .feedback_due
        .map_or((0_i64, None), |d| (1, stored(d)));
    // The first moment of each step is kept beside the dossier too (migration 0018): `stepN_at`
    // becomes the entry's moment ($1) when the entry is of step N ($9, from `Kind::step`) and no
    // earlier moment is kept.
    sqlx::query(
        "UPDATE dossiers SET last_entry_at = CASE WHEN $8 = 1 THEN $1 ELSE last_entry_at END, steps_mask = steps_mask | $2, \
         review_due = CASE WHEN $3 = 1 THEN $4 ELSE review_due END, \
         feedback_due = CASE WHEN $5 = 1 THEN $6 ELSE feedback_due END, \
         step1_at = CASE WHEN $9 = 1 AND (step1_at IS NULL OR step1_at > $1) THEN $1 ELSE step1_at END, \
         step2_at = CASE WHEN $9 = 2 AND (step2_at IS NULL OR step2_at > $1) THEN $1 ELSE step2_at END, \
         step3_at = CASE WHEN $9 = 3 AND (step3_at IS NULL OR step3_at > $1) THEN $1 ELSE step3_at END, \
         step4_at = CASE WHEN $9 = 4 AND (step4_at IS NULL OR step4_at > $1) THEN $1 ELSE step4_at END, \
         step5_at = CASE WHEN $9 = 5 AND (step5_at IS NULL OR step5_at > $1) THEN $1 ELSE step5_at END, \
         risk_level = COALESCE($10, risk_level) \
         WHERE id = $7",
    )
    .bind(now)
    .bind(change.step_bit)
    .bind(set_review)
    .bind(review)
    .bind(set_feedback)
    .bind(feedback)
    .bind(dossier_id)
    .bind(i64::from(change.activity))
    .bind(kind.step().map_or(0, |s| i64::from(s.number())))
    // A risk entry's level becomes the dossier's (domain::risk); other entries leave it.
    .bind(change.risk_level.map(|l| l.code()))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

impl Db {
    /// The entries of a dossier, oldest first.
    pub async fn entries(&self, access: &DossierAccess) -> Result<Vec<EntryRecord>, StoreError> {
        all_entries(self, self.pool(), access.id()).await
    }

    /// One entry of the dossier, by its id (an entry of another dossier is not found).
    pub async fn entry(
        &self,
        access: &DossierAccess,
        entry_id: i64,
    ) -> Result<Option<EntryRecord>, StoreError> {
        let row: Option<EntryRow> = sqlx::query_as(&format!("{ENTRY_SELECT} AND e.id = $2"))
            .bind(access.id())
            .bind(entry_id)
            .fetch_optional(self.pool())
            .await?;
        self.hold_keys_for(row.iter().map(|r| r.body.as_str()))
            .await?;
        Ok(row.map(|r| r.into_record(self, access.id())))
    }

    /// Appends an entry, if the dossier's history admits it (`domain::progress::admit`: the
    /// meldnorm up to closing, no contradictory records); else nothing is written and the
    /// refusal comes back with its Dutch messages. The history is read and the decision made
    /// inside the write transaction, after the dossier's row is locked, so two writers of one
    /// dossier decide one after the other. Closing and reopening change the dossier's status in
    /// the same transaction; a consultation answering a teacher's request marks it answered;
    /// every write is audited in it too.
    pub async fn add_entry(
        &self,
        write: &WriteAccess<'_>,
        body: &Body,
        refers_to: Option<EntryId>,
        answers_request: Option<RequestId>,
        now: i64,
    ) -> Result<Added, StoreError> {
        let (access, kind) = (write.access, write.kind);
        let mut tx = self.begin_write().await?;
        let standing = if progress::needs_history(kind, body, &access.dossier().forms) {
            // The no-op update takes the row lock on PostgreSQL (SQLite has one writer anyway).
            sqlx::query("UPDATE dossiers SET standing_version = standing_version WHERE id = $1")
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            let records = history_in(self, &mut tx, access.id()).await?;
            let history: Vec<(Kind, &Body, i64)> = records
                .iter()
                .map(|e| (e.kind, &e.body, e.created_at))
                .collect();
            let d = access.dossier();
            let refused = progress::admit(kind, body, d.route, &d.forms, &history);
            if !refused.is_empty() {
                tx.rollback().await?;
                return Ok(Added::Refused(refused));
            }
            let mut standing = Standing::of(history);
            standing.apply(kind, body, now);
            Some(standing)
        } else {
            None
        };
        let id = insert_entry(
            self,
            &mut tx,
            access.id(),
            kind,
            body,
            access.user_id,
            access.role,
            refers_to,
            now,
        )
        .await?;
        if let Some(standing) = standing {
            set_report_due(&mut tx, access.id(), access.dossier().route, &standing).await?;
        }
        match kind {
            Kind::Gesloten => {
                sqlx::query(
                    "UPDATE dossiers SET status = 'gesloten', close_reason = $1, closed_at = $3 WHERE id = $2",
                )
                .bind(body.get(keys::REDEN))
                .bind(access.id())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            Kind::Heropend => {
                sqlx::query(
                    "UPDATE dossiers SET status = 'open', close_reason = NULL, closed_at = NULL WHERE id = $1",
                )
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            }
            _ => {}
        }
        // The aandachtsfunctionaris coordinates every dossier of the school: a decision or a report
        // recorded by someone else is brought to their attention.
        if matches!(kind, Kind::Besluit | Kind::Melding | Kind::Noodmelding)
            && access.dossier().route == Route::Stappenplan
        {
            let school = access.dossier().school_id;
            notify_role(
                &mut tx,
                school,
                Role::Aandachtsfunctionaris,
                access.id(),
                match kind {
                    Kind::Besluit => Notice::Besluit,
                    Kind::Noodmelding => Notice::Noodmelding,
                    _ => Notice::Melding,
                },
                access.user_id,
                now,
            )
            .await?;
        }
        // A consultation answers a request; on the staff route, directie answers with a duty entry.
        let answers = match access.dossier().route {
            Route::Stappenplan => kind == Kind::Consultatie,
            Route::Medewerker => kind == Kind::Medewerkerplicht,
        };
        if let (true, Some(request)) = (answers, answers_request) {
            // The one who asked hears back: on their start page, and by a content-free e-mail.
            let asked: Option<(UserId,)> = sqlx::query_as(
                "UPDATE consultation_requests SET answered_at = $1, answer_entry_id = $2 \
                 WHERE id = $3 AND dossier_id = $4 AND answered_at IS NULL RETURNING requested_by",
            )
            .bind(now)
            .bind(id)
            .bind(request)
            .bind(access.id())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((asker,)) = asked.filter(|(asker,)| *asker != access.user_id) {
                notifications::notify_user(
                    &mut tx,
                    asker,
                    access.id(),
                    Notice::OverlegBeantwoord,
                    now,
                )
                .await?;
            }
        }
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some(kind.code())),
        )
        .await?;
        tx.commit().await?;
        Ok(Added::Recorded(id))
    }

    /// Fills in the meldnorm's state for dossiers from before it was kept (migration 0016), once,
    /// from their entries; a few hundred at a time, each in its own transaction.
    pub(crate) async fn fill_in_standing(&self) -> Result<u64, StoreError> {
        let mut done = 0;
        loop {
            let batch: Vec<(DossierId, String)> = sqlx::query_as(
                "SELECT id, route FROM dossiers WHERE standing_version = 0 ORDER BY id LIMIT 500",
            )
            .fetch_all(self.writer())
            .await?;
            if batch.is_empty() {
                return Ok(done);
            }
            for (id, route) in batch {
                let mut tx = self.begin_write().await?;
                let records = history_in(self, &mut tx, id).await?;
                let standing =
                    Standing::of(records.iter().map(|e| (e.kind, &e.body, e.created_at)));
                // A route that cannot be read is left without a duty; access to it is refused.
                let route = Route::parse(&route).unwrap_or(Route::Medewerker);
                set_report_due(&mut tx, id, route, &standing).await?;
                tx.commit().await?;
                done += 1;
            }
        }
    }
}
