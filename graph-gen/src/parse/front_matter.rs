//! The YAML front matter between `---` lines at the top of a page.

use yaml_rust2::{Yaml, YamlLoader};

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::Source;

/// Splits off the front matter: its `key: value` pairs and the byte offset where the body starts.
///
/// Values are unquoted and trimmed. Front matter that is not valid YAML is read line by line,
/// with a warning, so no key is lost.
pub(super) fn split(file: &str, text: &str, cx: &Ctxt) -> (Vec<(String, String)>, usize) {
    let Some((yaml, body_offset)) = find(text) else {
        return (Vec::new(), 0);
    };
    let pairs = match YamlLoader::load_from_str(yaml) {
        Ok(docs) => docs.first().map(yaml_pairs).unwrap_or_default(),
        Err(error) => {
            let line = u32::try_from(error.marker().line()).unwrap_or(0) + 2;
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

fn yaml_pairs(doc: &Yaml) -> Vec<(String, String)> {
    let Yaml::Hash(hash) = doc else {
        return Vec::new();
    };
    hash.iter()
        .filter_map(|(key, value)| Some((scalar(key)?, scalar(value).unwrap_or_default())))
        .collect()
}

fn scalar(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::String(text) | Yaml::Real(text) => Some(text.trim().to_owned()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
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
        assert!(diagnostics[0]
            .message
            .starts_with("front matter is not valid YAML"));
    }

    #[test]
    fn no_front_matter_means_body_starts_at_zero() {
        assert_eq!(pairs("# title\n").1, 0);
        assert_eq!(pairs("---\nunterminated: yes\n").1, 0);
    }
}
