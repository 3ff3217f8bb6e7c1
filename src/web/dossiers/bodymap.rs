//! The body map as pages draw it (`domain::bodymap`): one figure per view of the body, its regions
//! as SVG shapes marked where the entry or the form ticks them.

use crate::domain::bodymap::{self, Shape, Side};

pub struct RegionView {
    pub code: &'static str,
    pub label: &'static str,
    pub marked: bool,
    pub shape: Shape,
}

impl RegionView {
    /// The shape as the SVG element's name and attributes (numbers only: nothing to escape).
    pub fn svg(&self) -> String {
        match self.shape {
            Shape::Rect { x, y, w, h, r } => {
                format!(r#"rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}""#)
            }
            Shape::Ellipse { cx, cy, rx, ry } => {
                format!(r#"ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}""#)
            }
        }
    }
}

pub struct FigureView {
    pub label: &'static str,
    pub regions: Vec<RegionView>,
}

impl FigureView {
    pub fn view_box(&self) -> String {
        let (w, h) = bodymap::FIGURE;
        format!("0 0 {w} {h}")
    }
}

/// Both figures, with the regions `stored` (codes one per line) marks.
pub fn figures(stored: &str) -> Vec<FigureView> {
    Side::ALL
        .iter()
        .map(|side| FigureView {
            label: side.label(),
            regions: bodymap::regions(*side)
                .map(|r| RegionView {
                    code: r.code,
                    label: r.label,
                    marked: bodymap::marks(stored, r.code),
                    shape: r.shape,
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_fills_on_the_form_as_its_box_is_ticked() {
        // The form marks a region without a script, by a line of the stylesheet per region.
        let css = include_str!("../../../static/style.css");
        for r in bodymap::REGIONS {
            let line = format!(
                ".bodymap-view:has(input[value=\"{}\"]:checked) .bm-{}",
                r.code, r.code
            );
            assert!(css.contains(&line), "style.css lacks: {line}");
        }
    }

    #[test]
    fn the_figures_mark_what_is_stored_and_nothing_else() {
        let figs = figures("v-hoofd\na-billen");
        let marked: Vec<&str> = figs
            .iter()
            .flat_map(|f| f.regions.iter().filter(|r| r.marked).map(|r| r.code))
            .collect();
        assert_eq!(marked, ["v-hoofd", "a-billen"]);
        assert_eq!(figs[0].label, "Voorkant");
        assert!(figs[0].regions[0].svg().starts_with("ellipse cx="));
    }
}
