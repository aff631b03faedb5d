//! The shop's mails, each as a plain-text and an HTML body. Every value put into HTML is
//! escaped here; links are built from `SHOP_PUBLIC_URL`.

use serde::{Deserialize, Serialize};
use shop_types::messages::en::status_detail;
use shop_types::{Money, OrderStatus, StatusDetail};

/// A rendered mail, ready to queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A link in the mail that works like a key (a confirmation or reset link, an order's
    /// guest link). The local mailbox shows the mail with it hidden, so no one who can read
    /// the mailbox can use someone else's link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_link: Option<String>,
}

impl OutgoingEmail {
    /// The mail with its secret link replaced by `mask` in both bodies.
    pub fn masked(&self, mask: &str) -> OutgoingEmail {
        let Some(link) = self.secret_link.as_deref().filter(|l| !l.is_empty()) else {
            return self.clone();
        };
        OutgoingEmail {
            to: self.to.clone(),
            subject: self.subject.clone(),
            text: self.text.replace(link, mask),
            html: self
                .html
                .replace(&escape_html(link), &escape_html(mask))
                .replace(link, &escape_html(mask)),
            secret_link: None,
        }
    }
}

pub use shop_types::html::escape_html;

/// Wraps paragraphs and one call-to-action link in the shop's simple HTML layout.
fn layout(store: &str, paragraphs: &[&str], action: Option<(&str, &str)>) -> String {
    let store = escape_html(store);
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&format!(
            "<p style=\"margin:0 0 16px\">{}</p>",
            escape_html(p)
        ));
    }
    if let Some((label, href)) = action {
        body.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{}\" style=\"background:#1f3a5f;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600\">{}</a></p>\
             <p style=\"margin:0 0 16px;color:#4a5361;font-size:14px\">If the button does not work, copy this address into your browser: {}</p>",
            escape_html(href),
            escape_html(label),
            escape_html(href)
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{store}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;color:#1b1f24;line-height:1.5;max-width:560px;margin:0 auto;padding:24px\">\
         <h1 style=\"font-size:20px;color:#1f3a5f\">{store}</h1>{body}</body></html>"
    )
}

/// "Confirm your e-mail address", sent after registration.
pub fn verify_email(store: &str, to: &str, link: &str, valid_hours: i64) -> OutgoingEmail {
    let intro = format!("Welcome to {store}! Please confirm that this is your e-mail address.");
    let validity = format!(
        "The link works once and for {valid_hours} hours. If you did not create an account, ignore this mail."
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Confirm your e-mail address for {store}"),
        text: format!("{intro}\n\nConfirm: {link}\n\n{validity}\n"),
        html: layout(
            store,
            &[&intro, &validity],
            Some(("Confirm my e-mail address", link)),
        ),
        secret_link: Some(link.to_owned()),
    }
}

/// Sent instead of a second account when someone registers with a known address, so the
/// registration form never reveals whether an address has an account.
pub fn already_registered(store: &str, to: &str, login_link: &str) -> OutgoingEmail {
    let intro = format!(
        "Someone (perhaps you) tried to create an account at {store} with this address, which already has one."
    );
    let hint = "If it was you, sign in instead. If you forgot your password, you can reset it from the sign-in page. If it was not you, ignore this mail: nothing has changed.";
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("You already have an account at {store}"),
        text: format!("{intro}\n\n{hint}\n\nSign in: {login_link}\n"),
        html: layout(store, &[&intro, hint], Some(("Sign in", login_link))),
        secret_link: None,
    }
}

/// "Reset your password", sent on request from the sign-in page.
pub fn password_reset(store: &str, to: &str, link: &str, valid_minutes: i64) -> OutgoingEmail {
    let intro =
        format!("Someone (we hope you) asked to reset the password of your account at {store}.");
    let validity = format!(
        "The link works once and for {valid_minutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is."
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Reset your password for {store}"),
        text: format!("{intro}\n\nChoose a new password: {link}\n\n{validity}\n"),
        html: layout(
            store,
            &[&intro, &validity],
            Some(("Choose a new password", link)),
        ),
        secret_link: Some(link.to_owned()),
    }
}

/// "Confirm your new address", sent to the new address when a shopper changes it.
pub fn confirm_new_email(store: &str, to: &str, link: &str, valid_hours: i64) -> OutgoingEmail {
    let intro =
        format!("Please confirm that you want to use this address for your account at {store}.");
    let validity = format!(
        "The link works once and for {valid_hours} hours. Until then your old address stays in use."
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Confirm your new e-mail address for {store}"),
        text: format!("{intro}\n\nConfirm: {link}\n\n{validity}\n"),
        html: layout(
            store,
            &[&intro, &validity],
            Some(("Confirm my new address", link)),
        ),
        secret_link: Some(link.to_owned()),
    }
}

/// Sent to the old address once an account's address has changed, so a taken-over account
/// does not change hands in silence.
pub fn email_changed(
    store: &str,
    to: &str,
    new_address: &str,
    sign_in_link: &str,
) -> OutgoingEmail {
    let intro = format!(
        "The e-mail address of your account at {store} was changed to {new_address}. Mail about the account and its orders now goes there."
    );
    let hint = "If you did not make this change, someone else may be using your account: reset your password from the sign-in page at once, and write to us.";
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Your e-mail address at {store} was changed"),
        text: format!("{intro}\n\n{hint}\n\nSign in: {sign_in_link}\n"),
        html: layout(store, &[&intro, hint], Some(("Sign in", sign_in_link))),
        secret_link: None,
    }
}

/// "New sign-in to your account", sent when an account signs in from a browser it never used
/// before. `link` ends every session and leads to a new password; it is a key, so the
/// mailbox hides it.
pub fn new_device_sign_in(
    store: &str,
    to: &str,
    device: &str,
    when: &str,
    from: &str,
    link: &str,
    valid_hours: i64,
) -> OutgoingEmail {
    let intro = format!(
        "Your account at {store} was just signed in to from a browser it had not used before."
    );
    let facts = format!("Browser: {device}. Time: {when}. Address: {from}.");
    let hint = format!(
        "If this was you, there is nothing to do. If it was not, use the button: it signs your account out everywhere at once and lets you choose a new password. It works once and for {valid_hours} hours."
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("New sign-in to your account at {store}"),
        text: format!("{intro}\n\n{facts}\n\n{hint}\n\nThis was not me: {link}\n"),
        html: layout(
            store,
            &[&intro, &facts, &hint],
            Some(("This was not me: secure my account", link)),
        ),
        secret_link: Some(link.to_owned()),
    }
}

/// One line of an order as its mails show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailLine {
    /// The product, with its variant in brackets ("Linen shirt (M)").
    pub what: String,
    pub quantity: i64,
    pub total: Money,
}

/// The facts of an order confirmation mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationFacts<'a> {
    pub number: i64,
    pub lines: &'a [MailLine],
    pub total: Money,
    /// Where to transfer the money, for an order paid by bank transfer.
    pub bank_details: Option<&'a str>,
    /// When the order is cancelled if the transfer has not arrived.
    pub pay_by: Option<shop_types::Timestamp>,
    pub link: &'a str,
}

/// "Thank you for your order", sent when an order is confirmed (placed with a manual method,
/// or paid by card).
pub fn order_confirmation(store: &str, to: &str, facts: &ConfirmationFacts<'_>) -> OutgoingEmail {
    let number = facts.number;
    let link = facts.link;
    let intro = format!("Thank you for your order {number} at {store}.");
    let lines: Vec<String> = facts
        .lines
        .iter()
        .map(|l| format!("{} × {}: {}", l.quantity, l.what, l.total))
        .collect();
    let summary = format!("Total: {}.", facts.total);
    let bank = facts.bank_details.map(|account| {
        shop_types::messages::en::bank_transfer(&shop_types::BankTransfer {
            total: facts.total,
            account: account.to_owned(),
            order_number: number,
            pay_by: facts.pay_by,
        })
    });
    let mut paragraphs: Vec<&str> = vec![&intro];
    paragraphs.extend(lines.iter().map(String::as_str));
    paragraphs.push(&summary);
    if let Some(bank) = &bank {
        paragraphs.push(bank);
    }
    let follow = "We will write again when it ships. You can follow your order at any time:";
    paragraphs.push(follow);
    let mut text = format!("{intro}\n\n");
    for line in &lines {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str(&format!("\n{summary}\n"));
    if let Some(bank) = &bank {
        text.push_str(&format!("\n{bank}\n"));
    }
    text.push_str(&format!("\n{follow} {link}\n"));
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Your order {number} at {store}"),
        text,
        html: layout(store, &paragraphs, Some(("View your order", link))),
        secret_link: Some(link.to_owned()),
    }
}

/// "Your order is now …", sent on every later change of an order's status.
pub fn order_status(
    store: &str,
    to: &str,
    number: i64,
    status: OrderStatus,
    detail: &StatusDetail,
    link: &str,
) -> OutgoingEmail {
    let status = status.label();
    let detail = status_detail(detail);
    let intro = format!("Your order {number} at {store} is now: {status}.");
    let mut paragraphs: Vec<&str> = vec![&intro];
    if !detail.is_empty() {
        paragraphs.push(&detail);
    }
    let detail_text = if detail.is_empty() {
        String::new()
    } else {
        format!("{detail}\n\n")
    };
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Order {number}: {status}"),
        text: format!("{intro}\n\n{detail_text}View your order: {link}\n"),
        html: layout(store, &paragraphs, Some(("View your order", link))),
        secret_link: Some(link.to_owned()),
    }
}

/// "Your seller account: …", sent to a vendor's owners on every change of its status.
/// `reason` is staff's note (a rejection, suspension or requested changes).
pub fn vendor_status(
    store: &str,
    to: &str,
    vendor: &str,
    status: shop_types::VendorStatus,
    review_required: bool,
    reason: Option<&str>,
    dashboard_link: &str,
) -> OutgoingEmail {
    use shop_types::messages::en;
    let news = en::vendor_status_news(vendor, status, review_required);
    let note = reason.map(|r| format!("Our note: {r}"));
    let mut paragraphs: Vec<&str> = vec![&news];
    if let Some(note) = &note {
        paragraphs.push(note);
    }
    let note_text = note
        .as_deref()
        .map_or(String::new(), |n| format!("{n}\n\n"));
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("{vendor} at {store}: {}", en::vendor_status(status)),
        text: format!("{news}\n\n{note_text}Your seller dashboard: {dashboard_link}\n"),
        html: layout(
            store,
            &paragraphs,
            Some(("Open your seller dashboard", dashboard_link)),
        ),
        secret_link: None,
    }
}

/// "Join the team of …", sent to the address a seller's owner invites. The link is a key (it
/// joins the team), so the mailbox hides it.
pub fn vendor_invitation(
    store: &str,
    to: &str,
    vendor: &str,
    role: shop_types::VendorRole,
    link: &str,
    valid_days: i64,
) -> OutgoingEmail {
    use shop_types::messages::en;
    let intro = format!(
        "You are invited to join the team of {vendor}, a seller at {store}, for: {}.",
        en::vendor_role(role)
    );
    let how = format!(
        "Sign in with the account of this address (or create one with it), then open the link. It works once and for {valid_days} days. Seller accounts sign in in two steps, with an authenticator app. If you did not expect this, ignore this mail."
    );
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Join {vendor} at {store}"),
        text: format!("{intro}\n\n{how}\n\nJoin the team: {link}\n"),
        html: layout(store, &[&intro, &how], Some(("Join the team", link))),
        secret_link: Some(link.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_in_html() {
        let mail = verify_email("<Shop & Co>", "a@example.com", "http://x/?a=1&b=\"2\"", 24);
        assert!(mail.html.contains("&lt;Shop &amp; Co&gt;"));
        assert!(!mail.html.contains("<Shop & Co>"));
        assert!(
            mail.html
                .contains("href=\"http://x/?a=1&amp;b=&quot;2&quot;\"")
        );
        assert!(
            mail.text.contains("http://x/?a=1&b=\"2\""),
            "plain text keeps the link as is"
        );
    }

    #[test]
    fn a_masked_mail_keeps_no_trace_of_its_secret_link() {
        let link = "http://shop.test/account/reset-password?token=SECRET123&x=1";
        let mail = password_reset("Shop", "a@example.com", link, 60);
        let masked = mail.masked("[hidden]");
        for body in [&masked.text, &masked.html] {
            assert!(!body.contains("SECRET123"), "{body}");
            assert!(body.contains("[hidden]"), "{body}");
        }
        assert_eq!(masked.subject, mail.subject);
        let plain = already_registered("Shop", "a@example.com", "http://shop.test/account/sign-in");
        assert_eq!(plain.masked("[hidden]"), plain);
    }
}
