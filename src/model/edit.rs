//! Reversible changes to a [`Project`], and the undo history built from them.
//!
//! Every change the user makes is an [`Edit`]. Applying an edit returns its inverse, so undo and
//! redo store small edits instead of copies of the whole document: a 10,000-service design does
//! not cost a copy per step.

use super::{Boundary, Flow, Node, Pos, Project, Rect, TaskState};

/// One reversible change to a project.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Puts `node` at `index` in the node list (clamped to the end).
    InsertNode {
        /// Where in [`Project::nodes`].
        index: usize,
        /// The node.
        node: Node,
    },
    /// Removes the node with this id. Flows and memberships are not touched: remove them with
    /// their own edits first (see [`Edit::remove_nodes`]).
    RemoveNode(String),
    /// Replaces the node with the same id.
    SetNode(Node),
    /// Moves nodes; `None` clears a position.
    SetPositions(Vec<(String, Option<Pos>)>),
    /// Puts `flow` at `index` in the flow list.
    InsertFlow {
        /// Where in [`Project::flows`].
        index: usize,
        /// The flow.
        flow: Flow,
    },
    /// Removes the flow with this id.
    RemoveFlow(String),
    /// Replaces the flow with the same id.
    SetFlow(Flow),
    /// Puts `boundary` at `index` in the boundary list.
    InsertBoundary {
        /// Where in [`Project::boundaries`].
        index: usize,
        /// The boundary.
        boundary: Boundary,
    },
    /// Removes the boundary with this id.
    RemoveBoundary(String),
    /// Replaces the boundary with the same id.
    SetBoundary(Boundary),
    /// Moves or resizes boundary frames; `None` clears a frame.
    SetRects(Vec<(String, Option<Rect>)>),
    /// Sets (or with `None` clears) the state of the task with this key.
    SetTask(String, Option<TaskState>),
    /// Renames the project.
    SetName(String),
    /// Names (or with `None` un-names) the project's evidence file.
    SetEvidence(Option<String>),
    /// Replaces the whole project (reloading a file another program changed), so that undo
    /// brings back what was there before.
    ReplaceProject(Box<Project>),
    /// Several edits as one step, applied in order.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied. The project is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The edit names something that is not in the project.
    #[error("nothing with id {0:?} in the project")]
    Missing(String),
    /// The edit would add an id that is already used.
    #[error("the id {0:?} is already used")]
    Duplicate(String),
}

fn position_of<T>(items: &[T], id: &str, id_of: impl Fn(&T) -> &str) -> Result<usize, EditError> {
    items.iter().position(|item| id_of(item) == id).ok_or_else(|| EditError::Missing(id.to_owned()))
}

impl Edit {
    /// Applies the edit and returns the edit that undoes it. On error nothing changes.
    pub fn apply(self, project: &mut Project) -> Result<Self, EditError> {
        match self {
            Self::InsertNode { index, node } => {
                if project.has_id(&node.id) {
                    return Err(EditError::Duplicate(node.id));
                }
                let id = node.id.clone();
                project.nodes.insert(index.min(project.nodes.len()), node);
                Ok(Self::RemoveNode(id))
            }
            Self::RemoveNode(id) => {
                let index = position_of(&project.nodes, &id, |n| &n.id)?;
                let node = project.nodes.remove(index);
                Ok(Self::InsertNode { index, node })
            }
            Self::SetNode(node) => {
                let index = position_of(&project.nodes, &node.id, |n| &n.id)?;
                Ok(Self::SetNode(std::mem::replace(&mut project.nodes[index], node)))
            }
            Self::SetPositions(moves) => {
                for (id, _) in &moves {
                    position_of(&project.nodes, id, |n| &n.id)?;
                }
                let mut inverse = Vec::with_capacity(moves.len());
                for (id, position) in moves {
                    if let Some(node) = project.node_mut(&id) {
                        inverse.push((id, std::mem::replace(&mut node.position, position)));
                    }
                }
                inverse.reverse();
                Ok(Self::SetPositions(inverse))
            }
            Self::InsertFlow { index, flow } => {
                if project.has_id(&flow.id) {
                    return Err(EditError::Duplicate(flow.id));
                }
                let id = flow.id.clone();
                project.flows.insert(index.min(project.flows.len()), flow);
                Ok(Self::RemoveFlow(id))
            }
            Self::RemoveFlow(id) => {
                let index = position_of(&project.flows, &id, |f| &f.id)?;
                let flow = project.flows.remove(index);
                Ok(Self::InsertFlow { index, flow })
            }
            Self::SetFlow(flow) => {
                let index = position_of(&project.flows, &flow.id, |f| &f.id)?;
                Ok(Self::SetFlow(std::mem::replace(&mut project.flows[index], flow)))
            }
            Self::InsertBoundary { index, boundary } => {
                if project.has_id(&boundary.id) {
                    return Err(EditError::Duplicate(boundary.id));
                }
                let id = boundary.id.clone();
                project.boundaries.insert(index.min(project.boundaries.len()), boundary);
                Ok(Self::RemoveBoundary(id))
            }
            Self::RemoveBoundary(id) => {
                let index = position_of(&project.boundaries, &id, |b| &b.id)?;
                let boundary = project.boundaries.remove(index);
                Ok(Self::InsertBoundary { index, boundary })
            }
            Self::SetBoundary(boundary) => {
                let index = position_of(&project.boundaries, &boundary.id, |b| &b.id)?;
                Ok(Self::SetBoundary(std::mem::replace(&mut project.boundaries[index], boundary)))
            }
            Self::SetRects(rects) => {
                for (id, _) in &rects {
                    position_of(&project.boundaries, id, |b| &b.id)?;
                }
                let mut inverse = Vec::with_capacity(rects.len());
                for (id, rect) in rects {
                    if let Some(boundary) = project.boundaries.iter_mut().find(|b| b.id == id) {
                        inverse.push((id, std::mem::replace(&mut boundary.rect, rect)));
                    }
                }
                inverse.reverse();
                Ok(Self::SetRects(inverse))
            }
            Self::SetTask(key, state) => {
                let old = match state {
                    Some(state) => project.tasks.insert(key.clone(), state),
                    None => project.tasks.remove(&key),
                };
                Ok(Self::SetTask(key, old))
            }
            Self::SetName(name) => Ok(Self::SetName(std::mem::replace(&mut project.name, name))),
            Self::SetEvidence(file) => Ok(Self::SetEvidence(std::mem::replace(&mut project.evidence, file))),
            Self::ReplaceProject(replacement) => {
                Ok(Self::ReplaceProject(Box::new(std::mem::replace(project, *replacement))))
            }
            Self::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            // Roll back what this batch already did, newest first.
                            for inverse in inverses.into_iter().rev() {
                                inverse.apply(project).ok();
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Self::Batch(inverses))
            }
        }
    }

    /// Whether the edit changes nothing (an empty batch or move).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Batch(edits) => edits.iter().all(Self::is_empty),
            Self::SetPositions(moves) => moves.is_empty(),
            Self::SetRects(rects) => rects.is_empty(),
            _ => false,
        }
    }

    /// The edit that removes the nodes `ids` together with every flow that touches them and
    /// their boundary memberships, as one step.
    pub fn remove_nodes(project: &Project, ids: &[&str]) -> Self {
        let doomed = |id: &str| ids.contains(&id);
        let mut edits = Vec::new();
        for flow in &project.flows {
            if doomed(&flow.from) || doomed(&flow.to) {
                edits.push(Self::RemoveFlow(flow.id.clone()));
            }
        }
        for boundary in &project.boundaries {
            if boundary.members.iter().any(|m| doomed(m)) {
                let mut changed = boundary.clone();
                changed.members.retain(|m| !doomed(m));
                edits.push(Self::SetBoundary(changed));
            }
        }
        for node in &project.nodes {
            if doomed(&node.id) {
                edits.push(Self::RemoveNode(node.id.clone()));
            }
        }
        Self::Batch(edits)
    }

    /// The edit that removes the boundaries `ids`. Their members and child boundaries move up to
    /// the removed boundary's parent, so nothing inside is lost.
    pub fn remove_boundaries<'a>(project: &'a Project, ids: &[&str]) -> Self {
        let doomed = |id: &str| ids.contains(&id);
        // The nearest surviving ancestor of a boundary.
        let surviving_parent = |mut parent: Option<&'a str>| {
            let mut steps = 0;
            while let Some(p) = parent {
                if !doomed(p) || steps > project.boundaries.len() {
                    break;
                }
                parent = project.boundary(p).and_then(|b| b.parent.as_deref());
                steps += 1;
            }
            parent.filter(|p| !doomed(p)).map(str::to_owned)
        };
        let mut edits = Vec::new();
        let mut adopted: Vec<(String, Vec<String>)> = Vec::new();
        for boundary in &project.boundaries {
            if doomed(&boundary.id)
                && let Some(heir) = surviving_parent(boundary.parent.as_deref())
            {
                adopted.push((heir, boundary.members.clone()));
            }
        }
        for boundary in &project.boundaries {
            if doomed(&boundary.id) {
                continue;
            }
            let mut changed = boundary.clone();
            if boundary.parent.as_deref().is_some_and(doomed) {
                changed.parent = surviving_parent(boundary.parent.as_deref());
            }
            for (heir, members) in &adopted {
                if *heir == boundary.id {
                    changed.members.extend(members.iter().cloned());
                }
            }
            if changed != *boundary {
                edits.push(Self::SetBoundary(changed));
            }
        }
        for boundary in &project.boundaries {
            if doomed(&boundary.id) {
                edits.push(Self::RemoveBoundary(boundary.id.clone()));
            }
        }
        Self::Batch(edits)
    }
}

/// Undo and redo stacks of [`Edit`]s, and what they tell about the document: whether it changed
/// since it was saved, and a revision number that changes with every change.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Inverse edits with the step they undo, newest last.
    undo: Vec<(Edit, u64)>,
    /// Edits that redo undone steps, with the step they redo, newest last.
    redo: Vec<(Edit, u64)>,
    /// The last step number handed out.
    last_step: u64,
    /// The step the document was at when it was last saved; `None` when that state is gone.
    saved_step: Option<u64>,
    revision: u64,
}

/// The most undo steps kept; older ones are forgotten.
pub const MAX_UNDO: usize = 1000;

impl History {
    /// Applies `edit` to `project` as one undoable step. Empty edits are not recorded.
    pub fn apply(&mut self, project: &mut Project, edit: Edit) -> Result<(), EditError> {
        if edit.is_empty() {
            return Ok(());
        }
        let inverse = edit.apply(project)?;
        self.last_step += 1;
        self.undo.push((inverse, self.last_step));
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    /// Applies `edit` as part of the last step instead of a step of its own: undo then goes
    /// back past both at once. Meant for edits that replace the same thing again (typing in one
    /// text field); the caller decides when edits belong together.
    pub fn apply_merged(&mut self, project: &mut Project, edit: Edit) -> Result<(), EditError> {
        if self.undo.is_empty() || !self.redo.is_empty() {
            return self.apply(project, edit);
        }
        edit.apply(project)?;
        // The step keeps its original inverse, which restores the state before the first edit.
        self.revision += 1;
        if let Some((_, step)) = self.undo.last_mut() {
            // A new step number: the merged state is not the state that was saved.
            self.last_step += 1;
            *step = self.last_step;
        }
        Ok(())
    }

    /// Undoes the last step. `Ok(false)` when there is nothing to undo. When the step cannot be
    /// applied (the project no longer has what it names), the error says why and nothing
    /// changes: the project, both stacks and the revision stay as they were.
    pub fn undo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        let replayed = Self::replay(&mut self.undo, &mut self.redo, project)?;
        if replayed {
            self.revision += 1;
        }
        Ok(replayed)
    }

    /// Redoes the last undone step; like [`History::undo`], a step that cannot be applied is
    /// reported and left where it was.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        let replayed = Self::replay(&mut self.redo, &mut self.undo, project)?;
        if replayed {
            self.revision += 1;
        }
        Ok(replayed)
    }

    /// Applies the newest edit of `from` and moves its inverse to `to`. On failure the edit goes
    /// back on `from` ([`Edit::apply`] changes nothing when it fails), so the stacks still
    /// describe the project.
    fn replay(
        from: &mut Vec<(Edit, u64)>,
        to: &mut Vec<(Edit, u64)>,
        project: &mut Project,
    ) -> Result<bool, EditError> {
        let Some((edit, step)) = from.pop() else { return Ok(false) };
        match edit.clone().apply(project) {
            Ok(inverse) => {
                to.push((inverse, step));
                Ok(true)
            }
            Err(error) => {
                from.push((edit, step));
                Err(error)
            }
        }
    }

    /// The step the document is at: the newest step on the undo stack, 0 at the start.
    fn current_step(&self) -> u64 {
        self.undo.last().map_or(0, |(_, step)| *step)
    }

    /// Whether [`History::undo`] would do something.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether [`History::redo`] would do something.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// A number that changes whenever the document changes, through an edit, undo or redo.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Marks the current document as saved.
    pub fn mark_saved(&mut self) {
        self.saved_step = Some(self.current_step());
    }

    /// Whether the document differs from the one last saved (or opened). Undoing back to the
    /// saved state makes it clean again.
    pub fn is_dirty(&self) -> bool {
        self.saved_step != Some(self.current_step())
    }

    /// Marks the document as changed without an undo step, e.g. an unsaved new document.
    pub fn mark_unsaved(&mut self) {
        self.saved_step = None;
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BoundaryKind, TaskStatus};

    fn sample() -> Project {
        let mut project = Project::named("t");
        project.nodes.push(Node::new("web", "ec2"));
        project.nodes.push(Node::new("db", "rds"));
        project.flows.push(Flow::new("f1", "web", "db"));
        let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
        vpc.members = vec!["db".into(), "web".into()];
        project.boundaries.push(vpc);
        project
    }

    #[test]
    fn removing_a_node_takes_its_flows_and_memberships_and_undo_restores_all() {
        let original = sample();
        let mut project = original.clone();
        let mut history = History::default();
        history.apply(&mut project, Edit::remove_nodes(&original, &["web"])).unwrap();
        assert!(project.node("web").is_none());
        assert!(project.flows.is_empty());
        assert_eq!(project.boundary("vpc").unwrap().members, vec!["db".to_owned()]);
        assert_eq!(history.undo(&mut project), Ok(true));
        assert_eq!(project, original);
        assert_eq!(history.redo(&mut project), Ok(true));
        assert!(project.node("web").is_none());
    }

    #[test]
    fn failed_batch_leaves_project_unchanged() {
        let original = sample();
        let mut project = original.clone();
        let edit = Edit::Batch(vec![Edit::RemoveFlow("f1".into()), Edit::RemoveNode("missing".into())]);
        assert_eq!(edit.apply(&mut project), Err(EditError::Missing("missing".into())));
        assert_eq!(project, original);
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut project = sample();
        let edit = Edit::InsertNode { index: 0, node: Node::new("vpc", "ec2") };
        assert_eq!(edit.apply(&mut project), Err(EditError::Duplicate("vpc".into())));
    }

    #[test]
    fn task_state_changes_undo() {
        let mut project = sample();
        let mut history = History::default();
        let state = TaskState { status: TaskStatus::Done, ..TaskState::default() };
        history.apply(&mut project, Edit::SetTask("k".into(), Some(state))).unwrap();
        assert!(history.is_dirty());
        assert_eq!(project.tasks["k"].status, TaskStatus::Done);
        history.undo(&mut project).unwrap();
        assert!(project.tasks.is_empty());
    }

    #[test]
    fn merged_edits_undo_as_one_step() {
        let original = sample();
        let mut project = original.clone();
        let mut history = History::default();
        for label in ["W", "We", "Web"] {
            let mut node = project.node("web").unwrap().clone();
            node.label = label.into();
            if label == "W" {
                history.apply(&mut project, Edit::SetNode(node)).unwrap();
            } else {
                history.apply_merged(&mut project, Edit::SetNode(node)).unwrap();
            }
        }
        assert_eq!(project.node("web").unwrap().label, "Web");
        assert_eq!(history.undo(&mut project), Ok(true));
        assert_eq!(project, original);
        assert!(!history.can_undo());
        assert_eq!(history.redo(&mut project), Ok(true));
        assert_eq!(project.node("web").unwrap().label, "Web");
    }

    #[test]
    fn undoing_back_to_the_saved_state_is_clean() {
        let mut project = sample();
        let mut history = History::default();
        history.mark_saved();
        assert!(!history.is_dirty());
        history.apply(&mut project, Edit::SetName("a".into())).unwrap();
        assert!(history.is_dirty());
        history.undo(&mut project).unwrap();
        assert!(!history.is_dirty());
        history.redo(&mut project).unwrap();
        history.mark_saved();
        history.undo(&mut project).unwrap();
        assert!(history.is_dirty());
        history.apply(&mut project, Edit::SetName("b".into())).unwrap();
        assert!(history.is_dirty(), "the saved state is gone from the redo stack");
    }

    #[test]
    fn removing_a_boundary_hands_members_to_its_parent() {
        let mut project = sample();
        let mut account = Boundary::new("acct", BoundaryKind::Account);
        account.members.push("x".into());
        project.boundaries.push(account);
        project.boundaries[0].parent = Some("acct".into());
        let original = project.clone();
        let inverse = Edit::remove_boundaries(&project, &["vpc"]).apply(&mut project).unwrap();
        let acct = project.boundary("acct").unwrap();
        assert!(acct.members.contains(&"web".to_owned()) && acct.members.contains(&"db".to_owned()));
        inverse.apply(&mut project).unwrap();
        assert_eq!(project, original);
    }

    #[test]
    fn an_undo_that_cannot_apply_says_so_and_changes_nothing() {
        let mut project = sample();
        let mut history = History::default();
        history.apply(&mut project, Edit::SetName("renamed".into())).unwrap();
        history.apply(&mut project, Edit::RemoveFlow("f1".into())).unwrap();
        // Something outside the history takes the node the flow needs... and the id the undo
        // would insert: put a node with the flow's id in place.
        project.nodes.push(Node::new("f1", "ec2"));
        let before = (project.clone(), history.revision());
        assert_eq!(history.undo(&mut project), Err(EditError::Duplicate("f1".into())));
        assert_eq!((project.clone(), history.revision()), before, "nothing changed");
        assert!(history.can_undo() && !history.can_redo(), "the step is still there to undo");
        // Once the obstacle is gone, the same step undoes.
        project.nodes.retain(|n| n.id != "f1");
        assert_eq!(history.undo(&mut project), Ok(true));
        assert!(project.flow("f1").is_some());
        assert_eq!(history.undo(&mut project), Ok(true));
        assert_eq!(project.name, "t");
        assert_eq!(history.undo(&mut project), Ok(false), "nothing left");
    }

    #[test]
    fn resources_account_ids_and_the_evidence_file_undo() {
        let original = sample();
        let mut project = original.clone();
        let mut history = History::default();
        let mut node = project.node("web").unwrap().clone();
        node.resources = vec!["arn:aws:ec2:eu-west-1:111122223333:instance/*".into()];
        let mut vpc = project.boundary("vpc").unwrap().clone();
        vpc.region = Some("eu-west-1".into());
        let edit = Edit::Batch(vec![
            Edit::SetNode(node),
            Edit::SetBoundary(vpc),
            Edit::SetEvidence(Some("shop.evidence.json".into())),
        ]);
        history.apply(&mut project, edit).unwrap();
        assert_eq!(project.node("web").unwrap().resources.len(), 1);
        assert_eq!(project.boundary("vpc").unwrap().region.as_deref(), Some("eu-west-1"));
        assert_eq!(project.evidence.as_deref(), Some("shop.evidence.json"));
        assert_eq!(history.undo(&mut project), Ok(true));
        assert_eq!(project, original);
    }

    #[test]
    fn moves_undo_exactly() {
        let original = sample();
        let mut project = original.clone();
        let inverse =
            Edit::SetPositions(vec![("web".into(), Some(Pos::new(1.0, 2.0)))]).apply(&mut project).unwrap();
        assert_eq!(project.node("web").unwrap().position, Some(Pos::new(1.0, 2.0)));
        inverse.apply(&mut project).unwrap();
        assert_eq!(project, original);
    }
}
