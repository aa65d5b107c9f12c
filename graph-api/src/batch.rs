//! JSON batching: many calls in one `POST /{version}/$batch`, each keeping its typed result.
//!
//! A [`Batch`] collects [`Call`]s and [`ListCall`]s (a list call's entry is its first page,
//! a [`Page`]) and returns a typed [`BatchHandle`] for each; [`Batch::send`] sends them and
//! [`BatchResults::take`] gives each handle's `Result` back, decoded as if the call had been
//! awaited on its own: a Graph error of one entry is that entry's [`Error::Api`] (status,
//! code, message, `Retry-After`), the others are unaffected.
//!
//! ```no_run
//! # #[cfg(all(feature = "beta", feature = "user"))]
//! # async fn run(client: &graph_api::GraphClient) -> Result<(), graph_api::Error> {
//! use graph_api::Batch;
//! let mut batch = Batch::new(client);
//! let first = batch.add(graph_api::beta::user::reprocess_license_assignment(client, "ada"));
//! // Runs once `first` has succeeded (Graph answers 424 Failed Dependency otherwise).
//! let second = batch.add_after(
//!     graph_api::beta::user::reprocess_license_assignment(client, "grace"),
//!     &[first.id()],
//! );
//! let mut results = batch.send().await?;
//! let ada = results.take(first)?;
//! let grace = results.take(second);
//! # let _ = (ada, grace);
//! # Ok(())
//! # }
//! ```
//!
//! # What is sent, and the defaults
//!
//! - **Size**: Graph takes at most 20 requests per batch; more entries are split into several
//!   `$batch` requests, sent one after another (not concurrently, so that a large batch does
//!   not throttle itself), in the order entries were added.
//! - **Versions**: entries are grouped by API version, a `$batch` request per version, as
//!   Graph resolves an entry's `url` (`/users/ada`) against the version of the batch.
//! - **`dependsOn`**: [`Batch::add_after`] makes an entry wait for earlier ones. A chain of
//!   entries linked this way always lands in one `$batch` request; a chain of more than 20, or
//!   across versions, fails its entries with [`Error::Batch`].
//! - **Headers and bodies**: a call's own headers (`ConsistencyLevel`, `Prefer`, `Accept`,
//!   …) become its entry's `headers`, its JSON body the entry's `body`. The token goes only on
//!   the `$batch` request, sent by the batch's client. The calls' own
//!   [`timeout`](Call::timeout) and [`retry_policy`](Call::retry_policy) are not used; the
//!   batch has its own ([`Batch::timeout`], [`Batch::retry_policy`]), else the client's.
//! - **Retries**: entries answered `429`, `503` or `504` are sent again in a later `$batch`
//!   request, after the longest `Retry-After` among them (the entry's header) or else the
//!   policy's backoff, within the [`RetryPolicy`]'s attempts and budget, as a single call's
//!   retries are; requests with a body only when throttled with `Retry-After`. Entries that
//!   failed with `424` because an entry they depend on is retried are retried with it. When
//!   retries run out, an entry retried at least once fails with [`Error::RetriesExhausted`].
//!   The `$batch` request itself is retried as any `POST` is.
//! - **Bodies**: JSON bodies are decoded into the call's type. Graph base64-encodes other
//!   bodies (`$value`, file content) in a batch: they are decoded back to the bytes of a
//!   [`Bytes`] call.
//! - **Failures of the batch request**: if the first `$batch` request fails (transport,
//!   its own non-2xx status, a body that is not a batch response), [`Batch::send`] returns
//!   that error and nothing was done; if a later one fails, the entries it held fail with
//!   [`Error::Batch`] naming that error, and the results of the others are kept.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use base64::Engine;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::call::CallParts;
use crate::client::Overrides;
use crate::paging::too_many_items;
use crate::redact::redact;
use crate::response::{api_error, decode_json, RawResponse, Response};
use crate::retry::is_retryable;
use crate::send::{Outgoing, ERROR_BODY_LIMIT};
use crate::{Call, Error, GraphClient, ListCall, Page, RetryPolicy};

/// Graph's limit of requests in one `$batch` request.
pub const MAX_BATCH_SIZE: usize = 20;

/// Decodes an entry's 2xx response as the call would have decoded its own.
type EntryDecode<T> = Box<dyn Fn(&RawResponse) -> Result<T, Error> + Send + Sync>;

mod sealed {
    /// A call taken apart for a batch; only this crate can make one, so only its call types
    /// are [`Batchable`](super::Batchable).
    #[allow(
        missing_debug_implementations,
        reason = "unreachable outside the crate"
    )]
    pub struct EntryParts<T> {
        pub(crate) parts: crate::call::CallParts,
        pub(crate) decode: super::EntryDecode<T>,
    }

    /// Proof of being this crate, for the hidden method of `Batchable`.
    #[allow(
        missing_debug_implementations,
        reason = "unreachable outside the crate"
    )]
    pub struct Token;
}

/// A call that can be an entry of a [`Batch`]: [`Call<T, Q>`](Call), whose entry gives `T`,
/// and [`ListCall<T, Q>`](ListCall), whose entry gives its first [`Page<T>`](Page) (within the
/// call's item limit; follow its `next_link` with a call of its own).
pub trait Batchable: Sized {
    /// What the entry's result holds.
    type Output;

    #[doc(hidden)]
    fn into_entry(self, token: sealed::Token) -> sealed::EntryParts<Self::Output>;
}

impl<T: 'static, Q> Batchable for Call<T, Q> {
    type Output = T;

    fn into_entry(self, _: sealed::Token) -> sealed::EntryParts<T> {
        let (parts, decode) = self.into_parts();
        sealed::EntryParts {
            parts,
            decode: Box::new(decode),
        }
    }
}

impl<T: 'static, Q> Batchable for ListCall<T, Q> {
    type Output = Page<T>;

    fn into_entry(self, _: sealed::Token) -> sealed::EntryParts<Page<T>> {
        let (parts, decode, limits) = self.into_parts();
        let max_items = limits.max_items();
        sealed::EntryParts {
            parts,
            decode: Box::new(move |raw| match decode(raw, max_items)? {
                (page, false) => Ok(page),
                (_, true) => Err(too_many_items(max_items)),
            }),
        }
    }
}

/// The id of an entry of a [`Batch`], for [`Batch::add_after`]; its `Display` is the `id`
/// the entry has in the `$batch` request (`"1"`, `"2"`, … in the order entries were added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId {
    batch: u64,
    index: usize,
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.index + 1)
    }
}

/// The typed claim on one entry's result: give it to [`BatchResults::take`] for the
/// `Result<T>` the call would have given.
#[must_use = "the entry's result can only be taken with its handle"]
pub struct BatchHandle<T> {
    id: EntryId,
    decode: EntryDecode<T>,
}

impl<T> BatchHandle<T> {
    /// The entry's id, for entries that depend on it ([`Batch::add_after`]).
    pub fn id(&self) -> EntryId {
        self.id
    }
}

impl<T> fmt::Debug for BatchHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchHandle")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Calls to send together as JSON batches (`POST /{version}/$batch`); see the
/// [module docs](crate::batch) for how entries are split, ordered and retried.
#[must_use = "a batch does nothing until it is sent"]
pub struct Batch {
    client: GraphClient,
    /// Tells this batch's handles from another's.
    id: u64,
    entries: Vec<Entry>,
    overrides: Overrides,
}

/// One entry: what to send, or why it cannot be sent, and the entries it depends on.
struct Entry {
    prepared: Result<Prepared, Error>,
    depends_on: Vec<usize>,
}

/// An entry's request as the `$batch` body describes it.
struct Prepared {
    /// `v1.0`, `beta`: the first path segment below the service root.
    version: String,
    method: Method,
    /// Path and query below the version: `/users/ada?$select=id`.
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
}

impl Batch {
    /// An empty batch, to be sent by `client`.
    pub fn new(client: &GraphClient) -> Self {
        Self {
            client: client.clone(),
            id: fastrand::u64(..),
            entries: Vec::new(),
            overrides: Overrides::default(),
        }
    }

    /// Sets the timeout of each `$batch` request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Sets how `$batch` requests and throttled entries are retried, instead of the client's
    /// policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Adds `call` as an entry; its result is taken with the handle.
    ///
    /// A call that cannot be sent (an invalid header, a call of a client with another service
    /// root) is not sent: its result is that error.
    pub fn add<C: Batchable>(&mut self, call: C) -> BatchHandle<C::Output> {
        self.add_after(call, &[])
    }

    /// Adds `call` as an entry that Graph runs only after the entries `depends_on` (its
    /// `dependsOn`); it lands in the same `$batch` request as them. Graph answers `424 Failed
    /// Dependency` for it when one of them fails.
    pub fn add_after<C: Batchable>(
        &mut self,
        call: C,
        depends_on: &[EntryId],
    ) -> BatchHandle<C::Output> {
        let sealed::EntryParts { parts, decode } = call.into_entry(sealed::Token);
        let index = self.entries.len();
        let mut prepared = prepare(&self.client, parts);
        let mut indices = Vec::with_capacity(depends_on.len());
        for id in depends_on {
            if id.batch != self.id || id.index >= index {
                prepared = Err(Error::Batch(format!(
                    "entry {} depends on an entry of another batch",
                    index + 1
                )));
            } else if !indices.contains(&id.index) {
                indices.push(id.index);
            }
        }
        self.entries.push(Entry {
            prepared,
            depends_on: indices,
        });
        BatchHandle {
            id: EntryId {
                batch: self.id,
                index,
            },
            decode,
        }
    }

    /// How many entries the batch has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sends every entry, in as many `$batch` requests as needed, retrying throttled entries.
    ///
    /// Fails only when the first `$batch` request fails, and then nothing was done; every
    /// other failure is the result of the entries it concerns.
    pub async fn send(self) -> Result<BatchResults, Error> {
        let settings = &self.client.inner.settings;
        let policy = self.overrides.retry.unwrap_or(settings.retry);
        let timeout = self.overrides.timeout.unwrap_or(settings.timeout);
        let mut sender = Sender {
            client: &self.client,
            policy,
            timeout,
            requests: 0,
        };
        let count = self.entries.len();
        let mut results: Vec<Option<Result<RawResponse, Error>>> =
            (0..count).map(|_| None).collect();
        let mut prepared = Vec::with_capacity(count);
        let mut depends = Vec::with_capacity(count);
        let mut pending = Vec::new();
        for (index, entry) in self.entries.into_iter().enumerate() {
            match entry.prepared {
                Ok(request) => {
                    let failed = entry.depends_on.iter().find(|&&d| results[d].is_some());
                    if let Some(failed) = failed {
                        results[index] = Some(Err(Error::Batch(format!(
                            "entry {} depends on entry {}, which could not be sent",
                            index + 1,
                            failed + 1
                        ))));
                    } else {
                        pending.push(index);
                    }
                    prepared.push(Some(request));
                }
                Err(error) => {
                    results[index] = Some(Err(error));
                    prepared.push(None);
                }
            }
            depends.push(entry.depends_on);
        }
        let entries = Entries {
            prepared,
            depends_on: depends,
        };
        let started = Instant::now();
        let mut attempts = vec![0_u32; count];
        let mut round = 0;
        while !pending.is_empty() {
            round += 1;
            for &index in &pending {
                attempts[index] += 1;
            }
            for (version, group) in entries.pack(&pending, &mut results) {
                sender
                    .send(&entries, &version, &group, &mut results)
                    .await?;
            }
            let (retry, wait) = entries.to_retry(&pending, &results);
            if retry.is_empty() {
                break;
            }
            let wait = wait.unwrap_or_else(|| policy.backoff(round, fastrand::f64()));
            let out_of_time = started.elapsed().saturating_add(wait) > policy.budget();
            if round >= policy.max_attempts() || out_of_time {
                tracing::warn!(
                    entries = retry.len(),
                    round,
                    "giving up retrying batch entries"
                );
                for index in retry {
                    if attempts[index] > 1 {
                        if let Some(Err(last)) = results[index].take() {
                            results[index] = Some(Err(Error::RetriesExhausted {
                                attempts: attempts[index],
                                elapsed: started.elapsed(),
                                last: Box::new(last),
                            }));
                        }
                    }
                }
                break;
            }
            tracing::info!(
                entries = retry.len(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying batch entries"
            );
            tokio::time::sleep(wait).await;
            for &index in &retry {
                results[index] = None;
            }
            pending = retry;
        }
        Ok(BatchResults {
            batch: self.id,
            entries: results,
            requests: sender.requests,
        })
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Methods only: urls hold ids, headers may hold secrets.
        let methods: Vec<_> = self
            .entries
            .iter()
            .map(|entry| entry.prepared.as_ref().map(|p| p.method.clone()).ok())
            .collect();
        f.debug_struct("Batch")
            .field("entries", &methods)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

/// A call's request as a batch entry, refusing what the call alone would refuse.
fn prepare(client: &GraphClient, parts: CallParts) -> Result<Prepared, Error> {
    if parts.client.base_url() != client.base_url() {
        return Err(Error::Batch(
            "a call of a client with another service root cannot join this batch".into(),
        ));
    }
    let (_, outgoing) = parts.prepare()?;
    // The url was built as base, path and query; what follows the base is `/{version}/…`.
    let below = outgoing
        .url
        .as_str()
        .strip_prefix(client.base_url())
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|rest| rest.split_once('/'))
        .filter(|(version, _)| !version.is_empty() && !version.contains(['?', '#']));
    let Some((version, url)) = below else {
        return Err(Error::Batch(format!(
            "`{}` has no API version to batch it in",
            outgoing.template
        )));
    };
    let mut headers = Map::new();
    for (name, value) in &outgoing.headers {
        let value = value.to_str().map_err(|_| {
            Error::InvalidRequest(format!("header `{name}` is not text, as a batch needs"))
        })?;
        // Repeated headers are one comma-separated value in a JSON object.
        match headers.get_mut(name.as_str()) {
            Some(Value::String(known)) => {
                known.push_str(", ");
                known.push_str(value);
            }
            _ => {
                headers.insert(name.as_str().to_owned(), Value::String(value.to_owned()));
            }
        }
    }
    let body = match &outgoing.body {
        Some(body) => {
            // Graph requires an entry with a body to say its type.
            headers
                .entry(CONTENT_TYPE.as_str())
                .or_insert_with(|| Value::String("application/json".into()));
            Some(serde_json::from_slice(body).map_err(Error::Serialize)?)
        }
        None => None,
    };
    Ok(Prepared {
        version: version.to_owned(),
        method: outgoing.method,
        url: format!("/{url}"),
        headers,
        body,
    })
}

/// The sendable entries of a batch, by index.
struct Entries {
    prepared: Vec<Option<Prepared>>,
    depends_on: Vec<Vec<usize>>,
}

impl Entries {
    fn request(&self, index: usize) -> &Prepared {
        self.prepared[index]
            .as_ref()
            .expect("only prepared entries are sent")
    }

    /// `pending` split into `$batch` requests: by version, then in order, each `dependsOn`
    /// chain whole. Chains that fit no request get their error in `results`.
    fn pack(
        &self,
        pending: &[usize],
        results: &mut [Option<Result<RawResponse, Error>>],
    ) -> Vec<(String, Vec<usize>)> {
        // Chains: an entry joins the chain of the first entry it depends on, and merges the
        // chains of the others into it (dependencies come before their dependents).
        let mut chain_of: HashMap<usize, usize> = HashMap::new();
        let mut chains: Vec<Vec<usize>> = Vec::new();
        for &index in pending {
            let mut joined: Option<usize> = None;
            for dependency in &self.depends_on[index] {
                let Some(&chain) = chain_of.get(dependency) else {
                    continue;
                };
                match joined {
                    None => joined = Some(chain),
                    Some(target) if target != chain => {
                        let moved = std::mem::take(&mut chains[chain]);
                        for &member in &moved {
                            chain_of.insert(member, target);
                        }
                        chains[target].extend(moved);
                    }
                    Some(_) => {}
                }
            }
            let chain = joined.unwrap_or_else(|| {
                chains.push(Vec::new());
                chains.len() - 1
            });
            chains[chain].push(index);
            chain_of.insert(index, chain);
        }
        let mut chains: Vec<Vec<usize>> = chains.into_iter().filter(|c| !c.is_empty()).collect();
        for chain in &mut chains {
            chain.sort_unstable();
        }
        chains.sort_unstable_by_key(|chain| chain[0]);

        let mut versions: Vec<(String, Vec<Vec<usize>>)> = Vec::new();
        for chain in chains {
            let version = &self.request(chain[0]).version;
            let problem = if chain.iter().any(|&i| self.request(i).version != *version) {
                Some("links entries of different API versions")
            } else if chain.len() > MAX_BATCH_SIZE {
                Some("has more entries than one `$batch` request takes (20)")
            } else {
                None
            };
            if let Some(problem) = problem {
                for &index in &chain {
                    results[index] = Some(Err(Error::Batch(format!(
                        "the `dependsOn` chain of entry {} {problem}",
                        index + 1
                    ))));
                }
                continue;
            }
            match versions.iter_mut().find(|(known, _)| known == version) {
                Some((_, list)) => list.push(chain),
                None => versions.push((version.clone(), vec![chain])),
            }
        }
        let mut requests = Vec::new();
        for (version, chains) in versions {
            let mut current: Vec<usize> = Vec::new();
            for chain in chains {
                if current.len() + chain.len() > MAX_BATCH_SIZE {
                    current.sort_unstable();
                    requests.push((version.clone(), std::mem::take(&mut current)));
                }
                current.extend(chain);
            }
            if !current.is_empty() {
                current.sort_unstable();
                requests.push((version, current));
            }
        }
        requests
    }

    /// The `$batch` body of `group`: each entry's `dependsOn` names only entries sent with
    /// it, as those before succeeded in an earlier round.
    fn body(&self, group: &[usize]) -> Value {
        let requests: Vec<Value> = group
            .iter()
            .map(|&index| {
                let request = self.request(index);
                let mut entry = Map::new();
                entry.insert("id".into(), Value::String((index + 1).to_string()));
                entry.insert("method".into(), Value::String(request.method.to_string()));
                entry.insert("url".into(), Value::String(request.url.clone()));
                if !request.headers.is_empty() {
                    entry.insert("headers".into(), Value::Object(request.headers.clone()));
                }
                if let Some(body) = &request.body {
                    entry.insert("body".into(), body.clone());
                }
                let depends: Vec<Value> = self.depends_on[index]
                    .iter()
                    .filter(|dependency| group.contains(dependency))
                    .map(|dependency| Value::String((dependency + 1).to_string()))
                    .collect();
                if !depends.is_empty() {
                    entry.insert("dependsOn".into(), Value::Array(depends));
                }
                Value::Object(entry)
            })
            .collect();
        serde_json::json!({ "requests": requests })
    }

    /// The entries of `pending` to send again, and the longest `Retry-After` among them: the
    /// throttled ones the policy allows to repeat, and those that failed `424` on one of them.
    fn to_retry(
        &self,
        pending: &[usize],
        results: &[Option<Result<RawResponse, Error>>],
    ) -> (Vec<usize>, Option<Duration>) {
        let mut retry: Vec<usize> = Vec::new();
        let mut wait: Option<Duration> = None;
        for &index in pending {
            let Some(Err(Error::Api(api))) = &results[index] else {
                continue;
            };
            let Some(request) = &self.prepared[index] else {
                continue;
            };
            let status = StatusCode::from_u16(api.status).unwrap_or(StatusCode::OK);
            let retryable = is_retryable(
                status,
                &request.method,
                request.body.is_some(),
                api.retry_after,
            );
            let failed_on_retried = status == StatusCode::FAILED_DEPENDENCY
                && self.depends_on[index].iter().any(|d| retry.contains(d));
            if retryable {
                wait = wait.max(api.retry_after);
            }
            if retryable || failed_on_retried {
                retry.push(index);
            }
        }
        (retry, wait)
    }
}

/// Sends `$batch` requests and reads their answers into the entries' results.
struct Sender<'a> {
    client: &'a GraphClient,
    policy: RetryPolicy,
    timeout: Duration,
    /// `$batch` requests sent so far.
    requests: usize,
}

impl Sender<'_> {
    async fn send(
        &mut self,
        entries: &Entries,
        version: &str,
        group: &[usize],
        results: &mut [Option<Result<RawResponse, Error>>],
    ) -> Result<(), Error> {
        self.requests += 1;
        let answers = match self.exchange(entries, version, group).await {
            Ok(answers) => answers,
            Err(error) if self.requests == 1 => return Err(error),
            Err(error) => {
                for &index in group {
                    results[index] = Some(Err(Error::Batch(format!(
                        "the `$batch` request of entry {} failed: {error}",
                        index + 1
                    ))));
                }
                return Ok(());
            }
        };
        for (&index, answer) in group.iter().zip(answers) {
            results[index] = Some(answer);
        }
        Ok(())
    }

    /// One `$batch` request, and each entry's answer in `group`'s order.
    async fn exchange(
        &self,
        entries: &Entries,
        version: &str,
        group: &[usize],
    ) -> Result<Vec<Result<RawResponse, Error>>, Error> {
        let base = self.client.base_url();
        let text = format!("{base}/{version}/$batch");
        let url =
            Url::parse(&text).map_err(|e| Error::InvalidRequest(format!("url `{text}`: {e}")))?;
        let body = serde_json::to_vec(&entries.body(group)).map_err(Error::Serialize)?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let outgoing = Outgoing {
            method: Method::POST,
            url,
            template: format!("/{version}/$batch"),
            headers,
            body: Some(body.into()),
            timeout: self.timeout,
            retry: self.policy,
        };
        let raw = self.client.send(&outgoing).await?;
        let answer: BatchBody = decode_json(&raw)?;
        let mut by_id: HashMap<String, EntryAnswer> = answer
            .responses
            .into_iter()
            .map(|answer| (answer.id.clone(), answer))
            .collect();
        Ok(group
            .iter()
            .map(|&index| {
                let id = (index + 1).to_string();
                match by_id.remove(&id) {
                    Some(answer) => answer.into_raw(&raw),
                    None => Err(Error::Batch(format!(
                        "the `$batch` response has no answer for entry {id}"
                    ))),
                }
            })
            .collect())
    }
}

/// The body of a `$batch` response.
#[derive(Deserialize)]
struct BatchBody {
    responses: Vec<EntryAnswer>,
}

/// One entry's answer in a `$batch` response.
#[derive(Deserialize)]
struct EntryAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Value,
}

impl EntryAnswer {
    /// The answer as the response of a call of its own: a 2xx to decode, or its error, with
    /// the batch's ids, token (to redact) and decode budget.
    fn into_raw(self, batch: &RawResponse) -> Result<RawResponse, Error> {
        let status = StatusCode::from_u16(self.status)
            .map_err(|_| Error::Batch(format!("entry {} has status {}", self.id, self.status)))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            // A header that HTTP could not carry is dropped, as a client library would.
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&text),
            ) {
                headers.append(name, value);
            }
        }
        let body = body_bytes(self.body, &headers);
        if !status.is_success() {
            let prefix = &body[..body.len().min(ERROR_BODY_LIMIT)];
            let error = api_error(status, &headers, prefix, &batch.client_request_id);
            return Err(redact(error, batch.authorization.as_ref()));
        }
        Ok(RawResponse {
            status,
            headers,
            body,
            client_request_id: batch.client_request_id.clone(),
            authorization: batch.authorization.clone(),
            decode_ratio: batch.decode_ratio,
        })
    }
}

/// The bytes an entry's body stands for: JSON as JSON text; a string with another (or no)
/// content type is base64 of the bytes, or else its own text.
fn body_bytes(body: Value, headers: &HeaderMap) -> Bytes {
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().contains("json"));
    match body {
        Value::Null => Bytes::new(),
        Value::String(text) if !is_json => {
            match base64::engine::general_purpose::STANDARD.decode(text.as_bytes()) {
                Ok(bytes) => bytes.into(),
                Err(_) => text.into(),
            }
        }
        other => serde_json::to_vec(&other).unwrap_or_default().into(),
    }
}

/// What a sent [`Batch`] gave: each entry's result, taken with its [`BatchHandle`].
pub struct BatchResults {
    batch: u64,
    entries: Vec<Option<Result<RawResponse, Error>>>,
    requests: usize,
}

impl BatchResults {
    /// The entry's body, decoded as the call decodes it, or the entry's error.
    pub fn take<T>(&mut self, handle: BatchHandle<T>) -> Result<T, Error> {
        // The handle is used up: each result is taken once.
        let BatchHandle { id, decode } = handle;
        decode(&self.raw(id)?)
    }

    /// [`take`](Self::take) with the entry's status and headers.
    pub fn take_response<T>(&mut self, handle: BatchHandle<T>) -> Result<Response<T>, Error> {
        let BatchHandle { id, decode } = handle;
        let raw = self.raw(id)?;
        let body = decode(&raw)?;
        Ok(raw.with_body(body))
    }

    fn raw(&mut self, id: EntryId) -> Result<RawResponse, Error> {
        if id.batch != self.batch {
            return Err(Error::Batch(
                "the handle is of another batch's entry".into(),
            ));
        }
        self.entries
            .get_mut(id.index)
            .and_then(Option::take)
            .unwrap_or_else(|| Err(Error::Batch(format!("entry {id} has no result"))))
    }

    /// How many `$batch` requests were sent, retries of entries included.
    pub fn requests_sent(&self) -> usize {
        self.requests
    }

    /// How many entries the batch had.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch had no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Statuses only: bodies hold personal data.
        let statuses: Vec<Option<u16>> = self
            .entries
            .iter()
            .map(|entry| match entry {
                Some(Ok(raw)) => Some(raw.status.as_u16()),
                Some(Err(error)) => error.status(),
                None => None,
            })
            .collect();
        f.debug_struct("BatchResults")
            .field("statuses", &statuses)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}
