//! The size of an installed runtime (Node, Deno, Bun): its executable, and
//! its installation: the npm package folders it came in (hard links counted
//! once, symbolic links not followed), else the installed size of the Debian
//! package that owns it (`dpkg-query`).

use crate::error::{InstallError, Result, SizeError};
use crate::probe::{Locate, NpmLayout, Setup};
use jsbench_schema::{Bytes, SizeReport};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fills `report` with the runtime's executable and installation. A runtime
/// that cannot be found or set up is an error; an unknown installation only
/// a note.
pub(crate) fn measure(report: &mut SizeReport, locate: &Locate, setup: Option<&Setup>, npm: &NpmLayout) -> Result<()> {
    if let Some(setup) = setup {
        setup().map_err(SizeError::Setup)?;
    }
    let located = locate().map_err(SizeError::Locate)?;
    report.component = format!("{} {}", report.name, located.version);
    let real = located.binary.canonicalize().unwrap_or(located.binary);
    let meta = std::fs::metadata(&real).map_err(|source| SizeError::Io {
        action: "reading",
        path: real.clone(),
        source,
    })?;
    report.binary_bytes = Some(meta.len());
    report.binary = Some(real.display().to_string());
    match install_size(&real, npm) {
        Ok((size, how)) => {
            report.install_bytes = Some(size);
            report.notes.push(how);
        }
        Err(why) => report.notes.push(format!("install size unavailable: {why}")),
    }
    Ok(())
}

/// The installed size of a runtime whose executable is `binary`: its npm
/// package folders when it lies in a `node_modules` folder, else the Debian
/// package's. Returns the size and how it was found.
pub fn install_size(binary: &Path, npm: &NpmLayout) -> Result<(Bytes, String), InstallError> {
    match node_modules_of(binary) {
        Some(modules) => npm_size(&modules, npm),
        None => dpkg_size(binary),
    }
}

/// The bytes of the layout's package folders under `modules`.
fn npm_size(modules: &Path, npm: &NpmLayout) -> Result<(Bytes, String), InstallError> {
    let mut folders: Vec<PathBuf> = npm.packages.iter().map(|p| modules.join(p)).collect();
    for scope in &npm.scopes {
        if let Ok(dir) = std::fs::read_dir(modules.join(scope)) {
            let mut platform: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
            platform.sort();
            folders.extend(platform);
        }
    }
    folders.retain(|f| f.is_dir());
    let mut seen = HashSet::new();
    let mut total = 0;
    for folder in &folders {
        total += tree_size(folder, &mut seen).map_err(|source| InstallError::Read {
            path: folder.clone(),
            source,
        })?;
    }
    let names: Vec<String> = folders
        .iter()
        .filter_map(|f| f.strip_prefix(modules).ok())
        .map(|f| f.display().to_string())
        .collect();
    Ok((total, format!("install = npm packages {}", names.join(" + "))))
}

/// The installed size of the Debian package that owns `binary`.
fn dpkg_size(binary: &Path) -> Result<(Bytes, String), InstallError> {
    let owner = Command::new("dpkg-query")
        .arg("-S")
        .arg(binary)
        .output()
        .map_err(InstallError::NoDpkg)?;
    if !owner.status.success() {
        return Err(InstallError::NoOwner {
            binary: binary.to_path_buf(),
        });
    }
    let package = owning_package(&String::from_utf8_lossy(&owner.stdout)).ok_or_else(|| InstallError::Dpkg {
        what: "package",
        subject: binary.display().to_string(),
    })?;
    let size = Command::new("dpkg-query")
        .args(["-W", "-f=${Installed-Size}", &package])
        .output()
        .map_err(InstallError::NoDpkg)?;
    let kib: u64 = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .map_err(|_| InstallError::Dpkg {
            what: "installed size",
            subject: package.clone(),
        })?;
    Ok((
        kib * 1024,
        format!("install = Debian package {package} (Installed-Size, KiB as the package states it)"),
    ))
}

/// The package of the first line of `dpkg-query -S` output
/// (`nodejs: /usr/bin/node`).
fn owning_package(output: &str) -> Option<String> {
    output
        .lines()
        .next()
        .and_then(|l| l.split(':').next())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

/// The `node_modules` folder a path is inside, if any.
fn node_modules_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "node_modules"))
        .map(Path::to_path_buf)
}

/// Bytes of the regular files under `dir` (symbolic links not followed,
/// hard links counted once), like `du -sb --apparent-size`.
fn tree_size(dir: &Path, seen: &mut HashSet<(u64, u64)>) -> std::io::Result<Bytes> {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.path().symlink_metadata()?;
        if meta.is_dir() {
            total += tree_size(&entry.path(), seen)?;
        } else if meta.is_file() && seen.insert((meta.dev(), meta.ino())) {
            total += meta.len();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_size_counts_hard_links_once_and_skips_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a"), vec![0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("sub/b"), vec![0u8; 24]).unwrap();
        std::fs::hard_link(dir.path().join("a"), dir.path().join("sub/a-again")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("link")).unwrap();
        assert_eq!(tree_size(dir.path(), &mut HashSet::new()).unwrap(), 1024);
    }

    #[test]
    fn npm_installs_are_the_layouts_package_folders() {
        let dir = tempfile::tempdir().unwrap();
        let modules = dir.path().join("node_modules");
        for (path, len) in [("deno/bin/deno", 100), ("@deno/linux-x64/deno", 50), ("other/x", 7)] {
            let file = modules.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, vec![0u8; len]).unwrap();
        }
        let layout = NpmLayout {
            packages: vec!["deno".into()],
            scopes: vec!["@deno".into()],
        };
        let (size, how) = install_size(&modules.join("deno/bin/deno"), &layout).unwrap();
        assert_eq!(size, 150, "the other package is not the runtime's");
        assert_eq!(how, "install = npm packages deno + @deno/linux-x64");
    }

    #[test]
    fn dpkg_output_names_the_package() {
        assert_eq!(owning_package("nodejs: /usr/bin/node\n").as_deref(), Some("nodejs"));
        assert_eq!(owning_package(""), None);
        assert_eq!(node_modules_of(Path::new("/usr/bin/node")), None);
    }
}
