//! The diagram as text other tools draw: a Mermaid flowchart (boundaries as subgraphs; GitHub
//! renders it in Markdown) and a Graphviz DOT graph (boundaries as clusters). Both escape every
//! string the user typed, and both are deterministic.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::Checklist;
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

/// Children of each boundary, and the top level, in id order.
struct Tree<'a> {
    child_boundaries: HashMap<Option<&'a str>, Vec<&'a Boundary>>,
    /// Node ids placed in their innermost boundary (`None`: outside every boundary).
    nodes: HashMap<Option<&'a str>, Vec<&'a str>>,
}

impl<'a> Tree<'a> {
    fn of(project: &'a Project) -> Self {
        let mut child_boundaries: HashMap<Option<&str>, Vec<&Boundary>> = HashMap::new();
        for boundary in &project.boundaries {
            let parent = boundary.parent.as_deref().filter(|p| project.boundary(p).is_some());
            child_boundaries.entry(parent).or_default().push(boundary);
        }
        for list in child_boundaries.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
        // A node drawn in several boundaries goes in the deepest one (a diagram can show it once).
        let mut home: HashMap<&str, (usize, &str)> = HashMap::new();
        for boundary in &project.boundaries {
            let depth = project.boundary_depth(&boundary.id);
            for member in &boundary.members {
                let entry = home.entry(member.as_str()).or_insert((depth, boundary.id.as_str()));
                if depth > entry.0 {
                    *entry = (depth, boundary.id.as_str());
                }
            }
        }
        let mut nodes: HashMap<Option<&str>, Vec<&str>> = HashMap::new();
        for node in &project.nodes {
            nodes.entry(home.get(node.id.as_str()).map(|(_, b)| *b)).or_default().push(&node.id);
        }
        for list in nodes.values_mut() {
            list.sort_unstable();
        }
        Self { child_boundaries, nodes }
    }
}

/// Text for a Mermaid quoted label: quotes and markup become entities, line breaks spaces.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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
    let tree = Tree::of(project);
    let mut out = format!("---\ntitle: \"{}\"\n---\nflowchart LR\n", mermaid_text(checklist.title()));
    write_level(&MERMAID, checklist, &ids, &tree, None, 1, &mut out);
    for (i, flow) in sorted_flows(project).iter().enumerate() {
        let arrow = if is_plaintext(flow) { "-.->" } else { "-->" };
        let text = flow_text(flow);
        let label = if text.is_empty() { String::new() } else { format!("|\"{}\"|", mermaid_text(&text)) };
        let _ = writeln!(out, "    {} {arrow}{label} {}", ids.get(&flow.from), ids.get(&flow.to));
        if is_plaintext(flow) {
            let _ = writeln!(out, "    linkStyle {i} stroke:#c61b1b,color:#c61b1b");
        }
    }
    out
}

/// Text for a DOT quoted string.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The diagram as a Graphviz DOT digraph, left to right.
pub(super) fn dot(checklist: &Checklist<'_>) -> String {
    let project = checklist.project;
    let ids = SafeIds::of(project);
    let tree = Tree::of(project);
    let mut out = format!(
        "digraph \"{}\" {{\n    rankdir=LR;\n    node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"DejaVu Sans\"];\n    edge [fontname=\"DejaVu Sans\", fontsize=10];\n",
        dot_text(checklist.title())
    );
    write_level(&DOT, checklist, &ids, &tree, None, 1, &mut out);
    for flow in sorted_flows(project) {
        let style = if !is_plaintext(flow) {
            String::new()
        } else {
            ", style=dashed, color=\"#c61b1b\", fontcolor=\"#c61b1b\"".to_owned()
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

/// Writes the boundaries inside `parent` (nested, up to 64 deep) and then its nodes.
fn write_level(
    syntax: &Syntax,
    checklist: &Checklist<'_>,
    ids: &SafeIds<'_>,
    tree: &Tree<'_>,
    parent: Option<&str>,
    depth: usize,
    out: &mut String,
) {
    let indent = "    ".repeat(depth);
    if depth > 64 {
        return;
    }
    for boundary in tree.child_boundaries.get(&parent).into_iter().flatten() {
        let title = format!("{}: {}", boundary.kind.name(), boundary.display_name());
        let _ = writeln!(out, "{}", (syntax.open)(&indent, ids.get(&boundary.id), &title));
        write_level(syntax, checklist, ids, tree, Some(&boundary.id), depth + 1, out);
        let _ = writeln!(out, "{indent}{}", syntax.close);
    }
    for id in tree.nodes.get(&parent).into_iter().flatten() {
        let Some(node) = checklist.node(id) else { continue };
        let service =
            checklist.catalog.service(&node.service).map_or(node.service.as_str(), |s| s.name.as_str());
        let _ = writeln!(out, "{}", (syntax.node)(&indent, ids.get(id), node.display_name(), service));
    }
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
    fn escapes_for_mermaid_and_dot() {
        assert_eq!(
            mermaid_text("a \"b\" <i>|x|</i> #1"),
            "a #quot;b#quot; #lt;i#gt;#124;x#124;#lt;/i#gt; #35;1"
        );
        assert_eq!(mermaid_text("line\nbreak"), "line break");
        assert_eq!(dot_text("say \"hi\" \\ now\nnext"), "say \\\"hi\\\" \\\\ now\\nnext");
    }
}
