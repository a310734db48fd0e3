//! The one way a built site answers HTTP requests, used by `zorgsite serve`, the poster PDF's
//! loopback server, the survey service (the site at `/`) and the end-to-end test server.
//!
//! [`respond`] turns a method, a URI and the request headers into an `http::Response<Bytes>`:
//! the path is percent-decoded (`percent-encoding`), `.`/`..` segments, backslashes and NUL are
//! refused, a folder (`/leidraad/`) answers with its `index.html`, a folder without its slash is
//! redirected to it (308, query kept), files get their content type ([`content_type`]) and
//! unknown paths the site's own `404.html`. `HEAD` is answered like `GET`: servers drop the body
//! themselves.
//!
//! Caching and compression (issue 16, see [`super::assets`]):
//! - a file whose name carries its own content hash (`style.3f2a9c1e.css`) is sent with
//!   `Cache-Control: public, max-age=31536000, immutable`; everything else with `no-cache`;
//! - every file has an `ETag` (from the SHA-256 of its bytes, one per encoding), and a request
//!   whose `If-None-Match` matches it gets `304 Not Modified` without a body (the comparison is
//!   the `headers` crate's);
//! - a site loaded with [`InMemorySite::compressed`] has brotli and gzip variants made once at
//!   load; a request gets the best one its `Accept-Encoding` allows, with
//!   `Vary: Accept-Encoding` on every file that has variants.
//!
//! Security headers are not set here: every server adds [`super::beveiliging::KOPPEN`] to all of
//! its responses, including the ones that do not come from the site.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, header};
use headers::HeaderMapExt;
use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use super::assets::{self, Encoding, Variants};

// The types of the responder's signature, for callers without their own `http` dependency
// (the end-to-end test server).
pub use axum::body::Bytes;
pub use axum::http::{Method, Response, StatusCode, Uri};

/// One file of a site, with its precompressed variants and its content hash.
#[derive(Debug, Clone)]
pub struct SiteFile {
    pub body: Bytes,
    pub br: Option<Bytes>,
    pub gzip: Option<Bytes>,
    /// The SHA-256 of `body`, lower-case hex.
    pub hash: String,
}

impl SiteFile {
    /// A file without compressed variants.
    pub fn plain(body: Bytes) -> SiteFile {
        SiteFile {
            hash: assets::content_hash(&body),
            body,
            br: None,
            gzip: None,
        }
    }

    /// A file with brotli and gzip variants when `key` is a text file (compressed now, once).
    pub fn compressed(key: &str, body: Bytes) -> SiteFile {
        let Variants { br, gzip } = Variants::of(key, &body, assets::AT_LOAD);
        SiteFile {
            br: br.map(exact),
            gzip: gzip.map(exact),
            ..SiteFile::plain(body)
        }
    }

    fn variant(&self, encoding: Encoding) -> Option<&Bytes> {
        match encoding {
            Encoding::Br => self.br.as_ref(),
            Encoding::Gzip => self.gzip.as_ref(),
        }
    }

    fn has_variants(&self) -> bool {
        self.br.is_some() || self.gzip.is_some()
    }
}

/// The bytes without the spare capacity the renderer or compressor left in the `Vec`: a site
/// stays in memory as long as the service runs (`Bytes::from(Vec)` keeps the whole allocation).
fn exact(v: Vec<u8>) -> Bytes {
    Bytes::from(v.into_boxed_slice())
}

/// Where the responder finds a site's files.
pub trait Files {
    /// The file at `key` (`leidraad/index.html`): a decoded path without `.` or `..` segments,
    /// relative to the site root.
    fn file(&self, key: &str) -> Option<Arc<SiteFile>>;
}

/// A built site in memory: relative path (`leidraad/index.html`) → file.
#[derive(Debug, Default, Clone)]
pub struct InMemorySite {
    files: HashMap<String, Arc<SiteFile>>,
}

impl InMemorySite {
    /// The site as it is, without compressed variants (the poster PDF's local server).
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> InMemorySite {
        InMemorySite {
            files: files
                .into_iter()
                .map(|(k, v)| (k, Arc::new(SiteFile::plain(exact(v)))))
                .collect(),
        }
    }

    /// The site with brotli and gzip variants of every text file, compressed here, once, in
    /// parallel (`zorgenquete` and `zorgsite serve` load the site this way).
    pub fn compressed(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> InMemorySite {
        let files: Vec<(String, Vec<u8>)> = files.into_iter().collect();
        InMemorySite {
            files: files
                .into_par_iter()
                .map(|(k, v)| {
                    let file = SiteFile::compressed(&k, exact(v));
                    (k, Arc::new(file))
                })
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The plain bytes of a file.
    pub fn get(&self, key: &str) -> Option<&Bytes> {
        self.files.get(key).map(|f| &f.body)
    }
}

impl Files for InMemorySite {
    fn file(&self, key: &str) -> Option<Arc<SiteFile>> {
        self.files.get(key).cloned()
    }
}

/// A request the site has no page for. The caller answers it, with its own page or
/// [`Miss::plain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No such file, and the site has no `404.html`.
    NotFound,
    /// Not `GET` or `HEAD`: a site is only read.
    MethodNotAllowed,
}

impl Miss {
    pub fn status(self) -> StatusCode {
        match self {
            Miss::NotFound => StatusCode::NOT_FOUND,
            Miss::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// A minimal Dutch page for the miss (with `Allow` for 405).
    pub fn plain(self) -> Response<Bytes> {
        let (titel, tekst) = match self {
            Miss::NotFound => ("Pagina niet gevonden", "Deze pagina bestaat niet (meer)."),
            Miss::MethodNotAllowed => ("Dat kan hier niet", "Deze pagina kan je alleen bekijken."),
        };
        let html = format!(
            "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{titel}</title></head>\
             <body><main><h1>{titel}</h1><p>{tekst}</p></main></body></html>"
        );
        let mut response = with_type(self.status(), "404.html", Bytes::from(html));
        if self == Miss::MethodNotAllowed {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

/// The HTTP content type for a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn with_type(status: StatusCode, key: &str, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    response
}

/// `file` as the answer to a request with `request` headers: the best encoding the request
/// accepts, the cache headers, and `304 Not Modified` when `If-None-Match` names this version.
/// `status` is 200 for a file, 404 for the site's 404 page (which gets no `ETag`).
fn send(status: StatusCode, key: &str, file: &SiteFile, request: &HeaderMap) -> Response<Bytes> {
    let encoding = assets::accepted(
        request
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .map(HeaderValue::as_bytes),
    )
    .into_iter()
    .find_map(|e| file.variant(e).map(|body| (e, body)));
    let etag = match encoding {
        Some((e, _)) => format!("\"{}-{}\"", &file.hash[..16], e.extension()),
        None => format!("\"{}\"", &file.hash[..16]),
    };
    let cache = if assets::is_hashed_name(key, &file.hash) {
        assets::IMMUTABLE
    } else {
        assets::REVALIDATE
    };
    let unchanged = status == StatusCode::OK
        && request
            .typed_get::<headers::IfNoneMatch>()
            .zip(etag.parse::<headers::ETag>().ok())
            .is_some_and(|(condition, etag)| !condition.precondition_passes(&etag));
    let mut response = if unchanged {
        let mut r = Response::new(Bytes::new());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let body = encoding.map_or(&file.body, |(_, body)| body);
        with_type(status, key, body.clone())
    };
    let headers = response.headers_mut();
    if let Some((e, _)) = encoding
        && !unchanged
    {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e.name()));
    }
    if file.has_variants() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if status == StatusCode::OK
        && let Ok(value) = HeaderValue::from_str(&etag)
    {
        headers.insert(header::ETAG, value);
    }
    response
}

/// The site file a URL path names: `/a/b%20c/` → `a/b c/index.html`; `None` when the path does
/// not decode to UTF-8 or tries to leave the site.
pub fn file_key(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let relative = decoded.trim_start_matches('/');
    let refused = relative
        .split('/')
        .any(|segment| segment == "." || segment == "..")
        || relative.contains(['\\', '\0']);
    if refused {
        return None;
    }
    Some(if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    })
}

/// Answers `method` `uri` (with the request's `headers`: `Accept-Encoding`, `If-None-Match`)
/// from `files`. `redirect_prefix` goes in front of redirect locations: the path a reverse
/// proxy strips before the request reaches us (`/enquete`), else empty.
pub fn respond<F: Files + ?Sized>(
    files: &F,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    redirect_prefix: &str,
) -> Result<Response<Bytes>, Miss> {
    if method != Method::GET && method != Method::HEAD {
        return Err(Miss::MethodNotAllowed);
    }
    let not_found = || match files.file("404.html") {
        Some(page) => Ok(send(StatusCode::NOT_FOUND, "404.html", &page, headers)),
        None => Err(Miss::NotFound),
    };
    let path = uri.path();
    let Some(key) = file_key(path) else {
        return not_found();
    };
    if let Some(file) = files.file(&key) {
        return Ok(send(StatusCode::OK, &key, &file, headers));
    }
    // `/leidraad` is the folder `/leidraad/` when that has an index page.
    if !path.ends_with('/') && files.file(&format!("{key}/index.html")).is_some() {
        let mut location = format!("{redirect_prefix}{path}/");
        if let Some(query) = uri.query() {
            location.push('?');
            location.push_str(query);
        }
        let mut response = Response::new(Bytes::new());
        *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return Ok(response);
    }
    not_found()
}

/// [`respond`], with [`Miss::plain`] for what the site has no page for.
pub fn respond_plain<F: Files + ?Sized>(
    files: &F,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    redirect_prefix: &str,
) -> Response<Bytes> {
    respond(files, method, uri, headers, redirect_prefix).unwrap_or_else(Miss::plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(with_404: bool) -> InMemorySite {
        let mut files = vec![
            ("index.html".to_string(), b"home".to_vec()),
            ("leidraad/index.html".to_string(), b"gids".to_vec()),
            ("met spatie/index.html".to_string(), b"spatie".to_vec()),
            ("café.css".to_string(), b"a{}".to_vec()),
            ("robots.txt".to_string(), b"User-agent: *".to_vec()),
        ];
        if with_404 {
            files.push(("404.html".to_string(), b"weg".to_vec()));
        }
        InMemorySite::new(files)
    }

    fn get(site: &InMemorySite, target: &str) -> Result<Response<Bytes>, Miss> {
        respond(
            site,
            &Method::GET,
            &target.parse().unwrap(),
            &HeaderMap::new(),
            "",
        )
    }

    fn status(r: &Result<Response<Bytes>, Miss>) -> u16 {
        match r {
            Ok(r) => r.status().as_u16(),
            Err(m) => m.status().as_u16(),
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/INDEX.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("icons/ster.svg"), "image/svg+xml");
        assert_eq!(content_type("x"), "application/octet-stream");
    }

    #[test]
    fn folders_serve_their_index_and_files_their_type() {
        let s = site(true);
        let r = get(&s, "/").unwrap();
        assert_eq!(
            (r.status(), r.body().as_ref()),
            (StatusCode::OK, &b"home"[..])
        );
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(get(&s, "/leidraad/?x=1").unwrap().body().as_ref(), b"gids");
        assert_eq!(
            get(&s, "/met%20spatie/").unwrap().body().as_ref(),
            b"spatie"
        );
        let css = get(&s, "/caf%C3%A9.css").unwrap();
        assert_eq!(
            css.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        let head = respond(
            &s,
            &Method::HEAD,
            &"/robots.txt".parse().unwrap(),
            &HeaderMap::new(),
            "",
        )
        .unwrap();
        assert_eq!(
            head.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn a_folder_without_its_slash_is_redirected_with_prefix_and_query() {
        let s = site(true);
        let r = get(&s, "/leidraad?x=1").unwrap();
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(r.headers()[header::LOCATION], "/leidraad/?x=1");
        let r = respond(
            &s,
            &Method::GET,
            &"/leidraad".parse().unwrap(),
            &HeaderMap::new(),
            "/enquete",
        )
        .unwrap();
        assert_eq!(r.headers()[header::LOCATION], "/enquete/leidraad/");
    }

    #[test]
    fn escapes_and_unknown_paths_get_the_sites_404_page() {
        let s = site(true);
        for target in [
            "/bestaat-niet",
            "/bestaat-niet/",
            "/../index.html",
            "/%2e%2e/index.html",
            "/%2E%2E%2Findex.html",
            "/leidraad/%00",
            "/a%5Cb",
            "/%FF",
            "/%4",
        ] {
            let r = get(&s, target);
            assert_eq!(status(&r), 404, "{target}");
            assert_eq!(r.unwrap().body().as_ref(), b"weg", "{target}");
        }
        assert_eq!(file_key("/%2e%2e/x"), None);
        assert_eq!(file_key("/a/./b"), None);
    }

    #[test]
    fn without_a_404_page_or_for_other_methods_the_caller_answers() {
        let s = site(false);
        assert_eq!(get(&s, "/bestaat-niet").unwrap_err(), Miss::NotFound);
        let post = respond(
            &s,
            &Method::POST,
            &"/".parse().unwrap(),
            &HeaderMap::new(),
            "",
        );
        assert_eq!(post.unwrap_err(), Miss::MethodNotAllowed);
        let plain = Miss::MethodNotAllowed.plain();
        assert_eq!(plain.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(plain.headers()[header::ALLOW], "GET, HEAD");
        let plain = respond_plain(
            &s,
            &Method::GET,
            &"/x".parse().unwrap(),
            &HeaderMap::new(),
            "",
        );
        assert_eq!(plain.status(), StatusCode::NOT_FOUND);
        assert!(String::from_utf8_lossy(plain.body()).contains("lang=\"nl\""));
    }

    fn with_headers(
        s: &InMemorySite,
        target: &str,
        headers: &[(header::HeaderName, &str)],
    ) -> Response<Bytes> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(k, HeaderValue::from_str(v).unwrap());
        }
        respond(s, &Method::GET, &target.parse().unwrap(), &map, "").unwrap()
    }

    fn compressed_site() -> (InMemorySite, String) {
        let css = b"body{color:#123}\n".repeat(40);
        let hashed = assets::hashed_name("style.css", &css).unwrap();
        let site = InMemorySite::compressed(vec![
            ("index.html".to_string(), b"<p>home</p>\n".repeat(40)),
            ("style.css".to_string(), css.clone()),
            (hashed.clone(), css),
            ("foto.png".to_string(), vec![7; 500]),
            // Looks hashed, but the hash is not its content's.
            ("oud.0123abcd.css".to_string(), b"a{}".to_vec()),
            ("404.html".to_string(), b"<p>weg</p>\n".repeat(40)),
        ]);
        (site, hashed)
    }

    #[test]
    fn the_best_accepted_variant_is_sent_with_vary() {
        let (s, _) = compressed_site();
        let plain = with_headers(&s, "/", &[]);
        assert_eq!(plain.headers().get(header::CONTENT_ENCODING), None);
        assert_eq!(plain.headers()[header::VARY], "accept-encoding");
        for (accept, expected) in [
            ("br, gzip", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip", Some("gzip")),
            ("identity", None),
        ] {
            let r = with_headers(&s, "/", &[(header::ACCEPT_ENCODING, accept)]);
            let encoding = r.headers().get(header::CONTENT_ENCODING);
            assert_eq!(encoding.map(|v| v.to_str().unwrap()), expected, "{accept}");
            let file = s.file("index.html").unwrap();
            let body = match expected {
                Some("br") => file.br.clone().unwrap(),
                Some(_) => file.gzip.clone().unwrap(),
                None => file.body.clone(),
            };
            assert_eq!(r.body(), &body, "{accept}");
        }
        // Images are not compressed again, and say nothing about encodings.
        let png = with_headers(&s, "/foto.png", &[(header::ACCEPT_ENCODING, "br")]);
        assert_eq!(png.headers().get(header::CONTENT_ENCODING), None);
        assert_eq!(png.headers().get(header::VARY), None);
        // The 404 page is compressed too, but has no ETag and never gives 304.
        let missing = with_headers(
            &s,
            "/nergens",
            &[
                (header::ACCEPT_ENCODING, "gzip"),
                (header::IF_NONE_MATCH, "*"),
            ],
        );
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(missing.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(missing.headers().get(header::ETAG), None);
        // Without `compressed`, no variants at all.
        let bare = InMemorySite::new(vec![("index.html".to_string(), b"x".repeat(500))]);
        let r = with_headers(&bare, "/", &[(header::ACCEPT_ENCODING, "br")]);
        assert_eq!(r.headers().get(header::CONTENT_ENCODING), None);
        assert_eq!(r.body().len(), 500);
    }

    #[test]
    fn only_names_that_carry_their_content_hash_are_immutable() {
        let (s, hashed) = compressed_site();
        let cache = |target: &str| {
            with_headers(&s, target, &[]).headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(cache(&format!("/{hashed}")), assets::IMMUTABLE);
        assert_eq!(cache("/style.css"), "no-cache");
        assert_eq!(cache("/"), "no-cache");
        assert_eq!(cache("/oud.0123abcd.css"), "no-cache");
    }

    #[test]
    fn a_matching_if_none_match_gets_304_per_representation() {
        let (s, _) = compressed_site();
        let plain = with_headers(&s, "/", &[]);
        let etag = plain.headers()[header::ETAG].to_str().unwrap().to_string();
        let br = with_headers(&s, "/", &[(header::ACCEPT_ENCODING, "br")]);
        let br_etag = br.headers()[header::ETAG].to_str().unwrap().to_string();
        assert_ne!(etag, br_etag);

        let r = with_headers(&s, "/", &[(header::IF_NONE_MATCH, &etag)]);
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.body().is_empty());
        assert_eq!(r.headers()[header::ETAG], etag.as_str());
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        // A list, a weak form and `*` match too (weak comparison, RFC 9110).
        for condition in [
            format!("\"x\", {br_etag}"),
            format!("W/{br_etag}"),
            "*".to_string(),
        ] {
            let r = with_headers(
                &s,
                "/",
                &[
                    (header::ACCEPT_ENCODING, "br"),
                    (header::IF_NONE_MATCH, &condition),
                ],
            );
            assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{condition}");
            assert_eq!(r.headers().get(header::CONTENT_ENCODING), None);
        }
        // The plain version's ETag does not match the brotli one, nor an old one.
        let r = with_headers(
            &s,
            "/",
            &[
                (header::ACCEPT_ENCODING, "br"),
                (header::IF_NONE_MATCH, &etag),
            ],
        );
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        let r = with_headers(&s, "/", &[(header::IF_NONE_MATCH, "\"ouder\"")]);
        assert_eq!(r.status(), StatusCode::OK);
    }
}
