-- Checkout, payments and orders.
--
-- Settings the admin changes (shipping zones and rates, tax rates, coupons, whether prices
-- include tax), the shopper's checkout in progress, orders with their lines and history,
-- payments and refunds, received webhooks (deduplicated by event id), invoice numbering, and
-- the built-in test payment provider's own records (it plays the part of an outside service).

ALTER TABLE stores ADD COLUMN prices_include_tax BIGINT NOT NULL DEFAULT 1;

-- Shipping: a zone is a list of countries ('*' for everywhere else); each zone offers rates.
CREATE TABLE shipping_zones (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- Country codes separated by commas, or '*'.
    countries  TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE shipping_rates (
    id              TEXT PRIMARY KEY,
    zone_id         TEXT NOT NULL REFERENCES shipping_zones(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    -- 'flat': price_minor; 'weight': price_minor plus per_kg_minor for each started kilogram.
    kind            TEXT NOT NULL CHECK (kind IN ('flat', 'weight')),
    price_minor     BIGINT NOT NULL CHECK (price_minor >= 0),
    per_kg_minor    BIGINT NOT NULL DEFAULT 0 CHECK (per_kg_minor >= 0),
    -- Offered only for parcels within these weights (grams); NULL means no bound.
    min_weight_g    BIGINT,
    max_weight_g    BIGINT,
    -- Free when the goods (after discounts) cost at least this much.
    free_over_minor BIGINT,
    delivery_days   TEXT NOT NULL DEFAULT '',
    position        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX shipping_rates_zone ON shipping_rates (zone_id, position);

-- Tax rates per country, optionally per region (state, province); rate in basis points
-- (1900 = 19 %). A region's row wins over the country's row with region ''.
CREATE TABLE tax_rates (
    id       TEXT PRIMARY KEY,
    country  TEXT NOT NULL,
    region   TEXT NOT NULL DEFAULT '',
    name     TEXT NOT NULL,
    rate_bp  BIGINT NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    UNIQUE (country, region)
);

CREATE TABLE coupons (
    id                 TEXT PRIMARY KEY,
    -- Stored in capitals; shoppers may type any case.
    code               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('percent', 'fixed', 'free_shipping')),
    -- Percent: whole percent 1..100; fixed: minor units; free shipping: 0.
    value              BIGINT NOT NULL DEFAULT 0 CHECK (value >= 0),
    min_subtotal_minor BIGINT NOT NULL DEFAULT 0,
    starts_at          BIGINT,
    ends_at            BIGINT,
    usage_limit        BIGINT,
    per_customer_limit BIGINT,
    -- Uses by orders that were not cancelled; raised by one conditional UPDATE.
    times_used         BIGINT NOT NULL DEFAULT 0 CHECK (times_used >= 0),
    created_at         BIGINT NOT NULL
);

-- Uses per customer (account id, or the lower-cased e-mail of a guest).
CREATE TABLE coupon_customer_uses (
    coupon_id    TEXT NOT NULL REFERENCES coupons(id) ON DELETE CASCADE,
    customer_key TEXT NOT NULL,
    uses         BIGINT NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (coupon_id, customer_key)
);

-- A checkout in progress, one per cart: what the shopper has entered so far.
CREATE TABLE checkouts (
    cart_id          TEXT PRIMARY KEY REFERENCES carts(id) ON DELETE CASCADE,
    email            TEXT NOT NULL DEFAULT '',
    -- The delivery address as JSON (AddressInput), '' until entered.
    address          TEXT NOT NULL DEFAULT '',
    shipping_rate_id TEXT,
    coupon_code      TEXT,
    updated_at       BIGINT NOT NULL
);

-- Gapless counters (invoice numbers, order numbers), raised inside the transaction that uses them.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    number             BIGINT NOT NULL UNIQUE,
    store_id           TEXT NOT NULL REFERENCES stores(id),
    user_id            TEXT REFERENCES users(id) ON DELETE SET NULL,
    cart_id            TEXT,
    email              TEXT NOT NULL,
    status             TEXT NOT NULL,
    currency           TEXT NOT NULL,
    subtotal_minor     BIGINT NOT NULL,
    discount_minor     BIGINT NOT NULL,
    shipping_minor     BIGINT NOT NULL,
    tax_minor          BIGINT NOT NULL,
    total_minor        BIGINT NOT NULL,
    prices_include_tax BIGINT NOT NULL,
    tax_rate_bp        BIGINT NOT NULL,
    -- "VAT", "Sales tax": the name of the rate applied.
    tax_name           TEXT NOT NULL DEFAULT '',
    -- Delivery address as JSON (AddressInput).
    address            TEXT NOT NULL,
    shipping_name      TEXT NOT NULL,
    coupon_id          TEXT REFERENCES coupons(id) ON DELETE SET NULL,
    coupon_code        TEXT,
    -- 'card', 'bank_transfer' or 'cash_on_delivery'.
    payment_method     TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL UNIQUE,
    -- SHA-256 of what was ordered, to refuse a reused key with a different cart.
    fingerprint        TEXT NOT NULL,
    -- SHA-256 of the secret in the guest's order link.
    access_hash        TEXT NOT NULL,
    invoice_number     BIGINT UNIQUE,
    -- 1 once the order's stock and coupon use were given back (cancelled or never paid).
    released           BIGINT NOT NULL DEFAULT 0,
    -- An unpaid card order is cancelled after this time.
    pay_by             BIGINT,
    carrier            TEXT,
    tracking_number    TEXT,
    refunded_minor     BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    paid_at            BIGINT
);
CREATE INDEX orders_user ON orders (user_id, created_at);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_created ON orders (created_at);

CREATE TABLE order_lines (
    order_id           TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position           BIGINT NOT NULL,
    variant_id         TEXT REFERENCES variants(id) ON DELETE SET NULL,
    product_slug       TEXT NOT NULL,
    sku                TEXT NOT NULL,
    title              TEXT NOT NULL,
    variant_title      TEXT NOT NULL,
    quantity           BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_minor   BIGINT NOT NULL,
    line_total_minor   BIGINT NOT NULL,
    fulfilled_quantity BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, position)
);

-- Every change of an order's status: from, to, who and when.
CREATE TABLE order_events (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    -- 'customer', 'system', 'provider' or a staff account's id.
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, created_at);

-- A payment attempt through a provider (PaymentIntent-shaped).
CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    provider        TEXT NOT NULL,
    intent_id       TEXT NOT NULL,
    status          TEXT NOT NULL,
    amount_minor    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    refunded_minor  BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (provider, intent_id)
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE refunds (
    id                 TEXT PRIMARY KEY,
    order_id           TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    payment_id         TEXT REFERENCES payments(id),
    provider_refund_id TEXT,
    amount_minor       BIGINT NOT NULL CHECK (amount_minor > 0),
    reason             TEXT NOT NULL DEFAULT '',
    actor              TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);

-- Webhook events already handled, so a re-delivered event is applied once.
CREATE TABLE webhook_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

-- Why stock changed: orders taking and giving back units (inventory adjustments later).
CREATE TABLE stock_movements (
    id         TEXT PRIMARY KEY,
    variant_id TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    delta      BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    order_id   TEXT,
    actor      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX stock_movements_variant ON stock_movements (variant_id, created_at);

-- The built-in test payment provider's records. It stands in for an outside service: the shop
-- talks to it only through the provider interface and its webhooks.
CREATE TABLE testpay_intents (
    id              TEXT PRIMARY KEY,
    client_secret   TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL,
    amount_received BIGINT NOT NULL DEFAULT 0,
    amount_refunded BIGINT NOT NULL DEFAULT 0,
    -- The card's brand and last four digits once confirmed; never the number.
    card            TEXT,
    last_error      TEXT,
    reference       TEXT NOT NULL,
    return_url      TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
