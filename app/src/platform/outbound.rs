//! Requests the server makes to addresses it was given by someone else (pictures named in an
//! imported CSV, push endpoints a browser handed in): the host must not be in a private
//! network, or anyone could point the server at the shop's own infrastructure.

/// Why an outside address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("the address is not valid")]
    Invalid,
    #[error("the address has no host")]
    NoHost,
    #[error("its host could not be found")]
    Unresolved,
    #[error("its host is in a private network")]
    Private,
}

/// An HTTP client for such addresses: a time limit, and no redirects (a redirect could lead
/// into the private network after the check).
pub fn client(timeout: std::time::Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// Parses `address` and checks that every address its host resolves to is public, unless
/// `allow_private` (a setting for tests and closed networks).
pub async fn public_url(address: &str, allow_private: bool) -> Result<reqwest::Url, OutboundError> {
    let url = reqwest::Url::parse(address).map_err(|_| OutboundError::Invalid)?;
    let host = url.host_str().ok_or(OutboundError::NoHost)?.to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|_| OutboundError::Unresolved)?
        .collect();
    if addresses.is_empty() {
        return Err(OutboundError::Unresolved);
    }
    if !allow_private && addresses.iter().any(|a| is_private(a.ip())) {
        return Err(OutboundError::Private);
    }
    Ok(url)
}

/// Loopback, private, link-local and other addresses a public service never lives at.
pub fn is_private(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(std::net::IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_network_addresses_are_recognised() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.10",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn loopback_hosts_are_refused_unless_allowed() {
        assert_eq!(
            public_url("http://127.0.0.1:9/x", false).await,
            Err(OutboundError::Private)
        );
        assert!(public_url("http://127.0.0.1:9/x", true).await.is_ok());
        assert_eq!(
            public_url("not a url", true).await,
            Err(OutboundError::Invalid)
        );
    }
}
