//! Random public ids and short references, from the operating system's CSPRNG.

use shop_types::PublicId;

/// A fresh random id with 128 bits of entropy.
pub fn new_id() -> PublicId {
    PublicId::from_random_bits(rand::random::<u128>())
}

/// A short random reference (12 symbols, 60 bits) for log correlation, shown to users in errors.
pub fn new_reference() -> String {
    new_id().as_str()[..12].to_owned()
}
