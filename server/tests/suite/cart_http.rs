//! The cart over real HTTP: a guest's cookie cart, refused tampering, and the merge at sign-in.

use crate::support::{account, call, cart_cookie, each_engine, sign_in};
use reqwest::StatusCode;
use shop_types::Role;

#[tokio::test]
async fn a_guest_cart_lives_in_a_cookie_refuses_tampering_and_joins_the_account() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 20, "EUR")
            .await
            .unwrap();
        let variant: String =
            sqlx::query_scalar("SELECT id FROM variants WHERE sku = 'SKU-000003-01'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        sqlx::query("UPDATE variants SET stock = 6 WHERE id = $1")
            .bind(&variant)
            .execute(app.db.db.pool())
            .await
            .unwrap();

        let added = call(
            &app,
            &app.client,
            "/api/cart/add",
            &[
                ("variant_id", &variant),
                ("quantity", "2"),
                ("price_minor", "1"),
            ],
            None,
        )
        .await;
        assert_eq!(added.status(), StatusCode::OK);
        let cookie = cart_cookie(&added).expect("a guest cart cookie");
        let cart: serde_json::Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cart["units"], 2);
        // The header's count, on its own; a shopper without a cart has none.
        let units: u32 = call(&app, &app.client, "/api/cart/units", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(units, 2);
        let none: u32 = call(&app, &app.client, "/api/cart/units", &[], None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(none, 0);
        let price: i64 = sqlx::query_scalar("SELECT price_minor FROM variants WHERE id = $1")
            .bind(&variant)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(
            cart["subtotal"]["minor"],
            2 * price,
            "the client's price is ignored"
        );

        for (quantity, status) in [
            ("0", StatusCode::UNPROCESSABLE_ENTITY),
            ("-1", StatusCode::UNPROCESSABLE_ENTITY),
            ("1.5", StatusCode::UNPROCESSABLE_ENTITY),
            ("abc", StatusCode::UNPROCESSABLE_ENTITY),
            ("99999999999999999999", StatusCode::UNPROCESSABLE_ENTITY),
            ("5", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let r = call(
                &app,
                &app.client,
                "/api/cart/add",
                &[("variant_id", &variant), ("quantity", quantity)],
                Some(&cookie),
            )
            .await;
            assert_eq!(r.status(), status, "quantity {quantity}");
        }
        let unknown = call(
            &app,
            &app.client,
            "/api/cart/add",
            &[("variant_id", "00000000000000000000000000")],
            Some(&cookie),
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let cart: serde_json::Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cart["units"], 2, "refused changes changed nothing");

        // Another browser sees none of it.
        let stranger: serde_json::Value = call(
            &app,
            &app.client,
            "/api/cart/get",
            &[],
            Some("shop_cart=not-a-real-cart-token-at-all"),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(stranger["units"], 0);

        // Signing in takes the guest's cart into the account.
        account(&app, "hana@example.com", Role::Customer).await;
        let session = sign_in(&app, "hana@example.com", Some(&cookie)).await;
        let mine: serde_json::Value = call(&app, &app.client, "/api/cart/get", &[], Some(&session))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(mine["units"], 2);
        let gone: serde_json::Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(gone["units"], 0, "the guest cart was moved, not copied");
        app.stop().await;
    }
}
