//! `METHOD /path/{id}` lines of the HTTP request section → [`HttpTemplate`]s.

use std::borrow::Cow;

use crate::diagnostics::{Ctxt, Diagnostic, Severity};
use crate::ir::{HttpTemplate, Method, PathParameter, PathTemplate, QueryParameter, Source};
use crate::parse::{Block, Page};

use super::sections;

/// Placeholders (`{…}`, `<…>`, `name=value`) one template may have; real ones have a few.
pub const MAX_PLACEHOLDERS: usize = 64;

/// The templates of every HTTP request section of `page`, in page order.
///
/// A problem with one line (an unknown method, unbalanced braces, a section without a request
/// line) is an error only when the page is left with no template at all; while the page still
/// yields requests it is a warning.
pub(super) fn templates(page: &Page, cx: &Ctxt) -> Vec<HttpTemplate> {
    let lines = Ctxt::new();
    let found = read_templates(page, &lines);
    for mut diagnostic in lines.into_diagnostics() {
        if !found.is_empty() {
            diagnostic.severity = Severity::Warning;
        }
        cx.push(diagnostic);
    }
    found
}

fn read_templates(page: &Page, cx: &Ctxt) -> Vec<HttpTemplate> {
    let mut found = Vec::new();
    let mut sections_seen = 0;
    for section in page.sections(sections::HTTP_REQUEST) {
        sections_seen += 1;
        let before = found.len();
        let mut prose_lines = 0;
        // A fence annotated as an example request here is still the template (`drive-get-specialfolder.md`).
        for fence in section.fences() {
            let is_response =
                fence.annotation.as_ref().and_then(|a| a.block_type()) == Some("response");
            if !is_response {
                prose_lines += read_fence(page, &fence.body, fence.body_line, cx, &mut found);
            }
        }
        // A section whose request lines are words has said so, as a warning: the docs name no
        // request there.
        if found.len() == before && prose_lines == 0 {
            cx.push(
                Diagnostic::error(
                    &page.source(section.heading.line),
                    format!("section `{}` has no `METHOD /path` line", section.heading.text),
                )
                .with_help("put the request line in a fence under the heading, e.g. ```` ```http ```` then `GET /users/{id}`"),
            );
        }
    }
    if sections_seen > 0 {
        // Pages may document more endpoints under headings of their own (`## List a site's
        // drives` in `drive-list.md`), in fences with placeholders before the examples.
        let in_sections: Vec<&crate::parse::Fence> = page
            .sections(sections::HTTP_REQUEST)
            .flat_map(|section| section.fences())
            .collect();
        let mut more = Vec::new();
        for fence in loose_template_fences(page) {
            if fence.body.contains('{')
                && !in_sections.iter().any(|known| std::ptr::eq(*known, fence))
            {
                read_fence(page, &fence.body, fence.body_line, cx, &mut more);
            }
        }
        for template in more {
            if !found
                .iter()
                .any(|t: &HttpTemplate| t.method == template.method && t.path == template.path)
            {
                found.push(template);
            }
        }
    } else {
        for fence in loose_template_fences(page) {
            read_fence(page, &fence.body, fence.body_line, cx, &mut found);
        }
        if let Some(first) = found.first() {
            cx.warning(
                &first.source,
                "page has no `HTTP request` section; templates are read from the fences before the examples",
            );
            return found;
        }
        let line = page.title().map_or(1, |title| title.line);
        cx.push(
            Diagnostic::error(&page.source(line), "API page has no `HTTP request` section")
                .with_help("add `## HTTP request` with the request line in a fence"),
        );
    }
    found
}

/// Fences before the first example heading that hold only `METHOD /path` lines.
fn loose_template_fences(page: &Page) -> impl Iterator<Item = &crate::parse::Fence> {
    page.blocks
        .iter()
        .take_while(|block| !matches!(block, Block::Heading(h) if h.text.to_ascii_lowercase().starts_with("example")))
        .filter_map(|block| match block {
            Block::Fence(fence) => Some(fence),
            _ => None,
        })
        .filter(|fence| {
            fence
                .annotation
                .as_ref()
                .and_then(|a| a.block_type())
                .is_none_or(|kind| kind == "ignored" || kind == "request")
                && fence.body.lines().filter(|l| !l.trim().is_empty()).all(|line| {
                    let (method, path) = line.trim().split_once(char::is_whitespace).unwrap_or(("", ""));
                    Method::parse(method).is_some() && path.trim_start().starts_with('/')
                })
                && !fence.body.trim().is_empty()
        })
}

/// Reads the `METHOD /path` lines of a fence into `found`; returns how many were words, not
/// a path.
fn read_fence(
    page: &Page,
    body: &str,
    first_line: u32,
    cx: &Ctxt,
    found: &mut Vec<HttpTemplate>,
) -> usize {
    let mut ignored: Option<(Source, &str, usize)> = None;
    let mut prose_lines = 0;
    for (offset, text) in (0u32..).zip(body.lines()) {
        let source = page.source(first_line + offset);
        let line = text.trim();
        if line.is_empty() || line.eq_ignore_ascii_case("or") || is_header_line(line) {
            continue;
        }
        let (word, rest) = split_method(line);
        if let Some(method) = Method::parse(word) {
            match template(method, rest.trim(), source, cx) {
                Ok(template) => found.push(template),
                Err(Unread::Prose) => prose_lines += 1,
                Err(Unread::Invalid) => {}
            }
        } else if word.chars().all(|c| c.is_ascii_alphabetic())
            && rest.trim_start().starts_with('/')
        {
            cx.push(
                Diagnostic::error(&source, format!("unknown HTTP method `{word}`"))
                    .with_help("write one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`"),
            );
        } else {
            ignored.get_or_insert((source, line, 0)).2 += 1;
        }
    }
    if let Some((source, line, count)) = ignored {
        let more = if count > 1 {
            format!(" and {} more lines", count - 1)
        } else {
            String::new()
        };
        cx.warning(
            &source,
            format!(
                "line `{}`{more} in the HTTP request section is not a `METHOD /path` line; ignored",
                shorten(line)
            ),
        );
    }
    prose_lines
}

/// Why a request line gave no template; each has been reported.
enum Unread {
    /// Words where the path belongs: a warning.
    Prose,
    /// A malformed path: an error, unless the page has other templates.
    Invalid,
}

/// `GET /users` → (`GET`, `/users`); also `DELETE/identity/…`, written without the space.
fn split_method(line: &str) -> (&str, &str) {
    if let Some((word, rest)) = line.split_once(char::is_whitespace) {
        return (word, rest);
    }
    Method::ALL
        .iter()
        .find_map(|method| {
            let name = method.as_str();
            let head = line.get(..name.len())?;
            let rest = &line[name.len()..];
            (head.eq_ignore_ascii_case(name) && rest.starts_with('/')).then_some((head, rest))
        })
        .unwrap_or((line, ""))
}

/// `Content-Type: application/json`, `workbook-session-id: {id}`: headers written with a template.
fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, value)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !value.starts_with("//")
    })
}

/// Parses one template path; placeholders get unique names in order of appearance.
fn template(method: Method, raw: &str, source: Source, cx: &Ctxt) -> Result<HttpTemplate, Unread> {
    if raw.is_empty() {
        cx.push(
            Diagnostic::error(&source, format!("`{method}` has no path"))
                .with_help(format!("write `{method} /resource/{{id}}`")),
        );
        return Err(Unread::Invalid);
    }
    // Naming placeholders pairs each with the others, and each becomes an argument.
    let placeholders = raw.matches(['{', '<', '=']).count();
    if placeholders > MAX_PLACEHOLDERS {
        cx.push(
            Diagnostic::error(
                &source,
                format!("template `{}` has {placeholders} placeholders; at most {MAX_PLACEHOLDERS} are read", shorten(raw)),
            )
            .with_help("write one template per request shape; Graph templates have a few placeholders"),
        );
        return Err(Unread::Invalid);
    }
    let path = function_arguments_as_placeholders(&angle_placeholders_as_braces(
        strip_host_and_version(raw),
    ));
    let (path, query) = path.split_once('?').unwrap_or((&path, ""));
    let (with_ids, repaired) = literal_ids_as_placeholders(path);
    if !repaired.is_empty() {
        let list = |each: fn(&(String, String)) -> &String| {
            repaired
                .iter()
                .map(|pair| format!("`{}`", each(pair)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (literals, placeholders) = (list(|pair| &pair.0), list(|pair| &pair.1));
        let message = if repaired.len() == 1 {
            format!(
                "template has {literals} where a placeholder belongs; it is read as {placeholders}"
            )
        } else {
            format!("template has {literals} where placeholders belong; they are read as {placeholders}")
        };
        cx.warning(&source, message);
    }
    let path = with_ids.as_str();
    let mut normalized = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    let mut parameters: Vec<PathParameter> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return unbalanced(raw, '}', &source, cx);
        }
        normalized.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after
            .find(['{', '}'])
            .filter(|&at| after[at..].starts_with('}'))
        else {
            return unbalanced(raw, '{', &source, cx);
        };
        let placeholder = after[..close].trim();
        let name = unique_name(&parameters, &parameter_name(placeholder));
        normalized.push('{');
        normalized.push_str(&name);
        normalized.push('}');
        parameters.push(PathParameter {
            name,
            placeholder: placeholder.to_owned(),
        });
        rest = &after[close + 1..];
    }
    normalized.push_str(rest);
    if is_prose(&normalized) {
        cx.push(
            Diagnostic::warning(
                &source,
                format!(
                    "request line `{method} {}` is not a URL path; no request is generated from it",
                    shorten(raw)
                ),
            )
            .with_help(format!(
                "write the path the request is sent to, e.g. `{method} /users/{{id}}`"
            )),
        );
        return Err(Unread::Prose);
    }
    if normalized.len() > 1 && normalized.ends_with('/') {
        normalized.pop();
    }
    let query = query_parameters(query, &mut parameters);
    Ok(HttpTemplate {
        method,
        path: PathTemplate::parse(&normalized),
        raw: raw.to_owned(),
        parameters,
        query,
        source,
    })
}

/// Whether a request line's path is words, not a path: generated pages say `GET ** Collection
/// URI for … not found` where the path belongs. Spaces after an argument's comma
/// (`resizedRange(deltaRows={n}, deltaColumns={n})`) or around an alternate key
/// (`/users/{user-id} | user-principal-name/…`) are a path's.
fn is_prose(path: &str) -> bool {
    path.split([',', '|'])
        .any(|piece| piece.trim().contains(char::is_whitespace))
}

fn unbalanced(raw: &str, brace: char, source: &Source, cx: &Ctxt) -> Result<HttpTemplate, Unread> {
    cx.push(
        Diagnostic::error(
            source,
            format!("unbalanced `{brace}` in HTTP template `{}`", shorten(raw)),
        )
        .with_help("write placeholders as `{name}`, each opened and closed on the same line"),
    );
    Err(Unread::Invalid)
}

/// `startDateTime={start}&$top=1` → pairs; placeholders take unique names after the path's.
///
/// Their names are reserved in `taken` (so they never clash with path parameters) but they
/// are not path parameters: `taken` gets them only for the duration of naming.
fn query_parameters(query: &str, path_parameters: &mut Vec<PathParameter>) -> Vec<QueryParameter> {
    let path_count = path_parameters.len();
    let pairs = query
        .split('&')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (key, value) = (key.trim(), value.trim());
            let bare = value.trim_matches(['\'', '"']);
            let parameter = bare
                .strip_prefix('{')
                .and_then(|inner| inner.strip_suffix('}'))
                .map(|placeholder| {
                    let name = unique_name(path_parameters, &parameter_name(placeholder));
                    path_parameters.push(PathParameter {
                        name: name.clone(),
                        placeholder: placeholder.trim().to_owned(),
                    });
                    name
                });
            QueryParameter {
                key: key.to_owned(),
                value: value.to_owned(),
                parameter,
            }
        })
        .collect();
    path_parameters.truncate(path_count);
    pairs
}

/// `rowsAbove(count=n)` → `rowsAbove(count={count})`; `(start=start-value)` likewise: in a
/// template, a function argument is a parameter even when the page writes no braces. Quoted
/// values keep their quotes (`(q='{q}')`); braced ones are left as they are.
fn function_arguments_as_placeholders(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|at| open + at) else {
            break;
        };
        out.push_str(&rest[..=open]);
        let arguments: Vec<String> = rest[open + 1..close]
            .split(',')
            .map(|argument| match argument.split_once('=') {
                Some((key, value)) if !value.contains('{') && !key.trim().is_empty() => {
                    let key = key.trim();
                    let quote = if value.trim().starts_with('\'') {
                        "'"
                    } else {
                        ""
                    };
                    format!("{key}={quote}{{{key}}}{quote}")
                }
                _ => argument.to_owned(),
            })
            .collect();
        out.push_str(&arguments.join(","));
        out.push(')');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whole segments some pages wrote instead of a placeholder become one: a copied GUID
/// (`/classes/acdefc6b-…/assignments`) or host name (`/domains/contoso.com`), and a
/// placeholder in parentheses (`/teams/(team-id)`). Returns the path and each repair.
fn literal_ids_as_placeholders(path: &str) -> (String, Vec<(String, String)>) {
    let mut repaired = Vec::new();
    let segments: Vec<Cow<'_, str>> = path
        .split('/')
        .map(|segment| {
            let placeholder = if is_guid(segment) {
                "{id}".to_owned()
            } else if is_host_name(segment) {
                "{hostname}".to_owned()
            } else if let Some(name) = parenthesised_placeholder(segment) {
                format!("{{{name}}}")
            } else {
                return Cow::Borrowed(segment);
            };
            repaired.push((segment.to_owned(), placeholder.clone()));
            Cow::Owned(placeholder)
        })
        .collect();
    (segments.join("/"), repaired)
}

/// `contoso.com`, `contoso.sharepoint.com`: labels of letters, digits and `-`, ending in a
/// common top-level domain (so `file.txt` and `microsoft.graph.user` are not hosts).
fn is_host_name(segment: &str) -> bool {
    const TOP_LEVEL: [&str; 6] = ["com", "net", "org", "edu", "gov", "io"];
    let labels: Vec<&str> = segment.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|last| TOP_LEVEL.contains(&last.to_ascii_lowercase().as_str()))
}

/// `(team-id)` → `team-id`: a placeholder written in parentheses instead of braces.
fn parenthesised_placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('(')?.strip_suffix(')').filter(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    })
}

fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// `range(address='<address>')` → `range(address='{address}')`: some pages write function
/// parameters in angle brackets, which never occur literally in a Graph path.
fn angle_placeholders_as_braces(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|at| open + at) else {
            break;
        };
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains(['{', '}', '/']) {
            out.push_str(&rest[..=close]);
        } else {
            out.push_str(&rest[..open]);
            out.push('{');
            out.push_str(name);
            out.push('}');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `https://graph.microsoft.com/v1.0/users` and `/beta/users` → `/users`.
fn strip_host_and_version(raw: &str) -> &str {
    let mut path = raw;
    for scheme in ["https://", "http://"] {
        if let Some(rest) = path.strip_prefix(scheme) {
            path = rest.find('/').map_or("", |slash| &rest[slash..]);
        }
    }
    for version in ["/v1.0", "/beta"] {
        if let Some(rest) = path.strip_prefix(version) {
            if rest.is_empty() || rest.starts_with('/') {
                return rest;
            }
        }
    }
    path
}

/// `id | userPrincipalName` → `id`; `user-id` → `userId`; `free text` → `freeText`.
fn parameter_name(placeholder: &str) -> String {
    let first = placeholder.split('|').next().unwrap_or("").trim();
    let mut name = String::new();
    let mut upper_next = false;
    for c in first.chars() {
        if c.is_alphanumeric() || c == '_' {
            if upper_next && !name.is_empty() {
                name.extend(c.to_uppercase());
            } else {
                name.push(c);
            }
            upper_next = false;
        } else {
            upper_next = true;
        }
    }
    if name.is_empty() {
        "param".to_owned()
    } else {
        name
    }
}

/// `id`, then `id2`, `id3` when the placeholder repeats in one template.
fn unique_name(taken: &[PathParameter], base: &str) -> String {
    let is_taken = |name: &str| taken.iter().any(|p| p.name == name);
    if !is_taken(base) {
        return base.to_owned();
    }
    // `taken` has finitely many names, so one of the first `len + 2` suffixes is free.
    (2..=taken.len() + 2)
        .map(|n| format!("{base}{n}"))
        .find(|name| !is_taken(name))
        .unwrap_or_else(|| format!("{base}{}", taken.len() + 2))
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        text.chars().take(MAX).chain("…".chars()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<HttpTemplate, Vec<Diagnostic>> {
        let cx = Ctxt::new();
        let template = template(Method::Get, raw, Source::new("p.md", 1), &cx);
        let diagnostics = cx.into_diagnostics();
        template.map_err(|_| diagnostics)
    }

    #[test]
    fn simple_template() {
        let t = parse("/users/{id}/reprocessLicenseAssignment").unwrap();
        assert_eq!(t.path, "/users/{id}/reprocessLicenseAssignment");
        assert_eq!(
            t.parameters,
            [PathParameter {
                name: "id".into(),
                placeholder: "id".into()
            }]
        );
    }

    #[test]
    fn repeated_placeholders_get_unique_names() {
        let t = parse("/administrativeUnits/{id}/members/{id}/$ref").unwrap();
        assert_eq!(t.path, "/administrativeUnits/{id}/members/{id2}/$ref");
        let names: Vec<_> = t.parameters.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "id2"]);
    }

    #[test]
    fn alternate_keys_take_the_first_name_and_keep_the_placeholder() {
        let t = parse("/users/{id | userPrincipalName}/photo/$value").unwrap();
        assert_eq!(t.path, "/users/{id}/photo/$value");
        assert_eq!(t.parameters[0].placeholder, "id | userPrincipalName");
    }

    #[test]
    fn words_where_the_path_belongs_are_not_a_template() {
        let diagnostics =
            parse("** Collection URI for Microsoft.DirectoryServices.agentUser not found")
                .unwrap_err();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        assert!(
            diagnostics[0].message.contains("is not a URL path"),
            "{diagnostics:?}"
        );
        // Spaces a path may have: after an argument's comma, around an alternate key.
        let resized = parse("/range/resizedRange(deltaRows={n}, deltaColumns={n})").unwrap();
        assert_eq!(resized.parameters.len(), 2);
        assert!(parse("/users/{user-id} | user-principal-name/chats").is_ok());
    }

    #[test]
    fn a_section_whose_only_line_is_words_has_said_why() {
        let text = "# agentUser: list\n\n## HTTP request\n\n```http\nGET ** Collection URI for x not found\n```\n";
        let cx = Ctxt::new();
        let page = Page::from_text("p.md".into(), "p.md".into(), text, &cx);
        assert!(templates(&page, &cx).is_empty());
        let diagnostics = cx.into_diagnostics();
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        assert_eq!(diagnostics[0].line, 6);
    }

    #[test]
    fn hosts_versions_queries_and_missing_slashes_are_normalised() {
        assert_eq!(
            parse("https://graph.microsoft.com/v1.0/me/events?$top=1")
                .unwrap()
                .path,
            "/me/events"
        );
        assert_eq!(parse("/beta/me/").unwrap().path, "/me");
        assert_eq!(parse("users/{user-id}").unwrap().path, "/users/{userId}");
    }

    #[test]
    fn query_strings_become_pairs_with_unique_placeholder_names() {
        let t = parse("/me/calendarView?startDateTime={start}&endDateTime={id}&$top=10").unwrap();
        assert_eq!(t.path, "/me/calendarView");
        let pairs: Vec<_> = t
            .query
            .iter()
            .map(|q| (q.key.as_str(), q.value.as_str(), q.parameter.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("startDateTime", "{start}", Some("start")),
                ("endDateTime", "{id}", Some("id")),
                ("$top", "10", None)
            ]
        );
        assert!(
            t.parameters.is_empty(),
            "query placeholders are not path parameters"
        );
        let t = parse("/users/{id}/x?other={id}").unwrap();
        assert_eq!(t.query[0].parameter.as_deref(), Some("id2"));
    }

    #[test]
    fn angle_bracket_parameters_are_placeholders() {
        let t = parse("/me/drive/items/{id}/workbook/worksheets/{id}/range(address='<address>')")
            .unwrap();
        assert_eq!(
            t.path,
            "/me/drive/items/{id}/workbook/worksheets/{id2}/range(address='{address}')"
        );
        assert_eq!(t.parameters[2].name, "address");
    }

    #[test]
    fn function_arguments_are_parameters() {
        let t = parse("/me/drive/items/{id}/workbook/worksheets/{id}/range/rowsAbove(count=n)")
            .unwrap();
        assert!(
            t.path.as_str().ends_with("/rowsAbove(count={count})"),
            "{}",
            t.path
        );
        let t = parse("/users/{id}/reminderView(startDateTime=startDateTime-value,endDateTime=endDateTime-value)").unwrap();
        assert_eq!(
            t.path,
            "/users/{id}/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})"
        );
        let t = parse("/reports/getEmailActivityCounts(period='D7')").unwrap();
        assert_eq!(t.path, "/reports/getEmailActivityCounts(period='{period}')");
        let t = parse("/me/drive/root/search(q='{search-text}')").unwrap();
        assert_eq!(t.path, "/me/drive/root/search(q='{searchText}')");
        assert_eq!(
            parse("/me/drive/root/delta()").unwrap().path,
            "/me/drive/root/delta()"
        );
    }

    #[test]
    fn literal_ids_become_placeholders() {
        let t = parse("/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/cf6005fc-9e13-44a2-a6ac-a53322006454").unwrap();
        assert_eq!(t.path, "/education/classes/{id}/assignments/{id2}");
        assert_eq!(parse("/users/{id}").unwrap().path, "/users/{id}");
        assert_eq!(
            parse("/domains/contoso.com/serviceConfigurationRecords")
                .unwrap()
                .path,
            "/domains/{hostname}/serviceConfigurationRecords"
        );
        assert_eq!(
            parse("/teams/(team-id)/channels/{channelId}").unwrap().path,
            "/teams/{teamId}/channels/{channelId}"
        );
        for kept in [
            "/me/drive/root:/folder/report.txt:/content",
            "/groups/{id}/members/microsoft.graph.user",
            "/me/drive/items/{id}/workbook/functions/abs()",
        ] {
            assert_eq!(parse(kept).unwrap().path, kept);
        }
    }

    #[test]
    fn unbalanced_braces_are_errors() {
        let errors = parse("/users/{id/reprocess").unwrap_err();
        assert!(
            errors[0].message.starts_with("unbalanced `{`"),
            "{}",
            errors[0].message
        );
        assert!(parse("/users/id}/x").is_err());
        assert!(parse("/users/{a{b}}").is_err());
    }

    /// 4,000 placeholders in one template overflowed the stack when the generated method
    /// chain was printed, and 16,000 repeated ones took minutes to name.
    #[test]
    fn templates_with_too_many_placeholders_are_errors() {
        let many = (0..=MAX_PLACEHOLDERS).fold(String::new(), |mut path, n| {
            path.push_str("/{p");
            path.push_str(&n.to_string());
            path.push('}');
            path
        });
        let errors = parse(&many).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("has 65 placeholders; at most 64"),
            "{}",
            errors[0].message
        );
        let most: String = (1..MAX_PLACEHOLDERS).map(|_| "/{id}").collect();
        assert_eq!(parse(&most).unwrap().parameters.len(), MAX_PLACEHOLDERS - 1);
    }
}
