//! `AzureCredential`: an `azure_core` `TokenCredential` behind the client, asked once per
//! token lifetime however many calls, and once per refresh however many callers.
#![cfg(feature = "azure-identity")]

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::future::IntoFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::OffsetDateTime;
use graph_api::{AzureCredential, Error, GraphClient, NationalCloud, TokenProvider};
use support::{user, v1, Reply, Server};

/// Hands out `token-1`, `token-2` … living `lifetime` each, a little slowly, and counts.
#[derive(Debug)]
struct FakeCredential {
    requests: AtomicUsize,
    scopes: Mutex<Vec<Vec<String>>>,
    lifetime: Duration,
    fail: bool,
}

impl FakeCredential {
    fn new(lifetime: Duration) -> Arc<Self> {
        Arc::new(Self {
            requests: AtomicUsize::new(0),
            scopes: Mutex::new(Vec::new()),
            lifetime,
            fail: false,
        })
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        self.scopes
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| (*s).to_owned()).collect());
        tokio::time::sleep(Duration::from_millis(20)).await;
        if self.fail {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "no identity endpoint",
            ));
        }
        let expires_on = OffsetDateTime::now_utc() + self.lifetime;
        Ok(AccessToken::new(format!("token-{n}-s3cr3t"), expires_on))
    }
}

fn client_of(server: &Server, provider: AzureCredential) -> GraphClient {
    GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .token_provider(provider)
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_token_request_for_a_thousand_calls() {
    let server = Server::start("127.0.0.1", |_, _| Reply::json(200, &user("ada"))).await;
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let client = client_of(&server, AzureCredential::new(credential.clone()));

    for _ in 0..1_000 {
        v1::user::get(&client, "ada").await.unwrap();
    }

    println!("token requests per 1,000 calls: {}", credential.requests());
    assert_eq!(credential.requests(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 1_000);
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer token-1-s3cr3t")));
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        [["https://graph.microsoft.com/.default"]]
    );
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_once_for_concurrent_calls() {
    let server = Server::start("127.0.0.1", |_, _| Reply::json(200, &user("ada"))).await;
    // Refreshed 1 s before its expiry: 3 s after it was fetched, which leaves each round of
    // 50 calls 3 s to finish on a loaded machine (margins above half the lifetime shrink to it).
    let credential = FakeCredential::new(Duration::from_secs(4));
    let provider =
        AzureCredential::new(credential.clone()).with_refresh_margin(Duration::from_secs(1));
    let client = client_of(&server, provider);

    // 50 calls at once while nothing is cached: one request.
    let calls = (0..50).map(|_| v1::user::get(&client, "ada").into_future());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(credential.requests(), 1);

    // The token was fetched before the first round ended: 3.1 s later it is due.
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    let calls = (0..50).map(|_| v1::user::get(&client, "ada").into_future());
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(credential.requests(), 2);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("authorization"), Some("Bearer token-2-s3cr3t"));
}

#[tokio::test]
async fn short_lived_tokens_live_half_their_lifetime() {
    // A 2 s token under the 5 minute margin: reused for about 1 s, not asked for every time.
    let credential = FakeCredential::new(Duration::from_secs(2));
    let provider = AzureCredential::new(credential.clone());
    for _ in 0..100 {
        provider.token().await.unwrap();
    }
    assert_eq!(credential.requests(), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(provider.token().await.unwrap().secret(), "token-2-s3cr3t");
}

#[tokio::test]
async fn national_clouds_ask_for_their_scope() {
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let provider = AzureCredential::new(credential.clone()).with_cloud(NationalCloud::China);
    provider.token().await.unwrap();
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        [["https://microsoftgraph.chinacloudapi.cn/.default"]]
    );
    let debug = format!("{provider:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
}

#[tokio::test]
async fn credential_errors_are_token_errors() {
    let server = Server::start("127.0.0.1", |_, _| Reply::json(200, &user("ada"))).await;
    let credential = Arc::new(FakeCredential {
        requests: AtomicUsize::new(0),
        scopes: Mutex::new(Vec::new()),
        lifetime: Duration::from_secs(3600),
        fail: true,
    });
    let client = client_of(&server, AzureCredential::new(credential));
    let error = v1::user::get(&client, "ada").await.unwrap_err();
    assert!(matches!(error, Error::Token(_)), "{error}");
    assert!(
        error.to_string().contains("no identity endpoint"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}
