//! Voluntary application server identification (VAPID, RFC 8292): the shop signs a short JWT
//! per push service origin with its own P-256 key, so push services know who sends and
//! browsers only accept messages from the key they subscribed with.
//!
//! The key pair is made on the first start and kept in `app_meta`, so subscriptions survive
//! restarts and every instance signs with the same key.

use crate::platform::db::Db;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::SecretKey;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use p256::elliptic_curve::sec1::ToEncodedPoint;

/// How long a signed token is good for (RFC 8292 allows at most 24 hours).
const TOKEN_LIFETIME_SECS: i64 = 12 * 3600;

/// The shop's VAPID key pair.
#[derive(Clone)]
pub struct VapidKey {
    secret: SecretKey,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public", &self.public_base64())
            .finish_non_exhaustive()
    }
}

impl VapidKey {
    /// Loads the installation's key, making it on first use.
    pub async fn load(db: &Db) -> Result<Self, sqlx::Error> {
        let stored = crate::platform::meta::get_or_create(db, "vapid_private_key", || {
            let key = super::encryption::random_secret_key();
            URL_SAFE_NO_PAD.encode(key.to_bytes())
        })
        .await?;
        Self::from_base64(&stored).ok_or_else(|| {
            sqlx::Error::Decode("app_meta.vapid_private_key is not a P-256 key".into())
        })
    }

    /// A key from its base64url secret scalar.
    pub fn from_base64(secret: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(secret.trim()).ok()?;
        SecretKey::from_slice(&bytes)
            .ok()
            .map(|secret| Self { secret })
    }

    /// The public key as browsers want it for `applicationServerKey`: the uncompressed point,
    /// base64url without padding.
    pub fn public_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    /// The `Authorization` header for a request to `endpoint`, valid from `now_secs` (Unix
    /// seconds) for 12 hours; `subject` is a `mailto:` or `https:` contact for the push service.
    pub fn authorization(&self, endpoint: &reqwest::Url, subject: &str, now_secs: i64) -> String {
        let audience = endpoint.origin().ascii_serialization();
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({
            "aud": audience,
            "exp": now_secs + TOKEN_LIFETIME_SECS,
            "sub": subject,
        });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string().as_bytes());
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = SigningKey::from(&self.secret).sign(signing_input.as_bytes());
        let token = format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        );
        format!("vapid t={token}, k={}", self.public_base64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::{VerifyingKey, signature::Verifier};

    #[test]
    fn tokens_are_signed_for_the_push_service_origin() {
        let key = VapidKey {
            secret: crate::push::encryption::random_secret_key(),
        };
        let endpoint = reqwest::Url::parse("https://push.example.net:8443/wp/abc?x=1").unwrap();
        let header = key.authorization(&endpoint, "mailto:shop@example.com", 1_700_000_000);
        let rest = header.strip_prefix("vapid t=").unwrap();
        let (token, k) = rest.split_once(", k=").unwrap();
        assert_eq!(k, key.public_base64());
        let (input, signature) = token.rsplit_once('.').unwrap();
        let (_, claims) = input.split_once('.').unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
        assert_eq!(claims["aud"], "https://push.example.net:8443");
        assert_eq!(claims["exp"], 1_700_000_000 + 12 * 3600);
        assert_eq!(claims["sub"], "mailto:shop@example.com");

        let public = URL_SAFE_NO_PAD.decode(k).unwrap();
        assert_eq!(public.len(), 65);
        let verifier = VerifyingKey::from_sec1_bytes(&public).unwrap();
        let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap()).unwrap();
        verifier.verify(input.as_bytes(), &signature).unwrap();
        assert!(
            verifier
                .verify(format!("{input}x").as_bytes(), &signature)
                .is_err()
        );
    }

    #[test]
    fn keys_round_trip_through_storage() {
        let key = VapidKey {
            secret: crate::push::encryption::random_secret_key(),
        };
        let stored = URL_SAFE_NO_PAD.encode(key.secret.to_bytes());
        let loaded = VapidKey::from_base64(&stored).unwrap();
        assert_eq!(loaded.public_base64(), key.public_base64());
        assert!(VapidKey::from_base64("not a key").is_none());
    }
}
