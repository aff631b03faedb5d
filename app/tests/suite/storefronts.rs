//! Sellers' storefronts on every engine: an approved seller's products carry its name in
//! listings and on their pages, its storefront lists them with facets, search filters by
//! seller; a suspended seller's products leave every storefront read, the cart and the index,
//! and come back when it is reinstated.

use app::assembly::testing::{SELLER_PROFILE, TestDb, approved_seller, react, shop_with_products};
use app::cart::cart_service::{self, CartError, Owner};
use app::catalog::views::{Filters, Listing, Scope, SellerFront, SellerRef, Sort};
use app::catalog::{product_store, queries};
use app::platform::audit_trail::Who;
use app::platform::db::Db;
use app::search::follower::Follower;
use app::search::index::SearchIndex;
use app::search::listing_service::{Within, listing};
use app::vendors::onboarding::take_step;
use shop_types::vendor::Actor;
use shop_types::{Quantity, VendorStep};
use std::sync::Arc;

const PROFILE: &str = SELLER_PROFILE.0;
const POLICY: &str = SELLER_PROFILE.1;

async fn product_ids(db: &Db, limit: i64, offset: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM products ORDER BY created_at, id LIMIT $1 OFFSET $2")
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// Runs the reactions (the catalog follows a seller's status) and brings the index up to date.
async fn follow(db: &Db, index: &Arc<SearchIndex>, follower: &mut Follower) {
    react(db).await;
    follower.sync(db, index, &mut |_, _| {}).await.unwrap();
}

fn everything(index: &SearchIndex, filters: Filters) -> Listing {
    // An empty search shows nothing, so the whole shop is listed as a category of everything.
    let scope = Scope::Category {
        slug: "all".into(),
        name: "All".into(),
        parents: Vec::new(),
    };
    listing(
        index,
        scope,
        Within::Everything,
        "",
        filters,
        Sort::Newest,
        1,
    )
    .unwrap()
}

fn storefront(index: &SearchIndex, front: SellerFront) -> Listing {
    let within = Within::Seller(front.slug.clone());
    let scope = Scope::Seller(front);
    listing(
        index,
        scope,
        within,
        "",
        Filters::default(),
        Sort::BestSelling,
        1,
    )
    .unwrap()
}

async fn front(db: &Db, slug: &str) -> Option<SellerFront> {
    let mut conn = db.pool().acquire().await.unwrap();
    queries::seller_front(&mut conn, slug).await.unwrap()
}

/// A variant in stock among `products`.
async fn variant_in_stock(db: &Db, products: &[String]) -> String {
    sqlx::query_scalar(
        "SELECT id FROM variants WHERE product_id IN ($1, $2, $3) AND stock > 0 ORDER BY id LIMIT 1",
    )
    .bind(&products[0])
    .bind(&products[1])
    .bind(&products[2])
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn slug_of(db: &Db, product_id: &str) -> String {
    sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_approved_sellers_products_name_it_and_a_suspended_sellers_leave_the_shop() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 10).await;
        let (wool, wool_slug) = approved_seller(db, "ana@example.com", "Nordic Wool & Co.").await;
        let (clay, clay_slug) = approved_seller(db, "bo@example.com", "Atelier Céramique").await;
        let wool_products = product_ids(db, 3, 0).await;
        let clay_products = product_ids(db, 2, 3).await;
        let mut tx = db.begin_write().await.unwrap();
        let at = app::platform::clock::now().millis();
        product_store::set_vendor(&mut tx, &wool_products, Some(&wool), at)
            .await
            .unwrap();
        product_store::set_vendor(&mut tx, &clay_products, Some(&clay), at)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let index = Arc::new(SearchIndex::in_memory().unwrap());
        let mut follower = Follower::default();
        follow(db, &index, &mut follower).await;

        // The storefront: the seller's face and only its products, each naming it.
        let wool_front = front(db, &wool_slug)
            .await
            .expect("an approved seller's page");
        assert_eq!(wool_front.name, "Nordic Wool & Co.");
        assert_eq!(wool_front.description, PROFILE);
        assert_eq!(wool_front.returns_policy, POLICY);
        let wool_ref = SellerRef {
            slug: wool_slug.clone(),
            name: "Nordic Wool & Co.".into(),
        };
        let shelf = storefront(&index, wool_front.clone());
        assert_eq!(shelf.total, 3);
        assert!(
            shelf
                .products
                .iter()
                .all(|p| p.seller.as_ref() == Some(&wool_ref))
        );
        assert!(shelf.products.iter().all(|p| wool_products.contains(&p.id)));

        // The whole shop: the operator's own products name no seller; the seller facet
        // counts each seller, and choosing one narrows to it.
        let all = everything(&index, Filters::default());
        assert_eq!(all.total, 10);
        assert_eq!(
            all.products.iter().filter(|p| p.seller.is_none()).count(),
            5
        );
        let counts: Vec<(String, u64)> = all
            .facets
            .sellers
            .iter()
            .map(|(s, n)| (s.slug.clone(), *n))
            .collect();
        assert_eq!(counts, vec![(clay_slug.clone(), 2), (wool_slug.clone(), 3)]);
        let chosen = everything(
            &index,
            Filters::default().with_sellers(vec![wool_slug.clone(), clay_slug.clone()]),
        );
        assert_eq!(chosen.total, 5);
        // The facet keeps counting the other seller while one is chosen.
        let one = everything(
            &index,
            Filters::default().with_sellers(vec![clay_slug.clone()]),
        );
        assert_eq!(one.total, 2);
        assert_eq!(one.facets.sellers.len(), 2);
        let nobody = everything(
            &index,
            Filters::default().with_sellers(vec!["nobody".into()]),
        );
        assert_eq!(nobody.total, 0);
        // A seller's name finds its products.
        let found = listing(
            &index,
            Scope::Search {
                query: "nordic wool".into(),
            },
            Within::Everything,
            "nordic wool",
            Filters::default(),
            Sort::Relevance,
            1,
        )
        .unwrap();
        assert_eq!(found.total, 3, "{:?}", found.products);

        // The product page and the home page's lists name the seller too.
        let page_slug = slug_of(db, &wool_products[0]).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let page = queries::product_by_slug(&mut conn, &page_slug, None)
            .await
            .unwrap()
            .expect("on sale");
        assert_eq!(page.summary.seller.as_ref(), Some(&wool_ref));
        let newest = queries::new_arrivals(&mut conn, 50).await.unwrap();
        assert_eq!(newest.len(), 10);
        drop(conn);

        // Suspended: its page, products, listings, cart and checkout stock are closed.
        let staff = Who::of("staff-1", "reviewer@example.com");
        take_step(
            db,
            &wool,
            VendorStep::Suspend,
            Actor::Operator,
            "Late parcels",
            &staff,
        )
        .await
        .unwrap();
        follow(db, &index, &mut follower).await;
        assert_eq!(front(db, &wool_slug).await, None);
        assert_eq!(storefront(&index, wool_front.clone()).total, 0);
        let all = everything(&index, Filters::default());
        assert_eq!(all.total, 7);
        assert!(all.products.iter().all(|p| !wool_products.contains(&p.id)));
        assert_eq!(all.facets.sellers.len(), 1);
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            queries::product_by_slug(&mut conn, &page_slug, None)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(queries::new_arrivals(&mut conn, 50).await.unwrap().len(), 7);
        assert_eq!(queries::best_sellers(&mut conn, 50).await.unwrap().len(), 7);
        let cart = cart_service::find_or_create(&mut conn, Owner::Guest("guest-hash"))
            .await
            .unwrap();
        let variant = variant_in_stock(db, &wool_products).await;
        let refused =
            cart_service::add(&mut conn, &cart, &variant, Quantity::new(1).unwrap()).await;
        assert!(
            matches!(refused, Err(CartError::UnknownVariant)),
            "{refused:?}"
        );
        // Staff still preview it (the console's "view in shop").
        assert!(
            queries::product_by_slug_in(&mut conn, &page_slug, None, true)
                .await
                .unwrap()
                .is_some()
        );
        drop(conn);

        // Reinstated: everything comes back.
        take_step(
            db,
            &wool,
            VendorStep::Reinstate,
            Actor::Operator,
            "",
            &staff,
        )
        .await
        .unwrap();
        follow(db, &index, &mut follower).await;
        assert!(front(db, &wool_slug).await.is_some());
        assert_eq!(storefront(&index, wool_front).total, 3);
        assert_eq!(everything(&index, Filters::default()).total, 10);
        let mut conn = db.pool().acquire().await.unwrap();
        cart_service::add(&mut conn, &cart, &variant, Quantity::new(1).unwrap())
            .await
            .unwrap();
        drop(conn);
        t.finish().await;
    }
}
