//! Identifiers that users can see (in URLs, e-mails, order numbers).
//!
//! They are random, never sequential, so they reveal nothing about volume and cannot be guessed.
//! The generator lives on the server (`app::platform::ids`); this type only carries and checks.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Alphabet of generated ids: Crockford's base32 in lower case (no i, l, o, u: nothing to misread).
pub const ID_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Length of a generated id: 26 symbols carry 130 bits, of which 128 are random.
pub const ID_LEN: usize = 26;

/// A random public identifier such as `7f3k9q...` (26 symbols of [`ID_ALPHABET`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicId(String);

/// The text is not an id we could have issued.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier")]
pub struct InvalidId;

impl PublicId {
    /// Checks text that claims to be an id (from a URL or a form).
    pub fn parse(input: &str) -> Result<Self, InvalidId> {
        let ok = input.len() == ID_LEN && input.bytes().all(|b| ID_ALPHABET.contains(&b));
        if ok {
            Ok(Self(input.to_owned()))
        } else {
            Err(InvalidId)
        }
    }

    /// Builds an id from 128 random bits. Callers pass the randomness so this crate needs no
    /// random source of its own.
    pub fn from_random_bits(bits: u128) -> Self {
        let mut out = String::with_capacity(ID_LEN);
        for i in (0..ID_LEN).rev() {
            let shift = i * 5;
            let index = if shift >= 128 {
                0
            } else {
                ((bits >> shift) & 31) as usize
            };
            out.push(ID_ALPHABET[index] as char);
        }
        Self(out)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PublicId {
    type Error = InvalidId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PublicId> for String {
    fn from(value: PublicId) -> Self {
        value.0
    }
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back() {
        for bits in [
            0u128,
            1,
            u128::MAX,
            0x1234_5678_9abc_def0_1234_5678_9abc_def0,
        ] {
            let id = PublicId::from_random_bits(bits);
            assert_eq!(id.as_str().len(), ID_LEN);
            assert_eq!(PublicId::parse(id.as_str()), Ok(id));
        }
    }

    #[test]
    fn different_bits_give_different_ids() {
        assert_ne!(PublicId::from_random_bits(1), PublicId::from_random_bits(2));
    }

    #[test]
    fn rejects_foreign_text() {
        for bad in [
            "",
            "abc",
            "../../etc/passwd",
            &"i".repeat(ID_LEN),
            &"A".repeat(ID_LEN),
        ] {
            assert_eq!(PublicId::parse(bad), Err(InvalidId));
        }
    }
}
