//! V3 signature (`ACS3-HMAC-SHA256`).
//!
//! ```text
//! CanonicalRequest = METHOD \n URI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//! StringToSign     = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//! ```

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::SignedHeaderSet;
use crate::identity::Credential;

/// Algorithm name, first line of the string to sign and of the `Authorization` header.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `x-acs-content-sha256` of an empty body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lower-case hex SHA-256 of the exact body bytes (the `x-acs-content-sha256` value).
pub fn hash_payload(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_PAYLOAD_SHA256.to_owned();
    }
    let mut out = String::with_capacity(64);
    super::push_hex(&mut out, &Sha256::digest(body));
    out
}

/// What a V3 signature covers.
#[derive(Clone, Copy, Debug)]
pub struct V3Request<'a> {
    /// Upper-case HTTP method.
    pub method: &'a str,
    /// Percent-encoded path; an empty path is signed as `/`.
    pub canonical_uri: &'a str,
    /// Output of [`canonical_query`](super::canonical_query) (also the query sent).
    pub canonical_query: &'a str,
    /// Headers as sent (any case); must include `x-acs-content-sha256`.
    pub headers: &'a [(&'a str, &'a str)],
    /// `x-acs-content-sha256` value.
    pub hashed_payload: &'a str,
}

/// Every intermediate value of a V3 signature, for the request and for diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// `ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>`.
    pub string_to_sign: String,
    /// Lower-case signed header names joined by `;`.
    pub signed_headers: String,
    /// Lower-case hex HMAC-SHA256.
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

/// Signs `request` with `credential`, covering the headers selected by `selection`.
pub fn sign(
    request: &V3Request<'_>,
    selection: SignedHeaderSet,
    credential: &Credential,
) -> V3Signature {
    let mut signed: Vec<(Cow<'_, str>, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (lowercase(name), value.trim()))
        .filter(|(name, _)| selection.includes(name))
        .collect();
    // Stable sort keeps repeated headers in sending order before they are joined.
    signed.sort_by(|a, b| a.0.cmp(&b.0));

    let mut canonical = String::with_capacity(512);
    canonical.push_str(request.method);
    canonical.push('\n');
    canonical.push_str(if request.canonical_uri.is_empty() {
        "/"
    } else {
        request.canonical_uri
    });
    canonical.push('\n');
    canonical.push_str(request.canonical_query);
    canonical.push('\n');

    let mut signed_headers = String::with_capacity(160);
    let mut i = 0;
    while i < signed.len() {
        let name = &signed[i].0;
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(signed[i].1);
        let mut j = i + 1;
        while j < signed.len() && signed[j].0 == *name {
            canonical.push(',');
            canonical.push_str(signed[j].1);
            j += 1;
        }
        canonical.push('\n');
        i = j;
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(request.hashed_payload);

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 65);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    super::push_hex(&mut string_to_sign, &Sha256::digest(canonical.as_bytes()));

    let mut signature = String::with_capacity(64);
    super::push_hex(
        &mut signature,
        &hmac_sha256(
            credential.access_key_secret().expose_secret().as_bytes(),
            string_to_sign.as_bytes(),
        ),
    );
    let authorization = format!(
        "{ALGORITHM} Credential={},SignedHeaders={signed_headers},Signature={signature}",
        credential.access_key_id()
    );
    V3Signature {
        canonical_request: canonical,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so new_from_slice cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::canonical_query;

    #[test]
    fn empty_payload_hash_is_sha256_of_nothing() {
        assert_eq!(hash_payload(b""), hex::encode(Sha256::digest(b"")));
        assert_eq!(
            hash_payload(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    // The documented RunInstances example (also in vectors.json, checked here so the
    // signer is covered even without ../shared).
    #[test]
    fn official_documentation_example() {
        let query = canonical_query(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let headers = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
        ];
        let sig = sign(
            &V3Request {
                method: "POST",
                canonical_uri: "/",
                canonical_query: &query,
                headers: &headers,
                hashed_payload: EMPTY_PAYLOAD_SHA256,
            },
            SignedHeaderSet::Standard,
            &Credential::new("YourAccessKeyId", "YourAccessKeySecret"),
        );
        assert_eq!(
            sig.string_to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            sig.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn header_names_are_lowercased_trimmed_and_repeats_joined() {
        let headers = [
            ("X-Acs-B", " 2 "),
            ("host", "h"),
            ("x-acs-b", "3"),
            ("Accept", "application/json"),
            ("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
        ];
        let sig = sign(
            &V3Request {
                method: "GET",
                canonical_uri: "",
                canonical_query: "",
                headers: &headers,
                hashed_payload: EMPTY_PAYLOAD_SHA256,
            },
            SignedHeaderSet::Standard,
            &Credential::new("id", "secret"),
        );
        assert_eq!(sig.signed_headers, "host;x-acs-b;x-acs-content-sha256");
        assert!(sig
            .canonical_request
            .starts_with("GET\n/\n\nhost:h\nx-acs-b:2,3\nx-acs-content-sha256:"));
    }
}
