//! `robots.txt` and the XML sitemap, so crawlers find every category and product.
//!
//! `/sitemap.xml` is a sitemap index pointing at `/sitemaps/pages.xml` (home, categories,
//! collections and approved sellers' storefronts)
//! and at `/sitemaps/products-N.xml` files of at most 50,000 products each (the protocol's
//! limit), so it scales with the catalog.

use app::catalog::queries::ON_SALE;
use app::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// URLs per sitemap file (the sitemap protocol's maximum).
const PER_FILE: i64 = 50_000;

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn url_set(urls: impl Iterator<Item = String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&url)));
    }
    out.push_str("</urlset>\n");
    out
}

/// `/robots.txt`: crawl the shop, not the account and back-office pages.
pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let base = &state.config.public_url;
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nDisallow: /account\nDisallow: /admin\nDisallow: /vendor\nDisallow: /api/\n\nSitemap: {base}/sitemap.xml\n"
        ),
    )
}

/// `/sitemap.xml`: the index of sitemap files.
pub async fn sitemap_index(State(state): State<AppState>) -> Response {
    let count: Result<i64, _> =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM products p WHERE {ON_SALE}"))
            .fetch_one(state.db.pool())
            .await;
    let Ok(count) = count else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let base = &state.config.public_url;
    let files = (count + PER_FILE - 1) / PER_FILE;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!(
        "  <sitemap><loc>{}</loc></sitemap>\n",
        escape(&format!("{base}/sitemaps/pages.xml"))
    ));
    for n in 1..=files {
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&format!("{base}/sitemaps/products-{n}.xml"))
        ));
    }
    out.push_str("</sitemapindex>\n");
    xml(out)
}

/// `/sitemaps/{file}`: `pages.xml` or `products-N.xml`.
pub async fn sitemap_file(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let base = state.config.public_url.clone();
    if file == "pages.xml" {
        let slugs: Result<Vec<String>, _> = sqlx::query_scalar(
            "SELECT path FROM (
                 SELECT 'categories/' || slug AS path, 0 AS kind, position FROM categories
                 UNION ALL
                 SELECT 'collections/' || slug AS path, 1 AS kind, position FROM collections
                 UNION ALL
                 SELECT 'sellers/' || slug AS path, 2 AS kind, 0 AS position FROM vendors
                 WHERE status = 'approved'
             ) pages ORDER BY kind, position, path",
        )
        .fetch_all(state.db.pool())
        .await;
        let Ok(slugs) = slugs else {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        };
        let urls = std::iter::once(format!("{base}/"))
            .chain(slugs.into_iter().map(|path| format!("{base}/{path}")));
        return xml(url_set(urls));
    }
    let page = file
        .strip_prefix("products-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n));
    let Some(page) = page else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let slugs: Result<Vec<String>, _> = sqlx::query_scalar(&format!(
        "SELECT p.slug FROM products p WHERE {ON_SALE} ORDER BY p.created_at, p.id LIMIT $1 OFFSET $2"
    ))
    .bind(PER_FILE)
    .bind((page - 1) * PER_FILE)
    .fetch_all(state.db.pool())
    .await;
    match slugs {
        Ok(slugs) if slugs.is_empty() => StatusCode::NOT_FOUND.into_response(),
        Ok(slugs) => xml(url_set(
            slugs.into_iter().map(|s| format!("{base}/products/{s}")),
        )),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
