//! A decode table for checking doc examples against the generated code (corpus checks only).
//!
//! `__example_oracle::decode_response(version, file, line, body)` decodes an example body
//! through the type the generated function of the operation at `file:line` returns (the items
//! of a collection, the `value` of a primitive), and says when that function gives no typed
//! body at all; `decode_example(version, type, collection, body)` decodes into the model of that
//! name. A test program can so replay every example of a docs tree through the real serde
//! impls. It is emitted only on request, next to the bindings.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operation::{callable_templates, returns, OperationContext};
use super::types::{ModelIndex, Runtime, TypeMapper};
use crate::ir::{ApiVersion, Ir};
use crate::naming;

/// The `__example_oracle` module for `ir`, to be placed beside the version modules.
pub(crate) fn oracle(ir: &Ir, runtime: &Runtime) -> TokenStream {
    let models = ModelIndex::new(ir);
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
    let versions: std::collections::BTreeSet<ApiVersion> = ir
        .operations
        .iter()
        .map(|operation| operation.version)
        .collect();
    let version_arms = versions.iter().map(|&version| {
        let module = naming::ident(super::version_module_name(version));
        let text = Literal::string(version.as_str());
        quote!(#text => #module::decode_response(file, line, body),)
    });
    let version_modules = versions
        .iter()
        .map(|&version| responses(ir, &models, runtime, version));
    let support = decoders(runtime);
    quote! {
        /// Decodes doc examples into the generated models (corpus checks).
        #[doc(hidden)]
        pub mod __example_oracle {
            #support

            /// Decodes `body` through the return type of the function of the operation whose
            /// page title is at `file:line` in `version`; `None` when no operation is there.
            pub fn decode_response(
                version: &::core::primitive::str,
                file: &::core::primitive::str,
                line: ::core::primitive::u32,
                body: &::core::primitive::str,
            ) -> ::core::option::Option<Outcome> {
                match version {
                    #(#version_arms)*
                    _ => ::core::option::Option::None,
                }
            }

            #(#version_modules)*

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

/// The `decode_response` of one version, in a module that sees the version's items.
fn responses(
    ir: &Ir,
    models: &ModelIndex<'_>,
    runtime: &Runtime,
    version: ApiVersion,
) -> TokenStream {
    let module = naming::ident(super::version_module_name(version));
    let types = TypeMapper {
        runtime,
        models,
        version,
    };
    let cx = OperationContext { types, module: &[] };
    let arms = ir
        .operations
        .iter()
        .filter(|operation| operation.version == version)
        .filter_map(|operation| {
            // The operation's read of its content (`$value`) is not what its examples show.
            let template = callable_templates(operation)
                .into_iter()
                .min_by_key(|template| super::operation::is_download(template))?;
            let returns = returns(&cx, operation, template);
            let file = Literal::string(&operation.source.file);
            let line = Literal::u32_unsuffixed(operation.source.line);
            let decode = match returns.decoded() {
                _ if !returns.is_typed() => quote!(Outcome::Untyped),
                Some((ty, _)) if returns.unwraps_value() => {
                    quote!(super::outcome(super::decode_value::<#ty>(body)))
                }
                Some((ty, collection)) => {
                    quote!(super::outcome(super::decode::<#ty>(body, #collection)))
                }
                None => quote!(Outcome::Untyped),
            };
            Some(quote!((#file, #line) => #decode,))
        });
    quote! {
        mod #module {
            #[allow(unused_imports, reason = "the return types of the version's functions")]
            use super::super::#module::*;
            use super::Outcome;

            pub(super) fn decode_response(
                file: &::core::primitive::str,
                line: ::core::primitive::u32,
                body: &::core::primitive::str,
            ) -> ::core::option::Option<Outcome> {
                ::core::option::Option::Some(match (file, line) {
                    #(#arms)*
                    _ => return ::core::option::Option::None,
                })
            }
        }
    }
}

/// The body types and decode functions the look-ups share.
fn decoders(runtime: &Runtime) -> TokenStream {
    let serde = runtime.private("serde");
    let serde_json = runtime.private("serde_json");
    let serde_crate = runtime.serde_crate();
    quote! {
            /// A collection response body.
            #[derive(#serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            struct Page<T> {
                value: ::std::vec::Vec<T>,
            }

            /// A primitive or enum body, as OData wraps it.
            #[allow(dead_code, reason = "docs trees without primitive responses")]
            #[derive(#serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            struct Wrapped<T> {
                value: T,
            }

            /// What replaying an example through its operation's function gave.
            #[derive(::core::fmt::Debug)]
            pub enum Outcome {
                /// The body decoded as the function's return type.
                Decoded,
                /// It did not, for this reason.
                Failed(::std::string::String),
                /// The function gives `()`, bytes or untyped JSON for it.
                Untyped,
            }

            #[allow(dead_code, reason = "docs trees without models")]
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

            #[allow(dead_code, reason = "docs trees without primitive responses")]
            fn decode_value<T: #serde::de::DeserializeOwned>(
                body: &::core::primitive::str,
            ) -> ::core::result::Result<(), ::std::string::String> {
                let decoded = if body.trim_start().starts_with('{') {
                    #serde_json::from_str::<Wrapped<T>>(body).map(|wrapped| ::core::mem::drop(wrapped.value))
                } else {
                    #serde_json::from_str::<T>(body).map(::core::mem::drop)
                };
                decoded.map_err(|error| ::std::string::ToString::to_string(&error))
            }

            #[allow(dead_code, reason = "docs trees without typed responses")]
            fn outcome(decoded: ::core::result::Result<(), ::std::string::String>) -> Outcome {
                match decoded {
                    ::core::result::Result::Ok(()) => Outcome::Decoded,
                    ::core::result::Result::Err(error) => Outcome::Failed(error),
                }
            }

    }
}
