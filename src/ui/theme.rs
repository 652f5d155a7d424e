//! Colours and visuals: owner colours that colour-blind people can tell apart in both themes,
//! AWS category colours for glyphs, and the light and dark themes.

use egui::{Color32, Stroke, Visuals};

use crate::catalog::Severity;
use crate::palette::{self, Rgb};
use crate::responsibility::Owner;

/// The app's two themes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    /// Dark background.
    #[default]
    Dark,
    /// Light background.
    Light,
}

impl Theme {
    /// egui's visuals for the theme.
    pub fn visuals(self) -> Visuals {
        match self {
            Self::Dark => Visuals::dark(),
            Self::Light => Visuals::light(),
        }
    }

    /// Whether this is the dark theme.
    pub fn is_dark(self) -> bool {
        self == Self::Dark
    }
}

/// An egui colour from a palette colour.
pub fn colour(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// The fill colour of an owner (see [`crate::palette::owner_fill`]).
pub fn owner_colour(owner: Owner, dark: bool) -> Color32 {
    colour(palette::owner_fill(owner, dark))
}

/// Text colour that reads on top of [`owner_colour`].
pub fn owner_text_colour(owner: Owner, dark: bool) -> Color32 {
    colour(palette::owner_text(owner, dark))
}

/// Adds DejaVu Sans ([`palette::DEJAVU_SANS`]) behind egui's default fonts: it has the arrows,
/// dashes and symbols egui's default fonts lack.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(palette::DEJAVU_SANS)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("dejavu-sans".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Diagonal lines over `rect`: the pattern that marks "shared" besides its colour.
pub fn hatch(painter: &egui::Painter, rect: egui::Rect) {
    let painter = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let stroke = Stroke::new(1.0, Color32::from_white_alpha(90));
    let mut x = rect.left() - rect.height();
    while x < rect.right() {
        painter
            .line_segment([egui::pos2(x, rect.bottom()), egui::pos2(x + rect.height(), rect.top())], stroke);
        x += 6.0;
    }
}

/// Parses `#RRGGBB` (the catalog's category colours); grey when malformed.
pub fn hex_colour(hex: &str) -> Color32 {
    Rgb::parse(hex).map_or(Color32::GRAY, colour)
}

/// Text that reads on `fill` (see [`palette::ink_on`]).
pub fn ink_on(fill: Color32) -> Color32 {
    colour(palette::ink_on(Rgb(fill.r(), fill.g(), fill.b())))
}

/// The colour of a severity badge.
pub fn severity_colour(severity: Severity, dark: bool) -> Color32 {
    colour(palette::severity(severity, dark))
}

/// The colour of a scan verdict.
pub fn verdict_colour(verdict: crate::evidence::Verdict, dark: bool) -> Color32 {
    colour(palette::verdict(verdict, dark))
}

/// Canvas colours for a theme.
pub struct CanvasColours {
    /// The canvas background.
    pub background: Color32,
    /// Grid dots.
    pub grid: Color32,
    /// A node's body.
    pub node_fill: Color32,
    /// A node's outline.
    pub node_stroke: Stroke,
    /// The outline of selected things.
    pub selection: Color32,
    /// Label text.
    pub text: Color32,
    /// Secondary text (service names, flow labels).
    pub weak_text: Color32,
    /// Flow arrows.
    pub flow: Color32,
    /// Unencrypted flows.
    pub unencrypted: Color32,
}

impl CanvasColours {
    /// The colours for `theme`.
    pub fn of(theme: Theme) -> Self {
        match theme {
            Theme::Dark => Self {
                background: Color32::from_rgb(0x16, 0x19, 0x1D),
                grid: Color32::from_gray(0x33),
                node_fill: Color32::from_rgb(0x25, 0x29, 0x30),
                node_stroke: Stroke::new(1.0, Color32::from_gray(0x55)),
                selection: Color32::from_rgb(0x4F, 0xC3, 0xF7),
                text: Color32::from_gray(0xEE),
                weak_text: Color32::from_gray(0xA8),
                flow: Color32::from_gray(0xB0),
                unencrypted: Color32::from_rgb(0xFF, 0x5C, 0x5C),
            },
            Theme::Light => Self {
                background: Color32::from_rgb(0xF7, 0xF8, 0xFA),
                grid: Color32::from_gray(0xD6),
                node_fill: Color32::WHITE,
                node_stroke: Stroke::new(1.0, Color32::from_gray(0xA8)),
                selection: Color32::from_rgb(0x00, 0x78, 0xD4),
                text: Color32::from_gray(0x1A),
                weak_text: Color32::from_gray(0x5A),
                flow: Color32::from_gray(0x55),
                unencrypted: colour(crate::palette::UNENCRYPTED),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_colours() {
        assert_eq!(hex_colour("#FF9900"), Color32::from_rgb(0xFF, 0x99, 0x00));
        assert_eq!(hex_colour("nope"), Color32::GRAY);
    }

    #[test]
    fn owner_colours_differ_in_both_themes() {
        for dark in [true, false] {
            let colours: Vec<_> = Owner::ALL.iter().map(|&o| owner_colour(o, dark)).collect();
            for (i, a) in colours.iter().enumerate() {
                for b in &colours[i + 1..] {
                    assert_ne!(a, b);
                }
            }
        }
    }
}
