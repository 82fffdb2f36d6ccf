//! `acsgen diff`: semantic API change report. (Owned by the diff work.)

use std::process::ExitCode;

/// Arguments of `acsgen diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {}

pub fn run(_args: &DiffArgs) -> ExitCode {
    eprintln!("acsgen diff: not built yet");
    ExitCode::from(2)
}
