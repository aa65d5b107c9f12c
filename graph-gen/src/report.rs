//! Coverage figures of a docs tree: how much of it became operations, permissions and checked
//! examples (`graph-gen check --report`).

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::ir::{ApiVersion, ExampleResponse, Ir, Operation, PageKind};

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
    /// HTTP templates a request builder sends, reached from the version's root by
    /// navigations (`v1.users().by_id(…).messages()`).
    pub templates_reachable: usize,
    /// Functions and methods of the generated API: flat functions, navigations and the
    /// requests of each builder.
    pub names: usize,
    /// Of those, names with a number for a word (`get_messages_2`, `id2`).
    pub names_numbered: usize,
    /// Of those, names holding a piece of a path other than the one they are named after
    /// (`me`, `id`, or an earlier literal segment of their template, as in
    /// `get_users_id_mail_folders`).
    pub names_with_path_fragments: usize,
    /// The longest of those names.
    pub longest_name: String,
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
    /// Operations whose page shows a 2xx example response with a JSON body (`$count` and
    /// `$value` examples aside).
    pub operations_with_json_example: usize,
    /// Of those, the operations whose function gives the body typed (a model, an enum, a
    /// primitive or a collection of them), not `()`, bytes or untyped JSON.
    pub operations_typed: usize,
    /// Operations whose 2xx example responses are annotated with an `@odata.type`.
    pub responses_annotated: usize,
    /// Of those, the operations whose response has the annotation's type (or a base type of it,
    /// which decodes it) and its collection-ness (`Collection(…)`, `isCollection`, or a body that
    /// is only a `value` array).
    pub responses_agreeing: usize,
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
        let plan = {
            let quiet = crate::diagnostics::Ctxt::new();
            let plan = crate::plan::Plan::new(ir, &quiet);
            drop(quiet.into_diagnostics());
            plan
        };
        report.count_names(ir, &plan);
        for version in &plan.versions {
            let mut reachable = vec![false; version.builders.len()];
            for builder in version.reachable() {
                reachable[builder] = true;
            }
            for (index, operation) in ir.operations.iter().enumerate() {
                if operation.version != version.version {
                    continue;
                }
                report.templates_reachable += (0..operation.http.len())
                    .filter(|&template| {
                        version
                            .method_of(index, template)
                            .is_some_and(|(builder, _)| reachable[builder])
                    })
                    .count();
            }
        }
        let typed = crate::codegen::typed_responses(ir);
        let bases = Bases::new(ir);
        for (operation, typed) in ir.operations.iter().zip(typed) {
            let shown: Vec<&ExampleResponse> = json_examples(operation).collect();
            if !shown.is_empty() {
                report.operations_with_json_example += 1;
                report.operations_typed += usize::from(typed);
            }
            if let Some(annotated) = shown.iter().find(|example| example.odata_type.is_some()) {
                report.responses_annotated += 1;
                report.responses_agreeing += usize::from(agrees(operation, annotated, &bases));
            }
        }
        for operation in &ir.operations {
            for example in &operation.examples {
                if let Some(request) = example.request.as_ref().filter(|r| {
                    crate::route::is_graph_url(&r.url) && !crate::route::is_placeholder_url(&r.url)
                }) {
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

/// The 2xx example responses of `operation` with a JSON body, `$count` and `$value` aside.
fn json_examples(operation: &Operation) -> impl Iterator<Item = &ExampleResponse> {
    operation
        .examples
        .iter()
        .filter(|example| {
            example.request.as_ref().is_none_or(|request| {
                let path = request.url.split(['?', '#']).next().unwrap_or_default();
                let path = path.trim_end_matches('/');
                !(path.ends_with("/$count") || path.ends_with("/$value"))
            })
        })
        .filter_map(|example| example.response.as_ref())
        .filter(|response| (200..300).contains(&response.status) && response.body.is_some())
}

/// Base types by version and lower-case name.
struct Bases(HashMap<(ApiVersion, String), String>);

impl Bases {
    fn new(ir: &Ir) -> Self {
        Bases(
            ir.models
                .iter()
                .filter_map(|model| {
                    let base = model.base_type.as_deref()?.trim_start_matches('#');
                    let base = if base.contains('.') {
                        base.to_owned()
                    } else {
                        let namespace = model.name.rsplit_once('.').map_or("", |(ns, _)| ns);
                        format!("{namespace}.{base}")
                    };
                    Some((
                        (model.version, model.name.to_ascii_lowercase()),
                        base.to_ascii_lowercase(),
                    ))
                })
                .collect(),
        )
    }

    /// Whether `base` is `derived` or one of its base types (a few levels, cycles cut).
    fn is_base_of(&self, version: ApiVersion, base: &str, derived: &str) -> bool {
        let mut name = derived.to_owned();
        for _ in 0..32 {
            if name == base {
                return true;
            }
            match self.0.get(&(version, name.clone())) {
                Some(next) => name.clone_from(next),
                None => return false,
            }
        }
        false
    }
}

/// Whether the response of `operation` agrees with the annotation of `example`.
fn agrees(operation: &Operation, example: &ExampleResponse, bases: &Bases) -> bool {
    let Some(response) = &operation.response else {
        return false;
    };
    let Some(type_name) = &response.type_name else {
        return false;
    };
    let normal = |name: &str| {
        let name = name.trim().trim_start_matches('#');
        crate::lower::primitive_type(name).map_or_else(|| name.to_ascii_lowercase(), str::to_owned)
    };
    let (ours, theirs) = (
        normal(type_name),
        normal(example.odata_type.as_deref().unwrap_or_default()),
    );
    let same_type = bases.is_base_of(operation.version, &ours, &theirs);
    let only_values = example
        .body
        .as_ref()
        .and_then(|body| body.as_object())
        .is_some_and(|body| {
            let mut keys = body
                .keys()
                .filter(|key| !key.contains('@') && !key.starts_with("odata."));
            keys.next().is_some_and(|key| key == "value")
                && keys.next().is_none()
                && body.get("value").is_some_and(serde_json::Value::is_array)
        });
    same_type && response.collection == (example.collection || only_values)
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

impl Report {
    /// The name figures of the API `plan` generates for `ir`: each name is judged against the
    /// template it sends (or, for a navigation, the segment it steps over).
    fn count_names(&mut self, ir: &Ir, plan: &crate::plan::Plan) {
        let mut judge = |name: &str, path: Option<PathWords>| {
            self.names += 1;
            let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
            if words.iter().any(|word| is_numbered(word)) {
                self.names_numbered += 1;
            }
            if path.is_some_and(|path| path.is_repeated_by(&words)) {
                self.names_with_path_fragments += 1;
            }
            if name.len() > self.longest_name.len() {
                name.clone_into(&mut self.longest_name);
            }
        };
        for version in &plan.versions {
            for builder in &version.builders {
                // `me()` and `by_id()` are named after the step they take: nothing to judge
                // but their length.
                for navigation in &builder.navigations {
                    judge(&navigation.name, None);
                }
                for method in &builder.methods {
                    let operation = &ir.operations[method.operation];
                    let template = method.templates.first().copied().unwrap_or(0);
                    judge(&method.name, PathWords::of(operation, template));
                }
            }
            for (&index, operation_plan) in &version.operations {
                let operation = &ir.operations[index];
                judge(
                    &operation_plan.function,
                    PathWords::of(operation, operation_plan.canonical),
                );
            }
        }
    }
}

/// A word that is a number, or a number glued to a parameter's name (`id2`).
fn is_numbered(word: &str) -> bool {
    let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
    stem.len() < word.len() && (stem.is_empty() || stem == "id")
}

/// The literal segments of a template in snake case: the one a request is named after (its
/// last, keys and `$ref`, `$value`, `$count` aside) and those before it.
struct PathWords {
    own: String,
    earlier: Vec<String>,
}

impl PathWords {
    fn of(operation: &Operation, template: usize) -> Option<PathWords> {
        let segments = operation.http.get(template)?.path.segments();
        let named_after = segments
            .iter()
            .rposition(|segment| segment.literal().is_some_and(|text| !text.starts_with('$')))?;
        Some(PathWords {
            own: crate::naming::snake_case(segments[named_after].literal()?),
            earlier: segments[..named_after]
                .iter()
                .filter_map(|segment| segment.literal())
                .map(crate::naming::snake_case)
                .collect(),
        })
    }

    /// Whether a name of `words` repeats the path, as names made from URLs did
    /// (`get_me_messages`, `get_users_id_mail_folders`): besides the segment it is named after,
    /// it holds `me`, `id`, or two earlier segments. One earlier segment is often the start of
    /// a type's name (`device_management` of `create_device_management_partner`).
    fn is_repeated_by(&self, words: &[&str]) -> bool {
        let own = split_words(&self.own);
        let rest: Vec<&str> = match words.windows(own.len()).rposition(|w| w == own.as_slice()) {
            Some(at) if !own.is_empty() => [&words[..at], &words[at + own.len()..]].concat(),
            _ => words.to_vec(),
        };
        let earlier_held = self
            .earlier
            .iter()
            .filter(|segment| holds_run(&rest, segment))
            .count();
        rest.iter().any(|word| matches!(*word, "me" | "id")) || earlier_held >= 2
    }
}

fn split_words(snake: &str) -> Vec<&str> {
    snake.split('_').filter(|w| !w.is_empty()).collect()
}

/// Whether `words` hold the words of `segment` (snake case) one after another.
fn holds_run(words: &[&str], segment: &str) -> bool {
    let run = split_words(segment);
    !run.is_empty()
        && words
            .windows(run.len())
            .any(|window| window == run.as_slice())
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
            "templates reachable     {} of {} by navigation from the root ({})",
            self.templates_reachable,
            self.templates,
            percent(self.templates_reachable, self.templates)
        )?;
        writeln!(
            f,
            "names                   {} functions and methods: {} numbered, {} with path fragments, longest {} (`{}`)",
            self.names,
            self.names_numbered,
            self.names_with_path_fragments,
            self.longest_name.len(),
            self.longest_name
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
        writeln!(
            f,
            "typed responses         {} of {} operations with a JSON example ({})",
            self.operations_typed,
            self.operations_with_json_example,
            percent(self.operations_typed, self.operations_with_json_example)
        )?;
        writeln!(
            f,
            "annotations agreeing    {} of {} annotated responses ({})",
            self.responses_agreeing,
            self.responses_annotated,
            percent(self.responses_agreeing, self.responses_annotated)
        )?;
        write!(
            f,
            "diagnostics             {} errors, {} warnings",
            self.errors, self.warnings
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(own: &str, earlier: &[&str]) -> PathWords {
        PathWords {
            own: own.to_owned(),
            earlier: earlier.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn words(name: &str) -> Vec<&str> {
        split_words(name)
    }

    #[test]
    fn names_made_from_urls_are_counted() {
        let messages = path("messages", &["users", "mail_folders"]);
        assert!(messages.is_repeated_by(&words("get_users_id_mail_folders_id2_messages_id3")));
        assert!(messages.is_repeated_by(&words("get_users_mail_folders_messages")));
        assert!(path("messages", &["me"]).is_repeated_by(&words("get_me_messages")));
        assert!(is_numbered("2") && is_numbered("id2"));
    }

    #[test]
    fn names_from_meaning_are_not() {
        assert!(!path("messages", &["users", "mail_folders"]).is_repeated_by(&words("list")));
        assert!(!path("shared_with_me", &["me", "drive"]).is_repeated_by(&words("shared_with_me")));
        let partners = path("device_management_partners", &["device_management"]);
        assert!(!partners.is_repeated_by(&words("create_device_management_partner")));
        assert!(!is_numbered("b2x") && !is_numbered("id") && !is_numbered("v1"));
    }
}
