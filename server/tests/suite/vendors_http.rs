//! Vendors over HTTP: a shopper applies with the real form's field names and is signed out;
//! the authorisation walk over every vendor and console-vendor endpoint (anonymous 401;
//! customers, staff without the vendors permission and another vendor 403, or only ever
//! their own vendor) with nothing stored; staff with the permission decide.

use crate::support::audited;
use crate::support::{
    PNG, TestApp, account, call, each_engine, grant, multipart, post_multipart,
    post_multipart_accepting, sign_in, user_id,
};
use app::platform::audit_trail::Who;
use app::vendors::{onboarding, vendor_store};
use reqwest::StatusCode;
use shop_types::vendor::{Actor, VendorApplication};
use shop_types::{Role, VendorStatus, VendorStep};

fn form<'a>(name: &'a str, iban: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("business_name", name),
        ("legal_form", "sole_trader"),
        ("registration_number", "HRA 998877"),
        ("tax_number", "NL123456789B01"),
        ("contact_name", "Eva Jansen"),
        ("contact_phone", "+31 20 555 0101"),
        ("billing[full_name]", "Eva Jansen"),
        ("billing[line1]", "Prinsengracht 1"),
        ("billing[postal_code]", "1015 DK"),
        ("billing[city]", "Amsterdam"),
        ("billing[country]", "NL"),
        ("account_holder", "Eva Jansen"),
        ("iban", iban),
        ("accepts_terms", "on"),
    ]
}

async fn vendor_of(app: &TestApp, email: &str) -> Option<(String, VendorStatus, String)> {
    let id = user_id(app, email).await;
    let mut conn = app.db.db.pool().acquire().await.unwrap();
    vendor_store::membership(&mut conn, &id)
        .await
        .unwrap()
        .map(|(v, _)| (v.id, v.status, v.description))
}

/// Calls `path` as `who` and checks it is refused: 401 signed out, 403 signed in.
async fn refused(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    who: &str,
    cookie: Option<&str>,
) {
    let r = call(app, &app.client, path, fields, cookie).await;
    let want = if cookie.is_none() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::FORBIDDEN
    };
    assert_eq!(r.status(), want, "{path} as {who}");
}

async fn body(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_shopper_applies_over_http_and_only_the_vendors_own_team_and_vendor_staff_get_in() {
    for app in each_engine().await {
        let db = &app.db.db;
        account(&app, "eva@example.com", Role::Customer).await;
        account(&app, "bob@example.com", Role::Customer).await;
        account(&app, "carl@example.com", Role::Customer).await;
        account(&app, "clerk@example.com", Role::Staff).await;
        account(&app, "judge@example.com", Role::Staff).await;
        grant(&app, "judge@example.com", "manage_vendors").await;

        // Anonymous callers may not apply.
        let anonymous = call(
            &app,
            &app.client,
            "/api/sell/apply",
            &form("Eva's Tulips", "NL91 ABNA 0417 1643 00"),
            None,
        )
        .await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // A wrong IBAN comes back on its field; nothing is stored, the session stays.
        let eva = sign_in(&app, "eva@example.com", None).await;
        let wrong = call(
            &app,
            &app.client,
            "/api/sell/apply",
            &form("Eva's Tulips", "NL91 ABNA 0417 1643 01"),
            Some(&eva),
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body(wrong).await.contains("iban_invalid"));
        assert!(vendor_of(&app, "eva@example.com").await.is_none());
        let offer = call(&app, &app.client, "/api/sell/offer", &[], Some(&eva)).await;
        assert!(body(offer).await.contains("Apply"), "still signed in");

        // The real form's names (nested billing address) make an application.
        let applied = call(
            &app,
            &app.client,
            "/api/sell/apply",
            &form("Eva's Tulips", "NL91 ABNA 0417 1643 00"),
            Some(&eva),
        )
        .await;
        assert_eq!(applied.status(), StatusCode::OK, "{}", body(applied).await);
        let (eva_vendor, status, _) = vendor_of(&app, "eva@example.com").await.unwrap();
        assert_eq!(status, VendorStatus::Applied);
        // The account is a vendor's now: that session ended.
        let gone = call(&app, &app.client, "/api/vendor/dashboard", &[], Some(&eva)).await;
        assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
        let eva = sign_in(&app, "eva@example.com", None).await;
        let dashboard = call(&app, &app.client, "/api/vendor/dashboard", &[], Some(&eva)).await;
        assert_eq!(dashboard.status(), StatusCode::OK);
        let text = body(dashboard).await;
        assert!(text.contains("Eva's Tulips"));
        assert!(
            text.contains("•••• 4300"),
            "the owner sees the tail of the payout account: {text}"
        );
        assert!(!text.contains("NL91ABNA"), "never the whole IBAN");

        // Another vendor (Bob's), made through the service.
        let bob_id = user_id(&app, "bob@example.com").await;
        let mut conn = db.pool().acquire().await.unwrap();
        let bob_user = app::identity::users::find_by_id(&mut conn, db.vault(), &bob_id)
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let bob_app = VendorApplication {
            business_name: "Bob's Bikes".into(),
            legal_form: "partnership".into(),
            registration_number: "HRA 1".into(),
            tax_number: "DE123456789".into(),
            contact_name: "Bob".into(),
            contact_phone: "+49 40 123456".into(),
            billing: app::assembly::testing::test_address(),
            returns: None,
            account_holder: "Bob".into(),
            iban: "DE89370400440532013000".into(),
            accepts_terms: true,
        };
        onboarding::apply(db, &bob_user, bob_app, &Who::system())
            .await
            .unwrap();
        let bob = sign_in(&app, "bob@example.com", None).await;
        let carl = sign_in(&app, "carl@example.com", None).await;
        let clerk = sign_in(&app, "clerk@example.com", None).await;
        let judge = sign_in(&app, "judge@example.com", None).await;

        // The console's vendor endpoints: only staff with the vendors permission.
        let console: [(&str, Vec<(&str, &str)>); 3] = [
            ("/api/admin/vendors", vec![]),
            ("/api/admin/vendors/one", vec![("id", eva_vendor.as_str())]),
            (
                "/api/admin/vendors/decide",
                vec![("id", eva_vendor.as_str()), ("step", "accept")],
            ),
        ];
        for (path, fields) in &console {
            for (who, cookie) in [
                ("anonymous", None),
                ("a customer", Some(carl.as_str())),
                ("staff without the permission", Some(clerk.as_str())),
                ("another vendor", Some(bob.as_str())),
                ("the vendor itself", Some(eva.as_str())),
            ] {
                refused(&app, path, fields, who, cookie).await;
            }
        }
        // The seller dashboard's endpoints: only a vendor's team, and only for their vendor.
        let profile = [
            (
                "description",
                "A description long enough to be a real shop description here.",
            ),
            (
                "returns_policy",
                "Returns within fourteen days, unworn, in the original box.",
            ),
        ];
        for (path, fields) in [
            ("/api/vendor/dashboard", &[][..]),
            ("/api/vendor/profile", &profile[..]),
            ("/api/vendor/submit", &[][..]),
        ] {
            for (who, cookie) in [
                ("anonymous", None),
                ("a customer", Some(carl.as_str())),
                ("staff", Some(clerk.as_str())),
                ("vendor staff of the console", Some(judge.as_str())),
            ] {
                refused(&app, path, fields, who, cookie).await;
            }
        }
        // The team endpoints: owners of their own vendor only.
        let eva_id = user_id(&app, "eva@example.com").await;
        let team_calls: [(&str, Vec<(&str, &str)>); 3] = [
            ("/api/vendor/team", vec![]),
            (
                "/api/vendor/team/invite",
                vec![("email", "helper@example.com"), ("role", "orders")],
            ),
            (
                "/api/vendor/team/remove",
                vec![("user_id", eva_id.as_str())],
            ),
        ];
        for (path, fields) in &team_calls {
            for (who, cookie) in [
                ("anonymous", None),
                ("a customer", Some(carl.as_str())),
                ("staff", Some(judge.as_str())),
            ] {
                refused(&app, path, fields, who, cookie).await;
            }
        }
        // Bob cannot remove Eva from her vendor: his own team has no such member.
        let foreign = call(
            &app,
            &app.client,
            "/api/vendor/team/remove",
            &[("user_id", &eva_id)],
            Some(&bob),
        )
        .await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
        assert!(vendor_of(&app, "eva@example.com").await.is_some());
        let joined_anonymously = call(
            &app,
            &app.client,
            "/api/vendor/join",
            &[("token", "x")],
            None,
        )
        .await;
        assert_eq!(joined_anonymously.status(), StatusCode::UNAUTHORIZED);
        let made_up = call(
            &app,
            &app.client,
            "/api/vendor/join",
            &[("token", "made-up")],
            Some(&carl),
        )
        .await;
        assert_eq!(made_up.status(), StatusCode::CONFLICT);
        assert!(body(made_up).await.contains("vendor_invitation_invalid"));
        // Bob saves a profile and sees his own vendor: Eva's is untouched.
        let saved = call(
            &app,
            &app.client,
            "/api/vendor/profile",
            &profile,
            Some(&bob),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK, "{}", body(saved).await);
        let bobs =
            body(call(&app, &app.client, "/api/vendor/dashboard", &[], Some(&bob)).await).await;
        assert!(bobs.contains("Bob's Bikes") && !bobs.contains("Eva's Tulips"));
        let (_, status, description) = vendor_of(&app, "eva@example.com").await.unwrap();
        assert_eq!((status, description.as_str()), (VendorStatus::Applied, ""));

        // Staff with the permission list, open and decide; the decision is refused when stale.
        let listed = body(
            call(
                &app,
                &app.client,
                "/api/admin/vendors",
                &[("status", "applied")],
                Some(&judge),
            )
            .await,
        )
        .await;
        assert!(listed.contains("Eva's Tulips") && listed.contains("Bob's Bikes"));
        let one = body(
            call(
                &app,
                &app.client,
                "/api/admin/vendors/one",
                &[("id", &eva_vendor)],
                Some(&judge),
            )
            .await,
        )
        .await;
        assert!(one.contains("NL91ABNA0417164300") && one.contains("eva@example.com"));
        // Opening the sealed details is in the audit log; the refused calls above left none.
        assert_eq!(audited(&app, "vendor.details_viewed", 1).await, 1);
        let bad_step = call(
            &app,
            &app.client,
            "/api/admin/vendors/decide",
            &[("id", &eva_vendor), ("step", "crown")],
            Some(&judge),
        )
        .await;
        assert_eq!(bad_step.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let accepted = call(
            &app,
            &app.client,
            "/api/admin/vendors/decide",
            &[("id", &eva_vendor), ("step", "accept")],
            Some(&judge),
        )
        .await;
        assert_eq!(
            accepted.status(),
            StatusCode::OK,
            "{}",
            body(accepted).await
        );
        let again = call(
            &app,
            &app.client,
            "/api/admin/vendors/decide",
            &[("id", &eva_vendor), ("step", "accept")],
            Some(&judge),
        )
        .await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        assert!(body(again).await.contains("vendor_step_not_now"));
        let unknown = call(
            &app,
            &app.client,
            "/api/admin/vendors/one",
            &[("id", "nope")],
            Some(&judge),
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        // The owner cannot skip the review: submitting an incomplete checklist is refused.
        let early = call(&app, &app.client, "/api/vendor/submit", &[], Some(&eva)).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        assert!(body(early).await.contains("vendor_checklist_incomplete"));
        let (_, status, _) = vendor_of(&app, "eva@example.com").await.unwrap();
        assert_eq!(status, VendorStatus::Onboarding);
        // Staff who are not the owner cannot take the owner's step through the console.
        let submit_as_staff = call(
            &app,
            &app.client,
            "/api/admin/vendors/decide",
            &[
                ("id", &eva_vendor),
                ("step", VendorStep::SubmitForReview.as_str()),
            ],
            Some(&judge),
        )
        .await;
        assert_eq!(submit_as_staff.status(), StatusCode::FORBIDDEN);
        app.stop().await;
    }
}

#[tokio::test]
async fn an_invited_shopper_joins_over_http_and_an_orders_member_cannot_manage_the_team() {
    for db in app::assembly::testing::TestDb::all().await {
        let drop = std::env::temp_dir().join(format!("shop-team-{}", app::platform::ids::new_id()));
        let dir = drop.clone();
        let app = crate::support::spawn_app_with(db, move |c| c.mail_dir = Some(dir)).await;
        account(&app, "eva@example.com", Role::Customer).await;
        account(&app, "carl@example.com", Role::Customer).await;
        let eva = sign_in(&app, "eva@example.com", None).await;
        let applied = call(
            &app,
            &app.client,
            "/api/sell/apply",
            &form("Eva's Tulips", "NL91 ABNA 0417 1643 00"),
            Some(&eva),
        )
        .await;
        assert_eq!(applied.status(), StatusCode::OK);
        let eva = sign_in(&app, "eva@example.com", None).await;
        let invited = call(
            &app,
            &app.client,
            "/api/vendor/team/invite",
            &[("email", "carl@example.com"), ("role", "orders")],
            Some(&eva),
        )
        .await;
        assert_eq!(invited.status(), StatusCode::OK, "{}", body(invited).await);
        // Other mails (the application's, new sign-ins) arrive beside it: wait for Carl's.
        let mut invitation = None;
        for _ in 0..200 {
            invitation = crate::two_step_http::dropped_mails(&drop, 1)
                .await
                .into_iter()
                .find(|m| m["to"] == "carl@example.com");
            if invitation.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let invitation = invitation.expect("the invitation");
        let text = invitation["text"].as_str().unwrap();
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/vendor/join?token="))
            .unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let carl = sign_in(&app, "carl@example.com", None).await;
        let joined = call(
            &app,
            &app.client,
            "/api/vendor/join",
            &[("token", token)],
            Some(&carl),
        )
        .await;
        assert_eq!(joined.status(), StatusCode::OK, "{}", body(joined).await);
        let again = call(
            &app,
            &app.client,
            "/api/vendor/join",
            &[("token", token)],
            Some(&carl),
        )
        .await;
        assert_eq!(
            again.status(),
            StatusCode::UNAUTHORIZED,
            "the session ended when the account became a seller's"
        );
        let carl = sign_in(&app, "carl@example.com", None).await;
        let his =
            body(call(&app, &app.client, "/api/vendor/dashboard", &[], Some(&carl)).await).await;
        assert!(
            his.contains("Eva's Tulips") && !his.contains("••••"),
            "members other than owners see no bank account: {his}"
        );
        let eva_id = user_id(&app, "eva@example.com").await;
        for (path, fields) in [
            ("/api/vendor/team", vec![]),
            (
                "/api/vendor/team/invite",
                vec![("email", "dan@example.com"), ("role", "owner")],
            ),
            (
                "/api/vendor/team/remove",
                vec![("user_id", eva_id.as_str())],
            ),
            ("/api/vendor/submit", vec![]),
        ] {
            let r = call(&app, &app.client, path, &fields, Some(&carl)).await;
            assert_eq!(
                r.status(),
                StatusCode::FORBIDDEN,
                "{path} as an orders member"
            );
        }
        let team = body(call(&app, &app.client, "/api/vendor/team", &[], Some(&eva)).await).await;
        assert!(
            team.contains("carl@example.com") && team.contains("orders"),
            "{team}"
        );
        std::fs::remove_dir_all(&drop).ok();
        app.stop().await;
    }
}

/// The anonymous page at `path` once it answers `status` with `text` in it: the server's index
/// follows the database (and its job runner the reactions) a moment after a change.
async fn answered(app: &TestApp, path: &str, status: StatusCode, text: &str) -> String {
    let mut last = String::new();
    for _ in 0..400 {
        app.search.changed();
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let got = response.status();
        last = response.text().await.unwrap();
        if got == status && last.contains(text) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{path} never answered {status} with {text:?}: {last}");
}

#[tokio::test]
async fn seller_pages_render_on_the_server_for_the_right_people_and_are_never_stored() {
    let app = crate::support::spawn_app(app::assembly::testing::TestDb::sqlite().await).await;
    account(&app, "gil@example.com", Role::Customer).await;
    let page = |path: &'static str, cookie: Option<String>| {
        let mut request = app.client.get(app.url(path));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    // Signed out: how to start, never cached (the page depends on who asks).
    let sell = page("/sell", None).await.unwrap();
    assert_eq!(sell.status(), StatusCode::OK);
    assert_eq!(sell.headers()["cache-control"], "no-store");
    let html = sell.text().await.unwrap();
    assert!(html.contains("create an account"), "{html}");
    // A shopper gets the form, with every field named as the server function reads it.
    let gil = sign_in(&app, "gil@example.com", None).await;
    let html = page("/sell", Some(gil.clone()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "business_name",
        "legal_form",
        "registration_number",
        "tax_number",
        "contact_name",
        "contact_phone",
        "billing[line1]",
        "billing[country]",
        "returns_elsewhere",
        "returns[line1]",
        "account_holder",
        "iban",
        "accepts_terms",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }
    // The dashboard tells a shopper they do not work for a seller; it is never cached either.
    let dashboard = page("/vendor", Some(gil)).await.unwrap();
    assert_eq!(dashboard.headers()["cache-control"], "no-store");
    assert!(
        dashboard
            .text()
            .await
            .unwrap()
            .contains("does not work for a seller")
    );

    // An approved seller's product page says who sells it, on the page and to search engines.
    let db = &app.db.db;
    app::assembly::testing::shop_with_products(db, 1).await;
    account(&app, "hal@example.com", Role::Customer).await;
    let hal_id = user_id(&app, "hal@example.com").await;
    let mut conn = db.pool().acquire().await.unwrap();
    let hal = app::identity::users::find_by_id(&mut conn, db.vault(), &hal_id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let who = Who::of(&hal_id, "hal@example.com");
    let vendor = onboarding::apply(
        db,
        &hal,
        VendorApplication {
            business_name: "Hal's Hats".into(),
            legal_form: "sole_trader".into(),
            registration_number: "HRA 2".into(),
            tax_number: "DE123456789".into(),
            contact_name: "Hal".into(),
            contact_phone: "+49 40 123456".into(),
            billing: app::assembly::testing::test_address(),
            returns: None,
            account_holder: "Hal".into(),
            iban: "DE89370400440532013000".into(),
            accepts_terms: true,
        },
        &who,
    )
    .await
    .unwrap()
    .vendor_id;
    let step =
        |step: VendorStep, actor: Actor| onboarding::take_step(db, &vendor, step, actor, "", &who);
    step(VendorStep::Accept, Actor::Operator).await.unwrap();
    onboarding::save_profile(
        db,
        &vendor,
        "Felt hats blocked by hand in Hamburg, one size at a time.",
        "Unworn hats may be returned within 30 days for a full refund.",
        &who,
    )
    .await
    .unwrap();
    step(VendorStep::SubmitForReview, Actor::Owner)
        .await
        .unwrap();
    step(VendorStep::Approve, Actor::Operator).await.unwrap();
    let (id, slug): (String, String) = sqlx::query_as("SELECT id, slug FROM products LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    app::catalog::product_store::set_vendor(&mut tx, &[id], Some(&vendor), 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let html = app
        .client
        .get(app.url(&shop_types::paths::product(&slug)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // (The apostrophe is escaped differently in HTML and in the script's JSON.)
    let storefront = "/sellers/hal-s-hats";
    assert!(
        html.contains(&format!("Sold by <a href=\"{storefront}\">Hal")),
        "{html}"
    );
    assert!(
        html.contains(r#""seller":{"@type":"Organization","name":"Hal"#),
        "the offers' JSON-LD names the seller"
    );
    assert!(html.contains(&format!("\"url\":\"{}{storefront}\"", app.public_url)));

    // The storefront renders on the server with the seller's words and its product, and the
    // sitemap lists it.
    let html = answered(&app, storefront, StatusCode::OK, "1 products").await;
    assert!(
        html.contains("Felt hats blocked by hand in Hamburg"),
        "{html}"
    );
    assert!(html.contains("Unworn hats may be returned"));
    assert!(
        html.contains(&format!("href=\"/products/{slug}\"")),
        "{html}"
    );
    let sitemap = body(page("/sitemaps/pages.xml", None).await.unwrap()).await;
    assert!(
        sitemap.contains(&format!("{storefront}</loc>")),
        "{sitemap}"
    );

    // The seller uploads its logo: anonymous callers and shoppers are refused and nothing is
    // kept; a picture that is not one is refused on the dashboard; the logo then shows.
    let logo = || multipart(&[("kind", "logo")], Some(("file", "logo.png", &PNG)));
    let path = "/api/vendor/picture";
    let anonymous = post_multipart_accepting(&app, path, logo(), None, "application/json").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let gil = sign_in(&app, "gil@example.com", None).await;
    let shopper =
        post_multipart_accepting(&app, path, logo(), Some(&gil), "application/json").await;
    assert_eq!(shopper.status(), StatusCode::FORBIDDEN);
    let kept: Option<String> = sqlx::query_scalar("SELECT logo_key FROM vendors WHERE id = $1")
        .bind(&vendor)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(kept, None);
    let hal_cookie = sign_in(&app, "hal@example.com", None).await;
    let junk = multipart(
        &[("kind", "logo")],
        Some(("file", "x.png", b"not a picture")),
    );
    let refused = post_multipart(&app, path, junk, Some(&hal_cookie)).await;
    assert!(refused.status().is_redirection(), "{}", refused.status());
    assert!(
        refused.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/vendor?picture_error="),
        "{:?}",
        refused.headers()
    );
    let unknown = multipart(&[("kind", "poster")], Some(("file", "a.png", &PNG)));
    let refused = post_multipart(&app, path, unknown, Some(&hal_cookie)).await;
    assert!(
        refused.headers()["location"]
            .to_str()
            .unwrap()
            .contains("picture_error=")
    );
    let saved = post_multipart(&app, path, logo(), Some(&hal_cookie)).await;
    assert_eq!(saved.headers()["location"], "/vendor?saved=logo");
    let kept: Option<String> = sqlx::query_scalar("SELECT logo_key FROM vendors WHERE id = $1")
        .bind(&vendor)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let kept = kept.expect("the logo is kept");
    let html = page(storefront, None).await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("/media/{kept}/")), "{html}");
    assert_eq!(
        audited(&app, "vendor.picture_saved", 1).await,
        1,
        "one audit entry for the one saved picture"
    );

    // Suspended: the storefront is gone and the sitemap no longer lists it.
    onboarding::take_step(
        db,
        &vendor,
        VendorStep::Suspend,
        Actor::Operator,
        "Checks",
        &who,
    )
    .await
    .unwrap();
    answered(&app, storefront, StatusCode::NOT_FOUND, "").await;
    let sitemap = body(page("/sitemaps/pages.xml", None).await.unwrap()).await;
    assert!(!sitemap.contains(storefront));
    assert_eq!(
        page("/sellers/nobody-here", None).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

/// A product form with two sizes, as the seller's editor posts it.
fn product_form<'a>(id: &'a str, title: &'a str, sku: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("product[title]", title),
        ("product[status]", "active"),
        ("product[option1_name]", "Size"),
        ("variants[0][sku]", sku),
        ("variants[0][option1]", "S"),
        ("variants[0][price]", "24.00"),
        ("variants[0][stock]", "5"),
        ("variants[1][sku]", "TULIP-M"),
        ("variants[1][option1]", "M"),
        ("variants[1][price]", "26.00"),
        ("variants[1][stock]", "3"),
    ]
}

#[tokio::test]
async fn a_sellers_products_and_stock_answer_only_its_own_catalog_team() {
    for app in each_engine().await {
        for (email, role) in [
            ("eva@example.com", Role::Customer),
            ("bob@example.com", Role::Customer),
            ("carl@example.com", Role::Customer),
            ("clerk@example.com", Role::Staff),
        ] {
            account(&app, email, role).await;
        }
        grant(&app, "clerk@example.com", "manage_catalog").await;
        for (email, name, iban) in [
            ("eva@example.com", "Eva's Tulips", "NL91 ABNA 0417 1643 00"),
            (
                "bob@example.com",
                "Bob's Bikes",
                "DE89 3704 0044 0532 0130 00",
            ),
        ] {
            let shopper = sign_in(&app, email, None).await;
            let applied = call(
                &app,
                &app.client,
                "/api/sell/apply",
                &form(name, iban),
                Some(&shopper),
            )
            .await;
            assert_eq!(applied.status(), StatusCode::OK, "{}", body(applied).await);
        }
        let eva = sign_in(&app, "eva@example.com", None).await;
        let bob = sign_in(&app, "bob@example.com", None).await;
        let carl = sign_in(&app, "carl@example.com", None).await;
        let clerk = sign_in(&app, "clerk@example.com", None).await;

        // Eva lists a product with two sizes: it is her seller's, 8 units at her location.
        let saved = call(
            &app,
            &app.client,
            "/api/vendor/products/save",
            &product_form("", "Tulip bulbs", "TULIP-S"),
            Some(&eva),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK, "{}", body(saved).await);
        let (eva_vendor, _, _) = vendor_of(&app, "eva@example.com").await.unwrap();
        let (product, owner): (String, Option<String>) =
            sqlx::query_as("SELECT id, vendor_id FROM products WHERE title = 'Tulip bulbs'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(owner.as_deref(), Some(eva_vendor.as_str()));
        let variant: String = sqlx::query_scalar("SELECT id FROM variants WHERE sku = 'TULIP-S'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let location: String =
            sqlx::query_scalar("SELECT id FROM stock_locations WHERE vendor_id = $1")
                .bind(&eva_vendor)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let stock = || async {
            sqlx::query_scalar::<_, i64>("SELECT stock FROM variants WHERE sku = 'TULIP-S'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap()
        };
        assert_eq!(stock().await, 5);

        let edit = product_form(&product, "Stolen tulips", "TULIP-S");
        let adjust = [
            ("variant_id", variant.as_str()),
            ("location_id", location.as_str()),
            ("mode", "add"),
            ("quantity", "50"),
            ("reason", "received"),
        ];
        let picture = [
            ("product_id", product.as_str()),
            ("image_id", "01J00000000000000000000000"),
            ("action", "remove"),
        ];
        let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("/api/vendor/products/list", vec![]),
            (
                "/api/vendor/products/editor",
                vec![("id", product.as_str())],
            ),
            ("/api/vendor/products/save", edit.clone()),
            ("/api/vendor/products/image/change", picture.to_vec()),
            ("/api/vendor/stock/list", vec![]),
            ("/api/vendor/stock/item", vec![("id", variant.as_str())]),
            ("/api/vendor/stock/adjust", adjust.to_vec()),
            ("/api/vendor/stock/locations", vec![]),
            ("/api/vendor/stock/locations/add", vec![("name", "Garage")]),
        ];
        for (path, fields) in &calls {
            for (who, cookie) in [
                ("anonymous", None),
                ("a customer", Some(carl.as_str())),
                ("staff with the catalog permission", Some(clerk.as_str())),
            ] {
                refused(&app, path, fields, who, cookie).await;
            }
        }
        // Bob, another seller, finds none of Eva's things, and changes none.
        for (path, fields) in &calls[1..4] {
            let r = call(&app, &app.client, path, fields, Some(&bob)).await;
            assert_eq!(
                r.status(),
                StatusCode::NOT_FOUND,
                "{path} as another seller"
            );
        }
        for (path, fields) in [&calls[5], &calls[6]] {
            let r = call(&app, &app.client, path, fields, Some(&bob)).await;
            assert_eq!(
                r.status(),
                StatusCode::NOT_FOUND,
                "{path} as another seller"
            );
        }
        let his = body(
            call(
                &app,
                &app.client,
                "/api/vendor/products/list",
                &[],
                Some(&bob),
            )
            .await,
        )
        .await;
        assert!(!his.contains("Tulip"), "{his}");
        let his =
            body(call(&app, &app.client, "/api/vendor/stock/list", &[], Some(&bob)).await).await;
        assert!(!his.contains("TULIP"), "{his}");
        let upload = multipart(
            &[("product_id", &product), ("alt", "Bulbs")],
            Some(("file", "bulbs.png", &PNG)),
        );
        let r = post_multipart_accepting(
            &app,
            "/api/vendor/products/image",
            upload,
            Some(&bob),
            "application/json",
        )
        .await;
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "a picture on another seller's product"
        );
        let title: String = sqlx::query_scalar("SELECT title FROM products WHERE id = $1")
            .bind(&product)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(title, "Tulip bulbs");
        assert_eq!(stock().await, 5);
        let pictures: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM product_images WHERE product_id = $1")
                .bind(&product)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(pictures, 0);

        // Eva changes her own stock (audited), names a second location once.
        let r = call(
            &app,
            &app.client,
            "/api/vendor/stock/adjust",
            &adjust,
            Some(&eva),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", body(r).await);
        assert_eq!(stock().await, 55);
        assert_eq!(audited(&app, "stock.adjusted", 1).await, 1);
        let r = call(
            &app,
            &app.client,
            "/api/vendor/stock/locations/add",
            &[("name", "Garage")],
            Some(&eva),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", body(r).await);
        let again = call(
            &app,
            &app.client,
            "/api/vendor/stock/locations/add",
            &[("name", " Garage ")],
            Some(&eva),
        )
        .await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body(again).await.contains("location_name_taken"));
        let r = call(
            &app,
            &app.client,
            "/api/vendor/stock/locations/add",
            &[("name", "Garage")],
            Some(&bob),
        )
        .await;
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "another seller may use the same name"
        );
        let mine = body(
            call(
                &app,
                &app.client,
                "/api/vendor/stock/locations",
                &[],
                Some(&eva),
            )
            .await,
        )
        .await;
        assert!(
            mine.contains("Main location") && mine.contains("Garage"),
            "{mine}"
        );
        // She uploads a picture to her product; her product list shows it with its stock.
        let upload = multipart(
            &[("product_id", &product), ("alt", "Bulbs")],
            Some(("file", "bulbs.png", &PNG)),
        );
        let r = post_multipart(&app, "/api/vendor/products/image", upload, Some(&eva)).await;
        assert!(
            r.status().is_redirection() || r.status().is_success(),
            "{}",
            r.status()
        );
        let list = body(
            call(
                &app,
                &app.client,
                "/api/vendor/products/list",
                &[],
                Some(&eva),
            )
            .await,
        )
        .await;
        assert!(
            list.contains("Tulip bulbs") && list.contains("\"stock\":58"),
            "{list}"
        );
        assert_eq!(audited(&app, "product.created", 1).await, 1);
        app.stop().await;
    }
}
