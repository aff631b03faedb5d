//! Secret tokens for cookies and e-mailed links. Only their SHA-256 is ever stored, so a copy
//! of the database does not let anyone sign in or use a link.

use super::ids::new_id;
use sha2::{Digest, Sha256};

/// A fresh secret of 256 random bits (52 base32 symbols), safe in a URL or a cookie.
pub fn new_secret() -> String {
    format!("{}{}", new_id(), new_id())
}

/// The stored form of a secret: lower-case hex SHA-256.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `shown` is `expected`, compared in time that does not depend on where they differ
/// (both are hashed first, so the length leaks nothing either).
pub fn same_secret(shown: &str, expected: &str) -> bool {
    let a = Sha256::digest(shown.as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_unique_and_hash_stably() {
        let a = new_secret();
        let b = new_secret();
        assert_eq!(a.len(), 52);
        assert_ne!(a, b);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_eq!(hash_secret(&a).len(), 64);
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_secret(&a, &a));
        assert!(!same_secret(&a, &b) && !same_secret("", &a));
    }
}
