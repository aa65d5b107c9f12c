//! Page models → IR: API pages become operations, resource pages become models.
//!
//! Each page is lowered on its own and reports into the shared [`Ctxt`]; then sample
//! inference merges example JSON into the declared models and [`crate::validate`] checks
//! what no single page can.

mod enums;
mod examples;
mod http;
mod model;
mod operation;
mod permissions;
mod response;
mod scopes;
mod sections;
mod types;

pub(crate) use operation::add_collection_query_options;
pub(crate) use response::{ResponseProse, TypeLink};
pub(crate) use types::primitive as primitive_type;

use std::collections::BTreeSet;
use std::path::Path;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostics::Ctxt;
use crate::infer::{self, Sample};
use crate::ir::{ApiVersion, EnumType, Ir, Model, Operation, PageInfo, PageKind};
use crate::parse::{DocsRoot, Page};
use crate::{Error, Result};

/// Reads every page under `paths` (pages or folders, relative to `base` when given) into one
/// IR. Files are shown in diagnostics and the IR the way `paths` are written.
pub fn load(base: Option<&Path>, paths: &[impl AsRef<Path>]) -> Result<Ir> {
    load_with_progress(base, paths, &mut |_| {})
}

/// Like [`load`], calling `progress` after each page (the CLI's progress bar).
pub fn load_with_progress(
    base: Option<&Path>,
    paths: &[impl AsRef<Path>],
    progress: &mut dyn FnMut(crate::Progress<'_>),
) -> Result<Ir> {
    let cx = Ctxt::new();
    let mut lowered = Lowered::default();
    match lowered.paths(base, paths, &cx, progress) {
        Ok(inputs) => Ok(lowered.finish(inputs, cx)),
        Err(error) => {
            // The unreadable path is the error; what the pages said before it is moot.
            drop(cx.into_diagnostics());
            Err(error)
        }
    }
}

/// Lowers one page held in memory, as if it were at `file` in a docs root (`beta/api/x.md`,
/// whose `beta` folder gives the version): for fuzzing and tests. Nothing is read from disk, so
/// includes are reported as not found; no size limit applies, since the caller holds the text.
pub fn load_text(file: &str, text: &str) -> Ir {
    load_texts([(file, text)])
}

/// Lowers pages held in memory into one IR, each `(file, text)` as if at `file` in a docs
/// root, the way [`load`] lowers a folder: for benchmarks and tools holding many pages. As for
/// [`load_text`], nothing is read from disk and includes are reported as not found.
pub fn load_texts<'a>(pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Ir {
    let cx = Ctxt::new();
    let root = DocsRoot::in_memory();
    let mut lowered = Lowered::default();
    for (file, text) in pages {
        let path = Path::new(file);
        let page = Page::from_text(root.display(path), path.to_path_buf(), text, &cx);
        lowered.lower_page(&root, &page, &cx);
    }
    lowered.finish(Vec::new(), cx)
}

/// Operations, declared models and samples gathered page by page.
#[derive(Default)]
struct Lowered {
    operations: Vec<Operation>,
    /// What each operation's `Response` section says, by index in `operations`.
    prose: Vec<ResponseProse>,
    models: Vec<Model>,
    samples: Vec<OwnedSample>,
    /// Enumerations from enum pages and `X values` sections.
    enums: Vec<EnumType>,
    /// Every page read.
    pages: Vec<PageInfo>,
    /// The type each resource page declares, by version and lower-case file stem.
    page_types: HashMap<(ApiVersion, String), String>,
}

/// An example body kept for inference after its page is gone.
struct OwnedSample {
    body: SampleBody,
    raw: String,
    first_line: u32,
    file: String,
    version: ApiVersion,
    odata_type: Option<String>,
    collection: bool,
    truncated: bool,
}

/// Where a sample's JSON is: read in place from its operation's example, not copied.
enum SampleBody {
    /// `examples[example]`'s response body of `operations[operation]` in [`Lowered`].
    Example { operation: usize, example: usize },
    /// The body of an example whose page yields no operation (it has no HTTP template).
    Owned(serde_json::Value),
}

impl Lowered {
    /// Lowers every page under `paths`; returns the files read, as shown.
    fn paths(
        &mut self,
        base: Option<&Path>,
        paths: &[impl AsRef<Path>],
        cx: &Ctxt,
        progress: &mut dyn FnMut(crate::Progress<'_>),
    ) -> Result<Vec<String>> {
        let mut pages_read = BTreeSet::new();
        let mut pages_found = 0;
        let mut inputs = BTreeSet::new();
        for shown in paths {
            let shown = shown.as_ref();
            let path = base.map_or_else(|| shown.to_path_buf(), |base| base.join(shown));
            let docs_error = |source| Error::Docs {
                path: shown.to_path_buf(),
                source,
            };
            let root = DocsRoot::for_path(&path, shown).map_err(docs_error)?;
            let pages = root.pages(&path).map_err(docs_error)?;
            pages_found += pages.len();
            for page_path in pages {
                if pages_read.insert(page_path.clone()) {
                    self.page(&root, &page_path, cx);
                }
                let (done, total) = (pages_read.len(), pages_found.max(pages_read.len()));
                progress(crate::Progress {
                    page: &page_path,
                    done,
                    total,
                });
            }
            inputs.extend(root.inputs().iter().map(|input| root.display(input)));
        }
        Ok(inputs.into_iter().collect())
    }

    fn page(&mut self, root: &DocsRoot, path: &Path, cx: &Ctxt) {
        if let Some(page) = Page::read(root, path, cx) {
            self.lower_page(root, &page, cx);
        }
    }

    fn lower_page(&mut self, root: &DocsRoot, page: &Page, cx: &Ctxt) {
        let version = root.version_of(&page.path);
        let kind = page_kind(page);
        self.pages.push(PageInfo {
            file: page.file.clone(),
            kind,
        });
        match kind {
            PageKind::Api => {
                let lowered = operation::lower(page, root, version, cx);
                let first = self.operations.len();
                self.samples
                    .extend(lowered.samples.into_iter().map(|mut sample| {
                        if let SampleBody::Example { operation, .. } = &mut sample.body {
                            *operation += first;
                        }
                        sample
                    }));
                self.operations.extend(lowered.operations);
                self.prose.extend(lowered.prose);
            }
            PageKind::Resource => {
                if let Some(model) = model::lower(page, version, cx) {
                    if let Some(stem) = page.path.file_stem().and_then(|stem| stem.to_str()) {
                        let key = (model.version, stem.to_ascii_lowercase());
                        self.page_types.insert(key, model.name.clone());
                    }
                    self.models.push(model);
                }
            }
            PageKind::Enum | PageKind::Other => {}
        }
        if matches!(kind, PageKind::Resource | PageKind::Enum) {
            let version = version.unwrap_or(ApiVersion::V1);
            self.enums.extend(enums::lower(page, version, cx));
        }
    }

    fn finish(self, inputs: Vec<String>, cx: Ctxt) -> Ir {
        let operations = &self.operations;
        let samples: Vec<Sample<'_>> = self
            .samples
            .iter()
            .filter_map(|sample| {
                let value = match &sample.body {
                    SampleBody::Example { operation, example } => operations
                        .get(*operation)?
                        .examples
                        .get(*example)?
                        .response
                        .as_ref()?
                        .body
                        .as_ref()?,
                    SampleBody::Owned(value) => value,
                };
                Some((sample, value))
            })
            .map(|(sample, value)| Sample {
                value,
                raw: &sample.raw,
                first_line: sample.first_line,
                file: &sample.file,
                version: sample.version,
                odata_type: sample.odata_type.as_deref(),
                collection: sample.collection,
                truncated: sample.truncated,
            })
            .collect();
        let declared = crate::merge::models(self.models, &cx);
        let enums = crate::merge::enums(self.enums, &cx);
        let enum_names: HashSet<(ApiVersion, String)> = enums
            .iter()
            .map(|declared| (declared.version, declared.name.to_ascii_lowercase()))
            .collect();
        let mut models = infer::unify(declared, &samples, &cx);
        // A sample cannot make a model of a type the docs declare as an enum.
        models.retain(|model| {
            model.origin == crate::ir::Origin::Declared
                || !enum_names.contains(&(model.version, model.name.to_ascii_lowercase()))
        });
        let mut operations = self.operations;
        let known = infer::response::Known::new(&models, &enums, &self.page_types);
        for (operation, prose) in operations.iter_mut().zip(&self.prose) {
            infer::response::resolve(operation, prose, &known, &cx);
        }
        drop(known);
        infer::response::from_paths(&mut operations, &cx);
        let mut ir = Ir {
            operations,
            models,
            diagnostics: Vec::new(),
            inputs,
            pages: self.pages,
            enums,
        };
        canonical_type_names(&mut ir, &self.page_types);
        ir.operations
            .sort_by(|a, b| (a.version, &a.source).cmp(&(b.version, &b.source)));
        ir.models
            .sort_by(|a, b| (a.version, &a.name).cmp(&(b.version, &b.name)));
        crate::validate::check(&ir, &cx);
        ir.diagnostics = cx.into_diagnostics();
        ir
    }
}

/// Response and body types written in lower case by links (`../resources/user.md`) take the
/// spelling of the model they name.
fn canonical_type_names(ir: &mut Ir, by_page: &HashMap<(ApiVersion, String), String>) {
    let spelled: HashMap<(ApiVersion, String), String> = ir
        .models
        .iter()
        .map(|model| (model.version, &model.name))
        .chain(
            ir.enums
                .iter()
                .map(|declared| (declared.version, &declared.name)),
        )
        .map(|(version, name)| ((version, name.to_ascii_lowercase()), name.clone()))
        .collect();
    // Links name a page (`[Table](../resources/table.md)`), and a page's type may be named
    // otherwise (`microsoft.graph.workbookTable`): resolve by page when the name is unknown.
    let respell = |version: ApiVersion, name: &mut String| {
        let lower = name.to_ascii_lowercase();
        let page = lower.rsplit('.').next().unwrap_or(&lower).to_owned();
        if let Some(canonical) = spelled
            .get(&(version, lower))
            .or_else(|| by_page.get(&(version, page)))
        {
            name.clone_from(canonical);
        }
    };
    for operation in &mut ir.operations {
        let version = operation.version;
        if let Some(name) = operation
            .response
            .as_mut()
            .and_then(|r| r.type_name.as_mut())
        {
            respell(version, name);
        }
        if let crate::ir::RequestBody::Json {
            type_name: Some(name),
        } = &mut operation.request_body
        {
            respell(version, name);
        }
    }
    for model in &mut ir.models {
        let version = model.version;
        for property in &mut model.properties {
            respell(version, &mut property.type_name);
        }
    }
}

fn page_kind(page: &Page) -> PageKind {
    let doc_type = page
        .front_matter("doc_type")
        .unwrap_or("")
        .trim()
        .trim_end_matches('_')
        .to_ascii_lowercase();
    match doc_type.as_str() {
        // Some resource pages say `apiPageType`; they have properties and no request.
        "apipagetype"
            if page.section(sections::HTTP_REQUEST).is_none()
                && page.section(sections::PROPERTIES).is_some() =>
        {
            PageKind::Resource
        }
        "apipagetype" => PageKind::Api,
        // Enum types documented as resource pages (`calendarcolor.md`).
        "resourcepagetype"
            if page
                .title()
                .is_some_and(|t| t.text.to_ascii_lowercase().contains(" enum")) =>
        {
            PageKind::Enum
        }
        "resourcepagetype" => PageKind::Resource,
        "enumpagetype" => PageKind::Enum,
        "" if page.section(sections::HTTP_REQUEST).is_some() => PageKind::Api,
        "" if page.section(sections::PROPERTIES).is_some() => PageKind::Resource,
        _ => PageKind::Other,
    }
}

#[cfg(test)]
mod tests {
    /// A sample teaches its type whether or not its page yields an operation: its body is read
    /// in place from the operation's example, or kept by the sample when the operation is dropped
    /// (a page with no HTTP template).
    #[test]
    fn samples_teach_with_and_without_an_operation() {
        let page = |http: &str| {
            format!(
                "# widget: get\n\n## HTTP request\n\n{http}\n## Example\n\n\
                 <!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" }} -->\n\
                 ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"size\": 3}}\n```\n"
            )
        };
        for http in ["```http\nGET /widgets/{id}\n```\n", ""] {
            let text = page(http);
            let ir = super::load_texts([("v1.0/api/widget-get.md", text.as_str())]);
            assert_eq!(
                ir.operations.len(),
                usize::from(!http.is_empty()),
                "{http:?}"
            );
            let names: Vec<_> = ir.models.iter().map(|model| &model.name).collect();
            let widget = ir
                .models
                .iter()
                .find(|model| model.name.ends_with("widget"))
                .unwrap_or_else(|| panic!("no widget model in {names:?} ({http:?})"));
            assert!(
                widget.properties.iter().any(|p| p.name == "size"),
                "{http:?}: {widget:?}"
            );
        }
    }
}
