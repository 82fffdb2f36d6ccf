//! Percent-encoding exactly as the Alibaba Cloud gateway canonicalizes it.
//!
//! Unreserved bytes (`A-Z a-z 0-9 - _ . ~`) stay literal; every other UTF-8 byte becomes
//! `%XX` with upper-case hex. This is the form signed by both V3 and RPC signatures, and
//! the client sends exactly the string it signs.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[inline]
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn encode_impl(out: &mut String, s: &str, plus_for_space: bool) {
    // Most values (ids, region names) need no escaping: copy them in one go.
    if s.bytes().all(is_unreserved) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len() + s.len() / 2);
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else if plus_for_space && b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// Appends `s` percent-encoded (space as `%20`) to `out`.
pub fn encode_into(out: &mut String, s: &str) {
    encode_impl(out, s, false);
}

/// Returns `s` percent-encoded (space as `%20`), e.g. `a b*` -> `a%20b%2A`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

/// Appends `s` in `application/x-www-form-urlencoded` form to `out`: as [`encode`] but a
/// space becomes `+`, which is what the official SDKs put in form bodies (and hash).
pub fn form_encode_into(out: &mut String, s: &str) {
    encode_impl(out, s, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_bytes_stay_literal() {
        let s = "AZaz09-_.~";
        assert_eq!(encode(s), s);
    }

    #[test]
    fn reserved_and_non_ascii_bytes_are_escaped() {
        assert_eq!(encode(" "), "%20");
        assert_eq!(encode("*"), "%2A");
        assert_eq!(encode("/"), "%2F");
        assert_eq!(encode("+"), "%2B");
        assert_eq!(encode("="), "%3D");
        assert_eq!(encode("&"), "%26");
        assert_eq!(encode("%"), "%25");
        assert_eq!(encode("中"), "%E4%B8%AD");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn form_encoding_uses_plus_for_space_only() {
        let mut out = String::new();
        form_encode_into(&mut out, "app/stream 1*~+");
        assert_eq!(out, "app%2Fstream+1%2A~%2B");
    }
}
