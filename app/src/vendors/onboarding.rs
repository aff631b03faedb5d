//! A vendor's journey: the application ([`apply`]), the checklist before review
//! ([`checklist`]), its storefront profile ([`save_profile`]) and every step staff or the owner
//! take ([`take_step`]). Each change records `vendors.status_changed` (the mails follow it) and
//! an audit entry in its own transaction.

use super::events::VendorStatusChanged;
use super::vendor_store::{self, NewVendor};
use super::views::{VendorDetails, VendorRow};
use crate::identity::users::User;
use crate::identity::{sessions, users};
use crate::platform::audit_trail::{self, Who};
use crate::platform::db::Db;
use crate::platform::errors::internal;
use crate::platform::events;
use crate::platform::vault::Vault;
use crate::store::queries::{VendorRules, vendor_rules};
use serde_json::json;
use shop_types::vendor::{
    Actor, ChecklistItem, Requirement, TERMS_VERSION, VendorApplication, iban_valid, slug_of,
};
use shop_types::{AppError, Problem, Role, Thing, VendorStatus, VendorStep};
use sqlx::AnyConnection;

/// Length bounds of the storefront description and the returns policy.
pub const PROFILE_TEXT: (u32, u32) = (40, 2000);

/// Longest reason staff may give.
pub const REASON_MAX: u32 = 1000;

/// What an application made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub vendor_id: String,
    pub slug: String,
}

fn subject(vendor_id: &str) -> String {
    format!("vendor:{vendor_id}")
}

/// A shopper applies to sell. The application is checked field by field; the account becomes
/// the new vendor's owner and a vendor account, so every session ends (the next sign-in asks
/// for the second factor every vendor account needs).
pub async fn apply(
    db: &Db,
    user: &User,
    application: VendorApplication,
    who: &Who,
) -> Result<Applied, AppError> {
    if user.role != Role::Customer {
        return Err(AppError::conflict(Problem::VendorApplicantNotCustomer));
    }
    let a = application
        .check()
        .map_err(|e| AppError::validation(e.field, e.problem))?;
    let details = VendorDetails {
        registration_number: a.registration_number.clone(),
        tax_number: a.tax_number.clone(),
        contact_name: a.contact_name.clone(),
        contact_phone: a.contact_phone.clone(),
        billing: a.billing.clone(),
        returns: a.returns.clone(),
        account_holder: a.account_holder.clone(),
        iban: a.iban.clone(),
    };
    let mut tx = db.begin_write().await.map_err(internal("vendor: begin"))?;
    let member = vendor_store::membership(&mut tx, &user.id)
        .await
        .map_err(internal("vendor: membership"))?;
    if member.is_some() {
        return Err(AppError::conflict(Problem::VendorApplicantNotCustomer));
    }
    let (vendor_id, slug) = vendor_store::insert(
        &mut tx,
        db.vault(),
        &NewVendor {
            name: &a.business_name,
            slug_base: &slug_of(&a.business_name),
            legal_form: &a.legal_form,
            details: &details,
            terms_version: TERMS_VERSION,
            owner_id: &user.id,
            actor: &format!("account:{}", user.id),
        },
    )
    .await
    .map_err(internal("vendor: insert"))?;
    // Only a customer account changes (a staff account cannot be made a vendor by a race).
    let changed = sqlx::query_scalar::<_, String>("SELECT role FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("vendor: role"))?;
    if changed != Role::Customer.as_str() {
        return Err(AppError::conflict(Problem::VendorApplicantNotCustomer));
    }
    users::set_role(&mut tx, &user.id, Role::Vendor, &[], false)
        .await
        .map_err(internal("vendor: set role"))?;
    sessions::delete_all_for_user(&mut tx, &user.id)
        .await
        .map_err(internal("vendor: sessions"))?;
    events::record(
        &mut tx,
        &VendorStatusChanged {
            vendor_id: vendor_id.clone(),
            from: None,
            to: VendorStatus::Applied,
            reason: None,
            owners: vec![user.id.clone()],
        },
    )
    .await
    .map_err(internal("vendor: event"))?;
    audit_trail::record(
        &mut tx,
        who,
        "vendor.applied",
        &subject(&vendor_id),
        None,
        Some(json!({
            "name": a.business_name,
            "slug": slug,
            "legal_form": a.legal_form,
            "terms_version": TERMS_VERSION,
        })),
    )
    .await
    .map_err(internal("vendor: audit"))?;
    tx.commit().await.map_err(internal("vendor: commit"))?;
    Ok(Applied { vendor_id, slug })
}

/// The checklist of `vendor` under the shop's rules.
pub async fn checklist(
    conn: &mut AnyConnection,
    vault: &Vault,
    vendor: &VendorRow,
    rules: VendorRules,
) -> Result<Vec<ChecklistItem>, sqlx::Error> {
    let details = vendor_store::details(conn, vault, &vendor.id).await?;
    let (min, max) = PROFILE_TEXT;
    let fits = |text: &str| (min as usize..=max as usize).contains(&text.chars().count());
    let mut items = vec![
        ChecklistItem {
            requirement: Requirement::TermsAccepted,
            done: !vendor.terms_version.is_empty(),
        },
        ChecklistItem {
            requirement: Requirement::ProfileComplete,
            done: fits(&vendor.description) && fits(&vendor.returns_policy),
        },
        ChecklistItem {
            requirement: Requirement::PayoutAccount,
            done: details.is_some_and(|d| iban_valid(&d.iban)),
        },
    ];
    if rules.min_products > 0 {
        let listed = vendor_store::product_count(conn, &vendor.id).await?;
        items.push(ChecklistItem {
            requirement: Requirement::Products {
                minimum: rules.min_products,
            },
            done: listed >= rules.min_products,
        });
    }
    Ok(items)
}

/// The vendor, if it is still open (applied to suspended: not rejected or closed), read in
/// the change's transaction.
async fn open_vendor(
    tx: &mut sqlx::AnyConnection,
    vendor_id: &str,
) -> Result<super::views::VendorRow, AppError> {
    let vendor = vendor_store::find(tx, vendor_id)
        .await
        .map_err(internal("vendor: find"))?
        .ok_or(AppError::not_found(Thing::Vendor))?;
    if !vendor.status.open() {
        return Err(AppError::conflict(Problem::VendorStepNotNow));
    }
    Ok(vendor)
}

/// Checks and saves the storefront profile of an open vendor.
pub async fn save_profile(
    db: &Db,
    vendor_id: &str,
    description: &str,
    returns_policy: &str,
    who: &Who,
) -> Result<(), AppError> {
    let (min, max) = PROFILE_TEXT;
    let description = description.trim();
    let returns_policy = returns_policy.trim();
    let fits = |text: &str| (min as usize..=max as usize).contains(&text.chars().count());
    if !fits(description) {
        return Err(AppError::validation(
            "description",
            Problem::VendorDescriptionLength { min, max },
        ));
    }
    if !fits(returns_policy) {
        return Err(AppError::validation(
            "returns_policy",
            Problem::VendorPolicyLength { min, max },
        ));
    }
    let mut tx = db.begin_write().await.map_err(internal("vendor: begin"))?;
    let vendor = open_vendor(&mut tx, vendor_id).await?;
    vendor_store::set_profile(&mut tx, vendor_id, description, returns_policy)
        .await
        .map_err(internal("vendor: profile"))?;
    audit_trail::record_change(
        &mut tx,
        who,
        "vendor.profile_saved",
        &subject(vendor_id),
        &json!({ "description": vendor.description, "returns_policy": vendor.returns_policy }),
        &json!({ "description": description, "returns_policy": returns_policy }),
    )
    .await
    .map_err(internal("vendor: audit"))?;
    tx.commit().await.map_err(internal("vendor: commit"))
}

/// Keeps an uploaded picture as the open vendor's logo or banner: (key, width, height).
pub async fn save_picture(
    db: &Db,
    vendor_id: &str,
    kind: crate::vendors::VendorPicture,
    (key, width, height): (&str, u32, u32),
    who: &Who,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(internal("vendor: begin"))?;
    let vendor = open_vendor(&mut tx, vendor_id).await?;
    let before = match kind {
        crate::vendors::VendorPicture::Logo => vendor.logo.map(|i| i.key),
        crate::vendors::VendorPicture::Banner => vendor.banner.map(|i| i.key),
    };
    vendor_store::set_picture(&mut tx, vendor_id, kind, key, width, height)
        .await
        .map_err(internal("vendor: picture"))?;
    audit_trail::record_change(
        &mut tx,
        who,
        "vendor.picture_saved",
        &subject(vendor_id),
        &json!({ kind.as_str(): before }),
        &json!({ kind.as_str(): key }),
    )
    .await
    .map_err(internal("vendor: audit"))?;
    tx.commit().await.map_err(internal("vendor: commit"))
}

/// Takes `step` for the vendor as `actor` (with `reason` where the step needs one); returns
/// the new status. A vendor that is rejected or closed loses its team: the members' accounts
/// become shoppers' accounts again (sessions end).
pub async fn take_step(
    db: &Db,
    vendor_id: &str,
    step: VendorStep,
    actor: Actor,
    reason: &str,
    who: &Who,
) -> Result<VendorStatus, AppError> {
    if !step.allowed_to(actor) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if step.needs_reason() && reason.is_empty() {
        return Err(AppError::validation("reason", Problem::VendorReasonMissing));
    }
    if reason.chars().count() > REASON_MAX as usize {
        return Err(AppError::validation(
            "reason",
            Problem::AtMostCharacters { max: REASON_MAX },
        ));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    let mut tx = db.begin_write().await.map_err(internal("vendor: begin"))?;
    let vendor = vendor_store::find(&mut tx, vendor_id)
        .await
        .map_err(internal("vendor: find"))?
        .ok_or(AppError::not_found(Thing::Vendor))?;
    let rules = vendor_rules(&mut tx)
        .await
        .map_err(internal("vendor: rules"))?;
    let to = step
        .from(vendor.status, rules.review_required)
        .ok_or_else(|| AppError::conflict(Problem::VendorStepNotNow))?;
    if step == VendorStep::SubmitForReview {
        let items = checklist(&mut tx, db.vault(), &vendor, rules)
            .await
            .map_err(internal("vendor: checklist"))?;
        if !shop_types::vendor::checklist_complete(&items) {
            return Err(AppError::conflict(Problem::VendorChecklistIncomplete));
        }
    }
    let actor_tag = who
        .user_id
        .as_deref()
        .map_or_else(|| "system".to_owned(), |id| format!("account:{id}"));
    let moved = vendor_store::set_status(&mut tx, vendor_id, vendor.status, to, reason, &actor_tag)
        .await
        .map_err(internal("vendor: status"))?;
    if !moved {
        return Err(AppError::conflict(Problem::VendorStepNotNow));
    }
    let owners = vendor_store::owner_ids(&mut tx, vendor_id)
        .await
        .map_err(internal("vendor: owners"))?;
    if matches!(to, VendorStatus::Rejected | VendorStatus::Closed) {
        let members = vendor_store::remove_members(&mut tx, vendor_id)
            .await
            .map_err(internal("vendor: members"))?;
        for member in members {
            users::set_role(&mut tx, &member, Role::Customer, &[], false)
                .await
                .map_err(internal("vendor: member role"))?;
            sessions::delete_all_for_user(&mut tx, &member)
                .await
                .map_err(internal("vendor: member sessions"))?;
        }
    }
    events::record(
        &mut tx,
        &VendorStatusChanged {
            vendor_id: vendor_id.to_owned(),
            from: Some(vendor.status),
            to,
            reason: reason.map(str::to_owned),
            owners,
        },
    )
    .await
    .map_err(internal("vendor: event"))?;
    audit_trail::record(
        &mut tx,
        who,
        "vendor.status_changed",
        &subject(vendor_id),
        Some(json!({ "status": vendor.status.as_str() })),
        Some(json!({ "status": to.as_str(), "step": step.as_str(), "reason": reason })),
    )
    .await
    .map_err(internal("vendor: audit"))?;
    tx.commit().await.map_err(internal("vendor: commit"))?;
    Ok(to)
}
