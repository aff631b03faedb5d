//! The address book: an account's saved addresses. Every query names the owner, so an id from
//! another account matches nothing.

use super::SavedAddress;
use crate::identity::users;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::vault::{DataKey, Opener, Vault};
use shop_types::{AddressInput, AppError, Problem, Thing};
use sqlx::{AnyConnection, Row};

/// Most addresses one account may keep.
pub const MAX_ADDRESSES: i64 = 50;

const COLUMNS: &str =
    "id, full_name, company, line1, line2, postal_code, city, region, country, phone, is_default";

/// The account's addresses, the default first. Every field but the country is sealed with the
/// account's data key.
pub async fn list(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: &str,
) -> Result<Vec<SavedAddress>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let opener = match users::data_key(conn, vault, user_id).await? {
        Some(key) => Opener::Key(key),
        None => Opener::Shredded,
    };
    rows.iter()
        .map(|r| {
            let field = |name: &str| -> Result<String, sqlx::Error> {
                opener.open(&format!("addresses.{name}"), &r.try_get::<String, _>(name)?)
            };
            Ok(SavedAddress {
                id: r.try_get("id")?,
                address: AddressInput {
                    full_name: field("full_name")?,
                    company: field("company")?,
                    line1: field("line1")?,
                    line2: field("line2")?,
                    postal_code: field("postal_code")?,
                    city: field("city")?,
                    region: field("region")?,
                    country: r.try_get("country")?,
                    phone: field("phone")?,
                },
                is_default: r.try_get::<i64, _>("is_default")? == 1,
            })
        })
        .collect()
}

/// `a` with every field but the country sealed with `key`.
fn sealed(key: &DataKey, a: &AddressInput) -> AddressInput {
    let seal = |name: &str, value: &str| key.seal(&format!("addresses.{name}"), value);
    AddressInput {
        full_name: seal("full_name", &a.full_name),
        company: seal("company", &a.company),
        line1: seal("line1", &a.line1),
        line2: seal("line2", &a.line2),
        postal_code: seal("postal_code", &a.postal_code),
        city: seal("city", &a.city),
        region: seal("region", &a.region),
        country: a.country.clone(),
        phone: seal("phone", &a.phone),
    }
}

/// Seals the addresses written before encryption of up to `batch` accounts; returns how many
/// addresses it sealed.
pub async fn seal_written_before(
    conn: &mut AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM addresses WHERE full_name NOT LIKE 'v1.%' LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let mut sealed = 0;
    for owner in &owners {
        sealed += seal_book(conn, vault, owner).await?;
    }
    Ok(sealed)
}

async fn seal_book(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let Some(key) = users::data_key(conn, vault, user_id).await? else {
        return Ok(0);
    };
    let mut count = 0;
    for saved in list(conn, vault, user_id).await? {
        let a = sealed(&key, &saved.address);
        bind_address(
            sqlx::query(
                "UPDATE addresses SET full_name = $1, company = $2, line1 = $3, line2 = $4, postal_code = $5,
                   city = $6, region = $7, country = $8, phone = $9 WHERE id = $10",
            ),
            &a,
        )
        .bind(&saved.id)
        .execute(&mut *conn)
        .await?;
        count += 1;
    }
    Ok(count)
}

/// Saving failed: a field is wrong, the book is full, the address is not the caller's, or
/// the database failed.
#[derive(Debug, thiserror::Error)]
pub enum AddressBookError {
    #[error("{1}")]
    Invalid(&'static str, Problem),
    #[error("{}", Problem::AddressBookFull { max: MAX_ADDRESSES as u32 })]
    Full,
    #[error("{}", AppError::not_found(Thing::Address))]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl AddressBookError {
    /// What the caller may see.
    pub fn into_app_error(self) -> AppError {
        match self {
            Self::Invalid(field, problem) => AppError::validation(field, problem),
            Self::Full => AppError::conflict(Problem::AddressBookFull {
                max: MAX_ADDRESSES as u32,
            }),
            Self::NotFound => AppError::not_found(Thing::Address),
            Self::Db(e) => crate::platform::errors::internal("address book")(e),
        }
    }
}

/// Creates (`id` None) or updates one of `user_id`'s addresses; returns its id. The first
/// address, or one saved with `make_default`, becomes the default.
pub async fn save(
    db: &Db,
    user_id: &str,
    id: Option<&str>,
    input: AddressInput,
    make_default: bool,
) -> Result<String, AddressBookError> {
    let a = input
        .validate()
        .map_err(|e| AddressBookError::Invalid(e.field, e.problem))?;
    let now = now().millis();
    let mut tx = db.begin_write().await?;
    let key = users::data_key(&mut tx, db.vault(), user_id)
        .await?
        .ok_or(AddressBookError::NotFound)?;
    let a = sealed(&key, &a);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let make_default = make_default || count == 0;
    if make_default {
        sqlx::query("UPDATE addresses SET is_default = 0 WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let id = match id {
        Some(id) => {
            let done = bind_address(sqlx::query(
                "UPDATE addresses SET full_name = $1, company = $2, line1 = $3, line2 = $4, postal_code = $5,
                   city = $6, region = $7, country = $8, phone = $9,
                   is_default = CASE WHEN $10 = 1 THEN 1 ELSE is_default END, updated_at = $11
                 WHERE id = $12 AND user_id = $13",
            ), &a)
            .bind(i64::from(make_default))
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(AddressBookError::NotFound);
            }
            id.to_owned()
        }
        None => {
            if count >= MAX_ADDRESSES {
                return Err(AddressBookError::Full);
            }
            let id = new_id().to_string();
            let insert = sqlx::query(
                "INSERT INTO addresses (id, user_id, full_name, company, line1, line2, postal_code, city, region,
                   country, phone, is_default, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            )
            .bind(&id)
            .bind(user_id);
            bind_address(insert, &a)
                .bind(i64::from(make_default))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the address fields in column order: full name, company, line 1, line 2, postal code,
/// city, region, country, phone.
fn bind_address<'q>(query: AnyQuery<'q>, a: &'q AddressInput) -> AnyQuery<'q> {
    query
        .bind(&a.full_name)
        .bind(&a.company)
        .bind(&a.line1)
        .bind(&a.line2)
        .bind(&a.postal_code)
        .bind(&a.city)
        .bind(&a.region)
        .bind(&a.country)
        .bind(&a.phone)
}

/// Deletes one of `user_id`'s addresses. If it was the default, the oldest remaining one
/// becomes the default.
pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<(), AddressBookError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AddressBookError::NotFound);
    }
    let has_default: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1 AND is_default = 1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    if has_default == 0 {
        sqlx::query(
            "UPDATE addresses SET is_default = 1 WHERE id = (SELECT id FROM addresses WHERE user_id = $1 ORDER BY created_at, id LIMIT 1)",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
