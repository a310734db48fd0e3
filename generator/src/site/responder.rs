//! The one way a built site answers HTTP requests, used by `zorgsite serve`, the poster PDF's
//! loopback server, the survey service (the site at `/`) and the end-to-end test server.
//!
//! [`respond`] turns a method and a URI into an `http::Response<Bytes>`: the path is
//! percent-decoded (`percent-encoding`), `.`/`..` segments, backslashes and NUL are refused, a
//! folder (`/leidraad/`) answers with its `index.html`, a folder without its slash is redirected
//! to it (308, query kept), files get their content type ([`content_type`]) and unknown paths the
//! site's own `404.html`. `HEAD` is answered like `GET`: servers drop the body themselves.
//! Security headers are not set here: every server adds [`super::beveiliging::KOPPEN`] to all of
//! its responses, including the ones that do not come from the site.

use std::collections::HashMap;

use axum::http::{HeaderValue, header};
use percent_encoding::percent_decode_str;

// The types of the responder's signature, for callers without their own `http` dependency
// (the end-to-end test server).
pub use axum::body::Bytes;
pub use axum::http::{Method, Response, StatusCode, Uri};

/// Where the responder finds a site's files.
pub trait Files {
    /// The bytes of the file at `key` (`leidraad/index.html`): a decoded path without `.` or `..`
    /// segments, relative to the site root.
    fn file(&self, key: &str) -> Option<Bytes>;
}

/// A built site in memory: relative path (`leidraad/index.html`) → bytes.
#[derive(Debug, Default, Clone)]
pub struct InMemorySite {
    files: HashMap<String, Bytes>,
}

impl InMemorySite {
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> InMemorySite {
        InMemorySite {
            files: files
                .into_iter()
                .map(|(k, v)| (k, Bytes::from(v)))
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Bytes> {
        self.files.get(key)
    }
}

impl Files for InMemorySite {
    fn file(&self, key: &str) -> Option<Bytes> {
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

/// Answers `method` `uri` from `files`. `redirect_prefix` goes in front of redirect locations:
/// the path a reverse proxy strips before the request reaches us (`/enquete`), else empty.
pub fn respond<F: Files + ?Sized>(
    files: &F,
    method: &Method,
    uri: &Uri,
    redirect_prefix: &str,
) -> Result<Response<Bytes>, Miss> {
    if method != Method::GET && method != Method::HEAD {
        return Err(Miss::MethodNotAllowed);
    }
    let not_found = || match files.file("404.html") {
        Some(page) => Ok(with_type(StatusCode::NOT_FOUND, "404.html", page)),
        None => Err(Miss::NotFound),
    };
    let path = uri.path();
    let Some(key) = file_key(path) else {
        return not_found();
    };
    if let Some(body) = files.file(&key) {
        return Ok(with_type(StatusCode::OK, &key, body));
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
    redirect_prefix: &str,
) -> Response<Bytes> {
    respond(files, method, uri, redirect_prefix).unwrap_or_else(Miss::plain)
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
        respond(site, &Method::GET, &target.parse().unwrap(), "")
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
        let head = respond(&s, &Method::HEAD, &"/robots.txt".parse().unwrap(), "").unwrap();
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
        let r = respond(&s, &Method::GET, &"/leidraad".parse().unwrap(), "/enquete").unwrap();
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
        let post = respond(&s, &Method::POST, &"/".parse().unwrap(), "");
        assert_eq!(post.unwrap_err(), Miss::MethodNotAllowed);
        let plain = Miss::MethodNotAllowed.plain();
        assert_eq!(plain.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(plain.headers()[header::ALLOW], "GET, HEAD");
        let plain = respond_plain(&s, &Method::GET, &"/x".parse().unwrap(), "");
        assert_eq!(plain.status(), StatusCode::NOT_FOUND);
        assert!(String::from_utf8_lossy(plain.body()).contains("lang=\"nl\""));
    }
}
