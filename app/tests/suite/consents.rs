//! Consent records on every engine: giving and withdrawing the newsletter and push topics is
//! kept with the version of the words and where, once per change, and shows in the person's
//! export.

use app::assembly::testing::{TestDb, confirmed_account, react};
use app::marketing::newsletter_service::{subscribe, unsubscribe};
use app::push::push_service::{self, NewSubscription};
use shop_types::offline::PushTopic;
use shop_types::{Email, Role, Timestamp, consent};

#[tokio::test]
async fn consents_are_recorded_with_their_wording_and_withdrawals_and_exported() {
    for t in TestDb::all().await {
        let db = &t.db;
        app::assembly::testing::shop_with_products(db, 1).await;
        let user = confirmed_account(db, "consenting@example.com", Role::Customer).await;
        let email = Email::parse("Consenting@Example.com").unwrap();
        subscribe(db, &email, "storefront_footer").await.unwrap();
        assert!(unsubscribe(db, &email, "account_page").await.unwrap());
        // Not subscribed any more: nothing to withdraw, nothing recorded.
        assert!(!unsubscribe(db, &email, "account_page").await.unwrap());

        // A made-up device (the keys are never used here).
        let device = NewSubscription {
            endpoint: "https://push.example.net/device-1".into(),
            p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM".into(),
            auth: "tBHItJI5svbpez7KI4CCXg".into(),
        };
        push_service::subscribe(
            db,
            &user,
            &device,
            &[PushTopic::OrderStatus, PushTopic::Promotions],
        )
        .await
        .unwrap();
        // The same topics again change nothing; dropping one withdraws it.
        push_service::subscribe(
            db,
            &user,
            &device,
            &[PushTopic::Promotions, PushTopic::OrderStatus],
        )
        .await
        .unwrap();
        push_service::subscribe(db, &user, &device, &[PushTopic::OrderStatus])
            .await
            .unwrap();
        assert!(
            push_service::unsubscribe(db, &user, &device.endpoint)
                .await
                .unwrap()
        );

        react(db).await;
        // Each event once, however often delivered: run the reactions again.
        react(db).await;
        let mut conn = db.pool().acquire().await.unwrap();
        let records = app::privacy::consents::of_person(
            &mut conn,
            db.vault(),
            &user,
            "consenting@example.com",
        )
        .await
        .unwrap();
        let seen: Vec<(String, bool, String, String)> = records
            .iter()
            .map(|r| {
                (
                    r.purpose.clone(),
                    r.given,
                    r.wording.clone(),
                    r.source.clone(),
                )
            })
            .collect();
        let row = |purpose: &str, given, wording: &str, source: &str| {
            (
                purpose.to_owned(),
                given,
                wording.to_owned(),
                source.to_owned(),
            )
        };
        let push = |topic| consent::push_purpose(topic);
        let expected = [
            row(
                consent::NEWSLETTER,
                true,
                consent::NEWSLETTER_WORDING,
                "storefront_footer",
            ),
            row(
                consent::NEWSLETTER,
                false,
                consent::NEWSLETTER_WORDING,
                "account_page",
            ),
            row(
                &push(PushTopic::OrderStatus),
                true,
                consent::PUSH_WORDING,
                "notifications_page",
            ),
            row(
                &push(PushTopic::Promotions),
                true,
                consent::PUSH_WORDING,
                "notifications_page",
            ),
            row(
                &push(PushTopic::Promotions),
                false,
                consent::PUSH_WORDING,
                "notifications_page",
            ),
            row(
                &push(PushTopic::OrderStatus),
                false,
                consent::PUSH_WORDING,
                "notifications_page",
            ),
        ];
        assert_eq!(seen.len(), expected.len(), "{seen:?}");
        for e in &expected {
            assert!(seen.contains(e), "{e:?} in {seen:?}");
        }

        let account = app::identity::users::find_by_id(&mut conn, t.db.vault(), &user)
            .await
            .unwrap()
            .unwrap();
        let data = app::privacy::export::personal_data(
            &mut conn,
            t.db.vault(),
            &account,
            "Shop",
            Timestamp(0),
        )
        .await
        .unwrap();
        let exported = data["consents"].as_array().unwrap();
        assert_eq!(exported.len(), 6);
        assert!(
            exported
                .iter()
                .all(|c| c["wording"].is_string() && c["at"].is_string())
        );
        drop(conn);
        t.finish().await;
    }
}
