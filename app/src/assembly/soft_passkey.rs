//! A passkey authenticator in software, for tests: it answers the options the shop sends the
//! way a browser with a platform authenticator does (`toJSON()` of the credential), with a
//! P-256 key, "none" attestation and a signature counter. Knobs let tests answer wrongly
//! (another origin, no user verification, a counter gone backwards) to see the refusals.
//!
//! Only tests use it; the shop never does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One authenticator holding one passkey (after [`SoftPasskey::create`]).
pub struct SoftPasskey {
    key: SigningKey,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    /// The page's origin the browser reports (`http://localhost:3000`).
    pub origin: String,
    /// The signature counter; each use adds one before signing.
    pub counter: u32,
    /// Whether the person was verified (PIN, fingerprint); a passkey must be.
    pub verified: bool,
}

impl SoftPasskey {
    /// An authenticator used from pages at `origin`.
    pub fn new(origin: &str) -> Self {
        let key = loop {
            let bytes: [u8; 32] = rand::random();
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                break key;
            }
        };
        Self {
            key,
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            user_handle: Vec::new(),
            origin: origin.to_owned(),
            counter: 0,
            verified: true,
        }
    }

    /// The browser's answer (JSON) to creation `options` (the JSON of `publicKey`).
    pub fn create(&mut self, options: &str) -> String {
        let options: Value = serde_json::from_str(options).expect("creation options are JSON");
        let rp_id = options["rp"]["id"].as_str().expect("rp.id");
        self.user_handle = decode(options["user"]["id"].as_str().expect("user.id"));
        let client_data = self.client_data("webauthn.create", &options);
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut cose = map_head(5);
        cose.extend(uint(1)); // kty: EC2
        cose.extend(uint(2));
        cose.extend(uint(3)); // alg: ES256
        cose.extend(negative(-7));
        cose.extend(negative(-1)); // crv: P-256
        cose.extend(uint(1));
        cose.extend(negative(-2)); // x
        cose.extend(bytes(point.x().expect("x")));
        cose.extend(negative(-3)); // y
        cose.extend(bytes(point.y().expect("y")));
        let mut auth_data = self.auth_data(rp_id, 0x40);
        auth_data.extend([0u8; 16]); // AAGUID: unknown
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(cose);
        let mut attestation = map_head(3);
        attestation.extend(text("fmt"));
        attestation.extend(text("none"));
        attestation.extend(text("attStmt"));
        attestation.extend(map_head(0));
        attestation.extend(text("authData"));
        attestation.extend(bytes(&auth_data));
        let id = URL_SAFE_NO_PAD.encode(&self.credential_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
                "attestationObject": URL_SAFE_NO_PAD.encode(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": { "credProps": { "rk": true } },
        })
        .to_string()
    }

    /// The browser's answer (JSON) to request `options` (the JSON of `publicKey`), signed with
    /// this passkey.
    pub fn get(&mut self, options: &str) -> String {
        let options: Value = serde_json::from_str(options).expect("request options are JSON");
        let rp_id = options["rpId"].as_str().expect("rpId");
        self.counter += 1;
        let client_data = self.client_data("webauthn.get", &options);
        let auth_data = self.auth_data(rp_id, 0);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        let id = URL_SAFE_NO_PAD.encode(&self.credential_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
                "authenticatorData": URL_SAFE_NO_PAD.encode(auth_data),
                "signature": URL_SAFE_NO_PAD.encode(signature.to_der().as_bytes()),
                "userHandle": URL_SAFE_NO_PAD.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["challenge"].as_str().expect("challenge"),
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    /// Relying-party hash, flags (presence always; verification if set; `extra` bits) and the
    /// counter.
    fn auth_data(&self, rp_id: &str, extra: u8) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        let flags = 0x01 | if self.verified { 0x04 } else { 0 } | extra;
        data.push(flags);
        data.extend(self.counter.to_be_bytes());
        data
    }
}

fn decode(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

/// A CBOR head: major type and argument.
fn head(major: u8, value: u64) -> Vec<u8> {
    let major = major << 5;
    match value {
        0..=23 => vec![major | value as u8],
        24..=0xff => vec![major | 24, value as u8],
        0x100..=0xffff => {
            let mut out = vec![major | 25];
            out.extend((value as u16).to_be_bytes());
            out
        }
        _ => {
            let mut out = vec![major | 26];
            out.extend((value as u32).to_be_bytes());
            out
        }
    }
}

fn uint(value: u64) -> Vec<u8> {
    head(0, value)
}

fn negative(value: i64) -> Vec<u8> {
    head(1, (-1 - value) as u64)
}

fn bytes(value: &[u8]) -> Vec<u8> {
    let mut out = head(2, value.len() as u64);
    out.extend(value);
    out
}

fn text(value: &str) -> Vec<u8> {
    let mut out = head(3, value.len() as u64);
    out.extend(value.as_bytes());
    out
}

fn map_head(pairs: u64) -> Vec<u8> {
    head(5, pairs)
}
