//! Passkeys over HTTP, as a browser and an attacker meet them: adding one takes a session and
//! the current password; a passkey alone signs in (no address, password or code, for staff
//! too); another account's passkeys cannot be renamed or removed; a removed passkey or a
//! disabled account opens nothing; every step is audited.

use crate::support::{
    PASSWORD, TestApp, account, audited, call, each_engine, session_cookie, sign_in,
};
use app::account::{AccountView, PasskeyPrompt};
use app::assembly::soft_passkey::SoftPasskey;
use reqwest::StatusCode;
use shop_types::{AppError, Problem, Role};

/// Where the browser's pages are: the shop by name (a loopback shop is `localhost` to
/// passkeys, as browsers refuse them for IP addresses).
fn page_origin(app: &TestApp) -> String {
    app.public_url.replace("127.0.0.1", "localhost")
}

async fn problem(response: reqwest::Response) -> Option<Problem> {
    response
        .json::<AppError>()
        .await
        .ok()
        .and_then(|e| e.problem().cloned())
}

/// Adds a passkey named `name` to the signed-in account behind `cookie` with `authenticator`.
async fn add_passkey(app: &TestApp, cookie: &str, name: &str, authenticator: &mut SoftPasskey) {
    let start = call(
        app,
        &app.client,
        "/api/account/passkeys/start",
        &[("name", name), ("current_password", PASSWORD)],
        Some(cookie),
    )
    .await;
    assert_eq!(start.status(), StatusCode::OK);
    let prompt: PasskeyPrompt = start.json().await.unwrap();
    let answer = authenticator.create(&prompt.options);
    let finish = call(
        app,
        &app.client,
        "/api/account/passkeys/finish",
        &[("ceremony", &prompt.ceremony), ("answer", &answer)],
        Some(cookie),
    )
    .await;
    assert_eq!(
        finish.status(),
        StatusCode::OK,
        "{}",
        finish.text().await.unwrap()
    );
}

/// A passkey sign-in from a browser with no cookies at all.
async fn passkey_sign_in(app: &TestApp, authenticator: &mut SoftPasskey) -> reqwest::Response {
    let start = call(
        app,
        &app.client,
        "/api/account/passkey-sign-in/start",
        &[],
        None,
    )
    .await;
    assert_eq!(start.status(), StatusCode::OK);
    let prompt: PasskeyPrompt = start.json().await.unwrap();
    let answer = authenticator.get(&prompt.options);
    call(
        app,
        &app.client,
        "/api/account/passkey-sign-in/finish",
        &[("ceremony", &prompt.ceremony), ("answer", &answer)],
        None,
    )
    .await
}

async fn account_view(app: &TestApp, cookie: &str) -> AccountView {
    let response = call(app, &app.client, "/api/account/get", &[], Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_customer_adds_a_passkey_and_signs_in_with_it_alone() {
    for app in each_engine().await {
        account(&app, "kim@example.com", Role::Customer).await;
        account(&app, "eve@example.com", Role::Customer).await;
        let kim = sign_in(&app, "kim@example.com", None).await;
        let eve = sign_in(&app, "eve@example.com", None).await;
        let mut phone = SoftPasskey::new(&page_origin(&app));

        // Nobody signed in, or the wrong password: no passkey prompt at all.
        let form = [("name", "Phone"), ("current_password", PASSWORD)];
        let anonymous = call(
            &app,
            &app.client,
            "/api/account/passkeys/start",
            &form,
            None,
        )
        .await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let wrong = call(
            &app,
            &app.client,
            "/api/account/passkeys/start",
            &[("name", "Phone"), ("current_password", "not it at all")],
            Some(&kim),
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem(wrong).await, Some(Problem::PasswordWrong));
        let long_name = "n".repeat(61);
        let too_long = call(
            &app,
            &app.client,
            "/api/account/passkeys/start",
            &[("name", &long_name), ("current_password", PASSWORD)],
            Some(&kim),
        )
        .await;
        assert_eq!(
            problem(too_long).await,
            Some(Problem::PasskeyNameLength { max: 60 })
        );

        // Eve cannot finish the registration Kim started (the ceremony is Kim's).
        let start = call(
            &app,
            &app.client,
            "/api/account/passkeys/start",
            &form,
            Some(&kim),
        )
        .await;
        let prompt: PasskeyPrompt = start.json().await.unwrap();
        let answer = SoftPasskey::new(&page_origin(&app)).create(&prompt.options);
        let stolen = call(
            &app,
            &app.client,
            "/api/account/passkeys/finish",
            &[("ceremony", &prompt.ceremony), ("answer", &answer)],
            Some(&eve),
        )
        .await;
        assert_eq!(problem(stolen).await, Some(Problem::PasskeyExpired));
        assert!(account_view(&app, &eve).await.passkeys.is_empty());

        add_passkey(&app, &kim, "Phone", &mut phone).await;
        let view = account_view(&app, &kim).await;
        assert!(view.passkeys_available);
        assert_eq!(view.passkeys.len(), 1);
        assert_eq!(view.passkeys[0].name, "Phone");
        let passkey_id = view.passkeys[0].id.clone();
        assert_eq!(audited(&app, "account.passkey_added", 1).await, 1);

        // The passkey alone: a session for Kim, straight to the account.
        let signed_in = passkey_sign_in(&app, &mut phone).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        let session = session_cookie(&signed_in).expect("a session");
        assert_eq!(signed_in.json::<String>().await.unwrap(), "/account");
        let view = account_view(&app, &session).await;
        assert_eq!(view.email, "kim@example.com");
        assert!(view.passkeys[0].last_used_at.is_some());
        assert_eq!(audited(&app, "account.passkey_used", 1).await, 1);

        // Eve can neither rename nor remove Kim's passkey.
        let rename = call(
            &app,
            &app.client,
            "/api/account/passkeys/rename",
            &[("id", &passkey_id), ("name", "Eve's now")],
            Some(&eve),
        )
        .await;
        assert_eq!(problem(rename).await, Some(Problem::PasskeyUnknown));
        let remove = call(
            &app,
            &app.client,
            "/api/account/passkeys/remove",
            &[("id", &passkey_id), ("current_password", PASSWORD)],
            Some(&eve),
        )
        .await;
        assert_eq!(problem(remove).await, Some(Problem::PasskeyUnknown));
        assert_eq!(account_view(&app, &kim).await.passkeys[0].name, "Phone");

        // Kim renames it, then removes it (password asked), and it opens nothing any more.
        let rename = call(
            &app,
            &app.client,
            "/api/account/passkeys/rename",
            &[("id", &passkey_id), ("name", "Old phone")],
            Some(&kim),
        )
        .await;
        assert!(rename.status().is_success() || rename.status().is_redirection());
        assert_eq!(account_view(&app, &kim).await.passkeys[0].name, "Old phone");
        let no_password = call(
            &app,
            &app.client,
            "/api/account/passkeys/remove",
            &[("id", &passkey_id), ("current_password", "guess")],
            Some(&kim),
        )
        .await;
        assert_eq!(problem(no_password).await, Some(Problem::PasswordWrong));
        let removed = call(
            &app,
            &app.client,
            "/api/account/passkeys/remove",
            &[("id", &passkey_id), ("current_password", PASSWORD)],
            Some(&kim),
        )
        .await;
        assert!(removed.status().is_success() || removed.status().is_redirection());
        assert!(account_view(&app, &kim).await.passkeys.is_empty());
        assert_eq!(audited(&app, "account.passkey_removed", 1).await, 1);
        let refused = passkey_sign_in(&app, &mut phone).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(session_cookie(&refused), None);
        assert_eq!(problem(refused).await, Some(Problem::PasskeyUnknown));
        assert_eq!(audited(&app, "account.sign_in_failed", 1).await, 1);

        // A made-up answer to a made-up ceremony.
        let forged = call(
            &app,
            &app.client,
            "/api/account/passkey-sign-in/finish",
            &[("ceremony", "not-a-ceremony"), ("answer", "{}")],
            None,
        )
        .await;
        assert_eq!(problem(forged).await, Some(Problem::PasskeyExpired));
        app.stop().await;
    }
}

#[tokio::test]
async fn staff_sign_in_with_a_passkey_needs_no_code_and_disabled_accounts_none() {
    for app in each_engine().await {
        account(&app, "ops@example.com", Role::Staff).await;
        // (The helper passes the second step with a code from the app.)
        let ops = sign_in(&app, "ops@example.com", None).await;
        let mut key = SoftPasskey::new(&page_origin(&app));
        add_passkey(&app, &ops, "Security key", &mut key).await;

        // The passkey verified the person: no challenge cookie, a full session at once.
        let signed_in = passkey_sign_in(&app, &mut key).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        assert!(
            !signed_in.headers().get_all("set-cookie").iter().any(|c| c
                .to_str()
                .unwrap()
                .starts_with("shop_sign_in=")
                && !c.to_str().unwrap().starts_with("shop_sign_in=;")),
            "no second step"
        );
        let session = session_cookie(&signed_in).expect("a session");
        assert_eq!(account_view(&app, &session).await.role, Role::Staff);

        // A disabled account stays shut, passkey or not.
        sqlx::query("UPDATE users SET disabled_at = 1 WHERE email_index = $1")
            .bind(app.db.db.vault().email_index("ops@example.com"))
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let refused = passkey_sign_in(&app, &mut key).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(session_cookie(&refused), None);
        app.stop().await;
    }
}
