//! `Any…` enums: a value of a base type that is decoded as the derived type its `@odata.type`
//! names (`#microsoft.graph.user` in a `directoryObject` collection), or as the base type.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Polymorphic, TypeMapper};
use crate::naming::{self, UniqueNames};

/// The enum for `polymorphic`, with its serde impls.
pub(crate) fn any_enum(polymorphic: &Polymorphic, types: &TypeMapper<'_, '_>) -> TokenStream {
    let module = &polymorphic.slot.module;
    let ident = naming::ident(&polymorphic.slot.name);
    let serde = types.runtime.private("serde");
    let serde_json = types.runtime.private("serde_json");
    let mut names = UniqueNames::upper_camel();
    // (variant, lower-case `@odata.type` for derived types, struct path, OData name)
    let mut variants: Vec<(Ident, Option<Literal>, TokenStream, &str)> = Vec::new();
    for &id in std::iter::once(&polymorphic.base).chain(&polymorphic.derived) {
        let slot = types.models.slot(id);
        let model = types.models.model(slot);
        let variant = naming::ident(&names.claim(&slot.name));
        let tag =
            (id != polymorphic.base).then(|| Literal::string(&model.name.to_ascii_lowercase()));
        variants.push((
            variant,
            tag,
            TypeMapper::model_path(slot, module),
            model.name.as_str(),
        ));
    }
    let base_model = types.models.model(types.models.slot(polymorphic.base));
    let doc = docs::attributes(&format!(
        "A `{}`, decoded as the derived type its `@odata.type` names, else as the base type.",
        base_model.name
    ));
    let declarations = variants.iter().map(|(variant, tag, path, name)| {
        let text = match tag {
            Some(_) => format!("`@odata.type` is `#{name}`."),
            None => "Any other `@odata.type`, or none: the base type.".to_owned(),
        };
        let doc = docs::attributes(&text);
        quote!(#doc #variant(::std::boxed::Box<#path>),)
    });
    let base_variant = &variants[0].0;
    let dispatch = variants.iter().filter_map(|(variant, tag, _, _)| {
        let tag = tag.as_ref()?;
        Some(quote!(::core::option::Option::Some(#tag) => #serde_json::from_value(value).map(|v| Self::#variant(::std::boxed::Box::new(v))),))
    });
    let serialize = variants.iter().map(|(variant, _, _, _)| quote!(Self::#variant(inner) => #serde::Serialize::serialize(inner, serializer),));
    quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub enum #ident {
            #(#declarations)*
        }

        impl #serde::Serialize for #ident {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #ident {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <#serde_json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get("@odata.type")
                    .and_then(#serde_json::Value::as_str)
                    .map(|tag| tag.trim_start_matches('#').to_ascii_lowercase());
                let decoded = match tag.as_deref() {
                    #(#dispatch)*
                    _ => #serde_json::from_value(value).map(|v| Self::#base_variant(::std::boxed::Box::new(v))),
                };
                decoded.map_err(<D::Error as #serde::de::Error>::custom)
            }
        }
    }
}
