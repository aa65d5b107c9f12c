//! Access tokens and the providers that supply them; none of them ever prints a token.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::header::HeaderValue;

use crate::builder::Redacted;
use crate::redact::redact;
use crate::Error;

/// Any error, boxed: what a [`TokenProvider`] fails with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send + 'a>>;

/// An OAuth access token for Microsoft Graph.
///
/// `Debug` prints `AccessToken(<redacted>)` and there is no `Display`, so a token cannot end
/// up in logs by accident; [`AccessToken::secret`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps the token text (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token text. Send it, never log it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        Self(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        Self(token.to_owned())
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AccessToken").field(&Redacted).finish()
    }
}

/// Supplies the access token sent as `Authorization: Bearer …`.
///
/// The client asks before every attempt (retries included, redirects within the service
/// root excluded), so a provider that refreshes tokens should keep one until shortly before
/// it expires rather than fetch a new one each time. Implementations must never log the token.
pub trait TokenProvider: Send + Sync {
    /// The token to send now.
    fn token(&self) -> TokenFuture<'_>;
}

/// A fixed token; [`GraphClientBuilder::bearer_token`](crate::GraphClientBuilder::bearer_token)
/// is sugar for it.
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<AccessToken>) -> Self {
        Self(token.into())
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticToken").field(&Redacted).finish()
    }
}

/// A token from an async callback, e.g. one asking an identity library; see
/// [`GraphClientBuilder::token_callback`](crate::GraphClientBuilder::token_callback).
pub struct TokenCallback<F>(F);

impl<F> TokenCallback<F> {
    /// A provider that calls `callback` for every token.
    pub fn new(callback: F) -> Self {
        Self(callback)
    }
}

impl<F, Fut, T, E> TokenProvider for TokenCallback<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Into<AccessToken>,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let future = (self.0)();
        Box::pin(async move { future.await.map(Into::into).map_err(Into::into) })
    }
}

impl<F> fmt::Debug for TokenCallback<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCallback(..)")
    }
}

/// How the client authenticates its requests.
pub(crate) enum Auth {
    /// No `Authorization` header.
    None,
    /// A token checked when the client was built, as a sensitive header value.
    Static(HeaderValue),
    /// A provider asked before every attempt.
    Provider {
        provider: Arc<dyn TokenProvider>,
        /// The last value made of its tokens, sensitive: a provider's error may repeat the token
        /// it failed to refresh, and is redacted with it.
        last: Mutex<Option<HeaderValue>>,
    },
}

impl Auth {
    pub(crate) fn provider(provider: Arc<dyn TokenProvider>) -> Self {
        Self::Provider {
            provider,
            last: Mutex::new(None),
        }
    }

    /// The `Authorization` value for the next attempt, if any.
    pub(crate) async fn header(&self) -> Result<Option<HeaderValue>, Error> {
        match self {
            Self::None => Ok(None),
            Self::Static(value) => Ok(Some(value.clone())),
            Self::Provider { provider, last } => match provider.token().await {
                Ok(token) => {
                    let value = bearer(token.secret())?;
                    *last.lock().unwrap_or_else(PoisonError::into_inner) = Some(value.clone());
                    Ok(Some(value))
                }
                Err(error) => {
                    let last = last.lock().unwrap_or_else(PoisonError::into_inner).clone();
                    Err(redact(Error::Token(error), last.as_ref()))
                }
            },
        }
    }
}

/// The `Authorization` value, marked sensitive so `http` never prints it.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, Error> {
    if token.trim().is_empty() {
        return Err(Error::Token("access token is empty".into()));
    }
    // The message must not echo the token.
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Token("access token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = AccessToken::new("s3cr3t");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert!(!format!("{:?}", StaticToken::new(token)).contains("s3cr3t"));
        let value = bearer("s3cr3t").unwrap();
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("s3cr3t"));
    }

    #[test]
    fn bad_tokens_are_refused_without_echo() {
        for token in ["", "  ", "s3cr3t\n"] {
            let error = bearer(token).unwrap_err().to_string();
            assert!(!error.contains("s3cr3t"), "{error}");
        }
    }
}
