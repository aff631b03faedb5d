//! Erasure that keeps the books (GDPR Art. 17): a customer's account and everything that
//! exists only for it go; their orders and invoices stay, with totals and tax lines, under a
//! pseudonym, as tax law requires. The data keys that sealed the customer's personal data are
//! destroyed in the same transaction (crypto-shredding, `platform::vault`), so every copy of it
//! (the WAL, backups, a replica) becomes unreadable at once.
//!
//! Unfinished orders (unpaid, being packed or shipped, or in a return) delay erasure: the
//! shop still owes or is owed something, and the customer is told which orders.

use crate::identity::users;
use crate::platform::audit_trail::{self, Who};
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use shop_types::{AppError, Problem, Role, Thing};

/// Why an account was not erased.
#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    #[error("no such customer")]
    NotFound,
    #[error("back-office accounts are not erased this way")]
    NotCustomer,
    #[error("orders {0:?} are not finished")]
    UnfinishedOrders(Vec<i64>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl ErasureError {
    /// What the caller may see.
    pub fn into_app_error(self) -> AppError {
        match self {
            Self::NotFound => AppError::not_found(Thing::Customer),
            Self::NotCustomer => AppError::conflict(Problem::ErasureOnlyForCustomers),
            Self::UnfinishedOrders(orders) => {
                AppError::conflict(Problem::ErasureWaitsForOrders { orders })
            }
            Self::Db(e) => crate::platform::errors::internal("erasure")(e),
        }
    }
}

/// What is left of an erased customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erased {
    /// The name their orders keep (`C-` and 8 random symbols).
    pub pseudonym: String,
    /// How many orders were kept under it.
    pub orders: u64,
}

/// Who asked for an erasure.
#[derive(Clone, Copy, Debug)]
pub enum ErasedBy<'a> {
    /// The customer, from their account page (the audit log names them by pseudonym only).
    Themselves,
    /// Staff, processing a request made by e-mail.
    Staff(&'a Who),
}

/// Erases customer `user_id`.
pub async fn erase_customer(
    db: &Db,
    user_id: &str,
    by: ErasedBy<'_>,
) -> Result<Erased, ErasureError> {
    let vault = db.vault();
    let mut tx = db.begin_write().await?;
    let user = users::find_by_id(&mut tx, vault, user_id)
        .await?
        .ok_or(ErasureError::NotFound)?;
    if user.role != Role::Customer {
        return Err(ErasureError::NotCustomer);
    }
    let email_index = vault.email_index(&user.email);
    let open = crate::orders::order_facts::unfinished(&mut tx, &user.id, &email_index).await?;
    if !open.is_empty() {
        return Err(ErasureError::UnfinishedOrders(open));
    }
    let pseudonym = format!("C-{}", &new_id().as_str()[..8]);
    let at = now().millis();
    let (mut keys, orders) =
        crate::orders::order_store::erase_customer(&mut tx, &user.id, &email_index, &pseudonym, at)
            .await?;
    keys.extend(crate::checkout::checkout_service::key_ids_of(&mut tx, &user.id).await?);
    crate::marketing::newsletter_service::forget(&mut tx, vault, &user.email).await?;
    super::consents::forget(&mut tx, vault, &user.id, &user.email).await?;
    keys.extend(users::delete(&mut tx, &user.id).await?);
    keys.sort();
    keys.dedup();
    for key in &keys {
        vault.shred(&mut tx, key).await?;
    }
    let themselves = Who::account(&user.id, &format!("customer:{pseudonym}"));
    audit_trail::record(
        &mut tx,
        match by {
            ErasedBy::Themselves => &themselves,
            ErasedBy::Staff(who) => who,
        },
        "privacy.customer_erased",
        &format!("customer:{pseudonym}"),
        None,
        Some(serde_json::json!({ "pseudonym": pseudonym, "orders": orders })),
    )
    .await?;
    tx.commit().await?;
    Ok(Erased { pseudonym, orders })
}
