//! A request as generated code describes it, before the client sends it.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use crate::path::RequestPath;
use crate::query::{self, QueryOptions};
use crate::Error;

/// Method, path, query, extra headers and optional JSON body of one operation call.
///
/// Building never fails: the first problem (an invalid header, a body that does not
/// serialize) is kept and reported when the request is sent.
#[derive(Debug)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: RequestPath,
    /// The template's own query (`?startDateTime={start}`), encoded.
    pub(crate) query: String,
    /// OData options set through the call's builder methods.
    pub(crate) options: QueryOptions,
    pub(crate) headers: HeaderMap,
    /// Serialized JSON; `None` sends no body at all.
    pub(crate) body: Option<Bytes>,
    /// Why the request cannot be sent, found while building it.
    pub(crate) rejected: Option<Error>,
}

impl Request {
    /// Starts a request without query, headers or body.
    pub fn new(method: Method, path: RequestPath) -> Self {
        Self {
            method,
            path,
            query: String::new(),
            options: QueryOptions::default(),
            headers: HeaderMap::new(),
            body: None,
            rejected: None,
        }
    }

    /// Adds a query pair of the template, e.g. `("startDateTime", start)`; both are
    /// percent-encoded so a value can never add a pair of its own.
    #[must_use]
    pub fn query(mut self, key: &str, value: &str) -> Self {
        query::push_pair(&mut self.query, key, value);
        self
    }

    /// Adds a header, e.g. `ConsistencyLevel: eventual`.
    ///
    /// An invalid name or value makes sending fail with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            // The value is not echoed: it may be a credential.
            _ => self.reject(Error::InvalidRequest(format!(
                "header `{name}` has an invalid name or value"
            ))),
        }
        self
    }

    /// Sets the JSON body.
    ///
    /// A body that cannot be serialized makes sending fail with
    /// [`Error::Serialize`](crate::Error::Serialize).
    #[must_use]
    pub fn json_body<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(json) => self.body = Some(json.into()),
            Err(error) => self.reject(Error::Serialize(error)),
        }
        self
    }

    fn reject(&mut self, error: Error) {
        self.rejected.get_or_insert(error);
    }
}
