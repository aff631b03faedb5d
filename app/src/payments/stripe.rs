//! The Stripe provider: Stripe's HTTP API (form-encoded requests, JSON answers, bearer secret
//! key, `Idempotency-Key` on creates and refunds) and Stripe-signed webhooks.
//!
//! The API base is configurable (`SHOP_STRIPE_API_BASE`) so tests run it against a local fake
//! that answers in Stripe's shapes. Collecting the card for a Stripe intent needs Stripe.js in
//! the shopper's browser (Payment Element); the storefront uses the test provider's page until
//! that is wired (see ARCHITECTURE.md, "Payments").

use super::provider::{
    Intent, IntentStatus, NewIntent, PaymentError, PaymentProvider, ProviderRefund, WebhookError,
    WebhookEvent,
};
use super::signatures;
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
    let intent = (object["object"].as_str() == Some("payment_intent"))
        .then(|| parse_intent(object))
        .flatten();
    Ok(WebhookEvent { id, kind, intent })
}

/// The Stripe provider.
#[derive(Clone, Debug)]
pub struct StripeProvider {
    client: reqwest::Client,
    api_base: String,
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
            secret_key: secret_key.to_owned(),
            webhook_secret: webhook_secret.to_owned(),
        }
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
}

impl PaymentProvider for StripeProvider {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn create_intent(&self, request: &NewIntent) -> Result<Intent, PaymentError> {
        let form = [
            ("amount", request.amount.to_string()),
            ("currency", request.currency.to_ascii_lowercase()),
            ("description", request.description.clone()),
            ("metadata[reference]", request.reference.clone()),
            ("payment_method_types[]", "card".to_owned()),
        ];
        let v = self
            .call(
                reqwest::Method::POST,
                "/v1/payment_intents",
                &form,
                Some(&request.idempotency_key),
            )
            .await?;
        Self::intent(v)
    }

    async fn retrieve_intent(&self, id: &str) -> Result<Intent, PaymentError> {
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

    async fn cancel_intent(&self, id: &str) -> Result<Intent, PaymentError> {
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
        let form = [
            ("payment_intent", intent_id.to_owned()),
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
    fn ids_with_path_characters_are_refused() {
        assert!(path_part("pi_ABC123").is_ok());
        assert!(path_part("../v1/charges").is_err());
        assert!(path_part("").is_err());
    }
}
