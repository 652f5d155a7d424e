//! Which team on the customer side does what: the layer assignments of the project, its
//! boundaries and nodes, and the team a task state names, resolved for each task.
//!
//! The nearest level that names a team for a layer wins: the task's own state, then the node,
//! then its innermost boundary and each enclosing one outwards, then the project. At each level
//! a team named for the layer comes before the level's team for every layer. A flow's tasks go
//! to the team of the node the flow goes to (the end that accepts the connection); an account's
//! tasks to that of its account boundary.

use crate::checklist::Subject;
use crate::model::{Assignment, Project};
use crate::responsibility::Layer;
use crate::view::ModelView;

/// The team of `layer` for the boundary `boundary` and everything inside it (the project's
/// when `None`).
pub fn boundary_team<'p>(
    project: &'p Project,
    view: &ModelView,
    boundary: Option<usize>,
    layer: Layer,
) -> Option<&'p str> {
    let chain = boundary.into_iter().flat_map(|b| std::iter::once(b).chain(view.ancestors(b)));
    let assignments = chain.filter_map(|b| project.boundaries.get(b)).map(|b| &b.assign);
    first_team(assignments.chain(std::iter::once(&project.assign)), layer)
}

/// The team of `layer` of node `node` (by index).
pub fn node_team<'p>(project: &'p Project, view: &ModelView, node: usize, layer: Layer) -> Option<&'p str> {
    let own = project.nodes.get(node).and_then(|n| n.assign.team_for(layer));
    own.or_else(|| boundary_team(project, view, view.home(node), layer))
}

/// The team of a task about `subject` on `layer`, before the task's own state is considered.
pub fn subject_team<'p>(
    project: &'p Project,
    view: &ModelView,
    subject: &Subject,
    layer: Layer,
) -> Option<&'p str> {
    match subject {
        Subject::Account(account) => {
            boundary_team(project, view, account.as_deref().and_then(|id| view.boundary_index(id)), layer)
        }
        Subject::Node(id) => view.node_index(id).and_then(|n| node_team(project, view, n, layer)),
        Subject::Flow { to, .. } => view.node_index(to).and_then(|n| node_team(project, view, n, layer)),
    }
}

fn first_team<'p>(mut assignments: impl Iterator<Item = &'p Assignment>, layer: Layer) -> Option<&'p str> {
    assignments.find_map(|assignment| assignment.team_for(layer))
}
