//! The Responsibility tab: the 16 layers of the selected node coloured by owner, with the owner
//! in words; with nothing selected, how many services each party owns each layer for.

use egui::{Align2, FontId, Rect, RichText, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

use super::super::Action;
use super::super::theme::{hatch, owner_colour, owner_text_colour};
use super::Context;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::{Edit, Node};
use crate::responsibility::{Layer, Owner};

/// Shows the tab for `selected_node` (when exactly one node is selected) or the whole project.
pub fn responsibility_ui(
    ui: &mut Ui,
    context: &Context<'_>,
    selected_node: Option<&str>,
    actions: &mut Vec<Action>,
) {
    let (document, catalog, dark) = (context.document, context.catalog, context.dark);
    let project = document.project();
    let selected = selected_node.and_then(|id| document.view().node_index(id));
    match selected {
        Some(index) => node_ui(ui, document, catalog, &project.nodes[index], index, dark, actions),
        None => summary_ui(ui, document, catalog, dark),
    }
    ui.add_space(10.0);
    legend_ui(ui, dark);
}

fn node_ui(
    ui: &mut Ui,
    document: &Document,
    catalog: &Catalog,
    node: &Node,
    index: usize,
    dark: bool,
    actions: &mut Vec<Action>,
) {
    let Some(service) = catalog.service(&node.service) else {
        ui.label(format!(
            "{} uses a service the catalog does not know: {}",
            node.display_name(),
            node.service
        ));
        return;
    };
    ui.heading(node.display_name());
    ui.label(RichText::new(format!("{} · {}", service.name, service.model.name())).weak());
    ui.label(&service.summary);
    if !service.variants.is_empty() {
        ui.add_space(4.0);
        variant_ui(ui, node, service, actions);
    }
    ui.add_space(6.0);
    let Some(owners) = document.derivation().owners.get(index).copied().flatten() else { return };
    for layer in Layer::ALL {
        let info = catalog.layer(layer);
        let owner = owners.get(layer);
        owner_row_ui(ui, &info.name, owner, dark).on_hover_text(&info.description);
    }
}

/// The variant picker: switching it changes owners at once (one undo step).
fn variant_ui(ui: &mut Ui, node: &Node, service: &crate::catalog::Service, actions: &mut Vec<Action>) {
    let current = service.effective_variant(node.variant.as_deref());
    ui.horizontal(|ui| {
        let label = ui.label("Deployment:");
        egui::ComboBox::from_id_salt(("variant", &node.id))
            .selected_text(current.map_or("Default", |v| v.name.as_str()))
            .show_ui(ui, |ui| {
                for variant in &service.variants {
                    let chosen = current.is_some_and(|c| c.id == variant.id);
                    if ui.selectable_label(chosen, &variant.name).clicked() && !chosen {
                        let mut changed = node.clone();
                        changed.variant = Some(variant.id.clone());
                        actions.push(Action::Apply(Edit::SetNode(changed)));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// One layer: a bar in the owner's colour with the layer's name and the owner in words.
fn owner_row_ui(ui: &mut Ui, layer_name: &str, owner: Owner, dark: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), 24.0), Sense::hover());
    let painter = ui.painter();
    let fill = owner_colour(owner, dark);
    painter.rect_filled(rect.shrink2(vec2(0.0, 1.0)), 3.0, fill);
    if owner == Owner::Shared {
        hatch(painter, rect.shrink2(vec2(0.0, 1.0)));
    }
    let text = owner_text_colour(owner, dark);
    painter.text(
        rect.left_center() + vec2(8.0, 0.0),
        Align2::LEFT_CENTER,
        layer_name,
        FontId::proportional(13.0),
        text,
    );
    painter.text(
        rect.right_center() - vec2(8.0, 0.0),
        Align2::RIGHT_CENTER,
        owner.name(),
        FontId::proportional(13.0),
        text,
    );
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{layer_name}: {}", owner.name()))
    });
    response
}

fn summary_ui(ui: &mut Ui, document: &Document, catalog: &Catalog, dark: bool) {
    let summary = &document.derivation().summary;
    ui.heading("Whole design");
    if summary.services == 0 {
        ui.label("No AWS services yet. Drag one from the palette onto the canvas.");
        return;
    }
    ui.label(
        RichText::new(format!(
            "Who owns each layer, counted over {} services. Select a node to see its own.",
            summary.services
        ))
        .weak(),
    );
    ui.add_space(6.0);
    for layer in Layer::ALL {
        let counts = summary.counts(layer);
        let name = &catalog.layer(layer).name;
        let parts: Vec<String> = Owner::ALL
            .iter()
            .filter(|&&o| counts.get(o) > 0)
            .map(|&o| format!("{} {}", short_owner(o), counts.get(o)))
            .collect();
        let font = FontId::proportional(12.0);
        let title = ui.painter().layout_no_wrap(name.clone(), font.clone(), ui.visuals().text_color());
        let numbers = ui.painter().layout_no_wrap(parts.join(" · "), font, ui.visuals().weak_text_color());
        // The counts go on their own line when they do not fit beside the layer's name.
        let width = ui.available_width();
        let one_line = title.size().x + numbers.size().x + 12.0 <= width;
        let text_height = if one_line { 17.0 } else { 33.0 };
        let (rect, response) = ui.allocate_exact_size(vec2(width, text_height + 19.0), Sense::hover());
        let painter = ui.painter();
        painter.galley(rect.left_top(), title, ui.visuals().text_color());
        let numbers_at = if one_line {
            rect.right_top() - vec2(numbers.size().x, 0.0)
        } else {
            rect.left_top() + vec2(0.0, 16.0)
        };
        painter.galley(numbers_at, numbers, ui.visuals().weak_text_color());
        let bar = Rect::from_min_max(
            pos2(rect.left(), rect.top() + text_height),
            pos2(rect.right(), rect.bottom() - 3.0),
        );
        let total = counts.total().max(1) as f32;
        let mut x = bar.left();
        for owner in Owner::ALL {
            let n = counts.get(owner);
            if n == 0 {
                continue;
            }
            let w = bar.width() * n as f32 / total;
            let segment = Rect::from_min_size(pos2(x, bar.top()), vec2(w, bar.height()));
            painter.rect_filled(segment, 0.0, owner_colour(owner, dark));
            if owner == Owner::Shared {
                hatch(painter, segment);
            }
            x += w;
        }
        painter.rect_stroke(
            bar,
            2.0,
            Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
            StrokeKind::Outside,
        );
        let description = format!("{name}: {}", parts.join(", "));
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &description));
    }
}

fn short_owner(owner: Owner) -> &'static str {
    match owner {
        Owner::NotApplicable => "N/A",
        other => other.name(),
    }
}

/// The owner colours with their names; shared is hatched so it differs without colour.
pub fn legend_ui(ui: &mut Ui, dark: bool) {
    // Two per row, each swatch with its words: a wrapped row could split "N/A" from "(-)".
    egui::Grid::new("owner_legend").num_columns(2).spacing(vec2(24.0, 6.0)).show(ui, |ui| {
        for (i, owner) in Owner::ALL.into_iter().enumerate() {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(vec2(16.0, 16.0), Sense::hover());
                ui.painter().rect_filled(rect, 3.0, owner_colour(owner, dark));
                if owner == Owner::Shared {
                    hatch(ui.painter(), rect);
                }
                ui.label(format!("{} ({})", owner.name(), owner.letter()));
            });
            if i % 2 == 1 {
                ui.end_row();
            }
        }
    });
}
