//! Request bodies documented as a parameters table → one `…Body` struct per operation.
//!
//! Required properties are plain fields; optional ones are `Option`s left out when `None`,
//! or, for `PATCH`, the runtime's `Patch`, where left out (`Unchanged`) and `null` (`Null`)
//! differ. Properties the page does not list go in a flattened `additional_properties` map.
//! A struct without required fields derives `Default`; one with them has a `new` taking them.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{OperationContext, CLIPPY_MAX_ARGUMENTS};
use crate::codegen::docs;
use crate::codegen::types::{Element, TypeMapper};
use crate::ir::BodyParameter;
use crate::naming::{self, UniqueNames};

/// The name of the map of undocumented properties (suffixed if a property takes it).
const ADDITIONAL_PROPERTIES: &str = "additional_properties";

/// One field of a body struct.
struct Field {
    ident: Ident,
    /// The type as declared: `T`, `Option<T>` or `Patch<T>`.
    ty: TokenStream,
    /// The value that leaves an optional field out (`None`, `Patch::Unchanged`); `None` for
    /// a required field.
    absent: Option<TokenStream>,
    tokens: TokenStream,
}

/// The struct `name` for `parameters`, with `Patch` fields if `patch`; `function` is the
/// first function taking it, for its docs.
pub(super) fn body_struct(
    cx: &OperationContext<'_, '_>,
    name: &Ident,
    function: &str,
    parameters: &[BodyParameter],
    patch: bool,
) -> TokenStream {
    let runtime = cx.types.runtime;
    let serde = runtime.private("serde");
    let serde_crate = Literal::string(&runtime.serde_crate());
    let serde_json = runtime.private("serde_json");
    let mut names = UniqueNames::snake();
    let mut seen_json = Vec::new();
    let mut fields = Vec::new();
    for parameter in parameters {
        // A repeated row would serialize its key twice.
        if seen_json.contains(&parameter.name) {
            continue;
        }
        seen_json.push(parameter.name.clone());
        let ident = naming::ident(&names.claim(&naming::snake_case(&parameter.name)));
        fields.push(field(cx, parameter, ident, patch));
    }
    let map = naming::ident(&names.claim(ADDITIONAL_PROPERTIES));
    let field_tokens = fields.iter().map(|field| &field.tokens);
    let has_required = fields.iter().any(|field| field.absent.is_none());
    let default = (!has_required).then(|| quote!(::core::default::Default,));
    let constructor = has_required.then(|| constructor(name, &fields, &map, &serde_json));
    let doc = docs::attributes(&format!(
        "The request body of {}: the properties its page documents{}. Properties the page \
         does not list can be sent through {}.",
        docs::code(function),
        if patch {
            "; a `PATCH` sends only the fields that are not `Patch::Unchanged`"
        } else {
            ""
        },
        docs::code(&map.to_string())
    ));
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            #default
            #serde::Serialize,
        )]
        #[serde(crate = #serde_crate)]
        pub struct #name {
            #(#field_tokens)*
            /// Properties the page does not list, sent as they are.
            #[serde(flatten)]
            pub #map: #serde_json::Map<::std::string::String, #serde_json::Value>,
        }
        #constructor
    }
}

fn field(
    cx: &OperationContext<'_, '_>,
    parameter: &BodyParameter,
    ident: Ident,
    patch: bool,
) -> Field {
    let type_ref = parameter.type_ref();
    let mut ty = match cx.types.element(type_ref.name) {
        Element::Model(slot) | Element::Enum(slot) => TypeMapper::model_path(slot, cx.module),
        Element::Other(ty) => ty,
    };
    if type_ref.collection {
        ty = quote!(::std::vec::Vec<#ty>);
    }
    let json = Literal::string(&parameter.name);
    let (ty, absent, serde) = if parameter.required {
        (ty, None, quote!(#[serde(rename = #json)]))
    } else if patch {
        let patch_type = cx.types.runtime.item("Patch");
        let skip = Literal::string(&format!("{}::is_unchanged", path_text(&patch_type)));
        (
            quote!(#patch_type<#ty>),
            Some(quote!(#patch_type::Unchanged)),
            quote!(#[serde(rename = #json, skip_serializing_if = #skip)]),
        )
    } else {
        (
            quote!(::core::option::Option<#ty>),
            Some(quote!(::core::option::Option::None)),
            quote!(#[serde(rename = #json, skip_serializing_if = "::core::option::Option::is_none")]),
        )
    };
    let description = docs::sanitize(&parameter.description);
    let doc = docs::attributes(if description.is_empty() {
        "Not described on the page."
    } else {
        &description
    });
    let tokens = quote! {
        #doc
        #serde
        pub #ident: #ty,
    };
    Field {
        ident,
        ty,
        absent,
        tokens,
    }
}

/// `new`, taking the required fields and leaving the others out.
fn constructor(
    name: &Ident,
    fields: &[Field],
    map: &Ident,
    serde_json: &TokenStream,
) -> TokenStream {
    let required: Vec<&Field> = fields
        .iter()
        .filter(|field| field.absent.is_none())
        .collect();
    let arguments = required.iter().map(|field| {
        let (ident, ty) = (&field.ident, &field.ty);
        quote!(#ident: #ty)
    });
    let initialisers = fields.iter().map(|field| {
        let ident = &field.ident;
        match &field.absent {
            None => quote!(#ident),
            Some(absent) => quote!(#ident: #absent),
        }
    });
    let too_many = (required.len() > CLIPPY_MAX_ARGUMENTS).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required property")])
    });
    quote! {
        impl #name {
            /// A body with the required properties; the optional ones are left out.
            #[must_use]
            #too_many
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#initialisers,)*
                    #map: #serde_json::Map::new(),
                }
            }
        }
    }
}

/// A path as Rust source text, for attributes that take one as a string.
fn path_text(path: &TokenStream) -> String {
    path.to_string().replace(' ', "")
}
