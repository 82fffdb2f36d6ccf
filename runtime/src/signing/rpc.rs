//! RPC signature (`HMAC-SHA1`, SignatureVersion 1.0).
//!
//! ```text
//! StringToSign = METHOD + "&%2F&" + pct(CanonicalizedQueryString)
//! Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
//! ```
//! The canonicalized query covers every query parameter except `Signature`, plus the
//! form-body parameters.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::encoding::percent;
use crate::identity::Credential;

/// Every intermediate value of an RPC signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcSignature {
    /// Sorted, percent-encoded `key=value` pairs joined by `&`.
    pub canonicalized_query: String,
    /// `METHOD&%2F&pct(canonicalized_query)`.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1 (not yet URL-encoded).
    pub signature: String,
}

/// Builds the string to sign from the method, the path (always `/` for RPC) and the
/// canonicalized query.
pub fn string_to_sign(method: &str, path: &str, canonicalized_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 8 + canonicalized_query.len() * 5 / 4);
    out.push_str(method);
    out.push('&');
    percent::encode_into(&mut out, if path.is_empty() { "/" } else { path });
    out.push('&');
    percent::encode_into(&mut out, canonicalized_query);
    out
}

/// Signs `pairs` (every signed parameter, system ones included) with `credential`.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    path: &str,
    pairs: &[(K, V)],
    credential: &Credential,
) -> RpcSignature {
    sign_canonical(method, path, super::canonical_query(pairs), credential)
}

/// Signs an already canonicalized query (see [`canonical_query`](super::canonical_query)).
pub fn sign_canonical(
    method: &str,
    path: &str,
    canonicalized_query: String,
    credential: &Credential,
) -> RpcSignature {
    let string_to_sign = string_to_sign(method, path, &canonicalized_query);
    let signature = signature(credential, &string_to_sign);
    RpcSignature {
        canonicalized_query,
        string_to_sign,
        signature,
    }
}

/// Base64 HMAC-SHA1 of `string_to_sign` keyed with `AccessKeySecret&`.
pub fn signature(credential: &Credential, string_to_sign: &str) -> String {
    let secret = credential.access_key_secret().expose_secret();
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    // HMAC accepts keys of any length, so new_from_slice cannot fail here.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&key) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The documented ECS DescribeRegions example.
    #[test]
    fn official_documentation_example() {
        let pairs = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ];
        let sig = sign("GET", "/", &pairs, &Credential::new("testid", "testsecret"));
        assert_eq!(sig.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert!(sig
            .string_to_sign
            .starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"));
    }
}
