//! Example request and response fences → [`Example`]s, and their JSON bodies as samples.

use crate::diagnostics::Ctxt;
use crate::ir::{Example, ExampleRequest, ExampleResponse};
use crate::parse::{parse_lenient, Block, Fence, Page};

use super::sections;

/// The text a JSON example body was read from and the page line it starts on: where inference
/// locates the keys it reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyText {
    pub(crate) raw: String,
    pub(crate) first_line: u32,
}

/// Examples of `page`: annotated `request`/`response` fences, and unannotated fences whose
/// first line is `METHOD url` or `HTTP/1.1 nnn` (Intune pages carry no annotations).
/// Each response pairs with the request before it. Beside them, example by example, the text of
/// each response's JSON body.
pub(super) fn examples(page: &Page, cx: &Ctxt) -> (Vec<Example>, Vec<Option<BodyText>>) {
    let templates: Vec<&Fence> = page
        .sections(sections::HTTP_REQUEST)
        .flat_map(|section| section.fences())
        .collect();
    let mut examples: Vec<Example> = Vec::new();
    let mut bodies: Vec<Option<BodyText>> = Vec::new();
    for block in &page.blocks {
        let Block::Fence(fence) = block else { continue };
        if templates
            .iter()
            .any(|template| std::ptr::eq(*template, fence))
        {
            continue;
        }
        match kind(fence) {
            Some(Kind::Request) => {
                if let Some(request) = request(page, fence, cx) {
                    bodies.push(None);
                    examples.push(Example {
                        name: fence
                            .annotation
                            .as_ref()
                            .and_then(|a| a.string("name"))
                            .map(str::to_owned),
                        request: Some(request),
                        response: None,
                    });
                }
            }
            Some(Kind::Response) => {
                let Some((response, body)) = response(page, fence, cx) else {
                    continue;
                };
                match examples.last_mut() {
                    Some(example) if example.response.is_none() => {
                        example.response = Some(response);
                        if let Some(last) = bodies.last_mut() {
                            *last = body;
                        }
                    }
                    _ => {
                        examples.push(Example {
                            name: None,
                            request: None,
                            response: Some(response),
                        });
                        bodies.push(body);
                    }
                }
            }
            None => {}
        }
    }
    (examples, bodies)
}

enum Kind {
    Request,
    Response,
}

fn kind(fence: &Fence) -> Option<Kind> {
    let first = fence
        .body
        .lines()
        .find(|line| !line.trim().is_empty())?
        .trim();
    match fence.annotation.as_ref().and_then(|a| a.block_type()) {
        Some("request") => return Some(Kind::Request),
        Some("response") => return Some(Kind::Response),
        // Examples the docs' own checker skips (`GET …/applications/$count`) are still
        // examples when they call Graph by absolute URL.
        Some("ignored") if first.contains(" https://graph.") => {}
        Some(_) => return None,
        None => {}
    }
    if first.starts_with("HTTP/") {
        return Some(Kind::Response);
    }
    let (method, url) = first.split_once(char::is_whitespace)?;
    let url = url.trim();
    (crate::ir::Method::parse(method).is_some()
        && (url.starts_with('/') || url.starts_with("http")))
    .then_some(Kind::Request)
}

/// Splits a fence body into its first line, header lines and body, with the body's line offset.
/// The parts of an HTTP message written in a fence.
type Message<'a> = (&'a str, Vec<(String, String)>, Option<(&'a str, u32)>);

fn split_message(body: &str) -> Message<'_> {
    let mut lines = body.split_inclusive('\n');
    let mut offset = 0usize;
    let mut line_index = 0u32;
    let mut first = "";
    for line in lines.by_ref() {
        offset += line.len();
        line_index += 1;
        if !line.trim().is_empty() {
            first = line.trim();
            break;
        }
    }
    let mut headers = Vec::new();
    for line in lines.by_ref() {
        let trimmed = line.trim();
        match trimmed.split_once(':') {
            Some((name, value))
                if !trimmed.is_empty()
                    && !trimmed.starts_with(['{', '[', '"'])
                    && !name.contains(' ') =>
            {
                offset += line.len();
                line_index += 1;
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
            _ => break,
        }
    }
    let rest = &body[offset.min(body.len())..];
    let leading_blank = rest
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty());
    let (skip_bytes, skip_lines) = leading_blank.fold((0, 0u32), |(bytes, lines), line| {
        (bytes + line.len(), lines + 1)
    });
    let content = &rest[skip_bytes..];
    let content = (!content.trim().is_empty()).then_some((content, line_index + skip_lines));
    (first, headers, content)
}

fn request(page: &Page, fence: &Fence, cx: &Ctxt) -> Option<ExampleRequest> {
    let source = page.source(fence.line);
    let (first, headers, body) = split_message(&fence.body);
    let Some((method, url)) = first.split_once(char::is_whitespace) else {
        cx.warning(
            &source,
            format!("example request `{first}` has no `METHOD url` line; it is skipped"),
        );
        return None;
    };
    Some(ExampleRequest {
        method: method.to_ascii_uppercase(),
        url: url.trim().to_owned(),
        headers,
        body: body.map(|(text, _)| text.trim_end().to_owned()),
        source,
    })
}

fn response(page: &Page, fence: &Fence, cx: &Ctxt) -> Option<(ExampleResponse, Option<BodyText>)> {
    let source = page.source(fence.line);
    let annotation = fence.annotation.as_ref();
    let (first, headers, body) = split_message(&fence.body);
    let (status, body) = if first.starts_with("HTTP/") {
        let status = first
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok());
        let Some(status) = status else {
            cx.warning(
                &source,
                format!(
                    "example response line `{first}` has no status code; the example is skipped"
                ),
            );
            return None;
        };
        (status, body)
    } else {
        // A bare JSON body with no status line.
        (200, Some((fence.body.as_str(), 0)))
    };
    let odata_type = annotation.and_then(|a| a.string("@odata.type").or_else(|| a.string("@type")));
    let (odata_type, collection_type) = match odata_type.map(crate::ir::TypeRef::parse) {
        Some(type_ref) => (Some(type_ref.name.to_owned()), type_ref.collection),
        None => (None, false),
    };
    // `Content-type: text/plain` bodies (`893` for `$count`) are not JSON samples.
    let declared_json = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .is_none_or(|(_, value)| value.to_ascii_lowercase().contains("json"));
    let json = body.filter(|_| declared_json).and_then(|(text, offset)| {
        let looks_json = text.trim_start().starts_with(['{', '[']);
        match parse_lenient(text) {
            Ok(value) => Some((
                value,
                BodyText {
                    raw: text.to_owned(),
                    first_line: fence.body_line + offset,
                },
            )),
            Err(message) if looks_json => {
                cx.warning(&source, format!("example response body is not valid JSON ({message}); it is not used as a sample"));
                None
            }
            Err(_) => None,
        }
    });
    let (json, text) = json.unzip();
    let response = ExampleResponse {
        status,
        headers,
        body: json,
        odata_type,
        collection: collection_type || annotation.is_some_and(|a| a.flag("isCollection")),
        truncated: annotation.is_some_and(|a| a.flag("truncated")),
        source,
    };
    Some((response, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_parts() {
        let (first, headers, body) =
            split_message("HTTP/1.1 200 OK\nContent-type: application/json\n\n{\n  \"a\": 1\n}\n");
        assert_eq!(first, "HTTP/1.1 200 OK");
        assert_eq!(
            headers,
            [("Content-type".to_owned(), "application/json".to_owned())]
        );
        let (text, offset) = body.unwrap();
        assert!(text.starts_with('{'));
        assert_eq!(offset, 3, "body starts on the fourth line of the fence");
    }

    #[test]
    fn message_without_body() {
        let (first, headers, body) =
            split_message("POST https://graph.microsoft.com/beta/users/1/x\n\n");
        assert_eq!(first, "POST https://graph.microsoft.com/beta/users/1/x");
        assert!(headers.is_empty());
        assert!(body.is_none());
    }
}
