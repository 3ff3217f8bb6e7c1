//! RULES.md traces every rule of DOMAIN.md to the tests that show it. This test keeps that index
//! honest: every `path::test_name` it names must be a test function in that file (so renaming a
//! test without updating RULES.md fails here), and every section of DOMAIN.md must have its
//! heading in RULES.md, with at least one test named under it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// DOMAIN.md lives in the project's shared folder, beside the repository.
fn domain_md() -> PathBuf {
    root().join("../shared/DOMAIN.md")
}

/// DOMAIN.md's section headings when this copy of the repository has no shared folder beside it
/// (as of the version RULES.md was written against).
const KNOWN_SECTIONS: &[&str] = &[
    "Who uses it",
    "The client and the dossier",
    "Step 1 — map the signals (in kaart brengen van signalen)",
    "Step 2 — collegial consultation, and if needed advice from Veilig Thuis",
    "Step 3 — conversation with the client (gesprek met de cliënt)",
    "Step 4 — weigh the violence or abuse (wegen)",
    "Step 5 — decide: organise help, or report (beslissen: hulp organiseren of melden)",
    "Order of the steps",
    "Emergencies and other routes",
    "What the organisation must see to (section IV.b)",
    "The law since 2019: the afwegingskader (assessment framework)",
    "Staff as suspected perpetrator (Wet op het primair onderwijs art. 4a)",
    "Records and privacy",
    "Signalling lists",
    "Glossary",
];

/// Sections of DOMAIN.md that hold no rules, so name no test.
const WITHOUT_RULES: &[&str] = &["Glossary"];

fn headings(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| h.trim().to_string())
        .collect()
}

/// Every `path::name` reference in a text: code spans of the form `src/….rs::name` or
/// `tests/….rs::name`.
fn references(text: &str) -> Vec<(String, String)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            let (path, name) = span.split_once(".rs::")?;
            (path.starts_with("src/") || path.starts_with("tests/"))
                .then(|| (format!("{path}.rs"), name.to_string()))
        })
        .collect()
}

/// What is wrong with one reference: the file is missing, has no `fn name(`, or the function
/// is not a test.
fn check(root: &Path, path: &str, name: &str) -> Option<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
        return Some(format!("{path}::{name}: not a function name"));
    }
    let Ok(source) = std::fs::read_to_string(root.join(path)) else {
        return Some(format!("{path}::{name}: no file {path}"));
    };
    let needle = format!("fn {name}(");
    let Some(at) = source.find(&needle) else {
        return Some(format!("{path}::{name}: {path} has no `fn {name}(`"));
    };
    // The attribute sits on one of the few lines above the function.
    let before: Vec<&str> = source[..at].lines().rev().take(4).collect();
    if !before.iter().any(|l| {
        l.trim_start().starts_with("#[test]") || l.trim_start().starts_with("#[tokio::test")
    }) {
        return Some(format!("{path}::{name}: `fn {name}(` is not a test"));
    }
    None
}

fn problems(root: &Path, rules: &str) -> Vec<String> {
    references(rules)
        .iter()
        .filter_map(|(path, name)| check(root, path, name))
        .collect()
}

#[test]
fn every_test_named_in_rules_md_exists_and_is_a_test() {
    let rules = std::fs::read_to_string(root().join("RULES.md")).expect("RULES.md");
    let refs = references(&rules);
    assert!(refs.len() > 100, "RULES.md names {} tests", refs.len());
    let problems = problems(root(), &rules);
    assert!(
        problems.is_empty(),
        "RULES.md names tests that do not exist (renamed? update RULES.md):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_section_of_domain_md_has_its_heading_in_rules_md_with_tests_under_it() {
    let rules = std::fs::read_to_string(root().join("RULES.md")).expect("RULES.md");
    let sections: Vec<String> = match std::fs::read_to_string(domain_md()) {
        Ok(domain) => headings(&domain),
        Err(_) => {
            eprintln!(
                "{} not found: checking the sections known when RULES.md was written",
                domain_md().display()
            );
            KNOWN_SECTIONS.iter().map(|s| s.to_string()).collect()
        }
    };
    assert!(sections.len() >= 10, "DOMAIN.md's sections: {sections:?}");
    let in_rules: BTreeSet<String> = headings(&rules).into_iter().collect();
    let missing: Vec<&String> = sections.iter().filter(|s| !in_rules.contains(*s)).collect();
    assert!(
        missing.is_empty(),
        "DOMAIN.md sections without a heading in RULES.md: {missing:?}"
    );
    // The text under each heading, up to the next one, names at least one test.
    for section in sections
        .iter()
        .filter(|s| !WITHOUT_RULES.contains(&s.as_str()))
    {
        let heading = format!("## {section}\n");
        let start = rules.find(&heading).unwrap() + heading.len();
        let body = &rules[start..];
        let body = &body[..body.find("\n## ").unwrap_or(body.len())];
        assert!(
            !references(body).is_empty(),
            "RULES.md names no test under \"{section}\""
        );
    }
}

#[test]
fn a_renamed_or_missing_test_is_caught() {
    // This very file, as RULES.md would name it.
    let good = "`tests/rules_index.rs::a_renamed_or_missing_test_is_caught`";
    assert!(problems(root(), good).is_empty());
    let renamed = "- a rule: `tests/rules_index.rs::a_test_that_was_renamed_since`";
    assert_eq!(problems(root(), renamed).len(), 1);
    let no_file = "`tests/app/no_such_file.rs::anything`";
    assert_eq!(problems(root(), no_file).len(), 1);
    let not_a_test = "`tests/rules_index.rs::references`";
    assert_eq!(problems(root(), not_a_test).len(), 1);
    assert_eq!(
        references("see `src/domain/dossier.rs::advise` and `cargo test`"),
        vec![("src/domain/dossier.rs".to_string(), "advise".to_string())]
    );
}
