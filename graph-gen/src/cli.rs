//! The `graph-gen` command line: `ir`, `generate`, `check`, `diff` and `mock` over docs pages,
//! and `scopes` over a crate that calls the bindings.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::{self, Sources, Summary};
use crate::report::Report;
use crate::{GenerationSettings, Generator, Ir};

/// Microsoft Graph reference pages → IR, Rust bindings, diagnostics, API diffs and a mock Graph.
#[derive(Debug, Parser)]
#[command(name = "graph-gen", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to print diagnostics and diffs: `human` (rustc-style), `short`
    /// (`file:line: severity: message`) or `json`. Default: `human` on a terminal, else `short`.
    #[arg(long, global = true, value_enum)]
    format: Option<Format>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Short,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the IR of the pages as JSON.
    Ir {
        /// Pages or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the IR even when pages have errors (they are in its `diagnostics`).
        #[arg(long)]
        lenient: bool,
    },
    /// Print (or write) the Rust the macros emit, formatted.
    Generate {
        /// Pages or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Generate the pages without errors even when others have errors.
        #[arg(long)]
        lenient: bool,
        /// Write nothing; fail when `--output` differs from what the docs generate now.
        #[arg(long, requires = "output")]
        check: bool,
    },
    /// Print every diagnostic with its page line; fail on errors.
    Check {
        /// Pages or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also print coverage figures: pages understood, permissions read, examples matching.
        #[arg(long)]
        report: bool,
    },
    /// Show how the generated API changes from OLD docs to NEW docs; fail on breaking changes.
    Diff {
        /// The docs before (a folder or page).
        old: PathBuf,
        /// The docs after.
        new: PathBuf,
    },
    /// Serve the docs' example responses on 127.0.0.1 as a mock Microsoft Graph.
    Mock {
        /// Docs folder or pages.
        #[arg(default_value = "api-docs")]
        docs: Vec<PathBuf>,
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print the least privileged permissions, per account type, that the generated calls of
    /// a crate need; fail when one of its files cannot be read or parsed.
    Scopes {
        /// The crate (its `src/` is read), or a folder or file of Rust sources.
        #[arg(default_value = ".")]
        source: PathBuf,
        /// The docs tree its bindings come from.
        #[arg(long, default_value = "api-docs")]
        docs: Vec<PathBuf>,
    },
}

/// Runs the command line: exit code 1 on errors in pages (or breaking changes, or stale
/// bindings), 2 on usage or I/O errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.format.unwrap_or(if std::io::stderr().is_terminal() {
        Format::Human
    } else {
        Format::Short
    });
    match run(cli.command, format) {
        Ok(code) => code,
        Err(error) => {
            let mut message = format!("error: {error}");
            let mut source = std::error::Error::source(&*error);
            while let Some(cause) = source {
                message.push_str("\n  caused by: ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

type Outcome = Result<ExitCode, Box<dyn std::error::Error>>;

fn run(command: Command, format: Format) -> Outcome {
    match command {
        Command::Ir { paths, lenient } => {
            let (ir, summary) = load(&paths)?;
            if ir.has_errors() && !lenient {
                return Ok(report(&ir, &summary, format));
            }
            let mut stdout = buffered_stdout();
            serde_json::to_writer_pretty(&mut stdout, &ir)?;
            writeln!(stdout)?;
            stdout.flush()?;
            eprintln!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            paths,
            output,
            lenient,
            check,
        } => generate(&paths, output, lenient, check, format),
        Command::Check {
            paths,
            report: coverage,
        } => {
            let (ir, summary) = load(&paths)?;
            let figures = coverage.then(|| Report::new(&ir));
            let code = report_with(&ir, &summary, figures.as_ref(), format);
            if let (Some(figures), false) = (&figures, format == Format::Json) {
                println!("{figures}");
            }
            Ok(code)
        }
        Command::Diff { old, new } => diff(&old, &new, format),
        Command::Mock { docs, port } => mock(&docs, port, format),
        Command::Scopes { source, docs } => scopes(&source, &docs, format),
    }
}

fn generate(
    paths: &[PathBuf],
    output: Option<PathBuf>,
    lenient: bool,
    check: bool,
    format: Format,
) -> Outcome {
    let (ir, summary) = load(paths)?;
    let mut settings = GenerationSettings::default();
    settings.with_lenient(lenient);
    let generator = Generator::new(settings);
    if generator.refuses(&ir) {
        return Ok(report(&ir, &summary, format));
    }
    // The bindings are written; the warnings say what they leave out or guess.
    if format != Format::Json {
        print_diagnostics(&ir.diagnostics, format);
    }
    // Generating is usually most of the run: the summary gives it apart from reading.
    let started = Instant::now();
    match (output, check) {
        (Some(path), true) => match generator.check_up_to_date(&ir, &path) {
            Ok(()) => eprintln!(
                "`{}` is up to date; {}",
                shown(&path),
                summary.with_generating(started.elapsed())
            ),
            Err(error @ crate::Error::Stale { .. }) => {
                eprintln!("error: {error}");
                return Ok(ExitCode::FAILURE);
            }
            Err(error) => return Err(error.into()),
        },
        (Some(path), false) => {
            generator.write_bindings(&ir, &path)?;
            eprintln!(
                "wrote `{}`; {}",
                shown(&path),
                summary.with_generating(started.elapsed())
            );
        }
        (None, _) => {
            let text = generator.generate_text(&ir)?;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            eprintln!("{}", summary.with_generating(started.elapsed()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn diff(old: &PathBuf, new: &PathBuf, format: Format) -> Outcome {
    let (old_ir, _) = load(std::slice::from_ref(old))?;
    let (new_ir, _) = load(std::slice::from_ref(new))?;
    for (path, ir) in [(old, &old_ir), (new, &new_ir)] {
        let errors = ir.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            eprintln!(
                "warning: `{}` has {errors} error(s) in its pages; pages with errors may be missing from the diff\n  help: run `graph-gen check {}`",
                path.display(),
                path.display()
            );
        }
    }
    let changes = crate::diff::diff(&old_ir, &new_ir);
    let mut stdout = buffered_stdout();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut stdout, &changes)?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{changes}")?;
    }
    stdout.flush()?;
    Ok(if changes.is_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn mock(docs: &[PathBuf], port: u16, format: Format) -> Outcome {
    let (ir, summary) = load(docs)?;
    if ir.has_errors() {
        report(&ir, &summary, format);
        eprintln!("warning: pages with errors are served as far as they were understood");
    } else {
        eprintln!("{summary}");
    }
    let graph = crate::mock::MockGraph::new(&ir)
        .on_request(|served| {
            eprintln!(
                "{} {} -> {}{}",
                served.method,
                served.path,
                served.status,
                match (&served.call, &served.operation) {
                    (Some(call), Some(title)) => format!(" {call} ({title})"),
                    (None, Some(title)) => format!(" ({title})"),
                    _ => String::new(),
                }
            );
        })
        .on_accept_error(|error, pause| {
            eprintln!(
                "accept failed: {error}; accepting again in {} ms",
                pause.as_millis()
            );
        });
    let routes = graph.route_count();
    let server = graph.serve(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "mock Graph at {} serving the docs' examples (templates: {routes}; Ctrl-C stops it)",
        server.url()
    )?;
    stdout.flush()?;
    drop(stdout);
    server.wait()?;
    Ok(ExitCode::SUCCESS)
}

fn scopes(source: &Path, docs: &[PathBuf], format: Format) -> Outcome {
    let (ir, summary) = load(docs)?;
    if ir.has_errors() {
        eprintln!(
            "warning: the docs have errors; operations of pages with errors may be missing\n  help: run `graph-gen check {}`",
            docs.iter().map(|d| shown(d)).collect::<Vec<_>>().join(" ")
        );
    }
    let mut files = Vec::new();
    let root = if source.join("src").is_dir() {
        source.join("src")
    } else {
        source.to_owned()
    };
    rust_files(&root, &mut files)?;
    files.sort();
    let mut texts = Vec::new();
    let mut unreadable = Vec::new();
    for file in &files {
        let display = file.display().to_string();
        match std::fs::read_to_string(file) {
            Ok(text) => texts.push((display, text)),
            Err(error) => unreadable.push(crate::Diagnostic::error(
                &crate::ir::Source::new(&display, 1),
                format!(
                    "cannot read `{display}`: {}",
                    error.to_string().to_lowercase()
                ),
            )),
        }
    }
    let started = Instant::now();
    let mut needed = crate::scopes::analyse(
        &ir,
        texts
            .iter()
            .map(|(file, text)| (file.clone(), text.as_str())),
    );
    needed.diagnostics.extend(unreadable);
    needed.diagnostics.sort();
    let failed = needed.diagnostics.iter().any(crate::Diagnostic::is_error);
    let mut stdout = buffered_stdout();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut stdout, &needed)?;
        writeln!(stdout)?;
    } else {
        print_diagnostics(&needed.diagnostics, format);
        write!(stdout, "{needed}")?;
    }
    stdout.flush()?;
    eprintln!(
        "{} Rust file{} in {:.2}s; docs: {summary}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64()
    );
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The `.rs` files under `path` (or `path` itself), skipping `target` and hidden folders.
fn rust_files(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        if path.exists() {
            files.push(path.to_owned());
            return Ok(());
        }
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("`{}` does not exist", shown(path)),
        ));
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let child = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&child, files)?;
            }
        } else if name.ends_with(".rs") {
            files.push(child);
        }
    }
    Ok(())
}

/// Loads the docs with a progress bar on a terminal; the summary of what was read.
fn load(paths: &[PathBuf]) -> crate::Result<(Ir, Summary)> {
    let started = Instant::now();
    let bar = render::ProgressBar::new(std::io::stderr().is_terminal());
    let mut pages = 0;
    let ir = Generator::default().load_docs_with_progress(paths, &mut |progress| {
        pages = progress.done;
        bar.update(progress);
    });
    bar.finish();
    let ir = ir?;
    let summary = Summary::new(&ir, pages, started.elapsed());
    Ok((ir, summary))
}

/// Prints diagnostics and the summary; exit code 1 when there are errors. JSON goes to stdout
/// (it is what `check` produces), the other formats to stderr.
fn report(ir: &Ir, summary: &Summary, format: Format) -> ExitCode {
    report_with(ir, summary, None, format)
}

/// [`report`], with the coverage figures in the JSON document when given.
fn report_with(ir: &Ir, summary: &Summary, coverage: Option<&Report>, format: Format) -> ExitCode {
    if format == Format::Json {
        let mut document = serde_json::json!({ "diagnostics": ir.diagnostics, "summary": summary });
        if let Some(coverage) = coverage {
            document["report"] = serde_json::json!(coverage);
        }
        let mut stdout = buffered_stdout();
        let _ = writeln!(stdout, "{document:#}").and_then(|()| stdout.flush());
    } else {
        print_diagnostics(&ir.diagnostics, format);
        let _ = writeln!(std::io::stderr(), "{summary}");
    }
    if ir.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints every diagnostic to standard error, rustc-style or one line each.
fn print_diagnostics(diagnostics: &[crate::Diagnostic], format: Format) {
    let styled = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut sources = Sources::default();
    // Standard error is unbuffered: without a buffer, each piece of each line is a write.
    let mut stderr = BufWriter::new(std::io::stderr().lock());
    for diagnostic in diagnostics {
        let _ = match format {
            Format::Human => writeln!(
                stderr,
                "{}\n",
                render::human(diagnostic, &mut sources, styled)
            ),
            _ => writeln!(stderr, "{diagnostic}"),
        };
    }
    let _ = stderr.flush();
}

/// A path for the closing line, one line whatever its name holds.
fn shown(path: &std::path::Path) -> String {
    crate::diagnostics::escape_for_display(&path.display().to_string()).into_owned()
}

/// Standard output for output of any size: written a buffer at a time, not a line at a time.
fn buffered_stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}
