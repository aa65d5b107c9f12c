//! Diagnostics as rustc shows them: `--> file:line:col`, the page line, a caret, `= help:`.

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, Severity};

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
    let title = level.primary_title(diagnostic.message.as_str());
    let mut group = match line_text {
        Some(line) => title.element(
            Snippet::source(line)
                .line_start(line_number)
                .path(diagnostic.file.as_str())
                .annotation(AnnotationKind::Primary.span(span(line, diagnostic.column))),
        ),
        None => title.element(Origin::path(diagnostic.file.as_str()).line(line_number)),
    };
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let report: [Group<'_>; 1] = [group];
    renderer.render(&report)
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

    #[test]
    fn spans_stay_inside_the_line() {
        assert_eq!(span("  abc def", None), 2..9);
        assert_eq!(span("abc def", Some(5)), 4..7);
        assert_eq!(span("abc", Some(40)), 3..3);
        assert_eq!(span("é x", Some(2)), 2..2);
        assert_eq!(span("", None), 0..0);
    }
}
