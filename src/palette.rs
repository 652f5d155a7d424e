//! The colours and the font whoowns draws with, shared by the desktop app and the exports
//! (SVG, PNG, HTML), so a report looks like the screen.
//!
//! Owner colours are told apart by colour-blind people in both themes (orange for AWS, blue for
//! the customer, reddish purple for shared: Okabe–Ito hues; grey for not applicable), and are
//! never the only signal: the owner is always written too, and shared is also hatched.

use crate::catalog::Severity;
use crate::model::BoundaryKind;
use crate::responsibility::Owner;

/// DejaVu Sans, shipped in `assets/fonts/` (Bitstream Vera licence): the app's fallback font and
/// the font of PNG exports, so text looks the same on every machine.
pub const DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Parses `#RRGGBB` (the catalog's category colours).
    pub fn parse(hex: &str) -> Option<Self> {
        let digits = hex.strip_prefix('#').filter(|d| d.len() == 6)?;
        let channel = |i: usize| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok();
        Some(Self(channel(0)?, channel(2)?, channel(4)?))
    }

    /// A grey.
    pub const fn grey(level: u8) -> Self {
        Self(level, level, level)
    }

    /// Relative luminance (WCAG 2): 0 for black, 1 for white.
    pub fn luminance(self) -> f32 {
        let linear = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }
}

/// Near-black or white, whichever contrasts more with `fill`: the text colour of a glyph on its
/// category colour (white on AWS's orange or green is barely 3:1; near-black is over 6:1).
pub fn ink_on(fill: Rgb) -> Rgb {
    const DARK: Rgb = Rgb::grey(0x14);
    let l = fill.luminance();
    let against_white = 1.05 / (l + 0.05);
    let against_dark = (l + 0.05) / (DARK.luminance() + 0.05);
    if against_dark > against_white { DARK } else { Rgb::grey(0xFF) }
}

/// The fill colour of an owner.
pub fn owner_fill(owner: Owner, dark: bool) -> Rgb {
    match (owner, dark) {
        (Owner::Aws, _) => Rgb(0xFF, 0x99, 0x00),
        (Owner::Customer, true) => Rgb(0x3D, 0x8B, 0xFD),
        (Owner::Customer, false) => Rgb(0x00, 0x5F, 0xCC),
        (Owner::Shared, true) => Rgb(0xCC, 0x79, 0xA7),
        (Owner::Shared, false) => Rgb(0xA8, 0x4C, 0x86),
        (Owner::NotApplicable, true) => Rgb::grey(0x55),
        (Owner::NotApplicable, false) => Rgb::grey(0xC4),
    }
}

/// Text that reads on top of [`owner_fill`].
pub fn owner_text(owner: Owner, dark: bool) -> Rgb {
    match (owner, dark) {
        (Owner::Aws, _) => Rgb(0x1A, 0x12, 0x00),
        (Owner::Customer | Owner::Shared, _) => Rgb(0xFF, 0xFF, 0xFF),
        (Owner::NotApplicable, true) => Rgb::grey(0xE0),
        (Owner::NotApplicable, false) => Rgb::grey(0x20),
    }
}

/// The colour of a severity.
pub fn severity(severity: Severity, dark: bool) -> Rgb {
    match (severity, dark) {
        (Severity::Critical, _) => Rgb(0xD1, 0x24, 0x2F),
        (Severity::High, true) => Rgb(0xF0, 0x6A, 0x3A),
        (Severity::High, false) => Rgb(0xC2, 0x41, 0x0C),
        (Severity::Medium, true) => Rgb(0xD9, 0xB4, 0x3B),
        (Severity::Medium, false) => Rgb(0x8A, 0x6A, 0x00),
        (Severity::Low, true) => Rgb::grey(0xA0),
        (Severity::Low, false) => Rgb::grey(0x60),
    }
}

/// The fill of a remaining-task badge for its worst severity: red for high or critical, amber
/// for medium, grey for low; white text reads on each.
pub fn badge(worst: Severity, dark: bool) -> Rgb {
    match worst {
        Severity::Critical | Severity::High => severity(Severity::Critical, dark),
        Severity::Medium => Rgb(0xB2, 0x6B, 0x00),
        Severity::Low => Rgb::grey(0x70),
    }
}

/// The colour of what the scans say about a task: red failing, green verified, grey unverified.
pub fn verdict(verdict: crate::evidence::Verdict, dark: bool) -> Rgb {
    use crate::evidence::Verdict;
    match (verdict, dark) {
        (Verdict::Failing, _) => severity(Severity::Critical, dark),
        (Verdict::Verified, true) => Rgb(0x4C, 0xC3, 0x8A),
        (Verdict::Verified, false) => Rgb(0x1E, 0x7D, 0x4A),
        (Verdict::Unverified, _) => severity(Severity::Low, dark),
    }
}

/// The colour of an unencrypted flow, on the canvas and in every diagram export.
pub const UNENCRYPTED: Rgb = Rgb(0xC6, 0x1B, 0x1B);

/// The colour and dash pattern (dash, gap) of a boundary kind's frame, so kinds differ without
/// colour too.
pub fn boundary_style(kind: BoundaryKind, dark: bool) -> (Rgb, Option<(f32, f32)>) {
    let colour = match kind {
        BoundaryKind::Account => Rgb(0xE7, 0x15, 0x7B),
        BoundaryKind::Region => Rgb(0x00, 0xA4, 0xA6),
        BoundaryKind::Vpc => Rgb(0x8C, 0x4F, 0xFF),
        BoundaryKind::AvailabilityZone => Rgb(0x00, 0x73, 0xBB),
        BoundaryKind::Subnet => Rgb(0x7A, 0xA1, 0x16),
        BoundaryKind::SecurityGroup => Rgb(0xDD, 0x34, 0x4C),
        BoundaryKind::Generic if dark => Rgb::grey(0xA0),
        BoundaryKind::Generic => Rgb::grey(0x70),
    };
    let dash = match kind {
        BoundaryKind::Region | BoundaryKind::AvailabilityZone => Some((10.0, 5.0)),
        BoundaryKind::SecurityGroup => Some((4.0, 4.0)),
        _ => None,
    };
    (colour, dash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_owner_colours_differ() {
        assert_eq!(Rgb::parse("#FF9900"), Some(Rgb(0xFF, 0x99, 0x00)));
        assert_eq!(Rgb::parse("#FF9900").unwrap().hex(), "#ff9900");
        assert_eq!(Rgb::parse("nope"), None);
        for dark in [true, false] {
            let colours: Vec<_> = Owner::ALL.iter().map(|&o| owner_fill(o, dark)).collect();
            for (i, a) in colours.iter().enumerate() {
                assert!(!colours[i + 1..].contains(a));
            }
        }
    }

    fn contrast(a: Rgb, b: Rgb) -> f32 {
        let (hi, lo) = (a.luminance().max(b.luminance()), a.luminance().min(b.luminance()));
        (hi + 0.05) / (lo + 0.05)
    }

    #[test]
    fn glyph_text_reads_on_every_category_colour() {
        let catalog = crate::catalog::Catalog::builtin();
        for category in &catalog.categories {
            let fill = Rgb::parse(&category.colour).unwrap();
            let ink = ink_on(fill);
            // WCAG asks 4.5:1 for small text; with either ink AWS's category hues reach at most
            // 4.38:1 (#E7157B), so 4:1 is the floor held here.
            assert!(contrast(fill, ink) >= 4.0, "{}: {:.2}", category.name, contrast(fill, ink));
        }
        assert_eq!(ink_on(Rgb(0xED, 0x71, 0x00)), Rgb::grey(0x14), "dark on AWS orange");
        assert_eq!(ink_on(Rgb::grey(0x20)), Rgb::grey(0xFF), "white on dark");
    }
}
