//! Redirects, followed by hand so that credentials never leave the origin they belong to.

use reqwest::header::{HeaderMap, AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};

use crate::Error;

/// Redirects followed per attempt unless
/// [`GraphClientBuilder::max_redirects`](crate::GraphClientBuilder::max_redirects) says otherwise.
pub(crate) const DEFAULT_MAX_REDIRECTS: usize = 10;

/// Where a redirect sends the request next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Hop {
    pub(crate) url: Url,
    pub(crate) method: Method,
    /// Whether the body is sent again (307 and 308 keep it; the others turn into a `GET`).
    pub(crate) keep_body: bool,
}

/// The next hop for a response with `status`, or `None` if it is not a redirect to follow
/// (not a 301, 302, 303, 307 or 308, or without a `Location`).
pub(crate) fn next_hop(
    current: &Url,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
) -> Option<Result<Hop, Error>> {
    let keeps_method = match status {
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => true,
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => *method != Method::POST,
        StatusCode::SEE_OTHER => *method == Method::HEAD,
        _ => return None,
    };
    let location = headers.get(LOCATION)?;
    // The location is not echoed: pre-authenticated download urls carry credentials.
    let url = location
        .to_str()
        .ok()
        .and_then(|text| current.join(text).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"));
    let Some(url) = url else {
        return Some(Err(Error::Redirect(format!(
            "a {} redirect has a location that is not an http or https url",
            status.as_u16()
        ))));
    };
    Some(Ok(Hop {
        url,
        method: if keeps_method {
            method.clone()
        } else {
            Method::GET
        },
        keep_body: keeps_method,
    }))
}

/// Whether `a` and `b` have the same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Removes every header that could authenticate the caller: `Authorization`,
/// `Proxy-Authorization`, `Cookie`, and any value marked sensitive.
pub(crate) fn strip_credentials(headers: &mut HeaderMap) {
    for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
        headers.remove(name);
    }
    let sensitive: Vec<_> = headers
        .iter()
        .filter(|(_, value)| value.is_sensitive())
        .map(|(name, _)| name.clone())
        .collect();
    for name in sensitive {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn hop(status: u16, method: &Method, location: &str) -> Option<Result<Hop, Error>> {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        let current = Url::parse("https://graph.microsoft.com/v1.0/me/drive").unwrap();
        next_hop(
            &current,
            method,
            StatusCode::from_u16(status).unwrap(),
            &headers,
        )
    }

    #[test]
    fn methods_follow_the_status() {
        let cases = [
            (307, Method::POST, Method::POST, true),
            (308, Method::PUT, Method::PUT, true),
            (301, Method::GET, Method::GET, true),
            (302, Method::POST, Method::GET, false),
            (303, Method::PATCH, Method::GET, false),
            (303, Method::HEAD, Method::HEAD, true),
        ];
        for (status, method, expected, keep_body) in cases {
            let hop = hop(status, &method, "/next").unwrap().unwrap();
            assert_eq!(hop.method, expected, "{status}");
            assert_eq!(hop.keep_body, keep_body, "{status}");
            assert_eq!(hop.url.as_str(), "https://graph.microsoft.com/next");
        }
    }

    #[test]
    fn other_statuses_and_missing_locations_are_not_followed() {
        assert!(hop(200, &Method::GET, "/x").is_none());
        assert!(hop(304, &Method::GET, "/x").is_none());
        let current = Url::parse("https://graph.microsoft.com/").unwrap();
        assert!(next_hop(&current, &Method::GET, StatusCode::FOUND, &HeaderMap::new()).is_none());
    }

    #[test]
    fn unusable_locations_fail_without_echoing_them() {
        for location in [
            "ftp://files.example/x?sig=s3cr3t",
            "http://[::1/x?sig=s3cr3t",
        ] {
            let error = hop(302, &Method::GET, location).unwrap().unwrap_err();
            assert!(!error.to_string().contains("s3cr3t"), "{error}");
        }
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |text: &str| Url::parse(text).unwrap();
        let graph = url("https://graph.microsoft.com/v1.0/users");
        assert!(same_origin(
            &graph,
            &url("https://GRAPH.microsoft.com:443/x")
        ));
        assert!(!same_origin(&graph, &url("http://graph.microsoft.com/x")));
        assert!(!same_origin(
            &graph,
            &url("https://graph.microsoft.com:8443/x")
        ));
        assert!(!same_origin(&graph, &url("https://evil.example/x")));
        assert!(!same_origin(
            &graph,
            &url("https://graph.microsoft.com.evil.example/")
        ));
    }

    #[test]
    fn credentials_are_stripped() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer s3cr3t"));
        headers.insert(COOKIE, HeaderValue::from_static("a=b"));
        let mut secret = HeaderValue::from_static("s3cr3t");
        secret.set_sensitive(true);
        headers.insert("x-api-key", secret);
        headers.insert("client-request-id", HeaderValue::from_static("id"));
        strip_credentials(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("client-request-id"));
    }
}
