//! The AWS resources an imported node stands for, for placing scanner findings on it
//! ([`crate::evidence`]): Terraform's `arn` when the state knows it, else the physical name
//! `assets/physical-names.ron` points at (a plan's bucket name, a template's literal
//! `BucketName`), as an ARN or pattern where the name alone makes one.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Ctx;
use crate::model::aws::check_resource;

/// The table shipped in the binary, as RON text.
pub const BUILTIN_PHYSICAL_NAMES: &str = include_str!("../../../assets/physical-names.ron");

/// Where a resource type keeps its name, and the ARN the name makes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRule {
    /// The property holding the name.
    pub property: String,
    /// The ARN (or pattern) with `{}` for the name; the name alone when absent.
    #[serde(default)]
    pub arn: Option<String>,
}

/// `assets/physical-names.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhysicalNames {
    /// CloudFormation resource types.
    pub cloudformation: BTreeMap<String, NameRule>,
    /// Terraform resource types.
    pub terraform: BTreeMap<String, NameRule>,
}

impl PhysicalNames {
    /// Parses and checks the table: every ARN template has exactly one `{}`.
    pub fn from_ron(text: &str) -> Result<Self, String> {
        let table: Self = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|error| format!("the physical-name table does not parse: {error}"))?;
        for (kind, rule) in table.cloudformation.iter().chain(&table.terraform) {
            if rule.arn.as_deref().is_some_and(|arn| arn.matches("{}").count() != 1) {
                return Err(format!("{kind}: the ARN template needs exactly one {{}}"));
            }
        }
        Ok(table)
    }

    /// The table shipped in the binary; `None` only if it were broken (the tests check it).
    fn builtin() -> Option<&'static Self> {
        static TABLE: OnceLock<Option<PhysicalNames>> = OnceLock::new();
        TABLE.get_or_init(|| Self::from_ron(BUILTIN_PHYSICAL_NAMES).ok()).as_ref()
    }
}

/// The `resources` of the node made from resource `n`.
pub(super) fn resources_of(ctx: &Ctx<'_>, n: usize, terraform: bool) -> Vec<String> {
    let resource = &ctx.resources[n];
    let props = &resource.props;
    let arn = terraform.then(|| props.get("arn").and_then(|v| v.as_str())).flatten();
    let entry = match arn.filter(|a| a.starts_with("arn:")) {
        Some(arn) => Some(arn.to_owned()),
        None => PhysicalNames::builtin()
            .and_then(|table| {
                let rules = if terraform { &table.terraform } else { &table.cloudformation };
                rules.get(&resource.resource_type)
            })
            .and_then(|rule| {
                // A literal string only: an intrinsic function (`{"Ref": ...}`) names nothing yet.
                let name = props.get(&rule.property)?.as_str()?;
                let pattern_safe = !name.contains('*');
                pattern_safe.then(|| {
                    rule.arn.as_ref().map_or_else(|| name.to_owned(), |arn| arn.replacen("{}", name, 1))
                })
            }),
    };
    entry.filter(|e| check_resource(e).is_ok()).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_is_valid() {
        assert!(PhysicalNames::from_ron(BUILTIN_PHYSICAL_NAMES).is_ok());
        assert!(
            PhysicalNames::from_ron(
                "PhysicalNames(cloudformation: {\"X\": (property: \"A\", arn: \"a\")}, terraform: {})"
            )
            .is_err()
        );
    }
}
