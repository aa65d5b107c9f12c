//! The `graph-gen` command-line tool; see `graph-gen --help`.

fn main() -> std::process::ExitCode {
    graph_gen::cli::main()
}
