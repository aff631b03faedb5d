//! Saving the catalog from the console and the CSV import: a product with its variants in one
//! transaction, and bulk changes. The checks are `product_form`'s, the reads
//! `editor_queries`', the writes `product_store`'s.
//!
//! Every write bumps `products.updated_at` (the search index follows it) and the caller calls
//! `state.part::<crate::search::follower::Search>().changed()` after commit.

use super::editor_queries::audit_view;
use super::product_form::{CleanProduct, CleanVariant, EditorError};
use crate::catalog::product_store::{self, ProductRow, VariantRow};
use crate::platform::audit_trail::{self, Who};
use crate::platform::clock::now;
use crate::platform::db::{Db, is_unique_violation};
use crate::platform::ids::new_id;
use crate::store::queries::store_currency;
use shop_types::Problem;
use sqlx::AnyConnection;

/// Records a price drop of `product_id` (shoppers who keep it among their favourites are
/// told, once a day; see `assembly::reactions`). Nothing when the price did not fall.
async fn price_dropped(
    tx: &mut AnyConnection,
    product_id: &str,
    was: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    if now >= was {
        return Ok(());
    }
    crate::platform::events::record(
        tx,
        &crate::catalog::events::PriceDropped {
            product_id: product_id.to_owned(),
            was,
            now,
        },
    )
    .await
}

/// Whose products a save may reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach<'a> {
    /// The operator's staff: every product (a seller's too); a new product is the operator's.
    Shop,
    /// A seller's team (`vendors::scope`): that seller's products only; a new one is its.
    Seller(&'a str),
}

/// How a save is made and recorded.
#[derive(Clone, Copy, Debug)]
pub struct Saving<'a> {
    /// Who the stock history names.
    pub actor: &'a str,
    /// Who the audit log names; None: not audited here (an import is audited once, when it
    /// starts).
    pub who: Option<&'a Who>,
    /// Variants not listed stay as they are (an import that names only some of them).
    pub keep_missing: bool,
    pub reach: Reach<'a>,
}

/// Creates (`id` None) or updates a product with its variants, in one transaction; variants
/// not listed are removed. Returns the product's id. The audit log gets what changed, by
/// `who`. `reach` says whose products it may change: a seller's team gets `NotFound` for
/// anybody else's.
pub async fn save_product(
    db: &Db,
    id: Option<&str>,
    product: &CleanProduct,
    variants: &[CleanVariant],
    who: &Who,
    reach: Reach<'_>,
) -> Result<String, EditorError> {
    let actor = match (reach, &who.user_id) {
        (Reach::Seller(_), Some(id)) => format!("vendor:{id}"),
        _ => who.tag(),
    };
    let saving = Saving {
        actor: &actor,
        who: Some(who),
        keep_missing: false,
        reach,
    };
    save_product_keeping(db, id, product, variants, saving).await
}

/// [`save_product`], as `saving` says.
pub async fn save_product_keeping(
    db: &Db,
    id: Option<&str>,
    product: &CleanProduct,
    variants: &[CleanVariant],
    saving: Saving<'_>,
) -> Result<String, EditorError> {
    let Saving {
        actor,
        who,
        keep_missing,
        reach,
    } = saving;
    let mut tx = db.begin_write().await?;
    if let (Reach::Seller(seller), Some(id)) = (reach, id)
        && super::editor_queries::seller_of(&mut tx, id)
            .await?
            .as_deref()
            != Some(seller)
    {
        return Err(EditorError::NotFound);
    }
    let audit_before = match (who, id) {
        (Some(_), Some(id)) => audit_view(&mut tx, id).await?,
        _ => None,
    };
    let currency = store_currency(&mut tx).await?;
    if let Some(category) = &product.category_id {
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM categories WHERE id = $1")
            .bind(category)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(EditorError::invalid(
                "product[category_id]",
                Problem::CategoryUnknown,
            ));
        }
    }
    let at = now().millis();
    let lowest_before = match id {
        Some(id) => product_store::lowest_price(&mut tx, id).await?,
        None => None,
    };
    let mut lowest = variants.iter().map(|v| v.price_minor).min().unwrap_or(0);
    if keep_missing && let Some(id) = id {
        let kept: Option<i64> =
            sqlx::query_scalar("SELECT MIN(price_minor) FROM variants WHERE product_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        lowest = kept.map_or(lowest, |k| k.min(lowest));
    }
    let row = ProductRow {
        slug: &product.slug,
        title: &product.title,
        description: &product.description,
        brand: &product.brand,
        status: &product.status,
        category_id: product.category_id.as_deref(),
        product_type: &product.product_type,
        seo_title: &product.seo_title,
        seo_description: &product.seo_description,
        option_names: &product.option_names,
        price_minor: lowest,
        currency: currency.code(),
    };
    let product_id = match id {
        Some(id) => {
            if !product_store::update_product(&mut tx, id, &row, at)
                .await
                .map_err(slug_taken)?
            {
                return Err(EditorError::NotFound);
            }
            id.to_owned()
        }
        None => {
            let id = new_id().to_string();
            product_store::insert_product(&mut tx, &id, &row, at, 0)
                .await
                .map_err(slug_taken)?;
            if let Reach::Seller(seller) = reach {
                product_store::set_vendor(&mut tx, std::slice::from_ref(&id), Some(seller), at)
                    .await?;
            }
            id
        }
    };
    product_store::set_tags(&mut tx, &product_id, &product.tags, true).await?;
    // Variants: the ones not kept go, the kept ones change, the new ones come in.
    let existing: Vec<String> = sqlx::query_scalar("SELECT id FROM variants WHERE product_id = $1")
        .bind(&product_id)
        .fetch_all(&mut *tx)
        .await?;
    for v in variants {
        if let Some(vid) = &v.id
            && !existing.contains(vid)
        {
            return Err(EditorError::invalid(
                "variants",
                Problem::VariantNotInProductReload,
            ));
        }
    }
    for gone in existing
        .iter()
        .filter(|_| !keep_missing)
        .filter(|e| !variants.iter().any(|v| v.id.as_ref() == Some(e)))
    {
        product_store::remove_variant(&mut tx, gone, &product_id).await?;
    }
    let mut location = None;
    for (position, v) in variants.iter().enumerate() {
        let title = if v.options.is_empty() {
            "Default".to_owned()
        } else {
            v.options.join(" / ")
        };
        let row = VariantRow {
            sku: &v.sku,
            title: &title,
            price_minor: v.price_minor,
            compare_at_minor: v.compare_at_minor,
            position: i64::try_from(position).unwrap_or(0),
            options: &v.options,
            weight_grams: v.weight_grams,
            barcode: v.barcode.as_deref(),
        };
        match &v.id {
            Some(vid) => {
                product_store::update_variant(&mut tx, vid, &product_id, &row)
                    .await
                    .map_err(|e| sku_taken(e, &v.sku))?;
            }
            None => {
                let vid = new_id().to_string();
                product_store::insert_variant(&mut tx, &vid, &product_id, &row)
                    .await
                    .map_err(|e| sku_taken(e, &v.sku))?;
                let loc = match &location {
                    Some(l) => l,
                    None => location.insert(
                        crate::catalog::stock_ledger::home_location(&mut tx, &product_id).await?,
                    ),
                };
                // Its first units go through the ledger like every other stock change.
                crate::catalog::stock_ledger::receive(&mut tx, &vid, loc, v.initial_stock, actor)
                    .await?;
            }
        }
    }
    if let (Some(was), Some(now_minor)) = (
        lowest_before,
        product_store::lowest_price(&mut tx, &product_id).await?,
    ) {
        price_dropped(&mut tx, &product_id, was, now_minor).await?;
    }
    if let Some(who) = who {
        let after = audit_view(&mut tx, &product_id).await?.unwrap_or_default();
        let subject = format!("product:{product_id}");
        match audit_before {
            Some(before) => {
                audit_trail::record_change(
                    &mut tx,
                    who,
                    "product.saved",
                    &subject,
                    &before,
                    &after,
                )
                .await?;
            }
            None => {
                audit_trail::record(&mut tx, who, "product.created", &subject, None, Some(after))
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(product_id)
}

fn slug_taken(e: sqlx::Error) -> EditorError {
    if is_unique_violation(&e) {
        EditorError::invalid("product[slug]", Problem::ProductSlugTaken)
    } else {
        e.into()
    }
}

fn sku_taken(e: sqlx::Error, sku: &str) -> EditorError {
    if is_unique_violation(&e) {
        EditorError::invalid(
            "variants",
            Problem::SkuTaken {
                sku: sku.to_owned(),
            },
        )
    } else {
        e.into()
    }
}

/// A change made to many products at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    SetStatus(&'static str),
    /// Raise (positive) or lower every variant's price by this many basis points.
    AdjustPrice(i64),
    /// Count every variant at the first stock location as this many units (a stock take,
    /// recorded in each variant's history as made by `actor`).
    SetStock {
        units: i64,
        actor: String,
    },
}

/// Applies `action` to the products `ids` in one transaction (all or nothing); returns how
/// many changed. Each product's change is an audit entry by `who`.
pub async fn bulk(
    db: &Db,
    ids: &[String],
    action: &BulkAction,
    who: &Who,
) -> Result<u64, EditorError> {
    let mut tx = db.begin_write().await?;
    let at = now().millis();
    let mut changed = 0;
    for id in ids {
        let before = audit_view(&mut tx, id).await?;
        match action {
            BulkAction::SetStatus(status) => {
                changed += u64::from(product_store::set_status(&mut tx, id, status, at).await?);
            }
            BulkAction::AdjustPrice(bp) => {
                let was = product_store::lowest_price(&mut tx, id).await?;
                if product_store::adjust_prices(&mut tx, db.engine(), id, *bp, at).await? {
                    changed += 1;
                    if let (Some(was), Some(now_minor)) =
                        (was, product_store::lowest_price(&mut tx, id).await?)
                    {
                        price_dropped(&mut tx, id, was, now_minor).await?;
                    }
                }
            }
            BulkAction::SetStock { units, actor } => {
                use crate::catalog::stock_ledger::{LedgerError, set_count};
                let variants: Vec<(String, String)> = sqlx::query_as(
                    "SELECT id, sku FROM variants WHERE product_id = $1 ORDER BY position, id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let location = crate::catalog::stock_ledger::home_location(&mut tx, id).await?;
                for (variant, sku) in &variants {
                    match set_count(
                        &mut tx,
                        variant,
                        &location,
                        *units,
                        "counted",
                        "Bulk change",
                        actor,
                    )
                    .await
                    {
                        Ok(_) => {}
                        Err(LedgerError::Db(e)) => return Err(e.into()),
                        Err(e) => {
                            return Err(EditorError::invalid(
                                "units",
                                Problem::StockChangeRefused {
                                    sku: sku.clone(),
                                    reason: Box::new(e.problem()),
                                },
                            ));
                        }
                    }
                }
                product_store::touch(&mut tx, id, at).await?;
                changed += u64::from(!variants.is_empty());
            }
        }
        if let (Some(before), Some(after)) = (before, audit_view(&mut tx, id).await?) {
            let subject = format!("product:{id}");
            audit_trail::record_change(
                &mut tx,
                who,
                "product.bulk_changed",
                &subject,
                &before,
                &after,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(changed)
}
