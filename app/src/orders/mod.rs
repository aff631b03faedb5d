//! Orders: numbered (`numbers`; placing one from a checkout is `checkout::placement`), their
//! life afterwards (`lifecycle`, checked by
//! `status_rules`: paid, packed, shipped, delivered, cancelled, refunded, returned, each
//! recorded and mailed), who may open it (`access`, guests by a keyed link from `links`), its
//! pages (order, history, printable invoice) and the staff endpoints to move it on.

mod add_order_note;
mod admin_orders_page;
mod cancel_order;
mod fulfil_order;
mod get_order;
mod get_order_workbench;
mod invoice_page;
mod list_my_orders;
mod list_orders;
mod mark_order_paid;
mod order_history_page;
mod order_page;
mod pay_order;
mod refund_order;
mod request_return;
pub mod staff_views;
mod update_order_status;
pub mod views;

pub use add_order_note::{AddOrderNote, add_order_note};
pub use admin_orders_page::{AdminOrderPage, AdminOrdersPage};
pub use cancel_order::{CancelOrder, cancel_order};
pub use fulfil_order::{FulfilOrder, fulfil_order};
pub use get_order::{GetOrder, get_order};
pub use get_order_workbench::{GetOrderWorkbench, get_order_workbench};
pub use invoice_page::InvoicePage;
pub use list_my_orders::{ListMyOrders, list_my_orders};
pub use list_orders::{AdminOrderRow, ListOrders, list_orders};
pub use mark_order_paid::{MarkOrderPaid, mark_order_paid};
pub use order_history_page::OrderHistoryPage;
pub use order_page::OrderPage;
pub use pay_order::{PayOrder, pay_order};
pub use refund_order::{RefundOrder, refund_order};
pub use request_return::{RequestReturn, request_return};
pub use update_order_status::{UpdateOrderStatus, update_order_status};
pub use views::{OrderEventView, OrderLineView, OrderSummary, OrderView};

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod demo_orders;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod fulfilment;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod numbers;
#[cfg(feature = "ssr")]
pub mod order_facts;
#[cfg(feature = "ssr")]
pub mod order_list;
#[cfg(feature = "ssr")]
pub mod order_queries;
#[cfg(feature = "ssr")]
pub mod order_store;
#[cfg(feature = "ssr")]
pub mod payment_port;
pub mod status_rules;
#[cfg(feature = "ssr")]
pub mod workbench;

/// The order's page for whoever holds its key (the key is harmless to its owner).
#[cfg(feature = "ssr")]
pub async fn order_url(
    state: &crate::platform::state::AppState,
    order_id: &str,
) -> Result<String, shop_types::AppError> {
    let key = links::link_key(&state.db, order_id)
        .await
        .map_err(crate::platform::errors::internal("orders: link"))?;
    Ok(format!("/orders/{order_id}?key={key}"))
}
