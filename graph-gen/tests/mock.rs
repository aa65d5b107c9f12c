//! The mock Graph over real HTTP on 127.0.0.1: in-process, and as `graph-gen mock`.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

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

#[test]
fn stopped_servers_refuse_connections() {
    let server = MockGraph::new(&seed_docs())
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    let addr = server.addr();
    server.shutdown().unwrap();
    assert!(TcpStream::connect(addr).is_err());
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
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let url = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {first_line:?}"));
    let addr: SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let (status, _, _) = exchange(addr, "POST", "/beta/users/1/reprocessLicenseAssignment");
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(status, 200);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains(
            "POST /beta/users/1/reprocessLicenseAssignment -> 200 (user: reprocessLicenseAssignment)"
        ),
        "{log}"
    );
}
