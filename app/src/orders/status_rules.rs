//! Which status changes an order may make, and who may make them. Pure rules: the services in
//! `lifecycle` apply them with conditional updates.

#[cfg(feature = "ssr")]
use crate::platform::audit_trail::Who;
use shop_types::{OrderStatus, PaymentMethod};

/// Who asks for a change (server side: staff carry who they are for the audit log).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The shopper who placed the order.
    Customer,
    /// A staff account with the orders permission (what it does is audited).
    Staff(Who),
    /// The shop itself (timeouts).
    System,
    /// The payment provider (a webhook or a status check).
    Provider,
}

#[cfg(feature = "ssr")]
impl Actor {
    /// As recorded in the order's history.
    pub fn as_stored(&self) -> String {
        match self {
            Self::Customer => "customer".into(),
            Self::Staff(who) => who.tag(),
            Self::System => "system".into(),
            Self::Provider => "provider".into(),
        }
    }
}

/// Whether the status may go from `from` to `to` at all.
pub fn allowed(from: OrderStatus, to: OrderStatus, method: PaymentMethod) -> bool {
    use OrderStatus::*;
    match (from, to) {
        (AwaitingPayment, Paid | Cancelled) => true,
        // Cash on delivery is packed and shipped before it is paid.
        (AwaitingPayment, PartlyFulfilled | Fulfilled) => method == PaymentMethod::CashOnDelivery,
        (Paid, PartlyFulfilled | Fulfilled | Cancelled | PartlyRefunded | Refunded) => true,
        (PartlyFulfilled, PartlyFulfilled | Fulfilled | PartlyRefunded | Refunded) => true,
        (Fulfilled, Shipped | PartlyRefunded | Refunded) => true,
        (Shipped, Delivered | ReturnRequested) => true,
        (Delivered, ReturnRequested | PartlyRefunded | Refunded) => true,
        // A declined return goes back to delivered.
        (ReturnRequested, ReturnApproved | Delivered) => true,
        (ReturnApproved, ReturnReceived) => true,
        (ReturnReceived, PartlyRefunded | Refunded) => true,
        (PartlyRefunded, PartlyRefunded | Refunded | PartlyFulfilled | Fulfilled | Shipped) => true,
        _ => false,
    }
}

/// Whether `actor` may make this change (on top of [`allowed`]).
#[cfg(feature = "ssr")]
pub fn may(actor: &Actor, from: OrderStatus, to: OrderStatus) -> bool {
    use OrderStatus::*;
    match actor {
        Actor::Staff(_) => true,
        Actor::Customer => matches!(
            (from, to),
            (AwaitingPayment, Cancelled) | (Delivered, ReturnRequested)
        ),
        Actor::System | Actor::Provider => {
            matches!((from, to), (AwaitingPayment, Paid | Cancelled))
        }
    }
}

/// Whether moving to `to` packs, ships or delivers goods, which a held order may not do.
pub fn needs_release(to: OrderStatus) -> bool {
    use OrderStatus::*;
    matches!(to, PartlyFulfilled | Fulfilled | Shipped | Delivered)
}

/// Statuses after which nothing changes.
pub fn is_final(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Cancelled | OrderStatus::Refunded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn every_final_status_has_no_way_out() {
        for from in [Cancelled, Refunded] {
            for to in OrderStatus::ALL {
                for method in PaymentMethod::ALL {
                    assert!(!allowed(from, to, method), "{from:?} -> {to:?}");
                }
            }
        }
    }

    #[test]
    fn the_usual_path_is_allowed_and_shortcuts_are_not() {
        let card = PaymentMethod::Card;
        for (a, b) in [
            (AwaitingPayment, Paid),
            (Paid, Fulfilled),
            (Fulfilled, Shipped),
            (Shipped, Delivered),
        ] {
            assert!(allowed(a, b, card), "{a:?} -> {b:?}");
        }
        assert!(!allowed(AwaitingPayment, Shipped, card));
        assert!(!allowed(AwaitingPayment, Fulfilled, card));
        assert!(allowed(
            AwaitingPayment,
            Fulfilled,
            PaymentMethod::CashOnDelivery
        ));
        assert!(!allowed(Shipped, Paid, card));
        assert!(!allowed(Delivered, Cancelled, card));
    }

    #[test]
    fn customers_only_cancel_unpaid_orders_and_ask_for_returns() {
        assert!(may(&Actor::Customer, AwaitingPayment, Cancelled));
        assert!(may(&Actor::Customer, Delivered, ReturnRequested));
        assert!(!may(&Actor::Customer, Paid, Cancelled));
        assert!(!may(&Actor::Customer, ReturnRequested, ReturnApproved));
        assert!(!may(&Actor::Provider, Paid, Shipped));
        assert!(may(
            &Actor::Staff(Who::of("u", "u@example.com")),
            Paid,
            Shipped
        ));
    }
}
