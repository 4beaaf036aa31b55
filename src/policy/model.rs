//! Resolves the unit names a policy writes into catalog units: aliases,
//! collectives expanded to their members, kinds guessed for unknown names.

use std::collections::HashMap;

use super::Policy;
use super::catalog::{Catalog, Targets};
use crate::domain::{Role, UnitKind};

/// A unit as it goes into the database.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRec {
    pub name: String,
    pub short: String,
    /// As written in the policy (with the alias in （…） where one was written).
    pub full_name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
    pub note: String,
    pub supervisor: bool,
    /// Indices of member units, for collectives.
    pub members: Vec<usize>,
}

/// One unit on one article, directly or through a collective.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentRec {
    pub article_no: u32,
    pub unit: usize,
    pub role: Role,
    /// The collective (index into units) this assignment came through.
    pub via: Option<usize>,
    /// Position in the bracket as written (members share their collective's).
    pub ord: u32,
}

/// Everything `init` writes: the policy, its units and assignments, targets.
#[derive(Debug, Clone)]
pub struct Model {
    pub policy: Policy,
    pub units: Vec<UnitRec>,
    pub assignments: Vec<AssignmentRec>,
    pub targets: Targets,
    /// Names resolved by guesswork rather than the catalog.
    pub warnings: Vec<String>,
}

fn guess_kind(name: &str) -> UnitKind {
    if name.starts_with('各') || name.ends_with("各成员单位") {
        UnitKind::Collective
    } else if name.contains("高新区") {
        UnitKind::Zone
    } else if name.ends_with("人民政府") || name.ends_with("行署") {
        UnitKind::Prefecture
    } else if name.ends_with("办公室") {
        UnitKind::Office
    } else if name.starts_with("区党委") {
        UnitKind::PartyOffice
    } else {
        UnitKind::Department
    }
}

fn guess_short(name: &str) -> String {
    let s = name.trim_start_matches("自治区").trim_start_matches("区党委");
    s.chars().take(4).collect()
}

struct Builder<'c> {
    catalog: &'c Catalog,
    units: Vec<UnitRec>,
    by_name: HashMap<String, usize>,
    first_seen: Vec<usize>,
    warnings: Vec<String>,
}

impl Builder<'_> {
    fn push(&mut self, key: String, rec: UnitRec) -> usize {
        let i = self.units.len();
        self.units.push(rec);
        self.first_seen.push(i);
        self.by_name.insert(key, i);
        i
    }

    fn catalog_unit(&mut self, ci: usize) -> usize {
        let def = &self.catalog.units[ci];
        if let Some(&i) = self.by_name.get(&def.name) {
            return i;
        }
        let rec = UnitRec {
            name: def.name.clone(),
            short: def.short.clone(),
            full_name: def.name.clone(),
            kind: UnitKind::from_code(&def.kind).unwrap_or(UnitKind::Department),
            aliases: def.aliases.clone(),
            note: def.note.clone(),
            supervisor: def.supervisor,
            members: Vec::new(),
        };
        self.push(def.name.clone(), rec)
    }

    /// Resolves a name as written to a unit index.
    fn resolve(&mut self, written: &str) -> usize {
        if let Some(ci) = self.catalog.find_collective(written) {
            let def = &self.catalog.collectives[ci];
            if let Some(&i) = self.by_name.get(&def.name) {
                return i;
            }
            let members: Vec<usize> = def
                .members
                .clone()
                .iter()
                .filter_map(|m| self.catalog.find_unit(m))
                .collect();
            let def = &self.catalog.collectives[ci];
            let rec = UnitRec {
                name: def.name.clone(),
                short: def.short.clone(),
                full_name: def.name.clone(),
                kind: UnitKind::Collective,
                aliases: def.aliases.clone(),
                note: String::new(),
                supervisor: false,
                members: Vec::new(),
            };
            let idx = self.push(def.name.clone(), rec);
            let member_idx: Vec<usize> = members.into_iter().map(|ci| self.catalog_unit(ci)).collect();
            self.units[idx].members = member_idx;
            return idx;
        }
        // "名称（别名）": the base name, with the parenthesis as alias.
        let (base, alias) = match written.split_once('（') {
            Some((b, rest)) if rest.ends_with('）') && !b.is_empty() => {
                (b.to_string(), Some(rest.trim_end_matches('）').to_string()))
            }
            _ => (written.to_string(), None),
        };
        let ci = self
            .catalog
            .find_unit(written)
            .or_else(|| self.catalog.find_unit(&base));
        let idx = match ci {
            Some(ci) => self.catalog_unit(ci),
            None => {
                if let Some(&i) = self.by_name.get(&base) {
                    i
                } else {
                    let kind = guess_kind(written);
                    self.warnings.push(format!(
                        "unit {written:?} is not in the unit catalog; taken as {}",
                        kind.code()
                    ));
                    let rec = UnitRec {
                        name: base.clone(),
                        short: guess_short(&base),
                        full_name: base.clone(),
                        kind,
                        aliases: alias.iter().cloned().collect(),
                        note: String::new(),
                        supervisor: false,
                        members: Vec::new(),
                    };
                    self.push(base.clone(), rec)
                }
            }
        };
        if alias.is_some() && self.units[idx].kind != UnitKind::Collective {
            self.units[idx].full_name = written.to_string();
        }
        idx
    }
}

/// Builds the model of a parsed policy against a unit catalog and targets.
pub fn build(policy: Policy, catalog: &Catalog, targets: Targets) -> Model {
    let mut b = Builder {
        catalog,
        units: Vec::new(),
        by_name: HashMap::new(),
        first_seen: Vec::new(),
        warnings: policy.warnings.clone(),
    };
    let mut assignments = Vec::new();
    for a in &policy.articles {
        let Some(d) = &a.division else { continue };
        let mut ord = 0u32;
        for (role, names) in [(Role::Lead, &d.lead), (Role::Partner, &d.partner)] {
            for written in names {
                ord += 1;
                let u = b.resolve(written);
                assignments.push(AssignmentRec {
                    article_no: a.no,
                    unit: u,
                    role,
                    via: None,
                    ord,
                });
                if b.units[u].kind == UnitKind::Collective {
                    if b.units[u].members.is_empty() {
                        b.warnings
                            .push(format!("collective {written:?} has no members in the unit catalog"));
                    }
                    for &m in &b.units[u].members {
                        assignments.push(AssignmentRec {
                            article_no: a.no,
                            unit: m,
                            role,
                            via: Some(u),
                            ord,
                        });
                    }
                }
            }
        }
    }
    // Units that report to the office but were not named still need a home:
    // the supervising office is always present.
    if let Some(ci) = catalog.units.iter().position(|u| u.supervisor) {
        b.catalog_unit(ci);
    }

    // Order: column group, then first appearance.
    let mut order: Vec<usize> = (0..b.units.len()).collect();
    order.sort_by_key(|&i| {
        (
            b.units[i].kind.group(),
            b.units[i].kind == UnitKind::Collective,
            b.first_seen[i],
        )
    });
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut units: Vec<UnitRec> = order.iter().map(|&i| b.units[i].clone()).collect();
    for u in &mut units {
        for m in &mut u.members {
            *m = new_index[*m];
        }
    }
    for a in &mut assignments {
        a.unit = new_index[a.unit];
        a.via = a.via.map(|v| new_index[v]);
    }
    Model {
        policy,
        units,
        assignments,
        targets,
        warnings: b.warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{BUNDLED_TEXT, BUNDLED_TITLE, parse};

    fn bundled() -> Model {
        build(
            parse(BUNDLED_TEXT, Some(BUNDLED_TITLE)).unwrap(),
            &Catalog::bundled(),
            Targets::bundled(),
        )
    }

    fn names(m: &Model, article: u32, role: Role, direct: bool) -> Vec<String> {
        m.assignments
            .iter()
            .filter(|a| a.article_no == article && a.role == role && a.via.is_none() == direct)
            .map(|a| m.units[a.unit].full_name.clone())
            .collect()
    }

    #[test]
    fn bundled_policy_resolves_without_guessing() {
        let m = bundled();
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
        assert_eq!(names(&m, 10, Role::Lead, true), ["科技厅", "市场监管局（知识产权局）"]);
        // Article 12's leads are the two collectives, expanded to 7 + 5 members.
        assert_eq!(
            names(&m, 12, Role::Lead, true),
            ["各地（市）行署（人民政府）", "各高新区管委会"]
        );
        assert_eq!(names(&m, 12, Role::Lead, false).len(), 12);
        // Article 20's spelling is the same collective as article 17's.
        let via = |n: u32| {
            m.assignments
                .iter()
                .find(|a| a.article_no == n && a.role == Role::Partner && a.via.is_none())
                .map(|a| a.unit)
        };
        assert_eq!(via(17), via(20));
        // 区党委组织部 and 区党委组织部（编办） are one unit.
        assert_eq!(m.units.iter().filter(|u| u.name == "区党委组织部").count(), 1);
        // 拉萨市人民政府 is the prefecture 拉萨市.
        assert!(names(&m, 10, Role::Partner, true).contains(&"拉萨市".to_string()));
        let concrete = m.units.iter().filter(|u| u.kind != UnitKind::Collective).count();
        assert!((38..=46).contains(&concrete), "{concrete} units");
    }

    #[test]
    fn unknown_names_are_guessed_and_reported() {
        let text = "一、总则\n（一）任务。\n建立中心。〔牵头单位:新设局（分局）；配合单位:各县（区）人民政府〕\n";
        let m = build(parse(text, None).unwrap(), &Catalog::bundled(), Targets::bundled());
        assert_eq!(m.warnings.len(), 3, "{:?}", m.warnings);
        let u = m.units.iter().find(|u| u.name == "新设局").unwrap();
        assert_eq!(u.full_name, "新设局（分局）");
        assert_eq!(u.aliases, ["分局"]);
        assert!(m.units.iter().any(|u| u.kind == UnitKind::Collective));
    }
}
