//! Size probe `baseline`: no engine. Prints its first argument, a value only
//! known at run time, so the output path is not optimised away.

fn main() {
    let script = std::env::args().nth(1).unwrap_or_default();
    println!("baseline: {script}");
}
