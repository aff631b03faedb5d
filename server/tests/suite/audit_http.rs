//! The audit log over HTTP: a staff change arrives with who, from where and the request id; a
//! sign-in and a failed one are there; only admins read or download it.

use crate::support::{account, call, each_engine, sign_in};
use app::audit::views::AuditRows;
use reqwest::StatusCode;
use shop_types::{Permission, Role};

/// The log as an admin lists it, once `want` entries are there (the audit reaction runs as a
/// job right after the change commits).
async fn audit_rows(app: &crate::support::TestApp, admin: &str, want: usize) -> AuditRows {
    for _ in 0..200 {
        let listed = call(app, &app.client, "/api/admin/audit", &[], Some(admin)).await;
        assert_eq!(listed.status(), StatusCode::OK);
        let mut rows: AuditRows = listed.json().await.unwrap();
        if rows.rows.len() >= want {
            // The log keeps the order entries arrived in; reactions to changes made a moment
            // apart may arrive in either order, so the test reads them in the order they happened.
            rows.rows.sort_by_key(|r| std::cmp::Reverse((r.at, r.seq)));
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the audit log did not reach {want} entries");
}

#[tokio::test]
async fn a_price_change_is_in_the_log_with_who_where_and_before_after() {
    for app in each_engine().await {
        app::assembly::testing::shop_with_products(&app.db.db, 0).await;
        account(&app, "admin@example.com", Role::Admin).await;
        account(&app, "staff@example.com", Role::Staff).await;
        let staff_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email_index = $1")
            .bind(app.db.db.vault().email_index("staff@example.com"))
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        app::account::account_service::change_role(
            &app.db.db,
            &staff_id,
            Role::Staff,
            &[Permission::ManageCatalog],
        )
        .await
        .unwrap();
        // A wrong password first: the attempt is logged with the address tried.
        let wrong = call(
            &app,
            &app.client,
            "/api/account/sign-in",
            &[
                ("email", "staff@example.com"),
                ("password", "not the password"),
            ],
            None,
        )
        .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let staff = sign_in(&app, "staff@example.com", None).await;
        let mut form = vec![
            ("product[title]", "Glacier Parka"),
            ("product[status]", "active"),
            ("variants[0][sku]", "GP-M"),
            ("variants[0][price]", "249.00"),
            ("variants[0][stock]", "4"),
        ];
        let created = call(
            &app,
            &app.client,
            "/api/admin/products/save",
            &form,
            Some(&staff),
        )
        .await;
        assert_eq!(created.status(), StatusCode::OK);
        let id: String = created.json().await.unwrap();
        let variant: String = sqlx::query_scalar("SELECT id FROM variants WHERE sku = 'GP-M'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        form[3] = ("variants[0][price]", "199.00");
        form.push(("variants[0][id]", &variant));
        form.push(("id", &id));
        let saved = app
            .client
            .post(app.url("/api/admin/products/save"))
            .header("accept", "application/json")
            .header("cookie", &staff)
            .header("x-request-id", "e2e-price-change")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);

        // Staff may not read the log, nor download it.
        let refused = call(&app, &app.client, "/api/admin/audit", &[], Some(&staff)).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let download = app
            .client
            .get(app.url("/admin/export/audit.csv"))
            .header("cookie", &staff)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), StatusCode::FORBIDDEN);
        let anonymous = call(&app, &app.client, "/api/admin/audit", &[], None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        let admin = sign_in(&app, "admin@example.com", None).await;
        // failed sign-in, staff sign-in (code, session), created, saved, admin sign-in (code,
        // session)
        let rows = audit_rows(&app, &admin, 7).await.rows;
        let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "account.signed_in",
                "account.second_step_passed",
                "product.saved",
                "product.created",
                "account.signed_in",
                "account.second_step_passed",
                "account.sign_in_failed"
            ],
            "{rows:?}"
        );
        let price = &rows[2];
        assert_eq!(price.who, "staff@example.com");
        assert_eq!(price.ip, "127.0.0.1");
        assert_eq!(price.request_id, "e2e-price-change");
        assert_eq!(price.subject, format!("product:{id}"));
        assert_eq!(price.before, r#"{"variants":{"GP-M":{"price":24900}}}"#);
        assert_eq!(price.after, r#"{"variants":{"GP-M":{"price":19900}}}"#);
        let failed = &rows[6];
        assert_eq!(
            (failed.who.as_str(), failed.subject.as_str()),
            ("staff@example.com", "email:staff@example.com")
        );
        assert!(failed.after.contains("bad_credentials"), "{}", failed.after);

        // The admin downloads the product changes; the download itself is logged.
        let csv = app
            .client
            .get(app.url("/admin/export/audit.csv?action=product."))
            .header("cookie", &admin)
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            text.contains("product.saved") && text.contains("19900"),
            "{text}"
        );
        let rows = audit_rows(&app, &admin, 8).await.rows;
        assert_eq!(rows[0].action, "export.audit");
        assert!(matches!(
            app::audit::store::verify(&app.db.db).await.unwrap(),
            app::audit::store::Verdict::Intact { rows: 8, .. }
        ));
        app.stop().await;
    }
}
