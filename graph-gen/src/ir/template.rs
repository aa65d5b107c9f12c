//! HTTP templates parsed once: the method as an enum and the path as segments of literal text
//! and parameters. Serialised as the strings of the IR contract (`"GET"`,
//! `"/users/{id}/messages"`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The HTTP method of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// Every method a template may use, in the order the docs list them in diagnostics.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// `GET`, `POST`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// A method word in any case (`get`, `Post`).
    pub fn parse(word: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(word.trim()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Method {
    fn eq(&self, other: &&str) -> bool {
        self.as_str().eq_ignore_ascii_case(other)
    }
}

impl Serialize for Method {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        Method::parse(&word).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown HTTP method `{word}`; expected GET, POST, PUT, PATCH or DELETE"
            ))
        })
    }
}

/// A normalised template path (`/users/{id}/reprocessLicenseAssignment`), split once into
/// segments at `/` (colon addressing `root:/{item-path}:` is one segment, its `/`s kept) and
/// each segment into literal text and `{parameter}`s.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PathTemplate {
    text: String,
    segments: Vec<Segment>,
}

/// One `/`-separated segment of a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segment {
    pieces: Vec<Piece>,
}

/// Part of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    /// Text sent as written.
    Literal(String),
    /// A `{name}` placeholder, by its unique parameter name.
    Parameter(String),
}

impl PathTemplate {
    /// Parses a normalised path. Braces that do not form a `{name}` stay literal text, so
    /// parsing never fails.
    pub fn parse(text: &str) -> PathTemplate {
        let segments = join_colon_segments(text.split('/').filter(|s| !s.is_empty()))
            .iter()
            .map(|segment| Segment {
                pieces: pieces(segment),
            })
            .collect();
        PathTemplate {
            text: text.to_owned(),
            segments,
        }
    }

    /// The path as the IR writes it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The pieces of the whole path, each segment's after a `/` literal: what a request path is
    /// built from. Adjacent literal text is one piece.
    pub fn pieces(&self) -> Vec<Piece> {
        let mut all: Vec<Piece> = Vec::new();
        for segment in &self.segments {
            push_literal(&mut all, "/");
            for piece in &segment.pieces {
                match piece {
                    Piece::Literal(text) => push_literal(&mut all, text),
                    Piece::Parameter(name) => all.push(Piece::Parameter(name.clone())),
                }
            }
        }
        all
    }

    /// Whether the last segment is a lone placeholder: the template addresses one entity of a
    /// collection (`/chats/{chat-id}`).
    pub fn addresses_one(&self) -> bool {
        self.segments
            .last()
            .is_some_and(|segment| matches!(segment.pieces.as_slice(), [Piece::Parameter(_)]))
    }

    /// The path compared across pages: placeholders as `{}`, literals in lower case.
    pub fn shape(&self) -> String {
        let mut shape = String::with_capacity(self.text.len());
        for piece in self.pieces() {
            match piece {
                Piece::Literal(text) => shape.push_str(&text.to_lowercase()),
                Piece::Parameter(_) => shape.push_str("{}"),
            }
        }
        shape
    }
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Literal(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Literal(text.to_owned()));
    }
}

impl Segment {
    /// The segment's pieces.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The segment's text when it has no parameter.
    pub fn literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [Piece::Literal(text)] => Some(text),
            _ => None,
        }
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq<str> for PathTemplate {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for PathTemplate {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl From<&str> for PathTemplate {
    fn from(text: &str) -> Self {
        PathTemplate::parse(text)
    }
}

impl From<String> for PathTemplate {
    fn from(text: String) -> Self {
        PathTemplate::parse(&text)
    }
}

impl Serialize for PathTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for PathTemplate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(PathTemplate::from)
    }
}

/// `root:`, `a`, `b.txt:`, `content` → `root:`, `a/b.txt:`, `content`: the segments after one
/// ending in `:` are one segment up to the next ending in `:` (or the end).
///
/// The segment that closes an address (`b.txt:`, `{item-path}:`) opens none: what follows it
/// (`/workbook/worksheets`) is segments again.
pub(crate) fn join_colon_segments<S: AsRef<str>>(segments: impl Iterator<Item = S>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    // Inside an address, after its opening segment (and any segments joined to it).
    let mut open = false;
    // The last segment pushed opened an address.
    let mut opened = false;
    for segment in segments {
        let segment = segment.as_ref();
        if open {
            if let Some(last) = joined.last_mut() {
                last.push('/');
                last.push_str(segment);
            }
            open = !segment.ends_with(':');
            continue;
        }
        if opened {
            // The first segment of the address: it may close it at once.
            opened = false;
            open = !segment.ends_with(':');
            joined.push(segment.to_owned());
            continue;
        }
        opened = segment.ends_with(':');
        joined.push(segment.to_owned());
    }
    joined
}

/// `reports(period='{period}')` → `reports(period='`, `period`, `')`.
fn pieces(segment: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = segment;
    while !rest.is_empty() {
        let placeholder = rest
            .strip_prefix('{')
            .and_then(|after| after.find('}').map(|end| &after[..end]))
            .filter(|name| !name.trim().is_empty() && !name.contains('{'));
        if let Some(name) = placeholder {
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Parameter(name.to_owned()));
            rest = &rest[name.len() + 2..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Piece {
        Piece::Literal(text.to_owned())
    }

    fn parameter(name: &str) -> Piece {
        Piece::Parameter(name.to_owned())
    }

    #[test]
    fn paths_split_into_segments_and_pieces() {
        let path = PathTemplate::parse("/users/{id}/reprocessLicenseAssignment");
        assert_eq!(
            path.pieces(),
            [
                literal("/users/"),
                parameter("id"),
                literal("/reprocessLicenseAssignment")
            ]
        );
        assert_eq!(path.segments().len(), 3);
        assert!(!path.addresses_one());
        assert!(PathTemplate::parse("/chats/{chat}").addresses_one());
        let function = PathTemplate::parse("/reports/getCounts(period='{period}')");
        assert_eq!(
            function.segments()[1].pieces(),
            [
                literal("getCounts(period='"),
                parameter("period"),
                literal("')")
            ]
        );
        assert_eq!(
            PathTemplate::parse("/a/{}/{b").pieces(),
            [literal("/a/{}/{b")]
        );
        assert_eq!(
            PathTemplate::parse("/é/{x}").pieces(),
            [literal("/é/"), parameter("x")]
        );
    }

    #[test]
    fn colon_paths_are_one_segment_and_shapes_compare_across_pages() {
        let path = PathTemplate::parse("/me/drive/root:/{item-path}:/content");
        let texts: Vec<String> = path
            .segments()
            .iter()
            .map(|s| s.literal().map_or_else(|| "…".to_owned(), str::to_owned))
            .collect();
        assert_eq!(texts, ["me", "drive", "root:", "…", "content"]);
        let nested = PathTemplate::parse("/drives/{d}/root:/a/{b}/c.txt:/content");
        assert_eq!(nested.segments().len(), 5, "{nested:?}");
        // After the address, segments again (`workbook`, `worksheets`, …).
        let after = PathTemplate::parse("/me/drive/root:/{item-path}:/workbook/worksheets/{id}");
        assert_eq!(after.segments().len(), 7, "{after:?}");
        assert_eq!(
            PathTemplate::parse("/Users/{id}/Messages").shape(),
            PathTemplate::parse("/users/{user-id}/messages").shape()
        );
    }

    #[test]
    fn the_contract_strings_round_trip() {
        let path = PathTemplate::parse("/users/{id}");
        assert_eq!(serde_json::to_string(&path).unwrap(), "\"/users/{id}\"");
        let back: PathTemplate = serde_json::from_str("\"/users/{id}\"").unwrap();
        assert_eq!(back, path);
        assert_eq!(serde_json::to_string(&Method::Patch).unwrap(), "\"PATCH\"");
        assert_eq!(Method::parse("delete"), Some(Method::Delete));
        assert!(serde_json::from_str::<Method>("\"TRACE\"").is_err());
    }
}
