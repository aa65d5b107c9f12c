//! One call per page, as a user writes it: the page's flat function with the ids of its example
//! request and that example's body (the tour, and the test that every operation decodes its
//! example through the typed client).
//!
//! `__example_calls::all()` lists an `ExampleCall` per operation of the docs; running one calls
//! the bindings at the given path (`::graph_api`) and gives the typed result's `Debug` text. The
//! ids are the example URL's where it is written as the page's canonical template, else the
//! placeholders' names (the mock routes any id). Nothing here depends on which pages exist:
//! pages added to the docs add calls.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::features::{Gate, Gates};
use super::types::Runtime;
use super::version_module_name;
use crate::infer::Conformance;
use crate::ir::{Example, HttpTemplate, Ir, Operation, Piece, RequestBody};
use crate::naming;
use crate::plan::Plan;

/// The `__example_calls` module for the bindings of `ir` at `bindings` (a path such as
/// `::graph_api` or `crate::graph`).
pub(crate) fn module(
    ir: &Ir,
    bindings: &TokenStream,
    runtime: &Runtime,
    gates: Option<&Gates<'_>>,
) -> TokenStream {
    let plan = {
        let quiet = crate::diagnostics::Ctxt::new();
        let plan = Plan::new(ir, &quiet);
        drop(quiet.into_diagnostics());
        plan
    };
    let private = runtime.item("__private");
    let client = runtime.item("GraphClient");
    let conformance = Conformance::new(&ir.models);
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    for version in &plan.versions {
        let version_module = naming::ident(version_module_name(version.version));
        for (&index, operation_plan) in &version.operations {
            let operation = &ir.operations[index];
            let template = &operation.http[operation_plan.canonical];
            let example = chosen_example(operation, template);
            let values = argument_values(template, example.and_then(|e| e.request.as_ref()));
            let arguments = values.iter().map(|value| Literal::string(value));
            let takes_body = method_takes_body(operation);
            let body_text = example
                .and_then(|example| example.request.as_ref())
                .and_then(|request| request.body.as_deref())
                .filter(|text| !text.trim().is_empty())
                .unwrap_or("{}");
            let (body_binding, body_argument) = if takes_body {
                let text = Literal::string(&sent_body(body_text, operation, &conformance));
                (
                    Some(quote! {
                        let body = #private::serde_json::from_str(#text)?;
                    }),
                    Some(quote!(&body)),
                )
            } else {
                (None, None)
            };
            let module = naming::ident(&operation_plan.module);
            let function = naming::ident(&operation_plan.function);
            let name = format_ident!("call_{}", functions.len());
            let gate = gates.map(|gates| {
                let both = [gates.version(version.version), gates.operation(operation)];
                let attributes = both
                    .iter()
                    .filter(|gate| **gate != Gate::Always)
                    .map(Gate::attribute);
                quote!(#(#attributes)*)
            });
            let label = Literal::string(&format!(
                "{}::{}::{}",
                version_module_name(version.version),
                operation_plan.module,
                operation_plan.function
            ));
            let source = Literal::string(&operation.source.to_string());
            let routed = example.is_some();
            functions.push(quote! {
                #gate
                fn #name(client: &#client) -> #private::ExampleFuture<'_> {
                    ::std::boxed::Box::pin(async move {
                        #body_binding
                        let result = #bindings::#version_module::#module::#function(
                            client, #(#arguments,)* #body_argument
                        )
                        .await?;
                        ::core::result::Result::Ok(::std::format!("{result:?}"))
                    })
                }
            });
            entries.push(quote! {
                #gate
                calls.push(#private::ExampleCall {
                    function: #label,
                    source: #source,
                    has_example: #routed,
                    run: #name,
                });
            });
        }
    }
    quote! {
        /// The docs' operations, each called through its flat function with its example's
        /// ids and body (the tour and the example test; not part of the API).
        #[doc(hidden)]
        #[allow(clippy::all, reason = "generated calls for the tour and tests")]
        pub mod __example_calls {
            /// Every operation's call, in page order.
            pub fn all() -> ::std::vec::Vec<#private::ExampleCall> {
                #[allow(unused_mut, reason = "features may leave no call")]
                let mut calls = ::std::vec::Vec::new();
                #(#entries)*
                calls
            }

            #(#functions)*
        }
    }
}

/// The example's body as the call sends it: read as leniently as example responses are, and
/// conformed to the body's declared types as the mock conforms what it serves. The call is a
/// test of the typed client, not of the page's JSON: `user-sendmail.md` writes
/// `"saveToSentItems": "false"` for a `Boolean`.
fn sent_body(text: &str, operation: &Operation, conformance: &Conformance<'_>) -> String {
    let Ok(mut body) = crate::parse::parse_lenient(text) else {
        return text.to_owned();
    };
    match &operation.request_body {
        RequestBody::Parameters { parameters } => {
            if let Value::Object(object) = &mut body {
                for parameter in parameters {
                    if let Some(value) = object.get_mut(&parameter.name) {
                        let type_ref = parameter.type_ref().to_string();
                        conformance.conform(value, &type_ref, operation.version);
                    }
                }
            }
        }
        RequestBody::Json {
            type_name: Some(type_name),
        } => {
            conformance.conform(&mut body, type_name, operation.version);
        }
        RequestBody::Json { type_name: None } | RequestBody::None => {}
    }
    body.to_string()
}

/// The first example whose request is written as `template` by method and path, else the first
/// with a request of that method.
fn chosen_example<'o>(operation: &'o Operation, template: &HttpTemplate) -> Option<&'o Example> {
    let written_as = |example: &&Example| {
        example.request.as_ref().is_some_and(|request| {
            request
                .method
                .eq_ignore_ascii_case(template.method.as_str())
                && crate::route::example_matches(
                    std::slice::from_ref(template),
                    &request.method,
                    &request.url,
                )
        })
    };
    operation.examples.iter().find(written_as)
}

/// Whether the page's flat function takes a body (it documents one).
fn method_takes_body(operation: &Operation) -> bool {
    !matches!(operation.request_body, crate::ir::RequestBody::None)
}

/// The flat function's string arguments for `template`: each path placeholder then each query
/// placeholder, in order, valued from the example request when it is written as the template,
/// else named after the placeholder.
fn argument_values(
    template: &HttpTemplate,
    request: Option<&crate::ir::ExampleRequest>,
) -> Vec<String> {
    let segments = request.map(|request| crate::route::example_segments(&request.url));
    let segments = segments.filter(|segments| segments.len() == template.path.segments().len());
    let mut values = Vec::new();
    for (at, segment) in template.path.segments().iter().enumerate() {
        for piece in segment.pieces() {
            let Piece::Parameter(name) = piece else {
                continue;
            };
            // A segment that is only the placeholder (`{id}`) takes the example's segment.
            let whole = matches!(segment.pieces(), [Piece::Parameter(_)]);
            let value = segments
                .as_ref()
                .filter(|_| whole)
                .and_then(|segments| segments.get(at))
                .filter(|value| !value.is_empty())
                .cloned()
                .unwrap_or_else(|| name.clone());
            values.push(value);
        }
    }
    values.extend(
        template
            .query
            .iter()
            .filter_map(|pair| pair.parameter.clone()),
    );
    values
}
