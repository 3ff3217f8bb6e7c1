//! What importing a roster changes at a school (issue 16): matched on the administration
//! system's key, new pupils are added, changed names and groups are changed, pupils the file no
//! longer lists are marked as left (their dossiers stay, under retention), and nothing is
//! duplicated. Staff likewise: new staff get an account (beroepskracht), staff who left lose
//! their roles at the school. Pure: the store reads what is known, asks [`plan`], and applies
//! the plan in one transaction.

use super::ids::{PupilId, UserId};
use super::pupil::clean_group;
use super::roster::{Roster, RosterPupil, RosterStaff};

/// A pupil of the school's roster as the store knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPupil {
    pub id: PupilId,
    pub key: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    pub group: String,
    pub left: bool,
}

/// A member of staff linked to the school's roster, as the store knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownStaff {
    pub user_id: UserId,
    pub key: String,
    pub name: String,
    pub email: String,
}

/// What changes about one pupil: the row, the file's version, and what differs, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilChange {
    pub id: PupilId,
    pub pupil: RosterPupil,
    /// "naam", "groep", "geboortedatum", "weer op school".
    pub what: Vec<&'static str>,
}

/// What an import will do, or did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub add_pupils: Vec<RosterPupil>,
    pub change_pupils: Vec<PupilChange>,
    /// Pupils the file no longer lists: (row, name).
    pub leave_pupils: Vec<(PupilId, String)>,
    pub unchanged_pupils: usize,
    pub add_staff: Vec<RosterStaff>,
    /// Staff whose name or e-mail in the file differs: (account, the file's version).
    pub change_staff: Vec<(UserId, RosterStaff)>,
    /// Staff the file no longer lists: (account, name). They lose their roles at this school.
    pub leave_staff: Vec<(UserId, String)>,
    pub unchanged_staff: usize,
}

impl Plan {
    /// Whether the import changes nothing.
    pub fn is_empty(&self) -> bool {
        self.add_pupils.is_empty()
            && self.change_pupils.is_empty()
            && self.leave_pupils.is_empty()
            && self.add_staff.is_empty()
            && self.change_staff.is_empty()
            && self.leave_staff.is_empty()
    }
}

/// How a pupil's fields are kept: the name with single spaces, the group cleaned as a typed one.
pub fn kept(p: &RosterPupil) -> RosterPupil {
    RosterPupil {
        key: p.key.trim().to_string(),
        name: p.name.split_whitespace().collect::<Vec<_>>().join(" "),
        date_of_birth: p.date_of_birth,
        group: clean_group(&p.group),
    }
}

/// What importing `roster` changes, given the school's known roster pupils and linked staff.
/// Pupils who left before and are not in the file stay as they are.
pub fn plan(pupils: &[KnownPupil], staff: &[KnownStaff], roster: &Roster) -> Plan {
    let mut plan = Plan::default();
    let by_key = |key: &str| pupils.iter().find(|k| k.key == key);
    let mut listed = std::collections::BTreeSet::new();
    for p in roster.pupils.iter().map(kept) {
        listed.insert(p.key.clone());
        match by_key(&p.key) {
            None => plan.add_pupils.push(p),
            Some(k) => {
                let mut what = Vec::new();
                if k.name != p.name {
                    what.push("naam");
                }
                if k.date_of_birth != p.date_of_birth.to_string() {
                    what.push("geboortedatum");
                }
                if k.group != p.group {
                    what.push("groep");
                }
                if k.left {
                    what.push("weer op school");
                }
                if what.is_empty() {
                    plan.unchanged_pupils += 1;
                } else {
                    plan.change_pupils.push(PupilChange {
                        id: k.id,
                        pupil: p,
                        what,
                    });
                }
            }
        }
    }
    plan.leave_pupils = pupils
        .iter()
        .filter(|k| !k.left && !listed.contains(&k.key))
        .map(|k| (k.id, k.name.clone()))
        .collect();
    let mut listed_staff = std::collections::BTreeSet::new();
    for s in &roster.staff {
        let s = RosterStaff {
            key: s.key.trim().to_string(),
            name: s.name.split_whitespace().collect::<Vec<_>>().join(" "),
            email: s.email.trim().to_lowercase(),
        };
        listed_staff.insert(s.key.clone());
        match staff.iter().find(|k| k.key == s.key) {
            None => plan.add_staff.push(s),
            Some(k) if k.name != s.name || k.email != s.email => {
                plan.change_staff.push((k.user_id, s))
            }
            Some(_) => plan.unchanged_staff += 1,
        }
    }
    plan.leave_staff = staff
        .iter()
        .filter(|k| !listed_staff.contains(&k.key))
        .map(|k| (k.user_id, k.name.clone()))
        .collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn pupil(key: &str, name: &str, group: &str) -> RosterPupil {
        RosterPupil {
            key: key.into(),
            name: name.into(),
            date_of_birth: date!(2017 - 03 - 01),
            group: group.into(),
        }
    }

    fn known(id: i64, key: &str, name: &str, group: &str, left: bool) -> KnownPupil {
        KnownPupil {
            id: PupilId::from(id),
            key: key.into(),
            name: name.into(),
            date_of_birth: "2017-03-01".into(),
            group: group.into(),
            left,
        }
    }

    fn teacher(key: &str, email: &str) -> RosterStaff {
        RosterStaff {
            key: key.into(),
            name: format!("Juf {key}"),
            email: email.into(),
        }
    }

    #[test]
    fn a_repeated_import_matches_on_the_key_adds_changes_and_marks_who_left() {
        let known_pupils = [
            known(1, "a", "Sanne de Vries", "4b", false),
            known(2, "b", "Daan Bakker", "4b", false),
            known(3, "c", "Noor Jansen", "5a", false),
            known(4, "d", "Levi Smit", "5a", true),
        ];
        let roster = Roster {
            brin: Some("99XX".into()),
            pupils: vec![
                pupil("a", "Sanne de Vries", "4b"),
                pupil("b", "Daan  Bakker-Visser", "4b"),
                pupil("c", "Noor Jansen", "6a"),
                pupil("d", "Levi Smit", "5a"),
                pupil("e", "Mila Peters", "3"),
            ],
            staff: vec![],
        };
        let p = plan(&known_pupils, &[], &roster);
        assert_eq!(p.unchanged_pupils, 1);
        assert_eq!(p.add_pupils, vec![pupil("e", "Mila Peters", "3")]);
        let changes: Vec<(i64, Vec<&str>)> = p
            .change_pupils
            .iter()
            .map(|c| (c.id.get(), c.what.clone()))
            .collect();
        assert_eq!(
            changes,
            vec![
                (2, vec!["naam"]),
                (3, vec!["groep"]),
                (4, vec!["weer op school"])
            ]
        );
        assert_eq!(
            p.change_pupils[0].pupil.name, "Daan Bakker-Visser",
            "spaces as kept"
        );
        assert!(p.leave_pupils.is_empty());
        // The next file no longer lists Sanne: she is marked as left, once.
        let next = Roster {
            pupils: roster.pupils[1..].to_vec(),
            ..roster.clone()
        };
        let p = plan(&known_pupils, &[], &next);
        assert_eq!(
            p.leave_pupils,
            vec![(PupilId::from(1), "Sanne de Vries".into())]
        );
        let already_left = [known(1, "a", "Sanne de Vries", "4b", true)];
        assert!(plan(&already_left, &[], &Roster::default()).is_empty());
    }

    #[test]
    fn importing_the_same_file_twice_changes_nothing_the_second_time() {
        let roster = Roster {
            brin: None,
            pupils: vec![pupil("a", "Sanne de Vries", "groep 4b")],
            staff: vec![teacher("t1", "juf@school.example")],
        };
        let first = plan(&[], &[], &roster);
        assert_eq!(first.add_pupils.len(), 1);
        assert_eq!(first.add_staff.len(), 1);
        let after_pupils = [known(1, "a", "Sanne de Vries", "groep 4b", false)];
        let after_staff = [KnownStaff {
            user_id: UserId::from(7),
            key: "t1".into(),
            name: "Juf t1".into(),
            email: "juf@school.example".into(),
        }];
        let second = plan(&after_pupils, &after_staff, &roster);
        assert!(second.is_empty(), "{second:?}");
        assert_eq!((second.unchanged_pupils, second.unchanged_staff), (1, 1));
    }

    #[test]
    fn staff_who_left_lose_their_place_and_new_staff_are_added_with_lower_case_email() {
        let known_staff = [
            KnownStaff {
                user_id: UserId::from(7),
                key: "t1".into(),
                name: "Juf t1".into(),
                email: "juf@school.example".into(),
            },
            KnownStaff {
                user_id: UserId::from(8),
                key: "t2".into(),
                name: "Juf t2".into(),
                email: "meester@school.example".into(),
            },
        ];
        let roster = Roster {
            brin: None,
            pupils: vec![],
            staff: vec![
                teacher("t1", "JUF@school.example "),
                teacher("t3", "Nieuw@School.example"),
            ],
        };
        let p = plan(&[], &known_staff, &roster);
        assert_eq!(p.unchanged_staff, 1);
        assert_eq!(p.add_staff[0].email, "nieuw@school.example");
        assert_eq!(p.leave_staff, vec![(UserId::from(8), "Juf t2".into())]);
    }
}
