//! Messages to the user, shown over the top of the canvas (so the canvas never changes size
//! when one comes or goes). Errors stay until dismissed; other messages go by themselves after a
//! few seconds.

use egui::{Context, Rect, RichText};

use crate::ui::theme::Theme;

/// How long a message that is not an error stays, in seconds.
const SHOWN_FOR: f64 = 8.0;
/// The most messages kept; the oldest goes first.
const MOST: usize = 4;

/// A message shown at the top of the canvas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Whether it reports a failure.
    pub is_error: bool,
    /// The text.
    pub text: String,
}

/// The messages on screen, with when each was first shown.
#[derive(Default)]
pub(super) struct Messages {
    list: Vec<Message>,
    shown_at: Vec<Option<f64>>,
}

impl Messages {
    /// Adds a message; the same text again replaces the earlier one.
    pub fn push(&mut self, is_error: bool, text: String) {
        if let Some(i) = self.list.iter().position(|m| m.text == text) {
            self.remove(i);
        }
        self.list.push(Message { is_error, text });
        self.shown_at.push(None);
        if self.list.len() > MOST {
            self.remove(0);
        }
    }

    fn remove(&mut self, index: usize) {
        self.list.remove(index);
        self.shown_at.remove(index);
    }

    /// Every message, oldest first.
    pub fn all(&self) -> &[Message] {
        &self.list
    }

    /// Drops messages that are not errors once they have been shown long enough.
    pub fn expire(&mut self, ctx: &Context) {
        let now = ctx.input(|i| i.time);
        for (message, shown) in self.list.iter().zip(&mut self.shown_at) {
            if !message.is_error {
                shown.get_or_insert(now);
            }
        }
        let mut i = 0;
        while i < self.list.len() {
            if self.shown_at[i].is_some_and(|t| now - t >= SHOWN_FOR) {
                self.remove(i);
            } else {
                i += 1;
            }
        }
        if let Some(next) = self.shown_at.iter().flatten().map(|t| t + SHOWN_FOR - now).reduce(f64::min) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(next.max(0.05)));
        }
    }

    /// Shows the messages over the top of `canvas`.
    pub fn ui(&mut self, ctx: &Context, canvas: Rect, theme: Theme) {
        if self.list.is_empty() {
            return;
        }
        let width = (canvas.width() - 24.0).clamp(200.0, 760.0);
        let mut dismissed = None;
        egui::Area::new(egui::Id::unique("messages"))
            .order(egui::Order::Middle)
            .fixed_pos(canvas.left_top() + egui::vec2(12.0, 10.0))
            .constrain(false)
            .show(ctx, |ui| {
                ui.set_width(width);
                for (index, message) in self.list.iter().enumerate() {
                    if message_ui(ui, message, theme, width) {
                        dismissed = Some(index);
                    }
                    ui.add_space(4.0);
                }
            });
        if let Some(index) = dismissed {
            self.remove(index);
        }
    }
}

/// One message; returns whether Dismiss was clicked.
fn message_ui(ui: &mut egui::Ui, message: &Message, theme: Theme, width: f32) -> bool {
    let (fill, text, stroke) = if message.is_error {
        (egui::Color32::from_rgb(0x8B, 0x1E, 0x1E), egui::Color32::WHITE, egui::Stroke::NONE)
    } else {
        let visuals = theme.visuals();
        (visuals.window_fill, visuals.text_color(), visuals.window_stroke)
    };
    let mut dismissed = false;
    egui::Frame::new().fill(fill).stroke(stroke).inner_margin(8.0).corner_radius(4.0).show(ui, |ui| {
        ui.set_width(width - 16.0);
        ui.horizontal(|ui| {
            let button_width = 70.0;
            let prefix = if message.is_error { "Error: " } else { "" };
            ui.scope(|ui| {
                ui.set_max_width(width - 16.0 - button_width);
                ui.add(
                    egui::Label::new(RichText::new(format!("{prefix}{}", message.text)).color(text)).wrap(),
                );
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                dismissed = ui.button("Dismiss").clicked();
            });
        });
    });
    dismissed
}
