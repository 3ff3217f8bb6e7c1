//! Form validation messages, per field, for pages that come back with the user's text kept.

use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
pub struct Errors(BTreeMap<&'static str, String>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
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
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages, for the summary at the top of a form.
    pub fn all(&self) -> Vec<(&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}
