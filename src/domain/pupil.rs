//! The pupil as the opening form knows them: a typed name, date of birth and group. Until pupils
//! come from the school's roster, two dossiers are about the same pupil when the school, the date
//! of birth and the name (ignoring case and spacing) are the same; the server links them
//! silently, so no page tells a user that a pupil already has a dossier.

/// The most characters of a group that are kept ("groep 4b", "klas 2a", "mentorgroep H3").
pub const GROUP_MAX_CHARS: usize = 20;

/// The form of a name that two spellings of the same name share: words separated by one space,
/// in lower case. "Sanne  de Vries " and "sanne de vries" have the same key.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The most characters of a search that count (a few letters are enough).
pub const SEARCH_MAX_CHARS: usize = 40;

/// The words a pupil on the roster is found by: each word of the name and of the group label, in
/// lower case, without the punctuation around it ("Jan-Willem van 't Hof", "groep 4b" gives
/// "jan-willem", "jan", "willem", "van", "t", "hof", "groep", "4b"). Kept in the store's term
/// index, they make a search a prefix seek whatever the roster's size.
pub fn search_terms(name: &str, group: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in name_key(name)
        .split(' ')
        .chain(name_key(&group_label(group)).split(' '))
    {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        terms.push(word.to_string());
        // The parts of a double name are found on their own too.
        if word.contains(['-', '\'']) {
            terms.extend(
                word.split(['-', '\''])
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
            );
        }
    }
    terms.sort();
    terms.dedup();
    terms
}

/// What a search is matched with: the first word typed, as [`search_terms`] keeps words, and the
/// further words (all must match a term of the same pupil). Empty when nothing searchable was
/// typed.
pub fn search_words(query: &str) -> Vec<String> {
    let query: String = query.chars().take(SEARCH_MAX_CHARS).collect();
    name_key(&query)
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A typed group as it is kept: single spaces, at most [`GROUP_MAX_CHARS`] characters.
pub fn clean_group(group: &str) -> String {
    group
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(GROUP_MAX_CHARS)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// How a pupil's group reads in a sentence: "groep 4" whether "4", "groep 4", "Groep4" or
/// "gr. 4" was typed, "klas 2a" as typed, and anything else that starts with a word as it was
/// typed. A bare number or code ("4", "4b") is a primary-school group. Empty when none was typed.
pub fn group_label(group: &str) -> String {
    let group = clean_group(group);
    // "groep", "gr." and "gr" said before the group, once or (by mistake) more often.
    let mut rest = group.as_str();
    let mut said = false;
    while let Some(r) = strip_word(rest, &["groep", "gr.", "gr "]) {
        rest = r;
        said = true;
    }
    if rest.is_empty() {
        return if said { "groep".into() } else { String::new() };
    }
    if said || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("groep {rest}");
    }
    match strip_word(rest, &["klas"]) {
        Some("") => "klas".into(),
        Some(r) => format!("klas {r}"),
        None => rest.to_string(),
    }
}

/// `text` without a leading word of `words` (in any case) and the spaces or dots after it.
fn strip_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    words.iter().find_map(|w| {
        let n = w.chars().count();
        let head: String = text.chars().take(n).collect();
        (head.to_lowercase() == *w).then(|| {
            let cut = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
            text[cut..].trim_start_matches(['.', ' '])
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_pupil_is_found_by_any_word_of_name_or_group_in_lower_case() {
        assert_eq!(
            search_terms("Jan-Willem van 't Hof", "4b"),
            vec![
                "4b",
                "groep",
                "hof",
                "jan",
                "jan-willem",
                "t",
                "van",
                "willem"
            ]
        );
        assert_eq!(search_terms("  ÖZLEM  Çelik ", ""), vec!["çelik", "özlem"]);
        assert_eq!(search_words("  Sanne  d. "), vec!["sanne", "d"]);
        assert!(search_words(" -- ").is_empty());
        assert_eq!(search_words(&"a".repeat(100))[0].len(), SEARCH_MAX_CHARS);
    }

    #[test]
    fn the_same_pupil_is_recognised_regardless_of_case_and_spacing() {
        assert_eq!(name_key("  Sanne   de Vries "), "sanne de vries");
        assert_eq!(name_key("SANNE DE VRIES"), name_key("sanne de vries"));
        assert_eq!(name_key("Özlem\tÇelik"), "özlem çelik");
        assert_ne!(name_key("Sanne de Vries"), name_key("Sanne Vries"));
        assert_eq!(name_key("   "), "");
    }

    #[test]
    fn the_group_label_never_doubles_the_word_groep() {
        assert_eq!(group_label("4"), "groep 4");
        assert_eq!(group_label("4b"), "groep 4b");
        assert_eq!(group_label("groep 4"), "groep 4");
        assert_eq!(group_label("Groep 4"), "groep 4");
        assert_eq!(group_label("groep4"), "groep 4");
        assert_eq!(group_label("groep  7/8"), "groep 7/8");
        assert_eq!(group_label("gr. 6"), "groep 6");
        assert_eq!(group_label("gr 6"), "groep 6");
        assert_eq!(group_label("klas 2a"), "klas 2a");
        assert_eq!(group_label("Klas 2A"), "klas 2A");
        assert_eq!(group_label("Kleutergroep B"), "Kleutergroep B");
        assert_eq!(group_label("  "), "");
        for typed in ["4", "groep 4", "Groep 4", "groep groep 4", "4b", "klas 2a"] {
            assert!(
                !group_label(typed).to_lowercase().contains("groep groep"),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_group_is_kept_with_single_spaces_and_at_most_20_characters() {
        assert_eq!(clean_group("  groep   4 "), "groep 4");
        assert_eq!(clean_group(&"x".repeat(30)).chars().count(), 20);
    }
}
