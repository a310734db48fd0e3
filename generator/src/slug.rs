//! URL-safe anchors and path segments from Dutch text ("Zorg op onze school" → `zorg-op-onze-school`).

/// Lowercase ASCII slug: accents dropped, everything else that is not a letter or digit becomes `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ş' => 's',
        'ğ' => 'g',
        'ı' => 'i',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(
            super::slugify("Zorg op onze school!"),
            "zorg-op-onze-school"
        );
        assert_eq!(
            super::slugify("Zorgcoördinator (zoco)"),
            "zorgcoordinator-zoco"
        );
        assert_eq!(super::slugify("  Één  "), "een");
    }
}
