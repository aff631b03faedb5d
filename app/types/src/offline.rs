//! What the service worker, the browser app and the server say to each other about offline
//! use: changes made without a connection and replayed later, their outcomes, web push
//! messages, and the messages between the page and its worker.

use crate::Money;
use crate::catalog::ProductSummary;
use serde::{Deserialize, Serialize};

/// A change a shopper made while the shop could not be reached. `id` is made on the device
/// (random, 26 symbols) and makes the replay idempotent: the server applies an id once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineChange {
    pub id: String,
    /// When it was made, Unix milliseconds on the device's clock (shown, never trusted).
    pub made_at: i64,
    pub action: OfflineAction,
}

/// What the shopper did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OfflineAction {
    /// Add `quantity` of a variant to the cart; `seen_price` is the unit price the page showed.
    CartAdd {
        variant_id: String,
        quantity: u32,
        seen_price: Option<Money>,
    },
    /// Save (`save`) or remove a favourite.
    Favourite { product_id: String, save: bool },
}

impl OfflineChange {
    /// A well-formed id: 26 symbols of lower-case base32 (what the worker makes).
    pub fn id_is_valid(&self) -> bool {
        self.id.len() == 26
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
    }
}

/// What became of a replayed change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// Done as asked.
    Applied,
    /// Added, but the price is not the one the shopper saw.
    PriceChanged { was: Money, now: Money },
    /// Not done (sold out, no longer sold, the cart is full): `problem` says why.
    Refused { problem: crate::messages::Problem },
}

// Not derived: the page reads it (see `crate::json_tagged`).
crate::tagged_deserialize!(ChangeOutcome, "kind", { Applied, PriceChanged { was, now }, Refused { problem } });

impl ChangeOutcome {
    /// True when the shopper must be told (anything but a plain success).
    pub fn is_conflict(&self) -> bool {
        !matches!(self, Self::Applied)
    }
}

/// The outcome of one replayed change, with words for the shopper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReport {
    pub id: String,
    /// What the change was about ("Linen shirt – M"), for the message.
    pub subject: String,
    pub outcome: ChangeOutcome,
}

impl ChangeReport {
    /// The sentence shown to the shopper for a conflict.
    pub fn message(&self) -> String {
        crate::messages::en::change_report(self)
    }
}

/// Topics a shopper can opt in to, per device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushTopic {
    OrderStatus,
    BackInStock,
    PriceDrop,
    Promotions,
}

impl PushTopic {
    pub const ALL: [PushTopic; 4] = [
        Self::OrderStatus,
        Self::BackInStock,
        Self::PriceDrop,
        Self::Promotions,
    ];

    /// Its name in forms and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderStatus => "order_status",
            Self::BackInStock => "back_in_stock",
            Self::PriceDrop => "price_drop",
            Self::Promotions => "promotions",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// What the shopper reads beside the switch.
    pub fn label(self) -> &'static str {
        match self {
            Self::OrderStatus => "Updates on my orders",
            Self::BackInStock => "A favourite is back in stock",
            Self::PriceDrop => "A favourite's price drops",
            Self::Promotions => "Offers and promotions",
        }
    }
}

/// The JSON inside an encrypted push message, shown by the worker as a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// The page opened when the notification is clicked (same-site path).
    pub url: String,
    /// Notifications with the same tag replace each other (one per order, say).
    pub tag: String,
}

/// From a page to its service worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerCommand {
    /// Send the changes waiting on this device now (the connection is back, or the app started).
    Replay,
    /// Report what waits and what conflicted.
    Status,
    /// The shopper read these conflicts; forget them.
    DismissConflicts,
    /// Keep these pages (and their pictures) for offline reading until removed.
    SaveForOffline { urls: Vec<String> },
    /// Products the shopper has seen, for offline search.
    Remember { products: Vec<ProductSummary> },
    /// A waiting new version should take over now.
    Activate,
}

/// From the service worker to its pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerReport {
    /// How many changes wait, and the conflicts not yet dismissed.
    Status {
        pending: u32,
        conflicts: Vec<ChangeReport>,
    },
    /// Pages saved for offline (`saved` of `asked`).
    Saved { asked: u32, saved: u32 },
}

// Not derived: the page reads it (see `crate::json_tagged`).
crate::tagged_deserialize!(WorkerReport, "kind", { Status { pending, conflicts }, Saved { asked, saved } });

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    #[test]
    fn changes_survive_json_both_ways() {
        let change = OfflineChange {
            id: "abcdefghijklmnopqrstuvwxyz".into(),
            made_at: 1,
            action: OfflineAction::CartAdd {
                variant_id: "v".into(),
                quantity: 2,
                seen_price: Some(Money::new(1999, Currency::EUR)),
            },
        };
        let json = serde_json::to_string(&change).unwrap();
        assert!(json.contains(r#""kind":"cart_add""#), "{json}");
        assert_eq!(
            serde_json::from_str::<OfflineChange>(&json).unwrap(),
            change
        );
        assert!(change.id_is_valid());
        let bad = OfflineChange {
            id: "short".into(),
            ..change
        };
        assert!(!bad.id_is_valid());
    }

    #[test]
    fn conflicts_are_told_in_words() {
        let report = ChangeReport {
            id: "x".into(),
            subject: "Linen shirt".into(),
            outcome: ChangeOutcome::PriceChanged {
                was: Money::new(1000, Currency::EUR),
                now: Money::new(1200, Currency::EUR),
            },
        };
        assert!(report.outcome.is_conflict());
        assert!(
            report.message().contains("changed from"),
            "{}",
            report.message()
        );
        assert!(!ChangeOutcome::Applied.is_conflict());
        for topic in PushTopic::ALL {
            assert_eq!(PushTopic::parse(topic.as_str()), Some(topic));
        }
    }
}
