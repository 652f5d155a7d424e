//! The Properties tab: edit what is selected (a node, a flow or a boundary), or the design's
//! name and description when nothing is. Typing in one field is one undo step.

use egui::{RichText, Ui};

use super::super::Action;
use super::super::canvas::CanvasState;
use super::super::commands::Command;
use super::super::selection::Selection;
use super::Context;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::{Boundary, BoundaryKind, DataClass, Edit, Flow, Node, Project, ops};
use crate::protocol::{Encryption, Protocols, flow_encryption};

/// Shows the tab for what `canvas` has selected.
pub fn properties_ui(ui: &mut Ui, context: &Context<'_>, canvas: &CanvasState, actions: &mut Vec<Action>) {
    let (document, catalog) = (context.document, context.catalog);
    let (project, view) = (document.project(), document.view());
    let selection = canvas.selection();
    let count = selection.len();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("properties").num_columns(2).spacing([8.0, 6.0]).striped(false).show(ui, |ui| {
            if count == 0 {
                project_ui(ui, project, actions);
            } else if count == 1 {
                if let Some(node) = selection.nodes.first().and_then(|id| view.node(project, id)) {
                    node_ui(ui, node, catalog, actions);
                } else if let Some(flow) = selection.flows.first().and_then(|id| view.flow(project, id)) {
                    flow_ui(ui, flow, document, actions);
                } else if let Some(boundary) =
                    selection.boundaries.first().and_then(|id| view.boundary(project, id))
                {
                    boundary_ui(ui, boundary, document, actions);
                }
            }
        });
        if count > 1 {
            ui.add(
                egui::Label::new(format!(
                    "{} nodes, {} flows and {} boundaries selected.",
                    selection.nodes.len(),
                    selection.flows.len(),
                    selection.boundaries.len()
                ))
                .wrap(),
            );
            ui.horizontal_wrapped(|ui| {
                for command in [Command::Delete, Command::Duplicate, Command::ZoomToSelection] {
                    if ui.button(command.text()).clicked() {
                        actions.push(Action::Command(command));
                    }
                }
            });
        }
        if count > 0 {
            ui.add_space(8.0);
            arrange_ui(ui, canvas, actions);
        }
    });
}

/// Grouping, ungrouping and collapsing, for what is selected.
fn arrange_ui(ui: &mut Ui, canvas: &CanvasState, actions: &mut Vec<Action>) {
    let selection = canvas.selection();
    ui.horizontal_wrapped(|ui| {
        if !selection.nodes.is_empty() || !selection.boundaries.is_empty() {
            group_menu_ui(ui, actions);
        }
        if !selection.boundaries.is_empty() {
            if ui
                .button("Ungroup")
                .on_hover_text("Remove the boundary; what it holds moves up to its parent")
                .clicked()
            {
                actions.push(Action::Command(Command::Ungroup));
            }
            let collapsed = selection.boundaries.iter().all(|id| canvas.is_collapsed(id));
            let text = if collapsed { "Expand" } else { "Collapse" };
            if ui.button(text).on_hover_text("Show the boundary as one block with its worst task").clicked() {
                actions.push(Action::Command(Command::ToggleCollapse));
            }
        }
    });
}

/// "Group into" buttons, one per boundary kind: the selected nodes and boundaries go into a new
/// boundary.
fn group_menu_ui(ui: &mut Ui, actions: &mut Vec<Action>) {
    ui.menu_button("Group selection into…", |ui| {
        for kind in BoundaryKind::ALL {
            if ui.button(kind.name()).clicked() {
                actions.push(Action::Command(Command::GroupInto(kind)));
            }
        }
    });
}

/// A labelled single-line text field; returns the new text when it changed.
fn text_row(
    ui: &mut Ui,
    label: &str,
    value: &str,
    multiline: bool,
    actions: &mut Vec<Action>,
) -> Option<String> {
    let label = ui.label(label);
    let mut text = value.to_owned();
    let editor = if multiline {
        egui::TextEdit::multiline(&mut text).desired_rows(3)
    } else {
        egui::TextEdit::singleline(&mut text)
    };
    let width = ui.available_width().max(80.0);
    let response = ui.add(editor.desired_width(width)).labelled_by(label.id);
    ui.end_row();
    if response.lost_focus() {
        actions.push(Action::EndMerge);
    }
    (response.changed() && text != value).then_some(text)
}

fn project_ui(ui: &mut Ui, project: &Project, actions: &mut Vec<Action>) {
    ui.label(RichText::new("Design").strong());
    ui.end_row();
    if let Some(name) = text_row(ui, "Name", &project.name, false, actions) {
        actions.push(Action::ApplyMerged { field: "project:name".into(), edit: Edit::SetName(name) });
    }
    ui.label("Services");
    ui.label(project.nodes.len().to_string());
    ui.end_row();
    ui.label("Flows");
    ui.label(project.flows.len().to_string());
    ui.end_row();
}

fn node_ui(ui: &mut Ui, node: &Node, catalog: &Catalog, actions: &mut Vec<Action>) {
    let field = |name: &str| format!("node:{}:{name}", node.id);
    let apply_merged = |name: &str, changed: Node, actions: &mut Vec<Action>| {
        actions.push(Action::ApplyMerged { field: field(name), edit: Edit::SetNode(changed) });
    };
    ui.label(RichText::new("Node").strong());
    ui.label(RichText::new(&node.id).monospace())
        .on_hover_text("The id: task keys are built from it, so it never changes.");
    ui.end_row();
    if let Some(label) = text_row(ui, "Label", &node.label, false, actions) {
        apply_merged("label", Node { label, ..node.clone() }, actions);
    }

    let service_label = ui.label("Service");
    let current = catalog.service(&node.service);
    egui::ComboBox::from_id_salt(("service", &node.id))
        .selected_text(current.map_or(node.service.as_str(), |s| s.name.as_str()))
        .width(combo_width(ui))
        .show_ui(ui, |ui| {
            for service in &catalog.services {
                if ui.selectable_label(service.id == node.service, &service.name).clicked()
                    && service.id != node.service
                {
                    let changed = Node { service: service.id.clone(), variant: None, ..node.clone() };
                    actions.push(Action::Apply(Edit::SetNode(changed)));
                }
            }
        })
        .response
        .labelled_by(service_label.id);
    ui.end_row();

    if let Some(service) = current.filter(|s| !s.variants.is_empty()) {
        let variant_label = ui.label("Deployment");
        let effective = service.effective_variant(node.variant.as_deref());
        egui::ComboBox::from_id_salt(("properties-variant", &node.id))
            .selected_text(effective.map_or("Default", |v| v.name.as_str()))
            .width(combo_width(ui))
            .show_ui(ui, |ui| {
                for variant in &service.variants {
                    let chosen = effective.is_some_and(|e| e.id == variant.id);
                    if ui.selectable_label(chosen, &variant.name).clicked() && !chosen {
                        let changed = Node { variant: Some(variant.id.clone()), ..node.clone() };
                        actions.push(Action::Apply(Edit::SetNode(changed)));
                    }
                }
            })
            .response
            .labelled_by(variant_label.id);
        ui.end_row();
    }

    let data_label = ui.label("Data");
    egui::ComboBox::from_id_salt(("data", &node.id))
        .selected_text(data_name(node.data))
        .show_ui(ui, |ui| {
            for class in DataClass::ALL {
                if ui.selectable_label(node.data == class, data_name(class)).clicked() && node.data != class {
                    actions.push(Action::Apply(Edit::SetNode(Node { data: class, ..node.clone() })));
                }
            }
        })
        .response
        .labelled_by(data_label.id);
    ui.end_row();

    ui.label("Exposure");
    let mut internet_facing = node.internet_facing;
    if ui.checkbox(&mut internet_facing, "Internet-facing").changed() {
        actions.push(Action::Apply(Edit::SetNode(Node { internet_facing, ..node.clone() })));
    }
    ui.end_row();

    if let Some(notes) = text_row(ui, "Notes", &node.notes, true, actions) {
        apply_merged("notes", Node { notes, ..node.clone() }, actions);
    }
    if let Some(pos) = node.position {
        ui.label("Position");
        ui.label(RichText::new(format!("{:.0}, {:.0}", pos.x, pos.y)).weak());
        ui.end_row();
    }
}

fn data_name(class: DataClass) -> &'static str {
    match class {
        DataClass::Public => "Public",
        DataClass::Internal => "Internal",
        DataClass::Confidential => "Confidential",
        DataClass::Restricted => "Restricted",
    }
}

/// The flow's encryption: as its protocol implies, or stated either way; and a warning when a
/// stated value contradicts the protocol.
fn encryption_row(ui: &mut Ui, flow: &Flow, actions: &mut Vec<Action>) {
    let protocols = Protocols::builtin();
    let implied = match protocols.recognise(&flow.protocol).encryption() {
        Some(Encryption::Always) => "encrypted",
        Some(Encryption::Never) => "unencrypted",
        Some(Encryption::Optional) | None => "not stated",
    };
    let choice_name = |choice: Option<bool>| match choice {
        None => format!("As the protocol says ({implied})"),
        Some(true) => "Encrypted (TLS, VPN…)".to_owned(),
        Some(false) => "Unencrypted".to_owned(),
    };
    ui.label("Encryption");
    let mut chosen = flow.encrypted_in_transit;
    egui::ComboBox::from_id_salt(("encryption", &flow.id)).selected_text(choice_name(chosen)).show_ui(
        ui,
        |ui| {
            for choice in [None, Some(true), Some(false)] {
                ui.selectable_value(&mut chosen, choice, choice_name(choice));
            }
        },
    );
    if chosen != flow.encrypted_in_transit {
        actions.push(Action::Apply(Edit::SetFlow(Flow { encrypted_in_transit: chosen, ..flow.clone() })));
    }
    ui.end_row();
    if let Some(disagreement) = flow_encryption(flow, protocols).disagreement {
        ui.label("");
        ui.add(
            egui::Label::new(RichText::new(format!("⚠ {disagreement}")).color(ui.visuals().warn_fg_color))
                .wrap(),
        );
        ui.end_row();
    }
}

fn flow_ui(ui: &mut Ui, flow: &Flow, document: &Document, actions: &mut Vec<Action>) {
    let (project, view) = (document.project(), document.view());
    let field = |name: &str| format!("flow:{}:{name}", flow.id);
    let name =
        |id: &str| view.node(project, id).map_or_else(|| id.to_owned(), |n| n.display_name().to_owned());
    ui.label(RichText::new("Flow").strong());
    ui.label(RichText::new(&flow.id).monospace());
    ui.end_row();
    ui.label("From");
    ui.label(name(&flow.from));
    ui.end_row();
    ui.label("To");
    ui.label(name(&flow.to));
    ui.end_row();
    if let Some(protocol) = text_row(ui, "Protocol", &flow.protocol, false, actions) {
        actions.push(Action::ApplyMerged {
            field: field("protocol"),
            edit: Edit::SetFlow(Flow { protocol, ..flow.clone() }),
        });
    }
    encryption_row(ui, flow, actions);
    if let Some(label) = text_row(ui, "Label", &flow.label, false, actions) {
        actions.push(Action::ApplyMerged {
            field: field("label"),
            edit: Edit::SetFlow(Flow { label, ..flow.clone() }),
        });
    }
    ui.label("");
    if ui.button("Reverse direction").clicked() {
        let reversed = Flow { from: flow.to.clone(), to: flow.from.clone(), ..flow.clone() };
        actions.push(Action::Apply(Edit::SetFlow(reversed)));
    }
    ui.end_row();
}

fn boundary_ui(ui: &mut Ui, boundary: &Boundary, document: &Document, actions: &mut Vec<Action>) {
    let (project, view) = (document.project(), document.view());
    ui.label(RichText::new("Boundary").strong());
    ui.label(RichText::new(&boundary.id).monospace());
    ui.end_row();
    let kind_label = ui.label("Kind");
    egui::ComboBox::from_id_salt(("kind", &boundary.id))
        .selected_text(boundary.kind.name())
        .show_ui(ui, |ui| {
            for kind in BoundaryKind::ALL {
                if ui.selectable_label(boundary.kind == kind, kind.name()).clicked() && boundary.kind != kind
                {
                    actions.push(Action::Apply(Edit::SetBoundary(Boundary { kind, ..boundary.clone() })));
                }
            }
        })
        .response
        .labelled_by(kind_label.id);
    ui.end_row();
    if let Some(label) = text_row(ui, "Label", &boundary.label, false, actions) {
        actions.push(Action::ApplyMerged {
            field: format!("boundary:{}:label", boundary.id),
            edit: Edit::SetBoundary(Boundary { label, ..boundary.clone() }),
        });
    }
    parent_row(ui, boundary, document, actions);
    ui.label("Members");
    members_ui(ui, boundary, project, view, actions);
    ui.end_row();
}

/// "Inside": the boundary's parent, chosen from the boundaries it can go in (not itself nor one
/// inside it). Changing it is one undo step that also grows the new parent's frame around it.
fn parent_row(ui: &mut Ui, boundary: &Boundary, document: &Document, actions: &mut Vec<Action>) {
    let (project, view) = (document.project(), document.view());
    let name = |b: &Boundary| format!("{} {}", b.kind.name(), b.display_name());
    let current = boundary.parent.as_deref().and_then(|p| view.boundary(project, p));
    let label = ui.label("Inside");
    let Some(this) = view.boundary_index(&boundary.id) else { return };
    egui::ComboBox::from_id_salt(("parent", &boundary.id))
        .selected_text(current.map_or_else(|| "— (top level)".to_owned(), name))
        .width(combo_width(ui))
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), "— (top level)").clicked() && current.is_some() {
                actions.push(Action::Apply(ops::set_parent(project, &boundary.id, None)));
            }
            for b in view.boundaries_outermost_first() {
                let candidate = &project.boundaries[b];
                if view.encloses(this, b) {
                    continue;
                }
                let depth = "   ".repeat(view.depth(b));
                let chosen = boundary.parent.as_deref() == Some(candidate.id.as_str());
                if ui.selectable_label(chosen, format!("{depth}{}", name(candidate))).clicked() && !chosen {
                    actions.push(Action::Apply(ops::set_parent(project, &boundary.id, Some(&candidate.id))));
                }
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

/// The member nodes, each a link that selects it and brings it into view.
fn members_ui(
    ui: &mut Ui,
    boundary: &Boundary,
    project: &Project,
    view: &crate::view::ModelView,
    actions: &mut Vec<Action>,
) {
    ui.vertical(|ui| {
        ui.label(format!("{} node(s)", boundary.members.len()));
        const LISTED: usize = 12;
        for id in boundary.members.iter().take(LISTED) {
            let name = view.node(project, id).map_or(id.as_str(), |n| n.display_name());
            if ui.add(egui::Link::new(name)).on_hover_text("Select it and show it on the canvas").clicked() {
                actions.push(Action::Select { selection: Selection::only_node(id), reveal: true });
            }
        }
        if boundary.members.len() > LISTED {
            ui.weak(format!("and {} more", boundary.members.len() - LISTED));
        }
    });
}

/// A combo box as wide as the room left in its row, at most 220 points.
fn combo_width(ui: &Ui) -> f32 {
    (ui.available_width() - 8.0).clamp(100.0, 220.0)
}
