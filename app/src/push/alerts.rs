//! Who is told what by push: each alert finds the devices to tell and queues the message (from
//! `templates`) in the transaction of the reaction or cause that sends it.

use super::push_service::{notify_everyone, notify_favourites, notify_user};
use crate::platform::clock::now;
use crate::search::documents::ON_SALE;
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
    let message = super::templates::order_status(order.id, order.number, to, detail);
    notify_user(tx, user, PushTopic::OrderStatus, &message, Some(once)).await?;
    Ok(())
}

/// A variant became available again: tell the accounts that keep its product as a favourite,
/// once per product and day.
pub async fn back_in_stock(tx: &mut AnyConnection, variant_id: &str) -> Result<(), sqlx::Error> {
    let product: Option<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.slug FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.id = $1 AND {ON_SALE}"
    ))
    .bind(variant_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, title, slug)) = product else {
        return Ok(());
    };
    let message = super::templates::back_in_stock(&id, &title, &slug);
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
    let product: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT p.title, p.slug FROM products p WHERE p.id = $1 AND {ON_SALE}"
    ))
    .bind(product_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((title, slug)) = product else {
        return Ok(());
    };
    let currency = crate::store::queries::store_currency(tx)
        .await
        .unwrap_or(Currency::EUR);
    let message = super::templates::price_dropped(
        product_id,
        &title,
        &slug,
        Money::new(was, currency),
        Money::new(now_minor, currency),
    );
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
