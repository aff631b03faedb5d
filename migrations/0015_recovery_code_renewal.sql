-- New recovery codes for an account that used up (or lost) its first ones (written by
-- `identity::factors` only). The new codes count at once (hashed in `recovery_codes`); their
-- plain text waits in `totp_factors.pending_codes` until the owner says they saved them, or
-- until `codes_shown_until`, so the page that shows them works without JavaScript and a
-- reload does not lose them.
ALTER TABLE totp_factors ADD COLUMN codes_shown_until BIGINT;
