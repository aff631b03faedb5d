//! An order's risk as the fraud rules judge it: a score from 0 to 100 made of reasons, each
//! with its points, and what the shop decided. The words for each reason are made at the edge
//! (`messages::en::risk_signal`).

use serde::{Deserialize, Serialize};

/// What the shop does with an order after scoring it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskDecision {
    Accept,
    /// Held: nothing is packed or shipped until staff approve it.
    Review,
    /// Cancelled at once, stock given back.
    Cancel,
}

impl RiskDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Review => "review",
            Self::Cancel => "cancel",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "accept" => Self::Accept,
            "review" => Self::Review,
            "cancel" => Self::Cancel,
            _ => return None,
        })
    }

    /// The decision for `score` under the shop's thresholds (a threshold above 100 never
    /// applies).
    pub fn for_score(score: u32, review_at: u32, cancel_at: u32) -> Self {
        if score >= cancel_at {
            Self::Cancel
        } else if score >= review_at {
            Self::Review
        } else {
            Self::Accept
        }
    }
}

/// What a rule saw, with what makes it a risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum RiskSignal {
    /// The e-mail's domain hands out throwaway addresses.
    DisposableEmail { domain: String },
    /// Billed to one country, delivered to another.
    CountryMismatch { billing: String, delivery: String },
    /// Orders with the same e-mail address within `hours` (this one included).
    EmailVelocity { orders: u32, hours: u32 },
    /// Orders from the same network within `hours` (this one included).
    NetworkVelocity { orders: u32, hours: u32 },
    /// Orders from the same browser within `hours` (this one included).
    DeviceVelocity { orders: u32, hours: u32 },
    /// A customer's first order at `times` the shop's average order (in tenths: 35 = 3.5×).
    FirstOrderAboveAverage { tenths: u32 },
    /// The delivery address was given by `others` other e-mail addresses within `days`.
    AddressReused { others: u32, days: u32 },
    /// The name was given by `others` other e-mail addresses within `days`.
    NameReused { others: u32, days: u32 },
    /// The card was declined `declines` times before it (or another card) paid.
    CardDeclines { declines: u32 },
    /// Orders paid with the same card within `hours` (this one included).
    CardVelocity { orders: u32, hours: u32 },
    /// The card that paid also paid for `others` other e-mail addresses within `days`.
    CardShared { others: u32, days: u32 },
}

/// One reason an order is risky: what was seen and the points it adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskReason {
    pub points: u32,
    #[serde(flatten)]
    pub signal: RiskSignal,
}

/// The highest score (the sum of the reasons' points is capped here).
pub const MAX_RISK_SCORE: u32 = 100;

/// The score of `reasons`: their points, at most [`MAX_RISK_SCORE`].
pub fn score_of(reasons: &[RiskReason]) -> u32 {
    reasons
        .iter()
        .map(|r| r.points)
        .sum::<u32>()
        .min(MAX_RISK_SCORE)
}

impl RiskSignal {
    /// One signal of every kind, with sample values (tests render every one).
    pub fn samples() -> Vec<RiskSignal> {
        vec![
            Self::DisposableEmail {
                domain: "mailinator.com".into(),
            },
            Self::CountryMismatch {
                billing: "FR".into(),
                delivery: "DE".into(),
            },
            Self::EmailVelocity {
                orders: 4,
                hours: 24,
            },
            Self::NetworkVelocity {
                orders: 6,
                hours: 24,
            },
            Self::DeviceVelocity {
                orders: 5,
                hours: 24,
            },
            Self::FirstOrderAboveAverage { tenths: 42 },
            Self::AddressReused {
                others: 3,
                days: 30,
            },
            Self::NameReused {
                others: 4,
                days: 30,
            },
            Self::CardDeclines { declines: 3 },
            Self::CardVelocity {
                orders: 4,
                hours: 24,
            },
            Self::CardShared {
                others: 2,
                days: 30,
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_capped_and_thresholds_decide() {
        let reason = |points| RiskReason {
            points,
            signal: RiskSignal::EmailVelocity {
                orders: 3,
                hours: 24,
            },
        };
        assert_eq!(score_of(&[]), 0);
        assert_eq!(score_of(&[reason(30), reason(25)]), 55);
        assert_eq!(score_of(&[reason(70), reason(70)]), 100);
        assert_eq!(RiskDecision::for_score(49, 50, 90), RiskDecision::Accept);
        assert_eq!(RiskDecision::for_score(50, 50, 90), RiskDecision::Review);
        assert_eq!(RiskDecision::for_score(90, 50, 90), RiskDecision::Cancel);
        assert_eq!(RiskDecision::for_score(100, 50, 101), RiskDecision::Review);
        for d in [
            RiskDecision::Accept,
            RiskDecision::Review,
            RiskDecision::Cancel,
        ] {
            assert_eq!(RiskDecision::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn reasons_travel_as_flat_json() {
        let r = RiskReason {
            points: 35,
            signal: RiskSignal::DisposableEmail {
                domain: "mailinator.com".into(),
            },
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"points":35,"signal":"disposable_email","domain":"mailinator.com"}"#
        );
        assert_eq!(serde_json::from_str::<RiskReason>(&json).unwrap(), r);
        for s in RiskSignal::samples() {
            let text = crate::messages::en::risk_signal(&s);
            assert!(text.ends_with('.') && !text.contains('{'), "{s:?}: {text}");
            let r = RiskReason {
                points: 1,
                signal: s,
            };
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<RiskReason>(&json).unwrap(), r);
        }
    }
}
