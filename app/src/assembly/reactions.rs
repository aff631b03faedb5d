//! Which domain reacts to which event: the one place that connects causes to consequences, so
//! the domain that records an event never imports the ones that follow it (see
//! `platform::events`). The server and tests register the same reactions.

use crate::catalog::events::{BackInStock, PriceDropped};
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry};

/// Subscribes every reaction.
pub fn subscribe(registry: &mut JobRegistry) {
    // Shoppers who keep the product among their favourites and chose restock messages.
    registry.subscribe("push", |ctx: JobContext, event: BackInStock| async move {
        let retry = |e: sqlx::Error| JobFailure::retry(e.to_string());
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        crate::push::alerts::back_in_stock(&mut tx, &event.variant_id)
            .await
            .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });
    // The same shoppers, when the product became cheaper (once per product and day).
    registry.subscribe("push", |ctx: JobContext, event: PriceDropped| async move {
        let retry = |e: sqlx::Error| JobFailure::retry(e.to_string());
        let mut tx = ctx.db.begin_write().await.map_err(retry)?;
        crate::push::alerts::price_dropped(&mut tx, &event.product_id, event.was, event.now)
            .await
            .map_err(retry)?;
        tx.commit().await.map_err(retry)
    });
}
