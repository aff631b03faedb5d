//! The admin console over HTTP: uploads and downloads refused to everyone without the
//! permission, a product made with variants and a picture that shoppers then find, a Shopify
//! CSV with broken rows (pictures fetched from a server), and an order fulfilled in parcels.

use crate::support::{
    PNG, TestApp, account, call, each_engine, grant, multipart, post_multipart,
    post_multipart_accepting, sign_in, spawn_app_with,
};
use app::assembly::testing::{TestDb, ready_cart, shop_with_products, variant_with_stock};
use reqwest::StatusCode;
use shop_types::{PaymentMethod, Role};

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn uploads_and_downloads_need_the_matching_permission() {
    for app in each_engine().await {
        let uploads = [
            (
                "/api/admin/products/image",
                multipart(
                    &[("product_id", "00000000000000000000000000")],
                    Some(("file", "a.png", &PNG)),
                ),
            ),
            (
                "/api/admin/import/products",
                multipart(&[], Some(("file", "p.csv", b"Handle,Title\nx,X\n"))),
            ),
            (
                "/api/admin/settings/logo",
                multipart(&[], Some(("file", "logo.png", &PNG))),
            ),
        ];
        let downloads = ["/admin/export/products.csv", "/admin/export/orders.csv"];
        for (path, body) in &uploads {
            let r =
                post_multipart_accepting(&app, path, body.clone(), None, "application/json").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
        }
        for path in downloads {
            assert_eq!(
                get(&app, path, None).await.status(),
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
        for (email, role) in [
            ("c@example.com", Role::Customer),
            ("v@example.com", Role::Vendor),
            ("s@example.com", Role::Staff),
        ] {
            account(&app, email, role).await;
            let cookie = sign_in(&app, email, None).await;
            for (path, body) in &uploads {
                let r = post_multipart_accepting(
                    &app,
                    path,
                    body.clone(),
                    Some(&cookie),
                    "application/json",
                )
                .await;
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{role:?} {path}");
                // A plain form is sent back to where it came from, with nothing stored.
                let r = post_multipart(&app, path, body.clone(), Some(&cookie)).await;
                assert!(!r.status().is_success(), "{role:?} {path}: {}", r.status());
            }
            for path in downloads {
                assert_eq!(
                    get(&app, path, Some(&cookie)).await.status(),
                    StatusCode::FORBIDDEN,
                    "{role:?} {path}"
                );
            }
        }
        let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imports")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(imports, 0);
        let logos: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM stores WHERE logo_key IS NOT NULL")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(logos, 0);

        // Staff with the catalog permission get the catalog, not the orders.
        grant(&app, "s@example.com", "manage_catalog").await;
        let cookie = sign_in(&app, "s@example.com", None).await;
        let products = get(&app, "/admin/export/products.csv", Some(&cookie)).await;
        assert_eq!(products.status(), StatusCode::OK);
        assert!(
            products.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("products.csv")
        );
        assert!(
            products
                .text()
                .await
                .unwrap()
                .starts_with("Handle,Title,Body (HTML)")
        );
        assert_eq!(
            get(&app, "/admin/export/orders.csv", Some(&cookie))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(
                &app,
                &app.client,
                "/api/admin/orders/list",
                &[],
                Some(&cookie)
            )
            .await
            .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(
                &app,
                &app.client,
                "/api/admin/products/list",
                &[],
                Some(&cookie)
            )
            .await
            .status(),
            StatusCode::OK
        );
        assert_eq!(
            call(
                &app,
                &app.client,
                "/api/admin/dashboard",
                &[],
                Some(&cookie)
            )
            .await
            .status(),
            StatusCode::FORBIDDEN
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_admin_creates_a_product_with_two_variants_and_a_picture_and_shoppers_find_it() {
    for app in each_engine().await {
        shop_with_products(&app.db.db, 0).await;
        account(&app, "admin@example.com", Role::Admin).await;
        let admin = sign_in(&app, "admin@example.com", None).await;
        let form = [
            ("product[title]", "Glacier Parka"),
            ("product[status]", "active"),
            ("product[brand]", "Northwind"),
            ("product[option1_name]", "Size"),
            ("product[description]", "Warm down **parka**."),
            ("variants[0][sku]", "GP-M"),
            ("variants[0][option1]", "M"),
            ("variants[0][price]", "249.00"),
            ("variants[0][stock]", "4"),
            ("variants[1][sku]", "GP-L"),
            ("variants[1][option1]", "L"),
            ("variants[1][price]", "259.00"),
            ("variants[1][stock]", "2"),
            ("variants[2][sku]", ""),
        ];
        let saved = call(
            &app,
            &app.client,
            "/api/admin/products/save",
            &form,
            Some(&admin),
        )
        .await;
        assert_eq!(
            saved.status(),
            StatusCode::OK,
            "{}",
            saved.text().await.unwrap()
        );
        let id: String = saved.json().await.unwrap();

        // The same SKU twice is refused with the field named, and nothing is stored.
        let mut twice = form.to_vec();
        twice[9] = ("variants[1][sku]", "GP-M");
        let refused = call(
            &app,
            &app.client,
            "/api/admin/products/save",
            &twice,
            Some(&admin),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = serde_json::from_str(&refused.text().await.unwrap()).unwrap();
        assert_eq!(body["field"], "variants[1][sku]", "{body}");
        assert_eq!(body["problem"]["code"], "sku_twice", "{body}");
        assert_eq!(body["problem"]["sku"], "GP-M", "{body}");

        // A picture, as a plain form posts it.
        let upload = multipart(
            &[("product_id", &id), ("alt", "Red parka, front")],
            Some(("file", "parka.png", &PNG)),
        );
        let r = post_multipart(&app, "/api/admin/products/image", upload, Some(&admin)).await;
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(
            r.headers()["location"],
            format!("/admin/products/{id}?saved=image")
        );
        let not_a_picture = multipart(
            &[("product_id", &id)],
            Some(("file", "x.png", b"not a picture")),
        );
        let r = post_multipart(
            &app,
            "/api/admin/products/image",
            not_a_picture,
            Some(&admin),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FOUND);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .contains("image_error=")
        );
        let (key, alt, width): (String, String, i64) =
            sqlx::query_as("SELECT file_key, alt, width FROM product_images WHERE product_id = $1")
                .bind(&id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!((alt.as_str(), width), ("Red parka, front", 8));
        assert_eq!(
            get(&app, &format!("/media/{key}/320.webp"), None)
                .await
                .status(),
            StatusCode::OK
        );

        // Shoppers find it by search, with its picture (once the index took the upload in).
        app.indexed(1).await;
        let mut page = String::new();
        for _ in 0..100 {
            page = get(&app, "/search?q=glacier+parka", None)
                .await
                .text()
                .await
                .unwrap();
            if page.contains(&format!("/media/{key}/")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            page.contains("Glacier Parka"),
            "search finds the new product"
        );
        assert!(page.contains(&format!("/media/{key}/")), "with its picture");
        let product = get(&app, "/products/glacier-parka", None)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            product.contains("GP-L") || product.contains("259"),
            "both variants on the page"
        );

        // A draft is hidden from shoppers but staff can preview it.
        let bulk = call(
            &app,
            &app.client,
            "/api/admin/products/bulk",
            &[("ids[0]", &id), ("action", "draft")],
            Some(&admin),
        )
        .await;
        assert_eq!(bulk.status(), StatusCode::OK);
        // Shoppers lose it as soon as the search index (which also ends kept pages) follows.
        let mut status = StatusCode::OK;
        for _ in 0..100 {
            status = get(&app, "/products/glacier-parka", None).await.status();
            if status == StatusCode::NOT_FOUND {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            get(&app, "/products/glacier-parka", Some(&admin))
                .await
                .status(),
            StatusCode::OK
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_shopify_csv_with_broken_rows_imports_the_good_ones_and_reports_the_rest() {
    // A picture server for the file's Image Src column.
    let pictures =
        axum::Router::new().route("/tote.png", axum::routing::get(|| async { PNG.to_vec() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let picture_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, pictures).await });
    let csv = format!(
        "Handle,Title,Body (HTML),Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Image Src,Image Position,Image Alt Text,Status
canvas-tote,Canvas Tote,<p>Sturdy.</p>,Acme,Colour,Natural,CT-NAT,12,24.00,http://{picture_addr}/tote.png,1,Natural tote,active
canvas-tote,,,,,Black,CT-BLK,4,24.00,http://{picture_addr}/missing.png,2,,
canvas-tote,,,,,Red,CT-RED,x,24.00,,,,
,Orphan,,,,,O-1,,1.00,,,,
no-title,,,,,,N-1,,1.00,,,,
"
    );
    // The picture server runs on this machine: allow loopback for this shop (off by default).
    let app = spawn_app_with(TestDb::sqlite().await, |c| c.import_private_hosts = true).await;
    shop_with_products(&app.db.db, 0).await;
    account(&app, "admin@example.com", Role::Admin).await;
    let admin = sign_in(&app, "admin@example.com", None).await;
    let r = post_multipart(
        &app,
        "/api/admin/import/products",
        multipart(&[], Some(("file", "products.csv", csv.as_bytes()))),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id = location.trim_start_matches("/admin/import/").to_owned();
    let mut report = serde_json::Value::Null;
    for _ in 0..200 {
        report = call(
            &app,
            &app.client,
            "/api/admin/import/get",
            &[("id", &id)],
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
        if report["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(report["status"], "done", "{report}");
    assert_eq!(report["created"], 1);
    let rows: Vec<i64> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, [3, 4, 5, 6], "{report}");
    let skus: Vec<String> = sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku")
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
    assert_eq!(skus, ["CT-BLK", "CT-NAT"]);
    let images: Vec<String> = sqlx::query_scalar("SELECT alt FROM product_images")
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
    assert_eq!(images, ["Natural tote"]);

    // The import page shows the report without script.
    let page = get(&app, &location, Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Rows with problems") && page.contains("CT-RED")
            || page.contains("Inventory Qty"),
        "report on the page"
    );

    // A file that is not a product CSV goes back to the form with the reason.
    let r = post_multipart(
        &app,
        "/api/admin/import/products",
        multipart(&[], Some(("file", "x.csv", b"Name,Price\nA,1\n"))),
        Some(&admin),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/admin/import?error=")
    );
    app.stop().await;
}

#[tokio::test]
async fn staff_fulfil_an_order_in_two_parcels_ship_it_and_the_customer_is_mailed() {
    for app in each_engine().await {
        let db = &app.db.db;
        shop_with_products(db, 2).await;
        let sku: String = sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let variant = variant_with_stock(db, &sku, 50).await;
        sqlx::query("UPDATE stock_levels SET on_hand = 50 WHERE variant_id = $1")
            .bind(&variant)
            .execute(db.pool())
            .await
            .unwrap();
        let cart = ready_cart(db, "parcel-buyer", &variant, 3).await;
        let placed = app::checkout::placement::place(
            db,
            &app::checkout::placement::PlaceRequest {
                cart_id: cart,
                user_id: None,
                idempotency_key: "parcel-key-000000000001".into(),
                method: PaymentMethod::BankTransfer,
                manual_window_days: 14,
                client: None,
                device: None,
            },
        )
        .await
        .unwrap();
        account(&app, "ops@example.com", Role::Staff).await;
        grant(&app, "ops@example.com", "manage_orders").await;
        let staff = sign_in(&app, "ops@example.com", None).await;
        let id = placed.order_id.as_str();
        let paid = call(
            &app,
            &app.client,
            "/api/admin/orders/mark-paid",
            &[("id", id)],
            Some(&staff),
        )
        .await;
        assert_eq!(paid.status(), StatusCode::OK);

        let first = call(
            &app,
            &app.client,
            "/api/admin/orders/fulfil",
            &[
                ("id", id),
                ("quantities[0]", "1"),
                ("carrier", "DHL"),
                ("tracking_number", "P1"),
            ],
            Some(&staff),
        )
        .await;
        assert_eq!(
            first.status(),
            StatusCode::OK,
            "{}",
            first.text().await.unwrap()
        );
        let too_many = call(
            &app,
            &app.client,
            "/api/admin/orders/fulfil",
            &[("id", id), ("quantities[0]", "5")],
            Some(&staff),
        )
        .await;
        assert_eq!(too_many.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let note = call(
            &app,
            &app.client,
            "/api/admin/orders/note",
            &[("id", id), ("body", "Second parcel waits for stock")],
            Some(&staff),
        )
        .await;
        assert_eq!(note.status(), StatusCode::OK);
        let rest = call(
            &app,
            &app.client,
            "/api/admin/orders/fulfil",
            &[("id", id), ("quantities[0]", "2")],
            Some(&staff),
        )
        .await;
        assert_eq!(rest.status(), StatusCode::OK);
        let ship = call(
            &app,
            &app.client,
            "/api/admin/orders/status",
            &[
                ("id", id),
                ("status", "shipped"),
                ("carrier", "DHL"),
                ("tracking_number", "P2"),
            ],
            Some(&staff),
        )
        .await;
        assert_eq!(ship.status(), StatusCode::OK);

        let bench: serde_json::Value = call(
            &app,
            &app.client,
            "/api/admin/orders/workbench",
            &[("id", id)],
            Some(&staff),
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(bench["lines"][0]["fulfilled"], 3);
        assert_eq!(bench["shipments"].as_array().unwrap().len(), 2);
        assert_eq!(bench["notes"][0]["body"], "Second parcel waits for stock");
        let on_hand: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(on_hand) AS BIGINT) FROM stock_levels WHERE variant_id = $1",
        )
        .bind(&variant)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(on_hand, 47);
        // Notes are staff-only: the customer's view of the order does not carry them.
        let customer_view = get(&app, &format!("/orders/{id}?key={}", placed.link_key), None)
            .await
            .text()
            .await
            .unwrap();
        assert!(customer_view.contains("Shipped"));
        assert!(!customer_view.contains("Second parcel waits"));
        // The customer was mailed at every step (the local mailbox, once the jobs ran). The
        // runner has several workers, so the three mails may arrive in any order: wait for
        // all of them, not for the last one sent.
        let wanted = ["Partly packed", "Packed", "Shipped"];
        let mut subjects = Vec::new();
        for _ in 0..100 {
            let mut conn = db.pool().acquire().await.unwrap();
            subjects = app::email::read_mailbox(&mut conn, db.vault(), 1000)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.to == "parcel-buyer@example.com")
                .map(|m| m.subject)
                .collect();
            if wanted
                .iter()
                .all(|w| subjects.iter().any(|s| s.ends_with(w)))
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        for wanted in wanted {
            assert!(
                subjects.iter().any(|s| s.ends_with(wanted)),
                "{wanted} in {subjects:?}"
            );
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn stock_is_added_removed_and_counted_over_http_with_clear_refusals() {
    for app in each_engine().await {
        shop_with_products(&app.db.db, 2).await;
        let sku = app::assembly::testing::first_sku(&app.db.db).await;
        let variant = variant_with_stock(&app.db.db, &sku, 5).await;
        let location: String =
            sqlx::query_scalar("SELECT location_id FROM stock_levels WHERE variant_id = $1")
                .bind(&variant)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        account(&app, "stock-admin@example.com", Role::Admin).await;
        let cookie = sign_in(&app, "stock-admin@example.com", None).await;
        let adjust = |mode: &'static str, quantity: &'static str| {
            let (variant, location, cookie) = (variant.clone(), location.clone(), cookie.clone());
            let app = &app;
            async move {
                call(
                    app,
                    &app.client,
                    "/api/admin/inventory/adjust",
                    &[
                        ("variant_id", variant.as_str()),
                        ("location_id", location.as_str()),
                        ("mode", mode),
                        ("quantity", quantity),
                        ("reason", "received"),
                    ],
                    Some(&cookie),
                )
                .await
            }
        };
        assert_eq!(adjust("add", "3").await.status(), StatusCode::OK);
        assert_eq!(adjust("remove", "1").await.status(), StatusCode::OK);
        let sellable = || async {
            sqlx::query_scalar::<_, i64>("SELECT stock FROM variants WHERE id = $1")
                .bind(&variant)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap()
        };
        assert_eq!(sellable().await, 7);
        for (mode, quantity) in [("remove", "0"), ("add", "0"), ("steal", "2")] {
            let refused = adjust(mode, quantity).await;
            assert_eq!(
                refused.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{mode} {quantity}"
            );
        }
        assert_eq!(adjust("set", "2").await.status(), StatusCode::OK);
        assert_eq!(
            sellable().await,
            2,
            "a count of 2 where 7 were held: 5 fewer to sell"
        );
        assert_eq!(
            adjust("remove", "50").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(sellable().await, 2, "never below zero, nothing half done");
        app.stop().await;
    }
}
