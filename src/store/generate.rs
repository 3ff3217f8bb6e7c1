//! A realistic volume of data for the benchmark: `schools` schools with 400 pupils and 30 staff
//! each, 20 dossiers per school per year over five years, 20 entries per dossier, and the audit
//! rows to match. Written with multi-row inserts, one transaction per school. The directie of the
//! first school is directie of every school (a board member, for a report over all schools).

use super::audit::{Entry, Event, append};
use super::{Db, StoreError};
use crate::domain::dossier::Step;
use crate::domain::entry::Kind;
use crate::domain::ids::{DossierId, UserId};

pub const PUPILS_PER_SCHOOL: i64 = 400;
pub const STAFF_PER_SCHOOL: i64 = 30;
pub const DOSSIERS_PER_SCHOOL: i64 = 100;
pub const ENTRIES_PER_DOSSIER: i64 = 20;

const DAY: i64 = 24 * 60 * 60;

/// Inserts rows in chunks: `columns` per row, values from `row(i)`.
async fn insert_many<F>(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table_and_columns: &str,
    columns: usize,
    n: usize,
    mut row: F,
) -> Result<(), StoreError>
where
    F: FnMut(usize) -> Vec<Value>,
{
    let per = (30_000 / columns).min(500);
    let mut start = 0;
    while start < n {
        let end = (start + per).min(n);
        let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
        let mut values = Vec::with_capacity((end - start) * columns);
        for (k, i) in (start..end).enumerate() {
            if k > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..columns {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", k * columns + c + 1));
            }
            sql.push(')');
            values.extend(row(i));
        }
        let mut q = sqlx::query(&sql);
        for v in values {
            q = match v {
                Value::I(n) => q.bind(n),
                Value::S(s) => q.bind(s),
                Value::N => q.bind(None::<i64>),
            };
        }
        q.execute(&mut **tx).await?;
        start = end;
    }
    Ok(())
}

pub enum Value {
    I(i64),
    S(String),
    N,
}

impl Db {
    /// Generates the volume into a database that holds one organisation. `password_hash` is used
    /// for every generated user. Returns (dossiers, entries).
    pub async fn generate(
        &self,
        org_id: i64,
        schools: i64,
        password_hash: &str,
        now: i64,
    ) -> Result<(i64, i64), StoreError> {
        let (mut dossiers, mut entries) = (0, 0);
        let mut board: Option<i64> = None;
        // Sealed as the application seals them, so that the benchmark pays for encryption.
        let key = self.current_key(org_id).await?;
        let sealed = |body: &str| key.seal(super::keys::purpose::ENTRY_BODY, body.as_bytes());
        for s in 0..schools {
            let mut tx = self.begin_write().await?;
            let (school_id,): (i64,) = sqlx::query_as("INSERT INTO schools (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(org_id)
                .bind(format!("School {s:04}"))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let (first_user,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM users")
                    .fetch_one(&mut *tx)
                    .await?;
            insert_many(
                &mut tx,
                "users (id, organisation_id, email, name, password_hash, active, created_at)",
                7,
                STAFF_PER_SCHOOL as usize,
                |i| {
                    vec![
                        Value::I(first_user + i as i64),
                        Value::I(org_id),
                        Value::S(format!("medewerker{i}@school{s:04}.example")),
                        Value::S(format!("Medewerker {i} van school {s}")),
                        Value::S(password_hash.to_string()),
                        Value::I(1),
                        Value::I(now),
                    ]
                },
            )
            .await?;
            // The directie of the first school sits on the board: directie of every school, for
            // the benchmark's report over all schools.
            let board = *board.get_or_insert(first_user + 1);
            if s > 0 {
                sqlx::query(
                    "INSERT INTO role_assignments (user_id, school_id, role, created_at) \
                     VALUES ($1, $2, 'directie', $3)",
                )
                .bind(board)
                .bind(school_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            // Staff 0 is the aandachtsfunctionaris, 1 directie, the rest teachers.
            insert_many(
                &mut tx,
                "role_assignments (user_id, school_id, role, created_at)",
                4,
                STAFF_PER_SCHOOL as usize,
                |i| {
                    let role = match i {
                        0 => "aandachtsfunctionaris",
                        1 => "directie",
                        _ => "beroepskracht",
                    };
                    vec![
                        Value::I(first_user + i as i64),
                        Value::I(school_id),
                        Value::S(role.into()),
                        Value::I(now),
                    ]
                },
            )
            .await?;
            let (first_pupil,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM pupils")
                    .fetch_one(&mut *tx)
                    .await?;
            insert_many(
                &mut tx,
                "pupils (id, school_id, name, name_key, date_of_birth, group_name, created_at)",
                7,
                PUPILS_PER_SCHOOL as usize,
                |i| {
                    let year = 2014 + (i % 8) as i64;
                    let name = format!("Leerling {i} {s}");
                    vec![
                        Value::I(first_pupil + i as i64),
                        Value::I(school_id),
                        Value::S(name.clone()),
                        Value::S(crate::domain::pupil::name_key(&name)),
                        Value::S(format!("{year}-0{}-1{}", 1 + i % 9, i % 9)),
                        Value::S(format!("{}", 1 + i % 8)),
                        Value::I(now),
                    ]
                },
            )
            .await?;
            let (first_dossier,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers")
                    .fetch_one(&mut *tx)
                    .await?;
            // Entry k of a dossier (a day after entry k - 1): opened, then signals, a
            // consultation, a conversation, a weighing and a decision, round and round.
            let kinds = [
                Kind::Signaal,
                Kind::Signaal,
                Kind::Consultatie,
                Kind::Gesprek,
                Kind::Weging,
                Kind::Besluit,
            ];
            let kind_of = |k: i64| {
                if k == 0 {
                    Kind::Geopend
                } else {
                    kinds[(k as usize) % kinds.len()]
                }
            };
            // The first entry of each step, kept on the dossier as its moment (migration 0018).
            let first_of: Vec<Option<i64>> = Step::ALL
                .into_iter()
                .map(|step| (0..ENTRIES_PER_DOSSIER).find(|k| kind_of(*k).step() == Some(step)))
                .collect();
            // Spread over five years, the newest first; older ones closed.
            let opened = |d: i64| now - (d * 5 * 365 / DOSSIERS_PER_SCHOOL + 1) * DAY;
            insert_many(&mut tx, "dossiers (id, school_id, pupil_id, route, forms, status, close_reason, emergency, opened_by, opened_at, last_entry_at, steps_mask, closed_at, standing_version, step1_at, step2_at, step3_at, step4_at, step5_at)", 19, DOSSIERS_PER_SCHOOL as usize, |i| {
                let d = i as i64;
                let open = d < 15;
                let mut row = vec![
                    Value::I(first_dossier + d),
                    Value::I(school_id),
                    Value::I(first_pupil + (d * 7) % PUPILS_PER_SCHOOL),
                    Value::S(if d % 25 == 7 { "medewerker" } else { "stappenplan" }.into()),
                    Value::S(["lichamelijk", "psychisch", "verwaarlozing", "getuige", "seksueel"][i % 5].into()),
                    Value::S(if open { "open" } else { "gesloten" }.into()),
                    if open { Value::N } else { Value::S(["ongegrond", "hulp_geslaagd", "overdracht_na_melding", "leerling_vertrokken"][i % 4].into()) },
                    Value::I(0),
                    Value::I(first_user + 2 + d % (STAFF_PER_SCHOOL - 2)),
                    Value::I(opened(d)),
                    Value::I(opened(d) + (ENTRIES_PER_DOSSIER - 1) * DAY),
                    Value::I(62),
                    if open { Value::N } else { Value::I(opened(d) + 60 * DAY) },
                    // Weighed without unsafety, help possible and accepted: no report due.
                    Value::I(1),
                ];
                row.extend(first_of.iter().map(|k| k.map_or(Value::N, |k| Value::I(opened(d) + k * DAY))));
                row
            })
            .await?;
            let n_entries = (DOSSIERS_PER_SCHOOL * ENTRIES_PER_DOSSIER) as usize;
            insert_many(&mut tx, "entries (dossier_id, kind, step, author_id, author_role, created_at, refers_to, body)", 8, n_entries, |i| {
                let d = (i as i64) / ENTRIES_PER_DOSSIER;
                let k = (i as i64) % ENTRIES_PER_DOSSIER;
                let kind = kind_of(k);
                let body = match kind {
                    Kind::Signaal => format!("{{\"aard\":\"feit\",\"bron\":\"eigen\",\"waarneming\":\"Waarneming {k} in dossier {d}: het kind was stil en had een blauwe plek.\"}}"),
                    Kind::Consultatie => "{\"advies\":\"Gesprek voeren\",\"datum\":\"2026-01-05\",\"met\":\"aandachtsfunctionaris\",\"naam\":\"AF\",\"vraag\":\"Wat nu?\"}".into(),
                    Kind::Gesprek => "{\"datum\":\"2026-01-06\",\"doel\":\"Zorgen delen\",\"feiten\":\"De plek\",\"met\":\"ouders\",\"reactie\":\"Begrip\"}".into(),
                    Kind::Weging => "{\"aard\":\"a\",\"ernst\":\"e\",\"risico\":\"r\",\"vraag1\":\"ja\",\"vraag1_toelichting\":\"t\",\"vraag2\":\"nee\",\"vraag2_toelichting\":\"t\"}".into(),
                    Kind::Besluit => "{\"vraag2\":\"nee\",\"vraag2_toelichting\":\"t\",\"vraag3\":\"ja\",\"vraag4\":\"ja\"}".into(),
                    _ => "{\"route\":\"stappenplan\"}".into(),
                };
                vec![
                    Value::I(first_dossier + d),
                    Value::S(kind.code().into()),
                    kind.step().map_or(Value::N, |s| Value::I(i64::from(s.number()))),
                    Value::I(first_user + 2 + d % (STAFF_PER_SCHOOL - 2)),
                    Value::S("beroepskracht".into()),
                    Value::I(opened(d) + k * DAY),
                    Value::N,
                    Value::S(sealed(&body)),
                ]
            })
            .await?;
            let audit: Vec<(i64, Entry<'_>)> = (0..n_entries as i64)
                .map(|i| {
                    let at = opened(i / ENTRIES_PER_DOSSIER) + (i % ENTRIES_PER_DOSSIER) * DAY;
                    let entry = Entry {
                        dossier_id: Some(DossierId::new(first_dossier + i / ENTRIES_PER_DOSSIER)),
                        role: Some("beroepskracht"),
                        user_id: Some(UserId::new(
                            first_user + 2 + (i / ENTRIES_PER_DOSSIER) % (STAFF_PER_SCHOOL - 2),
                        )),
                        event: if i % ENTRIES_PER_DOSSIER == 0 {
                            Event::DossierOpened
                        } else {
                            Event::DossierWritten
                        },
                        subject: None,
                        address: None,
                    };
                    (at, entry)
                })
                .collect();
            append(&mut tx, &audit).await?;
            tx.commit().await?;
            dossiers += DOSSIERS_PER_SCHOOL;
            entries += n_entries as i64;
        }
        // PostgreSQL's identity sequences must move past the ids given explicitly above.
        if self.backend() == super::Backend::Postgres {
            for table in ["users", "pupils", "dossiers"] {
                sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                    .execute(self.writer())
                    .await?;
            }
        }
        // Fresh statistics for the query planner: right after a bulk load PostgreSQL still
        // believes the tables are small and picks whole-table scans (a dossier page took 18 ms
        // for its entries instead of 0.1 ms) until autovacuum gets round to it.
        sqlx::query("ANALYZE").execute(self.writer()).await?;
        Ok((dossiers, entries))
    }

    /// Adds `entries` signals (step 1, without a disclosure, so where the dossier stands does
    /// not change) to one dossier, written by the one who opened it, one second apart after its
    /// latest entry: a very long dossier, for the benchmark and the tests of the chronology's
    /// paging. No audit rows. Returns the number added.
    pub async fn lengthen(&self, dossier: DossierId, entries: i64) -> Result<i64, StoreError> {
        let (organisation,): (i64,) = sqlx::query_as(
            "SELECT s.organisation_id FROM dossiers d JOIN schools s ON s.id = d.school_id WHERE d.id = $1",
        )
        .bind(dossier)
        .fetch_one(self.pool())
        .await?;
        let key = self.current_key(organisation).await?;
        let mut tx = self.begin_write().await?;
        let (author, last): (i64, i64) =
            sqlx::query_as("SELECT opened_by, last_entry_at FROM dossiers WHERE id = $1")
                .bind(dossier)
                .fetch_one(&mut *tx)
                .await?;
        insert_many(&mut tx, "entries (dossier_id, kind, step, author_id, author_role, created_at, refers_to, body)", 8, entries as usize, |i| {
            vec![
                Value::I(dossier.get()),
                Value::S(Kind::Signaal.code().into()),
                Value::I(1),
                Value::I(author),
                Value::S("beroepskracht".into()),
                Value::I(last + 1 + i as i64),
                Value::N,
                Value::S(key.seal(super::keys::purpose::ENTRY_BODY, format!("{{\"aard\":\"feit\",\"bron\":\"eigen\",\"waarneming\":\"Waarneming {i}: het kind was stil en had een blauwe plek.\"}}").as_bytes())),
            ]
        })
        .await?;
        sqlx::query(
            "UPDATE dossiers SET last_entry_at = $1, steps_mask = steps_mask | 2 WHERE id = $2",
        )
        .bind(last + entries)
        .bind(dossier)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(entries)
    }

    /// The dossier the benchmark makes very long: the last open dossier on the stappenplan of
    /// the first generated school.
    pub async fn long_dossier_candidate(&self) -> Result<Option<DossierId>, StoreError> {
        let (id,): (Option<i64>,) = sqlx::query_as(
            "SELECT MAX(d.id) FROM dossiers d JOIN schools s ON s.id = d.school_id \
             WHERE s.name = 'School 0000' AND d.status = 'open' AND d.route = 'stappenplan'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(id.map(DossierId::new))
    }
}
