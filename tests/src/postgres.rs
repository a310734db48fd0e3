//! A throwaway PostgreSQL server for tests and benchmarks, and one fresh database per test.
//!
//! [`server`] starts one server per test process, the first time a test asks for it: `initdb`
//! into a [`TempDir`], then `postgres` itself on a free loopback port with its socket in the data
//! folder. PostgreSQL refuses to run as root; as root (CI) both run as the `postgres` user
//! (`setpriv`), and the folder is handed to that user. The server stops and its folder is
//! removed when the test process exits (`atexit`); if the process is killed instead, the server
//! gets SIGQUIT from the kernel (`setpriv --pdeathsig`) and the next test run removes the folder
//! it left (folders of processes that no longer exist).
//!
//! Without PostgreSQL a test that needs it prints that it did not run ([`server`] returns
//! `None`); with `CI=true` a missing PostgreSQL is a failure (panic), never a skip.
//!
//! The test server runs with `fsync = off`: tests check what the service does with an
//! acknowledged answer (it is committed), not PostgreSQL's crash safety. The benchmark starts
//! its own server with [`Server::start`] and `fsync = on`.

use std::fs;
use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::TempDir;

/// Settings of a server to start.
#[derive(Debug, Clone)]
pub struct Opties {
    /// `fsync = on`: what a real server does (benchmarks); off for tests.
    pub fsync: bool,
    /// `max_connections`.
    pub max_verbindingen: u32,
    /// More server settings (`name`, `value`), given after the defaults above, so they win
    /// (a test that needs `track_commit_timestamp = on` to see the service refuse it).
    pub instellingen: Vec<(String, String)>,
}

impl Default for Opties {
    fn default() -> Self {
        Opties {
            fsync: false,
            max_verbindingen: 200,
            instellingen: Vec::new(),
        }
    }
}

/// A running throwaway server. Dropping it stops the server and removes its folder (the
/// shared one from [`server`] is never dropped: it is stopped at process exit).
pub struct Server {
    bin: PathBuf,
    port: u16,
    pid: u32,
    /// Dropped last: the data folder and the log.
    map: Option<TempDir>,
}

/// The binaries' folder: env `ZORG_PG_BIN`, else the newest `/usr/lib/postgresql/<v>/bin`
/// (Debian, Ubuntu), else `pg_config --bindir`, else whatever folder on `PATH` has `initdb`.
pub fn bin_map() -> Option<PathBuf> {
    let heeft = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    if let Some(d) = std::env::var_os("ZORG_PG_BIN").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d)).filter(|d| heeft(d));
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.split('.').next()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| heeft(d))
        .collect();
    debian.sort();
    if let Some((_, d)) = debian.pop() {
        return Some(d);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if heeft(&d) {
            return Some(d);
        }
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| heeft(d))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The server shared by every test of this process, started on first use; `None` (with a
/// line on stderr naming `test`) when PostgreSQL is not installed. Panics under `CI=true`
/// when it is missing or does not start.
pub fn server(test: &str) -> Option<&'static Server> {
    static GEDEELD: OnceLock<Result<Server, String>> = OnceLock::new();
    let gedeeld = GEDEELD.get_or_init(|| {
        let s = Server::start(&Opties::default())?;
        stop_bij_afsluiten(&s);
        Ok(s)
    });
    match gedeeld {
        Ok(s) => Some(s),
        Err(e) if in_ci() => panic!(
            "\nPostgreSQL is nodig in CI (CI=true) / PostgreSQL is required in CI: {e}\n\
             Installeer / install: sudo apt-get install postgresql   (of zet ZORG_PG_BIN)\n"
        ),
        Err(e) => {
            eprintln!(
                "{test}: NIET GELOPEN / DID NOT RUN (PostgreSQL): {e}\n\
                 \x20   installeer postgresql of zet ZORG_PG_BIN=/pad/naar/bin om deze test te draaien"
            );
            None
        }
    }
}

/// The pid of the shared server, for the exit handler.
static GEDEELDE_PID: AtomicI32 = AtomicI32::new(0);
/// Its folder, for the exit handler.
static GEDEELDE_MAP: OnceLock<PathBuf> = OnceLock::new();

fn stop_bij_afsluiten(s: &Server) {
    GEDEELDE_PID.store(s.pid as i32, Ordering::SeqCst);
    if let Some(map) = &s.map {
        let _ = GEDEELDE_MAP.set(map.path().to_path_buf());
    }
    extern "C" fn bij_afsluiten() {
        let pid = GEDEELDE_PID.swap(0, Ordering::SeqCst);
        if pid > 0 {
            stop_pid(pid);
        }
        if let Some(map) = GEDEELDE_MAP.get()
            && std::env::var_os("ZORG_E2E_KEEP_TMP").is_none()
        {
            let _ = fs::remove_dir_all(map);
        }
    }
    // SAFETY: registering a plain `extern "C"` function without arguments.
    unsafe {
        libc::atexit(bij_afsluiten);
    }
}

/// Immediate shutdown (SIGQUIT: the data is thrown away anyway), then reap the process.
fn stop_pid(pid: i32) {
    // SAFETY: signalling and reaping our own child process.
    unsafe {
        libc::kill(pid, libc::SIGQUIT);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
    }
}

/// Who the server runs as: `None` for the current user, or the `postgres` account when we are
/// root (uid and gid).
fn als_postgres() -> Result<Option<(u32, u32)>, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let id = |vlag: &str| -> Result<u32, String> {
        let out = Command::new("id")
            .args([vlag, "postgres"])
            .output()
            .map_err(|e| format!("`id` niet uitvoerbaar: {e}"))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| {
                "als root is de gebruiker `postgres` nodig (PostgreSQL draait niet als root)"
                    .to_string()
            })
    };
    Ok(Some((id("-u")?, id("-g")?)))
}

/// `setpriv` in front of a PostgreSQL binary: as `postgres` when root, and with a signal when
/// the thread that started it goes away.
fn commando(bin: &Path, programma: &str, als: Option<(u32, u32)>, doodsignaal: bool) -> Command {
    let mut c = Command::new("setpriv");
    if let Some((uid, gid)) = als {
        c.arg(format!("--reuid={uid}"))
            .arg(format!("--regid={gid}"))
            .arg("--clear-groups");
    }
    if doodsignaal {
        c.arg("--pdeathsig=QUIT");
    }
    c.arg("--").arg(bin.join(programma));
    c
}

fn vrije_poort() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("geen vrije poort: {e}"))
}

/// Removes the folders that earlier test processes left (killed before their exit handler).
fn ruim_oude_mappen_op() {
    let Ok(lijst) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in lijst.flatten() {
        let naam = e.file_name();
        let Some(rest) = naam.to_str().and_then(|n| n.strip_prefix("zorg-e2e-pg-")) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

impl Server {
    /// Starts a new server (initdb + postgres). Its postmaster is started from a thread that
    /// lives as long as the process, so the kernel's parent-death signal only fires when the
    /// process ends.
    pub fn start(opties: &Opties) -> Result<Server, String> {
        let bin = bin_map().ok_or("geen PostgreSQL gevonden (initdb en postgres)")?;
        ruim_oude_mappen_op();
        let als = als_postgres()?;
        let map = TempDir::new("pg");
        let data = map.path().join("data");
        if let Some((uid, gid)) = als {
            std::os::unix::fs::chown(map.path(), Some(uid), Some(gid)).map_err(|e| {
                format!("kan {} niet aan postgres geven: {e}", map.path().display())
            })?;
        }
        let out = commando(&bin, "initdb", als, false)
            .arg("-D")
            .arg(&data)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
                "--no-instructions",
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("initdb niet uitvoerbaar: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb mislukte: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let log = map.path().join("postgres.log");
        let mut laatste_fout = String::new();
        // A port can be taken between choosing and binding: try a few.
        for _ in 0..5 {
            let port = vrije_poort()?;
            let pid = start_postmaster(&bin, als, &data, &log, port, opties)?;
            match wacht_tot_klaar(&bin, port, pid) {
                Ok(()) => {
                    return Ok(Server {
                        bin,
                        port,
                        pid,
                        map: Some(map),
                    });
                }
                Err(e) => {
                    stop_pid(pid as i32);
                    laatste_fout = format!("{e}\n{}", fs::read_to_string(&log).unwrap_or_default());
                }
            }
        }
        Err(format!("postgres startte niet: {laatste_fout}"))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A PostgreSQL binary of this server's version (`psql`, `pg_dump`, …).
    pub fn bin(&self, programma: &str) -> PathBuf {
        self.bin.join(programma)
    }

    /// The connection string of database `naam`.
    pub fn url(&self, naam: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{naam}", self.port)
    }

    /// `psql` on database `naam` with one SQL text: stdout (unaligned, tuples only).
    pub fn psql(&self, naam: &str, sql: &str) -> Result<String, String> {
        let out = self.psql_output(naam, &["-c", sql])?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// `psql` with arguments of our own (`-f file`, `-c sql`); the raw output.
    pub fn psql_output(&self, naam: &str, args: &[&str]) -> Result<Output, String> {
        Command::new(self.bin("psql"))
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-U", "postgres", "-d", naam])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("psql niet uitvoerbaar: {e}"))
    }

    /// A new, empty database, dropped again (with its connections) when the returned value goes.
    pub fn databank(&self) -> Databank<'_> {
        static TELLER: AtomicU64 = AtomicU64::new(0);
        let naam = format!(
            "zorg_{}_{}",
            std::process::id(),
            TELLER.fetch_add(1, Ordering::Relaxed)
        );
        self.psql("postgres", &format!("CREATE DATABASE {naam}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {naam}: {e}"));
        Databank { server: self, naam }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        stop_pid(self.pid as i32);
        drop(self.map.take());
    }
}

fn start_postmaster(
    bin: &Path,
    als: Option<(u32, u32)>,
    data: &Path,
    log: &Path,
    port: u16,
    opties: &Opties,
) -> Result<u32, String> {
    let logbestand = fs::File::create(log).map_err(|e| format!("log: {e}"))?;
    let fout = logbestand.try_clone().map_err(|e| format!("log: {e}"))?;
    let mut cmd = commando(bin, "postgres", als, true);
    cmd.arg("-D")
        .arg(data)
        .arg("-p")
        .arg(port.to_string())
        .arg("-k")
        .arg(data)
        .args(["-c", "listen_addresses=127.0.0.1"])
        .arg("-c")
        .arg(format!("fsync={}", if opties.fsync { "on" } else { "off" }))
        .arg("-c")
        .arg(format!(
            "full_page_writes={}",
            if opties.fsync { "on" } else { "off" }
        ))
        .arg("-c")
        .arg(format!("max_connections={}", opties.max_verbindingen))
        .args([
            "-c",
            "synchronous_commit=on",
            "-c",
            "track_commit_timestamp=off",
        ]);
    for (naam, waarde) in &opties.instellingen {
        cmd.arg("-c").arg(format!("{naam}={waarde}"));
    }
    cmd.stdin(Stdio::null()).stdout(logbestand).stderr(fout);
    // The parent-death signal follows the *thread* that spawned the child: spawn from a thread
    // that never ends.
    let (tx, rx) = std::sync::mpsc::channel::<io::Result<Child>>();
    std::thread::Builder::new()
        .name("e2e-postgres".into())
        .spawn(move || {
            let _ = tx.send(cmd.spawn());
            loop {
                std::thread::park();
            }
        })
        .map_err(|e| format!("thread: {e}"))?;
    let child = rx
        .recv()
        .map_err(|e| format!("thread: {e}"))?
        .map_err(|e| format!("postgres niet uitvoerbaar (setpriv nodig): {e}"))?;
    // The child is reaped by pid (stop_pid); std's handle is not needed any more.
    let pid = child.id();
    std::mem::forget(child);
    Ok(pid)
}

fn wacht_tot_klaar(bin: &Path, port: u16, pid: u32) -> Result<(), String> {
    let einde = Instant::now() + Duration::from_secs(60);
    loop {
        let mut status = 0;
        // SAFETY: non-blocking check whether our own child has exited.
        if unsafe { libc::waitpid(pid as i32, &mut status, libc::WNOHANG) } == pid as i32 {
            return Err("postgres stopte meteen".into());
        }
        let klaar = Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-d", "postgres", "-U", "postgres"])
            .arg("-p")
            .arg(port.to_string())
            .status()
            .is_ok_and(|s| s.success());
        if klaar {
            return Ok(());
        }
        if Instant::now() > einde {
            return Err("postgres werd niet klaar binnen 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One database of a server; dropped (with its connections ended) when this value goes.
pub struct Databank<'s> {
    server: &'s Server,
    naam: String,
}

impl Databank<'_> {
    pub fn naam(&self) -> &str {
        &self.naam
    }

    /// `postgres://postgres@127.0.0.1:<port>/<naam>`.
    pub fn url(&self) -> String {
        self.server.url(&self.naam)
    }

    pub fn server(&self) -> &Server {
        self.server
    }

    /// Runs SQL with `psql`; the output (unaligned, without headers). Panics on an error.
    pub fn sql(&self, sql: &str) -> String {
        self.server
            .psql(&self.naam, sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The single number a check query returns (`SELECT count(*) …`).
    pub fn getal(&self, sql: &str) -> i64 {
        let uit = self.sql(sql);
        uit.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{sql}: geen getal maar {uit:?}"))
    }
}

impl Drop for Databank<'_> {
    fn drop(&mut self) {
        if std::env::var_os("ZORG_E2E_KEEP_TMP").is_some() {
            eprintln!("databank {} blijft bestaan", self.naam);
            return;
        }
        let _ = self.server.psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.naam),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_gives_fresh_databases_and_drops_them() {
        let Some(s) = server("a_server_gives_fresh_databases_and_drops_them") else {
            return;
        };
        let naam = {
            let db = s.databank();
            db.sql("CREATE TABLE t (x integer); INSERT INTO t VALUES (1), (2)");
            assert_eq!(db.getal("SELECT count(*) FROM t"), 2);
            assert_eq!(
                db.sql("SHOW track_commit_timestamp").trim(),
                "off",
                "the harness never records commit times"
            );
            db.naam().to_string()
        };
        let over = s
            .psql(
                "postgres",
                &format!("SELECT count(*) FROM pg_database WHERE datname = '{naam}'"),
            )
            .unwrap();
        assert_eq!(over.trim(), "0", "the database is dropped with its value");
    }
}
