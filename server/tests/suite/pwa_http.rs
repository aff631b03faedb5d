//! The installable shop over real HTTP: the manifest and icons, replaying offline changes
//! (applied once however often they arrive, conflicts reported), and push subscriptions only
//! for signed-in shoppers.

use crate::support::{account, call, cart_cookie, each_engine, sign_in};
use reqwest::StatusCode;
use shop_types::Role;

#[tokio::test]
async fn the_manifest_and_icons_make_the_shop_installable() {
    for app in each_engine().await {
        let manifest = app
            .client
            .get(app.url("/manifest.webmanifest"))
            .send()
            .await
            .unwrap();
        assert_eq!(manifest.status(), StatusCode::OK);
        assert_eq!(
            manifest.headers()["content-type"],
            "application/manifest+json"
        );
        let manifest: serde_json::Value = manifest.json().await.unwrap();
        assert_eq!(manifest["display"], "standalone");
        for icon in manifest["icons"].as_array().unwrap() {
            let src = icon["src"].as_str().unwrap();
            let png = app.client.get(app.url(src)).send().await.unwrap();
            assert_eq!(png.status(), StatusCode::OK, "{src}");
            assert_eq!(png.headers()["content-type"], "image/png");
        }
        let missing = app
            .client
            .get(app.url("/icons/999.png"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        app.stop().await;
    }
}

async fn sync(
    app: &crate::support::TestApp,
    body: &serde_json::Value,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/offline/sync"))
        .header("accept", "application/json")
        .json(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn offline_changes_replayed_over_http_land_once() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 5, "EUR")
            .await
            .unwrap();
        let variant: String = sqlx::query_scalar("SELECT id FROM variants ORDER BY sku LIMIT 1")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE variants SET stock = 5 WHERE id = $1")
            .bind(&variant)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let changes = serde_json::json!({ "changes": [{
            "id": "abcdefghijklmnopqrstuvwxyz",
            "made_at": 1,
            "action": { "kind": "cart_add", "variant_id": variant, "quantity": 1, "seen_price": null }
        }]});
        let first = sync(&app, &changes, None).await;
        assert_eq!(first.status(), StatusCode::OK);
        let cookie = cart_cookie(&first).expect("a guest cart cookie");
        let reports: serde_json::Value = first.json().await.unwrap();
        assert_eq!(reports[0]["outcome"]["kind"], "applied");
        // The worker sends it again (it never heard the answer): nothing changes.
        let again = sync(&app, &changes, Some(&cookie)).await;
        assert_eq!(again.status(), StatusCode::OK);
        let cart: serde_json::Value = call(&app, &app.client, "/api/cart/get", &[], Some(&cookie))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cart["units"], 1, "applied exactly once");

        // Malformed ids and oversized batches are refused as a whole.
        let bad = serde_json::json!({ "changes": [{
            "id": "short", "made_at": 1,
            "action": { "kind": "favourite", "product_id": "x", "save": true }
        }]});
        assert_eq!(
            sync(&app, &bad, Some(&cookie)).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn push_subscriptions_need_an_account_and_usable_keys() {
    for app in each_engine().await {
        let subscribe = |cookie: Option<String>, endpoint: &'static str| {
            let client = app.client.clone();
            let url = app.url("/api/push/subscribe");
            async move {
                let mut request = client.post(url).header("accept", "application/json").json(&serde_json::json!({
                    "endpoint": endpoint,
                    "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
                    "auth": "BTBZMqHH6r4Tts7J_aSIgg",
                    "topics": ["order_status", "promotions"],
                }));
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                request.send().await.unwrap()
            }
        };
        assert_eq!(
            subscribe(None, "https://push.example.net/a").await.status(),
            StatusCode::UNAUTHORIZED
        );
        account(&app, "push-http@example.com", Role::Customer).await;
        let cookie = sign_in(&app, "push-http@example.com", None).await;
        assert_eq!(
            subscribe(Some(cookie.clone()), "http://127.0.0.1:9/a")
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "plain http and private hosts are refused outside tests"
        );
        assert_eq!(
            subscribe(Some(cookie.clone()), "https://push.example.net/a")
                .await
                .status(),
            StatusCode::OK
        );
        let status: serde_json::Value = call(
            &app,
            &app.client,
            "/api/push/status",
            &[("endpoint", "https://push.example.net/a")],
            Some(&cookie),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(
            status["topics"],
            serde_json::json!(["order_status", "promotions"])
        );
        assert_eq!(status["public_key"].as_str().unwrap().len(), 87);
        let off = call(
            &app,
            &app.client,
            "/api/push/unsubscribe",
            &[("endpoint", "https://push.example.net/a")],
            Some(&cookie),
        )
        .await;
        assert_eq!(off.status(), StatusCode::OK);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(left, 0);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_builds_files_are_sent_as_their_precompressed_copies() {
    use crate::support::spawn_app_serving;
    use app::assembly::testing::TestDb;
    // A site folder as `make build` leaves it: each file with a brotli and a gzip copy (their
    // bytes are markers here: the server must send the copy as it is, not compress again).
    let root = std::env::temp_dir().join(format!("shop-site-{}", app::platform::ids::new_id()));
    let script = "console.log('the shop');\n".repeat(200);
    for (dir, name) in [("pkg", "shop.js"), ("sw", "service-worker.js")] {
        let folder = root.join(dir);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(name), &script).unwrap();
        std::fs::write(folder.join(format!("{name}.br")), "BROTLI COPY").unwrap();
        std::fs::write(folder.join(format!("{name}.gz")), "GZIP COPY").unwrap();
    }
    std::fs::write(
        root.join("pkg/shop.css"),
        "main { color: black; }\n".repeat(100),
    )
    .unwrap();
    let app = spawn_app_serving(TestDb::sqlite().await, |_| {}, root.to_str().unwrap()).await;

    let get = |path: &'static str, encodings: &'static str| {
        let request = app.client.get(app.url(path));
        async move {
            let answer = request
                .header("accept-encoding", encodings)
                .send()
                .await
                .unwrap();
            let encoding = answer
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            (answer.status(), encoding, answer.text().await.unwrap())
        }
    };
    for path in ["/pkg/shop.js", "/sw/service-worker.js"] {
        let (status, encoding, body) = get(path, "gzip, deflate, br").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            (encoding.as_deref(), body.as_str()),
            (Some("br"), "BROTLI COPY"),
            "{path}"
        );
        let (_, encoding, body) = get(path, "gzip").await;
        assert_eq!(
            (encoding.as_deref(), body.as_str()),
            (Some("gzip"), "GZIP COPY"),
            "{path}"
        );
        let (_, encoding, body) = get(path, "identity").await;
        assert_eq!((encoding, body), (None, script.clone()), "{path}");
    }
    // Without copies (a development build) the file is compressed on the way.
    let (status, encoding, _) = get("/pkg/shop.css", "gzip").await;
    assert_eq!(
        (status, encoding.as_deref()),
        (StatusCode::OK, Some("gzip"))
    );
    let (status, _, _) = get("/pkg/missing.js", "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
    std::fs::remove_dir_all(&root).unwrap();
}
