//! The dossiers a viewer may see, and a pupil's other dossiers for whoever coordinates.

use super::*;
use crate::domain::listing::{ListQuery, PAGE_SIZE, Status};
use crate::domain::risk::RiskFilter;

/// The condition under which the viewer may see a dossier `d`: `domain::access::decide` in SQL.
/// The viewer's id is `$1`; the school ids to bind follow from `$2`, in the order returned.
/// `None` when the viewer works with no dossiers at all. A school covered today for its absent
/// aandachtsfunctionaris (`domain::cover`) counts as the aandachtsfunctionaris's for the
/// stappenplan, and for nothing else.
pub(super) fn visible_to(viewer: &Viewer) -> Option<(String, Vec<SchoolId>)> {
    let sorted = |mut v: Vec<SchoolId>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    // Where the viewer works with dossiers by a role of their own (`Viewer::own_acting_role`),
    // and where they do at all, a covered school included (`Viewer::acting_role`).
    let own: Vec<SchoolId> = sorted(
        viewer
            .roles()
            .iter()
            .filter(|(_, r)| r.may_work_with_dossiers())
            .map(|(s, _)| *s)
            .collect(),
    );
    let working = sorted(own.iter().chain(viewer.covers()).copied().collect());
    if working.is_empty() {
        return None;
    }
    let af = viewer.coordinated_schools();
    let directie = viewer.schools_with(Role::Directie);
    let mut n = 2;
    let mut next = |len: usize| {
        let p = if len == 0 {
            "NULL".to_string()
        } else {
            crate::store::placeholders(n, len)
        };
        n += len;
        p
    };
    let (w, o, a, d) = (
        next(working.len()),
        next(own.len()),
        next(af.len()),
        next(directie.len()),
    );
    let sql = format!(
        "d.school_id IN ({w}) AND ( \
           (d.route = 'stappenplan' AND (d.school_id IN ({a}) OR d.opened_by = $1 \
              OR EXISTS (SELECT 1 FROM dossier_members m WHERE m.dossier_id = d.id AND m.user_id = $1))) \
           OR (d.route = 'medewerker' AND d.school_id IN ({o}) \
              AND (d.school_id IN ({d}) OR d.opened_by = $1)))"
    );
    Some((
        sql,
        working
            .into_iter()
            .chain(own)
            .chain(af)
            .chain(directie)
            .collect(),
    ))
}

/// The lines of a dossier list, read with `header_list_sql` and no extra columns.
pub(super) fn summaries(rows: Vec<(HeaderRow,)>) -> Vec<DossierSummary> {
    rows.into_iter()
        .map(|(row,)| DossierHeader::from(row))
        .map(|header| DossierSummary {
            steps_done: (1..=5).filter(|n| header.step_done(*n)).collect(),
            header,
            awaiting_answer: false,
        })
        .collect()
}

impl Db {
    /// The dossiers about one pupil that the viewer may see (the conditions of
    /// `domain::access::decide`, in SQL, as for every list), oldest first: for the inspection
    /// copy, which must miss none of them. Read by the pupil, not filtered from a capped list.
    pub async fn dossiers_of_pupil(
        &self,
        viewer: &Viewer,
        pupil: PupilId,
    ) -> Result<Vec<DossierSummary>, StoreError> {
        let Some((visible, ids)) = visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let n = ids.len() + 2;
        let sql = header_list_sql(
            self.backend,
            &[],
            &format!("d.pupil_id = ${n} AND d.purged_at IS NULL AND {visible}"),
            "d.opened_at, d.id",
            10_000,
            0,
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        let (json,) = q.bind(pupil).fetch_one(self.pool()).await?;
        Ok(summaries(crate::store::json_rows(&json)?))
    }

    /// One page of the dossier list: the dossiers the viewer may see (`domain::access::decide`
    /// in SQL, [`visible_to`]), open ones first, most recently active first, that match the search and filters (`domain::listing`), in the same
    /// order, and how many match in all.
    pub async fn dossier_page(
        &self,
        viewer: &Viewer,
        query: &ListQuery,
        today: Date,
    ) -> Result<(Vec<DossierSummary>, i64), StoreError> {
        let Some((visible, ids)) = visible_to(viewer) else {
            return Ok((Vec::new(), 0));
        };
        let mut filter = format!("d.purged_at IS NULL AND {visible}");
        let mut n = ids.len() + 2;
        let mut texts: Vec<String> = Vec::new();
        match query.status {
            Status::All => {}
            Status::Open => filter.push_str(" AND d.status = 'open'"),
            Status::Closed => filter.push_str(" AND d.status <> 'open'"),
        }
        if let Some(step) = query.step {
            let (lo, hi) = ListQuery::step_mask_range(step);
            filter.push_str(&format!(
                " AND d.steps_mask >= {lo} AND d.steps_mask < {hi}"
            ));
        }
        if query.overdue {
            // progress::attention's conditions, from the state kept beside the dossier: a report
            // due, or a review or feedback date passed (overdue from the day after it). The
            // quiet dossier (no entry for a while) is not overdue: nothing was due.
            filter.push_str(&format!(
                " AND d.status = 'open' AND (d.report_due_since IS NOT NULL                  OR d.review_due < ${n} OR d.feedback_due < ${n})"
            ));
            n += 1;
            texts.push(today.to_string());
        }
        // The risk level kept beside the dossier (domain::risk); NULL: not judged yet.
        match query.risk {
            None => {}
            Some(RiskFilter::NotJudged) => filter.push_str(" AND d.risk_level IS NULL"),
            Some(RiskFilter::Level(level)) => {
                filter.push_str(&format!(" AND d.risk_level = ${n}"));
                n += 1;
                texts.push(level.code().to_string());
            }
        }
        for word in &query.words {
            filter.push_str(&format!(
                " AND (' ' || p.name_key || ' ' || LOWER(p.group_name)) LIKE ${n} ESCAPE '\\'"
            ));
            n += 1;
            texts.push(ListQuery::like_pattern(word));
        }
        let sql = header_list_sql(
            self.backend,
            &[(
                "(SELECT COUNT(*) FROM consultation_requests r WHERE r.dossier_id = d.id \
                 AND r.answered_at IS NULL AND r.requested_by = $1)",
                "awaiting",
            )],
            &filter,
            "CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.last_entry_at DESC, d.id DESC",
            PAGE_SIZE,
            query.offset(),
        );
        let count = format!("SELECT COUNT(*) {HEADER_FROM} WHERE {filter}");
        let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(viewer.user_id());
        let mut c = sqlx::query_as::<_, (i64,)>(&count).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
            c = c.bind(id);
        }
        for t in &texts {
            q = q.bind(t.clone());
            c = c.bind(t.clone());
        }
        let (json,) = q.fetch_one(self.pool()).await?;
        let (total,) = c.fetch_one(self.pool()).await?;
        let rows: Vec<(HeaderRow, i64)> = crate::store::json_rows(&json)?;
        let (headers, awaiting): (Vec<(HeaderRow,)>, Vec<i64>) =
            rows.into_iter().map(|(h, a)| ((h,), a)).unzip();
        let page = summaries(headers)
            .into_iter()
            .zip(awaiting)
            .map(|(mut s, a)| {
                s.awaiting_answer = a > 0;
                s
            })
            .collect();
        Ok((page, total))
    }

    /// The pupil's other dossiers that the viewer may see themselves (the same conditions as
    /// [`Db::dossier_page`]), newest first; for the one who coordinates the dossier (the
    /// aandachtsfunctionaris, or directie on the staff route), and for no one else: everyone
    /// else gets an empty list, so a teacher never learns that the pupil has other dossiers.
    pub async fn other_dossiers(
        &self,
        access: &DossierAccess,
        viewer: &Viewer,
    ) -> Result<Vec<DossierSummary>, StoreError> {
        if viewer.user_id() != access.user_id()
            || !coordinates(access.role(), access.dossier().route)
        {
            return Ok(Vec::new());
        }
        let Some((visible, ids)) = visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let n = ids.len() + 2;
        let sql = header_list_sql(
            self.backend,
            &[],
            &format!(
                "d.pupil_id = ${n} AND d.id <> ${} AND d.purged_at IS NULL AND {visible}",
                n + 1
            ),
            "d.opened_at DESC, d.id DESC",
            50,
            0,
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        let q = q.bind(access.dossier().pupil.id).bind(access.id());
        let (json,) = q.fetch_one(self.pool()).await?;
        Ok(summaries(crate::store::json_rows(&json)?))
    }
}
