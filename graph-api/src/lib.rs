//! A typed async client for Microsoft Graph, generated from the Graph API
//! reference pages.
//!
//! This crate holds the runtime the generated bindings build on: a
//! [`GraphClient`] that sends requests with `reqwest` (rustls, never OpenSSL),
//! the [`Call`] and [`ListCall`] every operation returns, one [`enum@Error`]
//! type, and [`Permissions`] describing the scopes an operation needs.
//!
//! # Usage
//!
//! ```no_run
//! # async fn run() -> Result<(), graph_api::Error> {
//! let client = graph_api::GraphClient::builder()
//!     .base_url("http://127.0.0.1:8080")   // service root holding /v1.0 and /beta
//!     .allow_http(true)                     // plain http needs this explicit opt-in
//!     .bearer_token("TOKEN")
//!     .build()?;
//! # #[cfg(feature = "beta")]
//! let user = graph_api::beta::user::reprocess_license_assignment(&client, "ada@contoso.com")
//!     .timeout(std::time::Duration::from_secs(10))   // builder methods adjust this call
//!     .await?;                                        // awaiting sends it
//! # Ok(())
//! # }
//! ```
//!
//! The client is cheap to clone. It needs a tokio runtime with timers enabled.
//!
//! # Calls
//!
//! A generated operation builds a request and returns a [`Call`] (or a
//! [`ListCall`] for collections) without sending anything. Awaiting it sends the
//! request and decodes the body: the documented model, `()` for no content,
//! [`Bytes`] for `$value` and other downloads. [`Call::with_response`] keeps
//! status and headers next to the typed body ([`Response`]). Before awaiting,
//! [`Call::header`], [`Call::timeout`], [`Call::retry_policy`] and the OData
//! options its page documents ([`query`]) adjust the one call. Request bodies are
//! generated structs (`…Body`, with [`Patch`] fields for `PATCH`) or models.
//!
//! # Batching and delta queries
//!
//! A [`Batch`] sends many calls in one JSON batch (`POST /{version}/$batch`), each keeping
//! its typed result ([`BatchHandle`], [`BatchResults::take`]); the [`batch`] module has the
//! defaults (20 entries per request, `dependsOn`, retries of throttled entries). A `delta`
//! function returns a [`DeltaCall`] (any [`ListCall`] becomes one with [`ListCall::delta`]):
//! awaiting it follows every page to the `@odata.deltaLink`, giving a [`Delta`] of
//! [`DeltaChange`]s (removed items included) and a [`DeltaLink`] to store and
//! [`resume`](DeltaCall::resume) from.
//!
//! # Defaults, and what changes them
//!
//! - **Timeout**: 100 s per attempt, redirects and body included
//!   ([`GraphClientBuilder::timeout`], [`Call::timeout`]); then [`Error::Timeout`].
//! - **Retries**: 429, 503 and 504, honouring `Retry-After`, else exponential
//!   backoff with jitter; 4 attempts within 60 s ([`RetryPolicy`]). Requests with
//!   a body are retried only when throttled with `Retry-After`.
//! - **Redirects**: up to 10 followed per attempt
//!   ([`GraphClientBuilder::max_redirects`]); credentials never leave the origin.
//! - **Paging**: `@odata.nextLink` followed on the client's own host only, at most
//!   1,000 pages and 100,000 items, and 10 minutes for an `.await` of the whole
//!   collection, then [`Error::Timeout`] ([`PageLimits`], [`ListCall::max_duration`]).
//! - **Response size**: 64 MiB at most ([`GraphClientBuilder::max_response_bytes`]);
//!   then [`Error::BodyTooLarge`]. Decoded, a JSON body may take 4 times its size in
//!   memory, 64 MiB whatever its size ([`GraphClientBuilder::max_decode_ratio`]); then
//!   [`Error::Decode`]. A page is decoded only up to the item limit.
//! - **Auth**: none, a fixed token ([`GraphClientBuilder::bearer_token`]) or a
//!   [`TokenProvider`] asked before every attempt. The token is never printed by
//!   `Debug`, `Display`, errors or tracing. With the `azure-identity` feature,
//!   `AzureCredential` takes any credential of the Azure SDK (`azure_identity`).
//! - **Ids**: every request has a `client-request-id`, kept across its retries.
//!
//! # Tracing
//!
//! Each call runs in a `graph.request` span of the [`tracing`](https://docs.rs/tracing)
//! crate, with `method`, `path` (the template, `{}` for each parameter),
//! `client_request_id`, `attempt` and `status`, and `response`, `retrying` and
//! `following redirect` events. Headers, ids and URLs are never recorded.
//!
//! # Errors
//!
//! Every operation returns [`Result`]. A non-2xx response becomes
//! [`Error::Api`] with Graph's status, error code, message, `request-id`, `date`
//! and headers, also reachable through [`Error::status`], [`Error::code`] and
//! [`Error::request_id`] (which look through [`Error::RetriesExhausted`]). A 2xx
//! body that does not fit the expected type becomes [`Error::Decode`], naming the
//! JSON path of the failing value. Connection problems are [`Error::Transport`], whose
//! url is the path template, without ids or query; bad configuration is [`Error::Build`].
//!
//! Errors never hold the access token: a token the server echoes (in a message, a header,
//! a value that fails to decode) is `<redacted>`. `Display` escapes control characters
//! of what the server wrote; the fields keep it as received.
//!
//! # Large files
//!
//! A `createUploadSession` operation returns an upload URL; a [`LargeFileUpload`] sends a
//! file or any reader there in 5 MiB ranges, resumes after dropped connections and server
//! errors, reports progress and returns the created item. The client's token never goes to
//! the upload URL. The [`upload`] module says more.
//!
//! # Clouds
//!
//! Requests go to the global service, `https://graph.microsoft.com`, unless
//! [`GraphClientBuilder::national_cloud`] selects another [`NationalCloud`].
//! A [`GraphClientBuilder::base_url`] wins over the cloud, for proxies and
//! test servers.
#![deny(missing_docs)]

mod auth;
#[cfg(feature = "azure-identity")]
mod azure;
pub mod batch;
mod budget;
mod builder;
mod call;
mod client;
mod cloud;
mod error;
mod escape;
mod node;
mod paging;
mod patch;
mod path;
mod permissions;
pub mod query;
mod redact;
mod redirect;
mod request;
mod response;
mod retry;
mod send;
pub mod upload;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use auth::{AccessToken, BoxError, StaticToken, TokenCallback, TokenFuture, TokenProvider};
#[cfg(feature = "azure-identity")]
pub use azure::AzureCredential;
pub use batch::{Batch, BatchHandle, BatchResults, Batchable, EntryId};
pub use builder::GraphClientBuilder;
pub use bytes::Bytes;
pub use call::Call;
pub use client::GraphClient;
pub use cloud::NationalCloud;
pub use error::{ApiError, Error, Result};
pub use paging::{Delta, DeltaCall, DeltaChange, DeltaLink, ListCall, Page, PageLimits};
pub use patch::Patch;
pub use permissions::{
    least_privileged, LeastPrivileged, PermissionSet, Permissions, ScopeAlternative, Scopes,
};
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
pub use response::Response;
pub use retry::RetryPolicy;
pub use upload::{LargeFileUpload, UploadSession};

extern crate self as graph_api;

// The bindings: build.rs reads `api-docs/` into graph-gen's IR, the macro expands it into
// `beta` and `v1` modules of models and request functions, behind the cargo features of
// Cargo.toml (one per version and resource).
graph_gen_macros::generate_api!(ir = "$OUT_DIR/graph-ir.json", cargo_features = true);
