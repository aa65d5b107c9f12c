//! Models → `pub struct`s: every property optional, unknown properties kept, cycles boxed.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Element, ModelSlot, TypeMapper};
use crate::ir::TypeRef;
use crate::ir::{Model, Origin, Property};
use crate::merge::MAX_BASE_TYPES;
use crate::naming::{self, UniqueNames};

/// The name of the field keeping properties the docs do not list (suffixed if taken).
const ADDITIONAL_PROPERTIES: &str = "additional_properties";

/// Structs with more fields than this get a `Debug` impl of one statement per field instead of
/// a derived one: the derived `Debug` builds an array of every field on the stack, 16 bytes
/// each, which clippy's `large_stack_arrays` flags past 1,024. Microsoft Graph's largest struct
/// has 319 fields, so real docs get the derive; examples and IR files can make structs larger
/// than the merge stage's cap.
const DERIVED_FIELDS: usize = 1_024;

/// A property of a model with where it was declared, when inherited.
struct Field<'ir> {
    property: &'ir Property,
    inherited_from: Option<&'ir str>,
}

/// The properties of `model`: inherited ones first (from the base-most type), then its own;
/// a property a derived type redeclares (same JSON name) keeps its place and takes the
/// derived declaration.
///
/// At most [`MAX_BASE_TYPES`] bases are followed: the merge stage cuts longer chains of docs
/// with an error, and an IR read from a file is held to the same bound here.
fn fields<'ir>(model: &'ir Model, types: &TypeMapper<'_, 'ir>) -> Vec<Field<'ir>> {
    let mut chain = vec![model];
    let mut seen = HashSet::from([model.name.to_ascii_lowercase()]);
    while let Some(base) = chain
        .last()
        .filter(|_| chain.len() <= MAX_BASE_TYPES)
        .and_then(|model| model.base_type.as_deref())
    {
        let Some(slot) = types.models.resolve(types.version, base) else {
            break;
        };
        let base = types.models.model(slot);
        if !seen.insert(base.name.to_ascii_lowercase()) {
            break;
        }
        chain.push(base);
    }
    let mut fields: Vec<Field<'ir>> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for declaring in chain.iter().rev() {
        let inherited_from = (declaring.name != model.name).then_some(declaring.name.as_str());
        for property in &declaring.properties {
            let field = Field {
                property,
                inherited_from,
            };
            if let Some(&at) = by_name.get(property.name.as_str()) {
                fields[at] = field;
            } else {
                by_name.insert(&property.name, fields.len());
                fields.push(field);
            }
        }
    }
    fields
}

/// The models a model holds directly (not through a collection), for [`components`].
fn direct_targets(model: &Model, types: &TypeMapper<'_, '_>) -> Vec<usize> {
    fields(model, types)
        .iter()
        .filter_map(|field| {
            let type_ref = field.property.type_ref();
            if type_ref.collection {
                return None;
            }
            match types.element(type_ref.name) {
                Element::Model(slot) => Some(slot.id),
                Element::Enum(_) | Element::Other(_) => None,
            }
        })
        .collect()
}

/// The strongly connected component of every model of one version, by holding a model
/// directly: a field whose target is in its own model's component would make the struct
/// infinitely large, so it is boxed. `ids` are the version's models.
pub(crate) fn components(
    ids: &[usize],
    types: &TypeMapper<'_, '_>,
) -> std::collections::HashMap<usize, usize> {
    let position: std::collections::HashMap<usize, usize> =
        ids.iter().enumerate().map(|(at, &id)| (id, at)).collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|&id| {
            let model = types.models.model(types.models.slot(id));
            direct_targets(model, types)
                .into_iter()
                .filter_map(|target| position.get(&target).copied())
                .collect()
        })
        .collect();
    strongly_connected(&edges)
        .into_iter()
        .enumerate()
        .map(|(at, component)| (ids[at], component))
        .collect()
}

/// Tarjan's algorithm without recursion (model graphs can be deep): component per node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let (mut index, mut low) = (vec![UNSEEN; count], vec![0; count]);
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let (mut stack, mut next_index, mut components) = (Vec::new(), 0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        let mut calls = vec![(root, 0_usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(node, edge)) = calls.last() {
            if let Some(&target) = edges[node].get(edge) {
                if let Some(call) = calls.last_mut() {
                    call.1 += 1;
                }
                if index[target] == UNSEEN {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    calls.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// The `pub struct` for the model in `slot`.
pub(crate) fn model_struct(
    slot: &ModelSlot,
    types: &TypeMapper<'_, '_>,
    components: &std::collections::HashMap<usize, usize>,
) -> TokenStream {
    let model = types.models.model(slot);
    let serde_json = types.runtime.private("serde_json");
    let ident = naming::ident(&slot.name);
    let own_component = components.get(&slot.id);

    let fields = fields(model, types);
    let mut names = UniqueNames::snake();
    let mut json_names = HashSet::new();
    let mut field_tokens = Vec::new();
    let mut serde_fields = Vec::new();
    for field in &fields {
        let property = field.property;
        if !json_names.insert(property.name.as_str()) {
            continue;
        }
        let name = naming::ident(&names.claim(&naming::snake_case(&property.name)));
        let TypeRef {
            name: element,
            collection,
        } = property.type_ref();
        let mut ty = match types.element(element) {
            Element::Model(target) => {
                let path = TypeMapper::model_path(target, &slot.module);
                let cyclic = !collection
                    && own_component.is_some()
                    && components.get(&target.id) == own_component;
                if cyclic {
                    quote!(::std::boxed::Box<#path>)
                } else {
                    path
                }
            }
            Element::Enum(target) => TypeMapper::model_path(target, &slot.module),
            Element::Other(path) => path,
        };
        if collection {
            ty = quote!(::std::vec::Vec<#ty>);
        }
        let rename = Literal::string(&property.name);
        let doc = docs::attributes(&field_docs(field, collection));
        field_tokens.push(quote! {
            #doc
            pub #name: ::core::option::Option<#ty>,
        });
        serde_fields.push((rename, name));
    }
    let additional = naming::ident(&names.claim(ADDITIONAL_PROPERTIES));
    let doc = docs::attributes(&model_docs(model, &fields));
    let serde_impls = serde_impls(&ident, &additional, &serde_fields, types);
    let debug_impl = (serde_fields.len() > DERIVED_FIELDS)
        .then(|| debug_impl(&ident, &additional, &serde_fields));
    let debug = debug_impl.is_none().then(|| quote!(::core::fmt::Debug,));
    let partial_eq = partial_eq_impl(&ident, &additional, &serde_fields);
    quote! {
        #doc
        #[derive(
            #debug
            ::core::clone::Clone,
            ::core::default::Default,
        )]
        pub struct #ident {
            #(#field_tokens)*
            /// Properties the docs do not list, kept as JSON so nothing is lost on a round trip.
            pub #additional: #serde_json::Map<::std::string::String, #serde_json::Value>,
        }
        #partial_eq
        #debug_impl
        #serde_impls
    }
}

/// `PartialEq`, a statement per field. The derived `a == b && c == d && …` nests one level per
/// field: it was 40 % of `cargo check` of the v1.0 bindings, and rustc 1.95 overflows its stack
/// on it at about 5,000 fields (BENCHMARKS.md, "Compile cost of the models").
pub(crate) fn partial_eq_impl(
    ident: &proc_macro2::Ident,
    additional: &proc_macro2::Ident,
    fields: &[(Literal, proc_macro2::Ident)],
) -> TokenStream {
    let field = fields.iter().map(|(_, field)| field);
    quote! {
        impl ::core::cmp::PartialEq for #ident {
            fn eq(&self, other: &Self) -> ::core::primitive::bool {
                #(if self.#field != other.#field {
                    return false;
                })*
                self.#additional == other.#additional
            }
        }
    }
}

/// `Debug` for a struct of more than [`DERIVED_FIELDS`] fields: a statement per field, so
/// nothing grows on the stack with the number of fields.
fn debug_impl(
    ident: &proc_macro2::Ident,
    additional: &proc_macro2::Ident,
    fields: &[(Literal, proc_macro2::Ident)],
) -> TokenStream {
    let field: Vec<&proc_macro2::Ident> = fields.iter().map(|(_, field)| field).collect();
    let shown = |ident: &proc_macro2::Ident| {
        let text = ident.to_string();
        Literal::string(text.strip_prefix("r#").unwrap_or(&text))
    };
    let name = shown(ident);
    let label = field.iter().map(|field| shown(field));
    let additional_label = shown(additional);
    quote! {
        impl ::core::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut shown = f.debug_struct(#name);
                #(shown.field(#label, &self.#field);)*
                shown.field(#additional_label, &self.#additional);
                shown.finish()
            }
        }
    }
}

/// `Serialize` and `Deserialize` for a model through the runtime's `Model` support: a line per
/// property (JSON name, field). serde's derive with `#[serde(flatten)]` expanded to ~390 lines
/// per model, which were most of `cargo check` of large bindings, and decoded slower.
fn serde_impls(
    ident: &proc_macro2::Ident,
    additional: &proc_macro2::Ident,
    fields: &[(Literal, proc_macro2::Ident)],
    types: &TypeMapper<'_, '_>,
) -> TokenStream {
    let serde = types.runtime.private("serde");
    let serde_json = types.runtime.private("serde_json");
    let private = types.runtime.item("__private");
    let name = Literal::string(&ident.to_string());
    let (json, field): (Vec<&Literal>, Vec<&proc_macro2::Ident>) =
        fields.iter().map(|(json, field)| (json, field)).unzip();
    let read = if fields.is_empty() {
        quote! {
            let _ = (key, map);
            ::core::result::Result::Ok(false)
        }
    } else {
        quote! {
            match key {
                #(#json => { #private::read_value(map, &mut self.#field)?; })*
                _ => return ::core::result::Result::Ok(false),
            }
            ::core::result::Result::Ok(true)
        }
    };
    quote! {
        impl #private::Model for #ident {
            const NAME: &'static ::core::primitive::str = #name;
            fn read_field<'de, A: #serde::de::MapAccess<'de>>(
                &mut self,
                key: &::core::primitive::str,
                map: &mut A,
            ) -> ::core::result::Result<::core::primitive::bool, A::Error> {
                #read
            }
            fn unlisted(
                &mut self,
            ) -> &mut #serde_json::Map<::std::string::String, #serde_json::Value> {
                &mut self.#additional
            }
        }
        impl<'de> #serde::Deserialize<'de> for #ident {
            fn deserialize<D: #serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                #private::deserialize_model(deserializer)
            }
        }
        impl #serde::Serialize for #ident {
            fn serialize<S: #serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let mut map = #serde::Serializer::serialize_map(serializer, ::core::option::Option::None)?;
                #(#private::serialize_field(&mut map, #json, self.#field.as_ref())?;)*
                #private::serialize_unlisted(&mut map, &self.#additional)?;
                #serde::ser::SerializeMap::end(map)
            }
        }
    }
}

fn model_docs(model: &Model, fields: &[Field<'_>]) -> String {
    let mut sections = vec![or_else(docs::sanitize(&model.description), || {
        format!("The {} type.", docs::code(&model.name))
    })];
    let mut bases: Vec<String> = Vec::new();
    for base in fields.iter().filter_map(|field| field.inherited_from) {
        let base = docs::code(base);
        if !bases.contains(&base) {
            bases.push(base);
        }
    }
    if !bases.is_empty() {
        sections.push(format!("Includes the properties of {}.", bases.join(", ")));
    }
    let learnt = match model.origin {
        Origin::Declared => "",
        Origin::Sample => " (learnt from example JSON)",
    };
    sections.push(format!(
        "OData type {}{learnt}. Source: {}.",
        docs::code(&model.name),
        docs::code(&model.source.to_string())
    ));
    sections.join("\n\n")
}

fn field_docs(field: &Field<'_>, collection: bool) -> String {
    let property = field.property;
    let description = or_else(docs::sanitize(&property.description), || {
        format!("The {} property.", docs::code(&property.name))
    });
    let element = property.type_ref().name;
    let odata_type = if collection {
        format!("Collection({element})")
    } else {
        element.to_owned()
    };
    let inherited = field
        .inherited_from
        .map(|base| format!(", from {}", docs::code(base)))
        .unwrap_or_default();
    let learnt = match property.origin {
        Origin::Declared => "",
        Origin::Sample => ", learnt from example JSON",
    };
    format!(
        "{description}\n\nJSON {}, OData type {}{inherited}{learnt}.",
        docs::code(&property.name),
        docs::code(&odata_type)
    )
}

/// `text`, or `fallback()` when it is empty.
fn or_else(text: String, fallback: impl FnOnce() -> String) -> String {
    if text.is_empty() {
        fallback()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::types::{ModelIndex, Runtime};

    #[test]
    fn components_of_cycles_and_chains() {
        // 0 ⇄ 1, 2 → 0, 3 → 3.
        let edges = vec![vec![1], vec![0], vec![0], vec![3]];
        let component = strongly_connected(&edges);
        assert_eq!(component[0], component[1]);
        assert_ne!(component[2], component[0]);
        assert_ne!(component[3], component[2]);
    }

    /// Finding a redeclared property scanned every field before it: a model of 40,000
    /// properties took 16 s to generate. Fields are found by JSON name now, and a derived
    /// type's redeclaration still takes the place of the base's.
    #[test]
    fn fields_are_found_by_json_name() {
        use crate::ir::{ApiVersion, Ir};
        use serde_json::json;
        let property = |name: String| {
            json!({ "name": name, "type": "Edm.String", "collection": false, "description": "",
                    "origin": "declared", "source": { "file": "r.md", "line": 2 } })
        };
        let model = |name: &str, base: Option<&str>, properties: Vec<serde_json::Value>| {
            json!({ "name": name, "version": "beta", "description": "", "base_type": base,
                    "open_type": false, "origin": "declared", "properties": properties,
                    "source": { "file": "r.md", "line": 1 } })
        };
        let base = (0..20_000).map(|n| property(format!("p{n}"))).collect();
        let derived = vec![property("q".into()), property("p1".into())];
        let ir: Ir = serde_json::from_value(json!({
            "operations": [],
            "models": [
                model("microsoft.graph.base", None, base),
                model("microsoft.graph.derived", Some("microsoft.graph.base"), derived),
            ],
            "diagnostics": [],
        }))
        .unwrap();
        let (runtime, models) = (Runtime::graph_api(), ModelIndex::new(&ir));
        let types = TypeMapper {
            runtime: &runtime,
            models: &models,
            version: ApiVersion::Beta,
        };
        let fields = fields(&ir.models[1], &types);
        assert_eq!(fields.len(), 20_001);
        let names: Vec<(&str, Option<&str>)> = [0, 1, 2, 20_000]
            .iter()
            .map(|&at| (fields[at].property.name.as_str(), fields[at].inherited_from))
            .collect();
        let base = Some("microsoft.graph.base");
        assert_eq!(
            names,
            [("p0", base), ("p1", None), ("p2", base), ("q", None)]
        );
    }

    /// An IR of `(name, base, property count)` models in beta, as read from a file.
    fn ir_of(models: &[(String, Option<String>, usize)]) -> crate::ir::Ir {
        use serde_json::json;
        let models: Vec<serde_json::Value> = models
            .iter()
            .map(|(name, base, count)| {
                let properties: Vec<serde_json::Value> = (0..*count)
                    .map(|n| json!({ "name": format!("{name}{n}"), "type": "Edm.String", "collection": false,
                                      "description": "", "origin": "declared", "source": { "file": "r.md", "line": 2 } }))
                    .collect();
                json!({ "name": format!("microsoft.graph.{name}"), "version": "beta", "description": "",
                        "base_type": base.as_ref().map(|base| format!("microsoft.graph.{base}")),
                        "open_type": false, "origin": "sample", "properties": properties,
                        "source": { "file": "r.md", "line": 1 } })
            })
            .collect();
        serde_json::from_value(json!({ "operations": [], "models": models, "diagnostics": [] }))
            .unwrap()
    }

    /// Every struct compares field by field (the derived `PartialEq` nests a level per field);
    /// past 1,024 fields `Debug` is one statement per field too (the derived one puts an array
    /// of every field on the stack); up to it, `Debug` is derived.
    #[test]
    fn structs_compare_field_by_field_and_huge_ones_debug_so() {
        use crate::ir::ApiVersion;
        let ir = ir_of(&[
            ("huge".into(), None, DERIVED_FIELDS + 1),
            ("large".into(), None, DERIVED_FIELDS),
        ]);
        let (runtime, models) = (Runtime::graph_api(), ModelIndex::new(&ir));
        let types = TypeMapper {
            runtime: &runtime,
            models: &models,
            version: ApiVersion::Beta,
        };
        let ids = [0, 1];
        let components = components(&ids, &types);
        let text = |id: usize| model_struct(models.slot(id), &types, &components).to_string();
        let (huge, large) = (text(0), text(1));
        assert!(huge.contains("impl :: core :: cmp :: PartialEq for Huge"));
        assert!(large.contains("impl :: core :: cmp :: PartialEq for Large"));
        assert_eq!(huge.matches("return false").count(), DERIVED_FIELDS + 1);
        assert_eq!(large.matches("return false").count(), DERIVED_FIELDS);
        assert!(huge.contains("impl :: core :: fmt :: Debug for Huge"));
        assert!(!large.contains("impl :: core :: fmt :: Debug for Large"));
        assert_eq!(huge.matches("shown . field").count(), DERIVED_FIELDS + 2);
        assert!(!huge.contains("PartialEq ,"));
        assert!(large.contains(
            ":: core :: fmt :: Debug , :: core :: clone :: Clone , :: core :: default :: Default"
        ));
    }

    /// An IR file is not merged: a chain of 1,000 base types (and one that loops) must not make
    /// each struct copy every base's properties. Codegen follows 16 bases, as the merge stage
    /// allows docs.
    #[test]
    fn inherited_fields_follow_at_most_sixteen_bases() {
        use crate::ir::ApiVersion;
        let mut chain: Vec<(String, Option<String>, usize)> = (0..1_000)
            .map(|n| (format!("t{n}"), (n > 0).then(|| format!("t{}", n - 1)), 1))
            .collect();
        chain.push(("loop".into(), Some("loop".into()), 2));
        let ir = ir_of(&chain);
        let (runtime, models) = (Runtime::graph_api(), ModelIndex::new(&ir));
        let types = TypeMapper {
            runtime: &runtime,
            models: &models,
            version: ApiVersion::Beta,
        };
        let counts: Vec<usize> = ir
            .models
            .iter()
            .map(|model| fields(model, &types).len())
            .collect();
        assert_eq!(counts[5], 6);
        assert!(
            counts[16..1_000].iter().all(|&count| count == 17),
            "{counts:?}"
        );
        assert_eq!(counts[1_000], 2);
    }

    /// A long chain must not overflow the stack.
    #[test]
    fn deep_chains_are_fine() {
        let edges: Vec<Vec<usize>> = (0..100_000)
            .map(|node| vec![node + 1])
            .chain([vec![]])
            .collect();
        let component = strongly_connected(&edges);
        assert_eq!(component.len(), 100_001);
    }
}
