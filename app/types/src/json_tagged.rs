//! Reading internally tagged enums (`{"kind": "price_changed", "was": …, "now": …}`) without
//! serde's derive.
//!
//! For an internally tagged enum, `#[derive(Deserialize)]` buffers the whole object into
//! serde's private `Content` tree before it knows the variant, and that machinery, instantiated
//! for every deserializer it meets, came to about 150 KB of WebAssembly in the module every page
//! downloads (`Problem`'s derive alone added 85 KB, a string comparison per code and a reader
//! per variant). Every enum the browser reads is JSON, so [`tagged_deserialize!`] reads a JSON
//! object, takes the tag and fills the variant's fields one by one with [`parameter`], a small
//! generic function. `Serialize` stays derived: the wire format does not change.
//!
//! The macro lists each variant and its fields again; a variant left out fails to compile (an
//! exhaustive match is generated), a field left out too (the constructor names them all).

/// A JSON object, field by field.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

/// `price_changed` → `PriceChanged`: a tag back to its variant's name (serde's `snake_case`
/// undone).
pub fn camel_case(tag: &str) -> String {
    let mut name = String::with_capacity(tag.len());
    let mut upper = true;
    for c in tag.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            name.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            name.push(c);
        }
    }
    name
}

/// Reads a JSON object and takes its tag out: the tag as written, and the object's other fields.
pub fn read_tagged<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, JsonObject), D::Error> {
    use serde::Deserialize;
    use serde::de::Error;
    let mut object = JsonObject::deserialize(deserializer)?;
    match object.remove(tag) {
        Some(serde_json::Value::String(value)) => Ok((value, object)),
        _ => Err(D::Error::missing_field(tag)),
    }
}

/// One field of a variant, taken from its object (absent reads as `null`, which an `Option`
/// takes as `None` and anything else refuses).
pub fn parameter<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    object: &mut JsonObject,
    name: &'static str,
) -> Result<T, E> {
    serde_json::from_value(object.remove(name).unwrap_or(serde_json::Value::Null))
        .map_err(E::custom)
}

/// `impl Deserialize` for an internally tagged enum whose variants are `snake_case` on the wire:
/// `tagged_deserialize!(ChangeOutcome, "kind", { Applied, PriceChanged { was, now } });`
#[macro_export]
macro_rules! tagged_deserialize {
    ($enum:ident, $tag:literal, { $($name:ident $({ $($field:ident),* $(,)? })?),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                // Fails to compile when a variant of the enum is missing from the list.
                #[allow(dead_code)]
                fn every_variant_is_listed(value: &$enum) {
                    match value {
                        $($enum::$name { .. } => {})*
                    }
                }
                let (tag, mut object) = $crate::json_tagged::read_tagged(deserializer, $tag)?;
                let name = $crate::json_tagged::camel_case(&tag);
                $(
                    if name == stringify!($name) {
                        return Ok($enum::$name $({ $($field: $crate::json_tagged::parameter::<_, D::Error>(&mut object, stringify!($field))?),* })?);
                    }
                )*
                Err(D::Error::custom(format_args!("unknown {} `{}`", $tag, tag)))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::messages::PictureTrouble;
    use crate::offline::{ChangeOutcome, ChangeReport, WorkerReport};
    use crate::{Currency, Money, Problem};
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T) {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    }

    #[test]
    fn hand_read_enums_read_what_the_derived_serialize_writes() {
        use PictureTrouble::*;
        for trouble in [
            AddressInvalid,
            NoHost,
            HostUnknown,
            PrivateNetwork,
            Unreachable,
            Answered { status: 404 },
            CutOff,
            TooLarge,
            Unprocessable,
            NotAPicture,
        ] {
            round_trip(trouble);
        }
        let euros = |minor| Money::new(minor, Currency::EUR);
        let outcomes = [
            ChangeOutcome::Applied,
            ChangeOutcome::PriceChanged {
                was: euros(1000),
                now: euros(1200),
            },
            ChangeOutcome::Refused {
                problem: Problem::SoldOut,
            },
        ];
        for outcome in outcomes.clone() {
            round_trip(outcome);
        }
        round_trip(WorkerReport::Saved { asked: 3, saved: 2 });
        round_trip(WorkerReport::Status {
            pending: 1,
            conflicts: outcomes
                .into_iter()
                .map(|outcome| ChangeReport {
                    id: "x".into(),
                    subject: "Shirt".into(),
                    outcome,
                })
                .collect(),
        });
    }

    #[test]
    fn a_wrong_object_is_refused_with_what_is_wrong() {
        let read = |json: &str| {
            serde_json::from_str::<ChangeOutcome>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(read(r#"{"kind": "teleported"}"#).contains("unknown kind `teleported`"));
        assert!(read(r#"{"was": 1}"#).contains("missing field `kind`"));
        assert!(read(r#"{"kind": 7}"#).contains("missing field `kind`"));
        assert!(
            read(r#"{"kind": "price_changed", "was": {"minor": 1, "currency": "EUR"}}"#)
                .contains("null")
        );
        assert!(read(r#"["applied"]"#).contains("invalid type"));
    }
}
