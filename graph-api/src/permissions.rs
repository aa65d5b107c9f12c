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

/// Scopes for one kind of caller: any one of them is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionSet {
    /// The least privileged scopes.
    pub least: &'static [&'static str],
    /// Higher privileged scopes that also work.
    pub higher: &'static [&'static str],
}

impl PermissionSet {
    /// Whether any least or higher privileged scope is among `granted`.
    ///
    /// Scope names compare ASCII case-insensitively, as Microsoft Entra ID treats them.
    pub fn allows(&self, granted: &[&str]) -> bool {
        self.least
            .iter()
            .chain(self.higher)
            .any(|scope| granted.iter().any(|g| g.eq_ignore_ascii_case(scope)))
    }
}

#[cfg(test)]
mod tests {
    use super::PermissionSet;

    const SET: PermissionSet = PermissionSet {
        least: &["User.Read"],
        higher: &["User.ReadWrite.All"],
    };

    #[test]
    fn allows_least_or_higher_case_insensitively() {
        assert!(SET.allows(&["user.read"]));
        assert!(SET.allows(&["Mail.Read", "USER.READWRITE.ALL"]));
        assert!(!SET.allows(&["User.Read.All"]));
        assert!(!SET.allows(&[]));
    }
}
