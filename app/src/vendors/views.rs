//! What vendor pages show, as the server sends it (shared by server and browser).

use serde::{Deserialize, Serialize};
use shop_types::catalog::ImageRef;
use shop_types::vendor::ChecklistItem;
use shop_types::{AddressInput, Timestamp, VendorRole, VendorStatus, VendorStep};

/// A vendor's public face and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub status: VendorStatus,
    pub legal_form: String,
    pub description: String,
    pub returns_policy: String,
    pub terms_version: String,
    pub terms_accepted_at: Timestamp,
    /// Why the last change was made (a rejection, a suspension, requested changes).
    pub status_reason: Option<String>,
    pub status_changed_at: Timestamp,
    pub created_at: Timestamp,
    /// The storefront's logo (its alternative text is the seller's name) and banner.
    #[serde(default)]
    pub logo: Option<ImageRef>,
    #[serde(default)]
    pub banner: Option<ImageRef>,
}

/// What is private about the business (sealed at rest; shown to its owner and to staff who
/// manage vendors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorDetails {
    pub registration_number: String,
    pub tax_number: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub billing: AddressInput,
    /// `None`: returns go to the billing address.
    pub returns: Option<AddressInput>,
    pub account_holder: String,
    pub iban: String,
}

/// One change in a vendor's journey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: Timestamp,
    pub to: VendorStatus,
    pub reason: Option<String>,
}

/// The vendor dashboard's home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub vendor: VendorRow,
    pub role: VendorRole,
    pub checklist: Vec<ChecklistItem>,
    /// Whether staff review a completed checklist (else it approves the vendor at once).
    pub review_required: bool,
    pub history: Vec<StatusChange>,
    /// The payout account as `•••• 3000`.
    pub payout_account: Option<String>,
}

/// One vendor as the console's reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorReview {
    pub vendor: VendorRow,
    /// `None` once the details were shredded.
    pub details: Option<VendorDetails>,
    pub owner_email: Option<String>,
    pub checklist: Vec<ChecklistItem>,
    pub history: Vec<StatusChange>,
    /// What staff may do now.
    pub steps: Vec<VendorStep>,
}

/// The console's list of vendors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorList {
    pub counts: Vec<(VendorStatus, i64)>,
    pub vendors: Vec<VendorRow>,
}

/// What the "Sell with us" page offers the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SellChoice {
    /// Not signed in: create an account or sign in first.
    SignedOut,
    /// A shopper's account: the application form.
    Apply { contact_name: String },
    /// Already in a vendor's team: its dashboard.
    Member {
        vendor: String,
        status: VendorStatus,
    },
    /// A staff account cannot sell.
    BackOffice,
}

/// One member of a vendor's team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: VendorRole,
    pub added_at: Timestamp,
}

/// A vendor's team and the invitations waiting (address, role, link valid until).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamMember>,
    pub invited: Vec<(String, VendorRole, Timestamp)>,
}
