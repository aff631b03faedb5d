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

/// The server functions' JSON error body, as text (for the problem it names).
async fn body(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

#[tokio::test]
async fn deleting_an_account_needs_its_password_and_privacy_requests_need_the_customers_permission()
{
    use crate::support::call;
    for app in each_engine().await {
        let db = &app.db.db;
        shop_with_products(db, 1).await;
        account(&app, "gone@example.com", Role::Customer).await;
        account(&app, "asker@example.com", Role::Customer).await;
        account(&app, "clerk@example.com", Role::Staff).await;
        account(&app, "helper@example.com", Role::Staff).await;
        grant(&app, "helper@example.com", "manage_customers").await;
        let gone_id = user_id(&app, "gone@example.com").await;

        // Nobody signed in, or a wrong password: nothing is deleted.
        let anonymous = call(
            &app,
            &app.client,
            "/api/account/delete",
            &[("current_password", "x")],
            None,
        )
        .await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let gone = sign_in(&app, "gone@example.com", None).await;
        let wrong = call(
            &app,
            &app.client,
            "/api/account/delete",
            &[("current_password", "not it")],
            Some(&gone),
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body(wrong).await.contains("password_wrong"));
        // Staff accounts are not deleted this way.
        let clerk = sign_in(&app, "clerk@example.com", None).await;
        let staff = call(
            &app,
            &app.client,
            "/api/account/delete",
            &[("current_password", crate::support::PASSWORD)],
            Some(&clerk),
        )
        .await;
        assert_eq!(staff.status(), StatusCode::CONFLICT);
        assert!(body(staff).await.contains("erasure_only_for_customers"));

        // The right password deletes the account; its session is gone with it.
        let deleted = call(
            &app,
            &app.client,
            "/api/account/delete",
            &[("current_password", crate::support::PASSWORD)],
            Some(&gone),
        )
        .await;
        assert_eq!(deleted.status(), StatusCode::OK, "{}", body(deleted).await);
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            app::identity::users::find_by_id(&mut conn, db.vault(), &gone_id)
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        let after = app
            .client
            .get(app.url("/account"))
            .header("cookie", &gone)
            .send()
            .await
            .unwrap();
        assert!(!body(after).await.contains("gone@example.com"));

        // Privacy requests: customers and staff without the permission see and change nothing.
        let asker = sign_in(&app, "asker@example.com", None).await;
        for cookie in [None, Some(asker.as_str()), Some(clerk.as_str())] {
            let listed = call(&app, &app.client, "/api/admin/privacy", &[], cookie).await;
            assert!(
                matches!(
                    listed.status(),
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ),
                "{cookie:?}"
            );
            let recorded = call(
                &app,
                &app.client,
                "/api/admin/privacy/record",
                &[("email", "asker@example.com"), ("kind", "erasure")],
                cookie,
            )
            .await;
            assert!(
                matches!(
                    recorded.status(),
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ),
                "{cookie:?}"
            );
        }
        let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privacy_requests")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(none, 0);

        // Staff with the permission record an erasure request, with its 30-day deadline.
        let helper = sign_in(&app, "helper@example.com", None).await;
        let bad = call(
            &app,
            &app.client,
            "/api/admin/privacy/record",
            &[("email", "asker@example.com"), ("kind", "everything")],
            Some(&helper),
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let recorded = call(
            &app,
            &app.client,
            "/api/admin/privacy/record",
            &[("email", "Asker@Example.com"), ("kind", "erasure")],
            Some(&helper),
        )
        .await;
        assert_eq!(
            recorded.status(),
            StatusCode::OK,
            "{}",
            body(recorded).await
        );
        let listed: serde_json::Value =
            call(&app, &app.client, "/api/admin/privacy", &[], Some(&helper))
                .await
                .json()
                .await
                .unwrap();
        let request = &listed["open"][0];
        assert_eq!(request["email"], "asker@example.com", "{listed}");
        assert_eq!(
            request["account_id"],
            user_id(&app, "asker@example.com").await.as_str()
        );
        let days = (request["due_at"].as_i64().unwrap() - request["received_at"].as_i64().unwrap())
            / shop_types::Timestamp::DAY;
        assert_eq!(days, 30);
        let id = request["id"].as_str().unwrap().to_owned();

        // Erasing it closes the request with the pseudonym and forgets the address.
        let closed = call(
            &app,
            &app.client,
            "/api/admin/privacy/close",
            &[("id", &id), ("action", "erase")],
            Some(&helper),
        )
        .await;
        assert_eq!(closed.status(), StatusCode::OK, "{}", body(closed).await);
        let listed: serde_json::Value =
            call(&app, &app.client, "/api/admin/privacy", &[], Some(&helper))
                .await
                .json()
                .await
                .unwrap();
        assert_eq!(listed["open"].as_array().unwrap().len(), 0);
        assert_eq!(listed["closed"][0]["outcome"], "done");
        assert!(
            listed["closed"][0]["pseudonym"]
                .as_str()
                .unwrap()
                .starts_with("C-")
        );
        assert_eq!(listed["closed"][0]["email"], "");
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            app::identity::users::find_by_email(&mut conn, db.vault(), "asker@example.com")
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        // Closing it again is refused.
        let again = call(
            &app,
            &app.client,
            "/api/admin/privacy/close",
            &[("id", &id), ("action", "refuse")],
            Some(&helper),
        )
        .await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        app.stop().await;
    }
}
