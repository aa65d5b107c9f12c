//! Decoding a collection page item by item, so that the item limit holds while decoding: a
//! page of a million `{}` is cut at the limit, the rest of its body never decoded.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess,
    SeqAccess, Visitor,
};

use super::Page;
use crate::response::{decode_fast, decode_tracked, RawResponse};
use crate::Error;

/// Decodes a page of at most `room` items. A page with more is cut at `room`, without its
/// links, and comes with `true`: the collection has gone past its limit.
pub(crate) fn decode_page<T: DeserializeOwned>(
    raw: &RawResponse,
    room: usize,
) -> Result<(Page<T>, bool), Error> {
    let items = RefCell::new(Vec::new());
    let overflowed = Cell::new(false);
    let seed = PageSeed {
        items: &items,
        overflowed: &overflowed,
        room,
    };
    let links = match decode_fast(raw, seed) {
        Ok(links) => links,
        // Stopped on purpose: the items before the limit are the page.
        Err(_) if overflowed.get() => Links::default(),
        Err(_) => {
            items.borrow_mut().clear();
            decode_tracked(raw, seed)?
        }
    };
    let page = Page {
        items: items.into_inner(),
        next_link: links.next_link,
        delta_link: links.delta_link,
        count: links.count,
    };
    Ok((page, overflowed.get()))
}

/// Decodes a page's JSON object: its items into `items`, its other properties as [`Links`].
struct PageSeed<'s, T> {
    items: &'s RefCell<Vec<T>>,
    /// Set when `value` holds more than `room` items; decoding then fails to stop.
    overflowed: &'s Cell<bool>,
    room: usize,
}

impl<T> Clone for PageSeed<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for PageSeed<'_, T> {}

/// The properties of a page besides its items.
#[derive(Default)]
struct Links {
    next_link: Option<String>,
    delta_link: Option<String>,
    count: Option<u64>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<'_, T> {
    type Value = Links;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Links, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<'_, T> {
    type Value = Links;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a collection page")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Links, A::Error> {
        let (mut value, mut next_link, mut delta_link, mut count) = (false, None, None, None);
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Value if value => return Err(de::Error::duplicate_field("value")),
                Key::Value => {
                    value = true;
                    map.next_value_seed(ItemsSeed(self))?;
                }
                Key::NextLink => once(&mut next_link, &mut map, "@odata.nextLink")?,
                Key::DeltaLink => once(&mut delta_link, &mut map, "@odata.deltaLink")?,
                Key::Count => once(&mut count, &mut map, "@odata.count")?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !value {
            return Err(de::Error::missing_field("value"));
        }
        Ok(Links {
            next_link: next_link.flatten(),
            delta_link: delta_link.flatten(),
            count: count.flatten(),
        })
    }
}

/// Reads the next value of `map` into `slot`, which must still be empty.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The `value` array: at most `room` items, and an error as soon as there is one more.
struct ItemsSeed<'s, T>(PageSeed<'s, T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ItemsSeed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsSeed<'_, T> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let page = self.0;
        let mut items = page.items.borrow_mut();
        while items.len() < page.room {
            match seq.next_element()? {
                Some(item) => items.push(item),
                None => return Ok(()),
            }
        }
        // One more is skipped, not decoded, to learn whether there is one.
        if seq.next_element::<IgnoredAny>()?.is_none() {
            return Ok(());
        }
        page.overflowed.set(true);
        Err(de::Error::custom(
            "the page has more items than the collection may",
        ))
    }
}

/// The properties of a page the client reads.
enum Key {
    Value,
    NextLink,
    DeltaLink,
    Count,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "value" => Key::Value,
            "@odata.nextLink" => Key::NextLink,
            "@odata.deltaLink" => Key::DeltaLink,
            "@odata.count" => Key::Count,
            _ => Key::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;

    use super::*;

    fn raw(body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(body.as_bytes()),
            client_request_id: String::new(),
            authorization: None,
            decode_ratio: 4,
        }
    }

    fn decode(body: &str, room: usize) -> Result<(Page<u32>, bool), Error> {
        decode_page(&raw(body), room)
    }

    #[test]
    fn pages_decode_with_their_links() {
        let body = r#"{"@odata.context":"x","value":[1,2],"@odata.nextLink":"n","@odata.count":9}"#;
        let (page, overflowed) = decode(body, 10).unwrap();
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_link.as_deref(), Some("n"));
        assert_eq!(page.count, Some(9));
        assert_eq!(page.delta_link, None);
        assert!(!overflowed);
        assert!(!decode(r#"{"value":[1,2]}"#, 2).unwrap().1, "exactly full");
    }

    /// The items after the limit are never decoded, so neither can they fail.
    #[test]
    fn a_page_over_the_limit_is_cut_and_the_rest_left_unread() {
        let body = r#"{"value":[1,2,3,"not a number"],"@odata.nextLink":"n"}"#;
        let (page, overflowed) = decode(body, 2).unwrap();
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_link, None);
        assert!(overflowed);
        let (empty, overflowed) = decode(r#"{"value":[1]}"#, 0).unwrap();
        assert!(empty.items.is_empty() && overflowed);
    }

    #[test]
    fn malformed_pages_are_decode_errors_at_their_path() {
        for (body, path) in [
            (r#"{"value":[1,"x"]}"#, "value[1]"),
            (r#"{"value":[1],"value":[2]}"#, "."),
            (r#"{"@odata.count":1}"#, "."),
            (
                r#"{"value":[],"@odata.nextLink":"a","@odata.nextLink":"b"}"#,
                ".",
            ),
            ("[1]", "."),
        ] {
            let error = decode(body, 10).unwrap_err();
            let Error::Decode { path: at, .. } = &error else {
                panic!("{body}: {error:?}")
            };
            assert_eq!(at, path, "{body}: {error}");
        }
    }
}
