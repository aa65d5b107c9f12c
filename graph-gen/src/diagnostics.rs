//! Located problems in docs pages, and the collector every stage reports into.

use std::cell::RefCell;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ir::Source;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The page cannot be turned into bindings as written.
    Error,
    /// The page was understood, but something in it is doubtful or was ignored.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem at one place in a docs page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The page, as displayed to users.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters) in `line`, when the stage knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Lowercase, names the construct in backticks.
    pub message: String,
    /// What to write instead, when there is something to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `source`.
    pub fn error(source: &Source, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, source, message)
    }

    /// A warning at `source`.
    pub fn warning(source: &Source, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, source, message)
    }

    fn new(severity: Severity, source: &Source, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: source.file.clone(),
            line: source.line,
            column: None,
            message: escape_controls(message.into()),
            help: None,
        }
    }

    /// Adds a `help:` line saying what to write instead.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(escape_controls(help.into()));
        self
    }

    /// Sets the 1-based column the problem starts at, for the CLI's caret.
    #[must_use]
    pub fn with_column(mut self, column: u32) -> Self {
        self.column = Some(column);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the problem is.
    pub fn source(&self) -> Source {
        Source::new(self.file.clone(), self.line)
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line: severity: message`, then `help: …` on its own line. Control characters of the
    /// file name, message and help (line breaks too) are escaped, so each diagnostic is exactly
    /// the lines it is meant to be: CI systems read lines such as `::error file=…::` in a log
    /// as commands, and a page named with a line break could otherwise write one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            escape_for_display(&self.file),
            self.line,
            self.severity,
            escape_for_display(&self.message)
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape_for_display(help))?;
        }
        Ok(())
    }
}

/// A short account of the warnings among `diagnostics` for a build log, one line each: their
/// count, the first `shown` of them (`file:line: message`), and the command that lists them
/// all (`check`, e.g. `cargo run -p graph-gen -- check api-docs`). Empty without warnings.
pub fn warning_summary(diagnostics: &[Diagnostic], shown: usize, check: &str) -> Vec<String> {
    let warnings: Vec<&Diagnostic> = diagnostics.iter().filter(|d| !d.is_error()).collect();
    if warnings.is_empty() {
        return Vec::new();
    }
    let count = warnings.len();
    let mut lines = vec![format!(
        "the docs pages have {count} warning{}: problems that still leave a usable item",
        if count == 1 { "" } else { "s" }
    )];
    for warning in warnings.iter().take(shown) {
        // One line each: a build log treats every line as a message of its own.
        let message = warning.message.replace(['\n', '\r'], " ");
        lines.push(format!(
            "{}:{}: {}",
            escape_for_display(&warning.file),
            warning.line,
            escape_for_display(&message)
        ));
    }
    if count > shown {
        lines.push(format!(
            "… and {} more; `{check}` lists them all",
            count - shown
        ));
    } else {
        lines.push(format!("`{check}` shows each with its page line"));
    }
    lines
}

/// Collects diagnostics from every stage so a user sees all problems in one pass.
///
/// Like `serde_derive`'s `Ctxt`: it must be finished with [`Ctxt::check`] or
/// [`Ctxt::into_diagnostics`]; dropping it unchecked is a generator bug and panics.
#[derive(Debug)]
pub struct Ctxt {
    diagnostics: RefCell<Option<Vec<Diagnostic>>>,
}

impl Ctxt {
    /// An empty collector.
    pub fn new() -> Self {
        Ctxt {
            diagnostics: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records a diagnostic.
    ///
    /// # Panics
    /// After the collector was finished: a generator bug.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.diagnostics
            .borrow_mut()
            .as_mut()
            .expect("Ctxt used after check")
            .push(diagnostic);
    }

    /// Records an error at `source`.
    pub fn error(&self, source: &Source, message: impl Into<String>) {
        self.push(Diagnostic::error(source, message));
    }

    /// Records a warning at `source`.
    pub fn warning(&self, source: &Source, message: impl Into<String>) {
        self.push(Diagnostic::warning(source, message));
    }

    /// Whether an error has been recorded so far.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .borrow()
            .as_ref()
            .is_some_and(|all| all.iter().any(Diagnostic::is_error))
    }

    /// Finishes collection: all diagnostics, sorted by file, line and severity.
    ///
    /// # Panics
    /// When called twice: a generator bug.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut all = self
            .diagnostics
            .borrow_mut()
            .take()
            .expect("Ctxt checked twice");
        all.sort_by(|a, b| {
            (&a.file, a.line, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.severity, &b.message))
        });
        all.dedup();
        all
    }

    /// Finishes collection: `Err` with every diagnostic if any is an error.
    pub fn check(self) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        let all = self.into_diagnostics();
        if all.iter().any(Diagnostic::is_error) {
            Err(all)
        } else {
            Ok(all)
        }
    }
}

impl Default for Ctxt {
    /// An empty collector, as [`Ctxt::new`].
    fn default() -> Self {
        Ctxt::new()
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        assert!(
            std::thread::panicking() || self.diagnostics.borrow().is_none(),
            "forgot to check for errors"
        );
    }
}

/// Page text quoted in a message, with control characters other than line breaks escaped
/// (`\u{1b}`): printed to a terminal, an ESC or BEL from a page would run as a command.
fn escape_controls(text: String) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` as printed to a terminal or a log: control characters, line breaks included, and the
/// bidirectional formatting characters that reorder what a terminal shows are escaped
/// (`\n`, `\u{1b}`, `\u{202e}`), so a file name or message is always one line of what it says.
pub(crate) fn escape_for_display(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    std::borrow::Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_all_and_sorts_by_position() {
        let cx = Ctxt::new();
        cx.warning(&Source::new("b.md", 3), "later file");
        cx.error(&Source::new("a.md", 9), "second");
        cx.error(&Source::new("a.md", 2), "first");
        let all = cx.check().unwrap_err();
        let lines: Vec<_> = all.iter().map(|d| (d.file.as_str(), d.line)).collect();
        assert_eq!(lines, [("a.md", 2), ("a.md", 9), ("b.md", 3)]);
    }

    /// A template line with `ESC [2J` reached the terminal raw in `unbalanced `{`…` errors.
    #[test]
    fn control_characters_from_pages_are_escaped() {
        let d = Diagnostic::error(&Source::new("p.md", 4), "line `a\u{1b}[2J\u{7}b`")
            .with_help("not `\u{1b}]0;x`");
        assert_eq!(
            d.to_string(),
            "p.md:4: error: line `a\\u{1b}[2J\\u{7}b`\n  help: not `\\u{1b}]0;x`"
        );
    }

    /// A page named `a.md\n::error file=lib.rs,line=1::FORGED\nz.md` printed a line of its own
    /// in `--format short`, which CI systems run as a command: every line of a diagnostic is
    /// now one the generator wrote.
    #[test]
    fn file_names_and_messages_cannot_add_lines() {
        let file = "a.md\n::error file=lib.rs,line=1::FORGED\nz.md";
        let d = Diagnostic::warning(&Source::new(file, 2), "type `x\ny` at a.md\r\n::x")
            .with_help("h\u{2066}i");
        let shown = d.to_string();
        assert_eq!(
            shown,
            "a.md\\n::error file=lib.rs,line=1::FORGED\\nz.md:2: warning: type `x\\ny` at a.md\\r\\n::x\n  help: h\\u{2066}i"
        );
        assert_eq!(shown.lines().count(), 2);
        let summary = warning_summary(std::slice::from_ref(&d), 1, "check");
        assert!(
            summary.iter().all(|line| !line.contains('\n')),
            "{summary:?}"
        );
        assert!(summary[1].starts_with("a.md\\n::error"), "{summary:?}");
        assert_eq!(d.file, file, "the IR and JSON keep the name as it is");
    }

    /// What `graph-api`'s build script prints: the count, the first few, one line each (a
    /// message's line breaks would start log lines of their own), and where the rest are.
    #[test]
    fn warning_summaries_are_short_and_one_line_each() {
        let warnings: Vec<Diagnostic> = (1..=7)
            .map(|line| Diagnostic::warning(&Source::new("p.md", line), format!("odd\nrow {line}")))
            .chain([Diagnostic::error(&Source::new("p.md", 9), "broken")])
            .collect();
        let lines = warning_summary(&warnings, 2, "graph-gen check docs");
        assert_eq!(
            lines,
            [
                "the docs pages have 7 warnings: problems that still leave a usable item",
                "p.md:1: odd row 1",
                "p.md:2: odd row 2",
                "… and 5 more; `graph-gen check docs` lists them all",
            ]
        );
        assert!(warning_summary(&warnings[7..], 2, "x").is_empty());
    }

    #[test]
    fn warnings_alone_pass() {
        let cx = Ctxt::new();
        cx.warning(&Source::new("a.md", 1), "doubtful");
        assert_eq!(cx.check().unwrap().len(), 1);
    }

    #[test]
    fn displays_file_line_severity_message_and_help() {
        let d = Diagnostic::error(&Source::new("p.md", 4), "unknown method `FETCH`")
            .with_help("write one of `GET`, `POST`, `PATCH`, `PUT`, `DELETE`");
        assert_eq!(
            d.to_string(),
            "p.md:4: error: unknown method `FETCH`\n  help: write one of `GET`, `POST`, `PATCH`, `PUT`, `DELETE`"
        );
    }

    #[test]
    #[should_panic(expected = "forgot to check for errors")]
    fn unchecked_collector_is_a_bug() {
        let cx = Ctxt::new();
        cx.warning(&Source::new("a.md", 1), "lost");
    }
}
