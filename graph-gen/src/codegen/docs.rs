//! Docs text from pages → rustdoc that renders as written and can never run, inject or warn.
//!
//! Page text is untrusted. It reaches the output only as `#[doc = "…"]` string literals made
//! with [`Literal::string`], so it cannot end the attribute or add tokens. Inside the string it
//! is markdown that rustdoc renders, so [`sanitize`] also makes it inert:
//!
//! - every code fence becomes ```` ```text ```` (no doctest runs it, whatever its info string),
//!   an unterminated fence is closed, and indented code blocks (doctests too) are fenced;
//! - site-relative links (`/graph/…`) point to `https://learn.microsoft.com/…`; links rustdoc
//!   could not follow (`../resources/user.md`, `#anchor`) keep only their text;
//! - bare URLs are wrapped in `<…>`; stray `[`/`]` are escaped (no broken intra-doc links);
//! - `<` outside code spans becomes `&lt;` (no HTML), `<br>` a space;
//! - control and bidirectional-override characters are dropped (rustc denies the latter in
//!   comments, which is how prettyplease prints docs).
//!
//! The result is then parsed with pulldown-cmark, the parser rustdoc uses: if anything but
//! text fences, web links and text remains, the whole text is shown as one ```` ```text ````
//! block instead. The rewriting keeps docs readable; that check keeps them safe.

use std::cell::Cell;

use proc_macro2::{Literal, TokenStream};
use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use quote::quote;

/// Where site-relative links (`/graph/…`, `/azure/…`, `/entra/…`) point.
const LEARN: &str = "https://learn.microsoft.com";

/// Characters that end a bare URL or make a link destination unusable.
const NOT_IN_URL: &[char] = &[
    '<', '>', '"', '\'', '`', '(', ')', '[', ']', '{', '}', '|', '\\', '^',
];

/// Page markdown made safe for rustdoc (see the module docs); empty for blank input.
pub(crate) fn sanitize(markdown: &str) -> String {
    let text = normalize(markdown);
    if text.trim().is_empty() {
        return String::new();
    }
    let fenced = join(&close_fences(&text));
    let fenced = fence_indented_blocks(fenced);
    let escaped: Vec<String> = close_fences(&fenced)
        .into_iter()
        .map(|(line, code)| {
            if code {
                line
            } else {
                escape_inline(&line, false)
            }
        })
        .collect();
    let out = trim_lines(&escaped.join("\n"));
    if is_inert(&out) {
        out
    } else {
        text_block(text.lines())
    }
}

/// One line of page text (a role, a parameter description) for a list item or sentence:
/// whitespace collapsed, escaped as in [`sanitize`], or as a code span if still not inert.
pub(crate) fn inline(text: &str) -> String {
    let text = normalize(text);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = escape_inline(&collapsed, false);
    if is_inert(&escaped) {
        escaped
    } else {
        code(&collapsed)
    }
}

/// `text` as an inline code span, on one line, whatever backticks it holds.
pub(crate) fn code(text: &str) -> String {
    let text = normalize(text).replace('\n', " ");
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// [`code`] for a table cell: `|` is escaped so it cannot split the cell.
pub(crate) fn code_in_table(text: &str) -> String {
    code(&text.replace('|', "\\|"))
}

/// `lines` as a ```` ```text ```` block, with a fence longer than any backtick run inside.
pub(crate) fn text_block<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let lines: Vec<String> = lines
        .into_iter()
        .flat_map(|line| {
            normalize(line)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let longest = lines
        .iter()
        .map(|line| longest_run(line, '`'))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let mut block = format!("{fence}text\n");
    for line in &lines {
        block.push_str(line.trim_end());
        block.push('\n');
    }
    block.push_str(&fence);
    block
}

/// `#[doc = "…"]` attributes for `markdown`, one per line (printed as `///` lines).
///
/// `markdown` is assembled by codegen from [`sanitize`]d parts; it is checked once more as a
/// whole and shown as a text block if the parts combined into something that is not inert.
pub(crate) fn attributes(markdown: &str) -> TokenStream {
    let markdown = trim_lines(markdown);
    // Page text was sanitized strictly; links to generated items (`[`get`](Self::get)`) are
    // codegen's own.
    let safe = if is_inert_but_item_links(&markdown, true) {
        markdown
    } else {
        text_block(markdown.lines())
    };
    safe.lines()
        .map(|line| {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            let literal = Literal::string(&text);
            quote!(#[doc = #literal])
        })
        .collect()
}

/// Unified newlines; tabs as spaces; control, bidi-override and line-separator characters
/// dropped or spaced.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{2028}' | '\u{2029}' => out.push(' '),
            '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines with trailing spaces removed (no markdown hard breaks, which clippy flags) and no
/// blank lines at either end.
fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|line| !line.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|line| !line.is_empty())
        .map_or(start, |end| end + 1);
    lines[start..end].join("\n")
}

fn join(lines: &[(String, bool)]) -> String {
    lines
        .iter()
        .map(|(line, _)| line.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// An open fence: its character, length, and the indentation that closes it.
struct Fence {
    marker: char,
    len: usize,
    indent: String,
}

/// Lines with every fence opener rewritten to `text` and unterminated fences closed; each
/// line says whether it belongs to a fenced block (fences included).
fn close_fences(text: &str) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    let mut open: Option<Fence> = None;
    for line in text.split('\n') {
        if let Some(fence) = &open {
            if is_closing_fence(line, fence) {
                open = None;
            }
            lines.push((line.to_owned(), true));
        } else if let Some((prefix, marker, len)) = fence_opener(line) {
            let run: String = std::iter::repeat_n(marker, len).collect();
            lines.push((format!("{prefix}{run}text"), true));
            let indent = prefix
                .chars()
                .map(|c| if c == '>' { '>' } else { ' ' })
                .collect();
            open = Some(Fence {
                marker,
                len,
                indent,
            });
        } else {
            lines.push((line.to_owned(), false));
        }
    }
    if let Some(fence) = open {
        while lines.last().is_some_and(|(line, _)| line.trim().is_empty()) {
            lines.pop();
        }
        let run: String = std::iter::repeat_n(fence.marker, fence.len).collect();
        lines.push((format!("{}{run}", fence.indent), true));
    }
    lines
}

/// `(container prefix, fence char, run length)` when `line` opens a fence: the prefix holds only
/// blockquote/list markers and spaces, and a backtick fence's info string has no backtick.
fn fence_opener(line: &str) -> Option<(&str, char, usize)> {
    let start =
        line.find(|c: char| !matches!(c, ' ' | '>' | '-' | '*' | '+' | '.' | ')' | '0'..='9'))?;
    let marker = line[start..].chars().next()?;
    if marker != '`' && marker != '~' {
        return None;
    }
    let len = line[start..].chars().take_while(|&c| c == marker).count();
    let info = &line[start + len..];
    (len >= 3 && !(marker == '`' && info.contains('`'))).then_some((&line[..start], marker, len))
}

fn is_closing_fence(line: &str, fence: &Fence) -> bool {
    let body = line.trim_start_matches([' ', '>']);
    let len = body.chars().take_while(|&c| c == fence.marker).count();
    len >= fence.len && body[len..].trim().is_empty()
}

/// Wraps indented code blocks (which rustdoc would run as doctests) in text fences, using
/// pulldown-cmark to find them so list and quote nesting is read as rustdoc reads it.
fn fence_indented_blocks(mut text: String) -> String {
    for _ in 0..4 {
        let ranges: Vec<std::ops::Range<usize>> = Parser::new_ext(&text, options())
            .into_offset_iter()
            .filter_map(|(event, range)| {
                matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)))
                    .then_some(range)
            })
            .collect();
        if ranges.is_empty() {
            break;
        }
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        for range in ranges.iter().rev() {
            // A range may end inside a multi-byte character: count up to the boundary before.
            let newlines_before = |offset: usize| {
                let mut at = offset.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text[..at].matches('\n').count()
            };
            let first = newlines_before(range.start);
            let last =
                newlines_before(range.end.saturating_sub(1).max(range.start)).min(lines.len() - 1);
            // The block's own indentation is that of its least indented line; more is content.
            let lead = lines[first..=last]
                .iter()
                .filter(|line| !line.trim_start_matches([' ', '>']).is_empty())
                .map(|line| &line[..line.len() - line.trim_start_matches([' ', '>']).len()])
                .min_by_key(|lead| lead.len())
                .unwrap_or_default();
            let spaces = lead.len() - lead.trim_end_matches(' ').len();
            let prefix = lead[..lead.len() - spaces.min(4)].to_owned();
            lines.insert(last + 1, format!("{prefix}```"));
            lines.insert(first, format!("{prefix}```text"));
        }
        text = lines.join("\n");
    }
    text
}

/// Escapes one line of prose (outside code blocks); see the module docs.
fn escape_inline(line: &str, in_link_text: bool) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let taken = match c {
            '\\' => match rest[1..].chars().next() {
                Some(next) if next.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(next);
                    1 + next.len_utf8()
                }
                _ => {
                    out.push('\\');
                    1
                }
            },
            '`' => {
                let run = longest_prefix(rest, '`');
                if let Some(end) = closing_run(&rest[run..], run) {
                    let span = run + end + run;
                    out.push_str(&rest[..span]);
                    span
                } else {
                    out.push_str(&"\\`".repeat(run));
                    run
                }
            }
            '<' => {
                if let Some(len) = autolink_len(rest).filter(|_| !in_link_text) {
                    out.push_str(&rest[..len]);
                    len
                } else if let Some(len) = line_break_len(rest) {
                    out.push(' ');
                    len
                } else {
                    out.push_str("&lt;");
                    1
                }
            }
            '[' if !in_link_text => {
                if let Some((len, label)) = alert(rest) {
                    out.push_str("**");
                    out.push_str(&label);
                    out.push_str(":**");
                    len
                } else if let Some(link) = inline_link(rest) {
                    push_link(&mut out, &link);
                    link.len
                } else {
                    out.push_str("\\[");
                    1
                }
            }
            '[' => {
                out.push_str("\\[");
                1
            }
            ']' => {
                out.push_str("\\]");
                1
            }
            'h' | 'H' if !in_link_text => {
                if let Some(len) = bare_url_len(rest) {
                    out.push('<');
                    out.push_str(&rest[..len]);
                    out.push('>');
                    len
                } else {
                    out.push(c);
                    1
                }
            }
            c => {
                out.push(c);
                c.len_utf8()
            }
        };
        rest = &rest[taken..];
    }
    out
}

/// A Learn alert marker (`[!NOTE]`, `[!IMPORTANT]`, …) at the start of `rest`: its length and
/// the label to show instead (`Note`).
fn alert(rest: &str) -> Option<(usize, String)> {
    let (word, _) = rest.strip_prefix("[!")?.split_once(']')?;
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut label = word.to_ascii_lowercase();
    label[..1].make_ascii_uppercase();
    Some((word.len() + 3, label))
}

/// A `[text](destination "title")` link at the start of some text.
struct InlineLink<'a> {
    text: &'a str,
    destination: &'a str,
    len: usize,
}

fn inline_link(rest: &str) -> Option<InlineLink<'_>> {
    let bytes = rest.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'[' => return None,
            b']' => break,
            b'`' => {
                let run = longest_prefix(&rest[at..], '`');
                at += closing_run(&rest[at + run..], run).map_or(run, |end| run + end + run);
            }
            _ => at += 1,
        }
    }
    let close = at;
    if rest.get(close..close + 2) != Some("](") {
        return None;
    }
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let inside = after[..end].trim();
    let destination = if let Some(angled) = inside.strip_prefix('<') {
        angled.split('>').next().unwrap_or_default()
    } else {
        inside.split_whitespace().next().unwrap_or_default()
    };
    Some(InlineLink {
        text: &rest[1..close],
        destination,
        len: close + 2 + end + 1,
    })
}

fn push_link(out: &mut String, link: &InlineLink<'_>) {
    match web_url(link.destination) {
        Some(url) if !link.text.trim().is_empty() => {
            out.push('[');
            out.push_str(&escape_inline(link.text, true));
            out.push_str("](");
            out.push_str(&url);
            out.push(')');
        }
        _ => out.push_str(&escape_inline(link.text, false)),
    }
}

/// The absolute web address for a link destination, if rustdoc can follow it.
fn web_url(destination: &str) -> Option<String> {
    let url = if is_web(destination) {
        destination.to_owned()
    } else if destination.starts_with('/') && !destination.starts_with("//") {
        format!("{LEARN}{destination}")
    } else {
        return None;
    };
    let usable = url
        .chars()
        .all(|c| c.is_ascii_graphic() && !NOT_IN_URL.contains(&c));
    usable.then_some(url)
}

fn is_web(text: &str) -> bool {
    let lower = |prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    lower("https://") || lower("http://")
}

/// The length of an `http(s)://` URL starting `rest`, trailing punctuation excluded.
fn bare_url_len(rest: &str) -> Option<usize> {
    if !is_web(rest) {
        return None;
    }
    let scheme = rest.find("//")? + 2;
    let len = rest
        .find(|c: char| !c.is_ascii_graphic() || NOT_IN_URL.contains(&c))
        .unwrap_or(rest.len());
    let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_', '~']);
    (url.len() > scheme).then_some(url.len())
}

/// The length of an `<https://…>` autolink starting `rest`.
fn autolink_len(rest: &str) -> Option<usize> {
    let end = rest.find('>')?;
    let inner = &rest[1..end];
    let url_len = bare_url_len(inner)?;
    (url_len == inner.len()).then_some(end + 1)
}

/// The length of a `<br>`, `<br/>` or `<br />` starting `rest`.
fn line_break_len(rest: &str) -> Option<usize> {
    ["<br>", "<br/>", "<br />"].iter().find_map(|tag| {
        rest.get(..tag.len())
            .filter(|head| head.eq_ignore_ascii_case(tag))
            .map(str::len)
    })
}

fn longest_prefix(text: &str, marker: char) -> usize {
    text.chars().take_while(|&c| c == marker).count()
}

fn longest_run(text: &str, marker: char) -> usize {
    text.split(|c| c != marker).map(str::len).max().unwrap_or(0)
}

/// The offset of the next run of exactly `len` backticks in `text`.
fn closing_run(text: &str, len: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let run = longest_prefix(&text[start..], '`');
        if run == len {
            return Some(start);
        }
        at = start + run;
    }
    None
}

/// The markdown extensions rustdoc enables.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether rustdoc would render `markdown` without running, linking or rendering anything
/// that is not text, `text` code blocks and web links (and so without any rustdoc warning).
fn is_inert(markdown: &str) -> bool {
    is_inert_but_item_links(markdown, false)
}

/// [`is_inert`], also allowing links to Rust items (`Self::get`, `super::requests::Root`)
/// when `item_links`.
fn is_inert_but_item_links(markdown: &str, item_links: bool) -> bool {
    let broken = Cell::new(false);
    let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        // `[`UserRequest`]`: an intra-doc link rustdoc resolves by its label.
        let label = link.reference.trim_matches('`').to_owned();
        if item_links && is_item_path(&label) {
            return Some((label.into(), "".into()));
        }
        broken.set(true);
        None
    };
    let mut link_depth = 0_usize;
    let mut in_code = false;
    for event in Parser::new_with_broken_link_callback(markdown, options(), Some(callback)) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "text" => {
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_web(&dest_url) || (item_links && is_item_path(&dest_url)) =>
            {
                link_depth += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => link_depth = link_depth.saturating_sub(1),
            Event::Text(text) if !in_code && link_depth == 0 && has_bare_url(&text) => {
                return false
            }
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. })
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => return false,
            _ => {}
        }
    }
    !broken.get()
}

/// `Self::get`, `super::requests::UserRequest`: a path of Rust identifiers.
fn is_item_path(destination: &str) -> bool {
    !destination.is_empty()
        && destination.split("::").all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn has_bare_url(text: &str) -> bool {
    text.char_indices()
        .any(|(at, _)| text.is_char_boundary(at) && bare_url_len(&text[at..]).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[!INCLUDE` with no `]` after it was taken for an alert marker one byte longer than
    /// the text, and slicing past the end panicked (found by the `page` fuzz target).
    #[test]
    fn unclosed_alert_markers_are_text() {
        assert_eq!(alert("[!INCLUDE"), None);
        assert_eq!(alert("[!NOTE] x"), Some((7, "Note".to_owned())));
        assert_eq!(sanitize("See [!INCLUDE"), "See \\[!INCLUDE");
        assert_eq!(inline("[!NOTE"), "\\[!NOTE");
    }

    /// Fenced blocks in `markdown`: their info strings, as pulldown-cmark (and rustdoc) sees them.
    fn code_blocks(markdown: &str) -> Vec<String> {
        Parser::new_ext(markdown, options())
            .filter_map(|event| match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Some(info.to_string()),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some("<indented>".into()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fences_become_text_and_are_closed() {
        let out =
            sanitize("Call it:\n```csharp\nvar x = 1;\n```\n\n~~~json\n{}\n~~~\n```\nfn main() {}");
        assert_eq!(code_blocks(&out), ["text", "text", "text"]);
        assert!(out.contains("var x = 1;"));
        assert!(out.ends_with("fn main() {}\n```"), "{out}");

        let rust = sanitize("```rust\nstd::process::exit(1);\n```");
        assert_eq!(code_blocks(&rust), ["text"]);
        let unterminated = sanitize("> ```http\n> GET /me");
        assert_eq!(code_blocks(&unterminated), ["text"]);
    }

    /// Indented code is a doctest in rustdoc.
    #[test]
    fn indented_code_is_fenced() {
        let out = sanitize("Example:\n\n    std::process::exit(1);\n\nAfter.");
        assert_eq!(code_blocks(&out), ["text"]);
        let listed = sanitize("- item\n\n      std::process::exit(1);\n");
        assert_eq!(code_blocks(&listed), ["text"]);
        let deeper_first = sanitize("        deeper\n\n    code");
        assert_eq!(deeper_first, "```text\n        deeper\n\n    code\n```");
        let quoted = sanitize(">     std::process::exit(1);\n");
        assert_eq!(code_blocks(&quoted), ["text"]);
    }

    #[test]
    fn links_are_absolute_or_dropped() {
        let out = sanitize(
            "See [roles](/entra/identity/permissions-reference?toc=%2Fgraph%2Ftoc.json), \
             [user](../resources/user.md), [overview](/graph/overview) and [x](#top).",
        );
        assert_eq!(
            out,
            "See [roles](https://learn.microsoft.com/entra/identity/permissions-reference?toc=%2Fgraph%2Ftoc.json), \
             user, [overview](https://learn.microsoft.com/graph/overview) and x."
        );
        assert_eq!(
            sanitize("[docs](https://example.com/a \"title\")"),
            "[docs](https://example.com/a)"
        );
        assert_eq!(sanitize("[bad](javascript:alert(1))"), "bad)");
    }

    #[test]
    fn bare_urls_are_wrapped_and_brackets_escaped() {
        assert_eq!(
            sanitize("Go to https://aka.ms/graph. Or <https://example.com>."),
            "Go to <https://aka.ms/graph>. Or <https://example.com>."
        );
        assert_eq!(
            sanitize("> [!NOTE]\n> a [b] c]"),
            "> **Note:**\n> a \\[b\\] c\\]"
        );
        assert_eq!(sanitize("[!x] [!]"), "\\[!x\\] \\[!\\]");
        assert_eq!(
            sanitize("`[kept]` and \\[escaped\\]"),
            "`[kept]` and \\[escaped\\]"
        );
    }

    #[test]
    fn html_is_neutralised() {
        assert_eq!(
            sanitize("<script>alert(1)</script> a<br/>b `<b>`"),
            "&lt;script>alert(1)&lt;/script> a b `<b>`"
        );
        assert_eq!(sanitize("<div>\n\nx\n</div>"), "&lt;div>\n\nx\n&lt;/div>");
        assert_eq!(sanitize("<!-- hidden -->"), "&lt;!-- hidden -->");
    }

    #[test]
    fn hostile_strings_stay_text() {
        for hostile in [
            "*/",
            "#[doc = \"x\"]",
            "\"); std::process::exit(1); //",
            "```rust\nfn main() { std::process::exit(1) }\n```",
            "<script>alert(1)</script>",
            "\u{202e}reversed\u{2066}",
            "a\r\nb\0c",
            "[x]: https://example.com\n[x]",
            "footnote[^1]\n\n[^1]: text",
            "`` ` ``` ````",
            "<https://a b>",
        ] {
            let out = sanitize(hostile);
            assert!(is_inert(&out), "{hostile:?} gave {out:?}");
            assert!(!out.contains('\u{202e}') && !out.contains('\0'));
            let tokens = attributes(&out).to_string();
            assert!(
                syn::parse_str::<syn::File>(&format!("{tokens} struct S;")).is_ok(),
                "{tokens}"
            );
        }
    }

    /// Random mixes of markdown hazards never panic and always come out inert.
    #[test]
    fn random_hazards_stay_inert() {
        const PIECES: &[&str] = &[
            "```",
            "~~~",
            "`",
            "``",
            "    ",
            "\t",
            "\n",
            "\n\n",
            "> ",
            "- ",
            "1. ",
            "[",
            "]",
            "(",
            ")",
            "](",
            "](/graph/x)",
            "<",
            ">",
            "<br>",
            "<b>",
            "https://a.b/c",
            "http://",
            "\\",
            "!",
            "[!NOTE]",
            "[^1]",
            "|",
            "*",
            "_",
            "é",
            "日本",
            "\u{202e}",
            "\r",
            "#",
            "rust",
            "json",
            "text",
            "x",
            " ",
            "&lt;",
            "<https://a.b>",
            "www.a.b",
            "a@b.c",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = state % 40;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = usize::try_from(state % PIECES.len() as u64).unwrap_or(0);
                text.push_str(PIECES[at]);
            }
            let out = sanitize(&text);
            assert!(is_inert(&out), "{text:?} gave {out:?}");
            assert!(is_inert(&inline(&text)), "{text:?}");
        }
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code("User.Read"), "`User.Read`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code_in_table("a|b"), "`a\\|b`");
        let block = text_block(["GET /me", "```"]);
        assert_eq!(block, "````text\nGET /me\n```\n````");
        assert_eq!(code_blocks(&block), ["text"]);
    }

    #[test]
    fn inline_text_collapses_and_escapes() {
        assert_eq!(
            inline("Directory\n  Writers <b>"),
            "Directory Writers &lt;b>"
        );
    }

    #[test]
    fn attributes_are_one_literal_per_line() {
        let tokens = attributes("a \"quoted\"\n\nb").to_string();
        assert_eq!(
            tokens,
            "# [doc = \" a \\\"quoted\\\"\"] # [doc = \"\"] # [doc = \" b\"]"
        );
    }
}
