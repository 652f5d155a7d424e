//! Schema migration: `version` drives a chain of steps, each turning a document of one version
//! into the next, so files written by any released whoowns load forever. A fixture of every
//! released version lives in `tests/fixtures/versions/` and is loaded by the test suite.
//!
//! Every version so far reads with today's structs (fields were only added, or changed meaning),
//! so a step rewrites the typed [`Project`] after it is read. A future change that the structs
//! cannot read would add a step on the text before it; none is needed yet.
//!
//! - Version 2 changed the meaning of a flow's `encrypted_in_transit` from "true unless said
//!   otherwise" to "as the protocol says unless said otherwise" (see [`crate::protocol`]).
//!
//! To change the format: bump [`crate::model::CURRENT_VERSION`], add a step at the end of
//! [`MIGRATIONS`], and add a fixture of the last version-N file to `tests/fixtures/versions/`.

use crate::model::Project;

/// One step of the chain: rewrites a version-N document, read with today's structs, into what
/// version N+1 means.
pub type Migration = fn(&mut Project);

/// `MIGRATIONS[i]` turns version `i + 1` into version `i + 2`.
pub const MIGRATIONS: &[Migration] = &[v1_to_v2];

/// The oldest version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Runs `project` (read from a file of version `from`) through every step up to the current
/// version.
pub fn migrate(project: &mut Project, from: u32) {
    migrate_with(project, from, MIGRATIONS);
}

/// [`migrate`] with a given chain, so the mechanism is tested on its own.
pub fn migrate_with(project: &mut Project, from: u32, steps: &[Migration]) {
    let first = usize::try_from(from.saturating_sub(OLDEST_VERSION)).unwrap_or(usize::MAX);
    for step in steps.iter().skip(first) {
        step(project);
    }
    project.version = crate::model::CURRENT_VERSION;
}

/// Version 1 could not tell a flow marked encrypted from one left at the default (both were
/// `true`), so an HTTP flow drawn with the default counted as encrypted. Version 2 leaves the
/// flag out unless it was stated: `true` becomes "as the protocol says" (HTTPS stays encrypted,
/// HTTP becomes plaintext, PostgreSQL is not stated) and `false` stays false.
fn v1_to_v2(project: &mut Project) {
    for flow in &mut project.flows {
        if flow.encrypted_in_transit == Some(true) {
            flow.encrypted_in_transit = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Flow;

    fn rename(project: &mut Project) {
        project.name = format!("{} (renamed)", project.name);
    }

    #[test]
    fn steps_run_in_order_from_the_file_version() {
        let mut old = Project::named("Shop");
        migrate_with(&mut old, 1, &[rename, rename]);
        assert_eq!(old.name, "Shop (renamed) (renamed)");
        let mut newer = Project::named("Shop");
        migrate_with(&mut newer, 2, &[rename, rename]);
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
        migrate(&mut project, 1);
        let flags: Vec<_> = project.flows.iter().map(|f| f.encrypted_in_transit).collect();
        assert_eq!(flags, [None, Some(false), None]);
    }
}
