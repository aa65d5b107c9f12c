//! [`Patch`]: a property of a `PATCH` body that can be left out, cleared, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One optional property of a `PATCH` request body, where leaving a property out and sending
/// `null` mean different things: unchanged versus cleared.
///
/// Generated `PATCH` bodies skip [`Patch::Unchanged`] fields (`#[serde(skip_serializing_if =
/// "Patch::is_unchanged")]`); on its own, `Unchanged` serializes as `null` like `Null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Not sent: the property keeps its value.
    #[default]
    Unchanged,
    /// Sent as `null`: the property is cleared.
    Null,
    /// Sent as this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the property is left out of the body.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Self::Unchanged)
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Self::Set(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Unchanged | Self::Null => serializer.serialize_none(),
            Self::Set(value) => value.serialize(serializer),
        }
    }
}

/// `null` reads as [`Patch::Null`], a value as [`Patch::Set`]; a property left out is
/// [`Patch::Unchanged`], its `Default`, which is the reading struct's to give.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Self::Null, Self::Set))
    }
}

#[cfg(test)]
mod tests {
    use super::Patch;

    #[test]
    fn null_and_values_read_back() {
        let null: Patch<String> = serde_json::from_str("null").unwrap();
        let set: Patch<String> = serde_json::from_str("\"Oslo\"").unwrap();
        assert_eq!((null, set), (Patch::Null, Patch::Set("Oslo".to_owned())));
    }

    #[derive(serde::Serialize)]
    struct Body {
        #[serde(skip_serializing_if = "Patch::is_unchanged")]
        city: Patch<String>,
        #[serde(skip_serializing_if = "Patch::is_unchanged")]
        state: Patch<String>,
        #[serde(skip_serializing_if = "Patch::is_unchanged")]
        country: Patch<String>,
    }

    #[test]
    fn unchanged_null_and_set_differ_on_the_wire() {
        let body = Body {
            city: Patch::Unchanged,
            state: Patch::Null,
            country: "NZ".to_owned().into(),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"state":null,"country":"NZ"}"#
        );
    }
}
