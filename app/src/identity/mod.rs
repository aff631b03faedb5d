//! Who is calling, and may they: accounts as the server knows them (`users`), server-side
//! sessions (`sessions`), password rules and hashing (`passwords`) and the one authorisation
//! helper every server function uses (`auth`). Server only; knows no other domain.
//!
//! The shopper's own pages (registration, sign-in, profile, addresses) live in `account`,
//! which builds on this folder. Second factors (`factors`, `totp`) and passkeys (`passkeys`) belong here.

pub mod auth;
pub mod devices;
pub mod factors;
pub mod passkeys;
pub mod passwords;
pub mod sessions;
pub mod totp;
pub mod users;
