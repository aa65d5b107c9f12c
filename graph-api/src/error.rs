//! The error type of every fallible operation in this crate.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::auth::BoxError;
use crate::escape::Escaped;

/// `Result` with this crate's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong building a client or calling Microsoft Graph.
///
/// No variant ever contains the access token: where a server echoed the token a request sent
/// (in an error body, a header, a value that fails to decode), it is replaced by `<redacted>`
/// before the error is made, as the raw token, `Bearer <token>`, its JSON-escaped forms and,
/// for a JWT, each of its three parts. Tokens (and parts) under 8 characters are replaced only
/// as `Bearer <token>`, so that a short test token does not blank out every word holding it.
///
/// `Display` escapes control characters in the text it shows (`\n`, `\u{1b}`, bidirectional
/// overrides …), because most of that text comes from the server: a message cannot forge a
/// log line or restyle a terminal. The fields keep the text as received.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client configuration is invalid, e.g. an `http://` base URL
    /// without [`allow_http`](crate::GraphClientBuilder::allow_http).
    #[error("invalid client configuration: {}", Escaped(.0))]
    Build(String),
    /// The request cannot be sent as described, e.g. an invalid header value.
    #[error("invalid request: {}", Escaped(.0))]
    InvalidRequest(String),
    /// The request body could not be serialized to JSON.
    #[error("could not serialize the request body: {}", Escaped(.0))]
    Serialize(#[source] serde_json::Error),
    /// The token provider failed, or gave a token that cannot be sent.
    #[error("could not get an access token: {}", Escaped(.0))]
    Token(#[source] BoxError),
    /// The request did not complete: connection, TLS or body read.
    ///
    /// The url it prints is the call's path template on the client's origin
    /// (`https://graph.microsoft.com/v1.0/users/{}`), without ids or query, or none once a
    /// redirect has left the origin.
    #[error("http transport failed: {}", Escaped(transport_text(.0)))]
    Transport(#[from] reqwest::Error),
    /// An attempt (redirects and body included) took longer than its timeout, or the `.await`
    /// of a whole collection longer than its
    /// [`max_duration`](crate::PageLimits::with_max_duration).
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// A response body is larger than
    /// [`max_response_bytes`](crate::GraphClientBuilder::max_response_bytes).
    #[error("response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in force.
        limit: u64,
    },
    /// A redirect could not be followed: too many, or an unusable `Location`.
    #[error("redirect not followed: {}", Escaped(.0))]
    Redirect(String),
    /// A collection could not be paged through: an `@odata.nextLink` to another host, or
    /// more pages or items than the [`PageLimits`](crate::PageLimits) allow.
    #[error("paging stopped: {}", Escaped(.0))]
    Paging(String),
    /// A JSON batch could not be built or read: a `dependsOn` chain too long for one batch
    /// or across API versions, an entry the response does not answer, a handle of another
    /// batch ([`Batch`](crate::Batch)).
    #[error("batch failed: {}", Escaped(.0))]
    Batch(String),
    /// A [`LargeFileUpload`](crate::LargeFileUpload) cannot go on: the reader ended early or
    /// cannot seek back to bytes the server asks for again, or the server's ranges make no
    /// sense.
    #[error("upload failed: {}", Escaped(.0))]
    Upload(String),
    /// Reading the data of a [`LargeFileUpload`](crate::LargeFileUpload) failed.
    #[error("could not read the data to upload: {}", Escaped(.0))]
    Read(#[source] std::io::Error),
    /// Retries ran out (attempts or time budget) while Graph kept throttling or failing.
    #[error("giving up after {attempts} attempts in {elapsed:.1?}: {last}")]
    RetriesExhausted {
        /// Attempts made, the first included.
        attempts: u32,
        /// Time from the first attempt to giving up.
        elapsed: Duration,
        /// The error of the last attempt.
        last: Box<Error>,
    },
    /// Microsoft Graph answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A 2xx response body does not fit the expected type.
    #[error(
        "could not decode the response body at `{}`: {}",
        Escaped(path),
        Escaped(source)
    )]
    Decode {
        /// JSON path of the value that failed, e.g. `value[0].createdDateTime`.
        path: String,
        /// What was wrong with that value.
        source: serde_json::Error,
        /// The `request-id` response header, for support cases.
        request_id: Option<String>,
    },
}

impl Error {
    /// The [`ApiError`] of an [`Error::Api`], also the last one of [`Error::RetriesExhausted`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            Self::RetriesExhausted { last, .. } => last.api(),
            _ => None,
        }
    }

    /// HTTP status of an [`Error::Api`] (also after retries).
    pub fn status(&self) -> Option<u16> {
        self.api().map(|api| api.status)
    }

    /// Graph error code of an [`Error::Api`] (also after retries), e.g.
    /// `Request_ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        self.api().map(|api| api.code.as_str())
    }

    /// Graph `request-id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.api()?.request_id.as_deref(),
        }
    }
}

/// reqwest's message, with the `{}` of the template url it holds (`send.rs`) as braces again.
fn transport_text(error: &reqwest::Error) -> String {
    error.to_string().replace("%7B%7D", "{}")
}

/// A non-2xx response from Microsoft Graph.
///
/// Its fields hold what the server sent, except the access token of the request, which is
/// `<redacted>` wherever the server echoed it (headers included); `Display` escapes control
/// characters of code, message and request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// Graph error code; [`ApiError::UNKNOWN_CODE`] when the body is not a Graph error.
    pub code: String,
    /// Human-readable message from Graph, or the status reason as a fallback.
    pub message: String,
    /// Graph `request-id`, from the body or else the response header.
    pub request_id: Option<String>,
    /// The `client-request-id` Graph echoed, or else the one that was sent.
    pub client_request_id: Option<String>,
    /// When Graph handled the request, as Graph formats it.
    pub date: Option<String>,
    /// The raw response body, lossily decoded as UTF-8 (at most 64 KiB of it).
    pub body: String,
    /// How long the server asked to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
    /// All response headers.
    pub headers: HeaderMap,
}

impl ApiError {
    /// The code used when the response body is not a Graph error object.
    pub const UNKNOWN_CODE: &'static str = "unknown";
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "graph api returned {} {}: {}",
            self.status,
            Escaped(&self.code),
            Escaped(&self.message)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {})", Escaped(id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
