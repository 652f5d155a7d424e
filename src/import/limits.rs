//! The bounds a project file may hold ([`crate::model::limits`]), applied to an imported project:
//! a source that gives more is an error naming what and by how much, not a project that saves
//! but cannot be opened again.

use super::ImportError;
use crate::model::Project;
use crate::model::limits::{MAX_BOUNDARIES, MAX_FLOWS, MAX_MEMBERS, MAX_NODES, MAX_TASK_STATES};

/// Checks `project` against the limits of a project file.
pub(super) fn check(source_name: &str, project: &Project) -> Result<(), ImportError> {
    let too_many = |what: String, count: usize, limit: usize| {
        if count > limit {
            Err(ImportError::TooMany {
                source_name: source_name.to_owned(),
                what,
                count,
                limit,
                excess: count - limit,
            })
        } else {
            Ok(())
        }
    };
    too_many("nodes".to_owned(), project.nodes.len(), MAX_NODES)?;
    too_many("flows".to_owned(), project.flows.len(), MAX_FLOWS)?;
    too_many("boundaries".to_owned(), project.boundaries.len(), MAX_BOUNDARIES)?;
    for boundary in &project.boundaries {
        too_many(format!("members of boundary {}", boundary.id), boundary.members.len(), MAX_MEMBERS)?;
    }
    too_many("tasks marked done".to_owned(), project.tasks.len(), MAX_TASK_STATES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind};

    #[test]
    fn says_which_limit_and_by_how_much() {
        let mut project = Project::named("big");
        project.boundaries =
            (0..MAX_BOUNDARIES + 5).map(|i| Boundary::new(format!("b{i}"), BoundaryKind::Subnet)).collect();
        let error = check("big.json", &project).unwrap_err();
        assert!(matches!(error, ImportError::TooMany { excess: 5, .. }), "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with("big.json: the import gives 20005 boundaries, 5 more than the 20000"),
            "{text}"
        );
        project.boundaries.truncate(MAX_BOUNDARIES);
        assert!(check("big.json", &project).is_ok());
    }
}
