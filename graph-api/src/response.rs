//! Turning raw responses into typed responses, decoded bodies or errors.

use std::marker::PhantomData;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, DATE};
use reqwest::StatusCode;
use serde::de::{DeserializeOwned, DeserializeSeed};
use serde::Deserialize;

use crate::budget::{Budget, Budgeted};
use crate::redact::redact;
use crate::retry::retry_after;
use crate::send::CLIENT_REQUEST_ID;
use crate::{ApiError, Error};

/// A 2xx response: status, headers and the typed body.
///
/// [`Call::with_response`](crate::Call::with_response) and the pages of a
/// [`ListCall`](crate::ListCall) return it, for callers who need a header (`Location` of a
/// `202 Accepted`, `ETag`) or the ids for a support case.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// HTTP status code.
    pub status: StatusCode,
    /// All response headers.
    pub headers: HeaderMap,
    /// Graph's `request-id` header.
    pub request_id: Option<String>,
    /// The `client-request-id` this client sent.
    pub client_request_id: String,
    /// The `Date` header, as Graph formats it.
    pub date: Option<String>,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            client_request_id: self.client_request_id,
            date: self.date,
            body: f(self.body),
        }
    }
}

/// A 2xx response as received, before its body is decoded.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) client_request_id: String,
    /// The `Authorization` value of the attempt, whose token decode errors are redacted of; a
    /// sensitive value, which `Debug` does not print.
    pub(crate) authorization: Option<HeaderValue>,
    /// How many times its size the decoded body may take in memory ([`Budget`]).
    pub(crate) decode_ratio: u32,
}

impl RawResponse {
    /// The typed response around an already decoded `body`.
    pub(crate) fn with_body<T>(self, body: T) -> Response<T> {
        Response {
            request_id: header(&self.headers, &REQUEST_ID),
            date: header(&self.headers, &DATE),
            status: self.status,
            headers: self.headers,
            client_request_id: self.client_request_id,
            body,
        }
    }
}

/// Decodes a JSON body as `T`; an empty body reads as `null`, so `()`, `Option` and
/// `serde_json::Value` accept it. Errors name the JSON path of the failing value.
pub(crate) fn decode_json<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    // Decoding without tracking the path is the common case and the fast one; a body that
    // fails is decoded again with the path tracked, which gives the same error at a named field.
    match decode_fast(raw, PhantomData::<T>) {
        Ok(value) => Ok(value),
        Err(_) => decode_tracked(raw, PhantomData::<T>),
    }
}

/// The JSON text of `raw`: `null` for an empty body.
fn json_text(raw: &RawResponse) -> &[u8] {
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    }
}

/// Decodes `raw` with `seed`, within the body's memory budget ([`Budget`]), without tracking
/// the path.
pub(crate) fn decode_fast<'a, S: DeserializeSeed<'a>>(
    raw: &'a RawResponse,
    seed: S,
) -> Result<S::Value, serde_json::Error> {
    let budget = Budget::new(raw.body.len(), raw.decode_ratio);
    let mut deserializer = serde_json::Deserializer::from_slice(json_text(raw));
    let value = seed.deserialize(Budgeted::new(&mut deserializer, &budget))?;
    deserializer.end()?;
    Ok(value)
}

/// [`decode_fast`] with the path tracked, for the [`Error::Decode`] of a body that failed.
pub(crate) fn decode_tracked<'a, S: DeserializeSeed<'a>>(
    raw: &'a RawResponse,
    seed: S,
) -> Result<S::Value, Error> {
    let budget = Budget::new(raw.body.len(), raw.decode_ratio);
    let mut deserializer = serde_json::Deserializer::from_slice(json_text(raw));
    let mut track = serde_path_to_error::Track::new();
    // The path tracker outside the budget, so that a value over budget is named by its path.
    let budgeted = Budgeted::new(&mut deserializer, &budget);
    let value = seed
        .deserialize(serde_path_to_error::Deserializer::new(budgeted, &mut track))
        .map_err(|e| decode_error(track.path().to_string(), e, raw))?;
    // Trailing data after the value belongs to no field: report the root.
    deserializer
        .end()
        .map_err(|e| decode_error(".".into(), e, raw))?;
    Ok(value)
}

/// Ignores the body.
#[allow(
    clippy::unnecessary_wraps,
    reason = "a decode function, called through `Decode`"
)]
pub(crate) fn decode_nothing(_: &RawResponse) -> Result<(), Error> {
    Ok(())
}

/// Keeps the body as bytes.
#[allow(
    clippy::unnecessary_wraps,
    reason = "a decode function, called through `Decode`"
)]
pub(crate) fn decode_bytes(raw: &RawResponse) -> Result<Bytes, Error> {
    Ok(raw.body.clone())
}

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

/// Graph's id of the request, for support cases.
const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

/// A response header as text, if present and valid.
pub(crate) fn header(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
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
        request_id: inner.request_id.or_else(|| header(headers, &REQUEST_ID)),
        client_request_id: inner
            .client_request_id
            .or_else(|| header(headers, &CLIENT_REQUEST_ID))
            .or_else(|| Some(sent_client_request_id.to_owned())),
        date: inner.date.or_else(|| header(headers, &DATE)),
        body: String::from_utf8_lossy(body).into_owned(),
        retry_after: retry_after(headers, SystemTime::now()),
        headers: headers.clone(),
    }))
}

/// Builds the [`Error::Decode`] for a 2xx body that does not fit its type, without the token
/// the request sent (a value that fails may be an echo of it).
pub(crate) fn decode_error(path: String, source: serde_json::Error, raw: &RawResponse) -> Error {
    let error = Error::Decode {
        path,
        source,
        request_id: header(&raw.headers, &REQUEST_ID),
    };
    redact(error, raw.authorization.as_ref())
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
    fn retry_after_is_kept() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        let api = api(429, &headers, "");
        assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(3)));
        assert_eq!(api.headers["retry-after"], "3");
    }

    fn raw(body: &'static str) -> RawResponse {
        RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
            client_request_id: "cid".into(),
            authorization: None,
            decode_ratio: 4,
        }
    }

    #[test]
    fn empty_bodies_decode_as_null() {
        decode_json::<()>(&raw("")).unwrap();
        assert_eq!(
            decode_json::<serde_json::Value>(&raw(" \n")).unwrap(),
            serde_json::Value::Null
        );
        let error = decode_json::<std::collections::BTreeMap<String, u8>>(&raw("")).unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }

    #[test]
    fn trailing_data_is_an_error_at_the_root() {
        let error = decode_json::<u8>(&raw("1 2")).unwrap_err();
        let Error::Decode { path, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!(path, ".");
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
