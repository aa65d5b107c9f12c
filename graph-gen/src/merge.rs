//! Declarations gathered from every page → one model per type: the merge stage.
//!
//! Pages that declare the same type (Intune pages repeat shared types) merge into the first
//! declaration, in time linear in the properties declared; then the caps a single page is held
//! to are applied to the merged result, so no number of pages makes a model larger than one
//! page could, and base-type chains are bounded ([`inheritance`]), so inherited properties
//! copied into each struct stay linear in what the pages declare.

mod inheritance;

pub(crate) use inheritance::MAX_BASE_TYPES;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, EnumType, Model, Property};

/// At most this many fields are generated for one struct: its own properties, after merging
/// every page that declares it, plus those of its base types.
///
/// The largest models of the corpus (`../shared/corpus/graph-docs-2021`) have 213 own properties
/// (225 with inherited ones) in v1.0 and 301 (319) in beta, both
/// `microsoft.graph.windows10GeneralConfiguration`; the most pages declaring one type is 16
/// (v1.0 `deviceManagement`, 36 properties merged). rustc 1.95 overflows its stack on the
/// derived `PartialEq` of a struct of about 5,000 fields (4,000 compile): the cap leaves room
/// on both sides. See BENCHMARKS.md, "Hostile input: generator".
pub(crate) const MAX_MODEL_FIELDS: usize = 2_000;

/// Merges models declared by several pages, caps each at [`MAX_MODEL_FIELDS`] properties and
/// bounds base-type chains, reporting each problem where the pages say it.
pub(crate) fn models(models: Vec<Model>, cx: &Ctxt) -> Vec<Model> {
    let mut merged: Vec<Model> = duplicates(models, cx)
        .into_iter()
        .map(|mut kept| {
            cap_properties(&mut kept.model, kept.pages, cx);
            kept.model
        })
        .collect();
    inheritance::bound(&mut merged, cx);
    merged
}

/// Caps models again after inference, which adds the properties only examples show (a
/// sample-only type of 6,000 keys is as large as a page of them).
pub(crate) fn cap_inferred(models: &mut [Model], cx: &Ctxt) {
    for model in models {
        cap_properties(model, 1, cx);
    }
}

/// A model being merged: the first declaration, and its properties by JSON name once a later
/// page declares the type too (most types are declared once and never need the map).
struct Kept {
    model: Model,
    /// How many pages declare it, for the cap's message.
    pages: usize,
    by_name: Option<HashMap<String, usize>>,
}

/// Merges later declarations of a type into the first: properties it lacks are added from the
/// later page, with a warning there; a property declared with another type is a warning naming
/// both declarations, and the first is kept.
fn duplicates(models: Vec<Model>, cx: &Ctxt) -> Vec<Kept> {
    let mut merged: Vec<Kept> = Vec::with_capacity(models.len());
    let mut index: HashMap<(ApiVersion, String), usize> = HashMap::default();
    for model in models {
        let key = (model.version, model.name.to_ascii_lowercase());
        let Some(&first) = index.get(&key) else {
            index.insert(key, merged.len());
            merged.push(Kept {
                model,
                pages: 1,
                by_name: None,
            });
            continue;
        };
        let kept = &mut merged[first];
        cx.warning(
            &model.source,
            format!(
                "type `{}` is also declared at {}; its properties are merged there",
                model.name, kept.model.source
            ),
        );
        kept.pages += 1;
        if let (Some(first), Some(later)) = (&kept.model.base_type, &model.base_type) {
            if !first.trim().eq_ignore_ascii_case(later.trim()) {
                cx.warning(
                    &model.source,
                    format!(
                        "type `{}` derives from `{later}` here but from `{first}` at {}; the first is kept",
                        model.name, kept.model.source
                    ),
                );
            }
        }
        let by_name = kept.by_name.get_or_insert_with(|| {
            let properties = &kept.model.properties;
            let mut by_name = HashMap::default();
            by_name.reserve(properties.len());
            for (at, property) in properties.iter().enumerate() {
                by_name.entry(property.name.clone()).or_insert(at);
            }
            by_name
        });
        for property in model.properties {
            if let Some(&at) = by_name.get(&property.name) {
                conflict(&kept.model.name, &kept.model.properties[at], &property, cx);
            } else {
                by_name.insert(property.name.clone(), kept.model.properties.len());
                kept.model.properties.push(property);
            }
        }
    }
    merged
}

/// Warns at `later` when it declares `first`'s property with another type.
fn conflict(model: &str, first: &Property, later: &Property, cx: &Ctxt) {
    let same = first.collection == later.collection
        && first
            .type_name
            .trim()
            .eq_ignore_ascii_case(later.type_name.trim());
    if same {
        return;
    }
    cx.push(
        Diagnostic::warning(
            &later.source,
            format!(
                "property `{}` of `{model}` is `{}` here but `{}` at {}; the first declaration is kept",
                later.name,
                shown_type(later),
                shown_type(first),
                first.source
            ),
        )
        .with_help(format!(
            "declare `{}` with one type on every page that declares `{model}`",
            later.name
        )),
    );
}

/// `Edm.String`, or `Collection(Edm.String)`.
fn shown_type(property: &Property) -> String {
    if property.collection {
        format!("Collection({})", property.type_name)
    } else {
        property.type_name.clone()
    }
}

/// Cuts a model declared by `pages` pages at [`MAX_MODEL_FIELDS`] properties, with an error
/// at the first one left out.
fn cap_properties(model: &mut Model, pages: usize, cx: &Ctxt) {
    let count = model.properties.len();
    let Some(first_left_out) = model.properties.get(MAX_MODEL_FIELDS) else {
        return;
    };
    let declared = if pages > 1 {
        format!(" on {pages} pages")
    } else {
        String::new()
    };
    cx.push(
        Diagnostic::error(
            &first_left_out.source,
            format!(
                "type `{}` has {count} properties{declared}; at most {MAX_MODEL_FIELDS} are generated, up to here",
                model.name
            ),
        )
        .with_help("split the type: the largest Microsoft Graph types have about 300 properties"),
    );
    model.properties.truncate(MAX_MODEL_FIELDS);
}

/// Enums declared twice (`enums.md` and a resource page's `X values`) merge into the first,
/// gaining the members only the later one lists; the result is sorted by version and name.
pub(crate) fn enums(enums: Vec<EnumType>, cx: &Ctxt) -> Vec<EnumType> {
    let mut merged: Vec<(EnumType, Option<HashSet<String>>)> = Vec::with_capacity(enums.len());
    let mut index: HashMap<(ApiVersion, String), usize> = HashMap::default();
    for declared in enums {
        let key = (declared.version, declared.name.to_ascii_lowercase());
        let Some(&first) = index.get(&key) else {
            index.insert(key, merged.len());
            merged.push((declared, None));
            continue;
        };
        let (kept, names) = &mut merged[first];
        let names =
            names.get_or_insert_with(|| kept.members.iter().map(|m| m.name.clone()).collect());
        let before = kept.members.len();
        for member in declared.members {
            if names.insert(member.name.clone()) {
                kept.members.push(member);
            }
        }
        if kept.members.len() > before {
            cx.warning(
                &declared.source,
                format!(
                    "enum `{}` is also declared at {} with fewer members; the members are merged",
                    declared.name, kept.source
                ),
            );
        }
    }
    let mut merged: Vec<EnumType> = merged.into_iter().map(|(declared, _)| declared).collect();
    merged.sort_by(|a, b| (a.version, &a.name).cmp(&(b.version, &b.name)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Origin, Source};

    fn declared(file: &str, base: Option<&str>, properties: &[(&str, &str)]) -> Model {
        Model {
            name: "microsoft.graph.thing".into(),
            version: ApiVersion::Beta,
            description: String::new(),
            base_type: base.map(str::to_owned),
            open_type: false,
            origin: Origin::Declared,
            properties: properties
                .iter()
                .enumerate()
                .map(|(at, (name, type_name))| Property {
                    name: (*name).into(),
                    type_name: (*type_name).into(),
                    collection: false,
                    description: String::new(),
                    origin: Origin::Declared,
                    source: Source::new(file, u32::try_from(at).unwrap() + 10),
                })
                .collect(),
            source: Source::new(file, 1),
        }
    }

    /// Later pages add only the properties the first lacks, in their order; a base type given
    /// otherwise by a later page is a warning there, and the first is kept.
    #[test]
    fn later_declarations_add_properties_and_keep_the_first_base() {
        let cx = Ctxt::new();
        let merged = models(
            vec![
                declared(
                    "a.md",
                    Some("microsoft.graph.entity"),
                    &[("x", "Edm.String")],
                ),
                declared(
                    "b.md",
                    Some("microsoft.graph.other"),
                    &[("y", "Edm.Int32"), ("x", "edm.string")],
                ),
                declared("c.md", None, &[("z", "Edm.Boolean"), ("y", "Edm.Int32")]),
            ],
            &cx,
        );
        let names: Vec<&str> = merged[0]
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!((merged.len(), names), (1, vec!["x", "y", "z"]));
        assert_eq!(
            merged[0].base_type.as_deref(),
            Some("microsoft.graph.entity")
        );
        let messages: Vec<String> = cx
            .into_diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            messages,
            [
                "b.md:1: warning: type `microsoft.graph.thing` derives from `microsoft.graph.other` here but from `microsoft.graph.entity` at a.md:1; the first is kept",
                "b.md:1: warning: type `microsoft.graph.thing` is also declared at a.md:1; its properties are merged there",
                "c.md:1: warning: type `microsoft.graph.thing` is also declared at a.md:1; its properties are merged there",
            ]
        );
    }
}
