//! Accounts, sessions, rate limits and mail delivery, on every configured engine.

use app::account::account_service::{
    AccountError, MailContext, authenticate, confirm_email, register,
};
use app::assembly::seed;
use app::assembly::testing::{TestDb, test_config};
use app::email::delivery::Mailer;
use app::identity::sessions;
use app::platform::clock::now;
use app::platform::jobs::{JobRunner, JobWaker};
use app::platform::rate_limit::{HitError, Limit, hit};
use shop_types::{AppError, Email, Role, Timestamp};
use std::time::Duration;

fn mail() -> MailContext {
    MailContext {
        store_name: "Test Shop".into(),
        public_url: "http://shop.test".into(),
    }
}

/// Delivers the queued mail into the local mailbox and a mail drop; returns every mail sent so
/// far, whole, as (to, subject, text), oldest first.
async fn deliver_mail(db: &TestDb) -> Vec<(String, String, String)> {
    let drop_dir = std::env::temp_dir().join(format!("shop-mail-{}", db_token(db)));
    let mut registry = app::platform::jobs::JobRegistry::new();
    app::email::delivery::register(
        &mut registry,
        Mailer::Local {
            drop_dir: Some(drop_dir.clone()),
        },
    );
    JobRunner::new(
        db.db.clone(),
        registry,
        1,
        Duration::from_millis(10),
        JobWaker::default(),
    )
    .run_until_idle()
    .await
    .unwrap();
    // The mailbox shows the same mails, never a secret link.
    let mut conn = db.db.pool().acquire().await.unwrap();
    let shown: Vec<String> = app::email::read_mailbox(&mut conn, db.db.vault(), 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.text)
        .collect();
    drop(conn);
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|text| !text.contains("token=") && !text.contains("key=")),
        "{shown:?}"
    );
    app::email::delivery::dropped(&drop_dir)
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.to, m.subject, m.text))
        .collect()
}

/// A number naming this test database (its URL), for a mail drop of its own.
fn db_token(db: &TestDb) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    db.url().hash(&mut h);
    h.finish()
}

fn link_token(text: &str) -> String {
    text.split_whitespace()
        .find_map(|w| w.split("token=").nth(1))
        .expect("a link with a token")
        .to_owned()
}

#[tokio::test]
async fn registration_mails_a_single_use_link_that_confirms_the_address() {
    for db in TestDb::all().await {
        seed::prepare(&db.db, &test_config(&db.url()))
            .await
            .unwrap();
        let email = Email::parse("anna@example.com").unwrap();
        register(&db.db, &mail(), &email, "correct horse battery", "Anna")
            .await
            .unwrap();

        // Not confirmed yet: the password is right, but sign-in waits for the link.
        let early = authenticate(&db.db, &email, "correct horse battery").await;
        assert!(matches!(early, Err(AccountError::NotVerified)));

        let mails = deliver_mail(&db).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, "anna@example.com");
        assert!(mails[0].1.contains("Confirm"));
        let token = link_token(&mails[0].2);

        let user = confirm_email(&db.db, &token).await.unwrap();
        assert_eq!(
            (user.email.as_str(), user.role, user.email_verified),
            ("anna@example.com", Role::Customer, true)
        );
        assert!(
            matches!(
                confirm_email(&db.db, &token).await,
                Err(AccountError::BadLink)
            ),
            "a link works once"
        );
        assert!(
            authenticate(&db.db, &email, "correct horse battery")
                .await
                .is_ok()
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn expired_or_unknown_links_are_refused() {
    for db in TestDb::all().await {
        seed::prepare(&db.db, &test_config(&db.url()))
            .await
            .unwrap();
        let email = Email::parse("late@example.com").unwrap();
        register(&db.db, &mail(), &email, "correct horse battery", "")
            .await
            .unwrap();
        let token = link_token(&deliver_mail(&db).await[0].2);
        sqlx::query("UPDATE account_tokens SET expires_at = $1")
            .bind(now().millis() - 1)
            .execute(db.db.pool())
            .await
            .unwrap();
        assert!(matches!(
            confirm_email(&db.db, &token).await,
            Err(AccountError::BadLink)
        ));
        assert!(matches!(
            confirm_email(&db.db, "made-up-token").await,
            Err(AccountError::BadLink)
        ));
        db.finish().await;
    }
}

#[tokio::test]
async fn registering_a_known_address_reveals_nothing_and_creates_nothing() {
    for db in TestDb::all().await {
        seed::prepare(&db.db, &test_config(&db.url()))
            .await
            .unwrap();
        let email = Email::parse("ben@example.com").unwrap();
        register(&db.db, &mail(), &email, "correct horse battery", "Ben")
            .await
            .unwrap();
        // Same answer (Ok) for the second attempt, with another password.
        register(&db.db, &mail(), &email, "another long password", "Mallory")
            .await
            .unwrap();
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
        assert_eq!(users, 1);
        let mails = deliver_mail(&db).await;
        assert_eq!(mails.len(), 2);
        assert!(
            mails[1].1.contains("already have an account"),
            "{}",
            mails[1].1
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn weak_passwords_are_refused_before_anything_is_stored() {
    for db in TestDb::all().await {
        seed::prepare(&db.db, &test_config(&db.url()))
            .await
            .unwrap();
        let email = Email::parse("cara@example.com").unwrap();
        for bad in ["short", "password123", "cara@example.com"] {
            let result = register(&db.db, &mail(), &email, bad, "").await;
            assert!(matches!(result, Err(AccountError::Password(_))), "{bad}");
        }
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
        assert_eq!(users, 0);
        db.finish().await;
    }
}

#[tokio::test]
async fn wrong_passwords_and_unknown_addresses_get_the_same_answer() {
    for db in TestDb::all().await {
        let email = Email::parse("dan@example.com").unwrap();
        app::account::account_service::create_confirmed(
            &db.db,
            &email,
            "correct horse battery",
            "Dan",
            Role::Customer,
        )
        .await
        .unwrap();
        let wrong = authenticate(&db.db, &email, "wrong horse battery")
            .await
            .unwrap_err()
            .to_string();
        let unknown = authenticate(
            &db.db,
            &Email::parse("nobody@example.com").unwrap(),
            "whatever it is",
        )
        .await
        .unwrap_err()
        .to_string();
        assert_eq!(wrong, unknown);
        db.finish().await;
    }
}

#[tokio::test]
async fn sessions_end_when_idle_too_long_and_on_sign_out_everywhere() {
    for db in TestDb::all().await {
        let email = Email::parse("eve@example.com").unwrap();
        let id = app::account::account_service::create_confirmed(
            &db.db,
            &email,
            "correct horse battery",
            "",
            Role::Customer,
        )
        .await
        .unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        let user = app::identity::users::find_by_id(&mut conn, db.vault(), &id)
            .await
            .unwrap()
            .unwrap();
        let (a, _) = sessions::create(&mut conn, &user, "Browser A")
            .await
            .unwrap();
        let (b, _) = sessions::create(&mut conn, &user, "Browser B")
            .await
            .unwrap();
        assert!(
            sessions::find(&mut conn, db.vault(), &a)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            sessions::list_for_user(&mut conn, &id).await.unwrap().len(),
            2
        );

        // Idle for longer than a customer's idle timeout: gone.
        let (idle, _) = sessions::timeouts(Role::Customer);
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE user_agent = 'Browser A'")
            .bind(now().millis() - idle - Timestamp::MINUTE)
            .execute(&mut *conn)
            .await
            .unwrap();
        assert!(
            sessions::find(&mut conn, db.vault(), &a)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            sessions::find(&mut conn, db.vault(), &b)
                .await
                .unwrap()
                .is_some()
        );

        assert_eq!(
            sessions::delete_all_for_user(&mut conn, &id).await.unwrap(),
            1
        );
        assert!(
            sessions::find(&mut conn, db.vault(), &b)
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_session_id_of_another_account_cannot_be_revoked() {
    for db in TestDb::all().await {
        let mut ids = Vec::new();
        for address in ["owner@example.com", "other@example.com"] {
            let email = Email::parse(address).unwrap();
            ids.push(
                app::account::account_service::create_confirmed(
                    &db.db,
                    &email,
                    "correct horse battery",
                    "",
                    Role::Customer,
                )
                .await
                .unwrap(),
            );
        }
        let mut conn = db.db.pool().acquire().await.unwrap();
        let owner = app::identity::users::find_by_id(&mut conn, db.vault(), &ids[0])
            .await
            .unwrap()
            .unwrap();
        let (token, _) = sessions::create(&mut conn, &owner, "Owner").await.unwrap();
        let public_id = sessions::find(&mut conn, db.vault(), &token)
            .await
            .unwrap()
            .unwrap()
            .public_id;
        assert!(
            !sessions::delete_for_user(&mut conn, &ids[1], &public_id)
                .await
                .unwrap()
        );
        assert!(
            sessions::find(&mut conn, db.vault(), &token)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::delete_for_user(&mut conn, &ids[0], &public_id)
                .await
                .unwrap()
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn rate_limits_count_per_key_and_reopen_after_the_window() {
    for db in TestDb::all().await {
        let limit = Limit {
            limit: 3,
            window: Duration::from_secs(60),
        };
        for _ in 0..3 {
            hit(&db.db, "k:a", limit).await.unwrap();
        }
        match hit(&db.db, "k:a", limit).await {
            Err(HitError::Limited(AppError::RateLimited { retry_after_secs })) => {
                assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        hit(&db.db, "k:b", limit)
            .await
            .expect("another key is not affected");
        sqlx::query("UPDATE rate_limits SET window_start = $1 WHERE key = 'k:a'")
            .bind(now().millis() - 61_000)
            .execute(db.db.pool())
            .await
            .unwrap();
        hit(&db.db, "k:a", limit).await.expect("a new window");
        db.finish().await;
    }
}

async fn confirmed_user(db: &TestDb, address: &str) -> app::identity::users::User {
    let id = app::assembly::testing::confirmed_account(&db.db, address, Role::Customer).await;
    let mut conn = db.db.pool().acquire().await.unwrap();
    app::identity::users::find_by_id(&mut conn, db.vault(), &id)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_password_reset_link_works_once_ends_every_session_and_expires() {
    use app::account::account_service::{request_password_reset, reset_password};
    for db in TestDb::all().await {
        let user = confirmed_user(&db, "fay@example.com").await;
        let mut conn = db.db.pool().acquire().await.unwrap();
        let (old_session, _) = sessions::create(&mut conn, &user, "Old laptop")
            .await
            .unwrap();
        drop(conn);

        let email = Email::parse("fay@example.com").unwrap();
        request_password_reset(&db.db, &mail(), &email)
            .await
            .unwrap();
        // Unknown addresses get the same Ok, and no mail.
        request_password_reset(&db.db, &mail(), &Email::parse("ghost@example.com").unwrap())
            .await
            .unwrap();
        let mails = deliver_mail(&db).await;
        assert_eq!(mails.len(), 1);
        assert!(mails[0].1.contains("Reset your password"));
        let token = link_token(&mails[0].2);

        // A refused password leaves the link usable.
        assert!(matches!(
            reset_password(&db.db, &token, "short").await,
            Err(AccountError::Password(_))
        ));
        reset_password(&db.db, &token, "a brand new passphrase")
            .await
            .unwrap();
        assert!(matches!(
            reset_password(&db.db, &token, "another new passphrase").await,
            Err(AccountError::BadLink)
        ));
        assert!(
            authenticate(&db.db, &email, "a brand new passphrase")
                .await
                .is_ok()
        );
        assert!(
            authenticate(&db.db, &email, "correct horse battery")
                .await
                .is_err()
        );
        let mut conn = db.db.pool().acquire().await.unwrap();
        assert!(
            sessions::find(&mut conn, db.vault(), &old_session)
                .await
                .unwrap()
                .is_none(),
            "old sessions end"
        );
        drop(conn);

        request_password_reset(&db.db, &mail(), &email)
            .await
            .unwrap();
        let token = link_token(&deliver_mail(&db).await[1].2);
        sqlx::query("UPDATE account_tokens SET expires_at = $1 WHERE purpose = 'reset_password'")
            .bind(now().millis() - 1)
            .execute(db.db.pool())
            .await
            .unwrap();
        assert!(matches!(
            reset_password(&db.db, &token, "yet another passphrase").await,
            Err(AccountError::BadLink)
        ));
        db.finish().await;
    }
}

#[tokio::test]
async fn changing_the_password_asks_for_the_current_one_and_ends_sessions() {
    use app::account::account_service::change_password;
    for db in TestDb::all().await {
        let user = confirmed_user(&db, "gus@example.com").await;
        let mut conn = db.db.pool().acquire().await.unwrap();
        let (session, _) = sessions::create(&mut conn, &user, "Phone").await.unwrap();
        drop(conn);
        let wrong =
            change_password(&db.db, &user, "not my password", "a brand new passphrase").await;
        assert!(matches!(wrong, Err(AccountError::WrongCurrentPassword)));
        change_password(
            &db.db,
            &user,
            "correct horse battery",
            "a brand new passphrase",
        )
        .await
        .unwrap();
        let email = Email::parse("gus@example.com").unwrap();
        assert!(
            authenticate(&db.db, &email, "a brand new passphrase")
                .await
                .is_ok()
        );
        let mut conn = db.db.pool().acquire().await.unwrap();
        assert!(
            sessions::find(&mut conn, db.vault(), &session)
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_new_address_takes_effect_only_through_its_link() {
    use app::account::account_service::{confirm_email_change, request_email_change};
    for db in TestDb::all().await {
        let user = confirmed_user(&db, "hal@example.com").await;
        confirmed_user(&db, "taken@example.com").await;
        let new = Email::parse("hal.new@example.com").unwrap();
        assert!(matches!(
            request_email_change(&db.db, &mail(), &user, "wrong password", &new).await,
            Err(AccountError::WrongCurrentPassword)
        ));
        request_email_change(&db.db, &mail(), &user, "correct horse battery", &new)
            .await
            .unwrap();
        // An address with an account: its owner is told, nothing changes.
        let taken = Email::parse("taken@example.com").unwrap();
        request_email_change(&db.db, &mail(), &user, "correct horse battery", &taken)
            .await
            .unwrap();
        let mails = deliver_mail(&db).await;
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[0].0, "hal.new@example.com");
        assert_eq!(mails[1].0, "taken@example.com");
        assert!(mails[1].1.contains("already have an account"));

        let old = Email::parse("hal@example.com").unwrap();
        assert!(
            authenticate(&db.db, &old, "correct horse battery")
                .await
                .is_ok(),
            "unchanged until confirmed"
        );
        let changed = confirm_email_change(&db.db, &mail(), &link_token(&mails[0].2))
            .await
            .unwrap();
        assert_eq!(changed.email, "hal.new@example.com");
        // The old address is told, and a link used twice does nothing.
        let mails = deliver_mail(&db).await;
        let notice = mails.last().unwrap();
        assert_eq!(notice.0, "hal@example.com");
        assert!(notice.2.contains("hal.new@example.com"), "{}", notice.2);
        assert!(matches!(
            confirm_email_change(&db.db, &mail(), &link_token(&mails[0].2)).await,
            Err(AccountError::BadLink)
        ));
        assert!(
            authenticate(&db.db, &new, "correct horse battery")
                .await
                .is_ok()
        );
        assert!(
            authenticate(&db.db, &old, "correct horse battery")
                .await
                .is_err()
        );
        db.finish().await;
    }
}

fn berlin() -> shop_types::AddressInput {
    shop_types::AddressInput {
        full_name: "Ida Berg".into(),
        line1: "Hauptstraße 5".into(),
        postal_code: "10115".into(),
        city: "Berlin".into(),
        country: "DE".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_address_book_keeps_one_default_and_only_its_owner_can_touch_it() {
    use app::account::address_book::{AddressBookError, delete, list, save};
    for db in TestDb::all().await {
        let ida = confirmed_user(&db, "ida@example.com").await;
        let jon = confirmed_user(&db, "jon@example.com").await;
        let first = save(&db.db, &ida.id, None, berlin(), false).await.unwrap();
        let mut office = berlin();
        office.line1 = "Friedrichstraße 1".into();
        let second = save(&db.db, &ida.id, None, office, true).await.unwrap();

        let mut conn = db.db.pool().acquire().await.unwrap();
        let book = list(&mut conn, db.db.vault(), &ida.id).await.unwrap();
        assert_eq!(book.len(), 2);
        assert_eq!(book[0].id, second, "the newest default comes first");
        assert_eq!(book.iter().filter(|a| a.is_default).count(), 1);
        assert!(
            list(&mut conn, db.db.vault(), &jon.id)
                .await
                .unwrap()
                .is_empty()
        );
        drop(conn);

        // Jon cannot change or delete Ida's address: to him it does not exist.
        let mut hijack = berlin();
        hijack.full_name = "Jon".into();
        assert!(matches!(
            save(&db.db, &jon.id, Some(&first), hijack, false).await,
            Err(AddressBookError::NotFound)
        ));
        assert!(matches!(
            delete(&db.db, &jon.id, &first).await,
            Err(AddressBookError::NotFound)
        ));

        // Bad input names the field and stores nothing.
        let mut bad = berlin();
        bad.postal_code = "1234".into();
        match save(&db.db, &ida.id, None, bad, false).await {
            Err(AddressBookError::Invalid(field, _)) => assert_eq!(field, "postal_code"),
            other => panic!("expected a validation error, got {other:?}"),
        }

        // Deleting the default promotes the remaining address.
        delete(&db.db, &ida.id, &second).await.unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        let book = list(&mut conn, db.db.vault(), &ida.id).await.unwrap();
        assert_eq!(
            (
                book.len(),
                book[0].is_default,
                book[0].address.full_name.as_str()
            ),
            (1, true, "Ida Berg")
        );
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_privilege_change_ends_the_accounts_sessions_and_grants_named_permissions() {
    use app::account::account_service::change_role;
    use shop_types::Permission;
    for db in TestDb::all().await {
        let user = confirmed_user(&db, "kim@example.com").await;
        let mut conn = db.db.pool().acquire().await.unwrap();
        let (token, _) = sessions::create(&mut conn, &user, "Desk").await.unwrap();
        drop(conn);
        change_role(&db.db, &user.id, Role::Staff, &[Permission::ViewReports])
            .await
            .unwrap();
        let mut conn = db.db.pool().acquire().await.unwrap();
        assert!(
            sessions::find(&mut conn, db.vault(), &token)
                .await
                .unwrap()
                .is_none(),
            "the old token stops working"
        );
        let staff = app::identity::users::find_by_id(&mut conn, db.vault(), &user.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(staff.role, Role::Staff);
        assert!(staff.has_permission(Permission::ViewReports));
        assert!(!staff.has_permission(Permission::ManageOrders));
        drop(conn);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_hourly_clean_up_removes_only_what_has_run_its_course() {
    use app::assembly::maintenance::{prune, schedule_next};
    for db in TestDb::all().await {
        let user = confirmed_user(&db, "lee@example.com").await;
        let mut conn = db.db.pool().acquire().await.unwrap();
        let (live, _) = sessions::create(&mut conn, &user, "Live").await.unwrap();
        let (dead, _) = sessions::create(&mut conn, &user, "Dead").await.unwrap();
        drop(conn);
        sqlx::query("UPDATE sessions SET expires_at = 1 WHERE user_agent = 'Dead'")
            .execute(db.db.pool())
            .await
            .unwrap();
        assert!(prune(&db.db).await.unwrap() >= 1);
        let left: Vec<String> = sqlx::query_scalar("SELECT user_agent FROM sessions")
            .fetch_all(db.db.pool())
            .await
            .unwrap();
        assert_eq!(left, vec!["Live".to_owned()]);
        let _ = (live, dead);

        schedule_next(&db.db).await.unwrap();
        schedule_next(&db.db).await.unwrap();
        let queued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'maintenance.prune'")
                .fetch_one(db.db.pool())
                .await
                .unwrap();
        assert_eq!(
            queued, 1,
            "one clean-up per hour however often it is scheduled"
        );
        db.finish().await;
    }
}
