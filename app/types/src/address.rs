//! Postal addresses, checked per country. Used by the address book now and by checkout.

use crate::messages::Problem;
use serde::{Deserialize, Serialize};

/// Countries the shop ships to, with the name shoppers see (ISO 3166-1 alpha-2 codes).
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LU", "Luxembourg"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SE", "Sweden"),
    ("US", "United States"),
];

/// An address as a shopper enters it. Missing fields read as empty (then `validate` says which
/// required one is missing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressInput {
    pub full_name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub phone: String,
}

/// A problem with one field; `field` is the form field's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressError {
    pub field: &'static str,
    pub problem: Problem,
}

fn err(field: &'static str, problem: Problem) -> AddressError {
    AddressError { field, problem }
}

/// The country's name, if the shop ships there.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

impl AddressInput {
    /// Trims every field, upper-cases the country and postal code, and checks the address:
    /// required fields, lengths, a country the shop ships to, and the postal code's shape in
    /// that country (and a state or province where the post needs one).
    pub fn validate(mut self) -> Result<Self, AddressError> {
        for value in [
            &mut self.full_name,
            &mut self.company,
            &mut self.line1,
            &mut self.line2,
            &mut self.postal_code,
            &mut self.city,
            &mut self.region,
            &mut self.country,
            &mut self.phone,
        ] {
            *value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        self.country = self.country.to_ascii_uppercase();
        self.postal_code = self.postal_code.to_ascii_uppercase();

        let required = [
            ("full_name", &self.full_name, Problem::RecipientMissing),
            ("line1", &self.line1, Problem::StreetMissing),
            ("city", &self.city, Problem::TownMissing),
        ];
        for (field, value, problem) in required {
            if value.is_empty() {
                return Err(err(field, problem));
            }
        }
        let limits = [
            ("full_name", &self.full_name, 100u32),
            ("company", &self.company, 100),
            ("line1", &self.line1, 120),
            ("line2", &self.line2, 120),
            ("city", &self.city, 80),
            ("region", &self.region, 80),
            ("phone", &self.phone, 30),
        ];
        for (field, value, max) in limits {
            if value.chars().count() > max as usize {
                return Err(err(field, Problem::AtMostCharacters { max }));
            }
        }
        if country_name(&self.country).is_none() {
            return Err(err("country", Problem::CountryNotDelivered));
        }
        if !postal_code_ok(&self.country, &self.postal_code) {
            return Err(err(
                "postal_code",
                Problem::PostalCodeInvalid {
                    country: country_name(&self.country)
                        .unwrap_or("this country")
                        .to_owned(),
                },
            ));
        }
        if matches!(self.country.as_str(), "US" | "CA" | "AU") && self.region.is_empty() {
            return Err(err("region", Problem::RegionMissing));
        }
        if !self.phone.is_empty()
            && !self
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
        {
            return Err(err("phone", Problem::PhoneCharacters));
        }
        Ok(self)
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The shape of postal codes in each country (the common forms, not every special case).
fn postal_code_ok(country: &str, code: &str) -> bool {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    match country {
        "DE" | "FR" | "IT" | "ES" | "FI" => digits(code, 5),
        "AT" | "BE" | "CH" | "DK" | "LU" | "NO" | "AU" => digits(code, 4),
        "NL" => {
            compact.len() == 6
                && digits(&compact[..4], 4)
                && compact[4..].bytes().all(|b| b.is_ascii_uppercase())
        }
        "SE" | "CZ" => digits(&compact, 5),
        "PL" => {
            code.len() == 6 && digits(&code[..2], 2) && &code[2..3] == "-" && digits(&code[3..], 3)
        }
        "PT" => {
            code.len() == 8 && digits(&code[..4], 4) && &code[4..5] == "-" && digits(&code[5..], 3)
        }
        "US" => {
            digits(code, 5)
                || (code.len() == 10
                    && digits(&code[..5], 5)
                    && &code[5..6] == "-"
                    && digits(&code[6..], 4))
        }
        "CA" => {
            let b = compact.as_bytes();
            compact.len() == 6
                && b.iter().enumerate().all(|(i, c)| {
                    if i % 2 == 0 {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }
        "GB" => {
            // Outward code (2-4 characters, starting with a letter) and inward code (digit + 2 letters).
            let len = compact.len();
            (5..=7).contains(&len)
                && compact.as_bytes()[0].is_ascii_uppercase()
                && compact.bytes().all(|b| b.is_ascii_alphanumeric())
                && compact.as_bytes()[len - 3].is_ascii_digit()
                && compact.as_bytes()[len - 2..]
                    .iter()
                    .all(u8::is_ascii_uppercase)
        }
        "IE" => compact.len() == 7 && compact.bytes().all(|b| b.is_ascii_alphanumeric()),
        _ => !code.is_empty() && code.len() <= 12,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(country: &str, postal: &str) -> AddressInput {
        AddressInput {
            full_name: " Anna  Schmidt ".into(),
            line1: "Hauptstraße 5".into(),
            city: "Berlin".into(),
            country: country.into(),
            postal_code: postal.into(),
            region: if matches!(country, "US" | "CA" | "AU") {
                "NY".into()
            } else {
                String::new()
            },
            ..Default::default()
        }
    }

    #[test]
    fn valid_addresses_are_tidied() {
        let a = address("de", "10115").validate().unwrap();
        assert_eq!(
            (a.full_name.as_str(), a.country.as_str()),
            ("Anna Schmidt", "DE")
        );
        for (country, code) in [
            ("NL", "1012 ab"),
            ("GB", "SW1A 1AA"),
            ("US", "10001-1234"),
            ("CA", "K1A 0B1"),
            ("PL", "00-950"),
            ("PT", "1000-001"),
            ("SE", "114 55"),
        ] {
            assert!(
                address(country, code).validate().is_ok(),
                "{country} {code}"
            );
        }
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(
            address("DE", "1011").validate().unwrap_err().field,
            "postal_code"
        );
        assert_eq!(
            address("XX", "10115").validate().unwrap_err().field,
            "country"
        );
        assert_eq!(
            address("US", "ABCDE").validate().unwrap_err().field,
            "postal_code"
        );
        let mut no_region = address("US", "10001");
        no_region.region.clear();
        assert_eq!(no_region.validate().unwrap_err().field, "region");
        let mut no_name = address("DE", "10115");
        no_name.full_name = "   ".into();
        assert_eq!(no_name.validate().unwrap_err().field, "full_name");
        let mut long = address("DE", "10115");
        long.city = "x".repeat(81);
        assert_eq!(long.validate().unwrap_err().field, "city");
        let mut phone = address("DE", "10115");
        phone.phone = "call me maybe".into();
        assert_eq!(phone.validate().unwrap_err().field, "phone");
    }
}
