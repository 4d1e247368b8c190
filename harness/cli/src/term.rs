//! What the terminal decides about output: whether to colour (the
//! `--color` flag, then anstream's reading of `NO_COLOR`, `CLICOLOR_FORCE`,
//! `TERM` and whether the stream is a terminal) and how wide a table may
//! be (`COLUMNS`, else the terminal's width, else no limit).

use crate::cli::ColorArg;
use jsbench_reports::matrix::MatrixOptions;
use jsbench_reports::style::Palette;

/// Which standard stream a text goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Records the `--color` choice for the whole process (once, in `main`).
pub fn set_color(choice: ColorArg) {
    let choice = match choice {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// The palette for text written to `stream`.
pub fn palette(stream: Stream) -> Palette {
    let choice = match stream {
        Stream::Stdout => anstream::AutoStream::choice(&std::io::stdout()),
        Stream::Stderr => anstream::AutoStream::choice(&std::io::stderr()),
    };
    Palette {
        enabled: matches!(
            choice,
            anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
        ),
    }
}

/// The widest a table may be: none with `--wide`, else `COLUMNS`, else the
/// width of the terminal standard output is (comfy-table asks it).
pub fn width(wide: bool) -> Option<usize> {
    if wide {
        return None;
    }
    parse_columns(std::env::var("COLUMNS").ok().as_deref())
        .or_else(|| comfy_table::Table::new().width().map(usize::from))
}

/// `COLUMNS` as a width, when it is a sensible number.
fn parse_columns(value: Option<&str>) -> Option<usize> {
    value?.trim().parse::<usize>().ok().filter(|w| *w >= 20)
}

/// How to lay out the matrix for `stream`.
pub fn matrix_options(stream: Stream, wide: bool) -> MatrixOptions {
    MatrixOptions {
        width: width(wide),
        palette: palette(stream),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_must_be_a_sensible_number() {
        assert_eq!(parse_columns(Some("80")), Some(80));
        assert_eq!(parse_columns(Some(" 132 ")), Some(132));
        assert_eq!(parse_columns(Some("abc")), None);
        assert_eq!(parse_columns(Some("5")), None);
        assert_eq!(parse_columns(None), None);
        assert_eq!(width(true), None, "--wide has no limit");
    }
}
