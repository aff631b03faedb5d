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
    let staff_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email_index = $1")
        .bind(app.db.db.vault().email_index("staff@example.com"))
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

/// A client that trickles its headers a byte at a time is cut off once the header time is up,
/// while other shoppers are served meanwhile.
#[tokio::test]
async fn a_slow_loris_client_is_cut_off_while_shoppers_are_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.header_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: shop\r\n")
        .await
        .unwrap();
    let trickle = b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut cut_after = None;
    for (sent, byte) in trickle.iter().enumerate() {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if slow.write_all(&[*byte]).await.is_err() {
            cut_after = Some(sent);
            break;
        }
        // A shopper meanwhile gets answered.
        if sent == 2 {
            let shopper = app.client.get(app.url("/healthz")).send().await.unwrap();
            assert_eq!(shopper.status(), StatusCode::OK);
        }
        let mut buf = [0u8; 512];
        match tokio::time::timeout(std::time::Duration::from_millis(1), slow.read(&mut buf)).await {
            Ok(Ok(_)) | Ok(Err(_)) => {
                // Closed (0 bytes) or answered 408 and closed: either way, cut off.
                cut_after = Some(sent);
                break;
            }
            Err(_) => {}
        }
    }
    let cut_after = cut_after.expect("the server cut the connection off");
    assert!(
        cut_after < trickle.len() - 10,
        "cut off after {cut_after} bytes, long before the headers were done"
    );
    app.stop().await;
}

/// Bodies are limited by route: a large body to a small endpoint is refused before it is
/// read, and a request that cannot finish in time is answered 408.
#[tokio::test]
async fn large_bodies_and_endless_requests_are_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.request_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    let huge = "x".repeat(server::limits::DEFAULT_BODY_LIMIT + 1);
    let refused = app
        .client
        .post(app.url("/api/account/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Headers complete, the body never comes: the request ends with 408 after a second.
    let mut stalled = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stalled
        .write_all(b"POST /api/account/sign-in HTTP/1.1\r\nHost: shop\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buf = [0u8; 1024];
        loop {
            match stalled.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    app.stop().await;
}

/// One client may have only so many requests in flight; others are not affected, and the
/// places come back when its requests end.
#[tokio::test]
async fn one_client_cannot_hold_every_request_slot() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.client_concurrency = 2;
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    // Two requests from 198.51.100.7 whose bodies never finish stay in flight.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        stream
            .write_all(b"POST /api/account/sign-in HTTP/1.1\r\nHost: shop\r\nX-Forwarded-For: 198.51.100.7\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=")
            .await
            .unwrap();
        held.push(stream);
    }
    let from = |client: &'static str| {
        app.client
            .get(app.url("/healthz"))
            .header("x-forwarded-for", client)
            .send()
    };
    // Until both are in flight, a third may still get through; then it is refused.
    let mut refused = false;
    for _ in 0..100 {
        if from("198.51.100.7").await.unwrap().status() == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "a third request from the same client is refused");
    assert_eq!(from("198.51.100.8").await.unwrap().status(), StatusCode::OK);
    drop(held);
    let mut served = false;
    for _ in 0..100 {
        if from("198.51.100.7").await.unwrap().status() == StatusCode::OK {
            served = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(served, "its places came back when its requests ended");
    app.stop().await;
}

/// Browsers' violation reports are kept for admins, limited per address, and junk is refused.
#[tokio::test]
async fn csp_violation_reports_reach_the_console_and_are_limited() {
    let limit = 5;
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.csp_report_limit = limit;
    })
    .await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("report-uri /csp-report"), "{csp}");

    let report = r#"{"csp-report":{"document-uri":"http://shop/products/x","effective-directive":"script-src-elem","blocked-uri":"inline","script-sample":"alert(document.cookie)"}}"#;
    let post = |body: &'static str| {
        app.client
            .post(app.url("/csp-report"))
            .header("content-type", "application/csp-report")
            .body(body)
            .send()
    };
    assert_eq!(post(report).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(
        post("not a report").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );

    account(&app, "admin@example.com", Role::Admin).await;
    account(&app, "shopper@example.com", Role::Customer).await;
    let shopper = sign_in(&app, "shopper@example.com", None).await;
    let refused = call(
        &app,
        &app.client,
        "/api/admin/security/csp",
        &[],
        Some(&shopper),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let admin = sign_in(&app, "admin@example.com", None).await;
    let listed = call(
        &app,
        &app.client,
        "/api/admin/security/csp",
        &[],
        Some(&admin),
    )
    .await;
    assert_eq!(listed.status(), StatusCode::OK);
    let groups: serde_json::Value = listed.json().await.unwrap();
    assert_eq!(groups[0]["directive"], "script-src-elem");
    assert_eq!(groups[0]["sample"], "alert(document.cookie)");
    assert_eq!(groups[0]["count"], 1);

    // One address cannot fill the table: after its allowance, reports are dropped.
    let mut last = StatusCode::OK;
    for _ in 0..limit {
        last = post(report).await.unwrap().status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM csp_reports")
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    assert!(kept <= limit, "{kept}");
    app.stop().await;
}

/// The console's sample mails are whole documents under their own narrow policy (the mails'
/// `style` attributes and nothing else, framed only by the shop), for settings managers only.
#[tokio::test]
async fn mail_previews_have_their_own_policy_and_are_for_settings_managers() {
    let app = spawn_app_with(TestDb::sqlite().await, |_| {}).await;
    account(&app, "admin@example.com", Role::Admin).await;
    account(&app, "shopper@example.com", Role::Customer).await;
    let get = |cookie: Option<String>, path: String| {
        let mut request = app.client.get(app.url(&path));
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        request.send()
    };
    let first = shop_types::paths::email_preview(0);
    assert_eq!(
        get(None, first.clone()).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let shopper = sign_in(&app, "shopper@example.com", None).await;
    assert_eq!(
        get(Some(shopper), first.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    let admin = sign_in(&app, "admin@example.com", None).await;
    let list = call(
        &app,
        &app.client,
        "/api/admin/settings/emails",
        &[],
        Some(&admin),
    )
    .await;
    assert_eq!(list.status(), StatusCode::OK);
    let list: serde_json::Value = list.json().await.unwrap();
    let frames: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["frame"].as_str().unwrap())
        .collect();
    assert!(frames.len() >= 5, "{list}");
    for frame in &frames {
        let page = get(Some(admin.clone()), (*frame).to_owned()).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{frame}");
        let header = |name: &str| page.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(
            header("content-security-policy"),
            server::mail_previews::PREVIEW_POLICY
        );
        assert_eq!(header("x-frame-options"), "SAMEORIGIN");
        assert_eq!(header("cache-control"), "no-store");
        let html = page.text().await.unwrap();
        assert!(html.contains("<body style="), "{html}");
    }
    for missing in [
        shop_types::paths::email_preview(frames.len()),
        format!("{}x", shop_types::paths::EMAIL_PREVIEWS),
    ] {
        let page = get(Some(admin.clone()), missing.clone()).await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    // Every other page keeps the shop's policy, which frames nothing from elsewhere.
    let console = get(Some(admin), "/admin/settings/emails".into())
        .await
        .unwrap();
    let csp = console.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    app.stop().await;
}
