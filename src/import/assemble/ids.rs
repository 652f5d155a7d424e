//! Readable ids from logical ids and Terraform addresses.
//!
//! Ids are at most [`MAX_STEM`] characters before a `-N` suffix. A longer text (a deep Terraform
//! module path, a CDK logical id) is cut and ends with a short hash of the whole text, so two long
//! ids that share their first 47 characters stay distinct without counting up. Colliding stems
//! count up from a per-stem counter, so handing out `n` ids costs O(n) whatever the collisions.

use std::collections::{HashMap, HashSet};

use crate::model::{MAX_STEM, is_valid_id, slug};

/// Hands out ids that no node, flow or boundary of the project uses yet.
#[derive(Default)]
pub(super) struct Ids {
    taken: HashSet<String>,
    /// For each stem already handed out, the next suffix to try.
    next: HashMap<String, u64>,
}

impl Ids {
    /// A fresh id from `stem` (made valid first): the stem itself, else `stem-2`, `stem-3`...
    pub fn fresh(&mut self, stem: &str) -> String {
        let stem =
            if is_valid_id(stem).is_ok() && stem.len() <= MAX_STEM { stem.to_owned() } else { slug(stem) };
        if !self.taken.contains(&stem) {
            self.taken.insert(stem.clone());
            return stem;
        }
        let counter = self.next.entry(stem.clone()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{counter}");
            *counter = counter.saturating_add(1);
            if !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
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

/// The stem of the flow between the nodes `from` and `to`.
pub(super) fn flow_stem(from: &str, to: &str) -> String {
    slug(&format!("{from}-{to}"))
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
        assert_eq!(ids.fresh("web-2"), "web-2-2");
        assert_eq!(ids.fresh("web"), "web-3");
    }

    #[test]
    fn long_texts_keep_a_hash_so_they_stay_distinct() {
        let module = "module.platform.module.services.module.payments_processing_pipeline";
        let a = stem(&format!("{module}.aws_lambda_function.settlement_reconciliation"), true);
        let b = stem(&format!("{module}.aws_lambda_function.settlement_notification"), true);
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert!(id.len() <= MAX_STEM, "{id}");
            assert!(is_valid_id(id).is_ok(), "{id}");
        }
        assert!(a.starts_with("platform-services-payments-processing-pipeline"), "{a}");
        let long = "x".repeat(60);
        assert_ne!(flow_stem(&long, "a"), flow_stem(&long, "b"));
        assert_eq!(flow_stem("web", "db"), "web-db");
    }

    #[test]
    fn colliding_stems_are_counted_not_rescanned() {
        let mut ids = Ids::default();
        let start = std::time::Instant::now();
        let handed: HashSet<String> = (0..20_000).map(|_| ids.fresh("same")).collect();
        assert_eq!(handed.len(), 20_000);
        assert!(handed.contains("same-20000"));
        // Rescanning from `-2` for every id took minutes here; counting takes milliseconds.
        assert!(start.elapsed().as_secs() < 20);
    }
}
