//! How a finding names its check, and how older Security Hub ids become today's.
//!
//! A [`Control`] is a scheme and an id: a Security Hub security control id (`S3.8`), a Prowler
//! check id, a CIS v3.0.0 or v5.0.0 number, or an id of another standard that whoowns cannot
//! map. Security Hub findings made before consolidated control findings name the check by the
//! standard's own id (`CIS v1.2.0 rule 2.1`, `PCI.S3.6`); `assets/control-aliases.ron` says which
//! security control each of those is ([`ControlAliases`]).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::is_control_id;

/// The alias table shipped in the binary, as RON text.
pub const BUILTIN_CONTROL_ALIASES: &str = include_str!("../../assets/control-aliases.ron");

/// What kind of id a [`Control`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// A Security Hub security control id, e.g. `S3.8`; matched against the catalog's `controls`.
    SecurityHub,
    /// A Prowler check id, e.g. `s3_bucket_level_public_access_block`; matched against `prowler`.
    Prowler,
    /// A CIS AWS Foundations Benchmark v3.0.0 number; matched against `cis_v3`.
    CisV3,
    /// A CIS AWS Foundations Benchmark v5.0.0 number; matched against `cis_v5`.
    CisV5,
    /// An id of a standard whoowns cannot map, as `standard/id`; matches no task.
    Standard,
}

/// The check a finding reports on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Control {
    /// What kind of id it is.
    pub scheme: Scheme,
    /// The id.
    pub id: String,
}

impl Control {
    /// A control of `scheme` with `id`.
    pub fn new(scheme: Scheme, id: impl Into<String>) -> Self {
        Self { scheme, id: id.into() }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::SecurityHub | Scheme::Standard => f.write_str(&self.id),
            Scheme::Prowler => write!(f, "prowler {}", self.id),
            Scheme::CisV3 => write!(f, "CIS v3.0.0 {}", self.id),
            Scheme::CisV5 => write!(f, "CIS v5.0.0 {}", self.id),
        }
    }
}

/// How a standard's control ids read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardIds {
    /// The id is the security control id (after the standard's prefix is taken off).
    SecurityControl,
    /// Only the ids in `aliases` are known.
    Aliases,
    /// A CIS v3.0.0 number.
    CisV3,
    /// A CIS v5.0.0 number.
    CisV5,
}

/// One Security Hub standard and how its ids map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The standard's path, as in its ARN and generator ids, e.g. `pci-dss/v/3.2.1`.
    pub id: String,
    /// Its name, for people.
    pub name: String,
    /// How its ids read.
    pub ids: StandardIds,
    /// Standard ids and the security control ids they became.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// A prefix the standard puts before security control ids, e.g. `CT.`.
    #[serde(default)]
    pub strip_prefix: Option<String>,
}

/// The table in `assets/control-aliases.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlAliases {
    /// The standards whoowns knows.
    pub standards: Vec<Standard>,
}

/// Why an alias table is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AliasError {
    /// The RON does not parse.
    #[error("the control alias table does not parse: {0}")]
    Syntax(String),
    /// Entries are wrong; each problem in words.
    #[error("the control alias table is invalid: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

impl ControlAliases {
    /// Parses and checks a table: standard ids unique, every alias a well-formed security
    /// control id, aliases only where ids are aliases or security control ids.
    pub fn from_ron(text: &str) -> Result<Self, AliasError> {
        let table: Self = ron::from_str(text).map_err(|error| AliasError::Syntax(error.to_string()))?;
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for standard in &table.standards {
            if !seen.insert(standard.id.as_str()) {
                problems.push(format!("standard {:?} is listed twice", standard.id));
            }
            if matches!(standard.ids, StandardIds::CisV3 | StandardIds::CisV5) && !standard.aliases.is_empty()
            {
                problems.push(format!("standard {:?}: CIS numbers take no aliases", standard.id));
            }
            for (from, to) in &standard.aliases {
                if to.is_empty() {
                    problems.push(format!("standard {:?}: {from:?} maps to nothing", standard.id));
                }
                for control in to {
                    if !is_control_id(control) {
                        problems.push(format!(
                            "standard {:?}: {from:?} maps to {control:?}, which is not a security control id",
                            standard.id
                        ));
                    }
                }
            }
        }
        if problems.is_empty() { Ok(table) } else { Err(AliasError::Invalid(problems)) }
    }

    /// The table shipped in the binary. Its validity is checked by the test suite.
    pub fn builtin() -> &'static Self {
        static TABLE: OnceLock<ControlAliases> = OnceLock::new();
        TABLE.get_or_init(|| match Self::from_ron(BUILTIN_CONTROL_ALIASES) {
            Ok(table) => table,
            // Fixed at build time and checked by the tests, so unreachable in a released binary.
            #[expect(clippy::panic, reason = "the embedded alias table is validated by the tests")]
            Err(error) => panic!("{error}"),
        })
    }

    /// The standard with the path `id`.
    pub fn standard(&self, id: &str) -> Option<&Standard> {
        self.standards.iter().find(|standard| standard.id == id)
    }

    /// The controls the id `id` of the standard at `path` stands for. An unknown standard whose
    /// id looks like a security control id is taken as one (new standards keep those ids);
    /// otherwise the id stays a [`Scheme::Standard`] control that matches no task.
    pub fn resolve(&self, path: &str, id: &str) -> Vec<Control> {
        let unmapped = || vec![Control::new(Scheme::Standard, format!("{path}/{id}"))];
        let Some(standard) = self.standard(path) else {
            return if is_control_id(id) { vec![Control::new(Scheme::SecurityHub, id)] } else { unmapped() };
        };
        if let Some(to) = standard.aliases.get(id) {
            return to.iter().map(|control| Control::new(Scheme::SecurityHub, control.as_str())).collect();
        }
        match standard.ids {
            StandardIds::SecurityControl => {
                let bare = standard.strip_prefix.as_deref().and_then(|p| id.strip_prefix(p)).unwrap_or(id);
                if is_control_id(bare) { vec![Control::new(Scheme::SecurityHub, bare)] } else { unmapped() }
            }
            StandardIds::CisV3 => vec![Control::new(Scheme::CisV3, id)],
            StandardIds::CisV5 => vec![Control::new(Scheme::CisV5, id)],
            StandardIds::Aliases => unmapped(),
        }
    }
}

/// What a Security Hub generator id says: the controls it names, or a Prowler check.
///
/// - `security-control/S3.8` (consolidated control findings);
/// - `aws-foundational-security-best-practices/v/1.0.0/S3.8`, `cis-aws-foundations-benchmark/v/1.4.0/3.1`,
///   `pci-dss/v/3.2.1/PCI.S3.6` (one finding per standard);
/// - `arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.1` (CIS v1.2.0);
/// - `prowler-s3_bucket_default_encryption` (Prowler's own ASFF).
///
/// Anything else (GuardDuty detectors, Inspector rules, custom products) names no control.
pub fn from_generator_id(aliases: &ControlAliases, generator: &str) -> Option<Vec<Control>> {
    if let Some(id) = generator.strip_prefix("security-control/") {
        return Some(vec![Control::new(Scheme::SecurityHub, id)]);
    }
    if let Some(check) = generator.strip_prefix("prowler-") {
        return Some(vec![Control::new(Scheme::Prowler, check)]);
    }
    let path = generator.split_once(":ruleset/").map_or(generator, |(_, rest)| rest);
    let (standard, id) = split_standard(path)?;
    let id = id.strip_prefix("rule/").unwrap_or(id);
    Some(aliases.resolve(standard, id))
}

/// The standard path in a standards ARN (`arn:aws:securityhub:::standards/pci-dss/v/3.2.1`,
/// `arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0`).
pub fn standard_of_arn(arn: &str) -> Option<&str> {
    let path = arn.split_once(":standards/").or_else(|| arn.split_once(":ruleset/"))?.1;
    let at = path.find("/v/")?;
    let end = path[at + 3..].find('/').map_or(path.len(), |i| at + 3 + i);
    (at > 0 && end > at + 3).then(|| &path[..end])
}

/// Splits `name/v/version/id...` after the version: the standard and the id.
fn split_standard(path: &str) -> Option<(&str, &str)> {
    let at = path.find("/v/")?;
    let after_version = at + 3 + path[at + 3..].find('/')?;
    let (standard, id) = (&path[..after_version], &path[after_version + 1..]);
    (!path[..at].is_empty() && !id.is_empty()).then_some((standard, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(controls: &[Control]) -> Vec<String> {
        controls.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_builtin_table_is_valid() {
        assert!(ControlAliases::from_ron(BUILTIN_CONTROL_ALIASES).is_ok());
        assert!(ControlAliases::builtin().standards.len() >= 8);
    }

    #[test]
    fn generator_ids_of_every_era() {
        let aliases = ControlAliases::builtin();
        let of = |g: &str| from_generator_id(aliases, g).map(|c| ids(&c));
        assert_eq!(of("security-control/S3.8"), Some(vec!["S3.8".to_owned()]));
        assert_eq!(
            of("aws-foundational-security-best-practices/v/1.0.0/S3.8"),
            Some(vec!["S3.8".to_owned()])
        );
        assert_eq!(
            of("aws-foundational-security-best-practices/v/1.0.0/ELBv2.1"),
            Some(vec!["ELB.1".to_owned()])
        );
        assert_eq!(
            of("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.1"),
            Some(vec!["CloudTrail.1".to_owned()])
        );
        assert_eq!(
            of("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.1"),
            Some(vec!["CloudWatch.1".to_owned(), "IAM.20".to_owned()])
        );
        assert_eq!(of("cis-aws-foundations-benchmark/v/1.4.0/2.1.5.2"), Some(vec!["S3.8".to_owned()]));
        assert_eq!(
            of("cis-aws-foundations-benchmark/v/3.0.0/2.1.4"),
            Some(vec!["CIS v3.0.0 2.1.4".to_owned()])
        );
        assert_eq!(of("pci-dss/v/3.2.1/PCI.S3.6"), Some(vec!["S3.1".to_owned()]));
        assert_eq!(of("pci-dss/v/3.2.1/PCI.Nope.9"), Some(vec!["pci-dss/v/3.2.1/PCI.Nope.9".to_owned()]));
        assert_eq!(
            of("service-managed-aws-control-tower/v/1.0.0/CT.EC2.20"),
            Some(vec!["EC2.20".to_owned()])
        );
        assert_eq!(of("some-new-standard/v/2.0.0/Lambda.2"), Some(vec!["Lambda.2".to_owned()]));
        assert_eq!(
            of("prowler-s3_bucket_default_encryption"),
            Some(vec!["prowler s3_bucket_default_encryption".to_owned()])
        );
        assert_eq!(of("arn:aws:guardduty:eu-west-1:111122223333:detector/abc"), None);
        assert_eq!(of("a/v/"), None);
    }

    #[test]
    fn standards_from_arns() {
        assert_eq!(
            standard_of_arn(
                "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0"
            ),
            Some("aws-foundational-security-best-practices/v/1.0.0")
        );
        assert_eq!(
            standard_of_arn("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"),
            Some("cis-aws-foundations-benchmark/v/1.2.0")
        );
        assert_eq!(standard_of_arn("arn:aws:s3:::bucket"), None);
    }

    #[test]
    fn broken_tables_are_refused() {
        let text = "ControlAliases(standards: [(id: \"a/v/1\", name: \"A\", ids: aliases, aliases: {\"1\": [\"nope\"]}), (id: \"a/v/1\", name: \"A\", ids: cis_v3, aliases: {\"1\": []})])";
        let error = ControlAliases::from_ron(text).unwrap_err().to_string();
        assert!(error.contains("not a security control id"), "{error}");
        assert!(error.contains("listed twice"), "{error}");
        assert!(error.contains("take no aliases"), "{error}");
    }
}
