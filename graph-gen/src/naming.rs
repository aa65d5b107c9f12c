//! Every Rust identifier made from docs text: case conversion, keyword escaping, validity.
//!
//! Docs text is untrusted, so every function here accepts any string and never panics: words
//! are the runs of ASCII letters and digits (anything else, including non-ASCII letters, only
//! separates words), a name that would start with a digit gets an `n`/`N` prefix, and a name
//! with no word at all becomes `unnamed`/`Unnamed`. The case functions return plain strings
//! (never keywords-escaped, so they can be compared and made unique); [`ident`] turns such a
//! string into a [`proc_macro2::Ident`], escaping keywords.
//!
//! Words are split the way Graph names are written: `userPrincipalName` → `user`, `principal`,
//! `name`; an upper-case run keeps its last letter for the next word (`HTMLParser` → `html`,
//! `parser`); digits stay with the word before them (`windows10`, `ipv4`); and a few mixed-case
//! words Microsoft treats as one ([`COMPOUND_WORDS`], such as `OAuth`) are not split.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{Ident, Span};

use crate::ir::{ApiVersion, Ir};

/// Mixed-case words that are one word in Graph names, matched case-sensitively at a word start
/// (`OAuth2PermissionGrant` → `oauth2_permission_grant`, `iOSUpdate` → `ios_update`).
/// Longer spellings come first so `iPadOS` wins over `iPad`.
pub const COMPOUND_WORDS: &[&str] = &[
    "eDiscovery",
    "iPadOS",
    "watchOS",
    "iPhone",
    "OAuth",
    "OData",
    "macOS",
    "IPv4",
    "IPv6",
    "iPad",
    "tvOS",
    "iOS",
];

/// Strict and reserved keywords of every edition (2024's `gen` included), written `r#…`.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix instead (`self_`).
const SUFFIXED_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The placeholder for a snake-case name with no word in it.
const UNNAMED: &str = "unnamed";

/// `snake_case` for functions, fields, modules and parameters: `reprocessLicenseAssignment` →
/// `reprocess_license_assignment`, `@odata.type` → `odata_type`.
///
/// The result is a valid identifier unless it is a keyword; pass it to [`ident`].
pub fn snake_case(text: &str) -> String {
    let joined = words(text)
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    guard_start(joined, UNNAMED, 'n')
}

/// `UpperCamelCase` for types: `assignedLicense` → `AssignedLicense`, `AADUser` → `AadUser`.
///
/// Never a keyword (`self` becomes `SelfType`), so [`ident`] keeps it as is. For `OData`
/// qualified names use [`type_name`], which drops the namespace.
pub fn upper_camel_case(text: &str) -> String {
    let joined: String = words(text)
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect();
    match guard_start(joined, "Unnamed", 'N') {
        name if name == "Self" => "SelfType".to_owned(),
        name => name,
    }
}

/// `SHOUTY_SNAKE_CASE` for constants: `reprocessLicenseAssignment` →
/// `REPROCESS_LICENSE_ASSIGNMENT`. Never a keyword.
pub fn shouty_snake_case(text: &str) -> String {
    snake_case(text).to_ascii_uppercase()
}

/// The Rust spelling of an `OData` qualified type name: the snake-case module path of its
/// namespace below `microsoft.graph`, and the type's `UpperCamelCase` name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName {
    /// Modules below the version module (`["call_records"]`), empty for `microsoft.graph`.
    pub namespace: Vec<String>,
    /// The type name (`Session`).
    pub name: String,
}

/// Splits a qualified `OData` name: `microsoft.graph.assignedLicense` → `AssignedLicense` in no
/// sub-namespace, `microsoft.graph.callRecords.session` → `Session` in `call_records`.
///
/// A leading `#` (as in `@odata.type` values) is ignored, the `microsoft.graph` prefix is
/// matched case-insensitively, and a name outside it keeps all its namespace segments.
pub fn type_name(qualified: &str) -> TypeName {
    let qualified = qualified.trim().trim_start_matches('#');
    let relative = strip_prefix_ignore_case(qualified, "microsoft.graph.").unwrap_or(qualified);
    let mut segments: Vec<&str> = relative.split('.').collect();
    let last = segments.pop().unwrap_or_default();
    TypeName {
        namespace: segments
            .into_iter()
            .filter(|segment| !segment.trim().is_empty())
            .map(snake_case)
            .collect(),
        name: upper_camel_case(last),
    }
}

/// The identifier for `name`, escaping keywords: `type` → `r#type`; `self`, `Self`, `super`,
/// `crate` and `_`, which cannot be raw, get a `_` suffix (`self_`).
///
/// `name` should come from [`snake_case`], [`upper_camel_case`] or [`shouty_snake_case`]; any
/// other string that is not a plain ASCII identifier is converted with [`snake_case`] first,
/// so this never panics.
pub fn ident(name: &str) -> Ident {
    if !is_plain_ident(name) {
        return ident(&snake_case(name));
    }
    if SUFFIXED_KEYWORDS.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// [`snake_case`] then [`ident`].
pub fn snake_ident(text: &str) -> Ident {
    ident(&snake_case(text))
}

/// [`upper_camel_case`] then [`ident`].
pub fn type_ident(text: &str) -> Ident {
    ident(&upper_camel_case(text))
}

/// [`shouty_snake_case`] then [`ident`].
pub fn const_ident(text: &str) -> Ident {
    ident(&shouty_snake_case(text))
}

/// Makes names unique within one scope, in the order they are claimed: the first claim of a
/// name keeps it, later ones get the lowest free suffix (`id`, `id_2`, `id_3` in snake case;
/// `User`, `User2` in camel case, where `_` would trip `non_camel_case_types`).
///
/// Callers decide the order, so it must be deterministic: declaration order for fields and
/// parameters, source file then line for items of a module.
#[derive(Debug, Clone)]
pub struct UniqueNames {
    taken: BTreeSet<String>,
    separator: &'static str,
    /// Per base name, the suffix its last claim stopped at: names are never freed, so the
    /// lowest free suffix only grows, and the next claim can start there.
    next_suffix: HashMap<String, u32>,
}

impl UniqueNames {
    /// A scope of snake-case names (suffix `_2`).
    pub fn snake() -> Self {
        UniqueNames {
            taken: BTreeSet::new(),
            separator: "_",
            next_suffix: HashMap::new(),
        }
    }

    /// A scope of `UpperCamelCase` names (suffix `2`).
    pub fn upper_camel() -> Self {
        UniqueNames {
            taken: BTreeSet::new(),
            separator: "",
            next_suffix: HashMap::new(),
        }
    }

    /// Marks `name` as taken without claiming it (names the generated code itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `base` if it is free, else `base` with the lowest free suffix from 2; marks it taken.
    pub fn claim(&mut self, base: &str) -> String {
        let mut candidate = base.to_owned();
        if self.taken.contains(&candidate) {
            let suffix = self.next_suffix.entry(base.to_owned()).or_insert(2);
            loop {
                candidate = format!("{base}{}{suffix}", self.separator);
                *suffix = suffix.saturating_add(1);
                if !self.taken.contains(&candidate) {
                    break;
                }
            }
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// The words of `text`: runs of ASCII alphanumerics, split at case changes.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
        .flat_map(split_run)
        .collect()
}

/// Splits one run of ASCII alphanumerics into words.
fn split_run(run: &str) -> Vec<&str> {
    let bytes = run.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if at == start {
            if let Some(len) = compound_word_at(&run[at..]) {
                at += len;
                while at < bytes.len() && bytes[at].is_ascii_digit() {
                    at += 1;
                }
                words.push(&run[start..at]);
                start = at;
                continue;
            }
            at += 1;
            continue;
        }
        if is_boundary(bytes, at) {
            words.push(&run[start..at]);
            start = at;
            continue;
        }
        at += 1;
    }
    if start < bytes.len() {
        words.push(&run[start..]);
    }
    words
}

/// Whether a new word starts at `at` (never at 0).
fn is_boundary(bytes: &[u8], at: usize) -> bool {
    let (prev, cur) = (bytes[at - 1], bytes[at]);
    let next_is_lower = bytes.get(at + 1).is_some_and(u8::is_ascii_lowercase);
    cur.is_ascii_uppercase()
        && (prev.is_ascii_lowercase()
            || prev.is_ascii_digit()
            || (prev.is_ascii_uppercase() && next_is_lower))
}

/// The length of the compound word `rest` starts with, if it is not followed by a lower-case
/// letter (`OAuthToken` matches `OAuth`; `ODataxyz` does not match `OData`).
fn compound_word_at(rest: &str) -> Option<usize> {
    COMPOUND_WORDS.iter().find_map(|word| {
        let after = rest.strip_prefix(word)?;
        let continues = after.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
        (!continues).then_some(word.len())
    })
}

/// Replaces an empty name by `placeholder` and prefixes one starting with a digit.
fn guard_start(name: String, placeholder: &str, prefix: char) -> String {
    match name.as_bytes().first() {
        None => placeholder.to_owned(),
        Some(first) if first.is_ascii_digit() => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

/// Whether `name` is `[A-Za-z_][A-Za-z0-9_]*` (keywords included).
fn is_plain_ident(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Response and body types written in lower case by links (`../resources/user.md`) take the
/// spelling of the model they name.
pub(crate) fn canonical_type_names(
    ir: &mut Ir,
    by_page: &rustc_hash::FxHashMap<(ApiVersion, String), String>,
) {
    let spelled: rustc_hash::FxHashMap<(ApiVersion, String), String> = ir
        .models
        .iter()
        .map(|model| (model.version, &model.name))
        .chain(
            ir.enums
                .iter()
                .map(|declared| (declared.version, &declared.name)),
        )
        .map(|(version, name)| ((version, name.to_ascii_lowercase()), name.clone()))
        .collect();
    // Links name a page (`[Table](../resources/table.md)`), and a page's type may be named
    // otherwise (`microsoft.graph.workbookTable`): resolve by page when the name is unknown.
    let respell = |version: ApiVersion, name: &mut String| {
        let lower = name.to_ascii_lowercase();
        let page = lower.rsplit('.').next().unwrap_or(&lower).to_owned();
        if let Some(canonical) = spelled
            .get(&(version, lower))
            .or_else(|| by_page.get(&(version, page)))
        {
            name.clone_from(canonical);
        }
    };
    for operation in &mut ir.operations {
        let version = operation.version;
        // A resource taken from a file name (`driveitem-get-content.md`) is spelled as its model.
        if let Some(resource) = operation.resource.as_mut() {
            let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
            let qualified = format!("{namespace}.{resource}").to_ascii_lowercase();
            if let Some(canonical) = spelled.get(&(version, qualified)) {
                let short = canonical.rsplit('.').next().unwrap_or(canonical);
                short.clone_into(resource);
            }
        }
        if let Some(name) = operation
            .response
            .as_mut()
            .and_then(|r| r.type_name.as_mut())
        {
            respell(version, name);
        }
        if let crate::ir::RequestBody::Json {
            type_name: Some(name),
        } = &mut operation.request_body
        {
            respell(version, name);
        }
    }
    for model in &mut ir.models {
        let version = model.version;
        for property in &mut model.properties {
            respell(version, &mut property.type_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snake(text: &str) -> String {
        snake_ident(text).to_string()
    }

    #[test]
    fn snake_case_of_graph_names() {
        assert_eq!(
            snake("reprocessLicenseAssignment"),
            "reprocess_license_assignment"
        );
        assert_eq!(snake("userPrincipalName"), "user_principal_name");
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(snake("@odata.nextLink"), "odata_next_link");
        assert_eq!(snake("OAuth2PermissionGrant"), "oauth2_permission_grant");
        assert_eq!(snake("oauth2PermissionGrants"), "oauth2_permission_grants");
        assert_eq!(snake("HTMLParser"), "html_parser");
        assert_eq!(
            snake("AADUserConversationMember"),
            "aad_user_conversation_member"
        );
        assert_eq!(
            snake("windows10GeneralConfiguration"),
            "windows10_general_configuration"
        );
        assert_eq!(snake("Win32LobApp"), "win32_lob_app");
        assert_eq!(
            snake("iOSManagedAppProtection"),
            "ios_managed_app_protection"
        );
        assert_eq!(snake("macOSSoftwareUpdate"), "macos_software_update");
        assert_eq!(snake("xmlHTTPRequest"), "xml_http_request");
        assert_eq!(snake("IPv6Range"), "ipv6_range");
        assert_eq!(snake("skuId"), "sku_id");
        assert_eq!(snake("ID"), "id");
        assert_eq!(snake("user: delta"), "user_delta");
        assert_eq!(snake("Get user"), "get_user");
    }

    /// `OData` is one word only when a new word follows it.
    #[test]
    fn compound_words_need_a_boundary() {
        assert_eq!(snake("ODataType"), "odata_type");
        assert_eq!(snake("OAuthentication"), "o_authentication");
    }

    #[test]
    fn digits_and_empty_names_are_prefixed_or_replaced() {
        assert_eq!(snake("3dModel"), "n3d_model");
        assert_eq!(snake("1"), "n1");
        assert_eq!(snake(""), "unnamed");
        assert_eq!(snake("@@@"), "unnamed");
        assert_eq!(upper_camel_case("3dModel"), "N3dModel");
        assert_eq!(upper_camel_case(""), "Unnamed");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("gen"), "r#gen");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("_").to_string(), "__");
        assert_eq!(type_ident("self").to_string(), "SelfType");
        assert_eq!(type_ident("type").to_string(), "Type");
        assert_eq!(const_ident("self").to_string(), "SELF");
    }

    #[test]
    fn hostile_text_becomes_a_plain_identifier() {
        assert_eq!(
            snake("\"); std::process::exit(1); //"),
            "std_process_exit_1"
        );
        assert_eq!(snake("a::b"), "a_b");
        assert_eq!(snake("it's a name"), "it_s_a_name");
        assert_eq!(snake("naïve café"), "na_ve_caf");
        assert_eq!(snake("日本"), "unnamed");
        assert_eq!(upper_camel_case("r#type"), "RType");
        assert_eq!(ident("not an ident").to_string(), "not_an_ident");
        assert_eq!(ident("r#x").to_string(), "r_x");
        assert_eq!(ident("").to_string(), "unnamed");
    }

    #[test]
    fn type_names_drop_the_graph_namespace() {
        let plain = type_name("microsoft.graph.assignedLicense");
        assert_eq!(plain.name, "AssignedLicense");
        assert!(plain.namespace.is_empty());

        let nested = type_name("microsoft.graph.callRecords.session");
        assert_eq!(nested.name, "Session");
        assert_eq!(nested.namespace, ["call_records"]);

        let annotated = type_name("#Microsoft.Graph.user");
        assert_eq!(annotated.name, "User");
        assert!(annotated.namespace.is_empty());

        let foreign = type_name("contoso.ext.widget");
        assert_eq!(foreign.namespace, ["contoso", "ext"]);
        assert_eq!(foreign.name, "Widget");

        assert_eq!(type_name("").name, "Unnamed");
        assert_eq!(type_name("microsoft.graph.").name, "Unnamed");
    }

    /// `Id` and `id` collide after snake case; declaration order decides who keeps the name.
    #[test]
    fn unique_names_suffix_in_claim_order() {
        let mut names = UniqueNames::snake();
        names.reserve("client");
        let claimed: Vec<String> = ["Id", "id", "id_2", "client"]
            .iter()
            .map(|name| names.claim(&snake_case(name)))
            .collect();
        assert_eq!(claimed, ["id", "id_2", "id_2_2", "client_2"]);

        let mut types = UniqueNames::upper_camel();
        assert_eq!(types.claim("User"), "User");
        assert_eq!(types.claim("User"), "User2");
        assert!(types.is_taken("User2"));
    }

    /// Each claim of a taken name tried every suffix from 2 again: claiming one name 8,000
    /// times (a page repeating one template) took seconds, and 100,000 times minutes.
    #[test]
    fn repeated_claims_take_linear_time() {
        let mut names = UniqueNames::snake();
        names.reserve("get_3");
        let claimed: Vec<String> = (0..200_000).map(|_| names.claim("get")).collect();
        assert_eq!(claimed[..4], ["get", "get_2", "get_4", "get_5"]);
        assert_eq!(claimed[199_999], "get_200001");
        assert_eq!(names.claim("get_2"), "get_2_2");
    }

    #[test]
    fn results_are_always_valid_identifiers() {
        for text in [
            "",
            "_",
            "__",
            "9",
            "ß",
            "\u{202e}abc",
            "a\u{0}b",
            "fn",
            "Self",
            "self_",
            "x y",
        ] {
            for name in [
                snake_case(text),
                upper_camel_case(text),
                shouty_snake_case(text),
            ] {
                assert!(is_plain_ident(&name), "{text:?} gave {name:?}");
                let _ = ident(&name);
            }
        }
    }
}
