//! Request builders: the version's `requests` module, with `api(&client)` for its root and one
//! type per builder of the plan, whose methods are its navigations and its requests.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::features::{Gate, Gates};
use super::operation::{self, OperationContext};
use super::types::TypeMapper;
use crate::ir::{Ir, Piece};
use crate::naming;
use crate::plan::{Builder, Navigation, VersionPlan};

/// The `requests` module of one version.
pub(crate) fn requests_module(
    ir: &Ir,
    version: &VersionPlan,
    types: TypeMapper<'_, '_>,
    gates: Option<&Gates<'_>>,
) -> TokenStream {
    let module = ["requests".to_owned()];
    let cx = OperationContext {
        types,
        module: &module,
    };
    let node = types.runtime.private("Node");
    let client = types.runtime.item("GraphClient");
    let version_text = proc_macro2::Literal::string(version.version.as_str());
    let root = naming::ident(&version.builders[version.nodes[0].builder].name);
    let builders = version
        .reachable()
        .into_iter()
        .map(|builder| builder_type(&cx, ir, version, &version.builders[builder], gates));
    let doc = docs::attributes(&format!(
        "Request builders of Microsoft Graph {}: [`api`] gives the root, and each builder's \
         methods go down the URL (`users().by_id(id).messages()`) or send a request \
         (`get()`, `list()`, `create_link(&body)`).\n\n\
         A builder addresses an entity or a collection of a type, whichever path reached it, so \
         every path to a type has its requests and navigations. Nothing is sent until a \
         request's call is awaited.\n\n\
         # Errors\n\n\
         Awaiting a call fails when the request cannot be sent, when Microsoft Graph answers with \
         an error status (after retries, if it throttled), or when the response body is not the \
         documented JSON.",
        docs::code(version.version.as_str())
    ));
    quote! {
        #doc
        pub mod requests {
            /// The root of the version's URL space: `api(&client).users()`, `.me()`, ….
            #[must_use]
            pub fn api(client: &#client) -> #root<'_> {
                #root(#node::root(client, #version_text))
            }

            #(#builders)*
        }
    }
}

/// One builder type and its methods.
fn builder_type(
    cx: &OperationContext<'_, '_>,
    ir: &Ir,
    version: &VersionPlan,
    builder: &Builder,
    gates: Option<&Gates<'_>>,
) -> TokenStream {
    let node = cx.types.runtime.private("Node");
    let ident = naming::ident(&builder.name);
    let navigations = builder
        .navigations
        .iter()
        .map(|navigation| navigation_method(version, navigation));
    let methods = builder.methods.iter().map(|method| {
        let tokens = operation::method(cx, &ir.operations, version, builder, method);
        // A request any of its pages documents compiles with that page's feature.
        let pages =
            std::iter::once(method.operation).chain(method.also.iter().map(|&(page, _)| page));
        let gate = gates.map_or(Gate::Always, |gates| {
            Gate::union(pages.map(|page| gates.operation(&ir.operations[page])))
        });
        gate.apply(tokens)
    });
    let doc = docs::attributes(&builder_docs(version, builder));
    // Navigations return builders of the same client lifetime; requests do not name it.
    let header = if builder.navigations.is_empty() {
        quote!(impl #ident<'_>)
    } else {
        quote!(impl<'a> #ident<'a>)
    };
    quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct #ident<'a>(#node<'a>);

        #header {
            #(#navigations)*
            #(#methods)*
        }
    }
}

/// A navigation: the builder of a child node.
fn navigation_method(version: &VersionPlan, navigation: &Navigation) -> TokenStream {
    let target = naming::ident(&version.builders[navigation.target].name);
    let name = naming::ident(&navigation.name);
    let arguments: Vec<proc_macro2::Ident> = navigation
        .arguments
        .iter()
        .map(|argument| naming::ident(argument))
        .collect();
    let path = operation::pieces(&navigation.step.pieces, &mut arguments.iter());
    let shown: String = navigation
        .step
        .pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.clone(),
            Piece::Parameter(name) => format!("{{{name}}}"),
        })
        .collect();
    let target_name = &version.builders[navigation.target].name;
    let doc = docs::attributes(&format!(
        "{}: the [`{target_name}`] of this path.",
        docs::code(&shown),
    ));
    quote! {
        #doc
        #[must_use]
        pub fn #name(&self, #(#arguments: &::core::primitive::str),*) -> #target<'a> {
            #target(self.0.with(self.0.path()#path))
        }
    }
}

/// What a builder addresses, the paths that reach it (a few), and what it offers.
fn builder_docs(version: &VersionPlan, builder: &Builder) -> String {
    let what = match &builder.addressed {
        Some(addressed) if addressed.collection => {
            format!(
                "Requests on a collection of {}",
                docs::code(&addressed.type_name)
            )
        }
        Some(addressed) => format!("Requests on one {}", docs::code(&addressed.type_name)),
        None if builder.nodes == [0] => "The root of the version".to_owned(),
        None => "Requests on one path whose type the docs do not say".to_owned(),
    };
    let paths: Vec<String> = builder
        .nodes
        .iter()
        .take(6)
        .map(|&node| format!("- {}", docs::code(&node_path(version, node))))
        .collect();
    let more = builder.nodes.len().saturating_sub(6);
    let mut text = format!(
        "{what}, reached at:\n\n{}{}",
        paths.join("\n"),
        if more > 0 {
            format!("\n- and {more} more paths")
        } else {
            String::new()
        }
    );
    if !builder.methods.is_empty() {
        text.push_str("\n\nRequests: ");
        let names: Vec<String> = builder
            .methods
            .iter()
            .map(|method| format!("[`{0}`](Self::{0})", method.name))
            .collect();
        text.push_str(&names.join(", "));
        text.push('.');
    }
    text
}

/// `/users/{}/messages`: a node's path, keys as `{}`.
fn node_path(version: &VersionPlan, node: usize) -> String {
    let mut parts = Vec::new();
    let mut at = Some(node);
    while let Some(current) = at {
        if let Some(step) = version.tree.edge(current) {
            let text: String = step
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Literal(text) => text.clone(),
                    Piece::Parameter(_) => "{}".to_owned(),
                })
                .collect();
            parts.push(text);
        }
        at = version.tree.nodes[current].parent;
    }
    parts.reverse();
    let path = parts.concat();
    if path.is_empty() {
        "/".to_owned()
    } else {
        path
    }
}
