//! The access token of a request, cut out of the errors it leads to: a server that echoes the
//! `Authorization` it received (in a message, an `innerError`, a header, a 2xx body that fails
//! to decode) must not put the token in logs.
//!
//! Errors learn the token from the `Authorization` value the attempt sent, a sensitive
//! [`HeaderValue`] that `Debug` never prints, and are redacted as they are made; no error keeps
//! the token, or anything to find it again.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::auth::BoxError;
use crate::{ApiError, Error};

/// Tokens shorter than this are redacted only in the form `Bearer <token>`, never on their own:
/// any short word of a message could match them. No access token is that short (Entra ID
/// tokens are JWTs of 1–2 KB). The same holds for the parts of a JWT.
pub(crate) const MIN_SECRET_LEN: usize = 8;

/// What replaces a token.
const REDACTED: &str = "<redacted>";

/// `error` with the token of `authorization` (a `Bearer <token>` value) replaced wherever it
/// shows.
pub(crate) fn redact(error: Error, authorization: Option<&HeaderValue>) -> Error {
    match Secrets::of(authorization) {
        Some(secrets) => secrets.error(error),
        None => error,
    }
}

/// The forms of one token to replace, longest first.
struct Secrets {
    /// `(needle, replacement)`.
    patterns: Vec<(String, String)>,
}

impl Secrets {
    /// The secrets of `authorization`, a `Bearer <token>` value; `None` without a token.
    fn of(authorization: Option<&HeaderValue>) -> Option<Self> {
        let value = std::str::from_utf8(authorization?.as_bytes()).ok()?;
        let token = value.strip_prefix("Bearer ").unwrap_or(value);
        if token.is_empty() {
            return None;
        }
        let mut patterns = vec![(format!("Bearer {token}"), format!("Bearer {REDACTED}"))];
        if token.len() >= MIN_SECRET_LEN {
            // As serde messages and JSON bodies write it: `"` and `\` escaped, `/` maybe too.
            let escaped = serde_json::to_string(token).unwrap_or_default();
            let escaped = escaped.trim_matches('"').to_owned();
            let slashes = escaped.replace('/', "\\/");
            let parts = token.split('.').filter(|_| token.contains('.'));
            let forms = [token.to_owned(), escaped, slashes]
                .into_iter()
                .chain(parts.map(str::to_owned));
            for form in forms {
                if form.len() >= MIN_SECRET_LEN && !patterns.iter().any(|(known, _)| *known == form)
                {
                    patterns.push((form, REDACTED.to_owned()));
                }
            }
        }
        patterns.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
        Some(Self { patterns })
    }

    /// `error` with every form of the token replaced.
    fn error(&self, error: Error) -> Error {
        match error {
            Error::Api(mut api) => {
                self.api(&mut api);
                Error::Api(api)
            }
            Error::Decode {
                path,
                source,
                request_id,
            } => Error::Decode {
                path: self.text(path),
                source: self.json(source),
                request_id: request_id.map(|id| self.text(id)),
            },
            Error::RetriesExhausted {
                attempts,
                elapsed,
                last,
            } => Error::RetriesExhausted {
                attempts,
                elapsed,
                last: Box::new(self.error(*last)),
            },
            Error::Token(source) => Error::Token(self.boxed(source)),
            Error::Serialize(source) => Error::Serialize(self.json(source)),
            Error::Build(text) => Error::Build(self.text(text)),
            Error::InvalidRequest(text) => Error::InvalidRequest(self.text(text)),
            Error::Redirect(text) => Error::Redirect(self.text(text)),
            Error::Paging(text) => Error::Paging(self.text(text)),
            Error::Batch(text) => Error::Batch(self.text(text)),
            // The url is replaced before (`send.rs`); the rest is reqwest's own text.
            // Upload errors come from the reader and from the upload url, which never sees a token.
            other @ (Error::Transport(_)
            | Error::Timeout(_)
            | Error::BodyTooLarge { .. }
            | Error::Upload(_)
            | Error::Read(_)) => other,
        }
    }

    fn api(&self, api: &mut ApiError) {
        for text in [&mut api.code, &mut api.message, &mut api.body] {
            *text = self.text(std::mem::take(text));
        }
        for text in [
            &mut api.request_id,
            &mut api.client_request_id,
            &mut api.date,
        ]
        .into_iter()
        .flatten()
        {
            *text = self.text(std::mem::take(text));
        }
        self.headers(&mut api.headers);
    }

    fn contains(&self, text: &str) -> bool {
        self.patterns
            .iter()
            .any(|(needle, _)| text.contains(needle))
    }

    /// `text` with the token replaced.
    fn text(&self, mut text: String) -> String {
        for (needle, replacement) in &self.patterns {
            if text.contains(needle.as_str()) {
                text = text.replace(needle.as_str(), replacement);
            }
        }
        text
    }

    fn headers(&self, headers: &mut HeaderMap) {
        for value in headers.values_mut() {
            let mut bytes = value.as_bytes().to_vec();
            for (needle, replacement) in &self.patterns {
                bytes = replace_bytes(&bytes, needle.as_bytes(), replacement.as_bytes());
            }
            if bytes != value.as_bytes() {
                // Only visible ASCII was put in place of visible ASCII: still a valid value.
                if let Ok(redacted) = HeaderValue::from_bytes(&bytes) {
                    *value = redacted;
                }
            }
        }
    }

    /// A serde error of the same message, redacted, if it held the token. The new error knows
    /// no line and column of its own: they stay in its message.
    fn json(&self, error: serde_json::Error) -> serde_json::Error {
        let text = error.to_string();
        if !self.contains(&text) {
            return error;
        }
        serde::de::Error::custom(self.text(text))
    }

    /// A provider's error, or its redacted messages in its place if any of them held the token.
    fn boxed(&self, error: BoxError) -> BoxError {
        let debug = format!("{error:?}");
        let mut chain = vec![error.to_string()];
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        if !self.contains(&debug) && !chain.iter().any(|text| self.contains(text)) {
            return error;
        }
        let mut redacted: Option<Box<RedactedError>> = None;
        for text in chain.into_iter().rev() {
            redacted = Some(Box::new(RedactedError {
                display: self.text(text),
                debug: None,
                source: redacted,
            }));
        }
        let mut top = redacted.expect("the chain holds the error itself");
        top.debug = Some(self.text(debug));
        top
    }
}

/// `haystack` with every `needle` replaced.
fn replace_bytes(haystack: &[u8], needle: &[u8], replacement: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest
        .windows(needle.len())
        .position(|window| window == needle)
    {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(replacement);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// An error whose text held a token, in its place: its messages, and those of its sources,
/// redacted.
struct RedactedError {
    display: String,
    /// The `Debug` text of the error it replaces, for the top of the chain.
    debug: Option<String>,
    source: Option<Box<RedactedError>>,
}

impl fmt::Display for RedactedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for RedactedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.debug {
            Some(debug) => f.write_str(debug),
            None => f.debug_tuple("RedactedError").field(&self.display).finish(),
        }
    }
}

impl std::error::Error for RedactedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(token: &str) -> Secrets {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        Secrets::of(Some(&value)).unwrap()
    }

    #[test]
    fn the_token_and_the_bearer_form_are_replaced() {
        let secrets = secrets("abc.def-ghi_jkl");
        assert_eq!(
            secrets.text("got Bearer abc.def-ghi_jkl, and abc.def-ghi_jkl again".into()),
            "got Bearer <redacted>, and <redacted> again"
        );
    }

    /// A 1–7 character token would otherwise turn every word containing it into `<redacted>`.
    #[test]
    fn short_tokens_are_redacted_only_after_bearer() {
        for token in ["a", "ab", "abc", "abcdefg"] {
            let secrets = secrets(token);
            let text = format!("a bad abcdefg; Bearer {token}");
            assert_eq!(
                secrets.text(text),
                "a bad abcdefg; Bearer <redacted>",
                "{token}"
            );
        }
        let empty = HeaderValue::from_static("Bearer ");
        assert!(Secrets::of(Some(&empty)).is_none());
        assert!(Secrets::of(None).is_none());
    }

    #[test]
    fn escaped_forms_and_jwt_parts_are_replaced() {
        let secrets = secrets("eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhIn0.c2lnbmF0/dXJl");
        let text = r#"{"a":"eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhIn0.c2lnbmF0\/dXJl","b":"sig c2lnbmF0/dXJl","c":"ab.cd"}"#;
        assert_eq!(
            secrets.text(text.into()),
            r#"{"a":"<redacted>","b":"sig <redacted>","c":"ab.cd"}"#
        );
        let quoted = self::secrets(r#"quote"and\back"#);
        assert_eq!(
            quoted.text(r#"string "quote\"and\\back""#.into()),
            r#"string "<redacted>""#
        );
    }

    #[test]
    fn header_values_are_replaced_and_others_kept() {
        let secrets = secrets("s3cr3t-token");
        let mut headers = HeaderMap::new();
        headers.insert(
            "www-authenticate",
            HeaderValue::from_static("Bearer s3cr3t-token"),
        );
        headers.insert("x-other", HeaderValue::from_static("fine"));
        secrets.headers(&mut headers);
        assert_eq!(headers["www-authenticate"], "Bearer <redacted>");
        assert_eq!(headers["x-other"], "fine");
    }

    #[derive(Debug)]
    struct Failing(String, Option<Box<Failing>>);

    impl fmt::Display for Failing {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Failing {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn provider_errors_holding_the_token_are_replaced_whole_chain() {
        let secrets = secrets("s3cr3t-token");
        let cause = Failing("refresh of s3cr3t-token refused".into(), None);
        let error: BoxError = Box::new(Failing("vault failed".into(), Some(Box::new(cause))));
        let redacted = secrets.boxed(error);
        assert_eq!(redacted.to_string(), "vault failed");
        assert!(!format!("{redacted:?}").contains("s3cr3t"));
        let cause = redacted.source().unwrap().to_string();
        assert_eq!(cause, "refresh of <redacted> refused");

        let clean: BoxError = "vault is sealed".into();
        assert_eq!(secrets.boxed(clean).to_string(), "vault is sealed");
    }

    #[test]
    fn serde_messages_keep_their_position_in_the_text() {
        let secrets = secrets("s3cr3t-token");
        let error = serde_json::from_str::<bool>(r#""Bearer s3cr3t-token""#).unwrap_err();
        let redacted = secrets.json(error);
        assert_eq!(
            redacted.to_string(),
            r#"invalid type: string "Bearer <redacted>", expected a boolean at line 1 column 21"#
        );
    }
}
