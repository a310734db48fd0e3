//! Where a request came from, as far as links and cookies need to know: the scheme (http or
//! https) and the host parents typed. Behind a reverse proxy that terminates HTTPS the service
//! sees plain HTTP from the proxy, so:
//!
//! - with `publieke_url` in `zorgenquete.toml`, that address is the truth and proxy headers are
//!   not read at all;
//! - without it, `Forwarded` (RFC 7239) or `X-Forwarded-Proto`/`X-Forwarded-Host` are believed
//!   only from a peer in `vertrouwde_proxies`, and only for scheme and host.
//!
//! And who sent it, as far as rate limits and the login throttle need to know
//! ([`KlantAdres`]): the TCP peer, or, when the peer is a trusted proxy, the right-most address
//! in `X-Forwarded-For` (else in the `for=` parts of `Forwarded`) that is not itself a trusted
//! proxy. Everything to the left of that hop was written by the client and is never believed.
//!
//! Nothing here is stored or logged. Over HTTPS every response carries HSTS, and
//! [`Herkomst::cookie`] marks cookies `Secure`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::verbinding::Klant;
use crate::instellingen::Instellingen;

/// HSTS for one year. No `includeSubDomains`: the school's other sites may still be plain HTTP.
pub const HSTS: &str = "max-age=31536000";

/// Scheme and host of one request, in the request's extensions for handlers that need them
/// (e.g. an `Origin` check behind a proxy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Herkomst {
    pub https: bool,
    /// The host parents used (`school.be`), if known.
    pub host: Option<String>,
    /// The service's base path (`/enquete`), for cookie paths.
    pub basis: String,
}

impl Herkomst {
    /// A `Set-Cookie` value: scoped to the service's path, `HttpOnly`, `SameSite=Strict`, and
    /// `Secure` over HTTPS. `waarde` must be a cookie-safe token.
    pub fn cookie(&self, naam: &str, waarde: &str, extra: &str) -> String {
        format!(
            "{naam}={waarde}; Path={}/; HttpOnly; SameSite=Strict{}{extra}",
            self.basis,
            if self.https { "; Secure" } else { "" }
        )
    }
}

/// The values of every cookie `naam` the request carries (a browser may send one name twice).
pub fn cookie_values<'a>(headers: &'a HeaderMap, naam: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .filter(move |(k, _)| *k == naam)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for the path `pad`: `HttpOnly`, `SameSite=Strict`, `Max-Age` (0 removes
/// the cookie), and `Secure` behind HTTPS. `waarde` must be a cookie-safe token.
pub fn set_cookie(naam: &str, waarde: &str, pad: &str, max_age: u64, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let c = format!(
        "{naam}={waarde}; Path={pad}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The client behind a request, for rate limits and the login throttle only: held in memory,
/// never stored or logged (no `Debug` output of the address either).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KlantAdres(pub IpAddr);

impl std::fmt::Debug for KlantAdres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KlantAdres(..)")
    }
}

/// What the middleware needs from the settings.
#[derive(Debug, Clone)]
pub struct Beleid {
    inst: Instellingen,
}

impl Beleid {
    pub fn new(inst: &Instellingen) -> Arc<Beleid> {
        Arc::new(Beleid { inst: inst.clone() })
    }

    /// Scheme and host of a request from `peer` with `headers`.
    pub fn herkomst(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Herkomst {
        let basis = self.inst.basis.clone();
        if let Some(u) = &self.inst.publieke_url {
            return Herkomst {
                https: u.https,
                host: Some(u.host.clone()),
                basis,
            };
        }
        let eigen_host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(host_token);
        if !peer.is_some_and(|p| self.inst.vertrouwt(p)) {
            return Herkomst {
                https: false,
                host: eigen_host,
                basis,
            };
        }
        let (proto, host) = uit_proxy_headers(headers);
        Herkomst {
            https: proto.as_deref() == Some("https"),
            host: host.or(eigen_host),
            basis,
        }
    }
}

impl Beleid {
    /// The host name the client asked for (`name[:port]`, lower case), whatever `publieke_url`
    /// says: from a trusted proxy the forwarded host (`Forwarded: host=`, `X-Forwarded-Host`)
    /// when it sent one, else the `Host` header. For finding a school by host (`web::groep`).
    pub fn requested_host(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<String> {
        if peer.is_some_and(|p| self.inst.vertrouwt(p))
            && let (_, Some(host)) = uit_proxy_headers(headers)
        {
            return Some(host);
        }
        headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(host_token)
    }

    /// The client a request from `peer` comes from: `peer` itself unless it is a trusted proxy;
    /// then the right-most hop of the forwarding chain that is not a trusted proxy. A hop that
    /// is not an address (`unknown`, an obfuscated `_name`) stops the walk at the proxy that
    /// wrote it; a chain of trusted proxies only gives its left-most one.
    pub fn klant(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = gewoon(peer);
        if !self.inst.vertrouwt(peer) {
            return peer;
        }
        let mut laatste = peer;
        for hop in keten(headers).into_iter().rev() {
            match hop {
                Some(ip) if self.inst.vertrouwt(ip) => laatste = ip,
                Some(ip) => return ip,
                None => return laatste,
            }
        }
        laatste
    }
}

/// IPv4-mapped IPv6 (`::ffff:192.0.2.1`) as plain IPv4.
fn gewoon(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The forwarding chain, left (first client) to right (last proxy): every `X-Forwarded-For`
/// line in order, or when there is none, the `for=` of every `Forwarded` element. `None` for a
/// hop that is not an address.
///
/// `X-Forwarded-For` wins because every common proxy (Caddy, nginx, Apache, HAProxy) writes it;
/// a proxy that writes only `Forwarded` must drop a client's own `X-Forwarded-For` (runbook).
fn keten(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let regels = |naam: &str| {
        headers
            .get_all(naam)
            .iter()
            .map(|v| v.to_str().unwrap_or("?"))
            .collect::<Vec<_>>()
    };
    let xff = regels("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|r| r.split(','))
            .map(|hop| adres_van_hop(hop.trim()))
            .collect();
    }
    regels("forwarded")
        .iter()
        .flat_map(|r| r.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|paar| {
                let (k, v) = paar.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| adres_van_hop(v.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn adres_van_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(gewoon(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip.parse::<IpAddr>().ok().map(gewoon);
    }
    let (ip, poort) = hop.rsplit_once(':')?;
    poort.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A host (`name[:port]`) if it looks like one; anything else is ignored.
fn host_token(v: &str) -> Option<String> {
    let v = v.trim().trim_matches('"');
    let ok = !v.is_empty()
        && v.len() <= 255
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    ok.then(|| v.to_ascii_lowercase())
}

/// The TCP peer of a request (`web::verbinding` puts it in the extensions).
pub fn peer(req: &Request) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<Klant>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
}

/// `proto` and `host` from the first `Forwarded` element, else from `X-Forwarded-Proto` and
/// `X-Forwarded-Host` (first value each).
fn uit_proxy_headers(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let tekst = |naam: &str| headers.get(naam).and_then(|v| v.to_str().ok());
    if let Some(fw) = tekst("forwarded") {
        let eerste = fw.split(',').next().unwrap_or("");
        let mut proto = None;
        let mut host = None;
        for paar in eerste.split(';') {
            if let Some((k, v)) = paar.split_once('=') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "proto" => proto = Some(v.trim().trim_matches('"').to_ascii_lowercase()),
                    "host" => host = host_token(v),
                    _ => {}
                }
            }
        }
        return (proto, host);
    }
    let eerste = |naam: &str| tekst(naam).map(|v| v.split(',').next().unwrap_or("").trim());
    (
        eerste("x-forwarded-proto").map(str::to_ascii_lowercase),
        eerste("x-forwarded-host").and_then(host_token),
    )
}

/// Middleware: puts [`Herkomst`] (and, when the peer is known, [`KlantAdres`]) in the
/// request's extensions and adds HSTS over HTTPS.
pub async fn bepaal(State(beleid): State<Arc<Beleid>>, mut req: Request, next: Next) -> Response {
    let peer = peer(&req);
    let herkomst = beleid.herkomst(peer, req.headers());
    let https = herkomst.https;
    if let Some(peer) = peer {
        let klant = beleid.klant(peer, req.headers());
        req.extensions_mut().insert(KlantAdres(klant));
    }
    req.extensions_mut().insert(herkomst);
    let mut r = next.run(req).await;
    if https {
        r.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instellingen::PubliekeUrl;
    use crate::web::test_support::ip;

    fn headers(paren: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in paren {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn beleid(publiek: Option<&str>, proxies: &[&str]) -> Beleid {
        let mut inst = Instellingen::default();
        inst.zet_publieke_url(publiek.map(|u| PubliekeUrl::parse(u).unwrap()));
        inst.vertrouwde_proxies = proxies.iter().map(|p| p.parse().unwrap()).collect();
        Beleid { inst }
    }

    #[test]
    fn proxy_headers_count_only_from_trusted_peers() {
        let b = beleid(None, &["127.0.0.1/32"]);
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "School.be"),
        ]);
        let vertrouwd = b.herkomst(Some("127.0.0.1".parse().unwrap()), &h);
        assert!(vertrouwd.https);
        assert_eq!(vertrouwd.host.as_deref(), Some("school.be"));
        let vreemd = b.herkomst(Some("192.0.2.7".parse().unwrap()), &h);
        assert!(!vreemd.https);
        assert_eq!(vreemd.host.as_deref(), Some("127.0.0.1:8080"));
        assert!(!b.herkomst(None, &h).https);
    }

    #[test]
    fn forwarded_wins_and_bad_hosts_are_ignored() {
        let b = beleid(None, &["::1/128"]);
        let h = headers(&[
            (
                "forwarded",
                "for=192.0.2.1;proto=https;host=\"school.be\", proto=http",
            ),
            ("x-forwarded-proto", "http"),
        ]);
        let k = b.herkomst(Some("::1".parse().unwrap()), &h);
        assert_eq!((k.https, k.host.as_deref()), (true, Some("school.be")));
        let h = headers(&[("x-forwarded-host", "evil.be/<x>")]);
        assert_eq!(b.herkomst(Some("::1".parse().unwrap()), &h).host, None);
    }

    #[test]
    fn the_client_is_the_rightmost_hop_that_is_not_a_trusted_proxy() {
        let b = beleid(None, &["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let proxy = ip("127.0.0.1");
        // No proxy header: the proxy itself (every client shares it, as before).
        assert_eq!(b.klant(proxy, &headers(&[])), proxy);
        // One hop.
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(b.klant(proxy, &h), ip("203.0.113.7"));
        // A client that writes its own X-Forwarded-For cannot choose its key: the proxy appends
        // the real address, and only the right-most untrusted hop counts.
        let h = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.7")]);
        assert_eq!(b.klant(proxy, &h), ip("203.0.113.7"));
        // Two proxies (10.x and the local one): skipped from the right; also across lines.
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1, 203.0.113.7"),
            ("x-forwarded-for", "10.1.2.3"),
        ]);
        assert_eq!(b.klant(proxy, &h), ip("203.0.113.7"));
        // Only trusted hops: the left-most of them.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.2.3")]);
        assert_eq!(b.klant(proxy, &h), ip("10.9.9.9"));
        // Ports and IPv6 in brackets; IPv4-mapped IPv6 as IPv4.
        let h = headers(&[("x-forwarded-for", "203.0.113.7:51234")]);
        assert_eq!(b.klant(proxy, &h), ip("203.0.113.7"));
        let h = headers(&[("x-forwarded-for", "[2001:db8::5]:443")]);
        assert_eq!(b.klant(proxy, &h), ip("2001:db8::5"));
        let h = headers(&[("x-forwarded-for", "::ffff:203.0.113.7")]);
        assert_eq!(b.klant(ip("::1"), &h), ip("203.0.113.7"));
        // A hop that is no address stops at the proxy that wrote it.
        let h = headers(&[("x-forwarded-for", "203.0.113.7, unknown, 10.1.2.3")]);
        assert_eq!(b.klant(proxy, &h), ip("10.1.2.3"));
        let h = headers(&[("x-forwarded-for", "garbage")]);
        assert_eq!(b.klant(proxy, &h), proxy);
    }

    #[test]
    fn forwarded_for_counts_only_without_x_forwarded_for() {
        let b = beleid(None, &["127.0.0.1/32"]);
        let proxy = ip("127.0.0.1");
        let h = headers(&[(
            "forwarded",
            "for=198.51.100.1;proto=https, for=\"[2001:db8:cafe::17]:4711\";host=school.be",
        )]);
        assert_eq!(b.klant(proxy, &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "For=\"192.0.2.43:47011\"")]);
        assert_eq!(b.klant(proxy, &h), ip("192.0.2.43"));
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(b.klant(proxy, &h), proxy);
        let h = headers(&[
            ("forwarded", "for=198.51.100.1"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(b.klant(proxy, &h), ip("203.0.113.7"));
    }

    #[test]
    fn an_untrusted_peer_is_its_own_client_whatever_it_claims() {
        let b = beleid(None, &["127.0.0.1/32"]);
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.7"),
            ("forwarded", "for=203.0.113.8"),
        ]);
        assert_eq!(b.klant(ip("192.0.2.66"), &h), ip("192.0.2.66"));
        // Without any trusted proxy, never a header.
        let zonder = beleid(None, &[]);
        assert_eq!(zonder.klant(ip("127.0.0.1"), &h), ip("127.0.0.1"));
        assert_eq!(
            format!("{:?}", KlantAdres(ip("192.0.2.66"))),
            "KlantAdres(..)"
        );
    }

    #[test]
    fn the_public_url_is_the_truth() {
        let b = beleid(Some("https://school.be/enquete"), &["127.0.0.1/32"]);
        let h = headers(&[("x-forwarded-proto", "http"), ("x-forwarded-host", "x.be")]);
        let k = b.herkomst(Some("127.0.0.1".parse().unwrap()), &h);
        assert_eq!((k.https, k.host.as_deref()), (true, Some("school.be")));
        assert_eq!(
            k.cookie("sessie", "abc", ""),
            "sessie=abc; Path=/enquete/; HttpOnly; SameSite=Strict; Secure"
        );
        let http = beleid(Some("http://localhost:8080"), &[]).herkomst(None, &h);
        assert_eq!(
            http.cookie("sessie", "abc", "; Max-Age=0"),
            "sessie=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        );
    }
}
