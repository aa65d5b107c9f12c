//! The pipeline, stage by stage: read the pages (their includes with them), lower each page,
//! merge what several pages declare, infer models and responses, settle type names, validate,
//! and plan the names of the generated API.
//!
//! Reading is the only stage that touches files; it runs over a folder on disk or over files
//! held in memory, the same way. Every stage reports into one [`Ctxt`].

use std::collections::BTreeSet;
use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::Ctxt;
use crate::infer::{self, Sample};
use crate::ir::{ApiVersion, Ir};
use crate::lower::{self, ApiPage, LoweredOperation, LoweredPage};
use crate::merge;
use crate::parse::{DocsRoot, Page};
use crate::{Error, Progress, Result};

/// Reads every page under `paths` (pages or folders, relative to `base` when given) into one
/// IR, calling `progress` after each page. Files are shown the way `paths` are written.
pub(crate) fn from_disk(
    base: Option<&Path>,
    paths: &[impl AsRef<Path>],
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Ir> {
    let cx = Ctxt::new();
    let tree = match Tree::walk(base, paths) {
        Ok(tree) => tree,
        Err(error) => {
            // The unreadable path is the error; nothing was read.
            drop(cx.into_diagnostics());
            return Err(error);
        }
    };
    let pages = tree.read_and_lower(&cx, progress);
    let inputs = tree.inputs();
    Ok(pipeline(pages, inputs, cx))
}

/// Reads files held in memory, each `(file, text)` as if at `file` in a docs root
/// (`beta/api/user-get.md`; its `beta` folder gives the version): the pages are every file not
/// in an `includes` folder, and includes are found among the files.
pub(crate) fn from_memory<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Ir {
    let cx = Ctxt::new();
    let root = DocsRoot::in_memory(files);
    let pages = root
        .memory_pages()
        .iter()
        .filter_map(|path| read_and_lower(&root, path, &cx))
        .collect();
    pipeline(pages, Vec::new(), cx)
}

/// Read → lower one page.
fn read_and_lower(root: &DocsRoot, path: &Path, cx: &Ctxt) -> Option<LoweredPage> {
    let page = Page::read(root, path, &lower::reads_include, cx)?;
    Some(lower::page(&page, root.version_of(&page.path), cx))
}

/// The stages after reading, in order.
fn pipeline(pages: Vec<LoweredPage>, inputs: Vec<String>, cx: Ctxt) -> Ir {
    let gathered = Gathered::new(pages);
    let models = merge::models(gathered.models, &cx);
    let enums = merge::enums(gathered.enums, &cx);
    let mut models = infer::models(
        models,
        &samples(&gathered.operations, &gathered.orphans),
        &enums,
        &cx,
    );
    merge::cap_inferred(&mut models, &cx);
    let mut operations = infer::responses(
        gathered.operations,
        &models,
        &enums,
        &gathered.page_types,
        &cx,
    );
    operations.sort_by(|a, b| (a.version, &a.source).cmp(&(b.version, &b.source)));
    let mut ir = Ir {
        operations,
        models,
        enums,
        diagnostics: Vec::new(),
        inputs,
        pages: gathered.pages,
    };
    crate::naming::canonical_type_names(&mut ir, &gathered.page_types);
    ir.models
        .sort_by(|a, b| (a.version, &a.name).cmp(&(b.version, &b.name)));
    crate::validate::check(&ir, &cx);
    // Naming: what the generated API calls each request, and the conflicts that names settle.
    crate::plan::Plan::new(&ir, &cx);
    ir.diagnostics = cx.into_diagnostics();
    ir
}

/// The pages' yield, gathered by kind.
struct Gathered {
    operations: Vec<LoweredOperation>,
    /// Example bodies of API pages without a template, with their page and version.
    orphans: Vec<Orphan>,
    models: Vec<crate::ir::Model>,
    enums: Vec<crate::ir::EnumType>,
    pages: Vec<crate::ir::PageInfo>,
    /// The type each resource page declares, by version and lower-case file stem.
    page_types: HashMap<(ApiVersion, String), String>,
}

/// An example body whose page yields no operation.
struct Orphan {
    file: String,
    version: ApiVersion,
    response: crate::ir::ExampleResponse,
    body: lower::BodyText,
}

impl Gathered {
    fn new(pages: Vec<LoweredPage>) -> Gathered {
        let mut gathered = Gathered {
            operations: Vec::new(),
            orphans: Vec::new(),
            models: Vec::new(),
            enums: Vec::new(),
            pages: Vec::with_capacity(pages.len()),
            page_types: HashMap::default(),
        };
        for page in pages {
            match page.api {
                Some(ApiPage::Operation(operation)) => gathered.operations.push(*operation),
                Some(ApiPage::Samples { version, samples }) => {
                    gathered
                        .orphans
                        .extend(samples.into_iter().map(|(response, body)| Orphan {
                            file: page.info.file.clone(),
                            version,
                            response,
                            body,
                        }));
                }
                None => {}
            }
            if let Some(model) = page.model {
                let stem = Path::new(&page.info.file)
                    .file_stem()
                    .and_then(|stem| stem.to_str())
                    .map(str::to_ascii_lowercase);
                if let Some(stem) = stem {
                    gathered
                        .page_types
                        .insert((model.version, stem), model.name.clone());
                }
                gathered.models.push(model);
            }
            gathered.enums.extend(page.enums);
            gathered.pages.push(page.info);
        }
        gathered
    }
}

/// Every example body that can teach a type, read in place: the operations' and the orphans'.
fn samples<'a>(operations: &'a [LoweredOperation], orphans: &'a [Orphan]) -> Vec<Sample<'a>> {
    let of_operations = operations.iter().flat_map(|lowered| {
        let operation = &lowered.operation;
        operation
            .examples
            .iter()
            .zip(&lowered.bodies)
            .filter_map(move |(example, body)| {
                Some((
                    operation.source.file.as_str(),
                    operation.version,
                    example.response.as_ref()?,
                    body.as_ref()?,
                ))
            })
    });
    let of_orphans = orphans.iter().map(|orphan| {
        (
            orphan.file.as_str(),
            orphan.version,
            &orphan.response,
            &orphan.body,
        )
    });
    of_operations
        .chain(of_orphans)
        .filter_map(|(file, version, response, body)| {
            Some(Sample {
                value: response.body.as_ref()?,
                raw: &body.raw,
                first_line: body.first_line,
                file,
                version,
                odata_type: response.odata_type.as_deref(),
                collection: response.collection,
                truncated: response.truncated,
            })
        })
        .collect()
}

/// The docs roots named by the paths, and the pages found under them.
struct Tree {
    roots: Vec<DocsRoot>,
    /// Each page once, with the root it is under.
    pages: Vec<(usize, std::path::PathBuf)>,
}

impl Tree {
    /// Finds the pages under each path; an unreadable path is the error.
    fn walk(base: Option<&Path>, paths: &[impl AsRef<Path>]) -> Result<Tree> {
        let mut tree = Tree {
            roots: Vec::new(),
            pages: Vec::new(),
        };
        let mut seen = BTreeSet::new();
        for shown in paths {
            let shown = shown.as_ref();
            let path = base.map_or_else(|| shown.to_path_buf(), |base| base.join(shown));
            let docs_error = |source| Error::Docs {
                path: shown.to_path_buf(),
                source,
            };
            let root = DocsRoot::for_path(&path, shown).map_err(docs_error)?;
            for page in root.pages(&path).map_err(docs_error)? {
                if seen.insert(page.clone()) {
                    tree.pages.push((tree.roots.len(), page));
                }
            }
            tree.roots.push(root);
        }
        Ok(tree)
    }

    /// Read → lower each page, in order, calling `progress` after each.
    fn read_and_lower(
        &self,
        cx: &Ctxt,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Vec<LoweredPage> {
        let total = self.pages.len();
        let mut lowered = Vec::with_capacity(total);
        for (done, (root, path)) in self.pages.iter().enumerate() {
            lowered.extend(read_and_lower(&self.roots[*root], path, cx));
            progress(Progress {
                page: path,
                done: done + 1,
                total,
            });
        }
        lowered
    }

    /// Every file read (pages and includes), shown like pages, sorted.
    fn inputs(&self) -> Vec<String> {
        let shown: BTreeSet<String> = self
            .roots
            .iter()
            .flat_map(|root| root.inputs().into_iter().map(|input| root.display(&input)))
            .collect();
        shown.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    /// A sample teaches its type whether or not its page yields an operation: its body is read
    /// in place from the operation's example, or kept with the page's other bodies when there
    /// is no operation (a page with no HTTP template).
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
            let ir = super::from_memory([("v1.0/api/widget-get.md", text.as_str())]);
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
            assert_eq!(widget.origin, crate::ir::Origin::Sample);
        }
    }

    /// Includes held in memory are read with their page, so in-memory loads (tests, fuzzing)
    /// see permissions includes as a folder on disk does.
    #[test]
    fn includes_held_in_memory_are_read() {
        let page = "---\ndoc_type: apiPageType\n---\n# user: get\n\n## Permissions\n\n\
                    [!INCLUDE [permissions-table](../includes/permissions/user-get-permissions.md)]\n\n\
                    ## HTTP request\n\n```http\nGET /users/{id}\n```\n";
        let include =
            "|Permission type|Least privileged permissions|Higher privileged permissions|\n\
                       |:---|:---|:---|\n\
                       |Delegated (work or school account)|User.Read|User.ReadWrite.All|\n\
                       |Delegated (personal Microsoft account)|User.Read|Not available.|\n\
                       |Application|User.Read.All|Not available.|\n";
        let ir = super::from_memory([
            ("v1.0/api/user-get.md", page),
            ("v1.0/includes/permissions/user-get-permissions.md", include),
        ]);
        assert_eq!(ir.operations.len(), 1, "{:#?}", ir.diagnostics);
        let permissions = ir.operations[0].permissions.as_ref().expect("read");
        assert_eq!(
            permissions.delegated_work.as_ref().unwrap().least,
            ["User.Read"]
        );
        assert_eq!(
            permissions.source.file,
            "v1.0/includes/permissions/user-get-permissions.md"
        );
    }
}
