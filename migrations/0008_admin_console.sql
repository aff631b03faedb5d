-- The admin console: search-engine fields and store contact details, internal order notes,
-- shipments (partial fulfilment), server-side analytics events, and CSV imports with their
-- per-row errors.

ALTER TABLE products ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
-- The merchant's own product type (Shopify's "Type" column), shown in the console.
ALTER TABLE products ADD COLUMN product_type TEXT NOT NULL DEFAULT '';

ALTER TABLE stores ADD COLUMN logo_key TEXT;
ALTER TABLE stores ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN contact_address TEXT NOT NULL DEFAULT '';
-- Variants at or below this many sellable units count as low stock on the dashboard.
ALTER TABLE stores ADD COLUMN low_stock_threshold BIGINT NOT NULL DEFAULT 5;

-- Notes staff keep on an order; never shown to the customer.
CREATE TABLE order_notes (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    author_id  TEXT REFERENCES users(id) ON DELETE SET NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX order_notes_order ON order_notes (order_id, created_at);

-- A parcel: some units of some lines, taken from one stock location.
CREATE TABLE shipments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    location_id     TEXT REFERENCES stock_locations(id) ON DELETE SET NULL,
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id, created_at);

CREATE TABLE shipment_lines (
    shipment_id TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, position)
);

-- Where an imported picture came from, so importing the same file again adds it once.
ALTER TABLE product_images ADD COLUMN source_url TEXT;

ALTER TABLE stock_movements ADD COLUMN location_id TEXT;
ALTER TABLE stock_movements ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- What shoppers did, recorded by the server: no account, address or IP. `subject` is a keyed
-- hash of the cart, only to count distinct carts per funnel step.
CREATE TABLE analytics_events (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject      TEXT,
    product_id   TEXT,
    search_terms TEXT,
    result_count BIGINT,
    value_minor  BIGINT,
    -- Identical events within one flush are stored once with their count.
    count        BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);
CREATE INDEX analytics_events_kind ON analytics_events (kind, created_at);

CREATE TABLE imports (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    -- The uploaded file, kept until the import finishes.
    payload        TEXT,
    total_rows     BIGINT NOT NULL DEFAULT 0,
    total_products BIGINT NOT NULL DEFAULT 0,
    -- Products handled so far, in file order (the job resumes after them).
    products_done  BIGINT NOT NULL DEFAULT 0,
    created_count  BIGINT NOT NULL DEFAULT 0,
    updated_count  BIGINT NOT NULL DEFAULT 0,
    failed_rows    BIGINT NOT NULL DEFAULT 0,
    created_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX imports_created ON imports (created_at);

CREATE TABLE import_errors (
    import_id  TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    handle     TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number)
);

-- Console lists at 100,000 rows: newest first, by status, by customer e-mail, by title.
-- Covers the console's title search, so a rare word scans the index, not the table.
CREATE INDEX products_admin_updated ON products (updated_at, id, status, title);
CREATE INDEX products_admin_status ON products (status, updated_at, id);
CREATE INDEX orders_email ON orders (email, created_at);
CREATE INDEX orders_paid ON orders (paid_at);
CREATE INDEX users_role ON users (role, created_at);
CREATE INDEX variants_stock ON variants (stock);
