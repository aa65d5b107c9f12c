//! JSON samples → model shapes, unified with the models declared by resource pages.
//!
//! Example bodies show properties that properties tables forget, and types that no resource page
//! declares. [`unify()`] learns both from [`Sample`]s: declared models always win, and everything
//! a sample adds carries [`Origin::Sample`](crate::ir::Origin::Sample) and a warning, so the pages
//! can be fixed.
//!
//! # Inference rules
//! - JSON values give `Edm` types: `true` → `Edm.Boolean`; integers → `Edm.Int32`, or
//!   `Edm.Int64` outside its range; other numbers → `Edm.Double`; strings → `Edm.Guid` (a UUID),
//!   `Edm.DateTimeOffset` (RFC 3339 with `Z` or an offset), `Edm.Date` (`YYYY-MM-DD`), else
//!   `Edm.String`.
//! - `null`, `[]` and placeholders ([`is_placeholder`]) give no type evidence. A property with no
//!   evidence in any sample is an `Edm.String`, with a warning that the type is a guess.
//! - An array is a collection of its elements' type. Only the first 64 elements are looked at.
//!   Numbers widen (`Edm.Int32` ⊂ `Edm.Int64` ⊂ `Edm.Double`), strings of different shapes are
//!   `Edm.String`, and any other mix keeps the first element's type, with a warning.
//! - A nested object is of the type it names with `"@odata.type": "#microsoft.graph.x"`, else of
//!   its declared property's type, else of a type named after its key in the parent's namespace:
//!   singular for array elements (`assignedLicenses` → `microsoft.graph.assignedLicense`, see
//!   `singular.rs` for the rules), as is for objects (`passwordProfile`).
//! - Keys containing `@` are annotations (`@odata.context`, `members@odata.bind`,
//!   `@microsoft.graph.downloadUrl`), not properties.
//! - Samples nested deeper than 64 levels are read down to that depth, with a warning.
//!
//! # Unification
//! - A key a declared model (or its base types) declares is checked, not inferred: a value that
//!   does not fit the declared type is a warning at the key's line, and a placeholder is named as
//!   one.
//! - A key no properties table declares is added to the declared model with `origin: sample` and a
//!   warning at the model's source. Open types take undeclared keys as dynamic properties: they are
//!   neither added nor reported.
//! - A model only samples show is created with `origin: sample`. Samples of one type merge: the
//!   union of their properties in first-seen order; a type conflict keeps the first sample's type,
//!   with a warning (numbers widen without one).
//! - Output: the declared models in their order, then new models sorted by version and name.
//!
//! Lines come from the body text: a key's line is where the key is written inside its object, or
//! the first `"key":` at or after its parent, or else the body's first line.

mod catalog;
mod conform;
mod locate;
mod placeholder;
pub(crate) mod response;
mod scalar;
mod shape;
mod singular;

pub(crate) use singular::singular;
mod unify;

use serde_json::Value;

use crate::diagnostics::Ctxt;
use crate::ir::{ApiVersion, Model};

/// One JSON sample: an example response body (or any JSON body) with what the page says about its type.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The body, parsed.
    pub value: &'a Value,
    /// The body text as written (to find the line of a key).
    pub raw: &'a str,
    /// 1-based line in `file` where `raw` starts.
    pub first_line: u32,
    /// The page, as displayed to users.
    pub file: &'a str,
    /// The API version of the page.
    pub version: ApiVersion,
    /// The body's type (`microsoft.graph.user`; a `#` or `Collection(…)` is understood).
    ///
    /// `None` when the page does not say: then nothing is inferred for the body itself, only for
    /// objects inside it that name their type with `@odata.type` (and what they contain). An
    /// `Edm.*` type has no model, so nothing is inferred either.
    pub odata_type: Option<&'a str>,
    /// The body is `{"value": [ … ]}` (or a bare array) of `odata_type`. A body whose only
    /// property is a `value` array that the type does not declare is read as a collection too.
    pub collection: bool,
    /// The page says properties were omitted from the sample: the descriptions of models learnt
    /// from it say so. (A missing key is never evidence either way.)
    pub truncated: bool,
}

/// The models of the docs: `declared` (merged from resource pages) with what `samples` teach,
/// except models of types the docs declare as enums (a sample cannot make a model of one).
pub(crate) fn models(
    declared: Vec<Model>,
    samples: &[Sample<'_>],
    enums: &[crate::ir::EnumType],
    cx: &Ctxt,
) -> Vec<Model> {
    let enum_names: rustc_hash::FxHashSet<(ApiVersion, String)> = enums
        .iter()
        .map(|declared| (declared.version, declared.name.to_ascii_lowercase()))
        .collect();
    let mut models = unify(declared, samples, cx);
    models.retain(|model| {
        model.origin == crate::ir::Origin::Declared
            || !enum_names.contains(&(model.version, model.name.to_ascii_lowercase()))
    });
    models
}

/// The operations with their responses settled from all the evidence (see [`response`]), once
/// the models are known.
pub(crate) fn responses(
    lowered: Vec<crate::lower::LoweredOperation>,
    models: &[Model],
    enums: &[crate::ir::EnumType],
    page_types: &rustc_hash::FxHashMap<(ApiVersion, String), String>,
    cx: &Ctxt,
) -> Vec<crate::ir::Operation> {
    let known = response::Known::new(models, enums, page_types);
    let mut operations: Vec<crate::ir::Operation> = lowered
        .into_iter()
        .map(|lowered| {
            let mut operation = lowered.operation;
            response::resolve(&mut operation, &lowered.prose, &known, cx);
            operation
        })
        .collect();
    response::from_paths(&mut operations, cx);
    operations
}

/// Infers models from samples and merges them into `declared` (models from resource pages). Declared types win.
///
/// See the module docs of `infer` for the rules. Problems are warnings in `cx`; this never fails.
pub fn unify(declared: Vec<Model>, samples: &[Sample<'_>], cx: &Ctxt) -> Vec<Model> {
    let mut store = unify::Store::default();
    {
        let catalog = catalog::Catalog::new(&declared);
        for sample in samples {
            shape::walk(sample, &catalog, &mut store, cx);
        }
    }
    store.finish(declared, cx)
}

/// Whether a sample string is a documentation placeholder rather than a real value (`"skuId-value"`, `"{id}"`, `"<guid>"`, `"String"`, `"datetime-value"`, ...).
///
/// A string is a placeholder when, trimmed, it ends in `-value`/`_value`/` value` after some
/// text; is a name in `{}` or `<>` (not a braced UUID); equals `key`; is a type word such as
/// `String`, `Guid`, `Edm.Int32` or `String (timestamp)`; or is `x`/`.`/`…` filler such as
/// `xxxxxxxx-xxxx-…`. Real values (`"2016-10-19T10:37:00Z"`, UUIDs, names, `""`) never are.
pub fn is_placeholder(key: &str, value: &str) -> bool {
    placeholder::is_placeholder(key, value)
}

/// Replaces placeholder (and other type-invalid) values in `value` by valid stand-ins for their declared type
/// (nil UUID for Edm.Guid, "0001-01-01T00:00:00Z" for Edm.DateTimeOffset, 0 for numbers…), walking `models` from `type_name`.
/// Used by mocks and tests to serve doc examples that the typed client can decode. Returns how many values were replaced.
///
/// - `type_name` may be `Collection(…)`: then `value` is `{"value": [ … ]}` or an array, and
///   each element is conformed.
/// - Placeholders that are valid for their type stay: `"city-value"` is a fine `Edm.String`.
/// - Stand-ins: `false`, `0`, `0.0`, the nil UUID, `"0001-01-01T00:00:00Z"`, `"0001-01-01"`,
///   `"00:00:00"`, `"PT0S"`, `""`; `{}` for a model, `[]` for a collection.
/// - `null`, annotations, undeclared keys, enum values and unknown `Edm.*` types are left as they
///   are, and so is anything deeper than 64 levels. An object's `@odata.type` is followed when it
///   names one of `models`.
pub fn conform_sample(
    value: &mut Value,
    type_name: &str,
    version: ApiVersion,
    models: &[Model],
) -> usize {
    Conformance::new(models).conform(value, type_name, version)
}

/// [`conform_sample`] for many values over one set of models: their catalog is built once.
pub(crate) struct Conformance<'m> {
    catalog: catalog::Catalog<'m>,
}

impl<'m> Conformance<'m> {
    pub(crate) fn new(models: &'m [Model]) -> Self {
        Conformance {
            catalog: catalog::Catalog::new(models),
        }
    }

    /// Replaces the values of `value` that do not fit `type_name`; returns how many.
    pub(crate) fn conform(&self, value: &mut Value, type_name: &str, version: ApiVersion) -> usize {
        conform::conform(&self.catalog, value, type_name, version)
    }
}

#[cfg(test)]
mod tests;
