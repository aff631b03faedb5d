//! One-time codes from an authenticator app (TOTP, RFC 6238 over HOTP, RFC 4226): HMAC-SHA-1,
//! 30-second steps, six digits, the parameters every app understands.
//!
//! A code is accepted for its own step and, for [`GRACE_SECS`] into the next one, the step
//! before (a code typed just as the phone turned over), so a code lives at most 35 seconds.
//! Each step is used once: the caller keeps the last accepted step and passes it back
//! ([`verify`] refuses it and every earlier one), so a code seen over someone's shoulder cannot
//! be replayed. Recovery codes ([`recovery_codes`]) are shown once and kept only as hashes.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP_SECS: i64 = 30;
/// How long into a new step the previous step's code still counts.
pub const GRACE_SECS: i64 = 5;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// The HOTP value of `counter` with `digits` digits (RFC 4226, section 5.3).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(&counter.to_be_bytes());
    let tag = mac.finalize().into_bytes();
    let offset = usize::from(tag[19] & 0x0f);
    let binary = u32::from_be_bytes([
        tag[offset],
        tag[offset + 1],
        tag[offset + 2],
        tag[offset + 3],
    ]) & 0x7fff_ffff;
    binary % 10u32.pow(digits)
}

/// The step `unix_secs` falls in.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code for `unix_secs`, as an app shows it (zero-padded).
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    let step = u64::try_from(step_at(unix_secs)).unwrap_or(0);
    format!(
        "{:0width$}",
        hotp(secret, step, DIGITS),
        width = DIGITS as usize
    )
}

/// Checks `typed` (spaces allowed) at `unix_secs`. Returns the step it matched, which the
/// caller stores as the new last used step; `None` for a wrong, stale or already used code.
pub fn verify(secret: &[u8], typed: &str, unix_secs: i64, last_used: Option<i64>) -> Option<i64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    let mut candidates = vec![now];
    if unix_secs.rem_euclid(STEP_SECS) < GRACE_SECS {
        candidates.push(now - 1);
    }
    candidates
        .into_iter()
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| {
            let expected = format!(
                "{:0width$}",
                hotp(secret, u64::try_from(*step).unwrap_or(0), DIGITS),
                width = DIGITS as usize
            );
            // Both are six ASCII digits; compare without an early exit.
            expected
                .bytes()
                .zip(digits.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
        })
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    (0..SECRET_BYTES).map(|_| rand::random::<u8>()).collect()
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how apps take a key typed by hand.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads [`base32`] back (case and spaces ignored); `None` for anything else.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32
            .iter()
            .position(|b| char::from(*b) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The `otpauth://` address an app reads from the enrolment QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        encode(issuer),
        encode(account),
        base32(secret),
        encode(issuer)
    )
}

/// Ten new recovery codes (`xxxxx-xxxxx`, 50 random bits each, letters and digits that are
/// not easily confused), to show once.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz123456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let pick = || char::from(ALPHABET[usize::from(rand::random::<u8>() & 31)]);
            let half = |_| (0..5).map(|_| pick()).collect::<String>();
            [0, 1].map(half).join("-")
        })
        .collect()
}

/// How a recovery code is typed back: lower case, without spaces or dashes.
pub fn normalise_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 column, eight digits.
    #[test]
    fn the_rfc_6238_test_vectors_hold() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000_i64, 65_353_130),
        ] {
            let step = u64::try_from(step_at(time)).unwrap();
            assert_eq!(hotp(secret, step, 8), expected, "at {time}");
        }
        // RFC 4226, appendix D: the first HOTP values, six digits.
        assert_eq!(hotp(secret, 0, 6), 755_224);
        assert_eq!(hotp(secret, 9, 6), 520_489);
        assert_eq!(code_at(secret, 59), "287082");
    }

    #[test]
    fn a_code_counts_once_in_its_own_step_and_briefly_after() {
        let secret = b"12345678901234567890";
        let t = 1_111_111_111; // one second into its step
        let code = code_at(secret, t);
        let step = step_at(t);
        assert_eq!(verify(secret, &code, t, None), Some(step));
        assert_eq!(
            verify(secret, &format!("{} {}", &code[..3], &code[3..]), t, None),
            Some(step)
        );
        // Used once, never again.
        assert_eq!(verify(secret, &code, t, Some(step)), None);
        // The previous step's code: only in the first seconds of the next step.
        let previous = code_at(secret, t - STEP_SECS);
        assert_eq!(verify(secret, &previous, t, None), Some(step - 1));
        let later = step * STEP_SECS + GRACE_SECS;
        assert_eq!(verify(secret, &previous, later, None), None);
        // Not a future step's code, nor junk.
        assert_eq!(
            verify(secret, &code_at(secret, t + STEP_SECS), t, None),
            None
        );
        for junk in ["", "12345", "1234567", "abcdef", "12345x"] {
            assert_eq!(verify(secret, junk, t, None), None, "{junk:?}");
        }
    }

    #[test]
    fn keys_round_trip_through_base32_and_the_app_address() {
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        let secret = new_secret();
        assert_eq!(secret.len(), SECRET_BYTES);
        assert_eq!(
            from_base32(&base32(&secret).to_lowercase()),
            Some(secret.clone())
        );
        assert_eq!(from_base32("not base32!"), None);
        let uri = otpauth_uri("Demo Shop", "admin@demo-shop.example", &secret);
        assert!(
            uri.starts_with("otpauth://totp/Demo%20Shop:admin@demo-shop.example?secret="),
            "{uri}"
        );
        assert!(
            uri.contains("&issuer=Demo%20Shop&algorithm=SHA1&digits=6&period=30"),
            "{uri}"
        );
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_read_back_loosely() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert_eq!(
                normalise_recovery_code(&code.to_uppercase().replace('-', " - ")),
                code.replace('-', "")
            );
        }
    }
}
