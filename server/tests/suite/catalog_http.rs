//! Search, suggestions, pictures and the page cache over real HTTP.

use crate::support::{each_engine, nonce_of, spawn_app};
use app::assembly::testing::TestDb;
use reqwest::StatusCode;

#[tokio::test]
async fn search_pages_and_suggestions_answer_over_http() {
    for app in each_engine().await {
        app::catalog::demo::generate(&app.db.db, 200, "EUR")
            .await
            .unwrap();
        app.indexed(200).await;

        let page = app
            .client
            .get(app.url("/search?q=sneakrs"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("<mark>Sneakers</mark>"),
            "typo forgiven and marked"
        );
        assert!(
            html.contains("noindex"),
            "result pages are not for crawlers"
        );

        // Plain listings are for crawlers; re-sorted or filtered copies of them are not.
        for (path, indexable) in [
            ("/collections/staff-picks", true),
            ("/categories/sneakers", true),
            ("/categories/sneakers?sort=price_asc", false),
            ("/collections/staff-picks?brand=Lumen", false),
        ] {
            let html = app
                .client
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(!html.contains("noindex"), indexable, "{path}");
        }

        let suggestions: serde_json::Value = app
            .client
            .get(app.url("/api/search/suggest?q=sneak"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(suggestions["categories"][0]["slug"], "sneakers");
        assert!(
            suggestions["products"]
                .as_array()
                .is_some_and(|p| !p.is_empty())
        );

        for hostile in [
            "/search?q=%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/search?q=&sort=%27&page=-1&min=NaN&max=inf&f=%3A&brand=",
            &format!("/search?q={}", "a".repeat(3000)),
            "/search",
            "/api/search/suggest?q=",
        ] {
            let response = app.client.get(app.url(hostile)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{hostile}");
            let body = response.text().await.unwrap();
            if let Some(at) = body.find("<script>alert") {
                panic!(
                    "{hostile}: not escaped: {}",
                    body.get(at.saturating_sub(40)..(at + 20).min(body.len()))
                        .unwrap_or("(markup)")
                );
            }
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn pictures_are_served_resized_and_cached_for_a_year() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let picture = app
        .client
        .get(app.url("/media/demo-mug-navy-front/320.webp"))
        .send()
        .await
        .unwrap();
    assert_eq!(picture.status(), StatusCode::OK);
    assert_eq!(picture.headers()["content-type"], "image/webp");
    assert!(
        picture.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let bytes = picture.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    for missing in [
        "/media/demo-mug-navy-front/321.webp",
        "/media/demo-mug-navy-front/320.png",
        "/media/..%2F..%2Fetc%2Fpasswd/320.webp",
        "/media/no-such-picture/320.webp",
    ] {
        let response = app.client.get(app.url(missing)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    app.stop().await;
}

#[tokio::test]
async fn anonymous_pages_are_reused_with_a_fresh_nonce_until_the_catalog_changes() {
    let app = spawn_app(TestDb::sqlite().await).await;
    app::catalog::demo::generate(&app.db.db, 80, "EUR")
        .await
        .unwrap();
    app.indexed(80).await;
    let get = |cookie: Option<&'static str>| {
        let mut request = app.client.get(app.url("/categories/sneakers"));
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        request.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.headers()["x-page-cache"], "miss");
    let second = get(None).await.unwrap();
    assert_eq!(second.headers()["x-page-cache"], "hit");
    let csp = second.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let first_csp = first.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = nonce_of(&csp);
    assert!(
        nonce.len() >= 16 && nonce != nonce_of(&first_csp),
        "every answer has its own nonce"
    );
    let body = second.text().await.unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the page carries the header's nonce"
    );

    let personal = get(Some("shop_session=abc")).await.unwrap();
    assert!(
        !personal.headers().contains_key("x-page-cache"),
        "sessions are never cached"
    );
    // Made-up query parameters cannot fill the cache: such pages are not kept at all.
    for n in 0..3 {
        let junk = app
            .client
            .get(app.url(&format!("/categories/sneakers?junk={n}")))
            .send()
            .await
            .unwrap();
        assert_eq!(junk.status(), StatusCode::OK);
        assert!(!junk.headers().contains_key("x-page-cache"), "?junk={n}");
    }

    // A catalog change moves the index, which ends every kept page.
    let id: String =
        sqlx::query_scalar("SELECT product_id FROM variants WHERE sku = 'SKU-000006-01'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
    sqlx::query(
        "UPDATE products SET title = 'Renamed Rust Sneakers', updated_at = $1 WHERE id = $2",
    )
    .bind(app::platform::clock::now().millis())
    .bind(&id)
    .execute(app.db.db.pool())
    .await
    .unwrap();
    let generation = app.search.index.generation();
    app.search.changed();
    for _ in 0..200 {
        if app.search.index.generation() != generation {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let after = get(None).await.unwrap();
    assert_eq!(after.headers()["x-page-cache"], "miss");
    assert!(
        after
            .text()
            .await
            .unwrap()
            .contains("Renamed Rust Sneakers")
    );
    app.stop().await;
}
