//! Two indentation rules of YAML 1.2 that CloudFormation's toolchain does not apply, worked
//! around: PyYAML (cfn-lint, the AWS CLI, SAM) and CloudFormation itself accept
//!
//! ```yaml
//!       KeyPolicy: {            # a JSON policy pasted into YAML
//!         "Version": "2012-10-17"
//!       }                       # the closing brace at the key's column
//!     Description: "a long text
//!     continued at the key's column"
//! ```
//!
//! which saphyr-parser, following the spec, refuses ("invalid indentation"). Inside a flow
//! collection or a quoted scalar indentation carries no meaning: leading white space of a
//! continuation line is dropped, and brackets and quotes delimit the value. So when the parser
//! stops on an indentation error inside such a value, [`pad`] finds every multi-line flow
//! collection and quoted scalar of the text and indents their continuation lines to the column
//! of their opening bracket or quote, which changes no value, and the caller parses again.
//!
//! Finding them takes a light lexer (quotes, comments, plain and block scalars, brackets) that
//! only has to be right about where values start and end; the real parser then reads the padded
//! text and decides whether it is valid. Columns of the padded lines are mapped back for
//! messages ([`Padded::pads`]).

use std::collections::HashMap;

/// A text with some lines indented further, and by how much (1-based line → spaces added).
#[derive(Debug)]
pub(super) struct Padded {
    /// The padded text.
    pub text: String,
    /// Spaces added at the start of each padded line, by 1-based line number.
    pub pads: HashMap<usize, usize>,
}

/// A multi-line flow collection or quoted scalar: lines `first + 1 ..= last` (1-based) whose
/// content starts left of `column` (0-based, in characters) need padding to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Region {
    first: usize,
    last: usize,
    column: usize,
}

/// The padded text when the indentation error at `line` (1-based) and `column` (1-based) lies in
/// a multi-line flow collection or quoted scalar whose continuation lines start left of its
/// opening; `None` when it does not (the error is a real one).
pub(super) fn pad(text: &str, line: usize, column: usize) -> Option<Padded> {
    let indents = line_indents(text);
    let needy: Vec<Region> =
        regions(text).into_iter().filter(|region| needs_padding(region, &indents)).collect();
    let at_error = needy.iter().any(|region| {
        (region.first == line && column > region.column) || (region.first < line && line <= region.last)
    });
    if !at_error {
        return None;
    }
    let mut pads: HashMap<usize, usize> = HashMap::new();
    for region in &needy {
        for number in region.first + 1..=region.last {
            if let Some(Some(indent)) = indents.get(number - 1)
                && *indent < region.column
            {
                let pad = pads.entry(number).or_default();
                *pad = (*pad).max(region.column - indent);
            }
        }
    }
    let mut padded = String::with_capacity(text.len() + pads.values().sum::<usize>());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(&spaces) = pads.get(&(index + 1)) {
            padded.extend(std::iter::repeat_n(' ', spaces));
        }
        padded.push_str(line);
    }
    Some(Padded { text: padded, pads })
}

/// Each line's indentation in characters (spaces and tabs), or `None` for a line that is blank
/// or a document marker (`---`, `...`), which is never padded.
fn line_indents(text: &str) -> Vec<Option<usize>> {
    text.split_inclusive('\n')
        .map(|line| {
            let content = line.trim_start_matches([' ', '\t']);
            let marker = ["---", "..."].iter().any(|m| {
                content.len() == line.len()
                    && content
                        .strip_prefix(m)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
            });
            let blank = content.trim_end_matches(['\r', '\n']).is_empty();
            (!blank && !marker).then(|| line.len() - content.len())
        })
        .collect()
}

fn needs_padding(region: &Region, indents: &[Option<usize>]) -> bool {
    (region.first + 1..=region.last)
        .any(|number| indents.get(number - 1).copied().flatten().is_some_and(|indent| indent < region.column))
}

/// What the lexer is inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Inside {
    /// Structure: indicators, keys, plain scalars.
    Structure,
    /// A single-quoted scalar opened at this line and column.
    Single(usize, usize),
    /// A double-quoted scalar opened at this line and column.
    Double(usize, usize),
    /// A comment, to the end of the line.
    Comment,
}

/// Every multi-line flow collection (outermost only) and multi-line quoted scalar outside flow
/// collections.
fn regions(text: &str) -> Vec<Region> {
    let mut lexer = Lexer::default();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        lexer.line(index + 1, line);
    }
    lexer.regions
}

#[derive(Default)]
struct Lexer {
    regions: Vec<Region>,
    /// Open flow collections: line and column of each bracket.
    flow: Vec<(usize, usize)>,
    inside: Option<Inside>,
    /// Inside a block scalar whose content is indented more than this.
    block_scalar: Option<usize>,
}

impl Lexer {
    fn line(&mut self, number: usize, line: &str) {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
        if let Some(parent) = self.block_scalar {
            let blank = bytes[indent..].iter().all(|b| matches!(b, b'\r' | b'\n'));
            if blank || indent > parent {
                return;
            }
            self.block_scalar = None;
        }
        if self.inside == Some(Inside::Comment) {
            self.inside = None;
        }
        // The column of the first token after sequence dashes, and of the last dash: the parent
        // indentation of a block scalar that starts on this line.
        let mut dashes_end = indent;
        let mut last_dash = None;
        while bytes.get(dashes_end) == Some(&b'-') && matches!(bytes.get(dashes_end + 1), Some(b' ' | b'\t'))
        {
            last_dash = Some(dashes_end);
            dashes_end += 1;
            while matches!(bytes.get(dashes_end), Some(b' ' | b'\t')) {
                dashes_end += 1;
            }
        }

        let mut column = 0usize;
        let mut token_start = true;
        let mut plain = false;
        let mut i = 0usize;
        while i < bytes.len() {
            let byte = bytes[i];
            let next = bytes.get(i + 1).copied();
            let blank_next = next.is_none_or(|n| matches!(n, b' ' | b'\t' | b'\r' | b'\n'));
            match self.inside.unwrap_or(Inside::Structure) {
                Inside::Comment => return,
                Inside::Single(first, at) => {
                    if byte == b'\'' {
                        if next == Some(b'\'') {
                            i += 2;
                            column += 2;
                            continue;
                        }
                        self.close_quote(first, at, number);
                        token_start = false;
                    }
                }
                Inside::Double(first, at) => {
                    if byte == b'\\' {
                        // An escape: the next character, or the line break, is taken as it is.
                        i += 1;
                        column += 1;
                        if next.is_some_and(|n| n != b'\n' && n != b'\r') {
                            i += utf8_width(next.unwrap_or(0));
                            column += 1;
                        }
                        continue;
                    }
                    if byte == b'"' {
                        self.close_quote(first, at, number);
                        token_start = false;
                    }
                }
                Inside::Structure => {
                    let in_flow = !self.flow.is_empty();
                    match byte {
                        b' ' | b'\t' | b'\r' | b'\n' => {
                            token_start = true;
                        }
                        b'#' if token_start => {
                            self.inside = Some(Inside::Comment);
                            return;
                        }
                        b'[' | b'{' if in_flow || (token_start && !plain) => {
                            self.flow.push((number, column));
                            plain = false;
                            token_start = true;
                            i += 1;
                            column += 1;
                            continue;
                        }
                        b']' | b'}' if in_flow => {
                            if let Some((first, at)) = self.flow.pop()
                                && self.flow.is_empty()
                                && number > first
                            {
                                self.regions.push(Region { first, last: number, column: at });
                            }
                            plain = false;
                            token_start = false;
                        }
                        b',' if in_flow => {
                            plain = false;
                            token_start = true;
                            i += 1;
                            column += 1;
                            continue;
                        }
                        b':' if blank_next
                            || (in_flow && matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}'))) =>
                        {
                            plain = false;
                            token_start = true;
                        }
                        b'\'' | b'"' if token_start && !plain => {
                            self.inside = Some(if byte == b'\'' {
                                Inside::Single(number, column)
                            } else {
                                Inside::Double(number, column)
                            });
                        }
                        b'|' | b'>' if token_start && !plain && !in_flow => {
                            let header_ok = bytes[i + 1..]
                                .iter()
                                .take_while(|b| !matches!(b, b'\r' | b'\n' | b'#'))
                                .all(|b| matches!(b, b'+' | b'-' | b'0'..=b'9' | b' ' | b'\t'));
                            if header_ok {
                                let parent = match last_dash {
                                    Some(dash) if i == dashes_end => dash,
                                    _ => dashes_end,
                                };
                                self.block_scalar = Some(parent);
                                return;
                            }
                            plain = true;
                            token_start = false;
                        }
                        b'-' | b'?' if token_start && !plain && blank_next => {}
                        b'!' | b'&' | b'*' if token_start && !plain => {
                            // A tag, anchor or alias: a token up to the next blank.
                            while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                                if in_flow && matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}') {
                                    break;
                                }
                                i += utf8_width(bytes[i]);
                                column += 1;
                            }
                            token_start = false;
                            continue;
                        }
                        _ => {
                            if token_start && !plain {
                                plain = true;
                            }
                            token_start = false;
                        }
                    }
                }
            }
            i += utf8_width(byte);
            column += 1;
        }
        if self.flow.is_empty() && !matches!(self.inside, Some(Inside::Single(..) | Inside::Double(..))) {
            self.inside = None;
        }
    }

    /// Ends a quoted scalar opened at `first`, `at`; it is a region of its own when it spans
    /// lines outside any flow collection.
    fn close_quote(&mut self, first: usize, at: usize, number: usize) {
        self.inside = None;
        if self.flow.is_empty() && number > first {
            self.regions.push(Region { first, last: number, column: at });
        }
    }
}

/// How many bytes the UTF-8 character starting with `byte` takes (1 for a stray continuation
/// byte, so the walk always advances).
fn utf8_width(byte: u8) -> usize {
    match byte {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_multi_line_flow_collections_and_quoted_scalars() {
        let text = "\
a: {
  \"k\": [1,
  2]
}
b: 'one
  two'
c: [x]
d: |
  { not a collection
e: text [with brackets
f: \"esc \\\" quote
 more\" # and a comment [
- [
 ]
";
        assert_eq!(
            regions(text),
            vec![
                Region { first: 1, last: 4, column: 3 },
                Region { first: 5, last: 6, column: 3 },
                Region { first: 11, last: 12, column: 3 },
                Region { first: 13, last: 14, column: 2 },
            ]
        );
    }

    #[test]
    fn pads_only_when_the_error_is_inside_a_region_that_needs_it() {
        let text = "Resources:\n  P:\n    Policy: {\n      \"a\": 1\n    }\n";
        let padded = pad(text, 5, 5).unwrap();
        assert_eq!(padded.text, "Resources:\n  P:\n    Policy: {\n            \"a\": 1\n            }\n");
        assert_eq!(padded.pads, HashMap::from([(4, 6), (5, 8)]));
        // An error elsewhere is a real one.
        assert!(pad(text, 2, 3).is_none());
        // A block scalar's content is not looked into.
        assert!(pad("a: |\n  {\nb: 1\n", 2, 3).is_none());
    }
}
