//! The `Response` section of an API page → [`Response`]: status, body type and whether it is
//! a collection, checked against the page's examples and templates.

use crate::diagnostics::Ctxt;
use crate::ir::{Example, HttpTemplate, Response};
use crate::parse::Page;

use super::operation::resource_link;
use super::sections;

/// The success status and body type the section's sentence names (`returns a 200 OK response
/// code and a [user](../resources/user.md) object`); `None`, with a warning, without a status.
pub(super) fn response(page: &Page, namespace: &str, cx: &Ctxt) -> Option<Response> {
    let section = page
        .sections(sections::RESPONSE)
        .min_by_key(|section| section.heading.level)?;
    let paragraph = section
        .paragraphs()
        .find(|p| status_code(&p.text).is_some());
    let Some(paragraph) = paragraph else {
        cx.warning(
            &page.source(section.heading.line),
            "`Response` section names no status code; the response is unknown",
        );
        return None;
    };
    let status = status_code(&paragraph.text)?;
    let link = resource_link(&paragraph.text, namespace);
    let lower = paragraph.text.to_ascii_lowercase();
    let has_body = status != 204 && !lower.contains("does not return anything");
    Some(Response {
        status,
        type_name: link
            .as_ref()
            .filter(|_| has_body)
            .map(|(name, _)| name.clone()),
        collection: has_body && lower.contains("collection"),
        source: page.source(paragraph.line),
    })
}

/// Pages sometimes say "a collection" of a get by id, or "an object" of a list. When every
/// JSON example body disagrees with the sentence, the path decides: templates ending in a
/// `{placeholder}` address one entity; otherwise the examples show what the service sends.
pub(super) fn reconcile_collection(
    response: &mut Response,
    http: &[HttpTemplate],
    examples: &[Example],
    cx: &Ctxt,
) {
    if response.type_name.is_none() {
        return;
    }
    let shapes: Vec<bool> = examples
        .iter()
        .filter_map(|example| example.response.as_ref()?.body.as_ref()?.as_object())
        .map(|body| body.get("value").is_some_and(serde_json::Value::is_array))
        .collect();
    let Some(&shown) = shapes.first() else {
        return;
    };
    if shapes.iter().any(|&shape| shape != shown) || shown == response.collection {
        return;
    }
    let addresses_one = http.iter().all(|template| {
        template.path.rsplit('/').next().is_some_and(|last| {
            last.starts_with('{') && last.ends_with('}') && last.matches('{').count() == 1
        })
    });
    let collection = shown && !addresses_one;
    if collection == response.collection {
        return;
    }
    let said = if response.collection {
        "a collection"
    } else {
        "one object"
    };
    let read = if collection {
        "a collection"
    } else {
        "one object"
    };
    cx.warning(
        &response.source,
        format!(
            "`Response` section says {said} but every example returns {read}; it is read as {read}"
        ),
    );
    response.collection = collection;
}

/// The first `nnn Reason` status in a sentence (`200 OK`, `` `204 No Content` ``).
fn status_code(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|at| {
        let digits = &bytes[at..at + 3];
        let bounded = (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && bytes.get(at + 3).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !bounded || !digits.iter().all(u8::is_ascii_digit) || !matches!(digits[0], b'1'..=b'5') {
            return None;
        }
        let rest = text[at + 3..].trim_start_matches(['`', ' ']);
        rest.starts_with(|c: char| c.is_ascii_uppercase())
            .then(|| std::str::from_utf8(digits).ok()?.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_in_sentences() {
        assert_eq!(status_code("returns `200 OK` response code"), Some(200));
        assert_eq!(status_code("returns a 204 No Content response"), Some(204));
        assert_eq!(status_code("returns 12345 things"), None);
        assert_eq!(status_code("version 2000 OK"), None);
    }

    /// A page whose response sentence says `shape` and whose example answers `body`.
    fn page(path: &str, shape: &str, body: &str) -> String {
        format!(
            "---\ndoc_type: apiPageType\n---\n# chat: get\n\n## HTTP request\n```http\nGET {path}\n```\n\n\
             ## Response\nIf successful, this method returns a `200 OK` response code and {shape} in the response body.\n\n\
             ## Example\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{body}\n```\n"
        )
    }

    fn read(path: &str, shape: &str, body: &str) -> (bool, usize) {
        let ir = crate::lower::load_text("v1.0/api/chat-get.md", &page(path, shape, body));
        let response = ir.operations[0].response.clone().unwrap();
        let warnings = ir
            .diagnostics
            .iter()
            .filter(|d| d.message.starts_with("`Response` section says"))
            .count();
        (response.collection, warnings)
    }

    #[test]
    fn examples_and_paths_settle_what_the_response_sentence_gets_wrong() {
        let collection = "a collection of [chat](../resources/chat.md) objects";
        let one = "a [chat](../resources/chat.md) object";
        let single = r#"{ "id": "1", "topic": "x" }"#;
        let list = r#"{ "value": [{ "id": "1" }] }"#;
        // A get by id answers one object, whatever the sentence says.
        assert_eq!(read("/chats/{chat-id}", collection, single), (false, 1));
        assert_eq!(read("/chats/{chat-id}", one, list), (false, 0));
        // A list answers what its examples show.
        assert_eq!(read("/chats", one, list), (true, 1));
        assert_eq!(read("/me/manager", collection, single), (false, 1));
        // Agreement changes nothing.
        assert_eq!(read("/chats", collection, list), (true, 0));
        assert_eq!(read("/chats/{chat-id}", one, single), (false, 0));
    }
}
