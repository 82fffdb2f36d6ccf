use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates typed Rust clients for Alibaba Cloud OpenAPI from YAML specs.
#[derive(Debug, Parser)]
#[command(name = "acsgen", version, about)]
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(args) => acsgen::cli::generate(&args),
        Command::Check(args) => acsgen::cli::check(&args),
        Command::Import(args) => acsgen::import::run(&args),
        Command::Diff(args) => acsgen::diff::run(&args),
        Command::Schema => acsgen::cli::schema(),
    }
}
