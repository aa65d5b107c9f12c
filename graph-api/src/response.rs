//! Turning raw responses into values or errors.

use reqwest::header::{HeaderMap, DATE};
use reqwest::StatusCode;
use serde::Deserialize;

use crate::{ApiError, Error};

/// Graph's error body: `{"error": {"code", "message", "innerError": {..}}}`.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default, rename = "innerError", alias = "innererror")]
    inner_error: InnerError,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InnerError {
    #[serde(rename = "request-id")]
    request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    client_request_id: Option<String>,
    date: Option<String>,
}

/// A response header as text, if present and valid.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    Some(headers.get(name)?.to_str().ok()?.to_owned())
}

/// Builds the [`Error::Api`] for a non-2xx response.
pub(crate) fn api_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    sent_client_request_id: &str,
) -> Error {
    let (code, message, inner) = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => (error.code, error.message, error.inner_error),
        Err(_) => (
            ApiError::UNKNOWN_CODE.to_owned(),
            status
                .canonical_reason()
                .unwrap_or("unexpected status")
                .to_owned(),
            InnerError::default(),
        ),
    };
    Error::Api(Box::new(ApiError {
        status: status.as_u16(),
        code,
        message,
        request_id: inner.request_id.or_else(|| header(headers, "request-id")),
        client_request_id: inner
            .client_request_id
            .or_else(|| header(headers, "client-request-id"))
            .or_else(|| Some(sent_client_request_id.to_owned())),
        date: inner.date.or_else(|| header(headers, DATE.as_str())),
        body: String::from_utf8_lossy(body).into_owned(),
    }))
}

/// Builds the [`Error::Decode`] for a 2xx body that does not fit its type.
pub(crate) fn decode_error(path: String, source: serde_json::Error, headers: &HeaderMap) -> Error {
    Error::Decode {
        path,
        source,
        request_id: header(headers, "request-id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, headers: &HeaderMap, body: &str) -> ApiError {
        let status = StatusCode::from_u16(status).unwrap();
        match api_error(status, headers, body.as_bytes(), "sent") {
            Error::Api(api) => *api,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn graph_error_body_is_parsed() {
        let body = r#"{"error":{"code":"Request_ResourceNotFound","message":"gone",
            "innerError":{"request-id":"rid","client-request-id":"cid","date":"2024-01-01T00:00:00"}}}"#;
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "header-rid".parse().unwrap());
        let api = api(404, &headers, body);
        assert_eq!(api.code, "Request_ResourceNotFound");
        assert_eq!(api.message, "gone");
        assert_eq!(api.request_id.as_deref(), Some("rid"));
        assert_eq!(api.client_request_id.as_deref(), Some("cid"));
        assert_eq!(api.date.as_deref(), Some("2024-01-01T00:00:00"));
    }

    #[test]
    fn headers_fill_what_the_body_lacks() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "header-rid".parse().unwrap());
        let api = api(403, &headers, r#"{"error":{"code":"Forbidden"}}"#);
        assert_eq!(api.code, "Forbidden");
        assert_eq!(api.request_id.as_deref(), Some("header-rid"));
        assert_eq!(api.client_request_id.as_deref(), Some("sent"));
    }

    #[test]
    fn other_bodies_fall_back_to_unknown() {
        let api = api(502, &HeaderMap::new(), "<html>bad gateway</html>");
        assert_eq!(api.code, ApiError::UNKNOWN_CODE);
        assert_eq!(api.message, "Bad Gateway");
        assert_eq!(api.body, "<html>bad gateway</html>");
        assert_eq!(api.request_id, None);
    }
}
