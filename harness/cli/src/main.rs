//! The `jsbench` command: parses the command line and hands each subcommand
//! to its module in `commands/`.
//!
//! Exit codes: 0 when every cell succeeded, 1 when a cell failed or gave a
//! wrong output, 2 for usage errors (bad arguments, manifests or files),
//! 3 for internal errors, 4 when nothing was measured or matched, 128 + the
//! signal's number when a signal stopped it.

mod build_info;
mod cli;
mod commands;
mod embedded;
mod output;
mod progress;
mod registry;
mod signals;
mod term;

// Workers, process groups and signals are Unix; Linux is what is tested
// (see the README's "Platforms").
#[cfg(not(unix))]
compile_error!("jsbench supports Linux (and, less tested, other Unix systems); Windows is not supported");

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    term::set_color(cli.color);
    if matches!(
        cli.command,
        cli::Command::List(_)
            | cli::Command::Show(_)
            | cli::Command::Advise(_)
            | cli::Command::Report(_)
            | cli::Command::Compare(_)
            | cli::Command::History(_)
    ) {
        // Printing commands end quietly when piped into `head`; the runner
        // keeps SIGPIPE ignored so a dying worker cannot take it down.
        // SAFETY: setting a signal disposition before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let outcome = match cli.command {
        cli::Command::Run(args) => commands::run::execute(args),
        cli::Command::List(args) => commands::list::execute(args),
        cli::Command::Show(args) => commands::show::execute(args),
        cli::Command::Size(args) => commands::size::execute(args),
        cli::Command::Features(args) => commands::features::execute(args),
        cli::Command::Sandbox(args) => commands::sandbox::execute(args),
        cli::Command::Density(args) => commands::density::execute(args),
        cli::Command::Concurrency(args) => commands::concurrency::execute(args),
        cli::Command::Conformance(args) => commands::conformance::execute(args),
        cli::Command::Report(args) => commands::report::execute(args),
        cli::Command::Compare(args) => commands::compare::execute(args),
        cli::Command::History(args) => commands::history::execute(args),
        cli::Command::Merge(args) => commands::merge::execute(args),
        cli::Command::Advise(args) => commands::advise::execute(args),
        cli::Command::Check(args) => commands::check::execute(args),
        cli::Command::Setup(args) => commands::setup::execute(args),
        cli::Command::New(args) => commands::new::execute(args),
        cli::Command::Worker(args) => commands::worker::execute(args),
        cli::Command::TransportPeer(args) => commands::worker::transport_peer(args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", commands::error_message(&error));
            commands::exit_code_for(&error)
        }
    }
}
