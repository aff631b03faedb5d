//! Stock changes made by people in the console: every adjustment names a variant, a stock
//! location, a reason and who made it. The counting itself is the catalog's stock ledger
//! (`catalog::stock_ledger`, the only writer of stock); this module is the console's name for
//! it.

pub use crate::catalog::stock_ledger::{
    Adjusted, LedgerError as InventoryError, adjust, set_count,
};
