//! Build cost of generated bindings: macro expansion (`generate_tokens`, `generate_text`) in
//! process, then `cargo check` time and peak memory of scratch crates holding bindings for the
//! default `api-docs` and for the whole v1.0 corpus, variants of the corpus bindings that show
//! what the time goes to, API-area selections through cargo features, and an incremental
//! rebuild after one page changes.
//!
//! `cargo bench -p graph-gen --bench build_cost [-- --expansion-only | --selections-only |
//! --surface]` (about ten minutes on two cores); figures go to `BENCHMARKS.md`. `--surface` is
//! the API-shape comparison of issue #14 (`surface.rs`). The scratch crates are under
//! `target/build-cost/` with their own target folder, so the workspace's `target/` is not locked
//! while they build.

#[path = "../tests/support/gnu_time.rs"]
mod gnu_time;
mod support;
#[path = "build_cost/surface.rs"]
mod surface;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use graph_gen::__private::operation_module;
use graph_gen::CargoFeatures;
use graph_gen::{GenerationSettings, Generator, Ir};

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let workspace = support::workspace();
    let mut settings = GenerationSettings::default();
    settings.with_lenient(true);
    let generator = Generator::new(settings.clone());
    let api_docs = generator
        .load_docs_relative(&workspace, &["api-docs"])
        .expect("api-docs is readable");
    let full = generator.load_docs(&[&corpus]).expect("corpus is readable");
    println!(
        "IR: api-docs {} operations, {} models; v1.0 corpus {} operations, {} models, {} enums",
        api_docs.operations.len(),
        api_docs.models.len(),
        full.operations.len(),
        full.models.len(),
        full.enums.len()
    );

    expansion(&generator, &api_docs, &full);
    if std::env::args().any(|arg| arg == "--expansion-only") {
        return;
    }

    let scratch = workspace.join("target/build-cost");
    let checks = Checks::new(&workspace, &scratch);
    checks.prepare(false);
    if std::env::args().any(|arg| arg == "--surface") {
        surface::run(&checks, &generator, &workspace, &corpus);
        return;
    }
    if std::env::args().any(|arg| arg == "--selections-only") {
        let text = generator.generate_text(&full).expect("bindings parse");
        let whole = checks.run("corpus", &Bindings::Text(text), &[]);
        selections(&checks, &full, &settings, &whole);
        return;
    }
    println!("cargo check of the generated crate alone (dependencies built first), from scratch:");
    let text = |ir: &Ir| generator.generate_text(ir).expect("bindings parse");
    let reference = checks.run("api-docs", &Bindings::Text(text(&api_docs)), &[]);
    let whole = checks.run("corpus", &Bindings::Text(text(&full)), &[]);
    println!(
        "  → the corpus costs {:.1}× the time and {:.1}× the memory of api-docs",
        support::ratio(whole.time, reference.time),
        ratio_u64(whole.peak_kib, reference.peak_kib)
    );
    let ir_json = serde_json::to_string(&full).expect("the IR serialises");
    checks.run("corpus-macro", &Bindings::Macro(ir_json.clone()), &[]);

    let before = serde_derive_form(&text(&full));
    let derived = checks.run("corpus-serde-derive", &Bindings::Text(before), &[]);
    println!(
        "  → models with generated serde impls take {:.2}× the time and {:.2}× the memory of serde's derive with flatten (the former form)",
        support::ratio(whole.time, derived.time),
        ratio_u64(whole.peak_kib, derived.peak_kib)
    );

    println!("what the corpus time goes to (variants of the same bindings):");
    let stripped = strip_docs(&text(&full));
    checks.run("corpus-no-docs", &Bindings::Text(stripped), &[]);
    let mut models_only = full.clone();
    models_only.operations.clear();
    checks.run(
        "corpus-models-only",
        &Bindings::Text(text(&models_only)),
        &[],
    );

    selections(&checks, &full, &settings, &whole);
    incremental(&checks, &corpus, &generator);
}

/// `generate_tokens` (what the macro does with the IR) and `generate_text`, in process.
fn expansion(generator: &Generator, api_docs: &Ir, full: &Ir) {
    println!("macro expansion in process (median of the rounds):");
    for (name, ir, rounds) in [("api-docs", api_docs, 21), ("v1.0 corpus", full, 5)] {
        let json = serde_json::to_string(ir).expect("the IR serialises");
        let (tokens, read) = support::interleaved(
            rounds,
            || generator.generate_tokens(ir),
            || serde_json::from_str::<Ir>(&json).expect("the IR reads back"),
        );
        let (text, _) = support::interleaved(
            rounds.min(5),
            || generator.generate_text(ir).expect("bindings parse"),
            || (),
        );
        println!(
            "  {name:<12} generate_tokens {:>8.1} ms   generate_text {:>8.1} ms   (reading its IR JSON, {:.1} MB: {:.1} ms)",
            support::ms(tokens.median()),
            support::ms(text.median()),
            megabytes(json.len()),
            support::ms(read.median()),
        );
    }
}

/// One version feature plus resource features, against the whole corpus: does a selection cost
/// in proportion to its size?
fn selections(checks: &Checks, full: &Ir, settings: &GenerationSettings, whole: &Figures) {
    let mut operations_by_resource: BTreeMap<String, usize> = BTreeMap::new();
    for operation in &full.operations {
        *operations_by_resource
            .entry(operation_module(operation))
            .or_default() += 1;
    }
    let mut names: Vec<String> = vec!["v1".into()];
    names.extend(operations_by_resource.keys().cloned());
    let features = CargoFeatures::from_names(names.iter().cloned());
    let mut gated = settings.clone();
    gated.with_cargo_features(features);
    let text = Generator::new(gated)
        .generate_text(full)
        .expect("bindings parse");
    let mut largest: Vec<(&String, &usize)> = operations_by_resource.iter().collect();
    largest.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top = |count: usize| -> Vec<String> {
        std::iter::once("v1".to_owned())
            .chain(largest.iter().take(count).map(|(name, _)| (*name).clone()))
            .collect()
    };
    let operations = |selected: &[String]| -> usize {
        selected
            .iter()
            .filter_map(|name| operations_by_resource.get(name))
            .sum()
    };
    println!(
        "API areas selected through cargo features ({} resources; `--no-default-features --features …`):",
        operations_by_resource.len()
    );
    let bindings = Bindings::Gated(text, names.clone());
    let none = checks.run("corpus-features", &bindings, &[]);
    let total = full.operations.len();
    let user = vec!["v1".to_owned(), "user".to_owned()];
    for selected in [top(0), user, top(1), top(10), top(40), names.clone()] {
        let label = match selected.len() {
            1 => "v1 alone (the models no operation reaches)".to_owned(),
            _ if selected.len() == names.len() => "everything".to_owned(),
            _ if selected[1] == "user" => "v1 + user".to_owned(),
            count => format!("v1 + {} largest resources", count - 1),
        };
        let figures = checks.run("corpus-features", &bindings, &selected);
        if !figures.compiled {
            continue;
        }
        let share = ratio_u64(operations(&selected) as u64, total as u64);
        let cost = support::ratio(
            figures.time.saturating_sub(none.time),
            whole.time.saturating_sub(none.time),
        );
        println!(
            "  → {label}: {:.1}% of the operations, {:.1}% of the time above the runtime alone",
            share * 100.0,
            cost * 100.0
        );
    }
}

/// Edit one page, regenerate, check again with the incremental cache warm.
fn incremental(checks: &Checks, corpus: &Path, generator: &Generator) {
    println!("incremental rebuild after one page changes (cache warm, incremental on):");
    checks.prepare(true);
    let mut pages = support::corpus_pages(corpus);
    let load = |pages: &[(String, String)]| {
        let mut ir = generator.load_page_texts(
            pages
                .iter()
                .map(|(file, text)| (file.as_str(), text.as_str())),
        );
        ir.inputs.clear();
        ir
    };
    let before = load(&pages);
    let page = pages
        .iter_mut()
        .find(|(file, _)| file.ends_with("/api/user-get.md"))
        .expect("the corpus has `user-get.md`");
    page.1 = page.1.replacen(
        "Retrieve the properties",
        "Retrieve (edited) the properties",
        1,
    );
    let after = load(&pages);
    for (name, bindings) in [
        (
            "corpus-incremental",
            [before.clone(), after.clone()]
                .map(|ir| Bindings::Text(generator.generate_text(&ir).expect("bindings parse"))),
        ),
        (
            "corpus-macro-incremental",
            [before, after]
                .map(|ir| Bindings::Macro(serde_json::to_string(&ir).expect("the IR serialises"))),
        ),
    ] {
        let [old, new] = bindings;
        let warm = checks.run_incremental(name, &old, true);
        let again = checks.run_incremental(name, &new, false);
        println!(
            "  → {name}: {:.2}× its first build ({:.1} s after the edit, {:.1} s at first)",
            support::ratio(again.time, warm.time),
            again.time.as_secs_f64(),
            warm.time.as_secs_f64()
        );
    }
}

/// The bindings as graph-gen generated them before models had their own serde impls: each
/// model's `Model`, `Serialize` and `Deserialize` impls replaced by serde's derive, with
/// `rename`, `default`, `skip_serializing_if` on the properties and `flatten` on the map of
/// unlisted ones.
fn serde_derive_form(text: &str) -> String {
    let mut file = syn::parse_file(text).expect("generated code parses");
    derive_in(&mut file.items);
    prettyplease::unparse(&file)
}

fn derive_in(items: &mut Vec<syn::Item>) {
    // Model name → (JSON name, field) of each property, from `read_field`'s match arms.
    let mut models: BTreeMap<String, Vec<(syn::LitStr, syn::Ident)>> = BTreeMap::new();
    for item in items.iter() {
        if let syn::Item::Impl(block) = item {
            if trait_name(block).as_deref() == Some("Model") {
                models.insert(self_name(block), property_arms(block));
            }
        }
    }
    items.retain(|item| match item {
        syn::Item::Impl(block) => {
            !(models.contains_key(&self_name(block))
                && matches!(
                    trait_name(block).as_deref(),
                    Some("Model" | "Serialize" | "Deserialize")
                ))
        }
        _ => true,
    });
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, content)) = &mut module.content {
                    derive_in(content);
                }
            }
            syn::Item::Struct(model) => {
                let Some(properties) = models.get(&model.ident.to_string()) else {
                    continue;
                };
                model.attrs.push(syn::parse_quote!(#[derive(
                    ::graph_api::__private::serde::Serialize,
                    ::graph_api::__private::serde::Deserialize
                )]));
                model
                    .attrs
                    .push(syn::parse_quote!(#[serde(crate = "::graph_api::__private::serde")]));
                for field in &mut model.fields {
                    let ident = field.ident.as_ref().expect("models have named fields");
                    let attribute: syn::Attribute =
                        match properties.iter().find(|(_, name)| name == ident) {
                            Some((json, _)) => syn::parse_quote!(#[serde(
                                rename = #json,
                                default,
                                skip_serializing_if = "::core::option::Option::is_none"
                            )]),
                            None => syn::parse_quote!(#[serde(flatten)]),
                        };
                    field.attrs.push(attribute);
                }
            }
            _ => {}
        }
    }
}

fn trait_name(block: &syn::ItemImpl) -> Option<String> {
    let (_, path, _) = block.trait_.as_ref()?;
    Some(path.segments.last()?.ident.to_string())
}

fn self_name(block: &syn::ItemImpl) -> String {
    match &*block.self_ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// `"json" => { read_value(map, &mut self.field)?; }` arms of `read_field`.
fn property_arms(block: &syn::ItemImpl) -> Vec<(syn::LitStr, syn::Ident)> {
    let mut arms = Vec::new();
    for item in &block.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        for statement in &function.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Match(matching), _) = statement else {
                continue;
            };
            for arm in &matching.arms {
                let syn::Pat::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(json),
                    ..
                }) = &arm.pat
                else {
                    continue;
                };
                let field = arm_field(&arm.body).expect("an arm reads into a field");
                arms.push((json.clone(), field));
            }
        }
    }
    arms
}

/// The `field` of `{ read_value(map, &mut self.field)?; }`.
fn arm_field(body: &syn::Expr) -> Option<syn::Ident> {
    let syn::Expr::Block(block) = body else {
        return None;
    };
    let Some(syn::Stmt::Expr(syn::Expr::Try(attempt), _)) = block.block.stmts.first() else {
        return None;
    };
    let syn::Expr::Call(call) = &*attempt.expr else {
        return None;
    };
    let syn::Expr::Reference(reference) = call.args.iter().nth(1)? else {
        return None;
    };
    let syn::Expr::Field(field) = &*reference.expr else {
        return None;
    };
    match &field.member {
        syn::Member::Named(ident) => Some(ident.clone()),
        syn::Member::Unnamed(_) => None,
    }
}

/// Drops `///` doc lines: the same bindings without their documentation.
fn strip_docs(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("///"))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// What a scratch crate holds.
enum Bindings {
    /// Generated text, included from `bindings.rs`.
    Text(String),
    /// An IR expanded by `generate_api!` (the user's path), from `ir.json`.
    Macro(String),
    /// Generated text gated by cargo features (`name = []` each, all on by default).
    Gated(String, Vec<String>),
}

/// Time and peak memory of one `cargo check`.
#[derive(Debug, Clone, Copy)]
struct Figures {
    time: Duration,
    /// User plus system time; zero without GNU time.
    cpu: Duration,
    peak_kib: u64,
    compiled: bool,
}

/// Runs `cargo check` on scratch crates under `target/build-cost/`.
struct Checks {
    workspace: PathBuf,
    scratch: PathBuf,
    cargo: String,
}

impl Checks {
    fn new(workspace: &Path, scratch: &Path) -> Self {
        Checks {
            workspace: workspace.to_owned(),
            scratch: scratch.to_owned(),
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        }
    }

    /// Builds the dependencies (graph-api, the macros) untimed, so checks time the crate alone;
    /// with `incremental` on or off, since a path dependency such as graph-api is built again
    /// when `CARGO_INCREMENTAL` changes.
    fn prepare(&self, incremental: bool) {
        self.prepare_for("check", incremental);
    }

    /// [`prepare`](Self::prepare) for another cargo subcommand (`build` needs code, not
    /// metadata, of the dependencies).
    fn prepare_for(&self, subcommand: &str, incremental: bool) {
        let krate = self.write("deps", &Bindings::Text(String::new()));
        let status = self
            .cargo(&krate, &[subcommand, "--offline", "-q", "--lib"])
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
            .status()
            .expect("cargo runs");
        assert!(status.success(), "graph-api does not build");
    }

    /// A from-scratch check (incremental off) of `bindings` with `features` selected (all when
    /// empty), printed and returned.
    fn run(&self, name: &str, bindings: &Bindings, features: &[String]) -> Figures {
        self.run_cargo("check", name, bindings, features)
    }

    /// [`run`](Self::run) with another cargo subcommand (`build`).
    fn run_cargo(
        &self,
        subcommand: &str,
        name: &str,
        bindings: &Bindings,
        features: &[String],
    ) -> Figures {
        let krate = self.write(name, bindings);
        let mut args = vec![subcommand, "--offline", "-q", "--lib"];
        let joined = features.join(",");
        if matches!(bindings, Bindings::Gated(..)) {
            args.extend(["--no-default-features", "--features", &joined]);
        }
        let mut command = self.cargo(&krate, &args);
        command.env("CARGO_INCREMENTAL", "0");
        let gated = matches!(bindings, Bindings::Gated(..));
        // A selection that does not compile is reported below, without rustc's errors.
        let figures = timed(command, gated);
        assert!(
            figures.compiled || gated,
            "the scratch crate `{name}` does not compile"
        );
        let what = if gated {
            format!("{name} [{}]", abbreviate(features))
        } else if subcommand == "check" {
            name.to_owned()
        } else {
            format!("{name} ({subcommand})")
        };
        println!(
            "  {what:<40} {:>6.1} s  peak {:>6.0} MiB{}",
            figures.time.as_secs_f64(),
            kib_to_mib(figures.peak_kib),
            if figures.compiled {
                ""
            } else {
                "  DOES NOT COMPILE"
            }
        );
        figures
    }

    /// A check with incremental compilation on, after writing `bindings`; `fresh` drops the
    /// crate's incremental cache first.
    fn run_incremental(&self, name: &str, bindings: &Bindings, fresh: bool) -> Figures {
        if fresh {
            let prefix = format!("{}-", name.replace('-', "_"));
            let caches = self.scratch.join("target/debug/incremental");
            for entry in std::fs::read_dir(&caches).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let krate = self.write(name, bindings);
        let mut command = self.cargo(&krate, &["check", "--offline", "-q", "--lib"]);
        command.env("CARGO_INCREMENTAL", "1");
        let figures = timed(command, false);
        assert!(
            figures.compiled,
            "the scratch crate `{name}` does not compile"
        );
        figures
    }

    /// A path under the scratch folder.
    fn scratch_path(&self, name: &str) -> PathBuf {
        self.scratch.join(name)
    }

    fn cargo(&self, krate: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.cargo);
        command
            .args(args)
            .current_dir(krate)
            .env("CARGO_TARGET_DIR", self.scratch.join("target"))
            .env_remove("RUSTFLAGS");
        command
    }

    /// Writes the scratch crate `name` holding `bindings`; touches its `lib.rs` so that cargo
    /// checks it again.
    fn write(&self, name: &str, bindings: &Bindings) -> PathBuf {
        let krate = self.scratch.join(name);
        std::fs::create_dir_all(krate.join("src")).expect("scratch folder is writable");
        let graph_api = self.workspace.join("graph-api").display().to_string();
        let macros = self
            .workspace
            .join("graph-gen-macros")
            .display()
            .to_string();
        let mut manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             # Written by graph-gen's build_cost bench; not a member of the workspace.\n[workspace]\n\n\
             [dependencies]\ngraph-api = {{ path = {graph_api:?} }}\ngraph-gen-macros = {{ path = {macros:?} }}\n"
        );
        let lib = match bindings {
            Bindings::Text(text) => {
                write_if_changed(&krate.join("src/bindings.rs"), text);
                "include!(\"bindings.rs\");\n".to_owned()
            }
            Bindings::Macro(json) => {
                write_if_changed(&krate.join("ir.json"), json);
                "graph_gen_macros::generate_api!(ir = \"$CARGO_MANIFEST_DIR/ir.json\", lenient = true);\n"
                    .to_owned()
            }
            Bindings::Gated(text, features) => {
                write_if_changed(&krate.join("src/bindings.rs"), text);
                manifest.push_str("\n[features]\n");
                let _ = writeln!(manifest, "default = {features:?}");
                for feature in features {
                    let _ = writeln!(manifest, "{feature} = []");
                }
                "include!(\"bindings.rs\");\n".to_owned()
            }
        };
        write_if_changed(&krate.join("Cargo.toml"), &manifest);
        std::fs::copy(self.workspace.join("Cargo.lock"), krate.join("Cargo.lock"))
            .expect("Cargo.lock copies");
        // Rewritten every time: a fresh modification time makes cargo check the crate again.
        std::fs::write(
            krate.join("src/lib.rs"),
            format!("//! Scratch crate of the build_cost bench.\n#![allow(missing_docs)]\n{lib}"),
        )
        .expect("scratch crate is writable");
        krate
    }
}

/// Writes `text` unless the file already holds it (keeps cargo's view of unchanged inputs).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::write(path, text).expect("scratch crate is writable");
}

/// Runs `command` under GNU time when installed: wall time and the peak RSS of the largest
/// process (rustc).
fn timed(command: Command, quiet: bool) -> Figures {
    let measured = gnu_time::run(command, quiet);
    Figures {
        time: measured.elapsed,
        cpu: measured.cpu.unwrap_or_default(),
        peak_kib: measured.peak_kib.unwrap_or(0),
        compiled: measured.succeeded,
    }
}

fn abbreviate(features: &[String]) -> String {
    if features.len() <= 3 {
        features.join(",")
    } else {
        format!(
            "{},{},… {} features",
            features[0],
            features[1],
            features.len()
        )
    }
}

#[allow(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
fn ratio_u64(a: u64, b: u64) -> f64 {
    a as f64 / (b.max(1)) as f64
}

#[allow(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[allow(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
