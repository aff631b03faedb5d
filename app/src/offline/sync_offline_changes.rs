use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;
use shop_types::offline::{ChangeReport, OfflineChange};

/// Replays changes made offline on this device (called by the service worker when the
/// connection returns). Each change is applied once however often it arrives; the answer has
/// one report per change, in order. Cart changes go to the caller's cart (made if needed);
/// favourites to the account, or to the guest's favourites cookie.
#[server(endpoint = "offline/sync", input = Json)]
pub async fn sync_offline_changes(
    changes: Vec<OfflineChange>,
) -> Result<Vec<ChangeReport>, AppError> {
    use super::offline_sync::{self, MAX_BATCH, needs_cart};
    use crate::catalog::favourites::store::{GUEST_COOKIE, update_guest_list};
    use crate::identity::auth::{cookie_value, current_session, set_cookie};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::offline::{ChangeOutcome, OfflineAction};

    let state = app_state()?;
    if changes.len() > MAX_BATCH {
        return Err(AppError::validation(
            "changes",
            Problem::TooManyChanges {
                max: MAX_BATCH as u32,
            },
        ));
    }
    if let Some(bad) = changes.iter().find(|c| !c.id_is_valid()) {
        return Err(AppError::validation(
            "changes",
            Problem::ChangeIdInvalid { id: bad.id.clone() },
        ));
    }
    let cart = if changes.iter().any(needs_cart) {
        crate::cart::owner::caller_cart(&state, true).await?
    } else {
        None
    };
    let session = current_session(&state).await?;
    let mut guest_favourites = cookie_value(&state, GUEST_COOKIE).unwrap_or_default();
    let mut guest_changed = false;
    let mut reports = Vec::with_capacity(changes.len());
    for change in &changes {
        let report = match &change.action {
            OfflineAction::CartAdd {
                variant_id,
                quantity,
                seen_price,
            } => {
                let cart = cart
                    .as_deref()
                    .ok_or_else(|| internal("offline sync: cart")("no cart"))?;
                offline_sync::apply_cart_add(
                    &state.db,
                    cart,
                    change,
                    variant_id,
                    *quantity,
                    *seen_price,
                )
                .await
                .map_err(internal("offline sync: cart add"))?
            }
            OfflineAction::Favourite { product_id, save } => match &session {
                Some(session) => offline_sync::apply_favourite(
                    &state.db,
                    &session.user.id,
                    change,
                    product_id,
                    *save,
                )
                .await
                .map_err(internal("offline sync: favourite"))?,
                None => {
                    // A cookie list is a set: applying the same change twice changes nothing.
                    let valid = shop_types::PublicId::parse(product_id.trim()).is_ok();
                    if valid {
                        guest_favourites =
                            update_guest_list(&guest_favourites, product_id.trim(), *save);
                        guest_changed = true;
                    }
                    ChangeReport {
                        id: change.id.clone(),
                        subject: "A favourite".into(),
                        outcome: if valid {
                            ChangeOutcome::Applied
                        } else {
                            ChangeOutcome::Refused {
                                problem: Problem::NoLongerSold,
                            }
                        },
                    }
                }
            },
        };
        reports.push(report);
    }
    if guest_changed {
        set_cookie(&state, GUEST_COOKIE, &guest_favourites, 180 * 24 * 3600);
    }
    Ok(reports)
}
