//! Large-file uploads to an upload session: ranges reassembled byte for byte, resumed after a
//! dropped connection and a 5xx, progress, cancel, and never the client's token on the upload
//! host.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use graph_api::{Error, GraphClient, LargeFileUpload, RetryPolicy};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "TOKEN-s3cr3t-value";
const MIB: usize = 1024 * 1024;

/// What the session creates at the end, as a caller would type it.
#[derive(Debug, Deserialize, PartialEq)]
struct DriveItem {
    id: String,
    name: String,
    size: u64,
}

/// A fault the server injects once, on the first `PUT` whose range holds `at`.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Reads half the range's body, keeps it, and closes the connection.
    Drop { at: u64 },
    /// Reads the body, drops it, and answers with this status.
    Status { at: u64, status: u16 },
    /// Answers 500 and forgets everything received, so the upload must start again at 0.
    Forget { at: u64 },
}

#[derive(Debug, Default)]
struct State {
    received: Vec<u8>,
    /// Method and headers of every request, lowercase names.
    requests: Vec<(String, Vec<(String, String)>)>,
    faults: Vec<Fault>,
    cancelled: bool,
}

/// An upload session endpoint on `ip`, speaking just enough HTTP/1.1 by hand to drop a
/// connection in the middle of a body.
struct UploadServer {
    url: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl UploadServer {
    async fn start(ip: &str, faults: Vec<Fault>) -> Self {
        let listener = TcpListener::bind(SocketAddr::new(ip.parse().unwrap(), 0))
            .await
            .unwrap();
        let url = format!(
            "http://{}/up/session?guid=1&tempauth=sig-abc",
            listener.local_addr().unwrap()
        );
        let state = Arc::new(Mutex::new(State {
            faults,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(socket, Arc::clone(&shared)));
            }
        });
        Self { url, state, task }
    }

    fn received(&self) -> Vec<u8> {
        self.state.lock().unwrap().received.clone()
    }

    fn methods(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state.requests.iter().map(|(m, _)| m.clone()).collect()
    }
}

impl Drop for UploadServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(socket: TcpStream, state: Arc<Mutex<State>>) {
    let mut socket = BufReader::new(socket);
    loop {
        let mut line = String::new();
        if socket.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let method = line.split(' ').next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            socket.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let length: usize = header("content-length").map_or(0, |v| v.parse().unwrap());
        let range = header("content-range");
        state
            .lock()
            .unwrap()
            .requests
            .push((method.clone(), headers.clone()));

        let (status, body) = match method.as_str() {
            "GET" => {
                let state = state.lock().unwrap();
                (200, expected(state.received.len()))
            }
            "DELETE" => {
                state.lock().unwrap().cancelled = true;
                (204, String::new())
            }
            "PUT" => {
                let range = range.expect("every PUT has a Content-Range");
                let Some(answer) = put(&mut socket, &state, &range, length).await else {
                    return; // closes the connection mid-body
                };
                answer
            }
            other => panic!("unexpected method {other}"),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let socket = socket.get_mut();
        if socket.write_all(head.as_bytes()).await.is_err()
            || socket.write_all(body.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

/// Takes one range; `None` when the fault says to close the connection instead of answering.
async fn put(
    socket: &mut BufReader<TcpStream>,
    state: &Mutex<State>,
    range: &str,
    length: usize,
) -> Option<(u16, String)> {
    // `bytes start-end/total`
    let (span, total) = range["bytes ".len()..].split_once('/').unwrap();
    let (start, end) = span.split_once('-').unwrap();
    let (start, end, total): (u64, u64, u64) = (
        start.parse().unwrap(),
        end.parse().unwrap(),
        total.parse().unwrap(),
    );
    assert_eq!(
        end - start + 1,
        length as u64,
        "Content-Length matches the range"
    );
    let fault = {
        let mut state = state.lock().unwrap();
        let hit = state.faults.iter().position(|fault| {
            let (Fault::Drop { at } | Fault::Status { at, .. } | Fault::Forget { at }) = *fault;
            (start..=end).contains(&at)
        });
        hit.map(|index| state.faults.remove(index))
    };
    if let Some(Fault::Drop { .. }) = fault {
        let mut part = vec![0; length / 2];
        socket.read_exact(&mut part).await.unwrap();
        let mut state = state.lock().unwrap();
        if state.received.len() as u64 == start {
            state.received.extend_from_slice(&part);
        }
        return None;
    }
    let mut body = vec![0; length];
    socket.read_exact(&mut body).await.unwrap();
    let mut state = state.lock().unwrap();
    Some(match fault {
        Some(Fault::Status { status, .. }) => (status, String::new()),
        Some(Fault::Forget { .. }) => {
            state.received.clear();
            (500, String::new())
        }
        _ if state.received.len() as u64 != start => (416, expected(state.received.len())),
        _ => {
            state.received.extend_from_slice(&body);
            if state.received.len() as u64 == total {
                let item = serde_json::json!({
                    "id": "01BIG", "name": "big.bin", "size": total,
                });
                (201, item.to_string())
            } else {
                (202, expected(state.received.len()))
            }
        }
    })
}

fn expected(from: usize) -> String {
    serde_json::json!({
        "expirationDateTime": "2030-01-01T00:00:00Z",
        "nextExpectedRanges": [format!("{from}-")],
    })
    .to_string()
}

/// Bytes that differ from range to range, so a misplaced range shows.
fn source(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// A client of a Graph on 127.0.0.1 with a token; the upload goes elsewhere.
fn client() -> GraphClient {
    GraphClient::builder()
        .base_url("http://127.0.0.1:9")
        .allow_http(true)
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(20))
        .retry_policy(
            RetryPolicy::default()
                .with_base_delay(Duration::from_millis(10))
                .with_max_delay(Duration::from_millis(40))
                .with_budget(Duration::from_secs(10)),
        )
        .build()
        .unwrap()
}

fn assert_no_credentials(server: &UploadServer) {
    let state = server.state.lock().unwrap();
    assert!(!state.requests.is_empty());
    for (method, headers) in &state.requests {
        for (name, value) in headers {
            assert_ne!(name, "authorization", "{method} sent {name}");
            assert!(!value.contains(TOKEN), "{method} sent the token in {name}");
        }
    }
}

#[tokio::test]
async fn twenty_mib_resume_after_a_dropped_connection() {
    let data = source(20 * MIB);
    // Inside the second 5 MiB range: half of it arrives, then the socket closes.
    let server = UploadServer::start("127.0.0.1", vec![Fault::Drop { at: 7 * MIB as u64 }]).await;

    let item: DriveItem = LargeFileUpload::new(&client(), &server.url)
        .unwrap()
        .upload(&data[..], data.len() as u64)
        .await
        .unwrap();

    assert_eq!(
        item,
        DriveItem {
            id: "01BIG".into(),
            name: "big.bin".into(),
            size: data.len() as u64,
        }
    );
    assert!(
        server.received() == data,
        "assembled bytes differ from the source"
    );
    // PUT, then the dropped PUT, the status query, and the rest resumed mid-range.
    let methods = server.methods();
    assert_eq!(
        methods.iter().filter(|m| *m == "GET").count(),
        1,
        "{methods:?}"
    );
    assert_eq!(&methods[..3], ["PUT", "PUT", "GET"]);
    assert_no_credentials(&server);
}

#[tokio::test]
async fn the_upload_host_never_sees_the_token() {
    let data = source(3 * LargeFileUpload::CHUNK_UNIT + 1000);
    // Another host than the client's base url; a 503 brings a status query too.
    let server = UploadServer::start(
        "127.0.0.2",
        vec![Fault::Status {
            at: 400_000,
            status: 503,
        }],
    )
    .await;
    let client = client();
    let upload = LargeFileUpload::new(&client, &server.url)
        .unwrap()
        .chunk_size(LargeFileUpload::CHUNK_UNIT)
        .unwrap();

    let _: DriveItem = upload.upload(&data[..], data.len() as u64).await.unwrap();
    upload.status().await.unwrap();
    upload.cancel().await.unwrap();

    assert!(server.received() == data);
    let methods = server.methods();
    assert!(methods.contains(&"GET".to_owned()) && methods.contains(&"DELETE".to_owned()));
    assert_no_credentials(&server);
    // Nor is the upload url, a credential of its own, in `Debug`.
    assert!(!format!("{upload:?}").contains("sig-abc"));
}

#[tokio::test]
async fn progress_reaches_the_total_after_a_5xx() {
    let data = source(5 * LargeFileUpload::CHUNK_UNIT);
    let server = UploadServer::start(
        "127.0.0.1",
        vec![
            Fault::Status {
                at: 700_000,
                status: 500,
            },
            Fault::Status {
                at: 700_001,
                status: 502,
            },
        ],
    )
    .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);

    let item: DriveItem = LargeFileUpload::new(&client(), &server.url)
        .unwrap()
        .chunk_size(LargeFileUpload::CHUNK_UNIT)
        .unwrap()
        .on_progress(move |uploaded, total| record.lock().unwrap().push((uploaded, total)))
        .upload(&data[..], data.len() as u64)
        .await
        .unwrap();

    assert_eq!(item.size, data.len() as u64);
    assert!(server.received() == data);
    let seen = seen.lock().unwrap();
    let total = data.len() as u64;
    assert_eq!(seen.last(), Some(&(total, total)), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert!(seen.iter().all(|&(_, t)| t == total));
    // Two failed attempts at the third range, each followed by a status query.
    let methods = server.methods();
    assert_eq!(
        methods.iter().filter(|m| *m == "GET").count(),
        2,
        "{methods:?}"
    );
}

#[tokio::test]
async fn a_reader_cannot_go_back_but_a_file_can() {
    let data = source(4 * LargeFileUpload::CHUNK_UNIT);
    let forget = vec![Fault::Forget {
        at: 3 * LargeFileUpload::CHUNK_UNIT as u64,
    }];

    let server = UploadServer::start("127.0.0.1", forget.clone()).await;
    let upload = LargeFileUpload::new(&client(), &server.url)
        .unwrap()
        .chunk_size(LargeFileUpload::CHUNK_UNIT)
        .unwrap();
    let error = upload
        .upload::<DriveItem, _>(&data[..], data.len() as u64)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Upload(_)), "{error}");
    assert!(error.to_string().contains("cannot seek back"), "{error}");

    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, &data).unwrap();
    let server = UploadServer::start("127.0.0.1", forget).await;
    let upload = LargeFileUpload::new(&client(), &server.url)
        .unwrap()
        .chunk_size(LargeFileUpload::CHUNK_UNIT)
        .unwrap();
    let item: DriveItem = upload.upload_file(file.path()).await.unwrap();
    assert_eq!(item.size, data.len() as u64);
    assert!(server.received() == data);
}

#[tokio::test]
async fn retries_are_bounded_and_client_errors_are_not_retried() {
    let data = source(2 * LargeFileUpload::CHUNK_UNIT);
    let at = LargeFileUpload::CHUNK_UNIT as u64;
    let faults = (0..10).map(|_| Fault::Status { at, status: 503 }).collect();
    let server = UploadServer::start("127.0.0.1", faults).await;
    let upload = LargeFileUpload::new(&client(), &server.url)
        .unwrap()
        .chunk_size(LargeFileUpload::CHUNK_UNIT)
        .unwrap()
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_base_delay(Duration::from_millis(5)),
        );
    let error = upload
        .upload::<DriveItem, _>(&data[..], data.len() as u64)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error}"
    );
    assert_eq!(error.status(), Some(503));

    let server = UploadServer::start("127.0.0.1", vec![Fault::Status { at: 0, status: 404 }]).await;
    let upload = LargeFileUpload::new(&client(), &server.url).unwrap();
    let error = upload
        .upload::<DriveItem, _>(&data[..], data.len() as u64)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(server.methods(), ["PUT"]);
}

#[tokio::test]
async fn bad_settings_are_build_errors() {
    let client = client();
    let upload = LargeFileUpload::new(&client, "https://up.example/s").unwrap();
    for size in [
        0,
        1000,
        LargeFileUpload::CHUNK_UNIT + 1,
        193 * LargeFileUpload::CHUNK_UNIT,
    ] {
        let error = upload.clone().chunk_size(size).unwrap_err();
        assert!(matches!(error, Error::Build(_)), "{size}: {error}");
    }
    assert!(upload
        .clone()
        .chunk_size(LargeFileUpload::MAX_CHUNK_SIZE)
        .is_ok());
    let https_only = GraphClient::builder().build().unwrap();
    let error = LargeFileUpload::new(&https_only, "http://up.example/s?sig=s3cr3t").unwrap_err();
    assert!(
        matches!(error, Error::Build(_)) && !error.to_string().contains("s3cr3t"),
        "{error}"
    );
    assert!(LargeFileUpload::new(&client, "ftp://up.example/s").is_err());
    let empty = upload
        .upload::<DriveItem, _>(&b""[..], 0)
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::Upload(_)), "{empty}");
}

/// Upload throughput on loopback (BENCHMARKS.md, "Large-file upload"):
/// `cargo test -p graph-api --release --test upload -- --ignored --nocapture throughput`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run in release"]
async fn throughput() {
    let data = source(64 * MIB);
    for chunk in [16, 32, 64] {
        let server = UploadServer::start("127.0.0.1", Vec::new()).await;
        let upload = LargeFileUpload::new(&client(), &server.url)
            .unwrap()
            .chunk_size(chunk * LargeFileUpload::CHUNK_UNIT)
            .unwrap();
        let started = Instant::now();
        let _: DriveItem = upload.upload(&data[..], data.len() as u64).await.unwrap();
        let elapsed = started.elapsed();
        assert!(server.received() == data);
        println!(
            "64 MiB in ranges of {chunk} × 320 KiB: {:.0} ms, {:.0} MiB/s",
            elapsed.as_secs_f64() * 1000.0,
            64.0 / elapsed.as_secs_f64()
        );
    }
}
