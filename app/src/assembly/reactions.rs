//! Which domain reacts to which event: the one place that connects causes to consequences, so
//! the domain that records an event never imports the ones that follow it (see
//! `platform::events`). The server and tests register the same reactions.
//!
//! Each reaction runs in its own transaction and is keyed by its job id (`once`), so a
//! reaction that runs twice (at-least-once delivery) queues its mail or push message once.

use crate::catalog::events::{BackInStock, PriceDropped};
use crate::email::outbox;
use crate::email::templates::{self, ConfirmationFacts, MailLine};
use crate::orders::events::{OrderConfirmed, StatusChanged};
use crate::orders::lifecycle::OrderMail;
use crate::orders::links;
use crate::orders::order_facts::{self, Confirmation};
use crate::platform::audit_trail::Entry as AuditEntry;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry};
use shop_types::{Currency, Money, PaymentMethod};

fn retry(e: sqlx::Error) -> JobFailure {
    JobFailure::retry(e.to_string())
}

/// Subscribes every reaction. `mail` is what order mails need to know about the shop.
pub fn subscribe(registry: &mut JobRegistry, mail: OrderMail) {
    // Shoppers who keep the product among their favourites and chose restock messages.
    registry.subscribe("push", |ctx: JobContext, event: BackInStock| async move {
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        crate::push::alerts::back_in_stock(&mut tx, &event.variant_id)
            .await
            .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });
    // The same shoppers, when the product became cheaper (once per product and day).
    registry.subscribe("push", |ctx: JobContext, event: PriceDropped| async move {
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        crate::push::alerts::price_dropped(&mut tx, &event.product_id, event.was, event.now)
            .await
            .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });

    // The audit log keeps every staff action and security event, in the order they arrive.
    registry.subscribe("audit", |ctx: JobContext, entry: AuditEntry| async move {
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        crate::audit::store::append(&mut tx, ctx.db.engine(), &entry)
            .await
            .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });

    // Every consent given or withdrawn is kept with the words agreed to.
    registry.subscribe(
        "privacy",
        |ctx: JobContext, change: crate::platform::consent_trail::ConsentChange| async move {
            let mut tx = ctx.db.begin_write().await.map_err(retry)?;
            crate::privacy::consents::append(&mut tx, ctx.db.vault(), &change)
                .await
                .map_err(retry)?;
            tx.commit().await.map_err(retry)
        },
    );

    // The checkout forgets the coupon the order used.
    registry.subscribe(
        "checkout",
        |ctx: JobContext, event: OrderConfirmed| async move {
            let mut tx = ctx.db.begin_write().await.map_err(retry)?;
            let cart = order_facts::core(&mut tx, &event.order_id)
                .await
                .map_err(retry)?
                .and_then(|order| order.cart_id);
            if let Some(cart) = cart {
                crate::checkout::checkout_service::forget_coupon(&mut tx, &cart)
                    .await
                    .map_err(retry)?;
            }
            tx.commit().await.map_err(retry)
        },
    );
    // A seller approved, or no longer approved: its products appear in or leave listings,
    // search and the storefront (the index follows products' `updated_at`).
    registry.subscribe(
        "catalog",
        |ctx: JobContext, event: crate::vendors::events::VendorStatusChanged| async move {
            let approved = shop_types::VendorStatus::Approved;
            if event.from != Some(approved) && event.to != approved {
                return Ok(());
            }
            let mut tx = ctx.db.begin_write().await.map_err(retry)?;
            crate::catalog::product_store::touch_vendor(
                &mut tx,
                &event.vendor_id,
                crate::platform::clock::now().millis(),
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        },
    );
    // A vendor's owners hear of every change of its status.
    let vendor_mail = mail.clone();
    registry.subscribe(
        "email",
        move |ctx: JobContext, event: crate::vendors::events::VendorStatusChanged| {
            let mail = vendor_mail.clone();
            async move { mail_vendor_status(&ctx, &mail, &event).await.map_err(retry) }
        },
    );

    // The customer's "thank you for your order" mail.
    let confirmation_mail = mail.clone();
    registry.subscribe("email", move |ctx: JobContext, event: OrderConfirmed| {
        let mail = confirmation_mail.clone();
        async move {
            mail_confirmation(&ctx, &mail, &event.order_id)
                .await
                .map_err(retry)
        }
    });
    // "Your order is now …": a mail to the customer, and a push message to their devices.
    registry.subscribe("email", move |ctx: JobContext, event: StatusChanged| {
        let mail = mail.clone();
        async move { mail_status(&ctx, &mail, &event).await.map_err(retry) }
    });
    registry.subscribe("push", |ctx: JobContext, event: StatusChanged| async move {
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        let Some(order) = order_facts::core(&mut tx, &event.order_id)
            .await
            .map_err(retry)?
        else {
            return Ok(());
        };
        crate::push::alerts::order_status(
            &mut tx,
            crate::push::alerts::OrderRef {
                id: &order.id,
                number: order.number,
                user_id: order.user_id.as_deref(),
            },
            event.to,
            &event.detail,
            &ctx.job_id,
        )
        .await
        .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });
}

async fn mail_confirmation(
    ctx: &JobContext,
    mail: &OrderMail,
    order_id: &str,
) -> Result<(), sqlx::Error> {
    let key = links::link_key(&ctx.db, order_id).await?;
    let mut tx = ctx.db.begin_write().await?;
    let order = Confirmation::load(&mut tx, ctx.db.vault(), order_id).await?;
    // Read now: a shop renamed in Settings signs the next mail with its new name.
    let store = crate::store::queries::current(&mut tx).await?.name;
    // The currency was checked when the order was placed.
    let currency = Currency::parse(&order.currency).unwrap_or(Currency::EUR);
    let lines: Vec<MailLine> = order
        .lines
        .iter()
        .map(|(what, quantity, total)| MailLine {
            what: what.clone(),
            quantity: *quantity,
            total: Money::new(*total, currency),
        })
        .collect();
    let link = mail.link(order_id, &key);
    let facts = ConfirmationFacts {
        number: order.number,
        lines: &lines,
        total: Money::new(order.total, currency),
        bank_details: mail
            .bank_details
            .as_deref()
            .filter(|_| order.method == PaymentMethod::BankTransfer),
        pay_by: order.pay_by.map(shop_types::Timestamp),
        link: &link,
    };
    let email = templates::order_confirmation(&store, &order.email, &facts);
    outbox::queue_once(&mut *tx, ctx.db.vault(), &email, &ctx.job_id).await?;
    tx.commit().await
}

async fn mail_status(
    ctx: &JobContext,
    mail: &OrderMail,
    event: &StatusChanged,
) -> Result<(), sqlx::Error> {
    let key = links::link_key(&ctx.db, &event.order_id).await?;
    let mut tx = ctx.db.begin_write().await?;
    let Some(order) = order_facts::core(&mut tx, &event.order_id).await? else {
        return Ok(());
    };
    let store = crate::store::queries::current(&mut tx).await?.name;
    let to = order_facts::email(&mut tx, ctx.db.vault(), &order.id).await?;
    if to.is_empty() {
        // The customer was erased: nobody to tell.
        return Ok(());
    }
    let email = templates::order_status(
        &store,
        &to,
        order.number,
        event.to,
        &event.detail,
        &mail.link(&order.id, &key),
    );
    outbox::queue_once(&mut *tx, ctx.db.vault(), &email, &ctx.job_id).await?;
    tx.commit().await
}

async fn mail_vendor_status(
    ctx: &JobContext,
    mail: &OrderMail,
    event: &crate::vendors::events::VendorStatusChanged,
) -> Result<(), sqlx::Error> {
    let mut tx = ctx.db.begin_write().await?;
    let Some(vendor) = crate::vendors::vendor_store::find(&mut tx, &event.vendor_id).await? else {
        return Ok(());
    };
    let store = crate::store::queries::current(&mut tx).await?.name;
    let rules = crate::store::queries::vendor_rules(&mut tx).await?;
    let link = format!("{}{}", mail.public_url, shop_types::paths::VENDOR);
    for (n, owner) in event.owners.iter().enumerate() {
        // An owner erased meanwhile is not written to.
        let Some(user) = crate::identity::users::find_by_id(&mut tx, ctx.db.vault(), owner).await?
        else {
            continue;
        };
        let email = templates::vendor_status(
            &store,
            &user.email,
            &vendor.name,
            event.to,
            rules.review_required,
            event.reason.as_deref(),
            &link,
        );
        outbox::queue_once(
            &mut *tx,
            ctx.db.vault(),
            &email,
            &format!("{}:{n}", ctx.job_id),
        )
        .await?;
    }
    tx.commit().await
}
