//! Security headers every response carries, and the Content-Security-Policy text.
//!
//! Pages get a policy with the per-request nonce that Leptos puts on its hydration scripts;
//! every other response gets the same policy without a nonce. The server's middleware
//! (`server::security`) sets both. No inline script runs without the nonce, and nothing may frame
//! the shop.

/// The Content-Security-Policy for a response; `nonce` allows that request's inline scripts,
/// `form_targets` are other origins a form post may be redirected to (a payment provider's
/// hosted page).
pub fn content_security_policy(nonce: Option<&str>, form_targets: &[&str]) -> String {
    let scripts = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval' 'report-sample'"),
        None => "script-src 'self' 'wasm-unsafe-eval' 'report-sample'".to_owned(),
    };
    // Browsers post what the policy blocked here (the console's security page shows it).
    // `report-uri` is sent at once by every browser; the Reporting API's `report-to` batches
    // reports for up to a minute and wants an absolute HTTPS endpoint, so it is not used.
    let report = format!("report-uri {}", shop_types::paths::CSP_REPORT);
    let mut form_action = "form-action 'self'".to_owned();
    for target in form_targets {
        form_action.push(' ');
        form_action.push_str(target);
    }
    [
        "default-src 'self'",
        &scripts,
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        &form_action,
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        &report,
    ]
    .join("; ")
}

/// Headers set on every response (name, value). HSTS is added only when the shop is served
/// over TLS (`https_only`), since browsers ignore it on plain HTTP and it must never pin a
/// local development address to HTTPS.
pub fn baseline_headers(https_only: bool) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), usb=(), payment=(self), interest-cohort=()",
        ),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    if https_only {
        headers.push((
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ));
    }
    headers
}

/// What a request says about where it came from.
#[derive(Clone, Copy, Debug, Default)]
pub struct RequestOrigin<'a> {
    /// The `Sec-Fetch-Site` header (all current browsers send it).
    pub sec_fetch_site: Option<&'a str>,
    /// The `Origin` header.
    pub origin: Option<&'a str>,
    /// The `Host` header.
    pub host: Option<&'a str>,
}

/// Whether a state-changing request may proceed (protection against cross-site request
/// forgery), judged by what browsers send about where it came from: `Sec-Fetch-Site`, else
/// `Origin` compared with the `Host` or the shop's public URL. A request with neither header
/// did not come from a browser page, so it cannot be a forgery; sessions and permissions still
/// decide what it may do.
pub fn is_same_origin_request(request: RequestOrigin<'_>, public_url: &str) -> bool {
    if let Some(site) = request.sec_fetch_site {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = request.origin else {
        return true;
    };
    if origin.eq_ignore_ascii_case(public_url.trim_end_matches('/')) {
        return true;
    }
    match (origin.split_once("://"), request.host) {
        (Some((_, authority)), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_carries_the_nonce_and_forbids_framing() {
        let csp = content_security_policy(Some("abc"), &[]);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("object-src 'none'"));
        assert!(csp.contains("base-uri 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!content_security_policy(None, &[]).contains("nonce"));
    }

    #[test]
    fn hsts_only_over_tls() {
        assert!(
            !baseline_headers(false)
                .iter()
                .any(|(n, _)| *n == "strict-transport-security")
        );
        assert!(
            baseline_headers(true)
                .iter()
                .any(|(n, _)| *n == "strict-transport-security")
        );
    }

    fn check(site: Option<&str>, origin: Option<&str>, host: Option<&str>) -> bool {
        let request = RequestOrigin {
            sec_fetch_site: site,
            origin,
            host,
        };
        is_same_origin_request(request, "https://shop.example")
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(check(Some("same-origin"), None, None));
        assert!(
            check(Some("none"), None, None),
            "typed into the address bar"
        );
        assert!(!check(
            Some("cross-site"),
            Some("https://shop.example"),
            Some("shop.example")
        ));
        assert!(!check(Some("same-site"), None, None));
        assert!(check(
            None,
            Some("http://127.0.0.1:3000"),
            Some("127.0.0.1:3000")
        ));
        assert!(
            check(None, Some("https://shop.example"), Some("10.0.0.5:3000")),
            "behind a proxy"
        );
        assert!(!check(
            None,
            Some("https://evil.example"),
            Some("shop.example")
        ));
        assert!(!check(None, Some("null"), Some("shop.example")));
        assert!(
            check(None, None, Some("shop.example")),
            "not from a browser page"
        );
    }
}
