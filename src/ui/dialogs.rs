//! Native file dialogs behind a trait, so tests script the answers and never open a window.

use std::collections::VecDeque;
use std::path::PathBuf;

/// What the app asks the user for.
pub trait FileDialogs {
    /// A project file to open.
    fn pick_project_to_open(&mut self) -> Option<PathBuf>;
    /// Where to save the project, starting from `suggested_name`.
    fn pick_project_save_path(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Where to write an export with `extension` (no dot), starting from `suggested_name`.
    fn pick_export_path(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf>;
    /// A CloudFormation template, Terraform JSON or draw.io diagram to import.
    fn pick_import_source(&mut self) -> Option<PathBuf>;
    /// Findings files from Security Hub or Prowler (several at once); empty when cancelled.
    fn pick_findings(&mut self) -> Vec<PathBuf>;
}

/// The real dialogs, from rfd (the XDG desktop portal on Linux, with a zenity fallback).
#[derive(Default)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_project_to_open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new().add_filter("whoowns project", &["ron"]).set_title("Open project").pick_file()
    }

    fn pick_project_save_path(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("whoowns project", &["ron"])
            .set_title("Save project")
            .set_file_name(suggested_name)
            .save_file()
    }

    fn pick_export_path(&mut self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(extension, &[extension])
            .set_title("Export")
            .set_file_name(suggested_name)
            .save_file()
    }

    fn pick_import_source(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                "CloudFormation, Terraform JSON or draw.io",
                &["yaml", "yml", "json", "template", "drawio", "dio", "xml", "svg", "png"],
            )
            .add_filter("CloudFormation, SAM or Terraform JSON", &["yaml", "yml", "json", "template"])
            .add_filter("draw.io diagram", &["drawio", "dio", "xml", "svg", "png"])
            .set_title("Import infrastructure as code or a diagram")
            .pick_file()
    }

    fn pick_findings(&mut self) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                "Security Hub (ASFF, OCSF) or Prowler (JSON, CSV)",
                &["json", "ndjson", "jsonl", "csv"],
            )
            .set_title("Load findings")
            .pick_files()
            .unwrap_or_default()
    }
}

/// Dialogs that answer from a script, for tests: each question takes the next answer
/// (`None` = the user cancelled).
#[derive(Default)]
pub struct ScriptedDialogs {
    /// The answers, in order.
    pub answers: VecDeque<Option<PathBuf>>,
}

impl ScriptedDialogs {
    /// Dialogs that will give `answers` in order.
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> Self {
        Self { answers: answers.into_iter().collect() }
    }
}

impl FileDialogs for ScriptedDialogs {
    fn pick_project_to_open(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_project_save_path(&mut self, _suggested_name: &str) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_export_path(&mut self, _suggested_name: &str, _extension: &str) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_import_source(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }

    fn pick_findings(&mut self) -> Vec<PathBuf> {
        self.answers.pop_front().flatten().into_iter().collect()
    }
}
