//! A decode table for checking doc examples against the generated models (corpus checks only).
//!
//! `__example_oracle::decode_example(version, type, collection, body)` decodes an example body
//! into the generated type of that name, so a test program can replay every example of a docs
//! tree through the real serde impls. It is emitted only on request, next to the bindings.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{ModelIndex, Runtime, TypeMapper};
use crate::ir::Ir;
use crate::naming;

/// The `__example_oracle` module for `ir`, to be placed beside the version modules.
pub(crate) fn oracle(ir: &Ir, runtime: &Runtime) -> TokenStream {
    let models = ModelIndex::new(ir);
    let serde = runtime.private("serde");
    let serde_json = runtime.private("serde_json");
    let serde_crate = runtime.serde_crate();
    let mut seen = std::collections::HashSet::new();
    let unique = (0..ir.models.len()).filter(|&id| {
        let model = &ir.models[id];
        seen.insert((model.version, model.name.to_ascii_lowercase()))
    });
    let arms = unique.map(|id| {
        let model = &ir.models[id];
        let version = Literal::string(model.version.as_str());
        let name = Literal::string(&model.name.to_ascii_lowercase());
        let module = naming::ident(super::version_module_name(model.version));
        let path = TypeMapper::model_path(models.slot(id), &[]);
        quote!((#version, #name) => decode::<super::#module::#path>(body, collection),)
    });
    quote! {
        /// Decodes doc examples into the generated models (corpus checks).
        #[doc(hidden)]
        pub mod __example_oracle {
            /// A collection response body.
            #[derive(#serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            struct Page<T> {
                value: ::std::vec::Vec<T>,
            }

            fn decode<T: #serde::de::DeserializeOwned>(
                body: &::core::primitive::str,
                collection: ::core::primitive::bool,
            ) -> ::core::result::Result<(), ::std::string::String> {
                let decoded = if collection {
                    #serde_json::from_str::<Page<T>>(body).map(|page| ::core::mem::drop(page.value))
                } else {
                    #serde_json::from_str::<T>(body).map(::core::mem::drop)
                };
                decoded.map_err(|error| ::std::string::ToString::to_string(&error))
            }

            /// Decodes `body` as the generated type named `type_name` (lower-case qualified name)
            /// of `version`; `None` when no model has that name.
            pub fn decode_example(
                version: &::core::primitive::str,
                type_name: &::core::primitive::str,
                collection: ::core::primitive::bool,
                body: &::core::primitive::str,
            ) -> ::core::option::Option<::core::result::Result<(), ::std::string::String>> {
                let type_name = type_name.to_ascii_lowercase();
                ::core::option::Option::Some(match (version, type_name.as_str()) {
                    #(#arms)*
                    _ => return ::core::option::Option::None,
                })
            }
        }
    }
}
