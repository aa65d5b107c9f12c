//! Configuration of a [`GraphClient`] and its validation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use crate::client::{ClientInner, GraphClient};
use crate::{Error, NationalCloud};

/// Default whole-request timeout, matching the Graph SDKs.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
const DEFAULT_USER_AGENT: &str = concat!("graph-api/", env!("CARGO_PKG_VERSION"));

/// Builds a [`GraphClient`]; start with [`GraphClient::builder`].
#[derive(Clone)]
pub struct GraphClientBuilder {
    base_url: Option<String>,
    national_cloud: NationalCloud,
    allow_http: bool,
    bearer_token: Option<String>,
    timeout: Duration,
    user_agent: String,
}

impl Default for GraphClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            national_cloud: NationalCloud::Global,
            allow_http: false,
            bearer_token: None,
            timeout: DEFAULT_TIMEOUT,
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

    /// Permits a plain `http://` base URL, e.g. for a local test server.
    ///
    /// Off by default, so a token is never sent unencrypted by accident.
    #[must_use]
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Sets the access token sent as `Authorization: Bearer …`.
    ///
    /// Without one, requests carry no `Authorization` header.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Sets the timeout for a whole request, body included; 100 seconds by default.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
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
        let authorization = self
            .bearer_token
            .as_deref()
            .map(authorization)
            .transpose()?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Build("user agent is not a valid header value".into()))?;
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(user_agent)
            .https_only(!self.allow_http)
            .build()
            .map_err(|e| Error::Build(format!("http client: {e}")))?;
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                authorization,
            }),
        })
    }
}

/// The `Authorization` value, marked sensitive so `http` never prints it.
fn authorization(token: &str) -> Result<HeaderValue, Error> {
    if token.trim().is_empty() {
        return Err(Error::Build("bearer token is empty".into()));
    }
    // The message must not echo the token.
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Build("bearer token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
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

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("base_url", &self.base_url)
            .field("national_cloud", &self.national_cloud)
            .field("allow_http", &self.allow_http)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| Redacted),
            )
            .field("timeout", &self.timeout)
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
