//! Diagnostics as rustc shows them: `--> file:line:col`, the page line, a caret, `= help:`.

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostics::{escape_for_display, Diagnostic, Severity};

/// Page texts read once each, for the lines diagnostics point at.
#[derive(Debug, Default)]
pub struct Sources {
    files: HashMap<String, Option<String>>,
}

impl Sources {
    /// The text of `file` (as diagnostics show it, relative to the working folder), if readable.
    fn text(&mut self, file: &str) -> Option<&str> {
        self.files
            .entry(file.to_owned())
            .or_insert_with(|| std::fs::read_to_string(file).ok())
            .as_deref()
    }
}

/// `diagnostic` rendered like rustc's, in colour when `styled`; without the page line when
/// the page cannot be read any more.
pub fn human(diagnostic: &Diagnostic, sources: &mut Sources, styled: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let line_number = usize::try_from(diagnostic.line).unwrap_or(usize::MAX);
    let line_text = sources.text(&diagnostic.file).and_then(|text| {
        line_number
            .checked_sub(1)
            .and_then(|index| text.lines().nth(index))
    });
    // Page text and file names reach a terminal: nothing in them may act on it or add a line.
    let message = escape_for_display(&diagnostic.message);
    let file = escape_for_display(&diagnostic.file);
    let help = diagnostic.help.as_deref().map(escape_for_display);
    let line = line_text.map(|line| shown_line(line, span(line, diagnostic.column)));
    let title = level.primary_title(message.as_ref());
    let mut group = match &line {
        Some((line, span)) => title.element(
            Snippet::source(line.as_str())
                .line_start(line_number)
                .path(file.as_ref())
                .annotation(AnnotationKind::Primary.span(span.clone())),
        ),
        None => title.element(Origin::path(file.as_ref()).line(line_number)),
    };
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let report: [Group<'_>; 1] = [group];
    renderer.render(&report)
}

/// A page line as shown under a diagnostic: each control or bidirectional formatting character
/// becomes `�` (one character for one, so the column shown stays the page's), and `span` moves
/// to the same characters.
fn shown_line(line: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    if escape_for_display(line).len() == line.len() {
        return (line.to_owned(), span);
    }
    let (mut shown, mut start, mut end) = (String::with_capacity(line.len() + 8), None, None);
    for (at, c) in line.char_indices() {
        if at == span.start {
            start = Some(shown.len());
        }
        if at == span.end {
            end = Some(shown.len());
        }
        let mut buffer = [0; 4];
        if escape_for_display(c.encode_utf8(&mut buffer)).len() == c.len_utf8() {
            shown.push(c);
        } else {
            shown.push(char::REPLACEMENT_CHARACTER);
        }
    }
    let start = start.unwrap_or(shown.len());
    let end = end.unwrap_or(shown.len()).max(start);
    (shown, start..end)
}

/// The byte range the caret marks: from the column (1-based, in characters) to the end of
/// that word, else the line without its indentation.
fn span(line: &str, column: Option<u32>) -> std::ops::Range<usize> {
    let start = match column {
        Some(column) => line
            .char_indices()
            .nth(usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX))
            .map_or(line.len(), |(at, _)| at),
        None => line.len() - line.trim_start().len(),
    };
    let rest = &line[start..];
    let end = if column.is_some() {
        start + rest.find(char::is_whitespace).unwrap_or(rest.len())
    } else {
        start + rest.trim_end().len()
    };
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Source;

    fn page(text: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.md");
        std::fs::write(&file, text).unwrap();
        (dir, file.display().to_string())
    }

    #[test]
    fn shows_location_line_caret_and_help() {
        let (_dir, file) = page("# user: x\n\n  FETCH /users/{id}\n");
        let diagnostic = Diagnostic::error(&Source::new(&file, 3), "unknown HTTP method `FETCH`")
            .with_help("write one of `GET`, `POST`");
        let text = human(&diagnostic, &mut Sources::default(), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "error: unknown HTTP method `FETCH`");
        assert_eq!(lines[1].trim_start(), format!("--> {file}:3:3"));
        assert!(lines[3].ends_with("3 |   FETCH /users/{id}"), "{text}");
        assert!(lines[4].ends_with("|   ^^^^^^^^^^^^^^^^^"), "{text}");
        assert!(
            text.contains("= help: write one of `GET`, `POST`"),
            "{text}"
        );
    }

    #[test]
    fn a_column_marks_one_word() {
        let (_dir, file) = page("GET /users/{id/x\n");
        let diagnostic =
            Diagnostic::warning(&Source::new(&file, 1), "unbalanced `{`").with_column(12);
        let text = human(&diagnostic, &mut Sources::default(), false);
        assert!(text.contains(&format!("{file}:1:12")), "{text}");
        assert!(text.contains("|            ^^^^^"), "{text}");
    }

    #[test]
    fn unreadable_pages_still_show_where() {
        let diagnostic = Diagnostic::error(&Source::new("gone.md", 7), "lost");
        let text = human(&diagnostic, &mut Sources::default(), false);
        assert!(text.starts_with("error: lost"), "{text}");
        assert!(text.contains("--> gone.md:7"), "{text}");
    }

    /// A page named with a line break wrote a line of its own (`::error …::`, which CI runs
    /// as a command) into rustc-style output; an ESC in the page line reached the terminal.
    #[test]
    fn file_names_messages_and_page_lines_are_one_line_each() {
        let (_dir, file) = page("GET /a\u{1b}[2J/{id}\n");
        let diagnostic = Diagnostic::warning(&Source::new(&file, 1), "odd").with_column(8);
        let text = human(&diagnostic, &mut Sources::default(), false);
        assert!(text.contains(":1:8\n"), "{text}");
        assert!(text.contains("1 | GET /a\u{fffd}[2J/{id}\n"), "{text}");
        assert!(
            text.lines().any(|line| line == "  |        ^^^^^^^^"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "{text}");
        let forged = Diagnostic::error(
            &Source::new("a.md\n::error file=lib.rs,line=1::FORGED\nz.md", 3),
            "line\nbreak",
        )
        .with_help("x\u{202e}y");
        let text = human(&forged, &mut Sources::default(), false);
        assert!(
            !text.lines().any(|line| line.starts_with("::error")),
            "{text}"
        );
        assert!(text.contains("a.md\\n::error"), "{text}");
        assert!(
            text.contains("line\\nbreak") && text.contains("x\\u{202e}y"),
            "{text}"
        );
    }

    #[test]
    fn spans_stay_inside_the_line() {
        assert_eq!(span("  abc def", None), 2..9);
        assert_eq!(span("abc def", Some(5)), 4..7);
        assert_eq!(span("abc", Some(40)), 3..3);
        assert_eq!(span("é x", Some(2)), 2..2);
        assert_eq!(span("", None), 0..0);
    }
}
