//! A typed async client for Microsoft Graph, generated from the Graph API
//! reference pages.
//!
//! This crate holds the runtime the generated bindings build on: a
//! [`GraphClient`] that sends requests with `reqwest` (rustls, never OpenSSL),
//! one [`enum@Error`] type, and [`Permissions`] describing the scopes an
//! operation needs.
//!
//! # Usage
//!
//! ```no_run
//! # fn main() -> Result<(), graph_api::Error> {
//! let client = graph_api::GraphClient::builder()
//!     .base_url("http://127.0.0.1:8080")   // service root holding /v1.0 and /beta
//!     .allow_http(true)                     // plain http needs this explicit opt-in
//!     .bearer_token("TOKEN")
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! The client is cheap to clone. Each request carries `Authorization: Bearer …`
//! (never printed by `Debug` or any error) and a fresh `client-request-id`.
//! Requests time out after 100 seconds unless
//! [`GraphClientBuilder::timeout`] says otherwise.
//!
//! # Errors
//!
//! Every operation returns [`Result`]. A non-2xx response becomes
//! [`Error::Api`] with Graph's status, error code, message and `request-id`,
//! also reachable through [`Error::status`], [`Error::code`] and
//! [`Error::request_id`]. A 2xx body that does not fit the expected type becomes
//! [`Error::Decode`], naming the JSON path of the failing value. Connection
//! problems and timeouts are [`Error::Transport`]; bad configuration is
//! [`Error::Build`].
//!
//! # Clouds
//!
//! Requests go to the global service, `https://graph.microsoft.com`, unless
//! [`GraphClientBuilder::national_cloud`] selects another [`NationalCloud`].
//! A [`GraphClientBuilder::base_url`] wins over the cloud, for proxies and
//! test servers.
#![deny(missing_docs)]

mod builder;
mod client;
mod cloud;
mod error;
mod path;
mod permissions;
mod request;
mod response;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::GraphClientBuilder;
pub use client::GraphClient;
pub use cloud::NationalCloud;
pub use error::{ApiError, Error, Result};
pub use permissions::{PermissionSet, Permissions};

extern crate self as graph_api;

// The bindings: build.rs reads `api-docs/` into graph-gen's IR, the macro expands it into
// `beta` and `v1` modules of models and request functions.
graph_gen_macros::generate_api!(ir = "$OUT_DIR/graph-ir.json");
