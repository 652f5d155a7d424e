//! Keyboard shortcuts, files dropped on the window, and the request to close it.
//!
//! Shortcuts come from the one table in `commands.rs`. They work whatever widget has the
//! focus, except the keys a text field uses itself while it has the keyboard (undo typing,
//! select all, delete, Esc): zoom, fit, save and find work from inside a text field too.

use std::path::PathBuf;

use egui::Context;

use super::WhoownsApp;
use super::files::Pending;
use super::modal::Modal;
use crate::ui::commands::{Command, SHORTCUTS};

impl WhoownsApp {
    pub(super) fn keyboard(&mut self, ctx: &Context) {
        if self.modal.is_some() {
            return;
        }
        // egui takes the focus from a text field when Esc is pressed before this runs: whether a
        // field had the keyboard is remembered from the end of the last frame.
        let typing = self.window.typing || ctx.egui_wants_keyboard_input();
        // An open menu closes on Esc by itself; it must see the key.
        let menu_open = egui::Popup::is_any_open(ctx);
        if self.find.is_open() && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.find.close();
        }
        let mut triggered = Vec::new();
        ctx.input_mut(|input| {
            for (command, keys) in SHORTCUTS {
                if (typing && command.used_by_text_fields()) || (menu_open && *command == Command::SelectNone)
                {
                    continue;
                }
                if input.consume_shortcut(keys) {
                    triggered.push(*command);
                }
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
                    self.take_system_paste(&text);
                    self.queue.push(Command::Paste);
                }
                _ => {}
            }
        }
    }

    pub(super) fn dropped_files(&mut self, ctx: &Context) {
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

    pub(super) fn close_request(&mut self, ctx: &Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.window.close_confirmed
            && self.document.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            // While another question is open, it is answered first.
            self.ask(Modal::Unsaved(Pending::Quit));
        }
    }
}
