//! Password rules and hashing.
//!
//! Rules follow NIST SP 800-63B: at least 8 characters, long passphrases welcome (up to 256),
//! no composition rules, and the most common passwords refused (the list ships with the
//! shop), also when dressed up with digits, symbols or look-alike characters, and runs of one
//! key, the alphabet, the digits or a keyboard row. Hashes are argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane), computed
//! on the blocking thread pool so they never stall the async runtime.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use shop_types::Problem;
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;
/// Longest password accepted (bounds the hashing work an attacker can ask for).
pub const MAX_LEN: usize = 256;

static COMMON: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    COMMON.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Whether a (lower-cased) password is one of the common ones, also when dressed up the usual
/// ways: digits or symbols added before or after ("Password2024!"), letters written as digits
/// ("p4ssw0rd"), or when it is only a run of one key, of the alphabet, of digits or of a
/// keyboard row ("aaaaaaaa", "12345678", "qwertyui", "87654321").
fn is_guessable(lowered: &str) -> bool {
    let list = common_passwords();
    let core =
        lowered.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ');
    let plain = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                _ => c,
            })
            .collect()
    };
    let (plain_all, plain_core) = (plain(lowered), plain(core));
    let listed = [lowered, core, plain_all.as_str(), plain_core.as_str()]
        .iter()
        .any(|candidate| !candidate.is_empty() && list.contains(*candidate));
    listed || is_run(lowered)
}

/// One key repeated, or a stretch of the alphabet, the digits or a keyboard row, either way.
fn is_run(lowered: &str) -> bool {
    const RUNS: [&str; 5] = [
        "abcdefghijklmnopqrstuvwxyz",
        "01234567890",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
    ];
    let mut chars = lowered.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if chars.all(|c| c == first) {
        return true;
    }
    let reversed: String = lowered.chars().rev().collect();
    RUNS.iter()
        .any(|run| run.contains(lowered) || run.contains(reversed.as_str()))
}

/// Why a new password is refused; the message is fit to show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRuleError {
    #[error("{}", Problem::from(self))]
    TooShort,
    #[error("{}", Problem::from(self))]
    TooLong,
    #[error("{}", Problem::from(self))]
    Common,
    #[error("{}", Problem::from(self))]
    IsEmail,
}

/// Checks a new password against the rules.
pub fn check_new_password(password: &str, email: &str) -> Result<(), PasswordRuleError> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(PasswordRuleError::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PasswordRuleError::TooLong);
    }
    let lowered = password.to_lowercase();
    if is_guessable(&lowered) {
        return Err(PasswordRuleError::Common);
    }
    let local = email.split('@').next().unwrap_or_default();
    if lowered == email.to_lowercase() || (!local.is_empty() && lowered == local.to_lowercase()) {
        return Err(PasswordRuleError::IsEmail);
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // 19 MiB, t=2, p=1: OWASP's recommended argon2id configuration.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (PHC string with salt and parameters).
pub async fn hash_password(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks a password against a stored hash. With `None` (no such account) a fixed hash is
/// checked instead, so both answers take the same time and reveal nothing.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"not a real password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

impl From<&PasswordRuleError> for Problem {
    fn from(error: &PasswordRuleError) -> Self {
        match error {
            PasswordRuleError::TooShort => Problem::PasswordTooShort {
                min: MIN_LEN as u32,
            },
            PasswordRuleError::TooLong => Problem::AtMostCharacters {
                max: MAX_LEN as u32,
            },
            PasswordRuleError::Common => Problem::PasswordCommon,
            PasswordRuleError::IsEmail => Problem::PasswordIsEmail,
        }
    }
}

impl From<PasswordRuleError> for Problem {
    fn from(error: PasswordRuleError) -> Self {
        Problem::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_and_passphrases() {
        assert_eq!(
            check_new_password("short", "a@b.co"),
            Err(PasswordRuleError::TooShort)
        );
        assert_eq!(
            check_new_password("ÄÖÜäöüß", "a@b.co"),
            Err(PasswordRuleError::TooShort),
            "counts characters"
        );
        assert!(check_new_password("correct horse battery staple", "a@b.co").is_ok());
        assert!(check_new_password(&"xy".repeat(128), "a@b.co").is_ok());
        assert_eq!(
            check_new_password(&"x".repeat(257), "a@b.co"),
            Err(PasswordRuleError::TooLong)
        );
        assert!(check_new_password("ab", "a@b.co").is_err());
    }

    #[test]
    fn dressed_up_common_passwords_and_key_runs_are_refused() {
        for guessable in [
            "Password2024!",
            "!!password!!",
            "p4ssw0rd",
            "P@ssw0rd123",
            "aaaaaaaaaa",
            "12345678",
            "87654321",
            "abcdefghij",
            "qwertyuiop",
            "lkjhgfdsa",
        ] {
            assert_eq!(
                check_new_password(guessable, "a@b.co"),
                Err(PasswordRuleError::Common),
                "{guessable}"
            );
        }
        for fine in [
            "correct horse battery",
            "a long and unusual passphrase",
            "demo-admin-password",
            "Tr0ub4dor&3 is long",
            "14 lanterns by the sea",
        ] {
            assert!(check_new_password(fine, "a@b.co").is_ok(), "{fine}");
        }
    }

    #[test]
    fn common_passwords_and_the_address_are_refused() {
        assert_eq!(
            check_new_password("password123", "a@b.co"),
            Err(PasswordRuleError::Common)
        );
        assert_eq!(
            check_new_password("QWERTY123", "a@b.co"),
            Err(PasswordRuleError::Common),
            "any case"
        );
        assert_eq!(
            check_new_password("anna.smith@example.com", "anna.smith@example.com"),
            Err(PasswordRuleError::IsEmail)
        );
        assert_eq!(
            check_new_password("Anna.Smith", "anna.smith@example.com"),
            Err(PasswordRuleError::IsEmail)
        );
        assert!(common_passwords().len() > 150);
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse battery".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }
}
