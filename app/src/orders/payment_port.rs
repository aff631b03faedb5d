//! The payment side as orders see it. Orders ask for a card payment to start, be looked up,
//! stop (before a cancellation) or pay money back, without knowing the provider or the
//! `payments` domain that implements this (which builds on orders, so orders never import it).
//! The composition root puts the implementation into the state as a [`PaymentPort`].

use super::lifecycle::OrderError;
use super::status_rules::Actor;
use crate::platform::state::AppState;
use shop_types::OrderStatus;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a port call returns.
pub type PortFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, OrderError>> + Send + 'a>>;

/// Card payments of orders.
pub trait OrderPayments: Send + Sync {
    /// Starts (or starts again) the card payment of an unpaid card order: the payment page's
    /// address, or `None` when there is nothing to pay.
    fn start<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, Option<String>>;
    /// Asks the provider how the order's latest payment stands and applies the answer.
    fn refresh<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, Option<String>>;
    /// Stops the order's open payment because the order is being cancelled.
    fn stop<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, ()>;
    /// Pays `amount` (minor units) back and records it; the order's status afterwards.
    fn refund<'a>(
        &'a self,
        order_id: &'a str,
        amount: i64,
        reason: &'a str,
        actor: &'a Actor,
    ) -> PortFuture<'a, OrderStatus>;
}

/// The state's part holding the payment side.
#[derive(Clone)]
pub struct PaymentPort(pub Arc<dyn OrderPayments>);

impl PaymentPort {
    /// The payment side of this instance.
    pub fn of(state: &AppState) -> &dyn OrderPayments {
        &*state.part::<PaymentPort>().0
    }
}
