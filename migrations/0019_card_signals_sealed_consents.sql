-- Card signals for fraud scoring (issue 18): an order is scored again once its card payment
-- went through, with what the provider tells about the card (`fraud::assess::assess_payment`).
-- `card_key` is a keyed hash of the provider's card fingerprint, never the fingerprint.
ALTER TABLE order_risk ADD COLUMN card_key TEXT;
CREATE INDEX order_risk_card ON order_risk (card_key, scored_at);

-- The test provider counts declined attempts per intent and gives each test card a
-- fingerprint, as real providers do.
ALTER TABLE testpay_intents ADD COLUMN declines BIGINT NOT NULL DEFAULT 0;
ALTER TABLE testpay_intents ADD COLUMN card_fingerprint TEXT;

-- Newsletter subscriptions sealed like other personal data: the address under the
-- subscription's own data key (shredded when the person is erased), found by its blind index.
-- The old UNIQUE (store_id, email) never matches sealed values; this index takes its place.
ALTER TABLE newsletter_subscriptions ADD COLUMN email_index TEXT;
ALTER TABLE newsletter_subscriptions ADD COLUMN key_id TEXT;
CREATE UNIQUE INDEX newsletter_subscriptions_index ON newsletter_subscriptions (store_id, email_index);

-- Consent records keep the address's blind index only: enough to find a person's records
-- when they ask, nothing to read back.
ALTER TABLE consent_records ADD COLUMN email_index TEXT;
CREATE INDEX consent_records_email_index ON consent_records (email_index, at);
