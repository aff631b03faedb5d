//! Fresh databases for tests, on SQLite always and on PostgreSQL when it is configured.
//!
//! Set `SHOP_TEST_POSTGRES_URL` (for example `postgres://postgres@127.0.0.1:5432/postgres`) to
//! an account that may create databases; `make test` does so when PostgreSQL answers. Each test
//! then gets its own `shop_test_<random>` database, dropped by [`TestDb::finish`]. If the
//! variable is set but the server cannot be reached, tests fail rather than silently skip.

use crate::platform::config::Config;
use crate::platform::db::{Db, Engine};
use crate::platform::ids::new_id;
use sqlx::Connection;
use std::collections::HashMap;
use std::path::PathBuf;

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "SHOP_TEST_POSTGRES_URL";

/// A migrated, empty database that belongs to one test.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// One fresh database per configured engine: SQLite, plus PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![Self::sqlite().await];
        if let Some(url) = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        {
            dbs.push(Self::postgres(&url).await);
        }
        dbs
    }

    /// A fresh SQLite file in its own temporary folder.
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("shop-test-{}", new_id()));
        let url = format!("sqlite://{}/shop.db", dir.display());
        let db = Db::connect(&url, 8)
            .await
            .expect("open test SQLite database");
        db.migrate().await.expect("migrate test SQLite database");
        db.unlock(test_ring())
            .await
            .expect("unlock test SQLite database");
        TestDb {
            db,
            cleanup: Cleanup::SqliteDir(dir),
        }
    }

    /// A fresh database on the PostgreSQL server at `admin_url`.
    pub async fn postgres(admin_url: &str) -> TestDb {
        sqlx::any::install_default_drivers();
        let name = format!("shop_test_{}", new_id());
        let mut admin = sqlx::AnyConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("{POSTGRES_URL_VAR} is set but PostgreSQL is unreachable: {e}")
            });
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = replace_database(admin_url, &name);
        let db = Db::connect(&url, 8)
            .await
            .expect("open test PostgreSQL database");
        db.migrate()
            .await
            .expect("migrate test PostgreSQL database");
        db.unlock(test_ring())
            .await
            .expect("unlock test PostgreSQL database");
        TestDb {
            db,
            cleanup: Cleanup::Postgres {
                admin_url: admin_url.to_owned(),
                name,
            },
        }
    }

    /// The database's vault.
    pub fn vault(&self) -> &crate::platform::vault::Vault {
        self.db.vault()
    }

    /// The engine, for messages that say which half of a test failed.
    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// The URL of this database, for a server under test.
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => format!("sqlite://{}/shop.db", dir.display()),
            Cleanup::Postgres { admin_url, name } => replace_database(admin_url, name),
        }
    }

    /// Closes the pool and deletes the database.
    pub async fn finish(self) {
        // Bounded: a connection still held by a task must not hang the test run.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.db.close()).await;
        match self.cleanup {
            Cleanup::SqliteDir(dir) => {
                std::fs::remove_dir_all(dir).ok();
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await {
                    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                        .ok();
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// The master key of every test database in this process (random per run), as text.
pub fn test_master_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| crate::platform::vault::MasterKey::generate().1)
}

/// The key ring test databases are unlocked with (the one [`test_config`] names too).
pub fn test_ring() -> crate::platform::vault::KeyRing {
    let key = crate::platform::vault::MasterKey::parse(test_master_key()).expect("a test key");
    crate::platform::vault::KeyRing::new(key, Vec::new())
}

/// The mails queued so far (opened), newest first.
pub async fn queued_mails(db: &Db) -> Vec<crate::email::templates::OutgoingEmail> {
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM jobs WHERE kind = 'email.send' ORDER BY created_at DESC, id DESC",
    )
    .fetch_all(db.pool())
    .await
    .expect("queued mails");
    payloads
        .iter()
        .map(|p| {
            serde_json::from_str::<crate::email::outbox::SealedEmail>(p)
                .expect("a sealed mail")
                .open(db.vault())
                .expect("a mail that opens")
        })
        .collect()
}

/// The password of accounts made by [`confirmed_account`].
pub const TEST_PASSWORD: &str = "correct horse battery";

/// Creates an account with a confirmed address and [`TEST_PASSWORD`]; returns its id.
pub async fn confirmed_account(db: &Db, email: &str, role: shop_types::Role) -> String {
    let email = shop_types::Email::parse(email).expect("a test address");
    crate::account::account_service::create_confirmed(db, &email, TEST_PASSWORD, "", role)
        .await
        .expect("create test account")
}

/// A configuration for tests: defaults, pointed at `database_url`, on a free port.
pub fn test_config(database_url: &str) -> Config {
    let mut vars = HashMap::new();
    vars.insert("DATABASE_URL".to_owned(), database_url.to_owned());
    vars.insert("SHOP_ADDR".to_owned(), "127.0.0.1:0".to_owned());
    vars.insert("SHOP_JOB_POLL_MS".to_owned(), "50".to_owned());
    vars.insert("SHOP_SHUTDOWN_GRACE_SECS".to_owned(), "5".to_owned());
    let data = std::env::temp_dir().join(format!("shop-test-data-{}", new_id()));
    vars.insert("SHOP_DATA_DIR".to_owned(), data.display().to_string());
    vars.insert("SHOP_SEARCH_SYNC_MS".to_owned(), "100".to_owned());
    vars.insert("SHOP_MASTER_KEY".to_owned(), test_master_key().to_owned());
    // A staging-like shop: the test card provider and a bank account to transfer to.
    vars.insert("SHOP_PAYMENT_PROVIDER".to_owned(), "test".to_owned());
    vars.insert("SHOP_ALLOW_TEST_PAYMENTS".to_owned(), "true".to_owned());
    vars.insert(
        "SHOP_BANK_DETAILS".to_owned(),
        "IBAN DE89 3704 0044 0532 0130 00 (test shop)".to_owned(),
    );
    Config::from_vars(vars).expect("test configuration is valid")
}

/// A shop ready to sell: the default store, the default shipping and tax rates, and
/// `products` demo products.
pub async fn shop_with_products(db: &Db, products: usize) {
    let config = test_config("sqlite://unused.db");
    super::seed::ensure_default_store(db, &config)
        .await
        .expect("default store");
    crate::settings::defaults::ensure(db)
        .await
        .expect("checkout defaults");
    crate::catalog::demo::generate(db, products, "EUR")
        .await
        .expect("demo products");
}

/// A German test address.
pub fn test_address() -> shop_types::AddressInput {
    shop_types::AddressInput {
        full_name: "Erika Mustermann".into(),
        line1: "Hauptstraße 5".into(),
        postal_code: "10115".into(),
        city: "Berlin".into(),
        country: "DE".into(),
        ..Default::default()
    }
}

/// A complete, valid application to sell as `name` (German business, test address).
pub fn vendor_application(name: &str) -> shop_types::vendor::VendorApplication {
    shop_types::vendor::VendorApplication {
        business_name: name.into(),
        legal_form: "limited_company".into(),
        registration_number: "HRB 12345".into(),
        tax_number: "DE 123456789".into(),
        contact_name: "Ana Berg".into(),
        contact_phone: "+49 30 1234567".into(),
        billing: test_address(),
        returns: None,
        account_holder: name.into(),
        iban: "DE89 3704 0044 0532 0130 00".into(),
        accepts_terms: true,
    }
}

/// The storefront description and returns policy [`approved_seller`] saves.
pub const SELLER_PROFILE: (&str, &str) = (
    "Hand-knitted jumpers and socks from Shetland wool.\n\nMade to order in Berlin.",
    "Return unworn items within 30 days; we pay the return label inside the EU.",
);

/// A seller that went through the whole journey (applied as the new shopper `email`,
/// accepted, profile saved, submitted, approved); its id and slug.
pub async fn approved_seller(db: &Db, email: &str, name: &str) -> (String, String) {
    use crate::platform::audit_trail::Who;
    use crate::vendors::onboarding::{apply, save_profile, take_step};
    use shop_types::VendorStep;
    use shop_types::vendor::Actor;
    let owner_id = confirmed_account(db, email, shop_types::Role::Customer).await;
    let mut conn = db.pool().acquire().await.expect("connection");
    let owner = crate::identity::users::find_by_id(&mut conn, db.vault(), &owner_id)
        .await
        .expect("owner")
        .expect("owner exists");
    drop(conn);
    let who = Who::of(&owner_id, email);
    let applied = apply(db, &owner, vendor_application(name), &who)
        .await
        .expect("application");
    let staff = Who::of("staff-1", "reviewer@example.com");
    let id = applied.vendor_id;
    take_step(db, &id, VendorStep::Accept, Actor::Operator, "", &staff)
        .await
        .expect("accepted");
    save_profile(db, &id, SELLER_PROFILE.0, SELLER_PROFILE.1, &who)
        .await
        .expect("profile");
    take_step(db, &id, VendorStep::SubmitForReview, Actor::Owner, "", &who)
        .await
        .expect("submitted");
    take_step(db, &id, VendorStep::Approve, Actor::Operator, "", &staff)
        .await
        .expect("approved");
    (id, applied.slug)
}

/// A guest cart (named by `token_hash`) holding `quantity` of `variant_id`, with an e-mail,
/// the German test address and the cheapest shipping rate: ready to place.
pub async fn ready_cart(db: &Db, token_hash: &str, variant_id: &str, quantity: i64) -> String {
    use crate::cart::cart_service::{self, Owner};
    use crate::checkout::checkout_service;
    let mut conn = db.pool().acquire().await.expect("connection");
    let cart = cart_service::find_or_create(&mut conn, Owner::Guest(token_hash))
        .await
        .expect("cart");
    cart_service::add(
        &mut conn,
        &cart,
        variant_id,
        shop_types::Quantity::new(quantity).expect("quantity"),
    )
    .await
    .expect("add to cart");
    let email = shop_types::Email::parse(&format!("{token_hash}@example.com")).expect("email");
    let address = test_address().validate().expect("valid address");
    checkout_service::save_details(&mut conn, db.vault(), &cart, &email, &address, None)
        .await
        .expect("details");
    let priced = checkout_service::price(&mut conn, db.vault(), &cart, None)
        .await
        .expect("price");
    let (rule, _) = priced
        .options
        .iter()
        .min_by_key(|(_, p)| *p)
        .expect("a shipping rate");
    checkout_service::save_shipping(&mut conn, &cart, &rule.id)
        .await
        .expect("shipping");
    cart
}

/// The id of the variant with `sku`, after setting its stock (sellable and on hand, kept
/// at one location as the demo catalog keeps it).
pub async fn variant_with_stock(db: &Db, sku: &str, stock: i64) -> String {
    let (variant, location): (String, String) = sqlx::query_as(
        "SELECT v.id, l.location_id FROM variants v JOIN stock_levels l ON l.variant_id = v.id
         WHERE v.sku = $1 ORDER BY l.location_id LIMIT 1",
    )
    .bind(sku)
    .fetch_one(db.pool())
    .await
    .expect("a stocked variant");
    let mut tx = db.begin_write().await.expect("write");
    crate::catalog::stock_ledger::set_count(
        &mut tx, &variant, &location, stock, "counted", "test", "test",
    )
    .await
    .expect("set stock");
    tx.commit().await.expect("commit");
    variant
}

/// Swaps the database name in a PostgreSQL URL, keeping user, host and query.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// The first SKU of the catalog, in SKU order.
pub async fn first_sku(db: &Db) -> String {
    sqlx::query_scalar("SELECT sku FROM variants ORDER BY sku LIMIT 1")
        .fetch_one(db.pool())
        .await
        .expect("a variant")
}

/// What order mails say about the shop, in tests.
pub fn test_order_mail() -> crate::orders::lifecycle::OrderMail {
    crate::orders::lifecycle::OrderMail {
        public_url: "http://shop.test".into(),
        bank_details: Some("IBAN TEST".into()),
    }
}

/// Runs the domain events queued so far and the reactions they fan out to, as the server
/// wires them; the mails and push messages those queue stay queued. Returns how many jobs ran.
pub async fn react(db: &Db) -> usize {
    let mut registry = crate::platform::jobs::JobRegistry::new();
    crate::assembly::reactions::subscribe(&mut registry, test_order_mail());
    crate::platform::jobs::JobRunner::new(
        db.clone(),
        registry,
        1,
        std::time::Duration::from_secs(60),
        crate::platform::jobs::JobWaker::default(),
    )
    .events_only()
    .run_until_idle()
    .await
    .expect("reactions run")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(replace_database("postgres://h:1", "x"), "postgres://h:1/x");
        assert_eq!(
            replace_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}
