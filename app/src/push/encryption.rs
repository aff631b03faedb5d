//! Message encryption for web push (RFC 8291, "aes128gcm" content coding of RFC 8188).
//!
//! A push service only relays bytes; the browser decrypts them with the key pair and the
//! authentication secret it made when the shopper subscribed. Each message gets a fresh
//! ephemeral key pair and salt, so the shared secret is never reused.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// Record size announced in the header. One record holds the whole message.
const RECORD_SIZE: u32 = 4096;
/// Largest plaintext: push services take 4096 bytes of body, of which the header is 86, the
/// tag 16 and the record delimiter 1 (RFC 8291 section 4).
pub const MAX_PLAINTEXT: usize = 3993;

/// Why a message could not be encrypted for a subscription.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncryptionError {
    #[error("the subscription's public key is not a P-256 point")]
    BadPublicKey,
    #[error("the subscription's authentication secret must be 16 bytes")]
    BadAuthSecret,
    #[error("the message is longer than one push record allows")]
    TooLong,
}

/// Encrypts `plaintext` for a browser whose subscription holds `ua_public` (65-byte
/// uncompressed P-256 point, "p256dh") and `auth_secret` (16 bytes, "auth"), with a fresh
/// ephemeral key and salt. Returns the request body: header then ciphertext.
pub fn encrypt(
    ua_public: &[u8],
    auth_secret: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, EncryptionError> {
    let ephemeral = random_secret_key();
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    encrypt_with(ua_public, auth_secret, plaintext, &ephemeral, &salt)
}

/// A random P-256 secret key (a random 32-byte string is a valid scalar all but with
/// probability ~2⁻¹²⁸; the loop covers that case).
pub fn random_secret_key() -> SecretKey {
    loop {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return key;
        }
    }
}

/// The deterministic core of [`encrypt`]: the sender's ephemeral key and the salt are given
/// (tests reproduce the RFC's example with them).
pub fn encrypt_with(
    ua_public: &[u8],
    auth_secret: &[u8],
    plaintext: &[u8],
    as_secret: &SecretKey,
    salt: &[u8; 16],
) -> Result<Vec<u8>, EncryptionError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EncryptionError::TooLong);
    }
    if auth_secret.len() != 16 {
        return Err(EncryptionError::BadAuthSecret);
    }
    let ua_key =
        PublicKey::from_sec1_bytes(ua_public).map_err(|_| EncryptionError::BadPublicKey)?;
    let ua_point = ua_key.to_encoded_point(false);
    let as_point = as_secret.public_key().to_encoded_point(false);

    let shared = p256::ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), ua_key.as_affine());

    // IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0 ua_public as_public, 32)
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_point.as_bytes());
    key_info.extend_from_slice(as_point.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth_secret), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|_| EncryptionError::BadAuthSecret)?;

    // CEK and nonce from HKDF(salt, IKM) (RFC 8188).
    let content = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    content
        .expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|_| EncryptionError::BadAuthSecret)?;
    content
        .expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|_| EncryptionError::BadAuthSecret)?;

    // One record: the plaintext and the last-record delimiter 0x02, no padding.
    let mut record = Vec::with_capacity(plaintext.len() + 1);
    record.extend_from_slice(plaintext);
    record.push(2);
    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|_| EncryptionError::BadAuthSecret)?;
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &record,
                aad: &[],
            },
        )
        .map_err(|_| EncryptionError::TooLong)?;

    let mut body = Vec::with_capacity(86 + sealed.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(as_point.as_bytes());
    body.extend_from_slice(&sealed);
    Ok(body)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    pub(crate) fn b64(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).expect("base64url")
    }

    /// RFC 8291, section 5 and appendix A: the same keys and salt give the same bytes.
    #[test]
    fn reproduces_the_rfc_8291_example() {
        let as_secret =
            SecretKey::from_slice(&b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")).unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.encode(as_secret.public_key().to_encoded_point(false).as_bytes()),
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        );
        let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap();
        let body = encrypt_with(
            &b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            &b64("BTBZMqHH6r4Tts7J_aSIgg"),
            b"When I grow up, I want to be a watermelon",
            &as_secret,
            &salt,
        )
        .unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.encode(&body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
    }

    #[test]
    fn fresh_keys_and_salt_for_every_message() {
        let ua = random_secret_key();
        let ua_public = ua.public_key().to_encoded_point(false);
        let a = encrypt(ua_public.as_bytes(), &[7; 16], b"hello").unwrap();
        let b = encrypt(ua_public.as_bytes(), &[7; 16], b"hello").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 86 + 5 + 1 + 16);
    }

    #[test]
    fn bad_subscription_keys_are_refused() {
        assert_eq!(
            encrypt(&[4; 65], &[0; 16], b"x"),
            Err(EncryptionError::BadPublicKey)
        );
        let ua = random_secret_key().public_key().to_encoded_point(false);
        assert_eq!(
            encrypt(ua.as_bytes(), &[0; 15], b"x"),
            Err(EncryptionError::BadAuthSecret)
        );
        assert_eq!(
            encrypt(ua.as_bytes(), &[0; 16], &vec![b'a'; MAX_PLAINTEXT + 1]),
            Err(EncryptionError::TooLong)
        );
    }
}
