//! The `Response` section of an API page → [`ResponseProse`]: what its sentences say of the
//! success response (status, linked types, collection words). The response itself is settled
//! later, with the models known, from this and the page's examples and templates
//! (`infer::responses`).

use crate::ir::Source;
use crate::parse::{links, Block, Page};

use super::sections;

/// What the `Response` section's prose says, before any other evidence is weighed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "each flag is one independent thing the prose says"
)]
pub(crate) struct ResponseProse {
    /// The first success or redirect status named (`200 OK`, `` `201, Created` ``).
    pub(crate) status: Option<u16>,
    /// Where that status is named, else the section heading, else the page title.
    pub(crate) source: Source,
    /// Links that may name the body type, in order: resource pages and bare `x.md` pages.
    pub(crate) links: Vec<TypeLink>,
    /// Words in bold or code right before `object`, `resource` or `collection` (`an **items**
    /// object`): type names the prose gives without a link.
    pub(crate) emphasized: Vec<String>,
    /// A primitive type the prose names (`string collection`, `Collection(Edm.String)`) and
    /// whether it is a collection.
    pub(crate) primitive: Option<(String, bool)>,
    /// The prose says "collection" or "list".
    pub(crate) collection: bool,
    /// The prose says nothing is returned in the body.
    pub(crate) no_body: bool,
    /// Whether the page has a `Response` section at all.
    pub(crate) has_section: bool,
    /// The section documents a JSON format beside another (reports: `### CSV`, `### JSON`),
    /// selected by `$format=application/json`; this prose is the JSON one's.
    pub(crate) json_format: bool,
}

/// A link in the response prose that may name the body type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TypeLink {
    /// The link text, plain (`user`, `Drive resource`).
    pub(crate) text: String,
    /// The linked page's file stem (`user`, `intune-devices-manageddevice`).
    pub(crate) stem: String,
    /// Whether the link points into `resources/`.
    pub(crate) to_resource_page: bool,
    /// "collection" is written right around the link (`a collection of [x]`, `[x] collection`).
    pub(crate) collection: bool,
}

/// Reads the top-level `Response` section of `page` (the examples' own `Response` headings
/// sit deeper).
pub(crate) fn prose(page: &Page) -> ResponseProse {
    let title_line = page.title().map_or(1, |title| title.line);
    let Some(section) = page
        .sections(sections::RESPONSE)
        .min_by_key(|section| section.heading.level)
    else {
        return ResponseProse {
            source: page.source(title_line),
            ..ResponseProse::default()
        };
    };
    let mut prose = ResponseProse {
        source: page.source(section.heading.line),
        has_section: true,
        ..ResponseProse::default()
    };
    let mut blocks = section.blocks;
    if let Some(json) = format_subsection(blocks, "JSON") {
        prose.json_format = true;
        blocks = json;
    }
    for (text, line) in section_texts(blocks) {
        if prose.status.is_none() {
            if let Some(status) = success_status(text) {
                prose.status = Some(status);
                prose.source = page.source(line);
            }
        }
        let lower = text.to_ascii_lowercase();
        prose.collection |= lower.contains("collection") || lower.contains(" list of ");
        prose.no_body |= [
            "does not return anything",
            "doesn't return anything",
            "no response body",
            "empty response body",
            "returns no content",
        ]
        .iter()
        .any(|phrase| lower.contains(phrase));
        if prose.primitive.is_none() {
            prose.primitive = primitive_type(text);
        }
        prose.emphasized.extend(emphasized_names(text));
        for link in links(text, &page.links) {
            if let Some(found) = type_link(text, &link) {
                prose.links.push(found);
            }
        }
    }
    prose
}

/// The blocks under a sub-heading named `format` (`### JSON`), up to the next heading of its
/// level or above.
fn format_subsection<'a>(blocks: &'a [Block], format: &str) -> Option<&'a [Block]> {
    let (at, level) = blocks
        .iter()
        .enumerate()
        .find_map(|(at, block)| match block {
            Block::Heading(heading) if heading.text.eq_ignore_ascii_case(format) => {
                Some((at, heading.level))
            }
            _ => None,
        })?;
    let rest = &blocks[at + 1..];
    let end = rest
        .iter()
        .position(|block| matches!(block, Block::Heading(heading) if heading.level <= level))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The text of each paragraph, note paragraph and list item of a section, with its line.
fn section_texts(blocks: &[Block]) -> impl Iterator<Item = (&str, u32)> {
    blocks.iter().flat_map(|block| {
        let texts: Vec<(&str, u32)> = match block {
            Block::Paragraph(text) => vec![(text.text.as_str(), text.line)],
            Block::List(list) => list
                .items
                .iter()
                .map(|item| (item.text.as_str(), item.line))
                .collect(),
            Block::Note(note) => note
                .paragraphs
                .iter()
                .chain(&note.items)
                .map(|text| (text.text.as_str(), text.line))
                .collect(),
            _ => Vec::new(),
        };
        texts
    })
}

/// A link to a page that may describe a type, with the collection words around it.
fn type_link(text: &str, link: &crate::parse::Link<'_>) -> Option<TypeLink> {
    let path = link.target.split(['#', '?']).next().unwrap_or_default();
    if path.contains("://") || path.starts_with('/') {
        return None;
    }
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".MD"))?;
    if stem.is_empty() {
        return None;
    }
    let before = text[..link.at].to_ascii_lowercase();
    let after = text[link.end..]
        .chars()
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    let collection = before.trim_end().ends_with("collection of")
        || before.trim_end().ends_with("list of")
        || after
            .trim_start_matches(['`', '*', ' '])
            .starts_with("collection");
    Some(TypeLink {
        text: crate::parse::plain_text(link.text),
        stem: stem.to_owned(),
        to_resource_page: path.contains("resources/"),
        collection,
    })
}

/// `**items** object`, `` `user` resource ``: the emphasised word before a type noun.
fn emphasized_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for marker in ["**", "`"] {
        let mut parts = text.split(marker);
        let mut inside = false;
        let mut previous = "";
        for part in parts.by_ref() {
            if !inside {
                let next = part.trim_start().to_ascii_lowercase();
                let noun = ["object", "resource", "entity", "collection"]
                    .iter()
                    .any(|noun| next.starts_with(noun));
                let word = previous.trim();
                if noun && !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric()) {
                    names.push(word.to_owned());
                }
            }
            previous = part;
            inside = !inside;
        }
    }
    names
}

/// `String collection`, `collection of strings`, `` `Collection(Edm.String)` ``, `Edm.Boolean`.
fn primitive_type(text: &str) -> Option<(String, bool)> {
    let plain = crate::parse::plain_text(text);
    let lower = plain.to_ascii_lowercase();
    if let Some(at) = lower.find("collection(edm.") {
        let inner = &plain[at + "collection(".len()..];
        let name = inner.split(')').next()?.trim();
        return super::types::primitive(name).map(|name| (name.to_owned(), true));
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|word| !word.is_empty())
        .collect();
    for pair in words.windows(3) {
        let primitive = match pair {
            [word, "collection", _] => super::types::primitive(word),
            ["collection", "of", word] => {
                super::types::primitive(word.strip_suffix('s').unwrap_or(word))
            }
            _ => None,
        };
        if let Some(name) = primitive.filter(|name| !name.ends_with("Untyped")) {
            return Some((name.to_owned(), true));
        }
    }
    let edm = words
        .iter()
        .find_map(|word| word.strip_prefix("edm.").and_then(super::types::primitive))?;
    Some((edm.to_owned(), false))
}

/// The first success (2xx) or redirect (3xx) status a sentence names: `200 OK`,
/// `` `204 No Content` ``, `` `201, Created` ``. Error statuses (`507 Insufficient Storage`
/// when a quota is exceeded) are skipped.
pub(crate) fn success_status(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|at| {
        let digits = &bytes[at..at + 3];
        let bounded = (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && bytes.get(at + 3).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !bounded || !digits.iter().all(u8::is_ascii_digit) || !matches!(digits[0], b'2' | b'3') {
            return None;
        }
        let rest = text[at + 3..].trim_start_matches(['`', ' ', ',']);
        rest.starts_with(|c: char| c.is_ascii_uppercase())
            .then(|| std::str::from_utf8(digits).ok()?.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Ctxt;

    #[test]
    fn status_codes_in_sentences() {
        assert_eq!(success_status("returns `200 OK` response code"), Some(200));
        assert_eq!(
            success_status("returns a 204 No Content response"),
            Some(204)
        );
        assert_eq!(success_status("returns `201, Created` and"), Some(201));
        assert_eq!(success_status("returns 12345 things"), None);
        assert_eq!(success_status("version 2000 OK"), None);
        assert_eq!(
            success_status("fails with `507 Insufficient Storage`; else `200 OK`"),
            Some(200)
        );
    }

    #[test]
    fn primitive_types_in_sentences() {
        assert_eq!(
            primitive_type("returns a String collection in the body"),
            Some(("Edm.String".into(), true))
        );
        assert_eq!(
            primitive_type("a `Collection(Edm.String)` object"),
            Some(("Edm.String".into(), true))
        );
        assert_eq!(
            primitive_type("returns a collection of strings"),
            Some(("Edm.String".into(), true))
        );
        assert_eq!(
            primitive_type("returns an `Edm.Boolean` in the body"),
            Some(("Edm.Boolean".into(), false))
        );
        assert_eq!(primitive_type("returns a [user](user.md) collection"), None);
    }

    fn read(section: &str) -> ResponseProse {
        let text = format!("# drive: get\n\n## Response\n\n{section}\n");
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), &text, &cx);
        drop(cx.into_diagnostics());
        prose(&page)
    }

    /// `drive-get.md` names its type with a reference-style link, and `driveitem-createlink.md`
    /// its status in the sentence after the one with the link.
    #[test]
    fn statuses_and_links_anywhere_in_the_section() {
        let prose = read(
            "Returns a [Drive resource][drive-resource] in the body.\n\n\
             The call answers `201 Created`.\n\n[drive-resource]: ../resources/drive.md\n",
        );
        assert_eq!(prose.status, Some(201));
        assert_eq!(prose.source.line, 7);
        assert_eq!(prose.links.len(), 1);
        assert_eq!(prose.links[0].stem, "drive");
        assert!(prose.links[0].to_resource_page);
        assert!(!prose.collection);
        let list =
            read("Returns `200 OK` and a collection of [item](../resources/driveitem.md) objects.");
        assert!(list.collection && list.links[0].collection);
    }
}
