//! Customers as the console shows them.

use crate::orders::AdminOrderRow;
use serde::{Deserialize, Serialize};
use shop_types::{AddressInput, Timestamp};

/// A customer in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub joined: Timestamp,
    pub orders: i64,
    pub disabled: bool,
}

/// A page of customers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    pub next: Option<String>,
}

/// One customer with their orders and addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub row: CustomerRow,
    pub verified: bool,
    pub newsletter: bool,
    /// Two-step sign-in (an authenticator app) is on.
    pub two_step: bool,
    /// How many passkeys the customer has.
    pub passkeys: usize,
    pub orders: Vec<AdminOrderRow>,
    pub addresses: Vec<AddressInput>,
}
