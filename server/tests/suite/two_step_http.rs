//! Two-step sign-in over HTTP, as a browser and an attacker meet it: back-office accounts must
//! set it up before the console opens, a waiting sign-in is never a session, wrong codes wear
//! it out, a password reset does not skip it, customers turn it off only with password and
//! code, and an admin's reset of a lost phone is audited and refused for their own account.

use crate::support::{
    PASSWORD, TestApp, account, call, each_engine, fresh_key, grant, named_cookie, session_cookie,
    sign_in, user_id,
};
use app::account::TwoStepSetup;
use app::identity::totp;
use reqwest::StatusCode;
use shop_types::{AppError, Problem, Role};

fn code_now(key: &[u8]) -> String {
    totp::code_at(key, app::platform::clock::now().millis() / 1000)
}

/// Signs in with the password only; returns the challenge cookie (and checks no session came).
async fn password_step(app: &TestApp, email: &str) -> String {
    let response = call(
        app,
        &app.client,
        "/api/account/sign-in",
        &[("email", email), ("password", PASSWORD)],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        session_cookie(&response),
        None,
        "no session before the second step"
    );
    named_cookie(&response, "shop_sign_in").expect("a challenge cookie")
}

async fn problem(response: reqwest::Response) -> Option<Problem> {
    response
        .json::<AppError>()
        .await
        .ok()
        .and_then(|e| e.problem().cloned())
}

/// Waits until the audit log holds `want` entries of `action` (the audit reaction runs as a
/// job of the server's right after the change commits); returns their actor, before and after.
async fn audited(
    app: &TestApp,
    action: &str,
    want: usize,
) -> Vec<(String, Option<String>, Option<String>)> {
    for _ in 0..400 {
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT actor, before_json, after_json FROM audit_log WHERE action = $1 ORDER BY seq",
        )
        .bind(action)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        if rows.len() >= want {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the audit log did not reach {want} entries of {action}");
}

#[tokio::test]
async fn new_staff_must_set_up_an_app_before_the_console_opens() {
    for app in each_engine().await {
        account(&app, "new-admin@example.com", Role::Admin).await;
        let challenge = password_step(&app, "new-admin@example.com").await;
        // The challenge is no session: the console and the account refuse it.
        let console = call(
            &app,
            &app.client,
            "/api/admin/staff/list",
            &[],
            Some(&challenge),
        )
        .await;
        assert_eq!(console.status(), StatusCode::UNAUTHORIZED);
        // Nor is there a second step to take: it must set up an app first.
        let skip = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", "123456")],
            Some(&challenge),
        )
        .await;
        assert_eq!(problem(skip).await, Some(Problem::SecondFactorExpired));

        let started = call(
            &app,
            &app.client,
            "/api/account/two-step/start",
            &[],
            Some(&challenge),
        )
        .await;
        assert_eq!(started.status(), StatusCode::OK);
        let setup: TwoStepSetup = started.json().await.unwrap();
        assert!(setup.required);
        assert_eq!(setup.account, "new-admin@example.com");
        assert_eq!(setup.recovery_codes.len(), 10);
        assert!(setup.qr_svg.starts_with("<svg") && setup.qr_svg.contains("aria-label"));
        let key = totp::from_base32(&setup.key).unwrap();

        let wrong = call(
            &app,
            &app.client,
            "/api/account/two-step/confirm",
            &[("code", "000000")],
            Some(&challenge),
        )
        .await;
        if code_now(&key) != "000000" {
            assert_eq!(problem(wrong).await, Some(Problem::SecondFactorCodeWrong));
        }
        let confirmed = call(
            &app,
            &app.client,
            "/api/account/two-step/confirm",
            &[("code", &code_now(&key))],
            Some(&challenge),
        )
        .await;
        assert_eq!(confirmed.status(), StatusCode::OK);
        let session = session_cookie(&confirmed).expect("signed in after setting up");
        let console = call(
            &app,
            &app.client,
            "/api/admin/staff/list",
            &[],
            Some(&session),
        )
        .await;
        assert_eq!(console.status(), StatusCode::OK);
        // The used challenge is gone.
        let again = call(
            &app,
            &app.client,
            "/api/account/two-step/start",
            &[],
            Some(&challenge),
        )
        .await;
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED);

        // The next sign-in asks for a code; a recovery code works once.
        let challenge = password_step(&app, "new-admin@example.com").await;
        let recovery = setup.recovery_codes[0].clone();
        let passed = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &recovery)],
            Some(&challenge),
        )
        .await;
        assert_eq!(passed.status(), StatusCode::OK);
        assert!(session_cookie(&passed).is_some());
        let challenge = password_step(&app, "new-admin@example.com").await;
        let reused = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &recovery)],
            Some(&challenge),
        )
        .await;
        assert_eq!(problem(reused).await, Some(Problem::SecondFactorCodeWrong));
        app.stop().await;
    }
}

#[tokio::test]
async fn wrong_codes_wear_a_sign_in_out_and_every_attempt_is_audited() {
    for app in each_engine().await {
        account(&app, "ops@example.com", Role::Staff).await;
        let key = fresh_key(&app, "ops@example.com").await.unwrap();
        let challenge = password_step(&app, "ops@example.com").await;
        let right = code_now(&key);
        let wrong = if right == "111111" {
            "222222"
        } else {
            "111111"
        };
        for _ in 0..4 {
            let r = call(
                &app,
                &app.client,
                "/api/account/two-step",
                &[("code", wrong)],
                Some(&challenge),
            )
            .await;
            assert_eq!(problem(r).await, Some(Problem::SecondFactorCodeWrong));
        }
        let fifth = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", wrong)],
            Some(&challenge),
        )
        .await;
        assert_eq!(problem(fifth).await, Some(Problem::SecondFactorExpired));
        // Even the right code no longer helps this sign-in.
        let late = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &right)],
            Some(&challenge),
        )
        .await;
        assert_eq!(problem(late).await, Some(Problem::SecondFactorExpired));
        // A made-up challenge is nothing.
        let forged = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &right)],
            Some("shop_sign_in=forged"),
        )
        .await;
        assert_eq!(problem(forged).await, Some(Problem::SecondFactorExpired));

        assert_eq!(
            audited(&app, "account.second_step_failed", 5).await.len(),
            5
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_password_reset_link_does_not_skip_the_second_step() {
    for app in each_engine().await {
        account(&app, "ivy@example.com", Role::Customer).await;
        let id = user_id(&app, "ivy@example.com").await;
        // Ivy turned two-step sign-in on.
        let mut tx = app.db.db.begin_write().await.unwrap();
        let key = totp::new_secret();
        app::identity::factors::set_known_key(&mut tx, &id, &key, app::platform::clock::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // Someone with her mailbox uses a reset link.
        let token = "resettokenresettokenresettokenresettokenresettoken12";
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at, created_at)
             VALUES ($1, $2, 'reset_password', $3, $4)",
        )
        .bind(app::platform::secrets::hash_secret(token))
        .bind(&id)
        .bind(app::platform::clock::now().millis() + 3_600_000)
        .bind(app::platform::clock::now().millis())
        .execute(app.db.db.pool())
        .await
        .unwrap();
        let reset = call(
            &app,
            &app.client,
            "/api/account/reset",
            &[("token", token), ("password", "a fresh long passphrase")],
            None,
        )
        .await;
        assert_eq!(reset.status(), StatusCode::OK);
        assert_eq!(
            session_cookie(&reset),
            None,
            "the reset alone signs no one in"
        );
        let challenge = named_cookie(&reset, "shop_sign_in").expect("on to the second step");
        let passed = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &code_now(&key))],
            Some(&challenge),
        )
        .await;
        assert_eq!(passed.status(), StatusCode::OK);
        assert!(session_cookie(&passed).is_some());
        app.stop().await;
    }
}

#[tokio::test]
async fn customers_turn_it_off_only_with_password_and_code_and_staff_cannot() {
    for app in each_engine().await {
        account(&app, "jo@example.com", Role::Customer).await;
        let session = sign_in(&app, "jo@example.com", None).await;
        let started = call(
            &app,
            &app.client,
            "/api/account/two-step/start",
            &[],
            Some(&session),
        )
        .await;
        let setup: TwoStepSetup = started.json().await.unwrap();
        assert!(!setup.required);
        let key = totp::from_base32(&setup.key).unwrap();
        // A session alone cannot turn it on (someone at an open computer would lock the owner
        // out with their own phone): the password comes with the code.
        let no_password = call(
            &app,
            &app.client,
            "/api/account/two-step/confirm",
            &[("code", &code_now(&key))],
            Some(&session),
        )
        .await;
        assert_eq!(problem(no_password).await, Some(Problem::PasswordWrong));
        let on = call(
            &app,
            &app.client,
            "/api/account/two-step/confirm",
            &[("code", &code_now(&key)), ("current_password", PASSWORD)],
            Some(&session),
        )
        .await;
        assert_eq!(on.status(), StatusCode::OK);
        // Already on: no second setup over it.
        let twice = call(
            &app,
            &app.client,
            "/api/account/two-step/start",
            &[],
            Some(&session),
        )
        .await;
        assert_eq!(problem(twice).await, Some(Problem::SecondFactorAlreadyOn));

        let no_password = call(
            &app,
            &app.client,
            "/api/account/two-step/off",
            &[
                ("current_password", "wrong"),
                ("code", &setup.recovery_codes[1]),
            ],
            Some(&session),
        )
        .await;
        assert_eq!(problem(no_password).await, Some(Problem::PasswordWrong));
        let no_code = call(
            &app,
            &app.client,
            "/api/account/two-step/off",
            &[("current_password", PASSWORD), ("code", "abcde-fghij")],
            Some(&session),
        )
        .await;
        assert_eq!(problem(no_code).await, Some(Problem::SecondFactorCodeWrong));
        let off = call(
            &app,
            &app.client,
            "/api/account/two-step/off",
            &[
                ("current_password", PASSWORD),
                ("code", &setup.recovery_codes[1]),
            ],
            Some(&session),
        )
        .await;
        assert_eq!(off.status(), StatusCode::OK);
        // Signing in is the password alone again.
        sign_in(&app, "jo@example.com", None).await;

        account(&app, "kim@example.com", Role::Staff).await;
        let staff = sign_in(&app, "kim@example.com", None).await;
        let refused = call(
            &app,
            &app.client,
            "/api/account/two-step/off",
            &[("current_password", PASSWORD), ("code", "123456")],
            Some(&staff),
        )
        .await;
        assert_eq!(problem(refused).await, Some(Problem::SecondFactorRequired));
        app.stop().await;
    }
}

#[tokio::test]
async fn an_admin_resets_a_lost_phone_audited_but_never_their_own() {
    for app in each_engine().await {
        account(&app, "boss@example.com", Role::Admin).await;
        account(&app, "lee@example.com", Role::Staff).await;
        let boss = sign_in(&app, "boss@example.com", None).await;
        let lee = sign_in(&app, "lee@example.com", None).await;
        let lee_id = user_id(&app, "lee@example.com").await;
        let boss_id = user_id(&app, "boss@example.com").await;

        // Staff cannot reset anyone's; an admin cannot reset their own.
        let refused = call(
            &app,
            &app.client,
            "/api/admin/staff/reset-two-step",
            &[("id", &boss_id)],
            Some(&lee),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let own = call(
            &app,
            &app.client,
            "/api/admin/staff/reset-two-step",
            &[("id", &boss_id)],
            Some(&boss),
        )
        .await;
        assert_eq!(problem(own).await, Some(Problem::OwnTwoStepReset));
        let nobody = call(
            &app,
            &app.client,
            "/api/admin/staff/reset-two-step",
            &[("id", "no-such-account")],
            Some(&boss),
        )
        .await;
        assert_eq!(nobody.status(), StatusCode::NOT_FOUND);

        let reset = call(
            &app,
            &app.client,
            "/api/admin/staff/reset-two-step",
            &[("id", &lee_id)],
            Some(&boss),
        )
        .await;
        assert_eq!(reset.status(), StatusCode::OK);
        // Lee's session ended, and the next sign-in sets up a new app.
        let ended = call(&app, &app.client, "/api/account/get", &[], Some(&lee)).await;
        assert_eq!(ended.status(), StatusCode::UNAUTHORIZED);
        let challenge = password_step(&app, "lee@example.com").await;
        let started = call(
            &app,
            &app.client,
            "/api/account/two-step/start",
            &[],
            Some(&challenge),
        )
        .await;
        assert!(started.json::<TwoStepSetup>().await.unwrap().required);

        let rows = audited(&app, "account.second_factor_reset", 1).await;
        let (actor, before, after) = &rows[0];
        assert_eq!(actor, "boss@example.com");
        let (before, after) = (
            before.clone().unwrap_or_default(),
            after.clone().unwrap_or_default(),
        );
        assert!(
            before.contains("\"two_step\":true") && after.contains("\"two_step\":false"),
            "{before} {after}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_admin_resets_a_customers_lost_phone_from_the_customer_page() {
    for app in each_engine().await {
        account(&app, "boss@example.com", Role::Admin).await;
        account(&app, "cy@example.com", Role::Customer).await;
        account(&app, "desk@example.com", Role::Staff).await;
        grant(&app, "desk@example.com", "manage_customers").await;
        let cy_id = user_id(&app, "cy@example.com").await;
        {
            let mut tx = app.db.db.begin_write().await.unwrap();
            let key = totp::new_secret();
            app::identity::factors::set_known_key(
                &mut tx,
                &cy_id,
                &key,
                app::platform::clock::now(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let boss = sign_in(&app, "boss@example.com", None).await;
        let desk = sign_in(&app, "desk@example.com", None).await;
        let detail = |cookie: String| {
            let (app, id) = (&app, cy_id.clone());
            async move {
                let response = call(
                    app,
                    &app.client,
                    "/api/admin/customers/get",
                    &[("id", &id)],
                    Some(&cookie),
                )
                .await;
                assert_eq!(response.status(), StatusCode::OK);
                response.json::<serde_json::Value>().await.unwrap()
            }
        };
        // Staff who look after customers see it, but only an admin may reset it.
        assert_eq!(detail(desk.clone()).await["two_step"], true);
        let refused = call(
            &app,
            &app.client,
            "/api/admin/staff/reset-two-step",
            &[("id", &cy_id)],
            Some(&desk),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // Without JavaScript the form post lands back on the customer's page.
        let reset = app
            .client
            .post(app.url("/api/admin/staff/reset-two-step"))
            .header("cookie", &boss)
            .header("accept", "text/html")
            .form(&[("id", &cy_id)])
            .send()
            .await
            .unwrap();
        assert!(reset.status().is_redirection(), "{}", reset.status());
        assert_eq!(
            reset.headers()["location"].to_str().unwrap(),
            format!("/admin/customers/{cy_id}?saved=two-step")
        );
        assert_eq!(detail(boss.clone()).await["two_step"], false);
        // The password alone signs in again.
        sign_in(&app, "cy@example.com", None).await;
        assert_eq!(
            audited(&app, "account.second_factor_reset", 1).await.len(),
            1
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_after_password_and_code() {
    for app in each_engine().await {
        account(&app, "nia@example.com", Role::Customer).await;
        let nia_id = user_id(&app, "nia@example.com").await;
        let nia = sign_in(&app, "nia@example.com", None).await;
        let key = totp::new_secret();
        {
            let mut tx = app.db.db.begin_write().await.unwrap();
            app::identity::factors::set_known_key(
                &mut tx,
                &nia_id,
                &key,
                app::platform::clock::now(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let renew = |password: &'static str, code: String| {
            let (app, nia) = (&app, nia.clone());
            async move {
                call(
                    app,
                    &app.client,
                    "/api/account/two-step/new-codes",
                    &[("current_password", password), ("code", &code)],
                    Some(&nia),
                )
                .await
            }
        };
        let shown = || {
            let (app, nia) = (&app, nia.clone());
            async move {
                call(
                    app,
                    &app.client,
                    "/api/account/two-step/new-codes/get",
                    &[],
                    Some(&nia),
                )
                .await
                .json::<Vec<String>>()
                .await
                .unwrap()
            }
        };
        assert_eq!(
            problem(renew("wrong password", code_now(&key)).await).await,
            Some(Problem::PasswordWrong)
        );
        assert_eq!(
            problem(renew(PASSWORD, "000000".into()).await).await,
            Some(Problem::SecondFactorCodeWrong)
        );
        assert!(shown().await.is_empty());
        assert_eq!(
            renew(PASSWORD, code_now(&key)).await.status(),
            StatusCode::OK
        );
        let first = shown().await;
        assert_eq!(first.len(), 10);
        // A recovery code renews them again: the first ten stop working at once.
        let again = renew(PASSWORD, first[0].clone()).await;
        assert_eq!(again.status(), StatusCode::OK);
        let second = shown().await;
        assert_eq!(second.len(), 10);
        assert!(second.iter().all(|c| !first.contains(c)));
        let challenge = password_step(&app, "nia@example.com").await;
        let old = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &first[1])],
            Some(&challenge),
        )
        .await;
        assert_eq!(problem(old).await, Some(Problem::SecondFactorCodeWrong));
        let new = call(
            &app,
            &app.client,
            "/api/account/two-step",
            &[("code", &second[1])],
            Some(&challenge),
        )
        .await;
        assert_eq!(new.status(), StatusCode::OK);
        // Saved: no longer shown (they still work).
        let saved = call(
            &app,
            &app.client,
            "/api/account/two-step/new-codes/saved",
            &[],
            Some(&nia),
        )
        .await;
        assert!(saved.status().is_success());
        assert!(shown().await.is_empty());
        assert_eq!(
            audited(&app, "account.recovery_codes_renewed", 2)
                .await
                .len(),
            2
        );
        // Nobody signed in: nothing.
        let anonymous = call(
            &app,
            &app.client,
            "/api/account/two-step/new-codes/get",
            &[],
            None,
        )
        .await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        app.stop().await;
    }
}

/// Max signs in from a browser that carries `device` (its device cookie), or from a new one;
/// returns the session and device cookies.
async fn sign_in_from(app: &TestApp, device: Option<&str>) -> (String, String) {
    let response = call(
        app,
        &app.client,
        "/api/account/sign-in",
        &[("email", "max@example.com"), ("password", PASSWORD)],
        device,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    (
        session_cookie(&response).unwrap(),
        named_cookie(&response, "shop_device").unwrap(),
    )
}

/// The mails written whole to `dir` so far (the shop's mail drop), as JSON values.
pub(crate) async fn dropped_mails(dir: &std::path::Path, want: usize) -> Vec<serde_json::Value> {
    for _ in 0..400 {
        let mut mails: Vec<(String, serde_json::Value)> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .filter_map(|e| {
                        let text = std::fs::read_to_string(e.path()).ok()?;
                        Some((
                            e.file_name().to_string_lossy().into_owned(),
                            serde_json::from_str(&text).ok()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if mails.len() >= want {
            mails.sort_by(|a, b| a.0.cmp(&b.0));
            return mails.into_iter().map(|(_, m)| m).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("fewer than {want} mails were sent");
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_mailed_and_this_was_not_me_ends_every_session() {
    for db in app::assembly::testing::TestDb::all().await {
        let drop =
            std::env::temp_dir().join(format!("shop-new-device-{}", app::platform::ids::new_id()));
        let dir = drop.clone();
        let app = crate::support::spawn_app_with(db, move |c| c.mail_dir = Some(dir)).await;
        account(&app, "max@example.com", Role::Customer).await;
        // The first browser ever: nothing to tell. The same browser again: nothing either.
        let (laptop, laptop_device) = sign_in_from(&app, None).await;
        sign_in_from(&app, Some(&laptop_device)).await;
        // Another browser: the owner gets a mail with a link.
        let (_phone, _) = sign_in_from(&app, None).await;
        let mails = dropped_mails(&drop, 1).await;
        assert_eq!(mails.len(), 1, "one mail, for the new browser only");
        assert_eq!(mails[0]["to"], "max@example.com");
        assert!(
            mails[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("New sign-in")
        );
        let text = mails[0]["text"].as_str().unwrap();
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/account/secure?token="))
            .unwrap();
        let token = link.split("token=").nth(1).unwrap();

        // A made-up link changes nothing.
        let forged = call(
            &app,
            &app.client,
            "/api/account/secure",
            &[("token", "forged")],
            None,
        )
        .await;
        assert_eq!(problem(forged).await, Some(Problem::LinkInvalid));
        let still = call(&app, &app.client, "/api/account/get", &[], Some(&laptop)).await;
        assert_eq!(still.status(), StatusCode::OK);
        // "This was not me": every session ends, and the same link sets the new password.
        let secured = call(
            &app,
            &app.client,
            "/api/account/secure",
            &[("token", token)],
            None,
        )
        .await;
        assert_eq!(secured.status(), StatusCode::OK);
        let ended = call(&app, &app.client, "/api/account/get", &[], Some(&laptop)).await;
        assert_eq!(ended.status(), StatusCode::UNAUTHORIZED);
        let reset = call(
            &app,
            &app.client,
            "/api/account/reset",
            &[
                ("token", token),
                ("password", "a completely new passphrase"),
            ],
            None,
        )
        .await;
        assert_eq!(reset.status(), StatusCode::OK);
        assert!(session_cookie(&reset).is_some());
        assert_eq!(audited(&app, "account.secured", 1).await.len(), 1);
        app.stop().await;
        let _ = std::fs::remove_dir_all(&drop);
    }
}
