//! The catalog and favourites, on every configured engine.
#![cfg(feature = "ssr")]

use app::account::favourites;
use app::catalog::queries::{
    category_listing, favourites as list_favourites, new_arrivals, product_by_slug,
};
use app::catalog::{Filters, Sort, demo};
use app::platform::testing::{TestDb, confirmed_account};
use shop_types::Role;

#[tokio::test]
async fn categories_list_sort_and_page_their_products() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 200, "EUR").await.unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        // 200 products over 40 categories: 5 each.
        let listing =
            category_listing(&mut conn, "sneakers", Sort::PriceAsc, 1, Filters::default())
                .await
                .unwrap()
                .unwrap();
        assert_eq!(
            (listing.name.as_str(), listing.total, listing.pages),
            ("Sneakers", 5, 1)
        );
        let prices: Vec<i64> = listing.products.iter().map(|p| p.price.minor).collect();
        assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
        let desc = category_listing(
            &mut conn,
            "sneakers",
            Sort::PriceDesc,
            1,
            Filters::default(),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            desc.products.first().map(|p| p.price.minor),
            prices.last().copied()
        );
        assert!(
            category_listing(
                &mut conn,
                "no-such-category",
                Sort::Newest,
                1,
                Filters::default()
            )
            .await
            .unwrap()
            .is_none()
        );
        let beyond = category_listing(&mut conn, "sneakers", Sort::Newest, 3, Filters::default())
            .await
            .unwrap()
            .unwrap();
        assert!(
            beyond.products.is_empty(),
            "a page past the end is empty, not an error"
        );

        let newest = new_arrivals(&mut conn, 8).await.unwrap();
        assert_eq!(newest.len(), 8);
        let detail = product_by_slug(&mut conn, &newest[0].slug, None)
            .await
            .unwrap()
            .unwrap();
        assert!(!detail.variants.is_empty());
        assert!(detail.category.is_some());
        assert!(detail.variants.iter().all(|v| v.price.minor > 0));
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
        demo::generate(&db.db, 400, "EUR").await.unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        let all = category_listing(&mut conn, "mugs", Sort::Newest, 1, Filters::default())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(all.total, 10);
        let brand_sum: u64 = all.facets.brands.iter().map(|(_, n)| n).sum();
        assert_eq!(brand_sum, all.total, "every product has one brand");

        // Choosing a brand shows exactly its count, and keeps the other brands' counts.
        let (brand, count) = all.facets.brands[0].clone();
        let one = Filters {
            brands: vec![brand.clone()],
            ..Filters::default()
        };
        let narrowed = category_listing(&mut conn, "mugs", Sort::Newest, 1, one)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(narrowed.total, count);
        assert!(narrowed.products.iter().all(|p| p.brand == brand));
        assert_eq!(narrowed.facets.brands, all.facets.brands);

        let stocked = Filters {
            in_stock: true,
            ..Filters::default()
        };
        let in_stock = category_listing(&mut conn, "mugs", Sort::Newest, 1, stocked)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(in_stock.total, all.facets.in_stock);

        let cheap = Filters {
            max_price: Some(1500),
            ..Filters::default()
        };
        let under = category_listing(&mut conn, "mugs", Sort::PriceDesc, 1, cheap)
            .await
            .unwrap()
            .unwrap();
        assert!(under.products.iter().all(|p| p.price.minor <= 1500));
        let none = Filters {
            min_price: Some(100_000_000),
            ..Filters::default()
        };
        assert_eq!(
            category_listing(&mut conn, "mugs", Sort::Newest, 1, none)
                .await
                .unwrap()
                .unwrap()
                .total,
            0
        );
        drop(conn);
        db.finish().await;
    }
}
