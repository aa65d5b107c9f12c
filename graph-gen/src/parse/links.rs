//! Links in a block's markdown source: inline (`[text](target)`) and reference-style
//! (`[text][label]`, `[label][]`, `[label]`), resolved against the page's definitions.

use super::LinkDefinition;

/// A link found in markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    /// The link text as written (markup kept).
    pub text: &'a str,
    /// The destination, without a `"title"`.
    pub target: String,
    /// Byte offset of the `[` in the markdown.
    pub at: usize,
    /// Byte offset just past the link.
    pub end: usize,
}

/// The links of `markdown` in order; reference-style links without a definition are skipped.
pub fn links<'a>(markdown: &'a str, definitions: &[LinkDefinition]) -> Vec<Link<'a>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = markdown[from..].find('[').map(|at| from + at) {
        // `![image](…)` is not a link to a page.
        let is_image = open > 0 && markdown.as_bytes()[open - 1] == b'!';
        let Some(close) = closing_bracket(&markdown[open..]).map(|at| open + at) else {
            break;
        };
        let text = &markdown[open + 1..close];
        let after = &markdown[close + 1..];
        let (target, end) = if let Some(rest) = after.strip_prefix('(') {
            match rest.find(')') {
                Some(at) => (Some(destination(&rest[..at])), close + 2 + at + 1),
                None => (None, close + 1),
            }
        } else if let Some(rest) = after.strip_prefix('[') {
            match rest.find(']') {
                Some(at) => {
                    let label = if rest[..at].trim().is_empty() {
                        text
                    } else {
                        &rest[..at]
                    };
                    (definition(label, definitions), close + 2 + at + 1)
                }
                None => (None, close + 1),
            }
        } else {
            (definition(text, definitions), close + 1)
        };
        match target {
            Some(target) if !is_image && !text.trim().is_empty() => {
                found.push(Link {
                    text,
                    target,
                    at: open,
                    end,
                });
                from = end;
            }
            // Not a link (or a nested one): look inside the brackets too.
            _ => from = open + 1,
        }
    }
    found
}

/// The offset of the `]` closing the `[` at the start of `text`, brackets nested.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'[' => depth += 1,
            b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// `../resources/user.md "Title"` → `../resources/user.md`; `<a b.md>` → `a b.md`.
fn destination(inside: &str) -> String {
    let inside = inside.trim();
    if let Some(rest) = inside.strip_prefix('<') {
        return rest.split('>').next().unwrap_or_default().to_owned();
    }
    inside
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The target defined for `label`, matched as markdown does: case and inner spacing ignored.
fn definition(label: &str, definitions: &[LinkDefinition]) -> Option<String> {
    let wanted = normalize_label(label);
    definitions
        .iter()
        .find(|definition| normalize_label(&definition.label) == wanted)
        .map(|definition| definition.target.clone())
}

fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(label: &str, target: &str) -> LinkDefinition {
        LinkDefinition {
            label: label.to_owned(),
            target: target.to_owned(),
        }
    }

    fn targets(markdown: &str, definitions: &[LinkDefinition]) -> Vec<(String, String)> {
        links(markdown, definitions)
            .into_iter()
            .map(|link| (link.text.to_owned(), link.target))
            .collect()
    }

    /// `[Drive resource][drive-resource]` named the response type of `drive-get.md`, and was
    /// not seen because only inline links were read.
    #[test]
    fn reference_links_resolve_through_the_page_definitions() {
        let definitions = [defined("drive-resource", "../resources/drive.md")];
        assert_eq!(
            targets(
                "returns a [Drive resource][drive-resource] and [x][] and [Drive-Resource]",
                &definitions
            ),
            [
                ("Drive resource".into(), "../resources/drive.md".into()),
                ("Drive-Resource".into(), "../resources/drive.md".into()),
            ]
        );
    }

    #[test]
    fn inline_links_images_and_nesting() {
        assert_eq!(
            targets(
                "a [user](../resources/user.md \"User\") and ![pic](a.png) and [[b](b.md)]",
                &[]
            ),
            [
                ("user".into(), "../resources/user.md".into()),
                ("b".into(), "b.md".into()),
            ]
        );
        assert!(targets("no [link here", &[]).is_empty());
        assert!(targets("[]()", &[]).is_empty());
    }
}
