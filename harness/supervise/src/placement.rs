//! CPU placement: which CPUs a process (and the children it starts) may run
//! on, so a measuring worker and the runtime process it calls do not compete
//! for one CPU, or always share one, by the scheduler's whim.
//!
//! A [`CpuSet`] is parsed from the usual list syntax (`0`, `0,2`, `0-3`).
//! [`pin_current_thread`] places the calling thread (and so everything it
//! spawns afterwards, which inherits its mask); [`set_child_cpus`] chooses
//! the CPUs of every [`Supervised`](crate::Supervised) child this process
//! starts from then on (applied in the child between fork and exec).

use std::fmt;
use std::str::FromStr;
use std::sync::RwLock;

/// A set of CPU numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CpuSet(Vec<usize>);

/// What is wrong with a CPU list or a placement.
#[derive(Debug, thiserror::Error)]
pub enum PlacementError {
    /// The text is not a CPU list.
    #[error("`{text}` is not a CPU list (expected numbers and ranges like `0`, `0,2` or `0-3`)")]
    Syntax {
        /// The text given.
        text: String,
    },
    /// A CPU number beyond what an affinity mask can hold.
    #[error("CPU {cpu} is beyond the {max} CPUs an affinity mask can name")]
    TooLarge {
        /// The CPU asked for.
        cpu: usize,
        /// The mask's capacity.
        max: usize,
    },
    /// The kernel refused the mask (e.g. a CPU that is offline or not in
    /// this process's cgroup).
    #[error("cannot place the process on CPUs {cpus}: {source}")]
    Refused {
        /// The CPUs asked for.
        cpus: CpuSet,
        /// The kernel's answer.
        source: std::io::Error,
    },
}

impl CpuSet {
    /// The CPUs, ascending, without repeats.
    pub fn new(mut cpus: Vec<usize>) -> Result<CpuSet, PlacementError> {
        cpus.sort_unstable();
        cpus.dedup();
        let max = libc::CPU_SETSIZE as usize;
        if let Some(&cpu) = cpus.iter().find(|&&c| c >= max) {
            return Err(PlacementError::TooLarge { cpu, max });
        }
        if cpus.is_empty() {
            return Err(PlacementError::Syntax { text: String::new() });
        }
        Ok(CpuSet(cpus))
    }

    /// The CPU numbers, ascending.
    pub fn cpus(&self) -> &[usize] {
        &self.0
    }

    fn mask(&self) -> libc::cpu_set_t {
        // SAFETY: cpu_set_t is plain data; all zeroes is the empty set, and
        // every CPU number was checked against CPU_SETSIZE.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        for &cpu in &self.0 {
            unsafe { libc::CPU_SET(cpu, &mut set) };
        }
        set
    }
}

impl FromStr for CpuSet {
    type Err = PlacementError;

    fn from_str(text: &str) -> Result<CpuSet, PlacementError> {
        let syntax = || PlacementError::Syntax { text: text.to_string() };
        let mut cpus = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let number = |s: &str| s.trim().parse::<usize>().map_err(|_| syntax());
            match part.split_once('-') {
                Some((low, high)) => {
                    let (low, high) = (number(low)?, number(high)?);
                    if low > high || high - low > libc::CPU_SETSIZE as usize {
                        return Err(syntax());
                    }
                    cpus.extend(low..=high);
                }
                None => cpus.push(number(part)?),
            }
        }
        CpuSet::new(cpus).map_err(|e| match e {
            PlacementError::Syntax { .. } => syntax(),
            other => other,
        })
    }
}

impl fmt::Display for CpuSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.0.iter().map(usize::to_string).collect();
        f.write_str(&text.join(","))
    }
}

/// Places the calling thread on `cpus` and returns the CPUs it could use
/// before, to put it back with the same function.
pub fn pin_current_thread(cpus: &CpuSet) -> Result<CpuSet, PlacementError> {
    let before = current_thread_cpus().map_err(|source| PlacementError::Refused {
        cpus: cpus.clone(),
        source,
    })?;
    let mask = cpus.mask();
    // SAFETY: pid 0 is the calling thread; the mask is a valid cpu_set_t.
    let status = unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mask) };
    if status != 0 {
        return Err(PlacementError::Refused {
            cpus: cpus.clone(),
            source: std::io::Error::last_os_error(),
        });
    }
    Ok(before)
}

/// The CPUs the calling thread may run on.
pub fn current_thread_cpus() -> std::io::Result<CpuSet> {
    // SAFETY: zeroed is a valid empty cpu_set_t, which the kernel fills.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
    if status != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let cpus = (0..libc::CPU_SETSIZE as usize)
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .collect();
    CpuSet::new(cpus).map_err(std::io::Error::other)
}

static CHILD_CPUS: RwLock<Option<CpuSet>> = RwLock::new(None);

/// Chooses the CPUs of every child this process spawns from now on through
/// [`Supervised`](crate::Supervised) (`None`: wherever the spawning thread
/// may run, the default).
pub fn set_child_cpus(cpus: Option<CpuSet>) {
    let mut slot = CHILD_CPUS.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    *slot = cpus;
}

/// The CPUs chosen by [`set_child_cpus`], if any.
pub fn child_cpus() -> Option<CpuSet> {
    CHILD_CPUS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// The affinity mask a child should get between fork and exec.
pub(crate) fn child_mask() -> Option<libc::cpu_set_t> {
    child_cpus().map(|cpus| cpus.mask())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges_parse() {
        assert_eq!("0".parse::<CpuSet>().unwrap().cpus(), &[0]);
        assert_eq!("2,0,2".parse::<CpuSet>().unwrap().cpus(), &[0, 2]);
        assert_eq!("0-3".parse::<CpuSet>().unwrap().cpus(), &[0, 1, 2, 3]);
        assert_eq!(" 1 , 3-4".parse::<CpuSet>().unwrap().to_string(), "1,3,4");
        for bad in ["", "a", "1-", "3-1", "1,,2", "-1"] {
            assert!(
                matches!(bad.parse::<CpuSet>(), Err(PlacementError::Syntax { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            "100000".parse::<CpuSet>(),
            Err(PlacementError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_thread_is_pinned_and_put_back() {
        std::thread::spawn(|| {
            let all = current_thread_cpus().unwrap();
            let first = CpuSet::new(vec![all.cpus()[0]]).unwrap();
            let before = pin_current_thread(&first).unwrap();
            assert_eq!(before, all);
            assert_eq!(current_thread_cpus().unwrap(), first);
            pin_current_thread(&before).unwrap();
            assert_eq!(current_thread_cpus().unwrap(), all);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_cpu_outside_the_machine_is_refused() {
        let beyond = CpuSet::new(vec![libc::CPU_SETSIZE as usize - 1]).unwrap();
        std::thread::spawn(move || {
            assert!(matches!(
                pin_current_thread(&beyond),
                Err(PlacementError::Refused { .. })
            ));
        })
        .join()
        .unwrap();
    }
}
