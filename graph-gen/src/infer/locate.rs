//! Where a sample's keys and elements are in its body text, so properties point at their line.
//!
//! The body was parsed leniently, so the text may not be strict JSON: the scanner skips strings
//! (`"` or `'`), comments and anything it does not know, and only tracks nesting. When it cannot
//! find a key, [`Text::find_key`] searches for `"key"` + `:` the plain way; the caller falls back
//! to the first line of the body.

/// A sample body's text with its position in the page.
#[derive(Debug)]
pub(super) struct Text<'a> {
    raw: &'a str,
    first_line: u32,
    newlines: Vec<usize>,
}

/// Where one `key: value` member of an object is, by byte offsets into the body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Member {
    /// Offset of the key's opening quote (or first character, unquoted).
    pub key_at: usize,
    /// Offset of the value's first character.
    pub value_at: usize,
}

impl<'a> Text<'a> {
    /// The body `raw`, whose first line is line `first_line` of the page.
    pub(super) fn new(raw: &'a str, first_line: u32) -> Self {
        let newlines = raw
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(at, _)| at)
            .collect();
        Text {
            raw,
            first_line,
            newlines,
        }
    }

    /// The page line of byte `offset`.
    pub(super) fn line(&self, offset: usize) -> u32 {
        let before = self.newlines.partition_point(|at| *at < offset);
        self.first_line
            .saturating_add(u32::try_from(before).unwrap_or(u32::MAX))
    }

    /// The page line the body starts on.
    pub(super) fn first_line(&self) -> u32 {
        self.first_line
    }

    /// Offset of the first value in the body (after whitespace and comments).
    pub(super) fn start(&self) -> Option<usize> {
        let at = self.skip_blank(0);
        (at < self.raw.len()).then_some(at)
    }

    /// The members of the object whose `{` is at `open`, in text order, each with its key as
    /// written between its quotes (escapes not decoded); empty if there is none.
    pub(super) fn members(&self, open: usize) -> Vec<(&'a str, Member)> {
        let mut members = Vec::new();
        self.scan(open, b'{', |text, at, depth, expecting| {
            if depth != 1 || !expecting {
                return None;
            }
            let (key, after) = text.key_at(at)?;
            let colon = text.skip_blank(after);
            (text.raw.as_bytes().get(colon) == Some(&b':')).then(|| {
                let member = Member {
                    key_at: at,
                    value_at: text.skip_blank(colon + 1),
                };
                members.push((key, member));
                colon + 1
            })
        });
        members
    }

    /// Offsets of the first `limit` elements of the array whose `[` is at `open`.
    pub(super) fn elements(&self, open: usize, limit: usize) -> Vec<usize> {
        let mut elements = Vec::new();
        if limit == 0 {
            return elements;
        }
        self.scan(open, b'[', |_, at, depth, expecting| {
            if depth == 1 && expecting {
                elements.push(at);
                if elements.len() == limit {
                    return Some(usize::MAX);
                }
            }
            None
        });
        elements
    }

    /// The first `"key"` followed by blanks and `:` at or after `from`.
    pub(super) fn find_key(&self, key: &str, from: usize) -> Option<Member> {
        let quoted = format!("\"{key}\"");
        let mut at = from;
        while let Some(found) = self.raw.get(at..)?.find(&quoted) {
            let start = at + found;
            let after = start + quoted.len();
            let colon = self.skip_spaces(after);
            if self.raw.as_bytes().get(colon) == Some(&b':') {
                return Some(Member {
                    key_at: start,
                    value_at: self.skip_blank(colon + 1),
                });
            }
            at = after;
        }
        None
    }

    /// Walks the container whose opening byte `open_byte` is at `open` until it closes. At each
    /// token start, calls `visit(self, offset, depth, expecting)` where `expecting` says a key or
    /// element may start here; `visit` may return the offset to resume at (past the end to stop).
    fn scan(
        &self,
        open: usize,
        open_byte: u8,
        mut visit: impl FnMut(&Self, usize, usize, bool) -> Option<usize>,
    ) {
        let bytes = self.raw.as_bytes();
        if bytes.get(open) != Some(&open_byte) {
            return;
        }
        let mut depth = 1usize;
        let mut expecting = true;
        let mut at = open + 1;
        while at < bytes.len() {
            at = self.skip_blank(at);
            let Some(&byte) = bytes.get(at) else { break };
            match byte {
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    at += 1;
                    continue;
                }
                b',' => {
                    expecting = depth == 1;
                    at += 1;
                    continue;
                }
                _ => {}
            }
            let was_expecting = expecting && depth == 1;
            if depth == 1 {
                expecting = false;
            }
            if let Some(resume) = visit(self, at, depth, was_expecting) {
                at = resume;
                continue;
            }
            at = match byte {
                b'{' | b'[' => {
                    depth += 1;
                    expecting = false;
                    at + 1
                }
                b'"' | b'\'' => self.skip_string(at),
                _ => at + 1,
            };
        }
    }

    /// The key starting at `at` (quoted or a bare identifier) and the offset after it.
    fn key_at(&self, at: usize) -> Option<(&'a str, usize)> {
        let bytes = self.raw.as_bytes();
        match *bytes.get(at)? {
            quote @ (b'"' | b'\'') => {
                let end = self.skip_string(at);
                let key = self.raw.get(at + 1..end.checked_sub(1)?)?;
                (bytes.get(end - 1) == Some(&quote) && end - 1 > at).then_some((key, end))
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {
                let len = bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'$')
                    .count();
                Some((self.raw.get(at..at + len)?, at + len))
            }
            _ => None,
        }
    }

    /// The offset after the string whose quote is at `at` (the end of text if unterminated).
    fn skip_string(&self, at: usize) -> usize {
        let bytes = self.raw.as_bytes();
        let quote = bytes[at];
        let mut i = at + 1;
        // Strings are most of a body's bytes: jump to the next quote or escape.
        while let Some(found) = bytes
            .get(i..)
            .and_then(|rest| memchr::memchr2(quote, b'\\', rest))
        {
            i += found;
            if bytes[i] == quote {
                return i + 1;
            }
            i += 2;
        }
        bytes.len()
    }

    /// The offset of the next byte that is not whitespace or inside a comment.
    fn skip_blank(&self, mut at: usize) -> usize {
        let bytes = self.raw.as_bytes();
        loop {
            at = self.skip_spaces(at);
            match (bytes.get(at), bytes.get(at + 1)) {
                (Some(b'/'), Some(b'/')) => {
                    at = bytes[at..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(bytes.len(), |nl| at + nl);
                }
                (Some(b'/'), Some(b'*')) => {
                    at = self.raw[at + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |end| at + 2 + end + 2);
                }
                _ => return at,
            }
        }
    }

    fn skip_spaces(&self, at: usize) -> usize {
        let bytes = self.raw.as_bytes();
        let spaces = bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        at + spaces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{
  "manager": {
    "id": "nested"
  },
  "id": "root",
  // a comment with "id": 1
  "assignedLicenses": [
    {"skuId": "a"},
    {
      "skuId": "b"
    }
  ],
  unquoted: 'single "quoted"'
}"#;

    fn keys(text: &Text<'_>, open: usize) -> Vec<(String, u32)> {
        text.members(open)
            .into_iter()
            .map(|(key, member)| (key.to_owned(), text.line(member.key_at)))
            .collect()
    }

    #[test]
    fn finds_top_level_keys_in_order_with_lines() {
        let text = Text::new(BODY, 10);
        let start = text.start().unwrap();
        assert_eq!(
            keys(&text, start),
            [
                ("manager".to_owned(), 11),
                ("id".to_owned(), 14),
                ("assignedLicenses".to_owned(), 16),
                ("unquoted".to_owned(), 22),
            ]
        );
    }

    /// A nested key that comes first in the text must not be taken for the parent's key.
    #[test]
    fn nested_keys_stay_with_their_object() {
        let text = Text::new(BODY, 1);
        let root = text.members(0);
        let manager = &root[0].1;
        assert_eq!(keys(&text, manager.value_at), [("id".to_owned(), 3)]);
        let licenses = &root[2].1;
        let elements = text.elements(licenses.value_at, 10);
        assert_eq!(elements.len(), 2);
        assert_eq!(keys(&text, elements[0]), [("skuId".to_owned(), 8)]);
        assert_eq!(keys(&text, elements[1]), [("skuId".to_owned(), 10)]);
        assert_eq!(text.elements(licenses.value_at, 1).len(), 1);
    }

    #[test]
    fn plain_search_needs_a_colon() {
        let text = Text::new("{\"a\": \"b\", \"b\" : 1}", 5);
        let found = text.find_key("b", 0).unwrap();
        assert_eq!((found.key_at, found.value_at), (11, 17));
        assert_eq!(text.find_key("c", 0), None);
        assert_eq!(text.find_key("a", 3), None);
    }

    #[test]
    fn broken_text_never_panics() {
        for raw in [
            "", "{", "{\"a", "{\"a\":", "{'", "[", "[,,]", "{/*", "{//", "\"ü\":{", "{\"\\", "}{",
            "{\"\":1}", "ü",
        ] {
            let text = Text::new(raw, 1);
            for at in 0..=raw.len() + 1 {
                let _ = text.members(at);
                let _ = text.elements(at, 4);
                let _ = text.find_key("a", at);
                let _ = text.line(at);
            }
        }
    }
}
