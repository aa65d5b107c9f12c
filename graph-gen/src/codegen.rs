//! IR → Rust tokens: per API version present (`v1.0` → `pub mod v1`, `beta` → `pub mod beta`),
//! the models, the request builders and one flat function per page, named by [`crate::plan`].
//!
//! - models of `microsoft.graph` are structs directly in the version module; models of a
//!   sub-namespace (`microsoft.graph.callRecords.session`) are in a module named after it
//!   (`call_records::Session`);
//! - the request builders are in `requests`, with `api(&client)` for the root (also re-exported
//!   as the version's `api`): `v1::api(&client).users().by_id(id).messages().list()`;
//! - each page's flat function, permissions constant, query marker and body struct are in its
//!   resource's module (`user: reprocessLicenseAssignment` →
//!   `beta::user::reprocess_license_assignment`), or in `ungrouped` when its title names no
//!   resource. A resource and a namespace with the same snake-case name share one module: types
//!   and functions live in different Rust namespaces, so they cannot clash.
//!
//! Output is sorted (version, module, item name), so the same IR always gives the same tokens.
//! Error diagnostics do not stop generation: the IR's content is emitted as it is, and the
//! macro adds the `compile_error!`s.

mod builder;
mod docs;
mod enum_;
mod example_calls;
mod features;
mod model;
mod operation;
mod oracle;
mod polymorphic;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::{ApiVersion, Ir, Source};
use crate::naming;
use crate::plan::Plan;
use crate::GenerationSettings;

use self::features::{Gate, Gates};
use self::operation::OperationContext;
use self::types::{ModelIndex, Runtime, TypeMapper};

pub use self::features::CargoFeatures;

pub(crate) use crate::plan::{operation_module, UNGROUPED_MODULE};

/// A hidden `__example_oracle` module that decodes example bodies into the models of `ir`,
/// for programs that check a docs tree's examples against the generated types. Place it
/// beside the bindings of the same `ir`.
pub fn example_oracle(ir: &Ir, settings: &GenerationSettings) -> TokenStream {
    let runtime = Runtime::parse(&settings.runtime_crate).unwrap_or_else(|_| Runtime::graph_api());
    oracle::oracle(ir, &runtime)
}

/// A hidden `__example_calls` module: every operation of `ir` called through its flat function
/// in the bindings at `bindings` (`::graph_api`), with its example's ids and body.
pub fn example_calls(
    ir: &Ir,
    settings: &GenerationSettings,
    bindings: &TokenStream,
) -> TokenStream {
    let runtime = Runtime::parse(&settings.runtime_crate).unwrap_or_else(|_| Runtime::graph_api());
    let gates = settings.cargo_features.as_ref().map(Gates::new);
    example_calls::module(ir, bindings, &runtime, gates.as_ref())
}

/// For each operation of `ir`, whether its function gives the response body typed (a model, an
/// enum, a primitive or a collection of them) rather than `()`, bytes or untyped JSON: what
/// the coverage report counts.
pub(crate) fn typed_responses(ir: &Ir) -> Vec<bool> {
    let runtime = Runtime::graph_api();
    let models = ModelIndex::new(ir);
    ir.operations
        .iter()
        .map(|operation| {
            let cx = OperationContext {
                types: TypeMapper {
                    runtime: &runtime,
                    models: &models,
                    version: operation.version,
                },
                module: &[],
            };
            operation::callable_templates(operation)
                .into_iter()
                .min_by_key(|template| operation::is_download(template))
                .is_some_and(|template| operation::returns(&cx, operation, template).is_typed())
        })
        .collect()
}

/// The bindings for `ir`.
pub fn generate(ir: &Ir, settings: &GenerationSettings) -> TokenStream {
    let (runtime, runtime_error) = match Runtime::parse(&settings.runtime_crate) {
        Ok(runtime) => (runtime, None),
        Err(message) => {
            let message = Literal::string(&message);
            (
                Runtime::graph_api(),
                Some(quote!(::core::compile_error!(#message);)),
            )
        }
    };
    let models = ModelIndex::new(ir);
    // The plan's naming warnings were reported when the docs were loaded.
    let plan = {
        let quiet = crate::diagnostics::Ctxt::new();
        let plan = Plan::new(ir, &quiet);
        drop(quiet.into_diagnostics());
        plan
    };
    let gates = settings.cargo_features.as_ref().map(Gates::new);
    let unknown_features = gates.as_ref().map(|gates| gates.unknown_features(ir));
    let versions: BTreeSet<ApiVersion> = ir
        .models
        .iter()
        .map(|model| model.version)
        .chain(ir.operations.iter().map(|operation| operation.version))
        .collect();
    let modules = versions.into_iter().map(|version| {
        version_module(
            ir,
            &plan,
            TypeMapper {
                runtime: &runtime,
                models: &models,
                version,
            },
            gates.as_ref(),
        )
    });
    quote! {
        #runtime_error
        #unknown_features
        #(#modules)*
    }
}

/// The module name of an API version (`v1`, `beta`), which is also its cargo feature.
pub fn version_module_name(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V1 => "v1",
        ApiVersion::Beta => "beta",
    }
}

/// How items of a module are ordered: models, then operations; by name, then source.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ItemKey {
    operation: bool,
    name: String,
    source: Source,
}

/// A module being assembled.
#[derive(Default)]
struct Module {
    items: Vec<(ItemKey, TokenStream)>,
    children: BTreeMap<String, Module>,
    /// Resource names whose operations are here, as pages write them.
    resources: BTreeSet<String>,
    /// Whether operations without a resource are here.
    ungrouped: bool,
    /// `OData` namespaces whose types are here.
    namespaces: BTreeSet<String>,
}

impl Module {
    fn at(&mut self, path: &[String]) -> &mut Module {
        path.iter().fold(self, |module, name| {
            module.children.entry(name.clone()).or_default()
        })
    }

    /// Items by key, then child modules by name.
    fn contents(mut self) -> TokenStream {
        self.items.sort_by(|a, b| a.0.cmp(&b.0));
        let items = self.items.into_iter().map(|(_, tokens)| tokens);
        let children = self.children.into_iter().map(|(name, child)| {
            let doc = docs::attributes(&child.summary());
            let ident = naming::ident(&name);
            let contents = child.contents();
            quote! {
                #doc
                pub mod #ident {
                    #contents
                }
            }
        });
        quote! {
            #(#items)*
            #(#children)*
        }
    }

    fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.resources.is_empty() {
            let names: Vec<String> = self.resources.iter().map(|name| docs::code(name)).collect();
            parts.push(format!("Requests on the {} resource.", names.join(", ")));
        }
        if self.ungrouped {
            parts.push("Requests whose page title names no resource.".to_owned());
        }
        if !self.namespaces.is_empty() {
            let names: Vec<String> = self
                .namespaces
                .iter()
                .map(|name| docs::code(name))
                .collect();
            parts.push(format!("Types of the {} namespace.", names.join(", ")));
        }
        if parts.is_empty() {
            parts.push("Types of a nested OData namespace.".to_owned());
        }
        parts.join(" ")
    }
}

/// The module of one version; `gates` put its items behind cargo features.
fn version_module(
    ir: &Ir,
    plan: &Plan,
    types: TypeMapper<'_, '_>,
    gates: Option<&Gates<'_>>,
) -> TokenStream {
    let version = types.version;
    let mut root = Module::default();
    let model_gates = add_models(&mut root, ir, &types, gates);
    add_enums(&mut root, ir, &types);
    add_polymorphic(&mut root, ir, &types, model_gates.as_deref());
    let requests = plan.version(version).map(|version_plan| {
        add_operations(&mut root, ir, version_plan, types, gates);
        let module = builder::requests_module(ir, version_plan, types, gates);
        quote! {
            #module
            pub use self::requests::api;
        }
    });
    let version_gate = gates.map(|gates| gates.version(version).attribute());
    let doc = docs::attributes(&format!(
        "Microsoft Graph {} endpoint ({}): models and request functions generated from its \
         reference pages.",
        docs::code(version.as_str()),
        docs::code(&format!("https://graph.microsoft.com/{}", version.as_str()))
    ));
    let ident = naming::ident(version_module_name(version));
    let contents = root.contents();
    quote! {
        #doc
        #[allow(
            clippy::doc_markdown,
            reason = "docs are Microsoft's prose, which names APIs and types without backticks"
        )]
        #[allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            reason = "docs keep the markdown layout of the reference pages"
        )]
        #[allow(
            clippy::struct_field_names,
            clippy::module_inception,
            reason = "models, fields and modules mirror the Microsoft Graph schema"
        )]
        #[allow(
            clippy::too_many_lines,
            reason = "an enum's match has one arm per documented member or derived type"
        )]
        #version_gate
        pub mod #ident {
            #requests
            #contents
        }
    }
}

/// Adds the structs of the version's models to their namespace modules, each behind the
/// features of the operations that need it.
fn add_models(
    root: &mut Module,
    ir: &Ir,
    types: &TypeMapper<'_, '_>,
    gates: Option<&Gates<'_>>,
) -> Option<Vec<Gate>> {
    let ids: Vec<usize> = (0..ir.models.len())
        .filter(|&id| ir.models[id].version == types.version)
        .collect();
    let components = model::components(&ids, types);
    let model_gates = gates.map(|gates| gates.models(ir, types.models, types.version));
    for &id in &ids {
        let slot = types.models.slot(id);
        let model = &ir.models[id];
        let mut tokens = model::model_struct(slot, types, &components);
        if let Some(gate) = model_gates.as_ref().and_then(|all| all.get(id)) {
            tokens = gate.apply(tokens);
        }
        let module = root.at(&slot.module);
        if let Some((namespace, _)) = model.name.trim().trim_start_matches('#').rsplit_once('.') {
            if !slot.module.is_empty() {
                module.namespaces.insert(namespace.to_owned());
            }
        }
        module.items.push((
            ItemKey {
                operation: false,
                name: slot.name.clone(),
                source: model.source.clone(),
            },
            tokens,
        ));
    }
    model_gates
}

/// Adds the version's enums to their namespace modules. Enums are small and shared by many
/// models, so they are never gated.
fn add_enums(root: &mut Module, ir: &Ir, types: &TypeMapper<'_, '_>) {
    for (id, declared) in ir.enums.iter().enumerate() {
        if declared.version != types.version {
            continue;
        }
        let slot = types.models.enum_slot(id);
        let tokens = enum_::enum_type(declared, slot, types.runtime);
        root.at(&slot.module).items.push((
            ItemKey {
                operation: false,
                name: slot.name.clone(),
                source: declared.source.clone(),
            },
            tokens,
        ));
    }
}

/// Adds the `Any…` enums of the version's referenced base models beside their base structs.
/// An `Any…` enum compiles exactly when its base struct does.
fn add_polymorphic(
    root: &mut Module,
    ir: &Ir,
    types: &TypeMapper<'_, '_>,
    model_gates: Option<&[Gate]>,
) {
    for polymorphic in types.models.polymorphic() {
        let base = &ir.models[polymorphic.base];
        if base.version != types.version {
            continue;
        }
        let mut tokens = polymorphic::any_enum(polymorphic, types);
        if let Some(gate) = model_gates.and_then(|gates| gates.get(polymorphic.base)) {
            tokens = gate.apply(tokens);
        }
        root.at(&polymorphic.slot.module).items.push((
            ItemKey {
                operation: false,
                name: polymorphic.slot.name.clone(),
                source: base.source.clone(),
            },
            tokens,
        ));
    }
}

/// Adds each page's items (flat function, constant, query marker, body struct) to its resource
/// module, behind its resource's feature. A page's query marker and body struct also serve the
/// pages sharing its requests, so they compile when any of those pages' features is on.
fn add_operations(
    root: &mut Module,
    ir: &Ir,
    plan: &crate::plan::VersionPlan,
    types: TypeMapper<'_, '_>,
    gates: Option<&Gates<'_>>,
) {
    let gate_of =
        |index: usize| gates.map_or(Gate::Always, |gates| gates.operation(&ir.operations[index]));
    let mut users: BTreeMap<usize, Vec<Gate>> = BTreeMap::new();
    for method in plan.builders.iter().flat_map(|builder| &builder.methods) {
        let pages =
            std::iter::once(method.operation).chain(method.also.iter().map(|&(page, _)| page));
        users
            .entry(plan.items_of(method.operation))
            .or_default()
            .extend(pages.map(gate_of));
    }
    for (&index, operation_plan) in &plan.operations {
        let operation = &ir.operations[index];
        let path = [operation_plan.module.clone()];
        let cx = OperationContext {
            types,
            module: &path,
        };
        let mut tokens = TokenStream::new();
        if let Some(users) = users.remove(&index) {
            let shared = operation::shared_items(&cx, operation, operation_plan);
            tokens.extend(Gate::union(users).apply(shared));
        }
        if operation_plan.same_as.is_none() {
            let own = operation::own_items(&cx, &ir.operations, index, plan);
            tokens.extend(gate_of(index).apply(own));
        }
        if tokens.is_empty() {
            continue; // the earlier page's items serve it
        }

        let module = root.at(&path);
        match &operation.resource {
            Some(resource) if !resource.trim().is_empty() => {
                module.resources.insert(resource.clone());
            }
            _ => module.ungrouped = true,
        }
        module.items.push((
            ItemKey {
                operation: true,
                name: operation_plan.function.clone(),
                source: operation.source.clone(),
            },
            tokens,
        ));
    }
}
