-- Marketplace vendors (issue 19): a seller's application, its journey through onboarding and
-- review, and its team. Written only by `vendors::vendor_store`.
--
-- `details` holds what is personal or secret about the business (registration and VAT
-- numbers, the contact person and phone, billing and returns addresses, the bank account) as
-- one JSON document sealed with the vendor's own data key (`key_id`), so closing a vendor
-- can shred it like an erased customer's data. The public face (name, slug, description,
-- returns policy) stays readable for the storefront.
CREATE TABLE vendors (
    id                TEXT PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('applied', 'onboarding', 'in_review', 'approved', 'rejected', 'suspended', 'closed')),
    legal_form        TEXT NOT NULL,
    details           TEXT NOT NULL,
    key_id            TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    returns_policy    TEXT NOT NULL DEFAULT '',
    terms_version     TEXT NOT NULL,
    terms_accepted_at BIGINT NOT NULL,
    status_reason     TEXT,
    status_changed_at BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX vendors_status ON vendors (status, status_changed_at);

-- Who works for a vendor, and as what (owner, catalog, orders, finance). An account belongs
-- to one vendor at most.
CREATE TABLE vendor_members (
    vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('owner', 'catalog', 'orders', 'finance')),
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (vendor_id, user_id)
);
CREATE UNIQUE INDEX vendor_members_user ON vendor_members (user_id);

-- An owner's invitation to join the team: a mailed link (only its SHA-256 is stored) for one
-- address (its blind index), with the role offered; used once, within 7 days.
CREATE TABLE vendor_invitations (
    token_hash  TEXT PRIMARY KEY,
    vendor_id   TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    email_index TEXT NOT NULL,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'catalog', 'orders', 'finance')),
    invited_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX vendor_invitations_vendor ON vendor_invitations (vendor_id, created_at);

-- Every status change with its reason and who made it, shown to the vendor and the operator.
CREATE TABLE vendor_status_history (
    id          TEXT PRIMARY KEY,
    vendor_id   TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    actor       TEXT NOT NULL
);
CREATE INDEX vendor_status_history_vendor ON vendor_status_history (vendor_id, at);

-- A product belongs to a vendor, or (NULL) to the marketplace's operator: a shop with no
-- vendors is today's single shop.
ALTER TABLE products ADD COLUMN vendor_id TEXT REFERENCES vendors(id);
CREATE INDEX products_vendor ON products (vendor_id, status);

-- What the operator asks of a vendor before it sells: a minimum number of products, and
-- whether staff review a completed checklist (otherwise it approves the vendor at once).
ALTER TABLE stores ADD COLUMN vendor_min_products BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN vendor_review_required BIGINT NOT NULL DEFAULT 1;
