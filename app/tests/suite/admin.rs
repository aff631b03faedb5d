//! The admin console's rules on every configured engine: parcels and warehouse counts,
//! inventory adjustments, the product editor, bulk changes, imports with broken rows, the
//! order list's filters and pages, and the dashboard's figures.

use app::admin::dashboard_service::dashboard;
use app::admin::views::Range;
use app::analytics::EventKind;
use app::analytics::recorder::{Analytics, Event};
use app::assembly::testing::{
    TestDb, first_sku, ready_cart, shop_with_products, variant_with_stock,
};
use app::catalog::csv::import_service;
use app::catalog::editor::editor_service::{BulkAction, Reach, bulk, save_product};
use app::catalog::editor::editor_views::{ProductInput, VariantInput};
use app::catalog::editor::product_form::{EditorError, clean_product, clean_variants};
use app::checkout::placement::{self, PlaceRequest};
use app::inventory::inventory_service::{InventoryError, adjust, set_count};
use app::orders::fulfilment::{Parcel, ParcelLine, fulfil};
use app::orders::lifecycle::{self, OrderError};
use app::orders::order_list::{OrderFilter, page};
use app::orders::status_rules::Actor;
use app::platform::audit_trail::Who;
use app::platform::clock::now;
use app::platform::db::Db;
use shop_types::Problem;
use shop_types::messages::PictureTrouble;
use shop_types::{Currency, OrderStatus, PaymentMethod};

/// The staff member the console tests act as.
fn staff() -> Who {
    Who {
        user_id: Some("1".into()),
        label: "staff@example.com".into(),
        ..Who::default()
    }
}

/// A paid bank-transfer order of `quantity` units of `sku`.
async fn paid_order(db: &Db, sku: &str, quantity: i64, n: u32) -> String {
    let variant = variant_with_stock(db, sku, 100).await;
    let cart = ready_cart(db, &format!("admin-cart-{n}"), &variant, quantity).await;
    let placed = placement::place(
        db,
        &PlaceRequest {
            cart_id: cart,
            user_id: None,
            idempotency_key: format!("admin-test-key-{n:0>12}"),
            method: PaymentMethod::BankTransfer,
            manual_window_days: 14,
            client: None,
            device: None,
        },
    )
    .await
    .unwrap();
    lifecycle::mark_paid(
        db,
        &placed.order_id,
        &Actor::Staff(app::platform::audit_trail::Who::of("s", "s@example.com")),
    )
    .await
    .unwrap();
    placed.order_id
}

async fn on_hand(db: &Db, sku: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(s.on_hand), 0) AS BIGINT) FROM stock_levels s JOIN variants v ON v.id = s.variant_id WHERE v.sku = $1",
    )
    .bind(sku)
    .fetch_one(db.pool())
    .await
    .map(|n: i64| n)
    .unwrap_or_else(|_| panic!("on hand of {sku}"))
}

async fn status_of(db: &Db, order: &str) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn parcels_fulfil_lines_partly_then_fully_and_lower_the_warehouse_count() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 3).await;
        let sku = first_sku(db).await;
        let order = paid_order(db, &sku, 3, 1).await;
        let variant: String = sqlx::query_scalar("SELECT id FROM variants WHERE sku = $1")
            .bind(&sku)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let location: String =
            sqlx::query_scalar("SELECT location_id FROM stock_levels WHERE variant_id = $1")
                .bind(&variant)
                .fetch_one(db.pool())
                .await
                .unwrap();
        sqlx::query("UPDATE stock_levels SET on_hand = 10 WHERE variant_id = $1")
            .bind(&variant)
            .execute(db.pool())
            .await
            .unwrap();
        let staff = Actor::Staff(app::platform::audit_trail::Who::of(
            "staff-1",
            "staff-1@example.com",
        ));
        let parcel = |quantity: i64| Parcel {
            lines: vec![ParcelLine {
                position: 0,
                quantity,
            }],
            location_id: Some(location.clone()),
            carrier: "DHL".into(),
            tracking_number: "TRACK-1".into(),
            note: String::new(),
        };

        let too_many = fulfil(db, &order, &staff, &parcel(4)).await;
        assert!(
            matches!(
                too_many,
                Err(OrderError::BadAmount(Problem::OnlyLeftToSend {
                    left: 3,
                    ..
                }))
            ),
            "{too_many:?}"
        );
        assert_eq!(
            fulfil(db, &order, &staff, &parcel(1)).await.unwrap(),
            OrderStatus::PartlyFulfilled
        );
        assert_eq!(on_hand(db, &sku).await, 9);
        assert_eq!(
            fulfil(db, &order, &staff, &parcel(2)).await.unwrap(),
            OrderStatus::Fulfilled
        );
        assert_eq!(status_of(db, &order).await, "fulfilled");
        assert_eq!(on_hand(db, &sku).await, 7);
        let nothing_left = fulfil(db, &order, &staff, &parcel(1)).await;
        assert!(
            nothing_left.is_err(),
            "a fulfilled order has nothing left to send"
        );
        let shipments: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM shipments WHERE order_id = $1")
                .bind(&order)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(shipments, 2);
        app::assembly::testing::react(db).await;
        let mails = app::assembly::testing::queued_mails(db)
            .await
            .iter()
            .filter(|m| m.subject.contains("acked") || m.text.contains("acked"))
            .count();
        assert!(mails >= 2, "each parcel is mailed ({mails})");
        let empty = fulfil(db, &order, &staff, &Parcel::default()).await;
        assert!(matches!(empty, Err(OrderError::BadAmount(_))));

        // An unpaid bank transfer cannot be sent.
        let variant2 = variant_with_stock(db, &sku, 100).await;
        let cart = ready_cart(db, "admin-cart-unpaid", &variant2, 1).await;
        let unpaid = placement::place(
            db,
            &PlaceRequest {
                cart_id: cart,
                user_id: None,
                idempotency_key: "admin-test-key-unpaid00001".into(),
                manual_window_days: 14,
                client: None,
                device: None,
                method: PaymentMethod::BankTransfer,
            },
        )
        .await
        .unwrap();
        let refused = fulfil(db, &unpaid.order_id, &staff, &parcel(1)).await;
        assert!(
            matches!(refused, Err(OrderError::NotAllowed { .. })),
            "{refused:?}"
        );
        test.finish().await;
    }
}

#[tokio::test]
async fn stock_adjustments_are_recorded_and_never_go_below_zero() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 1).await;
        let sku = first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 0).await;
        let location: String = sqlx::query_scalar("SELECT id FROM stock_locations LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE stock_levels SET on_hand = 0 WHERE variant_id = $1")
            .bind(&variant)
            .execute(db.pool())
            .await
            .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        let added = adjust(
            &mut tx,
            &variant,
            &location,
            5,
            "received",
            "Delivery 42",
            "staff:1",
        )
        .await
        .unwrap();
        assert_eq!(
            (added.on_hand, added.sellable, added.crossed_zero),
            (5, 5, true)
        );
        let below = adjust(&mut tx, &variant, &location, -6, "damaged", "", "staff:1").await;
        assert!(
            matches!(below, Err(InventoryError::BelowZero(5))),
            "{below:?}"
        );
        let counted = set_count(
            &mut tx,
            &variant,
            &location,
            2,
            "counted",
            "Stock take",
            "staff:1",
        )
        .await
        .unwrap();
        assert_eq!((counted.on_hand, counted.sellable), (2, 2));
        let unknown = adjust(
            &mut tx,
            &variant,
            "no-such-location",
            1,
            "received",
            "",
            "staff:1",
        )
        .await;
        assert!(matches!(unknown, Err(InventoryError::NotFound)));
        tx.commit().await.unwrap();
        let history: Vec<(i64, String)> = sqlx::query_as("SELECT delta, reason FROM stock_movements WHERE variant_id = $1 AND actor = 'staff:1' ORDER BY created_at, delta DESC")
            .bind(&variant)
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(
            history,
            vec![(5, "received".to_owned()), (-3, "counted".to_owned())]
        );
        test.finish().await;
    }
}

fn variant(sku: &str, price: &str, size: &str, stock: &str) -> VariantInput {
    VariantInput {
        sku: sku.into(),
        price: price.into(),
        option1: size.into(),
        stock: stock.into(),
        ..VariantInput::default()
    }
}

#[tokio::test]
async fn the_editor_saves_products_with_variants_and_refuses_a_taken_sku() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 0).await;
        let product = clean_product(&ProductInput {
            title: "Trail Runner".into(),
            status: "active".into(),
            option1_name: "Size".into(),
            tags: "running, trail".into(),
            ..ProductInput::default()
        })
        .unwrap();
        let variants = clean_variants(
            &[
                variant("TR-40", "89.90", "40", "3"),
                variant("TR-41", "94.90", "41", "0"),
            ],
            &product.option_names,
            Currency::EUR,
        )
        .unwrap();
        let id = save_product(db, None, &product, &variants, &staff(), Reach::Shop)
            .await
            .unwrap();
        let (price, slug): (i64, String) =
            sqlx::query_as("SELECT price_minor, slug FROM products WHERE id = $1")
                .bind(&id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            (price, slug.as_str()),
            (8990, "trail-runner"),
            "the lowest variant price is the product's"
        );
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE sku = 'TR-40'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 3);

        // A second product may not take a SKU or the web address.
        let other = clean_product(&ProductInput {
            title: "Other".into(),
            ..ProductInput::default()
        })
        .unwrap();
        let taken = clean_variants(&[variant("TR-40", "1", "", "")], &[], Currency::EUR).unwrap();
        let refused = save_product(db, None, &other, &taken, &staff(), Reach::Shop).await;
        assert!(
            matches!(refused, Err(EditorError::Invalid { problem: Problem::SkuTaken { ref sku }, .. }) if sku == "TR-40"),
            "{refused:?}"
        );
        let same_slug = clean_product(&ProductInput {
            title: "Trail Runner".into(),
            ..ProductInput::default()
        })
        .unwrap();
        let fresh = clean_variants(&[variant("NEW-1", "1", "", "")], &[], Currency::EUR).unwrap();
        let refused = save_product(db, None, &same_slug, &fresh, &staff(), Reach::Shop).await;
        assert!(
            matches!(refused, Err(EditorError::Invalid { ref field, .. }) if field == "product[slug]"),
            "{refused:?}"
        );
        let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(products, 1, "nothing half-saved");

        // Editing: the 41 goes, a 42 comes, the 40 gets a new price.
        let kept: String = sqlx::query_scalar("SELECT id FROM variants WHERE sku = 'TR-40'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut forty = variant("TR-40", "79.00", "40", "");
        forty.id = kept;
        let edited = clean_variants(
            &[forty, variant("TR-42", "99.00", "42", "1")],
            &product.option_names,
            Currency::EUR,
        )
        .unwrap();
        save_product(db, Some(&id), &product, &edited, &staff(), Reach::Shop)
            .await
            .unwrap();
        let skus: Vec<String> =
            sqlx::query_scalar("SELECT sku FROM variants WHERE product_id = $1 ORDER BY sku")
                .bind(&id)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(skus, ["TR-40", "TR-42"]);
        let price: i64 = sqlx::query_scalar("SELECT price_minor FROM products WHERE id = $1")
            .bind(&id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(price, 7900);

        // Bulk: 10 % off rounds per variant; archive.
        bulk(
            db,
            std::slice::from_ref(&id),
            &BulkAction::AdjustPrice(-1000),
            &staff(),
        )
        .await
        .unwrap();
        let prices: Vec<i64> = sqlx::query_scalar(
            "SELECT price_minor FROM variants WHERE product_id = $1 ORDER BY sku",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(prices, [7110, 8910]);
        assert_eq!(
            bulk(
                db,
                std::slice::from_ref(&id),
                &BulkAction::SetStatus("archived"),
                &staff(),
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            bulk(
                db,
                std::slice::from_ref(&id),
                &BulkAction::SetStatus("archived"),
                &staff(),
            )
            .await
            .unwrap(),
            0,
            "already archived"
        );

        // Bulk stock: every variant counted at the first location, in its history.
        let actor = "staff:1".to_owned();
        bulk(
            db,
            std::slice::from_ref(&id),
            &BulkAction::SetStock {
                units: 6,
                actor: actor.clone(),
            },
            &staff(),
        )
        .await
        .unwrap();
        let stocks: Vec<i64> =
            sqlx::query_scalar("SELECT stock FROM variants WHERE product_id = $1 ORDER BY sku")
                .bind(&id)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(stocks, [6, 6]);
        let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_movements WHERE reason = 'counted' AND note = 'Bulk change'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(counted, 2);

        // Collections: by SKU or handle, once each; unknown products are named.
        use app::catalog::editor::collections_service as collections;
        let c = collections::create(
            db,
            &app::platform::audit_trail::Who::system(),
            "Winter picks",
            "",
            false,
        )
        .await
        .unwrap();
        assert!(
            collections::create(
                db,
                &app::platform::audit_trail::Who::system(),
                "Winter Picks",
                "",
                false
            )
            .await
            .is_err(),
            "same web address"
        );
        collections::change(
            db,
            &app::platform::audit_trail::Who::system(),
            &c,
            "add",
            "TR-42",
        )
        .await
        .unwrap();
        collections::change(
            db,
            &app::platform::audit_trail::Who::system(),
            &c,
            "add",
            "trail-runner",
        )
        .await
        .unwrap();
        collections::change(
            db,
            &app::platform::audit_trail::Who::system(),
            &c,
            "feature",
            "",
        )
        .await
        .unwrap();
        let unknown = collections::change(
            db,
            &app::platform::audit_trail::Who::system(),
            &c,
            "add",
            "NOPE",
        )
        .await
        .unwrap_err();
        assert!(unknown.to_string().contains("handle or SKU"), "{unknown}");
        let mine = |all: Vec<app::catalog::editor::editor_views::CollectionRow>| {
            all.into_iter().find(|x| x.id == c).unwrap()
        };
        let listed = mine(
            collections::list(&mut db.pool().acquire().await.unwrap())
                .await
                .unwrap(),
        );
        assert_eq!(
            listed.products,
            vec![("Trail Runner".to_owned(), "trail-runner".to_owned())]
        );
        assert!(listed.featured);
        collections::change(
            db,
            &app::platform::audit_trail::Who::system(),
            &c,
            "remove",
            "TR-40",
        )
        .await
        .unwrap();
        let listed = mine(
            collections::list(&mut db.pool().acquire().await.unwrap())
                .await
                .unwrap(),
        );
        assert!(listed.products.is_empty());
        test.finish().await;
    }
}

const CSV: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Image Src,Image Alt Text,Status
canvas-tote,Canvas Tote,<p>Sturdy <b>canvas</b>.</p>,Acme,Bags,\"bags, canvas\",TRUE,Colour,Natural,CT-NAT,300,12,24.00,,,active
canvas-tote,,,,,,,,Black,CT-BLK,300,4,24.00,http://127.0.0.1:9/missing.png,Black tote,
canvas-tote,,,,,,,,Red,CT-RED,300,4,not-a-price,,,
wool-hat,Wool Hat,,Acme,,,FALSE,,,WH-1,120,7,19.50,,,
,No Handle,,,,,,,,X-1,,,1.00,,,
broken,,,,,,,,,B-1,,,1.00,,,
";

#[tokio::test]
async fn an_import_keeps_the_good_rows_and_reports_the_bad_ones_by_row() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 0).await;
        let media = std::env::temp_dir().join(format!(
            "shop-import-media-{}",
            app::platform::ids::new_id()
        ));
        let client = import_service::Fetcher::new(false);
        let user = app::assembly::testing::confirmed_account(
            db,
            "importer@example.com",
            shop_types::Role::Admin,
        )
        .await;
        let id = import_service::start(
            db,
            &app::platform::audit_trail::Who::of(&user, "importer@example.com"),
            "products.csv",
            CSV,
        )
        .await
        .unwrap();
        import_service::run(db, &media, &client, &id).await.unwrap();
        let (status, created, done): (String, i64, i64) = sqlx::query_as(
            "SELECT status, created_count, products_done FROM imports WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!((status.as_str(), created, done), ("done", 2, 2));
        let skus: Vec<String> = sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(skus, ["CT-BLK", "CT-NAT", "WH-1"]);
        let (description, status): (String, String) =
            sqlx::query_as("SELECT description, status FROM products WHERE slug = 'canvas-tote'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(description, "Sturdy **canvas**.");
        assert_eq!(status, "active");
        let hat: String = sqlx::query_scalar("SELECT status FROM products WHERE slug = 'wool-hat'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(hat, "draft", "Published FALSE");
        let errors: Vec<(i64, String)> = sqlx::query_as("SELECT row_number, message FROM import_errors WHERE import_id = $1 ORDER BY row_number")
            .bind(&id)
            .fetch_all(db.pool())
            .await
            .unwrap();
        let rows: Vec<i64> = errors.iter().map(|e| e.0).collect();
        assert_eq!(rows, [3, 4, 6, 7], "{errors:?}");
        let problems: Vec<Problem> = errors
            .iter()
            .map(|e| serde_json::from_str(&e.1).unwrap())
            .collect();
        assert!(
            matches!(
                problems[0],
                Problem::PictureNotImported {
                    trouble: PictureTrouble::PrivateNetwork,
                    ..
                }
            ),
            "pictures are never fetched from this machine's network: {problems:?}"
        );
        assert!(problems[1].to_string().contains("price"), "{problems:?}");
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE sku = 'CT-NAT'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 12);

        // The same file again updates in place: no new products, quantities become counts.
        sqlx::query("UPDATE variants SET stock = 2 WHERE sku = 'CT-NAT'")
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE stock_levels SET on_hand = 2 WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CT-NAT')").execute(db.pool()).await.unwrap();
        let again = import_service::start(
            db,
            &app::platform::audit_trail::Who::of(&user, "importer@example.com"),
            "products.csv",
            CSV,
        )
        .await
        .unwrap();
        import_service::run(db, &media, &client, &again)
            .await
            .unwrap();
        let (created, updated): (i64, i64) =
            sqlx::query_as("SELECT created_count, updated_count FROM imports WHERE id = $1")
                .bind(&again)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((created, updated), (0, 2));
        let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(products, 2);
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE sku = 'CT-NAT'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 12, "the file's quantity is the new count");

        // A file that is not a product CSV is refused before anything is stored.
        assert!(
            import_service::start(
                db,
                &app::platform::audit_trail::Who::of(&user, "importer@example.com"),
                "x.csv",
                "Name,Price\nA,1\n"
            )
            .await
            .is_err()
        );
        test.finish().await;
    }
}

#[tokio::test]
async fn the_order_list_filters_and_pages_without_gaps_or_repeats() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 2).await;
        let sku = first_sku(db).await;
        let mut ids = Vec::new();
        for n in 0..7 {
            ids.push(paid_order(db, &sku, 1, 100 + n).await);
        }
        let all = page(
            &mut db.pool().acquire().await.unwrap(),
            db.vault(),
            &OrderFilter::default(),
        )
        .await
        .unwrap();
        assert_eq!(all.rows.len(), 7);
        assert!(all.next.is_none());
        // Walk in pages of 3 by hand through the same cursor the list uses.
        let mut seen = Vec::new();
        let mut filter = OrderFilter::default();
        loop {
            let rows = app::orders::order_list::rows(
                &mut db.pool().acquire().await.unwrap(),
                db.vault(),
                &filter,
                3,
            )
            .await
            .unwrap();
            if rows.is_empty() {
                break;
            }
            let last = rows.last().unwrap();
            filter.after = Some((last.placed_at.millis(), last.id.clone()));
            seen.extend(rows.into_iter().map(|r| r.id));
        }
        let mut expected = ids.clone();
        expected.sort();
        let mut got = seen.clone();
        got.sort();
        assert_eq!(got, expected, "every order once");
        let number: i64 = sqlx::query_scalar("SELECT number FROM orders WHERE id = $1")
            .bind(&ids[3])
            .fetch_one(db.pool())
            .await
            .unwrap();
        let by_number =
            OrderFilter::parse(None, None, Some(format!("#{number}")), None, None, None).unwrap();
        let found = page(
            &mut db.pool().acquire().await.unwrap(),
            db.vault(),
            &by_number,
        )
        .await
        .unwrap();
        assert_eq!(
            found.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            vec![ids[3].clone()]
        );
        let by_email = OrderFilter::parse(
            None,
            None,
            Some("Admin-Cart-102@example.com".into()),
            None,
            None,
            None,
        )
        .unwrap();
        let found = page(
            &mut db.pool().acquire().await.unwrap(),
            db.vault(),
            &by_email,
        )
        .await
        .unwrap();
        assert_eq!(found.rows.len(), 1);
        let unpaid = OrderFilter::parse(
            Some("awaiting_payment".into()),
            None,
            None,
            None,
            None,
            None,
        )
        .unwrap();
        assert!(
            page(&mut db.pool().acquire().await.unwrap(), db.vault(), &unpaid)
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        let tomorrow =
            shop_types::Timestamp(now().millis() + shop_types::Timestamp::DAY).to_rfc3339();
        let future = OrderFilter::parse(
            None,
            None,
            None,
            Some(tomorrow[..10].to_owned()),
            None,
            None,
        )
        .unwrap();
        assert!(
            page(&mut db.pool().acquire().await.unwrap(), db.vault(), &future)
                .await
                .unwrap()
                .rows
                .is_empty()
        );

        // A line title typed as a formula is exported as text (CSV injection).
        sqlx::query("UPDATE order_lines SET title = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE order_id = (SELECT MIN(order_id) FROM order_lines)")
            .execute(db.pool())
            .await
            .unwrap();
        let csv = app::orders::export::orders_csv(
            &mut db.pool().acquire().await.unwrap(),
            db.vault(),
            &OrderFilter::default(),
        )
        .await
        .unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(
            text.lines().count(),
            8,
            "a header and one line per order line"
        );
        assert!(text.lines().nth(1).unwrap().contains("paid"));
        assert!(text.contains("\"'=HYPERLINK("), "{text}");
        assert!(
            !text.contains(",\"=HYPERLINK") && !text.contains(",=HYPERLINK"),
            "{text}"
        );
        test.finish().await;
    }
}

#[tokio::test]
async fn the_dashboard_counts_paid_orders_returning_buyers_and_the_funnel() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 2).await;
        let sku = first_sku(db).await;
        let first = paid_order(db, &sku, 2, 200).await;
        paid_order(db, &sku, 1, 201).await;
        // An order from before the week: its buyer returns with order 200's address.
        sqlx::query("UPDATE orders SET created_at = created_at - $1, email_index = $2 WHERE id <> $3 AND email_index = $4")
            .bind(20 * shop_types::Timestamp::DAY)
            .bind(db.vault().email_index("admin-cart-200@example.com"))
            .bind(&first)
            .bind(db.vault().email_index("admin-cart-201@example.com"))
            .execute(db.pool())
            .await
            .unwrap();
        let analytics = Analytics::default();
        for cart in ["a", "b", "c", "d"] {
            analytics.record(Event::for_cart(EventKind::AddToCart, cart));
        }
        analytics.record(Event::for_cart(EventKind::AddToCart, "a"));
        analytics.record(Event::for_cart(EventKind::Purchase, "a"));
        analytics.record(Event::search("blue shoes", 0));
        analytics.record(Event::search("Blue  Shoes", 0));
        analytics.record(Event::search("shirt", 4));
        analytics.record(Event::product_view("p1"));
        assert!(analytics.flush(db).await.unwrap() > 0);
        assert_eq!(analytics.flush(db).await.unwrap(), 0, "nothing twice");

        let mut conn = db.pool().acquire().await.unwrap();
        let week = dashboard(&mut conn, Range::Week, now()).await.unwrap();
        assert_eq!(week.orders.now, 1);
        let total: i64 = sqlx::query_scalar("SELECT total_minor FROM orders WHERE id = $1")
            .bind(&first)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(week.revenue.now.minor, total);
        assert_eq!(week.average_order.now.minor, total);
        assert_eq!(
            week.returning_bp.now, 10_000,
            "the week's only buyer had bought before"
        );
        assert_eq!(week.conversion_bp.now, 2_500, "1 of 4 carts ordered");
        assert_eq!(week.points.len(), 7);
        assert_eq!(
            week.points.iter().map(|p| p.revenue_minor).sum::<i64>(),
            total
        );
        assert_eq!(week.top_products[0].units, 2);
        assert_eq!(week.zero_result_searches[0].terms, "blue shoes");
        assert_eq!(week.zero_result_searches[0].count, 2);
        let month = dashboard(&mut conn, Range::Month, now()).await.unwrap();
        assert_eq!(month.orders.now, 2);
        assert_eq!(month.returning_bp.now, 0);
        test.finish().await;
    }
}
