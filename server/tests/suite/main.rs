//! The server's HTTP tests, one binary: the real application on port 0 per test, spoken to
//! over HTTP (`support`). Modules by domain.

mod accounts_http;
mod admin_http;
mod audit_http;
mod cart_http;
mod catalog_http;
mod checkout_http;
mod fraud_http;
mod http;
mod passkeys_http;
mod privacy_http;
mod pwa_http;
mod security_http;
mod support;
mod two_step_http;
mod vendors_http;
