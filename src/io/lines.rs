//! Lines and columns of places in a text, for error messages. A line ends at `\n`, `\r\n` or a
//! lone `\r` (old Mac files), so a file of any line ending gets the line its editor shows.
//! Columns count characters, from 1.

use super::Location;

/// Walks forward through a text and gives the location of increasing offsets, so locating any
/// number of places costs one pass over the text.
pub(crate) struct LineCursor<'t> {
    bytes: &'t [u8],
    /// Where the cursor is.
    offset: usize,
    /// The line the cursor is on, from 1.
    line: usize,
    /// Where that line starts.
    line_start: usize,
}

impl<'t> LineCursor<'t> {
    /// A cursor at the start of `bytes`.
    pub(crate) fn new(bytes: &'t [u8]) -> Self {
        Self { bytes, offset: 0, line: 1, line_start: 0 }
    }

    /// The location of byte `offset` (clamped to the text). An offset before the cursor's
    /// restarts from the beginning: correct, only slower.
    pub(crate) fn locate(&mut self, offset: usize) -> Location {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            *self = Self::new(self.bytes);
        }
        let mut index = self.offset;
        while index < offset {
            match self.bytes[index] {
                b'\n' => {
                    self.line += 1;
                    self.line_start = index + 1;
                }
                // A lone CR ends a line; the CR of a CRLF waits for its LF.
                b'\r' if self.bytes.get(index + 1) != Some(&b'\n') => {
                    self.line += 1;
                    self.line_start = index + 1;
                }
                _ => {}
            }
            index += 1;
        }
        self.offset = offset;
        let column = String::from_utf8_lossy(&self.bytes[self.line_start..offset]).chars().count() + 1;
        Location { line: self.line, column }
    }
}

/// The location of byte `offset` in `bytes` (an invalid UTF-8 byte, say).
pub(crate) fn location_of_offset(bytes: &[u8], offset: usize) -> Location {
    LineCursor::new(bytes).locate(offset)
}

/// The byte offset of a place ron names by line and column (ron counts lines by `\n` only and
/// columns in characters, from 1); the end of the text when it is past it.
pub(crate) fn offset_of_ron_position(text: &str, line: usize, column: usize) -> usize {
    let mut line_start = 0;
    for _ in 1..line {
        match text[line_start..].find('\n') {
            Some(end) => line_start += end + 1,
            None => return text.len(),
        }
    }
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(index, _)| line_start + index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> (usize, usize) {
        let location = location_of_offset(text.as_bytes(), offset);
        (location.line, location.column)
    }

    #[test]
    fn every_line_ending_counts() {
        assert_eq!(at("ab\ncd", 4), (2, 2));
        assert_eq!(at("ab\r\ncd", 5), (2, 2));
        assert_eq!(at("ab\rcd", 4), (2, 2));
        assert_eq!(at("ab\r\r\ncd", 6), (3, 2));
        assert_eq!(at("é\nxé!", 6), (2, 3), "columns count characters");
    }

    #[test]
    fn a_cursor_locates_many_places_in_one_pass_and_may_go_back() {
        let text = "a\nbb\rccc\r\nd";
        let mut cursor = LineCursor::new(text.as_bytes());
        let places: Vec<_> = [0, 2, 5, 10, 3].iter().map(|&o| cursor.locate(o)).collect();
        let pairs: Vec<_> = places.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(pairs, [(1, 1), (2, 1), (3, 1), (4, 1), (2, 2)]);
    }

    #[test]
    fn ron_positions_become_offsets() {
        let text = "ab\ncé\rx";
        assert_eq!(offset_of_ron_position(text, 1, 1), 0);
        assert_eq!(offset_of_ron_position(text, 2, 3), 6);
        assert_eq!(&text[offset_of_ron_position(text, 2, 4)..], "x");
        assert_eq!(offset_of_ron_position(text, 9, 1), text.len());
    }
}
