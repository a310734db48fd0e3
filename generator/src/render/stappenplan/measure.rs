//! Text sizes without a font engine: widths estimated from character classes, generous
//! enough for wide sans-serif fonts (Verdana, DejaVu Sans), so text never overflows its box.

/// Font sizes and vertical measures of the text in a drawing, in SVG user units (px at 100 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Font size of the step text.
    pub font_size: f64,
    /// Distance between two baselines of step text.
    pub line_height: f64,
    /// From the top of a text line to its baseline.
    pub line_baseline: f64,
    /// Font size of the role name above the step text (bold).
    pub role_font_size: f64,
    /// Height of the role line (badge and name) above the text.
    pub header_height: f64,
    /// Radius of the round badge with the role's initials.
    pub badge_radius: f64,
    /// Font size of the initials in the badge (bold).
    pub badge_font_size: f64,
    /// From the middle of the role line to the baselines of the initials and the role name.
    pub badge_baseline: f64,
    pub role_baseline: f64,
    /// Font size of edge labels ("ja", "nee"; bold), the height of their background and the
    /// baseline within it.
    pub label_font_size: f64,
    pub label_height: f64,
    pub label_baseline: f64,
}

/// The drawing for wide screens and paper: compact, scaled down to fit the page.
pub const WIDE: Metrics = Metrics {
    font_size: 14.0,
    line_height: 18.0,
    line_baseline: 13.0,
    role_font_size: 12.0,
    header_height: 22.0,
    badge_radius: 9.0,
    badge_font_size: 10.0,
    badge_baseline: 3.5,
    role_baseline: 4.0,
    label_font_size: 13.0,
    label_height: 18.0,
    label_baseline: 13.5,
};

/// The drawing for phones: shown at 100 % or larger, so every text is at least 14 CSS px.
pub const NARROW: Metrics = Metrics {
    font_size: 15.0,
    line_height: 20.0,
    line_baseline: 14.5,
    role_font_size: 14.0,
    header_height: 26.0,
    badge_radius: 11.0,
    badge_font_size: 14.0,
    badge_baseline: 5.0,
    role_baseline: 5.0,
    label_font_size: 14.0,
    label_height: 20.0,
    label_baseline: 14.5,
};

impl Metrics {
    /// The smallest font size in the drawing.
    pub fn smallest_font_size(&self) -> f64 {
        self.font_size
            .min(self.role_font_size)
            .min(self.badge_font_size)
            .min(self.label_font_size)
    }

    /// Width of the badge with a role's initials: a circle, or a pill for three letters.
    pub fn badge_width(&self, initials: &str) -> f64 {
        (text_width(initials, self.badge_font_size, true) + 8.0).max(2.0 * self.badge_radius)
    }

    /// Width of an edge label's background.
    pub fn label_width(&self, label: &str) -> f64 {
        text_width(label, self.label_font_size, true) + 2.0 * LABEL_PAD_X
    }
}

/// Gap between badge and role name.
pub const BADGE_GAP: f64 = 5.0;
/// Horizontal padding inside an edge label's background.
pub const LABEL_PAD_X: f64 = 5.0;

/// Width of one character in em, by rough class.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' | '.' | ',' | ':' | ';' | '!' | 'ï' | 'í' | 'ì' => 0.34,
        'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | 'I' | '/' | '"' => 0.44,
        'm' | 'w' => 0.94,
        'M' | 'W' => 1.0,
        'A'..='Z' | 'À'..='Ý' | '?' | '…' => 0.74,
        '0'..='9' => 0.66,
        _ => 0.64,
    }
}

/// Estimated width of `text` at `size` px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    em * size * if bold { 1.08 } else { 1.0 }
}

/// Greedy word wrap so that each line is at most `max_width` wide (a single word longer
/// than that gets a line of its own and is not broken).
pub fn wrap(text: &str, max_width: f64, size: f64) -> Vec<String> {
    // A word wider than the limit widens the box anyway: let the other lines use that width.
    let max_width = text
        .split_whitespace()
        .map(|w| text_width(w, size, false))
        .fold(max_width, f64::max);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if line.is_empty() {
            line.push_str(word);
            continue;
        }
        let candidate = format!("{line} {word}");
        if text_width(&candidate, size, false) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What is written inside one box: a role line (badge with initials, role name) and the
/// wrapped step text, with the size of that block.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxText {
    pub initials: String,
    pub role: String,
    pub lines: Vec<String>,
    /// Width of the widest line (role line included).
    pub width: f64,
    /// Height of the role line plus the text lines.
    pub height: f64,
}

impl BoxText {
    /// Lays out `text` under `role`, wrapping at `max_width`, with the sizes of `metrics`.
    pub fn new(
        initials: &str,
        role: &str,
        text: &str,
        max_width: f64,
        metrics: &Metrics,
    ) -> BoxText {
        let lines = wrap(text, max_width, metrics.font_size);
        let header = Self::header_width_of(initials, role, metrics);
        let width = lines
            .iter()
            .map(|l| text_width(l, metrics.font_size, false))
            .fold(header, f64::max);
        BoxText {
            initials: initials.to_string(),
            role: role.to_string(),
            height: metrics.header_height + metrics.line_height * lines.len() as f64,
            lines,
            width,
        }
    }

    fn header_width_of(initials: &str, role: &str, metrics: &Metrics) -> f64 {
        metrics.badge_width(initials) + BADGE_GAP + text_width(role, metrics.role_font_size, true)
    }

    /// Width of the role line: badge, gap and name.
    pub fn header_width(&self, metrics: &Metrics) -> f64 {
        Self::header_width_of(&self.initials, &self.role, metrics)
    }
}

/// Short initials for every role, distinct where the names allow it: the first letters of the
/// first two words ("CLB-medewerker" → "CM"), a single word's first letter ("Directeur" → "D"),
/// and for names that share their first letter, the first letter plus the first letter where
/// the names differ ("Zorgteam" → "ZT", "Zorgleerkracht" → "ZL").
pub fn initials(names: &[&str]) -> Vec<String> {
    let base: Vec<String> = names.iter().map(|n| simple_initials(n)).collect();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let letters = |name: &str| -> Vec<char> {
                name.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect()
            };
            let clashes: Vec<Vec<char>> = (0..names.len())
                .filter(|&j| j != i && base[j] == base[i])
                .map(|j| letters(names[j]))
                .collect();
            if clashes.is_empty() || base[i].chars().count() > 1 {
                return base[i].clone();
            }
            let own = letters(name);
            // First position where this name has a letter that no clashing name has there.
            let differs_at =
                (1..own.len()).find(|&k| clashes.iter().all(|other| other.get(k) != Some(&own[k])));
            match differs_at {
                Some(k) => format!("{}{}", base[i], own[k].to_uppercase()),
                None => base[i].clone(),
            }
        })
        .collect()
}

fn simple_initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let first = |w: &str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default()
    };
    match words.as_slice() {
        [] => "?".to_string(),
        [one] if one.len() <= 3 && one.chars().all(|c| c.is_uppercase()) => one.to_string(),
        [one] => first(one),
        [a, b, ..] => format!("{}{}", first(a), first(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width_but_never_breaks_a_word() {
        let lines = wrap(
            "Bespreek de zorg met de ouders van de leerling.",
            150.0,
            WIDE.font_size,
        );
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(text_width(line, WIDE.font_size, false) <= 150.0, "{line}");
        }
        assert_eq!(
            lines.join(" "),
            "Bespreek de zorg met de ouders van de leerling."
        );
        assert_eq!(
            wrap("ondersteuningsnetwerk", 50.0, WIDE.font_size),
            ["ondersteuningsnetwerk"]
        );
        assert_eq!(wrap("", 50.0, WIDE.font_size), [""]);
    }

    #[test]
    fn the_narrow_drawing_has_no_text_below_14_units() {
        assert_eq!(NARROW.smallest_font_size(), 14.0);
        assert!(WIDE.smallest_font_size() < 14.0);
    }

    #[test]
    fn box_text_is_as_wide_as_its_widest_line() {
        let b = BoxText::new("ZC", "Zorgcoördinator", "Kort.", 200.0, &WIDE);
        assert_eq!(b.width, b.header_width(&WIDE));
        assert_eq!(b.height, WIDE.header_height + WIDE.line_height);
    }

    #[test]
    fn initials_are_short_and_mostly_distinct() {
        let names = [
            "Klasleerkracht",
            "Zorgleerkracht",
            "Zorgcoördinator",
            "Zorgteam",
            "Directeur",
            "CLB",
            "CLB-medewerker",
            "Jij, de ouder",
            "Je kind",
        ];
        let got = initials(&names);
        assert_eq!(got, ["K", "ZL", "ZC", "ZT", "D", "CLB", "CM", "JD", "JK"]);
    }
}
