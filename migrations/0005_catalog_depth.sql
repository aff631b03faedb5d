-- The rest of the catalog model: options and variant option values (Shopify's three-option
-- shape, so its product CSV maps one to one), weights and barcodes, tags, attributes that become
-- search facets, images, curated collections, stock per location, sales counts for "best
-- selling", and the merchant's search synonyms.

ALTER TABLE products ADD COLUMN option1_name TEXT;
ALTER TABLE products ADD COLUMN option2_name TEXT;
ALTER TABLE products ADD COLUMN option3_name TEXT;
-- Units sold, kept with the product so lists sort by it without a join; orders add to it.
ALTER TABLE products ADD COLUMN sold_count BIGINT NOT NULL DEFAULT 0;

ALTER TABLE variants ADD COLUMN option1 TEXT;
ALTER TABLE variants ADD COLUMN option2 TEXT;
ALTER TABLE variants ADD COLUMN option3 TEXT;
ALTER TABLE variants ADD COLUMN weight_grams BIGINT NOT NULL DEFAULT 0;
ALTER TABLE variants ADD COLUMN barcode TEXT;

CREATE TABLE product_tags (
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);

-- Descriptive facts shoppers filter on (Material: Linen).
CREATE TABLE product_attributes (
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, name)
);

-- Pictures of a product, first one first. `file_key` names the original under the media
-- folder; resized copies are made from it.
CREATE TABLE product_images (
    id         TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position   BIGINT NOT NULL DEFAULT 0,
    file_key   TEXT NOT NULL,
    alt        TEXT NOT NULL DEFAULT '',
    width      BIGINT NOT NULL,
    height     BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX product_images_product ON product_images (product_id, position);

CREATE TABLE collections (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Shown on the home page when 1.
    featured    BIGINT NOT NULL DEFAULT 0,
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE collection_products (
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    product_id    TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (collection_id, product_id)
);
CREATE INDEX collection_products_product ON collection_products (product_id);

-- Where stock is kept. `variants.stock` stays the sellable total: the sum of a variant's
-- levels, changed in the same transaction as them (see catalog::inventory).
CREATE TABLE stock_locations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE stock_levels (
    variant_id  TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES stock_locations(id) ON DELETE CASCADE,
    on_hand     BIGINT NOT NULL CHECK (on_hand >= 0),
    PRIMARY KEY (variant_id, location_id)
);

-- Words a shopper may use for one another: one group per row, terms separated by commas.
CREATE TABLE search_synonyms (
    id         TEXT PRIMARY KEY,
    terms      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Products changed since a search index last looked: every instance's index follows
-- `products.updated_at`, so writers bump it whenever something the index holds changes.
CREATE INDEX products_updated ON products (updated_at);

-- Home page lists over the whole catalog.
CREATE INDEX products_best_selling ON products (status, sold_count);
CREATE INDEX products_newest ON products (status, created_at);
