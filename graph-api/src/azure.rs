//! Tokens from the Azure SDK: any `azure_core` [`TokenCredential`] (the credentials of
//! `azure_identity`) as a [`TokenProvider`], with a cache and one refresh at a time.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use azure_core::credentials::TokenCredential;
use azure_core::time::OffsetDateTime;

use crate::{AccessToken, NationalCloud, TokenFuture, TokenProvider};

/// A [`TokenProvider`] over an `azure_core` [`TokenCredential`], so that the credentials of
/// [`azure_identity`](https://docs.rs/azure_identity) (client secret, client certificate,
/// managed identity, workload identity, Azure CLI and Developer CLI …) authenticate a
/// [`GraphClient`](crate::GraphClient). Needs the `azure-identity` feature.
///
/// ```no_run
/// # fn run(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>)
/// #     -> Result<(), graph_api::Error> {
/// // e.g. `azure_identity::ManagedIdentityCredential::new(None)?`
/// let client = graph_api::GraphClient::builder()
///     .token_provider(graph_api::AzureCredential::new(credential))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
///
/// - **Scope**: `https://graph.microsoft.com/.default`, or the
///   [`default_scope`](NationalCloud::default_scope) of the cloud given to
///   [`with_cloud`](Self::with_cloud) (set it to the client's
///   [`national_cloud`](crate::GraphClientBuilder::national_cloud)), or
///   [`with_scopes`](Self::with_scopes).
/// - **Cache**: a token is reused until 5 minutes before it expires (or half its lifetime
///   for a token that lives less than 10 minutes), then refreshed:
///   [`with_refresh_margin`](Self::with_refresh_margin) changes the 5 minutes.
/// - **Concurrency**: while one call refreshes, the others wait for its token instead of
///   asking the credential too.
/// - **Secrecy**: `Debug` shows neither the token nor the credential; a credential's error
///   becomes [`Error::Token`](crate::Error::Token).
///
/// `azure_identity` brings its own HTTP stack: keep its `reqwest_rustls` default (its
/// `client_certificate` feature needs OpenSSL); graph-api's own dependency on `azure_core`
/// has no HTTP stack at all.
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    margin: Duration,
    cached: Mutex<Option<Cached>>,
    /// Held while asking the credential, so that one caller refreshes and the rest reuse it.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    token: AccessToken,
    refresh_after: OffsetDateTime,
}

impl AzureCredential {
    /// How long before its expiry a token is refreshed, by default: 5 minutes, as the Azure
    /// SDKs do, so that a token is never sent in its last minutes (clocks drift, requests
    /// take time, retries reuse the token).
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

    /// Tokens of `credential` for the global Graph service.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self {
            credential,
            scopes: vec![NationalCloud::Global.default_scope().to_owned()],
            margin: Self::DEFAULT_REFRESH_MARGIN,
            cached: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Asks for tokens of `cloud` ([`NationalCloud::default_scope`]).
    #[must_use]
    pub fn with_cloud(self, cloud: NationalCloud) -> Self {
        self.with_scopes([cloud.default_scope()])
    }

    /// Asks for tokens of these scopes instead, e.g. a proxy's application id URI.
    #[must_use]
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        *self
            .cached
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = None;
        self
    }

    /// Sets how long before its expiry a token is refreshed
    /// ([`DEFAULT_REFRESH_MARGIN`](Self::DEFAULT_REFRESH_MARGIN) unless set); a token that
    /// lives less than twice the margin is refreshed after half its lifetime.
    #[must_use]
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The cached token, while it is fresh.
    fn fresh(&self) -> Option<AccessToken> {
        let cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = cached.as_ref()?;
        (OffsetDateTime::now_utc() < cached.refresh_after).then(|| cached.token.clone())
    }

    async fn get(&self) -> Result<AccessToken, crate::BoxError> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _refreshing = self.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let fetched_at = OffsetDateTime::now_utc();
        let token = self.credential.get_token(&scopes, None).await?;
        let lifetime = token.expires_on - fetched_at;
        let margin = azure_core::time::Duration::try_from(self.margin)
            .unwrap_or(azure_core::time::Duration::MAX)
            .min(lifetime / 2)
            // A token that arrives expired is not kept.
            .max(azure_core::time::Duration::ZERO);
        let cached = Cached {
            token: AccessToken::new(token.token.secret()),
            refresh_after: token.expires_on - margin,
        };
        let token = cached.token.clone();
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(cached);
        Ok(token)
    }
}

impl TokenProvider for AzureCredential {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.get())
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredential")
            .field("scopes", &self.scopes)
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}
