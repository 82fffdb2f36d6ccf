//! Credentials printed by an external program (CLI mode `External`, `process_command`).

use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncReadExt;

use crate::error::CredentialsError;

use super::{
    parse_expiration, Credential, ProvideCredentials, ProvideFuture, ProviderConfig,
    MAX_SOURCE_BYTES,
};

/// Runs `process_command` (split on whitespace, no shell, as the official libraries do)
/// and reads `{"mode": "AK"|"StsToken", "access_key_id", "access_key_secret",
/// "sts_token", "expiration"}` from its standard output. Only the program name appears
/// in errors: arguments and output may hold secrets.
pub struct ExternalCredentials {
    command: Vec<String>,
    timeout: Duration,
}

impl fmt::Debug for ExternalCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalCredentials")
            .field("program", &self.program())
            .finish_non_exhaustive()
    }
}

fn problem(problem: String) -> CredentialsError {
    CredentialsError::Source {
        provider: "external",
        problem,
    }
}

impl ExternalCredentials {
    /// The program and arguments of `command`; it may run for `config.process_timeout`.
    pub fn new(command: &str, config: &ProviderConfig) -> Result<Self, CredentialsError> {
        let command: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
        if command.is_empty() {
            return Err(problem("`process_command` is empty".into()));
        }
        Ok(ExternalCredentials {
            command,
            timeout: config.process_timeout,
        })
    }

    fn program(&self) -> &str {
        self.command.first().map_or("", String::as_str)
    }

    async fn run(&self) -> Result<Vec<u8>, CredentialsError> {
        let program = self.program();
        let mut child = tokio::process::Command::new(program)
            .args(&self.command[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| problem(format!("cannot run `{program}`: {e}")))?;
        let Some(stdout) = child.stdout.take() else {
            return Err(problem(format!("`{program}`: no standard output")));
        };
        let work = async {
            let mut out = Vec::new();
            stdout
                .take(MAX_SOURCE_BYTES as u64 + 1)
                .read_to_end(&mut out)
                .await?;
            let status = child.wait().await?;
            Ok::<_, std::io::Error>((out, status))
        };
        let (out, status) = match tokio::time::timeout(self.timeout, work).await {
            Err(_) => {
                return Err(problem(format!(
                    "`{program}` did not finish within {} s",
                    self.timeout.as_secs()
                )))
            }
            Ok(Err(e)) => return Err(problem(format!("`{program}`: {e}"))),
            Ok(Ok(done)) => done,
        };
        if out.len() > MAX_SOURCE_BYTES {
            return Err(problem(format!(
                "`{program}` printed more than {MAX_SOURCE_BYTES} bytes"
            )));
        }
        if !status.success() {
            return Err(problem(format!("`{program}` failed ({status})")));
        }
        Ok(out)
    }

    async fn fetch(&self) -> Result<Credential, CredentialsError> {
        let out = self.run().await?;
        let program = self.program();
        let value: Value = serde_json::from_slice(&out).map_err(|e| {
            problem(format!(
                "the output of `{program}` is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let field = |name: &str| -> Result<Option<String>, CredentialsError> {
            match value.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(problem(format!(
                    "the output of `{program}`: `{name}` is not a string"
                ))),
            }
        };
        let missing = |name: &str| problem(format!("the output of `{program}` has no `{name}`"));
        let id = field("access_key_id")?.ok_or_else(|| missing("access_key_id"))?;
        let secret = field("access_key_secret")?.ok_or_else(|| missing("access_key_secret"))?;
        let mode = field("mode")?.unwrap_or_default();
        let credential = match (mode.as_str(), field("sts_token")?) {
            ("StsToken", None) => return Err(missing("sts_token")),
            (_, Some(token)) => Credential::with_security_token(id, secret, token),
            (_, None) => Credential::new(id, secret),
        }
        .with_provider_name("external");
        match field("expiration")? {
            None => Ok(credential),
            Some(text) => parse_expiration(&text)
                .map(|t| credential.with_expiry(t))
                .ok_or_else(|| {
                    problem(format!(
                        "the output of `{program}`: `expiration` is not a UTC time like 2024-05-06T07:08:09Z"
                    ))
                }),
        }
    }
}

impl ProvideCredentials for ExternalCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.fetch())
    }
}
