//! The minimap: the whole design in a corner of the canvas, with the part on screen outlined.
//! Click or drag in it to move the view there. Nodes are drawn as the cells of a coarse grid
//! they fall in, worked out once per revision, so a design of 100,000 services costs a few
//! hundred small squares a frame.

use egui::{Color32, Id, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, vec2};

use super::CanvasState;
use super::cache::Caches;
use super::view::{content_bounds, egui_rect};
use crate::document::Document;
use crate::ui::theme::CanvasColours;

/// The minimap's size on screen, in points.
const SIZE: egui::Vec2 = egui::Vec2::new(200.0, 130.0);
/// Cells across and down.
const CELLS: (usize, usize) = (100, 65);

/// What the minimap shows of one revision.
#[derive(Default)]
pub(super) struct Overview {
    revision: Option<u64>,
    /// Everything there is, in scene units.
    bounds: Option<Rect>,
    /// Cells holding at least one node, with the colour of the first.
    cells: Vec<(u16, u16, Color32)>,
    /// Top-level boundary frames.
    frames: Vec<Rect>,
}

impl Overview {
    fn refresh(&mut self, document: &Document, colours: &[Color32]) {
        if self.revision == Some(document.revision()) {
            return;
        }
        let (project, view) = (document.project(), document.view());
        self.bounds = content_bounds(project);
        self.cells.clear();
        self.frames = view.roots().filter_map(|b| project.boundaries[b].rect).map(egui_rect).collect();
        if let Some(bounds) = self.bounds {
            let mut seen = vec![false; CELLS.0 * CELLS.1];
            for (i, node) in project.nodes.iter().enumerate() {
                let Some(pos) = node.position else { continue };
                let cell = |v: f32, min: f32, size: f32, n: usize| {
                    (((v - min) / size.max(1.0)) * n as f32).clamp(0.0, n as f32 - 1.0) as usize
                };
                let x = cell(pos.x, bounds.min.x, bounds.width(), CELLS.0);
                let y = cell(pos.y, bounds.min.y, bounds.height(), CELLS.1);
                if !seen[y * CELLS.0 + x] {
                    seen[y * CELLS.0 + x] = true;
                    self.cells.push((x as u16, y as u16, colours.get(i).copied().unwrap_or(Color32::GRAY)));
                }
            }
        }
        self.revision = Some(document.revision());
    }
}

/// Maps scene units to the minimap's rectangle on screen, keeping the design's proportions.
struct Mapping {
    bounds: Rect,
    area: Rect,
    scale: f32,
}

impl Mapping {
    fn new(bounds: Rect, frame: Rect) -> Self {
        let scale = (frame.width() / bounds.width().max(1.0)).min(frame.height() / bounds.height().max(1.0));
        let size = bounds.size() * scale;
        Self { bounds, area: Rect::from_center_size(frame.center(), size), scale }
    }

    fn to_screen(&self, p: Pos2) -> Pos2 {
        self.area.min + (p - self.bounds.min) * self.scale
    }

    fn rect_to_screen(&self, r: Rect) -> Rect {
        Rect::from_min_max(self.to_screen(r.min), self.to_screen(r.max))
    }

    fn to_scene(&self, p: Pos2) -> Pos2 {
        self.bounds.min + (p - self.area.min) / self.scale.max(f32::EPSILON)
    }
}

/// Shows the minimap in the bottom-right corner of `canvas`; clicking or dragging in it centres
/// the view on that point.
pub(super) fn minimap_ui(
    ui: &mut Ui,
    canvas: Rect,
    state: &mut CanvasState,
    document: &Document,
    caches: &mut Caches,
    colours: &CanvasColours,
) {
    caches.overview.refresh(document, &caches.looks.colours);
    let overview = &caches.overview;
    let Some(bounds) = overview.bounds else { return };
    if canvas.width() < SIZE.x * 2.5 || canvas.height() < SIZE.y * 2.5 {
        return;
    }
    let frame = Rect::from_min_size(canvas.right_bottom() - SIZE - vec2(12.0, 12.0), SIZE);
    let ctx = ui.ctx().clone();
    egui::Area::new(Id::unique("minimap"))
        .order(egui::Order::Middle)
        .fixed_pos(frame.min)
        .constrain(false)
        .show(&ctx, |ui| {
            let (rect, response) = ui.allocate_exact_size(SIZE, Sense::click_and_drag());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Minimap"));
            let painter = ui.painter();
            painter.rect(
                rect,
                4.0,
                colours.background.gamma_multiply(0.92),
                Stroke::new(1.0, colours.grid),
                StrokeKind::Inside,
            );
            let mapping = Mapping::new(bounds, rect.shrink(6.0));
            for frame in &overview.frames {
                painter.rect_stroke(
                    mapping.rect_to_screen(*frame),
                    1.0,
                    Stroke::new(1.0, colours.weak_text.gamma_multiply(0.5)),
                    StrokeKind::Inside,
                );
            }
            let cell = vec2(mapping.area.width() / CELLS.0 as f32, mapping.area.height() / CELLS.1 as f32)
                .max(vec2(1.5, 1.5));
            let mut mesh = egui::Mesh::default();
            for &(x, y, colour) in &overview.cells {
                let min = mapping.area.min
                    + vec2(
                        f32::from(x) * mapping.area.width() / CELLS.0 as f32,
                        f32::from(y) * mapping.area.height() / CELLS.1 as f32,
                    );
                mesh.add_colored_rect(Rect::from_min_size(min, cell), colour);
            }
            painter.add(egui::Shape::mesh(mesh));
            let shown = mapping.rect_to_screen(state.scene_rect()).intersect(rect);
            painter.rect_stroke(shown, 1.0, Stroke::new(1.5, colours.selection), StrokeKind::Inside);
            if (response.clicked() || response.dragged())
                && let Some(pointer) = response.interact_pointer_pos()
            {
                state.centre_on(mapping.to_scene(pointer));
            }
            response.on_hover_text("Click or drag to move the view");
        });
}
