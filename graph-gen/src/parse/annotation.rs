//! `<!-- { "blockType": "request", … } -->` comments: the docs' machine-readable hints.

use serde_json::{Map, Value};

use super::lenient_json::parse_lenient;
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::Source;

/// A JSON annotation comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The annotation's keys and values.
    pub fields: Map<String, Value>,
    /// 1-based line of the comment.
    pub line: u32,
}

impl Annotation {
    /// `blockType` (`request`, `response`, `ignored`, `resource`, `permissions`…).
    pub fn block_type(&self) -> Option<&str> {
        self.string("blockType")
    }

    /// A string value.
    pub fn string(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// A flag written as `true` or, as some pages do, `"true"`.
    pub fn flag(&self, key: &str) -> bool {
        match self.fields.get(key) {
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => text.trim().eq_ignore_ascii_case("true"),
            _ => false,
        }
    }
}

/// The body of an HTML comment if the comment is an annotation candidate (its text is `{…}`).
pub(super) fn comment_json(html: &str) -> Option<&str> {
    let inner = html.trim().strip_prefix("<!--")?.trim_end();
    let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
    inner.starts_with('{').then_some(inner)
}

/// Reads an annotation comment, reporting invalid JSON as a warning at `source`.
pub(super) fn read(json: &str, source: &Source, cx: &Ctxt) -> Option<Annotation> {
    match parse_lenient(json) {
        Ok(Value::Object(fields)) => Some(Annotation {
            fields,
            line: source.line,
        }),
        Ok(_) => {
            cx.push(
                Diagnostic::warning(source, "annotation is not a JSON object; it is ignored")
                    .with_help("write `<!-- { \"blockType\": \"…\" } -->`"),
            );
            None
        }
        // The page-metadata comment at the end of pages is never read; a typo there is harmless.
        Err(message) if json.contains("#page.annotation") => {
            cx.warning(
                source,
                format!("page annotation is not valid JSON ({message}); it is ignored"),
            );
            None
        }
        // The block after it is still read, without the annotation's facts.
        Err(message) => {
            cx.push(
                Diagnostic::warning(
                    source,
                    format!("invalid annotation JSON: {message}; the annotation is ignored"),
                )
                .with_help("write a JSON object such as `<!-- { \"blockType\": \"request\", \"name\": \"…\" } -->`"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(json: &str) -> Annotation {
        let cx = Ctxt::new();
        let annotation = read(json, &Source::new("p.md", 3), &cx).unwrap();
        assert!(cx.check().unwrap().is_empty());
        annotation
    }

    #[test]
    fn only_brace_comments_are_candidates() {
        assert_eq!(
            comment_json("<!-- { \"blockType\": \"ignored\" } -->"),
            Some("{ \"blockType\": \"ignored\" }")
        );
        assert_eq!(
            comment_json("<!--\n{\n\"a\": 1\n}-->\n"),
            Some("{\n\"a\": 1\n}")
        );
        assert_eq!(comment_json("<!-- uuid: 8fcb5dbc -->"), None);
    }

    #[test]
    fn string_true_counts_as_true() {
        let annotation =
            read_ok(r#"{ "blockType": "response", "truncated": "true", "isCollection": false }"#);
        assert_eq!(annotation.block_type(), Some("response"));
        assert!(annotation.flag("truncated"));
        assert!(!annotation.flag("isCollection"));
        assert!(!annotation.flag("missing"));
    }

    /// An invalid annotation loses only its own facts: the block after it is still read, so it
    /// is a warning (the `unifiedrolemanagementpolicyrule-update.md` comment failed the beta tree).
    #[test]
    fn invalid_json_is_a_located_warning() {
        let cx = Ctxt::new();
        assert!(read("{ \"blockType\": ", &Source::new("p.md", 7), &cx).is_none());
        let all = cx.check().unwrap();
        assert_eq!(all[0].line, 7);
        assert_eq!(all[0].severity, crate::diagnostics::Severity::Warning);
        assert!(
            all[0].message.starts_with("invalid annotation JSON"),
            "{}",
            all[0].message
        );
    }
}
