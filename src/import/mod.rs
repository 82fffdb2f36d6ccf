//! `acsgen import`: Alibaba api-docs.json -> spec files. (Owned by the importer work.)

use std::process::ExitCode;

/// Arguments of `acsgen import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {}

pub fn run(_args: &ImportArgs) -> ExitCode {
    eprintln!("acsgen import: not built yet");
    ExitCode::from(2)
}
