//! Type names for nested sample objects: their key, made singular for array elements.
//!
//! `assignedLicenses: [{…}]` of `microsoft.graph.user` is a collection of
//! `microsoft.graph.assignedLicense`. Only the last camelCase word of a key changes, and it keeps
//! its capital (`keyPeople` → `keyPerson`). In order:
//! 1. an acronym plural loses its `s` (`serviceURLs` → `serviceURL`, `IDs` → `ID`);
//! 2. a word in [`IRREGULAR`] is replaced (`children` → `child`, `data` stays `data`);
//! 3. a word ending in `ss`, `us` or `is` is kept (`address`, `status`, `analysis`);
//! 4. `ies` → `y` (`policies` → `policy`);
//! 5. `sses`, `shes`, `ches`, `xes`, `zzes` lose `es` (`mailboxes` → `mailbox`);
//! 6. any other final `s` is dropped (`settings` → `setting`, `licenses` → `license`).
//!
//! Object-valued keys are not singularised: `"settings": {…}` is a `settings` type.

/// Irregular and invariant plurals, by lowercase word. Regular words follow the rules above.
const IRREGULAR: &[(&str, &str)] = &[
    ("addresses", "address"),
    ("aliases", "alias"),
    ("analyses", "analysis"),
    ("appendices", "appendix"),
    ("axes", "axis"),
    ("buses", "bus"),
    ("caches", "cache"),
    ("campuses", "campus"),
    ("children", "child"),
    ("criteria", "criterion"),
    ("data", "data"),
    ("diagnoses", "diagnosis"),
    ("indexes", "index"),
    ("indices", "index"),
    ("matrices", "matrix"),
    ("media", "media"),
    ("metadata", "metadata"),
    ("movies", "movie"),
    ("news", "news"),
    ("people", "person"),
    ("series", "series"),
    ("species", "species"),
    ("statuses", "status"),
    ("vertices", "vertex"),
    ("viruses", "virus"),
];

/// The type name for an object under `key` of a model named `parent`, in the parent's namespace:
/// `microsoft.graph.user` + `assignedLicenses` (array) → `microsoft.graph.assignedLicense`.
///
/// `None` when the key cannot name a type (it is not an identifier).
pub(super) fn nested_type_name(parent: &str, key: &str, array: bool) -> Option<String> {
    let local = if array { singular(key) } else { key.to_owned() };
    let mut chars = local.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier {
        return None;
    }
    Some(match parent.rsplit_once('.') {
        Some((namespace, _)) => format!("{namespace}.{local}"),
        None => local,
    })
}

/// The singular of a camelCase plural key.
pub(crate) fn singular(key: &str) -> String {
    let bytes = key.as_bytes();
    if let [.., before, b's'] = bytes {
        if before.is_ascii_uppercase() {
            return key[..key.len() - 1].to_owned();
        }
    }
    let start = key
        .char_indices()
        .filter(|(_, c)| c.is_uppercase() || *c == '_')
        .map(|(at, c)| if c == '_' { at + 1 } else { at })
        .next_back()
        .unwrap_or(0);
    let (head, word) = key.split_at(start);
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    let singular = singular_word(&word.to_lowercase());
    let mut out = String::with_capacity(key.len());
    out.push_str(head);
    let mut chars = singular.chars();
    if let Some(first) = chars.next() {
        if capital {
            out.extend(first.to_uppercase());
        } else {
            out.push(first);
        }
        out.extend(chars);
    }
    out
}

/// The singular of one lowercase word.
fn singular_word(word: &str) -> String {
    if let Some((_, singular)) = IRREGULAR.iter().find(|(plural, _)| *plural == word) {
        return (*singular).to_owned();
    }
    if word.len() <= 1 || ["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|stem| stem.len() > 1) {
        return format!("{stem}y");
    }
    if ["sses", "shes", "ches", "xes", "zzes"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        return word[..word.len() - 2].to_owned();
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singularises_regular_plurals() {
        for (plural, singular_) in [
            ("assignedLicenses", "assignedLicense"),
            ("assignedPlans", "assignedPlan"),
            ("businessPhones", "businessPhone"),
            ("policies", "policy"),
            ("appRoleAssignmentPolicies", "appRoleAssignmentPolicy"),
            ("mailboxes", "mailbox"),
            ("searches", "search"),
            ("hashes", "hash"),
            ("settings", "setting"),
            ("mailboxSettings", "mailboxSetting"),
            ("members", "member"),
            ("licenses", "license"),
            ("responses", "response"),
            ("serviceURLs", "serviceURL"),
            ("IDs", "ID"),
        ] {
            assert_eq!(singular(plural), singular_, "{plural}");
        }
    }

    #[test]
    fn keeps_irregular_and_invariant_words() {
        for (plural, singular_) in [
            ("policies", "policy"),
            ("addresses", "address"),
            ("emailAddresses", "emailAddress"),
            ("statuses", "status"),
            ("aliases", "alias"),
            ("children", "child"),
            ("contactFolderChildren", "contactFolderChild"),
            ("people", "person"),
            ("relevantPeople", "relevantPerson"),
            ("indices", "index"),
            ("analyses", "analysis"),
            ("data", "data"),
            ("extensionData", "extensionData"),
            ("media", "media"),
            ("series", "series"),
            ("caches", "cache"),
        ] {
            assert_eq!(singular(plural), singular_, "{plural}");
        }
    }

    #[test]
    fn leaves_ss_us_is_endings() {
        for word in [
            "address", "status", "analysis", "access", "campus", "basis", "s", "",
        ] {
            assert_eq!(singular(word), word);
        }
    }

    #[test]
    fn names_nested_types_in_the_parent_namespace() {
        assert_eq!(
            nested_type_name("microsoft.graph.user", "assignedLicenses", true).as_deref(),
            Some("microsoft.graph.assignedLicense")
        );
        assert_eq!(
            nested_type_name("microsoft.graph.user", "passwordProfile", false).as_deref(),
            Some("microsoft.graph.passwordProfile")
        );
        assert_eq!(
            nested_type_name("microsoft.graph.user", "mailboxSettings", false).as_deref(),
            Some("microsoft.graph.mailboxSettings")
        );
        assert_eq!(
            nested_type_name("user", "manager", false).as_deref(),
            Some("manager")
        );
        assert_eq!(
            nested_type_name("microsoft.graph.user", "odd key", false),
            None
        );
        assert_eq!(nested_type_name("microsoft.graph.user", "1st", false), None);
        assert_eq!(nested_type_name("microsoft.graph.user", "", true), None);
    }

    #[test]
    fn non_ascii_keys_never_panic() {
        for key in ["ÄÖÜs", "größes", "日本s", "_s", "a_bs", "Ss", "İs"] {
            let _ = singular(key);
        }
    }
}
