//! A vendor's team: the owner invites people by e-mail with a role ([`invite`]: a mailed link,
//! valid for 7 days, for that address only), an invited shopper joins with it ([`join`]: the
//! account becomes a vendor account, so its sessions end and the next sign-in asks for two
//! steps), and an owner removes members ([`remove`]; the seller keeps at least one owner).
//! Each change is audited on the vendor.

use super::vendor_store;
use super::views::{Team, TeamMember};
use crate::email::{outbox, templates};
use crate::identity::users::User;
use crate::identity::{sessions, users};
use crate::platform::audit_trail::{self, Who};
use crate::platform::db::Db;
use crate::platform::errors::internal;
use crate::platform::secrets::new_secret;
use serde_json::json;
use shop_types::{AppError, Email, Problem, Role, Thing, Timestamp, VendorRole};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// Most invitations waiting at once per vendor.
pub const MAX_PENDING: u32 = 20;

fn subject(vendor_id: &str) -> String {
    format!("vendor:{vendor_id}")
}

/// The vendor's members (with their addresses) and the invitations still waiting.
pub async fn team(db: &Db, vendor_id: &str) -> Result<Team, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    let mut members = Vec::new();
    for (user_id, role, added_at) in vendor_store::members(&mut conn, vendor_id).await? {
        if let Some(user) = users::find_by_id(&mut conn, db.vault(), &user_id).await? {
            members.push(TeamMember {
                user_id,
                email: user.email,
                name: user.name,
                role,
                added_at,
            });
        }
    }
    let invited = vendor_store::pending_invitations(&mut conn, db.vault(), vendor_id).await?;
    Ok(Team { members, invited })
}

/// Invites `email` to the vendor's team as `role` and mails the link.
pub async fn invite(
    db: &Db,
    vendor_id: &str,
    email: &Email,
    role: VendorRole,
    who: &Who,
    public_url: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(internal("team: begin"))?;
    let vendor = vendor_store::find(&mut tx, vendor_id)
        .await
        .map_err(internal("team: vendor"))?
        .ok_or(AppError::not_found(Thing::Vendor))?;
    if !vendor.status.open() {
        return Err(AppError::conflict(Problem::VendorStepNotNow));
    }
    let pending = vendor_store::pending_invitations(&mut tx, db.vault(), vendor_id)
        .await
        .map_err(internal("team: pending"))?;
    if pending.len() >= MAX_PENDING as usize {
        return Err(AppError::conflict(Problem::VendorInvitationsFull {
            max: MAX_PENDING,
        }));
    }
    if let Some(user) = users::find_by_email(&mut tx, db.vault(), email.as_str())
        .await
        .map_err(internal("team: account"))?
    {
        let member = vendor_store::membership(&mut tx, &user.id)
            .await
            .map_err(internal("team: membership"))?;
        if member.is_some_and(|(v, _)| v.id == vendor_id) {
            return Err(AppError::validation("email", Problem::VendorMemberAlready));
        }
    }
    let token = new_secret();
    vendor_store::invite(
        &mut tx,
        db.vault(),
        vendor_id,
        email.as_str(),
        role,
        &format!("account:{}", who.user_id.as_deref().unwrap_or("system")),
        &token,
        INVITATION_DAYS * Timestamp::DAY,
    )
    .await
    .map_err(internal("team: invite"))?;
    let store = crate::store::queries::current(&mut tx)
        .await
        .map_err(internal("team: store"))?
        .name;
    let link = format!(
        "{public_url}{}?token={token}",
        shop_types::paths::VENDOR_JOIN
    );
    let mail = templates::vendor_invitation(
        &store,
        email.as_str(),
        &vendor.name,
        role,
        &link,
        INVITATION_DAYS,
    );
    outbox::queue(&mut *tx, db.vault(), &mail)
        .await
        .map_err(internal("team: mail"))?;
    audit_trail::record(
        &mut tx,
        who,
        "vendor.member_invited",
        &subject(vendor_id),
        None,
        // The address stays out of the log: its blind index would be enough to follow it.
        Some(json!({ "role": role.as_str() })),
    )
    .await
    .map_err(internal("team: audit"))?;
    tx.commit().await.map_err(internal("team: commit"))
}

/// The signed-in `user` joins the team the invitation behind `token` names; returns the
/// vendor's name. The account must be a shopper's, of the invited address, in no other team.
pub async fn join(db: &Db, user: &User, token: &str) -> Result<String, AppError> {
    let mut tx = db.begin_write().await.map_err(internal("team: begin"))?;
    let invitation = vendor_store::open_invitation(&mut tx, token.trim())
        .await
        .map_err(internal("team: invitation"))?
        .ok_or_else(|| AppError::conflict(Problem::VendorInvitationInvalid))?;
    if db.vault().email_index(&user.email) != invitation.email_index {
        return Err(AppError::conflict(Problem::VendorInvitationOtherAddress));
    }
    let elsewhere = vendor_store::membership(&mut tx, &user.id)
        .await
        .map_err(internal("team: membership"))?
        .is_some();
    if user.role != Role::Customer || elsewhere {
        return Err(AppError::conflict(Problem::VendorMemberElsewhere));
    }
    let vendor = vendor_store::find(&mut tx, &invitation.vendor_id)
        .await
        .map_err(internal("team: vendor"))?
        .filter(|v| v.status.open())
        .ok_or_else(|| AppError::conflict(Problem::VendorInvitationInvalid))?;
    if !vendor_store::use_invitation(&mut tx, &invitation.token_hash)
        .await
        .map_err(internal("team: use"))?
    {
        return Err(AppError::conflict(Problem::VendorInvitationInvalid));
    }
    vendor_store::add_member(&mut tx, &vendor.id, &user.id, invitation.role)
        .await
        .map_err(internal("team: add"))?;
    users::set_role(&mut tx, &user.id, Role::Vendor, &[], false)
        .await
        .map_err(internal("team: role"))?;
    sessions::delete_all_for_user(&mut tx, &user.id)
        .await
        .map_err(internal("team: sessions"))?;
    audit_trail::record(
        &mut tx,
        &Who::account(&user.id, &user.email),
        "vendor.member_joined",
        &subject(&vendor.id),
        None,
        Some(json!({ "user_id": user.id, "role": invitation.role.as_str() })),
    )
    .await
    .map_err(internal("team: audit"))?;
    tx.commit().await.map_err(internal("team: commit"))?;
    Ok(vendor.name)
}

/// Removes `user_id` from the vendor's team (an owner's act, never on themselves); the account
/// becomes a shopper's again and its sessions end.
pub async fn remove(db: &Db, vendor_id: &str, user_id: &str, by: &Who) -> Result<(), AppError> {
    if by.user_id.as_deref() == Some(user_id) {
        return Err(AppError::conflict(Problem::VendorRemoveSelf));
    }
    let mut tx = db.begin_write().await.map_err(internal("team: begin"))?;
    let members = vendor_store::members(&mut tx, vendor_id)
        .await
        .map_err(internal("team: members"))?;
    let Some((_, role, _)) = members.iter().find(|(id, _, _)| id == user_id) else {
        return Err(AppError::not_found(Thing::Item));
    };
    let owners = members
        .iter()
        .filter(|(_, r, _)| *r == VendorRole::Owner)
        .count();
    if *role == VendorRole::Owner && owners < 2 {
        return Err(AppError::conflict(Problem::VendorLastOwner));
    }
    vendor_store::remove_member(&mut tx, vendor_id, user_id)
        .await
        .map_err(internal("team: remove"))?;
    users::set_role(&mut tx, user_id, Role::Customer, &[], false)
        .await
        .map_err(internal("team: role"))?;
    sessions::delete_all_for_user(&mut tx, user_id)
        .await
        .map_err(internal("team: sessions"))?;
    audit_trail::record(
        &mut tx,
        by,
        "vendor.member_removed",
        &subject(vendor_id),
        Some(json!({ "user_id": user_id, "role": role.as_str() })),
        None,
    )
    .await
    .map_err(internal("team: audit"))?;
    tx.commit().await.map_err(internal("team: commit"))
}
