//! The server over real HTTP, on every configured database engine: each test starts its own
//! server on port 0 with a fresh database (see `spawn_app`).

use crate::support::{TestApp, each_engine, nonce_of, spawn_app, spawn_app_with};
use app::assembly::testing::TestDb;
use reqwest::StatusCode;

#[tokio::test]
async fn probes_answer_and_every_response_carries_a_request_id() {
    for app in each_engine().await {
        let health = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        assert!(health.headers().contains_key("x-request-id"));
        let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK);

        let given = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "from-the-proxy")
            .send()
            .await
            .unwrap();
        assert_eq!(given.headers()["x-request-id"], "from-the-proxy");
        app.stop().await;
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app(TestDb::sqlite().await).await;
    app.server_db.close().await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    app.stop().await;
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_landmarks() {
    for app in each_engine().await {
        let page = app.client.get(app.url("/")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("<title>Demo Shop</title>"),
            "title from the store settings"
        );
        assert!(html.contains("Welcome to Demo Shop"));
        for landmark in ["<header", "<main", "<footer", "role=\"search\"", "<nav"] {
            assert!(html.contains(landmark), "missing {landmark}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_search_box() {
    for app in each_engine().await {
        let page = app
            .client
            .get(app.url("/no/such/page"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let html = page.text().await.unwrap();
        assert!(html.contains("We could not find that page"));
        assert!(html.contains("not-found-search-input"));
        app.stop().await;
    }
}

/// Posts the newsletter form as a browser would: `accept` says whether the hydrated app
/// (`application/json`) or a plain HTML form (`text/html`) is asking.
async fn post_subscribe(app: &TestApp, accept: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url("/api/newsletter/subscribe"))
        .header("accept", accept)
        .header("referer", app.url("/"))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn newsletter_signup_round_trips_as_json_and_as_a_plain_form() {
    for app in each_engine().await {
        // As the hydrated app calls it.
        let ok = post_subscribe(&app, "application/json", &[("email", "Anna@Example.com")]).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()["cache-control"], "no-store");

        // A bad address is a validation error with its field and a 422.
        let bad = post_subscribe(&app, "application/json", &[("email", "anna@example")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: shop_types::AppError = bad.json().await.unwrap();
        assert_eq!(error.field(), Some("email"));

        // A missing field is refused too, without a 500.
        let missing = post_subscribe(&app, "application/json", &[("name", "x")]).await;
        assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // As a browser without JavaScript posts it: redirected to a confirmation page.
        let form = post_subscribe(&app, "text/html", &[("email", "ben@example.com")]).await;
        assert_eq!(form.status(), StatusCode::FOUND);
        assert_eq!(form.headers()["location"], "/newsletter/subscribed");

        // And a bad address goes back to the form's page with the error in the URL.
        let refused = post_subscribe(&app, "text/html", &[("email", "nope")]).await;
        assert_eq!(refused.status(), StatusCode::FOUND);
        let location = refused.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&app.url("/?")) && location.contains("__err="),
            "{location}"
        );

        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM newsletter_subscriptions")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 2, "two good addresses, two consents");
        app.stop().await;
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app_with(TestDb::sqlite().await, |config| {
        config.metrics_token = Some("metrics-token-for-tests".into());
    })
    .await;
    app.client.get(app.url("/healthz")).send().await.unwrap();
    app.client
        .get(app.url("/missing-page"))
        .send()
        .await
        .unwrap();
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-for-tests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/healthz\""), "{text}");
    assert!(text.contains("status=\"404\""), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn shutdown_stops_serving_and_returns() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let addr = app.addr;
    app.stop().await;
    assert!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app(TestDb::sqlite().await).await;
    for path in ["/", "/healthz", "/metrics", "/no/such/page", "/favicon.svg"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        for name in [
            "x-content-type-options",
            "referrer-policy",
            "permissions-policy",
            "content-security-policy",
        ] {
            assert!(headers.contains_key(name), "{path} lacks {name}");
        }
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
            "{path}: {csp}"
        );
        assert!(
            csp.contains("base-uri 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(
            !headers.contains_key("strict-transport-security"),
            "no HSTS over plain HTTP"
        );
    }
    let api = post_subscribe(&app, "application/json", &[("email", "x@example.com")]).await;
    assert!(api.headers().contains_key("content-security-policy"));
    app.stop().await;
}

#[tokio::test]
async fn pages_allow_exactly_their_own_inline_scripts() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    let nonce = &nonce_of(&csp);
    assert!(nonce.len() >= 16, "a nonce");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the header's nonce"
    );
    let again = app.client.get(app.url("/")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(nonce),
        "fresh per request"
    );
    app.stop().await;
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let forged = app
        .client
        .post(app.url("/api/newsletter/subscribe"))
        .header("origin", "https://evil.example")
        .form(&[("email", "victim@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let fetched = app
        .client
        .post(app.url("/api/newsletter/subscribe"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "victim@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), StatusCode::FORBIDDEN);
    let same = app
        .client
        .post(app.url("/api/newsletter/subscribe"))
        .header("origin", app.url(""))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .form(&[("email", "real@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM newsletter_subscriptions WHERE email_index = $1")
            .bind(app.db.db.vault().email_index("victim@example.com"))
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
    assert_eq!(count, 0);
    app.stop().await;
}

#[tokio::test]
async fn pages_and_the_app_bundle_are_compressed_for_browsers_that_ask() {
    let app = spawn_app(TestDb::sqlite().await).await;
    let page = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "br");
    assert!(page.headers().contains_key("content-security-policy"));
    let plain = app.client.get(app.url("/")).send().await.unwrap();
    assert!(!plain.headers().contains_key("content-encoding"));
    app.stop().await;
}

#[tokio::test]
async fn catalog_pages_answer_bad_input_with_defaults_or_404_never_500() {
    let app = spawn_app(TestDb::sqlite().await).await;
    app::catalog::demo::generate(&app.db.db, 80, "EUR")
        .await
        .unwrap();
    for (path, status) in [
        ("/categories/sneakers", StatusCode::OK),
        (
            "/categories/sneakers?sort=%27%3B%20DROP%20TABLE&page=-4",
            StatusCode::OK,
        ),
        (
            "/categories/sneakers?page=99999999999999999999",
            StatusCode::OK,
        ),
        ("/categories/no-such-thing", StatusCode::NOT_FOUND),
        ("/products/no-such-product", StatusCode::NOT_FOUND),
        ("/products/%3Cscript%3E", StatusCode::NOT_FOUND),
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn crawlers_get_robots_a_sitemap_and_structured_product_data() {
    let app = spawn_app(TestDb::sqlite().await).await;
    app::catalog::demo::generate(&app.db.db, 60, "EUR")
        .await
        .unwrap();
    let base = app.public_url.clone();

    let robots = app
        .client
        .get(app.url("/robots.txt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        robots.contains("Disallow: /account")
            && robots.contains(&format!("Sitemap: {base}/sitemap.xml")),
        "{robots}"
    );

    let index = app
        .client
        .get(app.url("/sitemap.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        index.contains("<sitemapindex") && index.contains("/sitemaps/products-1.xml"),
        "{index}"
    );
    let pages = app
        .client
        .get(app.url("/sitemaps/pages.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        pages.contains(&format!("{base}/categories/sneakers"))
            && pages.contains(&format!("{base}/collections/staff-picks")),
        "{pages}"
    );
    let products = app
        .client
        .get(app.url("/sitemaps/products-1.xml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(products.matches("<url>").count(), 60);
    for missing in [
        "/sitemaps/products-2.xml",
        "/sitemaps/products-x.xml",
        "/sitemaps/../etc.xml",
    ] {
        let r = app.client.get(app.url(missing)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
    }

    let slug = products
        .split("/products/")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    let html = app
        .client
        .get(app.url(&format!("/products/{slug}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let canonical = format!("href=\"{base}/products/{slug}\"");
    assert!(
        html.contains("rel=\"canonical\"") && html.contains(&canonical),
        "canonical: {}",
        &html[..html.len().min(2500)]
    );
    assert!(html.contains("property=\"og:title\""));
    let json = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("JSON-LD");
    let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON-LD");
    assert_eq!(data[0]["@type"], "Product");
    assert!(data[0]["offers"].as_array().is_some_and(|o| !o.is_empty()));
    assert_eq!(data[1]["@type"], "BreadcrumbList");
    app.stop().await;
}
