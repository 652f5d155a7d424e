//! The project document: what is saved in a `.ron` file.
//!
//! Plain serde structs with human-readable string ids. Nothing here knows petgraph, egui or the
//! catalog; [`crate::view`] builds the analysis view and [`crate::checklist`] the tasks.

pub mod aws;
mod edit;
pub mod fragment;
pub mod geometry;
mod ids;
pub mod index;
pub mod limits;
pub mod ops;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use edit::{Edit, EditError, History, MAX_UNDO};
pub use ids::{IdError, MAX_ID_LEN, MAX_STEM, is_valid_id, slug, unique_id};

/// The version of the file format this build writes.
pub const CURRENT_VERSION: u32 = 2;

/// A whole design: services, flows between them, boundaries around them and the state of the
/// customer's tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The file format version; see [`CURRENT_VERSION`].
    pub version: u32,
    /// A human name for the design.
    #[serde(default)]
    pub name: String,
    /// Free text about the design.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The services and actors on the diagram.
    #[serde(default, deserialize_with = "limits::nodes")]
    pub nodes: Vec<Node>,
    /// Connections between nodes.
    #[serde(default, deserialize_with = "limits::flows")]
    pub flows: Vec<Flow>,
    /// Accounts, regions, VPCs, subnets and other groups of nodes.
    #[serde(default, deserialize_with = "limits::boundaries")]
    pub boundaries: Vec<Boundary>,
    /// What the customer has done about each task, keyed by task key.
    #[serde(default, deserialize_with = "limits::task_states")]
    pub tasks: BTreeMap<String, TaskState>,
    /// The evidence file that goes with the design (findings from Security Hub or Prowler, see
    /// [`crate::evidence`]), relative to the project file; `DESIGN.evidence.json` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Catalog overlays the design uses (its own services, tasks and owners), relative to the
    /// project file, layered in this order; see [`crate::catalog::overlay`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalogs: Vec<String>,
    /// The parties on the customer side: internal teams and external ones (an MSP, a vendor).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    /// The teams that do the customer's part of each layer, for the whole design; boundaries,
    /// nodes and task states may say otherwise (see [`crate::teams`]).
    #[serde(default, skip_serializing_if = "Assignment::is_empty")]
    pub assign: Assignment,
}

/// A party on the customer side of the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Unique among the teams, e.g. `platform`; what assignments and `--team` name.
    pub id: String,
    /// e.g. "Platform team".
    pub name: String,
    /// Inside the organisation or not.
    pub kind: TeamKind,
    /// How to reach it: an address, a channel, a Jira component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Whether a team belongs to the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    /// A team of the organisation.
    Internal,
    /// A managed service provider, a vendor, a contractor.
    External,
}

/// Which team does the customer's part of each layer, at one level (project, boundary, node).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// The team for every layer that `layers` does not name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The team per layer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layers: BTreeMap<crate::responsibility::Layer, String>,
}

impl Assignment {
    /// Whether it assigns nothing.
    pub fn is_empty(&self) -> bool {
        self.team.is_none() && self.layers.is_empty()
    }

    /// The team it gives `layer`, if any.
    pub fn team_for(&self, layer: crate::responsibility::Layer) -> Option<&str> {
        self.layers.get(&layer).or(self.team.as_ref()).map(String::as_str)
    }

    /// Every team id it names.
    pub fn team_ids(&self) -> impl Iterator<Item = &str> {
        self.team.iter().chain(self.layers.values()).map(String::as_str)
    }
}

impl Default for Project {
    fn default() -> Self {
        Self {
            version: CURRENT_VERSION,
            name: String::new(),
            description: String::new(),
            nodes: Vec::new(),
            flows: Vec::new(),
            boundaries: Vec::new(),
            tasks: BTreeMap::new(),
            evidence: None,
            catalogs: Vec::new(),
            teams: Vec::new(),
            assign: Assignment::default(),
        }
    }
}

/// A point on the canvas, in scene units (points at 100% zoom). Written `Pos(x, y)` in files.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pos {
    /// Left to right.
    pub x: f32,
    /// Top to bottom.
    pub y: f32,
}

impl Pos {
    /// A point.
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// Whether both coordinates are finite numbers.
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// A rectangle on the canvas, in scene units. Written `Rect(x, y, w, h)` in files.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Whether all four numbers are finite and the size is not negative.
    pub fn is_valid(self) -> bool {
        [self.x, self.y, self.w, self.h].iter().all(|v| v.is_finite()) && self.w >= 0.0 && self.h >= 0.0
    }

    /// Whether `pos` lies inside (edges included).
    pub fn contains(self, pos: Pos) -> bool {
        pos.x >= self.x && pos.y >= self.y && pos.x <= self.x + self.w && pos.y <= self.y + self.h
    }

    /// Whether `other` lies entirely inside.
    pub fn contains_rect(self, other: Self) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }
}

// Points and rectangles are tuple structs in files, so each sits on one line and a moved node
// changes one line of the file.
impl Serialize for Pos {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTupleStruct as _;
        let mut tuple = serializer.serialize_tuple_struct("Pos", 2)?;
        tuple.serialize_field(&self.x)?;
        tuple.serialize_field(&self.y)?;
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Pos {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "Pos")]
        struct Tuple(f32, f32);
        let Tuple(x, y) = Tuple::deserialize(deserializer)?;
        Ok(Self { x, y })
    }
}

impl Serialize for Rect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTupleStruct as _;
        let mut tuple = serializer.serialize_tuple_struct("Rect", 4)?;
        for value in [self.x, self.y, self.w, self.h] {
            tuple.serialize_field(&value)?;
        }
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Rect {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "Rect")]
        struct Tuple(f32, f32, f32, f32);
        let Tuple(x, y, w, h) = Tuple::deserialize(deserializer)?;
        Ok(Self { x, y, w, h })
    }
}

/// How sensitive the data a node holds or handles is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    /// Meant for anyone.
    Public,
    /// Internal to the organisation (the default).
    #[default]
    Internal,
    /// Harm if disclosed: customer records, business secrets.
    Confidential,
    /// Regulated or severe harm if disclosed: payment cards, health, credentials.
    Restricted,
}

impl DataClass {
    /// Every class, least sensitive first.
    pub const ALL: [Self; 4] = [Self::Public, Self::Internal, Self::Confidential, Self::Restricted];

    /// The id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Internal => "internal",
            Self::Confidential => "confidential",
            Self::Restricted => "restricted",
        }
    }

    /// Confidential or restricted.
    pub fn is_sensitive(self) -> bool {
        matches!(self, Self::Confidential | Self::Restricted)
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_internal(class: &DataClass) -> bool {
    *class == DataClass::Internal
}

/// One AWS service (or actor) on the diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Unique in the project; see [`is_valid_id`].
    pub id: String,
    /// A service id from the catalog, e.g. `ec2`.
    pub service: String,
    /// A deployment variant of the service, e.g. `fargate` for ECS; the catalog's default when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// What people call it, e.g. "Orders database".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Where it is on the canvas; laid out automatically when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Pos>,
    /// How sensitive its data is.
    #[serde(default, skip_serializing_if = "is_internal")]
    pub data: DataClass,
    /// Reachable from the internet directly (public endpoint or address).
    #[serde(default, skip_serializing_if = "is_false")]
    pub internet_facing: bool,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The AWS resources the node stands for, to place scanner findings on it: ARNs
    /// (`arn:aws:s3:::orders`), resource ids or names (`i-0abc`, `orders`), or patterns with `*`
    /// (`arn:aws:s3:::orders-*`). See [`crate::evidence`].
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "limits::resources")]
    pub resources: Vec<String>,
    /// The teams for this node's layers, over those of its boundaries and the project.
    #[serde(default, skip_serializing_if = "Assignment::is_empty")]
    pub assign: Assignment,
}

impl Node {
    /// A node of `service` with no position, label or notes.
    pub fn new(id: impl Into<String>, service: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            service: service.into(),
            variant: None,
            label: String::new(),
            position: None,
            data: DataClass::default(),
            internet_facing: false,
            notes: String::new(),
            resources: Vec::new(),
            assign: Assignment::default(),
        }
    }

    /// The label, or the id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.is_empty() { &self.id } else { &self.label }
    }
}

/// A flow of data or requests from one node to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Unique in the project.
    pub id: String,
    /// The node that starts the connection.
    pub from: String,
    /// The node that receives it.
    pub to: String,
    /// e.g. "HTTPS", "PostgreSQL", "SQS API".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// Whether the traffic is encrypted (TLS, VPN), as the user or the importer stated it;
    /// when absent, the protocol decides ([`crate::protocol::flow_encryption`]). Written as a
    /// bare `true` or `false`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "bare_option")]
    pub encrypted_in_transit: Option<bool>,
    /// Shown on the arrow.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// An optional value written bare (`true`, not `Some(true)`) and left out when absent.
mod bare_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `true`, and `Some(true)` as older files and hand-written ones may say.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<T>::deserialize(deserializer)
    }
}

impl Flow {
    /// A flow with no protocol, label or stated encryption.
    pub fn new(id: impl Into<String>, from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            protocol: String::new(),
            encrypted_in_transit: None,
            label: String::new(),
        }
    }
}

/// What a boundary stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    /// An AWS account.
    Account,
    /// An AWS Region.
    Region,
    /// A virtual private cloud.
    Vpc,
    /// An Availability Zone.
    AvailabilityZone,
    /// A subnet.
    Subnet,
    /// A security group.
    SecurityGroup,
    /// Any other trust boundary.
    #[default]
    Generic,
}

impl BoundaryKind {
    /// Every kind, outermost first.
    pub const ALL: [Self; 7] = [
        Self::Account,
        Self::Region,
        Self::Vpc,
        Self::AvailabilityZone,
        Self::Subnet,
        Self::SecurityGroup,
        Self::Generic,
    ];

    /// The id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Region => "region",
            Self::Vpc => "vpc",
            Self::AvailabilityZone => "availability_zone",
            Self::Subnet => "subnet",
            Self::SecurityGroup => "security_group",
            Self::Generic => "generic",
        }
    }

    /// The kind in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Account => "Account",
            Self::Region => "Region",
            Self::Vpc => "VPC",
            Self::AvailabilityZone => "Availability Zone",
            Self::Subnet => "Subnet",
            Self::SecurityGroup => "Security group",
            Self::Generic => "Boundary",
        }
    }
}

/// A group of nodes: an account, a VPC, a subnet...
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    /// Unique in the project.
    pub id: String,
    /// What it stands for.
    pub kind: BoundaryKind,
    /// Shown on its frame.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The ids of the nodes directly inside it.
    #[serde(default, deserialize_with = "limits::members")]
    pub members: Vec<String>,
    /// The boundary it sits in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its frame on the canvas; fitted around its members when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect: Option<Rect>,
    /// For an account boundary: the 12-digit AWS account id, to place findings of that account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// For a region boundary: the Region code, e.g. `eu-west-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The teams for the layers of everything inside, over those of enclosing boundaries and
    /// the project.
    #[serde(default, skip_serializing_if = "Assignment::is_empty")]
    pub assign: Assignment,
}

impl Boundary {
    /// An empty boundary with no parent and no frame.
    pub fn new(id: impl Into<String>, kind: BoundaryKind) -> Self {
        Self {
            id: id.into(),
            kind,
            label: String::new(),
            members: Vec::new(),
            parent: None,
            rect: None,
            account_id: None,
            region: None,
            assign: Assignment::default(),
        }
    }

    /// The label, or the id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.is_empty() { &self.id } else { &self.label }
    }
}

/// Where the customer stands on one task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Nothing done yet.
    #[default]
    Open,
    /// Someone is on it.
    InProgress,
    /// Done.
    Done,
    /// Not done on purpose; the risk is accepted (say why in the note).
    AcceptedRisk,
    /// Does not apply to this design (say why in the note).
    NotApplicable,
}

impl TaskStatus {
    /// Every status, in workflow order.
    pub const ALL: [Self; 5] =
        [Self::Open, Self::InProgress, Self::Done, Self::AcceptedRisk, Self::NotApplicable];

    /// The id used in files.
    pub fn id(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::AcceptedRisk => "accepted_risk",
            Self::NotApplicable => "not_applicable",
        }
    }

    /// The status in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::AcceptedRisk => "Accepted risk",
            Self::NotApplicable => "Not applicable",
        }
    }

    /// Open and in-progress tasks are remaining; done, accepted or not applicable are not.
    pub fn is_remaining(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

/// The customer's record of one task: status, note, ticket and when it last changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskState {
    /// Where the task stands.
    #[serde(default)]
    pub status: TaskStatus,
    /// Why, how, or what is left.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// An issue tracker reference, e.g. "SEC-142".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ticket: String,
    /// The day it last changed, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The team that does this task, over the one its layer is assigned to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

impl TaskState {
    /// Whether this state carries nothing worth saving (open, no note, no ticket, no team).
    pub fn is_blank(&self) -> bool {
        self.status == TaskStatus::Open
            && self.note.is_empty()
            && self.ticket.is_empty()
            && self.team.is_none()
    }
}

impl Project {
    /// An empty project with a name.
    pub fn named(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// The node with `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }

    /// The node with `id`, mutable.
    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|node| node.id == id)
    }

    /// The flow with `id`.
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|flow| flow.id == id)
    }

    /// The boundary with `id`.
    pub fn boundary(&self, id: &str) -> Option<&Boundary> {
        self.boundaries.iter().find(|boundary| boundary.id == id)
    }

    /// Whether any node, flow or boundary uses `id`.
    pub fn has_id(&self, id: &str) -> bool {
        self.node(id).is_some() || self.flow(id).is_some() || self.boundary(id).is_some()
    }

    /// A fresh id from `stem` that no node, flow or boundary uses: `stem`, `stem-2`, ...
    pub fn unique_id(&self, stem: &str) -> String {
        unique_id(stem, |candidate| self.has_id(candidate))
    }

    /// Puts the document in canonical order: everything sorted by id, members sorted and
    /// deduplicated, blank task states dropped. Saving and `whoowns fmt` write this form.
    pub fn normalize(&mut self) {
        self.nodes.sort_by(|a, b| a.id.cmp(&b.id));
        self.flows.sort_by(|a, b| a.id.cmp(&b.id));
        self.boundaries.sort_by(|a, b| a.id.cmp(&b.id));
        for boundary in &mut self.boundaries {
            boundary.members.sort();
            boundary.members.dedup();
        }
        self.tasks.retain(|_, state| !state.is_blank() || state.updated.is_some());
    }

    /// How many ancestors a boundary has (0 for a top-level one). Stops at cycles.
    pub fn boundary_depth(&self, id: &str) -> usize {
        let mut depth = 0;
        let mut current = self.boundary(id).and_then(|b| b.parent.as_deref());
        while let Some(parent) = current {
            depth += 1;
            if depth > self.boundaries.len() {
                break;
            }
            current = self.boundary(parent).and_then(|b| b.parent.as_deref());
        }
        depth
    }
}
