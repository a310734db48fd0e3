//! Connections: the accept loop under axum, and what keeps slow or too many clients from
//! holding the service. One mechanism per job:
//!
//! - **The request head** (request line and headers) must be in within [`KOP_MAX`] of the
//!   moment the server starts waiting for it: hyper's `header_read_timeout`, which
//!   `axum::serve` does not expose, hence this loop. A slow-loris client that trickles a byte
//!   now and then is cut off then, however steadily it trickles; an idle keep-alive connection
//!   is closed by the same deadline.
//! - **Silence after the head** ([`Begrensd`], [`STIL_MAX`]): a body that stops arriving or a
//!   client that stops reading the response ends the connection after 30 s without a byte
//!   either way. (A whole request also has 30 s in `web::bewaak`.)
//! - **The number of connections** ([`draai`], `max_verbindingen` in `zorgenquete.toml`,
//!   default [`MAX_VERBINDINGEN`]): beyond it a new connection gets a short Dutch 503 page
//!   ([`TE_DRUK`]) and is closed; at most [`OVERLOOP`] of those are answered at once, further
//!   ones are closed without a word. File descriptors stay below `LimitNOFILE` that way.
//!
//! The peer address is passed on to axum (for `web::herkomst`) but never logged or stored.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower_service::Service;

/// How long a connection may be silent (no bytes either way while we wait for the client).
pub const STIL_MAX: Duration = Duration::from_secs(30);
/// How long the request head may take, from the moment the server waits for it.
pub const KOP_MAX: Duration = Duration::from_secs(10);
/// Connections served at once when `max_verbindingen` is not set.
pub const MAX_VERBINDINGEN: usize = 512;
/// Connections beyond the cap that still get the 503 page at once.
pub const OVERLOOP: usize = 64;
/// How long answering a connection beyond the cap may take in all.
const OVERLOOP_MAX: Duration = Duration::from_secs(10);
/// Descriptors the service needs besides connections (database files, listener, runtime).
pub const EIGEN_BESTANDEN: usize = 64;

/// The page for a connection beyond the cap.
pub const TE_DRUK: &str = "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Het is even te druk</title></head><body><main><h1>Het is even te druk</h1><p>Er zijn nu heel veel mensen tegelijk op deze website. Probeer het over een minuutje opnieuw.</p><p>Wat je al invulde, is nog niet verstuurd: ga terug en verstuur het straks opnieuw.</p></main></body></html>";

/// A byte stream with an idle deadline.
pub struct Begrensd<T> {
    io: T,
    stil: Pin<Box<Sleep>>,
    duur: Duration,
}

impl<T> Begrensd<T> {
    pub fn new(io: T, duur: Duration) -> Begrensd<T> {
        Begrensd {
            io,
            stil: Box::pin(tokio::time::sleep(duur)),
            duur,
        }
    }

    fn verder(&mut self) {
        let deadline = Instant::now() + self.duur;
        self.stil.as_mut().reset(deadline);
    }

    fn verlopen(&mut self, cx: &mut Context<'_>) -> bool {
        self.stil.as_mut().poll(cx).is_ready()
    }

    /// What a write returned, after restarting the deadline when bytes went out; a write still
    /// pending past the deadline fails.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match poll {
            Poll::Ready(r) => {
                if matches!(r, Ok(n) if n > 0) {
                    self.verder();
                }
                Poll::Ready(r)
            }
            Poll::Pending if self.verlopen(cx) => Poll::Ready(Err(te_lang_stil())),
            Poll::Pending => Poll::Pending,
        }
    }
}

fn te_lang_stil() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "verbinding te lang stil")
}

impl<T: AsyncRead + Unpin> AsyncRead for Begrensd<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let voor = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > voor {
                    self.verder();
                }
                Poll::Ready(r)
            }
            Poll::Pending if self.verlopen(cx) => Poll::Ready(Err(te_lang_stil())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Begrensd<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.after_write(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.after_write(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Serves `app` on `listener` until `stop` completes, with at most `max_verbindingen`
/// connections at once (see the module documentation); then stops accepting and lets the
/// connections finish their requests (the caller bounds how long).
pub async fn draai(
    listener: TcpListener,
    app: Router,
    max_verbindingen: usize,
    stop: impl Future<Output = ()>,
) -> GracefulShutdown {
    let plaatsen = Arc::new(Semaphore::new(max_verbindingen.max(1)));
    let overloop = Arc::new(Semaphore::new(OVERLOOP));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(KOP_MAX);
    let mut vol = http1::Builder::new();
    vol.timer(TokioTimer::new())
        .header_read_timeout(KOP_MAX)
        .keep_alive(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, adres) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(e) => {
                    tracing::warn!(fout = %e, "verbinding aannemen mislukt");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Begrensd::new(stream, STIL_MAX));
        if let Ok(plaats) = plaatsen.clone().try_acquire_owned() {
            let klant = Klant(adres);
            let router = app.clone();
            let dienst = service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(klant));
                router.clone().call(req)
            });
            let verbinding = graceful.watch(http.serve_connection(io, dienst));
            tokio::spawn(async move {
                let _ = verbinding.await;
                drop(plaats);
            });
        } else if let Ok(plaats) = overloop.clone().try_acquire_owned() {
            let verbinding = vol.serve_connection(io, service_fn(te_druk));
            tokio::spawn(async move {
                let _ = tokio::time::timeout(OVERLOOP_MAX, verbinding).await;
                drop(plaats);
            });
        }
        // Else: closed at once (dropped), so the descriptor is free again.
    }
    graceful
}

/// The answer to every request on a connection beyond the cap: 503 with a short Dutch page,
/// the security headers, and the connection closed afterwards. A small body is read first, so
/// the client sees the page rather than a reset connection.
async fn te_druk(req: Request<Incoming>) -> Result<Response, Infallible> {
    let _ = axum::body::to_bytes(Body::new(req.into_body()), 64 * 1024).await;
    let mut r = (StatusCode::SERVICE_UNAVAILABLE, TE_DRUK).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    zorgsite::site::beveiliging::zet(h);
    Ok(r)
}

/// A warning when `max_verbindingen` cannot fit in the process's limit of open files (systemd
/// `LimitNOFILE`, `ulimit -n`), read from `/proc/self/limits`; `None` when it fits or the limit
/// cannot be read.
pub fn bestandslimiet_waarschuwing(max_verbindingen: usize) -> Option<String> {
    let limieten = std::fs::read_to_string("/proc/self/limits").ok()?;
    past_niet(max_verbindingen, &limieten)
}

/// [`bestandslimiet_waarschuwing`] for the text of `/proc/self/limits`.
fn past_niet(max_verbindingen: usize, limieten: &str) -> Option<String> {
    let regel = limieten.lines().find(|l| l.starts_with("Max open files"))?;
    let zacht: usize = regel
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let nodig = max_verbindingen + OVERLOOP + EIGEN_BESTANDEN;
    (zacht < nodig).then(|| {
        format!(
            "max_verbindingen = {max_verbindingen} past niet binnen de {zacht} open bestanden die dit proces mag hebben; zet LimitNOFILE (of ulimit -n) op minstens {nodig}, of verlaag max_verbindingen"
        )
    })
}

/// The peer of a connection, for the rate limit (see [`super::begrenzer`]) and to recognise a
/// trusted proxy (see [`super::herkomst`]); never logged or stored. A type of our own because axum provides connect info only for its own listener.
#[derive(Clone, Copy)]
pub struct Klant(SocketAddr);

impl Klant {
    pub fn ip(&self) -> std::net::IpAddr {
        self.0.ip()
    }
}

/// No `Debug` output of the address either, so it cannot end up in a log by accident.
impl std::fmt::Debug for Klant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Klant(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn the_cap_must_fit_in_the_open_files_limit() {
        let limieten = "Limit                     Soft Limit           Hard Limit           Units     \nMax cpu time              unlimited            unlimited            seconds   \nMax open files            1024                 524288               files     \n";
        assert_eq!(past_niet(512, limieten), None);
        let w = past_niet(1000, limieten).unwrap();
        assert!(w.contains("LimitNOFILE") && w.contains("1128"), "{w}");
        assert_eq!(
            past_niet(100_000, "Max open files unlimited unlimited files"),
            None
        );
    }

    // A paused clock that jumps to the next timer when every task waits: the 60 ms gaps and
    // the 100 ms limit are exact, whatever the machine's load (with the wall clock this test
    // failed when a loaded machine let a 60 ms gap grow past 100 ms).
    #[tokio::test(start_paused = true)]
    async fn a_silent_peer_times_out_and_an_active_one_does_not() {
        let (client, server) = tokio::io::duplex(64);
        let mut server = Begrensd::new(server, Duration::from_millis(100));
        let mut client = client;
        let schrijver = tokio::spawn(async move {
            for _ in 0..4 {
                tokio::time::sleep(Duration::from_millis(60)).await;
                client.write_all(b"x").await.unwrap();
            }
            // Then silence, with the connection still open.
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(client);
        });
        let mut buf = [0u8; 1];
        for _ in 0..4 {
            // 60 ms gaps each under the 100 ms limit: the deadline keeps moving.
            server.read_exact(&mut buf).await.unwrap();
        }
        let start = Instant::now();
        let err = server.read_exact(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        // After the limit of silence, long before the peer would speak again (5 s).
        assert_eq!(start.elapsed(), Duration::from_millis(100));
        schrijver.abort();
    }
}
