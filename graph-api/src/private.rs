//! Support for generated bindings; not a stable API.

/// Bodies of `$value` and other content downloads.
pub use bytes::Bytes;
/// Date and time types of generated models.
pub use chrono;
/// HTTP method of a [`Request`].
pub use reqwest::Method;
/// Derives of generated models use `#[serde(crate = "::graph_api::__private::serde")]`.
pub use serde;
/// Untyped JSON for open-ended model properties.
pub use serde_json;
/// GUID type of generated models.
pub use uuid;

pub use crate::path::RequestPath;
pub use crate::request::Request;

use reqwest::header::{HeaderValue, ACCEPT};
use serde::de::DeserializeOwned;

use crate::paging::decode_page;
use crate::response::{decode_bytes, decode_json, decode_nothing};
use crate::{Call, GraphClient, ListCall};

/// A call whose 2xx JSON body decodes as `T`.
pub fn json_call<T: DeserializeOwned, Q>(client: &GraphClient, request: Request) -> Call<T, Q> {
    Call::new(client, accept_json(request), decode_json::<T>)
}

/// A call whose 2xx body is ignored.
pub fn empty_call<Q>(client: &GraphClient, request: Request) -> Call<(), Q> {
    Call::new(client, request, decode_nothing)
}

/// A call whose 2xx body is kept as bytes.
pub fn bytes_call<Q>(client: &GraphClient, request: Request) -> Call<Bytes, Q> {
    Call::new(client, request, decode_bytes)
}

/// A call for a collection of `T`, paged through `@odata.nextLink`.
pub fn list_call<T: DeserializeOwned, Q>(client: &GraphClient, request: Request) -> ListCall<T, Q> {
    ListCall::new(client, accept_json(request), decode_page::<T>)
}

fn accept_json(mut request: Request) -> Request {
    request
        .headers
        .entry(ACCEPT)
        .or_insert(HeaderValue::from_static("application/json"));
    request
}
