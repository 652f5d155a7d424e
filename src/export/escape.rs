//! Every escaping function, one per output grammar, in one place: whatever the user typed (or a
//! hostile file holds) is shown as text and never becomes structure, markup, a formula or an
//! escape sequence. The exports call these; so does the command line for what it prints.
//!
//! | Grammar | Function | What it guards against |
//! |---|---|---|
//! | XML (SVG, HTML) | [`xml`] | markup; characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) |
//! | Markdown, inline | [`markdown`] | emphasis, links, HTML, headings, tables; line breaks |
//! | Markdown, several lines | [`markdown_lines`] | list items, setext headings, code blocks started on a new line |
//! | Markdown code span | [`markdown_code`] | the closing backtick |
//! | Mermaid label | [`mermaid`] | quotes, markup, the label delimiters |
//! | YAML double-quoted (Mermaid front matter) | [`yaml_quoted`] | `\` and `"`; characters YAML forbids |
//! | Graphviz DOT string | [`dot`] | quotes, backslashes, line breaks |
//! | CSV cell (RFC 4180) | [`csv_cell`] | separators; formulas, also fullwidth or after spaces |
//! | Terminal | [`terminal`] | ESC, BEL, CR, NUL, C1 and bidirectional controls (shown visibly) |

use std::borrow::Cow;
use std::fmt::Write as _;

/// The replacement for a character an output cannot carry.
const REPLACEMENT: char = '\u{fffd}';

/// Whether `c` is a Unicode noncharacter (U+FDD0–U+FDEF, and the last two of every plane).
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{fdd0}'..='\u{fdef}') || (c as u32) & 0xfffe == 0xfffe
}

/// Whether `c` ends a line for a reader though it is not `\n` or `\r`.
fn is_other_line_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}')
}

/// Whether a terminal or a reader's eye acts on `c`: controls, and the bidirectional marks and
/// overrides that reorder what is shown.
fn is_terminal_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for XML content and attribute values (SVG and HTML). Characters XML 1.0 does not allow,
/// and other controls and noncharacters, become U+FFFD.
pub fn xml(text: &str) -> String {
    xml_with(text, false)
}

/// [`xml`] for an attribute whose line breaks and tabs must survive (draw.io labels and
/// properties): they become character references, which an attribute does not turn into spaces.
pub fn xml_attribute(text: &str) -> String {
    xml_with(text, true)
}

fn xml_with(text: &str, breaks_as_references: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if breaks_as_references => out.push_str("&#10;"),
            '\r' if breaks_as_references => out.push_str("&#13;"),
            '\t' if breaks_as_references => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// Text for one line of Markdown (a heading, a list item, a table cell): every character with a
/// meaning is backslash-escaped, line breaks become spaces, controls U+FFFD.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '|' | '!'
            | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_other_line_break(c) => out.push(' '),
            c if c.is_control() || is_noncharacter(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// Text of several lines inside a Markdown list item (a note): each line escaped as by
/// [`markdown`], its leading blank space dropped (no indented code block) and a leading `-`,
/// `+`, `=` or `1.` escaped (no list item, no setext heading); lines joined by hard breaks and
/// `indent`, so all of them stay inside the item.
pub fn markdown_lines(text: &str, indent: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let lines = normalized.split(|c: char| c == '\n' || c == '\r' || is_other_line_break(c));
    let mut out = String::with_capacity(text.len());
    for (number, line) in lines.enumerate() {
        if number > 0 {
            out.push_str("  \n");
            out.push_str(indent);
        }
        let escaped = markdown(line.trim_start());
        let digits = escaped.chars().take_while(char::is_ascii_digit).count();
        if escaped.starts_with(['-', '+', '=']) {
            out.push('\\');
            out.push_str(&escaped);
        } else if digits > 0 && escaped[digits..].starts_with(['.', ')']) {
            out.push_str(&escaped[..digits]);
            out.push('\\');
            out.push_str(&escaped[digits..]);
        } else {
            out.push_str(&escaped);
        }
    }
    out
}

/// Text for inside a Markdown code span: backticks cannot be escaped there, so they become `'`;
/// line breaks and controls become spaces.
pub fn markdown_code(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() || is_other_line_break(c) || is_noncharacter(c) => ' ',
            c => c,
        })
        .collect()
}

/// Text for a Mermaid quoted label: quotes and markup become entities, line breaks spaces,
/// other controls and noncharacters are dropped.
pub fn mermaid(text: &str) -> String {
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
            c if is_other_line_break(c) => out.push(' '),
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a YAML double-quoted scalar (the title in Mermaid's front matter): `\` and `"`
/// escaped, line breaks and tabs as spaces, and what YAML does not allow in a document
/// (controls, noncharacters) dropped.
pub fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_other_line_break(c) => out.push(' '),
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for a Graphviz DOT quoted string: quotes and backslashes escaped, `\n` as DOT's line
/// break, other controls and noncharacters dropped.
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if is_other_line_break(c) => out.push_str("\\n"),
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters a spreadsheet starts a formula with, ASCII and fullwidth.
const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}'];

/// A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, inner quotes
/// doubled. A cell a spreadsheet would run as a formula (starting, perhaps after blank space,
/// with `=`, `+`, `-`, `@` or their fullwidth forms, or with a tab or carriage return) gets a
/// leading `'` so it shows as text. Controls other than tab and line breaks become U+FFFD.
pub fn csv_cell(cell: &str) -> String {
    let cell: String = cell
        .chars()
        .map(|c| {
            if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_noncharacter(c) {
                REPLACEMENT
            } else {
                c
            }
        })
        .collect();
    let formula = cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(FORMULA_STARTS);
    let cell = if formula { format!("'{cell}") } else { cell };
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

/// Text for a terminal, shown visibly: every control character (line breaks and tabs too) and
/// every bidirectional mark or override becomes a Rust-style escape (`\u{1b}`, `\n`), so what
/// whoowns prints can neither move the cursor, change the title, write the clipboard, ring the
/// bell, overwrite a line nor reorder what a reader sees. Other text is unchanged (not copied).
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if is_terminal_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whole lines for a terminal: [`terminal`] applied to each line, the line breaks kept.
pub fn terminal_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_terminal_control(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(terminal).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_replaces_what_xml_forbids() {
        assert_eq!(xml("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(xml("a \"b\" & 'c'"), "a &quot;b&quot; &amp; &#39;c&#39;");
        assert_eq!(
            xml("bell\u{7} \u{fffe}\u{ffff}\u{1fffe}\u{9b}"),
            "bell\u{fffd} \u{fffd}\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(xml("tab\tline\n"), "tab\tline\n");
    }

    #[test]
    fn markdown_escapes_markup_and_flattens_lines() {
        assert_eq!(markdown("<script>alert(1)</script>"), "\\<script\\>alert\\(1\\)\\</script\\>");
        assert_eq!(markdown("**bold** [x](y) | # &amp;"), "\\*\\*bold\\*\\* \\[x\\]\\(y\\) \\| \\# \\&amp;");
        assert_eq!(markdown("a\n# b\r\nc\u{2028}d"), "a \\# b  c d");
        assert_eq!(markdown_code("a`b\nc"), "a'b c");
    }

    #[test]
    fn markdown_lines_stay_inside_their_item() {
        assert_eq!(
            markdown_lines("one\n- two\n  + three\n===\n        code\n12. twelve\n3) three", "    "),
            "one  \n    \\- two  \n    \\+ three  \n    \\===  \n    code  \n    12\\. twelve  \n    3\\) three"
        );
        assert_eq!(markdown_lines("a\r\nb\rc", ""), "a  \nb  \nc");
    }

    #[test]
    fn mermaid_yaml_and_dot_keep_text_inside_its_quotes() {
        assert_eq!(mermaid("a \"b\" <i>|x|</i> #1"), "a #quot;b#quot; #lt;i#gt;#124;x#124;#lt;/i#gt; #35;1");
        assert_eq!(mermaid("line\nbreak\u{fffe}\u{1b}"), "line break");
        assert_eq!(yaml_quoted("C:\\temp \"x\"\n\u{fffe}\u{1b}"), "C:\\\\temp \\\"x\\\" ");
        assert_eq!(dot("say \"hi\" \\ now\nnext\u{1b}\u{ffff}"), "say \\\"hi\\\" \\\\ now\\nnext");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        for formula in ["\u{ff1d}1+1", "  =1", "\u{3000}+1", "\u{ff0d}1", "\u{ff20}x", "\u{ff0b}1", "\t1"] {
            assert!(csv_cell(formula).starts_with('\''), "{formula:?}");
        }
        assert_eq!(csv_cell("esc\u{1b}"), "esc\u{fffd}");
    }

    #[test]
    fn terminals_see_controls_as_text() {
        assert_eq!(terminal("plain ✓"), "plain ✓");
        assert_eq!(
            terminal("\u{1b}]0;x\u{7}\r\n\0\u{9b}\u{202e}"),
            "\\u{1b}]0;x\\u{7}\\r\\n\\0\\u{9b}\\u{202e}"
        );
        assert_eq!(terminal_lines("a\u{1b}\nb\n"), "a\\u{1b}\nb\n");
        assert!(matches!(terminal_lines("a\nb\n"), Cow::Borrowed(_)));
    }
}
