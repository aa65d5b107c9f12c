//! Coverage figures of a docs tree: how much of it became operations, permissions and checked
//! examples (`graph-gen check --report`).

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::ir::{Ir, PageKind};

/// What share of a docs tree graph-gen understood.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Pages read.
    pub pages: usize,
    /// API pages (`apiPageType`).
    pub api_pages: usize,
    /// API pages that yield operations with no error on the page.
    pub api_pages_understood: usize,
    /// Operations.
    pub operations: usize,
    /// HTTP templates.
    pub templates: usize,
    /// Operations whose permissions were read.
    pub operations_with_permissions: usize,
    /// Resource pages.
    pub resource_pages: usize,
    /// Models (declared and inferred).
    pub models: usize,
    /// Example requests to Microsoft Graph (not to a bot's callback or an upload host).
    pub example_requests: usize,
    /// Example requests that match one of their page's templates by method and path.
    pub example_requests_matching: usize,
    /// Example responses whose body is JSON.
    pub example_json_bodies: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
}

impl Report {
    /// Counts the figures of `ir`.
    pub fn new(ir: &Ir) -> Report {
        let kind_count = |kind: PageKind| ir.pages.iter().filter(|page| page.kind == kind).count();
        let files_with_errors: HashSet<&str> = ir
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.as_str())
            .collect();
        let mut operations_by_page: HashMap<&str, usize> = HashMap::new();
        for operation in &ir.operations {
            *operations_by_page
                .entry(operation.source.file.as_str())
                .or_default() += 1;
        }
        let api_pages_understood = ir
            .pages
            .iter()
            .filter(|page| page.kind == PageKind::Api)
            .filter(|page| operations_by_page.contains_key(page.file.as_str()))
            .filter(|page| !files_with_errors.contains(page.file.as_str()))
            .count();
        let mut report = Report {
            pages: ir.pages.len(),
            api_pages: kind_count(PageKind::Api),
            api_pages_understood,
            operations: ir.operations.len(),
            templates: ir.operations.iter().map(|op| op.http.len()).sum(),
            operations_with_permissions: ir
                .operations
                .iter()
                .filter(|op| op.permissions.is_some())
                .count(),
            resource_pages: kind_count(PageKind::Resource),
            models: ir.models.len(),
            errors: ir.diagnostics.iter().filter(|d| d.is_error()).count(),
            ..Report::default()
        };
        report.warnings = ir.diagnostics.len() - report.errors;
        for operation in &ir.operations {
            for example in &operation.examples {
                if let Some(request) = example
                    .request
                    .as_ref()
                    .filter(|r| crate::route::is_graph_url(&r.url))
                {
                    report.example_requests += 1;
                    if crate::route::example_matches(&operation.http, &request.method, &request.url)
                    {
                        report.example_requests_matching += 1;
                    }
                }
                if example.response.as_ref().is_some_and(|r| r.body.is_some()) {
                    report.example_json_bodies += 1;
                }
            }
        }
        report
    }
}

/// `part / whole` as a percentage with one decimal, `-` for an empty whole.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    #[allow(
        clippy::cast_precision_loss,
        reason = "counts of pages are far below 2^52"
    )]
    let share = part as f64 * 100.0 / whole as f64;
    format!("{share:.1}%")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "pages                   {}", self.pages)?;
        writeln!(
            f,
            "API pages understood    {} of {} ({})",
            self.api_pages_understood,
            self.api_pages,
            percent(self.api_pages_understood, self.api_pages)
        )?;
        writeln!(
            f,
            "operations              {} ({} HTTP templates)",
            self.operations, self.templates
        )?;
        writeln!(
            f,
            "permissions read        {} of {} operations ({})",
            self.operations_with_permissions,
            self.operations,
            percent(self.operations_with_permissions, self.operations)
        )?;
        writeln!(
            f,
            "models                  {} ({} resource pages)",
            self.models, self.resource_pages
        )?;
        writeln!(
            f,
            "example requests        {} of {} match a template ({})",
            self.example_requests_matching,
            self.example_requests,
            percent(self.example_requests_matching, self.example_requests)
        )?;
        writeln!(f, "example JSON bodies     {}", self.example_json_bodies)?;
        write!(
            f,
            "diagnostics             {} errors, {} warnings",
            self.errors, self.warnings
        )
    }
}
