use std::process::ExitCode;

use acsgen::exit::{self, Exit};
use clap::{CommandFactory, Parser, Subcommand};

// Formatting builds and drops millions of small syn nodes on every core;
// with glibc malloc that was about 30% of all instructions.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates typed Rust clients for Alibaba Cloud OpenAPI from YAML specs.
#[derive(Debug, Parser)]
#[command(name = "acsgen", version, about, after_help = exit::help_table())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate the client crates in OUT from the specs in SPEC.
    Generate(acsgen::cli::GenerateArgs),
    /// Regenerate in memory and fail (exit 1) with a diff if OUT is stale.
    Check(acsgen::cli::GenerateArgs),
    /// Import Alibaba api-docs.json metadata into spec files.
    Import(acsgen::import::ImportArgs),
    /// Report API changes between two spec trees, classified for semver.
    Diff(acsgen::diff::DiffArgs),
    /// Print the JSON Schema of the spec format.
    Schema,
    /// Print a shell completion script, e.g. `acsgen completions bash > /etc/bash_completion.d/acsgen`.
    Completions {
        /// bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    // clap exits 2 on a usage error, the same code as `Exit::BadInput`.
    let cli = Cli::parse();
    let done = |()| Exit::Ok;
    let exit = match cli.command {
        Command::Generate(args) => exit::report("", acsgen::cli::generate(&args).map(done)),
        Command::Check(args) => exit::report("", acsgen::cli::check(&args)),
        Command::Import(args) => {
            exit::report("acsgen import: ", acsgen::import::run(&args).map(done))
        }
        Command::Diff(args) => exit::report("acsgen diff: ", acsgen::diff::run(&args)),
        Command::Schema => acsgen::cli::schema(),
        Command::Completions { shell } => completions(shell),
    };
    exit.into()
}

/// The script is made in memory (clap_complete panics on a failed write)
/// and written once; a closed pipe or full disk is an I/O failure.
fn completions(shell: clap_complete::Shell) -> Exit {
    use std::io::Write;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "acsgen", &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        Err(error) => {
            eprintln!("acsgen completions: writing the script failed: {error}");
            Exit::Io
        }
    }
}
