//! Documentation placeholders in sample values (`"skuId-value"`, `"{id}"`, `"String"`).
//!
//! A string is a placeholder when, trimmed, it is any of:
//! - a `-value`, `_value` or ` value` suffix after some text (`"skuId-value"`, `"datetime-value"`);
//! - a name in braces or angle brackets (`"{id}"`, `"<guid>"`, `"{user-id | userPrincipalName}"`),
//!   but not a braced UUID;
//! - the property's own name (`"displayName": "displayName"`);
//! - a type word, optionally `Edm.`-prefixed, followed by ` collection` or a parenthesised note
//!   (`"String"`, `"Guid"`, `"Edm.Int32"`, `"String (timestamp)"`: how resource pages write their
//!   JSON representation);
//! - filler of three or more `x`, dots, `?` and dashes, or an ellipsis (`"xxxxxxxx-xxxx-…"`,
//!   `"..."`).
//!
//! Real values never match: timestamps (`"2016-10-19T10:37:00Z"`), UUIDs, names and the empty
//! string.

use super::scalar;

/// Lowercase words that stand for a type or "some value" rather than being one.
const TYPE_WORDS: &[&str] = &[
    "binary",
    "bool",
    "boolean",
    "byte",
    "date",
    "datetime",
    "datetimeoffset",
    "decimal",
    "double",
    "duration",
    "email",
    "float",
    "guid",
    "id",
    "identifier",
    "int",
    "int16",
    "int32",
    "int64",
    "integer",
    "number",
    "placeholder",
    "single",
    "stream",
    "string",
    "tbd",
    "time",
    "timeofday",
    "timestamp",
    "uri",
    "url",
    "uuid",
    "value",
];

/// Suffixes that turn a name into a placeholder (`skuId-value`).
const VALUE_SUFFIXES: &[&str] = &["-value", "_value", " value"];

/// Whether `value`, the sample string of property `key`, is a documentation placeholder.
pub(super) fn is_placeholder(key: &str, value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && (has_value_suffix(value)
            || is_wrapped_name(value)
            || (!key.is_empty() && value.eq_ignore_ascii_case(key.trim()))
            || is_type_word(value)
            || is_filler(value))
}

fn has_value_suffix(value: &str) -> bool {
    let lower = value.to_lowercase();
    VALUE_SUFFIXES
        .iter()
        .any(|suffix| lower.len() > suffix.len() && lower.ends_with(suffix))
}

fn is_wrapped_name(value: &str) -> bool {
    let inner = value
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .or_else(|| {
            value
                .strip_prefix('<')
                .and_then(|rest| rest.strip_suffix('>'))
        });
    inner.is_some_and(|inner| {
        !inner.trim().is_empty()
            && !scalar::is_uuid(inner.trim())
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || " _-.|:/".contains(c))
    })
}

fn is_type_word(value: &str) -> bool {
    let mut head = value;
    if let Some(open) = head.find('(') {
        if head.ends_with(')') {
            head = &head[..open];
        }
    }
    let head = head.trim().to_lowercase();
    let head = head.strip_suffix(" collection").unwrap_or(&head).trim_end();
    let head = head.strip_prefix("edm.").unwrap_or(head);
    TYPE_WORDS.contains(&head)
}

fn is_filler(value: &str) -> bool {
    (value == "…" || value.chars().count() >= 3)
        && value.chars().all(|c| "xX.…?-".contains(c))
        && value.chars().any(|c| c != '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_doc_placeholders() {
        for (key, value) in [
            ("skuId", "skuId-value"),
            ("capabilityStatus", "capabilityStatus-value"),
            ("assignedDateTime", "datetime-value"),
            ("name", "name_value"),
            ("id", "{id}"),
            ("id", "<id>"),
            ("id", "<guid>"),
            ("user", "{user-id | userPrincipalName}"),
            ("city", "string"),
            ("city", "String"),
            ("skuId", "Guid"),
            ("count", "Edm.Int32"),
            ("createdDateTime", "String (timestamp)"),
            ("id", "String (identifier)"),
            ("businessPhones", "String collection"),
            ("displayName", "displayName"),
            ("id", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
            ("notes", "..."),
            ("notes", "…"),
            ("notes", "  {id}  "),
        ] {
            assert!(is_placeholder(key, value), "{key}: {value:?}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        for (key, value) in [
            ("assignedDateTime", "2016-10-19T10:37:00Z"),
            ("skuId", "11b0131d-43c8-4bbb-b2c8-e80f9a50834a"),
            ("skuId", "{11b0131d-43c8-4bbb-b2c8-e80f9a50834a}"),
            ("city", "Seattle"),
            ("mail", "AdeleV@contoso.com"),
            ("content", "<p>Hello</p>"),
            ("content", "{\"a\": 1}"),
            ("displayName", ""),
            ("notes", "-"),
            ("notes", "---"),
            ("size", "x"),
            ("size", "XL"),
            ("label", "value-added reseller"),
            ("", "Redmond"),
        ] {
            assert!(!is_placeholder(key, value), "{key}: {value:?}");
        }
    }

    /// A bare suffix is a word, not a placeholder of something.
    #[test]
    fn suffix_alone_is_not_a_placeholder() {
        assert!(!is_placeholder("kind", "-value"));
        assert!(is_placeholder("kind", "value"));
    }
}
