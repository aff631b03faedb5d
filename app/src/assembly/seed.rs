//! What a new installation needs on its first start, and the demo shop for `make run`.
//!
//! Every step is idempotent: it checks before it writes, so a restart never duplicates data.
//! Domains add their demo content here (the catalog's generated products, for example).

use crate::platform::clock::now;
use crate::platform::config::Config;
use crate::platform::db::Db;

/// Creates the default store if there is none yet.
pub async fn ensure_default_store(db: &Db, config: &Config) -> Result<(), sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    crate::settings::settings_service::ensure_default_store(
        &mut conn,
        &config.store_name,
        &config.currency,
    )
    .await
}

/// Loads the demo shop once (recorded in `app_meta`), when `SHOP_DEMO_DATA` is on.
/// Returns true if it loaded it now.
pub async fn load_demo_data_once(db: &Db) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed =
        crate::platform::meta::claim(&mut tx, "demo_data_loaded", &now().to_rfc3339()).await?;
    if claimed {
        crate::settings::settings_service::default_support_email(
            &mut tx,
            "hello@demo-shop.example",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// The demo admin account, when `SHOP_DEMO_DATA` is on and no admin is configured.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo-shop.example";
/// Its password (printed in the log at first start; never use demo data in production).
pub const DEMO_ADMIN_PASSWORD: &str = "demo-admin-password";

/// The demo admin's authenticator key (base32), public like its password: add it to an app
/// by hand, or run `server demo-code`. Only the demo admin of demo data ever gets it.
pub const DEMO_ADMIN_TOTP_KEY: &str = "DEMOSHOPADMINKEYDEMOSHOPADMINKEY";

/// Creates the first admin account from `SHOP_ADMIN_EMAIL`/`SHOP_ADMIN_PASSWORD` (or the demo
/// admin with demo data) unless an account with that address exists.
pub async fn ensure_admin(db: &Db, config: &Config) -> Result<(), SeedError> {
    use crate::account::account_service::create_confirmed;
    use crate::identity::users::find_by_email;
    let (email, password, demo) = match (&config.admin_email, &config.admin_password) {
        (Some(e), Some(p)) => (e.clone(), p.clone(), false),
        _ if config.demo_data => (
            DEMO_ADMIN_EMAIL.to_owned(),
            DEMO_ADMIN_PASSWORD.to_owned(),
            true,
        ),
        _ => return Ok(()),
    };
    let email = shop_types::Email::parse(&email).map_err(|e| SeedError::Admin(e.to_string()))?;
    let mut conn = db.pool().acquire().await?;
    let existing = find_by_email(&mut conn, db.vault(), email.as_str()).await?;
    drop(conn);
    let id = match existing {
        Some(user) => user.id,
        None => {
            let id = create_confirmed(
                db,
                &email,
                &password,
                "Administrator",
                shop_types::Role::Admin,
            )
            .await
            .map_err(|e| SeedError::Admin(e.to_string()))?;
            tracing::info!(email = %email, "created the admin account");
            id
        }
    };
    // A configured admin sets up their own app at the first sign-in; the demo admin gets the
    // printed key, so `make run` can be looked at at once (and keeps it after an admin reset
    // only until the next start).
    if demo {
        let mut tx = db.begin_write().await?;
        if !crate::identity::factors::status(&mut tx, &id).await?.app {
            let key = crate::identity::totp::from_base32(DEMO_ADMIN_TOTP_KEY).unwrap_or_default();
            crate::identity::factors::set_known_key(&mut tx, &id, &key, now()).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// First-start data could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("could not create the admin account: {0}")]
    Admin(String),
}

/// Products in the demo catalog.
pub const DEMO_PRODUCTS: usize = 1_000;

/// Runs everything a start needs: the default store, the first admin, then the demo data if
/// configured.
pub async fn prepare(db: &Db, config: &Config) -> Result<(), SeedError> {
    ensure_default_store(db, config).await?;
    ensure_admin(db, config).await?;
    crate::settings::defaults::ensure(db).await?;
    if config.demo_data && load_demo_data_once(db).await? {
        crate::catalog::demo::generate(db, DEMO_PRODUCTS, &config.currency).await?;
        crate::settings::defaults::demo_coupons(db).await?;
        demo_held_order(db).await?;
        demo_card_held_order(db, config).await?;
        demo_privacy_requests(db).await?;
        let key = crate::identity::totp::from_base32(DEMO_ADMIN_TOTP_KEY).unwrap_or_default();
        crate::vendors::demo::load(db, &key).await?;
        tracing::info!(
            "demo data loaded (demo admin: {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}; demo seller: {} / {}; \
             both with two-step key {DEMO_ADMIN_TOTP_KEY}, or `server demo-code` for the current code)",
            crate::vendors::demo::DEMO_SELLER_EMAIL,
            crate::vendors::demo::DEMO_SELLER_PASSWORD
        );
    }
    Ok(())
}

/// Two requests waiting in the console's privacy requests (`/admin/privacy`): a customer asks
/// for a copy of their data (their account exists, so the export is one click), and someone
/// without an account asks for erasure.
pub async fn demo_privacy_requests(db: &Db) -> Result<(), sqlx::Error> {
    let email = shop_types::Email::parse("anna.berg@example.com")
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    // A password nobody knows: the demo customer exists only to be asked about.
    let password = crate::platform::secrets::new_secret();
    if let Err(e) = crate::account::account_service::create_confirmed(
        db,
        &email,
        &password,
        "Anna Berg",
        shop_types::Role::Customer,
    )
    .await
    {
        tracing::warn!(error = %e, "demo privacy requests: no customer account");
    }
    let mut tx = db.begin_write().await?;
    crate::privacy::request_store::record(&mut tx, db.vault(), "export", email.as_str()).await?;
    crate::privacy::request_store::record(
        &mut tx,
        db.vault(),
        "erasure",
        "former.customer@example.com",
    )
    .await?;
    tx.commit().await
}

/// One order the fraud rules hold, so the demo's risk review (`/admin/risk`) has something to
/// decide: a throwaway e-mail address, billed in France and delivered to Germany, placed for
/// bank transfer through the real checkout.
pub async fn demo_held_order(db: &Db) -> Result<(), sqlx::Error> {
    use shop_types::{AddressInput, PaymentMethod};
    let delivery = AddressInput {
        full_name: "Max Schnell".into(),
        line1: "Lindenallee 12".into(),
        postal_code: "20095".into(),
        city: "Hamburg".into(),
        country: "DE".into(),
        ..AddressInput::default()
    };
    let billing = AddressInput {
        full_name: "Max Schnell".into(),
        line1: "12 rue des Lilas".into(),
        postal_code: "75011".into(),
        city: "Paris".into(),
        country: "FR".into(),
        ..AddressInput::default()
    };
    demo_order(
        db,
        "demo-held-order",
        "quick.buyer@mailinator.com",
        delivery,
        Some(billing),
        PaymentMethod::BankTransfer,
    )
    .await
    .map(|_| ())
}

/// A card order held once it was paid (shops with the test provider only): placed from a
/// throwaway address (accepted alone), then paid on the test provider's page after six
/// declined cards, which brings it to the review score.
pub async fn demo_card_held_order(db: &Db, config: &Config) -> Result<(), sqlx::Error> {
    use crate::payments::provider::PaymentProvider;
    use crate::payments::test_provider::TestCard;
    use crate::payments::{CardProvider, Payments, payment_service};
    use shop_types::{AddressInput, PaymentMethod};
    let payments = Payments::from_config(db, config);
    if !matches!(payments.provider, CardProvider::Test(_)) {
        return Ok(());
    }
    let delivery = AddressInput {
        full_name: "Tess Carder".into(),
        line1: "Hafenstrasse 3".into(),
        postal_code: "28195".into(),
        city: "Bremen".into(),
        country: "DE".into(),
        ..AddressInput::default()
    };
    let Some(order) = demo_order(
        db,
        "demo-card-held-order",
        "tess.carder@guerrillamail.com",
        delivery,
        None,
        PaymentMethod::Card,
    )
    .await?
    else {
        return Ok(());
    };
    let paid = async {
        payment_service::start(&payments, &order).await?;
        let intent: String =
            sqlx::query_scalar("SELECT intent_id FROM payments WHERE order_id = $1")
                .bind(&order)
                .fetch_one(db.pool())
                .await?;
        for card in [TestCard::Declined; 6].into_iter().chain([TestCard::Visa]) {
            payments
                .provider
                .confirm_intent(&intent, card.token(), "")
                .await
                .map_err(|e| crate::orders::lifecycle::OrderError::Provider(e.to_string()))?;
        }
        payment_service::refresh(&payments, &order).await
    };
    if let Err(e) = paid.await {
        tracing::warn!(error = %e, "demo card order: not paid");
    }
    Ok(())
}

/// Places one demo order through the real checkout; `None` (logged) when the catalog has
/// nothing to sell.
async fn demo_order(
    db: &Db,
    cart_key: &str,
    email: &str,
    delivery: shop_types::AddressInput,
    billing: Option<shop_types::AddressInput>,
    method: shop_types::PaymentMethod,
) -> Result<Option<String>, sqlx::Error> {
    use crate::cart::cart_service::{self, Owner};
    use crate::checkout::checkout_service;
    use crate::checkout::placement::{self, PlaceRequest};
    use shop_types::{Email, Quantity};
    let mut conn = db.pool().acquire().await?;
    let variant: Option<String> = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
         WHERE p.status = 'active' AND v.stock > 2 ORDER BY v.sku LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(variant) = variant else {
        return Ok(None);
    };
    let cart = cart_service::find_or_create(&mut conn, Owner::Guest(cart_key)).await?;
    let quantity = Quantity::new(1).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    if let Err(e) = cart_service::add(&mut conn, &cart, &variant, quantity).await {
        tracing::warn!(error = %e, cart_key, "demo order: could not fill the cart");
        return Ok(None);
    }
    let email = Email::parse(email).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let Ok(delivery) = delivery.validate() else {
        return Ok(None);
    };
    let billing = match billing.map(|b| b.validate()).transpose() {
        Ok(b) => b,
        Err(_) => return Ok(None),
    };
    checkout_service::save_details(
        &mut conn,
        db.vault(),
        &cart,
        &email,
        &delivery,
        billing.as_ref(),
    )
    .await?;
    let priced = checkout_service::price(&mut conn, db.vault(), &cart, None).await?;
    let Some((rule, _)) = priced.options.iter().min_by_key(|(_, p)| *p) else {
        return Ok(None);
    };
    checkout_service::save_shipping(&mut conn, &cart, &rule.id).await?;
    drop(conn);
    let request = PlaceRequest {
        cart_id: cart,
        user_id: None,
        idempotency_key: format!("{cart_key}-0001"),
        method,
        manual_window_days: 3650,
        client: Some("203.0.113.7".into()),
        device: None,
    };
    match placement::place(db, &request).await {
        Ok(placed) => Ok(Some(placed.order_id)),
        Err(e) => {
            tracing::warn!(error = %e, cart_key, "demo order: not placed");
            Ok(None)
        }
    }
}
