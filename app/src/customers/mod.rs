//! Customers in the console: the list (search by e-mail, newest first), one customer with
//! their orders and addresses, and disabling an account (its sessions end at once; it can no
//! longer sign in). Staff accounts are managed under settings.

mod customer_pages;
mod get_customer;
mod list_customers;
mod set_customer_disabled;
pub mod views;

#[cfg(feature = "ssr")]
mod queries;

pub use customer_pages::{CustomerPage, CustomersPage};
pub use get_customer::{GetCustomer, get_customer};
pub use list_customers::{ListCustomers, list_customers};
pub use set_customer_disabled::{SetCustomerDisabled, set_customer_disabled};
