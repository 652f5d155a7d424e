//! Categories: the built-in ones (compute, storage, ...) and those a catalog overlay adds
//! (`internal_platform`, `saas`). A category is its snake_case id, interned so it stays a small
//! `Copy` value that compares and hashes like the enum it replaced.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What kind of thing a service is, for grouping in the palette and colouring its glyph: an id
/// from the catalog's `categories`, written bare in RON files (`category: compute`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Category(&'static str);

impl Category {
    /// EC2, Lambda, containers.
    pub const COMPUTE: Self = Self("compute");
    /// S3, EBS, EFS.
    pub const STORAGE: Self = Self("storage");
    /// RDS, DynamoDB, caches, warehouses.
    pub const DATABASE: Self = Self("database");
    /// VPC, load balancers, CDN, DNS, API gateways.
    pub const NETWORKING: Self = Self("networking");
    /// IAM, KMS, WAF, detection services.
    pub const SECURITY: Self = Self("security");
    /// Logging, monitoring, configuration, operations.
    pub const MANAGEMENT: Self = Self("management");
    /// Queues, topics, streams, workflows.
    pub const INTEGRATION: Self = Self("integration");
    /// Query, ETL and search services.
    pub const ANALYTICS: Self = Self("analytics");
    /// Machine learning.
    pub const ML: Self = Self("ml");
    /// Desktops and end-user computing.
    pub const END_USER: Self = Self("end_user");
    /// Source repositories, builds and pipelines.
    pub const DEVELOPER_TOOLS: Self = Self("developer_tools");
    /// Not an AWS service: the internet, users, on-premises systems.
    pub const EXTERNAL: Self = Self("external");

    /// The category with id `id`. Ids are interned: each distinct id is stored once for the life
    /// of the process (catalogs hold a handful).
    pub fn new(id: &str) -> Self {
        static INTERNED: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
        let interned = INTERNED.get_or_init(Mutex::default);
        let mut set = match interned.lock() {
            Ok(set) => set,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(&known) = set.get(id) {
            return Self(known);
        }
        let leaked: &'static str = Box::leak(id.to_owned().into_boxed_str());
        set.insert(leaked);
        Self(leaked)
    }

    /// The id used in files, e.g. `compute`.
    pub fn id(self) -> &'static str {
        self.0
    }

    /// Whether this is the category of actors outside AWS.
    pub fn is_external(self) -> bool {
        self == Self::EXTERNAL
    }
}

impl fmt::Debug for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

// Written like the unit variant of an enum (`compute` in RON, `"compute"` in JSON), as before.
impl Serialize for Category {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("Category", 0, self.0)
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Category;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a category id such as `compute`")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<Category, E> {
                Ok(Category::new(id))
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Category, A::Error> {
                use serde::de::VariantAccess as _;
                let (Identifier(id), variant) = data.variant()?;
                variant.unit_variant()?;
                Ok(Category::new(&id))
            }
        }
        deserializer.deserialize_enum("Category", &[], Visitor)
    }
}

/// A variant name, read as an identifier (a bare word in RON).
struct Identifier(String);

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Identifier;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a category id such as `compute`")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<Identifier, E> {
                Ok(Identifier(id.to_owned()))
            }
        }
        deserializer.deserialize_identifier(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_read_and_write_as_bare_ids() {
        let category: Category = ron::from_str("compute").unwrap();
        assert_eq!(category, Category::COMPUTE);
        assert_eq!(ron::to_string(&category).unwrap(), "compute");
        let custom: Category = ron::from_str("internal_platform").unwrap();
        assert_eq!(custom, Category::new("internal_platform"));
        assert_eq!(custom.id(), "internal_platform");
        assert_eq!(serde_json::to_string(&Category::STORAGE).unwrap(), "\"storage\"");
    }
}
