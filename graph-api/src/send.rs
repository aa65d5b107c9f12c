//! Sending one call: token, timeout, retries, redirects and the body size cap, in one
//! tracing span. This is the only place that talks HTTP, and it is not generic.

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use reqwest::{Method, StatusCode, Url};
use tracing::field::Empty;
use tracing::{Instrument, Span};

use crate::redact::redact;
use crate::redirect::{next_hop, same_origin, strip_credentials};
use crate::response::{api_error, RawResponse};
use crate::retry::{is_retryable, RetryPolicy};
use crate::{Error, GraphClient};

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
/// Tells Graph which retry this is, as the Graph SDKs do.
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
/// Error bodies are read this far: enough for any Graph error, never a large download.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A request ready to send, kept whole so retries, redirects and later pages can resend it.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// The path with `{}` for parameters, for tracing.
    pub(crate) template: String,
    /// Headers of the call; credentials are added per attempt.
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl GraphClient {
    /// Sends `outgoing` until it succeeds, fails for good, or retries run out.
    pub(crate) async fn send(&self, outgoing: &Outgoing) -> Result<RawResponse, Error> {
        let client_request_id = client_request_id();
        // Fields are what operators need and never a secret: no headers, ids or query.
        let span = tracing::info_span!(
            "graph.request",
            method = %outgoing.method,
            path = %outgoing.template,
            client_request_id = %client_request_id,
            attempt = Empty,
            status = Empty,
        );
        let mut raw = self
            .send_with_retries(outgoing, &client_request_id)
            .instrument(span)
            .await?;
        raw.client_request_id = client_request_id;
        Ok(raw)
    }

    async fn send_with_retries(
        &self,
        outgoing: &Outgoing,
        client_request_id: &str,
    ) -> Result<RawResponse, Error> {
        let started = Instant::now();
        let policy = outgoing.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            Span::current().record("attempt", attempt);
            // Boxed so that the call's future stays within the allocator's per-thread cache.
            let exchange = Box::pin(self.attempt(outgoing, client_request_id, attempt));
            let error = match tokio::time::timeout(outgoing.timeout, exchange).await {
                Ok(Ok(response)) => return Ok(response),
                Ok(Err(error)) => error,
                Err(_) => return Err(Error::Timeout(outgoing.timeout)),
            };
            let Some((status, retry_after)) = error
                .api()
                .and_then(|api| Some((StatusCode::from_u16(api.status).ok()?, api.retry_after)))
            else {
                return Err(error);
            };
            if !is_retryable(
                status,
                &outgoing.method,
                outgoing.body.is_some(),
                retry_after,
            ) {
                return Err(error);
            }
            let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt, fastrand::f64()));
            let out_of_time = started.elapsed().saturating_add(wait) > policy.budget();
            if attempt >= policy.max_attempts() || out_of_time {
                tracing::warn!(status = status.as_u16(), attempt, "giving up retrying");
                if attempt == 1 {
                    return Err(error);
                }
                return Err(Error::RetriesExhausted {
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    last: Box::new(error),
                });
            }
            tracing::info!(
                status = status.as_u16(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: a fresh token, then the request and any redirects, then the body.
    ///
    /// Requests and responses are handled in plain functions and the body readers borrow the
    /// response: rustc keeps a local an `async fn` has borrowed in its future until the local's
    /// scope ends, across every later await, and keeps parameters twice; this future is
    /// allocated on every call.
    async fn attempt(
        &self,
        outgoing: &Outgoing,
        client_request_id: &str,
        attempt: u32,
    ) -> Result<RawResponse, Error> {
        let authorization = self.inner.auth.header().await?;
        let mut chain = Chain {
            method: outgoing.method.clone(),
            url: outgoing.url.clone(),
            body: outgoing.body.clone(),
            redirects: 0,
            left_origin: false,
        };
        loop {
            let request =
                chain.request(outgoing, client_request_id, attempt, authorization.as_ref())?;
            let response = self
                .inner
                .http
                .execute(request)
                .await
                .map_err(|error| self.without_ids(error.into(), outgoing, chain.left_origin))?;
            // Not a `match` around the await: its scrutinee would be kept in the future.
            let Step::Final(response) =
                chain.follow(response, self.inner.settings.max_redirects)?
            else {
                continue;
            };
            let result = self.finish(response, client_request_id).await;
            return match result {
                Ok(mut raw) => {
                    raw.authorization = authorization;
                    Ok(raw)
                }
                // A server may echo the token it was sent: what it says is redacted here, where
                // the token is known, so that no error holds it.
                Err(error) => Err(redact(
                    self.without_ids(error, outgoing, chain.left_origin),
                    authorization.as_ref(),
                )),
            };
        }
    }

    /// Reads the body of the final response: all of a 2xx (within the size cap), the start
    /// of anything else for [`Error::Api`].
    fn finish<'a>(
        &self,
        mut response: reqwest::Response,
        client_request_id: &'a str,
    ) -> impl Future<Output = Result<RawResponse, Error>> + Send + 'a {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let (limit, decode_ratio) = (
            self.inner.settings.max_response_bytes,
            self.inner.settings.decode_ratio,
        );
        // The block keeps the response it captured instead of moving it into a local.
        async move {
            if !status.is_success() {
                let body = read_prefix(&mut response, ERROR_BODY_LIMIT).await?;
                return Err(api_error(status, &headers, &body, client_request_id));
            }
            let body = read_capped(&mut response, limit).await?;
            Ok(RawResponse {
                status,
                headers,
                body,
                // `send` moves its id in: one string per call, not per attempt.
                client_request_id: String::new(),
                authorization: None,
                decode_ratio,
            })
        }
    }

    /// A transport `error` that prints the call's path template (`{}` for each parameter, no
    /// query) on the client's origin instead of the url sent, as tracing does: ids and query
    /// values are personal data, and a link the server gave may carry a token. Once a redirect
    /// has left the origin, it prints no url at all: download urls elsewhere often carry
    /// credentials of their own.
    fn without_ids(&self, error: Error, outgoing: &Outgoing, left_origin: bool) -> Error {
        let Error::Transport(error) = error else {
            return error;
        };
        let error = error.without_url();
        if left_origin {
            return Error::Transport(error);
        }
        // `Url` writes the braces as `%7B%7D`; `Error`'s `Display` shows them as braces again.
        match Url::parse(&format!("{}{}", self.inner.base_url, outgoing.template)) {
            Ok(template) => Error::Transport(error.with_url(template)),
            Err(_) => Error::Transport(error),
        }
    }
}

/// Where an attempt's chain of redirects is: what the next hop sends, and whether it has left
/// the origin.
struct Chain {
    method: Method,
    url: Url,
    body: Option<Bytes>,
    redirects: usize,
    left_origin: bool,
}

/// What an attempt does with a response.
enum Step {
    /// Read its body.
    Final(reqwest::Response),
    /// Send the next hop, which `chain` now describes.
    Redirected,
}

impl Chain {
    /// The next hop's request: the call's headers, then what this hop adds, so nothing a hop
    /// adds leaks into the next.
    #[inline]
    fn request(
        &self,
        outgoing: &Outgoing,
        client_request_id: &str,
        attempt: u32,
        authorization: Option<&HeaderValue>,
    ) -> Result<reqwest::Request, Error> {
        // Sized for what is added below (a clone would grow on the first insert).
        let mut headers = HeaderMap::with_capacity(outgoing.headers.len() + 4);
        headers.extend(
            outgoing
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        let id = HeaderValue::from_str(client_request_id)
            .map_err(|_| Error::InvalidRequest("client request id is not a header value".into()))?;
        headers.insert(CLIENT_REQUEST_ID, id);
        if attempt > 1 {
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(attempt - 1));
        }
        if self.left_origin {
            // Once the chain has left the origin, no later hop gets credentials back.
            strip_credentials(&mut headers);
        } else if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        set_body_headers(&mut headers, &self.method, self.body.is_some());
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        Ok(request)
    }

    /// Moves the chain to the hop `response` redirects to, if it is a redirect to follow.
    fn follow(&mut self, response: reqwest::Response, max_redirects: usize) -> Result<Step, Error> {
        let status = response.status();
        Span::current().record("status", status.as_u16());
        tracing::debug!(status = status.as_u16(), "response");
        let hop = match next_hop(&self.url, &self.method, status, response.headers()) {
            Some(hop) if max_redirects > 0 => hop?,
            _ => return Ok(Step::Final(response)),
        };
        if self.redirects == max_redirects {
            return Err(Error::Redirect(format!(
                "more than {} redirects",
                self.redirects
            )));
        }
        self.redirects += 1;
        let cross_origin = !same_origin(&self.url, &hop.url);
        self.left_origin |= cross_origin;
        if !hop.keep_body {
            self.body = None;
        }
        tracing::debug!(status = status.as_u16(), cross_origin, "following redirect");
        self.method = hop.method;
        self.url = hop.url;
        Ok(Step::Redirected)
    }
}

/// A v4 UUID for `client-request-id`: it correlates logs, so it needs to be unique, not
/// unpredictable; the thread's fast generator saves a system call per request.
fn client_request_id() -> String {
    let uuid = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid.hyphenated().encode_lower(&mut text).to_owned()
}

/// `Content-Type: application/json` with a body; `Content-Length: 0` on a bodiless POST, PUT
/// or PATCH, to which Graph answers 411 Length Required otherwise.
fn set_body_headers(headers: &mut HeaderMap, method: &Method, has_body: bool) {
    if has_body {
        headers
            .entry(CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("application/json"));
    } else if matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
}

/// The whole body, or [`Error::BodyTooLarge`] as soon as it is known to exceed `limit`.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, Error> {
    let too_large = || Error::BodyTooLarge { limit };
    let declared = response.content_length().unwrap_or(0);
    if declared > limit {
        return Err(too_large());
    }
    let over = |len: usize| u64::try_from(len).map_or(true, |len| len > limit);
    // A small body arrives as one chunk, kept as it is; larger ones are joined.
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    if over(first.len()) {
        return Err(too_large());
    }
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    // The declared length only sizes the buffer; what arrives is counted.
    let capacity = usize::try_from(declared.min(1 << 20)).unwrap_or(0);
    let mut body = Vec::with_capacity(capacity.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if over(body.len() + chunk.len()) {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(body.into())
}

/// At most the first `limit` bytes of the body; the rest is never read.
pub(crate) async fn read_prefix(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while body.len() < limit {
        let Some(chunk) = response.chunk().await? else {
            break;
        };
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(body)
}
