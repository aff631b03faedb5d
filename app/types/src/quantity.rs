//! Quantities and cart lines, as the browser, the service worker and the server all see them.

use crate::PublicId;
use crate::messages::Problem;
use serde::{Deserialize, Serialize};

/// Most units of one variant a single cart line may hold; above this a shop wants a quote.
pub const MAX_LINE_QUANTITY: u32 = 999;

/// A positive number of units, at most [`MAX_LINE_QUANTITY`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Quantity(u32);

/// The quantity cannot be accepted; the message is fit to show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("{}", Problem::from(self))]
    TooSmall,
    #[error("{}", Problem::from(self))]
    TooLarge,
    #[error("{}", Problem::from(self))]
    NotANumber,
}

impl Quantity {
    /// Checks a count.
    pub fn new(value: i64) -> Result<Self, QuantityError> {
        match value {
            v if v < 1 => Err(QuantityError::TooSmall),
            v if v > i64::from(MAX_LINE_QUANTITY) => Err(QuantityError::TooLarge),
            v => Ok(Self(v as u32)),
        }
    }

    /// Parses a count typed into a form; fractions and signs are refused.
    pub fn parse(input: &str) -> Result<Self, QuantityError> {
        let text = input.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(if text.starts_with('-') {
                QuantityError::TooSmall
            } else {
                QuantityError::NotANumber
            });
        }
        match text.parse::<i64>() {
            Ok(v) => Self::new(v),
            Err(_) => Err(QuantityError::TooLarge),
        }
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = QuantityError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Quantity> for u32 {
    fn from(value: Quantity) -> Self {
        value.0
    }
}

/// One line of a cart: which variant and how many. Prices are never part of it: the server
/// computes them, so a client can never name its own price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The variant's public id.
    pub variant_id: PublicId,
    /// How many units.
    pub quantity: Quantity,
}

impl From<&QuantityError> for Problem {
    fn from(error: &QuantityError) -> Self {
        match error {
            QuantityError::TooSmall => Problem::QuantityTooSmall,
            QuantityError::TooLarge => Problem::QuantityTooLarge {
                max: MAX_LINE_QUANTITY,
            },
            QuantityError::NotANumber => Problem::WholeNumberInvalid,
        }
    }
}

impl From<QuantityError> for Problem {
    fn from(error: QuantityError) -> Self {
        Problem::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_bounds() {
        assert!(Quantity::new(1).is_ok());
        assert!(Quantity::new(999).is_ok());
        assert_eq!(Quantity::new(0), Err(QuantityError::TooSmall));
        assert_eq!(Quantity::new(-3), Err(QuantityError::TooSmall));
        assert_eq!(Quantity::new(1000), Err(QuantityError::TooLarge));
    }

    #[test]
    fn quantity_parsing_refuses_fractions_and_junk() {
        assert_eq!(Quantity::parse(" 3 ").unwrap().get(), 3);
        assert_eq!(Quantity::parse("1.5"), Err(QuantityError::NotANumber));
        assert_eq!(Quantity::parse("-1"), Err(QuantityError::TooSmall));
        assert_eq!(
            Quantity::parse("99999999999999999999999"),
            Err(QuantityError::TooLarge)
        );
        assert_eq!(Quantity::parse("abc"), Err(QuantityError::NotANumber));
        let json: Result<Quantity, _> = serde_json::from_str("0");
        assert!(json.is_err());
    }
}
