//! The app: window layout, and the parts that own their state. Each part is a field with a
//! type of its own, in a file of its own:
//!
//! - `files.rs`: open, save, import, export; what a question about unsaved changes waits for;
//! - `modal.rs`: the one question asked at a time ([`modal::Modal`]);
//! - `recovery.rs`: autosave ([`recovery::Autosave`]) and the offer to restore;
//! - `disk.rs`: changes other programs make to the open file;
//! - `clipboard.rs`: copy, cut, paste, duplicate, delete;
//! - `input.rs`: keyboard shortcuts, dropped files, closing the window;
//! - `execute.rs`: what each command and action does;
//! - `evidence.rs`: findings from Security Hub and Prowler, loaded, kept, cleared;
//! - `menu.rs`: the menu bar and status bar; `find.rs`: the find bar;
//! - `messages.rs`: messages over the canvas; `prefs.rs`: what is remembered between runs.

mod clipboard;
mod disk;
mod evidence;
mod execute;
mod files;
mod find;
mod input;
mod menu;
mod messages;
mod modal;
mod prefs;
mod recovery;

use std::path::PathBuf;

use egui::{Context, Ui};

use super::Action;
use super::canvas::{self, CanvasState};
use super::commands::Command;
use super::dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
use super::palette::{PaletteState, palette_ui};
use super::panels::{self, SidePanel};
use super::search::SearchIndex;
use super::selection::Selection;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::Project;

pub use messages::Message;

/// How the app starts.
pub struct AppOptions {
    /// A project to open; the first built-in example (unsaved) when `None`.
    pub file: Option<PathBuf>,
    /// Where file dialogs come from (scripted in tests).
    pub dialogs: Box<dyn FileDialogs>,
    /// Where unsaved work is autosaved for recovery after a crash; `None` turns it off.
    pub recovery_folder: Option<PathBuf>,
    /// Seconds between autosaves while there are unsaved changes.
    pub autosave_seconds: f64,
}

impl Default for AppOptions {
    /// The real app: native dialogs, recovery files in the platform's data folder.
    fn default() -> Self {
        Self {
            file: None,
            dialogs: Box::new(NativeDialogs),
            recovery_folder: eframe::storage_dir("whoowns").map(|dir| dir.join("recovery")),
            autosave_seconds: 30.0,
        }
    }
}

impl AppOptions {
    /// For tests: scripted dialogs, no recovery files unless a folder is given.
    pub fn scripted(dialogs: ScriptedDialogs) -> Self {
        Self { file: None, dialogs: Box::new(dialogs), recovery_folder: None, autosave_seconds: 30.0 }
    }
}

/// The window itself: its title, closing, and the start-up probe.
#[derive(Default)]
struct Window {
    /// The user agreed to quit (unsaved changes answered).
    close_confirmed: bool,
    /// Close at the end of this frame.
    close_now: bool,
    title: String,
    /// Whether a text field had the keyboard at the end of the last frame.
    typing: bool,
    /// When the process started, when measuring start-up; and frames shown so far.
    startup_probe: Option<(std::time::Instant, u32)>,
}

/// The whoowns desktop app.
pub struct WhoownsApp {
    catalog: &'static Catalog,
    document: Document,
    canvas: CanvasState,
    palette: PaletteState,
    side: SidePanel,
    find: find::Find,
    /// The search index behind the Tasks tab's search and the find bar.
    search: SearchIndex,
    prefs: prefs::Prefs,
    dialogs: Box<dyn FileDialogs>,
    queue: Vec<Command>,
    modal: Option<modal::Modal>,
    messages: messages::Messages,
    clipboard: clipboard::Clipboard,
    autosave: recovery::Autosave,
    window: Window,
}

impl WhoownsApp {
    /// Creates the app, restoring recent files, theme and view settings from eframe's storage.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let catalog = Catalog::builtin();
        super::theme::install_fonts(&cc.egui_ctx);
        // Ctrl+= and Ctrl+- zoom the canvas, never the whole interface.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let prefs = prefs::Prefs::load(cc.storage);
        let mut canvas = CanvasState::default();
        prefs.apply_to(&mut canvas);
        let mut app = Self {
            catalog,
            document: files::example_document(catalog, 0),
            canvas,
            palette: PaletteState::default(),
            side: SidePanel::default(),
            find: find::Find::default(),
            search: SearchIndex::default(),
            prefs,
            dialogs: options.dialogs,
            queue: Vec::new(),
            modal: None,
            messages: messages::Messages::default(),
            clipboard: clipboard::Clipboard::default(),
            autosave: recovery::Autosave::new(options.recovery_folder, options.autosave_seconds),
            window: Window::default(),
        };
        if let Some(path) = options.file {
            app.open_path(&path);
        }
        app.look_for_recovery();
        app
    }

    /// Measures start-up: prints how long after `started` the first frame was on screen, then
    /// quits (see [`super::STARTUP_PROBE_VARIABLE`]).
    pub fn probe_startup(&mut self, started: Option<std::time::Instant>) {
        self.window.startup_probe = started.map(|s| (s, 0));
    }

    /// The open document.
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// The project being edited.
    pub fn project(&self) -> &Project {
        self.document.project()
    }

    /// What is selected on the canvas.
    pub fn selection(&self) -> &Selection {
        self.canvas.selection()
    }

    /// The canvas's view: zoom, visible part, collapsed boundaries, flow filter.
    pub fn canvas(&self) -> &CanvasState {
        &self.canvas
    }

    /// Messages shown to the user (errors first seen last).
    pub fn messages(&self) -> &[Message] {
        self.messages.all()
    }

    /// The visible side-panel tab.
    pub fn tab(&self) -> panels::Tab {
        self.side.tab
    }

    /// The canvas zoom, in points per scene unit.
    pub fn zoom(&self) -> f32 {
        self.canvas.zoom()
    }

    /// Queues a command, as a menu or shortcut would.
    pub fn run_command(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Recently opened or saved files, newest first.
    pub fn recent_files(&self) -> &[PathBuf] {
        &self.prefs.recent
    }

    /// Whether a question waits for an answer.
    pub fn is_asking(&self) -> bool {
        self.modal.is_some()
    }

    fn report(&mut self, is_error: bool, text: impl Into<String>) {
        self.messages.push(is_error, text.into());
    }

    fn update_title(&mut self, ctx: &Context) {
        let mark = if self.document.is_dirty() { " (unsaved)" } else { "" };
        let title = format!("{}{mark} — whoowns", self.document.display_name());
        if title != self.window.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window.title = title;
        }
    }

    /// The panels and the canvas; returns what they asked for.
    fn layout_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("palette").resizable(true).default_size(220.0).size_range(170.0..=360.0).show(
            ui,
            |ui| {
                ui.heading("Services");
                palette_ui(ui, &mut self.palette, self.catalog, &mut self.canvas.armed);
            },
        );
        egui::Panel::right("side-panel").resizable(true).default_size(360.0).size_range(290.0..=560.0).show(
            ui,
            |ui| {
                let context = panels::Context {
                    document: &self.document,
                    catalog: self.catalog,
                    dark: self.prefs.theme.is_dark(),
                };
                self.side.ui(ui, &context, &self.canvas, &mut self.search, &mut actions);
            },
        );
        egui::CentralPanel::default().frame(egui::Frame::new()).show(ui, |ui| {
            let canvas_rect = ui.available_rect_before_wrap();
            let theme = self.prefs.theme;
            actions.extend(canvas::canvas_ui(ui, &mut self.canvas, &self.document, self.catalog, theme));
            // Over the canvas, so the canvas never changes size when they come and go.
            self.find.ui(ui.ctx(), canvas_rect, &self.document, &mut self.search, self.catalog, &mut actions);
            self.messages.ui(ui.ctx(), canvas_rect, self.prefs.theme);
        });
        actions
    }

    /// Runs what the frame asked for, then the commands queued (and those they queue).
    fn run_queued(&mut self, actions: Vec<Action>, ctx: &Context) {
        let changed = !actions.is_empty() || !self.queue.is_empty();
        for action in actions {
            self.act(action);
        }
        for _ in 0..2 {
            for command in std::mem::take(&mut self.queue) {
                self.execute(command, ctx);
            }
        }
        if changed {
            // What was done at the end of this frame shows on the next one.
            ctx.request_repaint();
        }
    }

    fn after_frame(&mut self, ctx: &Context) {
        self.window.typing = ctx.egui_wants_keyboard_input();
        if self.window.close_now {
            self.window.close_now = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some((started, frames)) = &mut self.window.startup_probe {
            // The second pass runs once the first frame has been painted and presented.
            *frames += 1;
            if *frames == 2 {
                eprintln!("whoowns: first frame on screen {} ms after start", started.elapsed().as_millis());
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ctx.request_repaint();
        }
    }
}

impl eframe::App for WhoownsApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.prefs.apply_theme(&ctx);
        self.document.refresh(self.catalog);
        self.close_request(&ctx);
        self.dropped_files(&ctx);
        self.keyboard(&ctx);
        self.watch_disk(&ctx);
        let actions = self.layout_ui(ui);
        self.modal_ui(&ctx);
        self.run_queued(actions, &ctx);
        self.document.refresh(self.catalog);
        self.canvas.retain_existing(&self.document);
        self.update_title(&ctx);
        self.autosave(&ctx);
        self.messages.expire(&ctx);
        self.after_frame(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.remember_view(&self.canvas);
        self.prefs.save(storage);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean quit leaves no recovery file for a document that has nothing unsaved.
        if !self.document.is_dirty() {
            self.drop_recovery();
        }
    }
}
