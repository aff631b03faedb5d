//! Throwaway e-mail providers, from the list shipped beside this file
//! (`disposable_domains.txt`, refreshed from the `disposable-email-domains` package).

use std::collections::HashSet;
use std::sync::LazyLock;

static DOMAINS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("disposable_domains.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The e-mail's domain when it (or a domain it is under) hands out throwaway addresses.
pub fn disposable_domain(email: &str) -> Option<String> {
    let domain = email
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    // `x.mailinator.com` is as throwaway as `mailinator.com`.
    let mut rest = domain.as_str();
    loop {
        if DOMAINS.contains(rest) {
            return Some(domain.clone());
        }
        rest = rest.split_once('.')?.1;
        if !rest.contains('.') {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throwaway_providers_and_their_subdomains_are_known() {
        assert!(DOMAINS.len() > 5_000, "{}", DOMAINS.len());
        assert_eq!(
            disposable_domain("a@Mailinator.com").as_deref(),
            Some("mailinator.com")
        );
        assert_eq!(
            disposable_domain("a@x.mailinator.com").as_deref(),
            Some("x.mailinator.com")
        );
        assert_eq!(disposable_domain("a@example.com"), None);
        assert_eq!(disposable_domain("a@gmail.com"), None);
        assert_eq!(disposable_domain("not an address"), None);
    }
}
