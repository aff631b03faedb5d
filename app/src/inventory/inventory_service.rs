//! Stock changes made by people, in the console or in a seller's dashboard: every adjustment
//! names a variant, a stock location, a reason and who made it. The counting itself is the
//! catalog's stock ledger (`catalog::stock_ledger`, the only writer of stock; it keeps a
//! seller's units at that seller's locations); this module checks what a person posted.

pub use crate::catalog::stock_ledger::{
    Adjusted, LedgerError as InventoryError, adjust, set_count,
};

use super::views::REASONS;
use crate::platform::audit_trail::Who;
use crate::platform::errors::internal;
use crate::platform::state::AppState;
use shop_types::{AppError, FieldName, Problem, Thing};

/// A stock change as a person posted it.
#[derive(Clone, Debug)]
pub struct StockChange {
    pub variant_id: String,
    pub location_id: String,
    /// `add`, `remove` or `set` (a count).
    pub mode: String,
    pub quantity: String,
    pub reason: String,
    pub note: Option<String>,
}

/// Checks and applies `change` in one transaction, audited (`stock.adjusted`) as `who`'s;
/// with `seller`, only to that seller's variants (`NotFound` for any other). Returns the
/// units that can be sold now.
pub async fn change_stock(
    state: &AppState,
    who: &Who,
    change: &StockChange,
    seller: Option<&str>,
) -> Result<i64, AppError> {
    let quantity: i64 = change
        .quantity
        .trim()
        .parse()
        .ok()
        .filter(|q| (0..=1_000_000).contains(q))
        .ok_or_else(|| AppError::validation("quantity", Problem::UnitsOutOfRange))?;
    let reason = change.reason.trim();
    if !REASONS.iter().any(|(r, _)| *r == reason) {
        return Err(AppError::validation("reason", Problem::ReasonUnknown));
    }
    let note = change.note.clone().unwrap_or_default().trim().to_owned();
    if note.chars().count() > 500 {
        return Err(AppError::validation(
            "note",
            Problem::TooLongField {
                what: FieldName::Note,
                max: 500,
            },
        ));
    }
    let (variant, location, mode) = (
        change.variant_id.trim(),
        change.location_id.trim(),
        change.mode.trim(),
    );
    // The stock history names a seller's team member as such.
    let actor = match (seller, &who.user_id) {
        (Some(_), Some(id)) => format!("vendor:{id}"),
        _ => who.tag(),
    };
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("inventory: begin"))?;
    if let Some(seller) = seller {
        let owner: Option<Option<String>> = sqlx::query_scalar(
            "SELECT p.vendor_id FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1",
        )
        .bind(variant)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("inventory: seller"))?;
        if owner.flatten().as_deref() != Some(seller) {
            return Err(AppError::not_found(Thing::Item));
        }
    }
    let result = match (mode, quantity > 0) {
        ("add" | "remove", false) => {
            return Err(AppError::validation("quantity", Problem::UnitsMissing));
        }
        (direction @ ("add" | "remove"), true) => {
            let delta = if direction == "add" {
                quantity
            } else {
                -quantity
            };
            adjust(&mut tx, variant, location, delta, reason, &note, &actor).await
        }
        ("set", _) => set_count(&mut tx, variant, location, quantity, reason, &note, &actor).await,
        _ => return Err(AppError::validation("mode", Problem::AdjustModeUnknown)),
    };
    let adjusted = match result {
        Ok(a) => a,
        Err(InventoryError::Db(e)) => return Err(internal("inventory: adjust")(e)),
        Err(InventoryError::NotFound) => return Err(AppError::not_found(Thing::Item)),
        Err(e) => return Err(AppError::validation("quantity", e.problem())),
    };
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        "stock.adjusted",
        &format!("variant:{variant}"),
        None,
        Some(serde_json::json!({
            "location": location, "mode": mode, "quantity": quantity,
            "reason": reason, "note": note, "sellable": adjusted.sellable,
        })),
    )
    .await
    .map_err(internal("inventory: audit"))?;
    tx.commit().await.map_err(internal("inventory: commit"))?;
    if adjusted.crossed_zero {
        state.part::<crate::search::follower::Search>().changed();
    }
    Ok(adjusted.sellable)
}

/// The stock list's query as posted: a search (up to 100 characters) and "at most this many
/// units".
pub fn read_stock_query(
    q: Option<String>,
    low: Option<String>,
) -> Result<(Option<String>, Option<i64>), AppError> {
    let q = q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(AppError::validation(
            "q",
            Problem::SearchTooLong { max: 100 },
        ));
    }
    let low = low
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| (0..=1_000_000).contains(n))
                .ok_or_else(|| AppError::validation("low", Problem::WholeNumberInvalid))
        })
        .transpose()?;
    Ok((q, low))
}
