//! Test harness: the real application on port 0 with a fresh database per engine.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use app::account::account_service::create_confirmed;
use app::assembly::testing::{TestDb, test_config};
use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use server::startup::Application;
use shop_types::{Email, Role};
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    pub db: TestDb,
    /// The server's own pool (the test's `db` is a second pool on the same database).
    pub server_db: app::platform::db::Db,
    /// The shop's configured public URL (links in pages and sitemaps use it).
    pub public_url: String,
    /// The server's search index.
    pub search: app::search::follower::Search,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Waits (up to 20 s) until the server's search index holds `n` products, e.g. after a
    /// test added them to the database.
    pub async fn indexed(&self, n: u64) {
        self.search.changed();
        for _ in 0..400 {
            if self.search.index.len() >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "the search index did not reach {n} products (has {})",
            self.search.index.len()
        );
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.server.await.unwrap().unwrap();
        self.db.finish().await;
    }
}

pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// Like `spawn_app`, with the test configuration changed by `adjust` first.
pub async fn spawn_app_with(
    db: TestDb,
    adjust: impl FnOnce(&mut app::platform::config::Config),
) -> TestApp {
    spawn_app_serving(db, adjust, "target/site").await
}

/// Like `spawn_app_with`, serving the build's files from `site_root`.
pub async fn spawn_app_serving(
    db: TestDb,
    adjust: impl FnOnce(&mut app::platform::config::Config),
    site_root: &str,
) -> TestApp {
    let mut config = test_config(&db.url());
    adjust(&mut config);
    let options = LeptosOptions::builder()
        .output_name("shop")
        .site_root(site_root)
        .build();
    let app = Application::build(config, options)
        .await
        .expect("application starts");
    let addr = app.local_addr();
    let server_db = app.state().db.clone();
    let public_url = app.state().config.public_url.clone();
    let search = app.state().part::<app::search::follower::Search>().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        stop: Some(stop),
        server,
        db,
        server_db,
        public_url,
        search,
    }
}

pub async fn each_engine() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in TestDb::all().await {
        apps.push(spawn_app(db).await);
    }
    apps
}

// Accounts and server-function calls, shared by the HTTP tests.

pub const PASSWORD: &str = "correct horse battery";

pub async fn account(app: &TestApp, email: &str, role: Role) {
    create_confirmed(
        &app.db.db,
        &Email::parse(email).unwrap(),
        PASSWORD,
        "Test",
        role,
    )
    .await
    .unwrap();
}

/// The id of the account with `email`.
pub async fn user_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE email_index = $1")
        .bind(app.db.db.vault().email_index(email))
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

/// Gives the staff account `email` the permission `permission` (its stored name).
pub async fn grant(app: &TestApp, email: &str, permission: &str) {
    sqlx::query("INSERT INTO staff_permissions (user_id, permission) SELECT id, $1 FROM users WHERE email_index = $2")
        .bind(permission)
        .bind(app.db.db.vault().email_index(email))
        .execute(app.db.db.pool())
        .await
        .unwrap();
}

/// Calls a server function as the hydrated app does, with an optional session cookie.
pub async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client
        .post(app.url(path))
        .header("accept", "application/json")
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shop_session=") && !v.starts_with("shop_session=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

pub async fn sign_in(app: &TestApp, email: &str, cookie: Option<&str>) -> String {
    // Back-office accounts need a second step: give the account a fresh known key first, so
    // every sign-in has an unused code whatever signed in before it.
    let key = fresh_key(app, email).await;
    let response = call(
        app,
        &app.client,
        "/api/account/sign-in",
        &[("email", email), ("password", PASSWORD)],
        cookie,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = match key {
        None => response,
        Some(key) => {
            let challenge = named_cookie(&response, "shop_sign_in").expect("a sign-in challenge");
            let code =
                app::identity::totp::code_at(&key, app::platform::clock::now().millis() / 1000);
            let cookies = match cookie {
                Some(other) => format!("{challenge}; {other}"),
                None => challenge,
            };
            let next = call(
                app,
                &app.client,
                "/api/account/two-step",
                &[("code", &code)],
                Some(&cookies),
            )
            .await;
            assert_eq!(next.status(), StatusCode::OK, "the second step");
            next
        }
    };
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    let cookie = set
        .iter()
        .find(|c| c.starts_with("shop_session="))
        .expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on localhost");
    session_cookie(&response).unwrap()
}

/// For a back-office account: a new authenticator key (confirmed, no step used yet), returned
/// so the test can compute codes. `None` for customers.
pub async fn fresh_key(app: &TestApp, email: &str) -> Option<Vec<u8>> {
    let mut tx = app.db.db.begin_write().await.unwrap();
    let user = app::identity::users::find_by_email(&mut tx, app.db.db.vault(), email)
        .await
        .unwrap()?;
    if user.role == Role::Customer {
        return None;
    }
    let key = app::identity::totp::new_secret();
    app::identity::factors::set_known_key(&mut tx, &user.id, &key, app::platform::clock::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Some(key)
}

/// The `name=value` of the cookie `name` a response sets (with a value).
pub fn named_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(n, value)| n == name && !value.is_empty())
        })
        .map(str::to_owned)
}

/// The nonce a Content-Security-Policy header allows scripts with (empty if none).
pub fn nonce_of(csp: &str) -> String {
    csp.split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap_or_default()
        .to_owned()
}

/// The `shop_cart=...` cookie a response sets, if any.
pub fn cart_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shop_cart=") && !v.starts_with("shop_cart=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// A 8×6 red PNG.
pub const PNG: [u8; 74] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 6, 8, 2, 0,
    0, 0, 113, 103, 72, 172, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 56, 161, 161, 129, 21, 49,
    12, 164, 4, 0, 128, 247, 52, 129, 69, 202, 34, 253, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96,
    130,
];

const BOUNDARY: &str = "----shop-test-boundary";

/// A multipart body of text fields and one file field.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a multipart form as a browser without script does.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    body: Vec<u8>,
    cookie: Option<&str>,
) -> reqwest::Response {
    post_multipart_accepting(app, path, body, cookie, "text/html").await
}

pub async fn post_multipart_accepting(
    app: &TestApp,
    path: &str,
    body: Vec<u8>,
    cookie: Option<&str>,
    accept: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("accept", accept)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// How many `action` entries the audit log holds once it has `want` (the audit reaction runs
/// as a job right after the change commits), or after 20 s.
pub async fn audited(app: &TestApp, action: &str, want: i64) -> i64 {
    let mut count = 0;
    for _ in 0..400 {
        count = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        if count >= want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    count
}
