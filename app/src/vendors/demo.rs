//! The demo marketplace for `make run`: sellers at every stage of the journey, made through
//! the real application and steps (so they are mailed and audited like real ones), two of them
//! approved with some of the demo catalog's products, and a demo seller account to sign in
//! with.

use super::onboarding::{apply, save_picture, save_profile, take_step};
use crate::platform::audit_trail::Who;
use crate::platform::clock::now;
use crate::platform::db::Db;
use shop_types::vendor::{Actor, VendorApplication};
use shop_types::{AddressInput, AppError, Role, VendorStep};

/// The demo seller's sign-in (owner of the first demo vendor).
pub const DEMO_SELLER_EMAIL: &str = "seller@demo-shop.example";
/// Its password (as public as the demo admin's).
pub const DEMO_SELLER_PASSWORD: &str = "demo-seller-password";

struct DemoVendor {
    owner: &'static str,
    name: &'static str,
    country: &'static str,
    postal_code: &'static str,
    city: &'static str,
    iban: &'static str,
    /// How far it gets: applied, in review or approved.
    stage: Stage,
    products: usize,
    description: &'static str,
    returns_policy: &'static str,
    /// The demo picture (shape, colour) its logo and banner are painted from.
    look: (&'static str, &'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Applied,
    InReview,
    Approved,
}

const VENDORS: &[DemoVendor] = &[
    DemoVendor {
        owner: DEMO_SELLER_EMAIL,
        name: "Nordic Wool & Co.",
        country: "DE",
        postal_code: "10115",
        city: "Berlin",
        iban: "DE89370400440532013000",
        stage: Stage::Approved,
        products: 12,
        description: "Jumpers, scarves and socks knitted from undyed Shetland and Icelandic wool in our Berlin workshop.",
        returns_policy: "Return unworn items within 30 days of delivery; we refund within 5 days of receiving them.",
        look: ("shirt", "navy"),
    },
    DemoVendor {
        owner: "atelier@demo-shop.example",
        name: "Atelier Céramique",
        country: "FR",
        postal_code: "69002",
        city: "Lyon",
        iban: "FR1420041010050500013M02606",
        stage: Stage::Approved,
        products: 8,
        description: "Stoneware cups, bowls and vases thrown by hand in Lyon and glazed in small batches.",
        returns_policy: "Returns within 14 days in the original packing; breakage in transit is replaced at our cost.",
        look: ("vase", "rust"),
    },
    DemoVendor {
        owner: "bakes@demo-shop.example",
        name: "Bo's Bakes",
        country: "NL",
        postal_code: "1015 DK",
        city: "Amsterdam",
        iban: "NL91ABNA0417164300",
        stage: Stage::InReview,
        products: 0,
        description: "Biscuit tins and baking kits with flour milled in Zaandam and recipes tested in our café.",
        returns_policy: "Unopened kits may be returned within 14 days; food cannot be returned once opened.",
        look: ("mug", "sand"),
    },
    DemoVendor {
        owner: "tea@demo-shop.example",
        name: "Green Leaf Tea",
        country: "GB",
        postal_code: "EH1 1YZ",
        city: "Edinburgh",
        iban: "GB82WEST12345698765432",
        stage: Stage::Applied,
        products: 0,
        description: "",
        returns_policy: "",
        look: ("bottle", "forest"),
    },
];

fn demo_error(e: AppError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo vendors: {e}"))
}

/// Creates the demo sellers (once, with the rest of the demo data). `totp_key` is the demo's
/// public authenticator key, given to the demo seller as to the demo admin.
pub async fn load(db: &Db, totp_key: &[u8]) -> Result<(), sqlx::Error> {
    let staff = Who::system();
    let mut offset = 0;
    for v in VENDORS {
        let email =
            shop_types::Email::parse(v.owner).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        // The demo seller signs in with a published password; the others exist to be looked at.
        let password = if v.owner == DEMO_SELLER_EMAIL {
            DEMO_SELLER_PASSWORD.to_owned()
        } else {
            crate::platform::secrets::new_secret()
        };
        let owner_id = crate::account::account_service::create_confirmed(
            db,
            &email,
            &password,
            "Demo Seller",
            Role::Customer,
        )
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let mut conn = db.pool().acquire().await?;
        let owner = crate::identity::users::find_by_id(&mut conn, db.vault(), &owner_id)
            .await?
            .ok_or_else(|| sqlx::Error::Protocol("demo seller vanished".into()))?;
        drop(conn);
        let who = Who::of(&owner_id, v.owner);
        let address = AddressInput {
            full_name: "Demo Seller".into(),
            company: v.name.into(),
            line1: "Market Street 1".into(),
            postal_code: v.postal_code.into(),
            city: v.city.into(),
            country: v.country.into(),
            ..AddressInput::default()
        };
        let applied = apply(
            db,
            &owner,
            VendorApplication {
                business_name: v.name.into(),
                legal_form: "limited_company".into(),
                registration_number: "DEMO 0001".into(),
                tax_number: format!("{}123456789", v.country),
                contact_name: "Demo Seller".into(),
                contact_phone: "+49 30 0000000".into(),
                billing: address,
                returns: None,
                account_holder: v.name.into(),
                iban: v.iban.into(),
                accepts_terms: true,
            },
            &who,
        )
        .await
        .map_err(demo_error)?;
        let id = applied.vendor_id;
        if v.stage == Stage::Applied {
            continue;
        }
        take_step(db, &id, VendorStep::Accept, Actor::Operator, "", &staff)
            .await
            .map_err(demo_error)?;
        save_profile(db, &id, v.description, v.returns_policy, &who)
            .await
            .map_err(demo_error)?;
        // Painted on first request like the demo catalog's pictures (square originals).
        let side = crate::media::demo_images::SIDE;
        for (kind, view) in [
            (crate::vendors::VendorPicture::Logo, "front"),
            (crate::vendors::VendorPicture::Banner, "detail"),
        ] {
            let key = crate::media::demo_images::key(v.look.0, v.look.1, view);
            save_picture(db, &id, kind, (&key, side, side), &who)
                .await
                .map_err(demo_error)?;
        }
        take_step(db, &id, VendorStep::SubmitForReview, Actor::Owner, "", &who)
            .await
            .map_err(demo_error)?;
        if v.stage == Stage::Approved {
            take_step(db, &id, VendorStep::Approve, Actor::Operator, "", &staff)
                .await
                .map_err(demo_error)?;
        }
        if v.products > 0 {
            let mut tx = db.begin_write().await?;
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM products ORDER BY created_at, id LIMIT $1 OFFSET $2",
            )
            .bind(i64::try_from(v.products).unwrap_or(0))
            .bind(offset)
            .fetch_all(&mut *tx)
            .await?;
            offset += i64::try_from(v.products).unwrap_or(0);
            crate::catalog::product_store::set_vendor(&mut tx, &ids, Some(&id), now().millis())
                .await?;
            // A seller's stock is kept at its own locations.
            for product in &ids {
                crate::catalog::stock_ledger::rehome(&mut tx, product, "system").await?;
            }
            tx.commit().await?;
        }
        if v.owner == DEMO_SELLER_EMAIL {
            let mut tx = db.begin_write().await?;
            crate::identity::factors::set_known_key(&mut tx, &owner_id, totp_key, now()).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
