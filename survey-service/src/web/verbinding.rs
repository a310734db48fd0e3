//! Connections that go quiet are closed.
//!
//! `axum::serve` gives hyper no timer, so without this a client could send half a request line
//! (or stop reading the answer) and hold a connection for ever. Every accepted connection gets
//! an idle deadline that moves forward whenever bytes go in or out; when it passes while the
//! server waits on the client, the connection ends with `TimedOut`. Idle keep-alive
//! connections are closed by the same rule. The peer address is passed on to axum (which needs
//! a type for it) but never logged or stored.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// How long a connection may be silent (no bytes either way while we wait for the client).
pub const STIL_MAX: Duration = Duration::from_secs(30);

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
        match Pin::new(&mut self.io).poll_write(cx, buf) {
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

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write_vectored(cx, bufs) {
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

/// A TCP listener whose connections are [`Begrensd`].
pub struct BegrensdeListener {
    listener: TcpListener,
    duur: Duration,
}

impl BegrensdeListener {
    pub fn new(listener: TcpListener, duur: Duration) -> BegrensdeListener {
        BegrensdeListener { listener, duur }
    }
}

impl axum::serve::Listener for BegrensdeListener {
    type Io = Begrensd<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, adres)) => {
                    let _ = stream.set_nodelay(true);
                    return (Begrensd::new(stream, self.duur), adres);
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(e) => {
                    tracing::warn!(fout = %e, "verbinding aannemen mislukt");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
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

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, BegrensdeListener>>
    for Klant
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, BegrensdeListener>) -> Klant {
        Klant(*stream.remote_addr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
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
        let start = std::time::Instant::now();
        let err = server.read_exact(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(2));
        schrijver.abort();
    }
}
