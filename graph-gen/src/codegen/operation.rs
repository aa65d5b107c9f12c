//! Operations: per page, in its resource module, a `*_PERMISSIONS` constant, the `…Query`
//! marker of its documented OData options ([`query`]), the `…Body` struct of its parameters
//! table ([`body`]) and one flat function for its canonical template; and, on the request
//! builders of the nodes its templates act on, one method per request (see [`crate::plan`]).
//!
//! Neither is `async` or generic: each builds a `Request` and hands it to one of the runtime's
//! `__private::*_call` constructors, so the code per request stays small and the generic work
//! is instantiated once per body type, when a caller awaits. A flat function calls its builder
//! method through the navigation chain of its template.

mod body;
mod query;

use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Element, TypeMapper};
use crate::ir::{
    HttpTemplate, Method, Operation, PermissionSet, Permissions, Piece, RequestBody, TypeRef,
};
use crate::naming;
use crate::plan::{Builder, MethodPlan, OperationPlan, VersionPlan};

/// More parameters than this trip `clippy::too_many_arguments`; such functions allow it.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// This many single-character bindings trip `clippy::many_single_char_names`.
const CLIPPY_MAX_SINGLE_CHAR_NAMES: usize = 4;

/// The templates of `operation`, in page order.
pub(crate) fn callable_templates(operation: &Operation) -> Vec<&HttpTemplate> {
    operation.http.iter().collect()
}

/// What a function's call yields when awaited, and how the runtime decodes it.
pub(crate) enum Returns {
    /// `()`: the body is ignored.
    Empty,
    /// The body as bytes: `$value`, content downloads and redirects to them.
    Bytes,
    /// The decoded JSON body.
    Json(TokenStream),
    /// One primitive or enum value, unwrapped from `{"value": …}`.
    Value(TokenStream),
    /// JSON the docs give no type for (`serde_json::Value`).
    Untyped(TokenStream),
    /// The items of a paged collection.
    Collection(TokenStream),
    /// The items of a `delta` function's pages, removals included, and its delta link.
    Delta(TokenStream),
}

/// Everything shared by the functions and constant of one operation.
pub(crate) struct OperationContext<'a, 'ir> {
    pub(crate) types: TypeMapper<'a, 'ir>,
    /// The module the functions go in, below the version module.
    pub(crate) module: &'a [String],
}

/// The types one operation's requests share: its query marker and body type, as paths from
/// the module the request is generated in.
struct SharedTypes {
    /// The marker type (`ListQuery`), if the page documents query options.
    query: Option<TokenStream>,
    /// The name of the marker, for docs.
    query_name: Option<String>,
    /// The body parameter type (`UpdateBody`, `super::User`), if there is a body.
    body: Option<TokenStream>,
}

/// The names of an operation's items in its resource module, from its flat function's name.
pub(crate) struct ItemNames {
    /// The resource module of the flat function and of these items.
    pub(crate) module: String,
    pub(crate) function: String,
    pub(crate) constant: String,
    pub(crate) query: String,
    pub(crate) body: String,
}

impl ItemNames {
    pub(crate) fn of(plan: &OperationPlan) -> ItemNames {
        let base = naming::upper_camel_case(&plan.function);
        ItemNames {
            module: plan.module.clone(),
            function: plan.function.clone(),
            constant: format!("{}_PERMISSIONS", naming::shouty_snake_case(&plan.function)),
            query: format!("{base}Query"),
            body: format!("{base}Body"),
        }
    }
}

/// The marker type and body struct of `operation`, in its resource module: the types its
/// requests share, and the requests of pages sharing its function.
pub(crate) fn shared_items(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    plan: &OperationPlan,
) -> TokenStream {
    let names = ItemNames::of(plan);
    let mut items = TokenStream::new();
    let options = query::supported(&operation.query_options);
    if !options.is_empty() {
        let ident = naming::ident(&names.query);
        items.extend(query::marker(cx, &ident, &names.function, &options));
    }
    if let RequestBody::Parameters { parameters } = &operation.request_body {
        if !parameters.is_empty() {
            let ident = naming::ident(&names.body);
            let patch = operation
                .http
                .get(plan.canonical)
                .is_some_and(|template| template.method == Method::Patch);
            items.extend(body::body_struct(
                cx,
                &ident,
                &names.function,
                parameters,
                patch,
            ));
        }
    }
    items
}

/// The constant and flat function of operation `index`, in its resource module.
pub(crate) fn own_items(
    cx: &OperationContext<'_, '_>,
    operations: &[Operation],
    index: usize,
    version: &VersionPlan,
) -> TokenStream {
    let operation = &operations[index];
    let Some(plan) = version.operations.get(&index) else {
        return TokenStream::new();
    };
    let names = ItemNames::of(plan);
    let mut items = permissions_const(cx, operation, &names.function, &names.constant);
    items.extend(flat_function(cx, operations, index, version, plan, &names));
    items
}

/// What a builder method's request sends and answers, with its types seen from `cx.module`:
/// the method's page's, with the query marker and body struct of the page whose items it
/// uses.
struct Served<'o> {
    template: &'o HttpTemplate,
    returns: Returns,
    shared: SharedTypes,
    /// The names of the items the method uses.
    names: ItemNames,
}

impl<'o> Served<'o> {
    fn of(
        cx: &OperationContext<'_, '_>,
        operations: &'o [Operation],
        version: &VersionPlan,
        method: &MethodPlan,
    ) -> Option<Served<'o>> {
        let operation = &operations[method.operation];
        let template = &operation.http[method.templates[0]];
        let owner = version.items_of(method.operation);
        let plan = version.operations.get(&owner)?;
        let names = ItemNames::of(plan);
        let shared = shared_types(cx, &operations[owner], &names, &plan.module);
        Some(Served {
            template,
            returns: returns(cx, operation, template),
            shared,
            names,
        })
    }
}

/// The query marker and body type of `operation` seen from `cx.module`; `home` is the
/// operation's resource module.
fn shared_types(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    names: &ItemNames,
    home: &str,
) -> SharedTypes {
    let from_home = |name: &str| {
        let ident = naming::ident(name);
        if cx.module.len() == 1 && cx.module[0] == home {
            quote!(#ident)
        } else {
            let supers = cx.module.iter().map(|_| quote!(super::));
            let home = naming::ident(home);
            quote!(#(#supers)* #home::#ident)
        }
    };
    let query =
        (!query::supported(&operation.query_options).is_empty()).then(|| from_home(&names.query));
    let body = match &operation.request_body {
        RequestBody::Parameters { parameters } if !parameters.is_empty() => {
            Some(from_home(&names.body))
        }
        other => json_body_type(cx, other),
    };
    SharedTypes {
        query_name: query.as_ref().map(|_| names.query.clone()),
        query,
        body,
    }
}

/// A flat function: the page's canonical request, through the navigation chain to its
/// builder method.
fn flat_function(
    cx: &OperationContext<'_, '_>,
    operations: &[Operation],
    index: usize,
    version: &VersionPlan,
    plan: &OperationPlan,
    names: &ItemNames,
) -> TokenStream {
    let operation = &operations[index];
    let builder = &version.builders[plan.builder];
    let method = &builder.methods[plan.method];
    let template = &operation.http[plan.canonical];
    // The types are the method's: another page may document the request it sends.
    let Some(Served {
        shared, returns, ..
    }) = Served::of(cx, operations, version, method)
    else {
        return TokenStream::new();
    };
    let (output, _) = call_type(cx, &returns, shared.query.as_ref());
    let mut arguments: Vec<Ident> = Vec::new();
    let mut chain = quote!(super::requests::api(client));
    let mut shown = String::from("api(client)");
    for link in &plan.chain {
        let navigation = &version.builders[link.builder].navigations[link.navigation];
        let name = naming::ident(&navigation.name);
        let args: Vec<Ident> = link.arguments.iter().map(|a| naming::ident(a)).collect();
        chain.extend(quote!(.#name(#(#args),*)));
        let _ = write!(shown, ".{}({})", navigation.name, link.arguments.join(", "));
        arguments.extend(args);
    }
    let method_name = naming::ident(&method.name);
    let own: Vec<Ident> = plan
        .method_arguments
        .iter()
        .map(|a| naming::ident(a))
        .collect();
    arguments.extend(own.iter().cloned());
    let body_argument = shared.body.as_ref().map(|_| quote!(body));
    let body_parameter = shared.body.as_ref().map(|ty| quote!(body: &#ty,));
    let call_arguments = own.iter().map(|a| quote!(#a)).chain(body_argument);
    let own_shown: Vec<&str> = plan
        .method_arguments
        .iter()
        .map(String::as_str)
        .chain(shared.body.as_ref().map(|_| "body"))
        .collect();
    let _ = write!(shown, ".{}({})", method.name, own_shown.join(", "));
    let lints = argument_lints(&arguments, shared.body.is_some());
    let client_type = cx.types.runtime.item("GraphClient");
    let description = docs::sanitize(&operation.description);
    let summary = description
        .split("\n\n")
        .next()
        .filter(|first| !first.is_empty())
        .map_or_else(|| docs::inline(&operation.title), str::to_owned);
    let doc = docs::attributes(&format!(
        "{summary}\n\n{}\n\nThe request of [`{}::{}`](super::requests::{}::{}), reached as {}; \
         its docs have the details. Permissions: [`{}`].",
        docs::text_block([format!("{} {}", template.method, template.raw).as_str()]),
        builder.name,
        method.name,
        builder.name,
        method.name,
        docs::code(&shown),
        names.constant
    ));
    let function = naming::ident(&names.function);
    quote! {
        #doc
        #lints
        pub fn #function(
            client: &#client_type,
            #(#arguments: &::core::primitive::str,)*
            #body_parameter
        ) -> #output {
            #chain.#method_name(#(#call_arguments),*)
        }
    }
}

/// Allows for clippy's argument-count and short-name lints where the template asks for them.
fn argument_lints(arguments: &[Ident], body: bool) -> TokenStream {
    let count = 1 + arguments.len() + usize::from(body);
    let too_many = (count > CLIPPY_MAX_ARGUMENTS).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per parameter of the template")])
    });
    let single = arguments
        .iter()
        .filter(|ident| ident.to_string().len() == 1)
        .count();
    let single_char = (single >= CLIPPY_MAX_SINGLE_CHAR_NAMES).then(|| {
        quote!(#[allow(clippy::many_single_char_names, reason = "arguments are named like the template's placeholders")])
    });
    quote!(#too_many #single_char)
}

/// A builder method: `method`'s request on the builder's path. `cx.module` is the builder's
/// module (`requests`).
pub(crate) fn method(
    cx: &OperationContext<'_, '_>,
    operations: &[Operation],
    version: &VersionPlan,
    builder: &Builder,
    method: &MethodPlan,
) -> TokenStream {
    let Some(Served {
        template,
        returns,
        shared,
        names,
    }) = Served::of(cx, operations, version, method)
    else {
        return TokenStream::new();
    };
    let (output, constructor) = call_type(cx, &returns, shared.query.as_ref());
    let runtime = cx.types.runtime;
    let request_type = runtime.private("Request");
    let method_type = runtime.private("Method");
    let http_method = naming::ident(template.method.as_str());
    let arguments: Vec<Ident> = method.arguments.iter().map(|a| naming::ident(a)).collect();
    let mut next = arguments.iter();
    let mut path = quote!(self.0.path());
    if let Some(step) = &method.step {
        path.extend(pieces(&step.pieces, &mut next));
    }
    let mut request = quote!(#request_type::new(#method_type::#http_method, #path));
    for pair in &template.query {
        let key = Literal::string(&pair.key);
        // Only a placeholder value takes an argument.
        if let Some(ident) = pair.parameter.as_ref().and_then(|_| next.next()) {
            request.extend(quote!(.query(#key, #ident)));
        } else {
            let value = Literal::string(&pair.value);
            request.extend(quote!(.query(#key, #value)));
        }
    }
    let body_parameter = shared.body.as_ref().map(|ty| {
        request.extend(quote!(.json_body(body)));
        quote!(body: &#ty,)
    });
    let lints = argument_lints(&arguments, shared.body.is_some());
    let doc = docs::attributes(&method_docs(
        operations, builder, method, &names, &returns, &shared,
    ));
    let name = naming::ident(&method.name);
    quote! {
        #doc
        #lints
        pub fn #name(&self, #(#arguments: &::core::primitive::str,)* #body_parameter) -> #output {
            #constructor(self.0.client(), #request)
        }
    }
}

/// The path calls for `pieces`, taking an argument for each parameter. A placeholder written
/// as `'{x}'` is the inside of an OData string literal.
pub(crate) fn pieces<'a>(
    pieces: &[Piece],
    arguments: &mut impl Iterator<Item = &'a Ident>,
) -> TokenStream {
    let mut path = TokenStream::new();
    let mut quoted = false;
    for piece in pieces {
        match piece {
            Piece::Literal(text) => {
                quoted = text.ends_with('\'');
                let text = Literal::string(text);
                path.extend(quote!(.literal(#text)));
            }
            Piece::Parameter(_) => {
                let Some(ident) = arguments.next() else {
                    continue;
                };
                path.extend(if quoted {
                    quote!(.quoted_param(#ident))
                } else {
                    quote!(.param(#ident))
                });
            }
        }
    }
    path
}

impl Returns {
    /// The type a decoded body has, for the example oracle: the call's body type, or each
    /// item's for a collection; `None` when no body is decoded.
    pub(crate) fn decoded(&self) -> Option<(&TokenStream, bool)> {
        match self {
            Returns::Empty | Returns::Bytes => None,
            Returns::Json(ty) | Returns::Value(ty) | Returns::Untyped(ty) => Some((ty, false)),
            Returns::Collection(ty) | Returns::Delta(ty) => Some((ty, true)),
        }
    }

    /// Whether the call gives the body typed: a model, an enum or a primitive.
    pub(crate) fn is_typed(&self) -> bool {
        matches!(
            self,
            Returns::Json(_) | Returns::Value(_) | Returns::Collection(_) | Returns::Delta(_)
        )
    }

    /// Whether the call unwraps `{"value": …}`.
    pub(crate) fn unwraps_value(&self) -> bool {
        matches!(self, Returns::Value(_))
    }
}

/// What the call of `template` yields (see [`Returns`]).
pub(crate) fn returns(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    template: &HttpTemplate,
) -> Returns {
    if is_download(template) {
        return Returns::Bytes;
    }
    let Some(response) = &operation.response else {
        return Returns::Empty;
    };
    if (300..400).contains(&response.status) {
        // Documented redirects lead to content (a file, a CSV report), not JSON.
        return Returns::Bytes;
    }
    let Some(type_ref) = response.type_ref() else {
        // No type: `202 Accepted` and `204 No Content` have no body; for anything else the
        // body is kept as JSON rather than dropped.
        return match response.status {
            202 | 204 => Returns::Empty,
            _ => Returns::Untyped(cx.types.runtime.json_value()),
        };
    };
    let (element, collection) = (type_ref.name, type_ref.collection);
    if element.eq_ignore_ascii_case("Edm.Stream") {
        return Returns::Bytes;
    }
    let returns = match cx.types.element(element) {
        Element::Model(slot) if collection => {
            Returns::Collection(TypeMapper::model_path(slot, cx.module))
        }
        Element::Model(slot) => Returns::Json(TypeMapper::model_path(slot, cx.module)),
        Element::Enum(slot) if collection => {
            Returns::Collection(TypeMapper::model_path(slot, cx.module))
        }
        Element::Other(ty) if collection => Returns::Collection(ty),
        // A single primitive or enum comes wrapped as `{"value": …}`.
        Element::Enum(slot) => Returns::Value(TypeMapper::model_path(slot, cx.module)),
        Element::Other(ty) if cx.types.is_primitive(element) => Returns::Value(ty),
        Element::Other(ty) => Returns::Untyped(ty),
    };
    match returns {
        Returns::Collection(ty) if is_delta(template) => Returns::Delta(ty),
        // `204 No Content` with a body in the examples: either may come.
        Returns::Json(ty) if response.status == 204 => {
            Returns::Json(quote!(::core::option::Option<#ty>))
        }
        returns => returns,
    }
}

/// Whether `template` downloads content: a `GET` of `…/$value` or `…/content`.
pub(crate) fn is_download(template: &HttpTemplate) -> bool {
    let last = template
        .path
        .segments()
        .last()
        .and_then(crate::ir::Segment::literal)
        .unwrap_or_default();
    template.method == Method::Get
        && (last.eq_ignore_ascii_case("$value") || last.eq_ignore_ascii_case("content"))
}

/// Whether `template` calls a `delta` function (`GET /users/delta`, `…/root/delta()`,
/// `…/delta(token='{token}')`), whose pages end with an `@odata.deltaLink`.
fn is_delta(template: &HttpTemplate) -> bool {
    let first = template
        .path
        .segments()
        .last()
        .and_then(|segment| match segment.pieces().first() {
            Some(crate::ir::Piece::Literal(text)) => Some(text.to_ascii_lowercase()),
            _ => None,
        })
        .unwrap_or_default();
    template.method == Method::Get && (first == "delta" || first.starts_with("delta("))
}

/// The call type a function returns and the runtime function that makes it.
fn call_type(
    cx: &OperationContext<'_, '_>,
    returns: &Returns,
    query: Option<&TokenStream>,
) -> (TokenStream, TokenStream) {
    let runtime = cx.types.runtime;
    let (call, body, constructor) = match returns {
        Returns::Empty => ("Call", quote!(()), "empty_call"),
        Returns::Bytes => ("Call", runtime.item("Bytes"), "bytes_call"),
        Returns::Json(ty) | Returns::Untyped(ty) => ("Call", ty.clone(), "json_call"),
        Returns::Value(ty) => ("Call", ty.clone(), "value_call"),
        Returns::Collection(ty) => ("ListCall", ty.clone(), "list_call"),
        Returns::Delta(ty) => ("DeltaCall", ty.clone(), "delta_call"),
    };
    let call = runtime.item(call);
    let marker = query.map(|ident| quote!(, #ident));
    (quote!(#call<#body #marker>), runtime.private(constructor))
}

/// The body parameter's type for a body that is not a parameters table: the model named by a
/// JSON body, else JSON.
fn json_body_type(cx: &OperationContext<'_, '_>, body: &RequestBody) -> Option<TokenStream> {
    match body {
        RequestBody::None => None,
        RequestBody::Parameters { .. } | RequestBody::Json { type_name: None } => {
            Some(cx.types.runtime.json_value())
        }
        RequestBody::Json {
            type_name: Some(type_name),
        } => Some(match cx.types.element(TypeRef::parse(type_name).name) {
            Element::Model(slot) => TypeMapper::model_path(slot, cx.module),
            Element::Enum(_) | Element::Other(_) => cx.types.runtime.json_value(),
        }),
    }
}

fn permissions_const(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    function: &str,
    const_name: &str,
) -> TokenStream {
    let permissions_type = cx.types.runtime.item("Permissions");
    let value = match &operation.permissions {
        None => quote!(::core::option::Option::None),
        Some(permissions) => {
            let set_type = cx.types.runtime.item("PermissionSet");
            let alternative_type = cx.types.runtime.item("ScopeAlternative");
            let strings = |names: &[String]| {
                let names = names.iter().map(|name| Literal::string(name));
                quote!(&[#(#names),*])
            };
            let set = |set: &Option<PermissionSet>| match set {
                None => quote!(::core::option::Option::None),
                Some(set) => {
                    let (least, higher, notes) = (
                        strings(&set.least),
                        strings(&set.higher),
                        strings(&set.notes),
                    );
                    // When every alternative is one scope, unconditional, the flat lists say it
                    // all (and the constant stays small).
                    let structured = set.alternatives.iter().any(|alternative| {
                        alternative.scopes.len() > 1 || alternative.condition.is_some()
                    });
                    let shown = if structured {
                        &set.alternatives[..]
                    } else {
                        &[]
                    };
                    let alternatives = shown.iter().map(|alternative| {
                        let scopes = strings(&alternative.scopes);
                        let condition = alternative.condition.as_deref().map_or_else(
                            || quote!(::core::option::Option::None),
                            |condition| {
                                let condition = Literal::string(condition);
                                quote!(::core::option::Option::Some(#condition))
                            },
                        );
                        let least_privileged = alternative.least_privileged;
                        quote!(#alternative_type {
                            scopes: #scopes,
                            condition: #condition,
                            least_privileged: #least_privileged,
                        })
                    });
                    quote!(::core::option::Option::Some(#set_type {
                        least: #least,
                        higher: #higher,
                        alternatives: &[#(#alternatives),*],
                        notes: #notes,
                    }))
                }
            };
            let (work, personal, application) = (
                set(&permissions.delegated_work),
                set(&permissions.delegated_personal),
                set(&permissions.application),
            );
            quote!(::core::option::Option::Some(#permissions_type {
                delegated_work: #work,
                delegated_personal: #personal,
                application: #application,
            }))
        }
    };
    let summary = match &operation.permissions {
        Some(_) => format!(
            "The permissions that allow calling {} (the table in its docs), for checking \
             granted scopes before a call.",
            docs::code(function)
        ),
        None => format!(
            "`None`: the page of {} gives no permissions table that could be read.",
            docs::code(function)
        ),
    };
    let doc = docs::attributes(&format!(
        "{summary}\n\nSource: {}.",
        docs::code(&operation.source.to_string())
    ));
    let ident = naming::ident(const_name);
    quote! {
        #doc
        pub const #ident: ::core::option::Option<#permissions_type> = #value;
    }
}

/// A builder method's docs: description, `# HTTP` (every template and page it serves), what
/// the call yields, `# Request body`, `# Permissions` with roles, source.
fn method_docs(
    operations: &[Operation],
    builder: &Builder,
    method: &MethodPlan,
    names: &ItemNames,
    returns: &Returns,
    shared: &SharedTypes,
) -> String {
    let operation = &operations[method.operation];
    let description = docs::sanitize(&operation.description);
    let mut sections = vec![if description.is_empty() {
        docs::inline(&operation.title)
    } else {
        description
    }];
    sections.push("# HTTP".to_owned());
    let lines: Vec<String> = method
        .templates
        .iter()
        .map(|&index| &operation.http[index])
        .map(|template| format!("{} {}", template.method, template.raw))
        .collect();
    sections.push(docs::text_block(lines.iter().map(String::as_str)));
    if method.templates.len() > 1 {
        sections.push(format!(
            "The first is sent on this builder ({}); the page documents the others too.",
            docs::code(&builder.name)
        ));
    }
    if !method.also.is_empty() {
        let mut pages: Vec<String> = method
            .also
            .iter()
            .map(|&(index, _)| format!("- {}", docs::code(&operations[index].source.to_string())))
            .collect();
        pages.dedup();
        sections.push(format!("Also documented by:\n\n{}", pages.join("\n")));
    }
    sections.push(returns_docs(returns, shared.query_name.as_deref()));
    sections.extend(body_docs(&operation.request_body));
    sections.push("# Permissions".to_owned());
    sections.push(permissions_docs(operation.permissions.as_ref()));
    if let Some(roles) = &operation.roles {
        if !roles.roles.is_empty() {
            sections.push(
                "In delegated scenarios with work or school accounts, the signed-in user \
                 needs one of these Microsoft Entra roles:"
                    .to_owned(),
            );
            let list: Vec<String> = roles
                .roles
                .iter()
                .map(|role| format!("- {}", docs::inline(role)))
                .collect();
            sections.push(list.join("\n"));
        }
        if let Some(permission) = &roles.role_permission {
            sections.push(format!(
                "A custom role needs the {} role permission.",
                docs::code(permission)
            ));
        }
    }
    // Builders are in `requests`, beside the resource modules.
    sections.push(format!(
        "The same permissions are in [`{module}::{constant}`](super::{module}::{constant}); \
         the flat function is [`{module}::{function}`](super::{module}::{function}).",
        module = naming::ident(&names.module),
        constant = names.constant,
        function = naming::ident(&names.function),
    ));
    sections.push(format!(
        "Source: {}.",
        docs::code(&operation.http[method.templates[0]].source.to_string())
    ));
    sections.join("\n\n")
}

/// What awaiting the returned call gives, and which query options it takes.
fn returns_docs(returns: &Returns, query: Option<&str>) -> String {
    let yields = match returns {
        Returns::Empty => "`()`: the response has no body",
        Returns::Bytes => {
            "the content as bytes; a redirect to a download host is followed without the token"
        }
        Returns::Json(_) => "the decoded body; `with_response()` also keeps status and headers",
        Returns::Untyped(_) => {
            "the body as untyped JSON (the docs name no type for it); `with_response()` also \
             keeps status and headers"
        }
        Returns::Value(_) => "the value of the body's `value` property, decoded",
        Returns::Collection(_) => {
            "the items of every page, following `@odata.nextLink` within the client's page \
             limits; `stream()` yields them as pages arrive"
        }
        Returns::Delta(_) => {
            "the changes of every page up to `@odata.deltaLink`, removals included, and that \
             link, to `resume` from later"
        }
    };
    let options = query
        .map(|query| format!(" Query options: see {}.", docs::code(query)))
        .unwrap_or_default();
    format!("The returned call is sent when awaited and gives {yields}.{options}")
}

/// The `# Request body` sections, if the request has a body.
fn body_docs(body: &RequestBody) -> Vec<String> {
    let summary = match body {
        RequestBody::None => return Vec::new(),
        RequestBody::Json { type_name } => format!(
            "`body` is sent as JSON{}.",
            type_name
                .as_deref()
                .map(|name| format!(": a {} object", docs::code(name)))
                .unwrap_or_default()
        ),
        RequestBody::Parameters { parameters } => {
            let mut lines =
                vec!["`body` is sent as JSON; the page documents these properties:\n".to_owned()];
            for parameter in parameters {
                let ty = if parameter.collection {
                    format!("Collection({})", parameter.type_name)
                } else {
                    parameter.type_name.clone()
                };
                let required = if parameter.required { ", required" } else { "" };
                let description = docs::inline(&parameter.description);
                let separator = if description.is_empty() { "" } else { ": " };
                lines.push(format!(
                    "- {} ({}{required}){separator}{description}",
                    docs::code(&parameter.name),
                    docs::code(&ty)
                ));
            }
            lines.join("\n")
        }
    };
    vec!["# Request body".to_owned(), summary]
}

fn permissions_docs(permissions: Option<&Permissions>) -> String {
    let Some(permissions) = permissions else {
        return "The page gives no permissions table that could be read.".to_owned();
    };
    // One alternative: its scopes joined by `and`, after its condition if it has one.
    let alternative = |alternative: &crate::ir::ScopeAlternative| {
        let scopes: Vec<String> = alternative
            .scopes
            .iter()
            .map(|name| docs::code_in_table(name))
            .collect();
        match &alternative.condition {
            Some(condition) => format!(
                "for {}: {}",
                docs::inline(condition).replace('|', "\\|"),
                scopes.join(" and ")
            ),
            None => scopes.join(" and "),
        }
    };
    let cell = |set: &PermissionSet, least_privileged: bool| {
        let names: Vec<String> = if set.alternatives.is_empty() {
            let names = if least_privileged {
                &set.least
            } else {
                &set.higher
            };
            names.iter().map(|name| docs::code_in_table(name)).collect()
        } else {
            set.alternatives
                .iter()
                .filter(|a| a.least_privileged == least_privileged)
                .map(alternative)
                .collect()
        };
        if names.is_empty() {
            "Not available".to_owned()
        } else {
            names.join(", ")
        }
    };
    let row = |kind: &str, set: &Option<PermissionSet>| match set {
        None => format!("| {kind} | Not supported | Not supported |"),
        Some(set) => format!("| {kind} | {} | {} |", cell(set, true), cell(set, false)),
    };
    let mut text = [
        "| Permission type | Least privileged permissions | Higher privileged permissions |"
            .to_owned(),
        "| :-- | :-- | :-- |".to_owned(),
        row(
            "Delegated (work or school account)",
            &permissions.delegated_work,
        ),
        row(
            "Delegated (personal Microsoft account)",
            &permissions.delegated_personal,
        ),
        row("Application", &permissions.application),
    ]
    .join("\n");
    let notes: Vec<String> = [
        &permissions.delegated_work,
        &permissions.delegated_personal,
        &permissions.application,
    ]
    .into_iter()
    .flatten()
    .flat_map(|set| &set.notes)
    .map(|note| format!("- {}", docs::inline(note)))
    .collect();
    if !notes.is_empty() {
        text.push_str("\n\nNotes in the table:\n\n");
        let mut unique = notes;
        unique.dedup();
        text.push_str(&unique.join("\n"));
    }
    text
}
