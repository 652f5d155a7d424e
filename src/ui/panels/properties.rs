//! The Properties tab: edit what is selected (a node, a flow or a boundary), or the design's
//! name and description when nothing is. Typing in one field is one undo step.

use egui::{RichText, Ui};

use super::super::Action;
use super::super::canvas::Selection;
use super::super::commands::Command;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::{Boundary, BoundaryKind, DataClass, Edit, Flow, Node, Project};
use crate::protocol::{Encryption, Protocols, flow_encryption};

/// Shows the tab for `selection`.
pub fn properties_ui(
    ui: &mut Ui,
    document: &Document,
    catalog: &Catalog,
    selection: &Selection,
    actions: &mut Vec<Action>,
) {
    let project = document.project();
    let count = selection.nodes.len() + selection.flows.len() + selection.boundaries.len();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("properties").num_columns(2).spacing([8.0, 6.0]).striped(false).show(ui, |ui| {
            if count == 0 {
                project_ui(ui, project, actions);
            } else if count == 1 {
                if let Some(node) = selection.nodes.first().and_then(|id| project.node(id)) {
                    node_ui(ui, node, catalog, actions);
                } else if let Some(flow) = selection.flows.first().and_then(|id| project.flow(id)) {
                    flow_ui(ui, flow, project, actions);
                } else if let Some(boundary) =
                    selection.boundaries.first().and_then(|id| project.boundary(id))
                {
                    boundary_ui(ui, boundary, project, actions);
                }
            }
        });
        if count > 1 {
            ui.label(format!(
                "{} nodes, {} flows and {} boundaries selected.",
                selection.nodes.len(),
                selection.flows.len(),
                selection.boundaries.len()
            ));
            ui.horizontal_wrapped(|ui| {
                if ui.button("Delete").clicked() {
                    actions.push(Action::Command(Command::Delete));
                }
                if ui.button("Duplicate").clicked() {
                    actions.push(Action::Command(Command::Duplicate));
                }
            });
            if !selection.nodes.is_empty() {
                group_menu_ui(ui, actions);
            }
        } else if count == 1 && !selection.nodes.is_empty() {
            ui.add_space(8.0);
            group_menu_ui(ui, actions);
        }
    });
}

/// "Group into" buttons, one per boundary kind.
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
    let response = ui.add(editor.desired_width(f32::INFINITY)).labelled_by(label.id);
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
        .width(220.0)
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
            .width(220.0)
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

fn flow_ui(ui: &mut Ui, flow: &Flow, project: &Project, actions: &mut Vec<Action>) {
    let field = |name: &str| format!("flow:{}:{name}", flow.id);
    let name = |id: &str| project.node(id).map_or_else(|| id.to_owned(), |n| n.display_name().to_owned());
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

fn boundary_ui(ui: &mut Ui, boundary: &Boundary, project: &Project, actions: &mut Vec<Action>) {
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
    ui.label("Inside");
    ui.label(boundary.parent.as_deref().and_then(|p| project.boundary(p)).map_or("—", |p| p.display_name()));
    ui.end_row();
    ui.label("Members");
    ui.label(boundary.members.len().to_string()).on_hover_text(
        boundary
            .members
            .iter()
            .map(|m| project.node(m).map_or(m.as_str(), |n| n.display_name()))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    ui.end_row();
}
