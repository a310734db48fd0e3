//! Support code for the end-to-end tests of "Samen zorg dragen".
//!
//! - [`workspace_root`], [`TempDir`], [`html_pages`]: files and paths.
//! - [`StaticServer`]: serves a directory on `127.0.0.1` with an OS-assigned port.
//! - [`ensure_node_modules`], [`chromium_path`], [`run_node_script`]: run the Node scripts in
//!   `tests/browser/` (puppeteer-core driving Debian's Chromium; nothing is downloaded).
//! - [`run_axe`]: the axe-core accessibility check (`tests/browser/axe.mjs`).
//! - [`postgres`]: a throwaway PostgreSQL server and one fresh database per test.
//!
//! Missing tools (npm, node, Chromium) make the tests panic with instructions; nothing is
//! skipped silently.

pub mod postgres;

use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
/// The HTTP client's crate, for the types of its responses (`e2e::ureq::http::Response`).
pub use ureq;
use zorgsite::site::responder::{
    Bytes, Files, Method, Response, SiteFile, StatusCode, Uri, respond_plain,
};

/// How long one Node script may run before it is stopped (override with env
/// `ZORG_E2E_NODE_TIMEOUT_SECS`).
const DEFAULT_NODE_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// The root of the Cargo workspace (the directory holding `generator/`, `content/`, `site/`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("tests/ has a parent directory")
        .to_path_buf()
}

/// `tests/browser/`: the Node project with the browser scripts.
pub fn browser_dir() -> PathBuf {
    workspace_root().join("tests").join("browser")
}

// ---------------------------------------------------------------------------------------------
// Temporary directories
// ---------------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed (with its contents) on drop.
/// Set env `ZORG_E2E_KEEP_TMP=1` to keep it for inspection.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<tmp>/zorg-e2e-<prefix>-<pid>-<n>-<nanos>`.
    pub fn new(prefix: &str) -> TempDir {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "zorg-e2e-{prefix}-{}-{n}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create temp dir {}: {e}", path.display()));
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Copies a directory tree (e.g. `content/` into a temp dir a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in
        fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
    {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("ZORG_E2E_KEEP_TMP").is_some() {
            eprintln!("keeping {}", self.path.display());
            return;
        }
        let _ = fs::remove_dir_all(&self.path);
    }
}

// ---------------------------------------------------------------------------------------------
// HTML pages of a built site
// ---------------------------------------------------------------------------------------------

/// Every HTML file under `dir`, as URL paths, sorted: `index.html` -> `/`,
/// `leidraad/index.html` -> `/leidraad/`, `a/b.html` -> `/a/b.html`. Characters that are not
/// safe in a URL path are percent-encoded.
pub fn html_pages(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &mut Vec<String>, out: &mut Vec<String>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ty = entry.file_type().expect("file type");
            if ty.is_dir() {
                rel.push(name);
                walk(&entry.path(), rel, out);
                rel.pop();
            } else if name.ends_with(".html") || name.ends_with(".htm") {
                let mut url = String::from("/");
                for seg in rel.iter() {
                    url.push_str(&percent_encode_segment(seg));
                    url.push('/');
                }
                if name != "index.html" {
                    url.push_str(&percent_encode_segment(&name));
                }
                out.push(url);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut Vec::new(), &mut out);
    out.sort();
    out
}

/// Characters a URL path segment may hold as they are (RFC 3986 `pchar`); the rest is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

fn percent_encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

// ---------------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------------

/// The tests' one HTTP client (ureq): plain HTTP, no proxy, no redirects followed, every status
/// as a response (not an error), no headers of its own beyond `Host` and `Content-Length`, and
/// a fresh connection for every request.
pub fn http_client() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .proxy(None)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .user_agent("")
            .accept("")
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    })
}

// ---------------------------------------------------------------------------------------------
// Static file server
// ---------------------------------------------------------------------------------------------

/// A small HTTP/1.1 file server for a directory, on `127.0.0.1` with an OS-assigned port.
///
/// - `GET`/`HEAD` only (others: 405); every response closes the connection.
/// - Every response carries [`zorgsite::site::beveiliging::KOPPEN`] (strict CSP and friends), so a
///   page that needs inline script or style fails the browser tests here as it would live.
/// - Requests are answered by the generator's one site responder
///   ([`zorgsite::site::responder`]), as `zorgsite serve` and the survey service answer them:
///   a directory URL ending in `/` serves its `index.html`; without the `/` it redirects (308)
///   to the URL with `/`, so relative links work as on a real host.
/// - Unknown paths, and paths that try to leave the directory, give 404 (the site's own
///   `404.html` when it has one).
///
/// The server runs on background threads and stops when the value is dropped.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
}

impl StaticServer {
    /// Starts serving `dir`. Panics if `dir` is not a directory or no port can be bound.
    pub fn start(dir: impl Into<PathBuf>) -> StaticServer {
        let dir: PathBuf = dir.into();
        assert!(
            dir.is_dir(),
            "StaticServer: {} is not a directory",
            dir.display()
        );
        let root = dir.canonicalize().expect("canonicalize served directory");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let accept_thread = {
            let stop = Arc::clone(&stop);
            let log = Arc::clone(&log);
            thread::Builder::new()
                .name(format!("static-server-{}", addr.port()))
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = conn else { continue };
                        let root = root.clone();
                        let log = Arc::clone(&log);
                        let _ = thread::Builder::new()
                            .name("static-server-conn".into())
                            .spawn(move || {
                                let _ = handle_connection(stream, &root, &log);
                            });
                    }
                })
                .expect("spawn server thread")
        };
        StaticServer {
            addr,
            stop,
            accept_thread: Some(accept_thread),
            log,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request served so far, as (path as requested, HTTP status).
    pub fn request_log(&self) -> Vec<(String, u16)> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept_thread.take() {
            let _ = t.join();
        }
    }
}

impl fmt::Debug for StaticServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticServer")
            .field("addr", &self.addr)
            .finish()
    }
}

fn handle_connection(
    stream: TcpStream,
    root: &Path,
    log: &Mutex<Vec<(String, u16)>>,
) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    if reader.by_ref().take(8192).read_line(&mut request_line)? == 0 {
        return Ok(());
    }
    // Read (and ignore) the headers, up to a sane limit.
    let mut header_bytes = 0usize;
    loop {
        let mut line = String::new();
        let n = reader.by_ref().take(8192).read_line(&mut line)?;
        header_bytes += n;
        if n == 0 || line == "\r\n" || line == "\n" || header_bytes > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    let response = respond(method, target, root);
    let status = response.status();
    log.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((target.to_string(), status.as_u16()));
    let mut stream = stream;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        response.body().len()
    );
    // Content-Type, Location, Allow, ETag: as the responder says; never cached here (tests
    // change files while the server runs), so its Cache-Control is replaced by `no-store`.
    for (name, value) in response.headers() {
        if name == "cache-control" {
            continue;
        }
        head.push_str(&format!(
            "{name}: {}\r\n",
            value.to_str().unwrap_or_default()
        ));
    }
    // The same security headers as the real servers, so browser tests run under the same CSP.
    for (name, value) in zorgsite::site::beveiliging::KOPPEN {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(response.body())?;
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

/// The served folder, read file by file as requests come in (a test may change it while the
/// server runs). Paths come checked from the responder; symlinks must stay inside the folder.
struct Folder {
    root: PathBuf,
}

impl Files for Folder {
    fn file(&self, key: &str) -> Option<Arc<SiteFile>> {
        let real = self.root.join(key).canonicalize().ok()?;
        if !real.starts_with(&self.root) || !real.is_file() {
            return None;
        }
        let bytes = fs::read(real).ok()?;
        Some(Arc::new(SiteFile::plain(Bytes::from(bytes))))
    }
}

/// The site's answer through the generator's one responder (request headers are ignored:
/// plain bodies, no 304); 400 for a target that is not a path.
fn respond(method: &str, target: &str, root: &Path) -> Response<Bytes> {
    let target = target.split('#').next().unwrap_or("");
    let (Ok(method), Ok(uri)) = (method.parse::<Method>(), target.parse::<Uri>()) else {
        return bad_request();
    };
    if !target.starts_with('/') {
        return bad_request();
    }
    let folder = Folder {
        root: root.to_path_buf(),
    };
    respond_plain(&folder, &method, &uri, &Default::default(), "")
}

fn bad_request() -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(b"Bad Request"));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

// ---------------------------------------------------------------------------------------------
// Node, npm and Chromium
// ---------------------------------------------------------------------------------------------

/// Path to Chromium: env `CHROMIUM`, else `/usr/bin/chromium`. Panics with install
/// instructions when it is not there: browser tests are never skipped silently.
pub fn chromium_path() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !path.is_file() {
        panic!(
            "\nChromium niet gevonden op {p} / Chromium not found at {p}.\n\
             De browsertests hebben Chromium nodig / The browser tests need Chromium:\n\
             \x20   sudo apt-get install chromium   (Debian/Ubuntu)\n\
             of zet / or set CHROMIUM=/pad/naar/chromium.\n",
            p = path.display()
        );
    }
    path
}

/// Makes sure `tests/browser/node_modules` matches `tests/browser/package-lock.json`, running
/// `npm ci` (with browser downloads switched off) when it does not. Safe to call from many
/// tests and test binaries at once: one process installs, the others wait on a file lock.
pub fn ensure_node_modules() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(install_node_modules);
}

const INSTALLED_MARKER: &str = ".zorg-e2e-installed-package-lock.json";

fn install_node_modules() {
    let dir = browser_dir();
    let lockfile = dir.join("package-lock.json");
    let wanted =
        fs::read(&lockfile).unwrap_or_else(|e| panic!("cannot read {}: {e}", lockfile.display()));
    let marker = dir.join("node_modules").join(INSTALLED_MARKER);
    let up_to_date = || fs::read(&marker).is_ok_and(|have| have == wanted);
    if up_to_date() {
        return;
    }

    // Cross-process lock (two test binaries may start at the same time).
    let lock_path = dir.join(".npm-install.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if up_to_date() {
        return; // another process installed while we waited; lock released on drop
    }

    eprintln!("e2e: npm ci in {} ...", dir.display());
    let started = Instant::now();
    let result = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .env("PUPPETEER_SKIP_DOWNLOAD", "true")
        .env("PUPPETEER_SKIP_CHROME_DOWNLOAD", "true")
        .env("PUPPETEER_SKIP_CHROME_HEADLESS_SHELL_DOWNLOAD", "true")
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .output();
    let output = match result {
        Ok(o) => o,
        Err(e) if e.kind() == io::ErrorKind::NotFound => panic!(
            "\nnpm niet gevonden / npm not found.\n\
             De browsertests hebben Node.js (>= 18) en npm nodig / The browser tests need \
             Node.js (>= 18) and npm:\n\
             \x20   sudo apt-get install nodejs npm   (Debian/Ubuntu)\n"
        ),
        Err(e) => panic!("cannot run npm: {e}"),
    };
    if !output.status.success() {
        panic!(
            "\n`npm ci` in {} mislukt / failed ({}).\n--- stdout ---\n{}\n--- stderr ---\n{}\n\
             Is het npm-register bereikbaar? / Can npm reach its registry?\n",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }
    fs::write(&marker, &wanted)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", marker.display()));
    eprintln!(
        "e2e: npm ci done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn node_timeout() -> Duration {
    std::env::var("ZORG_E2E_NODE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_NODE_TIMEOUT)
}

/// Runs `node <script> <args…>` and returns its output. `script` is a path relative to
/// `tests/browser/` (e.g. `"axe.mjs"`) or an absolute path.
///
/// Before running it installs the Node dependencies ([`ensure_node_modules`]) and checks for
/// Chromium ([`chromium_path`]), whose path the script gets in env `CHROMIUM`. Stdin is closed.
/// A script that runs longer than 20 minutes (env `ZORG_E2E_NODE_TIMEOUT_SECS`) is stopped;
/// its exit status is then non-zero and stderr says so.
pub fn run_node_script(script: &str, args: &[&str]) -> Output {
    ensure_node_modules();
    let chromium = chromium_path();
    let script_path = browser_dir().join(script);
    assert!(
        script_path.is_file(),
        "node script {} does not exist",
        script_path.display()
    );
    let spawned = Command::new("node")
        .arg(&script_path)
        .args(args)
        .current_dir(browser_dir())
        .env("CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => panic!(
            "\nnode niet gevonden / node not found.\n\
             Installeer Node.js (>= 18) / Install Node.js (>= 18):\n\
             \x20   sudo apt-get install nodejs npm   (Debian/Ubuntu)\n"
        ),
        Err(e) => panic!("cannot run node: {e}"),
    };
    let drain = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out_thread = drain(Box::new(child.stdout.take().expect("stdout")));
    let err_thread = drain(Box::new(child.stderr.take().expect("stderr")));

    let deadline = Instant::now() + node_timeout();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().expect("wait for node") {
            Some(status) => break status,
            None if Instant::now() >= deadline && !timed_out => {
                timed_out = true;
                // SIGTERM first: the scripts close Chromium on it.
                let _ = Command::new("kill")
                    .args(["-TERM", &child.id().to_string()])
                    .status();
                let grace = Instant::now() + Duration::from_secs(10);
                while Instant::now() < grace {
                    if child.try_wait().ok().flatten().is_some() {
                        break;
                    }
                    thread::sleep(Duration::from_millis(100));
                }
                let _ = child.kill();
            }
            None => thread::sleep(Duration::from_millis(50)),
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let mut stderr = err_thread.join().unwrap_or_default();
    if timed_out {
        stderr.extend_from_slice(
            format!(
                "\ne2e: node {script} stopped after {} s (ZORG_E2E_NODE_TIMEOUT_SECS)\n",
                node_timeout().as_secs()
            )
            .as_bytes(),
        );
    }
    Output {
        status: fix_status(status, timed_out),
        stdout,
        stderr,
    }
}

#[cfg(unix)]
fn fix_status(status: ExitStatus, timed_out: bool) -> ExitStatus {
    use std::os::unix::process::ExitStatusExt;
    if timed_out && status.success() {
        ExitStatus::from_raw(124 << 8)
    } else {
        status
    }
}

#[cfg(not(unix))]
fn fix_status(status: ExitStatus, _timed_out: bool) -> ExitStatus {
    status
}

// ---------------------------------------------------------------------------------------------
// axe
// ---------------------------------------------------------------------------------------------

/// Result of one run of `tests/browser/axe.mjs`.
#[derive(Debug, Clone)]
pub struct AxeOutcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// From the closing line `axe: N pages, M violations…`; `None` if the script did not get
    /// that far (crash, usage error).
    pub pages: Option<usize>,
    pub violations: Option<usize>,
}

impl AxeOutcome {
    /// True when the script exited 0: no violations and no other failures.
    pub fn passed(&self) -> bool {
        self.status.success()
    }

    /// Everything the script printed, for a test failure message.
    pub fn output(&self) -> String {
        let mut s = self.stdout.clone();
        if !self.stderr.trim().is_empty() {
            s.push_str("\n--- stderr ---\n");
            s.push_str(&self.stderr);
        }
        s
    }
}

/// Runs axe (WCAG 2.2 AA tags, mobile and desktop viewport) over `base_url` + each path.
pub fn run_axe(base_url: &str, paths: &[String]) -> AxeOutcome {
    run_axe_with(base_url, paths, &[])
}

/// As [`run_axe`], with extra arguments for `axe.mjs`, e.g. `&["--lang-check=nl"]`.
pub fn run_axe_with(base_url: &str, paths: &[String], extra_args: &[&str]) -> AxeOutcome {
    assert!(!paths.is_empty(), "run_axe: no paths given");
    let tmp = TempDir::new("axe-paths");
    let list = tmp.path().join("paths.txt");
    fs::write(&list, paths.join("\n")).expect("write paths file");
    let list_str = list.to_str().expect("temp path is UTF-8");
    let mut args = vec!["--base", base_url, "--paths-file", list_str];
    args.extend_from_slice(extra_args);
    let out = run_node_script("axe.mjs", &args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let (pages, violations) = parse_axe_summary(&stdout);
    AxeOutcome {
        status: out.status,
        stdout,
        stderr,
        pages,
        violations,
    }
}

fn parse_axe_summary(stdout: &str) -> (Option<usize>, Option<usize>) {
    let Some(line) = stdout.lines().rev().find(|l| l.starts_with("axe: ")) else {
        return (None, None);
    };
    let mut words = line["axe: ".len()..].split([' ', ',']);
    let pages = words.next().and_then(|w| w.parse().ok());
    let violations = words
        .find(|w| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty())
        .and_then(|w| w.parse().ok());
    (pages, violations)
}

// ---------------------------------------------------------------------------------------------
// Tests of the harness itself
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// A GET through the tests' client: (status, headers as `name: value` lines, body).
    fn http_get(server: &StaticServer, target: &str) -> (u16, String, String) {
        let mut response = http_client()
            .get(format!("{}{target}", server.base_url()))
            .call()
            .unwrap();
        let head: String = response
            .headers()
            .iter()
            .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or_default()))
            .collect();
        let body = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), head, body)
    }

    const GOOD_PAGE: &str = r#"<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Goede pagina</title><link rel="stylesheet" href="/stijl.css"></head>
<body><header><a href="/">Samen zorg dragen</a></header>
<main><h1>Welkom</h1><p>Een korte tekst.</p>
<img src="/stip.svg" alt="Groene stip" width="10" height="10"></main></body></html>"#;

    const BAD_PAGE: &str = r#"<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slechte pagina</title></head>
<body><main><h1>Slecht</h1><img src="/stip.svg"></main></body></html>"#;

    const EXTERNAL_PAGE: &str = r#"<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Extern</title><link rel="stylesheet" href="https://fonts.example.org/font.css"></head>
<body><main><h1>Extern</h1><p style="color: red">Rood</p><script>console.error("kapot")</script></main></body></html>"#;

    fn fixture() -> TempDir {
        let tmp = TempDir::new("fixture");
        let d = tmp.path();
        fs::create_dir_all(d.join("goed")).unwrap();
        fs::create_dir_all(d.join("slecht")).unwrap();
        fs::create_dir_all(d.join("met spatie")).unwrap();
        fs::write(d.join("index.html"), GOOD_PAGE).unwrap();
        fs::write(d.join("goed/index.html"), GOOD_PAGE).unwrap();
        fs::write(d.join("goed/ander.html"), GOOD_PAGE).unwrap();
        fs::write(d.join("met spatie/index.html"), GOOD_PAGE).unwrap();
        fs::write(d.join("slecht/index.html"), BAD_PAGE).unwrap();
        fs::write(d.join("extern.html"), EXTERNAL_PAGE).unwrap();
        fs::write(d.join("stijl.css"), "body { font-family: sans-serif; }").unwrap();
        fs::write(
            d.join("stip.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="5" fill="green"/></svg>"#,
        )
        .unwrap();
        tmp
    }

    #[test]
    fn workspace_root_holds_the_workspace() {
        let root = workspace_root();
        assert!(root.join("Cargo.toml").is_file());
        assert!(root.join("tests/browser/axe.mjs").is_file());
    }

    #[test]
    fn html_pages_lists_urls() {
        let tmp = fixture();
        assert_eq!(
            html_pages(tmp.path()),
            vec![
                "/",
                "/extern.html",
                "/goed/",
                "/goed/ander.html",
                "/met%20spatie/",
                "/slecht/"
            ]
        );
    }

    #[test]
    fn static_server_serves_files_dirs_and_404() {
        let tmp = fixture();
        let server = StaticServer::start(tmp.path());
        assert!(server.base_url().starts_with("http://127.0.0.1:"));

        let (status, head, body) = http_get(&server, "/");
        assert_eq!(status, 200);
        assert!(head.contains("text/html; charset=utf-8"), "{head}");
        assert_eq!(body, GOOD_PAGE);

        let (status, _, body) = http_get(&server, "/goed/?x=1");
        assert_eq!(status, 200);
        assert_eq!(body, GOOD_PAGE);

        let (status, head, _) = http_get(&server, "/goed?x=1");
        assert_eq!(status, 308);
        assert!(head.contains("location: /goed/?x=1"), "{head}");

        assert_eq!(http_get(&server, "/met%20spatie/").0, 200);
        let (status, head, _) = http_get(&server, "/stijl.css");
        assert_eq!(status, 200);
        assert!(head.contains("text/css"), "{head}");
        assert!(http_get(&server, "/stip.svg").1.contains("image/svg+xml"));

        assert_eq!(http_get(&server, "/bestaat-niet").0, 404);
        assert_eq!(http_get(&server, "/bestaat-niet/").0, 404);
        assert_eq!(http_get(&server, "/../Cargo.toml").0, 404);
        assert_eq!(http_get(&server, "/%2e%2e/Cargo.toml").0, 404);
        assert_eq!(http_get(&server, "/%2E%2E%2Fetc%2Fpasswd").0, 404);
        assert_eq!(http_get(&server, "/slecht/%00").0, 404);
        // A directory without index.html.
        fs::create_dir_all(tmp.path().join("leeg")).unwrap();
        assert_eq!(http_get(&server, "/leeg/").0, 404);

        let log = server.request_log();
        assert!(log.contains(&("/".to_string(), 200)), "{log:?}");
        assert!(log.contains(&("/bestaat-niet".to_string(), 404)), "{log:?}");

        let addr = server.addr();
        drop(server);
        // Stopped: new connections are refused (or at least not answered).
        let answered = TcpStream::connect(addr).is_ok_and(|mut s| {
            let _ = s.write_all(b"GET / HTTP/1.1\r\n\r\n");
            let mut buf = String::new();
            s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            s.read_to_string(&mut buf).is_ok() && !buf.is_empty()
        });
        assert!(!answered, "server still answers after drop");
    }

    #[test]
    fn parse_summary_line() {
        let out = "ok    /\naxe: 12 pages, 3 violations (5 elements), 0 other failures; …\n";
        assert_eq!(parse_axe_summary(out), (Some(12), Some(3)));
        assert_eq!(parse_axe_summary("crash"), (None, None));
    }

    /// The harness must be able to pass: clean pages give exit 0 and 0 violations.
    #[test]
    fn axe_passes_good_pages() {
        let tmp = fixture();
        let server = StaticServer::start(tmp.path());
        let paths: Vec<String> = ["/", "/goed/", "/goed/ander.html", "/met%20spatie/"]
            .map(String::from)
            .to_vec();
        let outcome = run_axe_with(&server.base_url(), &paths, &["--lang-check"]);
        assert!(
            outcome.passed(),
            "axe failed on good pages:\n{}",
            outcome.output()
        );
        assert_eq!(outcome.pages, Some(4), "{}", outcome.output());
        assert_eq!(outcome.violations, Some(0), "{}", outcome.output());
        assert!(
            outcome.stdout.contains("ok    /goed/"),
            "{}",
            outcome.output()
        );
        // Each page was loaded at both viewports.
        let hits = server
            .request_log()
            .iter()
            .filter(|(p, _)| p == "/goed/ander.html")
            .count();
        assert_eq!(hits, 2, "{:?}", server.request_log());
    }

    /// The harness must be able to fail: a missing alt text, a 404 page, an external request
    /// and a Content-Security-Policy violation (a console error) each make it fail, and it says
    /// which.
    #[test]
    fn axe_fails_bad_pages() {
        let tmp = fixture();
        let server = StaticServer::start(tmp.path());
        let paths: Vec<String> = ["/", "/slecht/", "/bestaat-niet.html", "/extern.html"]
            .map(String::from)
            .to_vec();
        let outcome = run_axe(&server.base_url(), &paths);
        let out = outcome.output();
        assert!(!outcome.passed(), "axe passed bad pages:\n{out}");
        assert_eq!(outcome.status.code(), Some(1), "{out}");
        assert_eq!(outcome.pages, Some(4), "{out}");
        // image-alt on /slecht/, at both viewports.
        assert_eq!(outcome.violations, Some(2), "{out}");
        assert!(out.contains("ok    /\n"), "{out}");
        assert!(out.contains("FAIL  /slecht/"), "{out}");
        assert!(out.contains("x image-alt (critical)"), "{out}");
        assert!(out.contains(r#"<img src="/stip.svg">"#), "{out}");
        assert!(out.contains("page answered HTTP 404"), "{out}");
        // The CSP now stops the external stylesheet before the harness's own request filter.
        assert!(
            out.contains("external request blocked: https://fonts.example.org/font.css")
                || out.contains("stylesheet 'https://fonts.example.org/font.css' violates"),
            "{out}"
        );
        // The CSP blocks the inline script (so it never logs) and the style attribute.
        assert!(!out.contains("console error: kapot"), "{out}");
        assert!(
            out.contains("console error: Executing inline script violates")
                || out.contains("console error: Refused to execute inline script"),
            "{out}"
        );
        assert!(out.contains("inline style"), "{out}");
    }
}
