//! Which nodes a finding's resource belongs to, through the nodes' `resources`.
//!
//! A node's entry matches a finding's resource when:
//!
//! - it is an ARN (starts with `arn:`) equal to the resource, or a pattern with `*` that matches
//!   it (`*` stands for any run of characters, `/` and `:` included);
//! - it is anything else (an id or name such as `i-0abc` or `orders`, or a pattern such as
//!   `orders-*`) equal to, or matching, the resource itself or its last segment (after the last
//!   `/` or `:`: `orders` for `arn:aws:s3:::orders`, `i-0abc` for
//!   `arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc`).
//!
//! A node inside an account boundary with an `account_id` takes only findings of that account;
//! an id or name also only findings of the Region of the region boundary around it, when there
//! is one (an ARN names its own Region). Lookups are hashed, and patterns are found through
//! their literal prefix, so placing costs about the same whatever the size of the design.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::model::index::Fnv;

use crate::model::{BoundaryKind, Project};
use crate::view::ModelView;

/// Whether a finding's `resource` is its account itself: Security Hub's `AWS::::Account:<id>`,
/// the bare account id, or the account's root user ARN (Prowler's account-wide checks).
pub fn is_account_resource(resource: &str, account: &str) -> bool {
    if resource.starts_with("AWS::::Account:") {
        return true;
    }
    if account.is_empty() {
        return false;
    }
    resource == account
        || resource
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":iam::"))
            .is_some_and(|(_, rest)| rest == format!("{account}:root"))
}

/// The last segment of a resource, after its last `/` or `:`.
pub fn last_segment(resource: &str) -> &str {
    resource.rsplit(['/', ':']).next().unwrap_or(resource)
}

/// Whether `pattern` (with `*` for any run of characters) matches all of `text`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it is trying to cover up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// FNV-1a's state after `bytes`, from `state`: a prefix's hash extends to a longer one's.
fn extend_hash(mut state: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    state
}

/// FNV-1a's initial state.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Patterns found by their literal prefix (the text before the first `*`). The prefixes of a
/// text are looked up by length, with one hash of the text extended from length to length, so a
/// lookup costs one pass over the text and one probe per distinct prefix length.
#[derive(Debug, Default)]
struct Patterns {
    /// The prefix lengths in use, shortest first.
    lengths: Vec<usize>,
    /// (length, hash of the prefix) → the patterns with that prefix.
    table: HashMap<(usize, u64), Vec<Pattern>, BuildHasherDefault<Fnv>>,
}

/// A pattern, its literal prefix and its node.
#[derive(Debug)]
struct Pattern {
    prefix: String,
    pattern: String,
    node: u32,
}

impl Patterns {
    fn add(&mut self, pattern: &str, node: u32) {
        let prefix = &pattern[..pattern.find('*').unwrap_or(pattern.len())];
        if let Err(at) = self.lengths.binary_search(&prefix.len()) {
            self.lengths.insert(at, prefix.len());
        }
        let key = (prefix.len(), extend_hash(FNV_START, prefix.as_bytes()));
        let entry = Pattern { prefix: prefix.to_owned(), pattern: pattern.to_owned(), node };
        self.table.entry(key).or_default().push(entry);
    }

    fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Adds the nodes of the patterns that match `text`.
    fn matches(&self, text: &str, out: &mut Vec<u32>) {
        let bytes = text.as_bytes();
        let (mut state, mut hashed) = (FNV_START, 0);
        for &length in &self.lengths {
            if length > bytes.len() {
                return;
            }
            state = extend_hash(state, &bytes[hashed..length]);
            hashed = length;
            if let Some(entries) = self.table.get(&(length, state)) {
                let found =
                    entries.iter().filter(|p| text.starts_with(p.prefix.as_str()) && glob(&p.pattern, text));
                out.extend(found.map(|p| p.node));
            }
        }
    }
}

/// Where a node is: the account and Region of the boundaries around it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The `account_id` of the account boundary around it (the innermost), if that has one.
    pub account: Option<String>,
    /// The `region` of the region boundary around it (the innermost), if that has one.
    pub region: Option<String>,
}

/// The account and Region of every node, indexed like [`Project::nodes`]; `view` is
/// `project`'s.
pub fn scopes(project: &Project, view: &ModelView) -> Vec<Scope> {
    let field = |node: usize, kind: BoundaryKind| {
        let boundary = &project.boundaries[view.enclosing(node, kind)?];
        match kind {
            BoundaryKind::Account => boundary.account_id.clone(),
            _ => boundary.region.clone(),
        }
    };
    (0..project.nodes.len())
        .map(|node| Scope {
            account: field(node, BoundaryKind::Account),
            region: field(node, BoundaryKind::Region),
        })
        .collect()
}

/// The nodes' resources, indexed for lookup by a finding's resource.
#[derive(Debug, Default)]
pub struct ResourceIndex {
    arns: HashMap<String, Vec<u32>, BuildHasherDefault<Fnv>>,
    names: HashMap<String, Vec<u32>, BuildHasherDefault<Fnv>>,
    arn_patterns: Patterns,
    name_patterns: Patterns,
    scopes: Vec<Scope>,
}

impl ResourceIndex {
    /// The index of `project`'s nodes; `view` is `project`'s.
    pub fn of(project: &Project, view: &ModelView) -> Self {
        let mut index = Self { scopes: scopes(project, view), ..Self::default() };
        for (node, entries) in project.nodes.iter().map(|n| &n.resources).enumerate() {
            let node = u32::try_from(node).unwrap_or(u32::MAX);
            for entry in entries {
                match (entry.starts_with("arn:"), entry.contains('*')) {
                    (true, false) => index.arns.entry(entry.clone()).or_default().push(node),
                    (false, false) => index.names.entry(entry.clone()).or_default().push(node),
                    (true, true) => index.arn_patterns.add(entry, node),
                    (false, true) => index.name_patterns.add(entry, node),
                }
            }
        }
        index
    }

    /// Whether no node lists a resource.
    pub fn is_empty(&self) -> bool {
        self.arns.is_empty()
            && self.names.is_empty()
            && self.arn_patterns.is_empty()
            && self.name_patterns.is_empty()
    }

    /// The scope of node `node`.
    pub fn scope(&self, node: usize) -> Option<&Scope> {
        self.scopes.get(node)
    }

    /// The nodes whose resources match `resource`, of a finding in `account` and `region`,
    /// each once, in node order.
    pub fn nodes(&self, resource: &str, account: &str, region: &str) -> Vec<u32> {
        if resource.is_empty() {
            return Vec::new();
        }
        let mut by_arn = Vec::new();
        if let Some(nodes) = self.arns.get(resource) {
            by_arn.extend_from_slice(nodes);
        }
        self.arn_patterns.matches(resource, &mut by_arn);
        let mut by_name = Vec::new();
        let last = last_segment(resource);
        for text in if last == resource { vec![resource] } else { vec![resource, last] } {
            if let Some(nodes) = self.names.get(text) {
                by_name.extend_from_slice(nodes);
            }
            self.name_patterns.matches(text, &mut by_name);
        }
        let in_account = |node: &u32| {
            let scope = self.scopes.get(*node as usize);
            account.is_empty() || scope.and_then(|s| s.account.as_deref()).is_none_or(|a| a == account)
        };
        let in_region = |node: &u32| {
            let scope = self.scopes.get(*node as usize);
            region.is_empty() || scope.and_then(|s| s.region.as_deref()).is_none_or(|r| r == region)
        };
        let mut nodes: Vec<u32> = by_arn.into_iter().filter(in_account).collect();
        nodes.extend(by_name.into_iter().filter(|n| in_account(n) && in_region(n)));
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// The nodes inside an account boundary whose `account_id` is `account`.
    pub fn nodes_in_account(&self, account: &str) -> Vec<u32> {
        (0..self.scopes.len())
            .filter(|&i| self.scopes[i].account.as_deref() == Some(account))
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, Node};

    #[test]
    fn globs() {
        assert!(glob("arn:aws:s3:::orders-*", "arn:aws:s3:::orders-2024"));
        assert!(glob("arn:aws:s3:::orders-*", "arn:aws:s3:::orders-"));
        assert!(!glob("arn:aws:s3:::orders-*", "arn:aws:s3:::order"));
        assert!(glob("*-logs", "shop-logs"));
        assert!(glob("a*b*c", "axxbyybzc"));
        assert!(!glob("a*b*c", "axxbyyb"));
        assert!(glob(
            "arn:aws:ec2:*:111122223333:instance/*",
            "arn:aws:ec2:eu-west-1:111122223333:instance/i-1"
        ));
        assert!(!glob("abc", "abcd"));
        assert!(glob("**", ""));
    }

    #[test]
    fn patterns_are_found_by_their_prefixes() {
        let mut patterns = Patterns::default();
        for (i, p) in ["a*", "ab*", "abc*", "abd*", "b*", "*x", "abcd*e", "zz*"].iter().enumerate() {
            patterns.add(p, i as u32);
        }
        let found = |text: &str| {
            let mut out = Vec::new();
            patterns.matches(text, &mut out);
            out.sort_unstable();
            out
        };
        assert_eq!(found("abcdx"), vec![0, 1, 2, 5]);
        assert_eq!(found("abcde"), vec![0, 1, 2, 6]);
        assert_eq!(found("abd"), vec![0, 1, 3]);
        assert_eq!(found("b"), vec![4]);
        assert_eq!(found("c"), Vec::<u32>::new());
        assert_eq!(found(""), Vec::<u32>::new());
        assert_eq!(found("zzz"), vec![7]);
    }

    #[test]
    fn account_resources() {
        assert!(is_account_resource("AWS::::Account:111122223333", "111122223333"));
        assert!(is_account_resource("111122223333", "111122223333"));
        assert!(is_account_resource("arn:aws:iam::111122223333:root", "111122223333"));
        assert!(!is_account_resource("arn:aws:iam::111122223333:role/x", "111122223333"));
        assert!(!is_account_resource("arn:aws:s3:::b", "111122223333"));
    }

    fn project() -> Project {
        let mut project = Project::default();
        let mut bucket = Node::new("bucket", "s3");
        bucket.resources = vec!["orders".into(), "arn:aws:s3:::logs-*".into()];
        let mut web = Node::new("web", "ec2");
        web.resources = vec!["arn:aws:ec2:eu-west-1:111122223333:instance/i-1".into(), "i-2*".into()];
        let mut other = Node::new("other", "s3");
        other.resources = vec!["orders".into()];
        project.nodes = vec![bucket, web, other];
        let mut account = Boundary::new("prod", crate::model::BoundaryKind::Account);
        account.account_id = Some("111122223333".into());
        let mut region = Boundary::new("ireland", crate::model::BoundaryKind::Region);
        region.region = Some("eu-west-1".into());
        region.parent = Some("prod".into());
        region.members = vec!["bucket".into(), "web".into()];
        project.boundaries = vec![account, region];
        project
    }

    #[test]
    fn scopes_come_from_the_boundaries_around() {
        let project = project();
        let scopes = scopes(&project, &ModelView::build(&project));
        assert_eq!(scopes[0].account.as_deref(), Some("111122223333"));
        assert_eq!(scopes[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(scopes[2], Scope::default());
    }

    #[test]
    fn lookups() {
        let project = project();
        let index = ResourceIndex::of(&project, &ModelView::build(&project));
        let acct = "111122223333";
        assert_eq!(index.nodes("arn:aws:s3:::orders", acct, "eu-west-1"), vec![0, 2]);
        // Another account: only the node outside any account with an id.
        assert_eq!(index.nodes("arn:aws:s3:::orders", "999988887777", "eu-west-1"), vec![2]);
        // Another Region: names are scoped by Region, ARNs are not.
        assert_eq!(index.nodes("arn:aws:s3:::orders", acct, "us-east-1"), vec![2]);
        assert_eq!(index.nodes("arn:aws:s3:::logs-2024", acct, "us-east-1"), vec![0]);
        assert_eq!(index.nodes("arn:aws:ec2:eu-west-1:111122223333:instance/i-1", acct, ""), vec![1]);
        assert_eq!(
            index.nodes("arn:aws:ec2:eu-west-1:111122223333:instance/i-2abc", acct, "eu-west-1"),
            vec![1]
        );
        assert!(index.nodes("arn:aws:s3:::nothing", acct, "").is_empty());
        assert!(index.nodes("", acct, "").is_empty());
        assert_eq!(index.nodes_in_account(acct), vec![0, 1]);
    }
}
