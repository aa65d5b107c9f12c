//! Enum pages (`X enum type`, `enums.md`) and `X values` sections of resource pages →
//! [`EnumType`]s.

use crate::diagnostics::Ctxt;
use crate::ir::{ApiVersion, EnumMember, EnumType};
use crate::parse::{plain_text, Block, Page, Table};

use super::operation::{description, namespace};
use super::sections;

/// The enums a page declares: the page itself when its title is `X enum type`, and every
/// `X values` heading followed by a members table.
pub(super) fn lower(page: &Page, version: ApiVersion, cx: &Ctxt) -> Vec<EnumType> {
    let namespace = namespace(page).unwrap_or_else(|| "microsoft.graph".to_owned());
    let mut found = Vec::new();
    if let Some(title) = page.title() {
        let words: Vec<&str> = title.text.split_whitespace().collect();
        if let [name, "enum", ..] = words.as_slice() {
            let table = page
                .section(&["Members"])
                .and_then(|section| section.tables().next())
                .or_else(|| first_table(&page.blocks));
            if let Some(table) = table {
                found.extend(enum_type(
                    page,
                    &namespace,
                    name,
                    title.line,
                    description(page),
                    table,
                    version,
                    cx,
                ));
            }
        }
    }
    for (at, block) in page.blocks.iter().enumerate() {
        let Block::Heading(heading) = block else {
            continue;
        };
        let Some(name) = values_heading(&heading.text) else {
            continue;
        };
        let under = &page.blocks[at + 1..];
        let end = under
            .iter()
            .position(|b| matches!(b, Block::Heading(_)))
            .unwrap_or(under.len());
        if let Some(table) = first_table(&under[..end]) {
            let text = under[..end]
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p.text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n\n");
            found.extend(enum_type(
                page,
                &namespace,
                name,
                heading.line,
                text,
                table,
                version,
                cx,
            ));
        }
    }
    found
}

/// `riskLevel values` → `riskLevel`.
fn values_heading(text: &str) -> Option<&str> {
    let name = text.trim().strip_suffix("values")?.trim();
    let name = name.trim_matches('`');
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

fn first_table(blocks: &[Block]) -> Option<&Table> {
    blocks.iter().find_map(|block| match block {
        Block::Table(table) => Some(table),
        _ => None,
    })
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site per kind of enum declaration"
)]
fn enum_type(
    page: &Page,
    namespace: &str,
    name: &str,
    line: u32,
    description: String,
    table: &Table,
    version: ApiVersion,
    cx: &Ctxt,
) -> Option<EnumType> {
    let member_column = sections::column(&table.header, &["Member", "Name", "Members", "Value"])?;
    let value_column =
        sections::column(&table.header, &["Value"]).filter(|&column| column != member_column);
    let description_column = sections::column(&table.header, sections::DESCRIPTION_COLUMNS);
    let mut members: Vec<EnumMember> = Vec::new();
    for row in &table.rows {
        let member = plain_text(row.cells.get(member_column).map_or("", String::as_str));
        let member = member.trim_matches(['`', '*', '"']).trim().to_owned();
        if member.is_empty()
            || !member
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            if !member.is_empty() {
                cx.warning(
                    &page.source(row.line),
                    format!("enum member `{member}` of `{name}` is not a name; it is skipped"),
                );
            }
            continue;
        }
        if members.iter().any(|m| m.name == member) {
            continue;
        }
        members.push(EnumMember {
            value: value_column
                .and_then(|column| row.cells.get(column))
                .and_then(|cell| plain_text(cell).trim().parse().ok()),
            description: description_column
                .and_then(|c| row.cells.get(c))
                .cloned()
                .unwrap_or_default(),
            name: member,
            source: page.source(row.line),
        });
    }
    (!members.is_empty()).then(|| EnumType {
        name: format!("{namespace}.{name}"),
        version,
        description,
        members,
        source: page.source(line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<EnumType> {
        let cx = Ctxt::new();
        let page = Page::from_text("e.md".into(), "e.md".into(), text, &cx);
        let enums = lower(&page, ApiVersion::V1, &cx);
        cx.check().unwrap();
        enums
    }

    #[test]
    fn enum_type_pages_and_values_sections() {
        let page = "# riskLevel enum type\n\nNamespace: microsoft.graph\n\nHow risky.\n\n## Members\n| Member | Value | Description |\n|:--|:--|:--|\n| low | 0 | Low. |\n| high | 10 | High. |\n\n### chatType values\n\n| Member |\n|:--|\n| oneOnOne |\n| group |\n";
        let enums = read(page);
        assert_eq!(enums.len(), 2);
        assert_eq!(enums[0].name, "microsoft.graph.riskLevel");
        assert_eq!(enums[0].description, "How risky.");
        let members: Vec<_> = enums[0]
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect();
        assert_eq!(members, [("low", Some(0)), ("high", Some(10))]);
        assert_eq!(enums[1].name, "microsoft.graph.chatType");
        assert_eq!(enums[1].members.len(), 2);
        assert_eq!(enums[1].members[0].source.line, 17);
    }

    #[test]
    fn value_column_alone_names_members() {
        let enums =
            read("### status values\n\n| Value | Description |\n|:--|:--|\n| active | On. |\n");
        assert_eq!(enums[0].members[0].name, "active");
        assert_eq!(enums[0].members[0].value, None);
    }
}
