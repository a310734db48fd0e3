//! Shared helpers for the survey tests: build and run the real `zorgenquete` binary on loopback
//! with a SQLite file in a temp dir or a fresh PostgreSQL database ([`Engine`],
//! [`op_elke_engine!`]), talk plain HTTP/1.1 to it, and look inside the database with the same
//! check SQL on either engine ([`Db`]).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use e2e::TempDir;

/// The workspace root, as seen when this test was compiled (not through the `e2e` library, so a
/// library built in another checkout sharing the target directory cannot point elsewhere).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A script in `tests/browser/`, as an absolute path.
pub fn browser_script(naam: &str) -> String {
    workspace_root()
        .join("tests")
        .join("browser")
        .join(naam)
        .to_string_lossy()
        .into_owned()
}

/// The `zorgenquete` binary, built once per test process (`cargo build -p zorgenquete`), in the
/// same profile as this test.
pub fn binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("current exe");
        // target/<profile>/deps/<test> → target/<profile>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test binary lives in target/<profile>/deps")
            .to_path_buf();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", "zorgenquete", "--bin", "zorgenquete"])
            .current_dir(workspace_root());
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "cargo build -p zorgenquete failed");
        let bin = profile_dir.join("zorgenquete");
        assert!(bin.is_file(), "{} not found after build", bin.display());
        bin
    })
    .clone()
}

/// Runs a CLI subcommand; returns (success, stdout, stderr).
pub fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(binary())
        .args(args)
        .current_dir(workspace_root())
        .stdin(Stdio::null())
        .output()
        .expect("run zorgenquete");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `zorgenquete <args…> --db <db> --root <root>`: a command on one database and content folder;
/// (success, stdout, stderr).
pub fn cli_on(db: &Path, root: &Path, args: &[&str]) -> (bool, String, String) {
    let plaatsen = [
        "--db",
        db.to_str().expect("utf-8 path"),
        "--root",
        root.to_str().expect("utf-8 path"),
    ];
    cli(&[args, &plaatsen].concat())
}

/// `zorgenquete serve` on a content folder that should stop start-up: (started, stdout,
/// stderr). Listens on a free port if it does start, so the caller must expect failure.
pub fn serve_op(root: &Path, db: &Path) -> (bool, String, String) {
    cli_on(db, root, &["serve", "--bind", "127.0.0.1:0"])
}

/// `zorgenquete periode open <vragenlijst> <naam> [--uitgenodigd N]`, which must succeed.
pub fn open_periode(
    db: &Path,
    root: &Path,
    vragenlijst: &str,
    naam: &str,
    uitgenodigd: Option<u32>,
) {
    let aantal = uitgenodigd.map(|n| n.to_string());
    let mut args = vec!["periode", "open", vragenlijst, naam];
    if let Some(aantal) = &aantal {
        args.extend(["--uitgenodigd", aantal]);
    }
    let (ok, out, err) = cli_on(db, root, &args);
    assert!(ok, "periode open {vragenlijst} {naam}: {out}{err}");
}

/// `zorgenquete periode sluit <vragenlijst> <naam>`, which must succeed.
pub fn close_periode(db: &Path, vragenlijst: &str, naam: &str) {
    let db = db.to_str().expect("utf-8 path");
    let (ok, out, err) = cli(&["periode", "sluit", vragenlijst, naam, "--db", db]);
    assert!(ok, "periode sluit {vragenlijst} {naam}: {out}{err}");
}

/// Which storage engine a test runs on: a SQLite file in the test's folder, or a fresh database
/// on the test harness's throwaway PostgreSQL server (`e2e::postgres`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Whether a PostgreSQL test named `test` can run: `false` (with "NIET GELOPEN" on stderr)
    /// without PostgreSQL; a panic under `CI=true` (the harness's rule).
    pub fn postgres_draait(test: &str) -> bool {
        e2e::postgres::server(test).is_some()
    }
}

/// Turns each `fn name(engine: Engine)` into two tests, `name::sqlite` and `name::postgres`.
/// The PostgreSQL one prints that it did not run when there is no PostgreSQL (and fails under
/// `CI=true`). Filter with `cargo test -p e2e --test <file> postgres` to run only that half.
#[allow(unused_macros)]
macro_rules! op_elke_engine {
    ($($test:ident),+ $(,)?) => {$(
        mod $test {
            #[test]
            fn sqlite() {
                super::$test($crate::enquete_common::Engine::Sqlite);
            }

            #[test]
            fn postgres() {
                if $crate::enquete_common::Engine::postgres_draait(concat!(module_path!(), "::postgres")) {
                    super::$test($crate::enquete_common::Engine::Postgres);
                }
            }
        }
    )+};
}
#[allow(unused_imports)]
pub(crate) use op_elke_engine;

/// The schema of a service of one school on PostgreSQL (every check query runs in it).
pub const SCHEMA: &str = "zorgenquete";

/// A database a test looks into, on either engine: the same check SQL runs on the SQLite file
/// (rusqlite) or, for a `postgres://` address, with `psql` and `search_path` set to the school's
/// schema. Write check SQL that both understand: `WHERE gebruikt` rather than `= 1` (booleans
/// are `boolean` on PostgreSQL), `CAST(x AS INTEGER)` to read one as a number ([`Db::getal`]
/// also reads `t`/`f` as 1/0).
pub struct Db {
    adres: PathBuf,
    schema: String,
    /// The fresh PostgreSQL database this value made: dropped (with its connections) when the
    /// value goes, so after the service that used it.
    databank: Option<e2e::postgres::Databank<'static>>,
}

impl Db {
    /// A new, empty database: `map/data/zorgenquete.sqlite` (made by the service), or a fresh
    /// database on the shared PostgreSQL server.
    pub fn nieuw(engine: Engine, map: &Path) -> Db {
        match engine {
            Engine::Sqlite => Db::op(map.join("data").join("zorgenquete.sqlite")),
            Engine::Postgres => {
                let server = e2e::postgres::server("Db::nieuw")
                    .expect("a PostgreSQL test runs only when there is PostgreSQL");
                let databank = server.databank();
                // By name, so the server's address (127.0.0.1, also the test client's) is in
                // no log line: the anonymity tests search the log for the client's address.
                let url = databank.url().replacen("@127.0.0.1:", "@localhost:", 1);
                Db {
                    adres: PathBuf::from(url),
                    schema: SCHEMA.to_string(),
                    databank: Some(databank),
                }
            }
        }
    }

    /// An existing address: a SQLite path or a `postgres://` URL (schema [`SCHEMA`]).
    pub fn op(adres: impl Into<PathBuf>) -> Db {
        Db {
            adres: adres.into(),
            schema: SCHEMA.to_string(),
            databank: None,
        }
    }

    /// The address as `--db` takes it.
    pub fn adres(&self) -> &Path {
        &self.adres
    }

    pub fn engine(&self) -> Engine {
        if self
            .adres
            .to_str()
            .is_some_and(|a| a.starts_with("postgres://") || a.starts_with("postgresql://"))
        {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// A SQLite connection, for checks that only exist on SQLite (`PRAGMA`, WAL files, an open
    /// write transaction). Panics on PostgreSQL: such a test runs on SQLite only.
    pub fn sqlite(&self) -> rusqlite::Connection {
        assert_eq!(
            self.engine(),
            Engine::Sqlite,
            "a SQLite-only check on {}",
            self.adres.display()
        );
        let c = rusqlite::Connection::open(&self.adres).expect("open db");
        c.busy_timeout(Duration::from_secs(10)).unwrap();
        c
    }

    /// Every row of a check query, each value as text (NULL as "", PostgreSQL booleans as
    /// `t`/`f`, SQLite's as `1`/`0`).
    pub fn rijen(&self, sql: &str) -> Vec<Vec<String>> {
        match self.engine() {
            Engine::Sqlite => {
                let conn = self.sqlite();
                let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                                rusqlite::types::Value::Null => String::new(),
                                rusqlite::types::Value::Integer(i) => i.to_string(),
                                rusqlite::types::Value::Real(f) => f.to_string(),
                                rusqlite::types::Value::Text(t) => t,
                                rusqlite::types::Value::Blob(b) => {
                                    String::from_utf8_lossy(&b).into_owned()
                                }
                            })
                        })
                        .collect()
                })
                .and_then(|rijen| rijen.collect())
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Engine::Postgres => {
                let uit = self.psql(sql);
                let uit = uit.strip_suffix('\n').unwrap_or(&uit);
                if uit.is_empty() {
                    return Vec::new();
                }
                uit.split(RIJ)
                    .map(|rij| rij.split(VELD).map(str::to_string).collect())
                    .collect()
            }
        }
    }

    /// The first column of every row.
    pub fn kolom(&self, sql: &str) -> Vec<String> {
        self.rijen(sql)
            .into_iter()
            .map(|r| r.into_iter().next().unwrap_or_default())
            .collect()
    }

    /// The single value a check query returns.
    pub fn tekst(&self, sql: &str) -> String {
        let rijen = self.rijen(sql);
        assert_eq!(rijen.len(), 1, "{sql}: one row, not {rijen:?}");
        rijen[0][0].clone()
    }

    /// The single number a check query returns (`SELECT count(*) …`); a boolean reads as 1 or 0.
    pub fn getal(&self, sql: &str) -> i64 {
        match self.tekst(sql).as_str() {
            "t" => 1,
            "f" => 0,
            uit => uit
                .parse()
                .unwrap_or_else(|_| panic!("{sql}: not a number but {uit:?}")),
        }
    }

    /// Runs statements (seeding), in one transaction on PostgreSQL.
    pub fn voer_uit(&self, sql: &str) {
        match self.engine() {
            Engine::Sqlite => self
                .sqlite()
                .execute_batch(sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            Engine::Postgres => {
                self.psql(sql);
            }
        }
    }

    /// The columns of `tabel`, in order.
    pub fn kolommen(&self, tabel: &str) -> Vec<String> {
        self.kolom(&match self.engine() {
            Engine::Sqlite => format!("SELECT name FROM pragma_table_info('{tabel}') ORDER BY cid"),
            Engine::Postgres => format!(
                "SELECT column_name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{tabel}' \
                 ORDER BY ordinal_position"
            ),
        })
    }

    /// Stores one respons straight in the database (seeding, with the service stopped), with
    /// the period's count kept as the service keeps it (a trigger on SQLite, the writer's
    /// transaction on PostgreSQL).
    pub fn zet_respons(
        &self,
        id: i64,
        (vragenlijst, periode, kanaal): (&str, &str, &str),
        antwoorden: &str,
    ) {
        let q = sql_tekst;
        let mut sql = format!(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden) \
             VALUES ({id}, {}, {}, {}, {});",
            q(vragenlijst),
            q(periode),
            q(kanaal),
            q(antwoorden)
        );
        if self.engine() == Engine::Postgres {
            sql.push_str(&format!(
                "UPDATE periode SET inzendingen = inzendingen + 1 \
                 WHERE vragenlijst = {} AND naam = {};",
                q(vragenlijst),
                q(periode)
            ));
        }
        self.voer_uit(&sql);
    }

    /// Every byte the engine keeps of this database, to search for what must never be stored:
    /// the SQLite file with its WAL and every other file in its folder, or `pg_dump` of the
    /// PostgreSQL database. (name, bytes) per file.
    pub fn alles(&self) -> Vec<(String, Vec<u8>)> {
        match self.engine() {
            Engine::Sqlite => std::fs::read_dir(self.adres.parent().expect("a folder"))
                .expect("the database folder")
                .map(|e| {
                    let p = e.unwrap().path();
                    (p.display().to_string(), std::fs::read(&p).unwrap())
                })
                .collect(),
            Engine::Postgres => {
                let bin = e2e::postgres::bin_map().expect("PostgreSQL's binaries");
                let out = Command::new(bin.join("pg_dump"))
                    .arg("-d")
                    .arg(&self.adres)
                    .stdin(Stdio::null())
                    .output()
                    .expect("run pg_dump");
                assert!(
                    out.status.success(),
                    "pg_dump: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                vec![("pg_dump".to_string(), out.stdout)]
            }
        }
    }

    /// Another connection takes the lock the service needs to store a respons, and keeps it
    /// until the returned value is dropped: `BEGIN IMMEDIATE` on SQLite, `LOCK TABLE inzending`
    /// in an open transaction (a `psql` session) on PostgreSQL.
    pub fn houd_schrijfslot(&self) -> Schrijfslot {
        match self.engine() {
            Engine::Sqlite => {
                let conn = self.sqlite();
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                Schrijfslot::Sqlite(conn)
            }
            Engine::Postgres => {
                let bin = e2e::postgres::bin_map().expect("PostgreSQL's binaries");
                let mut kind = Command::new(bin.join("psql"))
                    .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
                    .arg("-d")
                    .arg(&self.adres)
                    .env("PGOPTIONS", format!("-c search_path={}", self.schema))
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit())
                    .spawn()
                    .expect("run psql");
                let mut invoer = kind.stdin.take().unwrap();
                invoer
                    .write_all(b"BEGIN; LOCK TABLE inzending IN EXCLUSIVE MODE; SELECT 'vast';\n")
                    .unwrap();
                invoer.flush().unwrap();
                let mut regel = String::new();
                BufReader::new(kind.stdout.take().unwrap())
                    .read_line(&mut regel)
                    .unwrap();
                assert_eq!(regel.trim(), "vast", "the lock is taken");
                Schrijfslot::Postgres(kind, invoer)
            }
        }
    }

    /// `psql` on the PostgreSQL address with `search_path` set to the schema: its output.
    fn psql(&self, sql: &str) -> String {
        let bin = e2e::postgres::bin_map().expect("PostgreSQL's binaries");
        let out = Command::new(bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-F", VELD, "-R", RIJ])
            .arg("-d")
            .arg(&self.adres)
            .arg("-c")
            .arg(sql)
            .env("PGOPTIONS", format!("-c search_path={}", self.schema))
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 from psql")
    }
}

/// A write lock held by another connection ([`Db::houd_schrijfslot`]), released on drop.
pub enum Schrijfslot {
    Sqlite(rusqlite::Connection),
    Postgres(Child, std::process::ChildStdin),
}

impl Drop for Schrijfslot {
    fn drop(&mut self) {
        match self {
            Schrijfslot::Sqlite(conn) => conn.execute_batch("ROLLBACK").unwrap(),
            Schrijfslot::Postgres(kind, invoer) => {
                let _ = invoer.write_all(b"ROLLBACK;\n\\q\n");
                let _ = invoer.flush();
                let _ = kind.wait();
            }
        }
    }
}

/// Separators of `psql`'s unaligned output: bytes no stored text contains.
const VELD: &str = "\u{1f}";
const RIJ: &str = "\u{1e}";

/// A string literal for either engine's SQL (`'` doubled).
pub fn sql_tekst(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Stores one respons straight in the database (seeding, with the service stopped).
pub fn insert_respons(
    db: &rusqlite::Connection,
    id: i64,
    (vragenlijst, periode, kanaal): (&str, &str, &str),
    antwoorden: &str,
) {
    db.execute(
        "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![id, vragenlijst, periode, kanaal, antwoorden],
    )
    .unwrap();
}

/// Every row of a check query, each read by `row` (`|r| r.get(0)`, `|r| Ok((r.get(0)?, …))`).
pub fn rows<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    zorgenquete::storage::rows(conn, sql, [], row).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A copy of the example school's `content/` in a fresh temp folder: (the folder, the copy).
pub fn copy_of_content(prefix: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(prefix);
    let root = tmp.path().join("content");
    e2e::copy_dir(&workspace_root().join("content"), &root);
    (tmp, root)
}

/// Replaces `old` by `new` in the file `relative` under `root`, which must contain `old`.
pub fn replace_in(root: &Path, relative: &str, old: &str, new: &str) {
    let pad = root.join(relative);
    let tekst = std::fs::read_to_string(&pad).unwrap();
    assert!(tekst.contains(old), "`{old}` not in {relative}");
    std::fs::write(&pad, tekst.replace(old, new)).unwrap();
}

/// `leren-op-maat` becomes version 2 in the parents' questionnaire under `root`: a changed item,
/// never compared with version 1.
pub fn new_version_of_leren_op_maat(root: &Path) {
    replace_in(
        root,
        "enquetes/ouders.toml",
        "id = \"leren-op-maat\"\nversie = 1",
        "id = \"leren-op-maat\"\nversie = 2",
    );
}

/// A running `zorgenquete serve` with its own database, stopped (SIGTERM) on drop.
pub struct Dienst {
    /// The service is killed in `drop` before the fields go: the PostgreSQL database in
    /// `check` outlives it.
    pub tmp: TempDir,
    /// The database address as `--db` takes it (a SQLite path or a `postgres://` URL).
    pub db: PathBuf,
    /// The same database, for check queries on either engine.
    check: Db,
    pub adres: SocketAddr,
    kind: Option<Child>,
    log: Arc<Mutex<String>>,
    /// The `serve` arguments, for [`Dienst::herstart`].
    args: Vec<String>,
}

pub struct Opties {
    /// Address to listen on (port 0: any free port).
    pub bind: &'static str,
    /// Periods to open before start: (questionnaire, period).
    pub open: Vec<(&'static str, &'static str)>,
    /// Content folder; default the example school.
    pub root: Option<PathBuf>,
    /// Theme folder; default the example theme (`site/`).
    pub theme: Option<PathBuf>,
    /// More arguments for `serve` (e.g. `--max-antwoorden-per-uur 0` for load tests).
    pub extra: Vec<&'static str>,
    /// A `zorgenquete.toml` passed with `--config` (the flags above still win).
    pub config: Option<PathBuf>,
    /// `--db` for the CLI and `serve` (e.g. a PostgreSQL address from `e2e::postgres`);
    /// default a new database of [`Opties::engine`]. [`Dienst::db`] is then this value.
    pub db: Option<String>,
    /// The engine of the new database when `db` is not given: a SQLite file in the test's
    /// folder (default) or a fresh PostgreSQL database, dropped after the service.
    pub engine: Engine,
}

impl Default for Opties {
    fn default() -> Self {
        Opties {
            bind: "127.0.0.1:0",
            open: vec![("ouders", "2025-2026")],
            root: None,
            theme: None,
            extra: Vec::new(),
            config: None,
            db: None,
            engine: Engine::Sqlite,
        }
    }
}

impl Opties {
    /// The defaults on `engine`.
    pub fn op(engine: Engine) -> Opties {
        Opties {
            engine,
            ..Opties::default()
        }
    }
}

impl Dienst {
    pub fn start() -> Dienst {
        Dienst::start_met(Opties::default())
    }

    /// [`Dienst::start`] on `engine`.
    pub fn start_op(engine: Engine) -> Dienst {
        Dienst::start_met(Opties::op(engine))
    }

    pub fn start_met(opties: Opties) -> Dienst {
        let tmp = TempDir::new("enquete");
        let check = match &opties.db {
            Some(db) => Db::op(db),
            None => Db::nieuw(opties.engine, tmp.path()),
        };
        let db = check.adres().to_path_buf();
        let db_str = db.to_str().expect("utf-8 temp path").to_string();
        let root = opties
            .root
            .unwrap_or_else(|| workspace_root().join("content"));
        let root_str = root.to_str().expect("utf-8 path").to_string();
        let config: Vec<String> = opties
            .config
            .iter()
            .flat_map(|c| ["--config".to_string(), c.display().to_string()])
            .collect();
        for (lijst, periode) in &opties.open {
            let config: Vec<&str> = config.iter().map(String::as_str).collect();
            let (ok, out, err) = cli(&[
                &config[..],
                &[
                    "periode",
                    "open",
                    lijst,
                    periode,
                    "--uitgenodigd",
                    "30",
                    "--db",
                    &db_str,
                    "--root",
                    &root_str,
                ],
            ]
            .concat());
            assert!(ok, "periode open failed: {out}{err}");
        }
        let theme = opties
            .theme
            .clone()
            .unwrap_or_else(|| workspace_root().join("site"));
        let mut args: Vec<String> = [
            "serve",
            "--bind",
            opties.bind,
            "--db",
            &db_str,
            "--root",
            &root_str,
            "--theme",
            theme.to_str().expect("utf-8 path"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(opties.extra.iter().map(|s| s.to_string()));
        args.extend(config);
        Dienst::start_check(tmp, check, args)
    }

    /// `zorgenquete <args…>` as a service (e.g. `serve --config groep.toml`), with `tmp` kept
    /// for its files and `db` as the database [`Dienst::db`] looks into.
    pub fn start_args(tmp: TempDir, db: PathBuf, args: Vec<String>) -> Dienst {
        Dienst::start_check(tmp, Db::op(db), args)
    }

    fn start_check(tmp: TempDir, check: Db, args: Vec<String>) -> Dienst {
        let (kind, adres, log) = spawn_serve(&args);
        Dienst {
            tmp,
            db: check.adres().to_path_buf(),
            check,
            adres,
            kind: Some(kind),
            log,
            args,
        }
    }

    /// Starts the service again on the same database (after [`Dienst::kill9`] or
    /// [`Dienst::stop`]), with the same arguments (port 0: a new free port); the log starts
    /// afresh.
    pub fn herstart(&mut self) {
        assert!(self.kind.is_none(), "stop the service first");
        let (kind, adres, log) = spawn_serve(&self.args);
        self.kind = Some(kind);
        self.adres = adres;
        self.log = log;
    }
}

fn spawn_serve(args: &[String]) -> (Child, SocketAddr, Arc<Mutex<String>>) {
    {
        let mut kind = Command::new(binary())
            .args(args)
            .env("ZORGENQUETE_LOG", "debug")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start zorgenquete serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel::<SocketAddr>();
        for stream in [
            Box::new(kind.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(kind.stderr.take().expect("stderr")),
        ] {
            let log = log.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Some(rest) = line.split("luistert op http://").nth(1)
                        && let Some(addr) = rest.split('/').next()
                        && let Ok(addr) = addr.parse()
                    {
                        let _ = tx.send(addr);
                    }
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            });
        }
        let adres = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a,
            Err(_) => {
                let _ = kind.kill();
                panic!("zorgenquete serve did not start:\n{}", log.lock().unwrap());
            }
        };
        (kind, adres, log)
    }
}

impl Dienst {
    /// The process id of the running service (for fault injection: limits, signals).
    pub fn pid(&self) -> u32 {
        self.kind.as_ref().expect("the service runs").id()
    }

    /// Ends the service at once (SIGKILL: no shutdown, no final checkpoint), like a power cut.
    pub fn kill9(&mut self) {
        if let Some(mut kind) = self.kind.take() {
            let _ = kind.kill();
            let _ = kind.wait();
        }
    }

    /// Everything the service printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// SIGTERM, then wait for a clean exit (graceful shutdown). Returns whether it exited 0.
    pub fn stop(&mut self) -> bool {
        let Some(mut kind) = self.kind.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &kind.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            if let Ok(Some(status)) = kind.try_wait() {
                // Let the reader threads collect the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = kind.kill();
                let _ = kind.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, pad: &str) -> Antwoord {
        self.verzoek("GET", pad, &[], b"")
    }

    pub fn post_form(&self, pad: &str, body: &[u8]) -> Antwoord {
        self.verzoek(
            "POST",
            pad,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body,
        )
    }

    /// One request on a fresh connection (`Connection: close`).
    pub fn verzoek(
        &self,
        methode: &str,
        pad: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Antwoord {
        verzoek(self.adres, methode, pad, headers, body)
    }

    /// A SQLite connection for SQLite-only checks (`PRAGMA`, an open write transaction);
    /// panics on PostgreSQL. Plain check SQL goes through [`Dienst::getal`], [`Dienst::rijen`]
    /// and friends, which run on either engine.
    pub fn db(&self) -> rusqlite::Connection {
        self.check.sqlite()
    }

    /// The engine the service runs on.
    pub fn engine(&self) -> Engine {
        self.check.engine()
    }

    /// The database, for check queries on either engine.
    pub fn check(&self) -> &Db {
        &self.check
    }

    /// The single number a check query returns (`SELECT count(*) …`), on either engine.
    pub fn getal(&self, sql: &str) -> i64 {
        self.check.getal(sql)
    }

    /// Every row of a check query as text, on either engine ([`Db::rijen`]).
    pub fn rijen(&self, sql: &str) -> Vec<Vec<String>> {
        self.check.rijen(sql)
    }

    /// The first column of every row of a check query, on either engine.
    pub fn kolom(&self, sql: &str) -> Vec<String> {
        self.check.kolom(sql)
    }

    /// The single value of a check query as text, on either engine.
    pub fn tekst(&self, sql: &str) -> String {
        self.check.tekst(sql)
    }

    pub fn aantal_inzendingen(&self) -> i64 {
        self.getal("SELECT count(*) FROM inzending")
    }

    /// A freshly fetched form (every form token gives at most one stored answer).
    pub fn vers_formulier(&self, pad: &str) -> Formulier {
        let r = self.get(pad);
        assert_eq!(r.status, 200, "{pad}: {}", r.body);
        Formulier::uit(&r.body)
    }

    /// Fetches a fresh form from `pad` and sends it filled in with `tekst` (as a parent does).
    pub fn vul_in(&self, pad: &str, tekst: &str) -> Antwoord {
        let f = self.vers_formulier(pad);
        self.post_form(pad, f.body(tekst).as_bytes())
    }
}

impl Dienst {
    /// Turns this test's "device" into a kiosk of `vragenlijst` the way staff do it: a
    /// `zorgteam` account (made with the CLI the first time) logs in and presses "Dit toestel
    /// als kiosk gebruiken" on the dashboard. Returns the `Cookie` header value the device sends
    /// from then on (`kiosk=…`). `basis` is the service's base path (`""` at the root).
    pub fn kiosk_aan_onder(&self, basis: &str, vragenlijst: &str) -> String {
        const NAAM: &str = "kiosk.zetter";
        const WACHTWOORD: &str = "een kiosk voor de avond";
        let mut kind = Command::new(binary())
            .args(["gebruiker", "maak", NAAM, "--rol", "zorgteam", "--db"])
            .arg(&self.db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run zorgenquete gebruiker");
        let _ = kind
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{WACHTWOORD}\n").as_bytes());
        // A second call finds the account already made.
        let _ = kind.wait_with_output().unwrap();

        let login = self.get(&format!("{basis}/beheer/login"));
        let token = attribuut(&login.body, "name=\"csrf\"", "value").expect("login token");
        let r = self.post_form(
            &format!("{basis}/beheer/login"),
            format!(
                "csrf={token}&naam={NAAM}&wachtwoord={}",
                urlencode(WACHTWOORD)
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 303, "login for the kiosk: {}", r.body);
        let sessie = r
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        let overzicht = self.verzoek(
            "GET",
            &format!("{basis}/beheer/"),
            &[("Cookie", &sessie)],
            b"",
        );
        let token = attribuut(&overzicht.body, "name=\"csrf\"", "value").expect("token");
        let r = self.verzoek(
            "POST",
            &format!("{basis}/beheer/kiosk"),
            &[
                ("Cookie", &sessie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            format!("csrf={token}&vragenlijst={vragenlijst}").as_bytes(),
        );
        assert_eq!(r.status, 303, "kiosk on: {}", r.body);
        assert_eq!(
            r.header("location"),
            Some(format!("{basis}/enquete/{vragenlijst}/kiosk").as_str())
        );
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next())
            .find(|c| c.starts_with("kiosk=") && c.len() > "kiosk=".len())
            .expect("kiosk cookie")
            .to_string()
    }

    /// [`Dienst::kiosk_aan_onder`] at the root.
    pub fn kiosk_aan(&self, vragenlijst: &str) -> String {
        self.kiosk_aan_onder("", vragenlijst)
    }

    /// A request from the kiosk device (with its cookie).
    pub fn kiosk_get(&self, cookie: &str, pad: &str) -> Antwoord {
        self.verzoek("GET", pad, &[("Cookie", cookie)], b"")
    }

    pub fn kiosk_post(&self, cookie: &str, pad: &str, body: &[u8]) -> Antwoord {
        self.verzoek(
            "POST",
            pad,
            &[
                ("Cookie", cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body,
        )
    }
}

/// A fresh form token from `pad`, or `None` when the service does not answer (stopped).
pub fn vers_token(adres: SocketAddr, pad: &str) -> Option<String> {
    let r = probeer_verzoek(adres, "GET", pad, &[], b"")?;
    (r.status == 200).then(|| attribuut(&r.body, "name=\"csrf\"", "value").map(str::to_string))?
}

impl Drop for Dienst {
    fn drop(&mut self) {
        if let Some(mut kind) = self.kind.take() {
            let _ = kind.kill();
            let _ = kind.wait();
        }
    }
}

/// A response.
#[derive(Debug, Clone)]
pub struct Antwoord {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body's bytes as sent (compressed when `Content-Encoding` says so).
    pub ruw: Vec<u8>,
}

impl Antwoord {
    pub fn header(&self, naam: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(naam))
            .map(|(_, v)| v.as_str())
    }
}

/// One request over loopback through the tests' one HTTP client ([`client`]).
pub fn verzoek(
    adres: SocketAddr,
    methode: &str,
    pad: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Antwoord {
    probeer_verzoek(adres, methode, pad, headers, body).expect("connect")
}

/// Bodies above this size are sent over a raw socket: the service refuses them unread (413) and
/// may close the connection while they are still being sent, which an HTTP client reports as
/// an error rather than the answer. Hostile input, so it keeps a raw socket.
const RAUW_VANAF: usize = 64 * 1024;

/// As [`verzoek`], but `None` when the connection is refused or cut off (a stopping server).
pub fn probeer_verzoek(
    adres: SocketAddr,
    methode: &str,
    pad: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Antwoord> {
    if body.len() > RAUW_VANAF {
        return rauw_verzoek(adres, methode, pad, headers, body);
    }
    let mut request = e2e::ureq::http::Request::builder()
        .method(methode)
        .uri(format!("http://{adres}{pad}"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    // Only methods that carry a body get one (POST always: `Content-Length: 0` when empty).
    let mut response = if methode == "POST" || !body.is_empty() {
        e2e::http_client().run(request.body(body).expect("a valid request"))
    } else {
        e2e::http_client().run(request.body(()).expect("a valid request"))
    }
    .ok()?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .ok()?;
    Some(Antwoord {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        ruw: body,
    })
}

/// HTTP/1.1 over a raw socket, for oversize bodies only (see [`RAUW_VANAF`]).
fn rauw_verzoek(
    adres: SocketAddr,
    methode: &str,
    pad: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Antwoord> {
    let mut stream = TcpStream::connect(adres).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut req = format!("{methode} {pad} HTTP/1.1\r\nHost: {adres}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(req.as_bytes()).ok()?;
    // The server may answer (413) and close before reading everything: ignore write errors.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_antwoord(&raw)
}

/// A raw response: status, headers and a body that is not chunked (the service answers an
/// oversize body with a short page of known length).
fn parse_antwoord(raw: &[u8]) -> Option<Antwoord> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Antwoord {
        status,
        headers,
        body: String::from_utf8_lossy(&raw[split + 4..]).into_owned(),
        ruw: raw[split + 4..].to_vec(),
    })
}

/// The value of attribute `attr` in one tag (`<input … >`).
pub fn attr_in_tag<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let key = format!(" {attr}=\"");
    let j = tag.find(&key)? + key.len();
    let k = tag[j..].find('"')?;
    Some(&tag[j..j + k])
}

/// The tag (`<…>`) around byte offset `i`.
pub fn tag_rond(html: &str, i: usize) -> Option<&str> {
    let start = html[..i].rfind('<')?;
    let end = i + html[i..].find('>')?;
    Some(&html[start..=end])
}

/// The value of attribute `attr` in the first tag containing `marker`.
pub fn attribuut<'a>(html: &'a str, marker: &str, attr: &str) -> Option<&'a str> {
    let i = html.find(marker)?;
    attr_in_tag(tag_rond(html, i)?, attr)
}

/// A filled-in form as the page offers it: every radio group gets an answer, every textarea
/// the given text.
#[derive(Clone)]
pub struct Formulier {
    pub csrf: String,
    pub periode: String,
    /// (name, value) of each radio group, in page order.
    pub keuzes: Vec<(String, String)>,
    /// Names of the textareas.
    pub teksten: Vec<String>,
}

impl Formulier {
    /// Reads the form from the page HTML.
    pub fn uit(html: &str) -> Formulier {
        let csrf = attribuut(html, "name=\"csrf\"", "value")
            .expect("csrf field")
            .to_string();
        let periode = attribuut(html, "name=\"periode\"", "value")
            .expect("periode field")
            .to_string();
        let mut keuzes: Vec<(String, String)> = Vec::new();
        for (i, _) in html.match_indices("type=\"radio\"") {
            let tag = tag_rond(html, i).unwrap();
            let naam = attr_in_tag(tag, "name").unwrap().to_string();
            let waarde = attr_in_tag(tag, "value").unwrap().to_string();
            // Take the 4th option ("Akkoord") when there is one: a valid, non-default answer.
            match keuzes.iter_mut().find(|(n, _)| *n == naam) {
                Some(k) if waarde == "4" => k.1 = waarde,
                Some(_) => {}
                None => keuzes.push((naam, waarde)),
            }
        }
        let teksten = html
            .match_indices("<textarea ")
            .filter_map(|(i, _)| tag_rond(html, i + 1).and_then(|t| attr_in_tag(t, "name")))
            .map(str::to_string)
            .collect();
        Formulier {
            csrf,
            periode,
            keuzes,
            teksten,
        }
    }

    /// The urlencoded body with the token, every choice and `tekst` in each textarea.
    pub fn body(&self, tekst: &str) -> String {
        let mut velden = vec![
            format!("csrf={}", self.csrf),
            format!("periode={}", self.periode),
        ];
        for (n, w) in &self.keuzes {
            velden.push(format!("{n}={w}"));
        }
        for n in &self.teksten {
            velden.push(format!("{n}={}", urlencode(tekst)));
        }
        velden.join("&")
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The links of a page a walker follows: every [`links`] but `mailto:`, `tel:`, an anchor on
/// the page itself, and `data:` URLs (the favicon is inside the page).
pub fn te_volgen_links(html: &str) -> Vec<String> {
    links(html)
        .into_iter()
        .filter(|l| {
            !["mailto:", "tel:", "data:", "#"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect()
}

/// Every `href`, `src` and `action` of a page, `&amp;` decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut uit = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        for deel in html.split(attr).skip(1) {
            if let Some(url) = deel.split('"').next() {
                uit.push(url.replace("&amp;", "&"));
            }
        }
    }
    uit
}
