//! The HTTP side: state, router, middleware and the server loop.

pub mod begrenzer;
pub mod beheer;
pub mod csrf;
pub mod enquete;
pub mod groep;
pub mod herkomst;
pub mod kiosk;
pub mod opname;
pub mod render;
pub mod site;
pub mod taal;
pub mod verbinding;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

use crate::domain::vragenlijst::Vragenlijsten;
use crate::storage::opslag::Opslag;
use crate::storage::{OpenPeriode, OpslagFout};
use csrf::FormSleutel;
use render::Renderer;
use site::SiteBestanden;

/// How long one request may take, body included.
pub const VERZOEK_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for requests in flight.
pub const AFSLUIT_WACHTTIJD: Duration = Duration::from_secs(30);

/// Shared by all handlers: one pointer, so the clone every extractor makes costs an atomic
/// increment and nothing else.
#[derive(Clone)]
pub struct AppState(Arc<Staat>);

impl AppState {
    pub fn new(staat: Staat) -> AppState {
        AppState(Arc::new(staat))
    }

    /// A handle that does not keep the state (and with it the writer) alive.
    pub fn zwak(&self) -> std::sync::Weak<Staat> {
        Arc::downgrade(&self.0)
    }
}

impl std::ops::Deref for AppState {
    type Target = Staat;
    fn deref(&self) -> &Staat {
        &self.0
    }
}

pub struct Staat {
    pub vragenlijsten: Arc<Vragenlijsten>,
    /// The school's storage for the parents' paths (submissions, the open period): SQLite or
    /// PostgreSQL behind one interface (`storage::opslag`).
    pub opslag: Opslag,
    pub sleutel: FormSleutel,
    /// The database secret (code hashes).
    pub geheim: Arc<Vec<u8>>,
    pub site: Arc<SiteBestanden>,
    /// The school's recordings for read-aloud (`content/enquetes/audio/`), read at start-up.
    pub opnames: Arc<opname::Opnames>,
    /// The theme's templates: every page (`web::render`).
    pub renderer: Arc<Renderer>,
    /// The dashboard: its database connection, login throttle and cookie settings.
    pub beheer: beheer::BeheerStaat,
    /// Submissions per client address (public forms); `None`: unlimited.
    pub limiet_inzendingen: Option<begrenzer::Begrenzer>,
    /// Posts that cannot store anything (junk), per client address; `None`: unlimited.
    pub limiet_rommel: Option<begrenzer::Begrenzer>,
    /// Per questionnaire the planned actions of `data/resultaten/<id>.toml` (the meeting
    /// report), read at start-up.
    pub acties: Arc<BTreeMap<String, zorgsite::model::resultaten::Antwoorden>>,
    /// Signs the cookies of devices that staff turned into a kiosk.
    pub kiosk: kiosk::KioskSleutel,
    /// Trusted proxies and the public address (scheme, host, HSTS, cookie flags).
    pub herkomst: Arc<herkomst::Beleid>,
    /// In a group (`[[school]]`): the group's schools and this school's place among them, set
    /// once every school is ready (`prepare_groep`). The results page uses it for "our school
    /// beside the rest of the group" ([`beheer::groep::naast_de_rest`]).
    pub groep: std::sync::OnceLock<beheer::groep::Plaats>,
}

impl AppState {
    /// The open period of a questionnaire.
    pub async fn open_periode(&self, vragenlijst: &str) -> Result<Option<OpenPeriode>, OpslagFout> {
        self.opslag.open_periode(vragenlijst).await
    }
}

/// An HTML response that browsers and proxies must not keep (forms carry tokens; kiosk screens
/// must not show a previous parent's answers on "back").
pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Compression of the survey pages that are safe to compress (BREACH): only `GET` pages of the
/// public survey, whose one secret is a form token that is new in every response, whose only
/// reflected input comes from the URL itself (`taal`, a `code` from the parent's own link),
/// and that no cookie changes. Answer pages (`POST`, which echo what a person typed), kiosk
/// pages (a device cookie) and the dashboard (a staff session) are sent uncompressed. The site
/// itself is compressed once at start-up instead (see `SiteBestanden::compressed`).
fn compressed_get() -> CompressionLayer {
    CompressionLayer::new()
}

/// The router: surveys under `/enquete/`, the dashboard under `/beheer/` (its routes come from
/// [`beheer::ROUTES`]), the built site for everything else.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/enquete", get(enquete::overzicht).layer(compressed_get()))
        .route("/enquete/", get(enquete::overzicht).layer(compressed_get()))
        // The four survey addresses: `enquete::show::<KIOSK, EENVOUDIG>` and `submit`.
        .route(
            "/enquete/{vragenlijst}",
            // `layer` before `post`: only the GET handler is wrapped.
            get(enquete::show::<false, false>)
                .layer(compressed_get())
                .post(enquete::submit::<false, false>),
        )
        .route(
            "/enquete/{vragenlijst}/kiosk",
            get(enquete::show::<true, false>).post(enquete::submit::<true, false>),
        )
        .route("/enquete/{vragenlijst}/kiosk/stop", post(kiosk::stop))
        .route(
            "/enquete/{vragenlijst}/eenvoudig",
            // The simple mode's first screen is the same page as the form's (`enquete::toon`):
            // compressed on the same grounds; its steps (POST, the answers so far in hidden
            // fields) are not.
            get(enquete::show::<false, true>)
                .layer(compressed_get())
                .post(enquete::submit::<false, true>),
        )
        .route(
            "/enquete/{vragenlijst}/kiosk/eenvoudig",
            get(enquete::show::<true, true>).post(enquete::submit::<true, true>),
        )
        .route(
            "/enquete/{vragenlijst}/bedankt",
            get(enquete::bedankt).layer(compressed_get()),
        )
        // Not compressed: audio is compressed already, and ranges must count the file's bytes.
        .route(
            "/enquete/{vragenlijst}/audio/{bestand}",
            get(opname::bestand),
        )
        .route("/enquete/{vragenlijst}/", get(enquete::zonder_slash))
        .merge(beheer::router(&state))
        .fallback(site::bestand)
        .with_state(state.clone());
    omhul(&state, routes)
}

/// The layers every dashboard or survey router gets: the time limit, error pages and log line
/// ([`bewaak`]), the panic page, the base path, the request's origin ([`herkomst::bepaal`]) and
/// the security headers (outermost, so every response gets them: pages, errors, panics, and
/// paths outside `basis`).
pub fn omhul(state: &AppState, routes: Router) -> Router {
    let routes = routes
        .layer(middleware::from_fn_with_state(state.clone(), bewaak))
        .layer(CatchPanicLayer::custom(paniek(&state.renderer)));
    let app = if state.renderer.basis.is_empty() {
        routes
    } else {
        // As one service (not `nest`), so `<basis>`, `<basis>/` and everything below reach it.
        Router::new().nest_service(&state.renderer.basis, routes)
    };
    let app = app.layer(middleware::from_fn_with_state(
        state.herkomst.clone(),
        herkomst::bepaal,
    ));
    app.layer(middleware::map_response(
        zorgsite::site::beveiliging::voeg_toe,
    ))
}

/// The 500 page when a handler panics: rendered at start-up, so nothing can fail here.
fn paniek(
    renderer: &Renderer,
) -> impl Fn(Box<dyn std::any::Any + Send + 'static>) -> Response + Clone + Send + Sync + 'static {
    let html = renderer.programmafout_html();
    move |_| {
        tracing::error!("een verzoek liep vast op een programmafout");
        html_response(StatusCode::INTERNAL_SERVER_ERROR, html.to_string())
    }
}

/// One middleware for every request: a time limit with a 408 page, the error pages of
/// handlers that returned an error ([`enquete::Error`], [`beheer::Error`]: rendered here,
/// where the theme is), and a log line with method, route pattern, status and duration:
/// never the query string (codes), headers (user agent, cookies) or the peer address.
async fn bewaak(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let methode = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    // A survey page asked in a language times out in that language.
    let taal = state.renderer.talen.kies(req.uri().query());
    let start = Instant::now();
    let r = match tokio::time::timeout(VERZOEK_TIMEOUT, next.run(req)).await {
        Ok(r) => toon_fout(&state, r),
        Err(_) => enquete::Error::TeTraag(taal).render(&state.renderer),
    };
    let status = r.status().as_u16();
    let route = route.as_ref().map_or("(site)", MatchedPath::as_str);
    let ms = start.elapsed().as_millis() as u64;
    if status >= 500 {
        tracing::warn!(%methode, route, status, ms, "verzoek");
    } else {
        tracing::debug!(%methode, route, status, ms, "verzoek");
    }
    r
}

/// A response that carries a handler's error becomes its page. Headers the handler added
/// (`Retry-After`, `Set-Cookie`) stay; the page brings its own content type.
fn toon_fout(state: &AppState, r: Response) -> Response {
    let mut pagina = if let Some(e) = r.extensions().get::<enquete::Error>() {
        e.render(&state.renderer)
    } else if let Some(e) = r.extensions().get::<beheer::Error>() {
        e.render(&state.renderer)
    } else {
        return r;
    };
    let (delen, _) = r.into_parts();
    for naam in delen.headers.keys() {
        if naam == header::CONTENT_TYPE || naam == header::CONTENT_LENGTH {
            continue;
        }
        pagina.headers_mut().remove(naam);
        for waarde in delen.headers.get_all(naam) {
            pagina.headers_mut().append(naam.clone(), waarde.clone());
        }
    }
    pagina
}

/// Serves until `stop` completes, then lets requests in flight finish (at most
/// [`AFSLUIT_WACHTTIJD`]). At most `max_verbindingen` connections at once, each with a deadline
/// for its request head (see [`verbinding`]).
pub async fn draai(
    listener: TcpListener,
    app: Router,
    max_verbindingen: usize,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = verbinding::draai(listener, app, max_verbindingen, stop).await;
    tracing::info!("afsluiten: lopende verzoeken worden afgewerkt");
    if tokio::time::timeout(AFSLUIT_WACHTTIJD, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("afsluiten: niet alle verzoeken raakten op tijd klaar");
    }
    Ok(())
}

/// Makes a file-size limit (`ulimit -f`, systemd `LimitFSIZE=`) fail the write, which the
/// service answers with a 503 page and recovers from, instead of killing the process: SIGXFSZ
/// is caught (and ignored) rather than left at its default action.
pub fn vang_bestandslimiet() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut s) = signal(SignalKind::from_raw(libc::SIGXFSZ)) {
            tokio::spawn(async move { while s.recv().await.is_some() {} });
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn stopsignaal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Helpers the web modules' unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use std::net::IpAddr;

    /// An address from text (`"192.0.2.10"`, `"2001:db8::1"`).
    pub fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }
}
