//! Large files through an upload session, one range at a time.
//!
//! Operations whose page creates an upload session (`createUploadSession` on a drive item, an
//! attachment, a print document …) answer with an [`UploadSession`]: a pre-authenticated
//! `uploadUrl`, often on another host than Graph, its expiry, and the ranges the server still
//! expects. A [`LargeFileUpload`] sends the file there in ranges of
//! [`chunk_size`](LargeFileUpload::chunk_size) bytes, each a `PUT` with
//! `Content-Range: bytes start-end/total`, and returns the item the last range creates.
//!
//! ```no_run
//! # async fn run(client: graph_api::GraphClient) -> Result<(), graph_api::Error> {
//! # #[derive(serde::Deserialize)] struct DriveItem { id: String }
//! // `uploadUrl` of the session a generated `create_upload_session(…)` call returned.
//! let upload_url = "https://contoso.sharepoint.com/_api/v2.0/drive/items/01AB/uploadSession?guid=…";
//! let item: DriveItem = graph_api::LargeFileUpload::new(&client, upload_url)?
//!     .chunk_size(32 * graph_api::LargeFileUpload::CHUNK_UNIT)? // 10 MiB ranges
//!     .on_progress(|uploaded, total| eprintln!("{uploaded} of {total} bytes"))
//!     .upload_file("video.mp4")
//!     .await?;
//! # let _ = item.id;
//! # Ok(())
//! # }
//! ```
//!
//! - **No token**: the upload URL carries its own credentials; the client's bearer token (or
//!   provider) is never sent there, nor any other `Authorization` header. The URL is a secret
//!   too: `Debug` and errors never show it.
//! - **Ranges**: 5 MiB by default (16 × 320 KiB, as the Graph SDKs send); any multiple of
//!   320 KiB up to 60 MiB, the most Graph takes in one request. Memory is bounded by one range:
//!   a reader is buffered one range at a time.
//! - **Resuming**: after a dropped connection, a timeout, a `429` or a `5xx`, the upload waits
//!   (`Retry-After`, else the backoff of the [`RetryPolicy`]), asks the upload URL which ranges
//!   the server still expects (`GET`, `nextExpectedRanges`) and goes on from there. Each range
//!   gets the policy's attempts and time budget (the client's by default,
//!   [`retry_policy`](LargeFileUpload::retry_policy) to change it). Should the server ask for
//!   bytes before the buffered range, a file (or any `AsyncSeek` reader,
//!   [`upload_seekable`](LargeFileUpload::upload_seekable)) seeks back; a plain reader cannot,
//!   and the upload fails with [`Error::Upload`].
//! - **Timeout**: each request gets the client's timeout (100 s by default), so a slow link
//!   may want a smaller range or a longer [`timeout`](LargeFileUpload::timeout).
//! - **http**: a plain `http://` upload URL needs the client's
//!   [`allow_http`](crate::GraphClientBuilder::allow_http), like the base URL.

use std::fmt;
use std::io::SeekFrom;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt, ReadBuf};

use crate::builder::Redacted;
use crate::response::{api_error, decode_json, RawResponse};
use crate::send::{read_capped, read_prefix};
use crate::{Error, GraphClient, RetryPolicy};

/// Error bodies are read this far, as for Graph's own responses.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// What the status of a session may take: a few ranges, never megabytes.
const STATUS_BODY_LIMIT: u64 = 1024 * 1024;

/// An upload session, as `createUploadSession` returns it and its upload URL reports it.
///
/// `Debug` does not print [`upload_url`](Self::upload_url): it is pre-authenticated.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadSession {
    /// Where the ranges go; empty in a status answer that omits it.
    #[serde(default)]
    pub upload_url: String,
    /// When the session expires, as the server writes it (ISO 8601).
    #[serde(default)]
    pub expiration_date_time: Option<String>,
    /// The ranges the server still expects, `start-end` or `start-`; the first start is where
    /// the upload goes on.
    #[serde(default)]
    pub next_expected_ranges: Vec<String>,
}

impl UploadSession {
    /// The first byte the server still expects, if its ranges name one.
    pub fn next_expected_byte(&self) -> Option<u64> {
        self.next_expected_ranges
            .iter()
            .filter_map(|range| range.split('-').next()?.trim().parse::<u64>().ok())
            .min()
    }
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSession")
            .field("upload_url", &Redacted)
            .field("expiration_date_time", &self.expiration_date_time)
            .field("next_expected_ranges", &self.next_expected_ranges)
            .finish()
    }
}

type Progress = dyn Fn(u64, u64) + Send + Sync;

/// Uploads a large file to an upload session's URL in ranges, resuming after failures; see
/// the [module documentation](crate::upload) for the defaults.
#[derive(Clone)]
pub struct LargeFileUpload {
    client: GraphClient,
    url: Url,
    chunk_size: usize,
    retry: RetryPolicy,
    timeout: Duration,
    progress: Option<Arc<Progress>>,
}

impl LargeFileUpload {
    /// Every range but the last is a multiple of this, 320 KiB, as Graph requires.
    pub const CHUNK_UNIT: usize = 320 * 1024;
    /// The default range: 16 × 320 KiB = 5 MiB.
    pub const DEFAULT_CHUNK_SIZE: usize = 16 * Self::CHUNK_UNIT;
    /// The largest range: 192 × 320 KiB = 60 MiB, the most Graph accepts in one request.
    pub const MAX_CHUNK_SIZE: usize = 192 * Self::CHUNK_UNIT;

    /// An upload to `upload_url` (the session's `uploadUrl`) with `client`'s connection,
    /// timeout and retry policy, never its credentials.
    ///
    /// Fails with [`Error::Build`] for a URL that is not `https` (or `http` on a client that
    /// [allows it](crate::GraphClientBuilder::allow_http)).
    pub fn new(client: &GraphClient, upload_url: &str) -> Result<Self, Error> {
        // The message does not echo the url: it holds the session's credentials.
        let url = Url::parse(upload_url.trim())
            .map_err(|e| Error::Build(format!("upload url is not a valid url: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if client.inner.settings.allow_http => {}
            "http" => {
                return Err(Error::Build(
                    "upload url uses plain http; the client must allow_http(true)".into(),
                ))
            }
            other => {
                return Err(Error::Build(format!(
                    "upload url scheme `{other}` is not http or https"
                )))
            }
        }
        let settings = &client.inner.settings;
        Ok(Self {
            client: client.clone(),
            url,
            chunk_size: Self::DEFAULT_CHUNK_SIZE,
            retry: settings.retry,
            timeout: settings.timeout,
            progress: None,
        })
    }

    /// [`new`](Self::new) with the `uploadUrl` of `session`.
    pub fn from_session(client: &GraphClient, session: &UploadSession) -> Result<Self, Error> {
        Self::new(client, &session.upload_url)
    }

    /// Sets the size of each range: a multiple of [`CHUNK_UNIT`](Self::CHUNK_UNIT), at most
    /// [`MAX_CHUNK_SIZE`](Self::MAX_CHUNK_SIZE); anything else is an [`Error::Build`].
    pub fn chunk_size(mut self, bytes: usize) -> Result<Self, Error> {
        if bytes == 0 || !bytes.is_multiple_of(Self::CHUNK_UNIT) || bytes > Self::MAX_CHUNK_SIZE {
            return Err(Error::Build(format!(
                "upload chunk size {bytes} is not a multiple of 320 KiB (327,680 bytes) \
                 between 320 KiB and 60 MiB"
            )));
        }
        self.chunk_size = bytes;
        Ok(self)
    }

    /// Sets how a failed range is retried: attempts and time budget per range, and the
    /// backoff when the server gives no `Retry-After`.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets how long one request (a range, a status query) may take.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Calls `progress(uploaded, total)` each time the server accepts a range, `uploaded`
    /// being the bytes before the first one it still expects, and `(total, total)` at the end.
    #[must_use]
    pub fn on_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Uploads the file at `path`, whose size is the total; it seeks when the server asks for
    /// bytes again.
    pub async fn upload_file<T: DeserializeOwned>(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<T, Error> {
        let file = tokio::fs::File::open(path).await.map_err(Error::Read)?;
        let total = file.metadata().await.map_err(Error::Read)?.len();
        self.run(Source::new(file, true), total).await
    }

    /// Uploads the `total` bytes `reader` yields. It cannot go back: should the server ask for
    /// bytes before the buffered range, the upload fails with [`Error::Upload`].
    pub async fn upload<T, R>(&self, reader: R, total: u64) -> Result<T, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + Unpin,
    {
        self.run(Source::new(Forward(reader), false), total).await
    }

    /// Uploads the `total` bytes `reader` yields from where it is, seeking back when the server
    /// asks for bytes again.
    pub async fn upload_seekable<T, R>(&self, mut reader: R, total: u64) -> Result<T, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + AsyncSeek + Unpin,
    {
        let origin = reader.stream_position().await.map_err(Error::Read)?;
        let mut source = Source::new(reader, true);
        source.origin = origin;
        self.run(source, total).await
    }

    /// Asks the upload URL for the session's state: expiry and the ranges still expected.
    pub async fn status(&self) -> Result<UploadSession, Error> {
        let mut response = self.exchange(Method::GET, None).await?;
        if !response.status().is_success() {
            return Err(self.failure(response).await);
        }
        let body = timed(self.timeout, read_capped(&mut response, STATUS_BODY_LIMIT)).await?;
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            path: ".".into(),
            source,
            request_id: None,
        })
    }

    /// Cancels the session (`DELETE` on the upload URL): the server drops what it received.
    pub async fn cancel(&self) -> Result<(), Error> {
        let response = self.exchange(Method::DELETE, None).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(self.failure(response).await)
        }
    }

    async fn run<T: DeserializeOwned, R: AsyncRead + AsyncSeek + Unpin>(
        &self,
        mut source: Source<R>,
        total: u64,
    ) -> Result<T, Error> {
        if total == 0 {
            return Err(Error::Upload(
                "an upload session needs at least one byte; send an empty file in one PUT".into(),
            ));
        }
        let mut next = 0;
        let mut failures = Failures::default();
        loop {
            let chunk = source.range(next, self.chunk_size, total).await?;
            let end = next + chunk.len() as u64;
            match self.put(&chunk, next, total).await {
                Ok(Sent::Done(raw)) => {
                    self.report(total, total);
                    return decode_json(&raw);
                }
                Ok(Sent::Accepted(expected)) => {
                    failures = Failures::default();
                    next = match expected {
                        Some(byte) => checked(byte, total)?,
                        None => end,
                    };
                    self.report(next, total);
                    continue;
                }
                Err(failure) => failures.wait(failure, &self.retry).await?,
            }
            // The range may have been received in part, or not at all: the server says which.
            next = loop {
                match self.status().await {
                    Ok(session) => break resume_point(&session, total)?,
                    Err(error) if retryable(&error) => failures.wait(error, &self.retry).await?,
                    Err(error) => return Err(error),
                }
            };
        }
    }

    fn report(&self, uploaded: u64, total: u64) {
        if let Some(progress) = &self.progress {
            progress(uploaded, total);
        }
    }

    /// Sends one range; what the server answered, or the failure to retry or give up on.
    async fn put(&self, chunk: &Bytes, start: u64, total: u64) -> Result<Sent, Error> {
        let end = start + chunk.len() as u64 - 1;
        let response = self
            .exchange(Method::PUT, Some((chunk, start, end, total)))
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(self.failure(response).await);
        }
        let mut response = response;
        let headers = std::mem::take(response.headers_mut());
        let limit = self.client.inner.settings.max_response_bytes;
        let body = timed(self.timeout, read_capped(&mut response, limit)).await?;
        if status == StatusCode::ACCEPTED {
            // Only the ranges matter; an unreadable 202 body means "go on after this range".
            let expected = serde_json::from_slice::<UploadSession>(&body)
                .ok()
                .and_then(|session| session.next_expected_byte());
            return Ok(Sent::Accepted(expected));
        }
        Ok(Sent::Done(RawResponse {
            status,
            headers,
            body,
            client_request_id: String::new(),
            authorization: None,
            decode_ratio: self.client.inner.settings.decode_ratio,
        }))
    }

    /// One request to the upload URL, with no credentials, within the timeout.
    async fn exchange(
        &self,
        method: Method,
        range: Option<(&Bytes, u64, u64, u64)>,
    ) -> Result<reqwest::Response, Error> {
        let mut request = reqwest::Request::new(method, self.url.clone());
        let headers = request.headers_mut();
        if let Some((chunk, start, end, total)) = range {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(chunk.len()));
            let range = format!("bytes {start}-{end}/{total}");
            headers.insert(
                CONTENT_RANGE,
                HeaderValue::from_str(&range).expect("digits and dashes"),
            );
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            *request.body_mut() = Some(reqwest::Body::from(chunk.clone()));
        }
        let send = self.client.inner.http.execute(request);
        // Transport errors name no url: the upload url is a credential.
        timed(self.timeout, async {
            send.await.map_err(|e| Error::Transport(e.without_url()))
        })
        .await
    }

    /// The [`Error::Api`] of a non-2xx response.
    async fn failure(&self, mut response: reqwest::Response) -> Error {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        match timed(self.timeout, read_prefix(&mut response, ERROR_BODY_LIMIT)).await {
            Ok(body) => api_error(status, &headers, &body, ""),
            Err(error) => error,
        }
    }
}

impl fmt::Debug for LargeFileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LargeFileUpload")
            .field("upload_url", &Redacted)
            .field("chunk_size", &self.chunk_size)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("progress", &self.progress.as_ref().map(|_| ".."))
            .finish_non_exhaustive()
    }
}

/// Where to go on after `session`'s status.
fn resume_point(session: &UploadSession, total: u64) -> Result<u64, Error> {
    match session.next_expected_byte() {
        Some(byte) => checked(byte, total),
        None => Err(Error::Upload(
            "the server expects no more bytes, but its answer to the last range was lost".into(),
        )),
    }
}

/// `byte`, if it is one of the upload's.
fn checked(byte: u64, total: u64) -> Result<u64, Error> {
    if byte >= total {
        return Err(Error::Upload(format!(
            "the server expects byte {byte} of a {total}-byte upload"
        )));
    }
    Ok(byte)
}

/// What the server made of a range.
enum Sent {
    /// `202 Accepted`: more to send, from the byte it names (or right after the range).
    Accepted(Option<u64>),
    /// `200`/`201`: the item, as received.
    Done(RawResponse),
}

/// `future` within `timeout`, else [`Error::Timeout`].
async fn timed<T>(
    timeout: Duration,
    future: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    tokio::time::timeout(timeout, future)
        .await
        .unwrap_or(Err(Error::Timeout(timeout)))
}

/// Whether a failed request is worth resuming after: the connection, a timeout, a throttle,
/// a server error, or a range the server did not expect (`416`, e.g. after a lost answer).
fn retryable(error: &Error) -> bool {
    match error {
        Error::Transport(_) | Error::Timeout(_) => true,
        Error::Api(api) => {
            api.status == 416 || api.status == 429 || (500..600).contains(&api.status)
        }
        _ => false,
    }
}

/// The failures of the current range, against the retry policy.
#[derive(Default)]
struct Failures {
    count: u32,
    since: Option<Instant>,
}

impl Failures {
    /// Waits before resuming after `error`, or gives up when the policy is spent.
    async fn wait(&mut self, error: Error, policy: &RetryPolicy) -> Result<(), Error> {
        if !retryable(&error) {
            return Err(error);
        }
        let started = *self.since.get_or_insert_with(Instant::now);
        self.count += 1;
        let throttled = error.api().and_then(|api| api.retry_after);
        let wait = throttled.unwrap_or_else(|| policy.backoff(self.count, fastrand::f64()));
        let out_of_time = started.elapsed().saturating_add(wait) > policy.budget();
        if self.count >= policy.max_attempts() || out_of_time {
            tracing::warn!(attempts = self.count, "giving up resuming the upload");
            if self.count == 1 {
                return Err(error);
            }
            return Err(Error::RetriesExhausted {
                attempts: self.count,
                elapsed: started.elapsed(),
                last: Box::new(error),
            });
        }
        tracing::info!(
            attempt = self.count,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "resuming the upload"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

/// The bytes to upload, read one range at a time into a buffer that is the only copy kept.
struct Source<R> {
    reader: R,
    seekable: bool,
    /// Where the reader stood when the upload began: byte 0 of the upload.
    origin: u64,
    /// The upload offset of the reader's next byte.
    position: u64,
    /// The last range read, starting at upload offset `start`.
    buffer: Bytes,
    start: u64,
}

impl<R: AsyncRead + AsyncSeek + Unpin> Source<R> {
    fn new(reader: R, seekable: bool) -> Self {
        Self {
            reader,
            seekable,
            origin: 0,
            position: 0,
            buffer: Bytes::new(),
            start: 0,
        }
    }

    /// The range of up to `size` bytes from upload offset `from`, reusing what is buffered.
    async fn range(&mut self, from: u64, size: usize, total: u64) -> Result<Bytes, Error> {
        let want = usize::try_from((total - from).min(size as u64)).unwrap_or(size);
        let buffered_end = self.start + self.buffer.len() as u64;
        if from >= self.start && from + want as u64 <= buffered_end {
            let skip = usize::try_from(from - self.start).unwrap_or(usize::MAX);
            return Ok(self.buffer.slice(skip..skip + want));
        }
        let mut chunk = Vec::with_capacity(want);
        if from >= self.start && from < buffered_end {
            // The server has part of the buffer: keep its tail, read the rest.
            let skip = usize::try_from(from - self.start).unwrap_or(usize::MAX);
            chunk.extend_from_slice(&self.buffer[skip..]);
        } else {
            // Dropped before reading on, so memory stays at one range.
            self.buffer = Bytes::new();
            self.go_to(from).await?;
        }
        self.buffer = Bytes::new();
        let missing = want - chunk.len();
        let read = (&mut self.reader)
            .take(missing as u64)
            .read_to_end(&mut chunk)
            .await
            .map_err(Error::Read)?;
        self.position += read as u64;
        if read < missing {
            return Err(Error::Upload(format!(
                "the reader ended after {} of the {total} bytes declared",
                self.position
            )));
        }
        self.start = from;
        self.buffer = Bytes::from(chunk);
        Ok(self.buffer.clone())
    }

    /// Moves the reader to upload offset `to`: seeking if it can, else reading forward.
    async fn go_to(&mut self, to: u64) -> Result<(), Error> {
        if to == self.position {
            return Ok(());
        }
        if self.seekable {
            self.reader
                .seek(SeekFrom::Start(self.origin + to))
                .await
                .map_err(Error::Read)?;
            self.position = to;
            return Ok(());
        }
        if to < self.position {
            return Err(Error::Upload(format!(
                "the server asks for bytes from {to} again, but the reader is at {} and \
                 cannot seek back (upload a file or an AsyncSeek reader to resume there)",
                self.position
            )));
        }
        let skipped = tokio::io::copy(
            &mut (&mut self.reader).take(to - self.position),
            &mut tokio::io::sink(),
        )
        .await
        .map_err(Error::Read)?;
        self.position += skipped;
        if self.position < to {
            return Err(Error::Upload(format!(
                "the reader ended at byte {} before byte {to} the server expects",
                self.position
            )));
        }
        Ok(())
    }
}

/// A reader that only goes forward; [`Source`] never seeks it.
struct Forward<R>(R);

impl<R: AsyncRead + Unpin> AsyncRead for Forward<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<R: Unpin> AsyncSeek for Forward<R> {
    fn start_seek(self: Pin<&mut Self>, _: SeekFrom) -> std::io::Result<()> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    fn poll_complete(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<u64>> {
        Poll::Ready(Err(std::io::ErrorKind::Unsupported.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_expected_byte_is_the_first_start() {
        let session = UploadSession {
            next_expected_ranges: vec!["26-".into(), "12-20".into(), "junk".into()],
            ..UploadSession::default()
        };
        assert_eq!(session.next_expected_byte(), Some(12));
        assert_eq!(UploadSession::default().next_expected_byte(), None);
    }

    #[test]
    fn debug_hides_the_upload_url() {
        let session = UploadSession {
            upload_url: "https://up.example/s?sig=s3cr3t".into(),
            ..UploadSession::default()
        };
        assert!(!format!("{session:?}").contains("s3cr3t"));
    }

    #[tokio::test]
    async fn a_forward_reader_skips_ahead_and_refuses_to_go_back() {
        let data: Vec<u8> = (0..=255).collect();
        let mut source = Source::new(Forward(&data[..]), false);
        assert_eq!(source.range(0, 16, 256).await.unwrap(), &data[..16]);
        // Part of the buffer is kept, the rest read on.
        assert_eq!(source.range(8, 16, 256).await.unwrap(), &data[8..24]);
        assert_eq!(source.range(100, 16, 256).await.unwrap(), &data[100..116]);
        assert_eq!(source.range(250, 16, 256).await.unwrap(), &data[250..]);
        let error = source.range(10, 16, 256).await.unwrap_err();
        assert!(matches!(error, Error::Upload(_)), "{error}");
    }

    #[tokio::test]
    async fn a_seekable_reader_goes_back() {
        let data: Vec<u8> = (0..=255).collect();
        let mut source = Source::new(std::io::Cursor::new(data.clone()), true);
        assert_eq!(source.range(200, 16, 256).await.unwrap(), &data[200..216]);
        assert_eq!(source.range(0, 16, 256).await.unwrap(), &data[..16]);
        let mut short = Source::new(std::io::Cursor::new(data.clone()), true);
        assert!(matches!(
            short.range(250, 16, 300).await,
            Err(Error::Upload(_))
        ));
    }
}
