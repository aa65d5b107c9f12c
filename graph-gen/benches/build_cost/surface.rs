//! The API-shape figures of issue #14, each beside its reference in the same run: the v1.0
//! bindings checked and built against `graph-rs-sdk` 3.0.1 (rustls) alone, the v1.0 and beta
//! trees in one crate, and how `cargo check` and `generate` grow with synthetic operations.

use std::path::Path;
use std::time::Instant;

use graph_gen::{Generator, Ir};

use super::{kib_to_mib, megabytes, ratio_u64, timed, Bindings, Checks, Figures};

/// The `graph-rs-sdk` release compared against, with the TLS stack graph-api uses.
const GRAPH_RS_SDK: &str =
    "graph-rs-sdk = { version = \"=3.0.1\", default-features = false, features = [\"rustls-tls\"] }";

/// Synthetic docs sizes: operations added to `api-docs/`.
const SYNTHETIC: [usize; 2] = [1_250, 10_000];

pub(super) fn run(checks: &Checks, generator: &Generator, workspace: &Path, v1: &Path) {
    let text = |ir: &Ir| generator.generate_text(ir).expect("bindings parse");
    let v1_ir = generator.load_docs(&[v1]).expect("corpus is readable");
    let v1_text = text(&v1_ir);

    println!("the v1.0 bindings against graph-rs-sdk 3.0.1, each crate alone (dependencies built first):");
    let sdk = GraphRsSdk::new(checks);
    for subcommand in ["check", "build"] {
        checks.prepare_for(subcommand, false);
        let ours = checks.run_cargo(
            subcommand,
            "surface-v1",
            &Bindings::Text(v1_text.clone()),
            &[],
        );
        let theirs = sdk.run(subcommand);
        println!(
            "  → cargo {subcommand}: {:.2}× the time, {:.2}× the memory of graph-rs-sdk",
            super::support::ratio(ours.time, theirs.time),
            ratio_u64(ours.peak_kib, theirs.peak_kib)
        );
    }

    println!("the whole Graph in one crate (v1.0 and beta trees):");
    let both = v1.parent().expect("the corpus has a parent");
    let both_ir = generator.load_docs(&[both]).expect("corpora are readable");
    println!(
        "  {} operations, {} models, {} enums",
        both_ir.operations.len(),
        both_ir.models.len(),
        both_ir.enums.len()
    );
    checks.prepare(false);
    let whole = checks.run("surface-v1-beta", &Bindings::Text(text(&both_ir)), &[]);
    println!(
        "  → {:.1} s of CPU (user + system), peak {:.0} MiB",
        whole.cpu.as_secs_f64(),
        kib_to_mib(whole.peak_kib)
    );

    println!("growth with operations (api-docs plus synthetic copies of the seed page):");
    let mut figures: Vec<Figures> = Vec::new();
    for count in SYNTHETIC {
        let docs = checks.scratch_path(&format!("synthetic-docs-{count}"));
        write_synthetic(workspace, &docs, count);
        let started = Instant::now();
        let ir = generator
            .load_docs(&[&docs])
            .expect("synthetic docs are readable");
        let read = started.elapsed();
        let generated = text(&ir);
        let total = started.elapsed();
        println!(
            "  {count} operations: load {:.2} s, load + generate {:.2} s ({:.1} MB of Rust)",
            read.as_secs_f64(),
            total.as_secs_f64(),
            megabytes(generated.len())
        );
        figures.push(checks.run(
            &format!("surface-synthetic-{count}"),
            &Bindings::Text(generated),
            &[],
        ));
    }
    println!(
        "  → {}× the operations: {:.2}× the check time, {:.2}× the memory",
        SYNTHETIC[1] / SYNTHETIC[0],
        super::support::ratio(figures[1].time, figures[0].time),
        ratio_u64(figures[1].peak_kib, figures[0].peak_kib)
    );
}

/// A scratch crate that only depends on `graph-rs-sdk`; timed after `cargo clean -p
/// graph-rs-sdk`, so the figure is that crate alone, as ours are.
struct GraphRsSdk<'a> {
    checks: &'a Checks,
    krate: std::path::PathBuf,
}

impl<'a> GraphRsSdk<'a> {
    fn new(checks: &'a Checks) -> Self {
        let krate = checks.scratch_path("graph-rs-sdk");
        std::fs::create_dir_all(krate.join("src")).expect("scratch folder is writable");
        std::fs::write(
            krate.join("Cargo.toml"),
            format!(
                "[package]\nname = \"graph-rs-sdk-alone\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 # Written by graph-gen's build_cost bench; not a member of the workspace.\n[workspace]\n\n\
                 [dependencies]\n{GRAPH_RS_SDK}\n"
            ),
        )
        .expect("scratch crate is writable");
        std::fs::write(
            krate.join("src/lib.rs"),
            "//! Scratch crate of the build_cost bench.\npub use graph_rs_sdk;\n",
        )
        .expect("scratch crate is writable");
        // The one step that needs the registry: the SDK's sources and lockfile.
        let status = checks
            .cargo(&krate, &["fetch", "-q"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "graph-rs-sdk cannot be fetched");
        GraphRsSdk { checks, krate }
    }

    fn run(&self, subcommand: &str) -> Figures {
        let quiet = |args: &[&str]| {
            let status = self
                .checks
                .cargo(&self.krate, args)
                .env("CARGO_INCREMENTAL", "0")
                .status()
                .expect("cargo runs");
            assert!(status.success(), "graph-rs-sdk: cargo {args:?} fails");
        };
        quiet(&[subcommand, "--offline", "-q", "--lib"]);
        quiet(&["clean", "-q", "-p", "graph-rs-sdk"]);
        let mut command = self
            .checks
            .cargo(&self.krate, &[subcommand, "--offline", "-q", "--lib"]);
        command.env("CARGO_INCREMENTAL", "0");
        let figures = timed(command, false);
        assert!(figures.compiled, "graph-rs-sdk does not {subcommand}");
        println!(
            "  {:<40} {:>6.1} s  peak {:>6.0} MiB",
            format!("graph-rs-sdk 3.0.1 ({subcommand})"),
            figures.time.as_secs_f64(),
            kib_to_mib(figures.peak_kib)
        );
        figures
    }
}

/// `api-docs/` plus `count` copies of its seed page, each a differently named action
/// (letters, not digits, so that names stay names).
fn write_synthetic(workspace: &Path, docs: &Path, count: usize) {
    let _ = std::fs::remove_dir_all(docs);
    copy_tree(&workspace.join("api-docs"), docs);
    let seed = std::fs::read_to_string(
        workspace.join("api-docs/beta/api/user-reprocesslicenseassignment.md"),
    )
    .expect("the seed page is in api-docs");
    let api = docs.join("beta/api");
    for index in 0..count {
        let suffix = letters(index);
        let page = seed
            .replace(
                "reprocessLicenseAssignment",
                &format!("reprocessLicenseAssignment{suffix}"),
            )
            .replace(
                "reprocesslicenseassignment",
                &format!("reprocesslicenseassignment{}", suffix.to_lowercase()),
            );
        std::fs::write(
            api.join(format!("user-synthetic{}.md", suffix.to_lowercase())),
            page,
        )
        .expect("synthetic docs are writable");
    }
}

/// `index` in base 26, `A` … `Z`, `BA` …, at least three letters.
fn letters(mut index: usize) -> String {
    const ALPHABET: &[u8; 26] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    while out.len() < 3 || index > 0 {
        out.push(ALPHABET[index % 26]);
        index /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch folder is writable");
    for entry in std::fs::read_dir(from)
        .expect("api-docs is readable")
        .flatten()
    {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("api-docs copies");
        }
    }
}
