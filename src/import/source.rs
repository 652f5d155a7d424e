//! What the front ends (CloudFormation, Terraform) hand to the assembler: resources with their
//! properties and the references between them, in one shape for both formats.

use serde_json::Value;

use super::SourceFormat;
use super::cond::segments;
use crate::model::BoundaryKind;

/// A parsed source, before it becomes a project.
#[derive(Debug)]
pub(super) struct Source {
    /// CloudFormation or Terraform.
    pub format: SourceFormat,
    /// The project's name.
    pub name: String,
    /// Free text from the source (a template's `Description`).
    pub description: String,
    /// How notes on done tasks start: "set in template", "set in plan"...
    pub note_prefix: &'static str,
    /// Every resource (CloudFormation logical ids come sorted; Terraform keeps module order).
    pub resources: Vec<Resource>,
    /// What was left out on purpose, with why (data sources, other providers...).
    pub skipped: Vec<String>,
    /// Things that looked odd while reading.
    pub warnings: Vec<String>,
}

/// One resource, or a parameter that stands for a network boundary.
#[derive(Debug, Clone)]
pub(super) struct Resource {
    /// The logical id (CloudFormation) or address (Terraform); unique in the source.
    pub id: String,
    /// `AWS::S3::Bucket`, `aws_s3_bucket`...
    pub resource_type: String,
    /// `Properties` (CloudFormation) or `values` (Terraform); an object, or null.
    pub props: Value,
    /// References to other resources of the source.
    pub refs: Vec<Reference>,
    /// Where its properties are, for notes: `Resources.Bucket.Properties`, or the address.
    pub place: String,
    /// Set for a parameter that stands for a boundary (a subnet id passed in, ...).
    pub boundary: Option<BoundaryKind>,
}

/// A reference from a resource's property to another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reference {
    /// The property path it was found at; list indices are numeric segments.
    pub path: Vec<String>,
    /// The id of the resource referenced.
    pub target: String,
}

impl Reference {
    /// A reference at `path` to `target`.
    pub fn new(path: &[String], target: impl Into<String>) -> Self {
        Self { path: path.to_vec(), target: target.into() }
    }

    /// Whether the reference is at `pattern` or below it; list indices are skipped, so
    /// `VpcConfig.SubnetIds` matches `VpcConfig.SubnetIds.0`. `*` matches everything.
    pub fn is_under(&self, pattern: &str) -> bool {
        if pattern == "*" {
            return true;
        }
        let keys: Vec<&str> =
            self.path.iter().map(String::as_str).filter(|s| s.parse::<usize>().is_err()).collect();
        let wanted = segments(pattern);
        wanted.len() <= keys.len() && wanted.iter().zip(&keys).all(|(a, b)| a == b)
    }

    /// The last key of the path that is not a list index, for flow labels.
    pub fn last_key(&self) -> &str {
        self.path.iter().rev().find(|s| s.parse::<usize>().is_err()).map_or("", String::as_str)
    }
}

impl Resource {
    /// The short name of its type: `BucketPolicy` for `AWS::S3::BucketPolicy`, the type itself
    /// for Terraform.
    pub fn short_type(&self) -> &str {
        self.resource_type.rsplit("::").next().unwrap_or(&self.resource_type)
    }

    /// The resource in words for the report: `BucketPolicy PaymentsBucketPolicy`; a Terraform
    /// address alone, since it holds its type.
    pub fn described(&self) -> String {
        if self.id.contains(&self.resource_type) {
            self.id.clone()
        } else {
            format!("{} {}", self.short_type(), self.id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_match_patterns_ignoring_indices() {
        let path: Vec<String> = ["VpcConfig", "SubnetIds", "0"].iter().map(|s| (*s).to_owned()).collect();
        let reference = Reference::new(&path, "A");
        assert!(reference.is_under("VpcConfig.SubnetIds"));
        assert!(reference.is_under("VpcConfig"));
        assert!(reference.is_under("*"));
        assert!(!reference.is_under("VpcConfig.SecurityGroupIds"));
        assert!(!reference.is_under("VpcConfig.SubnetIds.Extra"));
        assert_eq!(reference.last_key(), "SubnetIds");
    }
}
