//! What a person may agree to, and the version of the words they agreed to.
//!
//! A consent record keeps the purpose, the wording's version, where it was given and when it
//! was withdrawn. Change a version here whenever the words beside its checkbox or button
//! change (in any language), so the record says which words were agreed to.

/// The newsletter (the footer's sign-up form).
pub const NEWSLETTER: &str = "newsletter";
/// The current wording of the newsletter sign-up.
pub const NEWSLETTER_WORDING: &str = "newsletter/2026-01";
/// Push messages of one topic: `push.<topic>` (`push.order_status`, `push.promotions`).
pub const PUSH_PREFIX: &str = "push.";
/// The current wording of the notifications page's topics.
pub const PUSH_WORDING: &str = "push/2026-01";

/// The purpose of push messages on `topic`.
pub fn push_purpose(topic: crate::offline::PushTopic) -> String {
    format!("{PUSH_PREFIX}{}", topic.as_str())
}
