-- Shopping carts: one per account, or one per browser for a guest (found by the SHA-256 of the
-- token in its `shop_cart` cookie). Lines hold a variant and a quantity only: prices, stock and
-- discounts are read anew every time, never stored from what a client sent.

CREATE TABLE carts (
    id         TEXT PRIMARY KEY,
    user_id    TEXT UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (token_hash IS NULL))
);
-- Old guest carts are cleared by the hourly clean-up.
CREATE INDEX carts_updated ON carts (updated_at);

CREATE TABLE cart_lines (
    cart_id         TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    variant_id      TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    -- 1: kept under "saved for later", not bought with the cart.
    saved_for_later BIGINT NOT NULL DEFAULT 0,
    added_at        BIGINT NOT NULL,
    PRIMARY KEY (cart_id, variant_id)
);
