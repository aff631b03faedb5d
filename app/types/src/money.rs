//! Money: integer minor units with an ISO 4217 currency. Never a float.

use crate::messages::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code such as `EUR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

/// Why a currency or an amount was refused; messages are fit to show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{}", Problem::from(self))]
    BadCurrency,
    #[error("{}", Problem::from(self))]
    CurrencyMismatch,
    #[error("{}", Problem::from(self))]
    Overflow,
    #[error("{}", Problem::from(self))]
    BadAmount,
}

impl Currency {
    /// Euro, the default currency of a new store.
    pub const EUR: Currency = Currency(*b"EUR");
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses a three-letter code; lower case is accepted and raised.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let bytes = code.trim().as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(MoneyError::BadCurrency);
        }
        let mut out = [0u8; 3];
        for (o, b) in out.iter_mut().zip(bytes) {
            *o = b.to_ascii_uppercase();
        }
        Ok(Self(out))
    }

    /// The code as text.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO 4217 minor unit).
    pub fn exponent(&self) -> u32 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG"
            | b"RWF" | b"UGX" | b"UYI" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            _ => 2,
        }
    }

    /// A short symbol where one is unambiguous, otherwise the code.
    pub fn symbol(&self) -> &str {
        match &self.0 {
            b"EUR" => "€",
            b"USD" => "$",
            b"GBP" => "£",
            b"JPY" => "¥",
            _ => self.code(),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money in minor units (cents for EUR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in the currency's minor unit; may be negative (refunds, discounts).
    pub minor: i64,
    /// The currency the amount is in.
    pub currency: Currency,
}

impl Money {
    /// An amount of `minor` units.
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    /// Parses a decimal amount typed by a person ("12.5", "12,50", "1200") in `currency`.
    /// More decimals than the currency has are refused rather than rounded.
    pub fn parse_decimal(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let text = input.trim().replace(',', ".");
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, text),
        };
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let exp = currency.exponent() as usize;
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_ok(whole) || !digits_ok(frac) || frac.len() > exp {
            return Err(MoneyError::BadAmount);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let frac_padded = format!("{frac:0<exp$}");
        let frac: i64 = if exp == 0 {
            0
        } else {
            frac_padded.parse().map_err(|_| MoneyError::BadAmount)?
        };
        let minor = whole
            .checked_mul(10i64.pow(exp as u32))
            .and_then(|w| w.checked_add(frac))
            .ok_or(MoneyError::Overflow)?;
        Ok(Self::new(if negative { -minor } else { minor }, currency))
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// Multiplies by a whole number (a line's quantity).
    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// The amount as a plain decimal without symbol, e.g. `12.50`.
    pub fn to_decimal_string(&self) -> String {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    /// Language-neutral display: symbol then amount (`€12.50`), or `12.50 CHF` without a symbol.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let symbol = self.currency.symbol();
        if symbol == self.currency.code() {
            write!(f, "{} {}", self.to_decimal_string(), symbol)
        } else if self.minor < 0 {
            write!(
                f,
                "-{symbol}{}",
                Money::new(-self.minor, self.currency).to_decimal_string()
            )
        } else {
            write!(f, "{symbol}{}", self.to_decimal_string())
        }
    }
}

impl From<&MoneyError> for Problem {
    fn from(error: &MoneyError) -> Self {
        match error {
            MoneyError::BadCurrency => Problem::CurrencyInvalid,
            MoneyError::CurrencyMismatch => Problem::CurrencyMismatch,
            MoneyError::Overflow => Problem::AmountTooLarge,
            MoneyError::BadAmount => Problem::AmountMalformed,
        }
    }
}

impl From<MoneyError> for Problem {
    fn from(error: MoneyError) -> Self {
        Problem::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_decimal_amounts() {
        let eur = Currency::EUR;
        assert_eq!(Money::parse_decimal("12.5", eur).unwrap().minor, 1250);
        assert_eq!(Money::parse_decimal("12,50", eur).unwrap().minor, 1250);
        assert_eq!(Money::parse_decimal("-0.05", eur).unwrap().minor, -5);
        assert_eq!(Money::new(1250, eur).to_string(), "€12.50");
        assert_eq!(Money::new(-5, eur).to_string(), "-€0.05");
        let jpy = Currency::parse("jpy").unwrap();
        assert_eq!(
            Money::parse_decimal("1200", jpy).unwrap().to_string(),
            "¥1200"
        );
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(Money::new(990, chf).to_string(), "9.90 CHF");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::new(1_234, kwd).to_decimal_string(), "1.234");
    }

    #[test]
    fn refuses_ambiguous_or_hostile_amounts() {
        let eur = Currency::EUR;
        for bad in [
            "",
            "abc",
            "1.234",
            "1e3",
            "--1",
            ".5",
            "1.2.3",
            "99999999999999999999",
        ] {
            assert!(Money::parse_decimal(bad, eur).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn arithmetic_checks_currency_and_overflow() {
        let a = Money::new(100, Currency::EUR);
        assert_eq!(a.checked_add(a).unwrap().minor, 200);
        assert_eq!(
            a.checked_add(Money::new(1, Currency::USD)),
            Err(MoneyError::CurrencyMismatch)
        );
        assert_eq!(
            Money::new(i64::MAX, Currency::EUR).checked_mul(2),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn currency_codes_are_checked() {
        assert_eq!(Currency::parse("eur").unwrap(), Currency::EUR);
        for bad in ["", "EU", "EURO", "E1R", "€€€"] {
            assert!(Currency::parse(bad).is_err(), "{bad:?}");
        }
    }
}
