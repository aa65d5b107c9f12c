//! [`Call`]: what a generated operation returns; `.await` it for the typed body.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use crate::client::Overrides;
use crate::query::{option_methods, NoQuery};
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::send::Outgoing;
use crate::{Error, GraphClient};

/// Decodes the body of a 2xx response; one function per body type, chosen by generated code.
pub(crate) type Decode<T> = fn(&RawResponse) -> Result<T, Error>;

/// The request of a call and what the call overrides of the client's settings.
pub(crate) struct CallParts {
    pub(crate) client: GraphClient,
    pub(crate) request: Request,
    pub(crate) overrides: Overrides,
}

impl CallParts {
    pub(crate) fn new(client: &GraphClient, request: Request) -> Self {
        Self {
            client: client.clone(),
            request,
            overrides: Overrides::default(),
        }
    }

    /// The client and what it is to send.
    pub(crate) fn prepare(self) -> Result<(GraphClient, Outgoing), Error> {
        let outgoing = self.client.prepare(self.request, self.overrides)?;
        Ok((self.client, outgoing))
    }

    /// [`prepare`](Self::prepare) for a call awaited now: what it sends is boxed, as each
    /// attempt is (`send.rs`), so that a call's allocations each fit the allocator's per-thread
    /// cache (1,032 bytes with glibc) instead of one 2 KB future taking its slow path.
    fn prepare_boxed(self) -> Result<(GraphClient, Box<Outgoing>), Error> {
        let (client, outgoing) = self.prepare()?;
        Ok((client, Box::new(outgoing)))
    }

    /// `Debug` output of the call type `name`: method and path template only, so ids and
    /// header values stay out of logs.
    pub(crate) fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("method", &self.request.method)
            .field("path", &self.request.path.template())
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

/// One request to Microsoft Graph, not yet sent: `.await` it for the decoded body `T`.
///
/// Generated operations return it. Before awaiting, builder methods adjust this one call:
/// [`header`](Self::header), [`timeout`](Self::timeout),
/// [`retry_policy`](Self::retry_policy), and the OData query options its docs list
/// (`select`, `filter`, … as the marker `Q` allows, see [`query`](crate::query)).
/// [`with_response`](Self::with_response) sends it and keeps status and headers too.
///
/// `T` is the documented model, `()` for operations without a response body (`204 No
/// Content`), [`Bytes`](bytes::Bytes) for `$value` and other content downloads, and
/// `serde_json::Value` where the docs name no type.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, Q = NoQuery> {
    pub(crate) parts: CallParts,
    decode: Decode<T>,
    options: PhantomData<fn() -> Q>,
}

impl<T, Q> Call<T, Q> {
    pub(crate) fn new(client: &GraphClient, request: Request, decode: Decode<T>) -> Self {
        Self {
            parts: CallParts::new(client, request),
            decode,
            options: PhantomData,
        }
    }

    /// The request and its body decoder, for sending it another way ([`Batch`](crate::Batch)).
    pub(crate) fn into_parts(self) -> (CallParts, Decode<T>) {
        (self.parts, self.decode)
    }

    /// Sends the call and returns status, headers and the decoded body.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        send(self.parts, self.decode).await
    }
}

/// Sends `parts` and decodes the body: generic over the body type only, not the marker.
async fn send<T>(parts: CallParts, decode: Decode<T>) -> Result<Response<T>, Error> {
    let (client, outgoing) = parts.prepare_boxed()?;
    let raw = client.send(&outgoing).await?;
    let body = decode(&raw)?;
    Ok(raw.with_body(body))
}

/// [`send`] for the body alone: no [`Response`] is built only to be dropped.
async fn send_for_body<T>(parts: CallParts, decode: Decode<T>) -> Result<T, Error> {
    let (client, outgoing) = parts.prepare_boxed()?;
    let raw = client.send(&outgoing).await?;
    decode(&raw)
}

/// The builder methods every kind of call has, from one definition: request headers, timeout
/// and retries for `$call`, whose requests are `$sent` (`"this call"`, `"each page"`); with
/// `paged`, also the [`PageLimits`](crate::PageLimits) overrides (`max_pages`, `max_items`,
/// `max_duration`), for calls with a `limits: Option<PageLimits>` field and a `limits()` getter.
macro_rules! call_methods {
    ($call:ident, $sent:literal) => {
        impl<T, Q> $call<T, Q> {
            #[doc = concat!("Adds a request header to ", $sent, ", e.g. `Prefer: outlook.timezone=\"UTC\"`. ")]
            /// An invalid name or value fails the call with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
            pub fn header(mut self, name: &str, value: &str) -> Self {
                self.parts.request = self.parts.request.header(name, value);
                self
            }

            #[doc = concat!("Sets the timeout of each attempt of ", $sent, ", instead of the client's.")]
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.parts.overrides.timeout = Some(timeout);
                self
            }

            #[doc = concat!("Sets how ", $sent, " is retried, instead of the client's policy.")]
            pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
                self.parts.overrides.retry = Some(policy);
                self
            }
        }
    };
    ($call:ident, $sent:literal, paged) => {
        $crate::call::call_methods!($call, $sent);

        impl<T, Q> $call<T, Q> {
            /// Sets the most pages fetched, instead of the client's
            /// [`PageLimits`](crate::PageLimits).
            pub fn max_pages(mut self, pages: usize) -> Self {
                self.limits = Some(self.limits().with_max_pages(pages));
                self
            }

            /// Sets the most items yielded, instead of the client's
            /// [`PageLimits`](crate::PageLimits).
            pub fn max_items(mut self, items: usize) -> Self {
                self.limits = Some(self.limits().with_max_items(items));
                self
            }

            /// Sets the longest the `.await` of every page may take, instead of the client's
            /// [`PageLimits`](crate::PageLimits); then it fails with
            /// [`Error::Timeout`](crate::Error::Timeout).
            pub fn max_duration(mut self, duration: ::std::time::Duration) -> Self {
                self.limits = Some(self.limits().with_max_duration(duration));
                self
            }
        }
    };
}
pub(crate) use call_methods;

call_methods!(Call, "this call");
option_methods!(Call);

impl<T: Send + 'static, Q> IntoFuture for Call<T, Q> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        // Not an `async` block awaiting a future made outside it: that holds the future twice.
        Box::pin(send_for_body(self.parts, self.decode))
    }
}

impl<T, Q> fmt::Debug for Call<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.debug("Call", f)
    }
}
