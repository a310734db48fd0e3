//! Role colours made safe to read: whatever colour a school picks in `rollen.toml`, text keeps
//! a contrast of at least 4.5:1 and borders at least 3:1 (WCAG 2.2, 1.4.3 and 1.4.11).

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const WHITE: Rgb = Rgb(255, 255, 255);
/// Text colour inside boxes and labels.
pub const INK: Rgb = Rgb(0x1a, 0x1a, 0x1a);
/// Colour of connection lines and arrows.
pub const LINE: Rgb = Rgb(0x3d, 0x3d, 0x3d);

impl Rgb {
    /// Parses `#rrggbb` (as checked by `rollen.toml` validation); anything else gives grey.
    pub fn parse(hex: &str) -> Rgb {
        let channel = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        };
        match (
            hex.starts_with('#') && hex.len() == 7,
            channel(1),
            channel(3),
            channel(5),
        ) {
            (true, Some(r), Some(g), Some(b)) => Rgb(r, g, b),
            _ => Rgb(0x60, 0x60, 0x60),
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// `self` moved towards `other` by `t` (0 = self, 1 = other).
    pub fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// Contrast ratio between two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The colours a role gets in a flowchart.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleColours {
    /// Box border: the role colour, darkened until it stands out 3:1 from white and the fill.
    pub stroke: Rgb,
    /// Box background: a light tint of the role colour; [`INK`] text on it is at least 4.5:1.
    pub fill: Rgb,
    /// Badge background: dark enough for white initials (4.5:1).
    pub badge: Rgb,
}

impl RoleColours {
    pub fn from_hex(hex: &str) -> RoleColours {
        let base = Rgb::parse(hex);
        let mut fill = base.mix(WHITE, 0.86);
        while contrast(INK, fill) < 7.0 {
            fill = fill.mix(WHITE, 0.25);
        }
        let darken_until = |colour: Rgb, ok: &dyn Fn(Rgb) -> bool| {
            let mut c = colour;
            for _ in 0..40 {
                if ok(c) {
                    break;
                }
                c = c.mix(Rgb(0, 0, 0), 0.1);
            }
            c
        };
        let stroke = darken_until(base, &|c| {
            contrast(c, WHITE) >= 3.0 && contrast(c, fill) >= 3.0
        });
        let badge = darken_until(base, &|c| contrast(c, WHITE) >= 4.5);
        RoleColours {
            stroke,
            fill,
            badge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast(Rgb(0, 0, 0), WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        assert!(contrast(LINE, WHITE) >= 3.0);
        assert!(contrast(INK, WHITE) >= 4.5);
    }

    #[test]
    fn any_role_colour_gives_readable_boxes() {
        for hex in [
            "#ffff00", "#ffffff", "#000000", "#1f6f8b", "#b0245a", "#8fd14f", "#00ffff", "#777777",
            "xx",
        ] {
            let c = RoleColours::from_hex(hex);
            assert!(contrast(INK, c.fill) >= 4.5, "{hex}: text on fill");
            assert!(contrast(c.stroke, WHITE) >= 3.0, "{hex}: border on page");
            assert!(contrast(c.stroke, c.fill) >= 3.0, "{hex}: border on fill");
            assert!(contrast(WHITE, c.badge) >= 4.5, "{hex}: initials on badge");
        }
    }

    #[test]
    fn dark_colours_are_kept() {
        let c = RoleColours::from_hex("#1f6f8b");
        assert_eq!(c.stroke.hex(), "#1f6f8b");
        assert_eq!(c.badge.hex(), "#1f6f8b");
    }
}
