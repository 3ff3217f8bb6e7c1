//! The form fields of an entry kind as a page shows them, with the user's values and messages,
//! and the signal list for the pupil's age band.

use super::*;

/// The signal list for the pupil's age band: the organisation's own, or the default. A pupil
/// whose date of birth is not known yet gets the primary-school list.
pub(super) async fn signal_list(
    state: &AppState,
    user: &CurrentUser,
    access: &DossierAccess,
) -> Result<signals::List> {
    let today = today_nl(state.clock.unix());
    let band = access
        .dossier()
        .pupil
        .date_of_birth
        .map_or(AgeBand::From4To12, |d| {
            AgeBand::for_age(dossier::age_on(d, today).max(0) as u32)
        });
    Ok(state
        .db
        .signal_list(user.user.organisation_id, band)
        .await?
        .0)
}

pub struct OptionView {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct SignalGroupView {
    pub title: String,
    pub signals: Vec<OptionView>,
}

pub struct FieldView {
    pub key: &'static str,
    pub label: &'static str,
    /// The field's hint; a date's says how to type it (dag-maand-jaar).
    pub hint: String,
    /// line, text, date, choice, check, signals or bodymap
    pub input: &'static str,
    pub required: bool,
    pub value: String,
    pub options: Vec<OptionView>,
    pub groups: Vec<SignalGroupView>,
    /// The body map's figures with the regions ticked so far (for a field of the body map).
    pub figures: Vec<super::bodymap::FigureView>,
    pub error: Option<String>,
}

impl FieldView {
    /// Whether the body map has a region ticked: it then opens, to show what the form holds.
    pub fn marks_body(&self) -> bool {
        self.figures
            .iter()
            .any(|g| g.regions.iter().any(|r| r.marked))
    }
}

/// The signal's body map as a form field on its own, for the opening form, which lays out its
/// other fields by hand.
pub(super) fn body_map_field(ticked: &[String]) -> FieldView {
    let mut values = Values::new();
    values.insert(keys::LICHAAM.to_string(), ticked.to_vec());
    let omit_others = Omit {
        fields: Kind::Signaal
            .fields()
            .iter()
            .map(|f| f.key)
            .filter(|k| *k != keys::LICHAAM)
            .collect(),
        choices: Vec::new(),
    };
    field_views(
        Kind::Signaal,
        &values,
        &Errors::default(),
        &signals::List { groups: Vec::new() },
        &[],
        &omit_others,
    )
    .pop()
    .expect("the signal has a body map")
}

/// What a form leaves out because it does not apply to this dossier: fields, and choices.
#[derive(Debug, Default)]
pub(super) struct Omit {
    pub(super) fields: Vec<&'static str>,
    pub(super) choices: Vec<&'static str>,
}

pub(super) fn field_views(
    kind: Kind,
    values: &Values,
    errors: &Errors,
    list: &signals::List,
    forms: &[Form],
    omit: &Omit,
) -> Vec<FieldView> {
    kind.fields()
        .iter()
        // The questions of the honour route only where the forms of violence call for them.
        .filter(|f| honour::applies(forms) || !honour::ROUTE_FIELDS.contains(&f.key))
        .filter(|f| !omit.fields.contains(&f.key))
        .map(|f| {
            let value = first(values, f.key).to_string();
            let all = values.get(f.key).cloned().unwrap_or_default();
            let (input, options) = match f.input {
                Input::Line => ("line", Vec::new()),
                Input::Text => ("text", Vec::new()),
                Input::Date(_) => ("date", Vec::new()),
                Input::Check => ("check", Vec::new()),
                Input::Signals => ("signals", Vec::new()),
                Input::BodyMap => ("bodymap", Vec::new()),
                Input::Choice(opts) => (
                    "choice",
                    opts.iter()
                        .filter(|(c, _)| !omit.choices.contains(c))
                        .filter(|(c, _)| {
                            honour::applies(forms) || !honour::ROUTE_CHOICES.contains(c)
                        })
                        .map(|(c, l)| OptionView {
                            code: c.to_string(),
                            label: l.to_string(),
                            checked: value == *c,
                        })
                        .collect(),
                ),
            };
            let groups = if f.input == Input::Signals {
                list.groups
                    .iter()
                    .map(|g| SignalGroupView {
                        title: g.title.clone(),
                        signals: g
                            .signals
                            .iter()
                            .map(|s| OptionView {
                                code: s.clone(),
                                label: s.clone(),
                                checked: all.iter().any(|v| v == s),
                            })
                            .collect(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let figures = if f.input == Input::BodyMap {
                super::bodymap::figures(&crate::domain::bodymap::stored(
                    all.iter().map(String::as_str),
                ))
            } else {
                Vec::new()
            };
            // A date is typed as day, month and year in a text field (never the browser's date
            // widget, whose order follows its language); a stored date shows as dd-mm-jjjj.
            let (hint, value) = match f.input {
                Input::Date(_) => (
                    format!("{} Dag, maand en jaar, bijvoorbeeld 28-11-2026.", f.hint)
                        .trim_start()
                        .to_string(),
                    crate::web::format::date_field(&value),
                ),
                _ => (f.hint.to_string(), value),
            };
            FieldView {
                key: f.key,
                label: f.label,
                hint,
                input,
                required: f.required,
                value,
                options,
                groups,
                figures,
                error: errors.get(f.key).map(str::to_string),
            }
        })
        .collect()
}
