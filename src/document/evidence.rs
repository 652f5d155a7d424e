//! Findings on the open document: read from scanners' files or the design's evidence file,
//! placed again on every revision, so the app shows which tasks really hold as the design
//! changes. Nothing here writes the design; the evidence file is written only when asked.

use std::path::PathBuf;

use super::Document;
use crate::catalog::Catalog;
use crate::evidence::{self, Assessment, Evidence, EvidenceError, Verdict};

/// The findings a document holds, where they came from, and where they went.
#[derive(Debug)]
pub struct DocumentEvidence {
    /// What they were read from, for the status line: the evidence file, or the findings files.
    pub origin: EvidenceOrigin,
    /// The findings, placed on the derivation of `placed_revision`.
    assessment: Assessment,
    placed_revision: Option<u64>,
    /// Unique per load, so views built on earlier findings know to rebuild.
    loaded: u64,
    /// Per node (by index): whether any of its tasks fails.
    failing_nodes: Vec<bool>,
}

/// Where a document's findings came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceOrigin {
    /// The design's evidence file (read, or written since).
    File(PathBuf),
    /// Findings files read in the app and not yet kept in an evidence file.
    Findings(Vec<PathBuf>),
}

impl DocumentEvidence {
    /// The findings placed on the current revision.
    pub fn assessment(&self) -> &Assessment {
        &self.assessment
    }

    /// Whether node `index` has a task whose findings fail.
    pub fn node_fails(&self, index: usize) -> bool {
        self.failing_nodes.get(index).copied().unwrap_or(false)
    }

    /// A number that changes whenever other findings are loaded (placing them again follows
    /// the document's revision).
    pub fn stamp(&self) -> u64 {
        self.loaded
    }

    /// Whether the findings are only in memory (read from findings files, not kept).
    pub fn is_unkept(&self) -> bool {
        matches!(self.origin, EvidenceOrigin::Findings(_))
    }
}

impl Document {
    /// The findings on this document, placed on the current revision, if any were loaded.
    pub fn evidence(&self) -> Option<&DocumentEvidence> {
        self.evidence.as_ref()
    }

    /// The evidence file this document's findings are kept in: the one the project names, else
    /// `NAME.evidence.json` beside the design. `None` for an untitled document.
    pub fn evidence_path(&self) -> Option<PathBuf> {
        let path = self.path.as_deref()?;
        Some(evidence::file::path_for(path, self.project().evidence.as_deref()))
    }

    /// Reads the design's evidence file when there is one. `Ok(false)` when there is none;
    /// an error (and no findings) when it is there but cannot be read.
    pub fn load_kept_evidence(&mut self, catalog: &'static Catalog) -> Result<bool, EvidenceError> {
        let Some(path) = self.evidence_path() else { return Ok(false) };
        if !path.exists() {
            return Ok(false);
        }
        let loaded = Evidence::load(&path)?;
        self.set_evidence(loaded, EvidenceOrigin::File(path), catalog);
        Ok(true)
    }

    /// Reads findings files (Security Hub ASFF, OCSF, Prowler CSV) and puts their findings on
    /// the document in place of any it had. On an error nothing changes.
    pub fn read_findings(
        &mut self,
        sources: &[PathBuf],
        catalog: &'static Catalog,
    ) -> Result<(), EvidenceError> {
        let mut reads = Vec::with_capacity(sources.len());
        for source in sources {
            reads.push(evidence::read_findings(source)?);
        }
        self.set_evidence(Evidence::from_reads(reads), EvidenceOrigin::Findings(sources.to_vec()), catalog);
        Ok(())
    }

    /// Writes the findings to the design's evidence file, where the command line and the next
    /// opening find them. Returns the path written.
    pub fn keep_evidence(&mut self) -> Result<PathBuf, KeepEvidenceError> {
        let path = self.evidence_path().ok_or(KeepEvidenceError::Untitled)?;
        let Some(held) = self.evidence.as_mut() else { return Err(KeepEvidenceError::NoFindings) };
        held.assessment
            .evidence
            .save(&path)
            .map_err(|cause| KeepEvidenceError::Io { path: path.clone(), cause })?;
        held.origin = EvidenceOrigin::File(path.clone());
        Ok(path)
    }

    /// Forgets the findings (the evidence file, if any, stays as it is).
    pub fn clear_evidence(&mut self) {
        self.evidence = None;
    }

    fn set_evidence(&mut self, evidence: Evidence, origin: EvidenceOrigin, catalog: &'static Catalog) {
        static LOADS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.evidence = Some(DocumentEvidence {
            loaded: LOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            origin,
            assessment: Assessment { evidence, placement: crate::evidence::Placement::default() },
            placed_revision: None,
            failing_nodes: Vec::new(),
        });
        self.refresh(catalog);
        self.place_evidence(catalog);
    }

    /// Places the findings on the current derivation if the revision changed since they were
    /// last placed. Called by [`Document::refresh`].
    pub(super) fn place_evidence(&mut self, catalog: &'static Catalog) {
        let revision = self.revision();
        let Some(held) = self.evidence.as_mut() else { return };
        if held.placed_revision == Some(revision) {
            return;
        }
        // Placing takes the findings by value: they move out of the old assessment, not copied.
        let findings = std::mem::take(&mut held.assessment.evidence);
        held.assessment = Assessment::new(&self.project, catalog, &self.derivation, findings);
        held.failing_nodes = (0..self.project.nodes.len())
            .map(|node| {
                self.derivation.node_task_range(node).any(|task| {
                    held.assessment.placement.tasks.get(task).is_some_and(|t| t.verdict() == Verdict::Failing)
                })
            })
            .collect();
        held.placed_revision = Some(revision);
    }
}

/// Why findings could not be kept in an evidence file.
#[derive(Debug, thiserror::Error)]
pub enum KeepEvidenceError {
    /// The design has no file yet, so its evidence file has no place.
    #[error("save the design first: its findings are kept beside it")]
    Untitled,
    /// No findings are loaded.
    #[error("no findings are loaded")]
    NoFindings,
    /// The evidence file could not be written.
    #[error("{}: cannot write the evidence file: {cause}", path.display())]
    Io {
        /// The evidence file.
        path: PathBuf,
        /// What went wrong.
        cause: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::path::Path;

    use super::*;
    use crate::model::Edit;

    fn catalog() -> &'static Catalog {
        Catalog::builtin()
    }

    /// The e-commerce example, opened from a copy in `dir`, with the example's findings read.
    fn shop(dir: &Path) -> Document {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let design = dir.join("shop.ron");
        std::fs::copy(root.join("examples/ecommerce.ron"), &design).unwrap();
        let (mut document, _) = Document::open(&design, catalog()).unwrap();
        document.read_findings(&[root.join("examples/ecommerce.findings.json")], catalog()).unwrap();
        document
    }

    fn node_index(document: &Document, id: &str) -> usize {
        document.project().nodes.iter().position(|n| n.id == id).unwrap()
    }

    #[test]
    fn findings_mark_failing_nodes_and_follow_edits() {
        let dir = tempfile::tempdir().unwrap();
        let mut document = shop(dir.path());
        let held = document.evidence().unwrap();
        assert!(held.is_unkept());
        assert_eq!(held.assessment().verdict_counts()[0], 5, "five tasks fail, as `whoowns evidence` says");
        let web = node_index(&document, "web");
        assert!(held.node_fails(web), "IMDSv2 fails on the web servers");
        assert!(!held.node_fails(node_index(&document, "cdn")));

        // The web servers no longer name their instance: its findings have nowhere to go.
        let mut node = document.project().nodes[web].clone();
        node.resources.clear();
        document.apply(Edit::SetNode(node)).unwrap();
        document.refresh(catalog());
        assert!(!document.evidence().unwrap().node_fails(web), "placed again on the new revision");
        assert!(document.undo().unwrap());
        document.refresh(catalog());
        assert!(document.evidence().unwrap().node_fails(web));
    }

    #[test]
    fn kept_findings_are_read_back_when_the_design_opens() {
        let dir = tempfile::tempdir().unwrap();
        let mut document = shop(dir.path());
        let design_before = std::fs::read(dir.path().join("shop.ron")).unwrap();
        let path = document.keep_evidence().unwrap();
        assert_eq!(path, dir.path().join("shop.evidence.json"));
        assert!(!document.evidence().unwrap().is_unkept());
        assert_eq!(
            std::fs::read(dir.path().join("shop.ron")).unwrap(),
            design_before,
            "the design is not written"
        );

        let (mut reopened, _) = Document::open(&dir.path().join("shop.ron"), catalog()).unwrap();
        assert!(reopened.evidence().is_none());
        assert!(reopened.load_kept_evidence(catalog()).unwrap());
        let held = reopened.evidence().unwrap();
        assert_eq!(held.origin, EvidenceOrigin::File(path));
        assert_eq!(held.assessment().verdict_counts()[0], 5);
    }

    #[test]
    fn a_broken_findings_file_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut document = shop(dir.path());
        let broken = dir.path().join("broken.json");
        std::fs::write(&broken, "[{\"SchemaVersion\": ").unwrap();
        let error = document.read_findings(&[broken], catalog()).unwrap_err().to_string();
        assert!(error.contains("broken.json:1:"), "{error}");
        assert_eq!(document.evidence().unwrap().assessment().verdict_counts()[0], 5, "the old findings stay");
        let mut untitled = Document::new(document.project().clone(), None, catalog());
        assert!(!untitled.load_kept_evidence(catalog()).unwrap());
        assert!(matches!(untitled.keep_evidence(), Err(KeepEvidenceError::Untitled)));
        document.clear_evidence();
        assert!(matches!(document.keep_evidence(), Err(KeepEvidenceError::NoFindings)));
    }
}
