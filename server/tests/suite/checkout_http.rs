//! Checkout over real HTTP: a guest pays by test card (declined, then paid), the provider's
//! webhook arrives through the job queue and is applied once, tampering is refused, orders are
//! private, and staff move them on.

use crate::support::{TestApp, account, call, each_engine, sign_in, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use shop_types::Role;

fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")) && !v.starts_with(&format!("{name}=;")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

async fn get_json(app: &TestApp, path: &str, cookie: Option<&str>) -> (StatusCode, Value) {
    let mut request = app
        .client
        .get(app.url(path))
        .header("accept", "application/json");
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn variant(app: &TestApp, sku: &str, stock: i64) -> String {
    app::assembly::testing::variant_with_stock(&app.db.db, sku, stock).await
}

const ADDRESS: &[(&str, &str)] = &[
    ("email", "guest@example.com"),
    ("address[full_name]", "Erika Mustermann"),
    ("address[line1]", "Hauptstraße 5"),
    ("address[postal_code]", "10115"),
    ("address[city]", "Berlin"),
    ("address[country]", "DE"),
];

/// Puts `qty` of `variant` in a guest cart with a German address; returns the cart cookie
/// (or adds to the account cart of `session`).
async fn cart_ready(app: &TestApp, variant: &str, qty: &str, session: Option<&str>) -> String {
    let added = call(
        app,
        &app.client,
        "/api/cart/add",
        &[
            ("variant_id", variant),
            ("quantity", qty),
            ("price_minor", "1"),
        ],
        session,
    )
    .await;
    assert_eq!(added.status(), StatusCode::OK);
    let cookie = match session {
        Some(s) => s.to_owned(),
        None => cookie_named(&added, "shop_cart").expect("cart cookie"),
    };
    let saved = call(
        app,
        &app.client,
        "/api/checkout/details",
        ADDRESS,
        Some(&cookie),
    )
    .await;
    assert_eq!(
        saved.status(),
        StatusCode::OK,
        "{}",
        saved.text().await.unwrap()
    );
    cookie
}

fn query_of(url: &str, name: &str) -> String {
    url.split(['?', '&'])
        .find_map(|part| part.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_guest_pays_by_test_card_after_a_decline_and_the_webhook_is_applied_once() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 5, "EUR")
            .await
            .unwrap();
        let v = variant(&app, "SKU-000001-01", 3).await;
        let cookie = cart_ready(&app, &v, "2", None).await;

        let (status, checkout) = get_json(&app, "/api/checkout/get", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            checkout["missing"].as_array().unwrap().is_empty(),
            "{checkout}"
        );
        assert!(
            checkout["shipping_rate_id"].is_string(),
            "the cheapest rate was chosen"
        );
        let total = checkout["quote"]["total"]["minor"].as_i64().unwrap();
        let key = checkout["idempotency_key"].as_str().unwrap().to_owned();

        // Tampering: an unknown payment method, a malformed key, a price from the client.
        let bad = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[("idempotency_key", &key), ("payment_method", "free")],
            Some(&cookie),
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[("idempotency_key", "x"), ("payment_method", "card")],
            Some(&cookie),
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let placed = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", &key),
                ("payment_method", "card"),
                ("total_minor", "1"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(placed.status(), StatusCode::OK);
        let placed: Value = placed.json().await.unwrap();
        let order_id = placed["order_id"].as_str().unwrap().to_owned();
        let pay_url = placed["next_url"].as_str().unwrap().to_owned();
        assert!(
            pay_url.starts_with(&format!("{}/testpay/pi_", app.public_url)),
            "{pay_url}"
        );
        let again: Value = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[("idempotency_key", &key), ("payment_method", "card")],
            Some(&cookie),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(again["order_id"], order_id.as_str(), "same key, same order");
        let stored_total: i64 = sqlx::query_scalar("SELECT total_minor FROM orders WHERE id = $1")
            .bind(&order_id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(stored_total, total, "the client's total was ignored");

        // The order is private: no key, no order. Not paid yet.
        let (status, _) = get_json(&app, &format!("/api/orders/get?id={order_id}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = get_json(
            &app,
            &format!("/api/orders/get?id={order_id}&key=wrong"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The provider's page: a declined card, then a good one.
        let intent = pay_url
            .split("/testpay/")
            .nth(1)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let secret = query_of(&pay_url, "secret");
        let (status, _) = get_json(
            &app,
            &format!("/api/testpay/get?id={intent}&secret=wrong"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let card = |number: &'static str| {
            vec![
                ("id", intent.clone()),
                ("secret", secret.clone()),
                ("number", number.to_owned()),
                ("expiry", "12/39".to_owned()),
                ("cvc", "123".to_owned()),
            ]
        };
        let form = card("4000 0000 0000 0002");
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let declined = call(&app, &app.client, "/api/testpay/pay", &form, None).await;
        assert_eq!(declined.status(), StatusCode::OK);
        let order_link = query_of(&pay_url, "secret");
        assert!(!order_link.is_empty());
        let return_key: String = {
            let (_, view) = get_json(
                &app,
                &format!("/api/testpay/get?id={intent}&secret={secret}"),
                None,
            )
            .await;
            query_of(view["return_url"].as_str().unwrap(), "key")
        };
        let (status, order) = get_json(
            &app,
            &format!("/api/orders/get?id={order_id}&key={return_key}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(order["status"], "awaiting_payment");
        assert_eq!(order["payment_error"], "Your card was declined.");
        let cart: Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cart["units"], 2, "a declined card keeps the cart");

        let form = card("4242424242424242");
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            call(&app, &app.client, "/api/testpay/pay", &form, None)
                .await
                .status(),
            StatusCode::OK
        );
        let (_, order) = get_json(
            &app,
            &format!("/api/orders/get?id={order_id}&key={return_key}"),
            None,
        )
        .await;
        assert_eq!(order["status"], "paid");
        assert_eq!(order["invoice_number"], 1);
        let cart: Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cart["units"], 0, "the paid units left the cart");
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(&v)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 1);

        // The provider's webhooks reach /webhooks/test through the job queue, signed; each is
        // recorded once and the order is paid once.
        let mut delivered = 0;
        for _ in 0..100 {
            delivered = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM webhook_events")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
            if delivered >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(delivered, 2, "payment_failed and succeeded");
        let paid_events: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM order_events WHERE order_id = $1 AND to_status = 'paid'",
        )
        .bind(&order_id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(paid_events, 1);
        let unsigned = app
            .client
            .post(app.url("/webhooks/test"))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(unsigned.status(), StatusCode::BAD_REQUEST);
        let unknown = app
            .client
            .post(app.url("/webhooks/paypal"))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        // The confirmation mail went out with the order's link.
        let mut mails = 0;
        for _ in 0..50 {
            let mut conn = app.db.db.pool().acquire().await.unwrap();
            mails = app::email::read_mailbox(&mut conn, app.db.db.vault(), 1000)
                .await
                .unwrap()
                .iter()
                .filter(|m| m.to == "guest@example.com" && m.subject.starts_with("Your order"))
                .count();
            if mails > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(mails, 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn orders_are_private_to_their_account_and_staff_move_them_on() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 5, "EUR")
            .await
            .unwrap();
        let v = variant(&app, "SKU-000002-01", 5).await;
        account(&app, "buyer@example.com", Role::Customer).await;
        account(&app, "other@example.com", Role::Customer).await;
        account(&app, "boss@example.com", Role::Admin).await;
        let buyer = sign_in(&app, "buyer@example.com", None).await;
        cart_ready(&app, &v, "1", Some(&buyer)).await;
        let (_, checkout) = get_json(&app, "/api/checkout/get", Some(&buyer)).await;
        let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
        let placed: Value = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", &key),
                ("payment_method", "bank_transfer"),
            ],
            Some(&buyer),
        )
        .await
        .json()
        .await
        .unwrap();
        let id = placed["order_id"].as_str().unwrap().to_owned();

        let (status, order) =
            get_json(&app, &format!("/api/orders/get?id={id}"), Some(&buyer)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(order["status"], "awaiting_payment");
        // How to pay travels as facts; the page words them.
        assert_eq!(order["bank_instructions"]["order_number"], 1001, "{order}");
        assert!(order["bank_instructions"]["account"].is_string(), "{order}");
        let other = sign_in(&app, "other@example.com", None).await;
        let (status, _) = get_json(&app, &format!("/api/orders/get?id={id}"), Some(&other)).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another customer cannot see it"
        );
        let (_, history) = get_json(&app, "/api/orders/mine", Some(&buyer)).await;
        assert_eq!(history.as_array().unwrap().len(), 1);
        let (_, history) = get_json(&app, "/api/orders/mine", Some(&other)).await;
        assert!(history.as_array().unwrap().is_empty());

        // A customer cannot ship; the admin marks it paid, packs and ships it.
        let refused = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &[("id", &id), ("status", "shipped")],
            Some(&buyer),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let boss = sign_in(&app, "boss@example.com", None).await;
        let early = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &[
                ("id", &id),
                ("status", "shipped"),
                ("carrier", "DHL"),
                ("tracking_number", "1"),
            ],
            Some(&boss),
        )
        .await;
        assert_eq!(
            early.status(),
            StatusCode::CONFLICT,
            "not before it is paid and packed"
        );
        assert_eq!(
            call(
                &app,
                &app.client,
                "/api/admin/orders/mark-paid",
                &[("id", &id)],
                Some(&boss)
            )
            .await
            .status(),
            StatusCode::OK
        );
        assert_eq!(
            call(
                &app,
                &app.client,
                "/api/admin/orders/status",
                &[("id", &id), ("status", "fulfilled")],
                Some(&boss)
            )
            .await
            .status(),
            StatusCode::OK
        );
        let no_tracking = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &[("id", &id), ("status", "shipped")],
            Some(&boss),
        )
        .await;
        assert_eq!(no_tracking.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let shipped = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &[
                ("id", &id),
                ("status", "shipped"),
                ("carrier", "DHL"),
                ("tracking_number", "JJD000123"),
            ],
            Some(&boss),
        )
        .await;
        assert_eq!(shipped.status(), StatusCode::OK);
        let (_, order) = get_json(&app, &format!("/api/orders/get?id={id}"), Some(&buyer)).await;
        assert_eq!(order["status"], "shipped");
        let listed: Value = call(
            &app,
            &app.client,
            "/api/admin/orders/list",
            &[("status", "shipped")],
            Some(&boss),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(listed["rows"].as_array().unwrap().len(), 1);
        assert_eq!(listed["rows"][0]["id"], id.as_str());
        assert!(listed["next"].is_null());
        let none: Value = call(
            &app,
            &app.client,
            "/api/admin/orders/list",
            &[("status", "delivered")],
            Some(&boss),
        )
        .await
        .json()
        .await
        .unwrap();
        assert!(none["rows"].as_array().unwrap().is_empty());
        let refused = call(
            &app,
            &app.client,
            "/api/admin/orders/list",
            &[],
            Some(&buyer),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(order["tracking_number"], "JJD000123");
        assert_eq!(order["history"].as_array().unwrap().len(), 4);

        // The customer cannot cancel a shipped order.
        let cancel = call(
            &app,
            &app.client,
            "/api/orders/cancel",
            &[("id", &id)],
            Some(&buyer),
        )
        .await;
        assert_eq!(cancel.status(), StatusCode::CONFLICT);
        app.stop().await;
    }
}

#[tokio::test]
async fn tampered_requests_get_clear_errors_and_change_nothing() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 5, "EUR")
            .await
            .unwrap();
        let v = variant(&app, "SKU-000003-01", 4).await;

        // Quantities that are negative, zero, fractional, huge or not numbers.
        for quantity in ["-1", "0", "1.5", "99999999999999999999", "1e3", "two"] {
            let refused = call(
                &app,
                &app.client,
                "/api/cart/add",
                &[("variant_id", &v), ("quantity", quantity)],
                None,
            )
            .await;
            assert_eq!(
                refused.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "quantity {quantity}"
            );
            let body: Value = refused.json().await.unwrap();
            assert!(!body.to_string().is_empty());
        }
        // Unknown variants.
        let unknown = call(
            &app,
            &app.client,
            "/api/cart/add",
            &[
                ("variant_id", "00000000000000000000000000"),
                ("quantity", "1"),
            ],
            None,
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let garbage = call(
            &app,
            &app.client,
            "/api/cart/add",
            &[("variant_id", "' OR 1=1 --"), ("quantity", "1")],
            None,
        )
        .await;
        assert_eq!(garbage.status(), StatusCode::NOT_FOUND);

        let cookie = cart_ready(&app, &v, "2", None).await;
        // A coupon that does not exist, and one that has expired.
        sqlx::query("INSERT INTO coupons (id, code, kind, value, ends_at, created_at) VALUES ('c1', 'GONE', 'percent', 50, 1, 0)")
            .execute(app.db.db.pool())
            .await
            .unwrap();
        for code in ["NOPE", "GONE", "<script>"] {
            let refused = call(
                &app,
                &app.client,
                "/api/checkout/coupon",
                &[("code", code)],
                Some(&cookie),
            )
            .await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        }
        // Guessing codes is limited: after the allowance every try is refused with 429.
        let mut statuses = Vec::new();
        for n in 0..app::checkout::COUPON_TRIES {
            let guess = call(
                &app,
                &app.client,
                "/api/checkout/coupon",
                &[("code", &format!("GUESS{n}"))],
                Some(&cookie),
            )
            .await;
            statuses.push(guess.status());
        }
        assert_eq!(
            statuses.last(),
            Some(&StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY
                    || *s == StatusCode::TOO_MANY_REQUESTS)
        );
        // A shipping rate that is not offered for the address.
        let rate = call(
            &app,
            &app.client,
            "/api/checkout/shipping",
            &[("rate", "00000000000000000000000000")],
            Some(&cookie),
        )
        .await;
        assert_eq!(rate.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // An address the post would not deliver.
        let bad_address = call(
            &app,
            &app.client,
            "/api/checkout/details",
            &[
                ("email", "a@example.com"),
                ("address[full_name]", "A"),
                ("address[line1]", "B 1"),
                ("address[postal_code]", "1"),
                ("address[city]", "C"),
                ("address[country]", "DE"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(bad_address.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad_email = call(
            &app,
            &app.client,
            "/api/checkout/details",
            &[("email", "not an address")],
            Some(&cookie),
        )
        .await;
        assert_eq!(bad_email.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Prices and totals sent by the client are ignored; an order is placed at the catalog's.
        let (_, checkout) = get_json(&app, "/api/checkout/get", Some(&cookie)).await;
        let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
        let placed: Value = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", &key),
                ("payment_method", "card"),
                ("unit_price_minor", "1"),
                ("total_minor", "1"),
            ],
            Some(&cookie),
        )
        .await
        .json()
        .await
        .unwrap();
        let id = placed["order_id"].as_str().unwrap().to_owned();
        let price: i64 = sqlx::query_scalar("SELECT price_minor FROM variants WHERE id = $1")
            .bind(&v)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let line: i64 =
            sqlx::query_scalar("SELECT unit_price_minor FROM order_lines WHERE order_id = $1")
                .bind(&id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(line, price);

        // Going to the confirmation without paying: the order stays unpaid, no invoice.
        let key = query_of(placed["next_url"].as_str().unwrap(), "secret");
        assert!(!key.is_empty());
        let link: String = app::orders::links::link_key(&app.db.db, &id).await.unwrap();
        let (status, order) = get_json(
            &app,
            &format!("/api/orders/get?id={id}&key={link}&paid=1"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(order["status"], "awaiting_payment");
        assert!(order["invoice_number"].is_null());
        // Nor can anyone mark it paid but staff; a forged webhook is refused.
        let forged = app
            .client
            .post(app.url("/webhooks/test"))
            .header("testpay-signature", "t=1,v1=00")
            .body(r#"{"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{}}}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
        let paid = call(
            &app,
            &app.client,
            "/api/admin/orders/mark-paid",
            &[("id", &id)],
            Some(&cookie),
        )
        .await;
        assert_eq!(paid.status(), StatusCode::UNAUTHORIZED);
        let (_, order) = get_json(&app, &format!("/api/orders/get?id={id}&key={link}"), None).await;
        assert_eq!(order["status"], "awaiting_payment");

        // The customer cancels: the stock comes back.
        let cancelled = call(
            &app,
            &app.client,
            "/api/orders/cancel",
            &[("id", &id), ("key", &link)],
            None,
        )
        .await;
        assert_eq!(cancelled.status(), StatusCode::OK);
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(&v)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 4);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(orders, 1, "no order but the one placed");
        app.stop().await;
    }
}

/// A shop on Stripe offers cards and sends the shopper to Stripe's hosted page: its policy lets
/// the "Place order" post lead there (here the stand-in API's own origin), and the test provider's pages do not exist. (Stripe is
/// unreachable here: the order stands and its page offers "Pay now"; the hosted page itself is
/// tried against a fake in `app/tests/suite/stripe.rs`.)
#[tokio::test]
async fn a_shop_on_stripe_takes_cards_on_the_hosted_page() {
    let db = app::assembly::testing::TestDb::sqlite().await;
    let app = spawn_app_with(db, |config| {
        config.card_provider = app::platform::config::CardProviderSetting::Stripe {
            api_base: "http://127.0.0.1:9".into(),
            secret_key: "sk_test_x".into(),
            webhook_secret: "whsec_x".into(),
        };
    })
    .await;
    app::catalog::demo::generate(&app.db.db, 5, "EUR")
        .await
        .unwrap();
    let v = variant(&app, "SKU-000001-01", 3).await;
    let cookie = cart_ready(&app, &v, "1", None).await;
    let (_, checkout) = get_json(&app, "/api/checkout/get", Some(&cookie)).await;
    let methods: Vec<&str> = checkout["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert_eq!(methods, ["card", "bank_transfer", "cash_on_delivery"]);
    let page = app.client.get(app.url("/checkout")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9;"),
        "{csp}"
    );
    let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
    let card = call(
        &app,
        &app.client,
        "/api/checkout/place",
        &[("idempotency_key", &key), ("payment_method", "card")],
        Some(&cookie),
    )
    .await;
    assert_eq!(card.status(), StatusCode::OK);
    let placed: Value = card.json().await.unwrap();
    assert!(
        placed["next_url"].as_str().unwrap().starts_with("/orders/"),
        "{placed}"
    );
    let testpay = app
        .client
        .get(app.url("/api/testpay/get?id=x&secret=y"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(testpay.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn one_address_cannot_place_orders_without_end() {
    let db = app::assembly::testing::TestDb::sqlite().await;
    let app = spawn_app_with(db, |config| config.order_rate_limit = 2).await;
    app::catalog::demo::generate(&app.db.db, 5, "EUR")
        .await
        .unwrap();
    let v = variant(&app, "SKU-000001-01", 50).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let cookie = cart_ready(&app, &v, "1", None).await;
        let (_, checkout) = get_json(&app, "/api/checkout/get", Some(&cookie)).await;
        let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
        let placed = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", &key),
                ("payment_method", "cash_on_delivery"),
            ],
            Some(&cookie),
        )
        .await;
        statuses.push(placed.status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(&v)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    assert_eq!(stock, 48, "the refused order took nothing");
    app.stop().await;
}
