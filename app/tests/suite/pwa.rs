//! The installable shop's server side on every configured engine: changes made offline are
//! applied once however often they are replayed, with conflicts reported; web push messages
//! reach a push service (a local one here) encrypted per RFC 8291 and signed per RFC 8292, and
//! a subscription the push service reports gone is deleted.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use app::assembly::testing::{
    TestDb, confirmed_account, first_sku, ready_cart, shop_with_products, variant_with_stock,
};
use app::cart::cart_service::{self, Owner};
use app::checkout::placement::{self, PlaceRequest};
use app::offline::offline_sync::{apply_cart_add, apply_favourite};
use app::orders::lifecycle;
use app::orders::status_rules::Actor;
use app::platform::db::Db;
use app::platform::jobs::{JobRegistry, JobRunner, JobWaker};
use app::push::encryption::random_secret_key;
use app::push::push_service::{self, NewSubscription, Sender};
use app::push::vapid::VapidKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;
use shop_types::Problem;
use shop_types::offline::{ChangeOutcome, OfflineAction, OfflineChange, PushMessage, PushTopic};
use shop_types::{Currency, Money, PaymentMethod, Role};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn change(id: char, action: OfflineAction) -> OfflineChange {
    OfflineChange {
        id: std::iter::repeat_n(id, 26).collect(),
        made_at: 1,
        action,
    }
}

async fn quantity_in(db: &Db, cart: &str, variant: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COALESCE(MAX(quantity), 0) FROM cart_lines WHERE cart_id = $1 AND variant_id = $2",
    )
    .bind(cart)
    .bind(variant)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn offline_changes_apply_once_and_report_conflicts() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 3).await;
        let skus: Vec<String> = sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku LIMIT 2")
            .fetch_all(db.pool())
            .await
            .unwrap();
        let variant = variant_with_stock(db, &skus[0], 5).await;
        let sold_out = variant_with_stock(db, &skus[1], 0).await;
        let price: i64 = sqlx::query_scalar("SELECT price_minor FROM variants WHERE id = $1")
            .bind(&variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let cart = cart_service::find_or_create(&mut conn, Owner::Guest("pwa-offline-cart"))
            .await
            .unwrap();
        drop(conn);

        // The same change three times (a flaky connection): applied once.
        let add = change(
            'a',
            OfflineAction::CartAdd {
                variant_id: variant.clone(),
                quantity: 2,
                seen_price: Some(Money::new(price, Currency::EUR)),
            },
        );
        for _ in 0..3 {
            let report = apply_cart_add(
                db,
                &cart,
                &add,
                &variant,
                2,
                Some(Money::new(price, Currency::EUR)),
            )
            .await
            .unwrap();
            assert_eq!(report.outcome, ChangeOutcome::Applied);
        }
        assert_eq!(
            quantity_in(db, &cart, &variant).await,
            2,
            "applied exactly once"
        );

        // Sold out meanwhile: refused, and told the same way on a repeat.
        let gone = change(
            'b',
            OfflineAction::CartAdd {
                variant_id: sold_out.clone(),
                quantity: 1,
                seen_price: None,
            },
        );
        for _ in 0..2 {
            let report = apply_cart_add(db, &cart, &gone, &sold_out, 1, None)
                .await
                .unwrap();
            assert!(
                matches!(
                    &report.outcome,
                    ChangeOutcome::Refused {
                        problem: Problem::SoldOut
                    }
                ),
                "{report:?}"
            );
            assert!(report.message().contains("could not be added"));
        }
        assert_eq!(quantity_in(db, &cart, &sold_out).await, 0);

        // The price changed since the page was read: added, and the shopper is told.
        let seen = Money::new(price + 500, Currency::EUR);
        let dearer = change(
            'c',
            OfflineAction::CartAdd {
                variant_id: variant.clone(),
                quantity: 1,
                seen_price: Some(seen),
            },
        );
        let report = apply_cart_add(db, &cart, &dearer, &variant, 1, Some(seen))
            .await
            .unwrap();
        assert_eq!(
            report.outcome,
            ChangeOutcome::PriceChanged {
                was: seen,
                now: Money::new(price, Currency::EUR)
            }
        );
        assert_eq!(quantity_in(db, &cart, &variant).await, 3);

        // An unknown variant is refused, not an error.
        let unknown = change(
            'd',
            OfflineAction::CartAdd {
                variant_id: "zzzzzzzzzzzzzzzzzzzzzzzzzz".into(),
                quantity: 1,
                seen_price: None,
            },
        );
        let report = apply_cart_add(db, &cart, &unknown, "zzzzzzzzzzzzzzzzzzzzzzzzzz", 1, None)
            .await
            .unwrap();
        assert!(report.outcome.is_conflict());

        // Favourites of an account: once per change id.
        let user = confirmed_account(db, "offline-fav@example.com", Role::Customer).await;
        let product: String = sqlx::query_scalar("SELECT product_id FROM variants WHERE id = $1")
            .bind(&variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let save = change(
            'e',
            OfflineAction::Favourite {
                product_id: product.clone(),
                save: true,
            },
        );
        for _ in 0..2 {
            let report = apply_favourite(db, &user, &save, &product, true)
                .await
                .unwrap();
            assert_eq!(report.outcome, ChangeOutcome::Applied);
        }
        let favourites: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM favourites WHERE user_id = $1")
                .bind(&user)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(favourites, 1);
        test.finish().await;
    }
}

/// What the local push service received.
#[derive(Clone, Debug)]
struct Received {
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// A push service on localhost: records each message and answers with `status`.
async fn push_service_stub(status: Arc<Mutex<u16>>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    let app = axum::Router::new().route(
        "/push/{id}",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let store = store.clone();
                let status = status.clone();
                async move {
                    store.lock().unwrap().push(Received {
                        headers,
                        body: body.to_vec(),
                    });
                    let code = *status.lock().unwrap();
                    axum::http::StatusCode::from_u16(code).unwrap()
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), received)
}

/// The browser's half of RFC 8291: decrypts what the push service relays.
fn decrypt(body: &[u8], ua_secret: &SecretKey, auth: &[u8]) -> Vec<u8> {
    let salt = &body[..16];
    let record_size = u32::from_be_bytes(body[16..20].try_into().unwrap());
    assert_eq!(record_size, 4096);
    let id_len = body[20] as usize;
    assert_eq!(id_len, 65);
    let as_public = PublicKey::from_sec1_bytes(&body[21..21 + id_len]).unwrap();
    let ciphertext = &body[21 + id_len..];
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), as_public.as_affine());
    let mut info = b"WebPush: info\0".to_vec();
    info.extend_from_slice(ua_secret.public_key().to_encoded_point(false).as_bytes());
    info.extend_from_slice(as_public.to_encoded_point(false).as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), shared.raw_secret_bytes())
        .expand(&info, &mut ikm)
        .unwrap();
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .unwrap();
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .unwrap();
    let mut plain = Aes128Gcm::new_from_slice(&cek)
        .unwrap()
        .decrypt(Nonce::from_slice(&nonce), ciphertext)
        .expect("the message decrypts with the subscription's keys");
    assert_eq!(plain.pop(), Some(2), "one final record");
    plain
}

async fn run_jobs(db: &Db) {
    let mut registry = JobRegistry::new();
    push_service::register(
        &mut registry,
        Sender::new(true, "mailto:ops@example.com".into()),
    );
    app::assembly::reactions::subscribe(&mut registry, app::assembly::testing::test_order_mail());
    JobRunner::new(
        db.clone(),
        registry,
        1,
        Duration::from_millis(10),
        JobWaker::default(),
    )
    .run_until_idle()
    .await
    .unwrap();
}

#[tokio::test]
async fn order_updates_reach_the_push_service_encrypted_and_gone_devices_are_forgotten() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 2).await;
        let sku = first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 10).await;
        let status = Arc::new(Mutex::new(201u16));
        let (base, received) = push_service_stub(status.clone()).await;

        // The shopper's browser: its key pair and authentication secret.
        let ua_secret = random_secret_key();
        let auth = [9u8; 16];
        let user = confirmed_account(db, "push-buyer@example.com", Role::Customer).await;
        let subscription = NewSubscription {
            endpoint: format!("{base}/push/device-1"),
            p256dh: URL_SAFE_NO_PAD
                .encode(ua_secret.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(auth),
        };
        push_service::check(&subscription, true).unwrap();
        assert!(
            push_service::check(&subscription, false).is_err(),
            "plain http only for tests"
        );
        push_service::subscribe(db, &user, &subscription, &[PushTopic::OrderStatus])
            .await
            .unwrap();
        assert_eq!(
            push_service::topics_of(db, &user, &subscription.endpoint)
                .await
                .unwrap(),
            Some(vec![PushTopic::OrderStatus])
        );

        // The order is paid: the status change queues a push in its own transaction.
        let cart = ready_cart(db, "push-cart", &variant, 1).await;
        let placed = placement::place(
            db,
            &PlaceRequest {
                cart_id: cart,
                user_id: Some(user.clone()),
                idempotency_key: "push-order-key-000000".into(),
                method: PaymentMethod::BankTransfer,
                manual_window_days: 14,
                client: None,
                device: None,
            },
        )
        .await
        .unwrap();
        lifecycle::mark_paid(
            db,
            &placed.order_id,
            &Actor::Staff(app::platform::audit_trail::Who::of("s", "s@example.com")),
        )
        .await
        .unwrap();
        run_jobs(db).await;

        let messages = received.lock().unwrap().clone();
        assert_eq!(messages.len(), 1, "one device, one message");
        let message = &messages[0];
        assert_eq!(message.headers["content-encoding"], "aes128gcm");
        assert!(message.headers.contains_key("ttl"));
        // RFC 8292: a JWT for this push service's origin, signed with the shop's key.
        let authorization = message.headers["authorization"].to_str().unwrap();
        let (token, k) = authorization
            .strip_prefix("vapid t=")
            .unwrap()
            .split_once(", k=")
            .unwrap();
        let key = VapidKey::load(db).await.unwrap();
        assert_eq!(k, key.public_base64());
        let (input, signature) = token.rsplit_once('.').unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split_once('.').unwrap().1)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["aud"], base);
        let verifier =
            p256::ecdsa::VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).unwrap())
                .unwrap();
        let signature =
            p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap())
                .unwrap();
        verifier.verify(input.as_bytes(), &signature).unwrap();
        // RFC 8291: only the subscription's keys open it.
        let plain = decrypt(&message.body, &ua_secret, &auth);
        let shown: PushMessage = serde_json::from_slice(&plain).unwrap();
        assert!(
            shown.title.starts_with("Order ") && shown.title.ends_with(": Paid"),
            "{shown:?}"
        );
        assert_eq!(shown.url, format!("/orders/{}", placed.order_id));

        // The browser unsubscribed: the push service answers 410 and the device is forgotten.
        *status.lock().unwrap() = 410;
        let mut tx = db.begin_write().await.unwrap();
        let queued = push_service::notify_user(
            &mut tx,
            &user,
            PushTopic::OrderStatus,
            &PushMessage {
                title: "t".into(),
                body: "b".into(),
                url: "/".into(),
                tag: "x".into(),
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(queued, 1);
        run_jobs(db).await;
        assert_eq!(received.lock().unwrap().len(), 2);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_subscriptions")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(left, 0, "a gone subscription is deleted");
        test.finish().await;
    }
}

#[tokio::test]
async fn restocks_and_price_drops_of_favourites_are_pushed_to_those_who_chose_them() {
    for test in TestDb::all().await {
        let db = &test.db;
        shop_with_products(db, 2).await;
        let sku = first_sku(db).await;
        let variant = variant_with_stock(db, &sku, 0).await;
        let product: String = sqlx::query_scalar("SELECT product_id FROM variants WHERE id = $1")
            .bind(&variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let wants = confirmed_account(db, "wants-restock@example.com", Role::Customer).await;
        let orders_only = confirmed_account(db, "orders-only@example.com", Role::Customer).await;
        let mut conn = db.pool().acquire().await.unwrap();
        for user in [&wants, &orders_only] {
            app::catalog::favourites::store::add(&mut conn, user, &product)
                .await
                .unwrap();
        }
        drop(conn);
        let device = |n: u8| NewSubscription {
            endpoint: format!("https://push.example.net/{n}"),
            p256dh: URL_SAFE_NO_PAD.encode(
                random_secret_key()
                    .public_key()
                    .to_encoded_point(false)
                    .as_bytes(),
            ),
            auth: URL_SAFE_NO_PAD.encode([n; 16]),
        };
        push_service::subscribe(
            db,
            &wants,
            &device(1),
            &[PushTopic::BackInStock, PushTopic::PriceDrop],
        )
        .await
        .unwrap();
        push_service::subscribe(db, &orders_only, &device(2), &[PushTopic::OrderStatus])
            .await
            .unwrap();

        let location: String =
            sqlx::query_scalar("SELECT location_id FROM stock_levels WHERE variant_id = $1")
                .bind(&variant)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        app::inventory::inventory_service::adjust(
            &mut tx, &variant, &location, 4, "received", "", "staff",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // The restock is an event; its reactions (wired as the server wires them) queue the
        // push messages. Only those run here: `push.send` itself is not registered.
        app::assembly::testing::react(db).await;
        let push_jobs = || async {
            sqlx::query_scalar::<_, String>(
                "SELECT payload FROM jobs WHERE kind = 'push.send' ORDER BY created_at, id",
            )
            .fetch_all(db.pool())
            .await
            .unwrap()
        };
        let jobs = push_jobs().await;
        assert_eq!(
            jobs.len(),
            1,
            "only the account that chose restocks: {jobs:?}"
        );
        assert!(jobs[0].contains("back in stock"));

        // A second restock the same day does not notify again.
        let mut tx = db.begin_write().await.unwrap();
        app::inventory::inventory_service::adjust(
            &mut tx, &variant, &location, -4, "damaged", "", "staff",
        )
        .await
        .unwrap();
        app::inventory::inventory_service::adjust(
            &mut tx, &variant, &location, 2, "received", "", "staff",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        app::assembly::testing::react(db).await;
        assert_eq!(push_jobs().await.len(), 1);

        // A 10 % price cut is a price drop.
        app::catalog::editor::editor_service::bulk(
            db,
            std::slice::from_ref(&product),
            &app::catalog::editor::editor_service::BulkAction::AdjustPrice(-1000),
            &app::platform::audit_trail::Who::system(),
        )
        .await
        .unwrap();
        app::assembly::testing::react(db).await;
        let jobs = push_jobs().await;
        assert_eq!(jobs.len(), 2, "{jobs:?}");
        assert!(jobs[1].contains("now costs less"));
        test.finish().await;
    }
}
