//! Markdown fragments (table cells, link labels) as plain text, and the fast paths that skip
//! the markdown parser for the cells that need none (most of them: a third of page reading).

use pulldown_cmark::{Event, Parser, TagEnd};

use super::blocks::options;

pub(super) fn is_line_break(html: &str) -> bool {
    let tag: String = html.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        tag.to_ascii_lowercase().as_str(),
        "<br>" | "<br/>" | "</br>"
    )
}

pub(super) fn normalize_space(text: &str) -> String {
    if is_single_spaced(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// ASCII text whose only whitespace is single spaces between words: already normalised.
fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_none_or(|&b| b != b' ')
        && bytes.last().is_none_or(|&b| b != b' ')
        && bytes.windows(2).all(|pair| pair != b"  ")
        && bytes
            .iter()
            .all(|&b| b.is_ascii() && (b == b' ' || !b.is_ascii_whitespace()))
}

/// Markdown fragment → plain text (see [`super::plain_text`]).
pub(super) fn plain_text(markdown: &str) -> String {
    // Most table cells (`Name`, `User.Read.All`, `String`) are one line of words: markdown
    // leaves them as they are, so skip building a parser for each (a third of page reading).
    if is_plain_line(markdown) {
        return normalize_space(markdown);
    }
    // Type and permission cells are mostly such words around `[user](user.md)` links.
    if let Some(text) = plain_with_links(markdown) {
        return text;
    }
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::InlineHtml(html) | Event::Html(html) if is_line_break(&html) => out.push(' '),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ');
            }
            _ => {}
        }
    }
    normalize_space(&out)
}

/// A line of [`is_plain_line`] words and inline links `[words](destination)`, as plain text: the
/// words and the links' words. `None` for anything else, which the parser reads instead.
fn plain_with_links(text: &str) -> Option<String> {
    if !text.starts_with('[') && !text.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let (before, after) = (&rest[..open], &rest[open + 1..]);
        let (label, after) = after.split_once(']')?;
        let (destination, after) = after.strip_prefix('(')?.split_once(')')?;
        let plain_destination = !destination.is_empty()
            && !destination.starts_with('<')
            && !destination
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control() || b"()[]\\".contains(&b));
        if !(plain_words(before) && plain_words(label) && plain_destination) {
            return None;
        }
        out.push_str(before);
        out.push_str(label);
        rest = after;
    }
    if !plain_words(rest) {
        return None;
    }
    out.push_str(rest);
    Some(normalize_space(&out))
}

/// One line that markdown reads as itself: it starts with a letter (no list, heading or quote
/// marker) and holds no character with an inline meaning (`*`, `_`, `` ` ``, `[`, `<`, `&`, `\`,
/// `~`, `|`, `!`…).
fn is_plain_line(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic) && plain_words(text)
}

/// Characters without an inline meaning (see [`is_plain_line`]), wherever they are. Bytes, not
/// characters: every non-ASCII character is such a character, and all its bytes are non-ASCII.
fn plain_words(text: &str) -> bool {
    text.bytes()
        .all(|b| !b.is_ascii() || PLAIN_ASCII[usize::from(b)])
}

/// The ASCII bytes [`plain_words`] allows: letters, digits, blanks and punctuation that
/// markdown leaves alone.
static PLAIN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0u8;
    while byte < 128 {
        table[byte as usize] = byte.is_ascii_alphanumeric();
        byte += 1;
    }
    let punctuation = b" \t.,;:'\"()/-+=?%@$#{}^";
    let mut index = 0;
    while index < punctuation.len() {
        table[punctuation[index] as usize] = true;
        index += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// What the markdown parser makes of `cell`: its text, spaces normalised.
    fn parsed_text(cell: &str) -> String {
        let mut parsed = String::new();
        for event in Parser::new_ext(cell, options()) {
            if let Event::Text(text) = event {
                parsed.push_str(&text);
            }
        }
        normalize_space(&parsed)
    }

    /// Cells without markup skip the markdown parser; they must read exactly as parsed ones.
    #[test]
    fn plain_cells_read_as_the_parser_reads_them() {
        for cell in [
            "User.Read.All, Directory.Read.All",
            "Name",
            "displayName  (string)",
            "Ünïcode\u{a0}text ok",
            "a\tb # c: d=e/f?g%h@i$j{k}^l",
        ] {
            assert!(is_plain_line(cell), "{cell}");
            assert_eq!(plain_text(cell), parsed_text(cell), "{cell}");
        }
        // Cells with inline links take the second fast path; they too must read as parsed.
        for cell in [
            "[user](user.md)",
            "[driveItem](../resources/driveitem.md) collection",
            "Collection of [x](x.md#a-b_c?d=e), and [y z](https://e.com/y) too",
            "[](empty.md) after",
            "[a(b)](c.md)(d)",
        ] {
            assert!(
                !is_plain_line(cell) && plain_with_links(cell).is_some(),
                "{cell}"
            );
            assert_eq!(plain_text(cell), parsed_text(cell), "{cell}");
        }
        for cell in [
            "[a] (b)",
            "[a][b]",
            "![a](b)",
            "[a](b c)",
            "[a](<b>)",
            "[*a*](b)",
            "[a](b\\(c)",
            "1. [a](b)",
        ] {
            assert!(plain_with_links(cell).is_none(), "{cell}");
        }
        for cell in [
            "1. a",
            "- a",
            "# a",
            "a *b*",
            "a\nb",
            "[a](b)",
            "a &amp; b",
            " a",
            "",
        ] {
            assert!(!is_plain_line(cell), "{cell}");
        }
    }

    #[test]
    fn spaces_are_normalised_with_or_without_the_fast_path() {
        for text in [
            "", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u{a0}b", "é b", "a b  c ",
        ] {
            let slow = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(normalize_space(text), slow, "{text:?}");
        }
    }
}
