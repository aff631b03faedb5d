//! E-mail addresses, checked once when they enter the system.

use crate::messages::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest address we accept (RFC 5321's limit on a forward path).
pub const MAX_EMAIL_LEN: usize = 254;

/// A syntactically plausible e-mail address, trimmed and lower-cased.
///
/// We lower-case the whole address: in practice no mail provider treats the local part as case
/// sensitive, and shoppers who type `Anna@Example.com` once and `anna@example.com` later must
/// reach the same account. Deliverability is proven by sending a mail, never by a regex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a string is not an e-mail address; the message is fit to show a shopper.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("{}", Problem::from(self))]
    Empty,
    #[error("{}", Problem::from(self))]
    TooLong,
    #[error("{}", Problem::from(self))]
    Malformed,
}

impl Email {
    /// Parses user input into an address.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && local.chars().all(|c| !c.is_whitespace() && !c.is_control());
        let domain_ok = domain.len() >= 3
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !(local_ok && domain_ok) {
            return Err(EmailError::Malformed);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&EmailError> for Problem {
    fn from(error: &EmailError) -> Self {
        match error {
            EmailError::Empty => Problem::EmailMissing,
            EmailError::TooLong => Problem::EmailTooLong,
            EmailError::Malformed => Problem::EmailMalformed,
        }
    }
}

impl From<EmailError> for Problem {
    fn from(error: EmailError) -> Self {
        Problem::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = Email::parse("  Anna.Smith@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "anna.smith@example.com");
    }

    #[test]
    fn rejects_what_cannot_be_an_address() {
        for bad in [
            "",
            "   ",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "a b@example.com",
            "anna@exa mple.com",
            "anna@.example.com",
            "anna@example..com",
            "anna@example.com.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn accepts_plus_addressing_and_international_domains() {
        assert!(Email::parse("anna+shop@example.co.uk").is_ok());
        assert!(Email::parse("jürgen@bücher.de").is_ok());
    }

    #[test]
    fn deserialising_runs_the_same_checks() {
        let bad: Result<Email, _> = serde_json::from_str("\"not-an-email\"");
        assert!(bad.is_err());
        let good: Email = serde_json::from_str("\"A@B.CO\"").unwrap();
        assert_eq!(good.as_str(), "a@b.co");
    }
}
