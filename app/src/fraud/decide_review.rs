use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Staff decide a held order: `decision` "approve" (released for packing) or "reject"
/// (cancelled; paid money refunded, stock given back). Audited either way.
#[server(endpoint = "admin/risk/decide")]
pub async fn decide_review(id: String, decision: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::orders::lifecycle::OrderError;
    use crate::orders::payment_port::PaymentPort;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::{Permission, PublicId};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageOrders)).await?;
    let id = PublicId::parse(id.trim())
        .map_err(|_| AppError::not_found(Thing::Order))?
        .to_string();
    let who = who(&session);
    match decision.trim() {
        "approve" => super::review::approve(&state.db, &id, &who).await,
        "reject" => super::review::reject(&state.db, PaymentPort::of(&state), &id, &who).await,
        _ => {
            return Err(AppError::validation(
                "decision",
                Problem::ReviewDecisionUnknown,
            ));
        }
    }
    .map_err(OrderError::into_app_error)?;
    // The cancellation mail or refund notice goes out now, not at the next poll.
    state.jobs.wake();
    redirect_after_form_post(&format!("{}?decided={id}", shop_types::paths::RISK_REVIEW));
    Ok(())
}
