//! What the front ends (CloudFormation, Terraform) hand to the assembler: resources with their
//! properties and the references between them, in one shape for both formats.
//!
//! References are kept small whatever the input: a path keeps at most [`MAX_PATH_KEYS`] keys of
//! at most [`MAX_KEY_LEN`] bytes in one string, targets share one allocation per resource id, a
//! resource keeps at most [`MAX_RESOURCE_REFERENCES`] distinct references and a source at most
//! [`MAX_REFERENCES`] ([`Budget`] counts them and says when it cut).

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use super::SourceFormat;
use super::cond::segments;
use super::report::Warnings;
use crate::model::BoundaryKind;

/// The most keys of a property path a reference keeps; patterns in the mapping are far shorter.
pub(super) const MAX_PATH_KEYS: usize = 12;
/// The longest key a reference keeps, in bytes; longer ones are cut.
pub(super) const MAX_KEY_LEN: usize = 48;
/// The most distinct references one resource keeps.
pub(super) const MAX_RESOURCE_REFERENCES: usize = 10_000;
/// The most references a source keeps.
pub(super) const MAX_REFERENCES: usize = 500_000;

/// Separates the keys of a stored path.
const SEPARATOR: char = '\u{1f}';

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
    pub warnings: Warnings,
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
    /// Whether it exists only when a condition holds (CloudFormation `Condition:`): its
    /// properties then settle no task.
    pub conditional: bool,
    /// What it is declared to depend on (`DependsOn`, `depends_on`), as ids of the source's
    /// resources, at most [`MAX_DEPENDS_ON`]. They become flows where nothing else connects the
    /// two, never membership or folding.
    pub depends_on: Vec<Arc<str>>,
}

/// The most dependencies one resource keeps.
pub(super) const MAX_DEPENDS_ON: usize = 1_000;

/// A reference from a resource's property to another resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Reference {
    /// The property path it was found at, keys joined by [`SEPARATOR`]; list indices are
    /// numeric keys. Cut after [`MAX_PATH_KEYS`] keys.
    path: Box<str>,
    /// The id of the resource referenced.
    pub target: Arc<str>,
}

impl Reference {
    /// A reference at `path` to `target`; the path is stored compactly (see the module docs).
    pub fn new<S: AsRef<str>>(path: &[S], target: Arc<str>) -> Self {
        let mut stored = String::new();
        for (i, key) in path.iter().take(MAX_PATH_KEYS).enumerate() {
            if i > 0 {
                stored.push(SEPARATOR);
            }
            let key = key.as_ref();
            let mut end = key.len().min(MAX_KEY_LEN);
            while !key.is_char_boundary(end) {
                end -= 1;
            }
            stored.push_str(&key[..end]);
        }
        Self { path: stored.into_boxed_str(), target }
    }

    /// The keys of the path.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.path.split(SEPARATOR).filter(|_| !self.path.is_empty())
    }

    /// The key at `position`, list indices counted.
    pub fn key(&self, position: usize) -> Option<&str> {
        self.keys().nth(position)
    }

    #[cfg(test)]
    /// The path with `.` between keys, for messages and tests.
    pub fn dotted(&self) -> String {
        self.keys().collect::<Vec<_>>().join(".")
    }

    /// Whether the reference is at `pattern` or below it; list indices are skipped, so
    /// `VpcConfig.SubnetIds` matches `VpcConfig.SubnetIds.0`. `*` matches everything.
    pub fn is_under(&self, pattern: &str) -> bool {
        if pattern == "*" {
            return true;
        }
        let mut keys = self.keys().filter(|s| s.parse::<usize>().is_err());
        segments(pattern).iter().all(|wanted| keys.next() == Some(*wanted))
    }

    /// The last key of the path that is not a list index, for flow labels.
    pub fn last_key(&self) -> &str {
        self.keys().filter(|s| s.parse::<usize>().is_err()).last().unwrap_or("")
    }
}

/// The references of one resource as they are found: duplicates dropped, at most
/// [`MAX_RESOURCE_REFERENCES`], and within the source's [`Budget`].
#[derive(Default)]
pub(super) struct Collected {
    refs: Vec<Reference>,
    seen: HashSet<Reference>,
    /// Whether some were dropped for a limit.
    pub cut: bool,
}

impl Collected {
    /// Adds a reference at `path` to `target`, unless it is there already or a limit is reached.
    pub fn add<S: AsRef<str>>(&mut self, budget: &mut Budget, path: &[S], target: &Arc<str>) {
        if self.refs.len() >= MAX_RESOURCE_REFERENCES || budget.used >= MAX_REFERENCES {
            self.cut = true;
            return;
        }
        let reference = Reference::new(path, Arc::clone(target));
        if self.seen.insert(reference.clone()) {
            budget.used += 1;
            self.refs.push(reference);
        }
    }

    /// How many references there are.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// The attributes (first keys of the paths) references were found in so far.
    pub fn attributes(&self) -> HashSet<String> {
        self.refs.iter().filter_map(|reference| reference.key(0)).map(str::to_owned).collect()
    }

    /// The references, in the order found; a warning for `place` in `warnings` when some were cut.
    pub fn finish(self, place: &str, warnings: &mut Warnings) -> Vec<Reference> {
        if self.cut {
            warnings.push_with(|| {
                format!(
                    "{place}: too many references (a resource keeps {MAX_RESOURCE_REFERENCES}, a source \
                     {MAX_REFERENCES}); the others are not read"
                )
            });
        }
        self.refs
    }
}

/// How many references a source has kept so far.
#[derive(Default)]
pub(super) struct Budget {
    used: usize,
}

/// Resource ids shared by the references to them: one allocation per id.
#[derive(Default)]
pub(super) struct Names {
    names: HashSet<Arc<str>>,
}

impl Names {
    /// Names built from `ids`.
    pub fn of<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        Self { names: ids.into_iter().map(Arc::from).collect() }
    }

    /// The shared name `id`, when it is one of them.
    pub fn get(&self, id: &str) -> Option<&Arc<str>> {
        self.names.get(id)
    }

    /// Adds `id` (once).
    pub fn insert(&mut self, id: &str) -> Arc<str> {
        match self.names.get(id) {
            Some(name) => Arc::clone(name),
            None => {
                let name: Arc<str> = Arc::from(id);
                self.names.insert(Arc::clone(&name));
                name
            }
        }
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
        let reference = Reference::new(&["VpcConfig", "SubnetIds", "0"], Arc::from("A"));
        assert!(reference.is_under("VpcConfig.SubnetIds"));
        assert!(reference.is_under("VpcConfig"));
        assert!(reference.is_under("*"));
        assert!(!reference.is_under("VpcConfig.SecurityGroupIds"));
        assert!(!reference.is_under("VpcConfig.SubnetIds.Extra"));
        assert_eq!(reference.last_key(), "SubnetIds");
        assert_eq!(reference.key(2), Some("0"));
        assert_eq!(reference.dotted(), "VpcConfig.SubnetIds.0");
        let empty = Reference::new::<&str>(&[], Arc::from("A"));
        assert_eq!(empty.keys().count(), 0);
        assert_eq!(empty.last_key(), "");
        assert!(!empty.is_under("VpcConfig"));
    }

    #[test]
    fn paths_are_stored_compactly() {
        let deep: Vec<String> = (0..1_000).map(|i| format!("{}{i}", "k".repeat(500))).collect();
        let reference = Reference::new(&deep, Arc::from("A"));
        assert_eq!(reference.keys().count(), MAX_PATH_KEYS);
        assert!(reference.keys().all(|key| key.len() <= MAX_KEY_LEN));
        assert!(reference.path.len() <= MAX_PATH_KEYS * (MAX_KEY_LEN + 1));
        // Cut keys end on a character boundary.
        let wide = Reference::new(&["é".repeat(100)], Arc::from("A"));
        assert_eq!(wide.last_key().chars().count(), MAX_KEY_LEN / 2);
    }

    #[test]
    fn collected_references_are_unique_and_bounded() {
        let mut budget = Budget::default();
        let target: Arc<str> = Arc::from("T");
        let mut one = Collected::default();
        for i in 0..(MAX_RESOURCE_REFERENCES + 50) {
            one.add(&mut budget, &["A".to_owned(), i.to_string()], &target);
            one.add(&mut budget, &["A".to_owned(), i.to_string()], &target);
        }
        assert_eq!(one.len(), MAX_RESOURCE_REFERENCES);
        let mut warnings = Warnings::default();
        let refs = one.finish("Resources.X", &mut warnings);
        assert_eq!(refs.len(), MAX_RESOURCE_REFERENCES);
        assert!(warnings.kept()[0].starts_with("Resources.X: too many references"), "{warnings:?}");
        assert!(Arc::ptr_eq(&refs[0].target, &refs[1].target), "targets share one allocation");
    }
}
