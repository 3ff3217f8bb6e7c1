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
