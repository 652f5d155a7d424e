//! The service catalog: AWS services, who owns each of their layers, their deployment variants
//! and the customer's task templates. It is data, in `assets/catalog.ron`, embedded in the
//! binary and validated when loaded.

mod category;
pub mod overlay;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::responsibility::{Layer, LayerOwners, Owner};

pub use category::Category;
pub use validate::{CatalogError, is_control_id};

/// The catalog shipped in the binary, as RON text.
pub const BUILTIN_CATALOG: &str = include_str!("../../assets/catalog.ron");

/// How much of the stack AWS runs, after AWS's own service models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceModel {
    /// The customer runs the guest OS and up (EC2).
    Infrastructure,
    /// AWS runs the OS and platform; the customer configures it (RDS, Beanstalk).
    Container,
    /// AWS runs everything but data, access and settings (S3, DynamoDB, Lambda).
    Abstracted,
    /// A managed application or operations service (WorkSpaces, Managed Services).
    Saas,
    /// Not an AWS service.
    External,
}

impl ServiceModel {
    /// The model in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Infrastructure => "Infrastructure service",
            Self::Container => "Container service",
            Self::Abstracted => "Abstracted service",
            Self::Saas => "Managed (SaaS) service",
            Self::External => "Outside AWS",
        }
    }
}

/// What a service is on a path from an untrusted source to the customer's data: the facts the
/// graph rules look at. A node's traits are its variant's when the variant sets them (an NLB is
/// not a front door, an ALB is), its service's otherwise; see [`Service::traits_for`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trait {
    /// Holds customer data at rest whose exposure is a data breach: buckets, volumes, file
    /// systems, databases, caches, search domains, and streams that keep records for replay (MSK,
    /// Kinesis Data Streams). Message buffers that hand data on and delete it (SQS, SNS, Amazon
    /// MQ, EventBridge, Data Firehose) are not stores. On a path: the end whose reachability from
    /// an untrusted source is the strongest finding.
    DataStore,
    /// Terminates client connections and can take a web filter (AWS WAF): CloudFront, Application
    /// Load Balancers, API Gateway REST APIs, AppSync, App Runner. On a path: what sits behind it
    /// is not directly exposed, and the front door itself should have a web filter upstream.
    /// Edges that cannot take a WAF (Network, Gateway and Classic Load Balancers, API Gateway HTTP
    /// and WebSocket APIs) are variants without this trait: what they forward to counts as
    /// reachable from the source. Cognito user pools take a WAF but are not on a traffic path.
    FrontDoor,
    /// Filters web requests for a front door it is attached to (AWS WAF). On a path: not a hop
    /// that stops reachability; a web filter that feeds a front door satisfies that front door's
    /// need for one. Shield Advanced is DDoS protection, not a web filter, and has no trait.
    WebFilter,
    /// An authenticated access point that ends an untrusted path: users sign in to it and work
    /// from it, so what they reach beyond it is not exposed to the internet (WorkSpaces, AppStream,
    /// Client VPN, Transfer Family, Systems Manager Session Manager).
    AccessPoint,
    /// Runs customer code that is reachable over the network (EC2, containers, Lambda, Beanstalk,
    /// Batch, App Runner, EMR, SageMaker endpoints). On a path: exposed compute without a front
    /// door is where an exposure finding belongs.
    Compute,
    /// An untrusted origin of traffic: the internet and end users.
    UntrustedSource,
    /// The customer's own data centre: a flow to or from it leaves AWS, whatever boundaries are
    /// drawn.
    OnPremises,
    /// Records API activity for the account (CloudTrail).
    AuditTrail,
}

/// How much a task matters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Good hygiene.
    Low,
    /// Worth doing soon.
    #[default]
    Medium,
    /// A real exposure.
    High,
    /// An exposure that is exploited in practice.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Self; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The id used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The severity in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
            Self::Critical => "Critical",
        }
    }
}

/// The display name and description of a layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerInfo {
    /// Which layer.
    pub id: Layer,
    /// e.g. "Guest OS and patching".
    pub name: String,
    /// One line on what it covers.
    pub description: String,
}

/// The display name and glyph colour of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    /// Which category.
    pub id: Category,
    /// e.g. "Compute".
    pub name: String,
    /// The AWS category colour, `#RRGGBB`.
    pub colour: String,
}

/// One thing the customer should do, as the catalog describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskTemplate {
    /// Stable within its service (or the account or rule list): task keys are built from it.
    pub id: String,
    /// What to do, in the imperative.
    pub title: String,
    /// The layer the task belongs to.
    pub layer: Layer,
    /// How much it matters: the highest severity of its Security Hub controls.
    pub severity: Severity,
    /// Security Hub control ids that verify it, e.g. `EC2.8`.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Why the task stands without a Security Hub control, and on what it rests, e.g. "no
    /// Security Hub control; WorkSpaces admin guide, update management". Required when
    /// `controls` is empty.
    #[serde(default)]
    pub basis: String,
    /// CIS AWS Foundations Benchmark v3.0.0 numbers.
    #[serde(default)]
    pub cis_v3: Vec<String>,
    /// CIS AWS Foundations Benchmark v5.0.0 numbers.
    #[serde(default)]
    pub cis_v5: Vec<String>,
    /// Prowler check ids.
    #[serde(default)]
    pub prowler: Vec<String>,
    /// The variants the task applies to; every variant when empty.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Account tasks only: the task is derived for an account when the account holds a node of
    /// one of these services (EBS default encryption only where EBS-backed services run); always
    /// when empty.
    #[serde(default)]
    pub services: Vec<String>,
    /// The graph rule (by id) whose concern this task already covers: a finding of that rule
    /// on the node adds to this task instead of raising a second one (see docs/rules.md).
    #[serde(default)]
    pub fulfils: Option<String>,
}

impl TaskTemplate {
    /// Whether an account task applies to an account that holds nodes of `services`.
    pub fn applies_to_account<'a>(&self, mut services: impl Iterator<Item = &'a str>) -> bool {
        self.services.is_empty() || services.any(|id| self.services.iter().any(|s| s == id))
    }
}

/// A deployment option that changes who owns some layers, e.g. ECS on Fargate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// e.g. `fargate`.
    pub id: String,
    /// e.g. "Fargate launch type".
    pub name: String,
    /// The layers whose owner differs from the service's base owners.
    #[serde(default)]
    pub owners: BTreeMap<Layer, Owner>,
    /// The variant's traits, replacing the service's when set (an NLB is not a front door).
    #[serde(default)]
    pub traits: Option<Vec<Trait>>,
    /// The variant runs on hardware at the customer's site (Outposts, ECS Anywhere, EKS hybrid
    /// nodes), so some of the physical, hardware, network infrastructure, virtualization and
    /// host OS layers are not AWS's. Only such variants may move those layers off AWS.
    #[serde(default)]
    pub customer_site: bool,
}

/// One AWS service, or an actor such as the internet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// e.g. `ec2`.
    pub id: String,
    /// e.g. "Amazon EC2".
    pub name: String,
    /// The glyph text, 1 to 4 characters, e.g. "EC2".
    pub short: String,
    /// Palette group and glyph colour.
    pub category: Category,
    /// How much of the stack AWS runs.
    pub model: ServiceModel,
    /// What the graph rules need to know about it.
    #[serde(default)]
    pub traits: Vec<Trait>,
    /// What to do when it is reached straight from the internet, for data stores with advice
    /// of their own ("serve it through CloudFront with origin access control").
    #[serde(default)]
    pub exposure_advice: Option<String>,
    /// One line on what the customer is left with.
    pub summary: String,
    /// The owner of each layer, before any variant.
    pub owners: LayerOwners,
    /// The variant used when a node names none.
    #[serde(default)]
    pub default_variant: Option<String>,
    /// Deployment options that change ownership.
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// The customer's tasks on this service.
    #[serde(default)]
    pub tasks: Vec<TaskTemplate>,
    /// The overlay that added the service (as the project names it, or its path); `None` for
    /// the built-in catalog's services. Not part of the file.
    #[serde(skip)]
    pub origin: Option<String>,
}

impl Service {
    /// Whether the service has `t`, before any variant (see [`Service::has_in`]).
    pub fn has(&self, t: Trait) -> bool {
        self.traits.contains(&t)
    }

    /// The traits of a node in `variant`: the variant's when it sets them, the service's
    /// otherwise.
    pub fn traits_for<'a>(&'a self, variant: Option<&'a Variant>) -> &'a [Trait] {
        variant.and_then(|variant| variant.traits.as_deref()).unwrap_or(&self.traits)
    }

    /// Whether a node in `variant` has `t`.
    pub fn has_in(&self, variant: Option<&Variant>, t: Trait) -> bool {
        self.traits_for(variant).contains(&t)
    }

    /// Whether a node of this service in `variant` (the default when `None`) has `t`.
    pub fn has_trait(&self, t: Trait, variant: Option<&str>) -> bool {
        match self.effective_variant(variant).and_then(|v| v.traits.as_ref()) {
            Some(traits) => traits.contains(&t),
            None => self.traits.contains(&t),
        }
    }

    /// Whether this is an actor (internet, users, on-premises) rather than an AWS service.
    pub fn is_actor(&self) -> bool {
        self.category.is_external()
    }

    /// The variant with `id`.
    pub fn variant(&self, id: &str) -> Option<&Variant> {
        self.variants.iter().find(|variant| variant.id == id)
    }

    /// The variant in effect for a node that names `chosen` (or none).
    pub fn effective_variant(&self, chosen: Option<&str>) -> Option<&Variant> {
        chosen.or(self.default_variant.as_deref()).and_then(|id| self.variant(id))
    }

    /// The owners of every layer with `variant` applied.
    pub fn owners_for(&self, variant: Option<&Variant>) -> LayerOwners {
        match variant {
            Some(variant) => self.owners.with_overrides(&variant.owners),
            None => self.owners,
        }
    }

    /// Whether `template` applies to `variant`.
    pub fn template_applies(template: &TaskTemplate, variant: Option<&Variant>) -> bool {
        template.variants.is_empty() || variant.is_some_and(|variant| template.variants.contains(&variant.id))
    }
}

/// A task template that was removed, renamed or moved, so that states recorded under its old
/// key can be carried to the new one. A template split in two has one record per new template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredTask {
    /// The service the template belonged to, or `account` for an account task.
    pub service: String,
    /// The template's old id.
    pub task: String,
    /// Where it went: `account/<id>` or `<service>/<id>`; `None` when it was dropped.
    #[serde(default)]
    pub moved_to: Option<String>,
    /// Why, in words.
    pub reason: String,
}

/// The whole catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The 16 layers, physical first.
    pub layers: Vec<LayerInfo>,
    /// The categories, in palette order.
    pub categories: Vec<CategoryInfo>,
    /// Tasks for the whole account, derived once per account that holds any AWS service (and,
    /// for a template with `services`, a node of one of them).
    pub account_tasks: Vec<TaskTemplate>,
    /// The templates of tasks raised by graph rules; ids are rule ids.
    pub rule_tasks: Vec<TaskTemplate>,
    /// Services and actors.
    pub services: Vec<Service>,
    /// Templates that no longer exist under their old key, and where they went.
    #[serde(default)]
    pub retired: Vec<RetiredTask>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// The overlays layered on the built-in catalog, in order (see [`overlay`]).
    #[serde(skip)]
    layering: Vec<overlay::Applied>,
    /// The project overlays that were named but not found.
    #[serde(skip)]
    missing: Vec<overlay::Missing>,
}

impl Catalog {
    /// Parses and validates a catalog.
    pub fn from_ron(text: &str) -> Result<Self, CatalogError> {
        let mut catalog: Self =
            ron::from_str(text).map_err(|error| CatalogError::Syntax(error.to_string()))?;
        catalog.reindex();
        let problems = validate::problems(&catalog);
        if problems.is_empty() { Ok(catalog) } else { Err(CatalogError::Invalid(problems)) }
    }

    /// The catalog shipped in the binary. Its validity is checked by the test suite.
    pub fn builtin() -> &'static Self {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| match Self::from_ron(BUILTIN_CATALOG) {
            Ok(catalog) => catalog,
            // The embedded catalog is fixed at build time and checked by the tests, so this arm
            // is unreachable in a released binary.
            #[expect(clippy::panic, reason = "the embedded catalog is validated by the tests")]
            Err(error) => panic!("the built-in catalog is invalid: {error}"),
        })
    }

    /// Rebuilds the id → service lookup after services were added.
    fn reindex(&mut self) {
        self.index = self.services.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    }

    /// The service with `id`.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.index.get(id).and_then(|&i| self.services.get(i))
    }

    /// Where states recorded under an old template went: the retired records of `task` in
    /// `scope` (a service id, or `account`), one per new template (none if it still exists).
    pub fn retired_records(&self, scope: &str, task: &str) -> impl Iterator<Item = &RetiredTask> {
        self.retired.iter().filter(move |r| r.service == scope && r.task == task)
    }

    /// The name and description of `layer`.
    pub fn layer(&self, layer: Layer) -> &LayerInfo {
        // Validation guarantees one entry per layer in stack order.
        &self.layers[layer.index()]
    }

    /// The name and colour of `category`.
    pub fn category(&self, category: Category) -> Option<&CategoryInfo> {
        self.categories.iter().find(|info| info.id == category)
    }

    /// The id of the service whose id is closest to `id`, for "did you mean" hints.
    pub fn closest_service(&self, id: &str) -> Option<&str> {
        closest(id, self.services.iter().map(|s| s.id.as_str()))
    }
}

/// The candidate within a small edit distance of `word`, if any.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= (candidate.len() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        let ids = ["ec2", "s3", "lambda", "dynamodb"];
        assert_eq!(closest("ec3", ids.into_iter()), Some("ec2"));
        assert_eq!(closest("lamda", ids.into_iter()), Some("lambda"));
        assert_eq!(closest("kubernetes", ids.into_iter()), None);
    }
}
