//! Carts on every configured engine: limits, stock, prices from the catalog, saved for later,
//! and a guest's cart joining an account's at sign-in.

use app::assembly::testing::{TestDb, confirmed_account};
use app::cart::MAX_LINE_UNITS;
use app::cart::cart_service::{self, CartError, Owner};
use app::catalog::demo;
use shop_types::{Quantity, Role};
use sqlx::AnyConnection;

/// A variant with `stock` units (the demo catalog's first variant, stock set).
async fn variant_with_stock(conn: &mut AnyConnection, sku: &str, stock: i64) -> String {
    sqlx::query("UPDATE variants SET stock = $1 WHERE sku = $2")
        .bind(stock)
        .bind(sku)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query_scalar("SELECT id FROM variants WHERE sku = $1")
        .bind(sku)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

fn q(n: i64) -> Quantity {
    Quantity::new(n).unwrap()
}

#[tokio::test]
async fn quantities_are_bounded_by_stock_and_limits_and_priced_by_the_catalog() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 20, "EUR").await.unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        let five = variant_with_stock(&mut conn, "SKU-000001-01", 5).await;
        let none = variant_with_stock(&mut conn, "SKU-000002-01", 0).await;
        let plenty = variant_with_stock(&mut conn, "SKU-000003-01", 500).await;
        let cart = cart_service::find_or_create(&mut conn, Owner::Guest("hash-a"))
            .await
            .unwrap();
        assert_eq!(
            cart_service::find_or_create(&mut conn, Owner::Guest("hash-a"))
                .await
                .unwrap(),
            cart,
            "one cart per owner"
        );

        cart_service::add(&mut conn, &cart, &five, q(3))
            .await
            .unwrap();
        match cart_service::add(&mut conn, &cart, &five, q(3)).await {
            Err(CartError::NotEnoughStock {
                available: 5,
                can_add: 2,
            }) => {}
            other => panic!("{other:?}"),
        }
        cart_service::add(&mut conn, &cart, &five, q(2))
            .await
            .unwrap();
        assert!(matches!(
            cart_service::add(&mut conn, &cart, &none, q(1)).await,
            Err(CartError::SoldOut)
        ));
        assert!(matches!(
            cart_service::add(&mut conn, &cart, &plenty, q(MAX_LINE_UNITS + 1)).await,
            Err(CartError::TooMany)
        ));
        assert!(matches!(
            cart_service::add(&mut conn, &cart, "00000000000000000000000000", q(1)).await,
            Err(CartError::UnknownVariant)
        ));

        // Prices come from the catalog as it is now.
        sqlx::query("UPDATE variants SET price_minor = 1234 WHERE id = $1")
            .bind(&five)
            .execute(&mut *conn)
            .await
            .unwrap();
        let view = cart_service::view(&mut conn, &cart).await.unwrap();
        assert_eq!(view.units, 5);
        assert_eq!(cart_service::units(&mut conn, &cart).await.unwrap(), 5);
        assert_eq!(view.lines[0].unit_price.minor, 1234);
        assert_eq!(view.subtotal.unwrap().minor, 5 * 1234);

        // Stock falling below the quantity is flagged, not hidden.
        sqlx::query("UPDATE variants SET stock = 2 WHERE id = $1")
            .bind(&five)
            .execute(&mut *conn)
            .await
            .unwrap();
        let view = cart_service::view(&mut conn, &cart).await.unwrap();
        assert_eq!(view.lines[0].problem.as_deref(), Some("Only 2 left"));

        cart_service::set_saved(&mut conn, &cart, &five, true)
            .await
            .unwrap();
        let view = cart_service::view(&mut conn, &cart).await.unwrap();
        assert_eq!((view.lines.len(), view.saved.len(), view.units), (0, 1, 0));
        assert_eq!(
            cart_service::units(&mut conn, &cart).await.unwrap(),
            0,
            "the header's count leaves saved lines out, as the cart does"
        );
        assert!(view.subtotal.is_none());
        cart_service::set_quantity(&mut conn, &cart, &five, 0)
            .await
            .unwrap();
        assert!(
            cart_service::view(&mut conn, &cart)
                .await
                .unwrap()
                .saved
                .is_empty()
        );
        assert!(matches!(
            cart_service::set_quantity(&mut conn, &cart, &plenty, 2).await,
            Err(CartError::NotInCart)
        ));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_guest_cart_joins_the_account_cart_within_stock() {
    for db in TestDb::all().await {
        demo::generate(&db.db, 20, "EUR").await.unwrap();
        let user = confirmed_account(&db.db, "gil@example.com", Role::Customer).await;
        let mut conn = db.db.pool().acquire().await.unwrap();
        let four = variant_with_stock(&mut conn, "SKU-000004-01", 4).await;
        let other = variant_with_stock(&mut conn, "SKU-000005-01", 10).await;
        let mine = cart_service::find_or_create(&mut conn, Owner::User(&user))
            .await
            .unwrap();
        cart_service::add(&mut conn, &mine, &four, q(3))
            .await
            .unwrap();
        let guest = cart_service::find_or_create(&mut conn, Owner::Guest("hash-b"))
            .await
            .unwrap();
        cart_service::add(&mut conn, &guest, &four, q(3))
            .await
            .unwrap();
        cart_service::add(&mut conn, &guest, &other, q(2))
            .await
            .unwrap();

        cart_service::merge(&mut conn, &guest, &mine).await.unwrap();
        let view = cart_service::view(&mut conn, &mine).await.unwrap();
        let quantity_of = |id: &str| {
            view.lines
                .iter()
                .find(|l| l.variant_id == id)
                .map(|l| l.quantity)
        };
        assert_eq!(
            quantity_of(&four),
            Some(4),
            "3 + 3 capped at the 4 in stock"
        );
        assert_eq!(quantity_of(&other), Some(2));
        assert!(
            cart_service::find(&mut conn, Owner::Guest("hash-b"))
                .await
                .unwrap()
                .is_none(),
            "the guest cart is gone"
        );
        drop(conn);
        db.finish().await;
    }
}
