//! What the harness reads of running processes from Linux's `/proc`:
//! resident sizes and the process tree. Elsewhere every reading is `None`
//! (or the tree is the root alone), so limits that depend on it say so
//! instead of failing.

/// A `kB` field of `/proc/<pid>/status` (e.g. `VmRSS:`, `VmHWM:`), in KiB.
/// `pid` `None` reads the calling process.
pub fn status_kib(pid: Option<u32>, field: &str) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    parse_status_kib(&std::fs::read_to_string(path).ok()?, field)
}

/// Peak resident size (`VmHWM`) in bytes; `None` for the calling process.
pub fn peak_rss(pid: Option<u32>) -> Option<u64> {
    status_kib(pid, "VmHWM:").map(|kib| kib * 1024)
}

/// Current resident size (`VmRSS`) in bytes; `None` for the calling process.
pub fn rss(pid: Option<u32>) -> Option<u64> {
    status_kib(pid, "VmRSS:").map(|kib| kib * 1024)
}

/// A `kB` field in the text of a `/proc/<pid>/status` file.
pub fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// The process `root` and every process below it, followed by parent id (a
/// runtime child may lead a process group of its own).
pub fn process_tree(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return vec![root];
    };
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            Some((pid, stat_ppid(&stat)?))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, p)| *p == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    tree
}

/// Resident bytes of `root` and every process below it (`/proc/<pid>/statm`).
pub fn tree_resident_bytes(root: u32) -> u64 {
    // SAFETY: sysconf has no preconditions.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    process_tree(root)
        .iter()
        .filter_map(|pid| {
            let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
            statm.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map(|pages| pages * page)
        .sum()
}

/// The parent id in a `/proc/<pid>/stat` line: the 4th field, counted after
/// the command name, which is in parentheses and may hold spaces.
pub fn stat_ppid(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_is_read_after_the_command_name() {
        assert_eq!(stat_ppid("123 (a b) c) S 77 4567 4567 0 -1"), Some(77));
        assert_eq!(stat_ppid("garbage"), None);
    }

    #[test]
    fn status_fields_parse() {
        let status = "Name:\tnode\nVmPeak:\t  100 kB\nVmHWM:\t   45308 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(parse_status_kib(status, "VmHWM:"), Some(45308));
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(1));
        assert_eq!(parse_status_kib("Name: x\n", "VmHWM:"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn children_are_counted() {
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let own = rss(None).unwrap();
        let alone = rss(Some(child.id())).unwrap_or(0);
        let total = tree_resident_bytes(std::process::id());
        assert!(process_tree(std::process::id()).contains(&child.id()));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(total >= own / 2 + alone / 2, "{total} < {own} + {alone}");
        assert!(alone > 0);
    }
}
