//! The one interface every card payment provider implements, modelled on Stripe's
//! PaymentIntents: an intent to collect an amount is created, confirmed with a payment method
//! (possibly after an extra authentication step), captured, and refunded; the provider tells
//! the shop what happened through signed webhooks.
//!
//! The shop never sees a card number: the shopper types it into the provider's own page
//! (`Intent::pay_url`), and the shop only learns the intent's status.

use crate::fraud::assess::CardFacts;
use shop_types::Timestamp;
use std::future::Future;

/// Where an intent stands (Stripe's statuses, in snake case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntentStatus {
    /// Waiting for a card, or the last one failed (`last_error` says why).
    RequiresPaymentMethod,
    /// The card needs an extra step (3-D Secure) at `pay_url`.
    RequiresAction,
    Processing,
    /// Authorised, to be captured.
    RequiresCapture,
    Succeeded,
    Canceled,
}

impl IntentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequiresPaymentMethod => "requires_payment_method",
            Self::RequiresAction => "requires_action",
            Self::Processing => "processing",
            Self::RequiresCapture => "requires_capture",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "requires_payment_method" | "requires_confirmation" => Self::RequiresPaymentMethod,
            "requires_action" => Self::RequiresAction,
            "processing" => Self::Processing,
            "requires_capture" => Self::RequiresCapture,
            "succeeded" => Self::Succeeded,
            "canceled" => Self::Canceled,
            _ => return None,
        })
    }
}

/// A payment intent as the provider reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub id: String,
    pub status: IntentStatus,
    /// Minor units, in `currency` (upper case).
    pub amount: i64,
    pub currency: String,
    pub amount_received: i64,
    /// Why the last attempt failed, in words for the shopper.
    pub last_error: Option<String>,
    /// Where to send the shopper to pay or to authenticate, if anywhere.
    pub pay_url: Option<String>,
}

/// What the shop asks a provider to collect.
#[derive(Clone, Debug)]
pub struct NewIntent {
    pub amount: i64,
    pub currency: String,
    /// The order's id, kept by the provider as metadata and returned in webhooks.
    pub reference: String,
    pub description: String,
    /// Where the provider sends the shopper back after paying.
    pub return_url: String,
    /// Sent as the provider's idempotency key: a retried create gives the same intent.
    pub idempotency_key: String,
}

/// A refund as the provider reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRefund {
    pub id: String,
    pub amount: i64,
    pub status: String,
}

/// A verified webhook event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    pub id: String,
    pub kind: String,
    /// The intent the event is about, if it is about one.
    pub intent: Option<Intent>,
}

/// A provider call failed.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// The provider refused the request; the message is the provider's, fit to show staff.
    #[error("{0}")]
    Refused(String),
    #[error("no such payment at the provider")]
    NotFound,
    /// The provider could not be reached or answered nonsense; worth retrying.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A webhook was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error("missing or malformed signature header")]
    BadHeader,
    #[error("signature does not match")]
    BadSignature,
    #[error("timestamp outside the tolerance")]
    Stale,
    #[error("unreadable event body")]
    BadBody,
}

/// A card payment provider.
pub trait PaymentProvider: Send + Sync {
    /// A short stable name, stored with each payment (`test`, `stripe`).
    fn name(&self) -> &'static str;

    fn create_intent(
        &self,
        request: &NewIntent,
    ) -> impl Future<Output = Result<Intent, PaymentError>> + Send;

    fn retrieve_intent(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Intent, PaymentError>> + Send;

    /// Confirms with a tokenised payment method (never a card number).
    fn confirm_intent(
        &self,
        id: &str,
        payment_method: &str,
        return_url: &str,
    ) -> impl Future<Output = Result<Intent, PaymentError>> + Send;

    /// Captures an authorised intent (all of it when `amount` is `None`).
    fn capture_intent(
        &self,
        id: &str,
        amount: Option<i64>,
    ) -> impl Future<Output = Result<Intent, PaymentError>> + Send;

    /// What the provider knows of the cards tried on the intent: declined attempts, and the
    /// fingerprint of the card last used (the one that paid, once it succeeded).
    fn card_history(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<CardFacts, PaymentError>> + Send;

    fn cancel_intent(&self, id: &str) -> impl Future<Output = Result<Intent, PaymentError>> + Send;

    fn refund(
        &self,
        intent_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> impl Future<Output = Result<ProviderRefund, PaymentError>> + Send;

    /// Checks a webhook's signature and age and reads the event.
    fn verify_webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> impl Future<Output = Result<WebhookEvent, WebhookError>> + Send;
}
