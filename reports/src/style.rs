//! Colour where it helps the reader: the fastest cell, regressions and
//! failures. A [`Palette`] is either on or off; whether it is on (the
//! `--color` flag, `NO_COLOR`, a terminal) is decided by the binary, so
//! every renderer stays a pure function tested with colour off and on.

use comfy_table::{Attribute, Cell as TableCell, Color, Table};

/// What a piece of text means, which picks its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The fastest of a row, an improvement: bold green.
    Best,
    /// A regression, a failure, a broken cell: bold red.
    Bad,
    /// Unstable, partial, unavailable or unsupported: yellow.
    Warn,
    /// Less important text (notes, "-"): dimmed.
    Dim,
}

/// Colour on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    /// Whether to emit colour.
    pub enabled: bool,
}

impl Palette {
    /// No colour.
    pub const OFF: Palette = Palette { enabled: false };
    /// Colour.
    pub const ON: Palette = Palette { enabled: true };

    /// `text` with the escape codes of `tone` around it (unchanged when off).
    pub fn paint(self, text: &str, tone: Tone) -> String {
        if !self.enabled || text.is_empty() {
            return text.to_string();
        }
        let style = anstyle::Style::new();
        let style = match tone {
            Tone::Best => style.fg_color(Some(anstyle::AnsiColor::Green.into())).bold(),
            Tone::Bad => style.fg_color(Some(anstyle::AnsiColor::Red.into())).bold(),
            Tone::Warn => style.fg_color(Some(anstyle::AnsiColor::Yellow.into())),
            Tone::Dim => style.dimmed(),
        };
        format!("{style}{text}{style:#}")
    }

    /// A table cell styled by `tone` (comfy-table applies the style after
    /// laying out the table, so the widths stay right).
    pub fn cell(self, cell: TableCell, tone: Option<Tone>) -> TableCell {
        match (self.enabled, tone) {
            (true, Some(Tone::Best)) => cell.fg(Color::Green).add_attribute(Attribute::Bold),
            (true, Some(Tone::Bad)) => cell.fg(Color::Red).add_attribute(Attribute::Bold),
            (true, Some(Tone::Warn)) => cell.fg(Color::Yellow),
            (true, Some(Tone::Dim)) => cell.add_attribute(Attribute::Dim),
            _ => cell,
        }
    }

    /// Makes `table` emit its cells' styles when on, and none when off,
    /// whatever the streams are.
    pub fn apply(self, table: &mut Table) {
        if self.enabled {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_leaves_text_alone_and_on_wraps_it() {
        assert_eq!(Palette::OFF.paint("slow", Tone::Bad), "slow");
        let red = Palette::ON.paint("slow", Tone::Bad);
        assert!(
            red.starts_with("\u{1b}[") && red.contains("slow") && red.ends_with("\u{1b}[0m"),
            "{red:?}"
        );
    }

    #[test]
    fn tables_are_styled_only_when_on() {
        let render = |palette: Palette| {
            let mut table = Table::new();
            palette.apply(&mut table);
            table.add_row(vec![palette.cell(TableCell::new("fast"), Some(Tone::Best))]);
            table.to_string()
        };
        assert!(!render(Palette::OFF).contains('\u{1b}'));
        assert!(render(Palette::ON).contains('\u{1b}'));
    }
}
