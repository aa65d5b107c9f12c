//! Whole-IR checks that no single page can make: duplicates across pages, dangling types.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Ir, Source};

/// Reports problems that span pages into `cx`.
pub fn check(ir: &Ir, cx: &Ctxt) {
    duplicate_operations(ir, cx);
    dangling_types(ir, cx);
}

/// Two pages documenting the same request would generate two functions for one endpoint.
fn duplicate_operations(ir: &Ir, cx: &Ctxt) {
    let mut first: HashMap<(crate::ir::ApiVersion, &str, &str), &Source> = HashMap::default();
    for operation in &ir.operations {
        for template in &operation.http {
            let key = (
                operation.version,
                template.method.as_str(),
                template.path.as_str(),
            );
            match first.get(&key) {
                Some(earlier) if earlier.file != template.source.file => cx.warning(
                    &template.source,
                    format!(
                        "`{} {}` is also documented at {earlier}",
                        template.method, template.path
                    ),
                ),
                Some(_) => {}
                None => {
                    first.insert(key, &template.source);
                }
            }
        }
    }
}

/// Response types that no resource page or sample describes become untyped JSON. Primitives
/// (`Edm.String`) and enums are types of their own.
fn dangling_types(ir: &Ir, cx: &Ctxt) {
    let declared: HashSet<(ApiVersion, String)> = ir
        .models
        .iter()
        .map(|model| (model.version, model.name.to_ascii_lowercase()))
        .chain(
            ir.enums
                .iter()
                .map(|declared| (declared.version, declared.name.to_ascii_lowercase())),
        )
        .collect();
    for operation in &ir.operations {
        let Some(response) = &operation.response else {
            continue;
        };
        let Some(type_name) = &response.type_name else {
            continue;
        };
        let key = (operation.version, type_name.to_ascii_lowercase());
        if crate::lower::primitive_type(type_name).is_some() || declared.contains(&key) {
            continue;
        }
        cx.push(
            Diagnostic::warning(
                &response.source,
                format!("response type `{type_name}` has no resource page; it is decoded as untyped JSON"),
            )
            .with_help(format!(
                "add `{}/resources/{}.md`",
                operation.version.as_str(),
                type_name.rsplit('.').next().unwrap_or(type_name).to_ascii_lowercase()
            )),
        );
    }
}
