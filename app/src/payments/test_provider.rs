//! The built-in test payment provider, for development and demos. It behaves like a small
//! outside service: intents in its own table (`testpay_intents`), its own card page at
//! `/testpay/<intent>` (the shop never receives the card number), and signed webhooks to
//! `/webhooks/test`. It accepts Stripe's published test cards:
//!
//! | card number          | outcome                                        |
//! |----------------------|------------------------------------------------|
//! | 4242 4242 4242 4242  | succeeds (Visa)                                |
//! | 5555 5555 5555 4444  | succeeds (Mastercard)                          |
//! | 4000 0000 0000 0002  | declined ("Your card was declined.")           |
//! | 4000 0000 0000 9995  | declined, insufficient funds                   |
//! | 4000 0000 0000 0069  | declined, expired card                         |
//! | 4000 0000 0000 0127  | declined, incorrect security code              |
//! | 4000 0027 6000 3184  | asks for authentication (3-D Secure), then succeeds or fails |
//!
//! Any other number is refused: a real card must never be typed here.

use super::provider::{
    Intent, IntentStatus, NewIntent, PaymentError, PaymentProvider, ProviderRefund, WebhookError,
    WebhookEvent,
};
use super::signatures;
use super::stripe::{event_from_json, intent_to_json};
use crate::fraud::assess::CardFacts;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{NewJob, enqueue};
use crate::platform::secrets::new_secret;
use shop_types::Problem;
use shop_types::Timestamp;
use sqlx::Row;

/// The job kind that delivers one of the test provider's webhooks.
pub const DELIVER_WEBHOOK: &str = "payments.testpay_webhook";
/// The signature header of its webhooks.
pub const SIGNATURE_HEADER: &str = "testpay-signature";

/// A tokenised test card: Stripe's test payment method ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestCard {
    Visa,
    Mastercard,
    Declined,
    InsufficientFunds,
    Expired,
    IncorrectCvc,
    AuthenticationRequired,
}

impl TestCard {
    const ALL: [TestCard; 7] = [
        Self::Visa,
        Self::Mastercard,
        Self::Declined,
        Self::InsufficientFunds,
        Self::Expired,
        Self::IncorrectCvc,
        Self::AuthenticationRequired,
    ];

    fn number(self) -> &'static str {
        match self {
            Self::Visa => "4242424242424242",
            Self::Mastercard => "5555555555554444",
            Self::Declined => "4000000000000002",
            Self::InsufficientFunds => "4000000000009995",
            Self::Expired => "4000000000000069",
            Self::IncorrectCvc => "4000000000000127",
            Self::AuthenticationRequired => "4000002760003184",
        }
    }

    /// The payment method id the card becomes (Stripe's names for the same test cards).
    pub fn token(self) -> &'static str {
        match self {
            Self::Visa => "pm_card_visa",
            Self::Mastercard => "pm_card_mastercard",
            Self::Declined => "pm_card_visa_chargeDeclined",
            Self::InsufficientFunds => "pm_card_visa_chargeDeclinedInsufficientFunds",
            Self::Expired => "pm_card_chargeDeclinedExpiredCard",
            Self::IncorrectCvc => "pm_card_chargeDeclinedIncorrectCvc",
            Self::AuthenticationRequired => "pm_card_authenticationRequired",
        }
    }

    fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.token() == token)
    }

    fn label(self) -> String {
        let brand = if self == Self::Mastercard {
            "Mastercard"
        } else {
            "Visa"
        };
        format!("{brand} •••• {}", &self.number()[12..])
    }

    fn decline(self) -> Option<&'static str> {
        match self {
            Self::Declined => Some("Your card was declined."),
            Self::InsufficientFunds => Some("Your card has insufficient funds."),
            Self::Expired => Some("Your card has expired."),
            Self::IncorrectCvc => Some("Your card's security code is incorrect."),
            _ => None,
        }
    }
}

/// A problem with what was typed into the card form; `field` names the input.
#[derive(Debug, PartialEq, Eq)]
pub struct CardFormError {
    pub field: &'static str,
    pub problem: Problem,
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks the card form and turns a test card into its token. `today` is (year, month).
pub fn tokenise(
    number: &str,
    expiry: &str,
    cvc: &str,
    today: (i32, u32),
) -> Result<TestCard, CardFormError> {
    let digits: String = number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() < 12
        || digits.len() > 19
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !luhn_ok(&digits)
    {
        return Err(CardFormError {
            field: "number",
            problem: Problem::CardNumberIncorrect,
        });
    }
    let (month, year) = expiry
        .trim()
        .split_once('/')
        .and_then(|(m, y)| Some((m.trim().parse::<u32>().ok()?, y.trim().parse::<i32>().ok()?)))
        .ok_or(CardFormError {
            field: "expiry",
            problem: Problem::CardExpiryMalformed,
        })?;
    let year = if year < 100 { 2000 + year } else { year };
    if !(1..=12).contains(&month) {
        return Err(CardFormError {
            field: "expiry",
            problem: Problem::CardExpiryMalformed,
        });
    }
    if (year, month) < today {
        return Err(CardFormError {
            field: "expiry",
            problem: Problem::CardExpiryInPast,
        });
    }
    let cvc = cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardFormError {
            field: "cvc",
            problem: Problem::CardSecurityCodeIncomplete,
        });
    }
    TestCard::ALL
        .into_iter()
        .find(|c| c.number() == digits)
        .ok_or(CardFormError {
            field: "number",
            problem: Problem::CardNotATestCard,
        })
}

/// The test provider.
#[derive(Clone, Debug)]
pub struct TestProvider {
    db: Db,
    public_url: String,
}

const INTENT_COLUMNS: &str = "id, client_secret, amount, currency, status, amount_received, amount_refunded, card, last_error, reference, return_url";

/// An intent with what only the provider's own pages need.
#[derive(Clone, Debug)]
pub struct StoredIntent {
    pub intent: Intent,
    pub client_secret: String,
    pub reference: String,
    pub return_url: String,
    pub card: Option<String>,
    pub amount_refunded: i64,
}

impl TestProvider {
    pub fn new(db: Db, public_url: &str) -> Self {
        Self {
            db,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The signing secret of this installation's test webhooks (made on first use).
    pub async fn webhook_secret(&self) -> Result<String, sqlx::Error> {
        crate::platform::meta::get_or_create(&self.db, "testpay_webhook_secret", || {
            format!("whsec_{}", new_secret())
        })
        .await
    }

    fn pay_url(&self, id: &str, secret: &str, status: IntentStatus) -> Option<String> {
        match status {
            IntentStatus::RequiresPaymentMethod => {
                Some(format!("{}/testpay/{id}?secret={secret}", self.public_url))
            }
            IntentStatus::RequiresAction => Some(format!(
                "{}/testpay/{id}/authenticate?secret={secret}",
                self.public_url
            )),
            _ => None,
        }
    }

    /// The intent with its secret and return address, for the provider's own pages.
    pub async fn load(&self, id: &str) -> Result<StoredIntent, PaymentError> {
        let row = sqlx::query(&format!(
            "SELECT {INTENT_COLUMNS} FROM testpay_intents WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(PaymentError::NotFound)?;
        let status: String = row.try_get("status")?;
        let status = IntentStatus::parse(&status).unwrap_or(IntentStatus::Canceled);
        let secret: String = row.try_get("client_secret")?;
        Ok(StoredIntent {
            intent: Intent {
                id: row.try_get("id")?,
                status,
                amount: row.try_get("amount")?,
                currency: row.try_get("currency")?,
                amount_received: row.try_get("amount_received")?,
                last_error: row.try_get("last_error")?,
                pay_url: self.pay_url(id, &secret, status),
            },
            client_secret: secret,
            reference: row.try_get("reference")?,
            return_url: row.try_get("return_url")?,
            card: row.try_get("card")?,
            amount_refunded: row.try_get("amount_refunded")?,
        })
    }

    /// Moves an intent from one of `from` to `to` (one conditional statement), then queues the
    /// webhook that tells the shop.
    async fn set_status(
        &self,
        id: &str,
        from: &[IntentStatus],
        to: IntentStatus,
        last_error: Option<&str>,
        card: Option<TestCard>,
    ) -> Result<Intent, PaymentError> {
        let current = self.load(id).await?;
        let fingerprint = match card {
            Some(card) => Some(self.fingerprint(card).await?),
            None => None,
        };
        // A card that failed (declined, or its authentication failed) counts as a decline.
        let declined = i64::from(to == IntentStatus::RequiresPaymentMethod && last_error.is_some());
        if !from.contains(&current.intent.status) {
            return Err(PaymentError::Refused(format!(
                "This payment cannot be changed: it is {}.",
                current.intent.status.as_str()
            )));
        }
        let received = if to == IntentStatus::Succeeded {
            current.intent.amount
        } else {
            0
        };
        let mut tx = self.db.begin_write().await?;
        let done = sqlx::query(
            "UPDATE testpay_intents SET status = $1, last_error = $2, card = COALESCE($3, card),
                    amount_received = $4, updated_at = $5, declines = declines + $8,
                    card_fingerprint = COALESCE($9, card_fingerprint)
             WHERE id = $6 AND status = $7",
        )
        .bind(to.as_str())
        .bind(last_error)
        .bind(card.map(TestCard::label))
        .bind(received)
        .bind(now().millis())
        .bind(id)
        .bind(current.intent.status.as_str())
        .bind(declined)
        .bind(fingerprint)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(PaymentError::Refused(
                "This payment changed meanwhile; try again.".into(),
            ));
        }
        let intent = Intent {
            status: to,
            last_error: last_error.map(str::to_owned),
            amount_received: received,
            pay_url: self.pay_url(id, &current.client_secret, to),
            ..current.intent
        };
        let kind = match to {
            IntentStatus::Succeeded => Some("payment_intent.succeeded"),
            IntentStatus::RequiresPaymentMethod => Some("payment_intent.payment_failed"),
            IntentStatus::Canceled => Some("payment_intent.canceled"),
            IntentStatus::RequiresCapture => Some("payment_intent.amount_capturable_updated"),
            _ => None,
        };
        if let Some(kind) = kind {
            self.queue_webhook(&mut tx, kind, &intent, &current.reference)
                .await?;
        }
        tx.commit().await?;
        Ok(intent)
    }

    async fn queue_webhook(
        &self,
        tx: &mut sqlx::AnyConnection,
        kind: &str,
        intent: &Intent,
        reference: &str,
    ) -> Result<(), sqlx::Error> {
        let event_id = format!("evt_{}", new_id());
        let body = serde_json::json!({
            "id": event_id,
            "object": "event",
            "type": kind,
            "created": now().millis() / 1000,
            "data": { "object": intent_to_json(intent, reference) },
        });
        let job = NewJob::of(&WebhookDelivery {
            url: format!("{}/webhooks/test", self.public_url),
            body: body.to_string(),
        })
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
        .max_attempts(8)
        .dedupe(format!("testpay:{event_id}"));
        enqueue(&mut *tx, &job).await.map(|_| ())
    }

    /// The card's fingerprint at this provider: the same number always gives the same one,
    /// and it tells nothing of the number (a keyed hash under this installation's secret).
    async fn fingerprint(&self, card: TestCard) -> Result<String, sqlx::Error> {
        use sha2::{Digest, Sha256};
        let secret = self.webhook_secret().await?;
        let digest = Sha256::digest(format!("{secret}:card:{}", card.number()));
        Ok(format!("fp_{}", &hex::encode(digest)[..16]))
    }

    /// The shopper completed (`approve`) or failed the extra authentication step.
    pub async fn authenticate(&self, id: &str, approve: bool) -> Result<Intent, PaymentError> {
        if approve {
            self.set_status(
                id,
                &[IntentStatus::RequiresAction],
                IntentStatus::Succeeded,
                None,
                None,
            )
            .await
        } else {
            self.set_status(
                id,
                &[IntentStatus::RequiresAction],
                IntentStatus::RequiresPaymentMethod,
                Some("We could not authenticate your payment method. Choose another card and try again."),
                None,
            )
            .await
        }
    }
}

/// A signed webhook the test provider posts to the shop, as a job (retried like a real
/// provider's).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct WebhookDelivery {
    pub url: String,
    pub body: String,
}

impl crate::platform::jobs::Job for WebhookDelivery {
    const KIND: &'static str = DELIVER_WEBHOOK;
}

/// Delivers one test webhook: signs the body now and posts it. Run by the job worker.
pub async fn deliver_webhook(
    db: &Db,
    client: &reqwest::Client,
    delivery: &WebhookDelivery,
) -> Result<(), String> {
    let url = delivery.url.as_str();
    let body = delivery.body.as_str();
    let provider = TestProvider::new(db.clone(), "");
    let secret = provider.webhook_secret().await.map_err(|e| e.to_string())?;
    let header = signatures::sign(&secret, now().millis() / 1000, body.as_bytes());
    let answer = client
        .post(url)
        .header(SIGNATURE_HEADER, header)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook answered {}", answer.status()))
    }
}

impl PaymentProvider for TestProvider {
    fn name(&self) -> &'static str {
        "test"
    }

    async fn create_intent(&self, request: &NewIntent) -> Result<Intent, PaymentError> {
        if request.amount <= 0 {
            return Err(PaymentError::Refused("Amount must be positive.".into()));
        }
        let existing: Option<String> =
            sqlx::query_scalar("SELECT id FROM testpay_intents WHERE idempotency_key = $1")
                .bind(&request.idempotency_key)
                .fetch_optional(self.db.pool())
                .await?;
        if let Some(id) = existing {
            return Ok(self.load(&id).await?.intent);
        }
        let id = format!("pi_{}", new_id());
        let secret = format!("{id}_secret_{}", new_id());
        let at = now().millis();
        sqlx::query(
            "INSERT INTO testpay_intents (id, client_secret, amount, currency, status, reference, return_url,
                                          idempotency_key, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'requires_payment_method', $5, $6, $7, $8, $8)
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&id)
        .bind(&secret)
        .bind(request.amount)
        .bind(request.currency.to_ascii_uppercase())
        .bind(&request.reference)
        .bind(&request.return_url)
        .bind(&request.idempotency_key)
        .bind(at)
        .execute(self.db.pool())
        .await?;
        let id: String =
            sqlx::query_scalar("SELECT id FROM testpay_intents WHERE idempotency_key = $1")
                .bind(&request.idempotency_key)
                .fetch_one(self.db.pool())
                .await?;
        Ok(self.load(&id).await?.intent)
    }

    async fn retrieve_intent(&self, id: &str) -> Result<Intent, PaymentError> {
        Ok(self.load(id).await?.intent)
    }

    async fn confirm_intent(
        &self,
        id: &str,
        payment_method: &str,
        _return_url: &str,
    ) -> Result<Intent, PaymentError> {
        let card = TestCard::from_token(payment_method)
            .ok_or_else(|| PaymentError::Refused("No such payment method.".into()))?;
        let from = [IntentStatus::RequiresPaymentMethod];
        if let Some(reason) = card.decline() {
            self.set_status(
                id,
                &from,
                IntentStatus::RequiresPaymentMethod,
                Some(reason),
                Some(card),
            )
            .await
        } else if card == TestCard::AuthenticationRequired {
            self.set_status(id, &from, IntentStatus::RequiresAction, None, Some(card))
                .await
        } else {
            self.set_status(id, &from, IntentStatus::Succeeded, None, Some(card))
                .await
        }
    }

    async fn card_history(&self, id: &str) -> Result<CardFacts, PaymentError> {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT declines, card_fingerprint FROM testpay_intents WHERE id = $1")
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?;
        let (declines, fingerprint) = row.ok_or(PaymentError::NotFound)?;
        Ok(CardFacts {
            declines: u32::try_from(declines).unwrap_or(u32::MAX),
            fingerprint,
        })
    }

    async fn capture_intent(&self, id: &str, _amount: Option<i64>) -> Result<Intent, PaymentError> {
        // Test intents capture automatically; capturing a succeeded one is a no-op.
        let intent = self.load(id).await?.intent;
        match intent.status {
            IntentStatus::Succeeded => Ok(intent),
            IntentStatus::RequiresCapture => {
                self.set_status(
                    id,
                    &[IntentStatus::RequiresCapture],
                    IntentStatus::Succeeded,
                    None,
                    None,
                )
                .await
            }
            other => Err(PaymentError::Refused(format!(
                "Cannot capture a payment that is {}.",
                other.as_str()
            ))),
        }
    }

    async fn cancel_intent(&self, id: &str) -> Result<Intent, PaymentError> {
        self.set_status(
            id,
            &[
                IntentStatus::RequiresPaymentMethod,
                IntentStatus::RequiresAction,
                IntentStatus::RequiresCapture,
            ],
            IntentStatus::Canceled,
            None,
            None,
        )
        .await
    }

    async fn refund(
        &self,
        intent_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<ProviderRefund, PaymentError> {
        let refund_id = format!("re_{}", hex_of(idempotency_key));
        let refund_key = format!("testpay_refund:{refund_id}");
        let already = crate::platform::meta::get(&self.db, &refund_key).await?;
        if already.is_some() {
            return Ok(ProviderRefund {
                id: refund_id,
                amount,
                status: "succeeded".into(),
            });
        }
        let mut tx = self.db.begin_write().await?;
        let done = sqlx::query(
            "UPDATE testpay_intents SET amount_refunded = amount_refunded + $1, updated_at = $2
             WHERE id = $3 AND status = 'succeeded' AND amount_refunded + $1 <= amount_received AND $1 > 0",
        )
        .bind(amount)
        .bind(now().millis())
        .bind(intent_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(PaymentError::Refused(
                "Refund is larger than what is left to refund.".into(),
            ));
        }
        crate::platform::meta::claim(&mut tx, &refund_key, &amount.to_string()).await?;
        tx.commit().await?;
        Ok(ProviderRefund {
            id: refund_id,
            amount,
            status: "succeeded".into(),
        })
    }

    async fn verify_webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<WebhookEvent, WebhookError> {
        let secret = self
            .webhook_secret()
            .await
            .map_err(|_| WebhookError::BadSignature)?;
        signatures::verify(&secret, signature_header, body, now)?;
        event_from_json(body)
    }
}

fn hex_of(key: &str) -> String {
    crate::platform::secrets::hash_secret(key)[..24].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripes_test_cards_become_tokens_and_others_are_refused() {
        let today = (2026, 11);
        assert_eq!(
            tokenise("4242 4242 4242 4242", "12/30", "123", today),
            Ok(TestCard::Visa)
        );
        assert_eq!(
            tokenise("4000-0027-6000-3184", "01/27", "1234", today),
            Ok(TestCard::AuthenticationRequired)
        );
        assert_eq!(
            tokenise("4000000000009995", "11/26", "123", today),
            Ok(TestCard::InsufficientFunds)
        );
        assert_eq!(
            tokenise("4242424242424241", "12/30", "123", today)
                .unwrap_err()
                .field,
            "number"
        );
        // A valid-looking number that is not a test card (a real card must not be used here).
        assert_eq!(
            tokenise("4111111111111111", "12/30", "123", today)
                .unwrap_err()
                .field,
            "number"
        );
        assert_eq!(
            tokenise("4242424242424242", "10/26", "123", today)
                .unwrap_err()
                .field,
            "expiry"
        );
        assert_eq!(
            tokenise("4242424242424242", "13/30", "123", today)
                .unwrap_err()
                .field,
            "expiry"
        );
        assert_eq!(
            tokenise("4242424242424242", "1230", "123", today)
                .unwrap_err()
                .field,
            "expiry"
        );
        assert_eq!(
            tokenise("4242424242424242", "12/30", "12", today)
                .unwrap_err()
                .field,
            "cvc"
        );
    }

    #[test]
    fn tokens_round_trip() {
        for card in TestCard::ALL {
            assert_eq!(TestCard::from_token(card.token()), Some(card));
        }
        assert_eq!(TestCard::from_token("4242424242424242"), None);
    }
}
