//! Sessions, sign-in limits and authorisation over real HTTP, on every configured engine.

use crate::support::{PASSWORD, TestApp, account, call, each_engine, sign_in, spawn_app};
use app::assembly::testing::TestDb;
use reqwest::StatusCode;
use shop_types::Role;

async fn who(app: &TestApp, cookie: &str) -> StatusCode {
    call(app, &app.client, "/api/account/get", &[], Some(cookie))
        .await
        .status()
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it_on_the_server() {
    for app in each_engine().await {
        account(&app, "anna@example.com", Role::Customer).await;
        let first = sign_in(&app, "anna@example.com", None).await;
        assert_eq!(who(&app, &first).await, StatusCode::OK);

        let second = sign_in(&app, "anna@example.com", Some(&first)).await;
        assert_ne!(first, second);
        assert_eq!(
            who(&app, &first).await,
            StatusCode::UNAUTHORIZED,
            "the old cookie stops working"
        );
        assert_eq!(who(&app, &second).await, StatusCode::OK);

        let out = call(
            &app,
            &app.client,
            "/api/account/sign-out",
            &[],
            Some(&second),
        )
        .await;
        assert_eq!(out.status(), StatusCode::OK);
        assert_eq!(
            who(&app, &second).await,
            StatusCode::UNAUTHORIZED,
            "ended on the server, not just forgotten"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    for app in each_engine().await {
        account(&app, "ben@example.com", Role::Customer).await;
        let phone = sign_in(&app, "ben@example.com", None).await;
        let laptop = sign_in(&app, "ben@example.com", None).await;
        let response = call(
            &app,
            &app.client,
            "/api/account/sign-out-everywhere",
            &[],
            Some(&laptop),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(who(&app, &phone).await, StatusCode::UNAUTHORIZED);
        assert_eq!(who(&app, &laptop).await, StatusCode::UNAUTHORIZED);
        app.stop().await;
    }
}

#[tokio::test]
async fn sign_in_is_rate_limited_but_never_locks_the_owner_out() {
    for app in each_engine().await {
        account(&app, "cara@example.com", Role::Customer).await;
        let wrong = [
            ("email", "cara@example.com"),
            ("password", "not the password"),
        ];
        for _ in 0..5 {
            let r = call(&app, &app.client, "/api/account/sign-in", &wrong, None).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let limited = call(&app, &app.client, "/api/account/sign-in", &wrong, None).await;
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry));

        // The owner, from another address, still gets in.
        let elsewhere = reqwest::Client::builder()
            .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let right = [("email", "cara@example.com"), ("password", PASSWORD)];
        let owner = call(&app, &elsewhere, "/api/account/sign-in", &right, None).await;
        assert_eq!(owner.status(), StatusCode::OK);
        app.stop().await;
    }
}

/// Every back-office endpoint so far, with a valid body.
const ADMIN_ENDPOINTS: &[(&str, &[(&str, &str)])] = &[
    ("/api/admin/mailbox", &[]),
    ("/api/admin/search/synonyms", &[]),
    (
        "/api/admin/search/synonyms/add",
        &[("terms", "kicks, sneakers")],
    ),
    (
        "/api/admin/search/synonyms/remove",
        &[("id", "00000000000000000000000000")],
    ),
    (
        "/api/admin/orders/status",
        &[("id", "00000000000000000000000000"), ("status", "shipped")],
    ),
    ("/api/admin/orders/list", &[]),
    (
        "/api/admin/orders/mark-paid",
        &[("id", "00000000000000000000000000")],
    ),
    (
        "/api/admin/orders/refund",
        &[("id", "00000000000000000000000000"), ("amount", "1.00")],
    ),
    // The admin console (#6).
    ("/api/admin/dashboard", &[("range", "week")]),
    (
        "/api/admin/orders/workbench",
        &[("id", "00000000000000000000000000")],
    ),
    (
        "/api/admin/orders/fulfil",
        &[("id", "00000000000000000000000000"), ("quantities[0]", "1")],
    ),
    (
        "/api/admin/orders/note",
        &[
            ("id", "00000000000000000000000000"),
            ("body", "Called the customer"),
        ],
    ),
    ("/api/admin/products/list", &[]),
    ("/api/admin/products/editor", &[]),
    (
        "/api/admin/products/save",
        &[
            ("product[title]", "Intruder"),
            ("variants[0][sku]", "X-1"),
            ("variants[0][price]", "1.00"),
        ],
    ),
    (
        "/api/admin/products/bulk",
        &[
            ("ids[0]", "00000000000000000000000000"),
            ("action", "archive"),
        ],
    ),
    (
        "/api/admin/products/image/change",
        &[
            ("product_id", "00000000000000000000000000"),
            ("image_id", "00000000000000000000000000"),
            ("action", "remove"),
        ],
    ),
    ("/api/admin/categories/list", &[]),
    ("/api/admin/collections/list", &[]),
    ("/api/admin/collections/create", &[("title", "Intruders")]),
    (
        "/api/admin/collections/change",
        &[("id", "00000000000000000000000000"), ("action", "feature")],
    ),
    ("/api/admin/categories/save", &[("name", "Intruders")]),
    ("/api/admin/import/list", &[]),
    (
        "/api/admin/import/get",
        &[("id", "00000000000000000000000000")],
    ),
    ("/api/admin/inventory/list", &[]),
    (
        "/api/admin/inventory/item",
        &[("id", "00000000000000000000000000")],
    ),
    (
        "/api/admin/inventory/adjust",
        &[
            ("variant_id", "00000000000000000000000000"),
            ("location_id", "00000000000000000000000000"),
            ("mode", "add"),
            ("quantity", "5"),
            ("reason", "received"),
        ],
    ),
    ("/api/admin/customers/list", &[]),
    (
        "/api/admin/customers/get",
        &[("id", "00000000000000000000000000")],
    ),
    (
        "/api/admin/customers/disable",
        &[("id", "00000000000000000000000000"), ("disabled", "true")],
    ),
    ("/api/admin/settings/get", &[]),
    (
        "/api/admin/settings/store",
        &[
            ("name", "Taken over"),
            ("currency", "EUR"),
            ("low_stock_threshold", "5"),
        ],
    ),
    (
        "/api/admin/settings/tax",
        &[("country", "DE"), ("name", "VAT"), ("rate", "0")],
    ),
    (
        "/api/admin/settings/zone",
        &[("name", "Nowhere"), ("countries", "*")],
    ),
    (
        "/api/admin/settings/rate",
        &[
            ("zone_id", "00000000000000000000000000"),
            ("name", "Free"),
            ("kind", "flat"),
            ("price", "0"),
        ],
    ),
    (
        "/api/admin/settings/coupon",
        &[("code", "STEAL100"), ("kind", "percent"), ("value", "100")],
    ),
    (
        "/api/admin/settings/remove",
        &[("kind", "tax"), ("id", "00000000000000000000000000")],
    ),
    ("/api/admin/settings/emails", &[]),
    (
        "/api/admin/push/promotion",
        &[
            ("title", "Sale"),
            ("body", "Everything half price"),
            ("url", "/"),
        ],
    ),
    ("/api/admin/staff/list", &[]),
    (
        "/api/admin/staff/save",
        &[
            ("email", "mole@example.com"),
            ("password", "a long password 1"),
            ("role", "admin"),
        ],
    ),
];

#[tokio::test]
async fn back_office_endpoints_refuse_everyone_but_admins() {
    for app in each_engine().await {
        for (path, form) in ADMIN_ENDPOINTS {
            let anonymous = call(&app, &app.client, path, form, None).await;
            assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        }
        for (email, role) in [
            ("customer@example.com", Role::Customer),
            ("vendor@example.com", Role::Vendor),
            ("staff@example.com", Role::Staff),
        ] {
            account(&app, email, role).await;
            let cookie = sign_in(&app, email, None).await;
            for (path, form) in ADMIN_ENDPOINTS {
                let refused = call(&app, &app.client, path, form, Some(&cookie)).await;
                assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role:?} {path}");
            }
        }
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_synonyms")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0, "nothing refused was stored");
        let mole = format!(
            "SELECT COUNT(*) FROM users WHERE email_index = '{}'",
            app.db.db.vault().email_index("mole@example.com")
        );
        for (table, expected) in [
            ("SELECT COUNT(*) FROM products", 0),
            ("SELECT COUNT(*) FROM coupons WHERE code = 'STEAL100'", 0),
            (mole.as_str(), 0),
            ("SELECT COUNT(*) FROM stores WHERE name = 'Taken over'", 0),
            ("SELECT COUNT(*) FROM categories", 0),
        ] {
            let n: i64 = sqlx::query_scalar(table)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
            assert_eq!(n, expected, "{table}");
        }

        account(&app, "admin@example.com", Role::Admin).await;
        let cookie = sign_in(&app, "admin@example.com", None).await;
        let allowed = call(&app, &app.client, "/api/admin/mailbox", &[], Some(&cookie)).await;
        assert_eq!(allowed.status(), StatusCode::OK);
        let bad = call(
            &app,
            &app.client,
            "/api/admin/search/synonyms/add",
            &[("terms", "alone")],
            Some(&cookie),
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let added = call(
            &app,
            &app.client,
            "/api/admin/search/synonyms/add",
            ADMIN_ENDPOINTS[2].1,
            Some(&cookie),
        )
        .await;
        assert!(
            added.status().is_success() || added.status().is_redirection(),
            "{}",
            added.status()
        );
        let list: serde_json::Value = call(
            &app,
            &app.client,
            "/api/admin/search/synonyms",
            &[],
            Some(&cookie),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(list[0]["terms"], "kicks, sneakers");
        let missing = call(
            &app,
            &app.client,
            "/api/admin/search/synonyms/remove",
            ADMIN_ENDPOINTS[3].1,
            Some(&cookie),
        )
        .await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        app.stop().await;
    }
}

#[tokio::test]
async fn account_pages_send_strangers_to_sign_in_and_are_never_stored() {
    let app = spawn_app(TestDb::sqlite().await).await;
    // As a browser asks for a page (a redirect is only a 302 for HTML requests).
    let stranger = app
        .client
        .get(app.url("/account"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::FOUND);
    assert_eq!(stranger.headers()["location"], "/account/sign-in");
    for path in ["/account/sign-in", "/account/register", "/admin/mailbox"] {
        let page = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.headers()["cache-control"], "no-store", "{path}");
    }

    account(&app, "dan@example.com", Role::Customer).await;
    let cookie = sign_in(&app, "dan@example.com", None).await;
    let page = app
        .client
        .get(app.url("/account"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("dan@example.com"));
    app.stop().await;
}

#[tokio::test]
async fn one_customer_cannot_see_or_change_anothers_addresses_or_profile() {
    for app in each_engine().await {
        account(&app, "owner@example.com", Role::Customer).await;
        account(&app, "intruder@example.com", Role::Customer).await;
        let owner = sign_in(&app, "owner@example.com", None).await;
        let intruder = sign_in(&app, "intruder@example.com", None).await;
        let address = [
            ("address[full_name]", "Owner Person"),
            ("address[line1]", "Main Street 1"),
            ("address[postal_code]", "10115"),
            ("address[city]", "Berlin"),
            ("address[country]", "DE"),
        ];
        let saved = call(
            &app,
            &app.client,
            "/api/account/addresses/save",
            &address,
            Some(&owner),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
        let list: Vec<app::account::SavedAddress> = call(
            &app,
            &app.client,
            "/api/account/addresses",
            &[],
            Some(&owner),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(list.len(), 1);
        let id = list[0].id.clone();

        let theirs: Vec<app::account::SavedAddress> = call(
            &app,
            &app.client,
            "/api/account/addresses",
            &[],
            Some(&intruder),
        )
        .await
        .json()
        .await
        .unwrap();
        assert!(theirs.is_empty());
        let mut edit = address.to_vec();
        edit.push(("id", id.as_str()));
        edit[0] = ("address[full_name]", "Intruder");
        let changed = call(
            &app,
            &app.client,
            "/api/account/addresses/save",
            &edit,
            Some(&intruder),
        )
        .await;
        assert_eq!(changed.status(), StatusCode::NOT_FOUND);
        let deleted = call(
            &app,
            &app.client,
            "/api/account/addresses/delete",
            &[("id", id.as_str())],
            Some(&intruder),
        )
        .await;
        assert_eq!(deleted.status(), StatusCode::NOT_FOUND);
        let anonymous = call(&app, &app.client, "/api/account/addresses", &[], None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // Profiles: each caller only ever sees and changes their own.
        let renamed = call(
            &app,
            &app.client,
            "/api/account/profile",
            &[("name", "Changed")],
            Some(&intruder),
        )
        .await;
        assert_eq!(renamed.status(), StatusCode::OK);
        let mine: app::account::AccountView =
            call(&app, &app.client, "/api/account/get", &[], Some(&owner))
                .await
                .json()
                .await
                .unwrap();
        assert_eq!(
            (mine.email.as_str(), mine.name.as_str()),
            ("owner@example.com", "Test")
        );
        let after: Vec<app::account::SavedAddress> = call(
            &app,
            &app.client,
            "/api/account/addresses",
            &[],
            Some(&owner),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(after[0].address.full_name, "Owner Person");
        app.stop().await;
    }
}
