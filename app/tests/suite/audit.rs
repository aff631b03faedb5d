//! The audit log: staff changes arrive with who and what changed, the hash chain holds, and a
//! row changed or removed directly in the database is found (both engines).

use app::assembly::testing::{TestDb, react};
use app::audit::store::{self, AuditFilter, Verdict, verify};
use app::catalog::editor::editor_service::{BulkAction, Reach, bulk, save_product};
use app::catalog::editor::editor_views::{ProductInput, VariantInput};
use app::catalog::editor::product_form::{clean_product, clean_variants};
use app::platform::audit_trail::{self, Entry, Who};
use serde_json::json;
use shop_types::Currency;

fn staff() -> Who {
    Who {
        user_id: Some("staff-1".into()),
        label: "staff@example.com".into(),
        ip: Some("203.0.113.7".into()),
        request_id: Some("req-1".into()),
    }
}

async fn all_rows(db: &app::platform::db::Db) -> Vec<app::audit::views::AuditRow> {
    let mut conn = db.pool().acquire().await.unwrap();
    store::rows(&mut conn, &AuditFilter::default(), 1000)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_price_change_is_logged_with_before_after_and_who_and_the_chain_holds() {
    for t in TestDb::all().await {
        let db = &t.db;
        app::assembly::testing::shop_with_products(db, 0).await;
        let product = clean_product(&ProductInput {
            title: "Trail Runner".into(),
            status: "active".into(),
            ..ProductInput::default()
        })
        .unwrap();
        let variant = |price: &str| VariantInput {
            sku: "TR-1".into(),
            price: price.into(),
            stock: "3".into(),
            ..VariantInput::default()
        };
        let first =
            clean_variants(&[variant("89.90")], &product.option_names, Currency::EUR).unwrap();
        let id = save_product(db, None, &product, &first, &staff(), Reach::Shop)
            .await
            .unwrap();
        let mut saved = first.clone();
        saved[0].id = sqlx::query_scalar("SELECT id FROM variants WHERE sku = 'TR-1'")
            .fetch_optional(db.pool())
            .await
            .unwrap();
        saved[0].price_minor = 7990;
        save_product(db, Some(&id), &product, &saved, &staff(), Reach::Shop)
            .await
            .unwrap();
        // Saving again without a change adds nothing.
        save_product(db, Some(&id), &product, &saved, &staff(), Reach::Shop)
            .await
            .unwrap();
        bulk(
            db,
            std::slice::from_ref(&id),
            &BulkAction::SetStatus("draft"),
            &staff(),
        )
        .await
        .unwrap();
        react(db).await;

        let rows = all_rows(db).await;
        let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            ["product.bulk_changed", "product.saved", "product.created"]
        );
        let price = &rows[1];
        assert_eq!(price.subject, format!("product:{id}"));
        assert_eq!(price.who, "staff@example.com");
        assert_eq!(
            (price.ip.as_str(), price.request_id.as_str()),
            ("203.0.113.7", "req-1")
        );
        let before: serde_json::Value = serde_json::from_str(&price.before).unwrap();
        let after: serde_json::Value = serde_json::from_str(&price.after).unwrap();
        assert_eq!(before, json!({ "variants": { "TR-1": { "price": 8990 } } }));
        assert_eq!(after, json!({ "variants": { "TR-1": { "price": 7990 } } }));
        assert_eq!(rows[0].after, r#"{"status":"draft"}"#);

        // Filters: by action prefix, by who, by subject kind.
        let mut conn = db.pool().acquire().await.unwrap();
        let filtered = |action: Option<&str>, who: Option<&str>, subject: Option<&str>| {
            AuditFilter::parse(
                action.map(Into::into),
                who.map(Into::into),
                subject.map(Into::into),
                None,
                None,
                None,
            )
            .unwrap()
        };
        for (filter, expected) in [
            (filtered(Some("product."), None, None), 3),
            (filtered(Some("product.saved"), None, None), 1),
            (filtered(None, Some("STAFF@"), None), 3),
            (filtered(None, Some("someone"), None), 0),
            (filtered(None, None, Some("product")), 3),
            (filtered(None, None, Some(&format!("product:{id}"))), 3),
            (filtered(None, None, Some("order")), 0),
        ] {
            assert_eq!(
                store::rows(&mut conn, &filter, 100).await.unwrap().len(),
                expected,
                "{filter:?}"
            );
        }
        drop(conn);

        match verify(db).await.unwrap() {
            Verdict::Intact { rows, head } => {
                assert_eq!(rows, 3);
                assert_eq!(head.len(), 64);
            }
            other => panic!("a fresh log is intact: {other:?}"),
        }

        // Someone with database access lowers the logged price: row 2 no longer fits.
        sqlx::query("UPDATE audit_log SET after_json = $1 WHERE seq = 2")
            .bind(r#"{"variants":{"TR-1":{"price":8990}}}"#)
            .execute(db.pool())
            .await
            .unwrap();
        assert_eq!(verify(db).await.unwrap(), Verdict::Altered { seq: 2 });
        // ... and rewrites its hash too: the next row no longer follows it.
        let fields: (String, String) =
            sqlx::query_as("SELECT hash, prev_hash FROM audit_log WHERE seq = 2")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(fields.1.len(), 64);
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(db.pool())
            .await
            .unwrap();
        assert_eq!(
            verify(db).await.unwrap(),
            Verdict::Missing {
                expected: 2,
                found: 3
            }
        );
        t.finish().await;
    }
}

/// Appends from many transactions at once make one unbroken chain (the advisory lock on
/// PostgreSQL, the write lock on SQLite), and an entry delivered twice is kept once.
#[tokio::test]
async fn concurrent_appends_make_one_chain_and_repeats_land_once() {
    for t in TestDb::all().await {
        let db = &t.db;
        let entry = |n: usize| Entry {
            id: format!("entry-{n}"),
            at: app::platform::clock::now(),
            who: staff(),
            action: "test.appended".into(),
            subject: format!("test:{n}"),
            before: None,
            after: Some(json!({ "n": n })),
        };
        let tasks: Vec<_> = (0..12)
            .map(|n| {
                let db = db.clone();
                let e = entry(n);
                tokio::spawn(async move {
                    let mut tx = db.begin_write().await.unwrap();
                    let added = store::append(&mut tx, db.engine(), &e).await.unwrap();
                    tx.commit().await.unwrap();
                    added
                })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap());
        }
        let mut tx = db.begin_write().await.unwrap();
        assert!(
            !store::append(&mut tx, db.engine(), &entry(3))
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        assert!(matches!(
            verify(db).await.unwrap(),
            Verdict::Intact { rows: 12, .. }
        ));

        // Through the event path: recorded in the cause's transaction, appended by the reaction,
        // once even when the reaction runs again.
        let mut tx = db.begin_write().await.unwrap();
        audit_trail::record(
            &mut tx,
            &Who::system(),
            "test.recorded",
            "test:x",
            None,
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        react(db).await;
        react(db).await;
        let rows = all_rows(db).await;
        assert_eq!(rows.len(), 13);
        assert_eq!(
            (rows[0].action.as_str(), rows[0].who.as_str()),
            ("test.recorded", "system")
        );
        t.finish().await;
    }
}
