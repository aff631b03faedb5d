//! Sellers' own catalogs on every engine: a seller creates and edits only its own products
//! (anybody else's, the operator's included, is not found and stays as it was), their units
//! are kept at the seller's own locations and nowhere else, staff may edit a seller's product
//! without taking it from the seller, and a product handed to a seller takes its stock along.

use app::assembly::testing::{TestDb, approved_seller, react, shop_with_products};
use app::catalog::editor::editor_queries::{ProductFilter, product_page};
use app::catalog::editor::editor_service::{Reach, save_product};
use app::catalog::editor::editor_views::{ProductInput, VariantInput};
use app::catalog::editor::product_form::{
    CleanVariant, EditorError, clean_product, clean_variants,
};
use app::catalog::{product_store, stock_ledger};
use app::platform::audit_trail::Who;
use app::platform::db::Db;
use shop_types::Currency;

fn jumper(title: &str) -> app::catalog::editor::product_form::CleanProduct {
    clean_product(&ProductInput {
        title: title.into(),
        status: "active".into(),
        option1_name: "Size".into(),
        ..ProductInput::default()
    })
    .unwrap()
}

fn variants(rows: &[(&str, &str, &str)]) -> Vec<CleanVariant> {
    let rows: Vec<VariantInput> = rows
        .iter()
        .map(|(sku, size, stock)| VariantInput {
            sku: (*sku).into(),
            option1: (*size).into(),
            price: "79.00".into(),
            stock: (*stock).into(),
            ..VariantInput::default()
        })
        .collect();
    clean_variants(&rows, &["Size".to_owned()], Currency::EUR).unwrap()
}

/// Units per location of `sku`: (location's seller, label or name, on hand).
async fn levels(db: &Db, sku: &str) -> Vec<(Option<String>, String, i64)> {
    sqlx::query_as(
        "SELECT l.vendor_id, COALESCE(l.label, l.name), s.on_hand FROM stock_levels s
         JOIN stock_locations l ON l.id = s.location_id JOIN variants v ON v.id = s.variant_id
         WHERE v.sku = $1 ORDER BY l.position, l.name",
    )
    .bind(sku)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

async fn variant_id(db: &Db, sku: &str) -> String {
    sqlx::query_scalar("SELECT id FROM variants WHERE sku = $1")
        .bind(sku)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn title(db: &Db, id: &str) -> String {
    sqlx::query_scalar("SELECT title FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_seller_changes_only_its_own_products_and_keeps_their_stock_at_its_own_locations() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 2).await;
        let (wool, _) = approved_seller(db, "ana@example.com", "Nordic Wool").await;
        let (clay, _) = approved_seller(db, "bo@example.com", "Clay Studio").await;
        let ana = Who::of("ana-user", "ana@example.com");
        let bo = Who::of("bo-user", "bo@example.com");
        let staff = Who::of("staff-1", "staff@example.com");
        let operators: String =
            sqlx::query_scalar("SELECT id FROM products WHERE vendor_id IS NULL LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();

        // Ana's new product is her seller's, its units at her first location ("Main
        // location", made for it), none at the operator's warehouse.
        let two = variants(&[("NW-S", "S", "5"), ("NW-M", "M", "3")]);
        let id = save_product(
            db,
            None,
            &jumper("Fair Isle jumper"),
            &two,
            &ana,
            Reach::Seller(&wool),
        )
        .await
        .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        assert_eq!(
            app::catalog::editor::editor_queries::seller_of(&mut conn, &id)
                .await
                .unwrap(),
            Some(wool.clone())
        );
        drop(conn);
        assert_eq!(
            levels(db, "NW-S").await,
            vec![(Some(wool.clone()), "Main location".into(), 5)]
        );
        assert_eq!(
            levels(db, "NW-M").await,
            vec![(Some(wool.clone()), "Main location".into(), 3)]
        );
        let movement_actor: String = sqlx::query_scalar(
            "SELECT m.actor FROM stock_movements m JOIN variants v ON v.id = m.variant_id WHERE v.sku = 'NW-S'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(movement_actor, "vendor:ana-user");

        // Bo cannot change it, nor the operator's product; neither changes.
        let mut saved = two.clone();
        saved[0].id = Some(variant_id(db, "NW-S").await);
        saved[1].id = Some(variant_id(db, "NW-M").await);
        for (target, was) in [
            (id.clone(), "Fair Isle jumper".to_owned()),
            (operators.clone(), title(db, &operators).await),
        ] {
            let refused = save_product(
                db,
                Some(&target),
                &jumper("Taken over"),
                &[],
                &bo,
                Reach::Seller(&clay),
            )
            .await;
            assert!(matches!(refused, Err(EditorError::NotFound)), "{refused:?}");
            assert_eq!(title(db, &target).await, was);
        }
        // Ana cannot reach the operator's product either.
        let refused = save_product(
            db,
            Some(&operators),
            &jumper("Mine now"),
            &[],
            &ana,
            Reach::Seller(&wool),
        )
        .await;
        assert!(matches!(refused, Err(EditorError::NotFound)));
        assert_eq!(
            sqlx::query_scalar::<_, Option<String>>("SELECT vendor_id FROM products WHERE id = $1")
                .bind(&operators)
                .fetch_one(db.pool())
                .await
                .unwrap(),
            None
        );

        // Staff edit Ana's product and add a variant: it stays hers, the units go to her
        // location.
        let mut three = saved.clone();
        three.extend(variants(&[("NW-L", "L", "2")]));
        save_product(
            db,
            Some(&id),
            &jumper("Fair Isle jumper, natural"),
            &three,
            &staff,
            Reach::Shop,
        )
        .await
        .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        assert_eq!(
            app::catalog::editor::editor_queries::seller_of(&mut conn, &id)
                .await
                .unwrap(),
            Some(wool.clone())
        );
        assert_eq!(
            levels(db, "NW-L").await,
            vec![(Some(wool.clone()), "Main location".into(), 2)]
        );

        // Her list holds her product only; Bo's holds nothing.
        let mine = product_page(
            &mut conn,
            &ProductFilter {
                seller: Some(wool.clone()),
                ..ProductFilter::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            mine.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            vec![id.clone()]
        );
        let his = product_page(
            &mut conn,
            &ProductFilter {
                seller: Some(clay.clone()),
                ..ProductFilter::default()
            },
        )
        .await
        .unwrap();
        assert!(his.rows.is_empty());
        drop(conn);

        // Locations: names are the seller's own (two sellers may both have a "Shop floor"),
        // never twice for one seller.
        let mut tx = db.begin_write().await.unwrap();
        let floor = stock_ledger::add_seller_location(&mut tx, &wool, "Shop floor")
            .await
            .unwrap()
            .expect("added");
        assert!(
            stock_ledger::add_seller_location(&mut tx, &wool, "Shop floor")
                .await
                .unwrap()
                .is_none()
        );
        let bos_floor = stock_ledger::add_seller_location(&mut tx, &clay, "Shop floor")
            .await
            .unwrap()
            .expect("his own");
        let labels: Vec<String> = stock_ledger::seller_locations(&mut tx, &wool)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.label)
            .collect();
        assert_eq!(
            labels,
            vec!["Main location".to_owned(), "Shop floor".to_owned()]
        );
        let operators_location = stock_ledger::default_location(&mut tx).await.unwrap();
        assert_ne!(operators_location, floor);

        // Ana's units may move to her own second location, never to Bo's or the operator's.
        let small = variant_id(db, "NW-S").await;
        let moved = stock_ledger::adjust(
            &mut tx,
            &small,
            &floor,
            4,
            "received",
            "",
            "vendor:ana-user",
        )
        .await
        .unwrap();
        assert_eq!(moved.sellable, 9);
        for elsewhere in [&bos_floor, &operators_location] {
            let refused = stock_ledger::adjust(
                &mut tx,
                &small,
                elsewhere,
                4,
                "received",
                "",
                "vendor:ana-user",
            )
            .await;
            assert!(
                matches!(refused, Err(stock_ledger::LedgerError::NotFound)),
                "{refused:?}"
            );
        }
        tx.commit().await.unwrap();

        // The stock pages read hers for her, and nothing of hers for Bo.
        let mut conn = db.pool().acquire().await.unwrap();
        let item = app::inventory::queries::item(&mut conn, &small, Some(&wool))
            .await
            .unwrap()
            .expect("hers");
        let names: Vec<(String, i64)> = item
            .locations
            .iter()
            .map(|l| (l.location.clone(), l.on_hand))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Main location".to_owned(), 5),
                ("Shop floor".to_owned(), 4)
            ]
        );
        assert!(
            app::inventory::queries::item(&mut conn, &small, Some(&clay))
                .await
                .unwrap()
                .is_none()
        );
        let page = app::inventory::queries::page(&mut conn, None, None, "", Some(&clay))
            .await
            .unwrap();
        assert!(page.rows.is_empty());
        let page = app::inventory::queries::page(&mut conn, Some("NW-"), None, "", Some(&wool))
            .await
            .unwrap();
        assert_eq!(page.rows.len(), 3);
        // The operator's page names the seller's location with its slug.
        let staff_item = app::inventory::queries::item(&mut conn, &small, None)
            .await
            .unwrap()
            .unwrap();
        assert!(
            staff_item
                .locations
                .iter()
                .any(|l| l.location == "Shop floor (nordic-wool)"),
            "{:?}",
            staff_item.locations
        );
        drop(conn);

        // The audit log names Ana for her product.
        react(db).await;
        let created: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'product.created' AND actor = 'ana@example.com'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(created, 1);
    }
}

#[tokio::test]
async fn a_product_handed_to_a_seller_takes_its_stock_to_the_sellers_location() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let (wool, _) = approved_seller(db, "ana@example.com", "Nordic Wool").await;
        let (product, sellable_before): (String, i64) = sqlx::query_as(
            "SELECT p.id, CAST(SUM(v.stock) AS BIGINT) FROM products p JOIN variants v ON v.product_id = p.id GROUP BY p.id",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        product_store::set_vendor(&mut tx, std::slice::from_ref(&product), Some(&wool), 1)
            .await
            .unwrap();
        stock_ledger::rehome(&mut tx, &product, "system")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (strays, at_home, sellable): (i64, i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN l.vendor_id IS NULL THEN s.on_hand ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN l.vendor_id = $2 THEN s.on_hand ELSE 0 END), 0) AS BIGINT),
                    (SELECT CAST(SUM(stock) AS BIGINT) FROM variants WHERE product_id = $1)
             FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id
             JOIN variants v ON v.id = s.variant_id WHERE v.product_id = $1",
        )
        .bind(&product)
        .bind(&wool)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(strays, 0);
        assert_eq!(sellable, sellable_before, "a transfer sells nothing");
        assert!(at_home >= sellable_before, "{at_home} units moved");
    }
}
