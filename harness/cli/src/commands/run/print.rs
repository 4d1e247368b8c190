//! What `jsbench run` prints when it ends: the matrix fitted to the
//! terminal, the closing summary (with the profile's caveat), where the
//! run's time went, where the results went, and one line on stability: a count of unstable cells (for
//! `--quick`, the summary's caveat says the figures are for smoke tests
//! instead). With `-o -` standard output carries the JSON alone, so all
//! of it goes to standard error.

use crate::output::Destination;
use crate::term::{self, Stream};
use jsbench_reports::style::Tone;
use jsbench_reports::{analysis, summary, table};
use jsbench_schema::{CellStatus, Results};

/// Prints the end of a run.
pub fn outcome(results: &Results, destination: &Destination, wide: bool) {
    let shown = destination.shown();
    let stream = if destination.path().is_some() {
        Stream::Stdout
    } else {
        Stream::Stderr
    };
    let palette = term::palette(stream);
    let mut text = table::render_with(results, &term::matrix_options(stream, wide));
    let mut summarised = false;
    if let Ok(analysis) = analysis::analyze(results, None)
        && !analysis.rows.is_empty()
    {
        text.push('\n');
        text.push_str(&summary::closing(&analysis, &results.config.profile, palette));
        summarised = true;
    }
    if let Some(line) = summary::time_line(results) {
        text.push_str(&format!("\n{line}."));
    }
    text.push_str(&format!(
        "\nResults written to {shown} (seed {}, profile {}).\n",
        results.config.seed, results.config.profile
    ));
    match stream {
        Stream::Stdout => print!("{text}"),
        Stream::Stderr => eprint!("{text}"),
    }
    let findings = jsbench_runner::check::check(results, &Default::default());
    let checked = results.cells.iter().filter(|c| c.status == CellStatus::Ok).count();
    let flagged = jsbench_runner::check::flagged_cells(&findings);
    let quick = results.config.profile == "quick";
    // After a quick run the summary's caveat is the one line on stability.
    if quick && summarised {
        return;
    }
    if let Some(line) = summary::stability_line(&results.config.profile, flagged, checked, &shown) {
        let tone = if flagged > 0 && !quick { Tone::Warn } else { Tone::Dim };
        eprintln!("{}", term::palette(Stream::Stderr).paint(&line, tone));
    }
}
