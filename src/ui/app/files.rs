//! Files: open, save, import, export, and what waits for an answer about unsaved changes.

use std::path::{Path, PathBuf};

use super::WhoownsApp;
use super::modal::Modal;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::export;
use crate::io;
use crate::model::Project;
use crate::ui::examples::EXAMPLES;

/// Something that would throw away unsaved changes, waiting for Save, Discard or Cancel.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Pending {
    New,
    Import,
    Open(Option<PathBuf>),
    OpenExample(usize),
    Quit,
}

impl WhoownsApp {
    pub(super) fn open_path(&mut self, path: &Path) {
        match Document::open(path, self.catalog) {
            Ok((document, warnings)) => {
                self.replace_document(document);
                for warning in warnings {
                    self.report(false, format!("{}: {warning}", path.display()));
                }
                self.load_kept_findings();
                self.prefs.remember(path);
            }
            Err(error) => self.report(true, error.to_string()),
        }
    }

    pub(super) fn replace_document(&mut self, document: Document) {
        self.document = document;
        self.canvas.reset();
        self.clipboard.pastes = 0;
    }

    /// Saves to the document's file, or asks where when it has none. Returns whether it saved.
    pub(super) fn save(&mut self) -> bool {
        match self.document.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    pub(super) fn save_as(&mut self) -> bool {
        let suggested = format!("{}.ron", self.document.display_name().trim_end_matches(".ron"));
        match self.dialogs.pick_project_save_path(&suggested) {
            Some(path) => self.save_to(&with_extension(path, "ron")),
            None => false,
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
        if self.save_would_overwrite(path) {
            return false;
        }
        // The recovery file of the document as it was called before this save.
        let before = self.autosave.slot_of(&self.document);
        match self.document.save_to(path) {
            Ok(()) => {
                if let Some(before) = before {
                    std::fs::remove_file(before).ok();
                }
                self.drop_recovery();
                self.prefs.remember(path);
                true
            }
            Err(error) => {
                self.report(true, error.to_string());
                false
            }
        }
    }

    /// Opens a new, unsaved document made from infrastructure as code or a draw.io diagram.
    fn import(&mut self, source: &Path) {
        match crate::import::import_file(source, self.catalog) {
            Ok(imported) => {
                let report = imported.report.summary();
                let mut document = Document::new(imported.project, None, self.catalog);
                let stem = source.file_stem().map_or("imported".into(), |s| s.to_string_lossy().into_owned());
                document.untitled_name = format!("{stem}.ron");
                document.mark_unsaved();
                self.replace_document(document);
                self.report(false, report);
            }
            Err(error) => self.report(true, error.to_string()),
        }
    }

    pub(super) fn export(&mut self, format: export::Format) {
        let stem = self.document.display_name().trim_end_matches(".ron").to_owned();
        let suggested = format!("{stem}.{}", format.extension());
        let Some(path) = self.dialogs.pick_export_path(&suggested, format.extension()) else { return };
        let path = with_extension(path, format.extension());
        let exported = export::export(
            self.document.project(),
            self.catalog,
            self.document.derivation(),
            format,
            &crate::today::today(),
        );
        let written = exported.map_err(|error| error.to_string()).and_then(|bytes| {
            // Never over the open project, nor over any other project.
            let inputs: Vec<&Path> = self.document.path.as_deref().into_iter().collect();
            io::write_export(&path, &bytes, &inputs).map_err(|error| error.to_string())
        });
        match written {
            Ok(()) => self.report(false, format!("Exported to {}", path.display())),
            Err(error) => self.report(true, format!("{}: cannot export: {error}", path.display())),
        }
    }

    /// Runs `pending` now, or asks first when it would throw away unsaved changes. Ignored while
    /// another question waits for an answer.
    pub(super) fn guard(&mut self, pending: Pending) {
        if self.modal.is_some() {
            return;
        }
        if self.document.is_dirty() {
            self.ask(Modal::Unsaved(pending));
        } else {
            self.proceed(pending);
        }
    }

    pub(super) fn proceed(&mut self, pending: Pending) {
        match pending {
            Pending::New => {
                let mut document = Document::new(Project::named("Untitled design"), None, self.catalog);
                document.untitled_name = "Untitled".to_owned();
                self.replace_document(document);
            }
            Pending::Import => {
                if let Some(source) = self.dialogs.pick_import_source() {
                    self.import(&source);
                }
            }
            Pending::Open(Some(path)) => self.open_path(&path),
            Pending::Open(None) => {
                if let Some(path) = self.dialogs.pick_project_to_open() {
                    self.open_path(&path);
                }
            }
            Pending::OpenExample(index) => {
                if index < EXAMPLES.len() {
                    self.replace_document(example_document(self.catalog, index));
                }
            }
            Pending::Quit => {
                self.window.close_confirmed = true;
                self.window.close_now = true;
            }
        }
    }
}

/// The built-in example `index` as a project.
pub(super) fn example_project(catalog: &'static Catalog, index: usize) -> Project {
    let example = &EXAMPLES[index.min(EXAMPLES.len() - 1)];
    io::parse(Path::new(example.file_name), example.text.as_bytes(), catalog)
        .map(|loaded| loaded.project)
        .unwrap_or_else(|_| Project::named(example.name))
}

/// The built-in example `index` as an unsaved document named after it.
pub(super) fn example_document(catalog: &'static Catalog, index: usize) -> Document {
    let mut document = Document::new(example_project(catalog, index), None, catalog);
    document.untitled_name = EXAMPLES[index.min(EXAMPLES.len() - 1)].file_name.to_owned();
    document
}

/// `path` with `extension` added when it has none.
fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(extension) }
}
