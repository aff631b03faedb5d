-- Fraud scoring (issue 18): every order placed gets a risk score with its reasons, and orders
-- held for review cannot be fulfilled until staff approve them.

-- A billing address when it differs from the delivery address (JSON like `address`; NULL: the
-- same). Written by `checkout::checkout_service` and, on the order, `orders::order_store`.
ALTER TABLE checkouts ADD COLUMN billing_address TEXT;
ALTER TABLE orders ADD COLUMN billing_address TEXT;

-- 1 while the order waits for a staff decision (set and cleared through `orders::order_store`
-- on `fraud`'s decision); nothing is packed or shipped meanwhile.
ALTER TABLE orders ADD COLUMN held BIGINT NOT NULL DEFAULT 0;

-- The scores at which an order is held for review or cancelled (0 to 100; above 100: never).
ALTER TABLE stores ADD COLUMN risk_review_score BIGINT NOT NULL DEFAULT 60;
ALTER TABLE stores ADD COLUMN risk_cancel_score BIGINT NOT NULL DEFAULT 90;

-- One row per order (written by `fraud::risk_store` only). The `*_key` columns are keyed
-- hashes of what velocity and reuse rules count (never the e-mail, address or IP itself), so
-- the table tells nothing about a person without the shop's secret.
CREATE TABLE order_risk (
    order_id     TEXT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    score        BIGINT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('accept', 'review', 'cancel')),
    reasons      TEXT NOT NULL,
    email_key    TEXT NOT NULL,
    client_key   TEXT,
    device_key   TEXT,
    address_key  TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    scored_at    BIGINT NOT NULL,
    review       TEXT CHECK (review IN ('approved', 'rejected')),
    reviewed_by  TEXT,
    reviewed_at  BIGINT
);
CREATE INDEX order_risk_email ON order_risk (email_key, scored_at);
CREATE INDEX order_risk_client ON order_risk (client_key, scored_at);
CREATE INDEX order_risk_device ON order_risk (device_key, scored_at);
CREATE INDEX order_risk_address ON order_risk (address_key, scored_at);
CREATE INDEX order_risk_name ON order_risk (name_key, scored_at);
CREATE INDEX order_risk_waiting ON order_risk (decision, review, scored_at);
