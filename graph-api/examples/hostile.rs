//! The client against a hostile server, one scenario per run, for the figures of
//! `BENCHMARKS.md` ("Hostile servers"): time, peak memory and the outcome of each.
//!
//! ```sh
//! cargo build --release -p graph-api --example hostile
//! /usr/bin/time -v target/release/examples/hostile empty-objects 63
//! ```
//!
//! Scenarios: `empty-objects MIB` (a page `{"value":[{},{},…]}` of that size, collected with
//! `.await`), `zeros MIB` (a user with an array of zeros of that size), `slow-pages N MS`
//! (N pages of MS each, a 1 s timeout per attempt, collected with `.await`; with
//! `--max-duration S`, within that deadline), `echo-token`, `control-chars` and `transport`
//! (what errors print).
//!
//! The server runs in a child process (this binary, `serve …`), so the peak memory reported,
//! by `/usr/bin/time` and by the line this prints, is the client's alone.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use graph_api::{Error, GraphClient};

graph_gen_macros::generate_api!(ir = "$CARGO_MANIFEST_DIR/tests/fixtures/client.ir.json");

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhZGEifQ.c2lnbmF0dXJl";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match args.as_slice() {
        ["serve", scenario @ ..] => runtime.block_on(serve(scenario.join(" "))),
        [] => eprintln!("usage: hostile SCENARIO [ARGS]; see the source"),
        scenario => runtime.block_on(run(scenario)),
    }
}

/// Starts the server child, runs the scenario against it, prints time, outcome and peak memory.
#[allow(
    clippy::zombie_processes,
    reason = "a reaped child would count in this process's peak memory"
)]
async fn run(scenario: &[&str]) {
    let mut child = Command::new(std::env::current_exe().expect("this binary"))
        .arg("serve")
        .args(scenario)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server child starts");
    let mut port = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut port)
        .expect("the child prints its port");
    let base = format!("http://127.0.0.1:{}", port.trim());
    let client = GraphClient::builder()
        .base_url(&base)
        .allow_http(true)
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(1))
        .build()
        .expect("a client");

    let started = Instant::now();
    let outcome = match scenario[0] {
        "empty-objects" => summary(v1::user::list(&client).await.map(|users| users.len())),
        "zeros" => summary(v1::user::get(&client, "ada").await.map(|_| 1)),
        "slow-pages" => {
            let call = v1::user::list(&client);
            let call = match scenario.iter().position(|arg| *arg == "--max-duration") {
                Some(at) => call.max_duration(Duration::from_secs(number(scenario, at + 1))),
                None => call,
            };
            summary(call.await.map(|users| users.len()))
        }
        "echo-token" => {
            let denied = v1::user::get(&client, "ada").await.unwrap_err();
            let decoded = v1::user::get(&client, "typed").await.unwrap_err();
            let text = format!("{denied} {denied:?} {decoded} {decoded:?}");
            format!("token printed: {}", text.contains("c2lnbmF0dXJl"))
        }
        "control-chars" => {
            let error = v1::user::get(&client, "ada").await.unwrap_err();
            format!("display: {:?}", error.to_string())
        }
        "transport" => {
            drop(child.kill());
            let dead = GraphClient::builder()
                .base_url(&base)
                .allow_http(true)
                .build()
                .expect("a client");
            let error = v1::user::get(&dead, "ada@contoso.com").await.unwrap_err();
            format!("display: {error}")
        }
        other => format!("unknown scenario `{other}`"),
    };
    let elapsed = started.elapsed();
    // Killed, not waited for: a reaped child would count in this process's peak memory.
    drop(child.kill());
    println!("{}: {outcome}", scenario.join(" "));
    println!(
        "time {:.2} s, peak rss {} MiB",
        elapsed.as_secs_f64(),
        peak_rss_mib()
    );
}

fn summary(result: Result<usize, Error>) -> String {
    match result {
        Ok(items) => format!("ok, {items} items"),
        Err(error) => {
            let text = error.to_string();
            let cut: String = text.chars().take(160).collect();
            format!("error: {cut}")
        }
    }
}

fn number(args: &[&str], at: usize) -> u64 {
    args.get(at)
        .and_then(|arg| arg.parse().ok())
        .expect("a number argument")
}

/// `VmHWM` of this process, in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib / 1024)
}

/// The hostile server of `scenario`; prints its port, then serves until killed.
async fn serve(scenario: String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    println!("{}", listener.local_addr().expect("bound").port());
    let args: Vec<&str> = scenario.split(' ').collect();
    let mib = || usize::try_from(number(&args, 1)).expect("a size") << 20;
    let fixed = match args[0] {
        "empty-objects" => Some(repeated(r#"{"value":["#, "{},", "{}]}", mib())),
        "zeros" => Some(repeated(r#"{"id":"a","zeros":["#, "0,", "0]}", mib())),
        _ => None,
    };
    let pages = args
        .get(1)
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let delay = Duration::from_millis(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(0));
    let kind = args[0].to_owned();
    let app = axum::Router::new().fallback(move |request: Request| {
        let fixed = fixed.clone();
        let kind = kind.clone();
        async move {
            if let Some(body) = fixed {
                return json(200, body);
            }
            tokio::time::sleep(delay).await;
            respond(&kind, &request.uri().to_string(), pages)
        }
    });
    axum::serve(listener, app).await.expect("serving");
}

/// `head`, then `item` repeated to fill `size` bytes, then `tail`.
fn repeated(head: &str, item: &str, tail: &str, size: usize) -> bytes::Bytes {
    let count = size.saturating_sub(head.len() + tail.len()) / item.len();
    let mut body = String::with_capacity(size);
    body.push_str(head);
    for _ in 0..count {
        body.push_str(item);
    }
    body.push_str(tail);
    body.into()
}

fn respond(kind: &str, uri: &str, pages: usize) -> Response {
    match kind {
        "slow-pages" => {
            let page: usize = uri
                .rsplit_once("page=")
                .and_then(|(_, n)| n.parse().ok())
                .unwrap_or(0);
            let mut body = serde_json::json!({ "value": [{ "id": format!("u{page}") }] });
            if page + 1 < pages {
                body["@odata.nextLink"] = format!("/v1.0/users?page={}", page + 1).into();
            }
            json(200, body.to_string().into())
        }
        "echo-token" if uri.ends_with("/typed") => {
            let body = format!(r#"{{"id":"a","accountEnabled":"Bearer {TOKEN}"}}"#);
            json(200, body.into())
        }
        "echo-token" => {
            let body = serde_json::json!({ "error": {
                "code": "InvalidAuthenticationToken",
                "message": format!("token `Bearer {TOKEN}` is expired"),
                "innerError": { "request-id": TOKEN },
            }});
            let mut response = json(401, body.to_string().into());
            let echo = format!("Bearer {TOKEN}").parse().expect("a header value");
            response.headers_mut().insert("x-echo", echo);
            response
        }
        "control-chars" => {
            let message = "not found\n2024-01-01 INFO login ok user=admin \u{1b}[2J\u{202e}";
            let body = serde_json::json!({ "error": { "code": "x\r\ny", "message": message } });
            json(404, body.to_string().into())
        }
        _ => json(404, "{}".into()),
    }
}

fn json(status: u16, body: bytes::Bytes) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a valid response")
}
