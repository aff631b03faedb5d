use super::admin_views::EmailPreview;
use leptos::prelude::*;
use shop_types::AppError;

/// Every mail the shop sends, rendered with sample values, to check wording and layout. Each
/// mail's HTML is its own document ([`mail_preview`]), linked from the page: a mail styles
/// itself with `style` attributes, which the console's policy rightly refuses.
#[server(endpoint = "admin/settings/emails")]
pub async fn preview_emails() -> Result<Vec<EmailPreview>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::state::app_state;

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    Ok(samples(&state)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, (name, m))| EmailPreview {
            name: name.into(),
            subject: m.subject,
            text: m.text,
            frame: shop_types::paths::email_preview(i),
        })
        .collect())
}

/// The HTML of the `index`-th sample mail for a caller allowed to manage settings (the request's
/// headers carry the session); `None` if there is no such sample.
#[cfg(feature = "ssr")]
pub async fn mail_preview(
    state: &crate::platform::state::AppState,
    headers: &axum::http::HeaderMap,
    index: usize,
) -> Result<Option<String>, AppError> {
    use crate::identity::auth::{Access, authorize_headers};
    authorize_headers(
        state,
        headers,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    Ok(samples(state)
        .await?
        .into_iter()
        .nth(index)
        .map(|(_, m)| m.html))
}

/// Every mail the shop sends, with sample values, named.
#[cfg(feature = "ssr")]
async fn samples(
    state: &crate::platform::state::AppState,
) -> Result<Vec<(&'static str, crate::email::templates::OutgoingEmail)>, AppError> {
    use crate::email::templates as t;
    use shop_types::{Currency, Money, OrderStatus, StatusDetail};

    let store = {
        let mut conn = state.conn("emails: acquire").await?;
        crate::store::queries::default_store(&mut conn)
            .await
            .map_err(crate::platform::errors::internal("emails: store"))?
            .map(|s| s.name)
            .unwrap_or_else(|| "Shop".into())
    };
    let base = &state.config.public_url;
    let to = "customer@example.com";
    let link = |path: &str| format!("{base}{path}");
    let mails = [
        (
            "Confirm your e-mail address",
            t::verify_email(&store, to, &link("/account/confirm?token=sample"), 48),
        ),
        (
            "Someone tried to register with your address",
            t::already_registered(&store, to, &link("/account/sign-in")),
        ),
        (
            "Password reset",
            t::password_reset(&store, to, &link("/account/reset?token=sample"), 60),
        ),
        (
            "Confirm a new e-mail address",
            t::confirm_new_email(
                &store,
                to,
                &link("/account/confirm-new-email?token=sample"),
                48,
            ),
        ),
        (
            "Sign-in from a new browser",
            t::new_device_sign_in(
                &store,
                to,
                "Firefox on Linux",
                "2026-11-30 09:41 UTC",
                "203.0.113.7",
                &link("/account/secure?token=sample"),
                24,
            ),
        ),
        (
            "Order confirmation (bank transfer)",
            t::order_confirmation(
                &store,
                to,
                &t::ConfirmationFacts {
                    number: 1001,
                    lines: &[
                        t::MailLine {
                            what: "Linen Shirt (M)".into(),
                            quantity: 2,
                            total: Money::new(9980, Currency::EUR),
                        },
                        t::MailLine {
                            what: "Canvas Sneaker (EU 42)".into(),
                            quantity: 1,
                            total: Money::new(3000, Currency::EUR),
                        },
                    ],
                    total: Money::new(12980, Currency::EUR),
                    bank_details: Some("IBAN DE02 1203 0000 0000 2020 51"),
                    pay_by: Some(shop_types::Timestamp(
                        crate::platform::clock::now().millis() + 14 * shop_types::Timestamp::DAY,
                    )),
                    link: &link("/orders/sample"),
                },
            ),
        ),
        (
            "Order status: shipped",
            t::order_status(
                &store,
                to,
                1001,
                OrderStatus::Shipped,
                &StatusDetail::Shipped {
                    carrier: "DHL".into(),
                    tracking: "00340434161234567890".into(),
                },
                &link("/orders/sample"),
            ),
        ),
    ];
    Ok(mails.into())
}
