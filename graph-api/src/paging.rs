//! Collections: [`ListCall`] follows `@odata.nextLink` as a stream of items or pages, within
//! [`PageLimits`], and only on the client's own host.

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::{Method, Url};

use crate::call::{call_methods, CallParts};
use crate::query::{option_methods, NoQuery};
use crate::redirect::same_origin;
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::send::Outgoing;
use crate::{Error, GraphClient};

mod decode;
mod delta;

pub(crate) use decode::decode_page;
pub use delta::{Delta, DeltaCall, DeltaChange, DeltaLink};

/// How much of a collection one [`ListCall`] may fetch; exceeding a limit ends the stream
/// with [`Error::Paging`] instead of fetching on without bound, and an `.await` of the whole
/// collection that takes longer than [`max_duration`](Self::max_duration) ends with
/// [`Error::Timeout`].
///
/// The default: 1,000 pages, 100,000 items, and 10 minutes for an `.await`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    clippy::struct_field_names,
    reason = "each field is what its `max_…` getter returns"
)]
pub struct PageLimits {
    max_pages: usize,
    max_items: usize,
    max_duration: Duration,
}

/// The default deadline of an `.await` of a whole collection. The default 100,000 items are
/// about 100 pages of 999, a few minutes even at seconds a page; without a deadline the page
/// limit and per-attempt timeout alone allow 1,000 pages of 100 s each, more than a day.
const DEFAULT_MAX_DURATION: Duration = Duration::from_secs(10 * 60);

impl Default for PageLimits {
    fn default() -> Self {
        Self {
            max_pages: 1_000,
            max_items: 100_000,
            max_duration: DEFAULT_MAX_DURATION,
        }
    }
}

impl PageLimits {
    /// Sets the most pages fetched.
    #[must_use]
    pub fn with_max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// Sets the most items yielded.
    #[must_use]
    pub fn with_max_items(mut self, items: usize) -> Self {
        self.max_items = items;
        self
    }

    /// Sets the longest an `.await` of the whole collection may take, every page, retry and
    /// wait included; then it fails with [`Error::Timeout`] of this duration. Streams are read
    /// at the caller's pace and are not bounded by it.
    #[must_use]
    pub fn with_max_duration(mut self, duration: Duration) -> Self {
        self.max_duration = duration;
        self
    }

    /// The most pages fetched.
    pub fn max_pages(&self) -> usize {
        self.max_pages
    }

    /// The most items yielded.
    pub fn max_items(&self) -> usize {
        self.max_items
    }

    /// The longest an `.await` of the whole collection may take.
    pub fn max_duration(&self) -> Duration {
        self.max_duration
    }
}

/// One page of a collection.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page (`value`).
    pub items: Vec<T>,
    /// `@odata.nextLink`: where the next page is, if there is one.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: where to ask for changes later, on the last page of a delta query.
    pub delta_link: Option<String>,
    /// `@odata.count`: the size of the whole collection, when `$count=true` asked for it.
    pub count: Option<u64>,
}

/// Decodes a page of at most the given number of items; `true` when the page held more and was
/// cut there ([`decode::decode_page`]).
pub(crate) type DecodePage<T> = fn(&RawResponse, usize) -> Result<(Page<T>, bool), Error>;

/// A request for a collection, not yet sent: `.await` it for every item of every page.
///
/// Each page after the first is fetched from the previous page's `@odata.nextLink`, with the
/// first request's headers (`ConsistencyLevel`, `Prefer`, …), and only if that link is on the
/// client's own scheme, host and port; anything else ends paging with [`Error::Paging`], so
/// the token never goes elsewhere. [`PageLimits`] bound pages and items.
///
/// - `.await`: all items, as a `Vec`;
/// - [`stream`](Self::stream): items as pages arrive, fetching only as far as it is read;
/// - [`pages`](Self::pages) and [`first_page`](Self::first_page): pages with their status,
///   headers, `@odata.count` and `@odata.deltaLink`.
///
/// Builder methods are those of [`Call`](crate::Call), plus [`max_pages`](Self::max_pages),
/// [`max_items`](Self::max_items) and [`max_duration`](Self::max_duration), the deadline of
/// the `.await` (10 minutes by default, then [`Error::Timeout`]).
#[must_use = "a call does nothing until it is awaited or streamed"]
pub struct ListCall<T, Q = NoQuery> {
    pub(crate) parts: CallParts,
    decode: DecodePage<T>,
    limits: Option<PageLimits>,
    options: PhantomData<fn() -> Q>,
}

impl<T, Q> ListCall<T, Q> {
    pub(crate) fn new(client: &GraphClient, request: Request, decode: DecodePage<T>) -> Self {
        Self {
            parts: CallParts::new(client, request),
            decode,
            limits: None,
            options: PhantomData,
        }
    }

    /// The request, its page decoder and its limits, for sending it another way
    /// ([`Batch`](crate::Batch)).
    pub(crate) fn into_parts(self) -> (CallParts, DecodePage<T>, PageLimits) {
        let limits = self.limits();
        (self.parts, self.decode, limits)
    }

    fn limits(&self) -> PageLimits {
        self.limits
            .unwrap_or(self.parts.client.inner.settings.page_limits)
    }

    /// Fetches the first page only.
    pub async fn first_page(self) -> Result<Response<Page<T>>, Error> {
        let limits = self.limits();
        let mut pager = Pager::new(self.parts, limits.with_max_pages(1));
        let page = next_page(&mut pager, self.decode).await;
        let page = page.unwrap_or_else(|| Err(Error::Paging("no first page".into())));
        whole(page, &pager)
    }
}

impl<T: Send + 'static, Q> ListCall<T, Q> {
    /// The pages, each with status and headers, fetched as the stream is read.
    pub fn pages(self) -> impl Stream<Item = Result<Response<Page<T>>, Error>> + Send + 'static {
        let limits = self.limits();
        let pager = Pager::new(self.parts, limits);
        stream::unfold((pager, self.decode), |(mut pager, decode)| async move {
            let page = next_page(&mut pager, decode).await?;
            let page = whole(page, &pager);
            Some((page, (pager, decode)))
        })
    }

    /// The items of every page, fetched as the stream is read; an error ends it.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        let limits = self.limits();
        let items = Items {
            pager: Pager::new(self.parts, limits),
            decode: self.decode,
            buffer: VecDeque::new(),
            ending: None,
            finished: false,
        };
        stream::unfold(items, |mut items| async move {
            let item = items.next().await?;
            Some((item, items))
        })
    }
}

call_methods!(ListCall, "each page", paged);
option_methods!(ListCall);

impl<T: Send + 'static, Q> IntoFuture for ListCall<T, Q> {
    type Output = Result<Vec<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let deadline = self.limits().max_duration;
        Box::pin(collect_within(self.stream(), deadline))
    }
}

/// Every item of `items`, or [`Error::Timeout`] after `deadline`.
async fn collect_within<T>(
    items: impl Stream<Item = Result<T, Error>>,
    deadline: Duration,
) -> Result<Vec<T>, Error> {
    tokio::time::timeout(deadline, items.try_collect())
        .await
        .unwrap_or(Err(Error::Timeout(deadline)))
}

impl<T, Q> fmt::Debug for ListCall<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.debug("ListCall", f)
    }
}

/// Fetches pages one after another: not generic, so it is compiled once.
struct Pager {
    client: GraphClient,
    /// What to send for the next page: `None` when done, an error to report in its place.
    next: Option<Result<Outgoing, Error>>,
    /// The request of the page fetched last, whose headers later pages keep.
    last: Option<Outgoing>,
    fetched: usize,
    max_pages: usize,
    /// Items decoded so far, of at most `max_items`.
    decoded: usize,
    max_items: usize,
}

impl Pager {
    fn new(parts: CallParts, limits: PageLimits) -> Self {
        let client = parts.client.clone();
        Self {
            next: Some(parts.prepare().map(|(_, outgoing)| outgoing)),
            client,
            last: None,
            fetched: 0,
            max_pages: limits.max_pages,
            decoded: 0,
            max_items: limits.max_items,
        }
    }

    /// The next raw page, or `None` when the collection is done.
    async fn fetch(&mut self) -> Option<Result<RawResponse, Error>> {
        let outgoing = match self.next.take()? {
            Ok(outgoing) => outgoing,
            Err(error) => return Some(Err(error)),
        };
        if self.fetched == self.max_pages {
            return Some(Err(Error::Paging(format!(
                "the collection has more than {} pages; raise `max_pages` or read fewer",
                self.max_pages
            ))));
        }
        self.fetched += 1;
        let response = self.client.send(&outgoing).await;
        self.last = Some(outgoing);
        Some(response)
    }

    /// Prepares the request for `next_link`, if there is one and it is on the client's origin.
    fn follow(&mut self, next_link: Option<&str>) {
        let (Some(link), Some(last)) = (next_link, &self.last) else {
            return;
        };
        self.next = Some(self.link_request(last, link, "`@odata.nextLink`"));
    }

    /// Starts from `link` (a stored delta link) instead of the call's own url, keeping its
    /// headers; the link is held to the client's origin as a next link is.
    fn resume(&mut self, link: &str) {
        if let Some(Ok(first)) = &self.next {
            self.next = Some(self.link_request(first, link, "the delta link"));
        }
    }

    /// `from` sent again to `link`, as a `GET` without body, if `link` is on the client's origin.
    fn link_request(&self, from: &Outgoing, link: &str, what: &str) -> Result<Outgoing, Error> {
        let base = &self.client.inner.base;
        match from.url.join(link) {
            Ok(url) if same_origin(&url, base) => {
                let mut next = from.clone();
                next.url = url;
                next.method = Method::GET;
                next.body = None;
                Ok(next)
            }
            // The link is not echoed: it may hold tokens of the other host.
            Ok(url) => Err(Error::Paging(format!(
                "{what} points at `{}`, not at the client's `{}`; it is not followed",
                origin(&url),
                origin(base)
            ))),
            Err(_) => Err(Error::Paging(format!("{what} is not a valid url"))),
        }
    }
}

/// `scheme://host:port` of `url`.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The next page, decoded with at most the items the limit leaves, and the link after it
/// prepared; `true` with it when the page held more (paging then stops).
async fn next_page<T>(
    pager: &mut Pager,
    decode: DecodePage<T>,
) -> Option<Result<(Response<Page<T>>, bool), Error>> {
    let raw = match pager.fetch().await? {
        Ok(raw) => raw,
        Err(error) => return Some(Err(error)),
    };
    let room = pager.max_items.saturating_sub(pager.decoded);
    let (page, overflowed) = match decode(&raw, room) {
        Ok(page) => page,
        Err(error) => return Some(Err(error)),
    };
    pager.decoded += page.items.len();
    if !overflowed {
        pager.follow(page.next_link.as_deref());
    }
    Some(Ok((raw.with_body(page), overflowed)))
}

/// A page that went past the item limit as [`Error::Paging`], for those who read whole pages.
fn whole<T>(
    page: Result<(Response<Page<T>>, bool), Error>,
    pager: &Pager,
) -> Result<Response<Page<T>>, Error> {
    match page? {
        (page, false) => Ok(page),
        (_, true) => Err(too_many_items(pager.max_items)),
    }
}

pub(crate) fn too_many_items(limit: usize) -> Error {
    Error::Paging(format!(
        "the collection has more than {limit} items; raise `max_items` or read fewer"
    ))
}

/// The state of [`ListCall::stream`].
struct Items<T> {
    pager: Pager,
    decode: DecodePage<T>,
    buffer: VecDeque<T>,
    /// The error to end with once `buffer` is read: the last page went past the item limit.
    ending: Option<Error>,
    finished: bool,
}

impl<T> Items<T> {
    /// The next item; each loop either returns or fetches a page, and pages are bounded.
    async fn next(&mut self) -> Option<Result<T, Error>> {
        while !self.finished {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if let Some(error) = self.ending.take() {
                self.finished = true;
                return Some(Err(error));
            }
            match next_page(&mut self.pager, self.decode).await? {
                Ok((page, overflowed)) => {
                    // The buffer is empty: it takes the page's items without copying them.
                    self.buffer = VecDeque::from(page.body.items);
                    if overflowed {
                        self.ending = Some(too_many_items(self.pager.max_items));
                    }
                }
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error));
                }
            }
        }
        None
    }
}
