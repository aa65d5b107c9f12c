//! A tour of the bindings generated from `api-docs/`: the seed's request through the navigation
//! and its flat function, then every operation there called through the typed client (from the
//! IR, so pages you add are called too), each typed result printed short.
//!
//! ```sh
//! # Against the embedded mock Graph (the docs' own examples on 127.0.0.1; no credentials):
//! cargo run -p graph-api --example tour
//! # Against Microsoft Graph (this reprocesses that user's licenses for real):
//! GRAPH_TOKEN=eyJ0… GRAPH_USER_ID=ada@contoso.com cargo run -p graph-api --example tour
//! ```
//!
//! `GRAPH_CLOUD` picks the national cloud with a token: `global` (default), `us-gov-l4`,
//! `us-gov-l5-dod` or `china`.

use std::error::Error;
use std::process::ExitCode;

use graph_api::beta::AnyDirectoryObject;
use graph_api::{GraphClient, NationalCloud};
use graph_gen::mock::{MockGraph, MockServer};

/// The user the docs' example request names.
const EXAMPLE_USER: &str = "047dd774-f1c4-40f2-82f0-278de79f9b83";
/// The group the docs' example request names.
const EXAMPLE_GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";

#[tokio::main]
async fn main() -> ExitCode {
    match tour().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn tour() -> Result<(), Box<dyn Error>> {
    let (client, user_id, mock) = match std::env::var("GRAPH_TOKEN") {
        Ok(token) => real_graph(&token)?,
        Err(_) => mock_graph()?,
    };

    // The request as the URL reads (`POST /users/{id}/reprocessLicenseAssignment`) …
    let beta = graph_api::beta::api(&client);
    let user = beta
        .users()
        .by_id(&user_id)
        .reprocess_license_assignment()
        .await?;
    // … and as the page's flat function, the same request.
    let again = graph_api::beta::user::reprocess_license_assignment(&client, &user_id).await?;
    assert_eq!(user, again, "one request, two spellings");
    println!("beta::user::reprocess_license_assignment({user_id:?}) returned a `beta::User`:");
    println!("  account enabled:   {:?}", user.account_enabled);
    let skus: Vec<String> = user
        .assigned_licenses
        .iter()
        .flatten()
        .filter_map(|license| license.sku_id.map(|sku| sku.to_string()))
        .collect();
    println!("  license SKUs:      {skus:?}");
    let plans: Vec<String> = user
        .assigned_plans
        .iter()
        .flatten()
        .map(|plan| {
            format!(
                "{} since {}",
                plan.service.as_deref().unwrap_or("?"),
                plan.assigned_date_time
                    .map_or_else(|| "?".to_owned(), |when| when.to_rfc3339())
            )
        })
        .collect();
    println!("  assigned plans:    {plans:?}");
    println!(
        "  city, company:     {:?}, {:?}",
        user.city, user.company_name
    );
    let permissions = graph_api::beta::user::REPROCESS_LICENSE_ASSIGNMENT_PERMISSIONS;
    println!(
        "  needs (app-only):  {:?}",
        permissions.and_then(|p| p.application)
    );

    // With a real token, set `GRAPH_GROUP_ID` to list a group's members too.
    let group_id = std::env::var("GRAPH_GROUP_ID")
        .ok()
        .or_else(|| mock.is_some().then(|| EXAMPLE_GROUP.to_owned()));
    if let Some(group_id) = group_id {
        let members = graph_api::beta::group::list_members(&client, &group_id).await?;
        println!(
            "\nbeta::group::list_members({group_id:?}) returned {} members:",
            members.len()
        );
        for member in &members {
            match member {
                AnyDirectoryObject::User(user) => {
                    println!(
                        "  user  {:?}",
                        user.user_principal_name.as_deref().unwrap_or("?")
                    );
                }
                AnyDirectoryObject::Group(group) => {
                    println!("  group {:?}", group.display_name.as_deref().unwrap_or("?"));
                }
                AnyDirectoryObject::DirectoryObject(other) => {
                    println!("  other {:?}", other.id.as_deref().unwrap_or("?"));
                }
            }
        }
    }
    if mock.is_some() {
        every_operation(&client).await;
    }
    Ok(())
}

// One call per operation of `api-docs/`, through its flat function with its example's ids.
graph_gen_macros::example_calls!(
    ir = "$OUT_DIR/graph-ir.json",
    bindings = "::graph_api",
    cargo_features = true
);

/// Calls every operation of the docs against the mock and prints each typed result, short.
async fn every_operation(client: &GraphClient) {
    let calls = __example_calls::all();
    println!(
        "
every operation of api-docs/ ({}), as its flat function:",
        calls.len()
    );
    let mut decoded = 0;
    for call in &calls {
        let outcome = match (call.run)(client).await {
            Ok(shown) => {
                decoded += 1;
                shown
            }
            Err(error) if !call.has_example => format!("(the page has no example) {error}"),
            Err(error) => format!("error: {error}"),
        };
        println!("  {:<48} {}", call.function, short(&outcome, 100));
    }
    println!("{decoded} of {} calls decoded a typed result", calls.len());
}

/// `text` cut to `width` characters.
fn short(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A client for the mock Graph serving `api-docs/`, started in this process.
fn mock_graph() -> Result<(GraphClient, String, Option<MockServer>), Box<dyn Error>> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("graph-api has no parent folder")?;
    let ir = graph_gen::Generator::default().load_docs_relative(workspace, &["api-docs"])?;
    let mock = MockGraph::new(&ir).serve("127.0.0.1:0".parse()?)?;
    println!("mock Graph from api-docs/ at {}\n", mock.url());
    let client = GraphClient::builder()
        .base_url(mock.url())
        .allow_http(true)
        .bearer_token("mock-token")
        .build()?;
    Ok((client, EXAMPLE_USER.to_owned(), Some(mock)))
}

/// A client for Microsoft Graph with `token`, in the cloud `GRAPH_CLOUD` names.
fn real_graph(token: &str) -> Result<(GraphClient, String, Option<MockServer>), Box<dyn Error>> {
    let cloud = match std::env::var("GRAPH_CLOUD").as_deref() {
        Err(_) | Ok("" | "global") => NationalCloud::Global,
        Ok("us-gov-l4") => NationalCloud::UsGovL4,
        Ok("us-gov-l5-dod") => NationalCloud::UsGovL5Dod,
        Ok("china") => NationalCloud::China,
        Ok(other) => {
            return Err(format!(
                "unknown `GRAPH_CLOUD` `{other}`; write `global`, `us-gov-l4`, `us-gov-l5-dod` or `china`"
            )
            .into())
        }
    };
    let user_id = std::env::var("GRAPH_USER_ID")
        .map_err(|_| "`GRAPH_USER_ID` is not set; name the user whose licenses to reprocess (id or userPrincipalName)")?;
    println!("Microsoft Graph ({cloud:?})\n");
    let client = GraphClient::builder()
        .national_cloud(cloud)
        .bearer_token(token)
        .build()?;
    Ok((client, user_id, None))
}
