//! What the mock answers: a page's example responses made decodable, or Graph-shaped errors.

use serde_json::{json, Value};

use crate::infer::Conformance;
use crate::ir::{ExampleResponse, Operation};

/// Response headers the server sets itself; copying the example's would contradict the body.
const HOP_HEADERS: &[&str] = &["content-length", "transfer-encoding", "connection"];

/// One HTTP response of the mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Header lines, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for no body).
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Adds the `request-id` Graph sends with every response, and echoes `client-request-id`.
    pub(crate) fn with_request_ids(mut self, request_id: &str, client: Option<&str>) -> Self {
        self.headers
            .push(("request-id".to_owned(), request_id.to_owned()));
        if let Some(client) = client {
            self.headers
                .push(("client-request-id".to_owned(), client.to_owned()));
        }
        self
    }
}

/// An example response as served: placeholders conformed to the declared types.
pub(crate) fn example(
    response: &ExampleResponse,
    operation: &Operation,
    conformance: &Conformance<'_>,
) -> Reply {
    let mut headers: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| !HOP_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    let body = match &response.body {
        Some(body) => {
            let mut body = body.clone();
            if let Some(type_name) = body_type(response, operation) {
                conformance.conform(&mut body, &type_name, operation.version);
            }
            if !headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            }
            serde_json::to_vec(&body).unwrap_or_default()
        }
        None => Vec::new(),
    };
    Reply {
        status: response.status,
        headers,
        body,
    }
}

/// The documented response of an operation whose page shows none, when it has no body
/// (`204 No Content`); `None` when a body is documented but no example shows one.
pub(crate) fn documented_empty(operation: &Operation) -> Option<Reply> {
    let response = operation.response.as_ref();
    let status = response.map_or(204, |response| response.status);
    let no_body = response.is_none_or(|response| response.type_name.is_none() || status == 204);
    no_body.then(|| Reply {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    })
}

/// The type to conform an example body to: its annotation's, else the documented response's.
fn body_type(response: &ExampleResponse, operation: &Operation) -> Option<String> {
    let (name, collection) = match (&response.odata_type, &operation.response) {
        (Some(name), _) => (name.clone(), response.collection),
        (None, Some(documented)) => (documented.type_name.clone()?, documented.collection),
        (None, None) => return None,
    };
    Some(if collection && !name.starts_with("Collection(") {
        format!("Collection({name})")
    } else {
        name
    })
}

/// A Graph error response: `{"error": {"code", "message", "innerError": {…}}}`.
pub(crate) fn graph_error(
    status: u16,
    code: &str,
    message: &str,
    request_id: &str,
    client_request_id: Option<&str>,
) -> Reply {
    let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut inner = json!({ "date": date, "request-id": request_id });
    if let Some(client) = client_request_id {
        inner["client-request-id"] = Value::from(client);
    }
    let body = json!({ "error": { "code": code, "message": message, "innerError": inner } });
    Reply {
        status,
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: serde_json::to_vec(&body).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_errors_carry_code_message_and_ids() {
        let reply = graph_error(404, "ResourceNotFound", "gone", "r-1", Some("c-1"));
        let body = reply.json().unwrap();
        assert_eq!(reply.status, 404);
        assert_eq!(body["error"]["code"], "ResourceNotFound");
        assert_eq!(body["error"]["message"], "gone");
        assert_eq!(body["error"]["innerError"]["request-id"], "r-1");
        assert_eq!(body["error"]["innerError"]["client-request-id"], "c-1");
        assert!(body["error"]["innerError"]["date"].is_string());
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
}
