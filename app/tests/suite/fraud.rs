//! Fraud scoring on every engine: orders are scored as they are placed, with reasons; held
//! orders cannot be packed until staff approve them; rejected ones give stock and money back;
//! scores at the cancel threshold cancel at once; the table keeps no e-mail or address.

use app::assembly::testing::{TestDb, react, shop_with_products, test_address, variant_with_stock};
use app::cart::cart_service::{self, Owner};
use app::checkout::checkout_service;
use app::checkout::placement::{self, PlaceRequest, Placement};
use app::fraud::{review, risk_store};
use app::orders::fulfilment::{Parcel, ParcelLine, fulfil};
use app::orders::lifecycle::{self, OrderError};
use app::orders::status_rules::Actor;
use app::payments::{CardProvider, Payments, test_provider::TestProvider};
use app::platform::audit_trail::Who;
use app::platform::db::Db;
use shop_types::{
    AddressInput, Email, OrderStatus, PaymentMethod, Quantity, RiskDecision, RiskSignal,
};

fn staff() -> Who {
    Who::of("staff-1", "staff@example.com")
}

fn payments(db: &Db) -> Payments {
    Payments {
        db: db.clone(),
        provider: CardProvider::Test(TestProvider::new(db.clone(), "http://shop.test")),
        mail: app::assembly::testing::test_order_mail(),
    }
}

/// Places two of `variant` for `email`, paid by `method`.
async fn place(
    db: &Db,
    n: u32,
    variant: &str,
    email: &str,
    billing: Option<AddressInput>,
    device: Option<&str>,
    method: PaymentMethod,
) -> Placement {
    let mut conn = db.pool().acquire().await.unwrap();
    let cart = cart_service::find_or_create(&mut conn, Owner::Guest(&format!("risk-cart-{n}")))
        .await
        .unwrap();
    cart_service::add(&mut conn, &cart, variant, Quantity::new(2).unwrap())
        .await
        .unwrap();
    let billing = billing.map(|b| b.validate().unwrap());
    checkout_service::save_details(
        &mut conn,
        db.vault(),
        &cart,
        &Email::parse(email).unwrap(),
        &test_address().validate().unwrap(),
        billing.as_ref(),
    )
    .await
    .unwrap();
    let priced = checkout_service::price(&mut conn, db.vault(), &cart, None)
        .await
        .unwrap();
    let (rule, _) = priced.options.iter().min_by_key(|(_, p)| *p).unwrap();
    checkout_service::save_shipping(&mut conn, &cart, &rule.id)
        .await
        .unwrap();
    drop(conn);
    placement::place(
        db,
        &PlaceRequest {
            cart_id: cart,
            user_id: None,
            idempotency_key: format!("risk-test-key-{n:0>10}"),
            method,
            manual_window_days: 14,
            client: Some("198.51.100.0/64".into()),
            device: device.map(str::to_owned),
        },
    )
    .await
    .unwrap()
}

fn french() -> AddressInput {
    AddressInput {
        full_name: "Jean Dupont".into(),
        line1: "3 rue de la Paix".into(),
        postal_code: "75002".into(),
        city: "Paris".into(),
        country: "FR".into(),
        ..AddressInput::default()
    }
}

async fn held(db: &Db, order: &str) -> bool {
    let held: i64 = sqlx::query_scalar("SELECT held FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(db.pool())
        .await
        .unwrap();
    held == 1
}

async fn stock(db: &Db, variant: &str) -> i64 {
    sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

fn one_parcel() -> Parcel {
    Parcel {
        lines: vec![ParcelLine {
            position: 0,
            quantity: 2,
        }],
        ..Parcel::default()
    }
}

#[tokio::test]
async fn a_throwaway_address_billed_abroad_is_held_until_staff_approve_it() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 2).await;
        let sku = app::assembly::testing::first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 20).await;

        // An ordinary order passes with no reasons.
        let fine = place(
            db,
            1,
            &variant,
            "erika@example.com",
            None,
            None,
            PaymentMethod::BankTransfer,
        )
        .await;
        let risk = {
            let mut conn = db.pool().acquire().await.unwrap();
            risk_store::of_order(&mut conn, &fine.order_id)
                .await
                .unwrap()
                .unwrap()
        };
        assert_eq!((risk.score, risk.decision), (0, RiskDecision::Accept));
        assert!(!held(db, &fine.order_id).await);

        let risky = place(
            db,
            2,
            &variant,
            "quick@mailinator.com",
            Some(french()),
            None,
            PaymentMethod::BankTransfer,
        )
        .await;
        assert!(!risky.refused);
        let risk = {
            let mut conn = db.pool().acquire().await.unwrap();
            risk_store::of_order(&mut conn, &risky.order_id)
                .await
                .unwrap()
                .unwrap()
        };
        assert_eq!(risk.decision, RiskDecision::Review);
        assert_eq!(risk.score, 60);
        let signals: Vec<_> = risk.reasons.iter().map(|r| r.signal.clone()).collect();
        assert!(signals.contains(&RiskSignal::DisposableEmail {
            domain: "mailinator.com".into()
        }));
        assert!(signals.contains(&RiskSignal::CountryMismatch {
            billing: "FR".into(),
            delivery: "DE".into()
        }));
        assert!(held(db, &risky.order_id).await);
        // The billing address is kept on the order.
        let mut conn = db.pool().acquire().await.unwrap();
        let view =
            app::orders::order_queries::view(&mut conn, db.vault(), &risky.order_id, "Shop", None)
                .await
                .unwrap()
                .unwrap();
        drop(conn);
        assert!(view.billing.unwrap().line1.contains("rue de la Paix"));

        // Paid, but held: nothing is packed or shipped.
        lifecycle::mark_paid(db, &risky.order_id, &Actor::Staff(staff()))
            .await
            .unwrap();
        let refused = fulfil(db, &risky.order_id, &Actor::Staff(staff()), &one_parcel()).await;
        assert!(matches!(refused, Err(OrderError::OnHold)), "{refused:?}");
        let refused = lifecycle::transition(
            db,
            &risky.order_id,
            OrderStatus::Fulfilled,
            &Actor::Staff(staff()),
            None,
            "",
        )
        .await;
        assert!(matches!(refused, Err(OrderError::OnHold)), "{refused:?}");

        // The queue shows it with its reasons.
        let mut conn = db.pool().acquire().await.unwrap();
        let queue = review::queue(&mut conn, db.vault()).await.unwrap();
        drop(conn);
        assert_eq!(queue.waiting.len(), 1);
        assert_eq!(queue.waiting[0].order_id, risky.order_id);
        assert_eq!(queue.waiting[0].reasons.len(), 2);
        assert_eq!((queue.review_score, queue.cancel_score), (60, 90));

        review::approve(db, &risky.order_id, &staff())
            .await
            .unwrap();
        assert!(!held(db, &risky.order_id).await);
        // Decided once: a second decision finds nothing to decide.
        assert!(matches!(
            review::approve(db, &risky.order_id, &staff()).await,
            Err(OrderError::NotHeld)
        ));
        assert!(matches!(
            review::reject(db, &payments(db), &risky.order_id, &staff()).await,
            Err(OrderError::NotHeld)
        ));
        let status = fulfil(db, &risky.order_id, &Actor::Staff(staff()), &one_parcel())
            .await
            .unwrap();
        assert_eq!(status, OrderStatus::Fulfilled);

        react(db).await;
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'risk.order_approved' AND subject = $1",
        )
        .bind(format!("order:{}", risky.order_id))
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);
        let mut conn = db.pool().acquire().await.unwrap();
        let queue = review::queue(&mut conn, db.vault()).await.unwrap();
        assert!(queue.waiting.is_empty());
        assert_eq!(queue.decided[0].review.as_deref(), Some("approved"));
        assert_eq!(
            queue.decided[0].reviewed_by.as_deref(),
            None,
            "no such account"
        );
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn rejecting_a_held_order_gives_stock_and_money_back() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 2).await;
        let sku = app::assembly::testing::first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 20).await;
        let p = payments(db);

        // Unpaid: cancelled, stock back.
        let unpaid = place(
            db,
            1,
            &variant,
            "a@mailinator.com",
            Some(french()),
            None,
            PaymentMethod::BankTransfer,
        )
        .await;
        assert_eq!(stock(db, &variant).await, 18);
        review::reject(db, &p, &unpaid.order_id, &staff())
            .await
            .unwrap();
        let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(&unpaid.order_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(status, "cancelled");
        assert_eq!(stock(db, &variant).await, 20);

        // Paid: refunded in full, stock back.
        let paid = place(
            db,
            2,
            &variant,
            "b@mailinator.com",
            Some(french()),
            None,
            PaymentMethod::BankTransfer,
        )
        .await;
        lifecycle::mark_paid(db, &paid.order_id, &Actor::Staff(staff()))
            .await
            .unwrap();
        review::reject(db, &p, &paid.order_id, &staff())
            .await
            .unwrap();
        let (status, refunded, total): (String, i64, i64) =
            sqlx::query_as("SELECT status, refunded_minor, total_minor FROM orders WHERE id = $1")
                .bind(&paid.order_id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((status.as_str(), refunded), ("refunded", total));
        assert_eq!(stock(db, &variant).await, 20);
        assert!(!held(db, &paid.order_id).await);
        t.finish().await;
    }
}

#[tokio::test]
async fn a_score_at_the_cancel_threshold_cancels_at_once_and_the_table_names_nobody() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 2).await;
        let sku = app::assembly::testing::first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 20).await;
        let mut conn = db.pool().acquire().await.unwrap();
        // Refused: out of range, or cancelling below the review score.
        for (review, cancel) in [
            ("0", "90"),
            ("101", "101"),
            ("60", "59"),
            ("x", "90"),
            ("60", "102"),
        ] {
            assert!(
                app::settings::settings_service::save_risk_scores(&mut conn, review, cancel)
                    .await
                    .is_err(),
                "{review}/{cancel}"
            );
        }
        app::settings::settings_service::save_risk_scores(&mut conn, "30", "50")
            .await
            .unwrap();
        drop(conn);

        let placed = place(
            db,
            1,
            &variant,
            "c@mailinator.com",
            Some(french()),
            None,
            PaymentMethod::BankTransfer,
        )
        .await;
        assert!(placed.refused);
        let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(&placed.order_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(status, "cancelled");
        assert_eq!(stock(db, &variant).await, 20, "the stock came back");
        // Nothing was confirmed, so no confirmation mail is on its way.
        let confirmations: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'event' AND payload LIKE $1",
        )
        .bind(format!("%orders.confirmed%{}%", placed.order_id))
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(confirmations, 0);
        // The same form sent again finds the same refused order (its cart was kept).
        let cart: String = sqlx::query_scalar("SELECT cart_id FROM orders WHERE id = $1")
            .bind(&placed.order_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let again = placement::place(
            db,
            &PlaceRequest {
                cart_id: cart,
                user_id: None,
                idempotency_key: format!("risk-test-key-{:0>10}", 1),
                method: PaymentMethod::BankTransfer,
                manual_window_days: 14,
                client: None,
                device: None,
            },
        )
        .await
        .unwrap();
        assert!(again.refused && !again.created);
        assert_eq!(again.order_id, placed.order_id);

        // Velocity: the fourth order from one browser within a day is counted as such.
        let mut last = None;
        for n in 10..14 {
            last = Some(
                place(
                    db,
                    n,
                    &variant,
                    &format!("d{n}@example.com"),
                    None,
                    Some("browser-1"),
                    PaymentMethod::BankTransfer,
                )
                .await,
            );
        }
        let last = last.unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let risk = risk_store::of_order(&mut conn, &last.order_id)
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        assert!(
            risk.reasons.iter().any(|r| r.signal
                == RiskSignal::DeviceVelocity {
                    orders: 4,
                    hours: 24
                }),
            "{risk:?}"
        );
        assert!(
            risk.reasons.iter().any(|r| r.signal
                == RiskSignal::AddressReused {
                    others: 4,
                    days: 30
                }),
            "the same address from four other e-mail addresses: {risk:?}"
        );
        // Keyed hashes only: no e-mail, address, name or network in the table.
        let rows: Vec<(String, String, String, Option<String>)> =
            sqlx::query_as("SELECT email_key, address_key, name_key, client_key FROM order_risk")
                .fetch_all(db.pool())
                .await
                .unwrap();
        let dump = format!("{rows:?}").to_lowercase();
        for secret in [
            "mailinator",
            "example.com",
            "hauptstra",
            "mustermann",
            "198.51.100",
        ] {
            assert!(!dump.contains(secret), "{secret}");
        }
        t.finish().await;
    }
}

/// Pays a card order on the test provider's page: `declines` declined cards, then a Visa;
/// the shop hears of it as the shopper comes back.
async fn pay_by_card(p: &Payments, order: &str, declines: usize) {
    use app::payments::payment_service;
    use app::payments::provider::PaymentProvider;
    payment_service::start(p, order).await.unwrap().unwrap();
    let intent: String = sqlx::query_scalar("SELECT intent_id FROM payments WHERE order_id = $1")
        .bind(order)
        .fetch_one(p.db.pool())
        .await
        .unwrap();
    for _ in 0..declines {
        p.provider
            .confirm_intent(&intent, "pm_card_visa_chargeDeclined", "")
            .await
            .unwrap();
        payment_service::refresh(p, order).await.unwrap();
    }
    p.provider
        .confirm_intent(&intent, "pm_card_visa", "")
        .await
        .unwrap();
    payment_service::refresh(p, order).await.unwrap();
    // The provider's webhook repeats the news: the card is counted once.
    let paid = p.provider.retrieve_intent(&intent).await.unwrap();
    payment_service::apply(p, &paid).await.unwrap();
}

#[tokio::test]
async fn a_card_declined_many_times_and_shared_by_other_addresses_holds_the_paid_order() {
    for t in TestDb::all().await {
        let db = &t.db;
        shop_with_products(db, 1).await;
        let variant = variant_with_stock(db, "SKU-000001-01", 50).await;
        let p = payments(db);
        let mut conn = db.pool().acquire().await.unwrap();

        // Two shoppers pay with the same card at the first try: nothing to doubt yet.
        for (n, email) in [
            (1, "first.card@example.com"),
            (2, "second.card@example.com"),
        ] {
            let order = place(db, n, &variant, email, None, None, PaymentMethod::Card).await;
            pay_by_card(&p, &order.order_id, 0).await;
            let risk = risk_store::of_order(&mut conn, &order.order_id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (risk.decision, risk.reasons.len()),
                (RiskDecision::Accept, 0),
                "{:?}: order {n}",
                t.engine()
            );
            assert!(!held(db, &order.order_id).await);
        }

        // A third address tries card after card, then pays with the same one.
        let third = place(
            db,
            3,
            &variant,
            "third.card@example.com",
            None,
            None,
            PaymentMethod::Card,
        )
        .await;
        pay_by_card(&p, &third.order_id, 6).await;
        let risk = risk_store::of_order(&mut conn, &third.order_id)
            .await
            .unwrap()
            .unwrap();
        let signals: Vec<RiskSignal> = risk.reasons.iter().map(|r| r.signal.clone()).collect();
        assert_eq!(
            signals,
            vec![
                RiskSignal::CardDeclines { declines: 6 },
                RiskSignal::CardShared {
                    others: 2,
                    days: 30
                },
            ],
            "{:?}",
            t.engine()
        );
        assert_eq!((risk.score, risk.decision), (60, RiskDecision::Review));
        let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(&third.order_id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(status, "paid", "the money is taken; staff decide");
        assert!(held(db, &third.order_id).await);
        match fulfil(db, &third.order_id, &Actor::Staff(staff()), &one_parcel()).await {
            Err(OrderError::OnHold) => {}
            other => panic!("{:?}: a held order was packed: {other:?}", t.engine()),
        }
        // The table keeps a keyed hash of the card, not the provider's fingerprint.
        let card_keys: Vec<Option<String>> =
            sqlx::query_scalar("SELECT card_key FROM order_risk ORDER BY scored_at")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        let fingerprint: String =
            sqlx::query_scalar("SELECT card_fingerprint FROM testpay_intents LIMIT 1")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(card_keys.len(), 3);
        assert!(card_keys.iter().all(|k| k.is_some() && k == &card_keys[0]));
        assert_ne!(card_keys[0].as_deref(), Some(fingerprint.as_str()));
        drop(conn);
        t.finish().await;
    }
}
