//! Synthetic but realistic projects of any size, for benchmarks, stress tests and demos:
//! accounts ▸ VPCs ▸ subnets, tiers of services from the catalog, about 1.5 flows per service,
//! some internet exposure and sensitive data, and some tasks already done. The same size and
//! seed always give the same project.

use crate::catalog::Catalog;
use crate::checklist;
use crate::layout;
use crate::model::limits::MAX_NODES;
use crate::model::{Boundary, BoundaryKind, DataClass, Flow, Node, Project, TaskState, TaskStatus};

/// A small, fast, deterministic random number generator (SplitMix64). Not for security.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Where a service sits in the generated architecture.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier {
    Edge,
    App,
    Data,
    Integration,
    Management,
}

/// Services per tier, whether they sit in a subnet, and which subnet.
const EDGE: &[&str] = &["cloudfront", "waf", "api_gateway", "elb", "route53"];
const APP: &[&str] = &["ec2", "ecs", "eks", "lambda", "elastic_beanstalk", "ec2", "lambda"];
const DATA: &[&str] =
    &["rds", "aurora", "dynamodb", "s3", "elasticache", "redshift", "opensearch", "s3", "efs"];
const INTEGRATION: &[&str] = &["sqs", "sns", "kinesis", "eventbridge", "step_functions"];
const MANAGEMENT: &[&str] =
    &["cloudwatch", "kms", "secrets_manager", "iam", "systems_manager", "guardduty", "config", "cloudtrail"];

/// Services that live in a VPC subnet rather than at the account level.
fn in_vpc(service: &str) -> bool {
    matches!(
        service,
        "elb"
            | "ec2"
            | "ecs"
            | "eks"
            | "elastic_beanstalk"
            | "rds"
            | "aurora"
            | "elasticache"
            | "redshift"
            | "opensearch"
            | "efs"
    )
}

/// The most services [`generate`] makes: a project holds at most [`MAX_NODES`] nodes, and two
/// of them are the internet and its users.
pub const MAX_SERVICES: usize = MAX_NODES - 2;

/// Asked for more services than a project may hold.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot generate {0} services: a project holds at most {MAX_NODES} nodes, so `generate` makes at most {MAX_SERVICES} services"
)]
pub struct TooManyServices(pub usize);

/// An error, before anything is allocated, when `services` is more than [`MAX_SERVICES`]. The
/// project [`generate`] makes of at most that many saves and loads again (its flows, boundaries
/// and task states stay within their limits, and its file within the file limit: see
/// `tests/hostile.rs`).
pub fn check_size(services: usize) -> Result<(), TooManyServices> {
    if services > MAX_SERVICES { Err(TooManyServices(services)) } else { Ok(()) }
}

/// A project with about `services` AWS services (plus the internet and users), laid out. Call
/// [`check_size`] first: more than [`MAX_SERVICES`] gives a project that cannot be saved.
pub fn generate(services: usize, seed: u64, catalog: &'static Catalog) -> Project {
    let mut rng = SplitMix64::new(seed);
    let mut project = Project::named(format!("Generated estate: {services} services (seed {seed})"));
    project.description = "Made by `whoowns generate` for benchmarks and stress tests.".to_owned();
    project.nodes.push(Node { label: "The internet".into(), ..Node::new("internet", "internet") });
    project.nodes.push(Node { label: "Users".into(), ..Node::new("users", "users") });

    let accounts = services.div_ceil(2500).max(1);
    let per_account = services.div_ceil(accounts);
    let mut made = 0;
    for a in 0..accounts {
        let count = per_account.min(services - made);
        made += count;
        generate_account(&mut project, &mut rng, a, count, catalog);
    }
    mark_some_tasks_done(&mut project, &mut rng, catalog);
    layout::arrange(&mut project);
    project
}

fn generate_account(
    project: &mut Project,
    rng: &mut SplitMix64,
    account: usize,
    count: usize,
    catalog: &Catalog,
) {
    let account_id = format!("account-{account}");
    let mut account_box = Boundary::new(account_id.clone(), BoundaryKind::Account);
    account_box.label = format!("Account {}", 100_000_000_000_u64 + account as u64 * 1_111);
    let vpcs = count.div_ceil(600).clamp(1, 4);
    let mut subnets: Vec<[Boundary; 3]> = Vec::new();
    for v in 0..vpcs {
        let vpc_id = format!("vpc-{account}-{v}");
        let mut vpc = Boundary::new(vpc_id.clone(), BoundaryKind::Vpc);
        vpc.label = format!("VPC 10.{}.0.0/16", account * 4 + v);
        vpc.parent = Some(account_id.clone());
        project.boundaries.push(vpc);
        let subnet = |name: &str, label: &str| {
            let mut s = Boundary::new(format!("{name}-{account}-{v}"), BoundaryKind::Subnet);
            s.label = label.to_owned();
            s.parent = Some(vpc_id.clone());
            s
        };
        subnets.push([
            subnet("public", "Public subnets"),
            subnet("app", "Private app subnets"),
            subnet("data", "Private data subnets"),
        ]);
    }

    // Tier sizes: about 8% edge, 35% app, 30% data, 15% integration, 12% management.
    let plan =
        [(Tier::Edge, 8), (Tier::App, 35), (Tier::Data, 30), (Tier::Integration, 15), (Tier::Management, 12)];
    let mut tiers: Vec<(Tier, Vec<usize>)> = Vec::new();
    let mut placed = 0;
    for (i, (tier, percent)) in plan.iter().enumerate() {
        let n =
            if i + 1 == plan.len() { count - placed } else { (count * percent / 100).min(count - placed) };
        placed += n;
        let services: &[&str] = match tier {
            Tier::Edge => EDGE,
            Tier::App => APP,
            Tier::Data => DATA,
            Tier::Integration => INTEGRATION,
            Tier::Management => MANAGEMENT,
        };
        let mut indices = Vec::with_capacity(n);
        for _ in 0..n {
            let service = *rng.pick(services);
            let index = project.nodes.len();
            let id = format!("{service}-{account}-{index}");
            let mut node = Node::new(id.clone(), service);
            node.label =
                format!("{} {index}", catalog.service(service).map_or(service, |s| s.short.as_str()));
            if let Some(s) = catalog.service(service)
                && !s.variants.is_empty()
            {
                node.variant = Some(rng.pick(&s.variants).id.clone());
            }
            if *tier == Tier::Data {
                node.data = match rng.below(10) {
                    0..=2 => DataClass::Confidential,
                    3 => DataClass::Restricted,
                    _ => DataClass::Internal,
                };
            }
            if *tier == Tier::Edge && rng.chance(60) || rng.chance(1) {
                node.internet_facing = true;
            }
            let vpc = rng.below(subnets.len());
            if in_vpc(service) {
                let slot = match tier {
                    Tier::Edge => 0,
                    Tier::App => 1,
                    _ => 2,
                };
                subnets[vpc][slot].members.push(id);
            } else {
                account_box.members.push(id);
            }
            project.nodes.push(node);
            indices.push(index);
        }
        tiers.push((*tier, indices));
    }
    let of = |tier: Tier| tiers.iter().find(|(t, _)| *t == tier).map_or(&[][..], |(_, v)| v.as_slice());
    let (edge, app, data, integration, management) = (
        of(Tier::Edge).to_vec(),
        of(Tier::App).to_vec(),
        of(Tier::Data).to_vec(),
        of(Tier::Integration).to_vec(),
        of(Tier::Management).to_vec(),
    );

    // About 1.5 flows per service: users → edge → app → data / integration / management.
    let connect = |project: &mut Project, rng: &mut SplitMix64, from: usize, to: usize, protocol: &str| {
        let id = format!("f{}", project.flows.len());
        let mut flow = Flow::new(id, project.nodes[from].id.clone(), project.nodes[to].id.clone());
        flow.protocol = protocol.to_owned();
        flow.encrypted_in_transit = if rng.chance(8) { Some(false) } else { None };
        project.flows.push(flow);
    };
    let users = 1;
    let link = |project: &mut Project,
                rng: &mut SplitMix64,
                from: usize,
                targets: &[usize],
                percent: u64,
                protocol: &str| {
        if !targets.is_empty() && rng.chance(percent) {
            let to = *rng.pick(targets);
            if to != from {
                connect(project, rng, from, to, protocol);
            }
        }
    };
    for &e in &edge {
        connect(project, rng, users, e, "HTTPS");
        link(project, rng, e, &app, 100, "HTTPS");
        link(project, rng, e, &app, 50, "HTTPS");
    }
    for &a in &app {
        link(project, rng, a, &data, 100, "TLS");
        link(project, rng, a, &data, 60, "TLS");
        link(project, rng, a, &integration, 50, "HTTPS");
        link(project, rng, a, &management, 40, "HTTPS");
        link(project, rng, a, &app, 30, "HTTPS");
        // A few services reachable from the internet without a front door.
        link(project, rng, 0, &[a], 2, "HTTP");
    }
    for &i in &integration {
        link(project, rng, i, &app, 100, "event");
        link(project, rng, i, &app, 50, "event");
    }
    for &d in &data {
        link(project, rng, d, &management, 30, "HTTPS");
    }

    project.boundaries.push(account_box);
    for [public, app_subnet, data_subnet] in subnets {
        project.boundaries.extend([public, app_subnet, data_subnet]);
    }
}

/// Marks about a fifth of the tasks done, accepted or in progress, as a real team would have.
fn mark_some_tasks_done(project: &mut Project, rng: &mut SplitMix64, catalog: &'static Catalog) {
    let derivation = checklist::derive(project, catalog);
    for task in &derivation.tasks {
        let status = match rng.below(20) {
            0..=2 => TaskStatus::Done,
            3 => TaskStatus::InProgress,
            4 => TaskStatus::AcceptedRisk,
            _ => continue,
        };
        let note = if status == TaskStatus::AcceptedRisk { "Compensating control in place." } else { "" };
        project.tasks.insert(
            task.key.clone(),
            TaskState {
                status,
                note: note.to_owned(),
                ticket: String::new(),
                updated: Some("2026-11-01".to_owned()),
                team: None,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_project_and_it_is_valid() {
        let catalog = Catalog::builtin();
        let a = generate(300, 7, catalog);
        let b = generate(300, 7, catalog);
        assert_eq!(a, b);
        assert_ne!(a, generate(300, 8, catalog));
        assert!(
            crate::io::validate(&a, catalog, "").is_empty(),
            "{:?}",
            crate::io::validate(&a, catalog, "")
        );
        let services = a.nodes.iter().filter(|n| !catalog.service(&n.service).unwrap().is_actor()).count();
        assert_eq!(services, 300);
        let flows_per_service = a.flows.len() as f32 / 300.0;
        assert!((1.0..=2.2).contains(&flows_per_service), "{flows_per_service}");
        assert!(a.nodes.iter().all(|n| n.position.is_some()));
        assert!(a.nodes.iter().any(|n| n.data.is_sensitive()));
        assert!(a.nodes.iter().any(|n| n.internet_facing));
        let derivation = checklist::derive(&a, catalog);
        assert!(derivation.orphaned.is_empty());
        assert!(derivation.counts().done > 0);
    }
}
