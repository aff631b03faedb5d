use leptos::prelude::*;
use shop_types::AppError;

/// Records the shopper's consent to receive the newsletter.
///
/// Answers the same whether or not the address was already subscribed, so the form cannot be
/// used to find out who is a customer. A plain form post (no JavaScript) is sent on to
/// `/newsletter/subscribed`.
#[server(endpoint = "newsletter/subscribe")]
pub async fn subscribe_newsletter(email: String) -> Result<(), AppError> {
    use crate::platform::{errors::internal, forms::redirect_after_form_post, state::app_state};
    use shop_types::Email;

    let email = Email::parse(&email).map_err(|e| AppError::validation("email", e))?;
    let state = app_state()?;
    super::newsletter_service::subscribe(&state.db, &email, "storefront_footer")
        .await
        .map_err(internal("newsletter: subscribe"))?;
    redirect_after_form_post("/newsletter/subscribed");
    Ok(())
}
