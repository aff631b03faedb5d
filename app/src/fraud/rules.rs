//! The fraud rules: what each signal is worth, as plain functions of facts already gathered
//! (`assess` reads them from the database). Every reason carries its own points and the score
//! is their sum (capped at 100), so each score can be explained line by line, and another
//! scorer (a learned model, a provider's radar score) can later add its own reasons beside
//! these without changing them.

use shop_types::{RiskReason, RiskSignal};

/// The window of the velocity rules, in hours.
pub const VELOCITY_HOURS: u32 = 24;
/// The window of the reuse rules, in days.
pub const REUSE_DAYS: u32 = 30;
/// The window the shop's average order is taken over, in days.
pub const AVERAGE_DAYS: u32 = 90;
/// Fewer orders than this in [`AVERAGE_DAYS`] make no meaningful average.
pub const AVERAGE_MIN_ORDERS: i64 = 10;

/// What `assess` found out about a new order and the orders before it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signals {
    /// The e-mail's domain, when it is a throwaway provider's.
    pub disposable_domain: Option<String>,
    pub delivery_country: String,
    /// When the order is billed elsewhere than it is delivered.
    pub billing_country: Option<String>,
    /// Orders with this e-mail address in the velocity window, this one included.
    pub email_orders: u32,
    /// Orders from this network, this one included (`None`: the network is unknown).
    pub network_orders: Option<u32>,
    /// Orders from this browser, this one included (`None`: no browser id).
    pub device_orders: Option<u32>,
    /// No earlier order with this e-mail address or account.
    pub first_order: bool,
    pub total_minor: i64,
    /// The shop's average order over [`AVERAGE_DAYS`], when there were enough orders.
    pub average_minor: Option<i64>,
    /// Other e-mail addresses that gave the same delivery address in the reuse window.
    pub address_others: u32,
    /// Other e-mail addresses that gave the same name in the reuse window.
    pub name_others: u32,
}

/// What the payment provider and earlier orders tell about the card that paid an order
/// (known only once it is paid: `assess::assess_payment`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardSignals {
    /// Declined attempts before the payment went through.
    pub declines: u32,
    /// Orders paid with this card in the velocity window, this one included (`None`: the
    /// provider gave no fingerprint).
    pub card_orders: Option<u32>,
    /// Other e-mail addresses whose orders this card paid in the reuse window.
    pub card_others: Option<u32>,
}

/// Whether `signal` comes from the card rules (a new payment report replaces them).
pub fn is_card_signal(signal: &RiskSignal) -> bool {
    matches!(
        signal,
        RiskSignal::CardDeclines { .. }
            | RiskSignal::CardVelocity { .. }
            | RiskSignal::CardShared { .. }
    )
}

/// The reasons the card that paid gives to doubt an order.
pub fn card_reasons(c: &CardSignals) -> Vec<RiskReason> {
    let mut out = Vec::new();
    let mut add = |points, signal| out.push(RiskReason { points, signal });
    // Two typos are ordinary; trying card after card is how stolen numbers are tested.
    if c.declines >= 3 {
        let points = if c.declines >= 6 { 35 } else { 20 };
        add(
            points,
            RiskSignal::CardDeclines {
                declines: c.declines,
            },
        );
    }
    if let Some(orders) = c.card_orders.filter(|n| *n >= 4) {
        add(
            15,
            RiskSignal::CardVelocity {
                orders,
                hours: VELOCITY_HOURS,
            },
        );
    }
    if let Some(others) = c.card_others.filter(|n| *n >= 2) {
        add(
            25,
            RiskSignal::CardShared {
                others,
                days: REUSE_DAYS,
            },
        );
    }
    out
}

/// The reasons `signals` give to doubt an order, each with its points.
pub fn reasons(s: &Signals) -> Vec<RiskReason> {
    let mut out = Vec::new();
    let mut add = |points, signal| out.push(RiskReason { points, signal });
    if let Some(domain) = &s.disposable_domain {
        add(
            35,
            RiskSignal::DisposableEmail {
                domain: domain.clone(),
            },
        );
    }
    if let Some(billing) = &s.billing_country
        && billing != &s.delivery_country
    {
        add(
            25,
            RiskSignal::CountryMismatch {
                billing: billing.clone(),
                delivery: s.delivery_country.clone(),
            },
        );
    }
    let hours = VELOCITY_HOURS;
    if s.email_orders >= 3 {
        let points = if s.email_orders >= 6 { 25 } else { 15 };
        add(
            points,
            RiskSignal::EmailVelocity {
                orders: s.email_orders,
                hours,
            },
        );
    }
    if let Some(orders) = s.network_orders.filter(|n| *n >= 5) {
        add(15, RiskSignal::NetworkVelocity { orders, hours });
    }
    if let Some(orders) = s.device_orders.filter(|n| *n >= 4) {
        add(15, RiskSignal::DeviceVelocity { orders, hours });
    }
    if s.first_order
        && let Some(average) = s.average_minor.filter(|a| *a > 0)
        && s.total_minor >= average * 3
    {
        let tenths = u32::try_from(s.total_minor.saturating_mul(10) / average).unwrap_or(u32::MAX);
        add(20, RiskSignal::FirstOrderAboveAverage { tenths });
    }
    let days = REUSE_DAYS;
    if s.address_others >= 3 {
        add(
            15,
            RiskSignal::AddressReused {
                others: s.address_others,
                days,
            },
        );
    }
    if s.name_others >= 4 {
        add(
            10,
            RiskSignal::NameReused {
                others: s.name_others,
                days,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shop_types::risk::score_of;

    fn plain() -> Signals {
        Signals {
            delivery_country: "DE".into(),
            email_orders: 1,
            network_orders: Some(1),
            device_orders: Some(1),
            first_order: true,
            total_minor: 5_000,
            average_minor: Some(4_000),
            ..Signals::default()
        }
    }

    #[test]
    fn an_ordinary_first_order_has_no_reasons() {
        assert!(reasons(&plain()).is_empty());
        let same_billing = Signals {
            billing_country: Some("DE".into()),
            ..plain()
        };
        assert!(reasons(&same_billing).is_empty());
    }

    #[test]
    fn a_throwaway_address_billed_abroad_reaches_the_default_review_score() {
        // The default review score is 60 (migration 0016).
        let s = Signals {
            disposable_domain: Some("mailinator.com".into()),
            billing_country: Some("FR".into()),
            ..plain()
        };
        let r = reasons(&s);
        assert_eq!(r.len(), 2);
        assert_eq!(score_of(&r), 60);
        // Either alone stays below it.
        for one in r {
            assert!(one.points < 60, "{one:?}");
        }
    }

    #[test]
    fn velocity_counts_only_from_its_threshold_and_grows() {
        let at = |n| {
            reasons(&Signals {
                email_orders: n,
                ..plain()
            })
        };
        assert!(at(2).is_empty());
        assert_eq!(at(3)[0].points, 15);
        assert_eq!(at(6)[0].points, 25);
        let busy = Signals {
            network_orders: Some(5),
            device_orders: Some(4),
            ..plain()
        };
        assert_eq!(score_of(&reasons(&busy)), 30);
        let unknown = Signals {
            network_orders: None,
            device_orders: None,
            ..plain()
        };
        assert!(reasons(&unknown).is_empty());
    }

    #[test]
    fn a_large_first_order_counts_only_against_a_real_average() {
        let big = Signals {
            total_minor: 35_000,
            average_minor: Some(10_000),
            ..plain()
        };
        assert_eq!(
            reasons(&big)[0].signal,
            RiskSignal::FirstOrderAboveAverage { tenths: 35 }
        );
        let returning = Signals {
            first_order: false,
            ..big.clone()
        };
        assert!(reasons(&returning).is_empty());
        let no_average = Signals {
            average_minor: None,
            ..big
        };
        assert!(reasons(&no_average).is_empty());
    }

    #[test]
    fn a_busy_regular_on_one_browser_stays_below_the_default_review_score() {
        // Six orders in a day from one known customer on one browser: much, yet no sign of
        // someone else's identity; accepted under the default review score of 60.
        let regular = Signals {
            email_orders: 6,
            device_orders: Some(6),
            first_order: false,
            ..plain()
        };
        assert_eq!(score_of(&reasons(&regular)), 40);
    }

    #[test]
    fn card_rules_count_declines_and_other_people_from_their_thresholds() {
        assert!(card_reasons(&CardSignals::default()).is_empty());
        let typos = CardSignals {
            declines: 2,
            card_orders: Some(3),
            card_others: Some(1),
        };
        assert!(card_reasons(&typos).is_empty());
        let testing = CardSignals {
            declines: 3,
            ..typos.clone()
        };
        assert_eq!(score_of(&card_reasons(&testing)), 20);
        let many = CardSignals {
            declines: 6,
            card_orders: Some(4),
            card_others: Some(2),
        };
        let r = card_reasons(&many);
        assert_eq!(score_of(&r), 75);
        assert!(r.iter().all(|r| is_card_signal(&r.signal)));
        // No fingerprint: only the declines can count.
        let unknown = CardSignals {
            declines: 3,
            card_orders: None,
            card_others: None,
        };
        assert_eq!(card_reasons(&unknown).len(), 1);
        assert!(!is_card_signal(&RiskSignal::EmailVelocity {
            orders: 3,
            hours: 24
        }));
    }

    #[test]
    fn reused_addresses_and_names_count_other_people() {
        let s = Signals {
            address_others: 3,
            name_others: 4,
            ..plain()
        };
        assert_eq!(score_of(&reasons(&s)), 25);
        let fewer = Signals {
            address_others: 2,
            name_others: 3,
            ..plain()
        };
        assert!(reasons(&fewer).is_empty());
    }
}
