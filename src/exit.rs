//! The exit codes of every `acsgen` command, in one table.
//!
//! A code means the same whichever command returns it, so a script can
//! branch on it without knowing the command: 1 is always "the command worked
//! and the answer is no", never a failure. Each error type says which row
//! it belongs to by implementing [`Failure`]; `main` turns the result into
//! the process's exit code. clap exits with 2 on a usage error, which is
//! [`Exit::BadInput`] here too.

use std::error::Error;
use std::process::ExitCode;

/// How a command ended. The discriminant is the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Exit {
    /// Done; warnings allowed.
    Ok = 0,
    /// The command worked and the answer is no: `check` found stale output,
    /// `diff --fail-on` found changes of that kind.
    Findings = 1,
    /// The input is wrong, the user's to fix: spec errors (unreadable spec
    /// files included), bad metadata, bad arguments, filters or revisions.
    BadInput = 2,
    /// Valid input acsgen cannot generate yet: metadata of a style other
    /// than RPC, or none of whose selected operations can be imported.
    Unsupported = 3,
    /// Reading or writing the output (the previous tree, `CHANGELOG.md`,
    /// the spec files `import` writes), or running git, failed. An
    /// unreadable spec or metadata file is [`Exit::BadInput`]: it is
    /// reported with the other diagnostics.
    Io = 4,
    /// A bug in acsgen: a template or the formatter produced bad code.
    Internal = 5,
}

impl Exit {
    /// Every row of the table, in code order.
    pub const ALL: [Exit; 6] = [
        Exit::Ok,
        Exit::Findings,
        Exit::BadInput,
        Exit::Unsupported,
        Exit::Io,
        Exit::Internal,
    ];

    /// The process exit code.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// One line for `acsgen --help`.
    pub const fn meaning(self) -> &'static str {
        match self {
            Exit::Ok => "done (warnings allowed)",
            Exit::Findings => {
                "the answer is no: `check` found stale output, `diff --fail-on` matched"
            }
            Exit::BadInput => {
                "bad input: spec or metadata errors, bad arguments, filters or revisions"
            }
            Exit::Unsupported => {
                "unsupported: valid input acsgen cannot generate yet (non-RPC `import`)"
            }
            Exit::Io => "I/O: reading or writing the output, or running git, failed",
            Exit::Internal => {
                "internal: a bug in acsgen (a template or the formatter made bad code)"
            }
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// An error a command can end with: which row of the table it is.
pub trait Failure: Error {
    fn exit(&self) -> Exit;
}

/// The outcome of a command: errors are printed to stderr after `prefix`
/// (e.g. `acsgen import: `), and every outcome becomes its [`Exit`].
pub fn report<E: Failure>(prefix: &str, result: Result<Exit, E>) -> Exit {
    match result {
        Ok(exit) => exit,
        Err(error) => {
            eprintln!("{prefix}{error}");
            error.exit()
        }
    }
}

/// The table as `--help` prints it.
pub fn help_table() -> String {
    let mut text = String::from("Exit status (the same for every command):\n");
    for exit in Exit::ALL {
        text.push_str(&format!("  {}  {}\n", exit.code(), exit.meaning()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_numbers() {
        let codes: Vec<u8> = Exit::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn clap_usage_errors_are_bad_input() {
        let error = clap::Command::new("acsgen")
            .try_get_matches_from(["acsgen", "--no-such-flag"])
            .unwrap_err();
        assert_eq!(error.exit_code(), i32::from(Exit::BadInput.code()));
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../README.md");
        for exit in Exit::ALL {
            let row = format!("| {} | ", exit.code());
            assert!(readme.contains(&row), "README has no row `{row}`");
        }
    }
}
