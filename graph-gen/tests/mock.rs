//! The mock Graph over real HTTP on 127.0.0.1: in-process, and as `graph-gen mock`.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use graph_gen::mock::MockGraph;

/// Status, lower-case headers and body of one HTTP/1.1 exchange (the connection is closed
/// after it, so the body is whatever follows the headers).
fn exchange(addr: SocketAddr, method: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nclient-request-id: test-1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

fn seed_docs() -> graph_gen::Ir {
    graph_gen::Generator::default()
        .load_docs_relative(&support::workspace(), &["api-docs"])
        .unwrap()
}

#[test]
fn serves_the_seed_example_with_a_decodable_sku_id() {
    let server = MockGraph::new(&seed_docs())
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    let (status, head, body) = exchange(
        server.addr(),
        "POST",
        "/beta/users/ada%40contoso.com/reprocessLicenseAssignment",
    );
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(head.contains("client-request-id: test-1"), "{head}");
    let user: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        user["assignedLicenses"][0]["skuId"],
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(user["city"], "city-value", "valid strings stay as written");
    server.shutdown().unwrap();
}

#[test]
fn unknown_routes_get_graph_error_bodies() {
    let server = MockGraph::new(&seed_docs())
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    // A path no page documents, whatever `api-docs/` holds.
    let (status, head, body) = exchange(server.addr(), "GET", "/v1.0/graphGenUndocumented?$top=1");
    assert_eq!(status, 404);
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "ResourceNotFound");
    let request_id = error["error"]["innerError"]["request-id"].as_str().unwrap();
    assert!(
        head.contains(&format!("request-id: {request_id}")),
        "{head}"
    );
    server.shutdown().unwrap();
}

/// The server's own listener is closed at shutdown. The test holds a second handle on the
/// listening socket, so the port cannot go to another test's server meanwhile (which made
/// connecting after shutdown succeed now and then); a connection then waits for the test's
/// `accept`, which the stopped server no longer takes from it.
#[test]
fn stopped_servers_stop_accepting() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let held = listener.try_clone().unwrap();
    let server = MockGraph::new(&seed_docs()).serve_on(listener).unwrap();
    let addr = server.addr();
    assert_eq!(exchange(addr, "GET", "/v1.0/graphGenUndocumented").0, 404);
    server.shutdown().unwrap();
    let client = TcpStream::connect(addr).unwrap();
    held.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let from = loop {
        match held.accept() {
            Ok((_, from)) => break from,
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    Instant::now() < deadline,
                    "a stopped server took the connection"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(error) => panic!("{error}"),
        }
    };
    assert_eq!(from, client.local_addr().unwrap());
}

/// Waits up to `within` for the server to close `stream`: true on end of file or reset.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => true,
        Err(error) => !matches!(
            error.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn idle_connections_are_closed_and_the_server_answers_afterwards() {
    let server = MockGraph::new(&seed_docs())
        .idle_timeout(Duration::from_millis(300))
        .header_timeout(Duration::from_secs(30))
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    for stream in &mut idle {
        assert!(closed_within(stream, Duration::from_secs(10)));
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    assert_eq!(
        exchange(server.addr(), "GET", "/v1.0/graphGenUndocumented").0,
        404
    );
    server.shutdown().unwrap();
}

#[test]
fn slow_headers_are_dropped_while_others_are_served() {
    let server = MockGraph::new(&seed_docs())
        .header_timeout(Duration::from_millis(400))
        .idle_timeout(Duration::from_secs(30))
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    let addr = server.addr();
    let started = Instant::now();
    // Half a request line, then nothing.
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled.write_all(b"GET /beta/us").unwrap();
    // A byte every 50 ms: never idle, never a whole head.
    let mut trickling = TcpStream::connect(addr).unwrap();
    let mut writer = trickling.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        let head = b"GET /beta/users/1 HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        for byte in head.iter().chain(std::iter::repeat(&b'a')).take(200) {
            if writer.write_all(&[*byte]).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    });
    assert_eq!(exchange(addr, "GET", "/v1.0/graphGenUndocumented").0, 404);
    assert!(closed_within(&mut stalled, Duration::from_secs(10)));
    assert!(closed_within(&mut trickling, Duration::from_secs(10)));
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert!(
        trickle.join().unwrap(),
        "the trickling client was never cut off"
    );
    assert_eq!(exchange(addr, "GET", "/v1.0/graphGenUndocumented").0, 404);
    server.shutdown().unwrap();
}

/// `graph-gen mock` under `ulimit -n 128` with more connections than descriptors: accepting
/// fails with `EMFILE`, the server pauses, and it answers once the clients go.
#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_does_not_stop_the_cli() {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 128 && exec \"$0\" mock api-docs --port 0")
        .arg(env!("CARGO_BIN_EXE_graph-gen"))
        .current_dir(support::workspace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = cli_addr(&mut child);
    let clients: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok())
        .collect();
    // Long enough for the server to have tried to accept past its limit.
    std::thread::sleep(Duration::from_millis(500));
    let alive = child.try_wait().unwrap().is_none();
    drop(clients);
    let status = alive.then(|| exchange(addr, "GET", "/v1.0/graphGenUndocumented").0);
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(alive, "the server exited: {log}");
    assert_eq!(status, Some(404), "{log}");
    assert!(log.contains("accept failed"), "no EMFILE provoked: {log}");
}

/// The address `graph-gen mock` prints on its first line.
fn cli_addr(child: &mut std::process::Child) -> SocketAddr {
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {first_line:?}"));
    url.trim_start_matches("http://").parse().unwrap()
}

#[test]
fn the_cli_serves_and_logs_requests() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graph-gen"))
        .args(["mock", "api-docs", "--port", "0"])
        .current_dir(support::workspace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = cli_addr(&mut child);
    let (status, _, _) = exchange(addr, "POST", "/beta/users/1/reprocessLicenseAssignment");
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(status, 200);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains(
            "POST /beta/users/1/reprocessLicenseAssignment -> 200 \
             beta.users().by_id().reprocess_license_assignment() (user: reprocessLicenseAssignment)"
        ),
        "{log}"
    );
}
