//! Parse throughput: the whole v1.0 corpus (API and resource pages) → IR, against the floor of
//! pulldown-cmark alone parsing the same in-memory texts with the same options.
//!
//! `cargo bench -p graph-gen --bench parse [-- --rounds N]`; figures go to `BENCHMARKS.md`.
//! Peak memory is measured in child processes of this bench (`--peak MODE`), one per mode, so
//! that each figure is the high-water mark of that work alone.

mod support;

use std::path::Path;
use std::process::Command;

use pulldown_cmark::{Options, Parser};

/// The options of graph-gen's page reader (`parse/blocks.rs`).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH
}

/// The floor: every page through pulldown-cmark, events counted and dropped.
fn floor(pages: &[(String, String)]) -> usize {
    pages
        .iter()
        .map(|(_, text)| Parser::new_ext(text, options()).count())
        .sum()
}

/// graph-gen: every page into one IR (page reader, lowering, inference, validation).
fn graph_gen(pages: &[(String, String)]) -> graph_gen::Ir {
    graph_gen::Generator::default().load_page_texts(
        pages
            .iter()
            .map(|(file, text)| (file.as_str(), text.as_str())),
    )
}

/// The page reader alone (markdown → located blocks), for locating where time goes.
fn page_reader(pages: &[(String, String)]) -> usize {
    let cx = graph_gen::__private::Ctxt::new();
    let blocks = pages
        .iter()
        .map(|(file, text)| {
            graph_gen::__private::Page::from_text(file.clone(), file.into(), text, &cx)
                .blocks
                .len()
        })
        .sum();
    drop(cx.into_diagnostics());
    blocks
}

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    if let Some(mode) = support::option("--peak") {
        peak(&corpus, &mode);
        return;
    }
    let pages = support::corpus_pages(&corpus);
    let bytes: usize = pages.iter().map(|(_, text)| text.len()).sum();
    #[allow(
        clippy::cast_precision_loss,
        reason = "page counts and sizes are small"
    )]
    let (count, megabytes) = (pages.len() as f64, bytes as f64 / 1e6);
    let ir = graph_gen(&pages);
    println!(
        "corpus: {} pages, {megabytes:.2} MB; IR: {} operations, {} models, {} enums, {} diagnostics",
        pages.len(),
        ir.operations.len(),
        ir.models.len(),
        ir.enums.len(),
        ir.diagnostics.len()
    );
    drop(ir);

    let rounds = support::rounds(11);
    let (subject, reference) = support::interleaved(rounds, || graph_gen(&pages), || floor(&pages));
    let (reader, reference_again) =
        support::interleaved(rounds, || page_reader(&pages), || floor(&pages));
    let rate = |timings: &support::Timings| {
        let seconds = timings.median().as_secs_f64();
        format!(
            "{:>8.1} ms  {:>7.0} pages/s  {:>6.1} MB/s",
            support::ms(timings.median()),
            count / seconds,
            megabytes / seconds
        )
    };
    println!("median of {rounds} interleaved rounds:");
    println!("  pulldown-cmark floor   {}", rate(&reference));
    println!(
        "  graph-gen → IR         {}  {:.2}× the floor (fastest rounds: {:.2}×)",
        rate(&subject),
        support::ratio(subject.median(), reference.median()),
        support::ratio(subject.min(), reference.min())
    );
    println!(
        "  page reader alone      {}  {:.2}× the floor (fastest rounds: {:.2}×)",
        rate(&reader),
        support::ratio(reader.median(), reference_again.median()),
        support::ratio(reader.min(), reference_again.min())
    );

    let (disk, memory) = support::interleaved(
        rounds.min(5),
        || graph_gen::Generator::default().load_docs(&[&corpus]),
        || graph_gen(&pages),
    );
    println!(
        "  load_docs (from disk)  {}  {:.2}× in-memory graph-gen",
        rate(&disk),
        support::ratio(disk.median(), memory.median())
    );

    println!("peak resident memory (VmHWM of a child process doing only that):");
    for mode in ["texts", "floor", "graph-gen", "load_docs"] {
        let me = std::env::current_exe().expect("the bench knows its path");
        let output = Command::new(me)
            .args(["--peak", mode])
            .output()
            .expect("the bench runs itself");
        let text = String::from_utf8_lossy(&output.stdout);
        println!("  {mode:<10} {}", text.trim());
    }
}

/// One pass of `mode` in this (child) process, then its peak RSS.
fn peak(corpus: &Path, mode: &str) {
    let pages = (mode != "load_docs").then(|| support::corpus_pages(corpus));
    match (mode, &pages) {
        ("floor", Some(pages)) => {
            std::hint::black_box(floor(pages));
        }
        ("graph-gen", Some(pages)) => drop(std::hint::black_box(graph_gen(pages))),
        ("load_docs", _) => {
            let ir = graph_gen::Generator::default().load_docs(&[corpus]);
            drop(std::hint::black_box(ir));
        }
        _ => {}
    }
    let peak = support::peak_rss_kib().unwrap_or(0);
    #[allow(clippy::cast_precision_loss, reason = "memory sizes are small")]
    let mib = peak as f64 / 1024.0;
    println!("{mib:>7.1} MiB");
}
