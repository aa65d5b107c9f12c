//! The OData query options a page documents → a marker type implementing the runtime's
//! `query::Supports*` traits, which unlock the matching builder methods of the call.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::OperationContext;
use crate::codegen::docs;

/// Query options the runtime has builder methods for, and the trait of each.
const OPTIONS: &[(&str, &str)] = &[
    ("select", "SupportsSelect"),
    ("filter", "SupportsFilter"),
    ("expand", "SupportsExpand"),
    ("orderby", "SupportsOrderBy"),
    ("top", "SupportsTop"),
    ("skip", "SupportsSkip"),
    ("count", "SupportsCount"),
    ("search", "SupportsSearch"),
];

/// The options of `documented` the runtime supports, as `$name`, in [`OPTIONS`] order.
pub(super) fn supported(documented: &[String]) -> Vec<&'static str> {
    let wanted: Vec<String> = documented
        .iter()
        .map(|option| option.trim().trim_start_matches('$').to_ascii_lowercase())
        .collect();
    OPTIONS
        .iter()
        .filter(|(name, _)| wanted.iter().any(|option| option == name))
        .map(|(name, _)| *name)
        .collect()
}

/// The marker `name` for `options` (from [`supported`]); `function` is the first function
/// using it, for its docs.
pub(super) fn marker(
    cx: &OperationContext<'_, '_>,
    name: &Ident,
    function: &str,
    options: &[&str],
) -> TokenStream {
    let query = cx.types.runtime.item("query");
    let impls = OPTIONS
        .iter()
        .filter(|(option, _)| options.contains(option))
        .map(|(_, trait_name)| {
            let trait_ident = crate::naming::ident(trait_name);
            quote!(impl #query::#trait_ident for #name {})
        });
    let listed: Vec<String> = options
        .iter()
        .map(|option| docs::code(&format!("${option}")))
        .collect();
    let doc = docs::attributes(&format!(
        "The OData query options the page of [`{}`] documents: {}. The call it returns has a \
         builder method for each.",
        crate::naming::ident(function),
        listed.join(", ")
    ));
    quote! {
        #doc
        #[derive(::core::fmt::Debug)]
        pub enum #name {}
        #(#impls)*
    }
}

#[cfg(test)]
mod tests {
    use super::supported;

    #[test]
    fn options_are_matched_loosely_and_ordered() {
        let documented = ["$Filter", "top", "$select", "$format", " $count "].map(String::from);
        assert_eq!(supported(&documented), ["select", "filter", "top", "count"]);
        assert!(supported(&["$skipToken".to_owned()]).is_empty());
    }
}
