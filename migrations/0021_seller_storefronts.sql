-- Sellers' storefronts (issue 19): a logo and a banner picture, stored by `media` like a
-- product's pictures (the original's key and its size, so pages reserve the space).
-- Written by `vendors::vendor_store` when the seller uploads them from its dashboard.
ALTER TABLE vendors ADD COLUMN logo_key TEXT;
ALTER TABLE vendors ADD COLUMN logo_width BIGINT;
ALTER TABLE vendors ADD COLUMN logo_height BIGINT;
ALTER TABLE vendors ADD COLUMN banner_key TEXT;
ALTER TABLE vendors ADD COLUMN banner_width BIGINT;
ALTER TABLE vendors ADD COLUMN banner_height BIGINT;
