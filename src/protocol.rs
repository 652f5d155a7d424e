//! What the protocol written on a flow says about encryption in transit: one table
//! (`assets/protocols.ron`) for the rules, the Properties panel, `check`, the canvas, the
//! exports and the importer, which also finds protocols by port here.
//!
//! A flow's encryption is what the user (or the importer) stated, and otherwise what its
//! protocol implies: HTTPS is encrypted, HTTP is not, and PostgreSQL could be either, so it stays
//! unstated. [`flow_encryption`] also says when the stated flag and the protocol disagree.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::Flow;

/// The table shipped in the binary, as RON text.
pub const BUILTIN_PROTOCOLS: &str = include_str!("../assets/protocols.ron");

/// What a protocol does about encryption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encryption {
    /// Encrypted by construction: TLS, SSH, IPsec.
    Always,
    /// Plaintext on the wire: HTTP, FTP, Telnet, LDAP.
    Never,
    /// TLS is a setting: PostgreSQL, Redis, SMTP with STARTTLS.
    Optional,
}

/// One protocol of the table.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// The name written on flows, e.g. "PostgreSQL".
    pub name: String,
    /// Other names people write for it, e.g. "Postgres".
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Well-known ports, for the importer's security-group rules.
    #[serde(default)]
    pub ports: Vec<u16>,
    /// Whether it is encrypted.
    pub encryption: Encryption,
}

/// What a protocol text says, read against the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recognised<'a> {
    /// A protocol of the table.
    Known(&'a Protocol),
    /// Not a protocol of the table, but the text says it is encrypted ("Redis (TLS)", "over VPN").
    SaysEncrypted,
    /// Not a protocol of the table, but the text says it is plaintext ("Redis without TLS").
    SaysPlaintext,
    /// Nothing the table knows (or no text at all).
    Unknown,
}

impl Recognised<'_> {
    /// What the text implies about encryption, if anything.
    pub fn encryption(self) -> Option<Encryption> {
        match self {
            Self::Known(protocol) => Some(protocol.encryption),
            Self::SaysEncrypted => Some(Encryption::Always),
            Self::SaysPlaintext => Some(Encryption::Never),
            Self::Unknown => None,
        }
    }
}

/// Why the protocol table is not valid.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolsError {
    /// Not RON of the expected shape.
    #[error("protocols.ron: {0}")]
    Syntax(String),
    /// Names, aliases or ports clash.
    #[error("protocols.ron: {0}")]
    Invalid(String),
}

/// The protocol table.
#[derive(Debug)]
pub struct Protocols {
    list: Vec<Protocol>,
    /// Normalised name or alias → index in `list`.
    names: HashMap<String, usize>,
    /// Port → index in `list`.
    ports: HashMap<u16, usize>,
}

#[derive(Deserialize)]
#[serde(rename = "Protocols")]
struct File(Vec<Protocol>);

impl Protocols {
    /// Parses and validates a table.
    pub fn from_ron(text: &str) -> Result<Self, ProtocolsError> {
        let File(list) = ron::from_str(text).map_err(|error| ProtocolsError::Syntax(error.to_string()))?;
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut ports: HashMap<u16, usize> = HashMap::new();
        for (i, protocol) in list.iter().enumerate() {
            for name in std::iter::once(&protocol.name).chain(&protocol.aliases) {
                let key = normalise(name);
                if key.is_empty() {
                    return Err(ProtocolsError::Invalid(format!(
                        "{}: an empty name or alias",
                        protocol.name
                    )));
                }
                if let Some(&other) = names.get(&key) {
                    return Err(ProtocolsError::Invalid(format!(
                        "{name:?} names both {} and {}",
                        list[other].name, protocol.name
                    )));
                }
                names.insert(key, i);
            }
            for &port in &protocol.ports {
                if let Some(&other) = ports.get(&port) {
                    return Err(ProtocolsError::Invalid(format!(
                        "port {port} is both {} and {}",
                        list[other].name, protocol.name
                    )));
                }
                ports.insert(port, i);
            }
        }
        Ok(Self { list, names, ports })
    }

    /// The table shipped in the binary. Its validity is checked by the test suite.
    pub fn builtin() -> &'static Self {
        static PROTOCOLS: OnceLock<Protocols> = OnceLock::new();
        PROTOCOLS.get_or_init(|| match Self::from_ron(BUILTIN_PROTOCOLS) {
            Ok(protocols) => protocols,
            // The embedded table is fixed at build time and checked by the tests, so this arm is
            // unreachable in a released binary.
            #[expect(clippy::panic, reason = "the embedded protocol table is validated by the tests")]
            Err(error) => panic!("the built-in protocol table is invalid: {error}"),
        })
    }

    /// Every protocol, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &Protocol> {
        self.list.iter()
    }

    /// The protocol with this name or alias (ignoring case and punctuation).
    pub fn named(&self, name: &str) -> Option<&Protocol> {
        self.names.get(&normalise(name)).map(|&i| &self.list[i])
    }

    /// The protocol usually carried on `port`.
    pub fn by_port(&self, port: u16) -> Option<&Protocol> {
        self.ports.get(&port).map(|&i| &self.list[i])
    }

    /// Reads a protocol text as a person wrote it: a name or alias; else words that say TLS or
    /// plaintext; else an AWS API; else a name followed by more words ("HTTP on 8080").
    pub fn recognise(&self, text: &str) -> Recognised<'_> {
        let key = normalise(text);
        if key.is_empty() {
            return Recognised::Unknown;
        }
        if let Some(&i) = self.names.get(&key) {
            return Recognised::Known(&self.list[i]);
        }
        let words: Vec<&str> = key.split(' ').collect();
        let says_plaintext = words.iter().any(|w| matches!(*w, "plaintext" | "unencrypted" | "cleartext"))
            || words.windows(2).any(|pair| {
                matches!(pair[0], "no" | "without" | "not" | "non")
                    && matches!(pair[1], "tls" | "ssl" | "encryption")
            });
        if says_plaintext {
            return Recognised::SaysPlaintext;
        }
        if words
            .iter()
            .any(|w| matches!(*w, "tls" | "ssl" | "https" | "vpn" | "ipsec" | "encrypted" | "mtls"))
        {
            return Recognised::SaysEncrypted;
        }
        if words.last() == Some(&"api") {
            return Recognised::SaysEncrypted;
        }
        // The longest run of leading words that names a protocol.
        (1..words.len())
            .rev()
            .find_map(|n| self.names.get(&words[..n].join(" ")))
            .map_or(Recognised::Unknown, |&i| Recognised::Known(&self.list[i]))
    }
}

/// Lower case, runs of anything but letters, digits and `/`, `*` collapsed to one space, trimmed:
/// "Kafka (TLS)" and "kafka tls" read the same.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, '/' | '*') {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether a flow's traffic is encrypted, as far as the design says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InTransit {
    /// Encrypted: marked so, or a protocol that always is.
    Encrypted,
    /// Plaintext: marked so, or a protocol that never is.
    Plaintext,
    /// Not stated, and the protocol could be either (or is not known).
    Unstated,
}

impl InTransit {
    /// The state in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Encrypted => "encrypted",
            Self::Plaintext => "unencrypted",
            Self::Unstated => "not stated",
        }
    }
}

/// A flow's encryption, with where it comes from and any disagreement between the flag and the
/// protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowEncryption {
    /// The answer.
    pub in_transit: InTransit,
    /// Set when the flow is marked one way and its protocol says the other, in words.
    pub disagreement: Option<String>,
}

/// What is known about `flow`'s encryption in transit.
pub fn flow_encryption(flow: &Flow, protocols: &Protocols) -> FlowEncryption {
    let implied = protocols.recognise(&flow.protocol).encryption();
    let in_transit = match (flow.encrypted_in_transit, implied) {
        (Some(true), _) | (None, Some(Encryption::Always)) => InTransit::Encrypted,
        (Some(false), _) | (None, Some(Encryption::Never)) => InTransit::Plaintext,
        (None, _) => InTransit::Unstated,
    };
    let disagreement = match (flow.encrypted_in_transit, implied) {
        (Some(true), Some(Encryption::Never)) => Some(format!(
            "{} is plaintext, but the flow is marked encrypted: say what encrypts it (a VPN, IPsec) in the protocol, or clear the mark",
            flow.protocol.trim()
        )),
        (Some(false), Some(Encryption::Always)) => {
            Some(format!("{} is always encrypted, but the flow is marked unencrypted", flow.protocol.trim()))
        }
        _ => None,
    };
    FlowEncryption { in_transit, disagreement }
}

/// Whether `flow` is known to be plaintext, by the built-in table: what the diagrams draw
/// dashed and red, and what the flow rules look at.
pub fn is_plaintext(flow: &Flow) -> bool {
    flow_encryption(flow, Protocols::builtin()).in_transit == InTransit::Plaintext
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(protocol: &str, flag: Option<bool>) -> FlowEncryption {
        let mut flow = Flow::new("f", "a", "b");
        flow.protocol = protocol.to_owned();
        flow.encrypted_in_transit = flag;
        flow_encryption(&flow, Protocols::builtin())
    }

    #[test]
    fn the_builtin_table_is_valid() {
        assert!(Protocols::from_ron(BUILTIN_PROTOCOLS).is_ok());
        assert!(Protocols::builtin().iter().count() > 30);
    }

    #[test]
    fn clashing_names_and_ports_are_refused() {
        let twice =
            r#"Protocols([(name: "A", ports: [1], encryption: never), (name: "a", encryption: never)])"#;
        assert!(matches!(Protocols::from_ron(twice), Err(ProtocolsError::Invalid(_))));
        let port = r#"Protocols([(name: "A", ports: [1], encryption: never), (name: "B", ports: [1], encryption: never)])"#;
        assert!(matches!(Protocols::from_ron(port), Err(ProtocolsError::Invalid(_))));
    }

    #[test]
    fn protocol_texts_are_read_as_people_write_them() {
        let table = Protocols::builtin();
        let name = |text: &str| match table.recognise(text) {
            Recognised::Known(p) => p.name.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(name("https"), "HTTPS");
        assert_eq!(name(" Postgres "), "PostgreSQL");
        assert_eq!(name("HTTP on 8080"), "HTTP");
        assert_eq!(name("Kafka (TLS)"), "Kafka over TLS");
        assert_eq!(name("Redis (TLS)"), "SaysEncrypted");
        assert_eq!(name("Redis without TLS"), "SaysPlaintext");
        assert_eq!(name("SQS API"), "SaysEncrypted");
        assert_eq!(name("carrier pigeon"), "Unknown");
        assert_eq!(name(""), "Unknown");
        assert_eq!(table.by_port(5432).map(|p| p.name.as_str()), Some("PostgreSQL"));
    }

    #[test]
    fn the_flag_wins_and_the_protocol_fills_in_when_there_is_none() {
        assert_eq!(with("HTTP", None).in_transit, InTransit::Plaintext);
        assert_eq!(with("HTTPS", None).in_transit, InTransit::Encrypted);
        assert_eq!(with("PostgreSQL", None).in_transit, InTransit::Unstated);
        assert_eq!(with("", None).in_transit, InTransit::Unstated);
        assert_eq!(with("PostgreSQL", Some(false)).in_transit, InTransit::Plaintext);
        assert_eq!(with("HTTP", Some(true)).in_transit, InTransit::Encrypted);
    }

    #[test]
    fn a_flag_that_contradicts_the_protocol_is_pointed_out() {
        assert!(with("HTTP", Some(true)).disagreement.is_some_and(|d| d.contains("plaintext")));
        assert!(with("HTTPS", Some(false)).disagreement.is_some());
        assert_eq!(with("HTTP over VPN", Some(true)).disagreement, None);
        assert_eq!(with("PostgreSQL", Some(true)).disagreement, None);
    }
}
