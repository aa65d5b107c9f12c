//! Configuration of a [`GraphClient`] and its validation.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::auth::{bearer, Auth, BoxError, TokenCallback};
use crate::client::{ClientInner, GraphClient, Settings};
use crate::redirect::DEFAULT_MAX_REDIRECTS;
use crate::{AccessToken, Error, NationalCloud, PageLimits, RetryPolicy, TokenProvider};

/// Default timeout of one attempt, matching the Graph SDKs.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// Default cap on a response body: far above any JSON page, low enough to bound memory.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Default bound on the memory of a decoded JSON body, as a multiple of its size (64 MiB are
/// always allowed). The estimate counts each element's slot, each map entry's key and value and
/// each string, so it runs above what typed models really take (their fields count as entries
/// too): a page of full users is estimated at 2.7–3.4 times its size, strings at 1. Only bodies
/// of many tiny values go far beyond (`[0,0,…]` 16 times, `[{},{},…]` into models 40 times
/// and more), and those small enough to be real pages stay within the 64 MiB. At 4, a body at
/// the 64 MiB cap may take 256 MiB decoded instead of gigabytes.
const DEFAULT_DECODE_RATIO: u32 = 4;
const DEFAULT_USER_AGENT: &str = concat!("graph-api/", env!("CARGO_PKG_VERSION"));

/// Where the client's tokens come from.
#[derive(Clone)]
enum TokenSource {
    None,
    Static(AccessToken),
    Provider(Arc<dyn TokenProvider>),
}

/// Builds a [`GraphClient`]; start with [`GraphClient::builder`].
#[derive(Clone)]
pub struct GraphClientBuilder {
    base_url: Option<String>,
    national_cloud: NationalCloud,
    allow_http: bool,
    token: TokenSource,
    settings: Settings,
    user_agent: String,
}

impl Default for GraphClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            national_cloud: NationalCloud::Global,
            allow_http: false,
            token: TokenSource::None,
            settings: Settings {
                timeout: DEFAULT_TIMEOUT,
                retry: RetryPolicy::default(),
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                decode_ratio: DEFAULT_DECODE_RATIO,
                max_redirects: DEFAULT_MAX_REDIRECTS,
                page_limits: PageLimits::default(),
                allow_http: false,
            },
            user_agent: DEFAULT_USER_AGENT.to_owned(),
        }
    }
}

impl GraphClientBuilder {
    /// Sets the service root holding `/v1.0` and `/beta`, e.g. a proxy or a
    /// test server. It may have a path prefix and a trailing slash, and wins
    /// over [`national_cloud`](Self::national_cloud).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Selects the national cloud; [`NationalCloud::Global`] by default.
    #[must_use]
    pub fn national_cloud(mut self, cloud: NationalCloud) -> Self {
        self.national_cloud = cloud;
        self
    }

    /// Permits plain `http://` URLs (base URL and redirects), e.g. for a local test server.
    ///
    /// Off by default, so a token is never sent unencrypted by accident.
    #[must_use]
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self.settings.allow_http = allow;
        self
    }

    /// Sends this access token as `Authorization: Bearer …`: sugar for
    /// [`token_provider`](Self::token_provider) with a [`StaticToken`](crate::StaticToken),
    /// checked when the client is built.
    ///
    /// Without a token or provider, requests carry no `Authorization` header.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.token = TokenSource::Static(token.into());
        self
    }

    /// Asks `provider` for the token before every attempt.
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = TokenSource::Provider(Arc::new(provider));
        self
    }

    /// Calls `callback` for the token before every attempt, e.g. to ask an identity library
    /// that caches and refreshes tokens. Its errors become [`Error::Token`].
    ///
    /// ```no_run
    /// # fn main() -> Result<(), graph_api::Error> {
    /// let client = graph_api::GraphClient::builder()
    ///     .token_callback(|| async {
    ///         // e.g. `credential.get_token(&["https://graph.microsoft.com/.default"]).await`
    ///         Ok::<_, graph_api::BoxError>("TOKEN".to_owned())
    ///     })
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn token_callback<F, Fut, T, E>(self, callback: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
        T: Into<AccessToken>,
        E: Into<BoxError>,
    {
        self.token_provider(TokenCallback::new(callback))
    }

    /// Sets how long one attempt may take, redirects and body included; 100 seconds by
    /// default. [`Call::timeout`](crate::Call::timeout) overrides it per call.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Sets how throttled and failing requests are retried; [`RetryPolicy::default`] unless
    /// set, [`RetryPolicy::disabled`] to never retry.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Sets the largest response body read, in bytes; 64 MiB by default. A larger body
    /// fails with [`Error::BodyTooLarge`] instead of being buffered.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }

    /// Sets how much memory a decoded JSON body may take, as a multiple of its size; 4 by
    /// default, and 64 MiB whatever the body's size. Every element, entry and string is charged
    /// its size as it is decoded (an estimate: allocator overhead and spare capacity are not
    /// counted), and a body that would take more fails with [`Error::Decode`] at the value
    /// that went over, before the memory is spent. `u32::MAX` lifts the bound.
    ///
    /// Concurrent calls each have their own budget, next to the body they read
    /// ([`max_response_bytes`](Self::max_response_bytes)).
    #[must_use]
    pub fn max_decode_ratio(mut self, ratio: u32) -> Self {
        self.settings.decode_ratio = ratio;
        self
    }

    /// Sets how many redirects one attempt follows; 10 by default, 0 to follow none (a
    /// redirect is then an [`Error::Api`] with its 3xx status).
    #[must_use]
    pub fn max_redirects(mut self, redirects: usize) -> Self {
        self.settings.max_redirects = redirects;
        self
    }

    /// Sets how much of a collection one [`ListCall`](crate::ListCall) fetches by default, and
    /// how long its `.await` may take ([`PageLimits::default`]: 1,000 pages, 100,000 items,
    /// 10 minutes).
    #[must_use]
    pub fn page_limits(mut self, limits: PageLimits) -> Self {
        self.settings.page_limits = limits;
        self
    }

    /// Sets the `User-Agent` header; `graph-api/<version>` by default.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Validates the configuration and creates the client.
    pub fn build(self) -> Result<GraphClient, Error> {
        let base_url = match &self.base_url {
            Some(url) => normalise_base_url(url, self.allow_http)?,
            None => self.national_cloud.base_url().to_owned(),
        };
        let base = Url::parse(&base_url)
            .map_err(|e| Error::Build(format!("base url is not a valid url: {e}")))?;
        let auth = match self.token {
            TokenSource::None => Auth::None,
            TokenSource::Static(token) => Auth::Static(bearer(token.secret()).map_err(|_| {
                Error::Build("bearer token is empty or not a valid header value".into())
            })?),
            TokenSource::Provider(provider) => Auth::provider(provider),
        };
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Build("user agent is not a valid header value".into()))?;
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .https_only(!self.allow_http)
            // Redirects are followed by the client itself, which drops credentials when
            // one leaves the origin.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Build(format!("http client: {e}")))?;
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                base,
                auth,
                settings: self.settings,
            }),
        })
    }
}

/// Parses and checks a base URL; returns it without trailing slashes.
fn normalise_base_url(text: &str, allow_http: bool) -> Result<String, Error> {
    // Errors avoid echoing the URL until it is known to hold no credentials.
    let url = Url::parse(text.trim())
        .map_err(|e| Error::Build(format!("base url is not a valid url: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Build("base url must not contain credentials".into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::Build(format!(
                "base url `{url}` uses plain http; call allow_http(true) to permit it"
            )))
        }
        other => {
            return Err(Error::Build(format!(
                "base url scheme `{other}` is not http or https"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Build(format!(
            "base url `{url}` must not have a query or fragment"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Stands in for secrets in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Static(_) => f.debug_tuple("Static").field(&Redacted).finish(),
            Self::Provider(_) => f.write_str("Provider(..)"),
        }
    }
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("base_url", &self.base_url)
            .field("national_cloud", &self.national_cloud)
            .field("allow_http", &self.allow_http)
            .field("token", &self.token)
            .field("settings", &self.settings)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_base_url;

    #[test]
    fn base_urls_are_normalised() {
        let cases = [
            ("https://graph.microsoft.com", "https://graph.microsoft.com"),
            (
                "https://GRAPH.microsoft.com/",
                "https://graph.microsoft.com",
            ),
            (
                "https://proxy.example/graph/",
                "https://proxy.example/graph",
            ),
            (
                "https://proxy.example/a/../graph//",
                "https://proxy.example/graph",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalise_base_url(input, true).unwrap(), expected);
        }
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        for input in [
            "http://127.0.0.1:8080",
            "graph.microsoft.com",
            "ftp://graph.microsoft.com",
            "https://user:secret@graph.microsoft.com",
            "https://graph.microsoft.com/?x=1",
            "https://graph.microsoft.com/#x",
        ] {
            let error = normalise_base_url(input, false).unwrap_err().to_string();
            assert!(!error.contains("secret"), "{error}");
        }
    }
}
