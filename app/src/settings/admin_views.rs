//! Settings as the console shows and edits them.

use serde::{Deserialize, Serialize};
use shop_types::{Money, Permission, Role, Timestamp};

/// The store's own details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSettings {
    pub name: String,
    pub support_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub currency: String,
    pub prices_include_tax: bool,
    pub low_stock_threshold: i64,
    pub logo_key: Option<String>,
    /// Products exist, so the currency can no longer change.
    pub currency_locked: bool,
    /// New orders scoring this much are held for review (`fraud`).
    pub risk_review_score: i64,
    /// New orders scoring this much are cancelled (101: never).
    pub risk_cancel_score: i64,
    /// Products a vendor lists before its checklist is complete.
    pub vendor_min_products: i64,
    /// Whether staff review a vendor's completed checklist.
    pub vendor_review_required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRateRow {
    pub id: String,
    pub country: String,
    pub region: String,
    pub name: String,
    pub rate_bp: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    pub id: String,
    pub name: String,
    /// "Flat €4.90", "€4.90 + €1.00 per kg", with bounds and free-over.
    pub summary: String,
    pub delivery_days: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRow {
    pub id: String,
    pub name: String,
    pub countries: String,
    pub rates: Vec<RateRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponRow {
    pub id: String,
    pub code: String,
    /// "10 %", "€5.00", "Free shipping".
    pub value: String,
    pub min_subtotal: Option<Money>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub times_used: i64,
}

/// Every setting section but staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub store: StoreSettings,
    pub taxes: Vec<TaxRateRow>,
    pub zones: Vec<ZoneRow>,
    pub coupons: Vec<CouponRow>,
    /// How long each kind of data is kept.
    pub retention: Vec<shop_types::retention::RetentionPeriod>,
}

/// A back-office account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub permissions: Vec<Permission>,
    pub disabled: bool,
    /// Two-step sign-in is set up (else it is asked for at the next sign-in).
    pub two_step: bool,
}

/// A mail as it would be sent, for the preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreview {
    pub name: String,
    pub subject: String,
    pub text: String,
    /// Where its HTML version is shown (`paths::email_preview`).
    pub frame: String,
}
