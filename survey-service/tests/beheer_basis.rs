//! The dashboard under a base path (`/zorg`) with an https public address, served in-process on
//! loopback with a real SQLite file: every redirect, link, form action and the cookie path carry
//! the base path, and the cookie is `Secure`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use zorgenquete::domain::PeriodeNaam;
use zorgenquete::domain::gebruiker::{GebruikersNaam, Rol, hash_wachtwoord};
use zorgenquete::domain::vragenlijst;
use zorgenquete::instellingen::Instellingen;
use zorgenquete::storage::{self, gebruikers};

const WACHTWOORD: &str = "een lang wachtwoord";

struct Antwoord {
    status: u16,
    head: String,
    body: String,
}

impl Antwoord {
    fn header(&self, naam: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(naam).then(|| v.trim())
        })
    }
}

/// One request through the tests' client (`e2e::http_client`), as a browser at `https://school.be/zorg` behind a proxy would send
/// it: `Host: school.be`, the cookie, a form body for POST. Redirects are not followed.
fn verzoek(adres: SocketAddr, methode: &str, pad: &str, cookie: &str, body: &str) -> Antwoord {
    let agent = e2e::http_client();
    let mut request = e2e::ureq::http::Request::builder()
        .method(methode)
        .uri(format!("http://{adres}{pad}"))
        .header("Host", "school.be");
    if !cookie.is_empty() {
        request = request.header("Cookie", cookie);
    }
    let mut response = if methode == "POST" {
        let request = request
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.as_bytes())
            .unwrap();
        agent.run(request).unwrap()
    } else {
        agent.run(request.body(()).unwrap()).unwrap()
    };
    let head = response
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n");
    Antwoord {
        status: response.status().as_u16(),
        head,
        body: response.body_mut().read_to_string().unwrap(),
    }
}

fn csrf(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

fn werkmap() -> PathBuf {
    let map = std::env::temp_dir().join(format!("zorgenquete-basis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&map);
    std::fs::create_dir_all(&map).unwrap();
    map
}

#[test]
fn links_redirects_and_cookies_carry_the_base_path() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let map = werkmap();
    let db = map.join("db.sqlite");
    {
        let mut conn = storage::open(&db).unwrap();
        storage::periode_open(
            &mut conn,
            "ouders",
            &PeriodeNaam::parse("2025-2026").unwrap(),
            None,
        )
        .unwrap();
        let hash = hash_wachtwoord(WACHTWOORD).unwrap();
        gebruikers::maak(
            &conn,
            &GebruikersNaam::parse("an").unwrap(),
            Rol::Beheer,
            &hash,
        )
        .unwrap();
    }
    let inst = Instellingen {
        bind: "127.0.0.1:0".parse().unwrap(),
        db: db.clone(),
        root: content.clone(),
        theme: PathBuf::new(),
        basis: "/zorg".into(),
        https: true,
        limiet_inzendingen: Some(zorgenquete::web::begrenzer::Limiet::standaard()),
        ..Instellingen::default()
    };
    let lijsten = vragenlijst::laad(&content).unwrap_or_else(|_| panic!("questionnaires"));
    // Built for the public address the base path comes from (as `bereid_voor` does), so the
    // theme's `get_url` links carry `/zorg` too.
    let site = zorgenquete::site::bouw(
        &content,
        &content.join("../site"),
        Some("https://school.example/zorg"),
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let dienst =
        zorgenquete::bereid_voor_met(&inst, lijsten, site).unwrap_or_else(|_| panic!("service"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (adres, server) = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let adres = listener.local_addr().unwrap();
        let server = tokio::spawn(zorgenquete::web::draai(
            listener,
            dienst.router,
            512,
            async {
                let _ = stop_rx.await;
            },
        ));
        (adres, server)
    });

    let r = verzoek(adres, "GET", "/zorg/beheer/", "", "");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/zorg/beheer/login"));
    assert_ne!(
        verzoek(adres, "GET", "/beheer/login", "", "").status,
        200,
        "only under /zorg"
    );

    let login = verzoek(adres, "GET", "/zorg/beheer/login", "", "");
    assert_eq!(login.status, 200);
    assert!(
        login.body.contains("action=\"/zorg/beheer/login\""),
        "{}",
        login.body
    );
    let body = format!(
        "csrf={}&naam=an&wachtwoord=een+lang+wachtwoord",
        csrf(&login.body)
    );
    let r = verzoek(adres, "POST", "/zorg/beheer/login", "", &body);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/zorg/beheer/"));
    let set = r.header("set-cookie").unwrap().to_string();
    assert!(set.contains("Path=/zorg/beheer;"), "{set}");
    assert!(set.ends_with("; Secure"), "{set}");
    let cookie = set.split(';').next().unwrap().to_string();

    let home = verzoek(adres, "GET", "/zorg/beheer/", &cookie, "");
    assert_eq!(home.status, 200, "{}", home.body);
    for pad in [
        "href=\"/zorg/beheer/gebruikers\"",
        "action=\"/zorg/beheer/afmelden\"",
        "action=\"/zorg/beheer/periode/sluit\"",
        "href=\"/zorg/beheer/invoer/ouders/papier\"",
    ] {
        assert!(home.body.contains(pad), "{pad} in {}", home.body);
    }
    // The dashboard's one stylesheet (beheer.css, with the survey and site stylesheets put in
    // place by the build) under its content-hashed name (issue 16), under the base path.
    assert!(
        home.body
            .contains("<link rel=\"stylesheet\" href=\"/zorg/beheer."),
        "hashed /zorg/beheer.<hash>.css in {}",
        home.body
    );
    assert!(
        !home.body.contains("\"/beheer/"),
        "every link has the base path"
    );
    let invoer = verzoek(
        adres,
        "GET",
        "/zorg/beheer/invoer/ouders/papier",
        &cookie,
        "",
    );
    assert!(
        invoer
            .body
            .contains("action=\"/zorg/beheer/invoer/ouders/papier\"")
    );

    let r = verzoek(
        adres,
        "POST",
        "/zorg/beheer/afmelden",
        &cookie,
        &format!("csrf={}", csrf(&home.body)),
    );
    assert_eq!(r.header("location"), Some("/zorg/beheer/login"));
    assert!(
        r.header("set-cookie")
            .unwrap()
            .contains("Path=/zorg/beheer;")
    );

    let _ = stop_tx.send(());
    rt.block_on(server).unwrap().unwrap();
    drop(rt);
    let _ = dienst.schrijver.join();
    let _ = std::fs::remove_dir_all(&map);
}
