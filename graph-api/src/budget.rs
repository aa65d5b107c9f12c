//! A memory budget for decoding a JSON body. Decoded values can take far more memory than
//! their text: `{}` is 3 bytes of a page and a whole model once decoded (130 bytes and more),
//! `0,` is 2 bytes of an array and a 32-byte `serde_json::Value`. A deserializer wrapped in
//! [`Budgeted`] charges, as it decodes, the size of every element, entry and string it makes,
//! and fails at the path of the value that would exceed the budget, before the memory is spent
//! rather than after.

use std::cell::Cell;
use std::fmt;
use std::mem::size_of;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Every body may take this much, whatever its size: as much as the largest body read by default
/// ([`max_response_bytes`](crate::GraphClientBuilder::max_response_bytes)), and enough for any
/// page of 999 items of the largest models, however few of their properties are set.
pub(crate) const MIN_DECODE_BUDGET: usize = 64 << 20;

/// How much memory a decoded body may take, and how much is left.
pub(crate) struct Budget {
    left: Cell<usize>,
    limit: usize,
    body: usize,
}

impl Budget {
    /// The budget of a body of `body` bytes: `ratio` times its size, at least
    /// [`MIN_DECODE_BUDGET`].
    pub(crate) fn new(body: usize, ratio: u32) -> Self {
        let ratio = usize::try_from(ratio).unwrap_or(usize::MAX);
        let limit = body.saturating_mul(ratio).max(MIN_DECODE_BUDGET);
        Self {
            left: Cell::new(limit),
            limit,
            body,
        }
    }

    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        match self.left.get().checked_sub(bytes) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format_args!(
                "decoding would take more than {} bytes of memory, the bound for a body of {} \
                 bytes; `max_decode_ratio` sets it",
                self.limit, self.body
            ))),
        }
    }
}

/// A deserializer that charges what it decodes to a [`Budget`].
pub(crate) struct Budgeted<'b, D> {
    inner: D,
    budget: &'b Budget,
}

impl<'b, D> Budgeted<'b, D> {
    pub(crate) fn new(inner: D, budget: &'b Budget) -> Self {
        Self { inner, budget }
    }
}

/// Forwards `deserialize_*` methods, the visitor wrapped.
macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* Charged { inner: visitor, budget: self.budget })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Budgeted<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
        deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
        deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
        deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
        deserialize_string() deserialize_bytes() deserialize_byte_buf() deserialize_option()
        deserialize_unit() deserialize_seq() deserialize_map() deserialize_identifier()
        deserialize_ignored_any()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// A visitor whose strings are charged and whose nested deserializers are wrapped.
struct Charged<'b, V> {
    inner: V,
    budget: &'b Budget,
}

/// Forwards `visit_*` methods of plain values, charging nothing.
macro_rules! forward_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.inner.$method(value)
        }
    )*};
}

/// Forwards `visit_*` methods of strings and bytes, charging their length.
macro_rules! charge_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.budget.charge(value.len())?;
            self.inner.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Charged<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char)
    }

    charge_visit! {
        visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner
            .visit_some(Budgeted::new(deserializer, self.budget))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .visit_newtype_struct(Budgeted::new(deserializer, self.budget))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Charged {
            inner: seq,
            budget: self.budget,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Charged {
            inner: map,
            budget: self.budget,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Charged {
            inner: data,
            budget: self.budget,
        })
    }
}

/// Each element is charged the size of the value it makes (its slot in a `Vec`), as soon as it
/// is made.
impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Charged<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let element = self.inner.next_element_seed(Seeded {
            inner: seed,
            budget: self.budget,
        })?;
        if element.is_some() {
            self.budget.charge(size_of::<T::Value>())?;
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Each key and value is charged the size of what it makes.
impl<'de, A: MapAccess<'de>> MapAccess<'de> for Charged<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.inner.next_key_seed(Seeded {
            inner: seed,
            budget: self.budget,
        })?;
        if key.is_some() {
            self.budget.charge(size_of::<K::Value>())?;
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let value = self.inner.next_value_seed(Seeded {
            inner: seed,
            budget: self.budget,
        })?;
        self.budget.charge(size_of::<S::Value>())?;
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 'b, A: EnumAccess<'de>> EnumAccess<'de> for Charged<'b, A> {
    type Error = A::Error;
    type Variant = Charged<'b, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let budget = self.budget;
        let (value, variant) = self.inner.variant_seed(Seeded {
            inner: seed,
            budget,
        })?;
        Ok((
            value,
            Charged {
                inner: variant,
                budget,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Charged<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.newtype_variant_seed(Seeded {
            inner: seed,
            budget: self.budget,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let visitor = Charged {
            inner: visitor,
            budget: self.budget,
        };
        self.inner.tuple_variant(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let visitor = Charged {
            inner: visitor,
            budget: self.budget,
        };
        self.inner.struct_variant(fields, visitor)
    }
}

/// A seed whose deserializer is wrapped.
struct Seeded<'b, S> {
    inner: S,
    budget: &'b Budget,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seeded<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner
            .deserialize(Budgeted::new(deserializer, self.budget))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: serde::de::DeserializeOwned>(json: &str, budget: &Budget) -> Result<T, String> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        T::deserialize(Budgeted::new(&mut deserializer, budget)).map_err(|e| e.to_string())
    }

    fn budget(limit: usize) -> Budget {
        Budget {
            left: Cell::new(limit),
            limit,
            body: 1,
        }
    }

    #[test]
    fn elements_entries_and_strings_are_charged() {
        let value = budget(1 << 20);
        decode::<Vec<serde_json::Value>>("[0, 1, 2]", &value).unwrap();
        assert_eq!(
            value.left.get(),
            (1 << 20) - 3 * size_of::<serde_json::Value>()
        );

        let strings = budget(1 << 20);
        decode::<Vec<String>>(r#"["abcd", "ef"]"#, &strings).unwrap();
        assert_eq!(strings.left.get(), (1 << 20) - 2 * size_of::<String>() - 6);

        let map = budget(1 << 20);
        let decoded: serde_json::Map<String, serde_json::Value> =
            decode(r#"{"ab": {"c": null}}"#, &map).unwrap();
        assert_eq!(decoded["ab"]["c"], serde_json::Value::Null);
        let entry = size_of::<String>() + size_of::<serde_json::Value>();
        assert_eq!(map.left.get(), (1 << 20) - 2 * entry - 3);
    }

    #[test]
    fn decoding_stops_at_the_budget() {
        let small = budget(10 * size_of::<serde_json::Value>());
        let error =
            decode::<serde_json::Value>("[[0,0,0,0,0,0],[0,0,0,0,0,0]]", &small).unwrap_err();
        assert!(
            error.starts_with("decoding would take more than 320 bytes of memory"),
            "{error}"
        );
        assert!(error.ends_with("at line 1 column 24"), "{error}");
    }

    #[test]
    fn the_budget_is_a_multiple_of_the_body_with_a_floor() {
        assert_eq!(Budget::new(10, 4).limit, MIN_DECODE_BUDGET);
        assert_eq!(Budget::new(100 << 20, 4).limit, 400 << 20);
        assert_eq!(Budget::new(usize::MAX, 4).limit, usize::MAX);
        assert_eq!(
            Budget::new(1 << 20, u32::MAX).limit,
            (1 << 20) * u32::MAX as usize
        );
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    enum Shape {
        Unit,
        Newtype(Vec<u8>),
        Tuple(u8, String),
        Struct { a: Option<String> },
    }

    #[test]
    fn options_enums_and_structs_decode_as_without_a_budget() {
        let roomy = budget(1 << 20);
        let json =
            r#"[ "Unit", {"Newtype": [1, 2]}, {"Tuple": [3, "x"]}, {"Struct": {"a": "b"}} ]"#;
        let shapes: Vec<Shape> = decode(json, &roomy).unwrap();
        assert_eq!(shapes, serde_json::from_str::<Vec<Shape>>(json).unwrap());
        let none: Option<u8> = decode("null", &roomy).unwrap();
        assert_eq!(none, None);
    }
}

/// What the budget and the item-by-item page decoder cost against plain `serde_json`, for
/// `BENCHMARKS.md`: `cargo test --release -p graph-api --lib decode_cost -- --ignored --nocapture`.
/// It asserts nothing: the figures are printed.
#[cfg(all(test, feature = "beta"))]
mod cost {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use crate::beta::User;
    use crate::paging::decode_page;
    use crate::response::{decode_json, RawResponse};

    const USER: &str = r#"{"id":"047dd774-f1c4-40f2-82f0-278de79f9b83","accountEnabled":true,"assignedLicenses":[{"disabledPlans":["11b0131d-43c8-4bbb-b2c8-e80f9a50834a"],"skuId":"6fd2c87f-b296-42f0-b197-1e91e994b900"}],"businessPhones":["+1 425 555 0109"],"city":"Redmond","companyName":"Contoso","country":"United States","createdDateTime":"2019-02-13T19:01:33Z","department":"Sales & Marketing","displayName":"Adele Vance","givenName":"Adele","jobTitle":"Retail Manager","mail":"AdeleV@contoso.com","mailNickname":"AdeleV","mobilePhone":"+1 425 555 0109","officeLocation":"18/2111","preferredLanguage":"en-US","surname":"Vance","usageLocation":"US","userPrincipalName":"AdeleV@contoso.com","userType":"Member"}"#;

    #[derive(serde::Deserialize)]
    #[allow(dead_code, reason = "decoded to be timed")]
    struct PlainPage {
        value: Vec<User>,
        #[serde(rename = "@odata.nextLink")]
        next_link: Option<String>,
    }

    fn raw(body: String) -> RawResponse {
        RawResponse {
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            body: body.into(),
            client_request_id: String::new(),
            authorization: None,
            decode_ratio: 4,
        }
    }

    /// Total times of `a` and `b`, run in turns, `batches` batches of `runs` each, so that
    /// both see the same load.
    fn in_turns(batches: usize, runs: usize, a: impl Fn(), b: impl Fn()) -> (Duration, Duration) {
        let (mut first, mut second) = (Duration::ZERO, Duration::ZERO);
        for _ in 0..batches {
            let started = Instant::now();
            (0..runs).for_each(|_| a());
            first += started.elapsed();
            let started = Instant::now();
            (0..runs).for_each(|_| b());
            second += started.elapsed();
        }
        (first, second)
    }

    #[test]
    #[ignore = "a measurement; run it in release"]
    fn decode_cost() {
        // Both decode, so that neither is timed for an error.
        assert!(serde_json::from_str::<User>(USER).is_ok());
        let user = raw(USER.to_owned());
        let page = raw(format!(
            r#"{{"value":[{}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x"}}"#,
            vec![USER; 100].join(",")
        ));
        for round in 1..=5 {
            let (plain, budgeted) = in_turns(
                40,
                500,
                || drop(black_box(serde_json::from_slice::<User>(&user.body))),
                || drop(black_box(decode_json::<User>(&user))),
            );
            let (plain_page, budgeted_page) = in_turns(
                40,
                5,
                || drop(black_box(serde_json::from_slice::<PlainPage>(&page.body))),
                || drop(black_box(decode_page::<User>(&page, 100_000))),
            );
            println!(
                "round {round}: user {:.3}x ({plain:.2?} -> {budgeted:.2?}), page of 100 {:.3}x \
                 ({plain_page:.2?} -> {budgeted_page:.2?})",
                budgeted.as_secs_f64() / plain.as_secs_f64(),
                budgeted_page.as_secs_f64() / plain_page.as_secs_f64(),
            );
        }
    }
}
