//! The security headers every HTTP response carries, in one place: the survey service, `zorgsite
//! serve` and the end-to-end test server all send exactly this set.
//!
//! The Content-Security-Policy allows only the site's own files: no inline scripts, no inline
//! styles or `style` attributes, no other origins, no framing. Pages therefore keep all CSS in
//! stylesheets and all script (only the live-reload of `zorgsite serve`) in files.

/// `Content-Security-Policy`: only same-origin files; `data:` images for inline QR codes and
/// icons; audio only from this site (the school's recordings on the survey pages); forms post
/// only to this site; never shown inside a frame.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
media-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; \
base-uri 'none'; frame-ancestors 'none'";

/// Header name and value, in the order they are sent.
pub const KOPPEN: &[(&str, &str)] = &[
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    ),
];

/// Sets [`KOPPEN`] on a response, replacing any earlier value.
pub fn zet(headers: &mut axum::http::HeaderMap) {
    for (naam, waarde) in KOPPEN {
        headers.insert(
            axum::http::HeaderName::from_static(naam),
            axum::http::HeaderValue::from_static(waarde),
        );
    }
}

/// An axum `map_response` function: `router.layer(axum::middleware::map_response(voeg_toe))`.
pub async fn voeg_toe(mut r: axum::response::Response) -> axum::response::Response {
    zet(r.headers_mut());
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_strict() {
        assert!(!CSP.contains("unsafe-inline") && !CSP.contains("unsafe-eval"));
        assert!(CSP.contains("frame-ancestors 'none'"));
        // Audio (the school's recordings) from this site only, never `data:` or another origin.
        assert!(CSP.contains("; media-src 'self'; "));
        assert!(CSP.starts_with("default-src 'none';"));
        for (naam, waarde) in KOPPEN {
            assert_eq!(*naam, naam.to_ascii_lowercase());
            assert!(waarde.is_ascii() && !waarde.contains('\n'));
        }
    }
}
