//! Fraud scoring over HTTP: a checkout with a throwaway address billed abroad is held; only
//! staff with the orders permission see the review queue and decide; nobody else changes
//! anything; the scores are the settings permission's; a refused card order is not sent to pay.

use crate::support::{TestApp, account, call, each_engine, grant, sign_in};
use reqwest::StatusCode;
use serde_json::Value;
use shop_types::Role;

fn cart_cookie(response: &reqwest::Response) -> String {
    crate::support::cart_cookie(response).expect("a cart cookie")
}

/// A guest checkout of 1 unit of `variant` for `email`, billed in France, delivered to
/// Germany; returns the cart cookie and the idempotency key.
async fn risky_checkout(app: &TestApp, variant: &str, email: &str) -> (String, String) {
    let added = call(
        app,
        &app.client,
        "/api/cart/add",
        &[("variant_id", variant), ("quantity", "1")],
        None,
    )
    .await;
    assert_eq!(added.status(), StatusCode::OK);
    let cookie = cart_cookie(&added);
    let details = [
        ("email", email),
        ("address[full_name]", "Max Schnell"),
        ("address[line1]", "Lindenallee 12"),
        ("address[postal_code]", "20095"),
        ("address[city]", "Hamburg"),
        ("address[country]", "DE"),
        ("bill_elsewhere", "on"),
        ("billing[full_name]", "Max Schnell"),
        ("billing[line1]", "12 rue des Lilas"),
        ("billing[postal_code]", "75011"),
        ("billing[city]", "Paris"),
        ("billing[country]", "FR"),
    ];
    // A billing address is checked like a delivery address, and its errors say so.
    let mut broken = details.to_vec();
    broken.retain(|(k, _)| *k != "billing[city]");
    let refused = call(
        app,
        &app.client,
        "/api/checkout/details",
        &broken,
        Some(&cookie),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert!(body.to_string().contains("billing.city"), "{body}");
    let saved = call(
        app,
        &app.client,
        "/api/checkout/details",
        &details,
        Some(&cookie),
    )
    .await;
    assert_eq!(
        saved.status(),
        StatusCode::OK,
        "{}",
        saved.text().await.unwrap()
    );
    let checkout: Value = app
        .client
        .get(app.url("/api/checkout/get"))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(checkout["billing"]["country"], "FR", "{checkout}");
    let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
    (cookie, key)
}

async fn held(app: &TestApp, order: &str) -> i64 {
    sqlx::query_scalar("SELECT held FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_held_order_is_decided_only_by_staff_with_the_orders_permission() {
    for app in each_engine().await {
        let db = &app.db.db;
        app::catalog::demo::generate(db, 3, "EUR").await.unwrap();
        let variant = app::assembly::testing::variant_with_stock(db, "SKU-000001-01", 5).await;
        let (cookie, key) = risky_checkout(&app, &variant, "quick@mailinator.com").await;
        let placed = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", &key),
                ("payment_method", "bank_transfer"),
            ],
            Some(&cookie),
        )
        .await;
        assert_eq!(placed.status(), StatusCode::OK);
        let placed: Value = placed.json().await.unwrap();
        let order = placed["order_id"].as_str().unwrap().to_owned();
        assert_eq!(held(&app, &order).await, 1);

        account(&app, "pat@example.com", Role::Customer).await;
        account(&app, "ops@example.com", Role::Staff).await;
        account(&app, "desk@example.com", Role::Staff).await;
        grant(&app, "desk@example.com", "manage_orders").await;
        let pat = sign_in(&app, "pat@example.com", None).await;
        let ops = sign_in(&app, "ops@example.com", None).await;
        let desk = sign_in(&app, "desk@example.com", None).await;

        let approve = [("id", order.as_str()), ("decision", "approve")];
        for (who, cookie, status) in [
            ("anonymous", None, StatusCode::UNAUTHORIZED),
            ("a customer", Some(pat.as_str()), StatusCode::FORBIDDEN),
            (
                "staff without the orders permission",
                Some(ops.as_str()),
                StatusCode::FORBIDDEN,
            ),
        ] {
            let queue = call(&app, &app.client, "/api/admin/risk", &[], cookie).await;
            assert_eq!(queue.status(), status, "{who} reads the queue");
            let decided = call(
                &app,
                &app.client,
                "/api/admin/risk/decide",
                &approve,
                cookie,
            )
            .await;
            assert_eq!(decided.status(), status, "{who} decides");
            let scores = call(
                &app,
                &app.client,
                "/api/admin/settings/risk",
                &[("risk_review_score", "1"), ("risk_cancel_score", "101")],
                cookie,
            )
            .await;
            assert_eq!(scores.status(), status, "{who} sets the scores");
        }
        assert_eq!(held(&app, &order).await, 1, "nothing changed");
        // The orders permission is not the settings permission.
        let scores = call(
            &app,
            &app.client,
            "/api/admin/settings/risk",
            &[("risk_review_score", "1"), ("risk_cancel_score", "101")],
            Some(&desk),
        )
        .await;
        assert_eq!(scores.status(), StatusCode::FORBIDDEN);

        let queue = call(&app, &app.client, "/api/admin/risk", &[], Some(&desk)).await;
        assert_eq!(queue.status(), StatusCode::OK);
        let queue: Value = queue.json().await.unwrap();
        assert_eq!(queue["waiting"][0]["order_id"], order.as_str(), "{queue}");
        assert_eq!(queue["waiting"][0]["score"], 60);
        let nonsense = call(
            &app,
            &app.client,
            "/api/admin/risk/decide",
            &[("id", order.as_str()), ("decision", "maybe")],
            Some(&desk),
        )
        .await;
        assert_eq!(nonsense.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = call(
            &app,
            &app.client,
            "/api/admin/risk/decide",
            &[("id", "nosuchorder"), ("decision", "approve")],
            Some(&desk),
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        // Packing is refused while held, allowed once approved.
        let pack = [("id", order.as_str()), ("status", "fulfilled")];
        let refused = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &pack,
            Some(&desk),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let decided = call(
            &app,
            &app.client,
            "/api/admin/risk/decide",
            &approve,
            Some(&desk),
        )
        .await;
        assert_eq!(
            decided.status(),
            StatusCode::OK,
            "{}",
            decided.text().await.unwrap()
        );
        assert_eq!(held(&app, &order).await, 0);
        let again = call(
            &app,
            &app.client,
            "/api/admin/risk/decide",
            &approve,
            Some(&desk),
        )
        .await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        app.stop().await;
    }
}

#[tokio::test]
async fn an_order_the_rules_cancel_is_not_sent_to_pay() {
    for app in each_engine().await {
        let db = &app.db.db;
        app::catalog::demo::generate(db, 3, "EUR").await.unwrap();
        let variant = app::assembly::testing::variant_with_stock(db, "SKU-000001-01", 5).await;
        let mut conn = db.pool().acquire().await.unwrap();
        app::settings::settings_service::save_risk_scores(&mut conn, "20", "50")
            .await
            .unwrap();
        drop(conn);
        let (cookie, key) = risky_checkout(&app, &variant, "quick@mailinator.com").await;
        let placed = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[("idempotency_key", &key), ("payment_method", "card")],
            Some(&cookie),
        )
        .await;
        assert_eq!(placed.status(), StatusCode::OK);
        let placed: Value = placed.json().await.unwrap();
        let next = placed["next_url"].as_str().unwrap();
        assert!(
            next.starts_with("/orders/"),
            "to the order page, not to pay: {next}"
        );
        let order = placed["order_id"].as_str().unwrap();
        let (status, payments): (String, i64) = sqlx::query_as(
            "SELECT status, (SELECT COUNT(*) FROM payments WHERE order_id = $1) FROM orders WHERE id = $1",
        )
        .bind(order)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!((status.as_str(), payments), ("cancelled", 0));
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(&variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 5);
        app.stop().await;
    }
}
