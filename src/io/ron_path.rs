//! Where things are in RON text, read without a full parser: a forward scan that knows strings,
//! raw strings, characters and comments, and keeps a stack of the structs, lists and maps it is
//! in with the field, index or key it is at. Used to say which field an error is about
//! (`nodes[3].internet_facing`) and to find every value problems point at in one pass.
//! Best effort: on text that is not RON it still ends, and never panics.

/// A struct or tuple `(`, a list `[` or a map `{` the scan is inside.
#[derive(Clone, Debug)]
pub(crate) struct Frame<'t> {
    /// `(`, `[` or `{`.
    pub open: u8,
    /// The identifier just before a `(`: `Node`, `Some`, `Pos`...
    pub name: Option<&'t str>,
    /// The field (in a struct) or the key (in a map, as written, quotes included) the scan is at.
    pub key: Option<&'t str>,
    /// How many elements came before the one the scan is at.
    pub index: usize,
}

/// What the scan meets, for a caller that watches string literals.
pub(crate) struct StringLiteral<'t> {
    /// Where the literal starts (its opening quote, or `r`/`b` prefix).
    pub offset: usize,
    /// The structures it is inside, outermost first.
    pub frames: &'t [Frame<'t>],
}

/// The scanner. Call [`Scanner::run`] with a place to stop and a closure for string literals.
pub(crate) struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    position: usize,
    frames: Vec<Frame<'t>>,
    /// The last identifier or string, to recognise `key:` and `Name(`.
    last_word: Option<Word<'t>>,
}

/// An identifier or a string literal, as written.
#[derive(Clone, Copy)]
struct Word<'t> {
    text: &'t str,
    /// Where it ends.
    end: usize,
    /// An identifier (`Node`), not a string (`"key"`).
    identifier: bool,
}

impl<'t> Scanner<'t> {
    /// A scanner at the start of `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        Self { text, bytes: text.as_bytes(), position: 0, frames: Vec::new(), last_word: None }
    }

    /// Scans up to byte `end` (or the end of the text), calling `on_string` for every string
    /// literal that starts before it. Returns the stack of frames at `end`.
    pub(crate) fn run(mut self, end: usize, mut on_string: impl FnMut(StringLiteral<'_>)) -> Vec<Frame<'t>> {
        let end = end.min(self.bytes.len());
        while self.position < end {
            let start = self.position;
            let byte = self.bytes[start];
            if matches!(byte, b'r' | b'b')
                && let Some(end) = self.raw_or_byte_string(start)
            {
                self.position = end;
                self.string_ends(start, &mut on_string);
                continue;
            }
            match byte {
                b'"' => {
                    self.position = end_of_string(self.text, start + 1);
                    self.string_ends(start, &mut on_string);
                }
                b'\'' => {
                    self.skip_char_literal(start + 1);
                    self.last_word = None;
                }
                b'/' if self.bytes.get(start + 1) == Some(&b'/') => {
                    self.position = self.text[start..].find('\n').map_or(self.bytes.len(), |n| start + n);
                }
                b'/' if self.bytes.get(start + 1) == Some(&b'*') => self.skip_block_comment(start + 2),
                b'(' | b'[' | b'{' => {
                    let name = match self.last_word {
                        Some(Word { text, end, identifier: true }) if byte == b'(' && end == start => {
                            Some(text)
                        }
                        _ => None,
                    };
                    self.frames.push(Frame { open: byte, name, key: None, index: 0 });
                    self.last_word = None;
                    self.position += 1;
                }
                b')' | b']' | b'}' => {
                    self.frames.pop();
                    self.last_word = None;
                    self.position += 1;
                }
                b',' => {
                    if let Some(frame) = self.frames.last_mut() {
                        frame.index += 1;
                        frame.key = None;
                    }
                    self.last_word = None;
                    self.position += 1;
                }
                b':' => {
                    if let (Some(word), Some(frame)) = (self.last_word, self.frames.last_mut()) {
                        frame.key = Some(word.text);
                    }
                    self.last_word = None;
                    self.position += 1;
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let mut stop = start + 1;
                    while stop < self.bytes.len()
                        && (self.bytes[stop].is_ascii_alphanumeric() || self.bytes[stop] == b'_')
                    {
                        stop += 1;
                    }
                    // `r#name`, a raw identifier.
                    if byte == b'r' && stop == start + 1 && self.bytes.get(stop) == Some(&b'#') {
                        stop += 1;
                        while stop < self.bytes.len()
                            && (self.bytes[stop].is_ascii_alphanumeric()
                                || matches!(self.bytes[stop], b'_' | b'-' | b'.' | b'+'))
                        {
                            stop += 1;
                        }
                    }
                    self.last_word =
                        Some(Word { text: &self.text[start..stop], end: stop, identifier: true });
                    self.position = stop;
                }
                b if b.is_ascii_whitespace() => self.position += 1,
                _ => {
                    // Numbers, signs, and anything else: one character.
                    self.last_word = None;
                    self.position += self.text[start..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        self.frames
    }

    /// After a string literal from `start` to the scan position: report it, and remember it as
    /// a possible map key.
    fn string_ends(&mut self, start: usize, on_string: &mut impl FnMut(StringLiteral<'_>)) {
        on_string(StringLiteral { offset: start, frames: &self.frames });
        let end = self.position.min(self.bytes.len());
        self.last_word = Some(Word { text: &self.text[start..end], end, identifier: false });
    }

    /// Where the literal ends when a raw string (`r"…"`, `r#"…"#`) or byte string (`b"…"`,
    /// `br"…"`) starts at `start`; `None` when it is an identifier.
    fn raw_or_byte_string(&self, start: usize) -> Option<usize> {
        let mut index = start;
        if self.bytes[index] == b'b' {
            index += 1;
            if self.bytes.get(index) == Some(&b'"') {
                return Some(end_of_string(self.text, index + 1));
            }
        }
        if self.bytes.get(index) != Some(&b'r') {
            return None;
        }
        index += 1;
        let hashes = self.bytes[index..].iter().take_while(|&&b| b == b'#').count();
        index += hashes;
        if self.bytes.get(index) != Some(&b'"') {
            return None;
        }
        let closing: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
        Some(
            self.text[index + 1..].find(&closing).map_or(self.bytes.len(), |n| index + 1 + n + closing.len()),
        )
    }

    /// Moves past a character literal whose content starts at `from` (`'a'`, `'\''`, `'\u{1F600}'`).
    fn skip_char_literal(&mut self, from: usize) {
        let mut index = from;
        if self.bytes.get(index) == Some(&b'\\') {
            index += 2;
        }
        self.position = self
            .text
            .get(index..)
            .and_then(|rest| rest.find('\''))
            .map_or(self.bytes.len(), |n| index + n + 1);
    }

    /// Moves past a block comment whose content starts at `from`; they nest, as in Rust.
    fn skip_block_comment(&mut self, from: usize) {
        let mut depth = 1;
        let mut index = from;
        while index < self.bytes.len() && depth > 0 {
            if self.bytes[index..].starts_with(b"/*") {
                depth += 1;
                index += 2;
            } else if self.bytes[index..].starts_with(b"*/") {
                depth -= 1;
                index += 2;
            } else {
                index += 1;
            }
        }
        self.position = index;
    }
}

/// Where a `"` string whose content starts at `from` ends (after its closing quote).
fn end_of_string(text: &str, from: usize) -> usize {
    let mut chars = text.get(from..).unwrap_or_default().char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return from + index + 1,
            _ => {}
        }
    }
    text.len()
}

/// The field the byte at `offset` belongs to, as a path from the top of the file:
/// `nodes[3].internet_facing`, `tasks["web/ec2.imdsv2"].status`, `version`. `None` at the top.
pub(crate) fn field_path(text: &str, offset: usize) -> Option<String> {
    let frames = Scanner::new(text).run(offset, |_| {});
    let mut path = String::new();
    for frame in &frames {
        match (frame.open, frame.name, frame.key) {
            (b'(', Some("Some"), _) => {}
            (b'(' | b'{', _, Some(key)) => {
                if frame.open == b'{' {
                    path.push('[');
                    path.push_str(&shorten(key, 60));
                    path.push(']');
                } else {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
            }
            (b'[', _, _) if !path.is_empty() => path.push_str(&format!("[{}]", frame.index)),
            // A tuple (`Pos(1, 2)`) or a map before its key: the path so far says enough.
            _ => break,
        }
    }
    (!path.is_empty()).then_some(path)
}

/// `text` cut to about `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_before(text: &str, marker: &str) -> Option<String> {
        field_path(text, text.find(marker).unwrap())
    }

    #[test]
    fn paths_name_fields_indices_and_keys() {
        let text = "Project(\n version: 1,\n nodes: [\n  Node(id: \"a\", service: \"ec2\"),\n  Node(id: \"b\", internet_facing: @),\n ],\n)";
        assert_eq!(path_before(text, "@").as_deref(), Some("nodes[1].internet_facing"));
        assert_eq!(path_before(text, "1,").as_deref(), Some("version"));
        let text = "(version: 1, tasks: {\"web/ec2.x\": TaskState(status: @)})";
        assert_eq!(path_before(text, "@").as_deref(), Some("tasks[\"web/ec2.x\"].status"));
        let text = "(nodes: [(id: \"a\", position: Some(Pos(1, @)))])";
        assert_eq!(path_before(text, "@").as_deref(), Some("nodes[0].position"));
        assert_eq!(field_path("Project(", 3), None);
    }

    #[test]
    fn strings_comments_and_raw_strings_hide_their_punctuation() {
        let text = "(// a comment, with: (\n name: \"a, b: [\\\" c\", /* x, /* nested ( */ y: [ */ \
                    description: r#\"has \"quotes\", (parens)\"#, label: 'c', colour: @)";
        assert_eq!(path_before(text, "@").as_deref(), Some("colour"));
    }

    #[test]
    fn every_string_literal_is_reported_with_its_frames() {
        let text = "(nodes: [(id: \"a\"), (id: \"b\", variant: Some(\"v\"))], boundaries: [(members: [\"a\", \"b\"])])";
        let mut seen = Vec::new();
        Scanner::new(text).run(usize::MAX, |literal| {
            let keys: Vec<String> =
                literal.frames.iter().map(|f| format!("{}{}", f.key.unwrap_or("-"), f.index)).collect();
            seen.push(keys.join("/"));
        });
        assert_eq!(
            seen,
            [
                "nodes0/-0/id0",
                "nodes0/-1/id0",
                "nodes0/-1/variant1/-0",
                "boundaries1/-0/members0/-0",
                "boundaries1/-0/members0/-1"
            ]
        );
    }

    proptest::proptest! {
        /// Any text, cut anywhere: the scan ends and never panics (offsets inside a character,
        /// unterminated strings and comments, unbalanced brackets).
        #[test]
        fn any_text_at_any_offset_is_scanned_without_panicking(
            text in "[(){}\\[\\],:\"'/*#rb\\\\a-z0-9 \n\ré€]{0,80}",
            cut in 0_usize..100,
        ) {
            let _ = field_path(&text, cut);
            let mut count = 0;
            let frames = Scanner::new(&text).run(usize::MAX, |_| count += 1);
            proptest::prop_assert!(frames.len() <= text.len());
        }
    }

    #[test]
    fn broken_text_ends_without_panicking() {
        for text in [
            "\"unterminated",
            "r#\"raw",
            "'",
            "/* open",
            ")))]]",
            "(a: b\"",
            "r#",
            "b",
            "é(ü:",
            "\"\\é",
            "'\\é",
        ] {
            let _ = field_path(text, usize::MAX);
        }
    }
}
