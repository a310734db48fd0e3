//! `zorgsite poster --pdf <file>`: the poster page printed to an A3 PDF by headless Chromium.
//!
//! Why Chromium and not a pure-Rust PDF writer (krilla, typst): the poster is an HTML page with
//! a print stylesheet, so the web page, the printout from any browser ("Afdrukken → Opslaan als
//! PDF") and this PDF come from one design and cannot drift apart. Chromium lays out and wraps
//! the text, embeds the fonts, keeps the text selectable and the pictograms vector (SVG), and
//! writes a tagged PDF. A pure-Rust route would need a second layout of the same poster (text
//! wrapping, fonts, shaping) that we would have to keep in step with the CSS by hand. Chromium
//! (or Chrome/Edge) is on nearly every school laptop and in CI; without it the command says how
//! to get the same PDF from an ordinary browser.
//!
//! Steps: build the site in memory with a loopback base URL, serve it in-process on
//! 127.0.0.1:<free port>, let Chromium print the poster page with a fresh profile and no
//! network beyond loopback, check the result is a PDF, and move it into place atomically.

use std::collections::BTreeMap;
use std::fmt;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::diagnostics::Diagnostic;
use crate::site::responder::{InMemorySite, respond_plain};
use crate::site::{BuildOptions, build};

/// The poster page carries this attribute, so the printer finds it wherever it lives.
pub const POSTER_MARKER: &str = "id=\"poster\"";

/// How long Chromium may take to print before we give up.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Why no PDF was written.
#[derive(Debug)]
pub enum PdfError {
    /// The site does not build: the usual located diagnostics.
    Build(Vec<Diagnostic>),
    /// `data/poster.toml` does not exist.
    NoPosterData(PathBuf),
    /// No page uses the poster template.
    NoPosterPage,
    /// No poster page in the asked language; the languages that have one.
    NoPosterInLanguage { taal: String, talen: Vec<String> },
    /// No Chromium, Chrome or Edge was found (or `CHROMIUM` points nowhere).
    NoChromium(Option<String>),
    /// Chromium ran but gave no PDF.
    Chromium(String),
    /// The output could not be written.
    Io(String),
}

const BROWSER_ROUTE: &str = "Zonder Chromium kan het ook: start `cargo run -p zorgsite -- serve`, \
     open http://127.0.0.1:1111/poster/ in je browser en kies Afdrukken → Opslaan als PDF \
     (papier A3, staand). De PDF ziet er hetzelfde uit.";

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Build(errors) => write!(
                f,
                "fout: de site kon niet gebouwd worden ({} {}); er is geen PDF gemaakt",
                errors.len(),
                if errors.len() == 1 { "fout" } else { "fouten" }
            ),
            PdfError::NoPosterData(path) => write!(
                f,
                "{}: fout: dit bestand bestaat niet, dus er is geen poster — maak het aan \
                 (kijk naar het voorbeeld van Basisschool De Linde in content/data/poster.toml)",
                path.display()
            ),
            PdfError::NoPosterPage => write!(
                f,
                "fout: geen pagina toont de poster — maak content/poster.md met in de kop \
                 template = \"poster.html\""
            ),
            PdfError::NoPosterInLanguage { taal, talen } => write!(
                f,
                "fout: er is geen poster in de taal `{taal}` — maak content/poster.{taal}.md \
                 (een vertaling van content/poster.md) en data/poster.{taal}.toml; een poster \
                 is er nu in: {}",
                talen.join(", ")
            ),
            PdfError::NoChromium(reason) => {
                write!(f, "fout: ")?;
                match reason {
                    Some(reason) => write!(f, "{reason}")?,
                    None => write!(
                        f,
                        "geen Chromium, Google Chrome of Microsoft Edge gevonden om de PDF te maken"
                    )?,
                }
                write!(
                    f,
                    " — installeer Chromium (Debian/Ubuntu: sudo apt-get install chromium), of \
                     zet de omgevingsvariabele CHROMIUM op het programma (bv. \
                     CHROMIUM=/usr/bin/chromium). {BROWSER_ROUTE}"
                )
            }
            PdfError::Chromium(detail) => write!(
                f,
                "fout: Chromium heeft geen PDF gemaakt ({detail}) — probeer het opnieuw. {BROWSER_ROUTE}"
            ),
            PdfError::Io(detail) => write!(f, "fout: {detail}"),
        }
    }
}

/// Where the PDF came from, for the success message.
#[derive(Debug, Clone)]
pub struct Printed {
    pub page: String,
    pub browser: PathBuf,
    pub bytes: u64,
}

/// A free port on 127.0.0.1 for [`print_page`] (bind it before building, when the site needs
/// its own address).
pub fn loopback() -> Result<TcpListener, PdfError> {
    TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| PdfError::Io(format!("kan geen poort openen op 127.0.0.1 ({e})")))
}

/// Builds the site, prints its poster page in language `taal` (default: the site's default
/// language) to `out` (A3, one page) and returns what it did.
pub fn write_pdf(
    options: &BuildOptions,
    out: &Path,
    taal: Option<&str>,
) -> Result<Printed, PdfError> {
    let data = options.root.join(crate::model::poster::FILE);
    if !data.exists() {
        return Err(PdfError::NoPosterData(crate::model::display(
            &options.root,
            crate::model::poster::FILE,
        )));
    }
    let listener = loopback()?;
    let port = listener
        .local_addr()
        .map_err(|e| PdfError::Io(e.to_string()))?
        .port();
    let mut options = options.clone();
    options.base_url = Some(format!("http://127.0.0.1:{port}"));
    options.live_reload = false;
    let site = build(&options).map_err(PdfError::Build)?;
    let page = poster_page(&site.files, taal).ok_or_else(|| match taal {
        Some(taal) if poster_page(&site.files, None).is_some() => PdfError::NoPosterInLanguage {
            taal: taal.to_string(),
            talen: poster_languages(&site.files),
        },
        _ => PdfError::NoPosterPage,
    })?;
    print_page(listener, site.files, &page, out)
}

/// Prints one page of an in-memory site (`files`: relative path → bytes) to `out` with headless
/// Chromium, served on `listener` (loopback) for the time of the print; the page's own `@page`
/// size wins. The PDF is checked and moved into place atomically. Used by the poster, by
/// `zorgenquete rapport --pdf` (the meeting report) and by `zorgenquete papier` (the paper
/// questionnaire), so all three print the one way.
pub fn print_page(
    listener: TcpListener,
    files: BTreeMap<String, Vec<u8>>,
    page: &str,
    out: &Path,
) -> Result<Printed, PdfError> {
    let port = listener
        .local_addr()
        .map_err(|e| PdfError::Io(e.to_string()))?
        .port();
    let page = page.to_string();
    let browser = find_chromium()?;

    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(PdfError::Io(format!(
            "de map {} bestaat niet — maak ze eerst aan of kies een andere plaats voor de PDF",
            parent.display()
        )));
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "poster.pdf".to_string());
    let unique = unique_suffix();
    let temp_pdf = parent.join(format!(".{name}.{unique}.tmp"));
    let profile = std::env::temp_dir().join(format!("zorgsite-chromium-{unique}"));

    let server = Server::start(listener, files)?;
    let url = format!("http://127.0.0.1:{port}{page}");
    let result = print(&browser, &url, &temp_pdf, &profile);
    drop(server);
    let _ = std::fs::remove_dir_all(&profile);
    let finished = result.and_then(|()| {
        let bytes = std::fs::read(&temp_pdf)
            .map_err(|e| PdfError::Chromium(format!("geen uitvoer: {e}")))?;
        if !bytes.starts_with(b"%PDF-") {
            return Err(PdfError::Chromium("de uitvoer is geen PDF".to_string()));
        }
        std::fs::rename(&temp_pdf, out).map_err(|e| {
            PdfError::Io(format!(
                "kan {} niet schrijven ({e}) — is het bestand nog open in een ander programma?",
                out.display()
            ))
        })?;
        Ok(bytes.len() as u64)
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&temp_pdf);
    }
    Ok(Printed {
        page,
        browser,
        bytes: finished?,
    })
}

/// The poster pages: URL path of each file and its `<html lang>`.
fn poster_pages(files: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, &str)> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html") && path.as_str() != "404.html")
        .filter_map(|(path, bytes)| {
            let html = std::str::from_utf8(bytes).ok()?;
            if !html.contains(POSTER_MARKER) {
                return None;
            }
            let lang = html
                .split_once("<html lang=\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map_or("", |(lang, _)| lang);
            Some((path, lang))
        })
}

/// The languages with a poster page, sorted.
fn poster_languages(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut talen: Vec<String> = poster_pages(files).map(|(_, l)| l.to_string()).collect();
    talen.sort();
    talen.dedup();
    talen
}

/// URL path of the page that shows the poster in language `taal` (`<html lang>`), or without
/// a language the least deep one (`/poster/`), so the default language wins over its
/// translations (`/ar/poster/`).
pub fn poster_page(files: &BTreeMap<String, Vec<u8>>, taal: Option<&str>) -> Option<String> {
    poster_pages(files)
        .filter(|(_, lang)| taal.is_none_or(|t| *lang == t))
        .min_by_key(|(path, _)| (path.matches('/').count(), path.as_str()))
        .map(|(path, _)| match path.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{path}"),
        })
}

/// Program names tried on `PATH`, in order.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "chrome",
    "msedge",
];

/// Where the browsers install themselves outside `PATH` (macOS, Windows).
const KNOWN_PATHS: &[&str] = &[
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
];

/// The browser to print with: `CHROMIUM` when set, else the first candidate found.
pub fn find_chromium() -> Result<PathBuf, PdfError> {
    if let Some(value) = std::env::var_os("CHROMIUM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        return if path.is_file() {
            Ok(path)
        } else if let Some(found) = on_path(&value.to_string_lossy()) {
            Ok(found)
        } else {
            Err(PdfError::NoChromium(Some(format!(
                "de omgevingsvariabele CHROMIUM wijst naar {}, maar dat programma bestaat niet",
                path.display()
            ))))
        };
    }
    CANDIDATES
        .iter()
        .find_map(|name| on_path(name))
        .or_else(|| KNOWN_PATHS.iter().map(PathBuf::from).find(|p| p.is_file()))
        .ok_or(PdfError::NoChromium(None))
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        [name.to_string(), format!("{name}.exe")]
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Runs headless Chromium once: a fresh profile, no background traffic, no header or footer.
fn print(browser: &Path, url: &str, pdf: &Path, profile: &Path) -> Result<(), PdfError> {
    std::fs::create_dir_all(profile)
        .map_err(|e| PdfError::Io(format!("kan geen tijdelijke map maken ({e})")))?;
    let log_path = profile.join("chromium.log");
    let log = std::fs::File::create(&log_path).map_err(|e| PdfError::Io(e.to_string()))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            "--run-all-compositor-stages-before-draw",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| {
            PdfError::NoChromium(Some(format!(
                "{} kan niet gestart worden ({e})",
                browser.display()
            )))
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Chromium(format!(
                    "na {} seconden nog niet klaar",
                    TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(PdfError::Chromium(e.to_string())),
        }
    };
    if status.success() && pdf.is_file() {
        return Ok(());
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let last = log
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("geen melding");
    Err(PdfError::Chromium(format!("{status}; {last}")))
}

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// The built site served from memory on loopback, until dropped.
struct Server {
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    fn start(listener: TcpListener, files: BTreeMap<String, Vec<u8>>) -> Result<Server, PdfError> {
        let io = |e: std::io::Error| PdfError::Io(format!("kan de site niet serveren ({e})"));
        listener.set_nonblocking(true).map_err(io)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(io)?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(io)?
        };
        let app = Router::new()
            .fallback(serve_file)
            .with_state(Arc::new(InMemorySite::new(files)));
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Server {
            runtime: Some(runtime),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn serve_file(
    State(site): State<Arc<InMemorySite>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    respond_plain(site.as_ref(), &method, &uri, &headers, "")
        .map(Body::from)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_page_with_the_poster_marker() {
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"<main></main>".to_vec());
        files.insert(
            "poster/index.html".to_string(),
            b"<article class=\"poster\" id=\"poster\">".to_vec(),
        );
        files.insert(
            "ar/poster/index.html".to_string(),
            b"<html lang=\"ar\" dir=\"rtl\"><article class=\"poster\" id=\"poster\">".to_vec(),
        );
        files.insert("style.css".to_string(), b"#poster{}".to_vec());
        assert_eq!(poster_page(&files, None).as_deref(), Some("/poster/"));
        assert_eq!(
            poster_page(&files, Some("ar")).as_deref(),
            Some("/ar/poster/")
        );
        assert_eq!(poster_page(&files, Some("fr")), None);
        assert_eq!(poster_languages(&files), ["", "ar"]);
        files.remove("poster/index.html");
        files.remove("ar/poster/index.html");
        assert_eq!(poster_page(&files, None), None);
    }

    #[test]
    fn missing_browser_message_names_both_ways_out() {
        let shown = PdfError::NoChromium(None).to_string();
        assert!(shown.contains("apt-get install chromium"), "{shown}");
        assert!(shown.contains("CHROMIUM"), "{shown}");
        assert!(shown.contains("Afdrukken → Opslaan als PDF"), "{shown}");
        assert!(shown.contains("/poster/"), "{shown}");
    }
}
