//! The holes an attacker would use, each closed and tried over HTTP: who counts as the caller
//! behind a proxy, what `/metrics` shows and to whom, what a shop without a card provider
//! offers, `__Host-` cookies, the mailbox, and the order limit.

use crate::support::{TestApp, account, call, sign_in, spawn_app_with};
use app::assembly::testing::TestDb;
use app::platform::config::CardProviderSetting;
use reqwest::StatusCode;
use shop_types::{Permission, Role};

async fn sign_in_attempt(app: &TestApp, forwarded_for: Option<&str>) -> StatusCode {
    let mut request = app
        .client
        .post(app.url("/api/account/sign-in"))
        .header("accept", "application/json")
        .form(&[
            ("email", "nobody@example.com"),
            ("password", "wrong wrong wrong"),
        ]);
    if let Some(hops) = forwarded_for {
        request = request.header("x-forwarded-for", hops);
    }
    request.send().await.unwrap().status()
}

/// Behind a trusted proxy every shopper arrives from the proxy's address: limits must count
/// the client the proxy names, and only a listed proxy is believed.
#[tokio::test]
async fn rate_limits_count_the_client_behind_a_trusted_proxy_and_ipv6_per_64() {
    let db = TestDb::sqlite().await;
    let app = spawn_app_with(db, |config| {
        config.sign_in_ip_limit = 2;
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let mallory = Some("198.51.100.7");
    assert_eq!(
        sign_in_attempt(&app, mallory).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_attempt(&app, mallory).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_attempt(&app, mallory).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A forged first hop does not make Mallory someone else: the proxy appended the real one.
    assert_eq!(
        sign_in_attempt(&app, Some("203.0.113.50, 198.51.100.7")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another shopper behind the same proxy is not locked out.
    assert_eq!(
        sign_in_attempt(&app, Some("198.51.100.8")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // IPv6 addresses of one /64 share an allowance.
    assert_eq!(
        sign_in_attempt(&app, Some("2001:db8:1:2::1")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_attempt(&app, Some("2001:db8:1:2::2")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_attempt(&app, Some("2001:db8:1:2:ffff::9")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.stop().await;

    // Without a trusted proxy the header is the client's own words and changes nothing.
    let db = TestDb::sqlite().await;
    let app = spawn_app_with(db, |config| config.sign_in_ip_limit = 2).await;
    for hop in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(
            sign_in_attempt(&app, Some(hop)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        sign_in_attempt(&app, Some("198.51.100.3")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.stop().await;
}

/// `/metrics` is off unless a token is set, then only for that token; a made-up method is
/// one `other` label, not a new series.
#[tokio::test]
async fn metrics_need_their_token_and_keep_labels_bounded() {
    let app = spawn_app_with(TestDb::sqlite().await, |_| {}).await;
    let off = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(off.status(), StatusCode::NOT_FOUND);
    app.stop().await;

    let token = "a-long-scraper-token-123";
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.metrics_token = Some(token.into());
    })
    .await;
    let odd = reqwest::Method::from_bytes(b"FOOBAR").unwrap();
    app.client
        .request(odd, app.url("/healthz"))
        .send()
        .await
        .unwrap();
    app.client.get(app.url("/healthz")).send().await.unwrap();
    let anonymous = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("not-the-token-at-all")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("route=\"/healthz\""), "{text}");
    assert!(text.contains("method=\"other\""), "{text}");
    assert!(!text.contains("FOOBAR"), "{text}");
    app.stop().await;
}

/// A shop that has not set up card payments or a bank account offers neither, and the test
/// provider's pages do not exist.
#[tokio::test]
async fn a_shop_without_providers_offers_only_what_it_can_take() {
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.card_provider = CardProviderSetting::Off;
        config.bank_details = None;
    })
    .await;
    app::catalog::demo::generate(&app.db.db, 3, "EUR")
        .await
        .unwrap();
    let v = app::assembly::testing::variant_with_stock(&app.db.db, "SKU-000001-01", 3).await;
    let added = call(
        &app,
        &app.client,
        "/api/cart/add",
        &[("variant_id", &v), ("quantity", "1")],
        None,
    )
    .await;
    let cookie = crate::support::cart_cookie(&added).expect("a cart");
    let checkout: serde_json::Value = app
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
    let methods: Vec<&str> = checkout["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert_eq!(methods, ["cash_on_delivery"]);
    let key = checkout["idempotency_key"].as_str().unwrap().to_owned();
    for method in ["card", "bank_transfer"] {
        let refused = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[("idempotency_key", &key), ("payment_method", method)],
            Some(&cookie),
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method}"
        );
    }
    let testpay = app
        .client
        .get(app.url("/api/testpay/get?id=anything&secret=x"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(testpay.status(), StatusCode::NOT_FOUND);
    let webhook = app
        .client
        .post(app.url("/webhooks/test"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(webhook.status().is_client_error(), "{}", webhook.status());
    app.stop().await;
}

/// Over HTTPS every cookie the shop sets is `__Host-` and Secure, guests' too.
#[tokio::test]
async fn guest_cookies_are_host_cookies_over_https() {
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.public_url = "https://shop.example".into();
    })
    .await;
    app::catalog::demo::generate(&app.db.db, 3, "EUR")
        .await
        .unwrap();
    let v = app::assembly::testing::variant_with_stock(&app.db.db, "SKU-000001-01", 3).await;
    let added = call(
        &app,
        &app.client,
        "/api/cart/add",
        &[("variant_id", &v), ("quantity", "1")],
        None,
    )
    .await;
    assert_eq!(added.status(), StatusCode::OK);
    let set: Vec<String> = added
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let cart = set
        .iter()
        .find(|c| c.starts_with("__Host-shop_cart="))
        .unwrap_or_else(|| panic!("a __Host- cart cookie in {set:?}"));
    assert!(
        cart.contains("; Secure") && cart.contains("Path=/"),
        "{cart}"
    );
    assert!(!cart.contains("Domain="), "{cart}");
    // The cart it names is found again under that name.
    let cookie = cart.split(';').next().unwrap().to_owned();
    let again = call(
        &app,
        &app.client,
        "/api/cart/add",
        &[("variant_id", &v), ("quantity", "1")],
        Some(&cookie),
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    let carts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM carts")
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    assert_eq!(carts, 1);
    app.stop().await;
}

/// Staff cannot read the mailbox (where an admin's reset link would be); admins see mails
/// with secret links hidden.
#[tokio::test]
async fn the_mailbox_is_for_admins_and_hides_secret_links() {
    let app = spawn_app_with(TestDb::sqlite().await, |_| {}).await;
    account(&app, "admin@example.com", Role::Admin).await;
    account(&app, "staff@example.com", Role::Staff).await;
    let staff_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'staff@example.com'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
    app::account::account_service::change_role(
        &app.db.db,
        &staff_id,
        Role::Staff,
        &Permission::ALL,
    )
    .await
    .unwrap();
    // The attack: ask for the admin's reset link, then look for it in the mailbox.
    let asked = call(
        &app,
        &app.client,
        "/api/account/request-reset",
        &[("email", "admin@example.com")],
        None,
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let staff = sign_in(&app, "staff@example.com", None).await;
    let refused = call(&app, &app.client, "/api/admin/mailbox", &[], Some(&staff)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let admin = sign_in(&app, "admin@example.com", None).await;
    let mut text = String::new();
    for _ in 0..100 {
        let mails = call(&app, &app.client, "/api/admin/mailbox", &[], Some(&admin)).await;
        assert_eq!(mails.status(), StatusCode::OK);
        text = mails.text().await.unwrap();
        if text.contains("Reset your password") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(text.contains("Reset your password"), "{text}");
    assert!(!text.contains("token="), "{text}");
    assert!(text.contains("secret link hidden"), "{text}");
    // Nor is the link left in the finished mail job.
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'email.send'")
            .fetch_all(app.db.db.pool())
            .await
            .unwrap();
    assert!(
        payloads.iter().all(|p| !p.contains("token=")),
        "{payloads:?}"
    );
    app.stop().await;
}

/// Requests that cannot place anything (no cart) do not use up the address's allowance.
#[tokio::test]
async fn the_order_limit_counts_only_callers_with_a_cart() {
    let app = spawn_app_with(TestDb::sqlite().await, |config| config.order_rate_limit = 2).await;
    for _ in 0..5 {
        let empty = call(
            &app,
            &app.client,
            "/api/checkout/place",
            &[
                ("idempotency_key", "abcdefghijklmnopqrstuvwxyz"),
                ("payment_method", "cash_on_delivery"),
            ],
            None,
        )
        .await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE key LIKE 'order:%'")
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    assert_eq!(hits, 0);
    app.stop().await;
}
