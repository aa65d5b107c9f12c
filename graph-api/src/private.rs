//! Support for generated bindings; not a stable API.

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

use crate::response::decode_error;
use crate::{Error, GraphClient};

/// Sends `request` and decodes a 2xx JSON body as `T`.
///
/// Decode errors name the JSON path of the failing value.
pub async fn send_json<T: serde::de::DeserializeOwned>(
    client: &GraphClient,
    mut request: Request,
) -> Result<T, Error> {
    request
        .headers
        .entry(ACCEPT)
        .or_insert(HeaderValue::from_static("application/json"));
    let (headers, body) = client.execute(request).await?;
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| decode_error(e.path().to_string(), e.into_inner(), &headers))?;
    // Trailing data after the value belongs to no field: report the root.
    deserializer
        .end()
        .map_err(|e| decode_error(".".into(), e, &headers))?;
    Ok(value)
}

/// Sends `request`, ignoring the body of a 2xx response.
pub async fn send_empty(client: &GraphClient, request: Request) -> Result<(), Error> {
    client.execute(request).await.map(drop)
}
