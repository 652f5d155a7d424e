//! The vocabulary of the Shared Responsibility Model: the 16 security [`Layer`]s, their
//! [`Owner`]s, the owners of every layer of one node ([`LayerOwners`]) and the project-wide
//! [`ProjectSummary`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One security layer, from the data centre (physical) to compliance.
///
/// The order of the variants is the order of the stack, physical first; [`Layer::ALL`] lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Data centres, physical access, power, cooling.
    Physical,
    /// Servers, storage devices, Regions, Availability Zones, edge locations.
    Hardware,
    /// The AWS backbone and physical network devices.
    NetworkInfrastructure,
    /// The hypervisor and tenant isolation.
    Virtualization,
    /// The operating system of the physical hosts.
    HostOs,
    /// The operating system inside instances, nodes, desktops and notebooks.
    GuestOs,
    /// Language runtimes, database engines, container platforms.
    Runtime,
    /// The customer's code and its dependencies.
    Application,
    /// VPCs, subnets, security groups, public endpoints.
    NetworkConfig,
    /// IAM identities, policies, resource policies, credentials.
    IdentityAccess,
    /// What data goes where and how sensitive it is.
    Data,
    /// Server-side encryption and key management.
    EncryptionAtRest,
    /// TLS on endpoints and between services.
    EncryptionInTransit,
    /// Backups, versioning, Multi-AZ, deletion protection.
    Backup,
    /// Logs, monitoring, detection and response to findings.
    Logging,
    /// Secure configuration, inventory, evidence for auditors.
    Compliance,
}

impl Layer {
    /// Every layer, physical first.
    pub const ALL: [Self; 16] = [
        Self::Physical,
        Self::Hardware,
        Self::NetworkInfrastructure,
        Self::Virtualization,
        Self::HostOs,
        Self::GuestOs,
        Self::Runtime,
        Self::Application,
        Self::NetworkConfig,
        Self::IdentityAccess,
        Self::Data,
        Self::EncryptionAtRest,
        Self::EncryptionInTransit,
        Self::Backup,
        Self::Logging,
        Self::Compliance,
    ];

    /// The position of the layer in [`Layer::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The id used in files and on the command line, e.g. `guest_os`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Hardware => "hardware",
            Self::NetworkInfrastructure => "network_infrastructure",
            Self::Virtualization => "virtualization",
            Self::HostOs => "host_os",
            Self::GuestOs => "guest_os",
            Self::Runtime => "runtime",
            Self::Application => "application",
            Self::NetworkConfig => "network_config",
            Self::IdentityAccess => "identity_access",
            Self::Data => "data",
            Self::EncryptionAtRest => "encryption_at_rest",
            Self::EncryptionInTransit => "encryption_in_transit",
            Self::Backup => "backup",
            Self::Logging => "logging",
            Self::Compliance => "compliance",
        }
    }

    /// The layer with this id, if any.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|layer| layer.id() == id)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Who is responsible for a layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// AWS does it; the customer has nothing to do.
    Aws,
    /// The customer does it.
    Customer,
    /// AWS runs the mechanism, the customer still decides or acts.
    Shared,
    /// The layer does not exist for this service as the customer sees it.
    #[default]
    NotApplicable,
}

impl Owner {
    /// Every owner, in legend order.
    pub const ALL: [Self; 4] = [Self::Aws, Self::Customer, Self::Shared, Self::NotApplicable];

    /// The id used in files, e.g. `not_applicable`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::Customer => "customer",
            Self::Shared => "shared",
            Self::NotApplicable => "not_applicable",
        }
    }

    /// The owner in words, for people: "AWS", "Customer", "Shared", "Not applicable".
    pub fn name(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Customer => "Customer",
            Self::Shared => "Shared",
            Self::NotApplicable => "Not applicable",
        }
    }

    /// One letter for tables and black-and-white print: A, C, S or -.
    pub fn letter(self) -> char {
        match self {
            Self::Aws => 'A',
            Self::Customer => 'C',
            Self::Shared => 'S',
            Self::NotApplicable => '-',
        }
    }

    /// Whether the customer has work to do on a layer with this owner.
    pub fn involves_customer(self) -> bool {
        matches!(self, Self::Customer | Self::Shared)
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The owner of each of the 16 layers of one service (or one node).
///
/// Serialized as a map from layer id to owner that must name every layer exactly once, so a
/// catalog entry that forgets a layer fails to load with the name of the missing layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayerOwners([Owner; 16]);

impl LayerOwners {
    /// All layers owned by `owner`.
    pub fn uniform(owner: Owner) -> Self {
        Self([owner; 16])
    }

    /// The owner of `layer`.
    pub fn get(&self, layer: Layer) -> Owner {
        self.0[layer.index()]
    }

    /// Sets the owner of `layer`.
    pub fn set(&mut self, layer: Layer, owner: Owner) {
        self.0[layer.index()] = owner;
    }

    /// The layers and their owners, physical first.
    pub fn iter(&self) -> impl Iterator<Item = (Layer, Owner)> + '_ {
        Layer::ALL.into_iter().map(|layer| (layer, self.get(layer)))
    }

    /// These owners with `overrides` applied on top.
    pub fn with_overrides(mut self, overrides: &BTreeMap<Layer, Owner>) -> Self {
        for (&layer, &owner) in overrides {
            self.set(layer, owner);
        }
        self
    }
}

impl Serialize for LayerOwners {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(16))?;
        for (layer, owner) in self.iter() {
            map.serialize_entry(&layer, &owner)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for LayerOwners {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<Layer, Owner>::deserialize(deserializer)?;
        let mut owners = Self::uniform(Owner::NotApplicable);
        let missing: Vec<&str> =
            Layer::ALL.into_iter().filter(|layer| !map.contains_key(layer)).map(Layer::id).collect();
        if !missing.is_empty() {
            return Err(serde::de::Error::custom(format!(
                "the owners must name all 16 layers; missing: {}",
                missing.join(", ")
            )));
        }
        for (layer, owner) in map {
            owners.set(layer, owner);
        }
        Ok(owners)
    }
}

/// How many nodes of a project have each owner, for one layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OwnerCounts {
    /// Nodes where AWS owns the layer.
    pub aws: usize,
    /// Nodes where the customer owns the layer.
    pub customer: usize,
    /// Nodes where the layer is shared.
    pub shared: usize,
    /// Nodes where the layer does not apply.
    pub not_applicable: usize,
}

impl OwnerCounts {
    /// Counts one more node with `owner`.
    pub fn add(&mut self, owner: Owner) {
        *self.get_mut(owner) += 1;
    }

    /// The count for `owner`.
    pub fn get(&self, owner: Owner) -> usize {
        match owner {
            Owner::Aws => self.aws,
            Owner::Customer => self.customer,
            Owner::Shared => self.shared,
            Owner::NotApplicable => self.not_applicable,
        }
    }

    fn get_mut(&mut self, owner: Owner) -> &mut usize {
        match owner {
            Owner::Aws => &mut self.aws,
            Owner::Customer => &mut self.customer,
            Owner::Shared => &mut self.shared,
            Owner::NotApplicable => &mut self.not_applicable,
        }
    }

    /// The number of nodes counted.
    pub fn total(&self) -> usize {
        self.aws + self.customer + self.shared + self.not_applicable
    }
}

/// For each layer, how many of the project's AWS services AWS, the customer or both own it for.
/// Actors (internet, users, on-premises) are not counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectSummary {
    /// Indexed by [`Layer::index`].
    pub layers: [OwnerCounts; 16],
    /// The number of AWS services counted.
    pub services: usize,
}

impl ProjectSummary {
    /// Adds one service's owners to the summary.
    pub fn add(&mut self, owners: &LayerOwners) {
        self.services += 1;
        for (layer, owner) in owners.iter() {
            self.layers[layer.index()].add(owner);
        }
    }

    /// The counts for `layer`.
    pub fn counts(&self, layer: Layer) -> &OwnerCounts {
        &self.layers[layer.index()]
    }
}

impl Serialize for ProjectSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(16))?;
        for layer in Layer::ALL {
            map.serialize_entry(&layer, self.counts(layer))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_ids_round_trip_in_stack_order() {
        for (index, layer) in Layer::ALL.into_iter().enumerate() {
            assert_eq!(layer.index(), index);
            assert_eq!(Layer::from_id(layer.id()), Some(layer));
        }
        assert_eq!(Layer::ALL[0], Layer::Physical);
        assert_eq!(Layer::ALL[15], Layer::Compliance);
    }

    #[test]
    fn owners_map_must_name_every_layer() {
        let text = "{physical: aws, hardware: aws}";
        let error = ron::from_str::<LayerOwners>(text).unwrap_err().to_string();
        assert!(error.contains("missing: network_infrastructure"), "{error}");
    }

    #[test]
    fn owners_round_trip_through_ron() {
        let mut owners = LayerOwners::uniform(Owner::Aws);
        owners.set(Layer::Data, Owner::Customer);
        let text = ron::to_string(&owners).unwrap();
        assert_eq!(ron::from_str::<LayerOwners>(&text).unwrap(), owners);
    }

    #[test]
    fn shared_and_customer_involve_the_customer() {
        assert!(Owner::Customer.involves_customer());
        assert!(Owner::Shared.involves_customer());
        assert!(!Owner::Aws.involves_customer());
        assert!(!Owner::NotApplicable.involves_customer());
    }
}
