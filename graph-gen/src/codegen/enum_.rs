//! Enum types: one variant per documented member, plus a variant that keeps values the docs
//! do not list, so a new member on the service never fails a decode.

use std::fmt::Write as _;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{ModelSlot, Runtime};
use crate::ir::EnumType;
use crate::naming::{self, UniqueNames};

/// The variant holding values the docs do not list; suffixed if a member takes the name.
const UNLISTED: &str = "Unlisted";

/// The enum, its `as_str`, `From<String>` and string serde impls.
pub(crate) fn enum_type(declared: &EnumType, slot: &ModelSlot, runtime: &Runtime) -> TokenStream {
    let ident = naming::ident(&slot.name);
    let serde = runtime.private("serde");
    let mut names = UniqueNames::upper_camel();
    // A `null` member is JSON `null`, not the string `"null"`: a field's `None`, or
    // `Patch::Null` in a `PATCH` body.
    let (nulls, members): (Vec<_>, Vec<_>) = declared
        .members
        .iter()
        .partition(|member| member.name.trim().eq_ignore_ascii_case("null"));
    let members: Vec<(proc_macro2::Ident, Literal, TokenStream)> = members
        .into_iter()
        .map(|member| {
            let variant = naming::ident(&names.claim(&naming::upper_camel_case(&member.name)));
            let mut text = format!("`{}`", member.name);
            if !member.description.trim().is_empty() {
                text.push_str(": ");
                text.push_str(member.description.trim());
            }
            (
                variant,
                Literal::string(&member.name),
                docs::attributes(&text),
            )
        })
        .collect();
    let unlisted = naming::ident(&names.claim(UNLISTED));
    let variants = members
        .iter()
        .map(|(variant, _, doc)| quote!(#doc #variant,));
    let to_str = members
        .iter()
        .map(|(variant, json, _)| quote!(Self::#variant => #json,));
    let from_str = members
        .iter()
        .map(|(variant, json, _)| quote!(#json => Self::#variant,));
    let mut summary = declared.description.trim().to_owned();
    if !summary.is_empty() {
        summary.push_str("\n\n");
    }
    let _ = write!(
        summary,
        "OData enum `{}`. Source: `{}`.",
        declared.name, declared.source
    );
    if !nulls.is_empty() {
        summary.push_str(
            "\n\nThe docs list `null` as a value: it is JSON `null`, a field's `None` \
             (`Patch::Null` in a `PATCH` body), not a variant.",
        );
    }
    let doc = docs::attributes(&summary);
    quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #ident {
            #(#variants)*
            /// A value the docs do not list, kept as sent.
            #unlisted(::std::string::String),
        }

        impl #ident {
            /// The value as sent in JSON.
            #[must_use]
            pub fn as_str(&self) -> &::core::primitive::str {
                match self {
                    #(#to_str)*
                    Self::#unlisted(value) => value,
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#from_str)*
                    _ => Self::#unlisted(value),
                }
            }
        }

        impl #serde::Serialize for #ident {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> #serde::Deserialize<'de> for #ident {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                <::std::string::String as #serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
