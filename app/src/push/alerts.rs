//! The push messages the shop sends, each written in the transaction of the reaction (or the
//! cause) that sends it.

use super::push_service::{notify_everyone, notify_favourites, notify_user};
use crate::platform::clock::now;
use shop_types::offline::{PushMessage, PushTopic};
use shop_types::{Currency, Money, OrderStatus, StatusDetail, Timestamp};
use sqlx::AnyConnection;

/// The order a status message is about.
#[derive(Clone, Copy, Debug)]
pub struct OrderRef<'a> {
    pub id: &'a str,
    pub number: i64,
    /// The account that placed it; guests get no push messages.
    pub user_id: Option<&'a str>,
}

/// An account's order changed status ("Order 1042: Shipped"). `once` names the cause, so a
/// repeated call sends nothing twice.
pub async fn order_status(
    tx: &mut AnyConnection,
    order: OrderRef<'_>,
    to: OrderStatus,
    detail: &StatusDetail,
    once: &str,
) -> Result<(), sqlx::Error> {
    let Some(user) = order.user_id else {
        return Ok(());
    };
    let detail = shop_types::messages::en::status_detail(detail);
    let body = if detail.is_empty() {
        format!("Your order is now {}.", to.label().to_lowercase())
    } else {
        detail
    };
    let message = PushMessage {
        title: format!("Order {}: {}", order.number, to.label()),
        body,
        url: format!("/orders/{}", order.id),
        tag: format!("order-{}", order.id),
    };
    notify_user(tx, user, PushTopic::OrderStatus, &message, Some(once)).await?;
    Ok(())
}

/// A variant became available again: tell the accounts that keep its product as a favourite,
/// once per product and day.
pub async fn back_in_stock(tx: &mut AnyConnection, variant_id: &str) -> Result<(), sqlx::Error> {
    let product: Option<(String, String, String)> = sqlx::query_as(
        "SELECT p.id, p.title, p.slug FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.id = $1 AND p.status = 'active'",
    )
    .bind(variant_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, title, slug)) = product else {
        return Ok(());
    };
    let message = PushMessage {
        title: format!("{title} is back in stock"),
        body: "One of your favourites can be ordered again.".into(),
        url: format!("/products/{slug}"),
        tag: format!("stock-{id}"),
    };
    let day = now().millis() / Timestamp::DAY;
    notify_favourites(
        tx,
        &id,
        PushTopic::BackInStock,
        &message,
        &format!("restock:{id}:{day}"),
    )
    .await?;
    Ok(())
}

/// A product's lowest price fell from `was` to `now_minor`: tell the accounts that keep it as a
/// favourite (once per product, day and new price).
pub async fn price_dropped(
    tx: &mut AnyConnection,
    product_id: &str,
    was: i64,
    now_minor: i64,
) -> Result<(), sqlx::Error> {
    if now_minor >= was {
        return Ok(());
    }
    let product: Option<(String, String)> =
        sqlx::query_as("SELECT title, slug FROM products WHERE id = $1 AND status = 'active'")
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((title, slug)) = product else {
        return Ok(());
    };
    let currency = crate::store::queries::store_currency(tx)
        .await
        .unwrap_or(Currency::EUR);
    let message = PushMessage {
        title: format!("{title} now costs less"),
        body: format!(
            "From {} to {}.",
            Money::new(was, currency),
            Money::new(now_minor, currency)
        ),
        url: format!("/products/{slug}"),
        tag: format!("price-{product_id}"),
    };
    let day = now().millis() / Timestamp::DAY;
    notify_favourites(
        tx,
        product_id,
        PushTopic::PriceDrop,
        &message,
        &format!("price:{product_id}:{day}:{now_minor}"),
    )
    .await?;
    Ok(())
}

/// A promotion for everyone who opted in to offers.
pub async fn promotion(
    tx: &mut AnyConnection,
    message: &PushMessage,
) -> Result<usize, sqlx::Error> {
    notify_everyone(tx, PushTopic::Promotions, message).await
}
