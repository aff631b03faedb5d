//! The app crate's integration tests, one binary (each module was its own binary before;
//! linking the whole app 11 times cost minutes on 2 cores). Modules by domain.
#![cfg(feature = "ssr")]

mod accounts;
mod admin;
mod architecture;
mod audit;
mod cart;
mod catalog;
mod checkout;
mod consents;
mod foundation_db;
mod fraud;
mod jobs;
mod passkeys;
mod personal_data;
mod pwa;
mod search;
mod smtp;
mod storefronts;
mod stripe;
mod two_step;
mod vendor_catalog;
mod vendors;
