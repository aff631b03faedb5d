//! Personal data sealed at rest (`platform::vault`) on every engine: a customer's name,
//! address and e-mail are found nowhere in the stored bytes, yet the shop reads them back;
//! rotating the master key while orders are placed loses nothing.

use app::account::{account_service, address_book};
use app::assembly::testing::{
    TEST_PASSWORD, TestDb, ready_cart, shop_with_products, test_ring, variant_with_stock,
};
use app::cart::cart_service::{self, Owner};
use app::checkout::checkout_service;
use app::checkout::placement::{self, PlaceRequest};
use app::identity::users;
use app::orders::order_queries;
use app::platform::db::{Db, Engine};
use app::platform::vault::{KeyRing, MasterKey};
use shop_types::{AddressInput, Email, PaymentMethod, Quantity, Role};
use sqlx::Row;

const NAME: &str = "Zebulon Quatermaine";
const STREET: &str = "Xylophone Crescent 77";
const CITY: &str = "Quillbury-on-Wold";
const PHONE: &str = "+44 7700 900321";
const EMAIL: &str = "zebulon.quatermaine@example.com";

fn distinctive_address() -> AddressInput {
    AddressInput {
        full_name: NAME.into(),
        line1: STREET.into(),
        postal_code: "10115".into(),
        city: CITY.into(),
        country: "DE".into(),
        phone: PHONE.into(),
        ..Default::default()
    }
    .validate()
    .expect("a valid address")
}

/// Places an order for the account's cart, delivered to the distinctive address.
async fn order_for(db: &Db, user_id: &str, variant: &str) -> String {
    let mut conn = db.pool().acquire().await.unwrap();
    let cart = cart_service::find_or_create(&mut conn, Owner::User(user_id))
        .await
        .unwrap();
    cart_service::add(&mut conn, &cart, variant, Quantity::new(1).unwrap())
        .await
        .unwrap();
    let email = Email::parse(EMAIL).unwrap();
    checkout_service::save_details(
        &mut conn,
        db.vault(),
        &cart,
        &email,
        &distinctive_address(),
        None,
    )
    .await
    .unwrap();
    let priced = checkout_service::price(&mut conn, db.vault(), &cart, Some(user_id))
        .await
        .unwrap();
    let (rate, _) = priced.options.iter().min_by_key(|(_, p)| *p).unwrap();
    checkout_service::save_shipping(&mut conn, &cart, &rate.id)
        .await
        .unwrap();
    drop(conn);
    placement::place(
        db,
        &PlaceRequest {
            cart_id: cart,
            user_id: Some(user_id.to_owned()),
            idempotency_key: "distinctive-order-0001".into(),
            method: PaymentMethod::BankTransfer,
            manual_window_days: 14,
            client: None,
            device: None,
        },
    )
    .await
    .unwrap()
    .order_id
}

/// Every stored value of every table, as text (PostgreSQL's table data as a reader of the
/// database sees it).
async fn postgres_rows(db: &Db) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut all = String::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT CAST(t AS TEXT) AS row FROM \"{table}\" t"))
            .fetch_all(db.pool())
            .await
            .unwrap();
        for row in rows {
            all.push_str(&row.try_get::<String, _>("row").unwrap());
            all.push('\n');
        }
    }
    all
}

/// The bytes of the SQLite database, its WAL and shared memory after a full checkpoint.
async fn sqlite_bytes(db: &Db, url: &str) -> Vec<u8> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(db.pool())
        .await
        .unwrap();
    let path = url.trim_start_matches("sqlite://");
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_customers_name_address_and_email_are_stored_sealed_yet_read_back() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let variant = variant_with_stock(db, "SKU-000001-01", 5).await;
        let email = Email::parse(EMAIL).unwrap();
        let user =
            account_service::create_confirmed(db, &email, TEST_PASSWORD, NAME, Role::Customer)
                .await
                .unwrap();
        address_book::save(db, &user, None, distinctive_address(), true)
            .await
            .unwrap();
        let order = order_for(db, &user, &variant).await;
        // The newsletter and its consent record (kept by a reaction to the consent event).
        app::marketing::newsletter_service::subscribe(db, &email, "test")
            .await
            .unwrap();
        app::assembly::testing::react(db).await;

        // The shop reads everything back: sign-in by e-mail, the address book, the order, the
        // subscription and its consent record.
        assert!(
            app::marketing::newsletter_service::is_subscribed(db, &email)
                .await
                .unwrap()
        );
        let mut conn = db.pool().acquire().await.unwrap();
        let consents = app::privacy::consents::of_person(
            &mut conn,
            db.vault(),
            &user,
            "ZEBULON.quatermaine@example.com",
        )
        .await
        .unwrap();
        assert_eq!(consents.len(), 1, "found by the address's blind index");
        let found = users::find_by_email(&mut conn, db.vault(), "Zebulon.Quatermaine@Example.com")
            .await
            .unwrap()
            .expect("found by the blind index, in any case");
        assert_eq!(
            (found.id.as_str(), found.name.as_str()),
            (user.as_str(), NAME)
        );
        let book = address_book::list(&mut conn, db.vault(), &user)
            .await
            .unwrap();
        assert_eq!(book[0].address.line1, STREET);
        assert_eq!(book[0].address.phone, PHONE);
        let view = order_queries::view(&mut conn, db.vault(), &order, "Shop", None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(view.email, EMAIL);
        assert_eq!(
            (view.address.full_name.as_str(), view.address.city.as_str()),
            (NAME, CITY)
        );
        drop(conn);

        // ...but none of it is in what the database stores.
        let (stored, plain_marker) = match t.engine() {
            Engine::Sqlite => (sqlite_bytes(db, &t.url()).await, "SKU-000001-01"),
            Engine::Postgres => (postgres_rows(db).await.into_bytes(), "SKU-000001-01"),
        };
        assert!(
            contains(&stored, plain_marker),
            "{:?}: the scan must see what is stored in the clear",
            t.engine()
        );
        for secret in [NAME, STREET, CITY, PHONE, EMAIL, "zebulon"] {
            assert!(
                !contains(&stored, secret),
                "{:?}: {secret:?} is stored readable",
                t.engine()
            );
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn rotating_the_master_key_while_orders_are_placed_loses_nothing() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let variant = variant_with_stock(db, "SKU-000001-01", 1000).await;
        let place = |db: Db, n: usize, prefix: &'static str| {
            let variant = variant.clone();
            async move {
                let mut ids = Vec::new();
                for i in 0..n {
                    let cart = ready_cart(&db, &format!("{prefix}-{i}"), &variant, 1).await;
                    let placed = placement::place(
                        &db,
                        &PlaceRequest {
                            cart_id: cart,
                            user_id: None,
                            idempotency_key: format!("rotation-{prefix}-{i:04}-key"),
                            method: PaymentMethod::BankTransfer,
                            manual_window_days: 14,
                            client: None,
                            device: None,
                        },
                    )
                    .await
                    .unwrap();
                    ids.push(placed.order_id);
                }
                ids
            }
        };
        let mut orders = place(db.clone(), 5, "before").await;

        // The instance restarts with a new master key, the old one still readable, and
        // rotates while it keeps taking orders.
        let (next, next_text) = MasterKey::generate();
        let serving = Db::connect(&t.url(), 4).await.unwrap();
        serving.unlock(test_ring().rotated_to(next)).await.unwrap();
        let during = tokio::spawn(place(serving.clone(), 12, "during"));
        let report = serving.vault().rotate(&serving).await.unwrap();
        orders.extend(during.await.unwrap());
        assert!(report.rewrapped >= 5, "{:?}: {report:?}", t.engine());
        assert_eq!(report.remaining, 0, "{:?}", t.engine());

        // With the new key alone, every order opens; the old key alone no longer opens the shop.
        let fresh = Db::connect(&t.url(), 2).await.unwrap();
        fresh
            .unlock(KeyRing::new(
                MasterKey::parse(&next_text).unwrap(),
                Vec::new(),
            ))
            .await
            .unwrap();
        let mut conn = fresh.pool().acquire().await.unwrap();
        for id in &orders {
            let view = order_queries::view(&mut conn, fresh.vault(), id, "Shop", None)
                .await
                .unwrap()
                .expect("the order");
            assert!(view.email.ends_with("@example.com"), "{:?}", view.email);
            assert_eq!(view.address.full_name, "Erika Mustermann");
        }
        assert_eq!(orders.len(), 17);
        drop(conn);
        let stale = Db::connect(&t.url(), 1).await.unwrap();
        let refused = stale.unlock(test_ring()).await.unwrap_err();
        assert!(refused.to_string().contains("not configured"), "{refused}");
        for pool in [serving, fresh, stale] {
            pool.close().await;
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn erasure_waits_for_open_orders_then_shreds_the_customer_and_keeps_the_books() {
    use app::orders::order_list::{OrderFilter, rows};
    use app::privacy::erasure::{ErasedBy, ErasureError, erase_customer};
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let variant = variant_with_stock(db, "SKU-000001-01", 5).await;
        let email = Email::parse(EMAIL).unwrap();
        let user =
            account_service::create_confirmed(db, &email, TEST_PASSWORD, NAME, Role::Customer)
                .await
                .unwrap();
        address_book::save(db, &user, None, distinctive_address(), true)
            .await
            .unwrap();
        let order = order_for(db, &user, &variant).await;
        let number: i64 = sqlx::query_scalar("SELECT number FROM orders WHERE id = $1")
            .bind(&order)
            .fetch_one(db.pool())
            .await
            .unwrap();

        app::marketing::newsletter_service::subscribe(db, &email, "test")
            .await
            .unwrap();
        let newsletter_key: String = sqlx::query_scalar(
            "SELECT key_id FROM newsletter_subscriptions WHERE email_index = $1",
        )
        .bind(db.vault().email_index(EMAIL))
        .fetch_one(db.pool())
        .await
        .unwrap();

        // An unpaid order waits: nothing is erased.
        match erase_customer(db, &user, ErasedBy::Themselves).await {
            Err(ErasureError::UnfinishedOrders(open)) => assert_eq!(open, vec![number]),
            other => panic!("{:?}: expected a refusal, got {other:?}", t.engine()),
        }
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            users::find_by_id(&mut conn, db.vault(), &user)
                .await
                .unwrap()
                .is_some()
        );
        drop(conn);

        // Once it is finished (here: cancelled), the account goes and the order stays.
        sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1")
            .bind(&order)
            .execute(db.pool())
            .await
            .unwrap();
        let erased = erase_customer(db, &user, ErasedBy::Themselves)
            .await
            .unwrap();
        assert_eq!(erased.orders, 1);
        assert!(erased.pseudonym.starts_with("C-"));
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            users::find_by_id(&mut conn, db.vault(), &user)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            users::find_by_email(&mut conn, db.vault(), EMAIL)
                .await
                .unwrap()
                .is_none()
        );
        let addresses: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1")
                .bind(&user)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(addresses, 0);
        // Listed with its totals under the pseudonym; its sealed fields no longer open.
        let listed = rows(&mut conn, db.vault(), &OrderFilter::default(), 10)
            .await
            .unwrap();
        let row = listed.iter().find(|r| r.id == order).expect("still listed");
        assert!(row.email.contains(&erased.pseudonym), "{:?}", row.email);
        assert!(row.total.minor > 0);
        let view = order_queries::view(&mut conn, db.vault(), &order, "Shop", None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(view.address.full_name, "", "the address is shredded");
        assert_eq!(view.total, row.total);
        let key_id: String = sqlx::query_scalar("SELECT key_id FROM orders WHERE id = $1")
            .bind(&order)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM data_keys WHERE id = $1")
            .bind(&key_id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(keys, 0, "the key is destroyed");
        let left: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM newsletter_subscriptions WHERE email_index = $1)
                  + (SELECT COUNT(*) FROM data_keys WHERE id = $2)",
        )
        .bind(db.vault().email_index(EMAIL))
        .bind(&newsletter_key)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(left, 0, "the subscription and its key are gone");
        // A search by the old address finds nothing any more.
        let by_email = rows(
            &mut conn,
            db.vault(),
            &OrderFilter {
                email: Some(EMAIL.into()),
                ..OrderFilter::default()
            },
            10,
        )
        .await
        .unwrap();
        assert!(by_email.is_empty());
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn the_hourly_clean_up_keeps_each_kind_of_data_for_its_retention_period_only() {
    use app::assembly::maintenance::enforce_retention;
    use app::assembly::testing::react;
    use app::audit::store::{Verdict, verify};
    use app::platform::audit_trail::{self, Who};
    use shop_types::Timestamp;
    use shop_types::retention::DataKind;
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let now = app::platform::clock::now().millis();
        let day = Timestamp::DAY;
        // Three audit entries; the first two get old.
        for n in 0..3 {
            let mut tx = db.begin_write().await.unwrap();
            audit_trail::record(
                &mut tx,
                &Who::system(),
                "test.step",
                &format!("step:{n}"),
                None,
                None,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        react(db).await;
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert!(audited >= 3);
        sqlx::query("UPDATE audit_log SET at = $1 WHERE seq <= 2")
            .bind(now - 800 * day)
            .execute(db.pool())
            .await
            .unwrap();
        // Old and new rows of the other kinds.
        for (sql, at) in [
            (
                "INSERT INTO mailbox (id, to_address, subject, text_body, html_body, created_at) VALUES ('old', '', '', '', '', $1)",
                now - 40 * day,
            ),
            (
                "INSERT INTO mailbox (id, to_address, subject, text_body, html_body, created_at) VALUES ('new', '', '', '', '', $1)",
                now - day,
            ),
            (
                "INSERT INTO analytics_events (id, kind, created_at) VALUES ('old', 'page_view', $1)",
                now - 400 * day,
            ),
            (
                "INSERT INTO analytics_events (id, kind, created_at) VALUES ('new', 'page_view', $1)",
                now - day,
            ),
        ] {
            sqlx::query(sql).bind(at).execute(db.pool()).await.unwrap();
        }
        // The mailbox is kept a week here (a setting), the rest by default.
        let mut tx = db.begin_write().await.unwrap();
        app::settings::settings_service::save_retention(
            &mut tx,
            &[(DataKind::Mailbox, "7".into())],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        sqlx::query("UPDATE mailbox SET created_at = $1 WHERE id = 'new'")
            .bind(now - 8 * day)
            .execute(db.pool())
            .await
            .unwrap();

        let removed = enforce_retention(db, now).await.unwrap();
        assert_eq!(removed, 2 + 2 + 1, "{:?}", t.engine());
        let left = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(db.pool())
                .await
                .unwrap()
        };
        assert_eq!(left("SELECT COUNT(*) FROM mailbox").await, 0);
        assert_eq!(left("SELECT COUNT(*) FROM analytics_events").await, 1);
        assert_eq!(left("SELECT COUNT(*) FROM audit_log").await, audited - 2);
        // What is left of the audit log still verifies, from the anchor.
        match verify(db).await.unwrap() {
            Verdict::Intact { rows, .. } => assert_eq!(rows, audited - 2),
            other => panic!("{:?}: {other:?}", t.engine()),
        }
        // A period outside its range is refused, and nothing is saved.
        let mut tx = db.begin_write().await.unwrap();
        let refused = app::settings::settings_service::save_retention(
            &mut tx,
            &[
                (DataKind::Mailbox, "3".into()),
                (DataKind::AuditLog, "30".into()),
            ],
        )
        .await;
        assert!(refused.is_err());
        drop(tx);
        let mut conn = db.pool().acquire().await.unwrap();
        let periods = app::store::queries::retention_periods(&mut conn)
            .await
            .unwrap();
        let mailbox = periods
            .iter()
            .find(|p| p.kind == DataKind::Mailbox)
            .unwrap();
        assert_eq!(mailbox.days, 7);
        drop(conn);
        // Nothing left to purge the next hour.
        assert_eq!(enforce_retention(db, now).await.unwrap(), 0);
        t.finish().await;
    }
}

#[tokio::test]
async fn newsletter_and_consent_rows_written_before_sealing_are_sealed_at_start_up() {
    use app::marketing::newsletter_service::is_subscribed;
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        // As an older version wrote them: the address in the clear.
        let store: String = sqlx::query_scalar("SELECT id FROM stores LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO newsletter_subscriptions (id, store_id, email, source, consented_at)
             VALUES ('old-sub', $1, $2, 'storefront_footer', 1)",
        )
        .bind(&store)
        .bind(EMAIL)
        .execute(db.pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO consent_records (id, email, purpose, given, wording, source, at)
             VALUES ('old-consent', $1, 'newsletter', 1, 'v1', 'storefront_footer', 1)",
        )
        .bind(EMAIL)
        .execute(db.pool())
        .await
        .unwrap();

        let sealed = app::assembly::sealing::seal_written_before(db)
            .await
            .unwrap();
        assert_eq!(sealed, 2, "{:?}", t.engine());
        assert_eq!(
            app::assembly::sealing::seal_written_before(db)
                .await
                .unwrap(),
            0,
            "nothing is left for the next start"
        );
        let email = Email::parse(EMAIL).unwrap();
        assert!(is_subscribed(db, &email).await.unwrap());
        let mut conn = db.pool().acquire().await.unwrap();
        let records = app::privacy::consents::of_person(&mut conn, db.vault(), "nobody", EMAIL)
            .await
            .unwrap();
        assert_eq!(records.len(), 1);
        let stored: String =
            sqlx::query_scalar("SELECT email FROM newsletter_subscriptions WHERE id = 'old-sub'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert!(!stored.contains("zebulon"), "{stored}");
        let clear: Option<String> =
            sqlx::query_scalar("SELECT email FROM consent_records WHERE id = 'old-consent'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(clear, None);
        drop(conn);
        t.finish().await;
    }
}
