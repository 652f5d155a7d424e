//! The diagram as PNG: the SVG export rendered on the CPU with resvg at twice its size, with
//! the font shipped in `assets/fonts/` (no system fonts), so it looks the same everywhere.

use crate::palette::DEJAVU_SANS;

/// How many pixels per SVG unit.
pub const SCALE: f32 = 2.0;

/// The largest image rendered, in pixels per side; larger designs are scaled down to fit.
const MAX_SIDE: f32 = 16_384.0;

/// Renders SVG text to PNG bytes.
pub(super) fn render(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = resvg::usvg::Options { font_family: "DejaVu Sans".to_owned(), ..Default::default() };
    options.fontdb_mut().load_font_data(DEJAVU_SANS.to_vec());
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|error| format!("cannot read the diagram: {error}"))?;
    let size = tree.size();
    let scale = SCALE.min(MAX_SIDE / size.width().max(size.height()).max(1.0));
    let width = (size.width() * scale).ceil().max(1.0) as u32;
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot make a {width}×{height} image"))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|error| format!("cannot encode the PNG: {error}"))
}
