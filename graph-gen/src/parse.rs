//! Markdown page → page model: front matter, title, and a flat list of located blocks.
//!
//! The page model knows markdown, not Graph: it says "a table at line 30 under the heading
//! `Permissions`", and [`crate::lower`] decides what that table means.

mod annotation;
mod blocks;
mod front_matter;
mod include;
mod lenient_json;
mod links;
mod plain_text;

use std::path::{Path, PathBuf};

pub use annotation::Annotation;
pub use include::DocsRoot;

pub use lenient_json::parse_lenient;
pub use links::{links, Link};

use crate::diagnostics::Ctxt;
use crate::ir::Source;

/// One markdown page, read into located blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page path as displayed in diagnostics.
    pub file: String,
    /// The page path on disk.
    pub path: PathBuf,
    /// The page text, with a leading BOM removed and lone CRs as LFs.
    pub text: String,
    /// YAML front matter keys, values unquoted and trimmed.
    pub front_matter: Vec<(String, String)>,
    /// The blocks of the page in order, headings included.
    pub blocks: Vec<Block>,
    /// Link reference definitions (`[label]: target`), for reference-style links in blocks.
    pub links: Vec<LinkDefinition>,
    /// The includes read with the page ([`Page::read`] is told which), each as a page.
    pub included: Vec<Included>,
}

/// An `[!INCLUDE]` of a page and the page it names, read with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Included {
    /// The include line.
    pub include: Include,
    /// The included file, read as a page.
    pub page: Page,
}

/// A link reference definition: `[drive-resource]: ../resources/drive.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDefinition {
    /// The label, as pulldown-cmark normalises it for look-up.
    pub label: String,
    /// The link destination as written.
    pub target: String,
}

/// A located piece of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `#`…`######` or setext heading; tab markers like `# [HTTP](#tab/http)` are [`Block::TabMarker`].
    Heading(Heading),
    /// A paragraph, as its markdown source text (trimmed), without `[!INCLUDE]` lines.
    Paragraph(Text),
    /// A list: each item's markdown source text.
    List(List),
    /// A `>` block quote, with its `[!NOTE]`-style kind.
    Note(Note),
    /// A pipe table.
    Table(Table),
    /// A fenced or indented code block, with the annotation comment right before it.
    Fence(Fence),
    /// `[!INCLUDE [label](target)]`.
    Include(Include),
    /// `# [HTTP](#tab/http)`: a tab marker, not a heading.
    TabMarker(Text),
    /// An HTML comment holding a JSON annotation that no fence follows
    /// (`{ "blockType": "permissions", … }` before an include).
    Annotation(Annotation),
}

impl Block {
    /// The line the block starts on.
    pub fn line(&self) -> u32 {
        match self {
            Block::Heading(b) => b.line,
            Block::Paragraph(b) | Block::TabMarker(b) => b.line,
            Block::List(b) => b.line,
            Block::Note(b) => b.line,
            Block::Table(b) => b.line,
            Block::Fence(b) => b.line,
            Block::Include(b) => b.line,
            Block::Annotation(b) => b.line,
        }
    }
}

/// A heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text (markup removed, entities decoded, trimmed).
    pub text: String,
    /// 1-based line.
    pub line: u32,
}

/// Markdown source text of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The block's markdown source, trimmed.
    pub text: String,
    /// 1-based line.
    pub line: u32,
}

/// A list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// Each item's markdown source, without the bullet, trimmed.
    pub items: Vec<Text>,
    /// 1-based line of the first item.
    pub line: u32,
}

/// A block quote such as `> [!IMPORTANT]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// `NOTE`, `IMPORTANT`, … in upper case, when the quote starts with `[!KIND]`.
    pub kind: Option<String>,
    /// Paragraph texts inside the quote, without `>` markers or the `[!KIND]` tag.
    pub paragraphs: Vec<Text>,
    /// List items inside the quote.
    pub items: Vec<Text>,
    /// 1-based line.
    pub line: u32,
}

/// A pipe table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells as plain text (markup removed, entities decoded, trimmed).
    pub header: Vec<String>,
    /// Body rows.
    pub rows: Vec<Row>,
    /// 1-based line of the header row.
    pub line: u32,
}

/// A table body row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Cells as markdown source (trimmed); use [`plain_text`] for the text.
    pub cells: Vec<String>,
    /// 1-based line.
    pub line: u32,
}

/// A code block.
#[derive(Debug, Clone, PartialEq)]
pub struct Fence {
    /// The info string, trimmed (`http`, `json`, empty for indented blocks).
    pub info: String,
    /// The block's content.
    pub body: String,
    /// 1-based line of the opening fence.
    pub line: u32,
    /// 1-based line of the first content line.
    pub body_line: u32,
    /// The `<!-- { … } -->` annotation right before the fence, if any.
    pub annotation: Option<Annotation>,
}

/// An `[!INCLUDE [label](target)]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The link label (`permissions-table`).
    pub label: String,
    /// The target as written (`../includes/permissions/x-permissions.md`).
    pub target: String,
    /// 1-based line.
    pub line: u32,
}

impl Page {
    /// Reads the page at `path` below `root`, and the includes `wanted` names a purpose for
    /// (`"permissions"`), reporting problems into `cx`: an include that cannot be read is a
    /// diagnostic here, so later stages only look includes up.
    ///
    /// Returns `None` (with an error in `cx`) when the file cannot be read or is not UTF-8.
    pub fn read(
        root: &DocsRoot,
        path: &Path,
        wanted: &dyn Fn(&Include) -> Option<&'static str>,
        cx: &Ctxt,
    ) -> Option<Page> {
        let (file, text) = root.read_page(path, cx)?;
        let mut page = Page::from_text(file, path.to_path_buf(), &text, cx);
        let includes: Vec<(Include, &'static str)> = page
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Include(include) => Some((include.clone(), wanted(include)?)),
                _ => None,
            })
            .collect();
        for (include, what) in includes {
            if let Some(included) = root.read_include(&page, &include, what, cx) {
                page.included.push(Included {
                    include,
                    page: included,
                });
            }
        }
        Some(page)
    }

    /// The page an include of this page names, if it was read with it.
    pub fn included(&self, include: &Include) -> Option<&Page> {
        self.included
            .iter()
            .find(|included| included.include == *include)
            .map(|included| &included.page)
    }

    /// Reads a page from text already in memory.
    pub fn from_text(file: String, path: PathBuf, text: &str, cx: &Ctxt) -> Page {
        let text = lone_carriage_returns_as_newlines(text.strip_prefix('\u{feff}').unwrap_or(text));
        let (front_matter, body_offset) = front_matter::split(&file, &text, cx);
        let (blocks, links) = blocks::read(&file, &text, body_offset, cx);
        Page {
            file,
            path,
            text,
            front_matter,
            blocks,
            links,
            included: Vec::new(),
        }
    }

    /// A front matter value by key (`doc_type`).
    pub fn front_matter(&self, key: &str) -> Option<&str> {
        self.front_matter
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The location of `line` in this page.
    pub fn source(&self, line: u32) -> Source {
        Source::new(self.file.clone(), line)
    }

    /// The page's H1 heading.
    pub fn title(&self) -> Option<&Heading> {
        self.blocks.iter().find_map(|block| match block {
            Block::Heading(heading) if heading.level == 1 => Some(heading),
            _ => None,
        })
    }

    /// The sections whose heading text matches one of `names` (case-insensitive, any level;
    /// `HTTP request (to upload a new file)` matches `HTTP request`), in page order. A section
    /// runs to the next heading of the same or a higher level.
    pub fn sections<'a>(&'a self, names: &'a [&'a str]) -> impl Iterator<Item = Section<'a>> + 'a {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(move |(index, block)| match block {
                Block::Heading(heading)
                    if names
                        .iter()
                        .any(|name| heading_matches(&heading.text, name)) =>
                {
                    let end = self.blocks[index + 1..]
                        .iter()
                        .position(|b| matches!(b, Block::Heading(h) if h.level <= heading.level))
                        .map_or(self.blocks.len(), |offset| index + 1 + offset);
                    Some(Section {
                        heading,
                        blocks: &self.blocks[index + 1..end],
                    })
                }
                _ => None,
            })
    }

    /// The first section matching one of `names`.
    pub fn section<'a>(&'a self, names: &'a [&'a str]) -> Option<Section<'a>> {
        self.sections(names).next()
    }

    /// The blocks between the H1 and the first heading after it.
    pub fn preamble(&self) -> &[Block] {
        let start = self
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h.level == 1))
            .map_or(0, |index| index + 1);
        let end = self.blocks[start..]
            .iter()
            .position(|b| matches!(b, Block::Heading(_)))
            .map_or(self.blocks.len(), |offset| start + offset);
        &self.blocks[start..end]
    }
}

/// `text` is `name`, or `name (qualifier)`, ignoring case.
fn heading_matches(text: &str, name: &str) -> bool {
    // Heading texts are trimmed when read.
    text.get(..name.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(name))
        && matches!(
            text[name.len()..].trim_start().chars().next(),
            None | Some('(')
        )
}

/// A heading and the blocks under it (sub-headings included).
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    /// The section's heading.
    pub heading: &'a Heading,
    /// The blocks up to the next heading of the same or a higher level.
    pub blocks: &'a [Block],
}

impl<'a> Section<'a> {
    /// The tables of the section, in order.
    pub fn tables(&self) -> impl Iterator<Item = &'a Table> + 'a {
        self.blocks.iter().filter_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        })
    }

    /// The fences of the section, in order.
    pub fn fences(&self) -> impl Iterator<Item = &'a Fence> + 'a {
        self.blocks.iter().filter_map(|block| match block {
            Block::Fence(fence) => Some(fence),
            _ => None,
        })
    }

    /// The paragraphs of the section, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &'a Text> + 'a {
        self.blocks.iter().filter_map(|block| match block {
            Block::Paragraph(text) => Some(text),
            _ => None,
        })
    }
}

/// A lone CR ends a line for markdown but not for line numbers and line-based readers: make it
/// a LF. Byte offsets stay the same (both are one byte); CR LF is left as it is.
fn lone_carriage_returns_as_newlines(text: &str) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    text.char_indices()
        .map(|(at, c)| match c {
            '\r' if bytes.get(at + 1) != Some(&b'\n') => '\n',
            c => c,
        })
        .collect()
}

/// Markdown source → plain text: links and emphasis unwrapped, code spans kept as their text,
/// HTML entities decoded, `<br>` as a space, whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    plain_text::plain_text(markdown)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with lone-CR line endings reported every problem at line 1, and its annotation
    /// comment ran on into the fence after it.
    #[test]
    fn lone_carriage_returns_end_lines() {
        let text =
            "# user: get\r\r<!-- { \"blockType\": \"ignored\" } -->\r```http\rGET /me\r```\r";
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), text, &cx);
        assert!(cx.check().unwrap().is_empty());
        let Some(Block::Fence(fence)) = page.blocks.get(1) else {
            panic!("{:?}", page.blocks)
        };
        assert_eq!((fence.line, fence.body.as_str()), (4, "GET /me\n"));
        assert!(fence.annotation.is_some());
        assert_eq!(lone_carriage_returns_as_newlines("a\r\nb\rc"), "a\r\nb\nc");
    }
}
