//! Every action a menu, a keyboard shortcut or a test can trigger, as one enum (after rerun's
//! `UICommand`): each command knows its text, and one table ([`SHORTCUTS`]) gives the keys, so
//! menus show exactly the shortcut the keyboard handler listens for.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::canvas::FlowFocus;
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
    /// Read Security Hub or Prowler findings and place them on the design (file dialog).
    LoadFindings,
    /// Write the loaded findings to the design's evidence file, beside it.
    KeepFindings,
    /// Forget the loaded findings (the evidence file stays).
    ClearFindings,
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
    /// Put the selected nodes and boundaries in a new boundary of this kind.
    GroupInto(BoundaryKind),
    /// Remove the selected boundaries, keeping what they hold (it moves up to their parent).
    Ungroup,
    /// Collapse the selected boundaries into one block each, or expand them.
    ToggleCollapse,
    /// Find nodes and tasks by name.
    Find,
    /// Zoom in around the centre of the canvas.
    ZoomIn,
    /// Zoom out around the centre of the canvas.
    ZoomOut,
    /// Show the whole design.
    ZoomToFit,
    /// Zoom to 100%.
    ZoomReset,
    /// Zoom so the selection fills the canvas.
    ZoomToSelection,
    /// Show or hide the grid (and snapping).
    ToggleGrid,
    /// Show or hide the minimap.
    ToggleMinimap,
    /// What happens to flows away from the selection.
    SetFlowFocus(FlowFocus),
    /// Show only flows not known to be encrypted, or every flow.
    ToggleUnencryptedFlows,
    /// Show only flows that cross between trust zones, or every flow.
    ToggleCrossingFlows,
    /// Switch theme.
    SetTheme(Theme),
}

const fn shortcut(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const NONE: Modifiers = Modifiers::NONE;
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

/// Every keyboard shortcut: the first one of a command is its main shortcut (shown in menus),
/// the others are alternatives. Shortcuts with more modifiers come first, so Ctrl+Shift+Z is
/// tried before Ctrl+Z (egui ignores extra Shift when matching). This table is the only place
/// keys are given: menus and the keyboard handler both read it.
pub const SHORTCUTS: &[(Command, KeyboardShortcut)] = &[
    (Command::SaveAs, shortcut(CMD_SHIFT, Key::S)),
    (Command::Redo, shortcut(CMD_SHIFT, Key::Z)),
    (Command::Ungroup, shortcut(CMD_SHIFT, Key::G)),
    (Command::New, shortcut(CMD, Key::N)),
    (Command::Open, shortcut(CMD, Key::O)),
    (Command::Save, shortcut(CMD, Key::S)),
    (Command::Quit, shortcut(CMD, Key::Q)),
    (Command::Undo, shortcut(CMD, Key::Z)),
    (Command::Redo, shortcut(CMD, Key::Y)),
    (Command::Cut, shortcut(CMD, Key::X)),
    (Command::Copy, shortcut(CMD, Key::C)),
    (Command::Paste, shortcut(CMD, Key::V)),
    (Command::Duplicate, shortcut(CMD, Key::D)),
    (Command::SelectAll, shortcut(CMD, Key::A)),
    (Command::Find, shortcut(CMD, Key::F)),
    (Command::ZoomIn, shortcut(CMD, Key::Equals)),
    (Command::ZoomIn, shortcut(CMD, Key::Plus)),
    (Command::ZoomOut, shortcut(CMD, Key::Minus)),
    (Command::ZoomToFit, shortcut(CMD, Key::Num0)),
    (Command::ZoomReset, shortcut(CMD, Key::Num1)),
    (Command::ZoomToSelection, shortcut(CMD, Key::Num2)),
    (Command::Delete, shortcut(NONE, Key::Delete)),
    (Command::Delete, shortcut(NONE, Key::Backspace)),
    (Command::SelectNone, shortcut(NONE, Key::Escape)),
];

impl Command {
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
            Self::LoadFindings => "Load findings…".into(),
            Self::KeepFindings => "Keep findings with the design".into(),
            Self::ClearFindings => "Clear findings".into(),
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
            Self::Ungroup => "Ungroup".into(),
            Self::ToggleCollapse => "Collapse or expand".into(),
            Self::Find => "Find…".into(),
            Self::ZoomIn => "Zoom in".into(),
            Self::ZoomOut => "Zoom out".into(),
            Self::ZoomToFit => "Zoom to fit".into(),
            Self::ZoomReset => "Zoom to 100%".into(),
            Self::ZoomToSelection => "Zoom to selection".into(),
            Self::ToggleGrid => "Grid and snapping".into(),
            Self::ToggleMinimap => "Minimap".into(),
            Self::SetFlowFocus(FlowFocus::All) => "Show every flow".into(),
            Self::SetFlowFocus(FlowFocus::Fade) => "Fade flows away from the selection".into(),
            Self::SetFlowFocus(FlowFocus::Hide) => "Hide flows away from the selection".into(),
            Self::ToggleUnencryptedFlows => "Only flows not known to be encrypted".into(),
            Self::ToggleCrossingFlows => "Only flows between trust zones".into(),
            Self::SetTheme(Theme::Dark) => "Dark theme".into(),
            Self::SetTheme(Theme::Light) => "Light theme".into(),
        }
    }

    /// The main keyboard shortcut, shown in menus.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        SHORTCUTS.iter().find(|(command, _)| command == self).map(|&(_, keys)| keys)
    }

    /// Whether a text field uses this command's keys itself (undo typing, select or delete
    /// text, leave the field with Esc): while one has the keyboard, the keys go to it. Every
    /// other shortcut (zoom, fit, save, find...) works whatever has the focus.
    pub fn used_by_text_fields(&self) -> bool {
        matches!(
            self,
            Self::Undo
                | Self::Redo
                | Self::Cut
                | Self::Copy
                | Self::Paste
                | Self::SelectAll
                | Self::Delete
                | Self::SelectNone
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_is_unique_and_more_modifiers_come_first() {
        for (i, (command, keys)) in SHORTCUTS.iter().enumerate() {
            assert!(
                SHORTCUTS[i + 1..].iter().all(|(_, other)| other != keys),
                "{command:?} shares {keys:?} with another command"
            );
            // A later shortcut with the same key must not be shadowed by this one.
            for (later, other) in &SHORTCUTS[i + 1..] {
                if other.logical_key == keys.logical_key {
                    assert!(
                        !other.modifiers.matches_logically(keys.modifiers),
                        "{later:?} ({other:?}) is shadowed by {command:?} ({keys:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn menus_show_the_shortcut_the_keyboard_listens_for() {
        // Both come from the one table: each command's main shortcut is its first row.
        for (command, keys) in SHORTCUTS {
            let main = command.shortcut().expect("a command in the table has a shortcut");
            let first = SHORTCUTS.iter().find(|(c, _)| c == command).map(|(_, k)| *k);
            assert_eq!(Some(main), first);
            assert!(SHORTCUTS.contains(&(*command, *keys)));
        }
        assert_eq!(Command::Redo.shortcut(), Some(shortcut(CMD_SHIFT, Key::Z)));
        assert_eq!(Command::SelectNone.shortcut(), Some(shortcut(NONE, Key::Escape)));
        assert_eq!(Command::ToggleGrid.shortcut(), None);
    }
}
