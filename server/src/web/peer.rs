//! Puts the client's address where server functions find it (`app::auth::PeerIp`): for the
//! audit log and the sign-in gate's per-address counts.
//!
//! The address is the socket's peer. Behind a reverse proxy every request comes from the
//! proxy, so `UCHET_TRUSTED_PROXIES` (addresses or CIDR ranges) names the proxies whose
//! `X-Forwarded-For` is believed: the client is the right-most address in it that is not
//! itself a trusted proxy. By default no proxy is trusted and the header is ignored, so a
//! client cannot pick its own address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::auth::PeerIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Addresses and ranges whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<(IpAddr, u8)>>);

impl TrustedProxies {
    /// From a comma-separated list: `10.0.0.1, 192.168.0.0/16, ::1`.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut ranges = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (ip, bits) = match item.split_once('/') {
                Some((ip, bits)) => (ip, Some(bits)),
                None => (item, None),
            };
            let ip: IpAddr = ip.parse().map_err(|_| format!("not an address: {item}"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or(format!("bad prefix: {item}"))?,
                None => max,
            };
            ranges.push((ip, bits));
        }
        Ok(TrustedProxies(Arc::new(ranges)))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, bits)| in_range(ip, *net, *bits))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy; then the
    /// right-most `X-Forwarded-For` address that is not a trusted proxy.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let Some(header) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in header.rsplit(',').map(str::trim) {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.contains(ip) {
                        break;
                    }
                }
                // a hop that is not an address: the chain is not to be believed beyond it
                Err(_) => break,
            }
        }
        client
    }
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits as u32) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits as u32) };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

pub async fn remember_peer(State(trusted): State<TrustedProxies>, mut req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| {
            let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
            trusted.client(c.0.ip(), forwarded).to_string()
        })
        .unwrap_or_default();
    req.extensions_mut().insert(PeerIp(ip));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("203.0.113.5"), Some("1.2.3.4")), ip("203.0.113.5"));
        let proxy = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        assert_eq!(proxy.client(ip("198.51.100.1"), Some("1.2.3.4")), ip("198.51.100.1"), "not our proxy");
        assert_eq!(proxy.client(ip("127.0.0.1"), Some("1.2.3.4")), ip("1.2.3.4"));
        // the client cannot forge the chain's start: the right-most untrusted hop is it
        assert_eq!(proxy.client(ip("127.0.0.1"), Some("6.6.6.6, 1.2.3.4, 10.1.2.3")), ip("1.2.3.4"));
        assert_eq!(proxy.client(ip("127.0.0.1"), Some("garbage, 1.2.3.4")), ip("1.2.3.4"));
        assert_eq!(proxy.client(ip("127.0.0.1"), None), ip("127.0.0.1"));
    }

    #[test]
    fn ranges_are_parsed_and_bad_ones_refused() {
        let p = TrustedProxies::parse("192.168.0.0/16,::1").unwrap();
        assert!(p.contains(ip("192.168.44.2")) && p.contains(ip("::1")));
        assert!(!p.contains(ip("192.169.0.1")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }
}
