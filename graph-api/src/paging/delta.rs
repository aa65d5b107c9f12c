//! Delta queries: every page of a `delta` function up to its `@odata.deltaLink`, removals
//! included, and a later round resumed from that link.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{decode_page, next_page, too_many_items, DecodePage, ListCall, PageLimits, Pager};
use crate::call::{call_methods, CallParts};
use crate::query::{option_methods, NoQuery};
use crate::Error;

/// Where a delta query left off: its `@odata.deltaLink`, to store (it is serde
/// `Serialize`/`Deserialize`, as a JSON string) and resume from with [`DeltaCall::resume`].
///
/// The link holds Graph's `$deltatoken`, the state of the sync; `Debug` prints the link
/// without its query.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeltaLink(String);

impl DeltaLink {
    /// A link stored as text earlier ([`as_str`](Self::as_str)).
    pub fn new(link: impl Into<String>) -> Self {
        Self(link.into())
    }

    /// The link, as Graph gave it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The link, as Graph gave it, without copying it.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for DeltaLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.0.split(['?', '#']).next().unwrap_or_default();
        f.debug_tuple("DeltaLink").field(&path).finish()
    }
}

/// One item of a delta query: a resource created or changed, or one removed.
#[derive(Debug, Clone, PartialEq)]
pub enum DeltaChange<T> {
    /// The resource as it is now (with only the changed properties, for some resources).
    Changed(T),
    /// The resource was removed from the collection: Graph's `{"id": …, "@removed": {…}}`.
    Removed {
        /// The resource's id.
        id: String,
        /// Graph's `reason`: `changed` (it may come back, e.g. a restorable deleted user) or
        /// `deleted` (gone for good); `None` when Graph gave none.
        reason: Option<String>,
    },
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for DeltaChange<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `@removed` may come after other properties: the item is read whole first.
        let value = Value::deserialize(deserializer)?;
        if let Some(removed) = value.get("@removed") {
            let id = value
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| de::Error::missing_field("id"))?
                .to_owned();
            let reason = removed
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_owned);
            return Ok(Self::Removed { id, reason });
        }
        T::deserialize(value)
            .map(Self::Changed)
            .map_err(de::Error::custom)
    }
}

/// What a round of a delta query gave: every change since the link it started from, and the
/// link to start the next round from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delta<T> {
    /// The items of every page, in order, removals included.
    pub changes: Vec<DeltaChange<T>>,
    /// The last page's `@odata.deltaLink`.
    pub delta_link: DeltaLink,
}

/// A delta query, not yet sent: `.await` it for every page up to the `@odata.deltaLink`
/// ([`Delta`]).
///
/// The first round starts with the function's own request (`GET /users/delta`, with its
/// `select` and `filter`); a later one with [`resume`](Self::resume) from the stored link,
/// which keeps the call's headers and replaces its url (the link holds the query). Pages are
/// fetched as for a [`ListCall`]: each `@odata.nextLink` only on the client's own origin,
/// within [`PageLimits`] and the `.await`'s [`max_duration`](Self::max_duration); a page past
/// a limit fails the round with [`Error::Paging`] or [`Error::Timeout`] (the link of the last
/// round stays valid, resume from it again). A last page with neither link fails with
/// [`Error::Paging`].
#[must_use = "a delta query does nothing until it is awaited"]
pub struct DeltaCall<T, Q = NoQuery> {
    pub(crate) parts: CallParts,
    decode: DecodePage<DeltaChange<T>>,
    limits: Option<PageLimits>,
    resume: Option<DeltaLink>,
    options: PhantomData<fn() -> Q>,
}

impl<T: DeserializeOwned, Q> ListCall<T, Q> {
    /// This collection as a delta query ([`DeltaCall`]): pages up to the `@odata.deltaLink`,
    /// with removed items as [`DeltaChange::Removed`].
    pub fn delta(self) -> DeltaCall<T, Q> {
        let limits = self.limits;
        let (parts, _, _) = self.into_parts();
        DeltaCall {
            parts,
            decode: decode_page::<DeltaChange<T>>,
            limits,
            resume: None,
            options: PhantomData,
        }
    }
}

impl<T, Q> DeltaCall<T, Q> {
    /// Starts from `link`, a [`Delta::delta_link`] of an earlier round, for the changes since.
    pub fn resume(mut self, link: &DeltaLink) -> Self {
        self.resume = Some(link.clone());
        self
    }

    fn limits(&self) -> PageLimits {
        self.limits
            .unwrap_or(self.parts.client.inner.settings.page_limits)
    }
}

call_methods!(DeltaCall, "each page", paged);
option_methods!(DeltaCall);

impl<T: Send + 'static, Q> IntoFuture for DeltaCall<T, Q> {
    type Output = Result<Delta<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let limits = self.limits();
        let mut pager = Pager::new(self.parts, limits);
        if let Some(link) = &self.resume {
            pager.resume(link.as_str());
        }
        let decode = self.decode;
        let deadline = limits.max_duration();
        Box::pin(async move {
            tokio::time::timeout(deadline, round(pager, decode))
                .await
                .unwrap_or(Err(Error::Timeout(deadline)))
        })
    }
}

/// Every page of one round, up to the page with the delta link.
async fn round<T>(mut pager: Pager, decode: DecodePage<DeltaChange<T>>) -> Result<Delta<T>, Error> {
    let mut changes = Vec::new();
    loop {
        let Some(page) = next_page(&mut pager, decode).await else {
            return Err(Error::Paging(
                "the delta query ended without an `@odata.deltaLink`".into(),
            ));
        };
        let (page, overflowed) = page?;
        if overflowed {
            return Err(too_many_items(pager.max_items));
        }
        let page = page.body;
        changes.extend(page.items);
        if let Some(link) = page.delta_link {
            return Ok(Delta {
                changes,
                delta_link: DeltaLink(link),
            });
        }
    }
}

impl<T, Q> fmt::Debug for DeltaCall<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.debug("DeltaCall", f)
    }
}
