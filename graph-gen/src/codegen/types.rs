//! Rust types for `OData` type names: runtime paths, the model index, and the `Edm` mapping.
//!
//! Every path emitted is absolute (`::core::…`, `::std::…`, the runtime crate) or relative to
//! the version module through `super::`, so names in the user's scope (a local `Result`,
//! `Option` or `String`, a module named `bool`) cannot change what generated code means.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{ApiVersion, Ir, Model, TypeRef};
use crate::naming::{self, UniqueNames};

/// Paths into the runtime crate (`::graph_api` by default).
#[derive(Debug, Clone)]
pub(crate) struct Runtime {
    root: TokenStream,
    root_text: String,
}

impl Runtime {
    /// `::graph_api`, the default.
    pub(crate) fn graph_api() -> Self {
        Runtime {
            root: quote!(::graph_api),
            root_text: "::graph_api".to_owned(),
        }
    }

    /// Reads `settings.runtime_crate`: a crate name (`graph_api`), a path below one
    /// (`my_app::graph`), or `crate` when the code is generated inside the runtime itself.
    pub(crate) fn parse(path: &str) -> Result<Self, String> {
        let segments: Vec<&str> = path.trim().trim_start_matches("::").split("::").collect();
        let mut root = TokenStream::new();
        let mut root_text = String::new();
        for (at, segment) in segments.iter().enumerate() {
            if at == 0 && *segment == "crate" {
                root.extend(quote!(crate));
                root_text.push_str("crate");
                continue;
            }
            let ident = naming::ident(segment);
            if ident != segment {
                return Err(format!(
                    "graph-gen: runtime crate path `{path}` is not a Rust path; \
                     write a crate name such as `graph_api`, or `crate`"
                ));
            }
            root.extend(quote!(:: #ident));
            root_text.push_str("::");
            root_text.push_str(segment);
        }
        Ok(Runtime { root, root_text })
    }

    /// `::graph_api::<name>`.
    pub(crate) fn item(&self, name: &str) -> TokenStream {
        let root = &self.root;
        let ident = naming::ident(name);
        quote!(#root :: #ident)
    }

    /// `::graph_api::__private::<name>`.
    pub(crate) fn private(&self, name: &str) -> TokenStream {
        let root = &self.root;
        let ident = naming::ident(name);
        quote!(#root :: __private :: #ident)
    }

    /// The `#[serde(crate = "…")]` value: serde as re-exported by the runtime.
    pub(crate) fn serde_crate(&self) -> String {
        format!("{}::__private::serde", self.root_text)
    }

    /// `::graph_api::__private::serde_json::Value`.
    pub(crate) fn json_value(&self) -> TokenStream {
        let serde_json = self.private("serde_json");
        quote!(#serde_json::Value)
    }
}

/// Where a model is emitted: module path below the version module and type name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelSlot {
    /// The model's position in [`Ir::models`].
    pub(crate) id: usize,
    /// Modules below the version module (its `OData` sub-namespace), snake case.
    pub(crate) module: Vec<String>,
    /// The unescaped type name, unique within its module.
    pub(crate) name: String,
}

/// Every model of the IR with its Rust name, found by qualified name like [`Ir::model`].
#[derive(Debug)]
pub(crate) struct ModelIndex<'ir> {
    models: &'ir [Model],
    slots: Vec<ModelSlot>,
    by_name: HashMap<(ApiVersion, String), usize>,
    /// Enums, named in the same scopes after every model, so enums never rename models.
    enum_slots: Vec<ModelSlot>,
    enums_by_name: HashMap<(ApiVersion, String), usize>,
    /// Referenced models with derived models: references to them name an `Any…` enum.
    polymorphic: Vec<Polymorphic>,
    polymorphic_by_base: HashMap<usize, usize>,
}

/// A referenced base model and the models derived from it, decoded by `@odata.type`.
#[derive(Debug, Clone)]
pub(crate) struct Polymorphic {
    /// The base model's struct.
    pub(crate) base: usize,
    /// Where the `Any…` enum goes and its name; `id` is the base model's.
    pub(crate) slot: ModelSlot,
    /// Every model derived from the base, directly or not, in model order.
    pub(crate) derived: Vec<usize>,
}

impl<'ir> ModelIndex<'ir> {
    /// Names every model. Within one module, names that collide are claimed in order of
    /// source file, line, then qualified name, so a model keeps its name unless a page sorting
    /// before it declares one with the same Rust name.
    pub(crate) fn new(ir: &'ir Ir) -> Self {
        let mut order: Vec<usize> = (0..ir.models.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&ir.models[a], &ir.models[b]);
            (a.version, &a.source, &a.name).cmp(&(b.version, &b.source, &b.name))
        });
        let mut scopes: HashMap<(ApiVersion, Vec<String>), UniqueNames> = HashMap::new();
        let mut slots: Vec<Option<ModelSlot>> = vec![None; ir.models.len()];
        let mut by_name = HashMap::new();
        for id in order {
            let model = &ir.models[id];
            let spelled = naming::type_name(&model.name);
            let scope = scopes
                .entry((model.version, spelled.namespace.clone()))
                .or_insert_with(UniqueNames::upper_camel);
            let name = scope.claim(&spelled.name);
            by_name
                .entry((model.version, model.name.to_ascii_lowercase()))
                .or_insert(id);
            slots[id] = Some(ModelSlot {
                id,
                module: spelled.namespace,
                name,
            });
        }
        let mut enum_order: Vec<usize> = (0..ir.enums.len()).collect();
        enum_order.sort_by(|&a, &b| {
            let (a, b) = (&ir.enums[a], &ir.enums[b]);
            (a.version, &a.source, &a.name).cmp(&(b.version, &b.source, &b.name))
        });
        let mut enum_slots: Vec<Option<ModelSlot>> = vec![None; ir.enums.len()];
        let mut enums_by_name = HashMap::new();
        for id in enum_order {
            let declared = &ir.enums[id];
            let spelled = naming::type_name(&declared.name);
            let scope = scopes
                .entry((declared.version, spelled.namespace.clone()))
                .or_insert_with(UniqueNames::upper_camel);
            let name = scope.claim(&spelled.name);
            enums_by_name
                .entry((declared.version, declared.name.to_ascii_lowercase()))
                .or_insert(id);
            enum_slots[id] = Some(ModelSlot {
                id,
                module: spelled.namespace,
                name,
            });
        }
        let slots: Vec<ModelSlot> = slots.into_iter().flatten().collect();
        let polymorphic = polymorphic_models(ir, &by_name, &slots, &mut scopes);
        let polymorphic_by_base = polymorphic
            .iter()
            .enumerate()
            .map(|(at, p)| (p.base, at))
            .collect();
        ModelIndex {
            models: &ir.models,
            slots,
            by_name,
            enum_slots: enum_slots.into_iter().flatten().collect(),
            enums_by_name,
            polymorphic,
            polymorphic_by_base,
        }
    }

    /// The referenced base models with derived models, in model order.
    pub(crate) fn polymorphic(&self) -> &[Polymorphic] {
        &self.polymorphic
    }

    /// The slot of the enum at `id` in [`Ir::enums`].
    pub(crate) fn enum_slot(&self, id: usize) -> &ModelSlot {
        &self.enum_slots[id]
    }

    /// The enum `type_name` names in `version`, like [`ModelIndex::resolve`].
    pub(crate) fn resolve_enum(&self, version: ApiVersion, type_name: &str) -> Option<&ModelSlot> {
        let key = type_name
            .trim()
            .trim_start_matches('#')
            .to_ascii_lowercase();
        self.enums_by_name
            .get(&(version, key))
            .map(|&id| &self.enum_slots[id])
    }

    /// The slot of the model at `id` in [`Ir::models`].
    pub(crate) fn slot(&self, id: usize) -> &ModelSlot {
        &self.slots[id]
    }

    /// The model `type_name` names in `version`: qualified (`microsoft.graph.user`), or bare
    /// (`user`) for one in `microsoft.graph`.
    pub(crate) fn resolve(&self, version: ApiVersion, type_name: &str) -> Option<&ModelSlot> {
        let key = type_name
            .trim()
            .trim_start_matches('#')
            .to_ascii_lowercase();
        let found = self.by_name.get(&(version, key.clone())).or_else(|| {
            (!key.contains('.'))
                .then(|| {
                    self.by_name
                        .get(&(version, format!("microsoft.graph.{key}")))
                })
                .flatten()
        });
        found.map(|&id| match self.polymorphic_by_base.get(&id) {
            Some(&at) => &self.polymorphic[at].slot,
            None => &self.slots[id],
        })
    }

    /// The model the slot stands for.
    pub(crate) fn model(&self, slot: &ModelSlot) -> &'ir Model {
        &self.models[slot.id]
    }
}

/// Finds the base models that the IR refers to and that have derived models, and names an
/// `Any…` enum for each in the base's scope (after models and enums, so it renames neither).
fn polymorphic_models(
    ir: &Ir,
    by_name: &HashMap<(ApiVersion, String), usize>,
    slots: &[ModelSlot],
    scopes: &mut HashMap<(ApiVersion, Vec<String>), UniqueNames>,
) -> Vec<Polymorphic> {
    let id_of = |version: ApiVersion, name: &str| {
        let name = TypeRef::parse(name).name.to_ascii_lowercase();
        by_name.get(&(version, name)).copied()
    };
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for (id, model) in ir.models.iter().enumerate() {
        if let Some(base) = model
            .base_type
            .as_deref()
            .and_then(|base| id_of(model.version, base))
        {
            if base != id {
                children.entry(base).or_default().push(id);
            }
        }
    }
    let mut referenced: Vec<usize> = ir
        .models
        .iter()
        .flat_map(|model| {
            model
                .properties
                .iter()
                .map(move |p| (model.version, p.type_name.as_str()))
        })
        .chain(ir.operations.iter().filter_map(|op| {
            let type_name = op.response.as_ref()?.type_name.as_deref()?;
            Some((op.version, type_name))
        }))
        .filter_map(|(version, name)| id_of(version, name))
        .filter(|id| children.contains_key(id))
        .collect();
    referenced.sort_unstable();
    referenced.dedup();
    referenced
        .into_iter()
        .map(|base| {
            // A set, not `derived.contains`: a base with thousands of derived types was
            // quadratic here.
            let mut seen = std::collections::HashSet::from([base]);
            let mut derived = Vec::new();
            let mut stack = children.get(&base).cloned().unwrap_or_default();
            while let Some(id) = stack.pop() {
                if seen.insert(id) {
                    derived.push(id);
                    stack.extend(children.get(&id).into_iter().flatten().copied());
                }
            }
            derived.sort_unstable();
            let slot = &slots[base];
            let model = &ir.models[base];
            let scope = scopes
                .entry((model.version, slot.module.clone()))
                .or_insert_with(UniqueNames::upper_camel);
            let name = scope.claim(&format!("Any{}", slot.name));
            Polymorphic {
                base,
                slot: ModelSlot {
                    id: base,
                    module: slot.module.clone(),
                    name,
                },
                derived,
            }
        })
        .collect()
}

/// What an element type (no collection) becomes.
#[derive(Debug)]
pub(crate) enum Element<'a> {
    /// A model of the same version.
    Model(&'a ModelSlot),
    /// An enum of the same version (its slot indexes [`Ir::enums`]).
    Enum(&'a ModelSlot),
    /// A primitive or JSON type, as a complete path.
    Other(TokenStream),
}

/// Maps element types of one version, seen from one module below the version module.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TypeMapper<'a, 'ir> {
    pub(crate) runtime: &'a Runtime,
    pub(crate) models: &'a ModelIndex<'ir>,
    pub(crate) version: ApiVersion,
}

impl<'a> TypeMapper<'a, '_> {
    /// The element type `type_name` stands for: an `Edm` primitive, a model of this version,
    /// or `serde_json::Value` for a qualified name without a model (an enum or a type no page
    /// describes), so no path ever dangles.
    pub(crate) fn element(&self, type_name: &str) -> Element<'a> {
        if let Some(primitive) = self.primitive(type_name) {
            return Element::Other(primitive);
        }
        if let Some(slot) = self.models.resolve(self.version, type_name) {
            return Element::Model(slot);
        }
        match self.models.resolve_enum(self.version, type_name) {
            Some(slot) => Element::Enum(slot),
            None => Element::Other(self.runtime.json_value()),
        }
    }

    /// Whether `type_name` is an `Edm` primitive (or spelled like one), not a model.
    pub(crate) fn is_primitive(&self, type_name: &str) -> bool {
        self.primitive(type_name).is_some()
    }

    /// The path of `slot` as written in the module at `from` (below the version module).
    pub(crate) fn model_path(slot: &ModelSlot, from: &[String]) -> TokenStream {
        let ident = naming::ident(&slot.name);
        if slot.module == from {
            return quote!(#ident);
        }
        let supers = from.iter().map(|_| quote!(super::));
        let modules = slot.module.iter().map(|module| naming::ident(module));
        quote!(#(#supers)* #(#modules::)* #ident)
    }

    /// `Edm` primitives, with or without the `Edm.` prefix, in any case.
    ///
    /// `Duration` (ISO 8601 text such as `PT1H`), `Binary` (base64 text) and `Stream` (a URL or
    /// base64 text in JSON) stay `String`: they are JSON strings and the runtime re-exports no
    /// parser for them, so the text is kept exactly as sent. An unknown `Edm.*` name is also
    /// kept as `String`, since new `OData` primitives are string-encoded; the geography, geometry
    /// and untyped primitives are JSON objects or anything at all, so they are `Value`.
    fn primitive(&self, type_name: &str) -> Option<TokenStream> {
        let lower = type_name.trim().to_ascii_lowercase();
        let (bare, prefixed) = match lower.strip_prefix("edm.") {
            Some(bare) => (bare, true),
            None => (lower.as_str(), false),
        };
        let chrono = self.runtime.private("chrono");
        let uuid = self.runtime.private("uuid");
        let tokens = match bare {
            "string" | "duration" | "binary" | "stream" => quote!(::std::string::String),
            "boolean" => quote!(::core::primitive::bool),
            "int32" => quote!(::core::primitive::i32),
            "int64" => quote!(::core::primitive::i64),
            "int16" => quote!(::core::primitive::i16),
            "byte" => quote!(::core::primitive::u8),
            "sbyte" => quote!(::core::primitive::i8),
            "double" | "single" | "decimal" => quote!(::core::primitive::f64),
            "guid" => quote!(#uuid::Uuid),
            "datetimeoffset" => quote!(#chrono::DateTime<#chrono::Utc>),
            "date" => quote!(#chrono::NaiveDate),
            "timeofday" => quote!(#chrono::NaiveTime),
            "untyped" | "primitivetype" | "complextype" | "entitytype" => self.runtime.json_value(),
            other if other.starts_with("geography") || other.starts_with("geometry") => {
                self.runtime.json_value()
            }
            _ if prefixed => quote!(::std::string::String),
            _ => return None,
        };
        Some(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_paths() {
        let runtime = Runtime::parse("graph_api").unwrap();
        assert_eq!(runtime.serde_crate(), "::graph_api::__private::serde");
        assert_eq!(
            runtime.private("Method").to_string(),
            ":: graph_api :: __private :: Method"
        );
        let inside = Runtime::parse("crate").unwrap();
        assert_eq!(inside.serde_crate(), "crate::__private::serde");
        assert_eq!(inside.item("Error").to_string(), "crate :: Error");
        assert!(Runtime::parse("graph-api").is_err());
        assert!(Runtime::parse("a::type").is_err());
        assert!(Runtime::parse("").is_err());
    }
}
