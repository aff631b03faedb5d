//! The catalog and favourites, on every configured engine.

use app::assembly::testing::{TestDb, confirmed_account};
use app::catalog::favourites::store as favourites;
use app::catalog::queries::{favourites as list_favourites, new_arrivals, product_by_slug};
use app::catalog::{Filters, Listing, Scope, Sort, demo};
use app::platform::db::Db;
use app::search::follower::Follower;
use app::search::index::SearchIndex;
use app::search::listing_service::{Within, listing};
use shop_types::Role;
use std::sync::Arc;

/// The demo catalog of `n` products, and an index that has read it.
async fn indexed(db: &Db, n: usize) -> Arc<SearchIndex> {
    demo::generate(db, n, "EUR").await.unwrap();
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    Follower::default()
        .sync(db, &index, &mut |_, _| {})
        .await
        .unwrap();
    index
}

/// A page of the category `slug`.
fn category(index: &SearchIndex, slug: &str, sort: Sort, page: u32, filters: Filters) -> Listing {
    let scope = Scope::Category {
        slug: slug.into(),
        name: String::new(),
        parents: Vec::new(),
    };
    listing(
        index,
        scope,
        Within::Category(slug.into()),
        "",
        filters,
        sort,
        page,
    )
    .unwrap()
}

#[tokio::test]
async fn categories_list_sort_and_page_their_products() {
    for db in TestDb::all().await {
        let index = indexed(&db.db, 200).await;
        // 200 products over 40 categories: 5 each; the department holds its 5 categories' 25.
        let listing = category(&index, "sneakers", Sort::PriceAsc, 1, Filters::default());
        assert_eq!((listing.total, listing.pages), (5, 1));
        let prices: Vec<i64> = listing.products.iter().map(|p| p.price.minor).collect();
        assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
        let desc = category(&index, "sneakers", Sort::PriceDesc, 1, Filters::default());
        assert_eq!(
            desc.products.first().map(|p| p.price.minor),
            prices.last().copied()
        );
        let department = category(&index, "shoes", Sort::Newest, 2, Filters::default());
        assert_eq!(
            (department.total, department.pages, department.page),
            (25, 2, 2)
        );
        assert_eq!(department.products.len(), 1);
        let unknown = category(
            &index,
            "no-such-category",
            Sort::Newest,
            1,
            Filters::default(),
        );
        assert_eq!(unknown.total, 0);
        let beyond = category(&index, "sneakers", Sort::Newest, 3, Filters::default());
        assert_eq!(beyond.page, 1, "a page past the end shows the last page");
        let best = category(&index, "shoes", Sort::BestSelling, 1, Filters::default());
        let mut conn = db.db.pool().acquire().await.unwrap();
        let mut sold = Vec::new();
        for p in &best.products {
            let n: i64 = sqlx::query_scalar("SELECT sold_count FROM products WHERE id = $1")
                .bind(&p.id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            sold.push(n);
        }
        assert!(sold.windows(2).all(|w| w[0] >= w[1]), "{sold:?}");

        let newest = new_arrivals(&mut conn, 8).await.unwrap();
        assert_eq!(newest.len(), 8);
        assert!(newest.iter().all(|p| p.image.is_some()));
        let detail = product_by_slug(&mut conn, &newest[0].slug, None)
            .await
            .unwrap()
            .unwrap();
        assert!(!detail.variants.is_empty());
        assert_eq!(detail.breadcrumbs.len(), 2, "department and category");
        assert!(detail.variants.iter().all(|v| v.price.minor > 0));
        assert_eq!(detail.images.len(), 2);
        assert!(detail.images.iter().all(|i| !i.alt.is_empty()));
        assert!(detail.description_html.contains("<strong>"));
        assert!(detail.attributes.iter().any(|(n, _)| n == "Material"));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn favourites_belong_to_their_account_and_guests_merge_at_sign_in() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 50, "EUR").await.unwrap();
        let ids = [
            confirmed_account(&db.db, "mia@example.com", Role::Customer).await,
            confirmed_account(&db.db, "ned@example.com", Role::Customer).await,
        ];
        let mut conn = db.db.pool().acquire().await.unwrap();
        let products = new_arrivals(&mut conn, 3).await.unwrap();
        assert!(
            favourites::add(&mut conn, &ids[0], &products[0].id)
                .await
                .unwrap()
        );
        assert!(
            favourites::add(&mut conn, &ids[0], &products[0].id)
                .await
                .unwrap(),
            "saving twice is fine"
        );
        assert!(
            !favourites::add(&mut conn, &ids[0], "0000000000000000000000000z")
                .await
                .unwrap(),
            "unknown product"
        );
        assert_eq!(list_favourites(&mut conn, &ids[0]).await.unwrap().len(), 1);
        assert!(
            list_favourites(&mut conn, &ids[1])
                .await
                .unwrap()
                .is_empty(),
            "Ned sees none of Mia's"
        );
        favourites::remove(&mut conn, &ids[1], &products[0].id)
            .await
            .unwrap();
        assert_eq!(
            list_favourites(&mut conn, &ids[0]).await.unwrap().len(),
            1,
            "Ned cannot remove Mia's"
        );

        let guest = format!("{},{},bogus", products[1].id, products[2].id);
        assert_eq!(
            favourites::merge_guest(&mut conn, &ids[1], &guest)
                .await
                .unwrap(),
            2
        );
        assert_eq!(list_favourites(&mut conn, &ids[1]).await.unwrap().len(), 2);

        let slug = &products[0].slug;
        assert!(
            product_by_slug(&mut conn, slug, Some(&ids[0]))
                .await
                .unwrap()
                .unwrap()
                .favourite
        );
        assert!(
            !product_by_slug(&mut conn, slug, Some(&ids[1]))
                .await
                .unwrap()
                .unwrap()
                .favourite
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn facet_counts_match_what_each_filter_would_show() {
    for db in TestDb::all().await {
        let index = indexed(&db.db, 400).await;
        let all = category(&index, "mugs", Sort::Newest, 1, Filters::default());
        assert_eq!(all.total, 10);
        let brand_sum: u64 = all.facets.brands.iter().map(|(_, n)| n).sum();
        assert_eq!(brand_sum, all.total, "every product has one brand");

        // Choosing a brand shows exactly its count, and keeps the other brands' counts.
        let (brand, count) = all.facets.brands[0].clone();
        let one = Filters {
            brands: vec![brand.clone()],
            ..Filters::default()
        };
        let narrowed = category(&index, "mugs", Sort::Newest, 1, one);
        assert_eq!(narrowed.total, count);
        assert!(narrowed.products.iter().all(|p| p.brand == brand));
        assert_eq!(narrowed.facets.brands, all.facets.brands);

        // Option values: mugs come in colours; a colour shows exactly its count.
        let colours = all
            .facets
            .options
            .iter()
            .find(|g| g.name == "Colour")
            .expect("a Colour facet");
        let (colour, n) = colours.values[0].clone();
        let by_colour = Filters {
            options: vec![("Colour".into(), colour.clone())],
            ..Filters::default()
        };
        let coloured = category(&index, "mugs", Sort::Newest, 1, by_colour);
        assert_eq!(coloured.total, n);
        let same_group = coloured
            .facets
            .options
            .iter()
            .find(|g| g.name == "Colour")
            .unwrap();
        assert_eq!(
            same_group, colours,
            "a group is counted without its own filter"
        );
        let unknown = Filters {
            options: vec![("Colour".into(), "Plaid".into())],
            ..Filters::default()
        };
        assert_eq!(category(&index, "mugs", Sort::Newest, 1, unknown).total, 0);

        let stocked = Filters {
            in_stock: true,
            ..Filters::default()
        };
        let in_stock = category(&index, "mugs", Sort::Newest, 1, stocked);
        assert_eq!(in_stock.total, all.facets.in_stock);

        let cheap = Filters {
            max_price: Some(1500),
            ..Filters::default()
        };
        let under = category(&index, "mugs", Sort::PriceDesc, 1, cheap);
        assert!(under.products.iter().all(|p| p.price.minor <= 1500));
        let none = Filters {
            min_price: Some(100_000_000),
            ..Filters::default()
        };
        assert_eq!(category(&index, "mugs", Sort::Newest, 1, none).total, 0);
        db.finish().await;
    }
}
