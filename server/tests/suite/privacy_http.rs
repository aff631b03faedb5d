//! Personal-data exports over HTTP: a customer downloads everything the shop holds about them
//! (and no secret that would open the account); staff download a customer's for a request,
//! with the permission for customers only; anyone else gets nothing; every export is audited.

use crate::support::{TestApp, account, each_engine, grant, sign_in, user_id};
use app::assembly::testing::{ready_cart, shop_with_products, test_address, variant_with_stock};
use reqwest::StatusCode;
use shop_types::{PaymentMethod, Role, paths};

async fn download(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_customer_downloads_their_data_and_staff_can_for_a_request() {
    for app in each_engine().await {
        let db = &app.db.db;
        shop_with_products(db, 2).await;
        account(&app, "pat@example.com", Role::Customer).await;
        let pat_id = user_id(&app, "pat@example.com").await;
        app::account::address_book::save(db, &pat_id, None, test_address(), true)
            .await
            .unwrap();
        let sku: String = sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let variant = variant_with_stock(db, &sku, 10).await;
        let cart = ready_cart(db, "pat", &variant, 2).await;
        let placed = app::checkout::placement::place(
            db,
            &app::checkout::placement::PlaceRequest {
                cart_id: cart,
                user_id: Some(pat_id.clone()),
                idempotency_key: "privacy-key-0000000001".into(),
                method: PaymentMethod::BankTransfer,
                manual_window_days: 14,
                client: None,
                device: None,
            },
        )
        .await
        .unwrap();
        let pat = sign_in(&app, "pat@example.com", None).await;
        // The audit log takes the sign-in a moment after it happened (a job appends it).
        for _ in 0..400 {
            let logged: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'account.signed_in' AND subject = $1",
            )
            .bind(format!("user:{pat_id}"))
            .fetch_one(db.pool())
            .await
            .unwrap();
            if logged > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        // Nobody signed in: nothing.
        let anonymous = download(&app, paths::PERSONAL_DATA_EXPORT, None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        let own = download(&app, paths::PERSONAL_DATA_EXPORT, Some(&pat)).await;
        assert_eq!(own.status(), StatusCode::OK);
        assert!(
            own.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"personal-data-")
        );
        assert_eq!(own.headers()["cache-control"], "no-store");
        let text = own.text().await.unwrap();
        // No secret that would open the account is in it.
        assert!(!text.contains("$argon2"), "no password hash");
        let data: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(data["format"], app::privacy::export::FORMAT);
        assert_eq!(data["account"]["email"], "pat@example.com");
        assert_eq!(data["addresses"].as_array().unwrap().len(), 1);
        assert!(text.contains("Hauptstraße 5"));
        let orders = data["orders"].as_array().unwrap();
        assert_eq!(orders.len(), 1);
        assert_eq!(orders[0]["number"], placed.number);
        assert!(!data["sign_in"]["sessions"].as_array().unwrap().is_empty());
        assert!(
            data["security_events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["event"] == "account.signed_in"),
            "the sign-in history"
        );

        // Staff: only with the permission for customers, and only for customer accounts.
        account(&app, "desk@example.com", Role::Staff).await;
        account(&app, "ops@example.com", Role::Staff).await;
        grant(&app, "desk@example.com", "manage_customers").await;
        let desk = sign_in(&app, "desk@example.com", None).await;
        let ops = sign_in(&app, "ops@example.com", None).await;
        let of_pat = format!("{}?id={pat_id}", paths::CUSTOMER_DATA_EXPORT);
        assert_eq!(
            download(&app, &of_pat, Some(&ops)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            download(&app, &of_pat, Some(&pat)).await.status(),
            StatusCode::FORBIDDEN,
            "a customer cannot fetch anyone's"
        );
        let ops_id = user_id(&app, "ops@example.com").await;
        let of_staff = format!("{}?id={ops_id}", paths::CUSTOMER_DATA_EXPORT);
        assert_eq!(
            download(&app, &of_staff, Some(&desk)).await.status(),
            StatusCode::NOT_FOUND
        );
        let nobody = format!("{}?id=nobody", paths::CUSTOMER_DATA_EXPORT);
        assert_eq!(
            download(&app, &nobody, Some(&desk)).await.status(),
            StatusCode::NOT_FOUND
        );
        let for_request = download(&app, &of_pat, Some(&desk)).await;
        assert_eq!(for_request.status(), StatusCode::OK);
        let data: serde_json::Value = for_request.json().await.unwrap();
        assert_eq!(data["account"]["email"], "pat@example.com");

        // Both exports are in the audit log, on Pat's account, with who made them.
        let mut rows: Vec<String> = Vec::new();
        for _ in 0..400 {
            rows = sqlx::query_scalar(
                "SELECT actor FROM audit_log WHERE action = 'privacy.data_exported' AND subject = $1 ORDER BY seq",
            )
            .bind(format!("user:{pat_id}"))
            .fetch_all(db.pool())
            .await
            .unwrap();
            if rows.len() >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(rows, ["pat@example.com", "desk@example.com"]);
        app.stop().await;
    }
}
