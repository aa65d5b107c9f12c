//! Operations → one `pub async fn` per HTTP template, plus a `*_PERMISSIONS` constant.
//!
//! Function names: snake case of the operation name. When a page has several templates, the
//! first keeps that name and each other one gets a suffix from its own path: `_me` for
//! `/me/…`, else its first segment (`_groups`), else (if that is taken on the page) all its
//! segments (`_groups_id_members`). The names depend only on the page; collisions between
//! pages of one module are settled by the caller in source order (see [`super`]).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs;
use super::types::{element_type, Element, TypeMapper};
use crate::ir::{HttpTemplate, Operation, PermissionSet, Permissions, RequestBody};
use crate::naming::{self, UniqueNames};

/// Methods the runtime's `Method` has constants for.
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// Parameter names the generated functions use themselves.
const RESERVED_PARAMETERS: &[&str] = &["client", "body"];

/// More parameters than this trip `clippy::too_many_arguments`; such functions allow it.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// This many single-character bindings trip `clippy::many_single_char_names`.
const CLIPPY_MAX_SINGLE_CHAR_NAMES: usize = 4;

/// The templates of `operation` that can be called (known method), in page order.
pub(crate) fn callable_templates(operation: &Operation) -> Vec<&HttpTemplate> {
    operation
        .http
        .iter()
        .filter(|template| METHODS.contains(&template.method.to_ascii_uppercase().as_str()))
        .collect()
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
            let short = format!("{base}_{}", short_suffix(&template.path));
            if page.is_taken(&short) {
                page.claim(&format!("{base}_{}", naming::snake_case(&template.path)))
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

/// One piece of a path template.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Literal(String),
    Parameter(&'a str),
}

/// Splits a template path at `{name}` placeholders.
fn pieces(path: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        let placeholder = rest
            .strip_prefix('{')
            .and_then(|after| after.find('}').map(|end| &after[..end]))
            .filter(|name| !name.trim().is_empty() && !name.contains('{'));
        if let Some(name) = placeholder {
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Parameter(name));
            rest = &rest[name.len() + 2..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    pieces
}

/// What a function returns and how it decodes it.
enum Returns {
    /// `()`, through `send_empty`.
    Empty,
    /// The decoded body.
    Json(TokenStream),
    /// The items of a `{"value": [...]}` body.
    Collection(TokenStream),
}

/// Everything shared by the functions and constant of one operation.
pub(crate) struct OperationContext<'a, 'ir> {
    pub(crate) types: TypeMapper<'a, 'ir>,
    /// The module the functions go in, below the version module.
    pub(crate) module: &'a [String],
    /// The private module holding `ValuePage`, as seen from [`Self::module`].
    pub(crate) support: TokenStream,
}

/// The constant and functions of `operation`; `names` come from [`page_function_names`] made
/// unique in the module. Whether any function decodes a collection is returned alongside.
pub(crate) fn operation_items(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    templates: &[&HttpTemplate],
    names: &[String],
) -> (TokenStream, bool) {
    let Some(first) = names.first() else {
        return (TokenStream::new(), false);
    };
    let const_name = format!("{}_PERMISSIONS", first.to_ascii_uppercase());
    let mut items = permissions_const(cx, operation, first, &const_name);
    let returns = returns(cx, operation);
    let uses_collection = matches!(returns, Returns::Collection(_));
    for (template, name) in templates.iter().zip(names) {
        items.extend(function(
            cx,
            operation,
            template,
            name,
            &const_name,
            &returns,
        ));
    }
    (items, uses_collection)
}

fn returns(cx: &OperationContext<'_, '_>, operation: &Operation) -> Returns {
    let Some(response) = &operation.response else {
        return Returns::Empty;
    };
    let Some(type_name) = response
        .type_name
        .as_deref()
        .filter(|_| response.status != 204)
    else {
        return Returns::Empty;
    };
    let (element, wrapped) = element_type(type_name);
    match cx.types.element(element) {
        Element::Model(slot) => {
            let path = TypeMapper::model_path(slot, cx.module);
            if response.collection || wrapped {
                Returns::Collection(path)
            } else {
                Returns::Json(path)
            }
        }
        Element::Other(_) => Returns::Json(cx.types.runtime.json_value()),
    }
}

fn function(
    cx: &OperationContext<'_, '_>,
    operation: &Operation,
    template: &HttpTemplate,
    name: &str,
    const_name: &str,
    returns: &Returns,
) -> TokenStream {
    let runtime = cx.types.runtime;
    let client_type = runtime.item("GraphClient");
    let error = runtime.item("Error");
    let request_path = runtime.private("RequestPath");
    let request = runtime.private("Request");
    let method = runtime.private("Method");
    let method_name = naming::ident(&template.method.to_ascii_uppercase());
    let version = Literal::string(cx.types.version.as_str());

    let mut parameter_names = UniqueNames::snake();
    for reserved in RESERVED_PARAMETERS {
        parameter_names.reserve(reserved);
    }
    let mut parameters: Vec<(&str, Ident)> = Vec::new();
    let mut path = quote!(#request_path::new(#version));
    for piece in pieces(&template.path) {
        match piece {
            Piece::Literal(text) => {
                let text = Literal::string(&text);
                path.extend(quote!(.literal(#text)));
            }
            Piece::Parameter(placeholder) => {
                let known = parameters.iter().find(|(name, _)| *name == placeholder);
                let ident = if let Some((_, ident)) = known {
                    ident.clone()
                } else {
                    let ident =
                        naming::ident(&parameter_names.claim(&naming::snake_case(placeholder)));
                    parameters.push((placeholder, ident.clone()));
                    ident
                };
                path.extend(quote!(.param(#ident)));
            }
        }
    }
    let parameter_idents = parameters.iter().map(|(_, ident)| ident);

    let body_type = body_type(cx, &operation.request_body);
    let mut request = quote!(#request::new(#method::#method_name, #path));
    let body_parameter = body_type.as_ref().map(|ty| {
        request.extend(quote!(.json_body(body)?));
        quote!(body: &#ty,)
    });

    let send_json = runtime.private("send_json");
    let send_empty = runtime.private("send_empty");
    let (output, call) = match returns {
        Returns::Empty => (quote!(()), quote!(#send_empty(client, #request).await)),
        Returns::Json(ty) => (
            ty.clone(),
            quote!(#send_json::<#ty>(client, #request).await),
        ),
        Returns::Collection(ty) => {
            let support = &cx.support;
            (
                quote!(::std::vec::Vec<#ty>),
                quote! {
                    #send_json::<#support::ValuePage<#ty>>(client, #request)
                        .await
                        .map(|page| page.value)
                },
            )
        }
    };

    let argument_count = 1 + parameters.len() + usize::from(body_type.is_some());
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
    ));
    let name = naming::ident(name);
    quote! {
        #doc
        #too_many
        #single_char
        pub async fn #name(
            client: &#client_type,
            #(#parameter_idents: &::core::primitive::str,)*
            #body_parameter
        ) -> ::core::result::Result<#output, #error> {
            #call
        }
    }
}

/// The request body parameter's type: the model named by a JSON body, else JSON.
fn body_type(cx: &OperationContext<'_, '_>, body: &RequestBody) -> Option<TokenStream> {
    match body {
        RequestBody::None => None,
        RequestBody::Parameters { .. } | RequestBody::Json { type_name: None } => {
            Some(cx.types.runtime.json_value())
        }
        RequestBody::Json {
            type_name: Some(type_name),
        } => Some(match cx.types.element(element_type(type_name).0) {
            Element::Model(slot) => TypeMapper::model_path(slot, cx.module),
            Element::Other(_) => cx.types.runtime.json_value(),
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
            let set = |set: &Option<PermissionSet>| match set {
                None => quote!(::core::option::Option::None),
                Some(set) => {
                    let least = set.least.iter().map(|name| Literal::string(name));
                    let higher = set.higher.iter().map(|name| Literal::string(name));
                    quote!(::core::option::Option::Some(#set_type {
                        least: &[#(#least),*],
                        higher: &[#(#higher),*],
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

/// Sections separated by blank lines: description, `# HTTP`, path parameters, `# Request
/// body`, paging, `# Permissions` with roles, `# Errors`, source.
fn function_docs(
    operation: &Operation,
    template: &HttpTemplate,
    parameters: &[(&str, Ident)],
    const_name: &str,
    returns: &Returns,
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
    sections.extend(body_docs(&operation.request_body));
    if let Returns::Collection(_) = returns {
        sections.push(
            "Returns the items of the first page of the collection; \
             `@odata.nextLink` is not followed."
                .to_owned(),
        );
    }
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
         status, or when the response body is not the documented JSON."
            .to_owned(),
    );
    sections.push(format!(
        "Source: {}.",
        docs::code(&template.source.to_string())
    ));
    sections.join("\n\n")
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
    let cell = |names: &[String]| {
        if names.is_empty() {
            "Not available".to_owned()
        } else {
            names
                .iter()
                .map(|name| docs::code_in_table(name))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let row = |kind: &str, set: &Option<PermissionSet>| match set {
        None => format!("| {kind} | Not supported | Not supported |"),
        Some(set) => format!("| {kind} | {} | {} |", cell(&set.least), cell(&set.higher)),
    };
    [
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
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_split_at_placeholders() {
        assert_eq!(
            pieces("/users/{id}/reprocessLicenseAssignment"),
            [
                Piece::Literal("/users/".into()),
                Piece::Parameter("id"),
                Piece::Literal("/reprocessLicenseAssignment".into()),
            ]
        );
        assert_eq!(
            pieces("/reports/getCounts(period='{period}')"),
            [
                Piece::Literal("/reports/getCounts(period='".into()),
                Piece::Parameter("period"),
                Piece::Literal("')".into()),
            ]
        );
        assert_eq!(pieces("/a/{}/{b"), [Piece::Literal("/a/{}/{b".into())]);
        assert_eq!(
            pieces("/é/{x}"),
            [Piece::Literal("/é/".into()), Piece::Parameter("x")]
        );
    }

    #[test]
    fn suffixes_come_from_the_template() {
        assert_eq!(short_suffix("/me/drive"), "me");
        assert_eq!(short_suffix("/groups/{id}/members"), "groups");
        assert_eq!(short_suffix(""), "unnamed");
    }
}
