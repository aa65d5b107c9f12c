//! OData system query options (`$select`, `$filter`, …): the marker traits that say which an
//! operation supports, and their encoding.
//!
//! Every generated operation whose docs list query options has a marker type (for
//! `list_users`, `ListUsersQuery`) implementing one `Supports*` trait per documented option;
//! the builder methods of [`Call`](crate::Call) and [`ListCall`](crate::ListCall) exist only
//! for those options, so `$search` on an operation that does not document it does not compile.
//! Operations without documented options use [`NoQuery`].

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The marker of operations whose docs list no OData query options.
#[derive(Debug)]
pub enum NoQuery {}

/// Declares one marker trait per option.
macro_rules! supports {
    ($($name:ident: $option:literal),* $(,)?) => {$(
        #[doc = concat!("Implemented by the query marker of operations whose docs list `", $option, "`.")]
        pub trait $name {}
    )*};
}

supports! {
    SupportsSelect: "$select",
    SupportsFilter: "$filter",
    SupportsExpand: "$expand",
    SupportsOrderBy: "$orderby",
    SupportsTop: "$top",
    SupportsSkip: "$skip",
    SupportsCount: "$count",
    SupportsSearch: "$search",
}

/// Quotes `value` as an OData string literal, doubling single quotes: `O'Neil` becomes
/// `'O''Neil'`. Use it for values put into a `$filter` expression.
pub fn string_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The options set on one call, sent in a fixed order after the template's own query.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryOptions {
    pub(crate) select: Vec<String>,
    pub(crate) expand: Vec<String>,
    pub(crate) filter: Option<String>,
    pub(crate) orderby: Vec<String>,
    pub(crate) top: Option<u32>,
    pub(crate) skip: Option<u32>,
    pub(crate) count: Option<bool>,
    pub(crate) search: Option<String>,
}

impl QueryOptions {
    /// Whether Graph needs `ConsistencyLevel: eventual` for these options: directory objects
    /// answer `$count` and `$search` only as advanced queries, and other resources ignore it.
    pub(crate) fn needs_eventual_consistency(&self) -> bool {
        self.count == Some(true) || self.search.is_some()
    }

    fn is_empty(&self) -> bool {
        let Self {
            select,
            expand,
            filter,
            orderby,
            top,
            skip,
            count,
            search,
        } = self;
        select.is_empty()
            && expand.is_empty()
            && orderby.is_empty()
            && filter.is_none()
            && top.is_none()
            && skip.is_none()
            && count.is_none()
            && search.is_none()
    }

    /// `(key, value)` pairs of the options that are set, values not yet encoded.
    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.is_empty() {
            // Most calls set none: skip building the eight candidates.
            return pairs;
        }
        let list = |items: &[String]| (!items.is_empty()).then(|| items.join(","));
        let options = [
            ("$select", list(&self.select)),
            ("$expand", list(&self.expand)),
            ("$filter", self.filter.clone()),
            ("$orderby", list(&self.orderby)),
            ("$top", self.top.map(|n| n.to_string())),
            ("$skip", self.skip.map(|n| n.to_string())),
            ("$count", self.count.map(|b| b.to_string())),
            ("$search", self.search.clone()),
        ];
        for (key, value) in options {
            if let Some(value) = value {
                pairs.push((key, value));
            }
        }
        pairs
    }
}

/// Bytes kept as they are in query keys and values: the unreserved characters and the
/// punctuation of OData expressions that URL parsers leave alone. Everything else, including
/// `&`, `=`, `#`, `+`, `'`, `%` and spaces, is percent-encoded, so a value is always one value.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'*');

/// Appends `key=value`, both encoded, to a query string under construction.
pub(crate) fn push_pair(query: &mut String, key: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.extend(utf8_percent_encode(key, QUERY));
    query.push('=');
    query.extend(utf8_percent_encode(value, QUERY));
}

/// Builder methods for one option, on a call type whose marker supports it.
macro_rules! option_methods {
    ($call:ident) => {
        impl<T, Q: $crate::query::SupportsSelect> $call<T, Q> {
            /// Adds properties to `$select`: only these come back (and Graph returns some
            /// properties only when selected).
            pub fn select<I>(mut self, properties: I) -> Self
            where
                I: IntoIterator,
                I::Item: Into<String>,
            {
                let options = &mut self.parts.request.options;
                options
                    .select
                    .extend(properties.into_iter().map(Into::into));
                self
            }
        }

        impl<T, Q: $crate::query::SupportsExpand> $call<T, Q> {
            /// Adds a navigation property to `$expand`, e.g. `"manager($select=id)"`.
            pub fn expand(mut self, property: impl Into<String>) -> Self {
                self.parts.request.options.expand.push(property.into());
                self
            }
        }

        impl<T, Q: $crate::query::SupportsFilter> $call<T, Q> {
            /// Sets `$filter`, replacing an earlier one. Quote string values with
            /// [`string_literal`](crate::query::string_literal); the whole expression is
            /// percent-encoded when sent.
            pub fn filter(mut self, expression: impl Into<String>) -> Self {
                self.parts.request.options.filter = Some(expression.into());
                self
            }
        }

        impl<T, Q: $crate::query::SupportsOrderBy> $call<T, Q> {
            /// Adds a property to `$orderby`, ascending.
            pub fn order_by(mut self, property: impl Into<String>) -> Self {
                self.parts.request.options.orderby.push(property.into());
                self
            }

            /// Adds a property to `$orderby`, descending.
            pub fn order_by_desc(mut self, property: impl Into<String>) -> Self {
                let term = format!("{} desc", property.into());
                self.parts.request.options.orderby.push(term);
                self
            }
        }

        impl<T, Q: $crate::query::SupportsTop> $call<T, Q> {
            /// Sets `$top`: at most this many items (per page, for collections).
            pub fn top(mut self, count: u32) -> Self {
                self.parts.request.options.top = Some(count);
                self
            }
        }

        impl<T, Q: $crate::query::SupportsSkip> $call<T, Q> {
            /// Sets `$skip`: leave out this many items first.
            pub fn skip(mut self, count: u32) -> Self {
                self.parts.request.options.skip = Some(count);
                self
            }
        }

        impl<T, Q: $crate::query::SupportsCount> $call<T, Q> {
            /// Sets `$count`; `true` also sends `ConsistencyLevel: eventual`, which directory
            /// objects need for it.
            pub fn count(mut self, count: bool) -> Self {
                self.parts.request.options.count = Some(count);
                self
            }
        }

        impl<T, Q: $crate::query::SupportsSearch> $call<T, Q> {
            /// Sets `$search`, e.g. `"\"displayName:room\""` (Graph wants the quotes); also
            /// sends `ConsistencyLevel: eventual`, which directory objects need for it.
            pub fn search(mut self, expression: impl Into<String>) -> Self {
                self.parts.request.options.search = Some(expression.into());
                self
            }
        }
    };
}

pub(crate) use option_methods;

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(pairs: &[(&str, &str)]) -> String {
        let mut query = String::new();
        for (key, value) in pairs {
            push_pair(&mut query, key, value);
        }
        query
    }

    #[test]
    fn values_cannot_break_out_of_their_pair() {
        let query = encoded(&[
            ("$filter", "displayName eq 'a&b=c#d+e f%20'"),
            ("startDateTime", "2024-01-01T00:00:00+01:00"),
        ]);
        assert_eq!(
            query,
            "$filter=displayName%20eq%20%27a%26b%3Dc%23d%2Be%20f%2520%27\
             &startDateTime=2024-01-01T00:00:00%2B01:00"
        );
    }

    #[test]
    fn odata_punctuation_stays_readable() {
        let query = encoded(&[
            ("$select", "id,displayName"),
            ("$expand", "manager($select=id)"),
        ]);
        assert_eq!(
            query,
            "$select=id,displayName&$expand=manager($select%3Did)"
        );
    }

    #[test]
    fn url_parsing_keeps_the_encoded_query() {
        let query = encoded(&[("$filter", "startswith(displayName,'Zoë & co')")]);
        let text = format!("https://graph.microsoft.com/v1.0/users?{query}");
        let url = reqwest::Url::parse(&text).unwrap();
        assert_eq!(url.as_str(), text);
        let pairs: Vec<_> = url.query_pairs().collect();
        assert_eq!(pairs[0].1, "startswith(displayName,'Zoë & co')");
    }

    #[test]
    fn options_come_in_a_fixed_order() {
        let options = QueryOptions {
            select: vec!["id".into(), "mail".into()],
            filter: Some("x".into()),
            top: Some(5),
            count: Some(true),
            ..QueryOptions::default()
        };
        let keys: Vec<_> = options.pairs().into_iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["$select", "$filter", "$top", "$count"]);
        assert!(options.needs_eventual_consistency());
        assert!(!QueryOptions::default().needs_eventual_consistency());
    }

    #[test]
    fn string_literals_double_quotes() {
        assert_eq!(string_literal("O'Neil"), "'O''Neil'");
        assert_eq!(string_literal(""), "''");
    }
}
