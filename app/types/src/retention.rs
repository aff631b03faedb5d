//! How long the shop keeps each kind of data (days), as the store's settings say; the hourly
//! clean-up deletes (or, for erased customers' pseudonyms, blanks) what is older.

use serde::{Deserialize, Serialize};

/// A kind of data with a retention period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Guest carts nobody touched (and their checkouts).
    GuestCarts,
    /// Contact and address details of checkouts that were never finished.
    AbandonedCheckouts,
    /// Browsers an account signed in from (for the new-browser mail).
    SignInRecords,
    /// Page views, searches and cart events (no person in them, but behaviour).
    AnalyticsEvents,
    /// The local mailbox of a shop without SMTP.
    Mailbox,
    /// The audit log's entries (a verifiable anchor replaces what is removed).
    AuditLog,
    /// The pseudonym an erased customer's orders keep (the orders themselves stay).
    ErasedPseudonyms,
}

impl DataKind {
    pub const ALL: [DataKind; 7] = [
        Self::GuestCarts,
        Self::AbandonedCheckouts,
        Self::SignInRecords,
        Self::AnalyticsEvents,
        Self::Mailbox,
        Self::AuditLog,
        Self::ErasedPseudonyms,
    ];

    /// The name in settings, forms and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GuestCarts => "guest_carts",
            Self::AbandonedCheckouts => "abandoned_checkouts",
            Self::SignInRecords => "sign_in_records",
            Self::AnalyticsEvents => "analytics_events",
            Self::Mailbox => "mailbox",
            Self::AuditLog => "audit_log",
            Self::ErasedPseudonyms => "erased_pseudonyms",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The period a new shop starts with.
    pub fn default_days(self) -> u32 {
        match self {
            Self::GuestCarts => 30,
            Self::AbandonedCheckouts => 90,
            Self::SignInRecords => 395,
            Self::AnalyticsEvents => 395,
            Self::Mailbox => 30,
            Self::AuditLog => 730,
            // Invoices are kept ten years in most of the EU.
            Self::ErasedPseudonyms => 3650,
        }
    }

    /// The shortest period allowed: the audit log serves security investigations for a year
    /// at least; the rest may go after a day.
    pub fn min_days(self) -> u32 {
        match self {
            Self::AuditLog => 365,
            _ => 1,
        }
    }

    /// The longest period allowed (20 years).
    pub const MAX_DAYS: u32 = 7300;
}

/// One kind's period, as the settings page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPeriod {
    pub kind: DataKind,
    pub days: u32,
}

/// Every kind's period from what is stored (`kind → days`), defaults for the rest and for
/// values outside the allowed range.
pub fn periods_from(stored: &[(String, i64)]) -> Vec<RetentionPeriod> {
    DataKind::ALL
        .into_iter()
        .map(|kind| {
            let days = stored
                .iter()
                .find(|(k, _)| k == kind.as_str())
                .and_then(|(_, d)| u32::try_from(*d).ok())
                .filter(|d| (kind.min_days()..=DataKind::MAX_DAYS).contains(d))
                .unwrap_or(kind.default_days());
            RetentionPeriod { kind, days }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_periods_win_unless_out_of_range() {
        let p = periods_from(&[
            ("mailbox".into(), 7),
            ("audit_log".into(), 10),
            ("nonsense".into(), 3),
        ]);
        let days = |k: DataKind| p.iter().find(|r| r.kind == k).unwrap().days;
        assert_eq!(days(DataKind::Mailbox), 7);
        assert_eq!(
            days(DataKind::AuditLog),
            730,
            "below the minimum: the default"
        );
        assert_eq!(days(DataKind::GuestCarts), 30);
        assert_eq!(p.len(), DataKind::ALL.len());
        for k in DataKind::ALL {
            assert_eq!(DataKind::parse(k.as_str()), Some(k));
        }
    }
}
