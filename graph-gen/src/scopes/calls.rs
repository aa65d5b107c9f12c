//! Finding the generated calls a Rust file makes: flat functions by path suffix, and method
//! chains from `<version>::api(..)` through the plan's builders.
//!
//! This reads syntax, not types, so it follows what a reader can see in one function: `use`
//! declarations of the file (wherever they are), `let` bindings and parameters typed as a
//! builder (`&v1::requests::UserRequest<'_>`), and macro arguments that parse as expressions.
//! A chain from a struct field or a function's return value is not followed.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::codegen::version_module_name;
use crate::diagnostics::Diagnostic;
use crate::ir::{ApiVersion, Source};
use crate::naming;
use crate::plan::{Plan, VersionPlan};

/// A generated call found in a file, resolved to an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub(crate) source: Source,
    pub(crate) version: ApiVersion,
    /// Index in [`crate::ir::Ir::operations`].
    pub(crate) operation: usize,
    /// The call as written, arguments elided (`v1::api(..).me().get()`).
    pub(crate) shown: String,
}

/// Name lookups of one version's plan, in the spelling the generated code uses.
struct VersionIndex<'p> {
    plan: &'p VersionPlan,
    module: &'static str,
    /// `(module, function)` of each flat function → operation.
    flat: HashMap<(String, String), usize>,
    /// Builder type name → builder.
    builders: HashMap<String, usize>,
}

/// The lookups of every version of a plan; built once for all files.
pub(crate) struct Index<'p> {
    versions: Vec<VersionIndex<'p>>,
}

impl<'p> Index<'p> {
    pub(crate) fn new(plan: &'p Plan) -> Self {
        let versions = plan
            .versions
            .iter()
            .map(|version| {
                let mut flat = HashMap::new();
                for (&operation, op) in &version.operations {
                    let key = (
                        naming::ident(&op.module).to_string(),
                        naming::ident(&op.function).to_string(),
                    );
                    // A page sharing an earlier page's function resolves to the earlier page.
                    let target = op.same_as.unwrap_or(operation);
                    flat.entry(key).or_insert(target);
                }
                let builders = version
                    .builders
                    .iter()
                    .enumerate()
                    .map(|(index, builder)| (naming::ident(&builder.name).to_string(), index))
                    .collect();
                VersionIndex {
                    plan: version,
                    module: version_module_name(version.version),
                    flat,
                    builders,
                }
            })
            .collect();
        Index { versions }
    }

    fn version(&self, module: &str) -> Option<usize> {
        self.versions.iter().position(|v| v.module == module)
    }
}

/// The calls of one file's syntax tree, and the problems with them.
pub(crate) fn find(
    index: &Index<'_>,
    file: &str,
    syntax: &syn::File,
    calls: &mut Vec<Call>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut imports = Imports::default();
    imports.collect(&syntax.items);
    let mut finder = Finder {
        index,
        file,
        imports,
        scopes: vec![HashMap::new()],
        calls,
        diagnostics,
    };
    finder.visit_file(syntax);
}

/// What a path means once `use` declarations are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    /// `<version>::api` or `<version>::requests::api`.
    Root(String),
    /// `<version>::<module>::<function>`.
    Flat(String, String, String),
    /// `<version>::requests::<Builder>`.
    Builder(String, String),
}

/// The `use` declarations of a file: names to paths, and glob prefixes.
#[derive(Debug, Default)]
struct Imports {
    names: HashMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

impl Imports {
    /// Every `use` of the file, nested modules and function bodies too: one file rarely
    /// imports one name two ways.
    fn collect(&mut self, items: &[syn::Item]) {
        struct Uses<'a>(&'a mut Imports);
        impl<'ast> Visit<'ast> for Uses<'_> {
            fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
                self.0.tree(&mut Vec::new(), &item.tree);
            }
        }
        let mut uses = Uses(self);
        for item in items {
            uses.visit_item(item);
        }
    }

    fn tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let name = name.ident.to_string();
                let mut full = prefix.clone();
                // `use graph_api::v1::{self}` names the prefix itself.
                if name != "self" {
                    full.push(name);
                }
                if let Some(last) = full.last().cloned() {
                    self.names.insert(last, full);
                }
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                if rename.ident != "self" {
                    full.push(rename.ident.to_string());
                }
                self.names.insert(rename.rename.to_string(), full);
            }
            syn::UseTree::Glob(_) => self.globs.push(prefix.clone()),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.tree(prefix, tree);
                }
            }
        }
    }

    /// `segments` with its first segment replaced by what it imports, repeatedly (a few
    /// times: imports may name each other, even in a cycle).
    fn expand(&self, segments: &[String]) -> Vec<String> {
        let mut path = segments.to_vec();
        for _ in 0..8 {
            match path.first().and_then(|first| self.names.get(first)) {
                Some(full) if full.len() > 1 || full.first() != path.first() => {
                    let mut next = full.clone();
                    next.extend(path.drain(1..));
                    path = next;
                }
                _ => break,
            }
        }
        path
    }

    /// What `segments` means, trying the glob imports when the path alone means nothing.
    fn resolve(&self, index: &Index<'_>, segments: &[String]) -> Option<Resolved> {
        let path = self.expand(segments);
        if let Some(resolved) = suffix(index, &path) {
            return Some(resolved);
        }
        self.globs.iter().find_map(|glob| {
            let mut full = self.expand(glob);
            full.extend(path.iter().cloned());
            suffix(index, &full)
        })
    }
}

/// A path by its last segments: `…::v1::api`, `…::v1::requests::api`,
/// `…::v1::requests::UserRequest`, `…::v1::user::get`.
fn suffix(index: &Index<'_>, path: &[String]) -> Option<Resolved> {
    let is_version = |segment: &String| {
        index.version(segment).is_some() || ["v1", "beta"].contains(&segment.as_str())
    };
    let n = path.len();
    if n >= 2 && path[n - 1] == "api" && is_version(&path[n - 2]) {
        return Some(Resolved::Root(path[n - 2].clone()));
    }
    if n < 3 || !is_version(&path[n - 3]) {
        return None;
    }
    let (version, module, last) = (&path[n - 3], &path[n - 2], &path[n - 1]);
    if module == "requests" {
        return Some(if last == "api" {
            Resolved::Root(version.clone())
        } else {
            Resolved::Builder(version.clone(), last.clone())
        });
    }
    // Types (`v1::user::GetQuery`) and namespaces of models are not calls.
    let snake = |text: &str| text.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    (snake(module) && snake(last.trim_start_matches("r#")))
        .then(|| Resolved::Flat(version.clone(), module.clone(), last.clone()))
}

/// What an expression is, as far as the plan goes.
#[derive(Debug, Clone)]
enum Value {
    /// A request builder of a version, and the chain that made it.
    Builder {
        version: usize,
        builder: usize,
        shown: String,
    },
    /// A request (a generated call, already counted): methods on it are the runtime's.
    Request,
    Unknown,
}

struct Finder<'a, 'p> {
    index: &'a Index<'p>,
    file: &'a str,
    imports: Imports,
    /// Local bindings to builders, innermost block last.
    scopes: Vec<HashMap<String, Value>>,
    calls: &'a mut Vec<Call>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

fn segments(path: &syn::Path) -> Vec<String> {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect()
}

impl Finder<'_, '_> {
    fn source(&self, span: proc_macro2::Span) -> (Source, u32) {
        let start = span.start();
        let line = u32::try_from(start.line).unwrap_or(u32::MAX);
        let column = u32::try_from(start.column + 1).unwrap_or(u32::MAX);
        (Source::new(self.file, line), column)
    }

    fn warn(&mut self, span: proc_macro2::Span, message: String, help: Option<String>) {
        let (source, column) = self.source(span);
        let mut diagnostic = Diagnostic::warning(&source, message).with_column(column);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }

    fn record(&mut self, span: proc_macro2::Span, version: usize, operation: usize, shown: String) {
        let (source, _) = self.source(span);
        self.calls.push(Call {
            source,
            version: self.index.versions[version].plan.version,
            operation,
            shown,
        });
    }

    fn lookup(&self, name: &str) -> Option<Value> {
        self.scopes
            .iter()
            .rev()
            .find_map(|scope| scope.get(name))
            .cloned()
    }

    fn bind(&mut self, name: String, value: Value) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name, value);
        }
    }

    /// The version index of `module`, or a warning that the docs have none.
    fn version(&mut self, module: &str, span: proc_macro2::Span) -> Option<usize> {
        let found = self.index.version(module);
        if found.is_none() {
            self.warn(
                span,
                format!("the docs have no operations of version `{module}`"),
                Some("pass the docs tree the bindings come from with `--docs`".to_owned()),
            );
        }
        found
    }

    /// The builder a type names (`&v1::requests::UserRequest<'_>`), if any.
    fn builder_type(&mut self, ty: &syn::Type) -> Value {
        match ty {
            syn::Type::Reference(reference) => self.builder_type(&reference.elem),
            syn::Type::Paren(paren) => self.builder_type(&paren.elem),
            syn::Type::Path(path) if path.qself.is_none() => {
                let Some(Resolved::Builder(version, name)) =
                    self.imports.resolve(self.index, &segments(&path.path))
                else {
                    return Value::Unknown;
                };
                let Some(version) = self.index.version(&version) else {
                    return Value::Unknown;
                };
                match self.index.versions[version].builders.get(&name) {
                    Some(&builder) => Value::Builder {
                        version,
                        builder,
                        shown: name,
                    },
                    None => Value::Unknown,
                }
            }
            _ => Value::Unknown,
        }
    }

    fn bind_pattern(&mut self, pat: &syn::Pat, value: Value) {
        match pat {
            syn::Pat::Ident(ident) => self.bind(ident.ident.to_string(), value),
            syn::Pat::Type(typed) => {
                let value = match value {
                    Value::Unknown => self.builder_type(&typed.ty),
                    known => known,
                };
                self.bind_pattern(&typed.pat, value);
            }
            // Any other pattern binds names this does not follow; they shadow outer ones.
            other => {
                struct Names(Vec<String>);
                impl<'ast> Visit<'ast> for Names {
                    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
                        self.0.push(pat.ident.to_string());
                        visit::visit_pat_ident(self, pat);
                    }
                }
                let mut names = Names(Vec::new());
                names.visit_pat(other);
                for name in names.0 {
                    self.bind(name, Value::Unknown);
                }
            }
        }
    }

    fn bind_inputs<'i>(&mut self, inputs: impl Iterator<Item = &'i syn::FnArg>) {
        for input in inputs {
            if let syn::FnArg::Typed(typed) = input {
                let mut value = self.builder_type(&typed.ty);
                // Chains from a parameter read as written: `me.send_mail(..)`.
                if let (Value::Builder { shown, .. }, syn::Pat::Ident(ident)) =
                    (&mut value, &*typed.pat)
                {
                    *shown = ident.ident.to_string();
                }
                self.bind_pattern(&typed.pat, value);
            }
        }
    }

    /// Evaluates an expression, counting the generated calls in it (and visiting the rest).
    fn eval(&mut self, expr: &syn::Expr) -> Value {
        match expr {
            syn::Expr::MethodCall(call) => self.eval_method_call(call),
            syn::Expr::Call(call) => self.eval_call(call),
            syn::Expr::Paren(inner) => self.eval(&inner.expr),
            syn::Expr::Group(inner) => self.eval(&inner.expr),
            syn::Expr::Reference(inner) => self.eval(&inner.expr),
            syn::Expr::Await(inner) => self.eval(&inner.base),
            syn::Expr::Try(inner) => self.eval(&inner.expr),
            syn::Expr::Path(path) if path.qself.is_none() => match path.path.get_ident() {
                Some(ident) => self.lookup(&ident.to_string()).unwrap_or(Value::Unknown),
                None => Value::Unknown,
            },
            other => {
                visit::visit_expr(self, other);
                Value::Unknown
            }
        }
    }

    fn eval_call(&mut self, call: &syn::ExprCall) -> Value {
        let resolved = match &*call.func {
            syn::Expr::Path(path) if path.qself.is_none() => self
                .imports
                .resolve(self.index, &segments(&path.path))
                .map(|resolved| (resolved, path.path.segments.last().map(Spanned::span))),
            other => {
                self.visit_expr(other);
                None
            }
        };
        for argument in &call.args {
            self.visit_expr(argument);
        }
        let Some((resolved, Some(span))) = resolved else {
            return Value::Unknown;
        };
        match resolved {
            Resolved::Root(module) => match self.version(&module, span) {
                Some(version) => Value::Builder {
                    version,
                    builder: self.index.versions[version].plan.nodes[0].builder,
                    shown: format!("{module}::api(..)"),
                },
                None => Value::Unknown,
            },
            Resolved::Flat(module, resource, function) => {
                let shown = format!("{module}::{resource}::{function}");
                let Some(version) = self.version(&module, span) else {
                    return Value::Unknown;
                };
                let key = (resource, function);
                if let Some(&operation) = self.index.versions[version].flat.get(&key) {
                    self.record(span, version, operation, shown);
                    return Value::Request;
                }
                let help = if self.index.versions[version]
                    .flat
                    .keys()
                    .any(|(module, _)| *module == key.0)
                {
                    format!("the docs give `{module}::{}` other functions", key.0)
                } else {
                    format!("the docs have no resource module `{module}::{}`", key.0)
                };
                self.warn(
                    span,
                    format!("`{shown}` is not a generated function of the docs"),
                    Some(help),
                );
                Value::Unknown
            }
            Resolved::Builder(..) => Value::Unknown,
        }
    }

    fn eval_method_call(&mut self, call: &syn::ExprMethodCall) -> Value {
        let receiver = self.eval(&call.receiver);
        for argument in &call.args {
            self.visit_expr(argument);
        }
        let Value::Builder {
            version,
            builder,
            shown,
        } = receiver
        else {
            return match receiver {
                Value::Request => Value::Request,
                _ => Value::Unknown,
            };
        };
        let name = call.method.to_string();
        let args = if call.args.is_empty() { "()" } else { "(..)" };
        let plan = self.index.versions[version].plan;
        let found = &plan.builders[builder];
        if name == "clone" {
            return Value::Builder {
                version,
                builder,
                shown,
            };
        }
        let spelled = |text: &str| naming::ident(text) == name;
        if let Some(navigation) = found.navigations.iter().find(|n| spelled(&n.name)) {
            return Value::Builder {
                version,
                builder: navigation.target,
                shown: format!("{shown}.{name}{args}"),
            };
        }
        if let Some(method) = found.methods.iter().find(|m| spelled(&m.name)) {
            let operation = method.operation;
            self.record(
                call.method.span(),
                version,
                operation,
                format!("{shown}.{name}{args}"),
            );
            return Value::Request;
        }
        let mut offered: Vec<String> = found
            .navigations
            .iter()
            .map(|n| &n.name)
            .chain(found.methods.iter().map(|m| &m.name))
            .map(|n| format!("`{}`", naming::ident(n)))
            .collect();
        offered.sort();
        let more = offered.len().saturating_sub(8);
        offered.truncate(8);
        let help = if offered.is_empty() {
            format!("`{}` has no methods in these docs", found.name)
        } else {
            format!(
                "`{}` has {}{}",
                found.name,
                offered.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        };
        self.warn(
            call.method.span(),
            format!(
                "`{name}` is not a navigation or request of `{}` (in `{shown}`)",
                found.name
            ),
            Some(help),
        );
        Value::Unknown
    }

    fn in_scope(&mut self, inner: impl FnOnce(&mut Self)) {
        self.scopes.push(HashMap::new());
        inner(self);
        self.scopes.pop();
    }
}

impl<'ast> Visit<'ast> for Finder<'_, '_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.in_scope(|this| {
            this.bind_inputs(item.sig.inputs.iter());
            visit::visit_item_fn(this, item);
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.in_scope(|this| {
            this.bind_inputs(item.sig.inputs.iter());
            visit::visit_impl_item_fn(this, item);
        });
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.in_scope(|this| {
            this.bind_inputs(item.sig.inputs.iter());
            visit::visit_trait_item_fn(this, item);
        });
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.in_scope(|this| {
            for input in &closure.inputs {
                this.bind_pattern(input, Value::Unknown);
            }
            this.visit_expr(&closure.body);
        });
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.in_scope(|this| visit::visit_block(this, block));
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let value = match &local.init {
            Some(init) => {
                let value = self.eval(&init.expr);
                if let Some((_, diverge)) = &init.diverge {
                    self.visit_expr(diverge);
                }
                value
            }
            None => Value::Unknown,
        };
        self.bind_pattern(&local.pat, value);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.eval_method_call(call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.eval_call(call);
    }

    /// Macro arguments that read as expressions (`println!`, `assert!`, `try_join!`).
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        use syn::punctuated::Punctuated;
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(arguments) = mac.parse_body_with(parser) {
            for argument in &arguments {
                self.visit_expr(argument);
            }
        }
    }
}
