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
    sessions: HashMap<String, Value>,
    by_idempotency: HashMap<String, String>,
    refunded: HashMap<String, i64>,
    /// Charges by PaymentIntent, newest first (as Stripe lists them).
    charges: HashMap<String, Vec<Value>>,
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

fn unauthorised() -> Response {
    stripe_error(
        StatusCode::UNAUTHORIZED,
        "invalid_request_error",
        "Invalid API Key provided.",
    )
}

/// `POST /v1/checkout/sessions`: checks what Stripe requires of a one-line payment session.
async fn create_session(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return unauthorised();
    }
    let mut fake = s.lock().unwrap();
    fake.requests += 1;
    let idem = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(id) = idem.as_ref().and_then(|k| fake.by_idempotency.get(k)) {
        return Json(fake.sessions[id].clone()).into_response();
    }
    let amount = f
        .get("line_items[0][price_data][unit_amount]")
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|a| *a > 0);
    let now = app::platform::clock::now().millis() / 1000;
    let expires = f.get("expires_at").and_then(|e| e.parse::<i64>().ok());
    let valid = f.get("mode").map(String::as_str) == Some("payment")
        && f.get("line_items[0][quantity]").map(String::as_str) == Some("1")
        && f.contains_key("success_url")
        && f.contains_key("line_items[0][price_data][product_data][name]")
        && expires.is_some_and(|e| (now + 30 * 60..=now + 24 * 3600).contains(&e));
    let Some(amount) = amount.filter(|_| valid) else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Invalid Checkout Session parameters.",
        );
    };
    let id = format!("cs_test_fake{}", fake.sessions.len() + 1);
    let session = json!({
        "id": id, "object": "checkout.session", "amount_total": amount,
        "currency": f["line_items[0][price_data][currency]"], "status": "open",
        "payment_status": "unpaid", "payment_intent": null,
        "url": format!("https://checkout.stripe.com/c/pay/{id}"),
        "success_url": f["success_url"], "client_reference_id": f.get("client_reference_id"),
        "metadata": { "reference": f.get("metadata[reference]") },
    });
    fake.sessions.insert(id.clone(), session.clone());
    if let Some(k) = idem {
        fake.by_idempotency.insert(k, id);
    }
    Json(session).into_response()
}

async fn retrieve_session(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&headers) {
        return unauthorised();
    }
    match s.lock().unwrap().sessions.get(&id) {
        Some(session) => Json(session.clone()).into_response(),
        None => stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "No such checkout.session",
        ),
    }
}

async fn expire_session(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&headers) {
        return unauthorised();
    }
    let mut fake = s.lock().unwrap();
    let Some(session) = fake.sessions.get_mut(&id) else {
        return stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "No such checkout.session",
        );
    };
    if session["status"] != "open" {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "Only Checkout Sessions with a status of open can be expired.",
        );
    }
    session["status"] = json!("expired");
    Json(session.clone()).into_response()
}

fn charge(status: &str, fingerprint: &str) -> Value {
    json!({ "object": "charge", "status": status,
            "payment_method_details": { "type": "card", "card": { "fingerprint": fingerprint } } })
}

/// What the hosted page does when a card is declined: the session's PaymentIntent gets a
/// failed charge.
fn decline_on_hosted_page(fake: &Shared, session_id: &str, fingerprint: &str) {
    let mut fake = fake.lock().unwrap();
    let pi = format!("pi_fake_for_{session_id}");
    fake.sessions.get_mut(session_id).unwrap()["payment_intent"] = json!(pi);
    fake.charges
        .entry(pi)
        .or_default()
        .insert(0, charge("failed", fingerprint));
}

/// `GET /v1/charges?payment_intent=`: an intent's charges, newest first.
async fn list_charges(
    State(s): State<Shared>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return unauthorised();
    }
    let fake = s.lock().unwrap();
    let data = q
        .get("payment_intent")
        .and_then(|pi| fake.charges.get(pi))
        .cloned()
        .unwrap_or_default();
    Json(json!({ "object": "list", "data": data, "has_more": false })).into_response()
}

/// What the hosted page does when the shopper pays: the session completes with a new
/// PaymentIntent holding the money. Returns the completed session.
fn pay_on_hosted_page(fake: &Shared, session_id: &str) -> Value {
    let mut fake = fake.lock().unwrap();
    let pi = format!("pi_fake_for_{session_id}");
    fake.charges
        .entry(pi.clone())
        .or_default()
        .insert(0, charge("succeeded", "fpFakeVisa"));
    let amount = fake.sessions[session_id]["amount_total"].clone();
    fake.intents.insert(
        pi.clone(),
        json!({ "id": pi, "object": "payment_intent", "amount": amount, "currency": "eur",
                "status": "succeeded", "amount_received": amount }),
    );
    let session = fake.sessions.get_mut(session_id).unwrap();
    session["status"] = json!("complete");
    session["payment_status"] = json!("paid");
    session["payment_intent"] = json!(pi);
    session.clone()
}

async fn fake_stripe() -> (String, Shared) {
    let shared: Shared = Arc::default();
    let app = Router::new()
        .route("/v1/checkout/sessions", post(create_session))
        .route("/v1/checkout/sessions/{id}", get(retrieve_session))
        .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
        .route("/v1/payment_intents", post(create))
        .route("/v1/payment_intents/{id}", get(retrieve))
        .route("/v1/payment_intents/{id}/{verb}", post(action))
        .route("/v1/refunds", post(refund))
        .route("/v1/charges", get(list_charges))
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
async fn checkout_sessions_are_created_paid_refunded_and_expired_through_stripes_api() {
    let (base, fake) = fake_stripe().await;
    let stripe = StripeProvider::new(&base, KEY, "whsec_test");

    let session = stripe
        .create_intent(&new_intent("order-1-0"))
        .await
        .unwrap();
    assert_eq!(session.status, IntentStatus::RequiresPaymentMethod);
    assert_eq!((session.amount, session.currency.as_str()), (4495, "EUR"));
    assert!(session.id.starts_with("cs_"), "{}", session.id);
    assert!(
        session
            .pay_url
            .as_deref()
            .is_some_and(|u| u.starts_with(app::payments::stripe::CHECKOUT_ORIGIN))
    );
    let again = stripe
        .create_intent(&new_intent("order-1-0"))
        .await
        .unwrap();
    assert_eq!(again.id, session.id, "the idempotency key reaches Stripe");
    assert_eq!(fake.lock().unwrap().sessions.len(), 1);

    // Nothing tried yet: nothing to tell.
    assert_eq!(
        stripe.card_history(&session.id).await.unwrap(),
        app::fraud::assess::CardFacts::default()
    );
    decline_on_hosted_page(&fake, &session.id, "fpStolen1");
    decline_on_hosted_page(&fake, &session.id, "fpStolen2");
    pay_on_hosted_page(&fake, &session.id);
    let paid = stripe.retrieve_intent(&session.id).await.unwrap();
    assert_eq!(
        stripe.card_history(&session.id).await.unwrap(),
        app::fraud::assess::CardFacts {
            declines: 2,
            fingerprint: Some("fpFakeVisa".into())
        },
        "the session's PaymentIntent's charges are read"
    );
    assert_eq!(paid.status, IntentStatus::Succeeded);
    assert_eq!((paid.amount_received, paid.pay_url), (4495, None));

    let refund = stripe.refund(&session.id, 1000, "refund-1").await.unwrap();
    assert_eq!((refund.amount, refund.status.as_str()), (1000, "succeeded"));
    match stripe.refund(&session.id, 4000, "refund-2").await {
        Err(PaymentError::Refused(m)) => assert!(m.contains("greater than"), "{m}"),
        other => panic!("{other:?}"),
    }
    match stripe.cancel_intent(&session.id).await {
        Err(PaymentError::Refused(m)) => assert!(m.contains("open"), "{m}"),
        other => panic!("{other:?}"),
    }

    let unpaid = stripe
        .create_intent(&new_intent("order-2-0"))
        .await
        .unwrap();
    let expired = stripe.cancel_intent(&unpaid.id).await.unwrap();
    assert_eq!(expired.status, IntentStatus::Canceled);
    assert!(matches!(
        stripe.refund(&unpaid.id, 100, "refund-3").await,
        Err(PaymentError::Refused(_))
    ));
}

#[tokio::test]
async fn declines_authentication_and_bad_keys_come_back_as_errors_and_next_actions() {
    let (base, fake) = fake_stripe().await;
    let stripe = StripeProvider::new(&base, KEY, "whsec_test");
    // A PaymentIntent made before the shop moved to hosted pages is still understood.
    fake.lock().unwrap().intents.insert(
        "pi_old1".into(),
        json!({ "id": "pi_old1", "object": "payment_intent", "amount": 4495, "currency": "eur",
                "status": "requires_payment_method", "amount_received": 0, "last_payment_error": null }),
    );
    match stripe
        .confirm_intent(
            "pi_old1",
            "pm_card_visa_chargeDeclined",
            "http://shop.test/r",
        )
        .await
    {
        Err(PaymentError::Refused(m)) => assert_eq!(m, "Your card was declined."),
        other => panic!("{other:?}"),
    }
    let after = stripe.retrieve_intent("pi_old1").await.unwrap();
    assert_eq!(after.last_error.as_deref(), Some("Your card was declined."));
    let three_ds = stripe
        .confirm_intent(
            "pi_old1",
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
        stripe.retrieve_intent("cs_missing").await,
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

/// The whole card path on Stripe's hosted page, as the shop runs it: the order's payment is a
/// Checkout Session the shopper is sent to; the signed `checkout.session.completed` webhook
/// marks the order paid (once); a refund reaches the session's PaymentIntent; an order not
/// paid in time expires its session and gives its stock back.
#[tokio::test]
async fn a_card_order_is_paid_on_stripes_hosted_page_and_confirmed_by_webhook() {
    use app::assembly::testing::{TestDb, ready_cart, shop_with_products, variant_with_stock};
    use app::checkout::placement::{self, PlaceRequest};
    use app::payments::{CardProvider, Payments, payment_service};
    use shop_types::PaymentMethod;

    for t in TestDb::all().await {
        let db = &t.db;
        let (base, fake) = fake_stripe().await;
        shop_with_products(db, 2).await;
        let p = Payments {
            db: db.clone(),
            provider: CardProvider::Stripe(StripeProvider::new(&base, KEY, "whsec_test")),
            mail: app::assembly::testing::test_order_mail(),
        };
        assert!(
            p.offers(PaymentMethod::Card),
            "a shop on Stripe takes cards"
        );
        let v = variant_with_stock(db, "SKU-000001-01", 3).await;
        let place = |cart: String, key: &'static str| {
            let db = db.clone();
            async move {
                placement::place(
                    &db,
                    &PlaceRequest {
                        cart_id: cart,
                        user_id: None,
                        idempotency_key: format!("stripe-test-key-{key:0>10}"),
                        method: PaymentMethod::Card,
                        manual_window_days: 14,
                        client: None,
                        device: None,
                    },
                )
                .await
                .unwrap()
            }
        };
        let order = place(ready_cart(db, "hosted", &v, 1).await, "hosted").await;
        let url = payment_service::start(&p, &order.order_id)
            .await
            .unwrap()
            .unwrap();
        assert!(
            url.starts_with("https://checkout.stripe.com/c/pay/cs_"),
            "{url}"
        );
        let session_id = url.rsplit('/').next().unwrap().to_owned();
        assert_eq!(
            fake.lock().unwrap().sessions[&session_id]["client_reference_id"],
            json!(order.order_id)
        );
        // Coming back to "Pay now" before paying gives the same page, not a second session.
        assert_eq!(
            payment_service::start(&p, &order.order_id)
                .await
                .unwrap()
                .unwrap(),
            url
        );
        assert_eq!(fake.lock().unwrap().sessions.len(), 1);

        let paid = pay_on_hosted_page(&fake, &session_id);
        let body = json!({
            "id": "evt_hosted_1", "object": "event", "type": "checkout.session.completed",
            "data": { "object": paid }
        })
        .to_string();
        let now = app::platform::clock::now();
        let header = signatures::sign("whsec_test", now.millis() / 1000, body.as_bytes());
        assert!(
            payment_service::receive_webhook(&p, "stripe", Some(&header), body.as_bytes())
                .await
                .unwrap()
        );
        assert!(
            !payment_service::receive_webhook(&p, "stripe", Some(&header), body.as_bytes())
                .await
                .unwrap(),
            "a re-delivered event is not applied twice"
        );
        let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(&order.order_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(status, "paid");

        let staff = app::orders::status_rules::Actor::Staff(app::platform::audit_trail::Who::of(
            "s",
            "s@example.com",
        ));
        payment_service::refund(&p, &order.order_id, 500, "scratch", &staff)
            .await
            .unwrap();
        assert_eq!(
            fake.lock().unwrap().refunded[&format!("pi_fake_for_{session_id}")],
            500
        );

        // Not paid in time: the session is expired at Stripe and the stock comes back.
        let late = place(ready_cart(db, "late", &v, 1).await, "late").await;
        let late_url = payment_service::start(&p, &late.order_id)
            .await
            .unwrap()
            .unwrap();
        let late_session = late_url.rsplit('/').next().unwrap().to_owned();
        assert!(payment_service::expire(&p, &late.order_id).await.unwrap());
        assert_eq!(
            fake.lock().unwrap().sessions[&late_session]["status"],
            "expired"
        );
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(&v)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 2, "one sold, the expired one given back");
        t.finish().await;
    }
}
