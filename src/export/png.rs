//! The diagram as PNG: the SVG export rendered on the CPU with resvg at twice its size, with
//! the font shipped in `assets/fonts/` (no system fonts), so it looks the same everywhere. A
//! diagram too large for that is scaled down to a bounded raster, and the export says so.

use crate::palette::DEJAVU_SANS;

/// How many pixels per SVG unit.
pub const SCALE: f32 = 2.0;

/// The largest image rendered, in pixels per side.
pub const MAX_SIDE: u32 = 16_384;

/// The most pixels an image may have (2²⁵: 128 MiB of RGBA while it is drawn). A 100,000-service
/// design (about 100,000 × 44,000 units) is scaled to fit.
pub const MAX_PIXELS: u64 = 1 << 25;

/// The most SVG elements resvg reads (a limit of its own, `usvg`'s `NodesLimitReached`): about
/// 30,000 services. A larger diagram is refused before it is parsed, which would take seconds
/// and gigabytes only to fail.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// The PNG and, when the diagram had to be scaled down to fit the raster limits, a note saying so.
pub(super) struct Rendered {
    pub bytes: Vec<u8>,
    pub note: Option<String>,
}

/// Renders SVG text to PNG bytes.
pub(super) fn render(svg: &str) -> Result<Rendered, String> {
    // Our SVG escapes `<` in text, so every `<` opens or closes a tag.
    let elements = svg.matches('<').count().saturating_sub(svg.matches("</").count());
    if elements > MAX_ELEMENTS {
        return Err(format!(
            "the diagram has {elements} SVG elements, more than the {MAX_ELEMENTS} the PNG renderer reads \
             (about 30,000 services); export it as SVG instead"
        ));
    }
    let mut options = resvg::usvg::Options { font_family: "DejaVu Sans".to_owned(), ..Default::default() };
    options.fontdb_mut().load_font_data(DEJAVU_SANS.to_vec());
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|error| format!("cannot read the diagram: {error}"))?;
    let size = tree.size();
    let (scale, note) = fit(size.width(), size.height());
    let width = (size.width() * scale).ceil().clamp(1.0, MAX_SIDE as f32) as u32;
    let height = (size.height() * scale).ceil().clamp(1.0, MAX_SIDE as f32) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot make a {width}×{height} image"))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|error| format!("cannot encode the PNG: {error}"))?;
    Ok(Rendered { bytes, note: note.map(|note| format!("{note}: {width}×{height} px")) })
}

/// The pixels per unit for a diagram of `width` × `height` units: [`SCALE`], or less when that
/// would pass [`MAX_SIDE`] or [`MAX_PIXELS`], with a note saying how much less.
fn fit(width: f32, height: f32) -> (f32, Option<String>) {
    let (width, height) = (f64::from(width.max(1.0)), f64::from(height.max(1.0)));
    let by_side = f64::from(MAX_SIDE) / width.max(height);
    // Whole pixels are rounded up: aim a little under the limit.
    let by_area = (MAX_PIXELS as f64 / (width * height)).sqrt() * 0.999;
    let scale = f64::from(SCALE).min(by_side).min(by_area);
    if scale >= f64::from(SCALE) {
        return (SCALE, None);
    }
    let note = format!(
        "the diagram is {width:.0}×{height:.0} units, too large for {SCALE} pixels a unit within the \
         limits of {MAX_SIDE} px a side and {MAX_PIXELS} px in all; it is scaled to {scale:.4} pixels a unit"
    );
    (scale as f32, Some(note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagrams_beyond_the_renderers_element_limit_are_refused_before_parsing() {
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>", "<g/>".repeat(MAX_ELEMENTS));
        let error = render(&svg).err().unwrap();
        assert!(error.contains("1000001 SVG elements") && error.contains("SVG instead"), "{error}");
    }

    #[test]
    fn small_diagrams_keep_twice_their_size_and_large_ones_fit_the_limits() {
        assert_eq!(fit(800.0, 600.0), (SCALE, None));
        for (width, height) in [(2_000_000.0, 2_000_000.0), (10_000_000.0, 100.0), (102_536.0, 44_060.0)] {
            let (scale, note) = fit(width, height);
            let pixels = ((width * scale).ceil() as u64) * ((height * scale).ceil() as u64);
            assert!(pixels <= MAX_PIXELS, "{width}×{height}: {pixels}");
            assert!((width * scale).ceil() <= MAX_SIDE as f32);
            assert!(note.unwrap().contains("scaled"));
        }
    }
}
