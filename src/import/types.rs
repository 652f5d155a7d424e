//! The resource-type mapping, as data: which catalog service each CloudFormation and Terraform
//! resource type becomes, which types fold into an owner, which are boundaries or flows, and
//! which properties set variants, exposure and done tasks. It lives in
//! `assets/resource-types.ron`, embedded in the binary and checked against the catalog by the
//! tests ([`ResourceTypes::problems`]).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use super::ImportError;
use super::cond::{Cond, segments};
use crate::catalog::Catalog;
use crate::model::BoundaryKind;
use crate::protocol::{Encryption, Protocols};

/// The mapping shipped in the binary, as RON text.
pub const BUILTIN_RESOURCE_TYPES: &str = include_str!("../../assets/resource-types.ron");

/// What the importer knows about resource types. See `assets/resource-types.ron` for the format.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceTypes {
    /// CloudFormation parameter types that stand for a network boundary
    /// (`AWS::EC2::Subnet::Id`...).
    cloudformation_parameters: BTreeMap<String, BoundaryKind>,
    /// CloudFormation resource types.
    cloudformation: BTreeMap<String, TypeRule>,
    /// Terraform (AWS provider) resource types.
    terraform: BTreeMap<String, TypeRule>,
}

/// How the importer treats one resource type.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TypeRule {
    /// Becomes a node of this catalog service (when it does not fold).
    #[serde(default)]
    pub service: Option<String>,
    /// Another service when a condition holds (first match), e.g. Aurora for an aurora engine.
    #[serde(default)]
    pub service_if: Vec<ServiceChoice>,
    /// Becomes a boundary of this kind.
    #[serde(default)]
    pub boundary: Option<BoundaryKind>,
    /// Is configuration of another resource, found this way.
    #[serde(default)]
    pub fold: Option<Owner>,
    /// Folds only when this holds (else it is a node of `service`).
    #[serde(default)]
    pub fold_if: Option<Cond>,
    /// Folds into a resource of these types when it references one (e.g. an Auto Scaling group
    /// joined to an EKS cluster), proposing a variant to it.
    #[serde(default)]
    pub join: Option<Join>,
    /// Is itself a connection: a flow between the resources at two paths.
    #[serde(default)]
    pub link: Option<Link>,
    /// Is known and deliberately not imported, for this reason.
    #[serde(default)]
    pub skip: Option<String>,
    /// For folds and links: when the owner or an end is not in the source, it is skipped for
    /// this reason instead of being reported as a warning.
    #[serde(default)]
    pub orphan: Option<String>,
    /// The variant when a condition holds (first match). A folded resource proposes its variant
    /// to its owner; among several proposals the one where the customer owns most wins.
    #[serde(default)]
    pub variants: Vec<VariantChoice>,
    /// The variant when no condition of `variants` holds.
    #[serde(default)]
    pub variant: Option<String>,
    /// Makes the node (or the owner it folds into) internet-facing.
    #[serde(default)]
    pub internet_facing: Option<Cond>,
    /// Says the node has no public address, whatever its subnet does.
    #[serde(default)]
    pub private: Option<Cond>,
    /// For subnets: launches get a public address here (auto-assign).
    #[serde(default)]
    pub public_ip: Option<Cond>,
    /// For nodes: an auto-assigned public address in its subnet makes it internet-facing.
    #[serde(default)]
    pub subnet_public_ip: bool,
    /// Tasks the properties satisfy, on this node or on the owner it folds into.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// The protocol of flows to this resource (or through it, for folded and link resources).
    #[serde(default)]
    pub protocol: Vec<ProtocolChoice>,
    /// What it forwards traffic to, and in which protocol: a Classic Load Balancer's instances,
    /// a distribution's origins.
    #[serde(default)]
    pub backend: Option<Backend>,
    /// The protocol clients reach it, or the owner it folds into, in (a load balancer's
    /// listeners): for references to a node that has no `protocol` of its own. Plain text wins
    /// among several parts; declared dependencies never read it.
    #[serde(default)]
    pub serves: Vec<ProtocolChoice>,
    /// The task whose check, once settled on the node, means it refuses plaintext (a parameter
    /// group that forces TLS): flows to it in its own protocol are then encrypted.
    #[serde(default)]
    pub tls_enforced_by: Option<String>,
    /// Paths whose references are flows towards this resource rather than from it.
    #[serde(default)]
    pub reverse: Vec<String>,
    /// Paths whose references are neither flows nor containment; `*` for all.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Paths that only mention other resources (a boot script naming a database endpoint): a flow
    /// to one that has a protocol, in it, and never containment.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// What a reference to this resource from another means.
    #[serde(default)]
    pub incoming: Incoming,
    /// Security-group rules this resource holds (inline in a group, or a rule resource).
    #[serde(default)]
    pub security_group_rules: Vec<SecurityGroupRule>,
}

impl TypeRule {
    /// The services a node of this type may have: `service`, then those of `service_if`.
    pub fn services(&self) -> Vec<&str> {
        self.service
            .iter()
            .map(String::as_str)
            .chain(self.service_if.iter().map(|c| c.service.as_str()))
            .collect()
    }
}

/// A service chosen by condition.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ServiceChoice {
    pub when: Cond,
    pub service: String,
}

/// A variant chosen by condition.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VariantChoice {
    pub when: Cond,
    pub variant: String,
}

/// A task template satisfied when a condition surely holds. On a node made of several resources,
/// the task is done only when, among the resources that have a check for it, those of some type
/// all satisfy it and no type has some that do and some that do not (one HTTPS listener beside
/// a plain HTTP one is not enough).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Check {
    pub task: String,
    pub when: Cond,
    /// A resource where this surely holds does not count for the task (an HTTP listener that only
    /// redirects to HTTPS, for TLS listeners).
    #[serde(default)]
    pub unless: Option<Cond>,
    /// The property the note cites, when the top-level one the condition reads says too little
    /// (`LaunchTemplateData.MetadataOptions` rather than `LaunchTemplateData`).
    #[serde(default)]
    pub at: Option<String>,
}

/// A protocol chosen by condition (read surely: encryption needs certainty). The protocol is a
/// name of the protocol table (`assets/protocols.ron`), which says whether it is encrypted.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProtocolChoice {
    #[serde(default = "always")]
    pub when: Cond,
    pub protocol: String,
    /// What the source says beyond the protocol, for protocols where TLS is optional: `true`
    /// when the resource only takes encrypted traffic, `false` when it cannot take any. Absent,
    /// the protocol decides.
    #[serde(default)]
    pub encrypted: Option<bool>,
}

/// What a resource forwards traffic to and in which protocol (the first choice that surely
/// holds): flows from it along references at `paths`, and flows from it to resources whose
/// references to it are reversed (an Auto Scaling group naming its Classic Load Balancer).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Backend {
    /// Its own reference paths that lead to what it forwards to.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The list whose element holds each reference (a distribution's `Origins`): the choices are
    /// read in that element, not in the whole resource.
    #[serde(default)]
    pub list: Option<String>,
    /// The protocol, by condition.
    pub protocol: Vec<ProtocolChoice>,
}

fn always() -> Cond {
    Cond::Always
}

/// How a folded resource finds its owner.
#[derive(Clone, Debug, Deserialize)]
pub(super) enum Owner {
    /// The resources referenced at these paths.
    Refs(Vec<String>),
    /// The resources of these types it references anywhere.
    Types(Vec<String>),
    /// The resources of these types that reference it.
    Referrers(Vec<String>),
    /// The first of these ways that finds an owner.
    First(Vec<Owner>),
}

impl Owner {
    /// Every resource type the owner may have (none for `Refs`, which takes any).
    pub fn types(&self) -> Vec<&String> {
        match self {
            Self::Refs(_) => Vec::new(),
            Self::Types(types) | Self::Referrers(types) => types.iter().collect(),
            Self::First(ways) => ways.iter().flat_map(Self::types).collect(),
        }
    }

    /// Whether some way takes any type (`Refs`).
    pub fn is_open(&self) -> bool {
        match self {
            Self::Refs(_) => true,
            Self::Types(_) | Self::Referrers(_) => false,
            Self::First(ways) => ways.iter().any(Self::is_open),
        }
    }
}

/// Joining an owner it references.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Join {
    pub types: Vec<String>,
    #[serde(default)]
    pub variant: Option<String>,
}

/// The two ends of a link resource.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Link {
    pub from: String,
    pub to: String,
}

/// What a reference to a resource means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub(super) enum Incoming {
    /// A flow from the referrer to it.
    #[default]
    Flow,
    /// A flow from it (its owner) to the referrer, e.g. a target group named by its targets.
    Reverse,
    /// No flow: roles, keys and certificates are used, not talked to.
    Ignore,
}

/// A security-group rule: traffic between the members of two groups.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SecurityGroupRule {
    pub direction: Direction,
    /// The list of rules in the resource; the resource itself is one rule when absent.
    #[serde(default)]
    pub list: Option<String>,
    /// Paths (inside a rule) of the peer group.
    pub peer: Vec<String>,
    /// Path (inside a rule) of the first port.
    pub port: String,
    /// Path (inside a rule) of the last port.
    #[serde(default)]
    pub to_port: Option<String>,
}

/// Which way a security-group rule lets traffic in.
#[derive(Clone, Debug, Deserialize)]
pub(super) enum Direction {
    /// From the peer to the group's members.
    Ingress,
    /// From the group's members to the peer.
    Egress,
    /// Read from a property: `ingress` or `egress`.
    Field(String),
}

impl ResourceTypes {
    /// Parses a mapping. It is not checked against a catalog: see [`Self::problems`].
    pub fn from_ron(text: &str) -> Result<Self, ImportError> {
        let options = ron::Options::default().with_default_extension(
            ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_NEWTYPES,
        );
        options.from_str(text).map_err(|error| ImportError::Mapping(error.to_string()))
    }

    /// The mapping shipped in the binary; the tests check it parses and fits the catalog.
    pub fn builtin() -> Result<&'static Self, ImportError> {
        static TYPES: OnceLock<Result<ResourceTypes, String>> = OnceLock::new();
        TYPES
            .get_or_init(|| Self::from_ron(BUILTIN_RESOURCE_TYPES).map_err(|error| error.to_string()))
            .as_ref()
            .map_err(|message| ImportError::Mapping(message.clone()))
    }

    /// How many CloudFormation and Terraform types the mapping knows.
    pub fn counts(&self) -> (usize, usize) {
        (self.cloudformation.len(), self.terraform.len())
    }

    /// Every CloudFormation type the mapping knows.
    pub fn cloudformation_types(&self) -> impl Iterator<Item = &str> {
        self.cloudformation.keys().map(String::as_str)
    }

    /// Every Terraform type the mapping knows.
    pub fn terraform_types(&self) -> impl Iterator<Item = &str> {
        self.terraform.keys().map(String::as_str)
    }

    /// The services a resource of this CloudFormation type may become when it is a node (more
    /// than one when a property decides, e.g. `rds` or `aurora` for a DB cluster).
    pub fn cloudformation_services(&self, resource_type: &str) -> Vec<&str> {
        self.cloudformation.get(resource_type).map(TypeRule::services).unwrap_or_default()
    }

    /// The services a resource of this Terraform type may become when it is a node.
    pub fn terraform_services(&self, resource_type: &str) -> Vec<&str> {
        self.terraform.get(resource_type).map(TypeRule::services).unwrap_or_default()
    }

    pub(super) fn rules(&self, terraform: bool) -> &BTreeMap<String, TypeRule> {
        if terraform { &self.terraform } else { &self.cloudformation }
    }

    /// The last keys of every path the rules read references from (folds, links, security-group
    /// peers, reversed paths): attributes that hold the ids of other resources.
    pub(super) fn reference_keys(&self, terraform: bool) -> HashSet<&str> {
        fn owner_paths<'a>(owner: &'a Owner, out: &mut Vec<&'a str>, depth: usize) {
            match owner {
                Owner::Refs(paths) => out.extend(paths.iter().map(String::as_str)),
                Owner::First(ways) if depth < 4 => {
                    for way in ways {
                        owner_paths(way, out, depth + 1);
                    }
                }
                Owner::First(_) | Owner::Types(_) | Owner::Referrers(_) => {}
            }
        }
        let mut paths: Vec<&str> = Vec::new();
        for rule in self.rules(terraform).values() {
            if let Some(owner) = &rule.fold {
                owner_paths(owner, &mut paths, 0);
            }
            if let Some(link) = &rule.link {
                paths.extend([link.from.as_str(), link.to.as_str()]);
            }
            paths.extend(rule.reverse.iter().map(String::as_str));
            if let Some(backend) = &rule.backend {
                paths.extend(backend.paths.iter().map(String::as_str));
            }
            for sg_rule in &rule.security_group_rules {
                paths.extend(sg_rule.peer.iter().map(String::as_str));
            }
        }
        paths
            .into_iter()
            .filter_map(|path| segments(path).last().copied())
            .filter(|key| *key != "*")
            .collect()
    }

    pub(super) fn parameter_boundary(&self, parameter_type: &str) -> Option<BoundaryKind> {
        self.cloudformation_parameters.get(parameter_type).copied()
    }

    /// Everything in the mapping that does not fit `catalog` or itself: unknown services,
    /// variants or tasks, owner types that are not in the mapping, rules that say nothing or too
    /// much. Empty for the built-in mapping and catalog (a test checks it).
    pub fn problems(&self, catalog: &Catalog) -> Vec<String> {
        let mut problems = Vec::new();
        for (section, rules, terraform) in
            [("cloudformation", &self.cloudformation, false), ("terraform", &self.terraform, true)]
        {
            for (name, rule) in rules {
                let well_formed = if terraform {
                    name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                } else {
                    name.split("::").count() == 3 && name.split("::").all(|part| !part.is_empty())
                };
                if !well_formed {
                    problems.push(format!("{section}: {name:?} is not a resource type name"));
                }
                for problem in rule_problems(rule, rules, catalog) {
                    problems.push(format!("{section}: {name}: {problem}"));
                }
            }
        }
        problems
    }
}

fn rule_problems(rule: &TypeRule, rules: &BTreeMap<String, TypeRule>, catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let kinds = [
        rule.service.is_some() || rule.fold.is_some(),
        rule.boundary.is_some(),
        rule.link.is_some(),
        rule.skip.is_some(),
    ];
    match kinds.iter().filter(|&&k| k).count() {
        0 => problems.push("says neither service, boundary, fold, link nor skip".to_owned()),
        1 => {}
        _ => problems.push("is more than one of node or fold, boundary, link and skip".to_owned()),
    }
    if rule.fold_if.is_some() && rule.fold.is_none() {
        problems.push("has fold_if without fold".to_owned());
    }
    if rule.fold_if.is_some() && rule.service.is_none() {
        problems.push("has fold_if but no service for when it does not fold".to_owned());
    }

    let services = rule.services();
    for service in &services {
        if catalog.service(service).is_none() {
            problems.push(format!("service {service:?} is not in the catalog"));
        }
    }
    // A resource that only folds acts on its owners: check against their services, or against
    // every service when the owner's type is open.
    let mut owner_types: Vec<&String> = rule.fold.as_ref().map(Owner::types).unwrap_or_default();
    if let Some(join) = &rule.join {
        owner_types.extend(&join.types);
    }
    for owner in &owner_types {
        if !rules.contains_key(owner.as_str()) {
            problems.push(format!("owner type {owner:?} is not in the mapping"));
        }
    }
    let mut acting_on: Vec<&str> = services.clone();
    if rule.fold.is_some() || rule.join.is_some() {
        acting_on
            .extend(owner_types.iter().filter_map(|t| rules.get(t.as_str())).flat_map(TypeRule::services));
    }
    let open = acting_on.is_empty() || rule.fold.as_ref().is_some_and(Owner::is_open);
    let candidates: Vec<&crate::catalog::Service> = if open {
        catalog.services.iter().collect()
    } else {
        acting_on.iter().filter_map(|s| catalog.service(s)).collect()
    };

    let variants = rule
        .variants
        .iter()
        .map(|choice| &choice.variant)
        .chain(&rule.variant)
        .chain(rule.join.as_ref().and_then(|join| join.variant.as_ref()));
    for variant in variants {
        if !candidates.iter().any(|service| service.variant(variant).is_some()) {
            problems.push(format!("variant {variant:?} is not a variant of {}", acting_on.join(" or ")));
        }
    }
    let tasks = rule.checks.iter().map(|check| &check.task).chain(&rule.tls_enforced_by);
    for task in tasks {
        if !candidates.iter().any(|service| service.tasks.iter().any(|t| t.id == *task)) {
            problems.push(format!("task {task:?} is not a task of {}", acting_on.join(" or ")));
        }
    }
    for check in &rule.checks {
        if check.at.as_deref().is_some_and(str::is_empty) {
            problems.push(format!("task {:?}: `at` is empty", check.task));
        }
    }
    if rule.tls_enforced_by.is_some() && rule.protocol.is_empty() {
        problems.push("tls_enforced_by needs a protocol".to_owned());
    }
    let backend_choices = rule.backend.iter().flat_map(|backend| &backend.protocol);
    for choice in rule.protocol.iter().chain(backend_choices).chain(&rule.serves) {
        problems.extend(protocol_problem(choice));
    }
    if let Some(backend) = &rule.backend
        && backend.protocol.is_empty()
    {
        problems.push("backend needs a protocol".to_owned());
    }
    if let Some(Owner::Refs(paths)) = &rule.fold
        && paths.is_empty()
    {
        problems.push("fold: Refs needs at least one path".to_owned());
    }
    if rule.orphan.is_some() && rule.fold.is_none() && rule.link.is_none() {
        problems.push("orphan is for folds and links".to_owned());
    }
    let conds = rule
        .service_if
        .iter()
        .map(|c| &c.when)
        .chain(rule.variants.iter().map(|c| &c.when))
        .chain(rule.checks.iter().map(|c| &c.when))
        .chain(rule.checks.iter().filter_map(|c| c.unless.as_ref()))
        .chain(rule.protocol.iter().map(|c| &c.when))
        .chain(rule.backend.iter().flat_map(|b| b.protocol.iter().map(|c| &c.when)))
        .chain(rule.serves.iter().map(|c| &c.when))
        .chain(&rule.fold_if)
        .chain(&rule.internet_facing)
        .chain(&rule.private)
        .chain(&rule.public_ip);
    for cond in conds {
        if cond.paths().iter().any(|path| path.is_empty()) {
            problems.push("a condition has an empty path".to_owned());
        }
    }
    if rule.public_ip.is_some() && rule.boundary != Some(BoundaryKind::Subnet) {
        problems.push("public_ip is for subnets".to_owned());
    }
    problems
}

/// What is wrong with a protocol choice: a name the protocol table does not know, or an
/// encryption flag where the table already decides (HTTPS is always encrypted, HTTP never).
fn protocol_problem(choice: &ProtocolChoice) -> Option<String> {
    let Some(known) = Protocols::builtin().named(&choice.protocol) else {
        return Some(format!("protocol {:?} is not in the protocol table", choice.protocol));
    };
    match (known.encryption, choice.encrypted) {
        (Encryption::Optional, _) | (_, None) => None,
        (Encryption::Always | Encryption::Never, Some(_)) => Some(format!(
            "protocol {:?}: the protocol table already says whether it is encrypted; drop `encrypted`",
            choice.protocol
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_mapping_parses_and_fits_the_catalog() {
        let types = ResourceTypes::builtin().unwrap();
        let problems = types.problems(Catalog::builtin());
        assert!(problems.is_empty(), "{problems:#?}");
        let (cloudformation, terraform) = types.counts();
        assert!(cloudformation > 150 && terraform > 150, "{cloudformation} {terraform}");
    }

    #[test]
    fn problems_name_unknown_services_variants_tasks_and_owner_types() {
        let text = r#"ResourceTypes(
            cloudformation_parameters: {},
            cloudformation: {
                "AWS::X::Y": (service: "nope"),
                "AWS::S3::Bucket": (service: "s3", variant: "fargate", tls_enforced_by: "nope", checks: [(task: "imdsv2", when: Always)]),
                "AWS::SQS::Queue": (service: "sqs", protocol: [(protocol: "Carrier pigeon"), (protocol: "HTTPS", encrypted: true)]),
                "AWS::S3::BucketPolicy": (fold: Types(["AWS::S3::Missing"])),
                "AWS::Empty::Rule": (),
                "Bad": (skip: "x"),
            },
            terraform: {},
        )"#;
        let problems = ResourceTypes::from_ron(text).unwrap().problems(Catalog::builtin());
        let all = problems.join("\n");
        for expected in [
            "protocol \"Carrier pigeon\" is not in the protocol table",
            "protocol \"HTTPS\": the protocol table already says",
            "\"nope\" is not in the catalog",
            "variant \"fargate\"",
            "task \"imdsv2\"",
            "task \"nope\"",
            "tls_enforced_by needs a protocol",
            "owner type \"AWS::S3::Missing\"",
            "AWS::Empty::Rule: says neither",
            "\"Bad\" is not a resource type name",
        ] {
            assert!(all.contains(expected), "{expected}\n{all}");
        }
    }
}
