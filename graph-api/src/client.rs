//! The client handle, its settings, and turning a [`Request`] into what is sent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use crate::auth::Auth;
use crate::builder::{GraphClientBuilder, Redacted};
use crate::query::push_pair;
use crate::request::Request;
use crate::send::Outgoing;
use crate::{Error, PageLimits, RetryPolicy};

const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// An async Microsoft Graph client; cheap to clone, so share it freely.
#[derive(Clone)]
pub struct GraphClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Normalised service root without a trailing slash.
    pub(crate) base_url: String,
    /// The same, parsed: its origin is the one credentials and `@odata.nextLink`s stay on.
    pub(crate) base: Url,
    pub(crate) auth: Auth,
    pub(crate) settings: Settings,
}

/// What the builder configures beyond the connection itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) decode_ratio: u32,
    pub(crate) max_redirects: usize,
    pub(crate) page_limits: PageLimits,
    /// Whether plain `http://` is allowed: the base URL's check, repeated for upload URLs.
    pub(crate) allow_http: bool,
}

/// Per-call replacements for the client's settings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Overrides {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
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

    /// What to send for `request`, refusing anything the URL parser would alter.
    pub(crate) fn prepare(
        &self,
        request: Request,
        overrides: Overrides,
    ) -> Result<Outgoing, Error> {
        if let Some(error) = request.rejected {
            return Err(error);
        }
        if let Some(reason) = request.path.rejected() {
            return Err(Error::InvalidRequest(reason.into()));
        }
        let mut query = request.query;
        for (key, value) in request.options.pairs() {
            push_pair(&mut query, key, &value);
        }
        let (base, path) = (&self.inner.base_url, request.path.as_str());
        let mut text = String::with_capacity(base.len() + path.len() + 1 + query.len());
        text.push_str(base);
        text.push_str(path);
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query);
        }
        let url =
            Url::parse(&text).map_err(|e| Error::InvalidRequest(format!("url `{text}`: {e}")))?;
        // Parsing may resolve dot-segments or re-encode; the path must reach Graph as built.
        if url.as_str() != text {
            return Err(Error::InvalidRequest(format!(
                "url `{text}` would be sent as `{url}`"
            )));
        }
        let mut headers = request.headers;
        if request.options.needs_eventual_consistency() {
            headers
                .entry(CONSISTENCY_LEVEL)
                .or_insert(HeaderValue::from_static("eventual"));
        }
        let settings = &self.inner.settings;
        Ok(Outgoing {
            method: request.method,
            url,
            template: request.path.into_template(),
            headers,
            body: request.body,
            timeout: overrides.timeout.unwrap_or(settings.timeout),
            retry: overrides.retry.unwrap_or(settings.retry),
        })
    }
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.inner.auth {
            Auth::None => None,
            Auth::Static(_) | Auth::Provider { .. } => Some(Redacted),
        };
        f.debug_struct("GraphClient")
            .field("base_url", &self.inner.base_url)
            .field("token", &auth)
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}
