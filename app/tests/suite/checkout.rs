//! Checkout and orders on every configured engine: prices from the server, stock that is
//! never oversold, coupon limits under concurrency, idempotent placement, card payments with
//! the test provider, timeouts, status changes, refunds and webhooks.

use app::assembly::testing::{TestDb, ready_cart, shop_with_products, variant_with_stock};
use app::checkout::checkout_service;
use app::checkout::placement::{self, PlaceError, PlaceRequest, Placement};
use app::coupons::rules::CouponError;
use app::orders::lifecycle::{self, OrderMail, PaidOutcome, Shipment};
use app::orders::status_rules::Actor;
use app::payments::payment_service;
use app::payments::provider::{IntentStatus, PaymentProvider};
use app::payments::test_provider::TestProvider;
use app::payments::{CardProvider, Payments};
use app::platform::db::Db;
use shop_types::{OrderStatus, PaymentMethod};
use std::sync::Arc;

fn mail() -> OrderMail {
    OrderMail {
        public_url: "http://shop.test".into(),
        bank_details: Some("IBAN TEST".into()),
    }
}

fn payments(db: &Db) -> Payments {
    Payments {
        db: db.clone(),
        provider: CardProvider::Test(TestProvider::new(db.clone(), "http://shop.test")),
        mail: mail(),
    }
}

fn key(n: impl std::fmt::Display) -> String {
    format!("test-key-{n:0>12}")
}

async fn place(
    db: &Db,
    cart: &str,
    key: &str,
    method: PaymentMethod,
) -> Result<Placement, PlaceError> {
    placement::place(
        db,
        &PlaceRequest {
            cart_id: cart.to_owned(),
            user_id: None,
            idempotency_key: key.to_owned(),
            method,
            manual_window_days: 14,
            client: None,
            device: None,
        },
    )
    .await
}

/// Places every cart's order at once (one task each); the outcomes in cart order.
async fn place_all(
    db: &Db,
    carts: Vec<String>,
    key_prefix: &str,
    method: PaymentMethod,
) -> Vec<Result<Placement, PlaceError>> {
    let db = Arc::new(db.clone());
    let tasks: Vec<_> = carts
        .into_iter()
        .enumerate()
        .map(|(i, cart)| {
            let (db, key) = (db.clone(), key(format!("{key_prefix}{i}")));
            tokio::spawn(async move { place(&db, &cart, &key, method).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

async fn scalar(db: &Db, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

async fn status(db: &Db, order: &str) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn add_coupon(
    db: &Db,
    code: &str,
    kind: &str,
    value: i64,
    limit: Option<i64>,
    ends_at: Option<i64>,
) {
    sqlx::query(
        "INSERT INTO coupons (id, code, kind, value, usage_limit, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0)",
    )
    .bind(app::platform::ids::new_id().to_string())
    .bind(code)
    .bind(kind)
    .bind(value)
    .bind(limit)
    .bind(ends_at)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn set_price(db: &Db, variant: &str, minor: i64, grams: i64) {
    sqlx::query("UPDATE variants SET price_minor = $1, weight_grams = $2 WHERE id = $3")
        .bind(minor)
        .bind(grams)
        .bind(variant)
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn prices_shipping_tax_and_coupons_are_computed_on_the_server() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 5).await;
        let v = variant_with_stock(db, "SKU-000001-01", 50).await;
        set_price(db, &v, 2000, 1500).await;
        let cart = ready_cart(db, "guest-prices", &v, 2).await;
        let mut conn = db.pool().acquire().await.unwrap();

        // Germany: VAT 19 % included; standard shipping 4.95 (free from 50.00).
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        assert!(p.ready(), "{:?}", p.missing);
        assert_eq!(p.totals.subtotal, 4000);
        assert_eq!(p.totals.shipping, 495);
        assert_eq!(p.totals.total, 4495);
        assert_eq!(p.totals.tax, 718, "19 % of 44.95 included is 7.18");

        // A 10 % coupon; then the goods pass the free-shipping threshold.
        add_coupon(db, "TENOFF", "percent", 10, None, None).await;
        checkout_service::save_coupon(&mut conn, &cart, Some("TENOFF"))
            .await
            .unwrap();
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        assert_eq!(p.totals.discount, 400);
        assert_eq!(p.totals.total, 3600 + 495);
        app::cart::cart_service::set_quantity(&mut conn, &cart, &v, 3)
            .await
            .unwrap();
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        assert_eq!(
            p.totals.shipping, 0,
            "5400 after discount is over the 50.00 threshold"
        );

        // France: by weight, 8.95 + 1.50 per started kg (3 × 1.5 kg = 4.5 kg → 5 kg).
        let mut address = app::assembly::testing::test_address();
        address.country = "FR".into();
        address.postal_code = "75001".into();
        let email = shop_types::Email::parse("a@example.com").unwrap();
        checkout_service::save_details(
            &mut conn,
            t.db.vault(),
            &cart,
            &email,
            &address.clone().validate().unwrap(),
            None,
        )
        .await
        .unwrap();
        checkout_service::save_coupon(&mut conn, &cart, None)
            .await
            .unwrap();
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        let standard = p
            .options
            .iter()
            .find(|(r, _)| r.name == "Standard")
            .unwrap();
        assert_eq!(standard.1, 895 + 5 * 150);
        assert!(p.rate.is_none(), "the German rate is not offered in France");
        assert!(!p.ready());
        assert_eq!(p.tax_rate_bp, 2000);

        // California: the region's rate; prices shown without tax add it on top.
        sqlx::query("UPDATE stores SET prices_include_tax = 0")
            .execute(db.pool())
            .await
            .unwrap();
        address.country = "US".into();
        address.region = "CA".into();
        address.postal_code = "94103".into();
        checkout_service::save_details(
            &mut conn,
            t.db.vault(),
            &cart,
            &email,
            &address.clone().validate().unwrap(),
            None,
        )
        .await
        .unwrap();
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        assert_eq!(p.tax_rate_bp, 725);
        let (rule, price) = p.options[0].clone();
        checkout_service::save_shipping(&mut conn, &cart, &rule.id)
            .await
            .unwrap();
        let p = checkout_service::price(&mut conn, t.db.vault(), &cart, None)
            .await
            .unwrap();
        let base = 6000 + price;
        assert_eq!(p.totals.tax, (base * 725 + 5000) / 10000);
        assert_eq!(p.totals.total, base + p.totals.tax);
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn the_last_units_are_sold_once_under_contention() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        shop_with_products(&db, 3).await;
        let v = variant_with_stock(&db, "SKU-000001-01", 100).await;
        let mut carts = Vec::new();
        for i in 0..100 {
            carts.push(ready_cart(&db, &format!("buyer-{i}"), &v, 1).await);
        }
        // Only ten left when the buyers press "Place order" together.
        sqlx::query("UPDATE variants SET stock = 10 WHERE id = $1")
            .bind(&v)
            .execute(db.pool())
            .await
            .unwrap();
        let mut placed = 0;
        let mut sold_out = 0;
        for outcome in place_all(&db, carts, "", PaymentMethod::BankTransfer).await {
            match outcome {
                Ok(_) => placed += 1,
                Err(PlaceError::OutOfStock { .. }) => sold_out += 1,
                Err(e) => panic!("unexpected: {e:?}"),
            }
        }
        assert_eq!((placed, sold_out), (10, 90), "{:?}", t.engine());
        assert_eq!(
            scalar(&db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            0
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM orders").await, 10);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM stock_movements WHERE reason = 'order'"
            )
            .await,
            10
        );
        app::assembly::testing::react(&db).await;
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await,
            10,
            "one confirmation per order, none for refused ones"
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_single_use_coupon_is_redeemed_once_under_contention() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        shop_with_products(&db, 3).await;
        let v = variant_with_stock(&db, "SKU-000001-01", 500).await;
        add_coupon(&db, "ONCE", "fixed", 500, Some(1), None).await;
        let mut carts = Vec::new();
        for i in 0..20 {
            let cart = ready_cart(&db, &format!("coupon-{i}"), &v, 1).await;
            let mut conn = db.pool().acquire().await.unwrap();
            checkout_service::save_coupon(&mut conn, &cart, Some("ONCE"))
                .await
                .unwrap();
            carts.push(cart);
        }
        let mut ok = 0;
        for outcome in place_all(&db, carts, "", PaymentMethod::CashOnDelivery).await {
            match outcome {
                Ok(_) => ok += 1,
                Err(PlaceError::Coupon(CouponError::UsedUp)) => {}
                Err(e) => panic!("unexpected: {e:?}"),
            }
        }
        assert_eq!(ok, 1, "{:?}", t.engine());
        assert_eq!(
            count(&db, "SELECT times_used FROM coupons WHERE code = 'ONCE'").await,
            1
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM orders").await, 1);
        assert_eq!(
            scalar(&db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            499,
            "refused orders took no stock"
        );

        // Once per customer: one shopper's e-mail in ten carts at once.
        sqlx::query(
            "INSERT INTO coupons (id, code, kind, value, per_customer_limit, created_at) VALUES ('pc', 'ONEEACH', 'percent', 10, 1, 0)",
        )
        .execute(db.pool())
        .await
        .unwrap();
        let same = shop_types::Email::parse("same@example.com").unwrap();
        let address = app::assembly::testing::test_address().validate().unwrap();
        let mut carts = Vec::new();
        for i in 0..10 {
            let cart = ready_cart(&db, &format!("same-{i}"), &v, 1).await;
            let mut conn = db.pool().acquire().await.unwrap();
            checkout_service::save_details(&mut conn, t.db.vault(), &cart, &same, &address, None)
                .await
                .unwrap();
            checkout_service::save_coupon(&mut conn, &cart, Some("ONEEACH"))
                .await
                .unwrap();
            carts.push(cart);
        }
        let mut ok = 0;
        for outcome in place_all(&db, carts, "same", PaymentMethod::CashOnDelivery).await {
            match outcome {
                Ok(_) => ok += 1,
                Err(PlaceError::Coupon(CouponError::UsedByYou)) => {}
                Err(e) => panic!("unexpected: {e:?}"),
            }
        }
        assert_eq!(ok, 1, "once per customer, {:?}", t.engine());
        t.finish().await;
    }
}

#[tokio::test]
async fn the_same_key_returns_the_same_order_and_a_changed_cart_is_refused() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let v = variant_with_stock(db, "SKU-000001-01", 10).await;
        let w = variant_with_stock(db, "SKU-000002-01", 10).await;
        let cart = ready_cart(db, "idem", &v, 2).await;
        let first = place(db, &cart, &key("a"), PaymentMethod::Card)
            .await
            .unwrap();
        assert!(first.created);
        let again = place(db, &cart, &key("a"), PaymentMethod::Card)
            .await
            .unwrap();
        assert_eq!(again.order_id, first.order_id);
        assert!(!again.created);
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            8,
            "taken once"
        );

        let mut conn = db.pool().acquire().await.unwrap();
        app::cart::cart_service::add(&mut conn, &cart, &w, shop_types::Quantity::new(1).unwrap())
            .await
            .unwrap();
        drop(conn);
        assert!(matches!(
            place(db, &cart, &key("a"), PaymentMethod::Card).await,
            Err(PlaceError::KeyReused)
        ));
        // A new key places a new order and replaces the unpaid one from the same cart.
        let second = place(db, &cart, &key("b"), PaymentMethod::Card)
            .await
            .unwrap();
        assert_ne!(second.order_id, first.order_id);
        assert_eq!(status(db, &first.order_id).await, "cancelled");
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            8,
            "the first order's units came back"
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM orders").await, 2);
        assert!(matches!(
            place(db, &cart, "short", PaymentMethod::Card).await,
            Err(PlaceError::BadKey)
        ));
        t.finish().await;
    }
}

#[tokio::test]
async fn tampered_or_unready_checkouts_place_nothing_and_keep_stock() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let v = variant_with_stock(db, "SKU-000001-01", 5).await;
        let cart = ready_cart(db, "tamper", &v, 2).await;

        // An expired coupon.
        add_coupon(db, "OLD", "percent", 50, None, Some(1)).await;
        let mut conn = db.pool().acquire().await.unwrap();
        checkout_service::save_coupon(&mut conn, &cart, Some("OLD"))
            .await
            .unwrap();
        drop(conn);
        assert!(matches!(
            place(db, &cart, &key(1), PaymentMethod::Card).await,
            Err(PlaceError::Coupon(CouponError::Expired))
        ));
        let mut conn = db.pool().acquire().await.unwrap();
        checkout_service::save_coupon(&mut conn, &cart, None)
            .await
            .unwrap();
        drop(conn);

        // Stock fell below the cart's quantity after it was added.
        sqlx::query("UPDATE variants SET stock = 1 WHERE id = $1")
            .bind(&v)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(matches!(
            place(db, &cart, &key(2), PaymentMethod::Card).await,
            Err(PlaceError::NotReady(_))
        ));

        // The product was withdrawn.
        sqlx::query("UPDATE variants SET stock = 5 WHERE id = $1")
            .bind(&v)
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE products SET status = 'archived' WHERE id = (SELECT product_id FROM variants WHERE id = $1)")
            .bind(&v)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(matches!(
            place(db, &cart, &key(3), PaymentMethod::Card).await,
            Err(PlaceError::NotReady(_))
        ));

        // An empty cart and a cart that does not exist.
        assert!(matches!(
            place(db, "no-such-cart", &key(4), PaymentMethod::Card).await,
            Err(PlaceError::NotReady(_))
        ));

        assert_eq!(count(db, "SELECT COUNT(*) FROM orders").await, 0);
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            5
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM stock_movements WHERE reason = 'order'"
            )
            .await,
            0
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn test_cards_pay_decline_and_authenticate_and_paid_orders_get_invoices() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let p = payments(db);
        let v = variant_with_stock(db, "SKU-000001-01", 10).await;
        let CardProvider::Test(provider) = &p.provider else {
            unreachable!()
        };

        let sold_before =
            scalar(db, "SELECT sold_count FROM products WHERE id = (SELECT product_id FROM variants WHERE id = $1)", &v).await;
        // Declined first: the reason is kept, the order waits, the cart stays.
        let cart = ready_cart(db, "payer", &v, 1).await;
        let order = place(db, &cart, &key("pay"), PaymentMethod::Card)
            .await
            .unwrap();
        let pay_url = payment_service::start(&p, &order.order_id)
            .await
            .unwrap()
            .unwrap();
        assert!(
            pay_url.starts_with("http://shop.test/testpay/pi_"),
            "{pay_url}"
        );
        let intent: String =
            sqlx::query_scalar("SELECT intent_id FROM payments WHERE order_id = $1")
                .bind(&order.order_id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let declined = provider
            .confirm_intent(&intent, "pm_card_visa_chargeDeclinedInsufficientFunds", "")
            .await
            .unwrap();
        assert_eq!(declined.status, IntentStatus::RequiresPaymentMethod);
        payment_service::refresh(&p, &order.order_id).await.unwrap();
        assert_eq!(status(db, &order.order_id).await, "awaiting_payment");
        let error: Option<String> =
            sqlx::query_scalar("SELECT last_error FROM payments WHERE order_id = $1")
                .bind(&order.order_id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(error.as_deref(), Some("Your card has insufficient funds."));
        assert_eq!(
            scalar(
                db,
                "SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1",
                &cart
            )
            .await,
            1
        );

        // Then a card that asks for authentication, completed.
        let action = provider
            .confirm_intent(&intent, "pm_card_authenticationRequired", "")
            .await
            .unwrap();
        assert_eq!(action.status, IntentStatus::RequiresAction);
        assert!(action.pay_url.unwrap().contains("/authenticate"));
        provider.authenticate(&intent, true).await.unwrap();
        payment_service::refresh(&p, &order.order_id).await.unwrap();
        assert_eq!(status(db, &order.order_id).await, "paid");
        assert_eq!(
            scalar(
                db,
                "SELECT invoice_number FROM orders WHERE id = $1",
                &order.order_id
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                db,
                "SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1",
                &cart
            )
            .await,
            0,
            "paid units leave the cart"
        );
        assert_eq!(
            scalar(db, "SELECT sold_count FROM products WHERE id = (SELECT product_id FROM variants WHERE id = $1)", &v).await,
            sold_before + 1
        );
        let events = scalar(
            db,
            "SELECT COUNT(*) FROM order_events WHERE order_id = $1",
            &order.order_id,
        )
        .await;
        assert_eq!(events, 2, "placed, paid");

        // A second paid order (bank transfer, marked paid by staff) gets the next number.
        let cart2 = ready_cart(db, "payer2", &v, 1).await;
        let bank = place(db, &cart2, &key("bank"), PaymentMethod::BankTransfer)
            .await
            .unwrap();
        let outcome = lifecycle::mark_paid(
            db,
            &bank.order_id,
            &Actor::Staff(app::platform::audit_trail::Who::of("s", "s@example.com")),
        )
        .await
        .unwrap();
        assert_eq!(outcome, PaidOutcome::Paid);
        assert_eq!(
            scalar(
                db,
                "SELECT invoice_number FROM orders WHERE id = $1",
                &bank.order_id
            )
            .await,
            2
        );
        assert_eq!(
            lifecycle::mark_paid(
                db,
                &bank.order_id,
                &Actor::Staff(app::platform::audit_trail::Who::of("s", "s@example.com"))
            )
            .await
            .unwrap(),
            PaidOutcome::AlreadyPaid
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn an_unpaid_bank_transfer_expires_after_its_days_and_gives_back_its_stock() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let p = payments(db);
        let v = variant_with_stock(db, "SKU-000001-01", 1).await;
        let cart = ready_cart(db, "transfer", &v, 1).await;
        let order = placement::place(
            db,
            &PlaceRequest {
                cart_id: cart.clone(),
                user_id: None,
                idempotency_key: key("transfer"),
                method: PaymentMethod::BankTransfer,
                manual_window_days: 3,
                client: None,
                device: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            0
        );
        // The wait is queued with the order: due in three days, not before.
        let (run_at, created): (i64, i64) = sqlx::query_as(
            "SELECT j.run_at, o.created_at FROM jobs j, orders o
             WHERE j.kind = 'orders.expire_unpaid' AND o.id = $1",
        )
        .bind(&order.order_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(run_at - created, 3 * shop_types::Timestamp::DAY);
        assert!(
            !payment_service::expire(&p, &order.order_id).await.unwrap(),
            "too early: the order stands"
        );
        assert_eq!(status(db, &order.order_id).await, "awaiting_payment");

        // Three days later nothing came: cancelled, the unit is for sale again, the shopper told.
        sqlx::query(
            "UPDATE orders SET created_at = created_at - $1, pay_by = pay_by - $1 WHERE id = $2",
        )
        .bind(3 * shop_types::Timestamp::DAY + 1)
        .bind(&order.order_id)
        .execute(db.pool())
        .await
        .unwrap();
        app::assembly::testing::react(db).await;
        let mails = count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await;
        assert!(payment_service::expire(&p, &order.order_id).await.unwrap());
        assert_eq!(status(db, &order.order_id).await, "cancelled");
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            1
        );
        app::assembly::testing::react(db).await;
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await,
            mails + 1
        );
        let text = app::assembly::testing::queued_mails(db)
            .await
            .remove(0)
            .text;
        assert!(text.contains("not paid within 3 days"), "{text}");

        // A paid transfer is never cancelled by its old job.
        let cart = ready_cart(db, "transfer-paid", &v, 1).await;
        let paid = place(
            db,
            &cart,
            &key("transfer-paid"),
            PaymentMethod::BankTransfer,
        )
        .await
        .unwrap();
        lifecycle::mark_paid(
            db,
            &paid.order_id,
            &Actor::Staff(app::platform::audit_trail::Who::of("s", "s@example.com")),
        )
        .await
        .unwrap();
        assert!(!payment_service::expire(&p, &paid.order_id).await.unwrap());
        assert_eq!(status(db, &paid.order_id).await, "paid");
        t.finish().await;
    }
}

/// The in-process test provider reads its own tables, so with a pool of one connection any
/// connection held across a provider call would wait for itself.
#[tokio::test]
async fn paying_holds_no_database_connection_while_the_provider_answers() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let v = variant_with_stock(db, "SKU-000001-01", 5).await;
        let cart = ready_cart(db, "pool", &v, 1).await;
        let order = place(db, &cart, &key("pool"), PaymentMethod::Card)
            .await
            .unwrap();
        let single = Db::connect(&t.url(), 1).await.unwrap();
        single
            .unlock(app::assembly::testing::test_ring())
            .await
            .unwrap();
        let p = payments(&single);
        let limit = std::time::Duration::from_secs(20);
        let first = tokio::time::timeout(limit, payment_service::start(&p, &order.order_id))
            .await
            .expect("start finished")
            .unwrap();
        assert!(first.is_some());
        let again = tokio::time::timeout(limit, payment_service::start(&p, &order.order_id))
            .await
            .expect("start with an open payment finished")
            .unwrap();
        assert_eq!(again, first, "the same payment page");
        // A repeated "Place order" finds the order without waiting for itself either.
        let repeat = tokio::time::timeout(
            limit,
            placement::place(
                &single,
                &PlaceRequest {
                    cart_id: cart.clone(),
                    user_id: None,
                    idempotency_key: key("pool"),
                    method: PaymentMethod::Card,
                    manual_window_days: 14,
                    client: None,
                    device: None,
                },
            ),
        )
        .await
        .expect("repeat finished")
        .unwrap();
        assert_eq!(repeat.order_id, order.order_id);
        single.close().await;
        t.finish().await;
    }
}

#[tokio::test]
async fn an_unpaid_card_order_expires_and_gives_back_stock_and_coupon() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let p = payments(db);
        let v = variant_with_stock(db, "SKU-000001-01", 1).await;
        add_coupon(db, "LIMITED", "fixed", 100, Some(1), None).await;
        let cart = ready_cart(db, "slow", &v, 1).await;
        let mut conn = db.pool().acquire().await.unwrap();
        checkout_service::save_coupon(&mut conn, &cart, Some("LIMITED"))
            .await
            .unwrap();
        drop(conn);
        let order = place(db, &cart, &key("slow"), PaymentMethod::Card)
            .await
            .unwrap();
        assert!(order.sold_out_something, "the last unit went");
        assert_eq!(
            count(db, "SELECT times_used FROM coupons WHERE code = 'LIMITED'").await,
            1
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'orders.expire_unpaid'"
            )
            .await,
            1
        );
        payment_service::start(&p, &order.order_id).await.unwrap();

        app::assembly::testing::react(db).await;
        let mails = count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await;
        assert!(payment_service::expire(&p, &order.order_id).await.unwrap());
        assert_eq!(status(db, &order.order_id).await, "cancelled");
        app::assembly::testing::react(db).await;
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await,
            mails + 1,
            "the shopper is told"
        );
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            1
        );
        assert_eq!(
            count(db, "SELECT times_used FROM coupons WHERE code = 'LIMITED'").await,
            0
        );
        let intent_status: String = sqlx::query_scalar("SELECT status FROM testpay_intents")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(
            intent_status, "canceled",
            "the payment cannot be completed afterwards"
        );
        // Expiring twice changes nothing.
        assert!(!payment_service::expire(&p, &order.order_id).await.unwrap());
        assert_eq!(
            scalar(db, "SELECT stock FROM variants WHERE id = $1", &v).await,
            1
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn status_changes_are_checked_recorded_and_mailed_and_refunds_go_through_the_provider() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let p = payments(db);
        let v = variant_with_stock(db, "SKU-000001-01", 10).await;
        let cart = ready_cart(db, "life", &v, 2).await;
        let order = place(db, &cart, &key("life"), PaymentMethod::Card)
            .await
            .unwrap();
        let id = order.order_id.clone();
        let staff = Actor::Staff(app::platform::audit_trail::Who::of(
            "staff-1",
            "staff-1@example.com",
        ));

        // Not before it is paid.
        let shipped = lifecycle::transition(db, &id, OrderStatus::Shipped, &staff, None, "").await;
        assert!(matches!(
            shipped,
            Err(lifecycle::OrderError::NotAllowed { .. })
        ));
        payment_service::start(&p, &id).await.unwrap();
        let intent: String =
            sqlx::query_scalar("SELECT intent_id FROM payments WHERE order_id = $1")
                .bind(&id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        p.provider
            .confirm_intent(&intent, "pm_card_visa", "")
            .await
            .unwrap();
        payment_service::refresh(&p, &id).await.unwrap();
        app::assembly::testing::react(db).await;
        let mails_before = count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await;

        // Customers may not pack; staff may. Shipping needs a tracking number.
        assert!(
            lifecycle::transition(db, &id, OrderStatus::Fulfilled, &Actor::Customer, None, "")
                .await
                .is_err()
        );
        lifecycle::transition(db, &id, OrderStatus::Fulfilled, &staff, None, "")
            .await
            .unwrap();
        let no_tracking =
            lifecycle::transition(db, &id, OrderStatus::Shipped, &staff, None, "").await;
        assert!(matches!(
            no_tracking,
            Err(lifecycle::OrderError::MissingTracking)
        ));
        let shipment = Shipment {
            carrier: "DHL".into(),
            tracking_number: "JJD0001".into(),
        };
        lifecycle::transition(db, &id, OrderStatus::Shipped, &staff, Some(shipment), "")
            .await
            .unwrap();
        lifecycle::transition(db, &id, OrderStatus::Delivered, &staff, None, "")
            .await
            .unwrap();
        lifecycle::transition(
            db,
            &id,
            OrderStatus::ReturnRequested,
            &Actor::Customer,
            None,
            "Too small",
        )
        .await
        .unwrap();
        app::assembly::testing::react(db).await;
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'email.send'").await - mails_before,
            4,
            "each change mailed"
        );
        let history: Vec<(Option<String>, String, String)> =
            sqlx::query_as("SELECT from_status, to_status, actor FROM order_events WHERE order_id = $1 ORDER BY created_at, id")
                .bind(&id)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(history.len(), 6);
        assert!(
            history
                .iter()
                .any(|(f, to, who)| f.as_deref() == Some("fulfilled")
                    && to == "shipped"
                    && who == "staff:staff-1")
        );

        // While a return is only requested the order may not be refunded: refused before the
        // provider is asked, so no money leaves without a record.
        assert!(matches!(
            payment_service::refund(&p, &id, 500, "too early", &staff).await,
            Err(lifecycle::OrderError::NotAllowed { .. })
        ));
        let early: i64 =
            sqlx::query_scalar("SELECT amount_refunded FROM testpay_intents WHERE id = $1")
                .bind(&intent)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(early, 0, "the provider refunded nothing");

        // Refund part, then the rest, through the provider; never more than was paid.
        lifecycle::transition(db, &id, OrderStatus::ReturnApproved, &staff, None, "")
            .await
            .unwrap();
        lifecycle::transition(db, &id, OrderStatus::ReturnReceived, &staff, None, "")
            .await
            .unwrap();
        let total = scalar(db, "SELECT total_minor FROM orders WHERE id = $1", &id).await;
        assert_eq!(
            payment_service::refund(&p, &id, 500, "damaged box", &staff)
                .await
                .unwrap(),
            OrderStatus::PartlyRefunded
        );
        assert!(
            payment_service::refund(&p, &id, total, "too much", &staff)
                .await
                .is_err()
        );
        assert_eq!(
            payment_service::refund(&p, &id, total - 500, "", &staff)
                .await
                .unwrap(),
            OrderStatus::Refunded
        );
        let refunded: i64 =
            sqlx::query_scalar("SELECT amount_refunded FROM testpay_intents WHERE id = $1")
                .bind(&intent)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(refunded, total);
        assert!(
            lifecycle::transition(db, &id, OrderStatus::Shipped, &staff, None, "")
                .await
                .is_err(),
            "final"
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn webhooks_are_verified_and_applied_once() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 3).await;
        let p = payments(db);
        let v = variant_with_stock(db, "SKU-000001-01", 10).await;
        let cart = ready_cart(db, "hook", &v, 1).await;
        let order = place(db, &cart, &key("hook"), PaymentMethod::Card)
            .await
            .unwrap();
        payment_service::start(&p, &order.order_id).await.unwrap();
        let intent: String =
            sqlx::query_scalar("SELECT intent_id FROM payments WHERE order_id = $1")
                .bind(&order.order_id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        p.provider
            .confirm_intent(&intent, "pm_card_visa", "")
            .await
            .unwrap();
        // The provider queued its webhook; deliver it by hand, twice.
        let body: String =
            sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'payments.testpay_webhook'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        let body = body["body"].as_str().unwrap().to_owned();
        let CardProvider::Test(provider) = &p.provider else {
            unreachable!()
        };
        let secret = provider.webhook_secret().await.unwrap();
        let now = app::platform::clock::now().millis() / 1000;
        let header = app::payments::signatures::sign(&secret, now, body.as_bytes());

        let forged = app::payments::signatures::sign("not-the-secret", now, body.as_bytes());
        assert!(
            payment_service::receive_webhook(&p, "test", Some(&forged), body.as_bytes())
                .await
                .is_err()
        );
        let old = app::payments::signatures::sign(&secret, now - 3600, body.as_bytes());
        assert!(
            payment_service::receive_webhook(&p, "test", Some(&old), body.as_bytes())
                .await
                .is_err()
        );
        assert_eq!(
            status(db, &order.order_id).await,
            "awaiting_payment",
            "refused webhooks change nothing"
        );

        assert!(
            payment_service::receive_webhook(&p, "test", Some(&header), body.as_bytes())
                .await
                .unwrap()
        );
        assert_eq!(status(db, &order.order_id).await, "paid");
        assert!(
            !payment_service::receive_webhook(&p, "test", Some(&header), body.as_bytes())
                .await
                .unwrap(),
            "a repeat is not applied"
        );
        assert!(
            payment_service::receive_webhook(&p, "stripe", Some(&header), body.as_bytes())
                .await
                .is_err()
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM order_events WHERE to_status = 'paid'"
            )
            .await,
            1
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_shop_renamed_in_settings_signs_the_next_order_mail_with_its_new_name() {
    use app::settings::settings_service::{StoreForm, save_store};
    for t in TestDb::all().await {
        let db = t.db.clone();
        shop_with_products(&db, 1).await;
        let old_name: String = sqlx::query_scalar("SELECT name FROM stores")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        save_store(
            &mut conn,
            &StoreForm {
                name: "Corner Shop Renamed".into(),
                support_email: String::new(),
                contact_phone: String::new(),
                contact_address: String::new(),
                currency: "EUR".into(),
                prices_include_tax: true,
                low_stock_threshold: "5".into(),
            },
        )
        .await
        .unwrap();
        drop(conn);
        let v = variant_with_stock(&db, "SKU-000001-01", 5).await;
        let cart = ready_cart(&db, "renamed-buyer", &v, 1).await;
        place(&db, &cart, &key("renamed"), PaymentMethod::BankTransfer)
            .await
            .unwrap();
        app::assembly::testing::react(&db).await;
        let mail =
            serde_json::to_string(&app::assembly::testing::queued_mails(&db).await.remove(0))
                .unwrap();
        assert!(
            mail.contains("Corner Shop Renamed"),
            "{:?}: {mail}",
            t.engine()
        );
        assert!(!mail.contains(&old_name), "{:?}: {mail}", t.engine());
        t.finish().await;
    }
}

#[tokio::test]
async fn the_order_link_secret_is_read_once_and_kept() {
    for t in TestDb::all().await {
        let db = &t.db;
        let first = app::orders::links::link_key(db, "order-1").await.unwrap();
        // Changed behind the process's back: the kept secret is used, not read again per link.
        sqlx::query("UPDATE app_meta SET value = 'changed' WHERE key = 'order_link_secret'")
            .execute(db.pool())
            .await
            .unwrap();
        assert_eq!(
            app::orders::links::link_key(db, "order-1").await.unwrap(),
            first,
            "{:?}",
            t.engine()
        );
        assert_ne!(
            app::orders::links::link_key(db, "order-2").await.unwrap(),
            first,
            "each order has its own key"
        );
        t.finish().await;
    }
}
