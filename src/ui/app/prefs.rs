//! What the app remembers between runs: recent files, the theme, and view settings (grid,
//! minimap, which flows are shown).

use std::path::{Path, PathBuf};

use egui::Context;

use crate::ui::canvas::{CanvasState, FlowFilter};
use crate::ui::theme::Theme;

/// How many recent files are remembered.
const MAX_RECENT: usize = 10;
/// Storage keys.
const RECENT_KEY: &str = "whoowns.recent";
const THEME_KEY: &str = "whoowns.theme";
const GRID_KEY: &str = "whoowns.grid";
const MINIMAP_KEY: &str = "whoowns.minimap";
const FLOWS_KEY: &str = "whoowns.flows";

/// The preferences.
pub(super) struct Prefs {
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    /// The theme.
    pub theme: Theme,
    /// The theme egui's visuals were last set to.
    applied_theme: Option<Theme>,
    grid: bool,
    minimap: bool,
    flows: FlowFilter,
}

impl Prefs {
    /// Reads what was remembered (defaults when nothing was).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let mut prefs = Self {
            recent: Vec::new(),
            theme: Theme::default(),
            applied_theme: None,
            grid: true,
            minimap: true,
            flows: FlowFilter::default(),
        };
        if let Some(storage) = storage {
            prefs.recent = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
            prefs.theme = eframe::get_value(storage, THEME_KEY).unwrap_or_default();
            prefs.grid = eframe::get_value(storage, GRID_KEY).unwrap_or(true);
            prefs.minimap = eframe::get_value(storage, MINIMAP_KEY).unwrap_or(true);
            prefs.flows = eframe::get_value(storage, FLOWS_KEY).unwrap_or_default();
        }
        prefs
    }

    /// Gives the canvas the remembered view settings.
    pub fn apply_to(&self, canvas: &mut CanvasState) {
        canvas.grid = self.grid;
        canvas.minimap = self.minimap;
        canvas.flows = self.flows;
    }

    /// Takes the canvas's view settings, to be saved.
    pub fn remember_view(&mut self, canvas: &CanvasState) {
        self.grid = canvas.grid;
        self.minimap = canvas.minimap;
        self.flows = canvas.flows;
    }

    /// Writes everything to `storage`.
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, THEME_KEY, &self.theme);
        eframe::set_value(storage, GRID_KEY, &self.grid);
        eframe::set_value(storage, MINIMAP_KEY, &self.minimap);
        eframe::set_value(storage, FLOWS_KEY, &self.flows);
    }

    /// Sets egui's visuals when the theme changed.
    pub fn apply_theme(&mut self, ctx: &Context) {
        if self.applied_theme != Some(self.theme) {
            ctx.set_visuals(self.theme.visuals());
            self.applied_theme = Some(self.theme);
        }
    }

    /// Puts `path` first among the recent files.
    pub fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }
}
