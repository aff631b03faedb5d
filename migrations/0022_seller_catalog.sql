-- Sellers keep their own stock (issue 19): a stock location belongs to the operator (NULL) or
-- to one vendor. `name` stays unique across the shop, so a seller's location is stored as
-- "<label> (<vendor slug>)" (what the operator's pages show) and `label` keeps the name the
-- seller gave it (what the seller's dashboard shows). Written by `catalog::stock_ledger`.
ALTER TABLE stock_locations ADD COLUMN vendor_id TEXT REFERENCES vendors(id);
ALTER TABLE stock_locations ADD COLUMN label TEXT;
CREATE INDEX stock_locations_vendor ON stock_locations (vendor_id, position);
