use leptos::prelude::*;
use shop_types::AppError;

/// The second step of a sign-in: a code from the authenticator app (each once) or one of the
/// recovery codes (each once). Right: the session starts. Wrong: counted, and after five the
/// sign-in starts over with the password. At most 10 codes per account per 15 minutes, from
/// anywhere (whoever tries them already has the password).
#[server(endpoint = "account/two-step")]
pub async fn second_step(code: String) -> Result<(), AppError> {
    use super::server_support::{finish_sign_in, pending_sign_in};
    use crate::identity::factors::{self, MAX_FAILURES, Purpose};
    use crate::platform::audit_trail::{Who, record};
    use crate::platform::rate_limit::limit_attempts;
    use crate::platform::{clock::now, errors::internal, state::app_state};
    use shop_types::{Problem, paths};

    let state = app_state()?;
    let expired = || AppError::validation("", Problem::SecondFactorExpired);
    let Some((token, challenge)) = pending_sign_in(&state).await? else {
        return Err(expired());
    };
    if challenge.purpose != Purpose::SecondFactor {
        return Err(expired());
    }
    if code.len() > 64 {
        return Err(AppError::validation("code", Problem::SecondFactorCodeWrong));
    }
    limit_attempts(&state.db, &format!("second-step:{}", challenge.user_id), 10).await?;
    let mut conn = state.conn("second step: acquire").await?;
    let user = crate::identity::users::find_by_id(&mut conn, state.db.vault(), &challenge.user_id)
        .await
        .map_err(internal("second step: account"))?
        .filter(|u| !u.disabled)
        .ok_or_else(expired)?;
    drop(conn);
    let who = Who::account(&user.id, &user.email);
    let subject = format!("user:{}", user.id);
    let mut tx = state.write("second step: begin").await?;
    let used = factors::use_code(&mut tx, &user.id, &code, now())
        .await
        .map_err(internal("second step: check"))?;
    match used {
        Some(method) => {
            record(
                &mut tx,
                &who,
                "account.second_step_passed",
                &subject,
                None,
                Some(serde_json::json!({ "method": method.as_str() })),
            )
            .await
            .map_err(internal("second step: audit"))?;
            tx.commit().await.map_err(internal("second step: commit"))?;
            finish_sign_in(&state, &token, &user).await?;
            leptos_axum::redirect(paths::ACCOUNT);
            Ok(())
        }
        None => {
            let failures = factors::count_failure(&mut tx, &token)
                .await
                .map_err(internal("second step: count"))?;
            record(
                &mut tx,
                &who,
                "account.second_step_failed",
                &subject,
                None,
                Some(serde_json::json!({ "failures": failures })),
            )
            .await
            .map_err(internal("second step: audit"))?;
            tx.commit().await.map_err(internal("second step: commit"))?;
            if failures >= MAX_FAILURES {
                Err(expired())
            } else {
                Err(AppError::validation("code", Problem::SecondFactorCodeWrong))
            }
        }
    }
}
