//! `zorgsite serve`: builds in memory, serves on 127.0.0.1, rebuilds when content or theme
//! change and tells open browsers to reload. The reload script exists only in this mode.
//! Every build is loaded as an [`InMemorySite::compressed`]: compressed once per build, then
//! served with the same compression, ETags and cache headers as `zorgenquete`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::error::CliError;
use crate::diagnostics::Diagnostic;
use crate::site::output::{RELOAD_PATH, RELOAD_SCRIPT};
use crate::site::responder::{InMemorySite, file_key, respond_plain};
use crate::site::{BuildOptions, BuiltSite, build};

/// The last good site and the errors of the last build, if it failed.
struct Served {
    site: InMemorySite,
    errors: Vec<Diagnostic>,
}

#[derive(Clone)]
struct AppState {
    served: Arc<RwLock<Served>>,
    changes: watch::Receiver<u64>,
}

/// Runs the development server until Ctrl-C.
pub fn serve(options: BuildOptions, port: u16) -> Result<(), CliError> {
    let mut options = options;
    options.live_reload = true;
    options.base_url = Some(format!("http://127.0.0.1:{port}"));
    let first = build(&options).map_err(|errors| {
        CliError::content(errors, |_| {
            "fout: de site kon niet gebouwd worden; los de fouten hierboven op en start opnieuw"
                .to_string()
        })
    })?;
    let served = Arc::new(RwLock::new(Served {
        site: load(first),
        errors: Vec::new(),
    }));
    let (notify_tx, changes) = watch::channel(0u64);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| CliError::Message(e.to_string()))?;
    runtime.block_on(async move {
        let watcher = watch_and_rebuild(options.clone(), Arc::clone(&served), notify_tx)?;
        let app = Router::new()
            .route(RELOAD_PATH, get(events))
            .route("/__zorgsite/herlaad.js", get(script))
            .fallback(file)
            .layer(axum::middleware::map_response(
                crate::site::beveiliging::voeg_toe,
            ))
            .with_state(AppState { served, changes });
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
            CliError::Message(format!(
                "kan poort {port} niet openen ({e}); kies een andere met --port"
            ))
        })?;
        println!("De site draait op http://127.0.0.1:{port}/ — stoppen met Ctrl-C.");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| CliError::Message(e.to_string()))?;
        drop(watcher);
        Ok(())
    })
}

fn watch_and_rebuild(
    options: BuildOptions,
    served: Arc<RwLock<Served>>,
    changes: watch::Sender<u64>,
) -> Result<notify::RecommendedWatcher, CliError> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| CliError::Message(format!("kan de mappen niet volgen ({e})")))?;
    for dir in [&options.root, &options.theme] {
        watcher
            .watch(Path::new(dir), notify::RecursiveMode::Recursive)
            .map_err(|e| CliError::Message(format!("kan {} niet volgen ({e})", dir.display())))?;
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Editors write several events per save: wait until it is quiet.
            while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
            // Compressed before the lock is taken: pages keep being served meanwhile.
            let result = build(&options).map(|site| (site.files.len(), load(site)));
            if let Ok(mut current) = served.write() {
                match result {
                    Ok((count, site)) => {
                        println!("Opnieuw gebouwd: {count} bestanden.");
                        current.site = site;
                        current.errors.clear();
                    }
                    Err(errors) => {
                        crate::diagnostics::report(&errors);
                        current.errors = errors;
                    }
                }
            }
            changes.send_modify(|n| *n += 1);
        }
    });
    Ok(watcher)
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::from_changes(state.changes.clone())
        .map(|_| Ok(Event::default().data("herlaad")));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        RELOAD_SCRIPT,
    )
        .into_response()
}

/// The built site in memory, compressed once.
fn load(site: BuiltSite) -> InMemorySite {
    InMemorySite::compressed(site.files)
}

async fn file(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(served) = state.served.read() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let is_html = file_key(uri.path()).is_some_and(|key| key.ends_with(".html"));
    if !served.errors.is_empty() && is_html {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            error_page(&served.errors),
        )
            .into_response();
    }
    respond_plain(&served.site, &method, &uri, &headers, "")
        .map(Body::from)
        .into_response()
}

/// A page that shows the build errors in the browser, and reloads once they are fixed.
fn error_page(errors: &[Diagnostic]) -> axum::response::Html<String> {
    let list: String = errors
        .iter()
        .map(|e| {
            format!(
                "<li><pre>{}</pre></li>",
                crate::render::html::escape(&e.to_string())
            )
        })
        .collect();
    axum::response::Html(format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Fout in de site</title></head>\
         <body><main><h1>De site kon niet gebouwd worden</h1><p>Los deze fouten op en bewaar het bestand; \
         deze pagina laadt dan vanzelf opnieuw.</p><ol>{list}</ol></main>\
         <script src=\"/__zorgsite/herlaad.js\"></script></body></html>"
    ))
}
