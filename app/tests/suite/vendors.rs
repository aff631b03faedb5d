//! Marketplace vendors on every engine: a shopper applies (checked per field, the details
//! sealed), is accepted, completes the checklist, is reviewed and approved, suspended and
//! reinstated; each step is mailed and audited; refused steps change nothing.

use app::assembly::testing::{TestDb, confirmed_account, queued_mails, react, vendor_application};
use app::identity::users;
use app::platform::audit_trail::Who;
use app::platform::db::Db;
use app::vendors::onboarding::{self, apply, save_profile, take_step};
use app::vendors::vendor_store;
use shop_types::vendor::{Actor, Requirement, VendorApplication};
use shop_types::{AppError, Problem, Role, VendorRole, VendorStatus, VendorStep};

fn application(name: &str) -> VendorApplication {
    VendorApplication {
        account_holder: "Nordic Wool GmbH".into(),
        ..vendor_application(name)
    }
}

async fn user(db: &Db, id: &str) -> users::User {
    let mut conn = db.pool().acquire().await.unwrap();
    users::find_by_id(&mut conn, db.vault(), id)
        .await
        .unwrap()
        .unwrap()
}

fn staff() -> Who {
    Who::of("staff-1", "reviewer@example.com")
}

async fn status(db: &Db, vendor: &str) -> VendorStatus {
    let mut conn = db.pool().acquire().await.unwrap();
    vendor_store::find(&mut conn, vendor)
        .await
        .unwrap()
        .unwrap()
        .status
}

const PROFILE: &str = "Hand-knitted jumpers and socks from Shetland wool, made to order in Berlin.";
const POLICY: &str = "Return unworn items within 30 days; we pay the return label inside the EU.";

#[tokio::test]
async fn a_shopper_applies_is_accepted_completes_the_checklist_and_is_approved() {
    for t in TestDb::all().await {
        let db = &t.db;
        app::assembly::testing::shop_with_products(db, 2).await;
        let ana_id = confirmed_account(db, "ana@example.com", Role::Customer).await;
        let ana = user(db, &ana_id).await;
        let who = Who::of(&ana_id, "ana@example.com");
        // A session that must end when the account becomes a vendor's.
        let mut conn = db.pool().acquire().await.unwrap();
        app::identity::sessions::create(&mut conn, &ana, "test browser")
            .await
            .unwrap();
        drop(conn);

        let applied = apply(db, &ana, application("Nordic Wool & Co."), &who)
            .await
            .unwrap();
        assert_eq!(applied.slug, "nordic-wool-co");
        let vendor = applied.vendor_id.clone();
        assert_eq!(status(db, &vendor).await, VendorStatus::Applied);
        assert_eq!(user(db, &ana_id).await.role, Role::Vendor);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(&ana_id)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(
            sessions, 0,
            "a vendor account signs in again, with two steps"
        );
        let mut conn = db.pool().acquire().await.unwrap();
        let (_, role) = vendor_store::membership(&mut conn, &ana_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(role, VendorRole::Owner);
        // The business's details are sealed: readable through the store, not in the table.
        let details = vendor_store::details(&mut conn, db.vault(), &vendor)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(details.iban, "DE89370400440532013000");
        assert_eq!(details.tax_number, "DE123456789");
        let stored: String = sqlx::query_scalar("SELECT details FROM vendors WHERE id = $1")
            .bind(&vendor)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        for secret in ["DE8937", "HRB", "Ana Berg", "1234567"] {
            assert!(!stored.contains(secret), "{secret} is sealed");
        }
        // What Ana gave when applying is hers to download (GDPR Art. 15).
        let ana_now = user(db, &ana_id).await;
        let export = app::privacy::export::personal_data(
            &mut conn,
            db.vault(),
            &ana_now,
            "Shop",
            shop_types::Timestamp(0),
        )
        .await
        .unwrap();
        assert_eq!(export["seller"]["name"], "Nordic Wool & Co.");
        assert_eq!(export["seller"]["role"], "owner");
        assert_eq!(
            export["seller"]["business_details"]["iban"],
            "DE89370400440532013000"
        );
        drop(conn);

        // Nothing is approved before it was accepted and reviewed.
        let early = take_step(
            db,
            &vendor,
            VendorStep::Approve,
            Actor::Operator,
            "",
            &staff(),
        )
        .await;
        assert_eq!(
            early.unwrap_err(),
            AppError::conflict(Problem::VendorStepNotNow)
        );
        // The owner cannot approve themselves.
        let own = take_step(db, &vendor, VendorStep::Accept, Actor::Owner, "", &who).await;
        assert_eq!(own.unwrap_err(), AppError::Forbidden);
        take_step(
            db,
            &vendor,
            VendorStep::Accept,
            Actor::Operator,
            "",
            &staff(),
        )
        .await
        .unwrap();

        // The operator asks for one product; the checklist shows what is left.
        let mut conn = db.pool().acquire().await.unwrap();
        app::settings::settings_service::save_vendor_rules(&mut conn, "1", true)
            .await
            .unwrap();
        drop(conn);
        let incomplete = take_step(
            db,
            &vendor,
            VendorStep::SubmitForReview,
            Actor::Owner,
            "",
            &who,
        )
        .await;
        assert_eq!(
            incomplete.unwrap_err(),
            AppError::conflict(Problem::VendorChecklistIncomplete)
        );
        let short = save_profile(db, &vendor, "Socks.", POLICY, &who).await;
        assert_eq!(
            short.unwrap_err(),
            AppError::validation(
                "description",
                Problem::VendorDescriptionLength { min: 40, max: 2000 }
            )
        );
        save_profile(db, &vendor, PROFILE, POLICY, &who)
            .await
            .unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let row = vendor_store::find(&mut conn, &vendor)
            .await
            .unwrap()
            .unwrap();
        let rules = app::store::queries::vendor_rules(&mut conn).await.unwrap();
        let items = onboarding::checklist(&mut conn, db.vault(), &row, rules)
            .await
            .unwrap();
        let open: Vec<&Requirement> = items
            .iter()
            .filter(|i| !i.done)
            .map(|i| &i.requirement)
            .collect();
        assert_eq!(open, vec![&Requirement::Products { minimum: 1 }]);
        // One of the shop's products becomes the vendor's (the editor's part comes later).
        sqlx::query("UPDATE products SET vendor_id = $1 WHERE id = (SELECT MIN(id) FROM products)")
            .bind(&vendor)
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let to = take_step(
            db,
            &vendor,
            VendorStep::SubmitForReview,
            Actor::Owner,
            "",
            &who,
        )
        .await
        .unwrap();
        assert_eq!(to, VendorStatus::InReview);

        // Staff explain a refusal; then approve, suspend (with a reason) and reinstate.
        let silent = take_step(
            db,
            &vendor,
            VendorStep::Reject,
            Actor::Operator,
            " ",
            &staff(),
        )
        .await;
        assert_eq!(
            silent.unwrap_err(),
            AppError::validation("reason", Problem::VendorReasonMissing)
        );
        let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE vendor_id = $1")
            .bind(&vendor)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let seller = || async {
            let mut conn = db.pool().acquire().await.unwrap();
            app::catalog::queries::product_by_slug_in(&mut conn, &slug, None, true)
                .await
                .unwrap()
                .unwrap()
                .summary
                .seller
                .map(|s| s.name)
        };
        assert_eq!(seller().await, None, "not named before it is approved");
        take_step(
            db,
            &vendor,
            VendorStep::Approve,
            Actor::Operator,
            "",
            &staff(),
        )
        .await
        .unwrap();
        assert_eq!(seller().await.as_deref(), Some("Nordic Wool & Co."));
        take_step(
            db,
            &vendor,
            VendorStep::Suspend,
            Actor::Operator,
            "Three orders shipped late this week.",
            &staff(),
        )
        .await
        .unwrap();
        assert_eq!(seller().await, None, "a suspended seller is not shown");
        take_step(
            db,
            &vendor,
            VendorStep::Reinstate,
            Actor::Operator,
            "",
            &staff(),
        )
        .await
        .unwrap();
        assert_eq!(status(db, &vendor).await, VendorStatus::Approved);

        let mut conn = db.pool().acquire().await.unwrap();
        let history = vendor_store::status_history(&mut conn, &vendor)
            .await
            .unwrap();
        let path: Vec<VendorStatus> = history.iter().map(|h| h.to).collect();
        assert_eq!(
            path,
            vec![
                VendorStatus::Applied,
                VendorStatus::Onboarding,
                VendorStatus::InReview,
                VendorStatus::Approved,
                VendorStatus::Suspended,
                VendorStatus::Approved
            ]
        );
        drop(conn);

        // Each change mails the owner once, however often the reactions run; each is audited.
        react(db).await;
        react(db).await;
        let mails: Vec<_> = queued_mails(db)
            .await
            .into_iter()
            .filter(|m| m.to == "ana@example.com" && m.subject.starts_with("Nordic Wool & Co."))
            .collect();
        assert_eq!(
            mails.len(),
            6,
            "{:?}",
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        let suspended = mails
            .iter()
            .find(|m| m.subject.ends_with("Suspended"))
            .expect("the suspension mail");
        assert!(
            suspended
                .text
                .contains("Three orders shipped late this week.")
        );
        assert!(suspended.text.contains("http://shop.test/vendor"));
        let audited: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq")
                .bind(format!("vendor:{vendor}"))
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(audited.first().map(String::as_str), Some("vendor.applied"));
        assert_eq!(
            audited
                .iter()
                .filter(|a| *a == "vendor.status_changed")
                .count(),
            5
        );
        assert!(audited.iter().any(|a| a == "vendor.profile_saved"));
        t.finish().await;
    }
}

#[tokio::test]
async fn bad_applications_and_refused_applicants_store_nothing_and_rejection_ends_the_team() {
    for t in TestDb::all().await {
        let db = &t.db;
        app::assembly::testing::shop_with_products(db, 1).await;
        let count = || async {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vendors")
                .fetch_one(db.pool())
                .await
                .unwrap();
            n
        };
        // Staff cannot sell.
        let clerk_id = confirmed_account(db, "clerk@example.com", Role::Staff).await;
        let clerk = user(db, &clerk_id).await;
        let refused = apply(db, &clerk, application("Clerk's Corner"), &Who::system()).await;
        assert_eq!(
            refused.unwrap_err(),
            AppError::conflict(Problem::VendorApplicantNotCustomer)
        );
        // A wrong IBAN names its field and stores nothing.
        let bo_id = confirmed_account(db, "bo@example.com", Role::Customer).await;
        let bo = user(db, &bo_id).await;
        let mut typo = application("Bo's Bakes");
        typo.iban = "DE89 3704 0044 0532 0130 01".into();
        let wrong = apply(db, &bo, typo, &Who::system()).await;
        assert_eq!(
            wrong.unwrap_err(),
            AppError::validation("iban", Problem::IbanInvalid)
        );
        let mut far = application("Bo's Bakes");
        far.billing.country = "ZZ".into();
        let wrong = apply(db, &bo, far, &Who::system()).await;
        assert_eq!(
            wrong.unwrap_err(),
            AppError::validation("billing.country", Problem::CountryNotDelivered)
        );
        assert_eq!(count().await, 0);
        assert_eq!(user(db, &bo_id).await.role, Role::Customer);

        // Two sellers of one name get their own addresses.
        let first = apply(db, &bo, application("Bo's Bakes"), &Who::system())
            .await
            .unwrap();
        let cy_id = confirmed_account(db, "cy@example.com", Role::Customer).await;
        let cy = user(db, &cy_id).await;
        let second = apply(db, &cy, application("Bo's Bakes"), &Who::system())
            .await
            .unwrap();
        assert_eq!(
            (first.slug.as_str(), second.slug.as_str()),
            ("bo-s-bakes", "bo-s-bakes-2")
        );
        // An account belongs to one vendor: Bo (now a vendor account) cannot apply again.
        let bo = user(db, &bo_id).await;
        let again = apply(db, &bo, application("Bo's Second"), &Who::system()).await;
        assert_eq!(
            again.unwrap_err(),
            AppError::conflict(Problem::VendorApplicantNotCustomer)
        );

        // Two staff accepting at once: one wins, the other is told it no longer applies.
        let (one, two) = (staff(), staff());
        let (a, b) = tokio::join!(
            take_step(
                db,
                &second.vendor_id,
                VendorStep::Accept,
                Actor::Operator,
                "",
                &one
            ),
            take_step(
                db,
                &second.vendor_id,
                VendorStep::Accept,
                Actor::Operator,
                "",
                &two
            ),
        );
        assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
        let loser = if a.is_ok() { b } else { a };
        assert_eq!(
            loser.unwrap_err(),
            AppError::conflict(Problem::VendorStepNotNow)
        );

        // A rejected vendor's team are shoppers again, signed out, and may apply anew.
        take_step(
            db,
            &first.vendor_id,
            VendorStep::Reject,
            Actor::Operator,
            "We could not confirm the registration number.",
            &staff(),
        )
        .await
        .unwrap();
        assert_eq!(user(db, &bo_id).await.role, Role::Customer);
        let mut conn = db.pool().acquire().await.unwrap();
        assert!(
            vendor_store::membership(&mut conn, &bo_id)
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        // A closed or rejected vendor takes no further step.
        let after = take_step(
            db,
            &first.vendor_id,
            VendorStep::Close,
            Actor::Operator,
            "",
            &staff(),
        )
        .await;
        assert_eq!(
            after.unwrap_err(),
            AppError::conflict(Problem::VendorStepNotNow)
        );
        react(db).await;
        let rejection = queued_mails(db)
            .await
            .into_iter()
            .find(|m| m.to == "bo@example.com" && m.subject.ends_with("Rejected"))
            .expect("the rejection reaches the former owner");
        assert!(
            rejection
                .text
                .contains("We could not confirm the registration number.")
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn an_owner_invites_by_mail_the_invited_address_joins_once_and_owners_remove_members() {
    use app::vendors::team;
    for t in TestDb::all().await {
        let db = &t.db;
        app::assembly::testing::shop_with_products(db, 1).await;
        let owner_id = confirmed_account(db, "owner@example.com", Role::Customer).await;
        let owner = user(db, &owner_id).await;
        let by_owner = Who::of(&owner_id, "owner@example.com");
        let vendor = apply(db, &owner, application("Team Shop"), &by_owner)
            .await
            .unwrap()
            .vendor_id;
        let dana_email = shop_types::Email::parse("Dana@Example.com").unwrap();
        team::invite(
            db,
            &vendor,
            &dana_email,
            VendorRole::Orders,
            &by_owner,
            "http://shop.test",
        )
        .await
        .unwrap();
        let mail = queued_mails(db)
            .await
            .into_iter()
            .find(|m| m.to == "dana@example.com")
            .expect("the invitation mail");
        assert!(
            mail.subject.starts_with("Join Team Shop at "),
            "{}",
            mail.subject
        );
        assert!(mail.text.contains("Orders and returns"), "the role offered");
        let token = mail
            .text
            .split("/vendor/join?token=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("a link with a token")
            .to_owned();
        // Another address cannot use Dana's link.
        let eve_id = confirmed_account(db, "eve@example.com", Role::Customer).await;
        let eve = user(db, &eve_id).await;
        assert_eq!(
            team::join(db, &eve, &token).await.unwrap_err(),
            AppError::conflict(Problem::VendorInvitationOtherAddress)
        );
        let dana_id = confirmed_account(db, "dana@example.com", Role::Customer).await;
        let dana = user(db, &dana_id).await;
        assert_eq!(team::join(db, &dana, &token).await.unwrap(), "Team Shop");
        assert_eq!(user(db, &dana_id).await.role, Role::Vendor);
        let mut conn = db.pool().acquire().await.unwrap();
        let (v, role) = vendor_store::membership(&mut conn, &dana_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((v.id.as_str(), role), (vendor.as_str(), VendorRole::Orders));
        drop(conn);
        // Once only; and not again for someone already in the team.
        let dana = user(db, &dana_id).await;
        assert_eq!(
            team::join(db, &dana, &token).await.unwrap_err(),
            AppError::conflict(Problem::VendorInvitationInvalid)
        );
        assert_eq!(
            team::invite(
                db,
                &vendor,
                &dana_email,
                VendorRole::Finance,
                &by_owner,
                "http://shop.test"
            )
            .await
            .unwrap_err(),
            AppError::validation("email", Problem::VendorMemberAlready)
        );
        let listed = team::team(db, &vendor).await.unwrap();
        let emails: Vec<&str> = listed.members.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(emails, vec!["owner@example.com", "dana@example.com"]);

        // The owner cannot remove themselves, nor leave the seller without an owner.
        assert_eq!(
            team::remove(db, &vendor, &owner_id, &by_owner)
                .await
                .unwrap_err(),
            AppError::conflict(Problem::VendorRemoveSelf)
        );
        let by_dana = Who::of(&dana_id, "dana@example.com");
        assert_eq!(
            team::remove(db, &vendor, &owner_id, &by_dana)
                .await
                .unwrap_err(),
            AppError::conflict(Problem::VendorLastOwner)
        );
        // Someone not in the team is not found; Dana is removed and shops again.
        assert_eq!(
            team::remove(db, &vendor, &eve_id, &by_owner)
                .await
                .unwrap_err(),
            AppError::not_found(shop_types::Thing::Item)
        );
        team::remove(db, &vendor, &dana_id, &by_owner)
            .await
            .unwrap();
        assert_eq!(user(db, &dana_id).await.role, Role::Customer);
        let audited: Vec<String> = {
            react(db).await;
            sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq")
                .bind(format!("vendor:{vendor}"))
                .fetch_all(db.pool())
                .await
                .unwrap()
        };
        for action in [
            "vendor.member_invited",
            "vendor.member_joined",
            "vendor.member_removed",
        ] {
            assert!(audited.iter().any(|a| a == action), "{action}: {audited:?}");
        }
        t.finish().await;
    }
}
