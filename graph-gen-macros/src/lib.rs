//! Proc macros that expand graph-gen IR into Microsoft Graph bindings.
//!
//! This crate only adapts: it parses the macro input, calls [`graph_gen`], and turns the
//! pages' error diagnostics into `compile_error!`s that name `file:line` in the page.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

/// Expands Microsoft Graph bindings from docs pages or from a graph-gen IR file.
///
/// ```ignore
/// // In a crate whose build.rs wrote the IR (as graph-api does):
/// graph_gen_macros::generate_api!(ir = "$OUT_DIR/graph-ir.json");
/// // Straight from pages, relative to the file holding the invocation (like `include_str!`):
/// graph_gen_macros::generate_api!(docs = "../api-docs");
/// ```
///
/// Keys, comma-separated:
/// - `ir = "PATH"`: a JSON IR file; `$OUT_DIR` and `$CARGO_MANIFEST_DIR` at its start are
///   expanded, and a relative path is taken from `CARGO_MANIFEST_DIR`.
/// - `docs = "PATH"`: a docs folder or page, relative to the invoking file. Every page read
///   is tracked, so editing it rebuilds the crate.
/// - `runtime = "graph_api"`: the crate generated code calls (default `graph_api`).
/// - `lenient = true`: pages with errors are skipped instead of failing the build.
/// - `cargo_features = true`: the invoking crate's `[features]` (in its `Cargo.toml`) select
///   API versions and resources; see `graph_gen::CargoFeatures`.
///
/// Exactly one of `ir` and `docs` is required. Each error in a page becomes a compile error
/// naming `file:line`; the items of the other pages are still emitted, so the errors are not
/// followed by a cascade of unresolved names.
#[proc_macro]
pub fn generate_api(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    expand(&args, Output::Bindings)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Calls every operation of the docs through its flat function, with its example's ids and
/// body: a hidden `__example_calls` module whose `all()` lists one `ExampleCall` per page (for a
/// tour against the mock, and tests). Takes the keys of [`generate_api!`] plus
/// `bindings = "::graph_api"`, the path of the generated version modules.
///
/// ```ignore
/// graph_gen_macros::example_calls!(ir = "$OUT_DIR/graph-ir.json", bindings = "::graph_api", cargo_features = true);
/// ```
#[proc_macro]
pub fn example_calls(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    expand(&args, Output::ExampleCalls)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// What a macro emits for the docs it reads.
#[derive(Clone, Copy)]
enum Output {
    Bindings,
    ExampleCalls,
}

/// The parsed macro input.
struct Args {
    ir: Option<LitStr>,
    docs: Option<LitStr>,
    runtime: Option<LitStr>,
    bindings: Option<LitStr>,
    lenient: bool,
    cargo_features: bool,
    span: Span,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let span = input.span();
        let mut args = Args {
            ir: None,
            docs: None,
            runtime: None,
            bindings: None,
            lenient: false,
            cargo_features: false,
            span,
        };
        let pairs =
            Punctuated::<(Ident, syn::Lit), Token![,]>::parse_terminated_with(input, |input| {
                let key = Ident::parse_any(input)?;
                input.parse::<Token![=]>()?;
                Ok((key, input.parse()?))
            })?;
        for (key, value) in pairs {
            let string = || match &value {
                syn::Lit::Str(text) => Ok(LitStr::clone(text)),
                other => Err(syn::Error::new_spanned(
                    other,
                    format!("`{key}` takes a string, e.g. `{key} = \"…\"`"),
                )),
            };
            match key.to_string().as_str() {
                "ir" => set(&mut args.ir, &key, string()?)?,
                "docs" => set(&mut args.docs, &key, string()?)?,
                "runtime" => set(&mut args.runtime, &key, string()?)?,
                "bindings" => set(&mut args.bindings, &key, string()?)?,
                "lenient" | "cargo_features" => match &value {
                    syn::Lit::Bool(LitBool { value, .. }) if key == "lenient" => {
                        args.lenient = *value;
                    }
                    syn::Lit::Bool(LitBool { value, .. }) => args.cargo_features = *value,
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            format!("`{key}` takes `true` or `false`"),
                        ))
                    }
                },
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown key `{key}`; write `ir`, `docs`, `runtime`, `lenient`, `cargo_features` or `bindings`"),
                    ))
                }
            }
        }
        Ok(args)
    }
}

fn set(slot: &mut Option<LitStr>, key: &Ident, value: LitStr) -> syn::Result<()> {
    if slot.replace(value).is_some() {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` is given twice; keep one"),
        ));
    }
    Ok(())
}

fn expand(args: &Args, output: Output) -> syn::Result<TokenStream> {
    let mut settings = graph_gen::GenerationSettings::default();
    settings.with_lenient(args.lenient);
    if let Some(runtime) = &args.runtime {
        settings.with_runtime_crate(runtime.value());
    }
    if args.cargo_features {
        let manifest =
            Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("Cargo.toml");
        let features = graph_gen::CargoFeatures::read(&manifest)
            .map_err(|error| syn::Error::new(args.span, report(&error)))?;
        settings.with_cargo_features(features);
    }
    let generator = graph_gen::Generator::new(settings);
    let (ir, literal, tracked) = match (&args.ir, &args.docs) {
        (Some(ir), None) => {
            let path = ir_path(ir)?;
            let loaded = generator
                .read_ir(&path)
                .map_err(|error| syn::Error::new(ir.span(), report(&error)))?;
            (loaded, ir, Vec::new())
        }
        (None, Some(docs)) => {
            let base = invoking_folder(docs.span());
            let loaded = generator
                .load_docs_relative(&base, &[docs.value()])
                .map_err(|error| syn::Error::new(docs.span(), report(&error)))?;
            let tracked = tracked_paths(&base, &loaded.inputs, docs)?;
            (loaded, docs, tracked)
        }
        _ => {
            return Err(syn::Error::new(
                args.span,
                "write exactly one of `ir = \"…\"` and `docs = \"…\"`",
            ))
        }
    };
    let expanded = match output {
        Output::Bindings => generator.expand(&ir, literal.span()),
        Output::ExampleCalls => {
            let bindings = args.bindings.as_ref().map_or_else(
                || Ok(quote!(::graph_api)),
                |path| path.parse::<syn::Path>().map(|path| quote!(#path)),
            )?;
            generator.example_calls(&ir, &bindings)
        }
    };
    Ok(quote! {
        #(const _: &[u8] = ::core::include_bytes!(#tracked);)*
        #expanded
    })
}

/// The files read, as `include_bytes!` paths: absolute, since `include_bytes!` would take a
/// relative path from the invoking file's folder, which `base` (relative to rustc's working
/// folder) already is. Paths stay `Path`s up to the literal: graph-gen refuses pages whose names
/// are not UTF-8 (an error of `check` too), so only a crate folder that is not UTF-8 is left,
/// and it is an error here rather than a lossy path `include_bytes!` cannot read.
fn tracked_paths(base: &Path, inputs: &[String], docs: &LitStr) -> syn::Result<Vec<String>> {
    inputs
        .iter()
        .map(|input| {
            let path = base.join(input);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            path.to_str().map(str::to_owned).ok_or_else(|| {
                syn::Error::new(
                    docs.span(),
                    format!(
                        "cannot track `{}` for rebuilds: its path is not valid UTF-8; move the crate to a folder whose path is",
                        path.display()
                    ),
                )
            })
        })
        .collect()
}

/// `$OUT_DIR/x.json` → the file in `OUT_DIR`; relative paths start at `CARGO_MANIFEST_DIR`.
fn ir_path(literal: &LitStr) -> syn::Result<PathBuf> {
    let value = literal.value();
    for variable in ["OUT_DIR", "CARGO_MANIFEST_DIR"] {
        if let Some(rest) = value.strip_prefix(&format!("${variable}")) {
            let folder = std::env::var(variable).map_err(|_| {
                syn::Error::new(
                    literal.span(),
                    format!("`${variable}` is not set; is there a build.rs?"),
                )
            })?;
            return Ok(Path::new(&folder).join(rest.trim_start_matches(['/', '\\'])));
        }
    }
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    Ok(Path::new(&manifest).join(value))
}

/// The folder of the file holding the invocation, like `include_str!`; the crate folder when
/// the compiler does not say.
fn invoking_folder(span: Span) -> PathBuf {
    let file = span.unwrap().local_file();
    file.and_then(|file| file.parent().map(Path::to_path_buf))
        .filter(|folder| folder.is_absolute() || folder.exists())
        .unwrap_or_else(|| PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()))
}

/// An error and its causes on one line each.
fn report(error: &graph_gen::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
