//! Permissions tables (2021 inline, 2024 include) and Entra role notes → [`Permissions`], [`Roles`].

use crate::diagnostics::Ctxt;
use crate::ir::{PermissionSet, Permissions, ResourcePermissions, Roles, ScopeAlternative};
use crate::parse::{plain_text, Block, Include, Page, Section, Table};

use super::{scopes, sections};

/// The permissions of an API page; `None` (with a warning) when none can be read.
pub(super) fn permissions(page: &Page, cx: &Ctxt) -> Option<Permissions> {
    let Some(section) = page.section(sections::PERMISSIONS) else {
        let line = page.title().map_or(1, |title| title.line);
        cx.warning(
            &page.source(line),
            "page has no `Permissions` section; permissions are unknown",
        );
        return None;
    };
    let tables: Vec<&Table> = section.tables().collect();
    if tables.len() > 1 {
        return Some(read_tables_by_heading(page, section, cx));
    }
    if let Some(table) = tables.first() {
        return read_table(page, table, cx);
    }
    let include = section.blocks.iter().find_map(|block| match block {
        Block::Include(include) if is_permissions_include(&include.label, &include.target) => {
            Some(include)
        }
        _ => None,
    });
    if let Some(include) = include {
        // Read with the page; one that could not be read was reported then.
        let included = page.included(include)?;
        let Some(Block::Table(table)) = included
            .blocks
            .iter()
            .find(|b| matches!(b, Block::Table(_)))
        else {
            cx.warning(
                &page.source(include.line),
                format!(
                    "permissions include `{}` has no table; permissions are unknown",
                    include.target
                ),
            );
            return None;
        };
        return read_table(included, table, cx);
    }
    cx.warning(
        &page.source(section.heading.line),
        "`Permissions` section has no table or permissions include; permissions are unknown",
    );
    None
}

fn is_permissions_include(label: &str, target: &str) -> bool {
    label.eq_ignore_ascii_case("permissions-table") || target.contains("/permissions/")
}

/// What an include is read for, when lowering reads it: a permissions table, or the Entra roles
/// of `rbac-for-apis`. Other includes (code samples, cloud notes) are not read.
pub(super) fn reads_include(include: &Include) -> Option<&'static str> {
    if is_permissions_include(&include.label, &include.target) {
        Some("permissions")
    } else if include.target.contains("rbac-for-apis/") {
        Some("roles")
    } else {
        None
    }
}

/// Which table layout: 2024's two columns, or 2021's one list in either order, or 2021's one
/// list per case (`Permissions acting on self` and `… on others`).
#[derive(Clone, Copy)]
enum Layout {
    LeastAndHigher,
    LeastToMost,
    MostToLeast,
    ByColumn,
}

/// A row with one column per case: each column's alternatives hold in the case its header
/// names (`acting on self`), its first one least privileged.
fn by_column(
    header: &[String],
    cell: impl Fn(usize) -> Option<scopes::Cell>,
) -> Option<PermissionSet> {
    let mut merged: Option<PermissionSet> = None;
    for (index, title) in header.iter().enumerate().skip(1) {
        let Some(mut read) = cell(index) else {
            continue;
        };
        let case = title.find("acting on").map(|at| {
            title[at..]
                .split('(')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        });
        for alternative in &mut read.alternatives {
            alternative.condition = alternative.condition.take().or_else(|| case.clone());
        }
        let set = ordered(read, false);
        let into = merged.get_or_insert_with(PermissionSet::default);
        for scope in set.least {
            if !into.least.contains(&scope) {
                into.least.push(scope);
            }
        }
        for scope in set.higher {
            if !into.higher.contains(&scope) && !into.least.contains(&scope) {
                into.higher.push(scope);
            }
        }
        into.alternatives.extend(set.alternatives);
        into.notes.extend(set.notes);
    }
    merged
}

fn read_table(page: &Page, table: &Table, cx: &Ctxt) -> Option<Permissions> {
    let first = table
        .header
        .first()
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_default();
    if first.contains("resource")
        && table
            .header
            .iter()
            .skip(1)
            .any(|h| account_type(h).is_some())
    {
        return Some(read_by_resource(page, table, cx));
    }
    let second = table
        .header
        .get(1)
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_default();
    let layout = if second.contains("least privileged") && table.header.len() >= 3 {
        Layout::LeastAndHigher
    } else if second.contains("acting on") && table.header.len() >= 3 {
        Layout::ByColumn
    } else if second.contains("most to least") {
        Layout::MostToLeast
    } else {
        Layout::LeastToMost
    };
    let mut permissions = Permissions {
        source: page.source(table.line),
        ..Permissions::default()
    };
    let mut understood = false;
    for row in &table.rows {
        let kind = row
            .cells
            .first()
            .map(|cell| plain_text(cell).to_ascii_lowercase())
            .unwrap_or_default();
        let slot = if kind.contains("delegated")
            && (kind.contains("work") || kind.contains("school"))
        {
            &mut permissions.delegated_work
        } else if kind.contains("delegated") && kind.contains("personal") {
            &mut permissions.delegated_personal
        } else if kind.starts_with("application") {
            &mut permissions.application
        } else {
            cx.warning(
                &page.source(row.line),
                format!("permission type `{}` is not one of `Delegated (work or school account)`, `Delegated (personal Microsoft account)`, `Application`; the row is ignored", plain_text(row.cells.first().map_or("", String::as_str))),
            );
            continue;
        };
        understood = true;
        let cell = |index: usize| {
            let source = page.source(row.line);
            cell_scopes(row.cells.get(index).map_or("", String::as_str), &source, cx)
        };
        *slot = match layout {
            Layout::LeastAndHigher => cell(1).map(|least| two_columns(least, cell(2))),
            Layout::LeastToMost => cell(1).map(|all| ordered(all, false)),
            Layout::MostToLeast => cell(1).map(|all| ordered(all, true)),
            Layout::ByColumn => by_column(&table.header, cell),
        };
    }
    if !understood {
        cx.warning(
            &page.source(table.line),
            "permissions table has no permission type rows; permissions are unknown",
        );
        return None;
    }
    Some(permissions)
}

/// Which account type a header or row label names: 0 delegated work, 1 personal, 2 application.
fn account_type(label: &str) -> Option<usize> {
    let label = plain_text(label).to_ascii_lowercase();
    if label.contains("delegated") && (label.contains("work") || label.contains("school")) {
        Some(0)
    } else if label.contains("delegated") && label.contains("personal") {
        Some(1)
    } else if label.starts_with("application") {
        Some(2)
    } else {
        None
    }
}

/// A table whose rows are resources and whose columns are account types.
fn read_by_resource(page: &Page, table: &Table, cx: &Ctxt) -> Permissions {
    let columns: Vec<Option<usize>> = table.header.iter().map(|h| account_type(h)).collect();
    let mut by_resource = Vec::new();
    for row in &table.rows {
        let mut sets: [Option<PermissionSet>; 3] = Default::default();
        for (cell, kind) in row.cells.iter().zip(&columns).skip(1) {
            let source = page.source(row.line);
            if let (Some(kind), Some(all)) = (kind, cell_scopes(cell, &source, cx)) {
                sets[*kind] = Some(ordered(all, false));
            }
        }
        let [delegated_work, delegated_personal, application] = sets;
        by_resource.push(ResourcePermissions {
            resource: plain_text(row.cells.first().map_or("", String::as_str)),
            delegated_work,
            delegated_personal,
            application,
        });
    }
    union_by_resource(by_resource, page.source(table.line))
}

/// Several tables under sub-headings (`### Permissions for channel`, `### Permissions for
/// chat` in `chatmessage-get.md`): one row of [`Permissions::by_resource`] per table, named by
/// its heading.
fn read_tables_by_heading(page: &Page, section: Section<'_>, cx: &Ctxt) -> Permissions {
    let mut heading = section.heading.text.as_str();
    let mut by_resource = Vec::new();
    let mut first_line = None;
    for block in section.blocks {
        match block {
            Block::Heading(sub) => heading = sub.text.as_str(),
            Block::Table(table) => {
                first_line.get_or_insert(table.line);
                let Some(read) = read_table(page, table, cx) else {
                    continue;
                };
                let resource = heading.strip_prefix("Permissions for ").unwrap_or(heading);
                by_resource.push(ResourcePermissions {
                    resource: resource.trim().to_owned(),
                    delegated_work: read.delegated_work,
                    delegated_personal: read.delegated_personal,
                    application: read.application,
                });
            }
            _ => {}
        }
    }
    let line = first_line.unwrap_or(section.heading.line);
    union_by_resource(by_resource, page.source(line))
}

/// Per account type, every row's scopes: each row's least privileged ones in `least`.
fn union_by_resource(
    by_resource: Vec<ResourcePermissions>,
    source: crate::ir::Source,
) -> Permissions {
    let union = |pick: fn(&ResourcePermissions) -> &Option<PermissionSet>| {
        let mut merged: Option<PermissionSet> = None;
        for set in by_resource.iter().filter_map(|row| pick(row).as_ref()) {
            let into = merged.get_or_insert_with(PermissionSet::default);
            for scope in &set.least {
                if !into.least.contains(scope) {
                    into.least.push(scope.clone());
                }
            }
            for scope in &set.higher {
                if !into.higher.contains(scope) {
                    into.higher.push(scope.clone());
                }
            }
            for alternative in &set.alternatives {
                if !into.alternatives.contains(alternative) {
                    into.alternatives.push(alternative.clone());
                }
            }
            for note in &set.notes {
                if !into.notes.contains(note) {
                    into.notes.push(note.clone());
                }
            }
        }
        if let Some(merged) = merged.as_mut() {
            let least = merged.least.clone();
            merged.higher.retain(|scope| !least.contains(scope));
        }
        merged
    };
    Permissions {
        delegated_work: union(|row| &row.delegated_work),
        delegated_personal: union(|row| &row.delegated_personal),
        application: union(|row| &row.application),
        source,
        by_resource,
    }
}

/// A scopes cell → its alternatives; `None` for "Not supported." and the like. Words in scope
/// positions that are not scope names (`TODO`, `_2.AA`) are dropped with a warning at `source`.
fn cell_scopes(cell: &str, source: &crate::ir::Source, cx: &Ctxt) -> Option<scopes::Cell> {
    let mut read = scopes::read(cell)?;
    let (attempts, prose): (Vec<String>, Vec<String>) = std::mem::take(&mut read.dropped)
        .into_iter()
        .partition(|word| looks_like_a_scope(word));
    if !attempts.is_empty() {
        let listed: Vec<String> = attempts.iter().map(|word| format!("`{word}`")).collect();
        cx.push(
            crate::diagnostics::Diagnostic::warning(
                source,
                format!(
                    "{} {} not a permission name; dropped",
                    listed.join(", "),
                    if attempts.len() == 1 { "is" } else { "are" }
                ),
            )
            .with_help("write scope names such as `User.Read.All`, apart by commas"),
        );
    }
    if !prose.is_empty() && read.alternatives.is_empty() {
        // A sentence instead of scopes (`Not supported for personal accounts`): kept as a note.
        read.notes.push(prose.join(" "));
    }
    (!read.alternatives.is_empty()).then_some(read)
}

/// `_2.AA`, `TODO`, `Foo_Bar`: a word meant as a scope, unlike the prose around it.
fn looks_like_a_scope(word: &str) -> bool {
    word.contains(['.', '_']) || (word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// A 2024 row: the least privileged column and the higher privileged one.
fn two_columns(least: scopes::Cell, higher: Option<scopes::Cell>) -> PermissionSet {
    let mut set = PermissionSet {
        least: least.scopes(),
        ..PermissionSet::default()
    };
    add_alternatives(&mut set, least, true);
    if let Some(higher) = higher {
        set.higher = higher
            .scopes()
            .into_iter()
            .filter(|scope| !set.least.contains(scope))
            .collect();
        add_alternatives(&mut set, higher, false);
    }
    set
}

/// A 2021 row listing every alternative in one cell, least privileged first (or last, when
/// `most_first`): the first is the least privileged.
fn ordered(mut cell: scopes::Cell, most_first: bool) -> PermissionSet {
    if most_first {
        cell.alternatives.reverse();
    }
    let mut set = PermissionSet::default();
    let notes = std::mem::take(&mut cell.notes);
    for (at, alternative) in cell.alternatives.into_iter().enumerate() {
        let names = if at == 0 {
            &mut set.least
        } else {
            &mut set.higher
        };
        for scope in &alternative.scopes {
            if !names.contains(scope) {
                names.push(scope.clone());
            }
        }
        set.alternatives.push(ScopeAlternative {
            scopes: alternative.scopes,
            condition: alternative.condition,
            least_privileged: at == 0,
        });
    }
    let least = set.least.clone();
    set.higher.retain(|scope| !least.contains(scope));
    set.notes = notes;
    set
}

fn add_alternatives(set: &mut PermissionSet, cell: scopes::Cell, least_privileged: bool) {
    for alternative in cell.alternatives {
        set.alternatives.push(ScopeAlternative {
            scopes: alternative.scopes,
            condition: alternative.condition,
            least_privileged,
        });
    }
    set.notes.extend(cell.notes);
}

/// Entra roles listed in the permissions section's notes (or in an `rbac-for-apis` include
/// there), with the role permission they name.
pub(super) fn roles(page: &Page) -> Option<Roles> {
    let section = page.section(sections::PERMISSIONS)?;
    roles_in(page, section).or_else(|| {
        let include = section.blocks.iter().find_map(|block| match block {
            Block::Include(include) if include.target.contains("rbac-for-apis/") => Some(include),
            _ => None,
        })?;
        let included = page.included(include)?;
        let blocks = &included.blocks[..];
        let whole = Section {
            heading: &ROLES_HEADING,
            blocks,
        };
        roles_in(included, whole)
    })
}

/// The heading an include's blocks are read under, as if they were a section.
static ROLES_HEADING: crate::parse::Heading = crate::parse::Heading {
    level: 2,
    text: String::new(),
    line: 1,
};

/// Roles in one section's notes, or in a list after a sentence naming roles.
fn roles_in(page: &Page, section: Section<'_>) -> Option<Roles> {
    section
        .blocks
        .iter()
        .find_map(|block| match block {
            Block::Note(note)
                if !note.items.is_empty()
                    && mentions_roles(
                        note.paragraphs
                            .iter()
                            .chain(&note.items)
                            .map(|p| p.text.as_str()),
                    ) =>
            {
                Some(Roles {
                    roles: role_names(&note.items),
                    role_permission: note
                        .paragraphs
                        .iter()
                        .find_map(|p| role_permission(&p.text)),
                    source: page.source(note.line),
                })
            }
            _ => None,
        })
        .or_else(|| roles_after_table(page, section))
}

/// 2024 pages without a note list roles right after a sentence that mentions them.
fn roles_after_table(page: &Page, section: Section<'_>) -> Option<Roles> {
    let blocks = section.blocks;
    blocks
        .iter()
        .zip(blocks.iter().skip(1))
        .find_map(|pair| match pair {
            (Block::Paragraph(text), Block::List(list))
                if mentions_roles([text.text.as_str()].into_iter()) =>
            {
                Some(Roles {
                    roles: role_names(&list.items),
                    role_permission: role_permission(&text.text),
                    source: page.source(list.line),
                })
            }
            _ => None,
        })
}

/// The role names of list items: an item about roles that holds a nested list (`When using
/// delegated permissions, … roles:` then `- Agent ID Administrator.`) gives the nested items;
/// `Directory Readers - read standard properties` gives `Directory Readers`.
fn role_names(items: &[crate::parse::Text]) -> Vec<String> {
    let nested: Vec<&str> = items
        .iter()
        .filter(|item| item.text.contains("role"))
        .flat_map(|item| item.text.lines().skip(1))
        .filter_map(|line| {
            let line = line.trim_start();
            line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
        })
        .collect();
    let texts: Vec<String> = if nested.is_empty() {
        items.iter().map(|item| plain_text(&item.text)).collect()
    } else {
        nested.into_iter().map(plain_text).collect()
    };
    texts
        .into_iter()
        .map(|text| {
            let name = text.split(" - ").next().unwrap_or(&text);
            name.trim().trim_end_matches('.').trim().to_owned()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

fn mentions_roles<'a>(mut texts: impl Iterator<Item = &'a str>) -> bool {
    texts.any(|text| text.contains("role"))
}

/// The first code span that looks like `microsoft.directory/…`.
fn role_permission(markdown: &str) -> Option<String> {
    markdown
        .split('`')
        .skip(1)
        .step_by(2)
        .find(|span| span.starts_with("microsoft.") && span.contains('/'))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_keyed_by_resource_keep_rows_and_union_per_account_type() {
        let cx = Ctxt::new();
        let text = "| Supported resource | Delegated (work or school account) | Delegated (personal Microsoft account) | Application |\n|:--|:--|:--|:--|\n| [event](../resources/event.md) | Calendars.Read | Calendars.Read | Calendars.Read |\n| message | Mail.Read | Mail.Read | Mail.Read |\n| post | Group.Read.All | Not supported | Not supported |\n";
        let page = Page::from_text("p.md".into(), "p.md".into(), text, &cx);
        let Block::Table(table) = &page.blocks[0] else {
            panic!()
        };
        let permissions = read_table(&page, table, &cx).unwrap();
        cx.check().unwrap();
        assert_eq!(permissions.by_resource.len(), 3);
        assert_eq!(permissions.by_resource[0].resource, "event");
        assert_eq!(permissions.by_resource[2].delegated_personal, None);
        let work = permissions.delegated_work.unwrap();
        assert_eq!(
            work.least,
            ["Calendars.Read", "Mail.Read", "Group.Read.All"]
        );
        assert!(work.higher.is_empty());
        assert_eq!(
            permissions.delegated_personal.unwrap().least,
            ["Calendars.Read", "Mail.Read"]
        );
    }

    #[test]
    fn tables_under_sub_headings_are_rows_by_heading() {
        let cx = Ctxt::new();
        let text = "## Permissions\n\n### Permissions for channel\n\n|Permission type|Permissions (from least to most privileged)|\n|:--|:--|\n|Delegated (work or school account)|ChannelMessage.Read.All, Group.Read.All|\n|Application|ChannelMessage.Read.Group*, Group.Read.All|\n\n### Permissions for chat\n\n|Permission type|Permissions (from least to most privileged)|\n|:--|:--|\n|Delegated (work or school account)|Chat.Read, Chat.ReadWrite|\n";
        let page = Page::from_text("p.md".into(), "p.md".into(), text, &cx);
        let section = page.section(sections::PERMISSIONS).unwrap();
        let permissions = read_tables_by_heading(&page, section, &cx);
        cx.check().unwrap();
        let rows: Vec<_> = permissions
            .by_resource
            .iter()
            .map(|r| r.resource.as_str())
            .collect();
        assert_eq!(rows, ["channel", "chat"]);
        let work = permissions.delegated_work.unwrap();
        assert_eq!(work.least, ["ChannelMessage.Read.All", "Chat.Read"]);
        assert_eq!(work.higher, ["Group.Read.All", "Chat.ReadWrite"]);
        assert_eq!(
            permissions.application.unwrap().least,
            ["ChannelMessage.Read.Group"]
        );
        assert_eq!(permissions.source.line, 5);
    }

    #[test]
    fn role_permission_is_the_directory_code_span() {
        assert_eq!(
            role_permission("a custom role with the `microsoft.directory/users/reprocessLicenseAssignment` role permission"),
            Some("microsoft.directory/users/reprocessLicenseAssignment".into())
        );
        assert_eq!(role_permission("no `code` here"), None);
    }
}
