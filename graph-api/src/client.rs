//! The client handle and the one non-generic function that sends requests.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use reqwest::{Method, Url};

use crate::builder::{GraphClientBuilder, Redacted};
use crate::request::Request;
use crate::response::api_error;
use crate::Error;

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// An async Microsoft Graph client; cheap to clone, so share it freely.
#[derive(Clone)]
pub struct GraphClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Normalised service root without a trailing slash.
    pub(crate) base_url: String,
    /// Sensitive `Bearer …` value, if a token was configured.
    pub(crate) authorization: Option<HeaderValue>,
}

impl GraphClient {
    /// Starts configuring a client.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder::default()
    }

    /// The service root requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`; returns headers and body of a 2xx response, else [`Error::Api`].
    pub(crate) async fn execute(&self, request: Request) -> Result<(HeaderMap, Bytes), Error> {
        let url = self.url(&request)?;
        let client_request_id = uuid::Uuid::new_v4().to_string();

        let mut headers = request.headers;
        headers.insert(
            CLIENT_REQUEST_ID,
            HeaderValue::from_str(&client_request_id).expect("a uuid is a valid header value"),
        );
        if let Some(authorization) = &self.inner.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        let mut builder = self.inner.http.request(request.method.clone(), url);
        match request.body {
            Some(body) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                builder = builder.body(body);
            }
            // Graph answers 411 Length Required to a bodiless POST without it.
            None if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            }
            None => {}
        }

        let response = builder.headers(headers).send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        if status.is_success() {
            Ok((headers, body))
        } else {
            Err(api_error(status, &headers, &body, &client_request_id))
        }
    }

    /// The absolute URL of `request`, refusing anything the URL parser would alter.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        if let Some(name) = request.rejected_header {
            return Err(Error::InvalidRequest(format!(
                "header `{name}` has an invalid name or value"
            )));
        }
        if let Some(reason) = request.path.rejected() {
            return Err(Error::InvalidRequest(reason.into()));
        }
        let text = format!("{}{}", self.inner.base_url, request.path.as_str());
        let url =
            Url::parse(&text).map_err(|e| Error::InvalidRequest(format!("url `{text}`: {e}")))?;
        // Parsing may resolve dot-segments or re-encode; the path must reach Graph as built.
        if url.as_str() != text {
            return Err(Error::InvalidRequest(format!(
                "url `{text}` would be sent as `{url}`"
            )));
        }
        Ok(url)
    }
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.inner.base_url)
            .field(
                "bearer_token",
                &self.inner.authorization.as_ref().map(|_| Redacted),
            )
            .finish_non_exhaustive()
    }
}
