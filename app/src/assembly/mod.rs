//! Puts the domains together; the one folder allowed to know them all (beside `shell`'s
//! route table): the first start and the demo data (`seed`), the hourly clean-up that calls
//! each domain's own pruning (`maintenance`), which domain reacts to which event (`reactions`), the start-up pass that seals personal
//! data written before encryption (`sealing`), and helpers that give tests a ready database
//! (`testing`) and a passkey authenticator in software (`soft_passkey`). Server only. No domain imports this folder.

pub mod maintenance;
pub mod reactions;
pub mod sealing;
pub mod seed;
pub mod soft_passkey;
pub mod testing;
