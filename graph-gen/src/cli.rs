//! The `graph-gen` command line: `ir`, `generate` and `check` over docs pages or folders.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{GenerationSettings, Generator, Ir};

/// Microsoft Graph reference pages → IR, Rust bindings and diagnostics.
#[derive(Debug, Parser)]
#[command(name = "graph-gen", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Print every diagnostic as `file:line: severity: message`; fail on errors.
    Check {
        /// Pages or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs the command line; the exit code is 1 on errors in pages, 2 on usage or I/O errors.
pub fn main() -> ExitCode {
    match run(Cli::parse()) {
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

fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Ir { paths, lenient } => {
            let ir = load(&paths, lenient)?;
            if ir.has_errors() && !lenient {
                return Ok(report(&ir));
            }
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &ir)?;
            writeln!(stdout)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            paths,
            output,
            lenient,
        } => {
            let ir = load(&paths, lenient)?;
            if ir.has_errors() && !lenient {
                return Ok(report(&ir));
            }
            let text = generator(lenient).generate_text(&ir)?;
            match output {
                Some(path) => std::fs::write(&path, text)?,
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { paths } => {
            let ir = load(&paths, true)?;
            Ok(report(&ir))
        }
    }
}

fn generator(lenient: bool) -> Generator {
    let mut settings = GenerationSettings::default();
    settings.with_lenient(lenient);
    Generator::new(settings)
}

fn load(paths: &[PathBuf], lenient: bool) -> crate::Result<Ir> {
    generator(lenient).load_docs(paths)
}

/// Prints diagnostics and a summary to stderr; exit code 1 when there are errors.
fn report(ir: &Ir) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &ir.diagnostics {
        let _ = writeln!(stderr, "{diagnostic}");
    }
    let errors = ir.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = ir.diagnostics.len() - errors;
    let _ = writeln!(
        stderr,
        "{} operations, {} models: {errors} errors, {warnings} warnings",
        ir.operations.len(),
        ir.models.len()
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
