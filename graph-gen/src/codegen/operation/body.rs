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
    /// The JSON name.
    json: Literal,
    /// How the field is written: always, unless `None`, or unless `Patch::Unchanged`.
    written: Written,
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
    let compared: Vec<(Literal, Ident)> = fields
        .iter()
        .map(|field| (field.json.clone(), field.ident.clone()))
        .collect();
    let partial_eq = crate::codegen::model::partial_eq_impl(name, &map, &compared);
    let serialize = serialize_impl(cx, name, &fields, &map);
    let deserialize = deserialize_impl(cx, name, &fields, &map);
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            #default
        )]
        pub struct #name {
            #(#field_tokens)*
            /// Properties the page does not list, sent as they are.
            pub #map: #serde_json::Map<::std::string::String, #serde_json::Value>,
        }
        #partial_eq
        #serialize
        #deserialize
        #constructor
    }
}

/// `Serialize` through the runtime: a line per property, the unlisted ones after. serde's
/// derive with `#[serde(flatten)]` was half of macro expansion of the v1.0 bindings.
fn serialize_impl(
    cx: &OperationContext<'_, '_>,
    name: &Ident,
    fields: &[Field],
    map: &Ident,
) -> TokenStream {
    let serde = cx.types.runtime.private("serde");
    let private = cx.types.runtime.item("__private");
    let writes = fields.iter().map(|field| {
        let (json, ident) = (&field.json, &field.ident);
        match field.written {
            Written::Always => {
                quote!(#private::serialize_field(&mut map, #json, ::core::option::Option::Some(&self.#ident))?;)
            }
            Written::UnlessNone => {
                quote!(#private::serialize_field(&mut map, #json, self.#ident.as_ref())?;)
            }
            Written::UnlessUnchanged => {
                quote!(#private::serialize_patch(&mut map, #json, &self.#ident)?;)
            }
        }
    });
    quote! {
        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let mut map = #serde::Serializer::serialize_map(serializer, ::core::option::Option::None)?;
                #(#writes)*
                #private::serialize_unlisted(&mut map, &self.#map)?;
                #serde::ser::SerializeMap::end(map)
            }
        }
    }
}

/// `Deserialize` through the runtime, so a body can be read from JSON (the page's example, a
/// stored request): the object is read whole, then each property taken out of it, and what is
/// left is the unlisted properties. Absent, a required property is an error, an optional one
/// `None` or `Patch::Unchanged`.
fn deserialize_impl(
    cx: &OperationContext<'_, '_>,
    name: &Ident,
    fields: &[Field],
    map: &Ident,
) -> TokenStream {
    let serde = cx.types.runtime.private("serde");
    let serde_json = cx.types.runtime.private("serde_json");
    let private = cx.types.runtime.item("__private");
    let reads = fields.iter().map(|field| {
        let (json, ident) = (&field.json, &field.ident);
        match &field.absent {
            None => quote!(#ident: #private::take_required(&mut object, #json)?,),
            Some(absent) => quote! {
                #ident: #private::take_property(&mut object, #json)?.unwrap_or(#absent),
            },
        }
    });
    quote! {
        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let mut object: #serde_json::Map<::std::string::String, #serde_json::Value> =
                    #serde::Deserialize::deserialize(deserializer)?;
                ::core::result::Result::Ok(Self {
                    #(#reads)*
                    #map: object,
                })
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Written {
    Always,
    UnlessNone,
    UnlessUnchanged,
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
    let (ty, absent, written) = if parameter.required {
        (ty, None, Written::Always)
    } else if patch {
        let patch_type = cx.types.runtime.item("Patch");
        (
            quote!(#patch_type<#ty>),
            Some(quote!(#patch_type::Unchanged)),
            Written::UnlessUnchanged,
        )
    } else {
        (
            quote!(::core::option::Option<#ty>),
            Some(quote!(::core::option::Option::None)),
            Written::UnlessNone,
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
        pub #ident: #ty,
    };
    Field {
        ident,
        json,
        written,
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
