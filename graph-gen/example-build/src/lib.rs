//! graph-gen's build.rs mode: `build.rs` writes the bindings for the workspace's `api-docs/` into `OUT_DIR`,
//! and this crate includes them as [`graph`].
//!
//! To keep the bindings checked in instead, write them once with
//! `cargo run -p graph-gen -- generate api-docs -o graph-gen/example-build/generated/graph.rs`,
//! include that file, and let a test compare it with the docs (`tests/up_to_date.rs`).

/// The bindings generated from the workspace's `api-docs/`: `graph::beta::User`,
/// `graph::beta::user::reprocess_license_assignment`, …
pub mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph.rs"));
}

#[cfg(test)]
mod tests {
    /// The generated models decode Graph JSON, placeholders kept as strings.
    #[test]
    fn generated_models_decode() {
        let user: super::graph::beta::User =
            serde_json::from_str(r#"{"city": "Oslo", "assignedLicenses": [{"skuId": "00000000-0000-0000-0000-000000000000"}]}"#)
                .unwrap();
        assert_eq!(user.city.as_deref(), Some("Oslo"));
        assert_eq!(user.assigned_licenses.map(|l| l.len()), Some(1));
    }
}
