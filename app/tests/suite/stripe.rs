//! The Stripe provider against a local fake of Stripe's API (no network here): the fake checks
//! what Stripe checks (secret key, form fields, idempotency keys) and answers in Stripe's shapes.

use app::payments::provider::{IntentStatus, NewIntent, PaymentError, PaymentProvider};
use app::payments::signatures;
use app::payments::stripe::StripeProvider;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEY: &str = "sk_test_fake";

#[derive(Default)]
struct Fake {
    intents: HashMap<String, Value>,
    by_idempotency: HashMap<String, String>,
    refunded: HashMap<String, i64>,
    requests: usize,
}

type Shared = Arc<Mutex<Fake>>;

fn stripe_error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "type": kind, "message": message } })),
    )
        .into_response()
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {KEY}"))
}

async fn create(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided.",
        );
    }
    let mut fake = s.lock().unwrap();
    fake.requests += 1;
    let idem = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(id) = idem.as_ref().and_then(|k| fake.by_idempotency.get(k)) {
        return Json(fake.intents[id].clone()).into_response();
    }
    let Some(amount) = f
        .get("amount")
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|a| *a > 0)
    else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Missing required param: amount.",
        );
    };
    let id = format!("pi_fake{}", fake.intents.len() + 1);
    let intent = json!({
        "id": id, "object": "payment_intent", "amount": amount, "currency": f["currency"],
        "status": "requires_payment_method", "amount_received": 0, "last_payment_error": null,
        "metadata": { "reference": f.get("metadata[reference]") },
    });
    fake.intents.insert(id.clone(), intent.clone());
    if let Some(k) = idem {
        fake.by_idempotency.insert(k, id);
    }
    Json(intent).into_response()
}

async fn retrieve(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorised(&headers) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided.",
        );
    }
    match s.lock().unwrap().intents.get(&id) {
        Some(i) => Json(i.clone()).into_response(),
        None => stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "No such payment_intent",
        ),
    }
}

async fn action(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((id, verb)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided.",
        );
    }
    let mut fake = s.lock().unwrap();
    let Some(intent) = fake.intents.get_mut(&id) else {
        return stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "No such payment_intent",
        );
    };
    let amount = intent["amount"].clone();
    match (verb.as_str(), f.get("payment_method").map(String::as_str)) {
        ("confirm", Some("pm_card_visa")) => {
            intent["status"] = json!("succeeded");
            intent["amount_received"] = amount;
        }
        ("confirm", Some("pm_card_authenticationRequired")) => {
            intent["status"] = json!("requires_action");
            intent["next_action"] = json!({ "type": "redirect_to_url", "redirect_to_url": {
                "url": "https://hooks.stripe.com/3d_secure_2/hosted", "return_url": f["return_url"] } });
        }
        ("confirm", Some("pm_card_visa_chargeDeclined")) => {
            intent["last_payment_error"] =
                json!({ "message": "Your card was declined.", "code": "card_declined" });
            return stripe_error(
                StatusCode::PAYMENT_REQUIRED,
                "card_error",
                "Your card was declined.",
            );
        }
        ("cancel", _) if intent["status"] != "succeeded" => intent["status"] = json!("canceled"),
        ("cancel", _) => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "You cannot cancel this PaymentIntent because it has a status of succeeded.",
            );
        }
        _ => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "Unsupported request.",
            );
        }
    }
    Json(intent.clone()).into_response()
}

async fn refund(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) || headers.get("idempotency-key").is_none() {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Missing key.",
        );
    }
    let mut fake = s.lock().unwrap();
    let pi = f["payment_intent"].clone();
    let amount: i64 = f["amount"].parse().unwrap();
    let received = fake
        .intents
        .get(&pi)
        .and_then(|i| i["amount_received"].as_i64())
        .unwrap_or(0);
    let done = fake.refunded.get(&pi).copied().unwrap_or(0);
    if done + amount > received {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Refund amount is greater than unrefunded amount on charge.",
        );
    }
    fake.refunded.insert(pi.clone(), done + amount);
    Json(json!({ "id": "re_fake1", "object": "refund", "amount": amount, "status": "succeeded", "payment_intent": pi }))
        .into_response()
}

async fn fake_stripe() -> (String, Shared) {
    let shared: Shared = Arc::default();
    let app = Router::new()
        .route("/v1/payment_intents", post(create))
        .route("/v1/payment_intents/{id}", get(retrieve))
        .route("/v1/payment_intents/{id}/{verb}", post(action))
        .route("/v1/refunds", post(refund))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), shared)
}

fn new_intent(key: &str) -> NewIntent {
    NewIntent {
        amount: 4495,
        currency: "EUR".into(),
        reference: "order-1".into(),
        description: "Test Shop order 1001".into(),
        return_url: "http://shop.test/orders/1".into(),
        idempotency_key: key.into(),
    }
}

#[tokio::test]
async fn payment_intents_are_created_confirmed_and_refunded_through_stripes_api() {
    let (base, fake) = fake_stripe().await;
    let stripe = StripeProvider::new(&base, KEY, "whsec_test");

    let intent = stripe
        .create_intent(&new_intent("order-1-0"))
        .await
        .unwrap();
    assert_eq!(intent.status, IntentStatus::RequiresPaymentMethod);
    assert_eq!((intent.amount, intent.currency.as_str()), (4495, "EUR"));
    let again = stripe
        .create_intent(&new_intent("order-1-0"))
        .await
        .unwrap();
    assert_eq!(again.id, intent.id, "the idempotency key reaches Stripe");
    assert_eq!(fake.lock().unwrap().intents.len(), 1);

    let paid = stripe
        .confirm_intent(&intent.id, "pm_card_visa", "http://shop.test/r")
        .await
        .unwrap();
    assert_eq!(paid.status, IntentStatus::Succeeded);
    assert_eq!(paid.amount_received, 4495);
    assert_eq!(
        stripe.retrieve_intent(&intent.id).await.unwrap().status,
        IntentStatus::Succeeded
    );

    let refund = stripe.refund(&intent.id, 1000, "refund-1").await.unwrap();
    assert_eq!((refund.amount, refund.status.as_str()), (1000, "succeeded"));
    match stripe.refund(&intent.id, 4000, "refund-2").await {
        Err(PaymentError::Refused(m)) => assert!(m.contains("greater than"), "{m}"),
        other => panic!("{other:?}"),
    }
    match stripe.cancel_intent(&intent.id).await {
        Err(PaymentError::Refused(m)) => assert!(m.contains("succeeded")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn declines_authentication_and_bad_keys_come_back_as_errors_and_next_actions() {
    let (base, _fake) = fake_stripe().await;
    let stripe = StripeProvider::new(&base, KEY, "whsec_test");
    let intent = stripe.create_intent(&new_intent("k1")).await.unwrap();
    match stripe
        .confirm_intent(
            &intent.id,
            "pm_card_visa_chargeDeclined",
            "http://shop.test/r",
        )
        .await
    {
        Err(PaymentError::Refused(m)) => assert_eq!(m, "Your card was declined."),
        other => panic!("{other:?}"),
    }
    let after = stripe.retrieve_intent(&intent.id).await.unwrap();
    assert_eq!(after.last_error.as_deref(), Some("Your card was declined."));

    let three_ds = stripe
        .confirm_intent(
            &intent.id,
            "pm_card_authenticationRequired",
            "http://shop.test/r",
        )
        .await
        .unwrap();
    assert_eq!(three_ds.status, IntentStatus::RequiresAction);
    assert_eq!(
        three_ds.pay_url.as_deref(),
        Some("https://hooks.stripe.com/3d_secure_2/hosted")
    );

    assert!(matches!(
        stripe.retrieve_intent("pi_missing").await,
        Err(PaymentError::NotFound)
    ));
    assert!(matches!(
        stripe.retrieve_intent("../../v1/charges").await,
        Err(PaymentError::NotFound)
    ));
    let wrong = StripeProvider::new(&base, "sk_test_wrong", "whsec_test");
    assert!(matches!(
        wrong.create_intent(&new_intent("k2")).await,
        Err(PaymentError::Refused(_))
    ));
    let down = StripeProvider::new("http://127.0.0.1:9", KEY, "whsec_test");
    assert!(matches!(
        down.create_intent(&new_intent("k3")).await,
        Err(PaymentError::Unavailable(_))
    ));
}

#[tokio::test]
async fn stripe_webhooks_are_checked_by_signature_and_age() {
    let stripe = StripeProvider::new("http://127.0.0.1:9", KEY, "whsec_test");
    let body = json!({
        "id": "evt_1", "object": "event", "type": "payment_intent.succeeded",
        "data": { "object": { "id": "pi_1", "object": "payment_intent", "amount": 100, "currency": "eur",
                              "status": "succeeded", "amount_received": 100 } }
    })
    .to_string();
    let now = app::platform::clock::now();
    let header = signatures::sign("whsec_test", now.millis() / 1000, body.as_bytes());
    let event = stripe
        .verify_webhook(Some(&header), body.as_bytes(), now)
        .await
        .unwrap();
    assert_eq!(event.kind, "payment_intent.succeeded");
    assert_eq!(event.intent.unwrap().status, IntentStatus::Succeeded);
    let tampered = body.replace("100", "1");
    assert!(
        stripe
            .verify_webhook(Some(&header), tampered.as_bytes(), now)
            .await
            .is_err()
    );
    let later = now.plus_millis(10 * 60 * 1000);
    assert!(
        stripe
            .verify_webhook(Some(&header), body.as_bytes(), later)
            .await
            .is_err()
    );
}
