//! The store's settings: as pages read them (`get_store_info`), and as the console edits
//! them: store details, tax rates, shipping zones and rates, coupons, staff accounts and their
//! permissions, and previews of every mail. Rules in `settings_service`.

mod add_coupon;
mod add_shipping_rate;
mod add_shipping_zone;
pub mod admin_views;
mod get_settings;
mod list_staff;
mod preview_emails;
mod remove_setting;
mod reset_two_step;
mod save_retention;
mod save_risk_scores;
mod save_staff;
mod save_store_settings;
mod save_tax_rate;
mod save_vendor_rules;
mod settings_pages;
mod upload_store_logo;

#[cfg(feature = "ssr")]
pub mod defaults;
#[cfg(feature = "ssr")]
pub mod settings_service;

pub use add_coupon::{AddCoupon, add_coupon};
pub use add_shipping_rate::{AddShippingRate, add_shipping_rate};
pub use add_shipping_zone::{AddShippingZone, add_shipping_zone};
pub use get_settings::{GetSettings, get_settings};
pub use list_staff::{ListStaff, list_staff};
#[cfg(feature = "ssr")]
pub use preview_emails::mail_preview;
pub use preview_emails::{PreviewEmails, preview_emails};
pub use remove_setting::{RemoveSetting, remove_setting};
pub use reset_two_step::{ResetTwoStep, reset_two_step};
pub use save_retention::{SaveRetention, save_retention};
pub use save_risk_scores::{SaveRiskScores, save_risk_scores};
pub use save_staff::{SaveStaff, save_staff};
pub use save_store_settings::{SaveStoreSettings, save_store_settings};
pub use save_tax_rate::{SaveTaxRate, save_tax_rate};
pub use save_vendor_rules::{SaveVendorRules, save_vendor_rules};
pub use settings_pages::{
    CouponsPage, EmailPreviewsPage, ShippingPage, StaffPage, StoreSettingsPage, TaxesPage,
};
pub use upload_store_logo::{MAX_LOGO_BYTES, UploadStoreLogo, upload_store_logo};
