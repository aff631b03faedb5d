//! Migrations, first-start data and the newsletter repository, on every configured engine.

use app::assembly::seed;
use app::assembly::testing::{TestDb, test_config};
use app::marketing::newsletter_service::{is_subscribed, subscribe, unsubscribe};
use app::store::queries::default_store;
use shop_types::{Currency, Email};

#[tokio::test]
async fn first_start_creates_one_store_and_restarts_change_nothing() {
    for db in TestDb::all().await {
        let mut config = test_config(&db.url());
        config.store_name = "Corner Shop".into();
        config.demo_data = true;
        seed::prepare(&db.db, &config).await.unwrap();
        config.store_name = "Renamed By Env".into();
        seed::prepare(&db.db, &config).await.unwrap();

        let mut conn = db.db.pool().acquire().await.unwrap();
        let store = default_store(&mut conn).await.unwrap().unwrap();
        assert_eq!(
            store.name, "Corner Shop",
            "a restart must not overwrite the store"
        );
        assert_eq!(store.currency, Currency::EUR);
        assert!(
            store.support_email.is_some(),
            "demo data fills the contact address"
        );
        let stores: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(stores, 1);
        // The risk review has two held orders: one held at placing, one once its card paid
        // after six declined attempts.
        let (waiting, _) = app::fraud::risk_store::queue(&mut conn, 10).await.unwrap();
        let signals: Vec<Vec<shop_types::RiskSignal>> = waiting
            .iter()
            .map(|a| a.reasons.iter().map(|r| r.signal.clone()).collect())
            .collect();
        assert_eq!(waiting.len(), 2, "{signals:?}");
        assert!(
            signals
                .iter()
                .any(|s| s.contains(&shop_types::RiskSignal::CardDeclines { declines: 6 })),
            "{signals:?}"
        );
        // The demo marketplace: sellers at each stage, the approved ones with products, and a
        // demo seller who signs in.
        let vendors = app::vendors::vendor_store::counts(&mut conn).await.unwrap();
        let count = |s: shop_types::VendorStatus| {
            vendors.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n)
        };
        assert_eq!(
            (
                count(shop_types::VendorStatus::Approved),
                count(shop_types::VendorStatus::InReview),
                count(shop_types::VendorStatus::Applied)
            ),
            (2, 1, 1)
        );
        let sold_by_vendors: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE vendor_id IS NOT NULL")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(sold_by_vendors, 20);
        drop(conn);
        let seller = app::account::account_service::authenticate(
            &db.db,
            &Email::parse(app::vendors::demo::DEMO_SELLER_EMAIL).unwrap(),
            app::vendors::demo::DEMO_SELLER_PASSWORD,
        )
        .await
        .unwrap();
        assert_eq!(seller.role, shop_types::Role::Vendor);
        assert!(
            !seed::load_demo_data_once(&db.db).await.unwrap(),
            "demo data loads once"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn newsletter_consent_is_recorded_once_and_can_be_withdrawn() {
    for db in TestDb::all().await {
        seed::prepare(&db.db, &test_config(&db.url()))
            .await
            .unwrap();
        let email = Email::parse("Anna@Example.com").unwrap();
        subscribe(&db.db, &email, "test").await.unwrap();
        subscribe(&db.db, &Email::parse("anna@example.com").unwrap(), "test")
            .await
            .unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM newsletter_subscriptions")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
        assert_eq!(rows, 1, "same address in other case is the same subscriber");
        assert!(is_subscribed(&db.db, &email).await.unwrap());

        assert!(unsubscribe(&db.db, &email, "test").await.unwrap());
        assert!(!unsubscribe(&db.db, &email, "test").await.unwrap());
        assert!(!is_subscribed(&db.db, &email).await.unwrap());
        subscribe(&db.db, &email, "test").await.unwrap();
        assert!(
            is_subscribed(&db.db, &email).await.unwrap(),
            "subscribing again renews consent"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent() {
    for db in TestDb::all().await {
        db.db.migrate().await.unwrap();
        db.db.migrate().await.unwrap();
        db.finish().await;
    }
}

#[tokio::test]
async fn sqlite_connections_use_wal_and_full_sync() {
    let db = TestDb::sqlite().await;
    let mut conn = db.db.pool().acquire().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    drop(conn);
    db.finish().await;
}
