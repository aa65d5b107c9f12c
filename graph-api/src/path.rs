//! Request paths built from template text and percent-encoded parameters.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except the unreserved characters of RFC 3986, so a value can
/// never contribute a `/`, `?`, `#` or a stray `%` to the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The bytes [`SEGMENT`] leaves as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// The path of a request below the service root, e.g. `/beta/users/{id}`.
#[derive(Debug, Clone)]
pub struct RequestPath {
    path: String,
    /// The path with `{}` for each parameter: what tracing shows instead of ids.
    template: String,
    rejected: Option<&'static str>,
}

impl RequestPath {
    /// Starts a path in an API version, `"beta"` or `"v1.0"`.
    pub fn new(version: &'static str) -> Self {
        // Sized for most Graph paths (a GUID is 36 bytes, and paths hold up to two), so
        // appending rarely reallocates.
        let mut path = String::with_capacity(128);
        path.push('/');
        path.push_str(version);
        let mut template = String::with_capacity(64);
        template.push_str(&path);
        Self {
            path,
            template,
            rejected: None,
        }
    }

    /// Appends template text verbatim, e.g. `"/users/"`.
    #[must_use]
    pub fn literal(mut self, text: &'static str) -> Self {
        self.path.push_str(text);
        self.template.push_str(text);
        self
    }

    /// Appends `value` percent-encoded as exactly one path segment.
    ///
    /// Values that cannot be sent as one segment (empty, `.`, `..`) make the
    /// request fail before anything is sent.
    #[must_use]
    pub fn param(mut self, value: &str) -> Self {
        self.template.push_str("{}");
        match value {
            // URL parsers (WHATWG, so `reqwest::Url`) treat `%2E` and `%2E%2E`
            // as dot-segments too, so encoding alone cannot protect these.
            "." | ".." => {
                self.rejected.get_or_insert(
                    "a path parameter is `.` or `..`, which urls treat as a dot-segment",
                );
                self.path
                    .push_str(if value == "." { "%2E" } else { "%2E%2E" });
            }
            // An empty id would address the parent collection instead.
            "" => {
                self.rejected.get_or_insert("a path parameter is empty");
            }
            // Ids are nearly always unreserved characters only: nothing to encode.
            _ if value.bytes().all(is_unreserved) => self.path.push_str(value),
            _ => self.path.extend(utf8_percent_encode(value, SEGMENT)),
        }
        self
    }

    /// Appends `value` as the inside of an OData string literal (`'…'` in the template, as in
    /// `range(address='{address}')`): single quotes are doubled, so a value cannot end the
    /// literal early, then the value is percent-encoded like [`RequestPath::param`]. Empty
    /// values are allowed here: `''` is a valid literal.
    #[must_use]
    pub fn quoted_param(mut self, value: &str) -> Self {
        self.template.push_str("{}");
        let doubled = value.replace('\'', "''");
        self.path.extend(utf8_percent_encode(&doubled, SEGMENT));
        self
    }

    /// The path, starting with `/` and the version.
    pub(crate) fn as_str(&self) -> &str {
        &self.path
    }

    /// The path with `{}` in place of each parameter.
    pub(crate) fn template(&self) -> &str {
        &self.template
    }

    /// The template, without copying it.
    pub(crate) fn into_template(self) -> String {
        self.template
    }

    /// Why the path cannot be sent, if a parameter was unusable.
    pub(crate) fn rejected(&self) -> Option<&'static str> {
        self.rejected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path for ids skips the encoder: it must keep exactly what the encoder keeps.
    #[test]
    fn unreserved_bytes_are_the_ones_segment_encoding_keeps() {
        for byte in 0..=127u8 {
            let text = char::from(byte).to_string();
            let kept = utf8_percent_encode(&text, SEGMENT).to_string() == text;
            assert_eq!(is_unreserved(byte), kept, "byte {byte:#04x}");
        }
    }

    /// A quote in a function argument used to end the OData literal early.
    #[test]
    fn quoted_params_double_single_quotes() {
        let path = RequestPath::new("v1.0")
            .literal("/me/drive/root/search(q='")
            .quoted_param("O'Brien's/../x")
            .literal("')");
        assert_eq!(
            path.as_str(),
            "/v1.0/me/drive/root/search(q='O%27%27Brien%27%27s%2F..%2Fx')"
        );
        assert_eq!(path.rejected(), None);
        let empty = RequestPath::new("v1.0")
            .literal("/f(q='")
            .quoted_param("")
            .literal("')");
        assert_eq!(empty.as_str(), "/v1.0/f(q='')");
    }

    use super::RequestPath;

    fn with_param(value: &str) -> RequestPath {
        RequestPath::new("beta")
            .literal("/users/")
            .param(value)
            .literal("/manager")
    }

    #[test]
    fn plain_values_stay_readable() {
        let path = with_param("a1-B2.c_d~e");
        assert_eq!(path.as_str(), "/beta/users/a1-B2.c_d~e/manager");
        assert_eq!(path.template(), "/beta/users/{}/manager");
        assert_eq!(path.rejected(), None);
    }

    #[test]
    fn reserved_bytes_are_encoded() {
        let cases = [
            ("../x?y#z", "..%2Fx%3Fy%23z"),
            ("%2F", "%252F"),
            ("a b+c", "a%20b%2Bc"),
            ("user@contoso.com", "user%40contoso.com"),
            ("'quoted'", "%27quoted%27"),
            ("é€", "%C3%A9%E2%82%AC"),
            ("a;b=c&d", "a%3Bb%3Dc%26d"),
            ("\\", "%5C"),
        ];
        for (value, encoded) in cases {
            assert_eq!(
                with_param(value).as_str(),
                format!("/beta/users/{encoded}/manager"),
                "{value}"
            );
        }
    }

    #[test]
    fn dot_segments_are_encoded_and_rejected() {
        assert_eq!(with_param(".").as_str(), "/beta/users/%2E/manager");
        assert_eq!(with_param("..").as_str(), "/beta/users/%2E%2E/manager");
        assert!(with_param(".").rejected().is_some());
        assert!(with_param("..").rejected().is_some());
        assert!(with_param("...").rejected().is_none());
        assert!(with_param(".x").rejected().is_none());
    }

    #[test]
    fn empty_value_is_rejected() {
        assert!(with_param("").rejected().is_some());
    }

    /// Encoded segments must reach the wire unchanged after `Url` parsing.
    #[test]
    fn url_parsing_keeps_encoded_segments() {
        let path = with_param("../x?y#z%2F é");
        let text = format!("https://graph.microsoft.com{}", path.as_str());
        let url = reqwest::Url::parse(&text).unwrap();
        assert_eq!(url.as_str(), text);
        assert_eq!(
            url.path(),
            "/beta/users/..%2Fx%3Fy%23z%252F%20%C3%A9/manager"
        );
    }

    /// Why `.` and `..` are rejected: `Url` resolves even their encoded forms.
    #[test]
    fn url_parsing_resolves_encoded_dot_segments() {
        let text = format!("https://graph.microsoft.com{}", with_param("..").as_str());
        let url = reqwest::Url::parse(&text).unwrap();
        assert_eq!(url.path(), "/beta/manager");
    }
}
