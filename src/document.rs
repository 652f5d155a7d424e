//! The open document: the project, its undo history, where it lives on disk, and the model
//! view and derivation cached for the current revision. No egui here: the app, the benchmarks
//! and the tests drive the same document.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::checklist::{self, Derivation};
use crate::io;
use crate::layout;
use crate::model::{Edit, EditError, History, Project};
use crate::view::ModelView;

mod evidence;

pub use evidence::{DocumentEvidence, EvidenceOrigin, KeepEvidenceError};

/// A project being edited.
pub struct Document {
    /// Unique per document, so revisions of different documents never compare equal.
    generation: u64,
    project: Project,
    history: History,
    /// The file it was opened from or last saved to; `None` for an untitled document.
    pub path: Option<PathBuf>,
    /// What the document is called when it has no path (an example's name).
    pub untitled_name: String,
    view: ModelView,
    derivation: Derivation,
    derived_revision: Option<u64>,
    /// How many times the derivation ran, to check it runs only when the document changes.
    derivations: u64,
    /// The undo step that text edits are merged into, and which field it is for.
    coalescing: Option<String>,
    /// What the file held when this document last read or wrote it (or accepted its content
    /// as seen); `None` when there was no file.
    disk: Option<io::Fingerprint>,
    /// Findings from scanners, placed on the current revision, when some were loaded.
    evidence: Option<DocumentEvidence>,
}

/// How the document's file compares with what the document last read or wrote there.
#[derive(Debug)]
pub enum DiskState {
    /// Nothing changed (or the document has no file).
    Unchanged,
    /// Another program wrote a different version.
    Changed,
    /// The file is gone (moved or deleted).
    Missing,
    /// The file could not be read to tell.
    Unreadable(std::io::Error),
}

impl Document {
    /// A document for `project`, as opened from `path` (clean) or new (untitled).
    pub fn new(mut project: Project, path: Option<PathBuf>, catalog: &'static Catalog) -> Self {
        // Diagrams as code: nodes without positions and boundaries without frames get them now.
        layout::lay_out(&mut project);
        static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut document = Self {
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            project,
            history: History::default(),
            path,
            untitled_name: "Untitled".to_owned(),
            view: ModelView::default(),
            derivation: Derivation::default(),
            derived_revision: None,
            derivations: 0,
            coalescing: None,
            disk: None,
            evidence: None,
        };
        document.history.mark_saved();
        document.refresh(catalog);
        document
    }

    /// Opens the project file at `path`.
    pub fn open(path: &Path, catalog: &'static Catalog) -> Result<(Self, Vec<String>), io::LoadError> {
        let loaded = io::load(path, catalog)?;
        let mut document = Self::new(loaded.project, Some(path.to_owned()), catalog);
        document.disk = Some(loaded.fingerprint);
        Ok((document, loaded.warnings))
    }

    /// Compares the file with what the document last read or wrote there.
    pub fn disk_state(&self) -> DiskState {
        let Some(path) = &self.path else { return DiskState::Unchanged };
        match io::Fingerprint::file_differs(path, self.disk) {
            Ok(None) if self.disk.is_none() => DiskState::Unchanged,
            Ok(None) => DiskState::Missing,
            Ok(Some(false)) => DiskState::Unchanged,
            Ok(Some(true)) => DiskState::Changed,
            Err(error) => DiskState::Unreadable(error),
        }
    }

    /// Reads the file again and makes it the document, as one undo step: undo brings back
    /// what was open before, unsaved changes included. Returns the load's warnings.
    pub fn reload(&mut self, catalog: &'static Catalog) -> Result<Vec<String>, io::LoadError> {
        let Some(path) = self.path.clone() else { return Ok(Vec::new()) };
        let loaded = io::load(&path, catalog)?;
        let mut project = loaded.project;
        layout::lay_out(&mut project);
        if *self.project() != project {
            // Replacing the whole project cannot name anything missing, so it cannot fail.
            self.apply(Edit::ReplaceProject(Box::new(project))).ok();
        }
        self.history.mark_saved();
        self.disk = Some(loaded.fingerprint);
        Ok(loaded.warnings)
    }

    /// Takes what the file holds now as seen, so that the next save replaces it without
    /// asking (the replaced version is kept as the `.bak`). The document counts as unsaved.
    pub fn keep_mine(&mut self) {
        self.disk = self.path.as_deref().and_then(|path| io::Fingerprint::of_file(path).ok().flatten());
        self.history.mark_unsaved();
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The model view of the current revision: lookups by id, the graph, the boundary tree.
    pub fn view(&self) -> &ModelView {
        &self.view
    }

    /// The derivation of the current revision.
    pub fn derivation(&self) -> &Derivation {
        &self.derivation
    }

    /// How many times the derivation has run for this document.
    pub fn derivations(&self) -> u64 {
        self.derivations
    }

    /// A number that changes with every change to the project, and differs between documents.
    pub fn revision(&self) -> u64 {
        (self.generation << 40) | self.history.revision()
    }

    /// Rebuilds the view and the derivation, and places the findings again, if the project
    /// changed since the last time. Cheap otherwise: nothing is rebuilt on a frame where nothing
    /// changed.
    pub fn refresh(&mut self, catalog: &'static Catalog) {
        if self.derived_revision != Some(self.revision()) {
            self.view = ModelView::build(&self.project);
            self.derivation = checklist::derive_with_view(&self.project, &self.view, catalog);
            self.derivations += 1;
            self.derived_revision = Some(self.revision());
        }
        self.place_evidence(catalog);
    }

    /// Applies `edit` as one undo step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.coalescing = None;
        self.history.apply(&mut self.project, edit)
    }

    /// Applies `edit`, merging it into the previous step when that step was made by the same
    /// `field` (typing in one text box is one undo step, not one per key).
    pub fn apply_coalescing(&mut self, field: &str, edit: Edit) -> Result<(), EditError> {
        if self.coalescing.as_deref() == Some(field) {
            self.history.apply_merged(&mut self.project, edit)
        } else {
            self.history.apply(&mut self.project, edit)?;
            self.coalescing = Some(field.to_owned());
            Ok(())
        }
    }

    /// Ends text-edit merging, so the next edit is a step of its own.
    pub fn end_coalescing(&mut self) {
        self.coalescing = None;
    }

    /// Undoes the last step: `Ok(false)` when there is none; an error (and no change at all)
    /// when the step cannot be applied.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        self.coalescing = None;
        self.history.undo(&mut self.project)
    }

    /// Redoes the last undone step, like [`Document::undo`].
    pub fn redo(&mut self) -> Result<bool, EditError> {
        self.coalescing = None;
        self.history.redo(&mut self.project)
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Whether the document has changes that are not saved.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Marks the document as changed (an example opened as a new, unsaved document).
    pub fn mark_unsaved(&mut self) {
        self.history.mark_unsaved();
    }

    /// Saves to `path` atomically and makes it the document's path.
    pub fn save_to(&mut self, path: &Path) -> Result<(), io::SaveError> {
        self.disk = Some(io::save(path, &self.project)?);
        self.path = Some(path.to_owned());
        self.history.mark_saved();
        self.coalescing = None;
        Ok(())
    }

    /// The file name, or the untitled name.
    pub fn display_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| self.untitled_name.clone(), |n| n.to_string_lossy().into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    fn catalog() -> &'static Catalog {
        Catalog::builtin()
    }

    fn document() -> Document {
        let mut project = Project::named("t");
        let mut web = Node::new("web", "ec2");
        web.position = Some(crate::model::Pos::new(0.0, 0.0));
        project.nodes.push(web);
        Document::new(project, None, catalog())
    }

    fn relabel(document: &Document, label: &str) -> Edit {
        let mut node = document.project().nodes[0].clone();
        node.label = label.to_owned();
        Edit::SetNode(node)
    }

    #[test]
    fn typing_in_one_field_is_one_step_and_another_field_starts_a_new_one() {
        let mut document = document();
        for text in ["W", "We", "Web"] {
            document.apply_coalescing("label", relabel(&document, text)).unwrap();
        }
        let mut node = document.project().nodes[0].clone();
        node.notes = "n".into();
        document.apply_coalescing("notes", Edit::SetNode(node)).unwrap();
        document.apply_coalescing("label", relabel(&document, "Web 2")).unwrap();
        assert_eq!(document.project().nodes[0].label, "Web 2");
        assert!(document.undo().unwrap());
        assert_eq!(document.project().nodes[0].label, "Web", "the third run of typing is its own step");
        assert!(document.undo().unwrap());
        assert_eq!(document.project().nodes[0].notes, "", "the notes are a step of their own");
        assert!(document.undo().unwrap());
        assert_eq!(document.project().nodes[0].label, "", "W, We, Web were one step");
        assert!(!document.can_undo());
    }

    #[test]
    fn ending_the_merge_makes_the_next_keystroke_a_new_step() {
        let mut document = document();
        document.apply_coalescing("label", relabel(&document, "A")).unwrap();
        document.end_coalescing();
        document.apply_coalescing("label", relabel(&document, "AB")).unwrap();
        assert!(document.undo().unwrap());
        assert_eq!(document.project().nodes[0].label, "A");
    }

    #[test]
    fn revisions_change_with_every_change_and_differ_between_documents() {
        let mut document = document();
        let other = self::document();
        assert_ne!(document.revision(), other.revision(), "two documents never share a revision");
        let start = document.revision();
        document.apply(relabel(&document, "x")).unwrap();
        let edited = document.revision();
        assert_ne!(start, edited);
        document.undo().unwrap();
        assert_ne!(document.revision(), edited);
        assert_ne!(document.revision(), start, "undo is a change too: caches must refresh");
    }

    #[test]
    fn undoing_back_to_the_saved_step_is_clean_and_redoing_past_it_is_dirty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        let mut document = document();
        document.apply(relabel(&document, "a")).unwrap();
        document.save_to(&path).unwrap();
        assert!(!document.is_dirty());
        document.apply(relabel(&document, "b")).unwrap();
        assert!(document.is_dirty());
        document.undo().unwrap();
        assert!(!document.is_dirty(), "back at the saved step");
        document.undo().unwrap();
        assert!(document.is_dirty(), "before the saved step");
        document.redo().unwrap();
        assert!(!document.is_dirty());
    }

    #[test]
    fn the_view_and_derivation_are_rebuilt_only_when_the_project_changed() {
        let mut document = document();
        let runs = document.derivations();
        document.refresh(catalog());
        document.refresh(catalog());
        assert_eq!(document.derivations(), runs, "nothing changed");
        let mut node = Node::new("db", "rds");
        node.position = Some(crate::model::Pos::new(300.0, 0.0));
        document.apply(Edit::InsertNode { index: 1, node }).unwrap();
        assert_eq!(document.view().node_index("db"), None, "not rebuilt before refresh");
        document.refresh(catalog());
        assert_eq!(document.derivations(), runs + 1);
        assert_eq!(document.view().node_index("db"), Some(1));
        assert!(document.derivation().node_tasks(1).iter().any(|t| t.key.starts_with("db/rds.")));
    }
}
