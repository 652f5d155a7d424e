//! Findings from Security Hub and Prowler on the open design: read from files the user picks,
//! read back from the design's evidence file when the design opens, kept there when asked.

use super::WhoownsApp;
use crate::evidence::report;

impl WhoownsApp {
    /// Asks for findings files and places them on the design; says what was read and placed.
    pub(super) fn load_findings(&mut self) {
        let sources = self.dialogs.pick_findings();
        if sources.is_empty() {
            return;
        }
        match self.document.read_findings(&sources, self.catalog) {
            Ok(()) => {
                self.report_placed();
                self.side.tab = crate::ui::panels::Tab::Evidence;
            }
            Err(error) => self.report(true, error.to_string()),
        }
    }

    /// Reads the design's evidence file, when it has one, after the design opened.
    pub(super) fn load_kept_findings(&mut self) {
        match self.document.load_kept_evidence(self.catalog) {
            Ok(true) => self.report_placed(),
            Ok(false) => {}
            Err(error) => self.report(true, format!("The design opened, but not its findings: {error}")),
        }
    }

    /// Writes the findings beside the design, where the command line and the next opening
    /// find them.
    pub(super) fn keep_findings(&mut self) {
        match self.document.keep_evidence() {
            Ok(path) => self.report(false, format!("Findings kept in {}", path.display())),
            Err(error) => self.report(true, format!("Cannot keep the findings: {error}")),
        }
    }

    fn report_placed(&mut self) {
        let Some(held) = self.document.evidence() else { return };
        let assessment = held.assessment();
        let text = format!(
            "{} {}",
            report::read_summary(assessment),
            report::placed_summary(self.document.derivation(), assessment)
        );
        self.report(false, text);
    }
}
