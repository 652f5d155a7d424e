//! Readable ids from logical ids and Terraform addresses.

use std::collections::HashSet;

use crate::model::{slug, unique_id};

/// Hands out ids that no node, flow or boundary of the project uses yet.
#[derive(Default)]
pub(super) struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// A fresh id from `stem` (made valid first).
    pub fn fresh(&mut self, stem: &str) -> String {
        let id = unique_id(stem, |candidate| self.taken.contains(candidate));
        self.taken.insert(id.clone());
        id
    }
}

/// The id stem of a resource: `PaymentsBucket` → `payments-bucket`;
/// `module.db.aws_rds_cluster.this` → `db-rds-cluster-this`.
pub(super) fn stem(id: &str, terraform: bool) -> String {
    if terraform {
        let parts: Vec<&str> = id
            .split('.')
            .filter(|part| *part != "module")
            .map(|part| part.strip_prefix("aws_").unwrap_or(part))
            .collect();
        slug(&parts.join("-"))
    } else {
        slug(&kebab(id))
    }
}

/// Splits CamelCase words with dashes: `EKSClusterRole` → `EKS-Cluster-Role`.
fn kebab(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('-');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_read_well() {
        assert_eq!(stem("PaymentsBucket", false), "payments-bucket");
        assert_eq!(stem("EKSClusterRole", false), "eks-cluster-role");
        assert_eq!(stem("WebASG", false), "web-asg");
        assert_eq!(stem("S3Bucket", false), "s3-bucket");
        assert_eq!(stem("module.db.aws_rds_cluster.this", true), "db-rds-cluster-this");
        assert_eq!(stem("aws_subnet.private[0]", true), "subnet-private-0");
        let mut ids = Ids::default();
        assert_eq!(ids.fresh("web"), "web");
        assert_eq!(ids.fresh("web"), "web-2");
    }
}
