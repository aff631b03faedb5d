use super::admin_views::EmailPreview;
use leptos::prelude::*;
use shop_types::AppError;

/// Every mail the shop sends, rendered with sample values, to check wording and layout.
#[server(endpoint = "admin/settings/emails")]
pub async fn preview_emails() -> Result<Vec<EmailPreview>, AppError> {
    use crate::email::templates as t;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::state::app_state;
    use shop_types::{Currency, Money, OrderStatus, StatusDetail};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
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
    Ok(mails
        .into_iter()
        .map(|(name, m)| EmailPreview {
            name: name.into(),
            subject: m.subject,
            text: m.text,
            html: body_of(&m.html),
        })
        .collect())
}

/// The inside of a mail's `<body>`, for showing it within a page (no second document head).
#[cfg(feature = "ssr")]
fn body_of(html: &str) -> String {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let end = html.rfind("</body>");
    match (start, end) {
        // The mail's own heading would break the page's heading order: it shows as a paragraph.
        (Some(s), Some(e)) if s <= e => html[s..e].replace("<h1", "<p").replace("</h1>", "</p>"),
        _ => html.to_owned(),
    }
}
