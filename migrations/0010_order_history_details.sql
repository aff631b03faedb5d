-- What the shop records beside an order's status change, as a code with parameters (JSON of
-- `shop_types::order::HistoryNote`): "cancelled by the customer", "refunded €12.50", the parcel
-- sent. The words are made when the history is shown, in the reader's language; `note` keeps
-- only what a person typed.
ALTER TABLE order_events ADD COLUMN detail TEXT;
