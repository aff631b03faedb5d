//! Two-step sign-in as the database keeps it (both engines): enrolment shows the same key until
//! confirmed, codes work once, recovery codes work once, challenges expire and wear out, and
//! removal ends everything.

use app::assembly::testing::{TestDb, confirmed_account};
use app::identity::factors::{self, CHALLENGE_TTL, MAX_FAILURES, Method, Purpose};
use app::identity::totp;
use shop_types::{Role, Timestamp};

/// A moment in the middle of a step (no grace period involved).
const T: Timestamp = Timestamp(1_800_000_015_000);

fn secs(t: Timestamp) -> i64 {
    t.millis() / 1000
}

#[test]
fn back_office_accounts_must_have_a_second_factor_and_customers_may() {
    assert_eq!(factors::next_step(Role::Customer, false), None);
    assert_eq!(
        factors::next_step(Role::Customer, true),
        Some(Purpose::SecondFactor)
    );
    for role in [Role::Staff, Role::Admin, Role::Vendor] {
        assert_eq!(factors::next_step(role, false), Some(Purpose::Enrol));
        assert_eq!(factors::next_step(role, true), Some(Purpose::SecondFactor));
    }
}

#[tokio::test]
async fn enrolment_codes_and_recovery_codes_each_work_once() {
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "ada@example.com", Role::Customer).await;
        let mut conn = db.pool().acquire().await.unwrap();

        let first = factors::start_enrolment(&mut conn, &id, T)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.recovery_codes.len(), 10);
        // A reload shows the same key and codes (the app already has the key) ...
        let again = factors::start_enrolment(&mut conn, &id, T.plus_millis(60_000))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.secret, first.secret);
        assert_eq!(again.recovery_codes, first.recovery_codes);
        // ... and nothing counts before confirmation.
        assert!(!factors::status(&mut conn, &id).await.unwrap().app);
        assert_eq!(
            factors::use_code(&mut conn, &id, &first.recovery_codes[0], T)
                .await
                .unwrap(),
            None
        );
        let hashes = factors::hash_recovery_codes(&first).await.unwrap();
        // A key that is not the one in progress confirms nothing.
        let step = totp::step_at(secs(T));
        assert!(
            !factors::confirm_enrolment(&mut conn, &id, &totp::new_secret(), step, &hashes, T)
                .await
                .unwrap()
        );
        let code = totp::code_at(&first.secret, secs(T));
        assert_eq!(
            totp::verify(&first.secret, &code, secs(T), None),
            Some(step)
        );
        assert!(
            factors::confirm_enrolment(&mut conn, &id, &first.secret, step, &hashes, T)
                .await
                .unwrap()
        );
        let status = factors::status(&mut conn, &id).await.unwrap();
        assert!(status.app);
        assert_eq!(status.recovery_codes_left, 10);
        // Confirmed: no second enrolment over it.
        assert!(
            factors::start_enrolment(&mut conn, &id, T)
                .await
                .unwrap()
                .is_none()
        );

        // The code that confirmed cannot sign in; the next step's code can, once.
        assert_eq!(
            factors::use_code(&mut conn, &id, &code, T).await.unwrap(),
            None
        );
        let later = T.plus_millis(30_000);
        let next = totp::code_at(&first.secret, secs(later));
        assert_eq!(
            factors::use_code(&mut conn, &id, &next, later)
                .await
                .unwrap(),
            Some(Method::App)
        );
        assert_eq!(
            factors::use_code(&mut conn, &id, &next, later)
                .await
                .unwrap(),
            None
        );

        // A recovery code, typed in capitals with spaces, works once.
        let typed = first.recovery_codes[3].to_uppercase().replace('-', " ");
        assert_eq!(
            factors::use_code(&mut conn, &id, &typed, later)
                .await
                .unwrap(),
            Some(Method::RecoveryCode)
        );
        assert_eq!(
            factors::use_code(&mut conn, &id, &typed, later)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            factors::status(&mut conn, &id)
                .await
                .unwrap()
                .recovery_codes_left,
            9
        );
        assert_eq!(
            factors::use_code(&mut conn, &id, "not-a-code", later)
                .await
                .unwrap(),
            None
        );

        // Removal ends the app and the codes.
        assert!(factors::remove(&mut conn, &id).await.unwrap());
        assert_eq!(
            factors::status(&mut conn, &id).await.unwrap(),
            factors::Status::default()
        );
        assert_eq!(
            factors::use_code(&mut conn, &id, &first.recovery_codes[5], later)
                .await
                .unwrap(),
            None
        );
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn an_old_enrolment_is_replaced_and_its_key_no_longer_confirms() {
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "bo@example.com", Role::Staff).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let old = factors::start_enrolment(&mut conn, &id, T)
            .await
            .unwrap()
            .unwrap();
        let later = T.plus_millis(factors::ENROLMENT_TTL + 1);
        let new = factors::start_enrolment(&mut conn, &id, later)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(old.secret, new.secret);
        assert_ne!(old.recovery_codes, new.recovery_codes);
        let hashes = factors::hash_recovery_codes(&old).await.unwrap();
        let step = totp::step_at(secs(later));
        assert!(
            !factors::confirm_enrolment(&mut conn, &id, &old.secret, step, &hashes, later)
                .await
                .unwrap()
        );
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn challenges_expire_wear_out_and_end_with_a_new_sign_in() {
    for t in TestDb::all().await {
        let db = &t.db;
        let id = confirmed_account(db, "cy@example.com", Role::Admin).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let token = factors::open_challenge(&mut conn, &id, Purpose::Enrol, T)
            .await
            .unwrap();
        let found = factors::find_challenge(&mut conn, &token, T)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.user_id.as_str(), found.purpose),
            (id.as_str(), Purpose::Enrol)
        );
        assert!(
            factors::find_challenge(&mut conn, "someone-elses", T)
                .await
                .unwrap()
                .is_none()
        );
        // Expired: gone, and gone for good.
        assert!(
            factors::find_challenge(&mut conn, &token, T.plus_millis(CHALLENGE_TTL))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            factors::find_challenge(&mut conn, &token, T)
                .await
                .unwrap()
                .is_none()
        );

        // Worn out by wrong codes.
        let token = factors::open_challenge(&mut conn, &id, Purpose::SecondFactor, T)
            .await
            .unwrap();
        for n in 1..=MAX_FAILURES {
            assert_eq!(factors::count_failure(&mut conn, &token).await.unwrap(), n);
        }
        assert!(
            factors::find_challenge(&mut conn, &token, T)
                .await
                .unwrap()
                .is_none()
        );

        // A second sign-in ends the first one's challenge.
        let first = factors::open_challenge(&mut conn, &id, Purpose::SecondFactor, T)
            .await
            .unwrap();
        let second = factors::open_challenge(&mut conn, &id, Purpose::SecondFactor, T)
            .await
            .unwrap();
        assert!(
            factors::find_challenge(&mut conn, &first, T)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            factors::find_challenge(&mut conn, &second, T)
                .await
                .unwrap()
                .is_some()
        );
        drop(conn);
        t.finish().await;
    }
}
