//! Helpers shared by graph-gen's benchmarks: interleaved timing, peak memory, the corpus.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| Path::new(".."))
        .to_path_buf()
}

/// The v1.0 corpus of `../shared`, or `None` (after printing why) where it is absent.
pub fn corpus() -> Option<PathBuf> {
    let corpus = workspace().join("../shared/corpus/graph-docs-2021/v1.0");
    if corpus.join("api").is_dir() {
        Some(corpus)
    } else {
        println!(
            "skipped: `{}` is absent; the corpus benchmarks run where the shared corpus is present",
            corpus.display()
        );
        None
    }
}

/// Every page of the corpus as `(file relative to the docs root, text)`, sorted like
/// `load_docs` reads them.
pub fn corpus_pages(corpus: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for folder in ["api", "resources"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(corpus.join(folder))
            .expect("corpus folder is readable")
            .map(|entry| entry.expect("corpus entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path).expect("corpus page is UTF-8");
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            pages.push((format!("v1.0/{folder}/{name}"), text));
        }
    }
    pages
}

/// Timings of one side of a comparison.
#[derive(Debug, Clone)]
pub struct Timings(pub Vec<Duration>);

impl Timings {
    /// The median.
    pub fn median(&self) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    /// The fastest.
    pub fn min(&self) -> Duration {
        self.0.iter().copied().min().unwrap_or_default()
    }
}

/// Runs `subject` and `reference` `rounds` times each, alternating (and swapping which goes
/// first every round) so that both see the same machine noise; returns their timings. What
/// each returns is dropped after its clock stops.
pub fn interleaved<A, B>(
    rounds: usize,
    mut subject: impl FnMut() -> A,
    mut reference: impl FnMut() -> B,
) -> (Timings, Timings) {
    let (mut a, mut b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        if round % 2 == 0 {
            a.push(time(&mut subject));
            b.push(time(&mut reference));
        } else {
            b.push(time(&mut reference));
            a.push(time(&mut subject));
        }
    }
    (Timings(a), Timings(b))
}

/// How long one call of `f` takes (dropping its result is not timed).
pub fn time<T>(f: &mut impl FnMut() -> T) -> Duration {
    let started = Instant::now();
    let result = std::hint::black_box(f());
    let elapsed = started.elapsed();
    drop(result);
    elapsed
}

/// `a / b`.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// Milliseconds, for printing.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Peak resident memory of this process so far in KiB (`VmHWM`), where `/proc` has it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A `--name value` option from the bench's arguments (after cargo's own `--bench`).
pub fn option(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == name)
        .and_then(|at| args.get(at + 1).cloned())
}

/// The bench's rounds: `--rounds N`, else `default`.
pub fn rounds(default: usize) -> usize {
    option("--rounds")
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}
