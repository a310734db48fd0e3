//! `zorgsite serve` over real HTTP on loopback: pages carry the reload script (only here),
//! saving a file rebuilds the site, a broken save shows the error and keeps serving.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A GET through the tests' client (`e2e::http_client`: no redirects followed, every status
/// as a response).
fn request(port: u16, path: &str) -> Option<e2e::ureq::http::Response<e2e::ureq::Body>> {
    e2e::http_client()
        .get(format!("http://127.0.0.1:{port}{path}"))
        .config()
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .call()
        .ok()
}

/// A GET: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut response = request(port, path)?;
    let body = response.body_mut().read_to_string().ok()?;
    Some((response.status().as_u16(), body))
}

/// The response headers of a GET, one `name: value\r\n` line each, names lower-cased (as
/// hyper sends them).
fn head(port: u16, path: &str) -> String {
    let response = request(port, path).unwrap();
    response
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}\r\n", v.to_str().unwrap_or_default()))
        .collect()
}

/// A GET with request headers: (status, a response header by name, the body's bytes as sent).
fn fetch(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, impl Fn(&str) -> Option<String>, Vec<u8>) {
    let mut request = e2e::http_client().get(format!("http://127.0.0.1:{port}{path}"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let mut response = request.call().unwrap();
    let status = response.status().as_u16();
    let found = response.headers().clone();
    let body = response.body_mut().read_to_vec().unwrap();
    let header = move |name: &str| {
        found
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };
    (status, header, body)
}

/// The page at `path` as brotli, decompressed (asserting it was sent compressed).
fn brotli_page(port: u16, path: &str) -> String {
    use std::io::Read;
    let (status, header, body) = fetch(port, path, &[("Accept-Encoding", "br")]);
    assert_eq!(status, 200, "{path}");
    assert_eq!(header("content-encoding").as_deref(), Some("br"), "{path}");
    let mut page = String::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_string(&mut page)
        .unwrap();
    page
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_rebuilds_on_save_and_shows_errors() {
    let copy = common::SchoolCopy::example("serve");
    let dir = copy.dir.clone();
    let port = free_port();
    let server = Server {
        child: Command::new(env!("CARGO_BIN_EXE_zorgsite"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        port,
    };
    wait_for("the server", || get(server.port, "/").is_some());

    let (status, page) = get(server.port, "/leidraad/oudergesprek/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"/__zorgsite/herlaad.js\"></script></body>"));
    let (status, script) = get(server.port, "/__zorgsite/herlaad.js").unwrap();
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    assert_eq!(get(server.port, "/bestaat-niet/").unwrap().0, 404);
    // The same security headers as the survey service, on pages, scripts and 404s.
    for path in ["/", "/__zorgsite/herlaad.js", "/bestaat-niet/"] {
        let head = head(server.port, path);
        for (name, value) in zorgsite::site::beveiliging::KOPPEN {
            assert!(
                head.contains(&format!("{name}: {value}\r\n")),
                "{path}: {name}\n{head}"
            );
        }
    }

    // The same responder as the survey service: brotli variants made once per build, ETag/304.
    let (_, plain_header, plain) = fetch(server.port, "/leidraad/oudergesprek/", &[]);
    assert_eq!(
        brotli_page(server.port, "/leidraad/oudergesprek/").as_bytes(),
        plain
    );
    let etag = plain_header("etag").unwrap();
    let (status, _, body) = fetch(
        server.port,
        "/leidraad/oudergesprek/",
        &[("If-None-Match", &etag)],
    );
    assert_eq!((status, body.len()), (304, 0));

    let file = dir.join("content/leidraad/oudergesprek.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{original}\nEen nieuwe zin na het bewaren.\n"),
    )
    .unwrap();
    wait_for("the rebuilt page", || {
        get(server.port, "/leidraad/oudergesprek/")
            .is_some_and(|(_, body)| body.contains("Een nieuwe zin na het bewaren."))
    });
    // Compressed again after the rebuild; the old ETag no longer matches.
    assert!(
        brotli_page(server.port, "/leidraad/oudergesprek/")
            .contains("Een nieuwe zin na het bewaren.")
    );
    let (status, _, _) = fetch(
        server.port,
        "/leidraad/oudergesprek/",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(status, 200);

    std::fs::write(&file, original.replacen("+++", "", 1)).unwrap();
    wait_for("the error page", || {
        get(server.port, "/leidraad/oudergesprek/").is_some_and(|(status, body)| {
            status == 500 && body.contains("oudergesprek.md:1:1") && body.contains("front matter")
        })
    });
    assert_eq!(
        get(server.port, "/style.css").unwrap().0,
        200,
        "assets still served"
    );

    std::fs::write(&file, &original).unwrap();
    wait_for("recovery", || {
        get(server.port, "/leidraad/oudergesprek/").is_some_and(|(status, _)| status == 200)
    });
    drop(server);
}
