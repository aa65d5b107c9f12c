//! The YAML front matter between `---` lines at the top of a page.
//!
//! Only top-level `key: value` scalars matter, so the YAML is read as a stream of parser
//! events rather than loaded into a tree: the loader recurses once per nesting level (a
//! thousand nested block mappings overflowed the stack) and copies a node at every alias (ten
//! lines of `&a [*b, *b, …]` asked for gigabytes). Reading events takes neither recursion nor
//! memory beyond the text, and aliases are never expanded.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::Source;

/// Splits off the front matter: its `key: value` pairs and the byte offset where the body starts.
///
/// Values are unquoted and trimmed; a value that is not a scalar (a list, a mapping, an alias)
/// is empty. Front matter that is not valid YAML is read line by line, with a warning, so no
/// key is lost.
pub(super) fn split(file: &str, text: &str, cx: &Ctxt) -> (Vec<(String, String)>, usize) {
    let Some((yaml, body_offset)) = find(text) else {
        return (Vec::new(), 0);
    };
    let simple = simple_pairs(yaml).map(Ok);
    let pairs = match simple.unwrap_or_else(|| top_level_pairs(yaml)) {
        Ok(pairs) => pairs,
        Err(error) => {
            // The marker's line is 1-based within the YAML, which starts after the `---` line.
            let line = u32::try_from(error.marker().line())
                .unwrap_or(0)
                .saturating_add(1);
            cx.push(
                Diagnostic::warning(
                    &Source::new(file, line),
                    format!("front matter is not valid YAML ({}); read it line by line", error.info()),
                )
                .with_help("quote values that contain `:` or start with a quote, e.g. `title: \"user: get\"`"),
            );
            line_pairs(yaml)
        }
    };
    (pairs, body_offset)
}

/// The scalar keys and values of the first document's top-level mapping, from parser events.
fn top_level_pairs(yaml: &str) -> Result<Vec<(String, String)>, yaml_rust2::ScanError> {
    let mut parser = Parser::new_from_str(yaml);
    let mut pairs = Vec::new();
    // Collections entered; the top-level mapping is depth 1.
    let mut depth = 0usize;
    let mut top_is_mapping = false;
    // The key read at depth 1 (`None` inside: a key that is not a scalar), awaiting its value.
    let mut key: Option<Option<String>> = None;
    loop {
        let (event, _) = parser.next_token()?;
        // The node this event starts at depth 1, as a scalar text if it is one.
        let node = match &event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth == 1 {
                    top_is_mapping = matches!(event, Event::MappingStart(..));
                    continue;
                }
                (depth == 2).then_some(None)
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                None
            }
            Event::Scalar(text, style, ..) => (depth == 1).then(|| scalar(text, *style)),
            Event::Alias(_) => (depth == 1).then_some(None),
            Event::Nothing | Event::StreamStart | Event::DocumentStart => None,
        };
        let Some(node) = node.filter(|_| top_is_mapping) else {
            continue;
        };
        match key.take() {
            None => key = Some(node),
            Some(Some(name)) => pairs.push((name, node.unwrap_or_default())),
            Some(None) => {}
        }
    }
    Ok(pairs)
}

/// The pairs of front matter that is only `key: value` lines, values plain words or
/// double-quoted without escapes, as the docs write it; `None` for anything else, which the YAML
/// parser reads. The same pairs as [`top_level_pairs`] at a twentieth of the cost.
fn simple_pairs(yaml: &str) -> Option<Vec<(String, String)>> {
    let plain_key = |key: &str| {
        key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            && !matches!(key, "null" | "Null" | "NULL")
    };
    let mut pairs = Vec::new();
    for line in yaml.split('\n') {
        if line.trim().is_empty() && !line.contains(['\t', '\r']) {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        if !plain_key(key) || !(value.is_empty() || value.starts_with(' ')) {
            return None;
        }
        let value = value.trim_start_matches(' ');
        let value = if let Some(quoted) = value.strip_prefix('"') {
            let (inner, after) = quoted.split_once('"')?;
            if inner.contains('\\') || !after.chars().all(|c| c == ' ') {
                return None;
            }
            inner.trim()
        } else {
            let value = value.trim_end_matches(' ');
            let plain = value
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_alphanumeric())
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '/' | '-'));
            if !plain {
                return None;
            }
            if matches!(value, "null" | "Null" | "NULL") {
                ""
            } else {
                value
            }
        };
        pairs.push((key.to_owned(), value.to_owned()));
    }
    Some(pairs)
}

/// A scalar's text as the page means it: trimmed, and `None` for YAML's null (`~`, `null`, empty).
fn scalar(text: &str, style: TScalarStyle) -> Option<String> {
    let is_null =
        style == TScalarStyle::Plain && matches!(text, "" | "~" | "null" | "Null" | "NULL");
    (!is_null).then(|| text.trim().to_owned())
}

/// The YAML text and the offset just after the closing `---` line.
fn find(text: &str) -> Option<(&str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&text[start..offset], offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn line_pairs(yaml: &str) -> Vec<(String, String)> {
    yaml.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| {
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            (key.trim().to_owned(), unquoted.trim().to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> (Vec<(String, String)>, usize, Vec<Diagnostic>) {
        let cx = Ctxt::new();
        let (pairs, offset) = split("p.md", text, &cx);
        (pairs, offset, cx.into_diagnostics())
    }

    #[test]
    fn quoted_values_with_trailing_spaces_are_unquoted() {
        let text = "---\ntitle: \"user: get\"\ndoc_type: \"apiPageType\" \n---\n# user: get\n";
        let (pairs, offset, diagnostics) = pairs(text);
        assert_eq!(pairs[1], ("doc_type".into(), "apiPageType".into()));
        assert_eq!(pairs[0].1, "user: get");
        assert_eq!(&text[offset..], "# user: get\n");
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn invalid_yaml_is_read_line_by_line_with_a_warning() {
        let (pairs, _, diagnostics) =
            pairs("---\ntitle: \"a\" b: c\ndoc_type: resourcePageType\n---\n");
        assert!(pairs.contains(&("doc_type".into(), "resourcePageType".into())));
        assert_eq!(diagnostics.len(), 1);
        // The bad line is line 2 of the page; it was reported at line 3.
        assert_eq!(diagnostics[0].line, 2);
        assert!(diagnostics[0]
            .message
            .starts_with("front matter is not valid YAML"));
    }

    #[test]
    fn only_top_level_scalars_are_pairs() {
        let text = "---\ntitle: x\nlist:\n  - a\n  - b\nnested: { doc_type: no }\n? [complex]\n: key\nempty:\nn: 12\ndoc_type: apiPageType\n---\n";
        let (pairs, _, diagnostics) = pairs(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let expected = [
            ("title", "x"),
            ("list", ""),
            ("nested", ""),
            ("empty", ""),
            ("n", "12"),
            ("doc_type", "apiPageType"),
        ];
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, expected);
    }

    /// Loading the front matter into a YAML tree recursed once per nested block mapping: a
    /// thousand levels overflowed the stack of a test thread.
    #[test]
    fn deeply_nested_block_mappings_do_not_overflow_the_stack() {
        let nested = (0..2_000).fold(String::new(), |mut yaml, level| {
            yaml.push_str(&" ".repeat(level));
            yaml.push_str("a:\n");
            yaml
        });
        let (read, _, _) = pairs(&format!("---\ndoc_type: apiPageType\n{nested}---\n"));
        assert_eq!(read[0], ("doc_type".into(), "apiPageType".into()));
        let sequences = format!("---\ndoc_type: x\nl: {}y\n---\n", "- ".repeat(100_000));
        assert_eq!(pairs(&sequences).0[0].1, "x");
    }

    /// The YAML loader copied an anchored node at every alias: nine lines of nine aliases each
    /// asked for 9^9 copies ("billion laughs"). Aliases are no longer expanded.
    #[test]
    fn aliases_are_not_expanded() {
        let mut yaml = String::from(
            "---\ndoc_type: apiPageType\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
        );
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 9].join(", ");
            let line = format!("a{level}: &a{level} [{items}]\n");
            yaml.push_str(&line);
        }
        yaml.push_str("last: *a9\n---\n");
        let (pairs, _, diagnostics) = pairs(&yaml);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(pairs.len(), 12);
        assert_eq!(pairs[11], ("last".into(), String::new()));
    }

    /// Simple front matter skips the YAML parser; it must read exactly as the parser reads it.
    #[test]
    fn simple_front_matter_reads_as_the_yaml_parser_reads_it() {
        for yaml in [
            "title: \"user: get\"\ndescription: \"a 'b' c.\"  \nempty:\nnone: null\n\nms.date: 09/25/2019\ndoc_type: apiPageType\n",
            "a: x\na: y\n",
            "",
        ] {
            assert_eq!(simple_pairs(yaml).as_ref(), top_level_pairs(yaml).ok().as_ref(), "{yaml}");
        }
        for yaml in [
            "a: 'x'\n",
            "a: \"x\\\"y\"\n",
            "a: x: y\n",
            "a: ~\n",
            "a: x # c\n",
            "a:\n  - b\n",
            "# c\na: b\n",
            "a: \"x\" y\n",
            "null: x\n",
            "a: x\r\n",
        ] {
            assert_eq!(simple_pairs(yaml), None, "{yaml}");
        }
    }

    #[test]
    fn no_front_matter_means_body_starts_at_zero() {
        assert_eq!(pairs("# title\n").1, 0);
        assert_eq!(pairs("---\nunterminated: yes\n").1, 0);
    }
}
