//! An API page → its [`Operation`] (title, description, templates, permissions, headers,
//! body, response, examples) and the example bodies to learn models from.

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Operation, RequestBody, RequestHeader};
use crate::parse::{plain_text, Block, Page};

use super::examples::BodyText;
use super::{examples, http, permissions, response, sections, types};

/// An operation and what settling it later needs: the `Response` section's prose, and the text
/// of each example's JSON body (by example, as [`Operation::examples`] has them).
#[derive(Debug)]
pub(crate) struct LoweredOperation {
    pub(crate) operation: Operation,
    pub(crate) prose: response::ResponseProse,
    pub(crate) bodies: Vec<Option<BodyText>>,
}

/// What an API page yields: its operation, or (a page without a template) only the example
/// bodies, which still teach their types.
#[derive(Debug)]
pub(crate) enum ApiPage {
    Operation(Box<LoweredOperation>),
    Samples {
        version: ApiVersion,
        samples: Vec<(crate::ir::ExampleResponse, BodyText)>,
    },
}

pub(super) fn lower(page: &Page, folder_version: Option<ApiVersion>, cx: &Ctxt) -> ApiPage {
    let (title, title_line) = page.title().map_or_else(
        || {
            cx.push(
                Diagnostic::error(&page.source(1), "page has no `#` title")
                    .with_help("start the page with `# resource: operationName`"),
            );
            (String::new(), 1)
        },
        |heading| (heading.text.clone(), heading.line),
    );
    let (resource, name) = resource_and_name(&title, page);
    let prose = response::prose(page);
    let mut http = http::templates(page, cx);
    if prose.json_format {
        // Reports answer CSV through a redirect unless asked for the JSON their page types.
        for template in &mut http {
            if !template
                .query
                .iter()
                .any(|pair| pair.key.eq_ignore_ascii_case("$format"))
            {
                template.query.push(crate::ir::QueryParameter {
                    key: "$format".to_owned(),
                    value: "application/json".to_owned(),
                    parameter: None,
                });
            }
        }
    }
    let (examples, bodies) = examples::examples(page, cx);
    let version = folder_version
        .or_else(|| {
            examples
                .iter()
                .filter_map(|e| e.request.as_ref())
                .find_map(|r| url_version(&r.url))
        })
        .unwrap_or_else(|| {
            cx.warning(
                &page.source(title_line),
                "cannot tell the API version from the folder or the examples; `v1.0` is assumed",
            );
            ApiVersion::V1
        });
    let namespace = namespace(page);
    check_example_requests(&http, &examples, cx);
    let operation = Operation {
        name,
        resource,
        title,
        source: page.source(title_line),
        version,
        namespace: namespace.clone(),
        description: description(page),
        http,
        permissions: permissions::permissions(page, cx),
        roles: permissions::roles(page),
        national_clouds: national_clouds(page),
        request_headers: request_headers(page),
        query_options: query_options(page, &examples),
        request_body: request_body(page, namespace.as_deref().unwrap_or("microsoft.graph")),
        // Settled with the models known, from the prose, the examples and the templates.
        response: None,
        examples,
    };
    if operation.http.is_empty() {
        // No request to generate; the example bodies still teach their types.
        let version = operation.version;
        let samples = operation
            .examples
            .into_iter()
            .zip(bodies)
            .filter_map(|(example, body)| Some((example.response?, body?)))
            .collect();
        return ApiPage::Samples { version, samples };
    }
    ApiPage::Operation(Box::new(LoweredOperation {
        operation,
        prose,
        bodies,
    }))
}

/// `user: reprocessLicenseAssignment` → (`user`, `reprocessLicenseAssignment`); titles without
/// that shape (`Get user`) fall back to the file name (`user-get.md` → `user`, `get`).
fn resource_and_name(title: &str, page: &Page) -> (Option<String>, String) {
    let is_word = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    };
    if let Some((resource, name)) = title.split_once(':') {
        let (resource, name) = (resource.trim(), name.trim());
        if is_word(resource) && !name.is_empty() && name.split_whitespace().all(is_word) {
            return (Some(resource.to_owned()), lower_camel(name));
        }
    }
    let stem = page
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("operation");
    match stem.split_once('-') {
        Some((resource, name)) => (Some(resource.to_owned()), lower_camel(name)),
        None => (None, stem.to_owned()),
    }
}

/// `list members` and `list-members` → `listMembers`; `reprocessLicenseAssignment` stays.
fn lower_camel(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    for (at, word) in words
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if at == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.extend(chars);
        }
    }
    out
}

fn url_version(url: &str) -> Option<ApiVersion> {
    let path = url
        .split("://")
        .nth(1)
        .map_or(url, |rest| rest.find('/').map_or("", |at| &rest[at..]));
    ApiVersion::from_segment(path.trim_start_matches('/').split('/').next()?)
}

/// `Namespace: microsoft.graph` in the preamble.
pub(super) fn namespace(page: &Page) -> Option<String> {
    page.preamble().iter().find_map(|block| match block {
        Block::Paragraph(text) => {
            // The namespace is one word; text running on below it is the description.
            let rest = text.text.trim().strip_prefix("Namespace:")?;
            Some(plain_text(rest.split_whitespace().next()?))
        }
        _ => None,
    })
}

/// The preamble's paragraphs other than the namespace line, as markdown.
pub(super) fn description(page: &Page) -> String {
    page.preamble()
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph(text) => match text.text.strip_prefix("Namespace:") {
                Some(rest) => rest
                    .trim_start()
                    .split_once('\n')
                    .map(|(_, after)| after.trim()),
                None => Some(text.text.as_str()),
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The national-cloud include of the preamble (`../../includes/all-clouds.md` → `all-clouds`).
fn national_clouds(page: &Page) -> Option<String> {
    page.preamble().iter().find_map(|block| match block {
        Block::Include(include) if include.label.eq_ignore_ascii_case("national-cloud-support") => {
            let file = include.target.rsplit('/').next()?;
            Some(file.trim_end_matches(".md").to_owned())
        }
        _ => None,
    })
}

/// OData system query options, in the order generated builders list them.
const QUERY_OPTIONS: &[&str] = &[
    "$select", "$filter", "$expand", "$orderby", "$top", "$skip", "$count", "$search",
];

/// The query options the page documents: those its query parameters section names (in prose,
/// lists, notes or a table), and those its example requests use (`?$top=2&$orderby=…`), in
/// [`QUERY_OPTIONS`] order. A section that only says the method "supports the OData query
/// parameters" names none and gets `$select` and `$expand`, which every Graph read supports.
/// (Collection reads gain the options every collection supports once the response is known.)
fn query_options(page: &Page, examples: &[crate::ir::Example]) -> Vec<String> {
    let mut documented = section_query_options(page);
    for request in examples
        .iter()
        .filter_map(|example| example.request.as_ref())
    {
        if !request.method.eq_ignore_ascii_case("GET") {
            continue;
        }
        let Some((_, query)) = request.url.split_once('?') else {
            continue;
        };
        for pair in query.split('&') {
            let key = pair.split('=').next().unwrap_or_default();
            let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
            if let Some(option) = QUERY_OPTIONS
                .iter()
                .find(|option| option.eq_ignore_ascii_case(key.trim()))
            {
                if !documented.iter().any(|known| known == option) {
                    documented.push((*option).to_owned());
                }
            }
        }
    }
    documented.sort_by_key(|option| QUERY_OPTIONS.iter().position(|known| known == option));
    documented
}

/// OData options every Graph collection read supports: choosing properties, and a page size.
const COLLECTION_QUERY_OPTIONS: &[&str] = &["$select", "$top"];

/// Adds the OData options every collection read supports to `options`, in canonical order.
pub(crate) fn add_collection_query_options(options: &mut Vec<String>) {
    for option in COLLECTION_QUERY_OPTIONS {
        if !options.iter().any(|known| known == option) {
            options.push((*option).to_owned());
        }
    }
    options.sort_by_key(|option| QUERY_OPTIONS.iter().position(|known| known == option));
}

fn section_query_options(page: &Page) -> Vec<String> {
    let Some(section) = page.section(sections::QUERY_PARAMETERS) else {
        return Vec::new();
    };
    let mut text = String::new();
    for block in section.blocks {
        match block {
            Block::Paragraph(p) => text.push_str(&p.text),
            Block::List(list) => list.items.iter().for_each(|item| text.push_str(&item.text)),
            Block::Table(table) => table
                .rows
                .iter()
                .flat_map(|row| &row.cells)
                .for_each(|cell| text.push_str(cell)),
            Block::Note(note) => note.paragraphs.iter().for_each(|p| text.push_str(&p.text)),
            _ => {}
        }
        text.push('\n');
    }
    let lower = text.to_ascii_lowercase();
    let named: Vec<String> = QUERY_OPTIONS
        .iter()
        .filter(|option| {
            lower.match_indices(*option).any(|(at, _)| {
                !lower[at + option.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            })
        })
        .map(|option| (*option).to_owned())
        .collect();
    if named.is_empty()
        && lower.contains("odata query parameters")
        && !lower.contains("does not support")
    {
        return vec!["$select".to_owned(), "$expand".to_owned()];
    }
    named
}

fn request_headers(page: &Page) -> Vec<RequestHeader> {
    let Some(section) = page.section(sections::REQUEST_HEADERS) else {
        return Vec::new();
    };
    let mut headers = Vec::new();
    for table in section.tables() {
        let name_column = sections::column(&table.header, sections::HEADER_COLUMNS).unwrap_or(0);
        let value_column = sections::column(&table.header, sections::VALUE_COLUMNS).unwrap_or(1);
        for row in &table.rows {
            let name = plain_text(row.cells.get(name_column).map_or("", String::as_str));
            if name.is_empty() {
                continue;
            }
            let text = plain_text(row.cells.get(value_column).map_or("", String::as_str));
            let (value, required) = header_value(&text);
            headers.push(RequestHeader {
                name,
                value,
                required,
                source: page.source(row.line),
            });
        }
    }
    headers
}

/// `Bearer {token}. Required. Learn more…` → (`Bearer {token}`, true).
fn header_value(text: &str) -> (String, bool) {
    let marker = ["Required", "Optional"]
        .iter()
        .filter_map(|word| {
            text.find(&format!("{word}."))
                .or_else(|| text.strip_suffix(word).map(str::len))
                .map(|at| (at, *word))
        })
        .min();
    match marker {
        Some((at, word)) => (
            text[..at].trim().trim_end_matches('.').trim().to_owned(),
            word == "Required",
        ),
        None => (text.trim().trim_end_matches('.').to_owned(), false),
    }
}

fn request_body(page: &Page, namespace: &str) -> RequestBody {
    let Some(section) = page.section(sections::REQUEST_BODY) else {
        return RequestBody::None;
    };
    let says_none = section.paragraphs().any(|p| {
        let text = p.text.to_ascii_lowercase();
        text.contains("do not supply")
            || text.contains("don't supply")
            || text.contains("no request body")
    });
    if says_none {
        return RequestBody::None;
    }
    if let Some(table) = section.tables().next() {
        let Some(name_column) = sections::column(&table.header, sections::NAME_COLUMNS) else {
            return RequestBody::Json { type_name: None };
        };
        let type_column = sections::column(&table.header, sections::TYPE_COLUMNS);
        let description_column = sections::column(&table.header, sections::DESCRIPTION_COLUMNS);
        let required_column = sections::column(&table.header, &["Required"]);
        let parameters = table
            .rows
            .iter()
            .filter_map(|row| {
                let name = plain_text(row.cells.get(name_column)?);
                let (type_name, collection) = type_column
                    .and_then(|column| types::odata_type(row.cells.get(column)?, namespace))
                    .unwrap_or_else(|| ("Edm.String".to_owned(), false));
                let description = description_column
                    .and_then(|c| row.cells.get(c))
                    .cloned()
                    .unwrap_or_default();
                let required = required_column
                    .and_then(|column| row.cells.get(column))
                    .map_or_else(|| says_required(&description), |cell| yes(cell));
                Some(crate::ir::BodyParameter {
                    required,
                    name,
                    type_name,
                    collection,
                    description,
                    source: page.source(row.line),
                })
            })
            .collect();
        return RequestBody::Parameters { parameters };
    }
    let linked = section
        .paragraphs()
        .find_map(|p| resource_link(&p.text, namespace));
    RequestBody::Json {
        type_name: linked.map(|(name, _)| name),
    }
}

/// Whether a parameter's description marks it required: a sentence that is just `Required`
/// (`Required.`, `**Required**.`, `The name. Required.`). "Required for users that will be
/// assigned licenses" is a condition, not a requirement; `notRequired` and "Not required"
/// never are.
fn says_required(description: &str) -> bool {
    let text = plain_text(description);
    text.to_ascii_lowercase().contains("(required)")
        || text
            .split(['.', ';', '\n'])
            .map(|sentence| sentence.trim().trim_matches(['*', '_', ' ']))
            .any(|sentence| sentence.eq_ignore_ascii_case("required"))
}

/// A `Required` column's cell: `Yes`, `true`, `Required`.
fn yes(cell: &str) -> bool {
    let text = plain_text(cell);
    ["yes", "true", "required", "y"]
        .iter()
        .any(|word| text.trim().trim_end_matches('.').eq_ignore_ascii_case(word))
}

/// The first link to a resource page: (`namespace.text`, the link text).
pub(super) fn resource_link(markdown: &str, namespace: &str) -> Option<(String, String)> {
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find("](")?;
        let text = &after[..close];
        let target_start = close + 2;
        let target_end = after[target_start..].find(')')? + target_start;
        let target = &after[target_start..target_end];
        if target.contains("resources/")
            || (!target.contains('/')
                && std::path::Path::new(target.split(['#', '?']).next().unwrap_or(""))
                    .extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("md")))
        {
            let stem = target
                .rsplit('/')
                .next()?
                .split(['#', '?'])
                .next()?
                .trim_end_matches(".md");
            let name = if text.eq_ignore_ascii_case(stem) {
                text
            } else {
                stem
            };
            return Some((format!("{namespace}.{name}"), text.to_owned()));
        }
        rest = &after[target_end..];
    }
    None
}

/// Example requests are oracles for the templates: one that matches none is usually a
/// documentation bug, reported where the example is.
fn check_example_requests(
    http: &[crate::ir::HttpTemplate],
    examples: &[crate::ir::Example],
    cx: &Ctxt,
) {
    if http.is_empty() {
        return;
    }
    let requests = examples
        .iter()
        .filter_map(|example| example.request.as_ref());
    for request in requests.filter(|request| crate::route::is_graph_url(&request.url)) {
        if crate::route::is_placeholder_url(&request.url) {
            cx.warning(
                &request.source,
                "example request URL is a docs tool placeholder (`** … not found`), not a request; it is not checked",
            );
            continue;
        }
        if !crate::route::example_matches(http, &request.method, &request.url) {
            cx.warning(
                &request.source,
                format!(
                    "example request `{} {}` matches none of the page's HTTP templates",
                    request.method,
                    request.url.chars().take(120).collect::<String>()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_lower_camel() {
        assert_eq!(lower_camel("list members"), "listMembers");
        assert_eq!(lower_camel("list-members"), "listMembers");
        assert_eq!(
            lower_camel("reprocessLicenseAssignment"),
            "reprocessLicenseAssignment"
        );
    }

    /// `usageLocation` ("Required for users that will be assigned licenses …") and
    /// `consentProvidedForMinor` (whose values include `notRequired`) were made required, so
    /// every `user: update` sent them.
    #[test]
    fn required_only_where_a_sentence_says_so() {
        for required in [
            "Required. The name to display.",
            "The name to display. Required.",
            "**Required.** The name.",
            "The id (required).",
        ] {
            assert!(says_required(required), "{required}");
        }
        for optional in [
            "A two letter country code. Required for users that will be assigned licenses due to legal requirement.",
            "Possible values are: `null`, `granted`, `denied` and `notRequired`.",
            "Not required. The name.",
            "Optional. Requires admin consent.",
        ] {
            assert!(!says_required(optional), "{optional}");
        }
    }

    #[test]
    fn header_values_and_required_markers() {
        assert_eq!(
            header_value("Bearer {token}. Required. Learn more about auth."),
            ("Bearer {token}".into(), true)
        );
        assert_eq!(
            header_value("application/json. Optional."),
            ("application/json".into(), false)
        );
        assert_eq!(header_value("eventual"), ("eventual".into(), false));
    }

    #[test]
    fn resource_links_name_types() {
        let text = "returns `200 OK` and an updated [user](../resources/user.md) object";
        assert_eq!(
            resource_link(text, "microsoft.graph"),
            Some(("microsoft.graph.user".into(), "user".into()))
        );
        assert_eq!(
            resource_link("see [docs](/graph/overview)", "microsoft.graph"),
            None
        );
    }
}
