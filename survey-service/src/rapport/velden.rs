//! A fast reader for the answer objects the writer stores.
//!
//! `domain::antwoord` writes every response as one compact JSON object: `{"<item>@<versie>":3,
//! "<item>@<versie>":"a text"}`, no white space, keys that are item ids (never escaped), values
//! that are small unsigned numbers or JSON strings. Parsing a hundred thousand of those with
//! serde_json was half of a report's time. [`velden`] walks exactly that shape (texts skipped
//! with `memchr`) and hands each field to the caller; on anything else (white space, a negative
//! or fractional number, `null`, a nested value, a key with an escape) it answers [`Anders`]
//! and the caller reads the row with serde_json as before, so old or hand-made rows are never
//! miscounted. The report (`lezen`) counts the numbers; the raw export (`export::ruw`) keeps
//! the texts too, and reads a row whose text has an escape with serde_json.

use memchr::memchr2;

use super::Sleutels;

/// One field's value: a whole number, or an open answer's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waarde<'a> {
    Getal(u64),
    /// The text as stored between its quotes when that is the text itself (no escape in it),
    /// else `None`: a caller that needs it reads the row with serde_json.
    Tekst(Option<&'a str>),
}

/// The row is not in the writer's compact shape; read it with serde_json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anders;

/// Calls `veld` for every field of `json`, in order, with its key, the key's column in
/// `sleutels` (`None`: not a key of the report) and its value. When it returns [`Anders`],
/// `veld` may already have seen some fields: the caller keeps what it collected only on `Ok`.
///
/// Keys come in the same order in nearly every row, so the column after the previous key's is
/// tried first, straight on the bytes ([`Sleutels::verwacht`]): one comparison per key instead
/// of scanning it for its closing quote and then comparing it (a third of a report's counting
/// time). Any other key is scanned and looked up ([`Sleutels::zoek`]).
pub fn velden<'a>(
    json: &'a str,
    sleutels: &Sleutels<'_>,
    mut veld: impl FnMut(&'a str, Option<usize>, Waarde<'a>),
) -> Result<(), Anders> {
    let b = json.as_bytes();
    if b.first() != Some(&b'{') {
        return Err(Anders);
    }
    let mut i = 1;
    if b.get(i) == Some(&b'}') {
        return if b.len() == 2 { Ok(()) } else { Err(Anders) };
    }
    let mut gok = 0;
    loop {
        // "key":
        if b.get(i) != Some(&b'"') {
            return Err(Anders);
        }
        let begin = i + 1;
        let (eind, kolom) = match sleutels.verwacht(gok, &b[begin..]) {
            Some((kolom, lengte)) => {
                gok = kolom + 1;
                (begin + lengte, Some(kolom))
            }
            None => {
                // Keys are short: a plain loop beats a SIMD search here.
                let mut eind = begin;
                loop {
                    match b.get(eind) {
                        Some(b'"') => break,
                        Some(b'\\') | None => return Err(Anders),
                        Some(_) => eind += 1,
                    }
                }
                (eind, sleutels.zoek(&json[begin..eind], &mut gok))
            }
        };
        if b.get(eind + 1) != Some(&b':') {
            return Err(Anders);
        }
        let sleutel = &json[begin..eind];
        i = eind + 2;
        // value
        match b.get(i) {
            Some(b'"') => {
                i += 1;
                let begin = i;
                let mut letterlijk = true;
                loop {
                    let j = i + memchr2(b'"', b'\\', &b[i..]).ok_or(Anders)?;
                    if b[j] == b'"' {
                        i = j + 1;
                        break;
                    }
                    // An escape: skip the backslash and the character it escapes.
                    letterlijk = false;
                    i = j + 2;
                }
                // JSON escapes every control character: one that is not is not the writer's.
                let tekst = &json[begin..i - 1];
                if tekst.bytes().any(|c| c < 0x20) {
                    return Err(Anders);
                }
                veld(sleutel, kolom, Waarde::Tekst(letterlijk.then_some(tekst)));
            }
            Some(c @ b'0'..=b'9') => {
                let begin = i;
                let mut getal = u64::from(c - b'0');
                i += 1;
                while let Some(c @ b'0'..=b'9') = b.get(i) {
                    // A leading zero ("03") is not JSON; more than 19 digits may not fit in
                    // a u64 (answers are at most 20).
                    if i - begin >= 19 || b[begin] == b'0' {
                        return Err(Anders);
                    }
                    getal = getal * 10 + u64::from(c - b'0');
                    i += 1;
                }
                veld(sleutel, kolom, Waarde::Getal(getal));
            }
            _ => return Err(Anders),
        }
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') if i + 1 == b.len() => return Ok(()),
            _ => return Err(Anders),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field with its key, read once without known keys (every key scanned) and once
    /// with keys that partly match the object's (the expected-key path): both must agree, also
    /// on the columns.
    fn lees(json: &str) -> Result<Vec<(&str, Waarde<'_>)>, Anders> {
        let mut uit = Vec::new();
        let zonder = velden(json, &Sleutels::new([]), |k, kolom, w| {
            assert_eq!(kolom, None);
            uit.push((k, w));
        });
        let namen = ["a@1", "b@2", "vraag-0@1", "vraag-1@2", "a", "vraag-2@1"];
        let sleutels = Sleutels::new(namen);
        let mut met = Vec::new();
        let met_sleutels = velden(json, &sleutels, |k, kolom, w| {
            assert_eq!(kolom, namen.iter().position(|n| *n == k), "{k}");
            met.push((k, w));
        });
        assert_eq!(zonder, met_sleutels, "{json}");
        zonder?;
        assert_eq!(uit, met, "{json}");
        Ok(uit)
    }

    #[test]
    fn the_expected_key_matches_only_itself_not_a_longer_or_shorter_one() {
        let sleutels = Sleutels::new(["a", "a@1"]);
        assert_eq!(sleutels.verwacht(0, br#"a":1}"#), Some((0, 1)));
        assert_eq!(sleutels.verwacht(0, br#"a@1":1}"#), None, "longer key");
        assert_eq!(sleutels.verwacht(1, br#"a":1}"#), None, "shorter key");
        assert_eq!(sleutels.verwacht(1, br#"a@1"#), None, "no closing quote");
        assert_eq!(sleutels.verwacht(2, br#"a":1}"#), None, "no column left");
        // A row whose keys come in another order still finds every column.
        let mut kolommen = Vec::new();
        velden(r#"{"a@1":2,"a":1}"#, &sleutels, |_, k, _| kolommen.push(k)).unwrap();
        assert_eq!(kolommen, [Some(1), Some(0)]);
    }

    #[test]
    fn reads_what_the_writer_writes() {
        assert_eq!(lees("{}"), Ok(vec![]));
        assert_eq!(
            lees(r#"{"a@1":3,"b@2":"tekst met \"aanhalingstekens\" en \\","c@1":0,"d@1":20}"#),
            Ok(vec![
                ("a@1", Waarde::Getal(3)),
                ("b@2", Waarde::Tekst(None)),
                ("c@1", Waarde::Getal(0)),
                ("d@1", Waarde::Getal(20)),
            ])
        );
        assert_eq!(
            lees(r#"{"x@1":"é ☃ \u00e9","y@1":1234567890123456789,"z@1":"é ☃ gewoon"}"#),
            Ok(vec![
                ("x@1", Waarde::Tekst(None)),
                ("y@1", Waarde::Getal(1_234_567_890_123_456_789)),
                ("z@1", Waarde::Tekst(Some("é ☃ gewoon"))),
            ])
        );
    }

    #[test]
    fn anything_else_goes_to_serde_json() {
        for json in [
            "",
            "[]",
            "{",
            "{ }",
            r#"{"a@1": 3}"#,
            r#"{"a@1":-3}"#,
            r#"{"a@1":3.5}"#,
            r#"{"a@1":3e2}"#,
            r#"{"a@1":03}"#,
            r#"{"a@1":12345678901234567890}"#,
            r#"{"a@1":null}"#,
            r#"{"a@1":true}"#,
            r#"{"a@1":[1]}"#,
            r#"{"a@1":{"b":1}}"#,
            r#"{"a\"b":1}"#,
            r#"{"a@1":"open"#,
            r#"{"a@1":1,}"#,
            r#"{"a@1":1}x"#,
            r#"{"a@1":1"#,
            "{\"a@1\":\"een\ttab\"}",
        ] {
            assert_eq!(lees(json), Err(Anders), "{json}");
        }
    }

    /// Every object serde_json writes for a map of numbers and texts reads back the same here
    /// (the shape `domain::antwoord` stores), and a text comes with it exactly when serde_json
    /// wrote it without an escape.
    #[test]
    fn agrees_with_serde_json_on_written_objects() {
        // A field as compared: a number, or a text (`None`: it needed an escape).
        type Veld = Result<u64, Option<String>>;
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let mut map = serde_json::Map::new();
            let mut verwacht: Vec<(String, Veld)> = Vec::new();
            for k in 0..rng.usize(0..8) {
                let sleutel = format!("vraag-{k}@{}", rng.u8(1..4));
                let waarde = if rng.bool() {
                    let n = rng.u64(0..30);
                    verwacht.push((sleutel.clone(), Ok(n)));
                    serde_json::Value::from(n)
                } else {
                    let t: String = (0..rng.usize(0..12))
                        .map(|_| ['a', '"', '\\', '\n', 'é', '☃', ' ', '\u{1}'][rng.usize(0..8)])
                        .collect();
                    let letterlijk = !t.contains(['"', '\\', '\n', '\u{1}']);
                    verwacht.push((sleutel.clone(), Err(letterlijk.then(|| t.clone()))));
                    serde_json::Value::String(t)
                };
                map.insert(sleutel, waarde);
            }
            let json = serde_json::Value::Object(map.clone()).to_string();
            // The map keeps one value per key, in key order.
            let verwacht: Vec<(String, Veld)> = map
                .keys()
                .map(|k| verwacht.iter().rev().find(|(s, _)| s == k).unwrap().clone())
                .collect();
            let gelezen: Vec<(String, Veld)> = lees(&json)
                .unwrap()
                .into_iter()
                .map(|(k, w)| {
                    let veld = match w {
                        Waarde::Getal(n) => Ok(n),
                        Waarde::Tekst(t) => Err(t.map(str::to_string)),
                    };
                    (k.to_string(), veld)
                })
                .collect();
            assert_eq!(gelezen, verwacht, "{json}");
        }
    }
}
