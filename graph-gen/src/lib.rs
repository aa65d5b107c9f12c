//! graph-gen turns Microsoft Graph markdown reference pages into typed Rust bindings.
//!
//! The pipeline is the module tree, driven stage by stage by `load`: `parse` reads each page
//! (with the includes it uses) into a page model, `lower` turns each page model into IR nodes,
//! `merge` joins what several pages declare, `infer` learns models from example JSON and
//! settles responses, `naming` spells type names, `validate` checks the whole [`ir::Ir`], and
//! `codegen` emits tokens. Every stage reports into one collector, so a user sees every
//! problem of every page in one pass.
//!
//! ```no_run
//! let generator = graph_gen::Generator::new(graph_gen::GenerationSettings::default());
//! let ir = generator.load_docs(&["api-docs"]).expect("docs folder is readable");
//! for diagnostic in &ir.diagnostics {
//!     eprintln!("{diagnostic}");
//! }
//! let rust = generator.generate_text(&ir).expect("generated code parses");
//! # let _ = rust;
//! ```
//!
//! # Errors
//! Problems in pages are never `Err`: they are [`Diagnostic`]s in [`ir::Ir::diagnostics`].
//! [`Error`] is for the docs root itself being unreadable and for generator bugs.
//!
//! # Around generation
//! [`diff`] compares the API surface of two IRs, classing each change by semver;
//! [`Generator::write_bindings`] and [`Generator::check_up_to_date`] serve build scripts and
//! checked-in bindings; `mock` serves a docs tree's examples as a local Microsoft Graph.
//!
//! # Features
//! - `cli` (default): the `graph-gen` tool, with rustc-style diagnostics and a progress bar;
//!   enables `mock`.
//! - `mock`: `graph_gen::mock`, the mock Graph server (axum on a thread of its own), for tests
//!   and examples.

#![deny(missing_docs)]

#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
mod codegen;
mod diagnostics;
pub mod diff;
mod infer;
pub mod ir;
mod load;
mod lower;
mod merge;
#[cfg(feature = "mock")]
pub mod mock;
#[doc(hidden)]
pub mod naming;
mod parse;
mod plan;
#[cfg(feature = "cli")]
mod render;
mod report;
mod route;
#[cfg(feature = "cli")]
mod scopes;
mod validate;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use codegen::CargoFeatures;
pub use diagnostics::{warning_summary, Diagnostic, Severity};
pub use ir::Ir;
pub use report::Report;

/// Internals for graph-gen's own fuzz targets, benchmarks and tests; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::codegen::version_module_name;
    pub use crate::diagnostics::Ctxt;
    pub use crate::infer::{conform_sample, is_placeholder, unify, Sample};
    pub use crate::parse::{parse_lenient, Page};
    pub use crate::plan::operation_module;
    pub use crate::route::{example_matches, example_segments, request_segments, PathPattern};
}

/// What can go wrong outside of the pages themselves.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A docs path given to the generator could not be read.
    #[error("cannot read docs at `{path}`")]
    Docs {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An IR file could not be read or decoded.
    #[error("cannot read IR from `{path}`")]
    Ir {
        /// The IR file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The generated tokens are not valid Rust: a generator bug.
    #[error("generated code does not parse (a graph-gen bug): {0}")]
    Generated(#[from] syn::Error),
    /// A `Cargo.toml` whose `[features]` gate the bindings could not be read.
    #[error("cannot read the features of `{path}`")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Generated bindings could not be written or read back.
    #[error("cannot access bindings file `{path}`")]
    Bindings {
        /// The bindings file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A bindings file differs from what the docs generate now.
    #[error(
        "`{path}` is out of date with the docs (first difference at line {line}); regenerate it"
    )]
    Stale {
        /// The bindings file.
        path: PathBuf,
        /// The first line that differs (1-based).
        line: usize,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Generation settings: set what you need, keep the defaults for the rest.
#[derive(Debug, Clone)]
pub struct GenerationSettings {
    pub(crate) runtime_crate: String,
    pub(crate) lenient: bool,
    pub(crate) cargo_features: Option<codegen::CargoFeatures>,
}

impl Default for GenerationSettings {
    fn default() -> Self {
        GenerationSettings {
            runtime_crate: "graph_api".to_owned(),
            lenient: false,
            cargo_features: None,
        }
    }
}

impl GenerationSettings {
    /// The path generated code uses for the runtime crate (default `graph_api`).
    pub fn with_runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.runtime_crate = name.into();
        self
    }

    /// Generate code even when pages have errors: [`Generator::expand`] then emits no
    /// `compile_error!`s, and [`Generator::refuses`] is `false`.
    pub fn with_lenient(&mut self, lenient: bool) -> &mut Self {
        self.lenient = lenient;
        self
    }

    /// Gate versions and resources behind the features these declare (see [`codegen::CargoFeatures`]).
    pub fn with_cargo_features(&mut self, features: codegen::CargoFeatures) -> &mut Self {
        self.cargo_features = Some(features);
        self
    }
}

/// How far loading has got: passed to [`Generator::load_docs_with_progress`]'s callback after
/// each page.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The page just read.
    pub page: &'a Path,
    /// Pages read so far.
    pub done: usize,
    /// Pages found so far (it grows when several paths are given).
    pub total: usize,
}

/// The generator: load docs into an [`Ir`], then turn the IR into tokens or text.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    settings: GenerationSettings,
}

impl Generator {
    /// A generator with these settings.
    pub fn new(settings: GenerationSettings) -> Self {
        Generator { settings }
    }

    /// The settings in use.
    pub fn settings(&self) -> &GenerationSettings {
        &self.settings
    }

    /// Reads every page under each path (a file or a folder, recursively) into one IR.
    ///
    /// Problems in pages become diagnostics in the IR; only an unreadable path is an `Err`.
    pub fn load_docs(&self, paths: &[impl AsRef<Path>]) -> Result<Ir> {
        load::from_disk(None, paths, &mut |_| {})
    }

    /// Like [`Generator::load_docs`], with `paths` relative to `base` (a crate's folder, or
    /// the folder of the file invoking a macro) and shown in diagnostics as written.
    pub fn load_docs_relative(&self, base: &Path, paths: &[impl AsRef<Path>]) -> Result<Ir> {
        load::from_disk(Some(base), paths, &mut |_| {})
    }

    /// Reads one page held in memory into an IR, as if it were at `file` in a docs root
    /// (`beta/api/user-get.md`; its `beta` or `v1.0` folder gives the version).
    ///
    /// Nothing is read from disk: includes are reported as not found. For fuzzers, tests and
    /// tools that hold page text; [`Generator::load_docs`] is the way to read a docs folder.
    pub fn load_page_text(&self, file: &str, text: &str) -> Ir {
        load::from_memory([(file, text)])
    }

    /// Reads pages held in memory into one IR, each `(file, text)` as if at `file` in a docs
    /// root, like [`Generator::load_page_text`] for many pages (benchmarks, tools).
    pub fn load_page_texts<'a>(&self, pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Ir {
        load::from_memory(pages)
    }

    /// Like [`Generator::load_docs`], calling `progress` after each page.
    pub fn load_docs_with_progress(
        &self,
        paths: &[impl AsRef<Path>],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Ir> {
        load::from_disk(None, paths, progress)
    }

    /// A hidden `__example_oracle` module that decodes example bodies through the types the
    /// bindings of `ir` return (see the corpus test): place it beside those bindings.
    pub fn example_oracle(&self, ir: &Ir) -> TokenStream {
        codegen::example_oracle(ir, &self.settings)
    }

    /// A hidden `__example_calls` module calling every operation of `ir` through its flat
    /// function in the bindings at `bindings` (`::graph_api`), with its example's ids and body:
    /// for a tour of the docs against the mock and for tests.
    pub fn example_calls(&self, ir: &Ir, bindings: &TokenStream) -> TokenStream {
        codegen::example_calls(ir, &self.settings, bindings)
    }

    /// Reads an IR previously written as JSON (by build.rs or `graph-gen ir`).
    pub fn read_ir(&self, path: &Path) -> Result<Ir> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Ir {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
        serde_json::from_str(&text).map_err(|source| Error::Ir {
            path: path.to_owned(),
            source: Box::new(source),
        })
    }

    /// The bindings for `ir` as tokens.
    pub fn generate_tokens(&self, ir: &Ir) -> TokenStream {
        codegen::generate(ir, &self.settings)
    }

    /// Whether these settings refuse to generate for `ir`: it has error diagnostics and the
    /// settings are not lenient.
    pub fn refuses(&self, ir: &Ir) -> bool {
        ir.has_errors() && !self.settings.lenient
    }

    /// What a macro emits for `ir`: a `compile_error!` at `span` naming `file:line` for each
    /// error diagnostic (unless lenient), then the bindings, so one build shows every error.
    pub fn expand(&self, ir: &Ir, span: proc_macro2::Span) -> TokenStream {
        let errors = ir
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error() && !self.settings.lenient)
            .map(|diagnostic| {
                let message = diagnostic.to_string();
                quote::quote_spanned!(span=> ::core::compile_error! { #message })
            });
        let bindings = self.generate_tokens(ir);
        quote::quote! {
            #(#errors)*
            #bindings
        }
    }

    /// The bindings for `ir` as formatted Rust source, starting with an `@generated` line.
    pub fn generate_text(&self, ir: &Ir) -> Result<String> {
        let file = syn::parse2::<syn::File>(self.generate_tokens(ir))?;
        Ok(format!(
            "// @generated by graph-gen {}. Do not edit: edit the docs pages and regenerate.\n\n{}",
            env!("CARGO_PKG_VERSION"),
            prettyplease::unparse(&file)
        ))
    }

    /// Writes the bindings for `ir` to `path` (for build.rs, into `OUT_DIR`), leaving the file
    /// untouched when it already holds them; returns whether it wrote.
    pub fn write_bindings(&self, ir: &Ir, path: impl AsRef<Path>) -> Result<bool> {
        let path = path.as_ref();
        let text = self.generate_text(ir)?;
        if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        std::fs::write(path, text).map_err(|source| Error::Bindings {
            path: path.to_owned(),
            source,
        })?;
        Ok(true)
    }

    /// Checks that a checked-in bindings file at `path` is what [`Generator::write_bindings`]
    /// would write for `ir` (line endings aside); [`Error::Stale`] names the first other line.
    pub fn check_up_to_date(&self, ir: &Ir, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let expected = self.generate_text(ir)?;
        let found = std::fs::read_to_string(path).map_err(|source| Error::Bindings {
            path: path.to_owned(),
            source,
        })?;
        // `lines` also drops the `\r` of a checkout with CRLF line endings.
        let (expected, found): (Vec<&str>, Vec<&str>) =
            (expected.lines().collect(), found.lines().collect());
        let differing = expected.iter().zip(&found).position(|(a, b)| a != b);
        match differing.or((expected.len() != found.len()).then(|| expected.len().min(found.len())))
        {
            None => Ok(()),
            Some(index) => Err(Error::Stale {
                path: path.to_owned(),
                line: index + 1,
            }),
        }
    }
}
