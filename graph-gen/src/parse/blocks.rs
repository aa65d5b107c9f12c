//! pulldown-cmark events → located [`Block`]s.

use std::cell::Cell;
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, OffsetIter, Options, Parser, Tag, TagEnd};

use super::annotation::{self, Annotation};
use super::plain_text::{is_line_break, normalize_space};
use super::{Block, Fence, Heading, Include, LinkDefinition, List, Note, Row, Table, Text};
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::Source;

type Events<'a> = Peekable<OffsetIter<'a>>;

/// Blocks, table rows and list items read from one page at most. Real pages have up to about
/// a thousand (`resources/enums.md`, the largest, 1,064); the cap keeps every later pass over a
/// page's blocks and rows, some of which pair each with the others, fast on a page of 16 MiB
/// made of nothing but fences or table rows.
pub const MAX_ELEMENTS: usize = 10_000;

/// Byte offset → 1-based line, counted from the offset asked before: the reader asks in page
/// order, so each byte is counted about once (an index of every line start cost more).
struct Lines<'a> {
    text: &'a [u8],
    /// The last offset asked and its line.
    cursor: Cell<(usize, u32)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            cursor: Cell::new((0, 1)),
        }
    }

    fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        let (at, line) = self.cursor.get();
        let line = if offset >= at {
            line.saturating_add(newlines(&self.text[at..offset]))
        } else {
            line.saturating_sub(newlines(&self.text[offset..at]))
        };
        self.cursor.set((offset, line));
        line
    }
}

/// How many line feeds `bytes` holds.
fn newlines(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
}

/// Reader state: the page text, its line index, and an annotation waiting for its fence.
struct Reader<'a, 'c> {
    file: &'a str,
    text: &'a str,
    lines: Lines<'a>,
    cx: &'c Ctxt,
    blocks: Vec<Block>,
    pending: Option<Annotation>,
}

/// Reads the blocks of `text[body_offset..]`; lines count from the start of `text`. Also
/// returns the page's link reference definitions (`[drive-resource]: ../resources/drive.md`),
/// which reference-style links in block text point at.
pub(super) fn read(
    file: &str,
    text: &str,
    body_offset: usize,
    cx: &Ctxt,
) -> (Vec<Block>, Vec<LinkDefinition>) {
    let mut reader = Reader {
        file,
        text,
        lines: Lines::new(text),
        cx,
        blocks: Vec::new(),
        pending: None,
    };
    let body = text.get(body_offset..).unwrap_or("");
    let parser = Parser::new_ext(body, options());
    // Definitions are read by the parser's first, block-level pass, before any event.
    let links = parser
        .reference_definitions()
        .iter()
        .take(MAX_ELEMENTS)
        .map(|(label, definition)| LinkDefinition {
            label: label.to_owned(),
            target: definition.dest.to_string(),
        })
        .collect();
    let mut events = parser.into_offset_iter().peekable();
    let (mut counted, mut elements) = (0, 0);
    while let Some((event, range)) = events.next() {
        let range = range.start + body_offset..range.end + body_offset;
        reader.event(event, range, &mut events, body_offset);
        for (at, block) in reader.blocks.iter().enumerate().skip(counted) {
            elements += elements_of(block);
            if elements > MAX_ELEMENTS {
                let line = block.line();
                reader.blocks.truncate(at);
                reader.pending = None;
                cx.push(
                    Diagnostic::error(
                        &Source::new(file, line),
                        format!("page has more than {MAX_ELEMENTS} blocks, table rows and list items; it is read up to here"),
                    )
                    .with_help("split the page: the largest reference pages have about a thousand"),
                );
                return (reader.blocks, links);
            }
        }
        counted = reader.blocks.len();
    }
    reader.flush_pending();
    (reader.blocks, links)
}

/// How much of [`MAX_ELEMENTS`] a block uses: one, plus its rows or items.
fn elements_of(block: &Block) -> usize {
    1 + match block {
        Block::Table(table) => table.rows.len(),
        Block::List(list) => list.items.len(),
        Block::Note(note) => note.paragraphs.len() + note.items.len(),
        _ => 0,
    }
}

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH
}

impl Reader<'_, '_> {
    fn event(
        &mut self,
        event: Event<'_>,
        range: Range<usize>,
        events: &mut Events<'_>,
        shift: usize,
    ) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let (text, _) = collect_text(events, shift, range.len());
                self.heading(level as u8, &range, &text);
            }
            Event::Start(Tag::Paragraph) => {
                skip(events);
                self.paragraph(&range);
            }
            Event::Start(Tag::Table(_)) => {
                let inner = collect_events(events, shift);
                self.table(&range, &inner);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                let (body, body_at) = collect_text(events, shift, range.len());
                self.fence(info, &range, body, body_at);
            }
            Event::Start(Tag::HtmlBlock) => {
                let (html, _) = collect_text(events, shift, range.len());
                self.html(&html, range.start);
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html, range.start),
            Event::Start(Tag::BlockQuote(kind)) => {
                let inner = collect_events(events, shift);
                let kind = kind.map(|kind| format!("{kind:?}").to_ascii_uppercase());
                self.note(kind, &range, &inner);
            }
            Event::Start(Tag::List(_)) => {
                let inner = collect_events(events, shift);
                self.list(&range, &inner);
            }
            _ => {}
        }
    }

    fn source(&self, offset: usize) -> Source {
        Source::new(self.file, self.lines.line(offset))
    }

    fn push(&mut self, block: Block) {
        self.flush_pending();
        self.blocks.push(block);
    }

    fn flush_pending(&mut self) {
        if let Some(annotation) = self.pending.take() {
            self.blocks.push(Block::Annotation(annotation));
        }
    }

    fn heading(&mut self, level: u8, range: &Range<usize>, inner_text: &str) {
        let source = self.text[range.clone()].trim();
        let line = self.lines.line(range.start);
        if !source.starts_with('#') {
            // Setext headings in these docs are an include or a sentence followed by `---`.
            self.paragraph(&(range.start..range.start + source.lines().next().map_or(0, str::len)));
            return;
        }
        let text = normalize_space(inner_text);
        let bare = source.trim_start_matches('#').trim();
        if bare.starts_with('[') && bare.contains("](#tab/") {
            self.push(Block::TabMarker(Text { text, line }));
        } else {
            self.push(Block::Heading(Heading { level, text, line }));
        }
    }

    /// A paragraph's source lines: `[!INCLUDE]` lines become includes, the rest a paragraph.
    fn paragraph(&mut self, range: &Range<usize>) {
        let source = &self.text[range.clone()];
        let bytes = source.as_bytes();
        let has_include = memchr::memchr_iter(b'!', bytes)
            .any(|at| at > 0 && bytes[at - 1] == b'[' && bytes[at + 1..].starts_with(b"INCLUDE"));
        if !has_include {
            // Nearly every paragraph: no include line to split out, so the whole of it.
            let text = source.trim();
            if !text.is_empty() {
                let line = self.lines.line(range.start);
                self.push(Block::Paragraph(Text {
                    text: text.to_owned(),
                    line,
                }));
            }
            return;
        }
        let mut kept = String::new();
        let mut kept_line = None;
        let mut offset = range.start;
        for raw_line in self.text[range.clone()].split_inclusive('\n') {
            let line = self.lines.line(offset);
            offset += raw_line.len();
            if let Some((label, target)) = include_line(raw_line) {
                self.flush_paragraph(&mut kept, &mut kept_line);
                self.push(Block::Include(Include {
                    label,
                    target,
                    line,
                }));
            } else {
                kept_line.get_or_insert(line);
                kept.push_str(raw_line);
            }
        }
        self.flush_paragraph(&mut kept, &mut kept_line);
    }

    fn flush_paragraph(&mut self, kept: &mut String, kept_line: &mut Option<u32>) {
        if let Some(line) = kept_line.take() {
            let text = kept.trim().to_owned();
            kept.clear();
            if !text.is_empty() {
                self.push(Block::Paragraph(Text { text, line }));
            }
        }
    }

    fn table(&mut self, range: &Range<usize>, inner: &[(Event<'_>, Range<usize>)]) {
        let mut header = Vec::new();
        let mut rows: Vec<Row> = Vec::new();
        let mut in_head = false;
        // The row whose last cell a continuation line is adding to.
        let mut continuation: Option<usize> = None;
        for (event, cell) in inner {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => {
                    let line = self.lines.line(cell.start);
                    // A line break inside a cell: the row after it carries the rest of the
                    // cell, on a line of its own without the leading `|` the rows have.
                    let continues = !rows.is_empty()
                        && !self.text[cell.clone()].trim_start().starts_with('|')
                        && header_starts_with_pipe(&self.text[range.clone()]);
                    if continues {
                        continuation = Some(rows.len() - 1);
                        continue;
                    }
                    continuation = None;
                    rows.push(Row {
                        cells: Vec::new(),
                        line,
                    });
                }
                Event::Start(Tag::TableCell) => {
                    let markdown = self.text[cell.clone()]
                        .trim()
                        .trim_matches('|')
                        .trim()
                        .to_owned();
                    if in_head {
                        header.push(super::plain_text(&markdown));
                    } else if let Some(at) = continuation {
                        if !markdown.is_empty() {
                            if let Some(last) = rows[at].cells.last_mut() {
                                last.push('\n');
                                last.push_str(&markdown);
                            }
                        }
                    } else if let Some(row) = rows.last_mut() {
                        row.cells.push(markdown);
                    }
                }
                _ => {}
            }
        }
        let line = self.lines.line(range.start);
        self.push(Block::Table(Table { header, rows, line }));
    }

    /// A code block: `body` is its text, which starts at offset `body_at` if it has any.
    fn fence(&mut self, info: String, range: &Range<usize>, body: String, body_at: Option<usize>) {
        let line = self.lines.line(range.start);
        let body_line = body_at.map_or(line + 1, |offset| self.lines.line(offset));
        let annotation = self.pending.take();
        self.blocks.push(Block::Fence(Fence {
            info,
            body,
            line,
            body_line,
            annotation,
        }));
    }

    fn html(&mut self, html: &str, offset: usize) {
        if let Some(json) = annotation::comment_json(html) {
            let source = self.source(offset);
            if let Some(annotation) = annotation::read(json, &source, self.cx) {
                self.flush_pending();
                self.pending = Some(annotation);
            }
        }
    }

    /// A block quote: its paragraphs and list items, plus any fences inside it as blocks.
    fn note(
        &mut self,
        kind: Option<String>,
        range: &Range<usize>,
        inner: &[(Event<'_>, Range<usize>)],
    ) {
        let mut paragraphs = Vec::new();
        let mut items = Vec::new();
        let mut depth = 0usize;
        for (event, event_range) in inner {
            match event {
                Event::Start(Tag::Item) => {
                    depth += 1;
                    if depth == 1 {
                        items.push(self.quoted_text(event_range, true));
                    }
                }
                Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
                Event::Start(Tag::Paragraph) if depth == 0 => {
                    paragraphs.push(self.quoted_text(event_range, false));
                }
                _ => {}
            }
        }
        let kind = kind.or_else(|| {
            let first = paragraphs.first_mut()?;
            let rest = first.text.strip_prefix("[!")?;
            let (tag, after) = rest.split_once(']')?;
            let tag = tag.to_ascii_uppercase();
            first.text = after.trim().to_owned();
            Some(tag)
        });
        paragraphs.retain(|paragraph| !paragraph.text.is_empty());
        let line = self.lines.line(range.start);
        self.push(Block::Note(Note {
            kind,
            paragraphs,
            items,
            line,
        }));
        self.nested_fences(inner);
    }

    fn list(&mut self, range: &Range<usize>, inner: &[(Event<'_>, Range<usize>)]) {
        let mut items = Vec::new();
        let mut depth = 0usize;
        for (event, event_range) in inner {
            match event {
                Event::Start(Tag::Item) => {
                    depth += 1;
                    if depth == 1 {
                        items.push(self.quoted_text(event_range, true));
                    }
                }
                Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let line = self.lines.line(range.start);
        self.push(Block::List(List { items, line }));
        self.nested_fences(inner);
    }

    /// Fences and annotations nested in lists and quotes are blocks of the page too.
    fn nested_fences(&mut self, inner: &[(Event<'_>, Range<usize>)]) {
        let mut index = 0;
        while index < inner.len() {
            let (event, range) = &inner[index];
            index += 1;
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let (mut body, mut body_at) = (String::new(), None);
                    while let Some((event, range)) = inner.get(index) {
                        index += 1;
                        match event {
                            Event::End(TagEnd::CodeBlock) => break,
                            Event::Text(text) => {
                                body_at.get_or_insert(range.start);
                                body.push_str(text);
                            }
                            _ => {}
                        }
                    }
                    self.fence(info, range, body, body_at);
                }
                Event::Html(html) | Event::InlineHtml(html) => self.html(html, range.start),
                _ => {}
            }
        }
    }

    /// The source of a quote paragraph or list item with `>` markers and the bullet removed.
    fn quoted_text(&self, range: &Range<usize>, bullet: bool) -> Text {
        let line = self.lines.line(range.start);
        let mut lines = Vec::new();
        for raw in self.text[range.clone()].lines() {
            let mut text = raw.trim_start();
            while let Some(rest) = text.strip_prefix('>') {
                text = rest.trim_start();
            }
            lines.push(text);
        }
        let mut text = lines.join("\n").trim().to_owned();
        if bullet {
            text = strip_bullet(&text).to_owned();
        }
        Text { text, line }
    }
}

/// Consumes events up to the end of the current tag: their text joined (breaks as spaces),
/// and the offset of its first piece. One string, not one per event: fences are most of a page.
/// The text is sized for the block's `source_len` bytes, which it rarely exceeds: a fence arrives
/// line by line.
fn collect_text(
    events: &mut Events<'_>,
    shift: usize,
    source_len: usize,
) -> (String, Option<usize>) {
    let (mut text, mut first) = (String::with_capacity(source_len), None);
    let mut depth = 1usize;
    for (event, range) in events.by_ref() {
        let piece = match &event {
            Event::Start(_) => {
                depth += 1;
                continue;
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                continue;
            }
            Event::Text(piece) | Event::Code(piece) | Event::Html(piece) => piece,
            Event::SoftBreak | Event::HardBreak => " ",
            Event::InlineHtml(html) if is_line_break(html) => " ",
            _ => continue,
        };
        first.get_or_insert(range.start + shift);
        text.push_str(piece);
    }
    (text, first)
}

/// Consumes events up to the end of the current tag, offsets shifted by `shift`; the events
/// borrow the page text (owning copies of them was a tenth of page reading).
fn collect_events<'a>(events: &mut Events<'a>, shift: usize) -> Vec<(Event<'a>, Range<usize>)> {
    let mut depth = 1usize;
    // A table or list is dozens of events: start past the first few doublings.
    let mut out = Vec::with_capacity(64);
    for (event, range) in events.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        out.push((event, range.start + shift..range.end + shift));
    }
    out
}

fn skip(events: &mut Events<'_>) {
    let mut depth = 1usize;
    for (event, _) in events.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// Whether a table's source starts with `|`: only then is a row without one a continuation.
fn header_starts_with_pipe(table: &str) -> bool {
    table.trim_start().starts_with('|')
}

/// `[!INCLUDE [label](target)]` on a line of its own.
fn include_line(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("[!INCLUDE")?.trim_start();
    let rest = rest.strip_prefix('[')?;
    let (label, rest) = rest.split_once(']')?;
    let rest = rest.trim_start().strip_prefix('(')?;
    let (target, rest) = rest.split_once(')')?;
    rest.trim().strip_prefix(']')?;
    Some((label.trim().to_owned(), target.trim().to_owned()))
}

fn strip_bullet(text: &str) -> &str {
    let trimmed = text.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return rest.trim_start();
        }
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = trimmed[digits..]
            .strip_prefix(". ")
            .or_else(|| trimmed[digits..].strip_prefix(") "))
        {
            return rest.trim_start();
        }
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Page;

    /// Lines are counted from the offset asked before, forwards or backwards.
    #[test]
    fn lines_in_any_order_of_offsets() {
        let text = "a\nbc\n\nd\n";
        let naive = |offset: usize| {
            1 + u32::try_from(text[..offset.min(text.len())].matches('\n').count()).unwrap()
        };
        let lines = Lines::new(text);
        for offset in [0, 3, 2, 9, 20, 1, 6, 7, 0, 8, 4] {
            assert_eq!(lines.line(offset), naive(offset), "offset {offset}");
        }
    }

    fn page(text: &str) -> Page {
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), text, &cx);
        cx.check().expect("no errors");
        page
    }

    /// A page of 100,000 template fences made lowering pair every fence with every other
    /// (minutes), and so did a table of 40,000 properties; past [`MAX_ELEMENTS`] the page is
    /// cut, with an error at the first block left out.
    #[test]
    fn pages_past_the_cap_are_cut_with_an_error_where_they_are_cut() {
        let text = "```http\nGET /a\n```\n".repeat(MAX_ELEMENTS + 5);
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), &text, &cx);
        assert_eq!(page.blocks.len(), MAX_ELEMENTS);
        let diagnostics = cx.check().unwrap_err();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].line,
            u32::try_from(MAX_ELEMENTS * 3 + 1).unwrap()
        );
        assert!(diagnostics[0]
            .message
            .starts_with("page has more than 10000 blocks, table rows and list items"));

        let rows = "| a | b |\n".repeat(MAX_ELEMENTS);
        let text = format!("# t\n\n| x | y |\n|--|--|\n{rows}");
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), &text, &cx);
        assert_eq!(
            page.blocks.len(),
            1,
            "the heading is kept, the table is not"
        );
        assert_eq!(cx.check().unwrap_err()[0].line, 3);
    }

    #[test]
    fn tab_markers_are_not_headings() {
        let page = page("# user: get\n\n# [HTTP](#tab/http)\n\n## Response\n");
        assert!(
            matches!(&page.blocks[0], Block::Heading(h) if h.text == "user: get" && h.line == 1)
        );
        assert!(matches!(&page.blocks[1], Block::TabMarker(t) if t.line == 3));
        assert!(
            matches!(&page.blocks[2], Block::Heading(h) if h.level == 2 && h.text == "Response")
        );
    }

    #[test]
    fn annotation_attaches_to_the_next_fence() {
        let text = "# t\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\"\n}-->\n```http\nPOST /me\n```\n";
        let page = page(text);
        let Block::Fence(fence) = &page.blocks[1] else {
            panic!("{:?}", page.blocks)
        };
        assert_eq!(
            (
                fence.info.as_str(),
                fence.body.as_str(),
                fence.line,
                fence.body_line
            ),
            ("http", "POST /me\n", 6, 7)
        );
        assert_eq!(fence.annotation.as_ref().unwrap().string("name"), Some("x"));
        assert_eq!(fence.annotation.as_ref().unwrap().line, 2);
    }

    #[test]
    fn annotation_before_an_include_stands_alone() {
        let text = "<!-- { \"blockType\": \"permissions\", \"name\": \"n\" } -->\n[!INCLUDE [permissions-table](../includes/permissions/n-permissions.md)]\n";
        let page = page(text);
        assert!(
            matches!(&page.blocks[0], Block::Annotation(a) if a.block_type() == Some("permissions"))
        );
        assert_eq!(
            page.blocks[1],
            Block::Include(Include {
                label: "permissions-table".into(),
                target: "../includes/permissions/n-permissions.md".into(),
                line: 2
            })
        );
    }

    #[test]
    fn tables_keep_cell_markdown_and_row_lines() {
        let text = "intro\n\n| Header | Value |\n|:--|:--|\n| Authorization | Bearer &lt;token&gt;. [More](/x). |\n|Content-Type|application/json|\n";
        let page = page(text);
        let Block::Table(table) = &page.blocks[1] else {
            panic!()
        };
        assert_eq!(table.header, ["Header", "Value"]);
        assert_eq!(table.line, 3);
        assert_eq!(
            table.rows[0].cells,
            ["Authorization", "Bearer &lt;token&gt;. [More](/x)."]
        );
        assert_eq!(table.rows[0].line, 5);
        assert_eq!(table.rows[1].line, 6);
        assert_eq!(
            crate::parse::plain_text(&table.rows[0].cells[1]),
            "Bearer <token>. More."
        );
    }

    #[test]
    fn notes_keep_kind_paragraphs_and_items() {
        let text = "> [!IMPORTANT]\n> \n> The user needs a role with the `a/b` permission:\n> - Directory Writers\n> - User Administrator\n";
        let page = page(text);
        let Block::Note(note) = &page.blocks[0] else {
            panic!("{:?}", page.blocks)
        };
        assert_eq!(note.kind.as_deref(), Some("IMPORTANT"));
        assert_eq!(
            note.paragraphs[0].text,
            "The user needs a role with the `a/b` permission:"
        );
        let items: Vec<_> = note
            .items
            .iter()
            .map(|i| (i.text.as_str(), i.line))
            .collect();
        assert_eq!(items, [("Directory Writers", 4), ("User Administrator", 5)]);
    }

    #[test]
    fn includes_split_out_of_paragraphs() {
        let text = "Some text.\n[!INCLUDE [a](x.md)]\nMore text.\n";
        let page = page(text);
        assert!(
            matches!(&page.blocks[0], Block::Paragraph(p) if p.text == "Some text." && p.line == 1)
        );
        assert!(matches!(&page.blocks[1], Block::Include(i) if i.target == "x.md" && i.line == 2));
        assert!(
            matches!(&page.blocks[2], Block::Paragraph(p) if p.text == "More text." && p.line == 3)
        );
    }

    /// A `---` right under an include line made it a setext heading and lost the include.
    #[test]
    fn setext_underline_does_not_swallow_an_include() {
        let page = page("[!INCLUDE [sdk](s.md)]\n---\n");
        assert!(matches!(&page.blocks[0], Block::Include(i) if i.target == "s.md"));
    }

    #[test]
    fn fences_inside_lists_are_found() {
        let page = page("1. Request\n\n   ```http\n   GET /me\n   ```\n");
        assert!(page
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Fence(f) if f.body.trim() == "GET /me" && f.line == 3)));
    }

    #[test]
    fn line_numbers_count_front_matter() {
        let page = page("---\ntitle: x\n---\n\n# x: y\n");
        assert_eq!(page.title().unwrap().line, 5);
        assert_eq!(page.front_matter("title"), Some("x"));
    }

    #[test]
    fn sections_match_heading_text_at_any_level_case_insensitively() {
        let page =
            page("# t\n## HTTP Request\n```http\nGET /a\n```\n### Examples\ntext\n## Response\n");
        let section = page.section(&["http request"]).unwrap();
        assert_eq!(section.fences().count(), 1);
        assert_eq!(
            section.blocks.len(),
            3,
            "runs over the H3 up to the next H2"
        );
        assert!(page.section(&["examples"]).is_some());
    }
}
