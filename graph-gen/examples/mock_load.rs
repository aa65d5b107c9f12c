//! Load on the mock Graph, for BENCHMARKS.md ("Hostile input: mock").
//!
//! ```sh
//! cargo run --release -p graph-gen --example mock_load -- rps 2 3        # req/s over 2 templates
//! cargo run --release -p graph-gen --example mock_load -- rps 10000 3    # … over 10,000
//! cargo run --release -p graph-gen --example mock_load -- idle 2000 40   # idle sockets after 40 s
//! ```
//!
//! `idle COUNT SECS ADDR` opens the sockets against a server already running at ADDR (such as
//! `graph-gen mock` under `ulimit -n 1024`) instead of one of its own.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use graph_gen::mock::MockGraph;
use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |at: usize, default: usize| {
        args.get(at)
            .map_or(default, |text| text.parse().expect("a number"))
    };
    match args.first().map(String::as_str) {
        Some("rps") => rps(number(1, 2), number(2, 3) as u64),
        Some("idle") => idle(number(1, 2000), number(2, 40) as u64, args.get(3)),
        _ => eprintln!("usage: mock_load rps TEMPLATES SECS | idle COUNT SECS [ADDR]"),
    }
}

/// An IR of `count` operations, each with one template and one example: `GET /things{i}/{id}`,
/// the one requested (`GET /users/{id}`) among them.
fn synthetic_ir(count: usize) -> graph_gen::Ir {
    let operation = |title: String, path: String| -> Value {
        json!({
            "name": title, "resource": "user", "title": title,
            "source": {"file": "beta/api/p.md", "line": 1},
            "version": "beta", "namespace": null, "description": "",
            "http": [{"method": "GET", "path": path, "raw": path, "parameters": [],
                      "source": {"file": "p.md", "line": 1}}],
            "permissions": null, "roles": null, "national_clouds": null, "request_headers": [],
            "request_body": {"kind": "none"},
            "response": {"status": 200, "type": null, "collection": false,
                         "source": {"file": "p.md", "line": 1}},
            "examples": [{"name": null,
                "request": {"method": "GET", "url": "/users/1", "headers": [], "body": null,
                            "source": {"file": "p.md", "line": 1}},
                "response": {"status": 200, "headers": [["Content-type", "application/json"]],
                             "body": {"id": "1"}, "odata_type": null, "collection": false,
                             "truncated": false, "source": {"file": "p.md", "line": 1}}}],
        })
    };
    let mut operations = vec![operation("get user".to_owned(), "/users/{id}".to_owned())];
    operations.extend(
        (1..count).map(|i| operation(format!("get thing {i}"), format!("/things{i}/{{id}}"))),
    );
    serde_json::from_value(json!({"operations": operations, "models": [], "diagnostics": []}))
        .expect("a valid IR")
}

/// Requests per second from two keep-alive clients for `secs` seconds.
fn rps(templates: usize, secs: u64) {
    let server = MockGraph::new(&synthetic_ir(templates))
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap();
    let addr = server.addr();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let clients: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(move || requests_until(addr, deadline, false)))
        .collect();
    let total: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    println!(
        "templates: {templates}, requests: {total} in {secs} s, {} req/s",
        total / secs
    );
    server.shutdown().unwrap();
}

/// `GET /beta/users/1` on one connection until `deadline`; how many were answered (all 200
/// unless `any_status`: another server's docs may not have the path).
fn requests_until(addr: SocketAddr, deadline: Instant, any_status: bool) -> u64 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let request = format!("GET /beta/users/1 HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut answered = 0;
    while Instant::now() < deadline {
        stream.write_all(request.as_bytes()).unwrap();
        // One response: its head, then Content-Length bytes.
        loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .map_or(0, |n| n.trim().parse().unwrap());
                if buffer.len() >= end + 4 + length {
                    assert!(any_status || head.starts_with("http/1.1 200"), "{head}");
                    buffer.drain(..end + 4 + length);
                    break;
                }
            }
            let read = stream.read(&mut chunk).unwrap();
            assert!(read > 0, "the server closed the connection");
            buffer.extend_from_slice(&chunk[..read]);
        }
        answered += 1;
    }
    answered
}

/// Opens `count` connections that send nothing, waits `secs`, and says how many the server
/// closed and whether it still answers.
fn idle(count: usize, secs: u64, addr: Option<&String>) {
    let own = addr.is_none().then(|| {
        MockGraph::new(&synthetic_ir(2))
            .serve("127.0.0.1:0".parse().unwrap())
            .unwrap()
    });
    let addr: SocketAddr = match (&own, addr) {
        (Some(server), _) => server.addr(),
        (None, Some(addr)) => addr.parse().expect("an address such as 127.0.0.1:8080"),
        (None, None) => unreachable!(),
    };
    let mut sockets = Vec::with_capacity(count);
    let mut failed = 0;
    for _ in 0..count {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(stream) => sockets.push(stream),
            Err(_) => failed += 1,
        }
    }
    println!(
        "opened {} idle connections ({failed} failed); waiting {secs} s",
        sockets.len()
    );
    std::thread::sleep(Duration::from_secs(secs));
    let closed = sockets.iter_mut().map(is_closed).filter(|&c| c).count();
    println!(
        "closed by the server after {secs} s: {closed} of {}",
        sockets.len()
    );
    drop(sockets);
    std::thread::sleep(Duration::from_millis(200));
    let answers = std::panic::catch_unwind(|| {
        requests_until(addr, Instant::now() + Duration::from_millis(100), true)
    });
    println!(
        "server answers afterwards: {}",
        answers.is_ok_and(|answered| answered > 0)
    );
    if let Some(server) = own {
        server.shutdown().unwrap();
    }
}

/// Whether the peer closed `stream` (end of file or reset), without waiting.
fn is_closed(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(error) => error.kind() != ErrorKind::WouldBlock,
    }
}
