//! Children started after `set_child_cpus` run on those CPUs (its own test
//! binary: the setting is process-wide).

use jsbench_supervise::Supervised;
use jsbench_supervise::placement::{CpuSet, current_thread_cpus, set_child_cpus};
use std::io::Read;
use std::process::Command;

fn allowed_list_of_a_child() -> String {
    let mut command = Command::new("sh");
    command.args(["-c", "grep Cpus_allowed_list /proc/self/status"]);
    let mut child = Supervised::spawn(command, "sh", 1024).expect("spawn");
    let mut out = String::new();
    child
        .take_stdout()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read");
    child.finish(std::time::Duration::from_secs(10));
    out.split(':').nth(1).unwrap_or_default().trim().to_string()
}

#[test]
fn children_go_where_they_are_placed() {
    let all = current_thread_cpus().expect("affinity");
    let last = *all.cpus().last().expect("a CPU");
    set_child_cpus(Some(CpuSet::new(vec![last]).unwrap()));
    assert_eq!(allowed_list_of_a_child(), last.to_string());
    set_child_cpus(None);
    let everywhere = allowed_list_of_a_child();
    assert_eq!(everywhere.parse::<CpuSet>().unwrap(), all, "{everywhere}");
}
