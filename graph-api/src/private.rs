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

pub use crate::node::Node;
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

/// A call whose 2xx body is one primitive or enum value, which OData wraps as
/// `{"value": …}` (a bare value is read too).
pub fn value_call<T: DeserializeOwned, Q>(client: &GraphClient, request: Request) -> Call<T, Q> {
    Call::new(client, accept_json(request), decode_value::<T>)
}

fn decode_value<T: DeserializeOwned>(raw: &crate::response::RawResponse) -> crate::Result<T> {
    #[derive(serde::Deserialize)]
    struct Wrapped<T> {
        value: T,
    }
    let body = raw.body.trim_ascii_start();
    if body.starts_with(b"{") {
        decode_json::<Wrapped<T>>(raw).map(|wrapped| wrapped.value)
    } else {
        decode_json::<T>(raw)
    }
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

/// A delta query for a collection of `T`: pages up to `@odata.deltaLink`, removals kept.
pub fn delta_call<T: DeserializeOwned, Q>(
    client: &GraphClient,
    request: Request,
) -> crate::DeltaCall<T, Q> {
    list_call(client, request).delta()
}

fn accept_json(mut request: Request) -> Request {
    request
        .headers
        .entry(ACCEPT)
        .or_insert(HeaderValue::from_static("application/json"));
    request
}

pub use model::{
    deserialize_model, read_value, serialize_field, serialize_patch, serialize_unlisted,
    take_property, take_required, Model,
};

/// The serde impls of generated models: a `match` arm per property, unknown properties kept.
///
/// serde's derive with `#[serde(flatten)]` on the unknown-properties map buffers every value
/// before decoding it and expands to ~390 lines per model (most of the time `cargo check` spent
/// on bindings of the whole docs); these are a line per property and decode in one pass.
mod model {
    use std::borrow::Cow;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserializer, MapAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap};
    use serde_json::{Map, Value};

    /// A generated model: its listed properties are fields, the others are kept in a map.
    pub trait Model: Default {
        /// The struct's name, for error messages (`expected struct User`).
        const NAME: &'static str;

        /// Decodes the value of property `key` into its field; `false` when no field has that
        /// JSON name (the value is then still to be read).
        fn read_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error>;

        /// The properties the docs do not list.
        fn unlisted(&mut self) -> &mut Map<String, Value>;
    }

    /// `Deserialize::deserialize` of a [`Model`]: a JSON object, property by property.
    pub fn deserialize_model<'de, T: Model, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        deserializer.deserialize_map(ModelVisitor(PhantomData))
    }

    struct ModelVisitor<T>(PhantomData<T>);

    impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(formatter, "struct {}", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut model = T::default();
            while let Some(Key(key)) = map.next_key()? {
                if !model.read_field(&key, &mut map)? {
                    let value = map.next_value()?;
                    model.unlisted().insert(key.into_owned(), value);
                }
            }
            Ok(model)
        }
    }

    /// Decodes the next value of `map` into `field`.
    pub fn read_value<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
        map: &mut A,
        field: &mut T,
    ) -> Result<(), A::Error> {
        *field = map.next_value()?;
        Ok(())
    }

    /// A property name, borrowed from the input when it has no escapes.
    struct Key<'de>(Cow<'de, str>);

    impl<'de> de::Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    struct KeyVisitor;

    impl<'de> Visitor<'de> for KeyVisitor {
        type Value = Key<'de>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a property name")
        }

        fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Borrowed(key)))
        }

        fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Owned(key.to_owned())))
        }

        fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
            Ok(Key(Cow::Owned(key)))
        }
    }

    /// Writes property `key` of a model when it is set.
    pub fn serialize_field<M: SerializeMap, T: Serialize + ?Sized>(
        map: &mut M,
        key: &'static str,
        value: Option<&T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// Writes property `key` of a `PATCH` body unless it is [`Patch::Unchanged`](crate::Patch::Unchanged): a request
    /// never sends what the caller did not set.
    pub fn serialize_patch<M: SerializeMap, T: Serialize>(
        map: &mut M,
        key: &'static str,
        value: &crate::Patch<T>,
    ) -> Result<(), M::Error> {
        if value.is_unchanged() {
            Ok(())
        } else {
            map.serialize_entry(key, value)
        }
    }

    /// Reads a request body's property `key` out of the body's object, for `Deserialize` of
    /// `…Body` structs: `Ok(None)` when absent, so that the struct can say what absence means
    /// (an error for a required property, `None` or `Patch::Unchanged` for another).
    pub fn take_property<T: serde::de::DeserializeOwned, E: de::Error>(
        object: &mut Map<String, Value>,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        object
            .remove(key)
            .map(|value| T::deserialize(value).map_err(E::custom))
            .transpose()
    }

    /// [`take_property`] of a required property: absent is serde's `missing field` error.
    pub fn take_required<T: serde::de::DeserializeOwned, E: de::Error>(
        object: &mut Map<String, Value>,
        key: &'static str,
    ) -> Result<T, E> {
        take_property(object, key)?.ok_or_else(|| E::missing_field(key))
    }

    /// Writes the properties the docs do not list, after the listed ones.
    pub fn serialize_unlisted<M: SerializeMap>(
        map: &mut M,
        unlisted: &Map<String, Value>,
    ) -> Result<(), M::Error> {
        unlisted
            .iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

/// What an example call gives: the typed result's `Debug` text, or the error.
pub type ExampleFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<String, crate::BoxError>> + Send + 'a>,
>;

/// One operation of the docs, called through its flat function with its example's ids and
/// body: what graph-gen's `example_calls` lists for the tour and the example test.
#[derive(Debug, Clone, Copy)]
pub struct ExampleCall {
    /// `v1::user::get`.
    pub function: &'static str,
    /// The page line of the operation.
    pub source: &'static str,
    /// Whether the page has an example request written as the function's template (else the
    /// ids are the placeholders' names).
    pub has_example: bool,
    /// Sends the call.
    pub run: for<'a> fn(&'a GraphClient) -> ExampleFuture<'a>,
}
