//! Form validation messages, per field, for pages that come back with the user's text kept.
//! The messages keep the order in which the fields were checked, which is the form's order, so
//! the summary at the top reads like the form below it.

#[derive(Debug, Default, Clone)]
pub struct Errors(Vec<(&'static str, String)>, Vec<(&'static str, String)>);

impl Errors {
    /// Records a message for a field; only the first message per field is kept.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// Takes the value of a parse, or records its message under `field`.
    pub fn check<T, E: Into<String>>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Names a field for the summary, where a short message ("Vul dit in.") needs to say which
    /// field it is about.
    pub fn label(&mut self, field: &'static str, label: impl Into<String>) {
        self.1.push((field, label.into()));
    }

    /// All messages, for the summary at the top of a form, each with its field's name if known
    /// and the message does not already say it ("Vul de geboortedatum in." needs no
    /// "Geboortedatum: " before it).
    pub fn all(&self) -> Vec<(&'static str, String)> {
        self.0
            .iter()
            .map(|(k, v)| match self.1.iter().find(|(f, _)| f == k) {
                Some((_, label)) => {
                    let label = label.trim_end_matches(['?', ':']);
                    if v.to_lowercase().contains(&label.to_lowercase()) {
                        (*k, v.clone())
                    } else {
                        (*k, format!("{label}: {v}"))
                    }
                }
                None => (*k, v.clone()),
            })
            .collect()
    }
}

impl From<Vec<(&'static str, String)>> for Errors {
    fn from(list: Vec<(&'static str, String)>) -> Errors {
        let mut errors = Errors::default();
        for (k, v) in list {
            errors.add(k, v);
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::Errors;

    #[test]
    fn messages_keep_the_order_of_the_form_and_one_per_field() {
        let mut e = Errors::default();
        e.add("naam", "Vul een naam in.");
        e.add("email", "Geen @.");
        e.add("naam", "Nog iets.");
        assert_eq!(
            e.all(),
            vec![
                ("naam", "Vul een naam in.".to_string()),
                ("email", "Geen @.".to_string())
            ]
        );
        e.label("email", "E-mailadres");
        assert_eq!(e.all()[1].1, "E-mailadres: Geen @.");
    }

    #[test]
    fn the_summary_names_the_field_by_its_label_unless_the_message_already_does() {
        let mut e = Errors::default();
        e.label("geboortedatum", "Geboortedatum");
        e.label("naam", "Naam van de leerling");
        e.label("bron_wie", "Wie vertelde het?");
        e.add(
            "geboortedatum",
            "Vul de geboortedatum in, bijvoorbeeld 28-11-2016.",
        );
        e.add("naam", "Dit is te lang: gebruik hoogstens 100 tekens.");
        e.add("bron_wie", "Vul dit in.");
        assert_eq!(
            e.all(),
            vec![
                (
                    "geboortedatum",
                    "Vul de geboortedatum in, bijvoorbeeld 28-11-2016.".to_string()
                ),
                (
                    "naam",
                    "Naam van de leerling: Dit is te lang: gebruik hoogstens 100 tekens."
                        .to_string()
                ),
                ("bron_wie", "Wie vertelde het: Vul dit in.".to_string()),
            ]
        );
    }
}
