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

use crate::diagnostics::Ctxt;
use crate::ir::{ApiVersion, EnumType, Model, PageInfo, PageKind};
use crate::parse::{Include, Page};

pub(crate) use examples::BodyText;
pub(crate) use operation::{ApiPage, LoweredOperation};

/// What one page yields.
#[derive(Debug)]
pub(crate) struct LoweredPage {
    /// The page and what it was read as.
    pub(crate) info: PageInfo,
    /// An API page's operation or example bodies.
    pub(crate) api: Option<ApiPage>,
    /// A resource page's model.
    pub(crate) model: Option<Model>,
    /// The enums of a resource or enum page.
    pub(crate) enums: Vec<EnumType>,
}

/// Lowers one page read into its page model: pure, problems into `cx`. `folder_version` is
/// the API version its folder gives (`beta`, `v1.0`), if any.
pub(crate) fn page(page: &Page, folder_version: Option<ApiVersion>, cx: &Ctxt) -> LoweredPage {
    let kind = page_kind(page);
    let mut lowered = LoweredPage {
        info: PageInfo {
            file: page.file.clone(),
            kind,
        },
        api: None,
        model: None,
        enums: Vec::new(),
    };
    match kind {
        PageKind::Api => lowered.api = Some(operation::lower(page, folder_version, cx)),
        PageKind::Resource => lowered.model = model::lower(page, folder_version, cx),
        PageKind::Enum | PageKind::Other => {}
    }
    if matches!(kind, PageKind::Resource | PageKind::Enum) {
        let version = folder_version.unwrap_or(ApiVersion::V1);
        lowered.enums = enums::lower(page, version, cx);
    }
    lowered
}

/// The includes lowering reads, and what for (`permissions`, `roles`): the reader reads them
/// with their page, so lowering never touches files.
pub(crate) fn reads_include(include: &Include) -> Option<&'static str> {
    permissions::reads_include(include)
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
