//! A request as generated code describes it, before the client sends it.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use crate::path::RequestPath;
use crate::Error;

/// Method, path, extra headers and optional JSON body of one operation call.
#[derive(Debug)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: RequestPath,
    pub(crate) headers: HeaderMap,
    /// Serialized JSON; `None` sends no body at all.
    pub(crate) body: Option<Vec<u8>>,
    /// First invalid header, reported when sending so building stays infallible.
    pub(crate) rejected_header: Option<&'static str>,
}

impl Request {
    /// Starts a request without headers or body.
    pub fn new(method: Method, path: RequestPath) -> Self {
        Self {
            method,
            path,
            headers: HeaderMap::new(),
            body: None,
            rejected_header: None,
        }
    }

    /// Adds a header, e.g. `ConsistencyLevel: eventual`.
    ///
    /// An invalid name or value makes sending fail with [`Error::InvalidRequest`].
    #[must_use]
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => {
                self.rejected_header.get_or_insert(name);
            }
        }
        self
    }

    /// Sets the JSON body.
    pub fn json_body<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        self.body = Some(serde_json::to_vec(body).map_err(Error::Serialize)?);
        Ok(self)
    }
}
