//! The Stripe provider: Stripe's HTTP API (form-encoded requests, JSON answers, bearer secret
//! key, `Idempotency-Key` on creates and refunds) and Stripe-signed webhooks.
//!
//! Shoppers pay on Stripe's hosted payment page (Checkout Sessions): the shop creates a session
//! for the order's amount, sends the shopper to its `url`, and learns the outcome from the
//! `checkout.session.completed` webhook (or by asking when the shopper comes back). Card
//! numbers never touch the shop's pages, scripts or policy (PCI SAQ-A). A session's id
//! (`cs_...`) stands where the interface says "intent"; expiring the session is cancelling it,
//! and a refund goes to the PaymentIntent the session paid with. PaymentIntent ids (`pi_...`)
//! are still understood for payments made before.
//!
//! The API base is configurable (`SHOP_STRIPE_API_BASE`) so tests run it against a local fake
//! that answers in Stripe's shapes.

use super::provider::{
    Intent, IntentStatus, NewIntent, PaymentError, PaymentProvider, ProviderRefund, WebhookError,
    WebhookEvent,
};
use super::signatures;
use crate::fraud::assess::CardFacts;
use serde_json::Value;
use shop_types::Timestamp;

/// The signature header of Stripe's webhooks.
pub const SIGNATURE_HEADER: &str = "stripe-signature";

/// Reads a PaymentIntent object.
pub fn parse_intent(v: &Value) -> Option<Intent> {
    let status = IntentStatus::parse(v["status"].as_str()?)?;
    let pay_url = v["next_action"]["redirect_to_url"]["url"]
        .as_str()
        .map(str::to_owned);
    Some(Intent {
        id: v["id"].as_str()?.to_owned(),
        status,
        amount: v["amount"].as_i64()?,
        currency: v["currency"].as_str()?.to_ascii_uppercase(),
        amount_received: v["amount_received"].as_i64().unwrap_or(0),
        last_error: v["last_payment_error"]["message"]
            .as_str()
            .map(str::to_owned),
        pay_url,
    })
}

/// Where Stripe's hosted payment pages live: the shop's form posts are redirected there, so the
/// Content-Security-Policy's `form-action` must allow it.
pub const CHECKOUT_ORIGIN: &str = "https://checkout.stripe.com";

/// The origin of the hosted payment pages for an API base: Stripe's own for Stripe's API; a
/// stand-in for the API (a local fake, a mock server) serves its payment pages itself.
pub fn checkout_origin(api_base: &str) -> String {
    if api_base.trim_end_matches('/') == crate::platform::config::STRIPE_API_BASE {
        return CHECKOUT_ORIGIN.to_owned();
    }
    reqwest::Url::parse(api_base)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| CHECKOUT_ORIGIN.to_owned())
}

/// How long a session stays open: Stripe's shortest (30 minutes) and a minute, so the shop's
/// own payment window (30 minutes) closes first and expires it.
const SESSION_MINUTES: i64 = 31;

/// Reads a Checkout Session object as an intent.
pub fn parse_session(v: &Value) -> Option<Intent> {
    let amount = v["amount_total"].as_i64()?;
    let paid = matches!(
        v["payment_status"].as_str(),
        Some("paid" | "no_payment_required")
    );
    let status = match v["status"].as_str()? {
        "complete" if paid => IntentStatus::Succeeded,
        // Paid by a method that settles later (a bank debit): the webhook tells.
        "complete" => IntentStatus::Processing,
        "expired" => IntentStatus::Canceled,
        "open" => IntentStatus::RequiresPaymentMethod,
        _ => return None,
    };
    Some(Intent {
        id: v["id"].as_str()?.to_owned(),
        status,
        amount,
        currency: v["currency"].as_str()?.to_ascii_uppercase(),
        amount_received: if paid { amount } else { 0 },
        last_error: None,
        pay_url: (status == IntentStatus::RequiresPaymentMethod)
            .then(|| v["url"].as_str().map(str::to_owned))
            .flatten(),
    })
}

/// Reads a list of an intent's charges (Stripe lists them newest first): the failed ones
/// are the declined attempts; the fingerprint is the paying card's, else the latest tried.
pub fn card_facts(charges: &Value) -> CardFacts {
    let charges = charges["data"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let declines = charges
        .iter()
        .filter(|c| c["status"].as_str() == Some("failed"))
        .count();
    let fingerprint = |c: &Value| {
        c["payment_method_details"]["card"]["fingerprint"]
            .as_str()
            .map(str::to_owned)
    };
    CardFacts {
        declines: u32::try_from(declines).unwrap_or(u32::MAX),
        fingerprint: charges
            .iter()
            .find(|c| c["status"].as_str() == Some("succeeded"))
            .or_else(|| charges.first())
            .and_then(fingerprint),
    }
}

fn is_session(id: &str) -> bool {
    id.starts_with("cs_")
}

/// Writes an intent as a PaymentIntent object (the test provider's webhooks use it).
pub fn intent_to_json(intent: &Intent, reference: &str) -> Value {
    serde_json::json!({
        "id": intent.id,
        "object": "payment_intent",
        "amount": intent.amount,
        "currency": intent.currency.to_ascii_lowercase(),
        "status": intent.status.as_str(),
        "amount_received": intent.amount_received,
        "last_payment_error": intent.last_error.as_ref().map(|m| serde_json::json!({ "message": m })),
        "metadata": { "reference": reference },
        "next_action": intent.pay_url.as_ref().filter(|_| intent.status == IntentStatus::RequiresAction)
            .map(|u| serde_json::json!({ "type": "redirect_to_url", "redirect_to_url": { "url": u } })),
    })
}

/// Reads an event body (already verified).
pub fn event_from_json(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let v: Value = serde_json::from_slice(body).map_err(|_| WebhookError::BadBody)?;
    let id = v["id"].as_str().ok_or(WebhookError::BadBody)?.to_owned();
    let kind = v["type"].as_str().ok_or(WebhookError::BadBody)?.to_owned();
    let object = &v["data"]["object"];
    let intent = match object["object"].as_str() {
        Some("payment_intent") => parse_intent(object),
        Some("checkout.session") => parse_session(object),
        _ => None,
    };
    Ok(WebhookEvent { id, kind, intent })
}

/// The Stripe provider.
#[derive(Clone, Debug)]
pub struct StripeProvider {
    client: reqwest::Client,
    api_base: String,
    checkout_origin: String,
    secret_key: String,
    webhook_secret: String,
}

impl StripeProvider {
    pub fn new(api_base: &str, secret_key: &str, webhook_secret: &str) -> Self {
        Self {
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
            api_base: api_base.trim_end_matches('/').to_owned(),
            checkout_origin: checkout_origin(api_base),
            secret_key: secret_key.to_owned(),
            webhook_secret: webhook_secret.to_owned(),
        }
    }

    /// Where shoppers pay (see [`checkout_origin`]).
    pub fn checkout_origin(&self) -> &str {
        &self.checkout_origin
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: Option<&str>,
    ) -> Result<Value, PaymentError> {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.api_base))
            .bearer_auth(&self.secret_key)
            .header("Stripe-Version", "2024-06-20");
        if method == reqwest::Method::POST {
            request = request.form(form);
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let answer = request
            .send()
            .await
            .map_err(|e| PaymentError::Unavailable(e.to_string()))?;
        let status = answer.status();
        let body: Value = answer
            .json()
            .await
            .map_err(|e| PaymentError::Unavailable(format!("unreadable answer: {e}")))?;
        if status.is_success() {
            return Ok(body);
        }
        let message = body["error"]["message"]
            .as_str()
            .unwrap_or("The payment provider refused the request.")
            .to_owned();
        Err(match status.as_u16() {
            404 => PaymentError::NotFound,
            400..=499 => PaymentError::Refused(message),
            _ => PaymentError::Unavailable(format!("{status}: {message}")),
        })
    }

    fn intent(v: Value) -> Result<Intent, PaymentError> {
        parse_intent(&v).ok_or_else(|| PaymentError::Unavailable("unreadable PaymentIntent".into()))
    }

    fn session(v: Value) -> Result<Intent, PaymentError> {
        parse_session(&v)
            .ok_or_else(|| PaymentError::Unavailable("unreadable Checkout Session".into()))
    }

    async fn get_session(&self, id: &str) -> Result<Value, PaymentError> {
        self.call(
            reqwest::Method::GET,
            &format!("/v1/checkout/sessions/{}", path_part(id)?),
            &[],
            None,
        )
        .await
    }
}

impl PaymentProvider for StripeProvider {
    fn name(&self) -> &'static str {
        "stripe"
    }

    /// A Checkout Session for the order's amount, one line named after the order; the shopper
    /// comes back to `return_url` whether they paid or gave up.
    async fn create_intent(&self, request: &NewIntent) -> Result<Intent, PaymentError> {
        let expires_at = crate::platform::clock::now().millis() / 1000 + SESSION_MINUTES * 60;
        let form = [
            ("mode", "payment".to_owned()),
            ("line_items[0][quantity]", "1".to_owned()),
            (
                "line_items[0][price_data][currency]",
                request.currency.to_ascii_lowercase(),
            ),
            (
                "line_items[0][price_data][unit_amount]",
                request.amount.to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                request.description.clone(),
            ),
            ("success_url", request.return_url.clone()),
            ("cancel_url", request.return_url.clone()),
            ("client_reference_id", request.reference.clone()),
            ("metadata[reference]", request.reference.clone()),
            (
                "payment_intent_data[metadata][reference]",
                request.reference.clone(),
            ),
            ("expires_at", expires_at.to_string()),
        ];
        let v = self
            .call(
                reqwest::Method::POST,
                "/v1/checkout/sessions",
                &form,
                Some(&request.idempotency_key),
            )
            .await?;
        Self::session(v)
    }

    async fn retrieve_intent(&self, id: &str) -> Result<Intent, PaymentError> {
        if is_session(id) {
            return Self::session(self.get_session(id).await?);
        }
        let v = self
            .call(
                reqwest::Method::GET,
                &format!("/v1/payment_intents/{}", path_part(id)?),
                &[],
                None,
            )
            .await?;
        Self::intent(v)
    }

    async fn confirm_intent(
        &self,
        id: &str,
        payment_method: &str,
        return_url: &str,
    ) -> Result<Intent, PaymentError> {
        let form = [
            ("payment_method", payment_method.to_owned()),
            ("return_url", return_url.to_owned()),
        ];
        let v = self
            .call(
                reqwest::Method::POST,
                &format!("/v1/payment_intents/{}/confirm", path_part(id)?),
                &form,
                None,
            )
            .await?;
        Self::intent(v)
    }

    async fn capture_intent(&self, id: &str, amount: Option<i64>) -> Result<Intent, PaymentError> {
        let form: Vec<(&str, String)> = amount
            .map(|a| vec![("amount_to_capture", a.to_string())])
            .unwrap_or_default();
        let v = self
            .call(
                reqwest::Method::POST,
                &format!("/v1/payment_intents/{}/capture", path_part(id)?),
                &form,
                None,
            )
            .await?;
        Self::intent(v)
    }

    async fn card_history(&self, id: &str) -> Result<CardFacts, PaymentError> {
        let intent_id = if is_session(id) {
            match self.get_session(id).await?["payment_intent"].as_str() {
                Some(intent) => intent.to_owned(),
                // No payment was attempted in the session.
                None => return Ok(CardFacts::default()),
            }
        } else {
            id.to_owned()
        };
        let v = self
            .call(
                reqwest::Method::GET,
                &format!(
                    "/v1/charges?payment_intent={}&limit=100",
                    path_part(&intent_id)?
                ),
                &[],
                None,
            )
            .await?;
        Ok(card_facts(&v))
    }

    async fn cancel_intent(&self, id: &str) -> Result<Intent, PaymentError> {
        if is_session(id) {
            let v = self
                .call(
                    reqwest::Method::POST,
                    &format!("/v1/checkout/sessions/{}/expire", path_part(id)?),
                    &[],
                    None,
                )
                .await?;
            return Self::session(v);
        }
        let v = self
            .call(
                reqwest::Method::POST,
                &format!("/v1/payment_intents/{}/cancel", path_part(id)?),
                &[],
                None,
            )
            .await?;
        Self::intent(v)
    }

    async fn refund(
        &self,
        intent_id: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<ProviderRefund, PaymentError> {
        let payment_intent = if is_session(intent_id) {
            let session = self.get_session(intent_id).await?;
            session["payment_intent"]
                .as_str()
                .or_else(|| session["payment_intent"]["id"].as_str())
                .map(str::to_owned)
                .ok_or_else(|| PaymentError::Refused("The session was not paid.".into()))?
        } else {
            intent_id.to_owned()
        };
        let form = [
            ("payment_intent", payment_intent),
            ("amount", amount.to_string()),
        ];
        let v = self
            .call(
                reqwest::Method::POST,
                "/v1/refunds",
                &form,
                Some(idempotency_key),
            )
            .await?;
        Ok(ProviderRefund {
            id: v["id"].as_str().unwrap_or_default().to_owned(),
            amount: v["amount"].as_i64().unwrap_or(amount),
            status: v["status"].as_str().unwrap_or("pending").to_owned(),
        })
    }

    async fn verify_webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<WebhookEvent, WebhookError> {
        signatures::verify(&self.webhook_secret, signature_header, body, now)?;
        event_from_json(body)
    }
}

/// An id put into a URL path: Stripe ids are letters, digits and underscores only.
fn path_part(id: &str) -> Result<&str, PaymentError> {
    if !id.is_empty()
        && id.len() <= 255
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        Ok(id)
    } else {
        Err(PaymentError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payment_intents_are_read_from_stripes_shape() {
        let v = serde_json::json!({
            "id": "pi_123", "object": "payment_intent", "amount": 1999, "currency": "eur",
            "status": "requires_action", "amount_received": 0,
            "last_payment_error": null,
            "next_action": { "type": "redirect_to_url", "redirect_to_url": { "url": "https://hooks.example/3ds" } }
        });
        let intent = parse_intent(&v).unwrap();
        assert_eq!(intent.status, IntentStatus::RequiresAction);
        assert_eq!(intent.currency, "EUR");
        assert_eq!(intent.pay_url.as_deref(), Some("https://hooks.example/3ds"));
        let back = parse_intent(&intent_to_json(&intent, "order")).unwrap();
        assert_eq!(back, intent);
    }

    #[test]
    fn the_hosted_page_is_stripes_unless_the_api_is_a_stand_in() {
        assert_eq!(checkout_origin("https://api.stripe.com"), CHECKOUT_ORIGIN);
        assert_eq!(checkout_origin("https://api.stripe.com/"), CHECKOUT_ORIGIN);
        assert_eq!(
            checkout_origin("http://127.0.0.1:4010/stripe"),
            "http://127.0.0.1:4010"
        );
        assert_eq!(
            StripeProvider::new("http://127.0.0.1:9", "sk_x", "whsec_x").checkout_origin(),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn checkout_sessions_are_read_as_intents() {
        let open = serde_json::json!({
            "id": "cs_test_1", "object": "checkout.session", "amount_total": 4495, "currency": "eur",
            "status": "open", "payment_status": "unpaid", "url": "https://checkout.stripe.com/c/pay/cs_test_1"
        });
        let intent = parse_session(&open).unwrap();
        assert_eq!(intent.status, IntentStatus::RequiresPaymentMethod);
        assert_eq!(
            intent.pay_url.as_deref(),
            Some("https://checkout.stripe.com/c/pay/cs_test_1")
        );
        let mut paid = open.clone();
        paid["status"] = "complete".into();
        paid["payment_status"] = "paid".into();
        let intent = parse_session(&paid).unwrap();
        assert_eq!(
            (intent.status, intent.amount_received),
            (IntentStatus::Succeeded, 4495)
        );
        assert_eq!(intent.pay_url, None);
        let mut expired = open;
        expired["status"] = "expired".into();
        assert_eq!(
            parse_session(&expired).unwrap().status,
            IntentStatus::Canceled
        );
        let event = serde_json::json!({
            "id": "evt_1", "type": "checkout.session.completed", "data": { "object": paid }
        });
        let event = event_from_json(event.to_string().as_bytes()).unwrap();
        assert_eq!(event.intent.unwrap().id, "cs_test_1");
    }

    #[test]
    fn card_facts_count_failed_charges_and_take_the_paying_cards_fingerprint() {
        let charge = |status: &str, fingerprint: &str| {
            json!({ "status": status,
                    "payment_method_details": { "card": { "fingerprint": fingerprint } } })
        };
        let list = json!({ "object": "list", "data": [
            charge("succeeded", "fpPaid"),
            charge("failed", "fpOther"),
            charge("failed", "fpOther"),
            charge("failed", "fpPaid"),
        ]});
        assert_eq!(
            card_facts(&list),
            CardFacts {
                declines: 3,
                fingerprint: Some("fpPaid".into())
            }
        );
        let none = json!({ "object": "list", "data": [] });
        assert_eq!(card_facts(&none), CardFacts::default());
        assert_eq!(card_facts(&json!({})), CardFacts::default());
    }

    #[test]
    fn ids_with_path_characters_are_refused() {
        assert!(path_part("pi_ABC123").is_ok());
        assert!(path_part("../v1/charges").is_err());
        assert!(path_part("").is_err());
    }
}
