//! Evaluation reports for directie: how the meldcode is used, over a period and schools, with no
//! pupil anywhere and every count from 1 to 4 shown as "< 5". Each table comes with a chart drawn
//! here as SVG (the table beside it is the accessible version) and a CSV download.

use crate::domain::ids::SchoolId;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use time::{Date, Duration};

use super::access::Evaluator;
use super::error::{AppError, Result};
use super::form::Errors;
use super::format::{date_nl, moment_nl, today_nl};
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::dossier::CloseReason;
use crate::domain::entry::parse_date;
use crate::domain::period::Preset;
use crate::domain::report::{CSV_BOM, CSV_DELIMITER, csv_cell, csv_count, shown, suppressed};
use crate::domain::risk;
use crate::store::audit::Event;
use crate::store::reports::{Report, Scope};

/// Open dossiers without an entry for this long count as inactive in the report.
pub const INACTIVE_DAYS: i64 = 30;

/// One table of a report: its rows as (label, count), shown with suppression.
pub struct Table {
    pub id: &'static str,
    pub title: &'static str,
    pub rows: Vec<(String, i64)>,
}

impl Table {
    pub fn shown_rows(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .map(|(l, n)| (l.clone(), shown(*n)))
            .collect()
    }

    /// A horizontal bar chart. A hidden count ("< 5") gets no bar: its size would give it away.
    pub fn svg(&self) -> String {
        let max = self
            .rows
            .iter()
            .filter(|(_, n)| !suppressed(*n))
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
            .max(1);
        // Each row: its label on a line of its own, the bar and the figure below it, so that long
        // labels are never cut off.
        let row_h = 48;
        let height = row_h * self.rows.len() as i64 + 10;
        let mut svg = format!(
            "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-chart-title\" viewBox=\"0 0 400 {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-chart-title\">{title} (grafiek; dezelfde cijfers staan in de tabel)</title>",
            id = self.id,
            title = escape(self.title)
        );
        for (i, (label, n)) in self.rows.iter().enumerate() {
            let y = i as i64 * row_h + 5;
            let bar = if suppressed(*n) { 0 } else { n * 330 / max };
            svg.push_str(&format!(
                "<text x=\"0\" y=\"{ly}\" font-size=\"14\" fill=\"#1b1f24\">{label}</text><rect x=\"0\" y=\"{by}\" width=\"{bar}\" height=\"18\" fill=\"#1f4e79\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"14\" fill=\"#1b1f24\">{value}</text>",
                ly = y + 15,
                by = y + 21,
                ty = y + 36,
                label = escape(&truncate(label, 50)),
                tx = 6 + bar,
                value = escape(&shown(*n)),
            ));
        }
        svg.push_str("</svg>");
        svg
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn outcome_label(code: &str) -> &'static str {
    match code {
        "open" => "Nog open",
        "medewerker" => "Vermoeden tegen een medewerker",
        other => CloseReason::parse(other).map_or("Anders", CloseReason::label),
    }
}

/// The tables of a report, in the order of the page.
pub fn tables(r: &Report) -> Vec<Table> {
    let t = &r.totals;
    vec![
        Table {
            id: "totaal",
            title: "In het kort",
            rows: vec![
                ("Dossiers geopend".into(), t.opened),
                ("Dossiers gesloten".into(), t.closed),
                ("Meldingen bij Veilig Thuis".into(), t.reported),
                ("Vermoedens tegen een medewerker".into(), t.staff_route),
                (
                    format!("Open, {INACTIVE_DAYS} dagen geen aantekening"),
                    t.inactive_30_days,
                ),
                ("Evaluatie van de hulp te laat".into(), t.overdue_reviews),
            ],
        },
        Table {
            id: "vormen",
            title: "Geopende dossiers naar zorg",
            rows: r
                .by_form
                .iter()
                .map(|(f, n)| (f.label().to_string(), *n))
                .collect(),
        },
        Table {
            id: "stappen",
            title: "Geopende dossiers naar bereikte stap",
            rows: r
                .by_step
                .iter()
                .map(|(s, n)| {
                    (
                        if *s == 0 {
                            "Nog geen stap".to_string()
                        } else {
                            format!("Stap {s}")
                        },
                        *n,
                    )
                })
                .collect(),
        },
        Table {
            id: "uitkomst",
            title: "Geopende dossiers naar uitkomst",
            rows: r
                .by_outcome
                .iter()
                .map(|(k, n)| (outcome_label(k).to_string(), *n))
                .collect(),
        },
        Table {
            id: "risico",
            title: "Geopende dossiers naar risico",
            rows: r
                .by_risk
                .iter()
                .map(|(level, n)| (risk::shown(*level).to_string(), *n))
                .collect(),
        },
        Table {
            id: "overgeslagen",
            title: "Gesprekken niet gevoerd, en waarom",
            rows: r
                .skipped
                .iter()
                .map(|(which, reason, n)| {
                    let which = if *which == "gesprek" {
                        "Gesprek (stap 3)"
                    } else {
                        "Gesprek over de melding"
                    };
                    let reason = if *reason == "veiligheid" {
                        "veiligheid"
                    } else {
                        "contact zou verbroken worden"
                    };
                    (format!("{which}: {reason}"), *n)
                })
                .collect(),
        },
    ]
}

pub struct StepTimeView {
    pub step: String,
    pub dossiers: String,
    pub median: String,
    pub longest: String,
}

fn days(seconds: Option<i64>, count: i64) -> String {
    match seconds {
        // Durations of fewer than 5 dossiers would point at them: not shown.
        Some(_) if suppressed(count) => "–".into(),
        Some(s) => format!("{} dagen", (s as f64 / 86_400.0).round() as i64),
        None => "–".into(),
    }
}

fn step_times(r: &Report) -> Vec<StepTimeView> {
    r.step_times
        .iter()
        .map(|t| StepTimeView {
            step: format!("Stap {}: {}", t.step.number(), t.step.title()),
            dossiers: shown(t.dossiers),
            median: days(t.median, t.dossiers),
            longest: days(t.longest, t.dossiers),
        })
        .collect()
}

/// A period to choose with one click, as a link (no script needed).
pub struct PresetLink {
    pub href: String,
    pub label: String,
    /// Whether the report shown covers exactly this period.
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub presets: Vec<PresetLink>,
    pub schools: Vec<(SchoolId, String, bool)>,
    pub from: String,
    pub to: String,
    pub period: String,
    pub tables: Vec<Table>,
    pub times: Vec<StepTimeView>,
    pub query: String,
    pub errors: Errors,
    /// Whether the report covers all of the user's schools.
    pub all: bool,
    /// When the figures were computed ("14:05"): a report is reused for a few minutes.
    pub computed: String,
}

/// The chosen period and schools, from the query string (schools may repeat).
struct Choice {
    from: Date,
    to: Date,
    schools: Vec<SchoolId>,
    from_text: String,
    to_text: String,
}

fn choice(query: &str, own: &[(SchoolId, String)], today: Date, errors: &mut Errors) -> Choice {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // A preset names its own dates; without a choice, the report covers this schooljaar.
    let preset_code = get("periode");
    let preset = Preset::parse(&preset_code);
    if preset.is_none() && !preset_code.is_empty() {
        errors.add("van", "Kies een van de perioden, of vul zelf datums in.");
    }
    let (from_text, to_text) = if preset.is_some() {
        (String::new(), String::new())
    } else {
        (get("van"), get("tot"))
    };
    let custom = !from_text.is_empty() || !to_text.is_empty();
    let (default_from, default_to) = match preset.or(Some(Preset::DitSchooljaar)) {
        Some(p) if !custom => p.range(today),
        _ => None,
    }
    .unwrap_or((today - Duration::days(365), today));
    // A date that is no date, or lies outside 1990..2100 (`9999-12-31` would overflow the day
    // after it), is not used: the default stands, and the page says why.
    let read = |text: &str, default: Date, errors: &mut Errors| {
        if text.is_empty() {
            return default;
        }
        match parse_date(text).map(crate::domain::dates::check_event) {
            Some(Ok(d)) => d,
            Some(Err(msg)) => {
                errors.add("van", msg);
                default
            }
            None => {
                errors.add(
                    "van",
                    "Vul geldige datums in. Schrijf een datum zo: 28-11-2026.",
                );
                default
            }
        }
    };
    let mut from = read(&from_text, default_from, errors);
    let mut to = read(&to_text, default_to, errors);
    if from > to {
        errors.add(
            "van",
            "De begindatum ligt na de einddatum; de periode is omgedraaid.",
        );
        std::mem::swap(&mut from, &mut to);
    }
    let chosen: Vec<SchoolId> = pairs
        .iter()
        .filter(|(k, _)| k == "school")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    // Only the user's own directie schools, whatever the address says.
    let schools: Vec<SchoolId> = own
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| chosen.is_empty() || chosen.contains(id))
        .collect();
    Choice {
        from,
        to,
        schools,
        from_text: if from_text.is_empty() {
            from.to_string()
        } else {
            from_text
        },
        to_text: if to_text.is_empty() {
            to.to_string()
        } else {
            to_text
        },
    }
}

/// The report for the choice: computed, or from the last few minutes (with that moment).
async fn run(state: &AppState, c: &Choice) -> Result<(i64, Arc<Report>)> {
    let now = state.clock.unix();
    let start = c.from.midnight().assume_utc().unix_timestamp();
    let end = (c.to + Duration::days(1))
        .midnight()
        .assume_utc()
        .unix_timestamp();
    let scope = Scope {
        schools: c.schools.clone(),
        from: start,
        to: end,
        today: today_nl(now).to_string(),
        quiet_since: now - INACTIVE_DAYS * 24 * 60 * 60,
    };
    Ok(state.report(&scope).await?)
}

pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    evaluator: Evaluator,
    RawQuery(q): RawQuery,
) -> Result<Response> {
    let own = evaluator.schools();
    let mut errors = Errors::default();
    let today = today_nl(state.clock.unix());
    let c = choice(q.as_deref().unwrap_or(""), &own, today, &mut errors);
    let (computed_at, r) = run(&state, &c).await?;
    let chosen: std::collections::HashSet<SchoolId> = c.schools.iter().copied().collect();
    // All of the user's schools is the default: the links name schools only for a narrower choice
    // (a board member can have a thousand).
    let all = c.schools.len() == own.len();
    let school_pairs = || {
        c.schools
            .iter()
            .filter(|_| !all)
            .map(|s| ("school", s.to_string()))
    };
    let query = serde_urlencoded::to_string(
        [("van", c.from.to_string()), ("tot", c.to.to_string())]
            .into_iter()
            .chain(school_pairs())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let current = Preset::matching(c.from, c.to, today);
    let presets = Preset::ALL
        .into_iter()
        .map(|p| PresetLink {
            href: format!(
                "/evaluatie?{}",
                serde_urlencoded::to_string(
                    std::iter::once(("periode", p.code().to_string()))
                        .chain(school_pairs())
                        .collect::<Vec<_>>()
                )
                .unwrap_or_default()
            ),
            label: p.label(today),
            current: current == Some(p),
        })
        .collect();
    Ok(ReportPage {
        presets,
        schools: own
            .iter()
            .map(|(id, name)| (*id, name.clone(), !all && chosen.contains(id)))
            .collect(),
        all,
        period: format!("{} tot en met {}", date_nl(c.from), date_nl(c.to)),
        from: c.from_text.clone(),
        to: c.to_text.clone(),
        tables: tables(&r),
        times: step_times(&r),
        query,
        errors,
        computed: moment_nl(computed_at),
        ctx,
    }
    .into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsvQuery {
    tabel: String,
}

/// One table as CSV, with the same suppression, and cells a spreadsheet would run made text.
pub async fn csv(
    State(state): State<AppState>,
    evaluator: Evaluator,
    Query(which): Query<CsvQuery>,
    RawQuery(q): RawQuery,
) -> Result<Response> {
    let own = evaluator.schools();
    let Evaluator(user) = evaluator;
    // A download leaves Meldcode: the password must have been given in the last 15 minutes.
    let back = super::urls::with_query("/evaluatie/csv", q.as_deref());
    user.require_recent_auth(state.clock.unix(), &back)?;
    let mut errors = Errors::default();
    let c = choice(
        q.as_deref().unwrap_or(""),
        &own,
        today_nl(state.clock.unix()),
        &mut errors,
    );
    if !errors.is_empty() {
        // A period that cannot be used is not replaced by another in a file that leaves
        // Meldcode: back to the page, which says what is wrong.
        let back = super::urls::with_query("/evaluatie", q.as_deref());
        return Ok(axum::response::Redirect::to(&back).into_response());
    }
    let (_, r) = run(&state, &c).await?;
    // As Dutch Excel opens it: `;` between cells and a byte order mark (`domain::report`).
    let mut body = CSV_BOM.as_bytes().to_vec();
    match which.tabel.as_str() {
        "tijd" => body.extend(section(|out| write_step_times(out, &r))?),
        "" | ALL_TABLES => {
            // Every table under its own title line, with an empty line between tables.
            let period = format!("{} tot en met {}", date_nl(c.from), date_nl(c.to));
            body.extend(section(|out| {
                out.write_record(["Evaluatie van de meldcode", period.as_str()])
            })?);
            for table in tables(&r) {
                body.push(b'\n');
                body.extend(section(|out| {
                    out.write_record([table.title])?;
                    write_table(out, "Wat", &table)
                })?);
            }
            body.push(b'\n');
            body.extend(section(|out| {
                out.write_record([STEP_TIMES_TITLE])?;
                write_step_times(out, &r)
            })?);
        }
        id => {
            let table = tables(&r)
                .into_iter()
                .find(|t| t.id == id)
                .ok_or(AppError::NotFound)?;
            body.extend(section(|out| write_table(out, table.title, &table))?);
        }
    }
    state
        .db
        .audit(
            state.clock.unix(),
            user.audit_entry(Event::ReportExported).about("evaluatie"),
        )
        .await?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let filename = format!(
        "attachment; filename=\"meldcode-{}-{}-{}.csv\"",
        match which.tabel.as_str() {
            "" | ALL_TABLES => "evaluatie".to_string(),
            id => id.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        },
        c.from,
        c.to
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&filename).unwrap_or(HeaderValue::from_static("attachment")),
    );
    Ok(res)
}

/// The `tabel` of the download that holds every table of the report in one file.
pub const ALL_TABLES: &str = "alles";
const STEP_TIMES_TITLE: &str = "Tijd tot elke stap, na het openen";

type CsvOut = csv::Writer<Vec<u8>>;

/// A table's rows under a header whose first cell is `first`: label, count, note.
fn write_table(out: &mut CsvOut, first: &str, table: &Table) -> csv::Result<()> {
    out.write_record([first, "Aantal", "Opmerking"])?;
    for (label, n) in &table.rows {
        let [count, note] = csv_count(*n);
        out.write_record([csv_cell(label), count, note])?;
    }
    Ok(())
}

fn write_step_times(out: &mut CsvOut, r: &Report) -> csv::Result<()> {
    out.write_record(["Stap", "Dossiers", "Opmerking", "Mediaan", "Langst"])?;
    for (t, raw) in step_times(r).into_iter().zip(&r.step_times) {
        let [count, note] = csv_count(raw.dossiers);
        out.write_record([
            csv_cell(&t.step),
            count,
            note,
            csv_cell(&t.median),
            csv_cell(&t.longest),
        ])?;
    }
    Ok(())
}

/// Rows written by `write`, as CSV bytes. A title line has one cell where a table has three:
/// the writer is flexible.
fn section(write: impl FnOnce(&mut CsvOut) -> csv::Result<()>) -> Result<Vec<u8>> {
    let fail = |e: String| AppError::Internal(anyhow::anyhow!("csv: {e}"));
    let mut out = csv::WriterBuilder::new()
        .delimiter(CSV_DELIMITER)
        .flexible(true)
        .from_writer(Vec::new());
    write(&mut out).map_err(|e| fail(e.to_string()))?;
    out.into_inner().map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_draws_no_bar_for_a_hidden_count() {
        let t = Table {
            id: "x",
            title: "X",
            rows: vec![("Een".into(), 3), ("Twee".into(), 10)],
        };
        let svg = t.svg();
        assert!(svg.contains("width=\"0\""), "the hidden count has no bar");
        assert!(
            svg.contains("width=\"330\""),
            "the largest shown count has the full bar"
        );
        assert!(svg.contains("&lt; 5"));
        assert!(!svg.contains(">3<"));
    }
}
