//! Passkeys as the database keeps them (both engines), answered by a software authenticator:
//! a registration and a passwordless sign-in go through; every answer that is not the real
//! thing (another site, no user verification, a copied authenticator, a spent or foreign
//! ceremony, garbage) is refused and changes nothing it should not.

use app::assembly::soft_passkey::SoftPasskey;
use app::assembly::testing::{TestDb, confirmed_account};
use app::identity::passkeys::{self, CEREMONY_TTL, MAX_PER_ACCOUNT, PasskeyError};
use app::identity::users;
use shop_types::{Problem, Role, Timestamp};

const T: Timestamp = Timestamp(1_800_000_000_000);
const SHOP: &str = "http://127.0.0.1:3000";
/// Where the browser is: a loopback shop is `localhost` to passkeys.
const PAGE: &str = "http://localhost:3000";

fn refused(result: Result<impl std::fmt::Debug, PasskeyError>) -> Problem {
    match result {
        Err(PasskeyError::Refused(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn user(conn: &mut sqlx::AnyConnection, db: &app::platform::db::Db, id: &str) -> users::User {
    users::find_by_id(conn, db.vault(), id)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_passkey_is_added_then_signs_in_alone_and_keeps_its_counter() {
    let rp = passkeys::relying_party(SHOP, "Test shop").unwrap();
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "pia@example.com", Role::Customer).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let pia = user(&mut conn, db, &id).await;
        let mut phone = SoftPasskey::new(PAGE);

        let (token, options) = passkeys::begin_registration(&mut conn, &rp, &pia, "Phone", T)
            .await
            .unwrap();
        let options = serde_json::to_string(&options.public_key).unwrap();
        // The options ask for user verification and a passkey the authenticator keeps.
        let parsed: serde_json::Value = serde_json::from_str(&options).unwrap();
        assert_eq!(parsed["rp"]["id"], "localhost");
        assert_eq!(
            parsed["authenticatorSelection"]["userVerification"],
            "required"
        );
        assert_eq!(parsed["authenticatorSelection"]["residentKey"], "preferred");
        let answer = phone.create(&options);
        let (passkey_id, name) =
            passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T)
                .await
                .unwrap();
        assert_eq!(name, "Phone");
        let list = passkeys::list(&mut conn, &id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].id, passkey_id);
        assert_eq!(list[0].last_used_at, None);

        // Signing in names no account: the passkey does.
        for round in 1..=2 {
            let at = T.plus_millis(round * 60_000);
            let (token, options) = passkeys::begin_sign_in(&mut conn, &rp, at).await.unwrap();
            let options = serde_json::to_string(&options.public_key).unwrap();
            let answer = phone.get(&options);
            let signed_in = passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, at)
                .await
                .unwrap();
            assert_eq!(signed_in.user_id, id);
            assert_eq!(signed_in.passkey_id, passkey_id);
            assert_eq!(
                passkeys::list(&mut conn, &id).await.unwrap()[0].last_used_at,
                Some(at)
            );
        }

        // A copy of the authenticator shows itself by a counter that went backwards.
        phone.counter = 0;
        let (token, options) = passkeys::begin_sign_in(&mut conn, &rp, T).await.unwrap();
        let answer = phone.get(&serde_json::to_string(&options.public_key).unwrap());
        assert_eq!(
            refused(passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, T).await),
            Problem::PasskeyFailed
        );

        // Renamed and removed by its owner only; once removed it opens nothing.
        let other = confirmed_account(db, "other@example.com", Role::Customer).await;
        assert!(
            !passkeys::rename(&mut conn, &other, &passkey_id, "Mine")
                .await
                .unwrap()
        );
        assert!(
            passkeys::rename(&mut conn, &id, &passkey_id, "Old phone")
                .await
                .unwrap()
        );
        assert_eq!(
            passkeys::remove(&mut conn, &other, &passkey_id)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            passkeys::remove(&mut conn, &id, &passkey_id)
                .await
                .unwrap()
                .as_deref(),
            Some("Old phone")
        );
        phone.counter = 10;
        let (token, options) = passkeys::begin_sign_in(&mut conn, &rp, T).await.unwrap();
        let answer = phone.get(&serde_json::to_string(&options.public_key).unwrap());
        assert_eq!(
            refused(passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, T).await),
            Problem::PasskeyUnknown
        );
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn answers_that_are_not_the_real_thing_are_refused() {
    let rp = passkeys::relying_party(SHOP, "Test shop").unwrap();
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "rex@example.com", Role::Customer).await;
        let intruder = confirmed_account(db, "ivy@example.com", Role::Customer).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let rex = user(&mut conn, db, &id).await;

        // A page of another site (a phishing copy) cannot register for this one.
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        let mut phished = SoftPasskey::new("http://localhost:4000");
        let answer = phished.create(&options);
        assert_eq!(
            refused(passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T).await),
            Problem::PasskeyFailed
        );
        // The ceremony is spent: the same token with a good answer is too late.
        let mut good = SoftPasskey::new(PAGE);
        let answer = good.create(&options);
        assert_eq!(
            refused(passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T).await),
            Problem::PasskeyExpired
        );

        // A passkey that did not verify the person is not a passkey.
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        let mut careless = SoftPasskey::new(PAGE);
        careless.verified = false;
        let answer = careless.create(&options);
        assert_eq!(
            refused(passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T).await),
            Problem::PasskeyFailed
        );

        // Another account cannot finish Rex's registration, and late is too late.
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        let answer = good.create(&options);
        assert_eq!(
            refused(
                passkeys::finish_registration(&mut conn, &rp, &token, &intruder, &answer, T).await
            ),
            Problem::PasskeyExpired
        );
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        let answer = good.create(&options);
        let late = T.plus_millis(CEREMONY_TTL);
        assert_eq!(
            refused(
                passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, late).await
            ),
            Problem::PasskeyExpired
        );

        // Garbage, and answers too big to read.
        let (token, _) = begin(&mut conn, &rp, &rex).await;
        assert_eq!(
            refused(
                passkeys::finish_registration(&mut conn, &rp, &token, &id, "{\"id\":1}", T).await
            ),
            Problem::PasskeyFailed
        );
        let (token, _) = begin(&mut conn, &rp, &rex).await;
        let huge = format!("\"{}\"", "a".repeat(passkeys::ANSWER_MAX_BYTES));
        assert_eq!(
            refused(passkeys::finish_registration(&mut conn, &rp, &token, &id, &huge, T).await),
            Problem::PasskeyFailed
        );
        assert!(passkeys::list(&mut conn, &id).await.unwrap().is_empty());

        // The right answer works once; the same passkey cannot be added twice.
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        let answer = good.create(&options);
        passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T)
            .await
            .unwrap();
        let (token, options) = begin(&mut conn, &rp, &rex).await;
        // (A browser would refuse it itself: the options list it as excluded.)
        let excluded: serde_json::Value = serde_json::from_str(&options).unwrap();
        assert_eq!(excluded["excludeCredentials"].as_array().unwrap().len(), 1);
        let answer = good.create(&options);
        assert_eq!(
            refused(passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T).await),
            Problem::PasskeyAlreadyAdded
        );

        // A sign-in answered for another site, or without verification, opens nothing.
        let (token, options) = passkeys::begin_sign_in(&mut conn, &rp, T).await.unwrap();
        let options = serde_json::to_string(&options.public_key).unwrap();
        good.origin = "http://localhost:4000".into();
        let answer = good.get(&options);
        assert_eq!(
            refused(passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, T).await),
            Problem::PasskeyFailed
        );
        good.origin = PAGE.into();
        good.verified = false;
        let (token, options) = passkeys::begin_sign_in(&mut conn, &rp, T).await.unwrap();
        let answer = good.get(&serde_json::to_string(&options.public_key).unwrap());
        assert_eq!(
            refused(passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, T).await),
            Problem::PasskeyFailed
        );
        good.verified = true;
        // A right answer to a spent ceremony is too late.
        let answer = good.get(&options_of(&mut conn, &rp).await.1);
        assert_eq!(
            refused(passkeys::finish_sign_in(&mut conn, &rp, &token, &answer, T).await),
            Problem::PasskeyExpired
        );
        drop(conn);
        t.finish().await;
    }
}

async fn begin(
    conn: &mut sqlx::AnyConnection,
    rp: &webauthn_rs::prelude::Webauthn,
    user: &users::User,
) -> (String, String) {
    let (token, options) = passkeys::begin_registration(conn, rp, user, "Key", T)
        .await
        .unwrap();
    (token, serde_json::to_string(&options.public_key).unwrap())
}

async fn options_of(
    conn: &mut sqlx::AnyConnection,
    rp: &webauthn_rs::prelude::Webauthn,
) -> (String, String) {
    let (token, options) = passkeys::begin_sign_in(conn, rp, T).await.unwrap();
    (token, serde_json::to_string(&options.public_key).unwrap())
}

#[tokio::test]
async fn an_account_has_at_most_ten_passkeys() {
    let rp = passkeys::relying_party(SHOP, "Test shop").unwrap();
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "max@example.com", Role::Customer).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let max = user(&mut conn, db, &id).await;
        for _ in 0..MAX_PER_ACCOUNT {
            let (token, options) = passkeys::begin_registration(&mut conn, &rp, &max, "Key", T)
                .await
                .unwrap();
            let answer =
                SoftPasskey::new(PAGE).create(&serde_json::to_string(&options.public_key).unwrap());
            passkeys::finish_registration(&mut conn, &rp, &token, &id, &answer, T)
                .await
                .unwrap();
        }
        assert_eq!(
            refused(passkeys::begin_registration(&mut conn, &rp, &max, "Key", T).await),
            Problem::PasskeyLimit {
                max: MAX_PER_ACCOUNT
            }
        );
        drop(conn);
        t.finish().await;
    }
}
