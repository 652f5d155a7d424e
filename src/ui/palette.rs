//! The service palette: search, services grouped by category, and boundaries. Drag an item onto
//! the canvas, or click it and then click the canvas.

use egui::{Align2, Color32, FontId, Id, Rect, Sense, Stroke, StrokeKind, Ui, vec2};

use super::canvas::glyph_shape;
use super::selection::PaletteItem;
use super::theme::hex_colour;
use crate::catalog::{Catalog, Service};
use crate::model::BoundaryKind;

/// The palette's own state.
#[derive(Default)]
pub struct PaletteState {
    /// The search text.
    pub search: String,
}

/// Shows the palette. `armed` is the item waiting for a click on the canvas; clicking an item
/// arms it (or disarms it when it already is).
pub fn palette_ui(ui: &mut Ui, state: &mut PaletteState, catalog: &Catalog, armed: &mut Option<PaletteItem>) {
    ui.add_space(4.0);
    ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text("Search services")
            .desired_width(ui.available_width()),
    )
    .accessible_name("Search services");
    ui.add_space(4.0);
    let query = state.search.trim().to_lowercase();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let boundary_matches: Vec<BoundaryKind> = BoundaryKind::ALL
            .into_iter()
            .filter(|kind| query.is_empty() || kind.name().to_lowercase().contains(&query))
            .collect();
        if !boundary_matches.is_empty() {
            egui::CollapsingHeader::new("Boundaries").default_open(true).show(ui, |ui| {
                for kind in boundary_matches {
                    let item = PaletteItem::Boundary(kind);
                    item_ui(ui, &item, kind.name(), None, armed, |painter, rect| {
                        let frame = rect.shrink(3.0);
                        painter.rect_stroke(
                            frame,
                            4.0,
                            Stroke::new(1.5, Color32::from_gray(150)),
                            StrokeKind::Inside,
                        );
                    });
                }
            });
        }
        let mut any = false;
        for category in &catalog.categories {
            let services: Vec<&Service> =
                catalog.services.iter().filter(|s| s.category == category.id && matches(s, &query)).collect();
            if services.is_empty() {
                continue;
            }
            any = true;
            let colour = hex_colour(&category.colour);
            egui::CollapsingHeader::new(&category.name)
                .id_salt(("palette", &category.name))
                .default_open(true)
                .open(if query.is_empty() { None } else { Some(true) })
                .show(ui, |ui| {
                    for service in services {
                        let item = PaletteItem::Service(service.id.clone());
                        item_ui(ui, &item, &service.name, Some(&service.summary), armed, |painter, rect| {
                            glyph_shape(painter, rect.shrink(2.0), &service.short, colour);
                        });
                    }
                });
        }
        if !any && !query.is_empty() {
            ui.weak(format!("No service matches “{}”.", state.search.trim()));
        }
        ui.add_space(8.0);
        ui.weak("Drag onto the canvas, or click and then click the canvas. Esc cancels.");
    });
}

fn matches(service: &Service, query: &str) -> bool {
    query.is_empty()
        || service.name.to_lowercase().contains(query)
        || service.id.contains(query)
        || service.short.to_lowercase() == query
}

/// One palette row: an icon and a name; click to arm, drag to drop on the canvas.
fn item_ui(
    ui: &mut Ui,
    item: &PaletteItem,
    name: &str,
    tooltip: Option<&str>,
    armed: &mut Option<PaletteItem>,
    icon: impl Fn(&egui::Painter, Rect),
) {
    let height = 28.0;
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::hover());
    let id = Id::unique(("palette-item", name));
    let response = ui.interact(rect, id, Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    let is_armed = armed.as_ref() == Some(item);
    let visuals = ui.style().interact_selectable(&response, is_armed);
    if is_armed || response.hovered() {
        ui.painter().rect(rect, 4.0, visuals.weak_bg_fill, visuals.bg_stroke, StrokeKind::Inside);
    }
    let icon_rect = Rect::from_min_size(rect.min + vec2(4.0, 2.0), vec2(height - 4.0, height - 4.0));
    icon(ui.painter(), icon_rect);
    ui.painter().text(
        icon_rect.right_center() + vec2(8.0, 0.0),
        Align2::LEFT_CENTER,
        name,
        FontId::proportional(13.0),
        visuals.text_color(),
    );
    if response.clicked() {
        *armed = if is_armed { None } else { Some(item.clone()) };
    }
    if response.drag_started() {
        *armed = None;
    }
    if response.dragged() {
        response.dnd_set_drag_payload(item.clone());
        // A small copy of the icon follows the pointer.
        if let Some(pointer) = ui.ctx().pointer_interact_pos() {
            let layer = egui::LayerId::new(egui::Order::Tooltip, id.with("drag"));
            let painter = ui.ctx().layer_painter(layer);
            let ghost = Rect::from_center_size(pointer, vec2(36.0, 36.0));
            icon(&painter, ghost);
        }
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    } else if let Some(text) = tooltip {
        response.on_hover_text(text);
    }
}
