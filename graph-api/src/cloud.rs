//! National cloud deployments of Microsoft Graph and their service roots.

/// A Microsoft Graph deployment, selecting the service root requests go to.
///
/// A custom [`base_url`](crate::GraphClientBuilder::base_url) wins over the cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NationalCloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// Microsoft Graph for US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// Microsoft Graph for US Government L5 (DOD), `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// Microsoft Graph China operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// The service root of this cloud, without a trailing slash.
    pub fn base_url(&self) -> &'static str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGovL4 => "https://graph.microsoft.us",
            Self::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The OAuth scope of Graph in this cloud, `<service root>/.default`: what a token for
    /// this cloud's Graph is requested for (the app's granted permissions).
    pub fn default_scope(&self) -> &'static str {
        match self {
            Self::Global => "https://graph.microsoft.com/.default",
            Self::UsGovL4 => "https://graph.microsoft.us/.default",
            Self::UsGovL5Dod => "https://dod-graph.microsoft.us/.default",
            Self::China => "https://microsoftgraph.chinacloudapi.cn/.default",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NationalCloud;

    #[test]
    fn default_scopes_are_the_service_roots() {
        for cloud in [
            NationalCloud::Global,
            NationalCloud::UsGovL4,
            NationalCloud::UsGovL5Dod,
            NationalCloud::China,
        ] {
            assert_eq!(
                cloud.default_scope(),
                format!("{}/.default", cloud.base_url())
            );
        }
    }
}
