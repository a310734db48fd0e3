//! Single-use access codes: short, printable, unambiguous; only their hash is stored.

use sha2::{Digest, Sha256};

/// No 0/O, 1/I/L, 2/Z or S (looks like 5): easy to read aloud and to type from paper.
const ALFABET: &[u8; 28] = b"ABCDEFGHJKMNPQRTUVWXY3456789";
/// Characters per code (two groups of four: `ABCD-EFGH`), about 38 bits.
pub const LENGTE: usize = 8;

/// A well-formed code (normalised: uppercase, without spaces or hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code(String);

impl Code {
    /// A new random code from the operating system's generator.
    pub fn nieuw() -> Result<Code, getrandom::Error> {
        let mut code = String::with_capacity(LENGTE);
        let mut buf = [0u8; 32];
        while code.len() < LENGTE {
            getrandom::fill(&mut buf)?;
            for b in buf {
                // Rejection sampling keeps every character equally likely.
                if (b as usize) < 256 - 256 % ALFABET.len() && code.len() < LENGTE {
                    code.push(ALFABET[b as usize % ALFABET.len()] as char);
                }
            }
        }
        Ok(Code(code))
    }

    /// Accepts what a person types: case, spaces and hyphens do not matter.
    pub fn parse(invoer: &str) -> Option<Code> {
        let code: String = invoer
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == LENGTE && code.bytes().all(|b| ALFABET.contains(&b))).then_some(Code(code))
    }

    /// The code as printed: `ABCD-EFGH`.
    pub fn leesbaar(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: SHA-256 over the database's secret and the code.
    pub fn hash(&self, geheim: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"zorgenquete-code-v1\0");
        h.update(geheim);
        h.update(self.0.as_bytes());
        h.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_codes_parse_back_in_any_typing() {
        for _ in 0..100 {
            let code = Code::nieuw().unwrap();
            let typed = code.leesbaar().to_lowercase().replace('-', " - ");
            assert_eq!(Code::parse(&typed), Some(code));
        }
    }

    #[test]
    fn ambiguous_or_short_input_is_refused() {
        assert_eq!(Code::parse("ABCD-EFG"), None);
        assert_eq!(Code::parse("ABCD-EFG0"), None);
        assert_eq!(Code::parse("ABCD-EFGI"), None);
        assert!(Code::parse("abcd efgh").is_some());
    }

    #[test]
    fn hash_depends_on_secret() {
        let code = Code::parse("ABCD-EFGH").unwrap();
        assert_ne!(code.hash(b"een"), code.hash(b"twee"));
        assert_eq!(code.hash(b"een"), code.hash(b"een"));
    }
}
