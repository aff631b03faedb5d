//! Who an account is, and what staff may do.

use serde::{Deserialize, Serialize};

/// An account's role. Admins may do everything; staff only what their permissions name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Vendor,
    Staff,
    Admin,
}

impl Role {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Vendor => "vendor",
            Self::Staff => "staff",
            Self::Admin => "admin",
        }
    }

    /// Reads a stored value back.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Customer, Self::Vendor, Self::Staff, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == value)
    }

    /// True for accounts that work in the back office (stricter session timeouts).
    pub fn is_back_office(self) -> bool {
        matches!(self, Self::Staff | Self::Admin)
    }
}

/// A named permission a staff account can be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ManageCatalog,
    ManageOrders,
    ManageCustomers,
    ManageSettings,
    /// See the dashboard, analytics and exports.
    ViewReports,
    /// Review sellers' applications, approve, suspend and close sellers.
    ManageVendors,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 6] = [
        Self::ManageCatalog,
        Self::ManageOrders,
        Self::ManageCustomers,
        Self::ManageSettings,
        Self::ViewReports,
        Self::ManageVendors,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ManageCatalog => "manage_catalog",
            Self::ManageOrders => "manage_orders",
            Self::ManageCustomers => "manage_customers",
            Self::ManageSettings => "manage_settings",
            Self::ViewReports => "view_reports",
            Self::ManageVendors => "manage_vendors",
        }
    }

    /// For people (the staff editor).
    pub fn label(self) -> &'static str {
        match self {
            Self::ManageCatalog => "Manage products, stock and imports",
            Self::ManageOrders => "Manage orders",
            Self::ManageCustomers => "Manage customers",
            Self::ManageSettings => "Manage settings",
            Self::ViewReports => "See the dashboard and reports",
            Self::ManageVendors => "Review and manage sellers",
        }
    }

    /// Reads a stored value back.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for role in [Role::Customer, Role::Vendor, Role::Staff, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
