//! The desktop app (eframe/egui): the only module that knows egui.
//!
//! Data flows one way: input becomes an [`Action`] or a [`Command`]; actions and commands
//! become [`crate::model::Edit`]s applied to the document through its undo history; the
//! derivation is recomputed only when the document's revision changes; panels and the canvas
//! read the document and the cached derivation and never change them directly.

mod app;
pub mod canvas;
mod commands;
mod dialogs;
mod examples;
mod palette;
pub mod panels;
pub mod search;
pub mod selection;
mod theme;

use std::path::PathBuf;

pub use crate::document::Document;
pub use app::{AppOptions, Message, WhoownsApp};
pub use commands::{Command, SHORTCUTS};
pub use dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
pub use examples::EXAMPLES;
pub use panels::Tab;
pub use selection::{PaletteItem, Selection};
pub use theme::Theme;

use crate::model::Edit;

/// Something a panel or the canvas asks the app to do at the end of the frame.
#[derive(Clone, Debug)]
pub enum Action {
    /// Apply an edit as one undo step.
    Apply(Edit),
    /// Apply an edit, then select what it added.
    ApplyAndSelect(Edit, Selection),
    /// Apply an edit, merged into the previous step when it came from the same field.
    ApplyMerged {
        /// Which field (e.g. `node:web:label`).
        field: String,
        /// The edit.
        edit: Edit,
    },
    /// A text field lost focus: the next edit starts a new undo step.
    EndMerge,
    /// Change the selection, and bring it into view when `reveal`.
    Select {
        /// The new selection.
        selection: Selection,
        /// Whether to scroll the canvas to it.
        reveal: bool,
    },
    /// Run a command.
    Command(Command),
    /// Say something the user should know happened (a node moved into a boundary).
    Notice(String),
}

/// The window's default and smallest sizes, in points.
pub const DEFAULT_WINDOW_SIZE: [f32; 2] = [1440.0, 900.0];
/// The smallest window the layout is made for.
pub const MIN_WINDOW_SIZE: [f32; 2] = [1024.0, 700.0];

/// The environment variable that makes the app print how long after `started` its first frame
/// was on screen, then quit: what `benches/startup.sh` measures.
pub const STARTUP_PROBE_VARIABLE: &str = "WHOOWNS_STARTUP_PROBE";

/// Opens the desktop app with `file` (or the built-in example) and runs until it is closed.
/// `started` is when the process started.
pub fn run(file: Option<PathBuf>, started: std::time::Instant) -> eframe::Result {
    let probe = std::env::var_os(STARTUP_PROBE_VARIABLE).map(|_| started);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("whoowns")
            .with_app_id("whoowns")
            .with_inner_size(DEFAULT_WINDOW_SIZE)
            .with_min_inner_size(MIN_WINDOW_SIZE)
            .with_drag_and_drop(true),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "whoowns",
        options,
        Box::new(move |cc| {
            let mut app = WhoownsApp::new(cc, AppOptions { file, ..AppOptions::default() });
            app.probe_startup(probe);
            Ok(Box::new(app))
        }),
    )
}
