//! `graph-gen scopes`: the least privileged permissions a crate's generated calls need, read
//! offline from its source and the docs its bindings come from.
//!
//! [`calls`] finds the calls (flat functions by path, navigation chains through the plan's
//! builders); [`analyse`] chooses, per account type, the scopes that allow all of them, with
//! the rule of `graph_api::least_privileged` (the two are kept alike; graph-api cannot depend
//! on graph-gen, nor graph-gen on the runtime's HTTP stack):
//!
//! - each operation starts at its least privileged alternative (pages list them least
//!   privileged first; an alternative with a condition, `for Global collection: …`, only
//!   counts when the operation has no other);
//! - then every scope the others cover is dropped, the more privileged tried first, so a
//!   more privileged alternative is only used when another call needs its scope anyway;
//! - a scope covers another of the same resource and qualifiers whose access is no wider
//!   (`ReadBasic` < `Read` < `ReadWrite`) and that is `.All` only if it is:
//!   `User.ReadWrite.All` covers `User.Read.All`, `User.ReadWrite` and `User.Read`.
//!
//! # JSON
//! `--format json` prints one object, whose field names are only ever added to:
//!
//! ```json
//! {
//!   "operations": [{ "function": "v1::user::get", "title": "Get user",
//!                    "page": "docs/v1.0/api/user-get.md:3", "documented": true,
//!                    "calls": ["src/main.rs:12"] }],
//!   "delegated_work": {
//!     "scopes": [{ "scope": "User.Read", "operations": ["v1::user::get"] }],
//!     "unsupported": ["v1::user::list"],
//!     "roles": [{ "operation": "v1::user::update", "any_of": ["User Administrator"],
//!                 "role_permission": null }]
//!   },
//!   "delegated_personal": { "scopes": [], "unsupported": [], "roles": [] },
//!   "application": { "scopes": [], "unsupported": [], "roles": [] },
//!   "undocumented": ["v1::x::y"],
//!   "diagnostics": [{ "severity": "warning", "file": "src/main.rs", "line": 3, "message": "…" }]
//! }
//! ```
//!
//! `operations` are sorted by function, with their calls by file and line; `unsupported` are
//! operations the account type cannot call (the docs say so, or give it no scopes);
//! `undocumented` are operations whose pages state no permissions, left out of every set; the
//! diagnostics are calls that could not be resolved and files that could not be read.

mod calls;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::codegen::version_module_name;
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{Ir, PermissionSet, Source};
use crate::plan::Plan;

/// What `graph-gen scopes` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Needed {
    pub(crate) operations: Vec<OperationUse>,
    pub(crate) delegated_work: AccountScopes,
    pub(crate) delegated_personal: AccountScopes,
    pub(crate) application: AccountScopes,
    pub(crate) undocumented: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// One operation the crate calls.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OperationUse {
    /// Its flat function (`v1::user::get`), which names it whichever way it is called.
    pub(crate) function: String,
    pub(crate) title: String,
    /// `file:line` of its page's H1.
    pub(crate) page: String,
    /// Whether the page states permissions.
    pub(crate) documented: bool,
    /// `file:line` of each call.
    pub(crate) calls: Vec<String>,
}

/// The scopes, unsupported operations and roles of one account type.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct AccountScopes {
    pub(crate) scopes: Vec<ScopeUse>,
    pub(crate) unsupported: Vec<String>,
    pub(crate) roles: Vec<RoleUse>,
}

/// A scope to grant and the operations it allows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScopeUse {
    pub(crate) scope: String,
    pub(crate) operations: Vec<String>,
}

/// The Entra roles a delegated (work or school) caller of an operation needs: any one of them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleUse {
    pub(crate) operation: String,
    pub(crate) any_of: Vec<String>,
    pub(crate) role_permission: Option<String>,
}

/// The calls of `files` (each `(file as shown, text)`) against the docs in `ir`, and the
/// scopes they need. A file that does not parse is an error diagnostic; the others still count.
pub(crate) fn analyse<'t>(ir: &Ir, files: impl IntoIterator<Item = (String, &'t str)>) -> Needed {
    // The plan's naming warnings belong to `check`, not here.
    let quiet = Ctxt::new();
    let plan = Plan::new(ir, &quiet);
    drop(quiet.into_diagnostics());
    let (found, diagnostics) = find_calls(&plan, files);

    // Operation index → its function name and call sites.
    let mut used: BTreeMap<usize, Vec<Source>> = BTreeMap::new();
    for call in &found {
        used.entry(call.operation)
            .or_default()
            .push(call.source.clone());
    }
    let function = |operation: usize| {
        let op = &ir.operations[operation];
        plan.version(op.version)
            .and_then(|version| version.operations.get(&operation))
            .map_or_else(
                || op.title.clone(),
                |planned| {
                    format!(
                        "{}::{}::{}",
                        version_module_name(op.version),
                        crate::naming::ident(&planned.module),
                        crate::naming::ident(&planned.function)
                    )
                },
            )
    };
    let mut operations: Vec<(usize, OperationUse)> = used
        .into_iter()
        .map(|(operation, mut sources)| {
            sources.sort();
            sources.dedup();
            let op = &ir.operations[operation];
            (
                operation,
                OperationUse {
                    function: function(operation),
                    title: op.title.clone(),
                    page: op.source.to_string(),
                    documented: op.permissions.is_some(),
                    calls: sources.iter().map(ToString::to_string).collect(),
                },
            )
        })
        .collect();
    operations.sort_by(|a, b| a.1.function.cmp(&b.1.function));

    let account = |pick: fn(&crate::ir::Permissions) -> Option<&PermissionSet>| {
        let mut sets = Vec::new();
        let mut unsupported = Vec::new();
        for (operation, usage) in &operations {
            let Some(permissions) = &ir.operations[*operation].permissions else {
                continue;
            };
            let alternatives = pick(permissions).map(alternatives).unwrap_or_default();
            if alternatives.is_empty() {
                unsupported.push(usage.function.clone());
            } else {
                sets.push((usage.function.clone(), alternatives));
            }
        }
        let chosen = choose(&sets);
        AccountScopes {
            scopes: chosen,
            unsupported,
            roles: Vec::new(),
        }
    };
    let mut delegated_work = account(|p| p.delegated_work.as_ref());
    delegated_work.roles = operations
        .iter()
        .filter_map(|(operation, usage)| {
            let roles = ir.operations[*operation].roles.as_ref()?;
            Some(RoleUse {
                operation: usage.function.clone(),
                any_of: roles.roles.clone(),
                role_permission: roles.role_permission.clone(),
            })
        })
        .collect();
    Needed {
        delegated_personal: account(|p| p.delegated_personal.as_ref()),
        application: account(|p| p.application.as_ref()),
        delegated_work,
        undocumented: operations
            .iter()
            .filter(|(_, usage)| !usage.documented)
            .map(|(_, usage)| usage.function.clone())
            .collect(),
        operations: operations.into_iter().map(|(_, usage)| usage).collect(),
        diagnostics,
    }
}

/// The calls of every file that parses, and a located error for each that does not.
fn find_calls<'t>(
    plan: &Plan,
    files: impl IntoIterator<Item = (String, &'t str)>,
) -> (Vec<calls::Call>, Vec<Diagnostic>) {
    let index = calls::Index::new(plan);
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, text) in files {
        match syn::parse_file(text) {
            Ok(syntax) => calls::find(&index, &file, &syntax, &mut found, &mut diagnostics),
            Err(error) => {
                let start = error.span().start();
                let source = Source::new(&file, u32::try_from(start.line.max(1)).unwrap_or(1));
                diagnostics.push(
                    Diagnostic::error(&source, format!("`{file}` does not parse as rust: {error}"))
                        .with_column(u32::try_from(start.column + 1).unwrap_or(1))
                        .with_help("its calls are not counted; fix the syntax and run again"),
                );
            }
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    (found, diagnostics)
}

/// A set's alternatives as scope lists: the unconditional ones, or all when each has a
/// condition; without structured alternatives, each least or higher scope alone.
fn alternatives(set: &PermissionSet) -> Vec<Vec<String>> {
    if set.alternatives.is_empty() {
        return set
            .least
            .iter()
            .chain(&set.higher)
            .map(|scope| vec![scope.clone()])
            .collect();
    }
    let usable = |plain: bool| {
        set.alternatives
            .iter()
            .filter(|a| !a.scopes.is_empty() && (!plain || a.condition.is_none()))
            .map(|a| a.scopes.clone())
            .collect::<Vec<_>>()
    };
    let plain = usable(true);
    if plain.is_empty() {
        usable(false)
    } else {
        plain
    }
}

/// The least privileged scopes allowing every `(operation, alternatives)`, each with the
/// operations it serves (the module docs give the rule).
fn choose(operations: &[(String, Vec<Vec<String>>)]) -> Vec<ScopeUse> {
    let mut granted: Vec<&str> = Vec::new();
    for scope in operations
        .iter()
        .flat_map(|(_, alternatives)| &alternatives[0])
    {
        if !granted.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
            granted.push(scope);
        }
    }
    // The most privileged first, so a narrower scope is what stays when either would do.
    let mut order = granted.clone();
    order.sort_by(|a, b| rank(b).cmp(&rank(a)).then_with(|| a.cmp(b)));
    for scope in order {
        let rest: Vec<&str> = granted.iter().copied().filter(|g| *g != scope).collect();
        if operations
            .iter()
            .all(|(_, alternatives)| allowing(alternatives, &rest).is_some())
        {
            granted = rest;
        }
    }
    granted.sort_by_key(|scope| scope.to_ascii_lowercase());
    let mut serves: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); granted.len()];
    for (operation, alternatives) in operations {
        let Some(alternative) = allowing(alternatives, &granted) else {
            continue; // cannot happen: the first alternatives allow every operation
        };
        for scope in alternative {
            // The scope itself when granted, else the first that covers it.
            let at = granted
                .iter()
                .position(|g| g.eq_ignore_ascii_case(scope))
                .or_else(|| granted.iter().position(|g| covers(g, scope)));
            if let Some(at) = at {
                serves[at].insert(operation);
            }
        }
    }
    granted
        .into_iter()
        .zip(serves)
        .map(|(scope, operations)| ScopeUse {
            scope: scope.to_owned(),
            operations: operations.into_iter().map(str::to_owned).collect(),
        })
        .collect()
}

/// The first alternative each of whose scopes one of `granted` covers.
fn allowing<'a>(alternatives: &'a [Vec<String>], granted: &[&str]) -> Option<&'a [String]> {
    alternatives
        .iter()
        .find(|alternative| {
            alternative
                .iter()
                .all(|scope| granted.iter().any(|g| covers(g, scope)))
        })
        .map(Vec::as_slice)
}

/// Whether granting `wider` allows what `narrower` does.
fn covers(wider: &str, narrower: &str) -> bool {
    if wider.eq_ignore_ascii_case(narrower) {
        return true;
    }
    let (w, n) = (Scope::parse(wider), Scope::parse(narrower));
    let same = |a: &[&str], b: &[&str]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
    };
    let access = match (access(w.action), access(n.action)) {
        (Some(w), Some(n)) => w >= n,
        _ => w.action.eq_ignore_ascii_case(n.action),
    };
    w.resource.eq_ignore_ascii_case(n.resource)
        && same(&w.qualifiers, &n.qualifiers)
        && access
        && (w.all || !n.all)
}

/// How wide an access word is, for the words that nest.
fn access(action: &str) -> Option<usize> {
    ["ReadBasic", "Read", "ReadWrite"]
        .iter()
        .position(|word| word.eq_ignore_ascii_case(action))
}

/// How privileged a scope looks: access, then `.All`, then qualifiers.
fn rank(scope: &&str) -> (usize, bool, usize) {
    let scope = Scope::parse(scope);
    (
        access(scope.action).unwrap_or(1),
        scope.all,
        scope.qualifiers.len(),
    )
}

/// `Resource.Action[.Qualifier…][.All]`.
struct Scope<'a> {
    resource: &'a str,
    action: &'a str,
    qualifiers: Vec<&'a str>,
    all: bool,
}

impl<'a> Scope<'a> {
    fn parse(name: &'a str) -> Self {
        let mut segments: Vec<&str> = name.split('.').collect();
        let all = segments.len() > 2
            && segments
                .last()
                .is_some_and(|s| s.eq_ignore_ascii_case("all"));
        if all {
            segments.pop();
        }
        Scope {
            resource: segments.first().copied().unwrap_or_default(),
            action: segments.get(1).copied().unwrap_or_default(),
            qualifiers: segments.get(2..).map(<[&str]>::to_vec).unwrap_or_default(),
            all,
        }
    }
}

impl fmt::Display for Needed {
    /// The text form: per account type, each scope with the operations it allows; then the
    /// operations with their pages and calls.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let calls: usize = self.operations.iter().map(|op| op.calls.len()).sum();
        writeln!(
            f,
            "{calls} call{} to {} operation{}",
            plural(calls),
            self.operations.len(),
            plural(self.operations.len())
        )?;
        for (heading, account) in [
            ("delegated (work or school account)", &self.delegated_work),
            (
                "delegated (personal Microsoft account)",
                &self.delegated_personal,
            ),
            ("application", &self.application),
        ] {
            writeln!(f, "\n{heading}:")?;
            if account.scopes.is_empty() {
                writeln!(f, "  (no scopes)")?;
            }
            let width = account
                .scopes
                .iter()
                .map(|scope| scope.scope.len())
                .max()
                .unwrap_or(0);
            for scope in &account.scopes {
                writeln!(
                    f,
                    "  {:width$}  {}",
                    scope.scope,
                    scope.operations.join(", ")
                )?;
            }
            if !account.unsupported.is_empty() {
                writeln!(f, "  not supported: {}", account.unsupported.join(", "))?;
            }
            for role in &account.roles {
                write!(
                    f,
                    "  role for {}: any of {}",
                    role.operation,
                    role.any_of.join(", ")
                )?;
                if let Some(permission) = &role.role_permission {
                    write!(f, " (custom roles: `{permission}`)")?;
                }
                writeln!(f)?;
            }
        }
        if !self.undocumented.is_empty() {
            writeln!(
                f,
                "\nno permissions in the docs: {}",
                self.undocumented.join(", ")
            )?;
        }
        if !self.operations.is_empty() {
            writeln!(f, "\noperations:")?;
        }
        for op in &self.operations {
            writeln!(
                f,
                "  {} ({}, {}): called at {}",
                op.function,
                op.title,
                op.page,
                op.calls.join(", ")
            )?;
        }
        Ok(())
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::{analyse, choose, covers};

    fn sets(operations: &[(&str, &[&[&str]])]) -> Vec<(String, Vec<Vec<String>>)> {
        operations
            .iter()
            .map(|(name, alternatives)| {
                (
                    (*name).to_owned(),
                    alternatives
                        .iter()
                        .map(|a| a.iter().map(|s| (*s).to_owned()).collect())
                        .collect(),
                )
            })
            .collect()
    }

    fn chosen(operations: &[(&str, &[&[&str]])]) -> Vec<(String, Vec<String>)> {
        choose(&sets(operations))
            .into_iter()
            .map(|scope| (scope.scope, scope.operations))
            .collect()
    }

    #[test]
    fn scopes_cover_narrower_access_and_non_all() {
        assert!(covers("User.ReadWrite.All", "User.Read.All"));
        assert!(covers("User.ReadWrite.All", "user.read"));
        assert!(covers("Mail.Read", "Mail.ReadBasic"));
        assert!(!covers("Mail.Read", "Mail.ReadBasic.All"));
        assert!(!covers("Calendars.ReadWrite.Shared", "Calendars.Read"));
        assert!(!covers("Directory.Read.All", "User.Read.All"));
    }

    #[test]
    fn scopes_a_wider_scope_serves_every_operation_it_covers() {
        let got = chosen(&[
            ("get", &[&["User.Read"]]),
            ("update", &[&["User.ReadWrite.All"]]),
            ("members", &[&["GroupMember.Read.All"], &["Group.Read.All"]]),
            ("groups", &[&["Group.Read.All"]]),
            ("mail", &[&["Mail.ReadBasic"], &["Mail.Read"]]),
        ]);
        let owned = |scope: &str, ops: &[&str]| {
            (
                scope.to_owned(),
                ops.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            got,
            [
                owned("Group.Read.All", &["groups", "members"]),
                owned("Mail.ReadBasic", &["mail"]),
                owned("User.ReadWrite.All", &["get", "update"]),
            ]
        );
    }

    #[test]
    fn scopes_never_takes_a_higher_alternative_only_to_save_a_scope() {
        let got = chosen(&[
            ("a", &[&["A.Read"], &["Directory.Read.All"]]),
            ("b", &[&["B.Read"], &["Directory.Read.All"]]),
        ]);
        let names: Vec<&str> = got.iter().map(|(scope, _)| scope.as_str()).collect();
        assert_eq!(names, ["A.Read", "B.Read"]);
    }

    #[test]
    fn scopes_an_unparsable_file_is_a_located_error_and_others_still_count() {
        let ir = crate::Generator::default().load_page_texts([(
            "v1.0/api/user-get.md",
            "---\ndoc_type: apiPageType\n---\n# Get user\n\n## Permissions\n\n\
             |Permission type|Permissions (from least to most privileged)|\n|:--|:--|\n\
             |Delegated (work or school account)|User.Read|\n\
             |Delegated (personal Microsoft account)|User.Read|\n\
             |Application|User.Read.All|\n\n## HTTP request\n\n```http\nGET /users/{id}\n```\n",
        )]);
        let good = "fn main() { let _ = graph_api::v1::user::get(&client, \"id\"); }";
        let needed = analyse(
            &ir,
            [
                ("bad.rs".to_owned(), "fn main( {"),
                ("good.rs".to_owned(), good),
            ],
        );
        assert_eq!(needed.diagnostics.len(), 1, "{:?}", needed.diagnostics);
        assert!(needed.diagnostics[0].is_error());
        assert_eq!(needed.diagnostics[0].file, "bad.rs");
        let functions: Vec<&str> = needed
            .operations
            .iter()
            .map(|op| op.function.as_str())
            .collect();
        assert_eq!(functions, ["v1::user::get"]);
        assert_eq!(needed.delegated_work.scopes[0].scope, "User.Read");
        assert_eq!(needed.application.scopes[0].scope, "User.Read.All");
    }
}
