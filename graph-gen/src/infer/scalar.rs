//! `Edm.*` primitive types of JSON values: what a value is evidence of, whether it fits, stand-ins.

use serde_json::Value;

/// `Edm.Boolean`.
pub(super) const BOOLEAN: &str = "Edm.Boolean";
/// `Edm.Int32`.
pub(super) const INT32: &str = "Edm.Int32";
/// `Edm.Int64`.
pub(super) const INT64: &str = "Edm.Int64";
/// `Edm.Double`.
pub(super) const DOUBLE: &str = "Edm.Double";
/// `Edm.Guid`.
pub(super) const GUID: &str = "Edm.Guid";
/// `Edm.DateTimeOffset`.
pub(super) const DATE_TIME_OFFSET: &str = "Edm.DateTimeOffset";
/// `Edm.Date`.
pub(super) const DATE: &str = "Edm.Date";
/// `Edm.String`.
pub(super) const STRING: &str = "Edm.String";

/// The nil UUID: the stand-in for `Edm.Guid`.
pub(super) const NIL_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// Whether `type_name` is a primitive (`Edm.*`) rather than a model or enum.
pub(super) fn is_primitive(type_name: &str) -> bool {
    type_name
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("edm."))
}

/// The primitive type a JSON scalar is evidence of; `None` for `null`, arrays and objects.
///
/// Strings are classified by shape only: callers rule out placeholders first.
pub(super) fn classify(value: &Value) -> Option<&'static str> {
    match value {
        Value::Bool(_) => Some(BOOLEAN),
        Value::Number(number) => Some(match number.as_i64() {
            Some(int) if i32::try_from(int).is_ok() => INT32,
            Some(_) => INT64,
            // Floats, and integers above `i64::MAX`, which no OData integer holds.
            None => DOUBLE,
        }),
        Value::String(text) => Some(classify_str(text)),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The primitive type a JSON string is evidence of.
pub(super) fn classify_str(text: &str) -> &'static str {
    if is_uuid(text) {
        GUID
    } else if is_date_time_offset(text) {
        DATE_TIME_OFFSET
    } else if is_date(text) {
        DATE
    } else {
        STRING
    }
}

/// The type two different primitive types both fit, when they are numbers (`Edm.Int32` ⊂
/// `Edm.Int64` ⊂ `Edm.Double`) or strings of different shapes (`Edm.String`); `None` otherwise.
pub(super) fn widen(a: &str, b: &str) -> Option<&'static str> {
    const STRINGS: [&str; 4] = [STRING, GUID, DATE_TIME_OFFSET, DATE];
    widen_number(a, b).or_else(|| (STRINGS.contains(&a) && STRINGS.contains(&b)).then_some(STRING))
}

/// The wider of two number types (`Edm.Int32` ⊂ `Edm.Int64` ⊂ `Edm.Double`); `None` if either
/// is not one of them.
pub(super) fn widen_number(a: &str, b: &str) -> Option<&'static str> {
    const NUMBERS: [&str; 3] = [INT32, INT64, DOUBLE];
    let rank = |name: &str| NUMBERS.iter().position(|n| *n == name);
    Some(NUMBERS[rank(a)?.max(rank(b)?)])
}

/// Whether `value` (a non-null scalar or object) decodes as the primitive `type_name`.
///
/// Unknown `Edm.*` names (`Edm.Geography`, `Edm.Untyped`) accept anything: we cannot check them.
pub(super) fn fits(type_name: &str, value: &Value) -> bool {
    let Some(edm) = type_name.get(4..) else {
        return true;
    };
    let int_in = |min: i64, max: i64| value.as_i64().is_some_and(|int| (min..=max).contains(&int));
    match edm.to_ascii_lowercase().as_str() {
        "boolean" => value.is_boolean(),
        "byte" => int_in(0, 255),
        "sbyte" => int_in(-128, 127),
        "int16" => int_in(i16::MIN.into(), i16::MAX.into()),
        "int32" => int_in(i32::MIN.into(), i32::MAX.into()),
        "int64" => value.is_i64(),
        "double" | "single" => {
            value.is_number()
                || value
                    .as_str()
                    .is_some_and(|s| ["NaN", "INF", "-INF"].contains(&s))
        }
        "decimal" => value.is_number(),
        "guid" => value.as_str().is_some_and(is_uuid),
        "datetimeoffset" => value.as_str().is_some_and(is_date_time_offset),
        "date" => value.as_str().is_some_and(is_date),
        "timeofday" => value.as_str().is_some_and(is_time_of_day),
        "duration" => value.as_str().is_some_and(is_duration),
        "string" | "binary" | "stream" => value.is_string(),
        _ => true,
    }
}

/// A value that decodes as the primitive `type_name`; `None` for types we cannot check.
pub(super) fn stand_in(type_name: &str) -> Option<Value> {
    let edm = type_name.get(4..)?;
    Some(match edm.to_ascii_lowercase().as_str() {
        "boolean" => Value::Bool(false),
        "byte" | "sbyte" | "int16" | "int32" | "int64" => Value::from(0),
        "double" | "single" | "decimal" => Value::from(0.0),
        "guid" => Value::from(NIL_GUID),
        "datetimeoffset" => Value::from("0001-01-01T00:00:00Z"),
        "date" => Value::from("0001-01-01"),
        "timeofday" => Value::from("00:00:00"),
        "duration" => Value::from("PT0S"),
        "string" | "binary" | "stream" => Value::from(""),
        _ => return None,
    })
}

/// A short rendering of a sample value for messages: JSON for scalars, `{…}`/`[…]` otherwise.
pub(super) fn preview(value: &Value) -> String {
    const MAX_CHARS: usize = 48;
    match value {
        Value::Object(_) => "{…}".to_owned(),
        Value::Array(_) => "[…]".to_owned(),
        Value::String(text) if text.chars().count() > MAX_CHARS => {
            let head: String = text.chars().take(MAX_CHARS).collect();
            format!("\"{head}…\"")
        }
        scalar => scalar.to_string(),
    }
}

/// `an` before vowel sounds (an `Edm.Guid`), `a` otherwise.
pub(super) fn article(type_name: &str) -> &'static str {
    match type_name.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// `8-4-4-4-12` hex digits.
pub(super) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `YYYY-MM-DD` with a valid month and day.
pub(super) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(&b[..4]).is_some()
        && digits(&b[5..7]).is_some_and(|month| (1..=12).contains(&month))
        && digits(&b[8..10]).is_some_and(|day| (1..=31).contains(&day))
}

/// An RFC 3339 timestamp: date, `T`, time, then `Z` or an offset.
pub(super) fn is_date_time_offset(text: &str) -> bool {
    let Some((date, rest)) = text.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, None)
    } else {
        match rest.rfind(['+', '-']) {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => return false,
        }
    };
    let offset_ok = offset.is_none_or(|offset| {
        let b = offset.as_bytes();
        b.len() == 5
            && b[2] == b':'
            && digits(&b[..2]).is_some_and(|h| h <= 23)
            && digits(&b[3..]).is_some_and(|m| m <= 59)
    });
    offset_ok && is_time_of_day(time)
}

/// `HH:MM:SS` with optional fractional seconds.
pub(super) fn is_time_of_day(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let b = whole.as_bytes();
    b.len() == 8
        && b[2] == b':'
        && b[5] == b':'
        && digits(&b[..2]).is_some_and(|h| h <= 23)
        && digits(&b[3..5]).is_some_and(|m| m <= 59)
        && digits(&b[6..]).is_some_and(|s| s <= 60)
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// An ISO 8601 duration as Graph writes it: `-?P(nD)?(T(nH)?(nM)?(n(.n)?S)?)?`, not empty.
pub(super) fn is_duration(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let Some(body) = text.strip_prefix('P') else {
        return false;
    };
    let (days, time) = body
        .split_once('T')
        .map_or((body, None), |(d, t)| (d, Some(t)));
    let units_ok = |part: &str, units: &[u8]| {
        let mut rest = part;
        let mut next_unit = 0;
        while !rest.is_empty() {
            let Some(end) = rest.find(|c: char| !c.is_ascii_digit() && c != '.') else {
                return false;
            };
            let unit = rest.as_bytes()[end];
            let Some(found) = units[next_unit..].iter().position(|u| *u == unit) else {
                return false;
            };
            let number = &rest[..end];
            let decimals_ok = unit == b'S' || !number.contains('.');
            if number.is_empty() || number.starts_with('.') || !decimals_ok {
                return false;
            }
            next_unit += found + 1;
            rest = &rest[end + 1..];
        }
        true
    };
    let has_part = !days.is_empty() || time.is_some_and(|t| !t.is_empty());
    has_part && units_ok(days, b"D") && time.is_none_or(|t| !t.is_empty() && units_ok(t, b"HMS"))
}

/// The number written by ASCII digits, or `None`.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn classifies_json_scalars() {
        assert_eq!(classify(&json!(true)), Some(BOOLEAN));
        assert_eq!(classify(&json!(-7)), Some(INT32));
        assert_eq!(classify(&json!(3_000_000_000_i64)), Some(INT64));
        assert_eq!(classify(&json!(u64::MAX)), Some(DOUBLE));
        assert_eq!(classify(&json!(1.5)), Some(DOUBLE));
        assert_eq!(
            classify(&json!("bea13e0c-3828-4daa-a392-28af7ff61a0f")),
            Some(GUID)
        );
        assert_eq!(
            classify(&json!("2016-10-19T10:37:00Z")),
            Some(DATE_TIME_OFFSET)
        );
        assert_eq!(
            classify(&json!("2019-02-07T21:53:13.0856757+01:00")),
            Some(DATE_TIME_OFFSET)
        );
        assert_eq!(classify(&json!("2016-10-19")), Some(DATE));
        assert_eq!(classify(&json!("2016-10-19T10:37:00")), Some(STRING));
        assert_eq!(classify(&json!("2016-13-19")), Some(STRING));
        assert_eq!(classify(&json!("Seattle")), Some(STRING));
        assert_eq!(classify(&Value::Null), None);
        assert_eq!(classify(&json!([])), None);
    }

    #[test]
    fn checks_declared_primitives() {
        assert!(fits(
            "Edm.Guid",
            &json!("11b0131d-43c8-4bbb-b2c8-e80f9a50834a")
        ));
        assert!(!fits("Edm.Guid", &json!("skuId-value")));
        assert!(fits("edm.boolean", &json!(false)));
        assert!(!fits("Edm.Boolean", &json!("true")));
        assert!(fits("Edm.Int64", &json!(5)));
        assert!(!fits("Edm.Int32", &json!(3_000_000_000_i64)));
        assert!(!fits("Edm.Byte", &json!(256)));
        assert!(fits("Edm.Double", &json!(5)));
        assert!(fits("Edm.Double", &json!("NaN")));
        assert!(fits("Edm.String", &json!("2016-10-19T10:37:00Z")));
        assert!(!fits("Edm.String", &json!(5)));
        assert!(fits("Edm.Duration", &json!("PT1H30M")));
        assert!(fits("Edm.Duration", &json!("-P2DT0.5S")));
        assert!(!fits("Edm.Duration", &json!("P")));
        assert!(!fits("Edm.Duration", &json!("PT")));
        assert!(!fits("Edm.Duration", &json!("PT1M1H")));
        assert!(fits("Edm.TimeOfDay", &json!("08:00:00.0000000")));
        assert!(!fits("Edm.TimeOfDay", &json!("8am")));
        assert!(fits("Edm.Geography", &json!({"type": "Point"})));
    }

    #[test]
    fn stand_ins_fit_their_type() {
        for name in [
            BOOLEAN,
            INT32,
            INT64,
            DOUBLE,
            GUID,
            DATE_TIME_OFFSET,
            DATE,
            STRING,
            "Edm.Byte",
            "Edm.Duration",
            "Edm.TimeOfDay",
            "Edm.Decimal",
        ] {
            let value = stand_in(name).expect("a stand-in");
            assert!(fits(name, &value), "{name}: {value}");
        }
        assert_eq!(stand_in("Edm.Untyped"), None);
    }

    #[test]
    fn widens_numbers_and_strings_only() {
        assert_eq!(widen(INT32, INT64), Some(INT64));
        assert_eq!(widen(DOUBLE, INT32), Some(DOUBLE));
        assert_eq!(widen(GUID, STRING), Some(STRING));
        assert_eq!(widen(BOOLEAN, STRING), None);
        assert_eq!(widen_number(GUID, STRING), None);
        assert_eq!(widen_number(INT64, INT32), Some(INT64));
    }

    #[test]
    fn odd_strings_never_panic() {
        for text in [
            "",
            "T",
            "ü-ü-ü-ü-ü",
            "2016-10-19Tü",
            "2016-10-19T10:37:00+ü",
            "PTü",
            "P1.D",
        ] {
            let _ = classify_str(text);
            let _ = is_duration(text);
            let _ = is_time_of_day(text);
        }
    }
}
