//! Facts about the HTTP request being served and small changes to its response, for server
//! functions and server-side renders.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};

/// Where a request came from, as the shop judges it. The server's `client_address` middleware
/// resolves it once per request (see [`ClientIp::resolve`]) and puts it in the request's
/// extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The client behind `peer` (the TCP peer). Forwarding headers are believed only when the
    /// peer is a trusted proxy; then the hops they list are walked from the right (the hop
    /// nearest to us) and the first address that is not a trusted proxy is the client. A
    /// client cannot choose its address by sending its own `X-Forwarded-For`: the proxy
    /// appends the real one, which is the right-most untrusted hop. `Forwarded` (RFC 7239) is
    /// read when present, `X-Forwarded-For` otherwise.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> ClientIp {
        let peer = peer.to_canonical();
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        if !is_trusted(&peer) {
            return ClientIp(peer);
        }
        let hops = forwarded_hops(headers);
        let mut nearest = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                // A hop we cannot read ends the chain; the last address we could is as far
                // as the proxies vouch for.
                break;
            };
            if !is_trusted(&ip) {
                return ClientIp(ip);
            }
            nearest = ip;
        }
        ClientIp(nearest)
    }

    /// What rate limits count under: the address, or for IPv6 its /64 network, since one
    /// subscriber usually holds a whole /64 and could otherwise use a fresh address per
    /// attempt.
    pub fn limit_key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let network = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{network}/64")
            }
        }
    }
}

/// The hops the forwarding headers list, left (farthest) to right (nearest).
fn forwarded_hops(headers: &HeaderMap) -> Vec<String> {
    let forwarded: Vec<String> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_owned())
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().to_owned())
        .filter(|hop| !hop.is_empty())
        .collect()
}

/// `203.0.113.9`, `203.0.113.9:4711`, `2001:db8::1`, `[2001:db8::1]:4711`; `unknown` and
/// obfuscated identifiers are not addresses.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The caller's full address and the request's id (`x-request-id`), for the audit log; `None`
/// outside a request.
pub fn request_origin() -> (Option<String>, Option<String>) {
    match leptos::prelude::use_context::<axum::http::request::Parts>() {
        Some(parts) => origin_of(&parts),
        None => (None, None),
    }
}

/// [`request_origin`] of a request handled outside Leptos.
pub fn origin_of(parts: &axum::http::request::Parts) -> (Option<String>, Option<String>) {
    let ip = parts
        .extensions
        .get::<ClientIp>()
        .map(|ip| ip.0)
        .or_else(|| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_canonical())
        })
        .map(|ip| ip.to_string());
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(64).collect());
    (ip, request_id)
}

/// The caller's address, when the request has one.
pub fn client_addr() -> Option<IpAddr> {
    leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|p| {
        p.extensions.get::<ClientIp>().map(|c| c.0).or_else(|| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_canonical())
        })
    })
}

/// The caller's address as rate limits count it ([`ClientIp::limit_key`]).
pub fn client_ip() -> String {
    client_addr()
        .map(|ip| ClientIp(ip).limit_key())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Tells shared caches and the browser's back/forward cache not to keep this response
/// (account pages, the console, anything personal).
pub fn no_store() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_static(value));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(
            ClientIp::resolve(ip("203.0.113.9"), &h, &[]).0,
            ip("203.0.113.9")
        );
        let proxies = nets(&["10.0.0.0/8"]);
        assert_eq!(
            ClientIp::resolve(ip("203.0.113.9"), &h, &proxies).0,
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let proxies = nets(&["10.0.0.0/8", "127.0.0.1/32"]);
        // The shopper sent a forged first hop; the proxies appended the real ones.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.1.1.1")]);
        assert_eq!(
            ClientIp::resolve(ip("127.0.0.1"), &h, &proxies).0,
            ip("198.51.100.7")
        );
        // Several header lines count as one list, in order.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.8"),
        ]);
        assert_eq!(
            ClientIp::resolve(ip("10.0.0.2"), &h, &proxies).0,
            ip("198.51.100.8")
        );
        // No header at all: the proxy itself.
        assert_eq!(
            ClientIp::resolve(ip("10.0.0.2"), &HeaderMap::new(), &proxies).0,
            ip("10.0.0.2")
        );
        // Only proxies: the farthest one.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(
            ClientIp::resolve(ip("10.0.0.2"), &h, &proxies).0,
            ip("10.9.9.9")
        );
    }

    #[test]
    fn forwarded_wins_and_is_read_with_ports_and_brackets() {
        let proxies = nets(&["::1/128"]);
        let h = headers(&[
            (
                "forwarded",
                "for=1.2.3.4;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=x",
            ),
            ("x-forwarded-for", "198.51.100.9"),
        ]);
        assert_eq!(
            ClientIp::resolve(ip("::1"), &h, &proxies).0,
            ip("2001:db8:cafe::17")
        );
        let h = headers(&[("forwarded", "for=192.0.2.60:8080")]);
        assert_eq!(
            ClientIp::resolve(ip("::1"), &h, &proxies).0,
            ip("192.0.2.60")
        );
        // An obfuscated hop ends the chain at the proxy.
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(ClientIp::resolve(ip("::1"), &h, &proxies).0, ip("::1"));
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_is_ipv4() {
        let a = ClientIp(ip("2001:db8:1:2:aaaa::1")).limit_key();
        let b = ClientIp(ip("2001:db8:1:2:ffff:1:2:3")).limit_key();
        let other = ClientIp(ip("2001:db8:1:3::1")).limit_key();
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(
            ClientIp::resolve(ip("::ffff:203.0.113.9"), &HeaderMap::new(), &[]).limit_key(),
            "203.0.113.9"
        );
    }
}
