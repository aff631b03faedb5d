//! Who may act for a vendor: the one check every vendor server function starts with. The
//! vendor is never taken from the request: it is the caller's own membership, so no id in a
//! form can reach another vendor's data.

use super::vendor_store;
use super::views::VendorRow;
use crate::identity::auth::{Access, authorize};
use crate::identity::sessions::Session;
use crate::platform::errors::internal;
use crate::platform::state::AppState;
use shop_types::vendor::VendorArea;
use shop_types::{AppError, Role, VendorRole};

/// A signed-in member of a vendor's team, allowed into the area asked for.
pub struct VendorCaller {
    pub session: Session,
    pub vendor: VendorRow,
    pub role: VendorRole,
}

/// The caller as a member of their vendor with a role that opens `area`: anonymous callers
/// get `Unauthorized`; other accounts, and members whose role does not open the area,
/// `Forbidden`.
pub async fn vendor_caller(state: &AppState, area: VendorArea) -> Result<VendorCaller, AppError> {
    let session = authorize(state, Access::Role(&[Role::Vendor])).await?;
    let mut conn = state.conn("vendor scope: acquire").await?;
    let (vendor, role) = vendor_store::membership(&mut conn, &session.user.id)
        .await
        .map_err(internal("vendor scope: membership"))?
        .ok_or(AppError::Forbidden)?;
    if !role.may(area) {
        return Err(AppError::Forbidden);
    }
    Ok(VendorCaller {
        session,
        vendor,
        role,
    })
}
