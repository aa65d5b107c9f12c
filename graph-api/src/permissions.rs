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

#[cfg(test)]
mod tests {
    use super::{PermissionSet, ScopeAlternative};

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
