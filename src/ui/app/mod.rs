//! The app: window layout, commands, files, clipboard, and the confirmation before unsaved work
//! would be thrown away.

mod disk;
mod recovery;

use std::path::{Path, PathBuf};

use egui::{Context, RichText, Ui};

use super::Action;
use super::canvas::{self, CanvasState, Selection};
use super::commands::Command;
use super::dialogs::{FileDialogs, NativeDialogs, ScriptedDialogs};
use super::examples::EXAMPLES;
use super::palette::{PaletteState, palette_ui};
use super::panels::{self, Tab, TasksState};
use super::theme::Theme;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::export;
use crate::io;
use crate::model::{Project, fragment, ops};
use crate::recovery::{Found, RecoveryStore};

/// How many recent files are remembered.
const MAX_RECENT: usize = 10;
/// Storage keys for what persists between runs.
const RECENT_KEY: &str = "whoowns.recent";
const THEME_KEY: &str = "whoowns.theme";
const GRID_KEY: &str = "whoowns.grid";

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

/// Something that would throw away unsaved changes, waiting for Save, Discard or Cancel.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    Import,
    Open(Option<PathBuf>),
    OpenExample(usize),
    Quit,
}

/// A message shown at the top of the canvas until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Whether it reports a failure.
    pub is_error: bool,
    /// The text.
    pub text: String,
}

/// The whoowns desktop app.
pub struct WhoownsApp {
    catalog: &'static Catalog,
    document: Document,
    canvas: CanvasState,
    palette: PaletteState,
    tab: Tab,
    tasks: TasksState,
    theme: Theme,
    applied_theme: Option<Theme>,
    recent: Vec<PathBuf>,
    dialogs: Box<dyn FileDialogs>,
    queue: Vec<Command>,
    pending: Option<Pending>,
    messages: Vec<Message>,
    clipboard: Option<String>,
    pastes: u32,
    close_confirmed: bool,
    queue_close: bool,
    title: String,
    recovery: Option<RecoveryStore>,
    autosave_seconds: f64,
    /// When the last autosave happened (egui time) and which revision it wrote.
    last_autosave: (f64, Option<u64>),
    /// A recovery file waiting for Restore or Discard.
    offer: Option<Found>,
    /// A change to the file by another program, waiting for an answer.
    conflict: Option<disk::Conflict>,
    /// When the process started, when measuring start-up; and frames shown so far.
    startup_probe: Option<(std::time::Instant, u32)>,
}

impl WhoownsApp {
    /// Creates the app, restoring recent files, theme and grid from eframe's storage.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let catalog = Catalog::builtin();
        super::theme::install_fonts(&cc.egui_ctx);
        let mut app = Self {
            catalog,
            document: example_document(catalog, 0),
            canvas: CanvasState::default(),
            palette: PaletteState::default(),
            tab: Tab::default(),
            tasks: TasksState::default(),
            theme: Theme::default(),
            applied_theme: None,
            recent: Vec::new(),
            dialogs: options.dialogs,
            queue: Vec::new(),
            pending: None,
            messages: Vec::new(),
            clipboard: None,
            pastes: 0,
            close_confirmed: false,
            queue_close: false,
            title: String::new(),
            recovery: options.recovery_folder.map(RecoveryStore::new),
            autosave_seconds: options.autosave_seconds,
            last_autosave: (0.0, None),
            offer: None,
            conflict: None,
            startup_probe: None,
        };
        if let Some(storage) = cc.storage {
            app.recent = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
            app.theme = eframe::get_value(storage, THEME_KEY).unwrap_or_default();
            app.canvas.grid = eframe::get_value(storage, GRID_KEY).unwrap_or(true);
        }
        if let Some(path) = options.file {
            app.open_path(&path);
        }
        app.look_for_recovery();
        app
    }

    /// Measures start-up: prints how long after `started` the first frame was on screen, then
    /// quits (see [`super::STARTUP_PROBE_VARIABLE`]).
    pub fn probe_startup(&mut self, started: Option<std::time::Instant>) {
        self.startup_probe = started.map(|s| (s, 0));
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
        &self.canvas.selection
    }

    /// Messages shown to the user (errors first seen last).
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The visible side-panel tab.
    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// The canvas zoom, in points per scene unit.
    pub fn zoom(&self) -> f32 {
        self.canvas.zoom
    }

    /// Queues a command, as a menu or shortcut would.
    pub fn run_command(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Recently opened or saved files, newest first.
    pub fn recent_files(&self) -> &[PathBuf] {
        &self.recent
    }

    fn report(&mut self, is_error: bool, text: impl Into<String>) {
        self.messages.push(Message { is_error, text: text.into() });
        if self.messages.len() > 4 {
            self.messages.remove(0);
        }
    }

    // ------------------------------------------------------------------ files

    fn open_path(&mut self, path: &Path) {
        match Document::open(path, self.catalog) {
            Ok((document, warnings)) => {
                self.replace_document(document);
                for warning in warnings {
                    self.report(false, format!("{}: {warning}", path.display()));
                }
                self.remember(path);
            }
            Err(error) => self.report(true, error.to_string()),
        }
    }

    fn replace_document(&mut self, document: Document) {
        self.document = document;
        self.canvas.selection = Selection::default();
        self.canvas.armed = None;
        self.canvas.request_fit();
        self.pastes = 0;
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Saves to the document's file, or asks where when it has none. Returns whether it saved.
    fn save(&mut self) -> bool {
        match self.document.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    fn save_as(&mut self) -> bool {
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
        let before = self
            .recovery
            .as_ref()
            .map(|store| store.slot(self.document.path.as_deref(), &self.document.untitled_name));
        match self.document.save_to(path) {
            Ok(()) => {
                if let Some(before) = before {
                    std::fs::remove_file(before).ok();
                }
                self.drop_recovery();
                self.remember(path);
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

    fn export(&mut self, format: export::Format) {
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
    fn guard(&mut self, pending: Pending) {
        if self.modal_open() {
            return;
        }
        if self.document.is_dirty() {
            self.pending = Some(pending);
        } else {
            self.proceed(pending);
        }
    }

    fn proceed(&mut self, pending: Pending) {
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
                self.close_confirmed = true;
                self.queue_close = true;
            }
        }
    }
}

/// The built-in example `index` as an unsaved document named after it.
fn example_document(catalog: &'static Catalog, index: usize) -> Document {
    let example = &EXAMPLES[index.min(EXAMPLES.len() - 1)];
    let project = io::parse(Path::new(example.file_name), example.text.as_bytes(), catalog)
        .map(|loaded| loaded.project)
        .unwrap_or_else(|_| Project::named(example.name));
    let mut document = Document::new(project, None, catalog);
    document.untitled_name = example.file_name.to_owned();
    document
}

/// `path` with `extension` added when it has none.
fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(extension) }
}

impl WhoownsApp {
    // --------------------------------------------------------------- commands

    fn execute(&mut self, command: Command, ctx: &Context) {
        match command {
            Command::New => self.guard(Pending::New),
            Command::Open => self.guard(Pending::Open(None)),
            Command::Import => self.guard(Pending::Import),
            Command::OpenExample(index) => self.guard(Pending::OpenExample(index)),
            Command::OpenRecent(index) => {
                if let Some(path) = self.recent.get(index).cloned() {
                    self.guard(Pending::Open(Some(path)));
                }
            }
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Export(format) => self.export(format),
            Command::Quit => self.guard(Pending::Quit),
            Command::Undo => {
                self.document.undo();
            }
            Command::Redo => {
                self.document.redo();
            }
            Command::Copy => self.copy(ctx),
            Command::Cut => {
                self.copy(ctx);
                self.delete_selection();
            }
            Command::Paste => {
                if let Some(text) = self.clipboard.clone() {
                    self.paste(&text);
                }
            }
            Command::Duplicate => {
                if let Some(text) = self.selection_as_text() {
                    self.paste(&text);
                }
            }
            Command::Delete => self.delete_selection(),
            Command::SelectAll => {
                let project = self.document.project();
                self.canvas.selection = Selection {
                    nodes: project.nodes.iter().map(|n| n.id.clone()).collect(),
                    flows: project.flows.iter().map(|f| f.id.clone()).collect(),
                    boundaries: project.boundaries.iter().map(|b| b.id.clone()).collect(),
                };
            }
            Command::SelectNone => {
                self.canvas.selection = Selection::default();
                self.canvas.armed = None;
            }
            Command::GroupInto(kind) => {
                let nodes: Vec<&str> = self.canvas.selection.nodes.iter().map(String::as_str).collect();
                if let Some((edit, id)) = ops::group_into(self.document.project(), &nodes, kind) {
                    let selection = Selection { boundaries: [id].into(), ..Selection::default() };
                    self.act(Action::ApplyAndSelect(edit, selection));
                }
            }
            Command::ZoomIn => self.canvas.zoom_by(1.25),
            Command::ZoomOut => self.canvas.zoom_by(0.8),
            Command::ZoomToFit => self.canvas.request_fit(),
            Command::ZoomReset => {
                self.canvas.set_zoom(1.0);
                // Around the selection, when there is one.
                let selected: Vec<String> = self.canvas.selection.nodes.iter().cloned().collect();
                if !selected.is_empty() {
                    self.canvas.centre_on(self.document.project(), &selected);
                }
            }
            Command::ToggleGrid => self.canvas.grid = !self.canvas.grid,
            Command::SetTheme(theme) => self.theme = theme,
        }
        self.canvas.selection.retain_existing(self.document.project());
    }

    fn act(&mut self, action: Action) {
        let result = match action {
            Action::Apply(edit) => self.document.apply(edit),
            Action::ApplyAndSelect(edit, selection) => {
                let result = self.document.apply(edit);
                if result.is_ok() {
                    self.canvas.selection = selection;
                }
                result
            }
            Action::ApplyMerged { field, edit } => self.document.apply_coalescing(&field, edit),
            Action::EndMerge => {
                self.document.end_coalescing();
                Ok(())
            }
            Action::Select { selection, reveal } => {
                if reveal {
                    self.canvas.reveal(selection.nodes.iter().cloned().collect());
                }
                self.canvas.selection = selection;
                Ok(())
            }
            Action::Command(command) => {
                self.queue.push(command);
                Ok(())
            }
        };
        if let Err(error) = result {
            self.report(true, format!("That change could not be made: {error}"));
        }
    }

    // -------------------------------------------------------------- clipboard

    fn selection_as_text(&self) -> Option<String> {
        let selection = &self.canvas.selection;
        if selection.nodes.is_empty() && selection.boundaries.is_empty() {
            return None;
        }
        let nodes: Vec<&str> = selection.nodes.iter().map(String::as_str).collect();
        let boundaries: Vec<&str> = selection.boundaries.iter().map(String::as_str).collect();
        let fragment = fragment::extract(self.document.project(), &nodes, &boundaries);
        io::to_ron_string(&fragment).ok()
    }

    fn copy(&mut self, ctx: &Context) {
        if let Some(text) = self.selection_as_text() {
            ctx.copy_text(text.clone());
            self.clipboard = Some(text);
            self.pastes = 0;
        }
    }

    /// Pastes a fragment (RON from our own copy), offset a little more each time.
    fn paste(&mut self, text: &str) {
        let Ok(loaded) = io::parse(Path::new("clipboard"), text.as_bytes(), self.catalog) else { return };
        self.pastes += 1;
        let offset = 32.0 * self.pastes as f32;
        let (edit, pasted) = fragment::paste(self.document.project(), &loaded.project, (offset, offset));
        let selection = Selection {
            nodes: pasted.nodes.into_iter().collect(),
            boundaries: pasted.boundaries.into_iter().collect(),
            ..Selection::default()
        };
        self.act(Action::ApplyAndSelect(edit, selection));
    }

    fn delete_selection(&mut self) {
        let selection = std::mem::take(&mut self.canvas.selection);
        if selection.is_empty() {
            return;
        }
        let nodes: Vec<&str> = selection.nodes.iter().map(String::as_str).collect();
        let flows: Vec<&str> = selection.flows.iter().map(String::as_str).collect();
        let boundaries: Vec<&str> = selection.boundaries.iter().map(String::as_str).collect();
        let edit = ops::delete(self.document.project(), &nodes, &flows, &boundaries);
        self.act(Action::Apply(edit));
    }

    // ------------------------------------------------------------------ input

    fn keyboard(&mut self, ctx: &Context) {
        if self.modal_open() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        let mut triggered = Vec::new();
        ctx.input_mut(|input| {
            for command in Command::WITH_SHORTCUTS {
                if typing && !command.works_while_typing() {
                    continue;
                }
                let Some(main) = command.shortcut() else { continue };
                if input.consume_shortcut(&main)
                    || command.alternative_shortcuts().iter().any(|s| input.consume_shortcut(s))
                {
                    triggered.push(command);
                }
            }
            if !typing && input.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
                triggered.push(Command::SelectNone);
            }
        });
        self.queue.extend(triggered);
        if typing {
            return;
        }
        // Real keyboards send Copy, Cut and Paste as events rather than keys.
        let events = ctx.input(|i| i.events.clone());
        for event in events {
            match event {
                egui::Event::Copy => self.queue.push(Command::Copy),
                egui::Event::Cut => self.queue.push(Command::Cut),
                egui::Event::Paste(text) => {
                    if io::parse(Path::new("clipboard"), text.as_bytes(), self.catalog).is_ok() {
                        self.clipboard = Some(text);
                    }
                    self.queue.push(Command::Paste);
                }
                _ => {}
            }
        }
    }

    fn dropped_files(&mut self, ctx: &Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.guard(Pending::Open(Some(path)));
        }
    }

    fn close_request(&mut self, ctx: &Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed && self.document.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            // While another question is open, it is answered first.
            if !self.modal_open() {
                self.pending = Some(Pending::Quit);
            }
        }
    }

    /// Whether a question (unsaved changes, a change on disk, a recovery file) waits for an
    /// answer; one is asked at a time.
    fn modal_open(&self) -> bool {
        self.pending.is_some() || self.conflict.is_some() || self.offer.is_some()
    }

    fn update_title(&mut self, ctx: &Context) {
        let mark = if self.document.is_dirty() { " (unsaved)" } else { "" };
        let title = format!("{}{mark} — whoowns", self.document.display_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    // --------------------------------------------------------------------- ui

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.command_button(ui, Command::New);
                self.command_button(ui, Command::Open);
                ui.menu_button("Open example", |ui| {
                    for (index, example) in EXAMPLES.iter().enumerate() {
                        if ui.button(example.name).clicked() {
                            self.queue.push(Command::OpenExample(index));
                        }
                    }
                });
                self.command_button(ui, Command::Import);
                ui.separator();
                self.command_button(ui, Command::Save);
                self.command_button(ui, Command::SaveAs);
                ui.menu_button("Export checklist", |ui| {
                    for format in export::Format::CHECKLIST {
                        self.command_button(ui, Command::Export(format));
                    }
                });
                ui.menu_button("Export diagram", |ui| {
                    for format in export::Format::DIAGRAM {
                        self.command_button(ui, Command::Export(format));
                    }
                });
                ui.separator();
                ui.menu_button("Recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label(RichText::new("No recent files").weak());
                    }
                    for (index, path) in self.recent.iter().enumerate() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.queue.push(Command::OpenRecent(index));
                        }
                    }
                });
                ui.separator();
                self.command_button(ui, Command::Quit);
            });
            ui.menu_button("Edit", |ui| {
                let has_selection = !self.canvas.selection.is_empty();
                ui.add_enabled_ui(self.document.can_undo(), |ui| self.command_button(ui, Command::Undo));
                ui.add_enabled_ui(self.document.can_redo(), |ui| self.command_button(ui, Command::Redo));
                ui.separator();
                ui.add_enabled_ui(has_selection, |ui| {
                    self.command_button(ui, Command::Cut);
                    self.command_button(ui, Command::Copy);
                });
                ui.add_enabled_ui(self.clipboard.is_some(), |ui| self.command_button(ui, Command::Paste));
                ui.add_enabled_ui(has_selection, |ui| {
                    self.command_button(ui, Command::Duplicate);
                    self.command_button(ui, Command::Delete);
                });
                ui.separator();
                self.command_button(ui, Command::SelectAll);
                ui.add_enabled_ui(!self.canvas.selection.nodes.is_empty(), |ui| {
                    ui.menu_button("Group selection into", |ui| {
                        for kind in crate::model::BoundaryKind::ALL {
                            self.command_button(ui, Command::GroupInto(kind));
                        }
                    });
                });
            });
            ui.menu_button("View", |ui| {
                self.command_button(ui, Command::ZoomIn);
                self.command_button(ui, Command::ZoomOut);
                self.command_button(ui, Command::ZoomToFit);
                self.command_button(ui, Command::ZoomReset);
                ui.separator();
                let mut grid = self.canvas.grid;
                if ui.checkbox(&mut grid, Command::ToggleGrid.text()).clicked() {
                    self.queue.push(Command::ToggleGrid);
                }
                ui.separator();
                for theme in [Theme::Light, Theme::Dark] {
                    if ui.radio(self.theme == theme, Command::SetTheme(theme).text()).clicked() {
                        self.queue.push(Command::SetTheme(theme));
                    }
                }
            });
        });
    }

    /// A menu item for `command` showing its shortcut; clicking queues the command.
    fn command_button(&mut self, ui: &mut Ui, command: Command) {
        let mut button = egui::Button::new(command.text());
        if let Some(shortcut) = command.shortcut() {
            let text = ui.ctx().format_shortcut(&shortcut).replace("Equals", "=").replace("Minus", "-");
            button = button.shortcut_text(text);
        }
        if ui.add(button).clicked() {
            self.queue.push(command);
            ui.close();
        }
    }

    fn status_bar_ui(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let path = self.document.path.as_ref().map_or_else(
                || format!("{} (not saved yet)", self.document.display_name()),
                |p| p.display().to_string(),
            );
            ui.label(path);
            if self.document.is_dirty() {
                ui.label(RichText::new("Unsaved changes").strong());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!("Zoom {:.0}%", self.canvas.zoom * 100.0));
                ui.separator();
                let project = self.document.project();
                let derivation = self.document.derivation();
                let services = derivation.summary.services;
                let actors = project.nodes.len() - services;
                let actors = if actors > 0 { format!(" · {actors} outside AWS") } else { String::new() };
                ui.label(format!(
                    "{services} services{actors} · {} flows · {} remaining tasks",
                    project.flows.len(),
                    derivation.counts().remaining
                ));
            });
        });
    }

    fn side_panel_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let remaining = self.document.derivation().counts().remaining;
        panels::tab_bar_ui(ui, &mut self.tab, remaining);
        ui.separator();
        let dark = self.theme.is_dark();
        let selected_node =
            (self.canvas.selection.nodes.len() == 1).then(|| self.canvas.selection.nodes.first()).flatten();
        match self.tab {
            Tab::Responsibility => {
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    panels::responsibility_ui(
                        ui,
                        &self.document,
                        self.catalog,
                        selected_node.map(String::as_str),
                        dark,
                        actions,
                    );
                });
            }
            Tab::Tasks => panels::tasks_ui(
                ui,
                &mut self.tasks,
                &self.document,
                self.catalog,
                &self.canvas.selection,
                dark,
                actions,
            ),
            Tab::Properties => {
                panels::properties_ui(ui, &self.document, self.catalog, &self.canvas.selection, actions);
            }
        }
    }

    fn messages_ui(&mut self, ui: &mut Ui) {
        let mut dismissed = None;
        for (index, message) in self.messages.iter().enumerate() {
            let (fill, text) = if message.is_error {
                (egui::Color32::from_rgb(0x8B, 0x1E, 0x1E), egui::Color32::WHITE)
            } else {
                (ui.visuals().extreme_bg_color, ui.visuals().text_color())
            };
            egui::Frame::new().fill(fill).inner_margin(8.0).corner_radius(4.0).show(ui, |ui| {
                ui.horizontal(|ui| {
                    let prefix = if message.is_error { "Error: " } else { "" };
                    ui.add(
                        egui::Label::new(RichText::new(format!("{prefix}{}", message.text)).color(text))
                            .wrap(),
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button("Dismiss").clicked() {
                            dismissed = Some(index);
                        }
                    });
                });
            });
        }
        if let Some(index) = dismissed {
            self.messages.remove(index);
        }
    }

    fn confirm_ui(&mut self, ctx: &Context) {
        let Some(pending) = self.pending.clone() else { return };
        let choice = ask(
            ctx,
            "unsaved-changes",
            "Save changes?",
            &format!("{} has changes that are not saved.", self.document.display_name()),
            &[("Save", Choice::Save), ("Discard", Choice::Discard), ("Cancel", Choice::Cancel)],
            Some(Choice::Cancel),
        );
        match choice {
            Some(Choice::Save) => {
                self.pending = None;
                if self.save() {
                    self.proceed(pending);
                } else if let Some(disk::Conflict::Save(then)) = &mut self.conflict {
                    // Asked whether to overwrite another program's version: go on after that.
                    *then = Some(pending);
                }
            }
            Some(Choice::Discard) => {
                self.pending = None;
                self.drop_recovery();
                self.proceed(pending);
            }
            Some(Choice::Cancel) => self.pending = None,
            None => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Choice {
    Save,
    Discard,
    Cancel,
}

/// Asks a question in a modal window: a heading, a text and a button per answer; Escape gives
/// `on_escape`, when there is one. Returns the answer given this frame.
fn ask<T: Copy>(
    ctx: &Context,
    id: &str,
    heading: &str,
    text: &str,
    answers: &[(&str, T)],
    on_escape: Option<T>,
) -> Option<T> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading(heading);
        ui.label(text);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for &(label, answer) in answers {
                if ui.button(label).clicked() {
                    choice = Some(answer);
                }
            }
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            choice = choice.or(on_escape);
        }
    });
    choice
}

impl eframe::App for WhoownsApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.theme) {
            ctx.set_visuals(self.theme.visuals());
            self.applied_theme = Some(self.theme);
        }
        self.document.refresh(self.catalog);
        self.close_request(&ctx);
        self.dropped_files(&ctx);
        self.keyboard(&ctx);
        self.watch_disk(&ctx);

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
                self.side_panel_ui(ui, &mut actions);
            },
        );
        egui::CentralPanel::default().frame(egui::Frame::new()).show(ui, |ui| {
            if !self.messages.is_empty() {
                egui::Frame::new().inner_margin(6.0).show(ui, |ui| self.messages_ui(ui));
            }
            let theme = self.theme;
            actions.extend(canvas::canvas_ui(ui, &mut self.canvas, &self.document, self.catalog, theme));
        });
        self.confirm_ui(&ctx);
        self.recovery_ui(&ctx);
        self.conflict_ui(&ctx);

        let changed = !actions.is_empty() || !self.queue.is_empty();
        for action in actions {
            self.act(action);
        }
        for command in std::mem::take(&mut self.queue) {
            self.execute(command, &ctx);
        }
        // Commands can queue more (a panel button that deletes); run those too.
        for command in std::mem::take(&mut self.queue) {
            self.execute(command, &ctx);
        }
        if changed {
            // What was done at the end of this frame shows on the next one.
            ctx.request_repaint();
        }
        self.canvas.selection.retain_existing(self.document.project());
        self.document.refresh(self.catalog);
        self.update_title(&ctx);
        self.autosave(&ctx);
        if self.queue_close {
            self.queue_close = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some((started, frames)) = &mut self.startup_probe {
            // The second pass runs once the first frame has been painted and presented.
            *frames += 1;
            if *frames == 2 {
                eprintln!("whoowns: first frame on screen {} ms after start", started.elapsed().as_millis());
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, THEME_KEY, &self.theme);
        eframe::set_value(storage, GRID_KEY, &self.canvas.grid);
    }
}
