//! The body map: where on the body a teacher saw an injury, as regions of a drawing of a body seen
//! from the front and from the back (issue 19).
//!
//! A region is ticked as a labelled checkbox, so the map works by keyboard, with a screen reader
//! and without JavaScript; the drawing beside the boxes (server-drawn SVG, made from the shapes
//! here) shows what is ticked. An entry stores the ticked regions' codes, one per line, in the
//! order of [`REGIONS`]; only codes of that list are kept.
//!
//! Left and right are the pupil's own: on the front view the pupil's right arm is on the viewer's
//! left, as on a medical body map. The labels say "rechts" and "links" of the pupil, so no one has
//! to work it out from the drawing.

/// Which view of the body a region belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Voor,
    Achter,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Voor, Side::Achter];

    pub fn label(self) -> &'static str {
        match self {
            Side::Voor => "Voorkant",
            Side::Achter => "Achterkant",
        }
    }

    /// The prefix of its regions' codes, and the id of its drawing.
    pub fn code(self) -> &'static str {
        match self {
            Side::Voor => "v",
            Side::Achter => "a",
        }
    }
}

/// The outline of a region in the drawing's coordinates (a figure of 200 by 420).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Rect {
        x: u16,
        y: u16,
        w: u16,
        h: u16,
        r: u16,
    },
    Ellipse {
        cx: u16,
        cy: u16,
        rx: u16,
        ry: u16,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Region {
    /// Stored; never changed once in use (entries keep it).
    pub code: &'static str,
    /// The part of the body, without the side of the drawing ("hoofd en gezicht").
    pub label: &'static str,
    pub side: Side,
    pub shape: Shape,
}

/// The width and height of one figure.
pub const FIGURE: (u16, u16) = (200, 420);

const fn rect(x: u16, y: u16, w: u16, h: u16, r: u16) -> Shape {
    Shape::Rect { x, y, w, h, r }
}

const fn ellipse(cx: u16, cy: u16, rx: u16, ry: u16) -> Shape {
    Shape::Ellipse { cx, cy, rx, ry }
}

const fn region(code: &'static str, label: &'static str, side: Side, shape: Shape) -> Region {
    Region {
        code,
        label,
        side,
        shape,
    }
}

/// Seen from the front, the pupil's right is on the viewer's left (x < 100); seen from the back,
/// on the viewer's right. The limbs therefore swap places between the two lists.
pub const REGIONS: &[Region] = &[
    region(
        "v-hoofd",
        "hoofd en gezicht",
        Side::Voor,
        ellipse(100, 36, 24, 28),
    ),
    region("v-hals", "hals", Side::Voor, rect(89, 64, 22, 14, 4)),
    region("v-borst", "borst", Side::Voor, rect(64, 78, 72, 58, 12)),
    region("v-buik", "buik", Side::Voor, rect(66, 136, 68, 50, 6)),
    region(
        "v-schaamstreek",
        "onderbuik en schaamstreek",
        Side::Voor,
        rect(66, 186, 68, 30, 8),
    ),
    region(
        "v-bovenarm-r",
        "rechterbovenarm",
        Side::Voor,
        rect(38, 82, 24, 70, 11),
    ),
    region(
        "v-bovenarm-l",
        "linkerbovenarm",
        Side::Voor,
        rect(138, 82, 24, 70, 11),
    ),
    region(
        "v-onderarm-r",
        "rechteronderarm",
        Side::Voor,
        rect(32, 154, 24, 64, 11),
    ),
    region(
        "v-onderarm-l",
        "linkeronderarm",
        Side::Voor,
        rect(144, 154, 24, 64, 11),
    ),
    region(
        "v-hand-r",
        "rechterhand (handpalm)",
        Side::Voor,
        ellipse(44, 232, 13, 15),
    ),
    region(
        "v-hand-l",
        "linkerhand (handpalm)",
        Side::Voor,
        ellipse(156, 232, 13, 15),
    ),
    region(
        "v-bovenbeen-r",
        "rechterbovenbeen",
        Side::Voor,
        rect(68, 218, 30, 86, 12),
    ),
    region(
        "v-bovenbeen-l",
        "linkerbovenbeen",
        Side::Voor,
        rect(102, 218, 30, 86, 12),
    ),
    region(
        "v-onderbeen-r",
        "rechterknie en -scheenbeen",
        Side::Voor,
        rect(70, 306, 26, 80, 11),
    ),
    region(
        "v-onderbeen-l",
        "linkerknie en -scheenbeen",
        Side::Voor,
        rect(104, 306, 26, 80, 11),
    ),
    region(
        "v-voet-r",
        "rechtervoet",
        Side::Voor,
        rect(64, 388, 32, 18, 8),
    ),
    region(
        "v-voet-l",
        "linkervoet",
        Side::Voor,
        rect(104, 388, 32, 18, 8),
    ),
    region(
        "a-hoofd",
        "achterhoofd",
        Side::Achter,
        ellipse(100, 36, 24, 28),
    ),
    region("a-nek", "nek", Side::Achter, rect(89, 64, 22, 14, 4)),
    region(
        "a-bovenrug",
        "bovenrug en schouderbladen",
        Side::Achter,
        rect(64, 78, 72, 58, 12),
    ),
    region(
        "a-onderrug",
        "onderrug",
        Side::Achter,
        rect(66, 136, 68, 50, 6),
    ),
    region("a-billen", "billen", Side::Achter, rect(66, 186, 68, 30, 8)),
    region(
        "a-bovenarm-l",
        "linkerbovenarm",
        Side::Achter,
        rect(38, 82, 24, 70, 11),
    ),
    region(
        "a-bovenarm-r",
        "rechterbovenarm",
        Side::Achter,
        rect(138, 82, 24, 70, 11),
    ),
    region(
        "a-onderarm-l",
        "linkeronderarm",
        Side::Achter,
        rect(32, 154, 24, 64, 11),
    ),
    region(
        "a-onderarm-r",
        "rechteronderarm",
        Side::Achter,
        rect(144, 154, 24, 64, 11),
    ),
    region(
        "a-hand-l",
        "linkerhand (handrug)",
        Side::Achter,
        ellipse(44, 232, 13, 15),
    ),
    region(
        "a-hand-r",
        "rechterhand (handrug)",
        Side::Achter,
        ellipse(156, 232, 13, 15),
    ),
    region(
        "a-bovenbeen-l",
        "achterkant linkerbovenbeen",
        Side::Achter,
        rect(68, 218, 30, 86, 12),
    ),
    region(
        "a-bovenbeen-r",
        "achterkant rechterbovenbeen",
        Side::Achter,
        rect(102, 218, 30, 86, 12),
    ),
    region(
        "a-kuit-l",
        "linkerkuit",
        Side::Achter,
        rect(70, 306, 26, 80, 11),
    ),
    region(
        "a-kuit-r",
        "rechterkuit",
        Side::Achter,
        rect(104, 306, 26, 80, 11),
    ),
    region(
        "a-hiel-l",
        "linkerhiel en voetzool",
        Side::Achter,
        rect(64, 388, 32, 18, 8),
    ),
    region(
        "a-hiel-r",
        "rechterhiel en voetzool",
        Side::Achter,
        rect(104, 388, 32, 18, 8),
    ),
];

/// The regions of one view, in drawing order.
pub fn regions(side: Side) -> impl Iterator<Item = &'static Region> {
    REGIONS.iter().filter(move |r| r.side == side)
}

/// What an entry keeps of the ticked boxes: the codes of known regions, one per line, in the
/// order of [`REGIONS`] and each once, whatever order or repeats the form sent. Anything else is
/// dropped: a form can only send the list's codes.
pub fn stored<'a>(ticked: impl IntoIterator<Item = &'a str>) -> String {
    let ticked: Vec<&str> = ticked.into_iter().map(str::trim).collect();
    REGIONS
        .iter()
        .filter(|r| ticked.contains(&r.code))
        .map(|r| r.code)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a stored value marks `code`.
pub fn marks(stored: &str, code: &str) -> bool {
    stored.lines().any(|l| l == code)
}

/// The stored regions in words, for the chronology, the print view and the melding:
/// "voorkant: hoofd en gezicht, borst; achterkant: onderrug".
pub fn readable(stored: &str) -> String {
    Side::ALL
        .iter()
        .filter_map(|side| {
            let parts: Vec<&str> = regions(*side)
                .filter(|r| marks(stored, r.code))
                .map(|r| r.label)
                .collect();
            (!parts.is_empty())
                .then(|| format!("{}: {}", side.label().to_lowercase(), parts.join(", ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_a_unique_code_that_names_its_side() {
        let mut codes: Vec<&str> = REGIONS.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), REGIONS.len(), "codes are unique");
        for r in REGIONS {
            assert!(
                r.code.starts_with(&format!("{}-", r.side.code())),
                "{} is on the {:?} side",
                r.code,
                r.side
            );
        }
    }

    #[test]
    fn every_shape_lies_inside_the_figure() {
        let (w, h) = FIGURE;
        for r in REGIONS {
            let (left, top, right, bottom) = match r.shape {
                Shape::Rect { x, y, w, h, .. } => (x, y, x + w, y + h),
                Shape::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, cx + rx, cy + ry),
            };
            assert!(left < right && top < bottom, "{}", r.code);
            assert!(
                right <= w && bottom <= h,
                "{} lies inside the figure",
                r.code
            );
        }
    }

    #[test]
    fn the_pupils_right_is_on_the_viewers_left_from_the_front_and_on_the_right_from_the_back() {
        let centre = |code: &str| match REGIONS.iter().find(|r| r.code == code).unwrap().shape {
            Shape::Rect { x, w, .. } => x + w / 2,
            Shape::Ellipse { cx, .. } => cx,
        };
        assert!(centre("v-bovenarm-r") < 100 && centre("v-bovenarm-l") > 100);
        assert!(centre("a-bovenarm-r") > 100 && centre("a-bovenarm-l") < 100);
        assert!(centre("v-voet-r") < 100 && centre("a-hiel-r") > 100);
    }

    #[test]
    fn only_known_regions_are_kept_each_once_in_the_lists_order() {
        assert_eq!(
            stored(["a-billen", "v-hoofd", "onzin", "v-hoofd", " v-borst "]),
            "v-hoofd\nv-borst\na-billen"
        );
        assert_eq!(stored(["<script>"]), "");
    }

    #[test]
    fn the_regions_read_in_words_per_side() {
        assert_eq!(
            readable("v-hoofd\nv-borst\na-onderrug"),
            "voorkant: hoofd en gezicht, borst; achterkant: onderrug"
        );
        assert_eq!(readable("a-kuit-l"), "achterkant: linkerkuit");
        assert_eq!(readable(""), "");
    }
}
