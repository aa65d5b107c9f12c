//! Runtime overhead of the generated client, each figure against a hand-written reference:
//!
//! - latency of `graph_api::beta::user::reprocess_license_assignment` against a hand-written
//!   reqwest call of the same request to the same local server (127.0.0.1, started here),
//!   both decoding the same `User`;
//! - decoding throughput of the generated `graph_api::beta::User` against a hand-written serde
//!   struct of the same fields (which drops unknown properties instead of keeping them), and
//!   against serde's derive with `#[serde(flatten)]` (the former generated form).
//!
//! `cargo bench -p graph-api --bench runtime [-- --rounds N] [--only latency|decoding]`; figures go to `BENCHMARKS.md`.
//! `-- --only latency --client generated|hand|same [--calls N]` runs one client alone (for callgrind).
//! Request counts are bounded: warm-up plus rounds × `REQUESTS_PER_ROUND` per client.
//! Latency is timed per request, the three clients taking turns request by request.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// The user the docs' example request names.
const USER_ID: &str = "047dd774-f1c4-40f2-82f0-278de79f9b83";
const REQUESTS_PER_ROUND: usize = 100;
const WARM_UP_REQUESTS: usize = 200;
/// Decodes per timed round.
const DECODES: usize = 2_000;

/// Every property the docs list for `user` (api-docs), as Graph returns them.
const USER_JSON: &str = r#"{
  "deletedDateTime": null,
  "id": "047dd774-f1c4-40f2-82f0-278de79f9b83",
  "accountEnabled": true,
  "assignedLicenses": [
    { "disabledPlans": ["11b0131d-43c8-4bbb-b2c8-e80f9a50834a"], "skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900" },
    { "disabledPlans": [], "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df" }
  ],
  "assignedPlans": [
    { "assignedDateTime": "2016-10-19T10:37:00Z", "capabilityStatus": "Enabled", "service": "exchange", "servicePlanId": "bea13e0c-3828-4daa-a392-28af7ff61a0f" },
    { "assignedDateTime": "2017-03-01T08:00:00Z", "capabilityStatus": "Enabled", "service": "SharePoint", "servicePlanId": "5dbe027f-2339-4123-9542-606e4d348a72" },
    { "assignedDateTime": "2018-07-12T16:20:31Z", "capabilityStatus": "Suspended", "service": "MicrosoftOffice", "servicePlanId": "43de0ff5-c92c-492b-9116-175376d08c38" }
  ],
  "businessPhones": ["+1 425 555 0109"],
  "city": "Redmond",
  "companyName": "Contoso",
  "country": "United States",
  "createdDateTime": "2019-02-13T19:01:33Z",
  "department": "Sales & Marketing",
  "displayName": "Adele Vance",
  "givenName": "Adele",
  "jobTitle": "Retail Manager",
  "mail": "AdeleV@contoso.com",
  "mailNickname": "AdeleV",
  "mobilePhone": "+1 425 555 0109",
  "officeLocation": "18/2111",
  "preferredLanguage": "en-US",
  "surname": "Vance",
  "usageLocation": "US",
  "userPrincipalName": "AdeleV@contoso.com",
  "userType": "Member"
}"#;

/// The same user as Graph sends it with `$select` of properties the docs do not list: an
/// `@odata.context` and five more properties, kept by the generated model.
fn user_json_with_unlisted() -> String {
    USER_JSON.replacen(
        "{\n",
        "{\n  \"@odata.context\": \"https://graph.microsoft.com/beta/$metadata#users/$entity\",\n  \
         \"onPremisesSyncEnabled\": null,\n  \"employeeId\": \"1234\",\n  \"ageGroup\": null,\n  \
         \"faxNumber\": \"+1 425 555 0110\",\n  \"proxyAddresses\": [\"SMTP:AdeleV@contoso.com\", \"smtp:adele@contoso.com\"],\n",
        1,
    )
}

/// The hand-written reference: the same fields and types, serde's derive, unknown properties
/// dropped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct HandUser {
    deleted_date_time: Option<DateTime<Utc>>,
    id: Option<String>,
    account_enabled: Option<bool>,
    assigned_licenses: Option<Vec<HandAssignedLicense>>,
    assigned_plans: Option<Vec<HandAssignedPlan>>,
    business_phones: Option<Vec<String>>,
    city: Option<String>,
    company_name: Option<String>,
    country: Option<String>,
    created_date_time: Option<DateTime<Utc>>,
    department: Option<String>,
    display_name: Option<String>,
    given_name: Option<String>,
    job_title: Option<String>,
    mail: Option<String>,
    mail_nickname: Option<String>,
    mobile_phone: Option<String>,
    office_location: Option<String>,
    preferred_language: Option<String>,
    surname: Option<String>,
    usage_location: Option<String>,
    user_principal_name: Option<String>,
    user_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct HandAssignedLicense {
    disabled_plans: Option<Vec<Uuid>>,
    sku_id: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct HandAssignedPlan {
    assigned_date_time: Option<DateTime<Utc>>,
    capability_status: Option<String>,
    service: Option<String>,
    service_plan_id: Option<Uuid>,
}

/// What graph-gen generated before its models had their own serde impls: serde's derive with
/// the unknown properties in a `#[serde(flatten)]` map.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct FlattenUser {
    #[serde(default)]
    deleted_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    account_enabled: Option<bool>,
    #[serde(default)]
    assigned_licenses: Option<Vec<FlattenAssignedLicense>>,
    #[serde(default)]
    assigned_plans: Option<Vec<FlattenAssignedPlan>>,
    #[serde(default)]
    business_phones: Option<Vec<String>>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    created_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    job_title: Option<String>,
    #[serde(default)]
    mail: Option<String>,
    #[serde(default)]
    mail_nickname: Option<String>,
    #[serde(default)]
    mobile_phone: Option<String>,
    #[serde(default)]
    office_location: Option<String>,
    #[serde(default)]
    preferred_language: Option<String>,
    #[serde(default)]
    surname: Option<String>,
    #[serde(default)]
    usage_location: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    user_type: Option<String>,
    #[serde(flatten)]
    additional_properties: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct FlattenAssignedLicense {
    #[serde(default)]
    disabled_plans: Option<Vec<Uuid>>,
    #[serde(default)]
    sku_id: Option<Uuid>,
    #[serde(flatten)]
    additional_properties: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "fields exist to be decoded")]
struct FlattenAssignedPlan {
    #[serde(default)]
    assigned_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    capability_status: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    service_plan_id: Option<Uuid>,
    #[serde(flatten)]
    additional_properties: serde_json::Map<String, serde_json::Value>,
}

fn main() {
    let rounds: usize = option("--rounds")
        .and_then(|n| n.parse().ok())
        .unwrap_or(31);
    let only = option("--only");
    if only.as_deref() != Some("latency") {
        decoding(rounds);
    }
    if only.as_deref() != Some("decoding") {
        latency(rounds);
    }
}

/// Decodes per second of each form, on both inputs.
fn decoding(rounds: usize) {
    // Every form decodes the input the same way first.
    let generated: graph_api::beta::User = serde_json::from_str(USER_JSON).expect("decodes");
    let hand: HandUser = serde_json::from_str(USER_JSON).expect("decodes");
    assert_eq!(generated.display_name, hand.display_name);
    assert_eq!(
        generated.assigned_plans.as_ref().map(Vec::len),
        hand.assigned_plans.as_ref().map(Vec::len)
    );
    let with_unlisted = user_json_with_unlisted();
    let kept: graph_api::beta::User = serde_json::from_str(&with_unlisted).expect("decodes");
    assert_eq!(kept.additional_properties.len(), 6);

    println!("decoding `beta::User` ({DECODES} decodes per round, median of {rounds} interleaved rounds):");
    for (input, text) in [
        ("listed properties only", USER_JSON.to_owned()),
        ("with 6 unlisted properties", with_unlisted),
    ] {
        let bytes = text.len() * DECODES;
        let generated = || decodes::<graph_api::beta::User>(&text, DECODES);
        let hand = || decodes::<HandUser>(&text, DECODES);
        let flatten = || decodes::<FlattenUser>(&text, DECODES);
        let (generated, hand_times, flatten) = interleaved3(rounds, generated, hand, flatten);
        let rate = |time: Duration| {
            #[allow(clippy::cast_precision_loss, reason = "counts are small")]
            let per_second = DECODES as f64 / time.as_secs_f64();
            #[allow(clippy::cast_precision_loss, reason = "sizes are small")]
            let megabytes = bytes as f64 / 1e6 / time.as_secs_f64();
            format!("{per_second:>9.0} decodes/s {megabytes:>7.1} MB/s")
        };
        println!("  {input}:");
        println!(
            "    hand-written serde struct       {}",
            rate(median(&hand_times))
        );
        println!(
            "    generated beta::User            {}  {:.2}× the hand-written time",
            rate(median(&generated)),
            ratio(median(&generated), median(&hand_times))
        );
        println!(
            "    serde derive + flatten (before) {}  {:.2}× the hand-written time",
            rate(median(&flatten)),
            ratio(median(&flatten), median(&hand_times))
        );
    }
}

/// Decodes `text` as `T` `count` times.
fn decodes<T: serde::de::DeserializeOwned>(text: &str, count: usize) {
    for _ in 0..count {
        let value: T = serde_json::from_str(std::hint::black_box(text)).expect("decodes");
        std::hint::black_box(value);
    }
}

/// The three clients of the latency figure, all calling the same local server.
struct Clients {
    generated: graph_api::GraphClient,
    plain: reqwest::Client,
    /// Sends what graph-api sends: its `User-Agent` too.
    same_agent: reqwest::Client,
    url: String,
}

impl Clients {
    fn new(base: &str) -> Self {
        Clients {
            generated: graph_api::GraphClient::builder()
                .base_url(base)
                .allow_http(true)
                .bearer_token("TOKEN")
                .build()
                .expect("a client"),
            plain: reqwest::Client::new(),
            same_agent: reqwest::Client::builder()
                .user_agent(concat!("graph-api/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("a reqwest client"),
            url: format!("{base}/beta/users/{USER_ID}/reprocessLicenseAssignment"),
        }
    }

    /// Client 0, 1 or 2: generated, hand-written, the same request by hand.
    async fn call(&self, client: usize) {
        match client {
            0 => self.generated().await,
            1 => self.hand().await,
            _ => self.hand_same().await,
        }
    }

    async fn generated(&self) {
        let user = graph_api::beta::user::reprocess_license_assignment(&self.generated, USER_ID)
            .await
            .expect("the generated call succeeds");
        std::hint::black_box(user);
    }

    /// What a user writes without graph-api: token, `Accept`, status check, decode.
    async fn hand(&self) {
        let request = self.plain.post(&self.url).bearer_auth("TOKEN");
        let body = body_of(request.header(reqwest::header::ACCEPT, "application/json")).await;
        let user: graph_api::beta::User = serde_json::from_slice(&body).expect("decodes");
        std::hint::black_box(user);
    }

    /// The request graph-api sends, written by hand: its headers (`client-request-id`,
    /// `User-Agent`, `Content-Length: 0`) and its per-attempt timeout.
    async fn hand_same(&self) {
        let request = self
            .same_agent
            .post(&self.url)
            .bearer_auth("TOKEN")
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_LENGTH, "0")
            .header("client-request-id", Uuid::new_v4().to_string());
        let exchange = body_of(request);
        let body = tokio::time::timeout(Duration::from_secs(100), exchange)
            .await
            .expect("in time");
        let user: graph_api::beta::User = serde_json::from_slice(&body).expect("decodes");
        std::hint::black_box(user);
    }
}

/// Sends a hand-written request and reads its body, failing on an error status.
async fn body_of(request: reqwest::RequestBuilder) -> bytes::Bytes {
    request
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the hand-written call succeeds")
        .bytes()
        .await
        .expect("a body")
}

/// Sequential requests over one kept-alive connection, each client in turn.
fn latency(rounds: usize) {
    let base = format!("http://{}", serve());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let clients = Clients::new(&base);
        // One client alone, for instruction counts: `valgrind --tool=callgrind` on
        // `--client generated`, `hand` and `same` counts the same server work plus each
        // client's own.
        if let Some(only) = option("--client") {
            let client = match only.as_str() {
                "generated" => 0,
                "hand" => 1,
                _ => 2,
            };
            let calls: usize = option("--calls")
                .and_then(|n| n.parse().ok())
                .unwrap_or(2_000);
            for _ in 0..calls {
                clients.call(client).await;
            }
            println!("{calls} calls of the {only} client");
            return;
        }
        for _ in 0..WARM_UP_REQUESTS {
            for client in 0..3 {
                clients.call(client).await;
            }
        }
        // Per client, the time of each request. The clients take turns request by request (each
        // first, second and third in turn), so a change in the loopback's speed, which moves
        // whole rounds by several percent, reaches all three alike.
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..rounds {
            for request in 0..REQUESTS_PER_ROUND {
                for turn in 0..3 {
                    let client = (round + request + turn) % 3;
                    let started = Instant::now();
                    clients.call(client).await;
                    times[client].push(started.elapsed());
                }
            }
        }
        report_latency(rounds, &times);
    });
}

fn report_latency(rounds: usize, [subject, reference, same]: &[Vec<Duration>; 3]) {
    println!(
        "latency of POST /beta/users/{{id}}/reprocessLicenseAssignment on 127.0.0.1 ({} requests per client, {} timed one by one, the clients taking turns):",
        WARM_UP_REQUESTS + rounds * REQUESTS_PER_ROUND,
        rounds * REQUESTS_PER_ROUND
    );
    let line = |name: &str, times: &[Duration]| {
        let [low, middle, high] = quartiles(times);
        println!(
            "  {name:<27}median {:>6.1} µs (quartiles {:.1}–{:.1}), mean {:>6.1} µs",
            micros(middle),
            micros(low),
            micros(high),
            micros(mean(times))
        );
    };
    line("hand-written reqwest call", reference);
    line("hand-written, same request", same);
    line("generated operation", subject);
    println!(
        "  generated: {:.3}× the hand-written median ({:.3}× in means), {:.3}× the same request by hand; the same request by hand: {:.3}×",
        ratio(median(subject), median(reference)),
        ratio(mean(subject), mean(reference)),
        ratio(median(subject), median(same)),
        ratio(median(same), median(reference)),
    );
}

/// The lower quartile, the median and the upper quartile of `times`.
fn quartiles(times: &[Duration]) -> [Duration; 3] {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |quarters: usize| {
        sorted
            .get(sorted.len().saturating_sub(1) * quarters / 4)
            .copied()
            .unwrap_or_default()
    };
    [at(1), at(2), at(3)]
}

fn mean(times: &[Duration]) -> Duration {
    let count = u32::try_from(times.len()).unwrap_or(u32::MAX).max(1);
    times.iter().sum::<Duration>() / count
}

/// A local server answering the operation with `USER_JSON`, on a thread of its own.
fn serve() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("a bound address");
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            let app = axum::Router::new().route(
                "/beta/users/{id}/reprocessLicenseAssignment",
                axum::routing::post(|| async {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        USER_JSON,
                    )
                }),
            );
            axum::serve(listener, app).await.expect("the server runs");
        });
    });
    address
}

/// Runs three subjects `rounds` times each, rotating which goes first.
fn interleaved3(
    rounds: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
    mut c: impl FnMut(),
) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>) {
    let time = |f: &mut dyn FnMut()| {
        let started = Instant::now();
        f();
        started.elapsed()
    };
    let (mut ta, mut tb, mut tc) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        match round % 3 {
            0 => {
                ta.push(time(&mut a));
                tb.push(time(&mut b));
                tc.push(time(&mut c));
            }
            1 => {
                tb.push(time(&mut b));
                tc.push(time(&mut c));
                ta.push(time(&mut a));
            }
            _ => {
                tc.push(time(&mut c));
                ta.push(time(&mut a));
                tb.push(time(&mut b));
            }
        }
    }
    (ta, tb, tc)
}

fn median(times: &[Duration]) -> Duration {
    quartiles(times)[1]
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// A `--name value` option from the bench's arguments.
fn option(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1).cloned())
}
