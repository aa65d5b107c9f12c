//! Permission scopes an operation needs, as documented on its reference page.

/// The permissions an operation accepts, per kind of caller.
///
/// `None` means the kind of caller is not supported by the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated access with a work or school account.
    pub delegated_work: Option<PermissionSet>,
    /// Delegated access with a personal Microsoft account.
    pub delegated_personal: Option<PermissionSet>,
    /// Application (app-only) access.
    pub application: Option<PermissionSet>,
}

/// Scopes for one kind of caller.
///
/// [`alternatives`](Self::alternatives) is what the docs say: any one alternative allows the
/// call, and an alternative needs all of its scopes (`User.Read.All AND GroupMember.Read.All`).
/// [`least`](Self::least) and [`higher`](Self::higher) list the same scope names flattened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionSet {
    /// The least privileged scope names.
    pub least: &'static [&'static str],
    /// Higher privileged scope names that also work.
    pub higher: &'static [&'static str],
    /// The ways to be allowed the call, least privileged first; empty when each scope of
    /// [`least`](Self::least) and [`higher`](Self::higher) is one on its own, unconditionally.
    pub alternatives: &'static [ScopeAlternative],
    /// Notes the docs write beside the scopes (`Directory.AccessAsUser.All cannot be used …`).
    pub notes: &'static [&'static str],
}

/// One way to be allowed a call: all of [`scopes`](Self::scopes) together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeAlternative {
    /// The scopes, all needed.
    pub scopes: &'static [&'static str],
    /// When it applies (`Global collection`), if only in some cases.
    pub condition: Option<&'static str>,
    /// Whether the docs list it as least privileged.
    pub least_privileged: bool,
}

impl ScopeAlternative {
    /// Whether every scope of the alternative is among `granted` (ASCII case-insensitively).
    pub fn is_granted(&self, granted: &[&str]) -> bool {
        self.scopes
            .iter()
            .all(|scope| granted.iter().any(|g| g.eq_ignore_ascii_case(scope)))
    }
}

impl PermissionSet {
    /// Whether `granted` holds every scope of some alternative (conditional alternatives
    /// included: check [`ScopeAlternative::condition`] when it matters). Without alternatives,
    /// whether it holds any least or higher privileged scope.
    ///
    /// Scope names compare ASCII case-insensitively, as Microsoft Entra ID treats them.
    pub fn allows(&self, granted: &[&str]) -> bool {
        if !self.alternatives.is_empty() {
            return self
                .alternatives
                .iter()
                .any(|alternative| alternative.is_granted(granted));
        }
        self.least
            .iter()
            .chain(self.higher)
            .any(|scope| granted.iter().any(|g| g.eq_ignore_ascii_case(scope)))
    }
}

/// The least privileged scopes that allow a set of calls, per kind of caller: what
/// [`least_privileged`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeastPrivileged {
    /// Delegated access with a work or school account.
    pub delegated_work: Scopes,
    /// Delegated access with a personal Microsoft account.
    pub delegated_personal: Scopes,
    /// Application (app-only) access.
    pub application: Scopes,
}

/// The scopes one kind of caller needs for a set of calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// The scopes to grant, sorted ASCII case-insensitively.
    pub scopes: Vec<&'static str>,
    /// The calls (indices into the slice given to [`least_privileged`]) this kind of caller
    /// cannot make: the docs say it is not supported, or give no scopes for it.
    pub unsupported: Vec<usize>,
}

/// The least privileged scopes that allow every one of `operations` (the `PERMISSIONS`
/// constants of the generated functions), per kind of caller.
///
/// Each call starts at its least privileged alternative (the docs list them least privileged
/// first, and conditional alternatives only count when a call has no other); then every
/// scope the others cover is dropped, trying the more privileged first. A scope covers
/// another of the same resource and qualifiers whose access is no wider (`ReadBasic` <
/// `Read` < `ReadWrite`) and that is `.All` only if it is: `User.ReadWrite.All` covers
/// `User.Read.All`, `User.ReadWrite` and `User.Read`. A more privileged alternative is only
/// taken when the scope is needed by another call anyway.
///
/// ```
/// use graph_api::{least_privileged, PermissionSet, Permissions};
/// const fn set(least: &'static [&'static str]) -> Option<PermissionSet> {
///     Some(PermissionSet { least, higher: &[], alternatives: &[], notes: &[] })
/// }
/// let read = Permissions { delegated_work: set(&["User.Read"]), delegated_personal: None, application: None };
/// let write = Permissions { delegated_work: set(&["User.ReadWrite.All"]), ..read };
/// let needed = least_privileged(&[&read, &write]);
/// assert_eq!(needed.delegated_work.scopes, ["User.ReadWrite.All"]);
/// assert_eq!(needed.application.unsupported, [0, 1]);
/// ```
pub fn least_privileged(operations: &[&Permissions]) -> LeastPrivileged {
    LeastPrivileged {
        delegated_work: scopes(operations.iter().map(|p| p.delegated_work.as_ref())),
        delegated_personal: scopes(operations.iter().map(|p| p.delegated_personal.as_ref())),
        application: scopes(operations.iter().map(|p| p.application.as_ref())),
    }
}

/// [`least_privileged`] for one kind of caller.
fn scopes<'a>(sets: impl Iterator<Item = Option<&'a PermissionSet>>) -> Scopes {
    let mut calls: Vec<Vec<&'static [&'static str]>> = Vec::new();
    let mut unsupported = Vec::new();
    for (index, set) in sets.enumerate() {
        let alternatives = set.map(alternatives).unwrap_or_default();
        if alternatives.is_empty() {
            unsupported.push(index);
        } else {
            calls.push(alternatives);
        }
    }
    let mut granted: Vec<&'static str> = Vec::new();
    for scope in calls.iter().flat_map(|alternatives| alternatives[0]) {
        if !granted.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
            granted.push(scope);
        }
    }
    // The most privileged first, so a narrower scope is what stays when either would do.
    let mut order = granted.clone();
    order.sort_by(|a, b| rank(b).cmp(&rank(a)).then_with(|| a.cmp(b)));
    for scope in order {
        let rest: Vec<&str> = granted.iter().copied().filter(|g| *g != scope).collect();
        if calls.iter().all(|call| allowed(call, &rest)) {
            granted = rest;
        }
    }
    granted.sort_by_key(|scope| scope.to_ascii_lowercase());
    Scopes {
        scopes: granted,
        unsupported,
    }
}

/// A set's alternatives as scope lists: the unconditional ones, or all when every one has a
/// condition; without structured alternatives, each least or higher scope alone.
fn alternatives(set: &PermissionSet) -> Vec<&'static [&'static str]> {
    if set.alternatives.is_empty() {
        return set
            .least
            .iter()
            .chain(set.higher)
            .map(std::slice::from_ref)
            .collect();
    }
    let plain: Vec<_> = set
        .alternatives
        .iter()
        .filter(|alternative| alternative.condition.is_none() && !alternative.scopes.is_empty())
        .map(|alternative| alternative.scopes)
        .collect();
    if plain.is_empty() {
        set.alternatives
            .iter()
            .map(|alternative| alternative.scopes)
            .filter(|scopes| !scopes.is_empty())
            .collect()
    } else {
        plain
    }
}

/// Whether some alternative of a call has each of its scopes covered by one of `granted`.
fn allowed(call: &[&[&str]], granted: &[&str]) -> bool {
    call.iter().any(|alternative| {
        alternative
            .iter()
            .all(|scope| granted.iter().any(|g| covers(g, scope)))
    })
}

/// Whether granting `wider` allows what `narrower` does (see [`least_privileged`]).
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
fn access(action: &str) -> Option<u8> {
    ["ReadBasic", "Read", "ReadWrite"]
        .iter()
        .position(|word| word.eq_ignore_ascii_case(action))
        .and_then(|rank| u8::try_from(rank).ok())
}

/// How privileged a scope looks: access, then `.All`, then qualifiers.
fn rank(scope: &&str) -> (u8, bool, usize) {
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

#[cfg(test)]
mod tests {
    use super::{covers, least_privileged, PermissionSet, Permissions, ScopeAlternative};

    const fn only(least: &'static [&'static str]) -> PermissionSet {
        PermissionSet {
            least,
            higher: &[],
            alternatives: &[],
            notes: &[],
        }
    }

    const fn alternative(scopes: &'static [&'static str]) -> ScopeAlternative {
        ScopeAlternative {
            scopes,
            condition: None,
            least_privileged: false,
        }
    }

    #[test]
    fn wider_scopes_cover_narrower_ones() {
        assert!(covers("User.ReadWrite.All", "User.Read.All"));
        assert!(covers("User.ReadWrite.All", "User.Read"));
        assert!(covers("user.readwrite", "User.Read"));
        assert!(covers("User.Read.All", "User.ReadBasic.All"));
        assert!(!covers("User.Read", "User.Read.All"));
        assert!(!covers("User.ReadWrite", "Mail.Read"));
        assert!(!covers("Calendars.ReadWrite.Shared", "Calendars.Read"));
        assert!(!covers("Mail.Send", "Mail.Read"));
        assert!(covers("Mail.Send", "mail.send"));
    }

    #[test]
    fn least_privileged_keeps_the_narrowest_set_per_caller() {
        const GET: Permissions = Permissions {
            delegated_work: Some(only(&["User.Read"])),
            delegated_personal: Some(only(&["User.Read"])),
            application: Some(only(&["User.Read.All"])),
        };
        const UPDATE: Permissions = Permissions {
            delegated_work: Some(only(&["User.ReadWrite"])),
            delegated_personal: Some(only(&["User.ReadWrite"])),
            application: Some(only(&["User.ReadWrite.All"])),
        };
        // Either scope alone; the second is needed by `GROUPS` anyway, so it serves both.
        const MEMBERS: Permissions = Permissions {
            delegated_work: Some(PermissionSet {
                least: &["GroupMember.Read.All"],
                higher: &["Group.Read.All"],
                alternatives: &[
                    alternative(&["GroupMember.Read.All"]),
                    alternative(&["Group.Read.All"]),
                ],
                notes: &[],
            }),
            delegated_personal: None,
            application: Some(only(&["GroupMember.Read.All"])),
        };
        const GROUPS: Permissions = Permissions {
            delegated_work: Some(only(&["Group.Read.All"])),
            delegated_personal: None,
            application: Some(only(&["Mail.Send"])),
        };
        let needed = least_privileged(&[&GET, &UPDATE, &MEMBERS, &GROUPS]);
        assert_eq!(
            needed.delegated_work.scopes,
            ["Group.Read.All", "User.ReadWrite"]
        );
        assert!(needed.delegated_work.unsupported.is_empty());
        assert_eq!(needed.delegated_personal.scopes, ["User.ReadWrite"]);
        assert_eq!(needed.delegated_personal.unsupported, [2, 3]);
        assert_eq!(
            needed.application.scopes,
            ["GroupMember.Read.All", "Mail.Send", "User.ReadWrite.All"]
        );
        assert_eq!(least_privileged(&[]).application.scopes, [""; 0]);
    }

    #[test]
    fn conditional_alternatives_count_only_alone() {
        const SET: Permissions = Permissions {
            delegated_work: Some(PermissionSet {
                least: &["A.Read.All"],
                higher: &["B.Read.Global"],
                alternatives: &[
                    alternative(&["A.Read.All", "C.Read.All"]),
                    ScopeAlternative {
                        scopes: &["B.Read.Global"],
                        condition: Some("Global collection"),
                        least_privileged: false,
                    },
                ],
                notes: &[],
            }),
            delegated_personal: None,
            application: None,
        };
        let needed = least_privileged(&[&SET]);
        assert_eq!(needed.delegated_work.scopes, ["A.Read.All", "C.Read.All"]);
    }

    const SET: PermissionSet = PermissionSet {
        least: &["User.Read"],
        higher: &["User.ReadWrite.All"],
        alternatives: &[],
        notes: &[],
    };

    #[test]
    fn alternatives_need_all_their_scopes() {
        const BOTH: PermissionSet = PermissionSet {
            least: &["User.Read.All", "GroupMember.Read.All"],
            higher: &["Directory.Read.All"],
            alternatives: &[
                ScopeAlternative {
                    scopes: &["User.Read.All", "GroupMember.Read.All"],
                    condition: None,
                    least_privileged: true,
                },
                ScopeAlternative {
                    scopes: &["Directory.Read.All"],
                    condition: None,
                    least_privileged: false,
                },
            ],
            notes: &[],
        };
        assert!(!BOTH.allows(&["User.Read.All"]));
        assert!(BOTH.allows(&["user.read.all", "GroupMember.Read.All"]));
        assert!(BOTH.allows(&["Directory.Read.All"]));
    }

    #[test]
    fn allows_least_or_higher_case_insensitively() {
        assert!(SET.allows(&["user.read"]));
        assert!(SET.allows(&["Mail.Read", "USER.READWRITE.ALL"]));
        assert!(!SET.allows(&["User.Read.All"]));
        assert!(!SET.allows(&[]));
    }
}
