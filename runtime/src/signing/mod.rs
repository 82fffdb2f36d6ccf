//! Request signatures: V3 (`ACS3-HMAC-SHA256`, the default) and RPC (`HMAC-SHA1`,
//! SignatureVersion 1.0), plus the clock and nonce they need.

pub mod rpc;
pub mod v3;

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::encoding::percent;

/// Which signature a client computes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// `ACS3-HMAC-SHA256` in the `Authorization` header.
    #[default]
    V3,
    /// `HMAC-SHA1`, SignatureVersion 1.0, in the `Signature` query parameter.
    RpcV1,
}

/// Which request headers a V3 signature covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignedHeaderSet {
    /// `host`, `content-type` and every `x-acs-*` header: what the gateway documents and
    /// the Go SDK signs.
    #[default]
    Standard,
    /// Every header sent (as the Python SDK does, including `accept` and `user-agent`).
    All,
}

impl SignedHeaderSet {
    /// Whether a lower-case header name is signed under this rule.
    pub fn includes(self, lower_name: &str) -> bool {
        match self {
            SignedHeaderSet::All => true,
            SignedHeaderSet::Standard => {
                lower_name == "host"
                    || lower_name == "content-type"
                    || lower_name.starts_with("x-acs-")
            }
        }
    }
}

/// Canonical query string shared by V3 and RPC: pairs sorted by key (then value), each
/// written `pct(key)=pct(value)` and joined by `&`; an empty value gives `Key=`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent::encode_into(&mut out, k);
        out.push('=');
        percent::encode_into(&mut out, v);
    }
    out
}

/// Formats a time as the gateway expects (`%Y-%m-%dT%H:%M:%SZ`, UTC), e.g.
/// `2024-05-06T07:08:09Z`. Times before 1970 are clamped to the epoch.
pub fn format_timestamp(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(20);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    out
}

/// The current UTC time in the gateway's format.
pub fn now_timestamp() -> String {
    format_timestamp(SystemTime::now())
}

// Gregorian date of a day count since 1970-01-01 (H. Hinnant's days_from_civil inverse,
// restricted to non-negative days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A fresh signature nonce: 32 lower-case hex characters from the OS random source.
pub fn new_nonce() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    let mut out = String::with_capacity(32);
    push_hex(&mut out, &bytes);
    Ok(out)
}

/// Appends lower-case hex of `bytes` to `out` through a stack buffer (`hex::encode`
/// builds its String char by char, which showed up in the signing profile).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        let dst = &mut buf[..chunk.len() * 2];
        if hex::encode_to_slice(chunk, dst).is_ok() {
            out.push_str(std::str::from_utf8(dst).unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        format_timestamp(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn timestamps_match_known_dates() {
        // Expected values computed with Python's datetime.utcfromtimestamp.
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(1_714_979_289), "2024-05-06T07:08:09Z");
        assert_eq!(at(1_698_315_752), "2023-10-26T10:22:32Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00Z");
        assert_eq!(at(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn times_before_the_epoch_clamp() {
        let before = UNIX_EPOCH - Duration::from_secs(10);
        assert_eq!(format_timestamp(before), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn nonces_are_32_lowercase_hex_and_differ() {
        let a = new_nonce().expect("os rng");
        let b = new_nonce().expect("os rng");
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
    }

    #[test]
    fn push_hex_matches_hex_encode() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let mut out = String::new();
        push_hex(&mut out, &bytes);
        assert_eq!(out, hex::encode(&bytes));
    }

    #[test]
    fn canonical_query_sorts_and_encodes() {
        let q = canonical_query(&[("b", "x y"), ("a", ""), ("Tag.1", "中")]);
        assert_eq!(q, "Tag.1=%E4%B8%AD&a=&b=x%20y");
        assert_eq!(canonical_query::<&str, &str>(&[]), "");
    }

    #[test]
    fn standard_header_set() {
        let s = SignedHeaderSet::Standard;
        assert!(s.includes("host") && s.includes("content-type") && s.includes("x-acs-date"));
        assert!(!s.includes("accept") && !s.includes("user-agent"));
        assert!(SignedHeaderSet::All.includes("accept"));
    }
}
