//! The shop's Leptos application: pages, components and server functions, organised by domain.
//!
//! - `admin`: the console's frame and dashboard (sections live with their domains).
//! - `analytics`: shoppers' events recorded by the server, and the funnel.
//! - `account`: registration, sign-in, sessions, roles and the authorisation helper.
//! - `catalog`: categories, products and variants as shoppers browse them; the demo catalog.
//! - `search`: the full-text index behind search, autosuggest and every product listing.
//! - `cart`: guest and account carts, merged at sign-in; the cart page and add-to-cart form.
//! - `customers`: customer accounts in the console.
//! - `csp_reports`: what browsers blocked under the Content-Security-Policy, for admins.
//! - `inventory`: stock per location, adjustments and their history.
//! - `checkout`: address, shipping rates, tax, coupons and the checkout page.
//! - `orders`: placing orders, their status changes, history, invoices.
//! - `payments`: the payment provider interface, the test and Stripe providers, webhooks.
//! - `email`: mail templates, the outbox and the local mailbox.
//! - `pwa`: the manifest and icons, replaying changes made offline, the install, update and
//!   offline notices (with the service worker in `frontend/service-worker`).
//! - `push`: web push subscriptions, RFC 8291 encryption, VAPID, and what triggers a message.
//! - `shell`: the document, header, footer, 404 and error pages around every route.
//! - `home`: the home page.
//! - `settings`: the store's own settings (name, currency) as pages read them.
//! - `marketing`: newsletter consent (and later segments, coupons, loyalty).
//! - `platform` (server only): configuration, database, jobs, ids, state.
//!
//! Each domain folder holds its components, its server functions (one per file) and, behind
//! `ssr`, its queries. See ARCHITECTURE.md for the map and where to add a feature.

// Deep view types: hydrating a lazily loaded route (`shell::pages`) walks a page's whole view
// type at once.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod analytics;
#[cfg(feature = "ssr")]
pub mod assembly;
pub mod audit;
pub mod cart;
pub mod catalog;
pub mod checkout;
#[cfg(feature = "ssr")]
pub mod coupons;
pub mod csp_reports;
pub mod customers;
pub mod email;
pub mod fraud;
pub mod home;
pub mod inventory;
pub mod marketing;
pub mod media;
pub mod offline;
pub mod orders;
pub mod payments;
pub mod privacy;
pub mod push;
pub mod pwa;
pub mod search;
pub mod settings;
pub mod shell;
pub mod store;
pub mod ui;
pub mod vendors;

#[cfg(feature = "ssr")]
pub mod identity;
#[cfg(feature = "ssr")]
pub mod platform;

/// The types every target shares (money, ids, errors, ...).
pub use shop_types as types;

pub use shell::{App, shell};
