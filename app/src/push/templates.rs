//! The push messages the shop sends, each from facts (like `email::templates` for mails): the
//! one place their words are written. Links are the shop's own paths.

use shop_types::offline::PushMessage;
use shop_types::{Money, OrderStatus, StatusDetail};

/// "Order 1042: Shipped", with what the customer is told beside the status.
pub fn order_status(
    order_id: &str,
    number: i64,
    to: OrderStatus,
    detail: &StatusDetail,
) -> PushMessage {
    let detail = shop_types::messages::en::status_detail(detail);
    let body = if detail.is_empty() {
        format!("Your order is now {}.", to.label().to_lowercase())
    } else {
        detail
    };
    PushMessage {
        title: format!("Order {number}: {}", to.label()),
        body,
        url: format!("/orders/{order_id}"),
        tag: format!("order-{order_id}"),
    }
}

/// A favourite can be ordered again.
pub fn back_in_stock(product_id: &str, title: &str, slug: &str) -> PushMessage {
    PushMessage {
        title: format!("{title} is back in stock"),
        body: "One of your favourites can be ordered again.".into(),
        url: format!("/products/{slug}"),
        tag: format!("stock-{product_id}"),
    }
}

/// A favourite became cheaper.
pub fn price_dropped(
    product_id: &str,
    title: &str,
    slug: &str,
    was: Money,
    now: Money,
) -> PushMessage {
    PushMessage {
        title: format!("{title} now costs less"),
        body: format!("From {was} to {now}."),
        url: format!("/products/{slug}"),
        tag: format!("price-{product_id}"),
    }
}
