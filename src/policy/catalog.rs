//! The curated data beside the policy: the unit catalog (kinds, short names,
//! aliases, collective membership) and the targets of article 3.

use serde::Deserialize;

use crate::domain::{TargetKind, UnitKind};

/// Bundled `assets/units.toml`.
pub const BUNDLED_UNITS: &str = include_str!("../../assets/units.toml");
/// Bundled `assets/targets.toml`.
pub const BUNDLED_TARGETS: &str = include_str!("../../assets/targets.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub name: String,
    pub short: String,
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub supervisor: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectiveDef {
    pub name: String,
    pub short: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "unit")]
    pub units: Vec<UnitDef>,
    #[serde(rename = "collective", default)]
    pub collectives: Vec<CollectiveDef>,
}

impl Catalog {
    /// Parses a units file, checking kinds and that members are known units.
    pub fn from_toml(text: &str) -> Result<Catalog, String> {
        let c: Catalog = toml::from_str(text).map_err(|e| e.to_string())?;
        for u in &c.units {
            match UnitKind::from_code(&u.kind) {
                Some(UnitKind::Collective) | None => {
                    return Err(format!("unit {:?}: unknown kind {:?}", u.name, u.kind));
                }
                Some(_) => {}
            }
        }
        for col in &c.collectives {
            for m in &col.members {
                if c.find_unit(m).is_none() {
                    return Err(format!("collective {:?}: member {:?} is not a [[unit]]", col.name, m));
                }
            }
        }
        Ok(c)
    }

    pub fn bundled() -> Catalog {
        Catalog::from_toml(BUNDLED_UNITS).expect("bundled units.toml is valid")
    }

    /// A unit by name or alias.
    pub fn find_unit(&self, name: &str) -> Option<usize> {
        self.units
            .iter()
            .position(|u| u.name == name || u.aliases.iter().any(|a| a == name))
    }

    pub fn find_collective(&self, name: &str) -> Option<usize> {
        self.collectives
            .iter()
            .position(|c| c.name == name || c.aliases.iter().any(|a| a == name))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    pub code: String,
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub kind: String,
    pub comparator: String,
    pub reporter: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub deadline: String,
    #[serde(rename = "target")]
    pub targets: Vec<TargetDef>,
}

impl Targets {
    pub fn from_toml(text: &str) -> Result<Targets, String> {
        let t: Targets = toml::from_str(text).map_err(|e| e.to_string())?;
        crate::domain::calendar::parse_date(&t.deadline)?;
        for d in &t.targets {
            if TargetKind::from_code(&d.kind).is_none() {
                return Err(format!("target {:?}: unknown kind {:?}", d.code, d.kind));
            }
            if d.comparator != ">=" && d.comparator != ">" {
                return Err(format!("target {:?}: comparator must be >= or >", d.code));
            }
        }
        Ok(t)
    }

    pub fn bundled() -> Targets {
        Targets::from_toml(BUNDLED_TARGETS).expect("bundled targets.toml is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{BUNDLED_TEXT, BUNDLED_TITLE, parse};

    #[test]
    fn targets_are_exactly_the_policy_numbers() {
        let t = Targets::bundled();
        let p = parse(BUNDLED_TEXT, Some(BUNDLED_TITLE)).unwrap();
        let art3 = &p.articles[2].body;
        let got: Vec<(&str, f64)> = t.targets.iter().map(|d| (d.code.as_str(), d.value)).collect();
        let want = [
            ("national_hitech_zones", 2.0),
            ("regional_hitech_zones", 3.0),
            ("national_agri_parks", 5.0),
            ("regional_agri_parks_coverage", 7.0),
            ("innovative_cities", 3.0),
            ("maker_spaces", 40.0),
            ("incubators", 5.0),
            ("national_incubator_per_zone", 1.0),
            ("national_research_platforms", 5.0),
            ("tech_market_turnover", 150.0),
            ("rd_growth", 10.0),
            ("hitech_enterprises", 160.0),
            ("tech_smes", 350.0),
            ("specialized_smes", 50.0),
            ("little_giants", 10.0),
            ("star_market_listings", 5.0),
            ("rd_fte", 2000.0),
            ("qingzang_survey", 1000.0),
            ("grassroots_scientists", 6000.0),
            ("jobs", 6.0),
        ];
        assert_eq!(got, want);
        for d in &t.targets {
            assert!(art3.contains(&d.source), "{:?} not in article 3", d.source);
            let number = d.value.to_string();
            assert!(d.source.contains(&number) || d.kind == "coverage", "{}", d.code);
        }
        assert_eq!(t.deadline, "2025-12-31");
    }

    #[test]
    fn catalog_is_consistent() {
        let c = Catalog::bundled();
        assert_eq!(c.collectives[0].members.len(), 7);
        assert!(c.find_unit("编办").is_some());
        assert!(c.find_collective("自治区“双创”领导小组各成员单位").is_some());
        assert!(Catalog::from_toml("[[unit]]\nname='x'\nshort='x'\nkind='boss'\n").is_err());
    }
}
