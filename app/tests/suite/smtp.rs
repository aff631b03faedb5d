//! Mail delivery through a real SMTP conversation with a small server this test starts on
//! localhost (no network, no mail leaves the machine).

use app::assembly::testing::TestDb;
use app::email::delivery::Mailer;
use app::email::templates::verify_email;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts one SMTP session and returns the commands and message it received. `reject_rcpt`
/// makes it refuse the recipient with a permanent error.
async fn smtp_server(reject_rcpt: bool) -> (u16, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut seen = Vec::new();
        write
            .write_all(b"220 test.local ESMTP ready\r\n")
            .await
            .unwrap();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            seen.push(line.clone());
            if in_data {
                if line == "." {
                    in_data = false;
                    write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                }
                continue;
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-test.local\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("MAIL FROM") {
                b"250 2.1.0 ok\r\n"
            } else if upper.starts_with("RCPT TO") {
                if reject_rcpt {
                    b"550 5.1.1 no such user\r\n"
                } else {
                    b"250 2.1.5 ok\r\n"
                }
            } else if upper == "DATA" {
                in_data = true;
                b"354 end with <CRLF>.<CRLF>\r\n"
            } else if upper == "QUIT" {
                write.write_all(b"221 2.0.0 bye\r\n").await.unwrap();
                break;
            } else if upper == "RSET" || upper == "NOOP" {
                b"250 ok\r\n"
            } else {
                b"502 5.5.2 not implemented\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
        seen
    });
    (port, handle)
}

#[tokio::test]
async fn mail_is_sent_through_smtp_with_text_and_html_parts() {
    let db = TestDb::sqlite().await;
    let (port, server) = smtp_server(false).await;
    let mailer = Mailer::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}?tls=none")),
        "Test Shop <shop@example.com>",
        None,
    )
    .unwrap();
    let mail = verify_email(
        "Test Shop",
        "anna@example.com",
        "http://shop.test/account/confirm?token=abc",
        48,
    );
    mailer.deliver(&db.db, &mail).await.unwrap();
    drop(mailer);
    let seen = server.await.unwrap().join("\n");
    assert!(seen.contains("MAIL FROM:<shop@example.com>"), "{seen}");
    assert!(seen.contains("RCPT TO:<anna@example.com>"), "{seen}");
    assert!(
        seen.contains("Subject: Confirm your e-mail address for Test Shop"),
        "{seen}"
    );
    assert!(seen.contains("multipart/alternative"), "{seen}");
    assert!(seen.contains("text/html"), "{seen}");
    let local: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mailbox")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(
        local, 0,
        "SMTP delivery does not also use the local mailbox"
    );
    db.finish().await;
}

#[tokio::test]
async fn a_recipient_the_server_refuses_is_a_permanent_failure() {
    let db = TestDb::sqlite().await;
    let (port, _server) = smtp_server(true).await;
    let mailer = Mailer::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}?tls=none")),
        "shop@example.com",
        None,
    )
    .unwrap();
    let mail = verify_email("Test Shop", "ghost@example.com", "http://shop.test/x", 48);
    let failure = mailer.deliver(&db.db, &mail).await.unwrap_err();
    assert!(failure.permanent, "{failure:?}");
    db.finish().await;
}

#[tokio::test]
async fn an_unreachable_server_is_retried_later() {
    let db = TestDb::sqlite().await;
    // Nothing listens on this port once the listener is dropped.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}?tls=none")),
        "shop@example.com",
        None,
    )
    .unwrap();
    let failure = mailer
        .deliver(&db.db, &verify_email("S", "a@example.com", "http://x/", 1))
        .await
        .unwrap_err();
    assert!(!failure.permanent, "{failure:?}");
    db.finish().await;
}

#[test]
fn bad_mail_settings_name_the_setting() {
    let err = Mailer::from_settings(Some("smtp://"), "shop@example.com", None)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("SHOP_SMTP_URL"), "{err}");
    let err = Mailer::from_settings(Some("smtp://127.0.0.1:25?tls=none"), "not a sender", None)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("SHOP_MAIL_FROM"), "{err}");
}
