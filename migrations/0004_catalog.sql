-- The catalog's core: categories, products and their variants, and shoppers' favourites.
-- Options, images, stock per location, collections and search facets extend it later.

CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES categories(id) ON DELETE SET NULL,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    brand       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
    category_id TEXT REFERENCES categories(id) ON DELETE SET NULL,
    -- The lowest variant price, kept with the product so lists sort by price without a join.
    price_minor BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX products_category_new ON products (category_id, status, created_at);
CREATE INDEX products_category_price ON products (category_id, status, price_minor);

CREATE TABLE variants (
    id               TEXT PRIMARY KEY,
    product_id       TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    sku              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    price_minor      BIGINT NOT NULL,
    compare_at_minor BIGINT,
    stock            BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    position         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX variants_product ON variants (product_id, position);

CREATE TABLE favourites (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);
