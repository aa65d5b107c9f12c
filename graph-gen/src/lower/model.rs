//! Resource pages (properties, relationships, JSON representation) → declared [`Model`]s.

use std::collections::HashSet;

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Model, Origin, Property};
use crate::parse::{plain_text, Block, Page};

use super::operation::{description, namespace};
use super::{sections, types};

/// The model a resource page declares; `None` (with an error) when it names no type.
pub(super) fn lower(page: &Page, version: Option<ApiVersion>, cx: &Ctxt) -> Option<Model> {
    let title = page.title();
    let title_line = title.map_or(1, |t| t.line);
    let namespace = namespace(page).unwrap_or_else(|| "microsoft.graph".to_owned());
    let annotation = page
        .section(sections::JSON_REPRESENTATION)
        .into_iter()
        .flat_map(|section| section.fences())
        .chain(page.blocks.iter().filter_map(|b| match b {
            Block::Fence(fence) => Some(fence),
            _ => None,
        }))
        .find_map(|fence| {
            fence
                .annotation
                .as_ref()
                .filter(|a| a.block_type() == Some("resource"))
        });
    let declared_name =
        annotation.and_then(|a| a.string("@odata.type").or_else(|| a.string("@type")));
    let name = declared_name
        .map(|n| n.trim().trim_start_matches('#').to_owned())
        .or_else(|| {
            let title = title?.text.as_str();
            let word = title.split_whitespace().next()?;
            Some(format!("{namespace}.{word}"))
        });
    let Some(name) = name else {
        cx.push(
            Diagnostic::error(&page.source(title_line), "resource page names no type")
                .with_help("add an H1 like `# user resource type` or a `{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.user\" }` annotation"),
        );
        return None;
    };
    let mut properties = Properties::default();
    for names in [sections::PROPERTIES, sections::RELATIONSHIPS] {
        for section in page.sections(names) {
            for table in section.tables() {
                read_properties(page, table, &namespace, cx, &mut properties);
            }
        }
    }
    Some(Model {
        name,
        version: version.unwrap_or(ApiVersion::V1),
        description: description(page),
        base_type: annotation
            .and_then(|a| a.string("baseType"))
            .map(|b| b.trim_start_matches('#').to_owned())
            .or_else(|| inherited_from(page, &namespace)),
        open_type: annotation.is_some_and(|a| a.flag("openType")),
        origin: Origin::Declared,
        properties: properties.rows,
        source: page.source(title_line),
    })
}

/// A row whose only text is its first cell, in bold: a heading for the rows after it.
fn is_group_label(row: &crate::parse::Row) -> bool {
    let first = row.cells.first().map_or("", |cell| cell.trim());
    first.len() > 4
        && first.starts_with("**")
        && first.ends_with("**")
        && row.cells.iter().skip(1).all(|cell| cell.trim().is_empty())
}

/// `Inherits from [entity](entity.md).` in the page's preamble: the base type pages without a
/// `baseType` annotation name.
fn inherited_from(page: &Page, namespace: &str) -> Option<String> {
    page.preamble().iter().find_map(|block| {
        let Block::Paragraph(text) = block else {
            return None;
        };
        let at = text.text.to_ascii_lowercase().find("inherits from")?;
        let rest = &text.text[at..];
        let link = crate::parse::links(rest, &page.links).into_iter().next()?;
        let word = plain_text(link.text);
        (!word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')).then(
            || {
                if word.contains('.') {
                    word
                } else {
                    format!("{namespace}.{word}")
                }
            },
        )
    })
}

/// The rows read so far, and their names: a page may list thousands, so a repeated row is
/// found by hash, not by scanning the rows before it.
#[derive(Default)]
struct Properties {
    rows: Vec<Property>,
    names: HashSet<String>,
}

fn read_properties(
    page: &Page,
    table: &crate::parse::Table,
    namespace: &str,
    cx: &Ctxt,
    out: &mut Properties,
) {
    let Some(name_column) = sections::column(&table.header, sections::NAME_COLUMNS) else {
        return;
    };
    let Some(type_column) = sections::column(&table.header, sections::TYPE_COLUMNS) else {
        cx.warning(
            &page.source(table.line),
            "properties table has no `Type` column; it is ignored",
        );
        return;
    };
    let description_column = sections::column(&table.header, sections::DESCRIPTION_COLUMNS);
    for row in &table.rows {
        let source = page.source(row.line);
        let name = plain_text(row.cells.get(name_column).map_or("", String::as_str));
        let type_cell = row.cells.get(type_column).map_or("", String::as_str);
        if name.is_empty() {
            cx.warning(&source, "properties table row has no name; it is ignored");
            continue;
        }
        if is_group_label(row) {
            // `|**Device configuration**|`: a label grouping the rows after it.
            continue;
        }
        let (type_name, collection) = types::odata_type(type_cell, namespace).unwrap_or_else(|| {
            cx.push(
                Diagnostic::warning(
                    &source,
                    format!("property `{name}` has no type; it is decoded as untyped JSON"),
                )
                .with_help("write a type such as `String`, `Int32`, `DateTimeOffset` or `[type](type.md) collection`"),
            );
            ("Edm.Untyped".to_owned(), false)
        });
        if !out.names.insert(name.clone()) {
            cx.warning(
                &source,
                format!("property `{name}` is listed twice; the first row is kept"),
            );
            continue;
        }
        out.rows.push(Property {
            name,
            type_name,
            collection,
            description: description_column
                .and_then(|column| row.cells.get(column))
                .cloned()
                .unwrap_or_default(),
            origin: Origin::Declared,
            source,
        });
    }
}
