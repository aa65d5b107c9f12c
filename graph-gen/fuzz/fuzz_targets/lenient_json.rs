//! The lenient JSON reader (annotations and example bodies): any text gives a value or a
//! lowercase error, never a panic or a stack overflow, and a value survives a strict round trip.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match graph_gen::__private::parse_lenient(text) {
        Ok(value) => {
            let strict = serde_json::to_string(&value).expect("a JSON value serializes");
            // Equal up to float rounding: serde_json's default float parser is not exact.
            let again: serde_json::Value =
                serde_json::from_str(&strict).expect("serialized JSON reads back strictly");
            assert_eq!(shape(&again), shape(&value));
        }
        Err(message) => {
            // Lowercase, except for an acronym such as `JSON`.
            let first_word = message.split_whitespace().next().unwrap_or("");
            let capitalized = first_word.starts_with(char::is_uppercase)
                && first_word.chars().any(char::is_lowercase);
            assert!(!capitalized, "error message is not lowercase: {message}");
        }
    }
});

/// The value with every number replaced by 0.
fn shape(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(_) => Value::from(0),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), shape(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}
