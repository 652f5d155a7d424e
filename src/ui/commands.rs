//! Every action a menu, a keyboard shortcut or a test can trigger, as one enum (after rerun's
//! `UICommand`): each command knows its text and its shortcut, so menus show the same shortcut
//! the keyboard handler listens for.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::theme::Theme;
use crate::export::Format;
use crate::model::BoundaryKind;

/// An action of the app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Start an empty design.
    New,
    /// Open a project file (file dialog).
    Open,
    /// Open a built-in example, by index, as an unsaved document.
    OpenExample(usize),
    /// Open a recently used file, by index.
    OpenRecent(usize),
    /// Make a new document from a CloudFormation template, Terraform JSON or draw.io diagram
    /// (file dialog).
    Import,
    /// Save to the current file (Save As for an untitled document).
    Save,
    /// Save to a new file (file dialog).
    SaveAs,
    /// Export the checklist, report or diagram (file dialog).
    Export(Format),
    /// Close the app.
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Copy the selection and delete it.
    Cut,
    /// Copy the selection.
    Copy,
    /// Paste what was copied.
    Paste,
    /// Copy and paste the selection in one go.
    Duplicate,
    /// Delete the selection.
    Delete,
    /// Select every node, flow and boundary.
    SelectAll,
    /// Clear the selection (and the armed palette item).
    SelectNone,
    /// Put the selected nodes in a new boundary of this kind.
    GroupInto(BoundaryKind),
    /// Zoom in around the centre of the canvas.
    ZoomIn,
    /// Zoom out around the centre of the canvas.
    ZoomOut,
    /// Show the whole design.
    ZoomToFit,
    /// Zoom to 100%.
    ZoomReset,
    /// Show or hide the grid (and snapping).
    ToggleGrid,
    /// Switch theme.
    SetTheme(Theme),
}

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

impl Command {
    /// The commands that have keyboard shortcuts, with more modifiers first so Ctrl+Shift+Z
    /// is tried before Ctrl+Z.
    pub const WITH_SHORTCUTS: [Self; 17] = [
        Self::SaveAs,
        Self::Redo,
        Self::New,
        Self::Open,
        Self::Save,
        Self::Quit,
        Self::Undo,
        Self::Cut,
        Self::Copy,
        Self::Paste,
        Self::Duplicate,
        Self::SelectAll,
        Self::Delete,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::ZoomToFit,
        Self::ZoomReset,
    ];

    /// What the menu says.
    pub fn text(&self) -> String {
        match self {
            Self::New => "New".into(),
            Self::Open => "Open…".into(),
            Self::OpenExample(_) | Self::OpenRecent(_) => "Open".into(),
            Self::Import => "Import CloudFormation, Terraform or draw.io…".into(),
            Self::Save => "Save".into(),
            Self::SaveAs => "Save As…".into(),
            Self::Export(format) => format!("{}…", format.name()),
            Self::Quit => "Quit".into(),
            Self::Undo => "Undo".into(),
            Self::Redo => "Redo".into(),
            Self::Cut => "Cut".into(),
            Self::Copy => "Copy".into(),
            Self::Paste => "Paste".into(),
            Self::Duplicate => "Duplicate".into(),
            Self::Delete => "Delete".into(),
            Self::SelectAll => "Select all".into(),
            Self::SelectNone => "Select none".into(),
            Self::GroupInto(kind) => kind.name().into(),
            Self::ZoomIn => "Zoom in".into(),
            Self::ZoomOut => "Zoom out".into(),
            Self::ZoomToFit => "Zoom to fit".into(),
            Self::ZoomReset => "Zoom to 100%".into(),
            Self::ToggleGrid => "Grid and snapping".into(),
            Self::SetTheme(Theme::Dark) => "Dark theme".into(),
            Self::SetTheme(Theme::Light) => "Light theme".into(),
        }
    }

    /// The main keyboard shortcut, shown in menus.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        Some(match self {
            Self::New => shortcut(CMD, Key::N),
            Self::Open => shortcut(CMD, Key::O),
            Self::Save => shortcut(CMD, Key::S),
            Self::SaveAs => shortcut(CMD_SHIFT, Key::S),
            Self::Quit => shortcut(CMD, Key::Q),
            Self::Undo => shortcut(CMD, Key::Z),
            Self::Redo => shortcut(CMD_SHIFT, Key::Z),
            Self::Cut => shortcut(CMD, Key::X),
            Self::Copy => shortcut(CMD, Key::C),
            Self::Paste => shortcut(CMD, Key::V),
            Self::Duplicate => shortcut(CMD, Key::D),
            Self::Delete => shortcut(Modifiers::NONE, Key::Delete),
            Self::SelectAll => shortcut(CMD, Key::A),
            Self::ZoomIn => shortcut(CMD, Key::Equals),
            Self::ZoomOut => shortcut(CMD, Key::Minus),
            Self::ZoomToFit => shortcut(CMD, Key::Num0),
            Self::ZoomReset => shortcut(CMD, Key::Num1),
            _ => return None,
        })
    }

    /// Other keys that trigger the command too.
    pub fn alternative_shortcuts(&self) -> &'static [KeyboardShortcut] {
        const REDO: [KeyboardShortcut; 1] = [shortcut(CMD, Key::Y)];
        const DELETE: [KeyboardShortcut; 1] = [shortcut(Modifiers::NONE, Key::Backspace)];
        const ZOOM_IN: [KeyboardShortcut; 1] = [shortcut(CMD, Key::Plus)];
        match self {
            Self::Redo => &REDO,
            Self::Delete => &DELETE,
            Self::ZoomIn => &ZOOM_IN,
            _ => &[],
        }
    }

    /// Whether the command works while a text field has the keyboard: file and app commands
    /// do; editing commands leave the keys to the text field (Ctrl+Z undoes typing there).
    pub fn works_while_typing(&self) -> bool {
        matches!(self, Self::New | Self::Open | Self::Save | Self::SaveAs | Self::Quit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique_and_listed_with_more_modifiers_first() {
        let mut seen = Vec::new();
        for command in Command::WITH_SHORTCUTS {
            let main = command.shortcut().expect("listed commands have shortcuts");
            for s in std::iter::once(&main).chain(command.alternative_shortcuts()) {
                assert!(!seen.contains(s), "{command:?} reuses {s:?}");
                seen.push(*s);
            }
        }
        let position = |c: Command| Command::WITH_SHORTCUTS.iter().position(|x| *x == c).unwrap();
        assert!(position(Command::Redo) < position(Command::Undo));
        assert!(position(Command::SaveAs) < position(Command::Save));
    }
}
