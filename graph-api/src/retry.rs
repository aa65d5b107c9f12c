//! When and how long to wait before retrying a throttled or failing request.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How requests are retried after `429 Too Many Requests`, `503 Service Unavailable` and
/// `504 Gateway Timeout`.
///
/// A wait honours the response's `Retry-After` (seconds or an HTTP date); without one it is
/// exponential backoff with jitter: a random time between half and all of
/// `base_delay × 2^(retry − 1)`, at most `max_delay`. Retries stop after `max_attempts`
/// attempts, or when the next one could not start within `budget` of the first.
///
/// Only requests that are safe to repeat are retried on any of these statuses: `GET`, `HEAD`,
/// `OPTIONS`, `PUT` and `DELETE` without a body. Others (a body, or `POST` and `PATCH`) are
/// retried only when the server signals throttling, a `429` or `503` with `Retry-After`: the
/// request was refused, not half done.
///
/// The default: 4 attempts, 500 ms base delay, 30 s longest backoff, 60 s budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt, never a retry.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets how many attempts a request gets in all, first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff before the first retry when the server gives no `Retry-After`.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest backoff; a `Retry-After` is honoured beyond it, within the budget.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the time from the first attempt within which every retry must start.
    #[must_use]
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// How many attempts a request gets in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time from the first attempt within which every retry must start.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The backoff before retry number `retry` (from 1); `unit` in `[0, 1)` picks the jitter.
    pub(crate) fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let full = self
            .base_delay
            .saturating_mul(1_u32 << exponent)
            .min(self.max_delay);
        let factor = 0.5 + 0.5 * unit.clamp(0.0, 1.0);
        Duration::try_from_secs_f64(full.as_secs_f64() * factor).unwrap_or(full)
    }
}

/// Whether a request may be sent again after `status`, given what the server said.
pub(crate) fn is_retryable(
    status: StatusCode,
    method: &Method,
    has_body: bool,
    retry_after: Option<Duration>,
) -> bool {
    let repeatable = !has_body
        && matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            repeatable || retry_after.is_some()
        }
        StatusCode::GATEWAY_TIMEOUT => repeatable,
        _ => false,
    }
}

/// The wait a `Retry-After` header asks for: delay seconds, or an HTTP date (past dates wait
/// nothing). Unreadable values count as absent.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers(&later), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(retry_after(&headers(&earlier), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-1"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn huge_retry_after_does_not_overflow() {
        let now = SystemTime::UNIX_EPOCH;
        let wait = retry_after(&headers("18446744073709551615"), now).unwrap();
        assert!(wait > Duration::from_secs(1_000_000));
    }

    #[test]
    fn backoff_doubles_within_jitter_and_cap() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(100));
        assert_eq!(policy.backoff(2, 1.0), Duration::from_millis(200));
        assert_eq!(policy.backoff(3, 1.0), Duration::from_millis(350));
        assert_eq!(policy.backoff(40, 0.5), Duration::from_micros(262_500));
        let unbounded = RetryPolicy::default().with_max_delay(Duration::MAX);
        assert!(unbounded.backoff(40, 1.0) > Duration::from_secs(1_000_000));
        for retry in 1..5 {
            let wait = policy.backoff(retry, fastrand::f64());
            assert!(wait <= Duration::from_millis(350), "{wait:?}");
        }
    }

    #[test]
    fn bodies_and_posts_retry_only_when_throttled_with_retry_after() {
        let later = Some(Duration::from_secs(1));
        let (get, post) = (&Method::GET, &Method::POST);
        for status in [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::GATEWAY_TIMEOUT,
        ] {
            assert!(is_retryable(status, get, false, None));
            assert!(!is_retryable(status, get, true, None));
            assert!(!is_retryable(status, post, false, None));
        }
        assert!(is_retryable(
            StatusCode::TOO_MANY_REQUESTS,
            post,
            true,
            later
        ));
        assert!(is_retryable(
            StatusCode::SERVICE_UNAVAILABLE,
            &Method::PATCH,
            true,
            later
        ));
        assert!(!is_retryable(
            StatusCode::GATEWAY_TIMEOUT,
            post,
            true,
            later
        ));
        assert!(!is_retryable(StatusCode::BAD_GATEWAY, get, false, later));
        assert!(!is_retryable(StatusCode::NOT_FOUND, get, false, None));
    }

    #[test]
    fn disabled_means_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
