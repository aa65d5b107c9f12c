//! Operations → one `pub fn` per HTTP template returning the runtime's `Call` (or `ListCall`
//! for collections), plus a `*_PERMISSIONS` constant, and per operation the `…Query` marker
//! of its documented OData options ([`query`]) and the `…Body` struct of its parameters
//! table ([`body`]).
//!
//! Functions are not `async` and not generic: each builds a `Request` and hands it to one of
//! the runtime's `__private::*_call` constructors, so the code per operation stays small and
//! the generic work is instantiated once per body type, when a caller awaits.
//!
//! Function names: snake case of the operation name. When a page has several templates, the
//! first keeps that name and each other one gets a suffix from its own path: `_me` for
//! `/me/…`, else its first segment (`_groups`), else (if that is taken on the page) all its
//! segments (`_groups_id_members`). The names depend only on the page; collisions between
//! pages of one module are settled by the caller in source order (see [`super`]).

mod body;
mod query;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Element, TypeMapper};
use crate::ir::{
    HttpTemplate, Method, Operation, PermissionSet, Permissions, Piece, RequestBody, TypeRef,
};
use crate::naming::{self, UniqueNames};

/// Parameter names the generated functions use themselves.
const RESERVED_PARAMETERS: &[&str] = &["client", "body"];

/// More parameters than this trip `clippy::too_many_arguments`; such functions allow it.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// This many single-character bindings trip `clippy::many_single_char_names`.
const CLIPPY_MAX_SINGLE_CHAR_NAMES: usize = 4;

/// The templates of `operation`, in page order: each becomes a function.
pub(crate) fn callable_templates(operation: &Operation) -> Vec<&HttpTemplate> {
    operation.http.iter().collect()
}

/// The function names a page asks for, one per callable template (see the module docs).
pub(crate) fn page_function_names(
    operation: &Operation,
    templates: &[&HttpTemplate],
) -> Vec<String> {
    let base = naming::snake_case(&operation.name);
    let mut page = UniqueNames::snake();
    templates
        .iter()
        .enumerate()
        .map(|(at, template)| {
            if at == 0 {
                return page.claim(&base);
            }
            let short = format!("{base}_{}", short_suffix(template.path.as_str()));
            if page.is_taken(&short) {
                page.claim(&format!(
                    "{base}_{}",
                    naming::snake_case(template.path.as_str())
                ))
            } else {
                page.claim(&short)
            }
        })
        .collect()
}

/// `me` for `/me/…`, else the first path segment.
fn short_suffix(path: &str) -> String {
    let first = path
        .split('/')
        .find(|segment| !segment.trim().is_empty())
        .unwrap_or_default();
    if first.eq_ignore_ascii_case("me") {
        "me".to_owned()
    } else {
        naming::snake_case(first)
    }
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
}

/// Everything shared by the functions and constant of one operation.
pub(crate) struct OperationContext<'a, 'ir> {
    pub(crate) types: TypeMapper<'a, 'ir>,
    /// The module the functions go in, below the version module.
    pub(crate) module: &'a [String],
}

/// The types one operation's functions share: its query marker and body struct.
struct SharedTypes {
    /// The marker type (`ListUsersQuery`), if the page documents query options.
    query: Option<Ident>,
    /// The body parameter type (`&UpdateUserBody`, `&super::User`), if there is a body.
    body: Option<TokenStream>,
}

/// The constant, marker type, body struct and functions of `operation`; `names` come from
/// [`page_function_names`] made unique in the module.
pub(crate) fn operation_items(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    templates: &[&HttpTemplate],
    names: &[String],
) -> TokenStream {
    let Some(first) = names.first() else {
        return TokenStream::new();
    };
    let const_name = format!("{}_PERMISSIONS", first.to_ascii_uppercase());
    let mut items = permissions_const(cx, operation, first, &const_name);
    let type_base = naming::upper_camel_case(first);
    let options = query::supported(&operation.query_options);
    let query = (!options.is_empty()).then(|| {
        let ident = naming::ident(&format!("{type_base}Query"));
        items.extend(query::marker(cx, &ident, first, &options));
        ident
    });
    let body = match &operation.request_body {
        RequestBody::Parameters { parameters } if !parameters.is_empty() => {
            let ident = naming::ident(&format!("{type_base}Body"));
            let patch = templates
                .first()
                .is_some_and(|template| template.method == Method::Patch);
            items.extend(body::body_struct(cx, &ident, first, parameters, patch));
            Some(quote!(#ident))
        }
        other => json_body_type(cx, other),
    };
    let shared = SharedTypes { query, body };
    for (template, name) in templates.iter().zip(names) {
        let returns = returns(cx, operation, template);
        items.extend(function(
            cx,
            operation,
            template,
            name,
            &const_name,
            &returns,
            &shared,
        ));
    }
    items
}

impl Returns {
    /// The type a decoded body has, for the example oracle: the call's body type, or each
    /// item's for a collection; `None` when no body is decoded.
    pub(crate) fn decoded(&self) -> Option<(&TokenStream, bool)> {
        match self {
            Returns::Empty | Returns::Bytes => None,
            Returns::Json(ty) | Returns::Value(ty) | Returns::Untyped(ty) => Some((ty, false)),
            Returns::Collection(ty) => Some((ty, true)),
        }
    }

    /// Whether the call gives the body typed: a model, an enum or a primitive.
    pub(crate) fn is_typed(&self) -> bool {
        matches!(
            self,
            Returns::Json(_) | Returns::Value(_) | Returns::Collection(_)
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

fn function(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    template: &HttpTemplate,
    name: &str,
    const_name: &str,
    returns: &Returns,
    shared: &SharedTypes,
) -> TokenStream {
    let runtime = cx.types.runtime;
    let client_type = runtime.item("GraphClient");
    let request_path = runtime.private("RequestPath");
    let request = runtime.private("Request");
    let method = runtime.private("Method");
    let method_name = naming::ident(template.method.as_str());
    let version = Literal::string(cx.types.version.as_str());

    let mut parameter_names = UniqueNames::snake();
    for reserved in RESERVED_PARAMETERS {
        parameter_names.reserve(reserved);
    }
    let mut parameters: Vec<(&str, Ident)> = Vec::new();
    let mut argument = |placeholder| {
        if let Some((_, ident)) = parameters.iter().find(|(name, _)| *name == placeholder) {
            return ident.clone();
        }
        let ident = naming::ident(&parameter_names.claim(&naming::snake_case(placeholder)));
        parameters.push((placeholder, ident.clone()));
        ident
    };
    let mut path = quote!(#request_path::new(#version));
    let mut quoted = false;
    let pieces = template.path.pieces();
    for piece in &pieces {
        match piece {
            Piece::Literal(text) => {
                // A placeholder written as `'{x}'` is the inside of an OData string literal.
                quoted = text.ends_with('\'');
                let text = Literal::string(text);
                path.extend(quote!(.literal(#text)));
            }
            Piece::Parameter(placeholder) => {
                let ident = argument(placeholder);
                path.extend(if quoted {
                    quote!(.quoted_param(#ident))
                } else {
                    quote!(.param(#ident))
                });
            }
        }
    }
    let mut request = quote!(#request::new(#method::#method_name, #path));
    for pair in &template.query {
        let key = Literal::string(&pair.key);
        if let Some(placeholder) = &pair.parameter {
            let ident = argument(placeholder);
            request.extend(quote!(.query(#key, #ident)));
        } else {
            let value = Literal::string(&pair.value);
            request.extend(quote!(.query(#key, #value)));
        }
    }
    let parameter_idents = parameters.iter().map(|(_, ident)| ident);
    let body_parameter = shared.body.as_ref().map(|ty| {
        request.extend(quote!(.json_body(body)));
        quote!(body: &#ty,)
    });

    let (output, constructor) = call_type(cx, returns, shared.query.as_ref());
    let argument_count = 1 + parameters.len() + usize::from(shared.body.is_some());
    let too_many = (argument_count > CLIPPY_MAX_ARGUMENTS).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per path parameter of the template")])
    });
    let single_char_names = parameters
        .iter()
        .filter(|(_, ident)| ident.to_string().len() == 1)
        .count();
    let single_char = (single_char_names >= CLIPPY_MAX_SINGLE_CHAR_NAMES).then(|| {
        quote!(#[allow(clippy::many_single_char_names, reason = "arguments are named like the template's placeholders")])
    });
    let doc = docs::attributes(&function_docs(
        operation,
        template,
        &parameters,
        const_name,
        returns,
        shared,
    ));
    let name = naming::ident(name);
    quote! {
        #doc
        #too_many
        #single_char
        pub fn #name(
            client: &#client_type,
            #(#parameter_idents: &::core::primitive::str,)*
            #body_parameter
        ) -> #output {
            #constructor(client, #request)
        }
    }
}

/// The call type a function returns and the runtime function that makes it.
fn call_type(
    cx: &OperationContext<'_, '_>,
    returns: &Returns,
    query: Option<&Ident>,
) -> (TokenStream, TokenStream) {
    let runtime = cx.types.runtime;
    let (call, body, constructor) = match returns {
        Returns::Empty => ("Call", quote!(()), "empty_call"),
        Returns::Bytes => ("Call", runtime.item("Bytes"), "bytes_call"),
        Returns::Json(ty) | Returns::Untyped(ty) => ("Call", ty.clone(), "json_call"),
        Returns::Value(ty) => ("Call", ty.clone(), "value_call"),
        Returns::Collection(ty) => ("ListCall", ty.clone(), "list_call"),
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

/// Sections separated by blank lines: description, `# HTTP`, path parameters, what the call
/// yields and its query options, `# Request body`, `# Permissions` with roles, `# Errors`,
/// source.
fn function_docs(
    operation: &Operation,
    template: &HttpTemplate,
    parameters: &[(&str, Ident)],
    const_name: &str,
    returns: &Returns,
    shared: &SharedTypes,
) -> String {
    let description = docs::sanitize(&operation.description);
    let mut sections = vec![if description.is_empty() {
        docs::inline(&operation.title)
    } else {
        description
    }];
    sections.push("# HTTP".to_owned());
    let line = format!("{} {}", template.method, template.raw);
    sections.push(docs::text_block([line.as_str()]));
    let renamed: Vec<String> = parameters
        .iter()
        .filter_map(|(placeholder, ident)| {
            let written = template
                .parameters
                .iter()
                .find(|parameter| parameter.name == *placeholder)
                .map_or(*placeholder, |parameter| parameter.placeholder.as_str());
            let ident = ident.to_string();
            (written != ident).then(|| {
                format!(
                    "- {}: {}",
                    docs::code(&ident),
                    docs::code(&format!("{{{written}}}"))
                )
            })
        })
        .collect();
    if !renamed.is_empty() {
        sections.push("Path parameters, as the page writes them:".to_owned());
        sections.push(renamed.join("\n"));
    }
    sections.push(returns_docs(returns, shared.query.as_ref()));
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
    sections.push(format!(
        "The same permissions are in the `{const_name}` constant."
    ));
    sections.push("# Errors".to_owned());
    sections.push(
        "Fails when the request cannot be sent, when Microsoft Graph answers with an error \
         status (after retries, if it throttled), or when the response body is not the \
         documented JSON."
            .to_owned(),
    );
    sections.push(format!(
        "Source: {}.",
        docs::code(&template.source.to_string())
    ));
    sections.join("\n\n")
}

/// What awaiting the returned call gives, and which query options it takes.
fn returns_docs(returns: &Returns, query: Option<&Ident>) -> String {
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
    };
    let options = query
        .map(|query| format!(" Query options: see {}.", docs::code(&query.to_string())))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_come_from_the_template() {
        assert_eq!(short_suffix("/me/drive"), "me");
        assert_eq!(short_suffix("/groups/{id}/members"), "groups");
        assert_eq!(short_suffix(""), "unnamed");
    }
}
