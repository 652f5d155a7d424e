//! Task keys: how a task is named in the project's `tasks` map, so its recorded status finds it
//! again. Built from ids only, never from labels, positions or indices, so moving or relabelling
//! anything changes no key.
//!
//! | task                                   | key                                  |
//! |----------------------------------------|--------------------------------------|
//! | a template of a node's service         | `<node>/<service>.<template>`        |
//! | an account task (no account drawn)     | `account/<template>`                 |
//! | an account task of an account boundary | `account/<template>/<boundary>`      |
//! | a rule about the whole design          | `rule/<rule>`                        |
//! | a rule about a node, flow or boundary  | `rule/<rule>/<id>`                   |
//!
//! Keys are told apart by their shape, not by their first word, so nodes may be called
//! `account` or `rule`: ids never hold `/`, and service ids, template ids and rule ids never
//! hold `.` (the catalog checks), so a key with one `/` and a `.` after it is a service key, and
//! only account and rule keys have two `/`.

use std::fmt;

/// A task key, borrowed from the strings it is built from or parsed out of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskKey<'a> {
    /// A template of the service of a node.
    Service {
        /// The node's id.
        node: &'a str,
        /// The service's id.
        service: &'a str,
        /// The template's id.
        template: &'a str,
    },
    /// An account-wide template, for one account.
    Account {
        /// The template's id.
        template: &'a str,
        /// The account boundary's id; `None` for the account of everything outside one.
        account: Option<&'a str>,
    },
    /// A graph rule's finding.
    Rule {
        /// The rule's id.
        rule: &'a str,
        /// The node, flow or boundary it is about; `None` for the whole design.
        subject: Option<&'a str>,
    },
}

impl<'a> TaskKey<'a> {
    /// Reads a key; `None` when it has none of the shapes above.
    pub fn parse(key: &'a str) -> Option<Self> {
        let (first, rest) = key.split_once('/')?;
        if first.is_empty() || rest.is_empty() {
            return None;
        }
        match rest.split_once('/') {
            Some((middle, last)) => {
                if middle.is_empty() || last.is_empty() || last.contains('/') {
                    return None;
                }
                match first {
                    "account" => Some(Self::Account { template: middle, account: Some(last) }),
                    "rule" => Some(Self::Rule { rule: middle, subject: Some(last) }),
                    _ => None,
                }
            }
            None => match rest.split_once('.') {
                Some((service, template)) if !service.is_empty() && !template.is_empty() => {
                    Some(Self::Service { node: first, service, template })
                }
                Some(_) => None,
                None => match first {
                    "account" => Some(Self::Account { template: rest, account: None }),
                    "rule" => Some(Self::Rule { rule: rest, subject: None }),
                    _ => None,
                },
            },
        }
    }

    /// The key as text.
    pub fn build(&self) -> String {
        let parts: [&str; 5] = match *self {
            Self::Service { node, service, template } => [node, "/", service, ".", template],
            Self::Account { template, account: None } => ["account/", template, "", "", ""],
            Self::Account { template, account: Some(account) } => ["account/", template, "/", account, ""],
            Self::Rule { rule, subject: None } => ["rule/", rule, "", "", ""],
            Self::Rule { rule, subject: Some(subject) } => ["rule/", rule, "/", subject, ""],
        };
        let mut key = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            key.push_str(part);
        }
        key
    }
}

impl fmt::Display for TaskKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_round_trips() {
        let keys = [
            TaskKey::Service { node: "web", service: "ec2", template: "imdsv2" },
            TaskKey::Service { node: "account", service: "s3", template: "versioning" },
            TaskKey::Service { node: "rule", service: "eventbridge", template: "bus_policy" },
            TaskKey::Service { node: "v1.2", service: "lambda", template: "tracing" },
            TaskKey::Account { template: "config_enabled", account: None },
            TaskKey::Account { template: "config_enabled", account: Some("payments") },
            TaskKey::Account { template: "root_user", account: Some("acct.prod") },
            TaskKey::Rule { rule: "no_cloudtrail", subject: None },
            TaskKey::Rule { rule: "exposed_data_store", subject: Some("orders-db") },
            TaskKey::Rule { rule: "exposed_data_store", subject: Some("rule") },
        ];
        for key in keys {
            let text = key.build();
            assert_eq!(TaskKey::parse(&text), Some(key), "{text}");
            assert_eq!(key.to_string(), text);
        }
        assert_eq!(
            TaskKey::Service { node: "web", service: "ec2", template: "imdsv2" }.build(),
            "web/ec2.imdsv2"
        );
    }

    #[test]
    fn nodes_called_account_or_rule_keep_service_keys() {
        assert_eq!(
            TaskKey::parse("rule/eventbridge.bus_policy"),
            Some(TaskKey::Service { node: "rule", service: "eventbridge", template: "bus_policy" })
        );
        assert_eq!(
            TaskKey::parse("account/s3.versioning"),
            Some(TaskKey::Service { node: "account", service: "s3", template: "versioning" })
        );
    }

    #[test]
    fn malformed_keys_are_none() {
        for bad in
            ["", "web", "/ec2.x", "web/", "web/ec2.", "web/.x", "a/b/c", "rule//x", "rule/x/", "x/y/z/w"]
        {
            assert_eq!(TaskKey::parse(bad), None, "{bad:?}");
        }
    }
}
