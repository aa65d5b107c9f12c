//! Type cells of properties and parameters tables (`String collection`, `[x](x.md)`) → OData types.

use crate::parse::plain_text;

/// A type cell as `(OData type, collection)`, qualified with `namespace` for resource types.
///
/// Unrecognised words are taken as a type of `namespace` (an enum or complex type named
/// without a link); codegen maps types with no model to JSON values.
pub(super) fn odata_type(cell: &str, namespace: &str) -> Option<(String, bool)> {
    let link_target = link_target(cell);
    let text = plain_text(&reference_links_as_text(cell));
    let lower = text.to_ascii_lowercase();
    let (text, collection) = if let Some(inner) =
        strip_prefix_ignore_case(&text, "collection(").and_then(|rest| rest.strip_suffix(')'))
    {
        (inner.trim().to_owned(), true)
    } else if let Some(inner) = strip_prefix_ignore_case(&text, "collection of ") {
        (inner.trim().to_owned(), true)
    } else if lower.ends_with(" collection") || lower.ends_with(" array") || text.ends_with("[]") {
        let cut = text.rfind([' ', '[']).unwrap_or(text.len());
        (text[..cut].trim().to_owned(), true)
    } else {
        (text.clone(), false)
    };
    // `String (timestamp)` and similar: the type is the first word; a link missing its `)`
    // (`[x](x.md`) stays bracketed text.
    let text = text
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .map_or(text.as_str(), |(inner, _)| inner);
    let word = text
        .split(['(', ' '])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(',');
    if word.is_empty() {
        return None;
    }
    if let Some(primitive) = primitive(word) {
        return Some((primitive.to_owned(), collection));
    }
    if word.contains('.') {
        return Some((word.to_owned(), collection));
    }
    // A link to a resource page names the type by its text; the target is the fallback.
    let name = if word.chars().all(|c| c.is_ascii_alphanumeric()) {
        word.to_owned()
    } else {
        link_target?
    };
    Some((format!("{namespace}.{name}"), collection))
}

/// `text` after `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An `Edm.*` name for a primitive type word, in any of the spellings the docs use.
pub(crate) fn primitive(word: &str) -> Option<&'static str> {
    let word = word.strip_prefix("Edm.").unwrap_or(word);
    Some(match word.to_ascii_lowercase().as_str() {
        "string" | "str" => "Edm.String",
        // `microsoft.graph.Json`: any JSON value (a workbook cell holds a number, text or `{}`).
        "json" => "Edm.Untyped",
        "boolean" | "bool" => "Edm.Boolean",
        "int32" | "integer" | "int" => "Edm.Int32",
        "int64" | "long" => "Edm.Int64",
        "int16" => "Edm.Int16",
        "byte" => "Edm.Byte",
        "sbyte" => "Edm.SByte",
        "double" | "float" | "number" => "Edm.Double",
        "single" => "Edm.Single",
        "decimal" => "Edm.Decimal",
        "guid" | "uuid" => "Edm.Guid",
        "datetimeoffset" | "datetime" => "Edm.DateTimeOffset",
        "date" => "Edm.Date",
        "timeofday" => "Edm.TimeOfDay",
        "duration" | "timespan" => "Edm.Duration",
        "binary" => "Edm.Binary",
        "stream" => "Edm.Stream",
        _ => return None,
    })
}

/// `[identitySet][]` and `[identitySet][ref]` (reference links whose definition is elsewhere
/// on the page) → `identitySet`.
fn reference_links_as_text(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("][").map(|at| open + at) else {
            break;
        };
        let Some(end) = rest[close + 2..].find(']').map(|at| close + 2 + at) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `[x](../resources/x.md)` → `x` (the file stem).
fn link_target(cell: &str) -> Option<String> {
    let start = cell.find("](")? + 2;
    let end = cell[start..].find(')')? + start;
    let target = cell[start..end].split(['#', '?']).next()?;
    let stem = target.rsplit('/').next()?.trim_end_matches(".md");
    (!stem.is_empty()).then(|| stem.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(cell: &str) -> (String, bool) {
        odata_type(cell, "microsoft.graph").unwrap()
    }

    #[test]
    fn primitives_in_their_spellings() {
        assert_eq!(t("String"), ("Edm.String".into(), false));
        assert_eq!(t("Boolean"), ("Edm.Boolean".into(), false));
        assert_eq!(t("GUID"), ("Edm.Guid".into(), false));
        assert_eq!(t("DateTimeOffSet"), ("Edm.DateTimeOffset".into(), false));
        assert_eq!(t("String (timestamp)"), ("Edm.String".into(), false));
        assert_eq!(t("Json"), ("Edm.Untyped".into(), false));
        assert_eq!(
            t("[Json](../resources/intune-mam-json.md)"),
            ("Edm.Untyped".into(), false)
        );
        assert_eq!(t("Edm.Int64"), ("Edm.Int64".into(), false));
    }

    #[test]
    fn collections() {
        assert_eq!(t("String collection"), ("Edm.String".into(), true));
        assert_eq!(t("Collection of String"), ("Edm.String".into(), true));
        assert_eq!(t("`collection(string)`"), ("Edm.String".into(), true));
        assert_eq!(
            t("collection of [permission][]"),
            ("microsoft.graph.permission".into(), true)
        );
        assert_eq!(
            t("Collection of [swapShiftsChangeRequest](swapshiftschangerequest.md)"),
            ("microsoft.graph.swapShiftsChangeRequest".into(), true)
        );
        assert_eq!(t("Guid collection"), ("Edm.Guid".into(), true));
        assert_eq!(
            t("Collection(microsoft.graph.assignedPlan)"),
            ("microsoft.graph.assignedPlan".into(), true)
        );
        assert_eq!(
            t("[assignedLicense](assignedlicense.md) collection"),
            ("microsoft.graph.assignedLicense".into(), true)
        );
    }

    #[test]
    fn resource_links_and_bare_names() {
        assert_eq!(
            t("[passwordProfile](passwordprofile.md)"),
            ("microsoft.graph.passwordProfile".into(), false)
        );
        assert_eq!(t("riskLevel"), ("microsoft.graph.riskLevel".into(), false));
        assert_eq!(
            t("[identitySet][]"),
            ("microsoft.graph.identitySet".into(), false)
        );
        assert_eq!(
            t("[identitySet][] collection"),
            ("microsoft.graph.identitySet".into(), true)
        );
        assert_eq!(
            t("[itemReference][ref]"),
            ("microsoft.graph.itemReference".into(), false)
        );
        assert_eq!(
            t("[invitedUserMessageInfo](invitedusermessageinfo.md"),
            ("microsoft.graph.invitedUserMessageInfo".into(), false)
        );
        assert_eq!(
            t("microsoft.graph.user"),
            ("microsoft.graph.user".into(), false)
        );
        assert!(odata_type("", "microsoft.graph").is_none());
    }
}
