//! Cargo features on generated items: opt-in API versions and resources.
//!
//! With [`crate::GenerationSettings::with_cargo_features`], the crate expanding the bindings
//! picks what compiles through its own `[features]`:
//!
//! - a feature named like a version module (`beta`, `v1`) gates that module;
//! - a feature named like a resource module (`user`, `drive_item`) gates that resource's
//!   request functions and `*_PERMISSIONS` constants, in every version;
//! - a model compiles when a selected operation can reach it (through its response, request
//!   body, properties and base types, transitively), so the types a selected call needs are
//!   always there; models no operation reaches are always compiled;
//! - versions and resources the manifest declares no feature for are not gated;
//! - a feature declared as `name = []` that names neither a version nor a resource of the docs
//!   is a `compile_error!`, so a typo cannot silently select nothing. Features listing others
//!   (`default = ["beta", "user"]`) are aliases and are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::ModelIndex;
use super::{operation_module, version_module_name};
use crate::ir::TypeRef;
use crate::ir::{ApiVersion, Ir, Operation, RequestBody};
use crate::{Error, Result};

/// The `[features]` table of a crate's `Cargo.toml`: each feature and what it enables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoFeatures {
    declared: BTreeMap<String, Vec<String>>,
}

impl CargoFeatures {
    /// Reads the `[features]` of the manifest at `path` (a `Cargo.toml`).
    pub fn read(path: &Path) -> Result<Self> {
        let manifest_error = |source: Box<dyn std::error::Error + Send + Sync>| Error::Manifest {
            path: path.to_owned(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(|error| manifest_error(error.into()))?;
        Self::parse(&text).map_err(|error| manifest_error(error.into()))
    }

    /// The `[features]` of manifest text.
    pub fn parse(manifest: &str) -> std::result::Result<Self, toml::de::Error> {
        #[derive(serde::Deserialize)]
        struct Manifest {
            #[serde(default)]
            features: BTreeMap<String, Vec<String>>,
        }
        let manifest: Manifest = toml::from_str(manifest)?;
        Ok(CargoFeatures {
            declared: manifest.features,
        })
    }

    /// Features that enable nothing else, as `name = []` declares them.
    pub fn from_names<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        CargoFeatures {
            declared: names
                .into_iter()
                .map(|name| (name.into(), Vec::new()))
                .collect(),
        }
    }

    /// Whether the manifest declares a feature of this name.
    pub fn is_declared(&self, name: &str) -> bool {
        self.declared.contains_key(name)
    }

    /// The features `ir` could have that are not declared: its versions' and resources'
    /// modules (`v1`, `drive_item`), sorted. Their items compile without a feature; a build
    /// says which lines to add so users can leave them out.
    pub fn missing(&self, ir: &Ir) -> Vec<String> {
        let wanted: BTreeSet<String> = ir
            .operations
            .iter()
            .flat_map(|operation| {
                [
                    version_module_name(operation.version).to_owned(),
                    operation_module(operation),
                ]
            })
            .collect();
        wanted
            .into_iter()
            .filter(|name| !self.is_declared(name))
            .collect()
    }

    /// The features declared as `name = []`: each must name a version or resource.
    fn leaves(&self) -> impl Iterator<Item = &str> {
        self.declared
            .iter()
            .filter(|(name, enables)| enables.is_empty() && name.as_str() != "default")
            .map(|(name, _)| name.as_str())
    }
}

/// The gates of one IR: which feature each generated item needs.
#[derive(Debug)]
pub(crate) struct Gates<'a> {
    features: &'a CargoFeatures,
}

/// What an item compiles under: always, or when any of these features is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    Always,
    AnyOf(BTreeSet<String>),
}

impl Gate {
    /// The `#[cfg(…)]` attribute, or nothing.
    pub(crate) fn attribute(&self) -> TokenStream {
        match self {
            Gate::Always => TokenStream::new(),
            Gate::AnyOf(features) => {
                let features = features.iter().map(|feature| Literal::string(feature));
                quote!(#[cfg(any(#(feature = #features),*))])
            }
        }
    }

    /// The gate of items needed by everything in `gates`.
    pub(crate) fn union(gates: impl IntoIterator<Item = Gate>) -> Gate {
        let mut features = BTreeSet::new();
        for gate in gates {
            match gate {
                Gate::Always => return Gate::Always,
                Gate::AnyOf(more) => features.extend(more),
            }
        }
        if features.is_empty() {
            Gate::Always
        } else {
            Gate::AnyOf(features)
        }
    }

    /// Adds this gate to every item of `tokens` (a function and its constant, say).
    pub(crate) fn apply(&self, tokens: TokenStream) -> TokenStream {
        if *self == Gate::Always {
            return tokens;
        }
        let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
            // Not items: leave them for `generate_text` to report as a generator bug.
            return tokens;
        };
        let attribute = self.attribute();
        for item in &mut file.items {
            if let Some(attributes) = item_attributes(item) {
                attributes.insert(0, syn::parse_quote!(#attribute));
            }
        }
        let items = &file.items;
        quote!(#(#items)*)
    }
}

impl<'a> Gates<'a> {
    pub(crate) fn new(features: &'a CargoFeatures) -> Self {
        Gates { features }
    }

    /// The gate of a version module.
    pub(crate) fn version(&self, version: ApiVersion) -> Gate {
        self.declared(version_module_name(version))
    }

    /// The gate of an operation's items.
    pub(crate) fn operation(&self, operation: &Operation) -> Gate {
        self.declared(&operation_module(operation))
    }

    fn declared(&self, name: &str) -> Gate {
        if self.features.is_declared(name) {
            Gate::AnyOf(BTreeSet::from([name.to_owned()]))
        } else {
            Gate::Always
        }
    }

    /// The gate of each model of `version` (by index in [`Ir::models`]): the union of the
    /// gates of the operations reaching it and of the models holding it; always for models no
    /// operation reaches. A model compiles whenever anything that names it does.
    pub(crate) fn models(
        &self,
        ir: &Ir,
        models: &ModelIndex<'_>,
        version: ApiVersion,
    ) -> Vec<Gate> {
        let mut reached: Vec<Vec<Gate>> = vec![Vec::new(); ir.models.len()];
        for operation in ir.operations.iter().filter(|op| op.version == version) {
            let gate = self.operation(operation);
            for id in reachable(operation, models, ir, version) {
                if let Some(gates) = reached.get_mut(id) {
                    gates.push(gate.clone());
                }
            }
        }
        let mut gates: Vec<Gate> = reached.into_iter().map(Gate::union).collect();
        // Widen along holder → held edges until nothing changes: gates only grow, towards
        // `Always`, so this ends.
        let held: Vec<Vec<usize>> = (0..ir.models.len())
            .map(|id| held_models(id, models, ir, version))
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for holder in 0..gates.len() {
                for &id in &held[holder] {
                    let widened = Gate::union([gates[id].clone(), gates[holder].clone()]);
                    if widened != gates[id] {
                        gates[id] = widened;
                        changed = true;
                    }
                }
            }
        }
        gates
    }

    /// `compile_error!`s for declared features naming nothing in `ir`.
    pub(crate) fn unknown_features(&self, ir: &Ir) -> TokenStream {
        let mut known: BTreeSet<String> = BTreeSet::new();
        for operation in &ir.operations {
            known.insert(version_module_name(operation.version).to_owned());
            known.insert(operation_module(operation));
        }
        known.extend(
            ir.models
                .iter()
                .map(|model| version_module_name(model.version).to_owned()),
        );
        let listed: Vec<&str> = known.iter().map(String::as_str).collect();
        let errors = self
            .features
            .leaves()
            .filter(|name| !known.contains(*name))
            .map(|name| {
                let message = Literal::string(&format!(
                    "cargo feature `{name}` names no API version or resource in the docs; \
                     help: name one of `{}`, or remove the feature",
                    listed.join("`, `")
                ));
                quote!(::core::compile_error!(#message);)
            });
        quote!(#(#errors)*)
    }
}

/// Models `operation` needs: its response and body types, and what they hold, transitively.
fn reachable(
    operation: &Operation,
    models: &ModelIndex<'_>,
    ir: &Ir,
    version: ApiVersion,
) -> BTreeSet<usize> {
    let mut roots: Vec<&str> = Vec::new();
    if let Some(type_name) = operation
        .response
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
    {
        roots.push(type_name);
    }
    match &operation.request_body {
        RequestBody::Json {
            type_name: Some(type_name),
        } => roots.push(type_name),
        RequestBody::Parameters { parameters } => {
            roots.extend(parameters.iter().map(|p| p.type_name.as_str()));
        }
        RequestBody::Json { type_name: None } | RequestBody::None => {}
    }
    let mut seen = BTreeSet::new();
    let mut queue: Vec<usize> = roots
        .into_iter()
        .filter_map(|name| models.resolve(version, TypeRef::parse(name).name))
        .map(|slot| slot.id)
        .collect();
    while let Some(id) = queue.pop() {
        if id < ir.models.len() && seen.insert(id) {
            queue.extend(held_models(id, models, ir, version));
        }
    }
    seen
}

/// The models a model names: its properties' types, its base type, and, for a polymorphic
/// base, the models derived from it (its `Any…` enum decodes into them).
fn held_models(id: usize, models: &ModelIndex<'_>, ir: &Ir, version: ApiVersion) -> Vec<usize> {
    let Some(model) = ir.models.get(id).filter(|model| model.version == version) else {
        return Vec::new();
    };
    let mut held: Vec<usize> = model
        .properties
        .iter()
        .map(|property| property.type_name.as_str())
        .chain(model.base_type.as_deref())
        .filter_map(|name| models.resolve(version, TypeRef::parse(name).name))
        .map(|slot| slot.id)
        .collect();
    if let Some(polymorphic) = models.polymorphic().iter().find(|p| p.base == id) {
        held.extend(&polymorphic.derived);
    }
    held
}

/// The attributes of an item that can carry `#[cfg]`.
fn item_attributes(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
