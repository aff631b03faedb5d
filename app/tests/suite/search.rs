//! Search on every configured engine: typo tolerance, SKUs, synonyms, suggestions, highlights,
//! and an index that follows catalog edits.

use app::assembly::testing::TestDb;
use app::catalog::{Filters, Listing, Scope, Sort, demo};
use app::platform::db::Db;
use app::search::follower::Follower;
use app::search::index::SearchIndex;
use app::search::listing_service::{Within, listing};
use app::search::{suggest_service, synonyms};
use std::sync::Arc;

async fn sync(db: &Db, index: &Arc<SearchIndex>, follower: &mut Follower) {
    follower.sync(db, index, &mut |_, _| {}).await.unwrap();
}

fn search(index: &SearchIndex, text: &str, filters: Filters) -> Listing {
    let scope = Scope::Search { query: text.into() };
    listing(
        index,
        scope,
        Within::Everything,
        text,
        filters,
        Sort::Relevance,
        1,
    )
    .unwrap()
}

/// Renames product `n` of the demo catalog and bumps it as a catalog writer must.
async fn rename(db: &Db, sku: &str, title: &str) -> String {
    let id: String = sqlx::query_scalar("SELECT product_id FROM variants WHERE sku = $1")
        .bind(sku)
        .fetch_one(db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE products SET title = $1, updated_at = $2 WHERE id = $3")
        .bind(title)
        .bind(app::platform::clock::now().millis())
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn search_forgives_typos_and_finds_skus_with_facets() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 400, "EUR").await.unwrap();
        rename(&db.db, "SKU-000006-01", "Black Suede Sneakers").await;
        let index = Arc::new(SearchIndex::in_memory().unwrap());
        sync(&db.db, &index, &mut Follower::default()).await;

        let typo = search(&index, "blak sneakrs", Filters::default());
        assert!(typo.total >= 1, "typos forgiven");
        assert!(
            typo.products
                .iter()
                .any(|p| p.title == "Black Suede Sneakers"),
            "{:?}",
            typo.products.iter().map(|p| &p.title).collect::<Vec<_>>()
        );
        let first = &typo.products[0];
        let marked: Vec<&str> = first
            .highlighted
            .as_ref()
            .unwrap()
            .iter()
            .filter(|r| r.hit)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(marked, vec!["Black", "Sneakers"]);
        assert!(
            typo.products
                .iter()
                .all(|p| p.title.contains("Sneakers") || p.title.contains("Black")),
            "every result matches both words"
        );
        assert!(typo.facets.options.iter().any(|g| g.name == "Size"));

        let by_sku = search(&index, "SKU-000123-02", Filters::default());
        assert_eq!(by_sku.total, 1);
        // Brand and category words match too.
        assert!(search(&index, "northwind", Filters::default()).total > 0);
        let mugs = search(&index, "mugs", Filters::default());
        assert!(mugs.total >= 10);

        // Nothing to look for, markup and absurd lengths answer calmly.
        assert_eq!(search(&index, "", Filters::default()).total, 0);
        assert_eq!(
            search(&index, "<script>alert(1)</script>", Filters::default()).total,
            0
        );
        let long = "sneakers ".repeat(200);
        assert!(search(&index, &long, Filters::default()).total > 0);
        db.finish().await;
    }
}

#[tokio::test]
async fn merchant_synonyms_widen_search_without_reindexing() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 200, "EUR").await.unwrap();
        let index = Arc::new(SearchIndex::in_memory().unwrap());
        let mut follower = Follower::default();
        sync(&db.db, &index, &mut follower).await;
        assert_eq!(search(&index, "kicks", Filters::default()).total, 0);

        let group = synonyms::parse_group("kicks, sneakers").unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        synonyms::add(&mut conn, &group).await.unwrap();
        drop(conn);
        sync(&db.db, &index, &mut follower).await;
        let kicks = search(&index, "kicks", Filters::default());
        let sneakers = search(&index, "sneakers", Filters::default());
        assert!(kicks.total > 0);
        assert_eq!(kicks.total, sneakers.total);
        db.finish().await;
    }
}

#[tokio::test]
async fn suggestions_complete_prefixes_with_products_and_categories() {
    for db in TestDb::all().await {
        let index = {
            demo::generate(&db.db, 200, "EUR").await.unwrap();
            let index = Arc::new(SearchIndex::in_memory().unwrap());
            sync(&db.db, &index, &mut Follower::default()).await;
            index
        };
        let s = suggest_service::suggest(&index, "sneak").unwrap();
        assert_eq!(s.categories[0].slug, "sneakers");
        assert!(!s.products.is_empty() && s.products.len() <= suggest_service::MAX_PRODUCTS);
        assert!(s.products.iter().all(|p| p.title.iter().any(|r| r.hit)));
        let typo = suggest_service::suggest(&index, "snaek").unwrap();
        assert!(
            !typo.products.is_empty(),
            "a typo in the prefix still suggests"
        );
        assert_eq!(
            suggest_service::suggest(&index, "s")
                .unwrap()
                .products
                .len(),
            0
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn the_index_follows_catalog_edits() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 100, "EUR").await.unwrap();
        let index = Arc::new(SearchIndex::in_memory().unwrap());
        let mut follower = Follower::default();
        sync(&db.db, &index, &mut follower).await;
        assert_eq!(index.len(), 100);
        assert_eq!(search(&index, "zanzibar", Filters::default()).total, 0);

        let id = rename(&db.db, "SKU-000010-01", "Zanzibar Linen Shirt").await;
        sync(&db.db, &index, &mut follower).await;
        assert_eq!(search(&index, "zanzibar", Filters::default()).total, 1);
        assert_eq!(index.len(), 100, "replaced, not added");

        sqlx::query("UPDATE products SET status = 'archived', updated_at = $1 WHERE id = $2")
            .bind(app::platform::clock::now().millis() + 1)
            .bind(&id)
            .execute(db.db.pool())
            .await
            .unwrap();
        sync(&db.db, &index, &mut follower).await;
        assert_eq!(search(&index, "zanzibar", Filters::default()).total, 0);
        assert_eq!(index.len(), 99);

        // A second pass with nothing new changes nothing.
        let before = index.watermark();
        sync(&db.db, &index, &mut follower).await;
        assert_eq!(index.watermark(), before);
        db.finish().await;
    }
}

#[tokio::test]
async fn an_index_built_from_another_database_is_emptied() {
    let dir = std::env::temp_dir().join(format!("shop-index-{}", app::platform::ids::new_id()));
    let first = TestDb::sqlite().await;
    demo::generate(&first.db, 30, "EUR").await.unwrap();
    {
        let index = app::search::follower::open_for(&first.db, dir.clone())
            .await
            .unwrap();
        sync(&first.db, &index, &mut Follower::default()).await;
        assert_eq!(index.len(), 30);
    }
    {
        // Reopened on the same database: kept.
        let index = app::search::follower::open_for(&first.db, dir.clone())
            .await
            .unwrap();
        assert_eq!(index.len(), 30);
    }
    let second = TestDb::sqlite().await;
    let index = app::search::follower::open_for(&second.db, dir.clone())
        .await
        .unwrap();
    assert_eq!(index.len(), 0, "products of another database are gone");
    drop(index);
    first.finish().await;
    second.finish().await;
    let _ = std::fs::remove_dir_all(dir);
}
