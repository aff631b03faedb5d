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

/// An HTTP client for such addresses: a time limit, no redirects (a redirect could lead into
/// the private network after the check), and its own name resolution that drops private
/// addresses, so the addresses it connects to are the ones checked. Checking a name first and
/// letting the client resolve it again would be open to DNS rebinding: the name's second
/// answer can point inside. (Addresses written as IP literals are never resolved; they are
/// checked by [`public_url`].)
pub fn client(timeout: std::time::Duration, allow_private: bool) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(std::time::Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none());
    let builder = if allow_private {
        builder
    } else {
        builder.dns_resolver(std::sync::Arc::new(PublicOnly))
    };
    builder.build().unwrap_or_default()
}

/// Resolves names to their public addresses only (see [`client`]).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            // One private answer makes the whole name suspect, as in `public_url`.
            if found.is_empty() || found.iter().any(|a| is_private(a.ip())) {
                return Err(
                    Box::new(OutboundError::Private) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Parses `address` and checks that every address its host resolves to is public, unless
/// `allow_private` (a setting for tests and closed networks). Gives a clear reason early; the
/// [`client`] checks again at connection time.
pub async fn public_url(address: &str, allow_private: bool) -> Result<reqwest::Url, OutboundError> {
    let url = reqwest::Url::parse(address).map_err(|_| OutboundError::Invalid)?;
    let host = url.host_str().ok_or(OutboundError::NoHost)?.to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host, port))
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

/// Networks no public service lives in: loopback, private, link-local, shared (CGNAT),
/// documentation, benchmarking, multicast and reserved ranges, and the IPv6 forms that carry
/// an IPv4 address or tunnel to one (NAT64, 6to4, Teredo), whose inner address could be any of
/// the above.
const NON_PUBLIC: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/127",
    "::ffff:0:0/96",
    "::/96",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "100::/64",
    "2001::/32",
    "2001:db8::/32",
    "2002::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

fn non_public() -> &'static [ipnet::IpNet] {
    static NETS: std::sync::OnceLock<Vec<ipnet::IpNet>> = std::sync::OnceLock::new();
    NETS.get_or_init(|| {
        NON_PUBLIC
            .iter()
            .map(|n| n.parse().expect("a valid network in NON_PUBLIC"))
            .collect()
    })
}

/// Whether `ip` lies in a network no public service lives in (see [`NON_PUBLIC`]).
pub fn is_private(ip: std::net::IpAddr) -> bool {
    non_public().iter().any(|net| net.contains(&ip))
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
            // Reserved, documentation, multicast and tunnelled forms.
            "0.1.2.3",
            "192.0.2.1",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::1",
            "2001:0:4136:e378::1",
            "2001:db8::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "2606:4700::1111",
            "8.8.8.8",
            "2a00:1450:4001::200e",
        ] {
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
        assert_eq!(
            public_url("http://[::1]:9/x", false).await,
            Err(OutboundError::Private)
        );
    }

    /// A name that resolves to loopback is refused by the client itself, at connection time,
    /// not only by the check before it: the client resolves through `PublicOnly`.
    #[tokio::test]
    async fn the_client_never_connects_to_a_private_address_it_resolved() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let guarded = client(std::time::Duration::from_secs(2), false);
        let err = guarded
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .unwrap_err();
        assert!(err.is_connect() || err.is_request(), "{err:?}");
        drop(listener);
    }
}
