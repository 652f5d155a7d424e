//! Synthetic findings for benchmarks and stress tests, to go with [`crate::generate`]: account
//! ids and resources for a generated design, and ASFF findings on it. The same design, count and
//! seed always give the same text.

use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::generate::SplitMix64;
use crate::model::{BoundaryKind, Project};

/// The account id of the `n`th account.
fn account_id(n: usize) -> String {
    format!("{:012}", 100_000_000_000_u64 + n as u64 * 1_111)
}

/// Gives every account boundary of a generated design an account id, and every AWS node its
/// resources: its ARN and a pattern for the resources under it (`.../<node>/*`, an Auto Scaling
/// group's instances, a fleet of buckets).
pub fn add_resources(project: &mut Project, catalog: &Catalog) {
    let mut accounts = 0;
    for boundary in &mut project.boundaries {
        if boundary.kind == BoundaryKind::Account {
            boundary.account_id = Some(account_id(accounts));
            accounts += 1;
        }
    }
    let scopes = super::resources::scopes(project, &crate::view::ModelView::build(project));
    for (i, node) in project.nodes.iter_mut().enumerate() {
        if catalog.service(&node.service).is_none_or(crate::catalog::Service::is_actor) {
            continue;
        }
        let account = scopes[i].account.clone().unwrap_or_else(|| account_id(0));
        let arn = format!("arn:aws:{}:eu-west-1:{account}:resource/{}", node.service, node.id);
        node.resources = vec![format!("{arn}/*"), arn];
    }
}

/// `count` ASFF findings on `project` (made with [`add_resources`]), as `aws securityhub
/// get-findings` prints them: about 500 bytes each, nearly all on distinct resources (one in five
/// on a node's own ARN, most on resources under a node's pattern). Of the findings, about 80%
/// pass, 15% fail and 5% give no verdict; 3% are suppressed and 2% archived; 8% are on resources
/// the design does not have, and 4% name controls no task has.
pub fn asff_findings(project: &Project, catalog: &Catalog, count: usize, seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let scopes = super::resources::scopes(project, &crate::view::ModelView::build(project));
    // Every (node, control) a finding may be about.
    let mut targets: Vec<(usize, &str)> = Vec::new();
    for (i, node) in project.nodes.iter().enumerate() {
        let Some(service) = catalog.service(&node.service) else { continue };
        for template in &service.tasks {
            for control in &template.controls {
                targets.push((i, control));
            }
        }
    }
    let mut out = String::with_capacity(count * 520 + 32);
    out.push_str("{\"Findings\": [\n");
    for n in 0..count {
        let (node, control) = if targets.is_empty() { (0, "S3.8") } else { *rng.pick(&targets) };
        let account = scopes.get(node).and_then(|s| s.account.clone()).unwrap_or_else(|| account_id(0));
        let roll = rng.below(100);
        let control = if roll < 4 { format!("Made.{}", rng.below(50) + 1) } else { control.to_owned() };
        let service = project.nodes.get(node).map_or("s3", |n| n.service.as_str());
        let node_id = project.nodes.get(node).map_or("none", |n| n.id.as_str());
        let resource = if (4..12).contains(&roll) {
            format!("arn:aws:{service}:eu-west-1:{account}:resource/elsewhere-{n}")
        } else if roll < 30 {
            format!("arn:aws:{service}:eu-west-1:{account}:resource/{node_id}")
        } else {
            format!("arn:aws:{service}:eu-west-1:{account}:resource/{node_id}/{n:x}")
        };
        let status = match rng.below(100) {
            0..80 => "PASSED",
            80..95 => "FAILED",
            _ => "NOT_AVAILABLE",
        };
        let workflow = if rng.chance(3) { "SUPPRESSED" } else { "NEW" };
        let record = if rng.chance(2) { "ARCHIVED" } else { "ACTIVE" };
        let day = 1 + rng.below(28);
        let _ = write!(
            out,
            "{}{{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"arn:aws:securityhub:eu-west-1:{account}:security-control/{control}/finding/{n:08x}\",\
             \"ProductArn\":\"arn:aws:securityhub:eu-west-1::product/aws/securityhub\",\"GeneratorId\":\"security-control/{control}\",\
             \"AwsAccountId\":\"{account}\",\"Region\":\"eu-west-1\",\"UpdatedAt\":\"2026-11-{day:02}T08:00:00.000Z\",\
             \"Severity\":{{\"Label\":\"MEDIUM\"}},\
             \"Resources\":[{{\"Type\":\"Other\",\"Id\":\"{resource}\",\"Partition\":\"aws\",\"Region\":\"eu-west-1\"}}],\
             \"Compliance\":{{\"Status\":\"{status}\",\"SecurityControlId\":\"{control}\"}},\
             \"Workflow\":{{\"Status\":\"{workflow}\"}},\"RecordState\":\"{record}\"}}",
            if n == 0 { "" } else { ",\n" }
        );
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_findings() {
        let catalog = Catalog::builtin();
        let mut project = crate::generate::generate(50, 1, catalog);
        add_resources(&mut project, catalog);
        assert!(project.boundaries.iter().any(|b| b.account_id.is_some()));
        assert!(crate::io::validate(&project, catalog, "").is_empty());
        let a = asff_findings(&project, catalog, 100, 7);
        assert_eq!(a, asff_findings(&project, catalog, 100, 7));
        let (summary, findings) = super::super::read_findings_from("synthetic.json", a.as_bytes()).unwrap();
        assert_eq!(summary.records, 100);
        assert_eq!(findings.len(), 100);
    }
}
