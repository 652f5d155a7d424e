//! Labels as plain text. draw.io labels with `html=1` are HTML fragments (`<div>`, `<br>`,
//! `<font>`, `&nbsp;`, lists); whoowns shows plain text, so tags are dropped, line-breaking tags
//! become line breaks and entities are decoded. Linear in the label's length whatever its markup.

/// The longest label whoowns keeps, in characters; the rest is cut with an ellipsis.
pub(super) const MAX_LABEL: usize = 200;

/// `value` as plain text: markup removed when `html`, whitespace collapsed within each line,
/// empty lines dropped.
pub(super) fn plain(value: &str, html: bool) -> String {
    let text = if html { strip_html(value) } else { value.to_owned() };
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

/// The label on one line, as whoowns shows node and boundary names: lines joined with a space,
/// at most [`MAX_LABEL`] characters.
pub(super) fn one_line(text: &str) -> String {
    shorten(&text.lines().collect::<Vec<_>>().join(" "), MAX_LABEL)
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// Tags whose start or end breaks the line.
const BREAKING: [&str; 12] = ["br", "div", "p", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "table"];

fn strip_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            // A tag runs to the next `>`; a `<` with none after it is text.
            let Some(end) = rest.find('>') else {
                out.push_str(rest);
                return out;
            };
            let name: String = rest[1..end]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if BREAKING.contains(&name.as_str()) {
                out.push('\n');
            }
            rest = &rest[end + 1..];
        } else {
            let (decoded, used) = entity(rest);
            out.push_str(&decoded);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity at the start of `text` stands for, and how many bytes it used; a `&`
/// that starts no entity is itself.
fn entity(text: &str) -> (String, usize) {
    // Entities are short; `;` is ASCII, so the byte search never splits a character.
    let Some(end) = text.bytes().take(12).position(|b| b == b';') else { return ("&".to_owned(), 1) };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "hellip" => Some('…'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "bull" => Some('•'),
        "middot" => Some('·'),
        "times" => Some('×'),
        "rarr" => Some('→'),
        "larr" => Some('←'),
        "copy" => Some('©'),
        "reg" => Some('®'),
        "euro" => Some('€'),
        _ => {
            let number = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|dec| dec.parse().ok())
            };
            number.and_then(char::from_u32)
        }
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".to_owned(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_lines_of_text() {
        assert_eq!(plain("<div>Amazon</div><div>Cognito<br></div>", true), "Amazon\nCognito");
        assert_eq!(
            plain("Data&nbsp;Firehose &amp; more &#65;&#x42; &bogus; a < b", true),
            "Data Firehose & more AB &bogus; a < b"
        );
        assert_eq!(plain("<b>x</b>  y", true), "x y");
        assert_eq!(plain("<b>x</b>", false), "<b>x</b>");
        assert_eq!(one_line("Load Function\nLambda"), "Load Function Lambda");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
