//! A cell's `style`: `key=value` pairs separated by `;`, plus bare words (`text`, `edgeLabel`,
//! `group`, `ellipse`...) that draw.io treats as flags or as the name of a base style. Key order
//! varies between editor versions, so the style is read into a map rather than matched as text.

use std::collections::HashMap;

/// A parsed style. Keys are case-sensitive, as in draw.io; colours are compared upper-cased.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Style {
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Style {
    /// Parses `text`. A later value of a key replaces an earlier one, as draw.io does.
    pub fn parse(text: &str) -> Self {
        let mut style = Self::default();
        for token in text.split(';') {
            let token = token.trim();
            if token.is_empty() {
                continue;
            }
            match token.split_once('=') {
                Some((key, value)) => {
                    style.values.insert(key.trim().to_owned(), value.trim().to_owned());
                }
                None => style.flags.push(token.to_owned()),
            }
        }
        style
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Whether the bare word `flag` is in the style (`text`, `group`, `edgeLabel`...).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// Whether `key` is `1` (draw.io's true).
    pub fn is_on(&self, key: &str) -> bool {
        self.get(key) == Some("1")
    }

    /// The shape: the `shape` key, else a bare word naming one (`ellipse`, `image`, `swimlane`...).
    pub fn shape(&self) -> Option<&str> {
        self.get("shape").or_else(|| self.flags.first().map(String::as_str))
    }

    /// A colour key, upper-cased (`#232f3e` and `#232F3E` are the same colour); `none` for none.
    pub fn colour(&self, key: &str) -> Option<String> {
        self.get(key).map(|value| {
            if value.eq_ignore_ascii_case("none") { "none".to_owned() } else { value.to_ascii_uppercase() }
        })
    }

    /// Whether labels are HTML (`html=1`).
    pub fn is_html(&self) -> bool {
        self.is_on("html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_flags_in_any_order() {
        let style = Style::parse(
            "text;html=1;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;;strokeColor=#232f3e",
        );
        assert!(style.has_flag("text"));
        assert!(style.is_html());
        assert_eq!(style.shape(), Some("mxgraph.aws4.resourceIcon"));
        assert_eq!(style.get("resIcon"), Some("mxgraph.aws4.s3"));
        assert_eq!(style.colour("strokeColor").as_deref(), Some("#232F3E"));
        assert_eq!(Style::parse("ellipse;whiteSpace=wrap").shape(), Some("ellipse"));
        assert_eq!(Style::parse("fillColor=NONE").colour("fillColor").as_deref(), Some("none"));
        // An image data URI keeps everything after the first `=`.
        assert_eq!(Style::parse("image=data:image/png,iVBOR==").get("image"), Some("data:image/png,iVBOR=="));
    }
}
