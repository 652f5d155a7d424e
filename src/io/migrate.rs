//! Schema migration: `version` drives a chain of steps, each turning a document of one version
//! into the next, so files written by any released whoowns load forever. A fixture of every
//! released version lives in `tests/fixtures/versions/` and is loaded by the test suite.
//!
//! Every version so far reads with today's structs (fields were only added, or changed meaning),
//! so a step rewrites the typed [`Project`] after it is read. A future change that the structs
//! cannot read would add a step on the text before it; none is needed yet.
//!
//! - Version 2 changed the meaning of a flow's `encrypted_in_transit` from "true unless said
//!   otherwise" to "as the protocol says unless said otherwise" (see [`crate::protocol`]), and
//!   derives account tasks per account boundary: states recorded for the one account of
//!   version 1 move to the accounts drawn. States of task templates the catalog retired move
//!   to where the catalog says they went (`retired` in `assets/catalog.ron`).
//!
//! To change the format: bump [`crate::model::CURRENT_VERSION`], add a step at the end of
//! [`MIGRATIONS`], and add a fixture of the last version-N file to `tests/fixtures/versions/`.

use crate::catalog::Catalog;
use crate::checklist::TaskKey;
use crate::model::{BoundaryKind, Project};
use crate::view::ModelView;

/// One step of the chain: rewrites a version-N document, read with today's structs, into what
/// version N+1 means.
pub type Migration = fn(&mut Project, &Catalog);

/// `MIGRATIONS[i]` turns version `i + 1` into version `i + 2`.
pub const MIGRATIONS: &[Migration] = &[v1_to_v2];

/// The oldest version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Runs `project` (read from a file of version `from`) through every step up to the current
/// version.
pub fn migrate(project: &mut Project, from: u32, catalog: &Catalog) {
    migrate_with(project, from, catalog, MIGRATIONS);
}

/// [`migrate`] with a given chain, so the mechanism is tested on its own.
pub fn migrate_with(project: &mut Project, from: u32, catalog: &Catalog, steps: &[Migration]) {
    let first = usize::try_from(from.saturating_sub(OLDEST_VERSION)).unwrap_or(usize::MAX);
    for step in steps.iter().skip(first) {
        step(project, catalog);
    }
    project.version = crate::model::CURRENT_VERSION;
}

/// Version 1 could not tell a flow marked encrypted from one left at the default (both were
/// `true`), so an HTTP flow drawn with the default counted as encrypted. Version 2 leaves the
/// flag out unless it was stated: `true` becomes "as the protocol says" (HTTPS stays encrypted,
/// HTTP becomes plaintext, PostgreSQL is not stated) and `false` stays false.
///
/// Account tasks (`account/<template>`) and the CloudTrail rule (`rule/no_cloudtrail`) were
/// derived once for the whole design; they are now derived per account boundary
/// (`account/<template>/<boundary>`). When every service of the design is inside account
/// boundaries, a recorded state moves to each of them; when some are outside, the old key still
/// names their account and stays.
fn v1_to_v2(project: &mut Project, catalog: &Catalog) {
    for flow in &mut project.flows {
        if flow.encrypted_in_transit == Some(true) {
            flow.encrypted_in_transit = None;
        }
    }
    let view = ModelView::build(project);
    move_retired(project, &view, catalog);
    let accounts = crate::checklist::accounts(project, &view, catalog);
    if accounts.is_empty() || accounts.contains(&None) {
        return;
    }
    let drawn: Vec<String> = accounts.iter().flatten().map(|&b| project.boundaries[b].id.clone()).collect();
    let whole_design: Vec<String> = project
        .tasks
        .keys()
        .filter(|key| {
            matches!(
                TaskKey::parse(key),
                Some(
                    TaskKey::Account { account: None, .. }
                        | TaskKey::Rule { rule: "no_cloudtrail", subject: None }
                )
            )
        })
        .cloned()
        .collect();
    for key in whole_design {
        let Some(state) = project.tasks.remove(&key) else { continue };
        for account in &drawn {
            let moved = match TaskKey::parse(&key) {
                Some(TaskKey::Account { template, .. }) => {
                    TaskKey::Account { template, account: Some(account) }
                }
                Some(TaskKey::Rule { rule, .. }) => TaskKey::Rule { rule, subject: Some(account) },
                _ => continue,
            };
            project.tasks.entry(moved.build()).or_insert_with(|| state.clone());
        }
    }
}

/// A state recorded under a service task the catalog retired (`web/iam.root_protection`) moves
/// to where the template went: the account task of the node's account
/// (`account/root_user/prod`), or another template of the same node. A state already recorded
/// there is kept; a template split in several gives its state to each part.
fn move_retired(project: &mut Project, view: &ModelView, catalog: &Catalog) {
    let moves: Vec<(String, Vec<String>)> = project
        .tasks
        .keys()
        .filter_map(|key| {
            let Some(TaskKey::Service { node, service, template }) = TaskKey::parse(key) else { return None };
            let account = view
                .node_index(node)
                .and_then(|i| view.enclosing(i, BoundaryKind::Account))
                .map(|b| project.boundaries[b].id.as_str());
            let targets: Vec<String> = catalog
                .retired
                .iter()
                .filter(|r| r.service == service && r.task == template)
                .filter_map(|r| r.moved_to.as_deref()?.split_once('/'))
                .map(|(scope, id)| match scope {
                    "account" => TaskKey::Account { template: id, account }.build(),
                    other => TaskKey::Service { node, service: other, template: id }.build(),
                })
                .collect();
            (!targets.is_empty()).then(|| (key.clone(), targets))
        })
        .collect();
    for (key, targets) in moves {
        let Some(state) = project.tasks.remove(&key) else { continue };
        for target in targets {
            project.tasks.entry(target).or_insert_with(|| state.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind, Flow, Node, TaskState, TaskStatus};

    fn catalog() -> &'static Catalog {
        Catalog::builtin()
    }

    fn rename(project: &mut Project, _: &Catalog) {
        project.name = format!("{} (renamed)", project.name);
    }

    #[test]
    fn steps_run_in_order_from_the_file_version() {
        let mut old = Project::named("Shop");
        migrate_with(&mut old, 1, catalog(), &[rename, rename]);
        assert_eq!(old.name, "Shop (renamed) (renamed)");
        let mut newer = Project::named("Shop");
        migrate_with(&mut newer, 2, catalog(), &[rename, rename]);
        assert_eq!(newer.name, "Shop (renamed)", "a version-2 file skips the first step");
        assert_eq!(newer.version, crate::model::CURRENT_VERSION);
    }

    #[test]
    fn every_version_has_its_step() {
        assert_eq!(crate::model::CURRENT_VERSION, OLDEST_VERSION + MIGRATIONS.len() as u32);
    }

    #[test]
    fn version_2_keeps_only_stated_encryption_flags() {
        let mut project = Project::default();
        for (id, flag) in [("a", Some(true)), ("b", Some(false)), ("c", None)] {
            let mut flow = Flow::new(id, "x", "y");
            flow.encrypted_in_transit = flag;
            project.flows.push(flow);
        }
        migrate(&mut project, 1, catalog());
        let flags: Vec<_> = project.flows.iter().map(|f| f.encrypted_in_transit).collect();
        assert_eq!(flags, [None, Some(false), None]);
    }

    #[test]
    fn version_2_moves_account_states_to_the_accounts_drawn() {
        let done = TaskState { status: TaskStatus::Done, note: "org-wide".into(), ..TaskState::default() };
        let mut project = Project::default();
        project.nodes.push(Node::new("a", "s3"));
        project.nodes.push(Node::new("b", "s3"));
        project.nodes.push(Node::new("people", "users"));
        for (id, member) in [("prod", "a"), ("dev", "b")] {
            let mut account = Boundary::new(id, BoundaryKind::Account);
            account.members = vec![member.into()];
            project.boundaries.push(account);
        }
        project.tasks.insert("account/config_enabled".into(), done.clone());
        project.tasks.insert("rule/no_cloudtrail".into(), done.clone());
        project.tasks.insert("a/s3.versioning".into(), done.clone());
        let mut outside = project.clone();
        migrate(&mut project, 1, catalog());
        let keys: Vec<&str> = project.tasks.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "a/s3.versioning",
                "account/config_enabled/dev",
                "account/config_enabled/prod",
                "rule/no_cloudtrail/dev",
                "rule/no_cloudtrail/prod"
            ]
        );
        assert_eq!(project.tasks["account/config_enabled/dev"], done);
        // With a service outside every account, the old key still names that account.
        outside.nodes.push(Node::new("c", "s3"));
        migrate(&mut outside, 1, catalog());
        assert!(outside.tasks.contains_key("account/config_enabled"));
    }

    #[test]
    fn states_of_retired_templates_move_to_where_they_went() {
        let mut project = Project::default();
        project.nodes.push(Node::new("roles", "iam"));
        project.nodes.push(Node::new("loose", "iam"));
        let mut prod = Boundary::new("prod", BoundaryKind::Account);
        prod.members = vec!["roles".into()];
        project.boundaries.push(prod);
        let done = TaskState { status: TaskStatus::Done, note: "MFA on root".into(), ..TaskState::default() };
        project.tasks.insert("roles/iam.root_protection".into(), done.clone());
        project.tasks.insert("loose/iam.password_policy".into(), done.clone());
        project.tasks.insert("roles/iam.support_role".into(), done.clone());
        migrate(&mut project, 1, catalog());
        assert_eq!(project.tasks.get("account/root_user/prod"), Some(&done), "to the node's account");
        assert_eq!(project.tasks.get("account/password_policy"), Some(&done), "outside every account");
        // A split template gives its state to each part.
        assert_eq!(project.tasks.get("account/support_role/prod"), Some(&done));
        assert_eq!(project.tasks.get("roles/iam.no_expired_certificates"), Some(&done));
        assert!(
            !project.tasks.keys().any(|k| k.starts_with("roles/iam.root_protection")),
            "{:?}",
            project.tasks
        );
    }
}
