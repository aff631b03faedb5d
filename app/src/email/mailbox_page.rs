use super::{MailboxMessage, list_mailbox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::AppError;

/// `/admin/mailbox`: mail the shop sent while no SMTP server was configured.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| list_mailbox());
    view! {
        <Title text="Mailbox"/>
        <section class="page">
            <h1>"Mailbox"</h1>
            <p>"Mail the shop sent while no SMTP server is configured (newest first). Links that work like keys (confirmation, password reset, an order's guest link) are hidden here; development shops find whole mails in the mail drop (SHOP_MAIL_DIR)."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match mails.await {
                        Ok(list) if list.is_empty() => view! { <p>"No mail yet."</p> }.into_any(),
                        Ok(list) => view! { <ol class="mailbox">{list.into_iter().map(|m| view! { <Mail mail=m/> }).collect_view()}</ol> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Mail(mail: MailboxMessage) -> impl IntoView {
    let sent = mail.sent_at.to_rfc3339();
    let sent_attr = sent.clone();
    let heading_id = format!("mail-{}", mail.id);
    let labelled_by = heading_id.clone();
    view! {
        <li>
            <article class="mail" aria-labelledby=labelled_by>
                <h2 id=heading_id>{mail.subject}</h2>
                <p class="mail-meta">"To " {mail.to} " · " <time datetime=sent_attr>{sent}</time></p>
                <div class="mail-body">{linkify(mail.text)}</div>
            </article>
        </li>
    }
}

/// Shows a plain-text body with its web links clickable, one paragraph per line.
fn linkify(text: String) -> impl IntoView {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts = line
                .split(' ')
                .map(str::to_owned)
                .collect::<Vec<_>>()
                .into_iter()
                .map(|word| {
                    if word.starts_with("http://") || word.starts_with("https://") {
                        let href = word.clone();
                        view! { <a href=href>{word}</a>" " }.into_any()
                    } else {
                        view! { {format!("{word} ")} }.into_any()
                    }
                })
                .collect_view();
            view! { <p>{parts}</p> }
        })
        .collect::<Vec<_>>()
}
