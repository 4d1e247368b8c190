//! Density, written by `jsbench density`: how much memory each further
//! instance of a backend costs, idle (created) and with a workload loaded,
//! measured by creating K instances in one worker and reading the growth of
//! the worker's resident size (its runtime child processes included).

use crate::CellError;
use serde::{Deserialize, Serialize};

/// One backend's density series, idle or loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DensityReport {
    /// Backend name.
    pub backend: String,
    /// The workload loaded into each instance (also named for idle series).
    pub workload: String,
    /// Whether each instance had the workload loaded and called once
    /// (`false`: created only).
    pub loaded: bool,
    /// One point per instance count reached, ascending.
    #[serde(default)]
    pub points: Vec<DensityPoint>,
    /// What stopped the series before its last count, if anything.
    #[serde(default)]
    pub error: Option<CellError>,
}

/// The memory of K live instances.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DensityPoint {
    /// Instances alive.
    pub instances: u32,
    /// Growth of the resident size of the worker and its children since
    /// before the first instance, in bytes.
    pub resident_growth: u64,
    /// Memory the engines report, summed over the instances, where they
    /// report any.
    #[serde(default)]
    pub engine: Option<u64>,
}

impl DensityPoint {
    /// Resident bytes per instance at this count.
    pub fn per_instance(&self) -> f64 {
        self.resident_growth as f64 / f64::from(self.instances.max(1))
    }

    /// How many such instances fit in 1 GiB of resident memory (`None`
    /// when the growth was too small to measure).
    pub fn instances_per_gib(&self) -> Option<f64> {
        let per = self.per_instance();
        (per >= 1.0).then(|| (1u64 << 30) as f64 / per)
    }
}

impl DensityReport {
    /// The point with the most instances (the steadiest per-instance
    /// figure: fixed costs are spread over the most instances).
    pub fn largest(&self) -> Option<&DensityPoint> {
        self.points.iter().max_by_key(|p| p.instances)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_instance_and_per_gib() {
        let p = DensityPoint {
            instances: 10,
            resident_growth: 10 << 20,
            engine: None,
        };
        assert_eq!(p.per_instance(), (1 << 20) as f64);
        assert_eq!(p.instances_per_gib(), Some(1024.0));
        let none = DensityPoint {
            instances: 10,
            resident_growth: 0,
            engine: None,
        };
        assert_eq!(none.instances_per_gib(), None);
    }
}
