//! One home for the child processes jsbench starts: the worker processes of
//! the harness and the Node/Deno/Bun processes of the process backends.
//!
//! Every child is spawned in a process group of its own with a parent-death
//! signal (it dies with the thread that started it, even when that process
//! is killed with SIGKILL), its stderr is read on a thread into a bounded
//! tail for error messages, and [`Supervised`] kills the whole group and
//! every process below the child and reaps it on every way out, `Drop`
//! included, so nothing is left behind.
//!
//! [`placement`] puts a process and its children on chosen CPUs.
//! [`procfs`] reads what the harness watches (resident sizes, the process
//! tree); [`describe_exit`] words an exit status the same way everywhere.

#![deny(missing_docs)]

pub mod placement;
mod process;
pub mod procfs;
mod text;

pub use process::{SpawnError, Supervised, kill_tree};
pub use text::{describe_exit, signal_name, tail_bytes, tail_lines};
