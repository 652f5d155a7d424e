//! The diagram as text other tools draw: a Mermaid flowchart (boundaries as subgraphs; GitHub
//! renders it in Markdown) and a Graphviz DOT graph (boundaries as clusters). Both escape every
//! string the user typed, and both are deterministic.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::Checklist;
use super::escape::{dot as dot_text, mermaid as mermaid_text, yaml_quoted};
use crate::model::{Boundary, Flow, Project};
use crate::protocol::is_plaintext;

/// Ids made safe for Mermaid and DOT identifiers (letters, digits, `_`), still unique.
struct SafeIds<'a> {
    ids: HashMap<&'a str, String>,
}

impl<'a> SafeIds<'a> {
    fn of(project: &'a Project) -> Self {
        let mut ids = HashMap::new();
        let mut taken = std::collections::HashSet::new();
        let all = project
            .nodes
            .iter()
            .map(|n| (n.id.as_str(), 'n'))
            .chain(project.boundaries.iter().map(|b| (b.id.as_str(), 'b')));
        for (id, prefix) in all {
            let base: String = std::iter::once(prefix)
                .chain(std::iter::once('_'))
                .chain(id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }))
                .collect();
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{base}_{n}");
                n += 1;
            }
            ids.insert(id, candidate);
        }
        Self { ids }
    }

    fn get(&self, id: &str) -> &str {
        self.ids.get(id).map_or("missing", String::as_str)
    }
}

fn flow_text(flow: &Flow) -> String {
    let text = if flow.label.is_empty() { flow.protocol.clone() } else { flow.label.clone() };
    match (is_plaintext(flow), text.is_empty()) {
        (false, _) => text,
        (true, true) => "unencrypted".to_owned(),
        (true, false) => format!("{text} (unencrypted)"),
    }
}

/// The diagram as a Mermaid flowchart, left to right.
pub(super) fn mermaid(checklist: &Checklist<'_>) -> String {
    let project = checklist.project;
    let ids = SafeIds::of(project);
    let mut out = format!("---\ntitle: \"{}\"\n---\nflowchart LR\n", yaml_quoted(checklist.title()));
    write_tree(&MERMAID, checklist, &ids, &mut out);
    for (i, flow) in sorted_flows(project).iter().enumerate() {
        let arrow = if is_plaintext(flow) { "-.->" } else { "-->" };
        let text = flow_text(flow);
        let label = if text.is_empty() { String::new() } else { format!("|\"{}\"|", mermaid_text(&text)) };
        let _ = writeln!(out, "    {} {arrow}{label} {}", ids.get(&flow.from), ids.get(&flow.to));
        if is_plaintext(flow) {
            let red = crate::palette::UNENCRYPTED.hex();
            let _ = writeln!(out, "    linkStyle {i} stroke:{red},color:{red}");
        }
    }
    out
}

/// The diagram as a Graphviz DOT digraph, left to right.
pub(super) fn dot(checklist: &Checklist<'_>) -> String {
    let project = checklist.project;
    let ids = SafeIds::of(project);
    let mut out = format!(
        "digraph \"{}\" {{\n    rankdir=LR;\n    node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"DejaVu Sans\"];\n    edge [fontname=\"DejaVu Sans\", fontsize=10];\n",
        dot_text(checklist.title())
    );
    write_tree(&DOT, checklist, &ids, &mut out);
    for flow in sorted_flows(project) {
        let style = if !is_plaintext(flow) {
            String::new()
        } else {
            let red = crate::palette::UNENCRYPTED.hex();
            format!(", style=dashed, color=\"{red}\", fontcolor=\"{red}\"")
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label=\"{}\"{style}];",
            ids.get(&flow.from),
            ids.get(&flow.to),
            dot_text(&flow_text(flow))
        );
    }
    out.push_str("}\n");
    out
}

/// How a diagram language writes what the shared nesting walk meets.
struct Syntax {
    /// Opens a boundary: indent, safe id, title.
    open: fn(&str, &str, &str) -> String,
    /// Closes a boundary (after the indent).
    close: &'static str,
    /// A node: indent, safe id, name, service name.
    node: fn(&str, &str, &str, &str) -> String,
}

const MERMAID: Syntax = Syntax {
    open: |indent, id, title| format!("{indent}subgraph {id}[\"{}\"]", mermaid_text(title)),
    close: "end",
    node: |indent, id, name, service| {
        format!("{indent}{id}[\"{}<br/><small>{}</small>\"]", mermaid_text(name), mermaid_text(service))
    },
};

const DOT: Syntax = Syntax {
    open: |indent, id, title| {
        format!("{indent}subgraph cluster_{id} {{\n{indent}    label=\"{}\";", dot_text(title))
    },
    close: "}",
    node: |indent, id, name, service| {
        format!("{indent}{id} [label=\"{}\"];", dot_text(&format!("{name}\n{service}")))
    },
};

/// Indentation stops growing here: a design nested thousands deep must not write gigabytes of
/// spaces, and neither language reads indentation.
const MAX_INDENT: usize = 16;

/// Writes every boundary, nested as in the design and each followed by the nodes whose innermost
/// boundary it is, then the nodes outside every boundary. Iterative, so no depth of nesting
/// overflows the stack or drops anything, in time linear in the design.
fn write_tree(syntax: &Syntax, checklist: &Checklist<'_>, ids: &SafeIds<'_>, out: &mut String) {
    let project = checklist.project;
    let view = &checklist.view;
    let mut order: Vec<usize> = (0..project.nodes.len()).collect();
    order.sort_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    let mut homed: Vec<Vec<usize>> = vec![Vec::new(); project.boundaries.len()];
    let mut outside = Vec::new();
    for i in order {
        match view.home(i) {
            Some(b) => homed[b].push(i),
            None => outside.push(i),
        }
    }
    let indent = |depth: usize| "    ".repeat(depth.min(MAX_INDENT));
    let write_nodes = |nodes: &[usize], depth: usize, out: &mut String| {
        for &i in nodes {
            let node = &project.nodes[i];
            let service =
                checklist.catalog.service(&node.service).map_or(node.service.as_str(), |s| s.name.as_str());
            let _ = writeln!(
                out,
                "{}",
                (syntax.node)(&indent(depth), ids.get(&node.id), node.display_name(), service)
            );
        }
    };
    for root in view.roots() {
        let mut stack = vec![(root, view.children(root))];
        open(syntax, ids, &project.boundaries[root], &indent(1), out);
        loop {
            let depth = stack.len();
            let Some((boundary, children)) = stack.last_mut() else { break };
            let boundary = *boundary;
            if let Some(child) = children.next() {
                open(syntax, ids, &project.boundaries[child], &indent(depth + 1), out);
                stack.push((child, view.children(child)));
            } else {
                write_nodes(&homed[boundary], depth + 1, out);
                let _ = writeln!(out, "{}{}", indent(depth), syntax.close);
                stack.pop();
            }
        }
    }
    write_nodes(&outside, 1, out);
}

fn open(syntax: &Syntax, ids: &SafeIds<'_>, boundary: &Boundary, indent: &str, out: &mut String) {
    let title = format!("{}: {}", boundary.kind.name(), boundary.display_name());
    let _ = writeln!(out, "{}", (syntax.open)(indent, ids.get(&boundary.id), &title));
}

/// The flows, sorted by id.
fn sorted_flows(project: &Project) -> Vec<&Flow> {
    let mut flows: Vec<&Flow> = project.flows.iter().collect();
    flows.sort_by(|a, b| a.id.cmp(&b.id));
    flows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_is_written_however_deep_it_is_nested() {
        use crate::model::{BoundaryKind, Node};
        let mut project = Project::named("deep");
        for i in 0..20_000 {
            let mut boundary = Boundary::new(format!("b{i:05}"), BoundaryKind::Generic);
            boundary.parent = (i > 0).then(|| format!("b{:05}", i - 1));
            project.boundaries.push(boundary);
        }
        project.nodes.push(Node::new("bottom", "ec2"));
        project.boundaries[19_999].members.push("bottom".into());
        let derivation = crate::checklist::derive(&project, crate::catalog::Catalog::builtin());
        let checklist = Checklist::new(&project, crate::catalog::Catalog::builtin(), &derivation);
        for text in [mermaid(&checklist), dot(&checklist)] {
            assert!(text.contains("n_bottom"), "the innermost node is written");
            assert_eq!(text.matches("b_b").count(), 20_000, "every boundary opened once");
            assert!(text.len() < 10_000_000, "indentation is bounded: {} bytes", text.len());
        }
    }
}
