//! graph-gen turns Microsoft Graph markdown reference pages into typed Rust bindings.
//!
//! The pipeline is the module tree: [`parse`] reads markdown into a page model, [`lower`]
//! turns page models into the serde [`ir::Ir`], [`infer`] learns models from JSON samples,
//! [`validate`] checks the whole IR, and [`codegen`] emits tokens. Every stage reports into one
//! [`diagnostics::Ctxt`], so a user sees every problem of every page in one pass.
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

#![deny(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod codegen;
pub mod diagnostics;
pub mod infer;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod parse;
pub mod validate;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use diagnostics::{Ctxt, Diagnostic, Severity};
pub use ir::Ir;

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
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Generation settings: set what you need, keep the defaults for the rest.
#[derive(Debug, Clone)]
pub struct GenerationSettings {
    pub(crate) runtime_crate: String,
    pub(crate) lenient: bool,
}

impl Default for GenerationSettings {
    fn default() -> Self {
        GenerationSettings {
            runtime_crate: "graph_api".to_owned(),
            lenient: false,
        }
    }
}

impl GenerationSettings {
    /// The path generated code uses for the runtime crate (default `graph_api`).
    pub fn with_runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.runtime_crate = name.into();
        self
    }

    /// Generate code for the pages without errors even when other pages have errors.
    pub fn with_lenient(&mut self, lenient: bool) -> &mut Self {
        self.lenient = lenient;
        self
    }
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
        lower::load(None, paths)
    }

    /// Like [`Generator::load_docs`], with `paths` relative to `base` (a crate's folder, or
    /// the folder of the file invoking a macro) and shown in diagnostics as written.
    pub fn load_docs_relative(&self, base: &Path, paths: &[impl AsRef<Path>]) -> Result<Ir> {
        lower::load(Some(base), paths)
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

    /// The bindings for `ir` as tokens: what the macros emit.
    pub fn generate_tokens(&self, ir: &Ir) -> TokenStream {
        codegen::generate(ir, &self.settings)
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
}
