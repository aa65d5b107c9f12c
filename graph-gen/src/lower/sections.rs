//! The section titles and table columns the docs use, in one place.

/// Permissions sections (`Prerequisites` on Intune pages).
pub const PERMISSIONS: &[&str] = &["Permissions", "Prerequisites"];
/// HTTP template sections.
pub const HTTP_REQUEST: &[&str] = &["HTTP request", "HTTP requests"];
/// Query option sections.
pub const QUERY_PARAMETERS: &[&str] = &[
    "Optional query parameters",
    "Query parameters",
    "Optional query parameter",
];
/// Request headers sections.
pub const REQUEST_HEADERS: &[&str] = &["Request headers", "Request header"];
/// Request body sections.
pub const REQUEST_BODY: &[&str] = &["Request body"];
/// Response sections.
pub const RESPONSE: &[&str] = &["Response", "Responses"];
/// Resource properties sections.
pub const PROPERTIES: &[&str] = &["Properties"];
/// Resource relationships sections.
pub const RELATIONSHIPS: &[&str] = &["Relationships"];
/// Resource JSON representation sections.
pub const JSON_REPRESENTATION: &[&str] = &["JSON representation"];

/// First-column headers of property, parameter and relationship tables.
pub const NAME_COLUMNS: &[&str] = &[
    "Property",
    "Property name",
    "Name",
    "Parameter",
    "Parameter name",
    "Relationship",
];
/// Type columns.
pub const TYPE_COLUMNS: &[&str] = &["Type", "Value type", "Data type"];
/// Description columns.
pub const DESCRIPTION_COLUMNS: &[&str] = &["Description", "Notes"];
/// First-column headers of header tables.
pub const HEADER_COLUMNS: &[&str] = &["Header", "Name", "Request header", "Header name"];
/// Value columns of header tables.
pub const VALUE_COLUMNS: &[&str] = &["Value", "Description"];

/// The index of the first column whose header is one of `names` (case-insensitive).
pub fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|cell| {
        names
            .iter()
            .any(|name| cell.trim().eq_ignore_ascii_case(name))
    })
}
