//! Matching request paths against HTTP templates: `{param}` matches any text, the rest literally.
//!
//! Used by the mock Graph to route requests and by lowering to check that each example
//! request is one of its page's templates. Colon addressing (`root:/{item-path}:/content`)
//! is one segment from the `:` to the next `:`, so a placeholder there may span `/`.

use percent_encoding::percent_decode_str;

use crate::ir::{ApiVersion, HttpTemplate};

// The mock's router; nothing else routes many templates at once.
#[cfg(feature = "mock")]
mod tree;
#[cfg(feature = "mock")]
pub use tree::RouteTree;

/// A template path (`/users/{id}/reprocessLicenseAssignment`) split for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    segments: Vec<Vec<Piece>>,
}

/// Part of one template segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text matched case-insensitively, as Graph does.
    Literal(String),
    /// A `{placeholder}`: any non-empty text.
    Wildcard,
}

/// How well a pattern fits a path: literal segments first, then literal characters. A template
/// naming `/users/delta` beats `/users/{id}` for `GET /users/delta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Specificity {
    literal_segments: usize,
    literal_chars: usize,
}

impl PathPattern {
    /// Splits a normalised template path at `/` and each segment at `{…}` placeholders.
    pub fn new(path: &str) -> Self {
        let segments = crate::ir::join_colon_segments(split(path))
            .iter()
            .map(|segment| pieces(segment))
            .collect();
        PathPattern { segments }
    }

    /// How specifically this pattern matches `segments` (percent-decoded), or `None`.
    pub fn matches(&self, segments: &[String]) -> Option<Specificity> {
        if self.segments.len() != segments.len() {
            return None;
        }
        let mut fit = Specificity {
            literal_segments: 0,
            literal_chars: 0,
        };
        for (pattern, segment) in self.segments.iter().zip(segments) {
            let segment = segment.to_lowercase();
            if !glob(pattern, &segment) && !function_call_of(pattern, &segment) {
                return None;
            }
            let literal: usize = pattern
                .iter()
                .map(|piece| match piece {
                    Piece::Literal(text) => text.len(),
                    Piece::Wildcard => 0,
                })
                .sum();
            fit.literal_chars += literal;
            if pattern
                .iter()
                .all(|piece| matches!(piece, Piece::Literal(_)))
            {
                fit.literal_segments += 1;
            }
        }
        Some(fit)
    }
}

/// Function calls whose parameters are optional: `delta(token='…')` for the template segment
/// `delta`, and `rowsAbove` for the template segment `rowsAbove(count={count})`.
fn function_call_of(pattern: &[Piece], segment: &str) -> bool {
    match pattern {
        [Piece::Literal(name)] if !name.contains('(') => segment
            .strip_prefix(name.as_str())
            .is_some_and(|args| args.starts_with('(') && args.ends_with(')')),
        [Piece::Literal(head), ..] => head
            .split_once('(')
            .is_some_and(|(name, _)| !segment.contains('(') && segment == name),
        _ => false,
    }
}

/// A request path split into its API version and percent-decoded segments:
/// `/beta/users/a%40b/x` → (`beta`, `["users", "a@b", "x"]`). `None` without a known version.
pub fn request_segments(path: &str) -> Option<(ApiVersion, Vec<String>)> {
    let mut segments = split(path);
    let version = ApiVersion::from_segment(segments.next()?)?;
    let rest = crate::ir::join_colon_segments(
        segments.map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned()),
    );
    Some((version, rest))
}

/// The path of an example request URL (absolute or not, with or without the version segment),
/// without query, as decoded segments after the version.
pub fn example_segments(url: &str) -> Vec<String> {
    let url = url.trim();
    let without_host = match url.find("://") {
        Some(scheme_end) => {
            let after = &url[scheme_end + 3..];
            after.find('/').map_or("", |slash| &after[slash..])
        }
        None => url,
    };
    let path = without_host
        .split(['?', '#'])
        .next()
        .unwrap_or(without_host);
    let mut segments = split(path).peekable();
    // Examples write the version as `v1.0`, `V1.0`, `v1` or `beta`.
    if segments.peek().is_some_and(|first| {
        let lower = first.to_ascii_lowercase();
        ApiVersion::from_segment(&lower).is_some() || lower == "v1"
    }) {
        segments.next();
    }
    crate::ir::join_colon_segments(
        segments.map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned()),
    )
}

/// Whether `url` is a placeholder the docs tool wrote where it found no URL
/// (`https://graph.microsoft.com/beta** Entity URI for microsoft.graph.x not found/addKey`):
/// not a request anyone could send.
pub fn is_placeholder_url(url: &str) -> bool {
    url.contains("** ") && url.contains(" not found")
}

/// Whether `url` is a Microsoft Graph request: relative, or on a Graph host of any cloud.
/// Examples also show calls to a bot's callback or an upload session's own host.
pub fn is_graph_url(url: &str) -> bool {
    let Some((_, after_scheme)) = url.trim().split_once("://") else {
        return true;
    };
    let host = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    host.contains("graph.microsoft") || host == "microsoftgraph.chinacloudapi.cn"
}

/// OData key syntax: `events('AAMk…')` addresses the same entity as `events/AAMk…`.
/// Function calls (`delta(token='…')`, with `=`) are left alone.
fn keys_as_segments(segments: &[String]) -> Option<Vec<String>> {
    let mut out = Vec::with_capacity(segments.len());
    let mut keyed = false;
    for segment in segments {
        let key = segment
            .strip_suffix(')')
            .and_then(|head| head.split_once('('))
            .filter(|(name, key)| !name.is_empty() && is_key(key));
        match key {
            Some((name, key)) => {
                keyed = true;
                out.push(name.to_owned());
                out.push(key.trim_matches('\'').to_owned());
            }
            None => out.push(segment.clone()),
        }
    }
    keyed.then_some(out)
}

/// `'AAMk…='` (a quoted key, `=` allowed inside) or `42`; not `token='…'` (an argument).
fn is_key(text: &str) -> bool {
    let quoted = text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'');
    (quoted && !text[1..text.len() - 1].contains('\'')) || (!text.is_empty() && !text.contains('='))
}

/// Whether the example request `method url` is one of `templates` by method and path.
///
/// Graph addresses one resource several ways, and examples use them all:
/// - `me` stands for `users/{signed-in user}`, at the start or after `education/`;
/// - `drive` alone is the signed-in user's drive, `me/drive`;
/// - `root:/path/to/item:` addresses the drive item `items/{id}`, and `drive/root` is `items/root`;
/// - `events('AAMk…')` is the key syntax of `events/AAMk…`;
/// - a trailing cast (`…/microsoft.graph.user`), `$count` or `$value` applies to what the
///   template names.
pub fn example_matches(templates: &[HttpTemplate], method: &str, url: &str) -> bool {
    let segments = example_segments(url);
    let mut variants = vec![segments];
    for alias in [
        keys_as_segments as fn(&[String]) -> Option<Vec<String>>,
        user_drive,
        me_as_user,
        path_as_item,
        root_as_item,
        short_casts,
        cast_after_key,
        without_trailing_cast,
    ] {
        let aliased: Vec<Vec<String>> = variants.iter().filter_map(|v| alias(v)).collect();
        variants.extend(aliased);
    }
    templates.iter().any(|template| {
        let pattern = PathPattern::new(template.path.as_str());
        template.method == method.trim()
            && variants
                .iter()
                .any(|segments| pattern.matches(segments).is_some())
    })
}

/// `drive/…` ↔ `me/drive/…`: pages write the signed-in user's drive both ways.
fn user_drive(segments: &[String]) -> Option<Vec<String>> {
    match segments {
        [first, ..] if first.eq_ignore_ascii_case("drive") => Some(
            std::iter::once("me".to_owned())
                .chain(segments.iter().cloned())
                .collect(),
        ),
        [me, drive, ..] if me.eq_ignore_ascii_case("me") && drive.eq_ignore_ascii_case("drive") => {
            Some(segments[1..].to_vec())
        }
        _ => None,
    }
}

/// `me/…` → `users/me/…`, also below `education/`.
fn me_as_user(segments: &[String]) -> Option<Vec<String>> {
    let at = segments
        .iter()
        .position(|segment| segment.eq_ignore_ascii_case("me"))
        .filter(|&at| at == 0 || segments[at - 1].eq_ignore_ascii_case("education"))?;
    let mut aliased = segments.to_vec();
    aliased.insert(at, "users".to_owned());
    Some(aliased)
}

/// `root:`, `a/b.txt:` → `items`, `a/b.txt:`: an item addressed by its path instead of its id.
fn path_as_item(segments: &[String]) -> Option<Vec<String>> {
    let at = segments.windows(2).position(|pair| {
        pair[0].eq_ignore_ascii_case("root:") && pair[1].ends_with(':') && pair[1].len() > 1
    })?;
    let mut aliased = segments.to_vec();
    "items".clone_into(&mut aliased[at]);
    Some(aliased)
}

/// `drive/root` → `drive/items/root`: the root is a drive item.
fn root_as_item(segments: &[String]) -> Option<Vec<String>> {
    let at = segments
        .windows(2)
        .position(|pair| pair[0] == "drive" && pair[1] == "root")?;
    let mut aliased = segments.to_vec();
    aliased.insert(at + 1, "items".to_owned());
    Some(aliased)
}

/// Whether a segment is a cast: `microsoft.graph.user`, or `graph.user` as some examples write it.
fn is_cast(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    (lower.starts_with("microsoft.graph.") || lower.starts_with("graph."))
        && !lower.contains(['(', ':'])
}

/// `graph.agentIdentityBlueprint` → `microsoft.graph.agentIdentityBlueprint`.
fn short_casts(segments: &[String]) -> Option<Vec<String>> {
    let mut changed = false;
    let aliased = segments
        .iter()
        .map(|segment| {
            if segment.to_ascii_lowercase().starts_with("graph.") && is_cast(segment) {
                changed = true;
                format!("microsoft.{segment}")
            } else {
                segment.clone()
            }
        })
        .collect();
    changed.then_some(aliased)
}

/// `applications/microsoft.graph.x/{id}` → `applications/{id}/microsoft.graph.x`: casting the
/// collection then taking a key addresses what taking the key then casting does.
fn cast_after_key(segments: &[String]) -> Option<Vec<String>> {
    let at = segments
        .windows(2)
        .position(|pair| is_cast(&pair[0]) && !is_cast(&pair[1]) && !pair[1].starts_with('$'))?;
    let mut aliased = segments.to_vec();
    aliased.swap(at, at + 1);
    Some(aliased)
}

/// Drops a trailing `$count` or `$value`, then a trailing cast (`microsoft.graph.user`).
fn without_trailing_cast(segments: &[String]) -> Option<Vec<String>> {
    let mut rest = segments;
    if rest
        .last()
        .is_some_and(|last| last == "$count" || last == "$value")
    {
        rest = &rest[..rest.len() - 1];
    }
    if rest
        .last()
        .is_some_and(|last| last.to_ascii_lowercase().starts_with("microsoft.graph."))
    {
        rest = &rest[..rest.len() - 1];
    }
    (rest.len() < segments.len()).then(|| rest.to_vec())
}

/// The non-empty `/`-separated segments of a path.
fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

/// `reports(period='{period}')` → `reports(period='`, wildcard, `')`; literals lower-cased.
fn pieces(segment: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_lowercase()));
        }
        pieces.push(Piece::Wildcard);
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_lowercase()));
    }
    pieces
}

/// Whether `text` (lower-cased) is the pieces in order, each wildcard taking at least one
/// character. Backtracks over wildcard lengths; segments are short.
fn glob(pieces: &[Piece], text: &str) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(literal), rest)) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|after| glob(rest, after)),
        Some((Piece::Wildcard, rest)) => text
            .char_indices()
            .skip(1)
            .map(|(at, _)| at)
            .chain(std::iter::once(text.len()))
            .filter(|&at| at > 0)
            .any(|at| glob(rest, &text[at..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Vec<String> {
        request_segments(path).unwrap().1
    }

    #[test]
    fn placeholders_match_any_id_and_literals_ignore_case() {
        let pattern = PathPattern::new("/users/{id}/reprocessLicenseAssignment");
        assert!(pattern
            .matches(&segments(
                "/beta/users/ada%40contoso.com/REPROCESSLICENSEASSIGNMENT"
            ))
            .is_some());
        assert!(pattern.matches(&segments("/beta/users//x")).is_none());
        assert!(pattern
            .matches(&segments("/beta/users/1/reprocessLicenseAssignment/extra"))
            .is_none());
    }

    #[test]
    fn placeholders_inside_a_segment_match_text_between_literals() {
        let pattern = PathPattern::new("/reports/getEmailActivity(period='{period}')");
        assert!(pattern
            .matches(&segments("/v1.0/reports/getEmailActivity(period='D7')"))
            .is_some());
        assert!(pattern
            .matches(&segments("/v1.0/reports/getEmailActivity(period='')"))
            .is_none());
    }

    #[test]
    fn literal_segments_are_more_specific_than_placeholders() {
        let path = segments("/beta/users/delta");
        let literal = PathPattern::new("/users/delta").matches(&path).unwrap();
        let wildcard = PathPattern::new("/users/{id}").matches(&path).unwrap();
        assert!(literal > wildcard);
    }

    #[test]
    fn colon_paths_span_slashes() {
        let pattern = PathPattern::new("/me/drive/root:/{item-path}:/content");
        assert!(pattern
            .matches(&example_segments(
                "/me/drive/root:/Documents/Q1/report.docx:/content"
            ))
            .is_some());
        assert!(pattern
            .matches(&example_segments("/me/drive/root:/report.docx:/content"))
            .is_some());
        let site = PathPattern::new("/sites/{hostname}:/{server-relative-path}");
        assert!(site
            .matches(&example_segments(
                "https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com:/teams/hr"
            ))
            .is_some());
    }

    /// A `GET` template of `path`.
    fn template(path: &str) -> HttpTemplate {
        HttpTemplate {
            method: crate::ir::Method::Get,
            path: path.into(),
            raw: String::new(),
            parameters: Vec::new(),
            query: Vec::new(),
            source: crate::ir::Source::default(),
        }
    }

    #[test]
    fn functions_casts_and_version_spellings() {
        let delta = [template("/me/drive/root/delta")];
        assert!(example_matches(
            &delta,
            "GET",
            "https://graph.microsoft.com/v1.0/me/drive/root/delta(token='123')"
        ));
        let members = [template("/groups/{id}/transitiveMembers")];
        assert!(example_matches(&members, "GET", "https://graph.microsoft.com/V1.0/groups/1/transitiveMembers/microsoft.graph.user?$count=true"));
        assert!(example_matches(
            &members,
            "GET",
            "https://graph.microsoft.com/v1/groups/1/transitiveMembers"
        ));
        assert!(example_matches(
            &members,
            "GET",
            "/groups/1/transitiveMembers/microsoft.graph.user/$count"
        ));
        let event = [template("/me/events/{id}")];
        assert!(example_matches(
            &event,
            "GET",
            "/me/events('AAMkAGE1M2_bs88AACbuFiiAAA=')?$expand=x"
        ));
        let delta = [template("/me/events/delta")];
        assert!(
            !example_matches(&delta, "GET", "/me/events(start='1')"),
            "function arguments are not keys"
        );
        let items = [template(
            "/me/drive/items/{id}/workbook/worksheets/{id2}/pivotTables",
        )];
        assert!(example_matches(
            &items,
            "GET",
            "/me/drive/root/workbook/worksheets/1/pivotTables"
        ));
        assert!(is_graph_url("/me"));
        assert!(is_graph_url("https://graph.microsoft.us/v1.0/me"));
        assert!(!is_graph_url("https://bot.contoso.com/api/calls"));
    }

    #[test]
    fn examples_use_graphs_other_addresses_of_a_resource() {
        let cases = [
            (
                "/drive/items/{item-id}/content",
                "/me/drive/items/1/content",
                true,
            ),
            (
                "/me/drive/items/{id}/workbook/comments",
                "/drive/items/1/workbook/comments",
                true,
            ),
            (
                "/drives/{d}/items/{item-id}/children",
                "/drives/1/root:/Documents/Q1:/children",
                true,
            ),
            (
                "/drives/{d}/items/{item-id}/children",
                "/drives/1/root:/children",
                false,
            ),
            (
                "/education/users/{id}/assignments",
                "/education/me/assignments",
                true,
            ),
            (
                "/education/users/{id}/assignments",
                "/education/classes/me/assignments",
                false,
            ),
            (
                "/chats/{c}/messages/{m}/hostedContents/{h}",
                "/chats/19:a@thread.v2/messages/1/hostedContents/aWQ9/$value",
                true,
            ),
        ];
        for (path, url, expected) in cases {
            let matched = example_matches(&[template(path)], "GET", url);
            assert_eq!(matched, expected, "{url} for {path}");
        }
    }

    /// `agentidentityblueprint-update.md` casts the collection before the key, and shortens
    /// the cast to `graph.…`; both address what its template does.
    #[test]
    fn casts_before_the_key_and_short_casts() {
        let cast = [template(
            "/applications/{id}/microsoft.graph.agentIdentityBlueprint",
        )];
        for url in [
            "https://graph.microsoft.com/beta/applications/graph.agentIdentityBlueprint/e500",
            "/applications/microsoft.graph.agentIdentityBlueprint/e500",
            "/applications/e500/graph.agentIdentityBlueprint",
        ] {
            assert!(example_matches(&cast, "GET", url), "{url}");
        }
        assert!(!example_matches(
            &cast,
            "GET",
            "/applications/graph.other/e500"
        ));
        assert!(is_placeholder_url(
            "https://graph.microsoft.com/beta** Entity URI for microsoft.graph.x not found/addKey"
        ));
        assert!(!is_placeholder_url(
            "https://graph.microsoft.com/beta/users"
        ));
    }

    #[test]
    fn examples_match_templates_by_method_and_path() {
        let templates = [HttpTemplate {
            method: crate::ir::Method::Post,
            ..template("/users/{id}/reprocessLicenseAssignment")
        }];
        let url = "https://graph.microsoft.com/beta/users/047dd774/reprocessLicenseAssignment";
        assert!(example_matches(&templates, "POST", url));
        assert!(!example_matches(&templates, "GET", url));
        assert!(!example_matches(
            &templates,
            "POST",
            "https://graph.microsoft.com/beta/users/1"
        ));
    }

    #[test]
    fn unknown_versions_are_not_routes() {
        assert!(request_segments("/v2/users").is_none());
        assert!(request_segments("/").is_none());
    }

    #[test]
    fn example_urls_lose_host_version_and_query() {
        assert_eq!(
            example_segments("https://graph.microsoft.com/beta/users/a%40b/x?$select=id"),
            ["users", "a@b", "x"]
        );
        assert_eq!(
            example_segments("/me/photo/$value"),
            ["me", "photo", "$value"]
        );
        assert!(example_segments("https://graph.microsoft.com").is_empty());
    }
}
