//! Fast pages on mobile data (issue 16): content-hashed names for the theme's files, their
//! brotli and gzip variants, and which variant a request accepts.
//!
//! - **Hashed names**: every CSS, script, image and font of `site/static/` (and the generated
//!   `rollen.css`) is also written as `name.<hash>.ext`, where `<hash>` is the first
//!   [`NAME_HASH_LEN`] hex digits of the SHA-256 of its bytes (`style.3f2a9c1e.css`).
//!   `get_url(path='style.css')` gives the hashed name, so templates need no edits; the plain
//!   name stays for links from outside. A changed file gets a new name, so the responder can
//!   tell browsers to keep hashed files for a year ([`IMMUTABLE`]); it checks the hash against
//!   the bytes ([`is_hashed_name`]) instead of trusting the name's shape.
//! - **Compression**: text files (HTML, CSS, scripts, SVG, JSON, XML, text) are compressed once
//!   (brotli and gzip level 9, with the `brotli` and `flate2` crates) when the site is loaded
//!   into memory ([`AT_LOAD`]: brotli 6, much faster than 11, so a start stays quick),
//!   or written as `.br`/`.gz` beside each file by `zorgsite build --precompress`
//!   ([`PRECOMPRESS`]: brotli 11, the smallest, made off-line); a variant that is not smaller is
//!   dropped.

use std::io::Write;

use sha2::{Digest, Sha256};

/// How many hex digits of the SHA-256 go into a hashed name (32 bits: a collision only means a
/// browser keeps an old file, and only between two versions of the same file).
pub const NAME_HASH_LEN: usize = 8;

/// `Cache-Control` of a file with a hashed name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of everything else the site serves: keep it, but ask first (`ETag`).
pub const REVALIDATE: &str = "no-cache";

/// Brotli quality when a server loads the site (every start of `zorgenquete`, once per school).
/// Not 9: the brotli crate gives quality 9 a match finder of 32 MiB, allocated zeroed for every
/// file, which made it 20 times slower than quality 6 on the example site (657 against 33 ms)
/// for 0.6 % fewer bytes (175 against 176 KB). Quality 6 uses 2 MiB.
pub const AT_LOAD: u32 = 6;
/// Brotli quality of `zorgsite build --precompress`.
pub const PRECOMPRESS: u32 = 11;

/// Extensions that get a hashed name: what pages load as sub-resources.
const HASHED: &[&str] = &[
    "css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2",
    "ttf", "otf",
];

/// Extensions worth compressing (images other than SVG and fonts are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "svg",
    "json",
    "map",
    "webmanifest",
    "xml",
    "txt",
    "md",
    "csv",
];

fn extension(key: &str) -> Option<&str> {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|_| !name.starts_with('.'))
}

fn has_extension(key: &str, list: &[&str]) -> bool {
    extension(key).is_some_and(|e| list.iter().any(|l| l.eq_ignore_ascii_case(e)))
}

/// The SHA-256 of `bytes` in lower-case hex (64 digits).
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hashed name for a site file (`icons/zorg.svg` → `icons/zorg.1a2b3c4d.svg`), or `None`
/// when the file is not a sub-resource ([`HASHED`]).
pub fn hashed_name(key: &str, bytes: &[u8]) -> Option<String> {
    if !has_extension(key, HASHED) {
        return None;
    }
    let (stem, ext) = key.rsplit_once('.')?;
    Some(format!(
        "{stem}.{}.{ext}",
        &content_hash(bytes)[..NAME_HASH_LEN]
    ))
}

/// Whether `key` is a hashed name of a file whose SHA-256 (hex) is `hash`.
pub fn is_hashed_name(key: &str, hash: &str) -> bool {
    let Some((rest, _ext)) = key.rsplit_once('.') else {
        return false;
    };
    let Some((_stem, in_name)) = rest.rsplit_once('.') else {
        return false;
    };
    in_name.len() == NAME_HASH_LEN && hash.get(..NAME_HASH_LEN) == Some(in_name)
}

/// Whether a file of this name is worth compressing.
pub fn compressible(key: &str) -> bool {
    has_extension(key, COMPRESSIBLE)
}

/// Brotli at `quality` (0–11; done once per file, never per request).
pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 16);
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: quality.min(11) as i32,
            lgwin: 22,
            size_hint: bytes.len(),
            ..Default::default()
        };
        let mut writer = brotli::CompressorWriter::with_params(&mut out, 4096, &params);
        // Writing into a Vec cannot fail.
        let _ = writer.write_all(bytes);
    }
    out
}

/// Gzip at the highest level (done once per file, never per request).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 32),
        flate2::Compression::best(),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// The compressed variants of a file, each only when it is smaller than the file itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variants {
    pub br: Option<Vec<u8>>,
    pub gzip: Option<Vec<u8>>,
}

impl Variants {
    /// Compresses `bytes` (brotli at `quality`) when `key` is a text file; nothing otherwise.
    pub fn of(key: &str, bytes: &[u8], quality: u32) -> Variants {
        if !compressible(key) {
            return Variants::default();
        }
        let smaller = |c: Vec<u8>| (c.len() < bytes.len()).then_some(c);
        Variants {
            br: smaller(brotli(bytes, quality)),
            gzip: smaller(gzip(bytes)),
        }
    }
}

/// A content coding the site has variants in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Br,
    Gzip,
}

impl Encoding {
    /// The `Content-Encoding` value.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Br => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The file extension of a precompressed variant (`style.css.br`).
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Br => "br",
            Encoding::Gzip => "gz",
        }
    }
}

/// The codings a request's `Accept-Encoding` values allow, best first: brotli before gzip
/// (smaller), and an explicit `q=0` (or `*;q=0` without the coding named) refuses one. No
/// header, or an unreadable one, allows none: the plain file always works.
pub fn accepted<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> Vec<Encoding> {
    let mut br = None;
    let mut gzip = None;
    let mut star = None;
    for value in values {
        let Ok(value) = std::str::from_utf8(value) else {
            continue;
        };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let mut q = 1.0_f32;
            for parameter in parts {
                if let Some((name, v)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            match coding.as_str() {
                "br" => br = Some(q),
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => star = Some(q),
                _ => {}
            }
        }
    }
    let mut out: Vec<(f32, Encoding)> = [(br, Encoding::Br), (gzip, Encoding::Gzip)]
        .into_iter()
        .filter_map(|(q, e)| q.or(star).filter(|q| *q > 0.0).map(|q| (q, e)))
        .collect();
    // Stable: brotli stays first when both are equally welcome.
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn hashed_names_carry_the_content_hash() {
        let name = hashed_name("icons/zorg.svg", b"<svg/>").unwrap();
        let hash = content_hash(b"<svg/>");
        assert_eq!(name, format!("icons/zorg.{}.svg", &hash[..8]));
        assert!(is_hashed_name(&name, &hash));
        assert!(!is_hashed_name(&name, &content_hash(b"<svg></svg>")));
        assert!(!is_hashed_name("icons/zorg.svg", &hash));
        assert!(!is_hashed_name("zorg", &hash));
        assert_eq!(hashed_name("index.html", b"x"), None);
        assert_eq!(hashed_name("icons/LICENSE.txt", b"x"), None);
        assert_eq!(hashed_name("Makefile", b"x"), None);
        assert_ne!(hashed_name("a.css", b"a"), hashed_name("a.css", b"b"));
    }

    #[test]
    fn variants_decompress_to_the_file_and_only_text_is_compressed() {
        let page = "<p>Samen zorg dragen voor elk kind.</p>\n".repeat(50);
        let v = Variants::of("index.html", page.as_bytes(), AT_LOAD);
        let mut plain = Vec::new();
        brotli::Decompressor::new(v.br.as_deref().unwrap(), 4096)
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, page.as_bytes());
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(v.gzip.as_deref().unwrap())
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(plain, page.as_bytes());
        assert_eq!(
            Variants::of("foto.png", page.as_bytes(), PRECOMPRESS),
            Variants::default()
        );
        // One byte does not get smaller.
        assert_eq!(
            Variants::of("a.css", b"a", PRECOMPRESS),
            Variants::default()
        );
    }

    #[test]
    fn accept_encoding_is_read_with_quality_values() {
        let a = |v: &str| accepted([v.as_bytes()]);
        assert_eq!(a("gzip, deflate, br, zstd"), [Encoding::Br, Encoding::Gzip]);
        assert_eq!(a("gzip"), [Encoding::Gzip]);
        assert_eq!(a("br;q=0.5, gzip"), [Encoding::Gzip, Encoding::Br]);
        assert_eq!(a("br;q=0, gzip;q=0.1"), [Encoding::Gzip]);
        assert_eq!(a("*"), [Encoding::Br, Encoding::Gzip]);
        assert_eq!(a("*;q=0, gzip"), [Encoding::Gzip]);
        assert_eq!(a("identity"), []);
        assert_eq!(a("BR"), [Encoding::Br]);
        assert_eq!(a("br;q=nonsense"), []);
        assert_eq!(accepted([&b"\xff"[..], b"gzip"]), [Encoding::Gzip]);
        assert_eq!(accepted(Vec::<&[u8]>::new()), []);
    }
}
