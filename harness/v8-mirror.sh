#!/usr/bin/env bash
# Points the `v8` crate at the prebuilt V8 beside the project, only where it
# exists.
#
#   bash harness/v8-mirror.sh [PROJECT_DIR]    (run by harness/setup.sh)
#
# The v8 crate downloads its static library at build time unless
# RUSTY_V8_MIRROR names a folder holding it; since v8 150.4.0 a mirror that
# lacks the files fails the build (no fallback). So the variable is set only
# when ../shared/rusty_v8/v<version> exists beside the project, for the
# version Cargo.lock pins: this script writes .cargo/v8-mirror.toml (not
# tracked; .cargo/config.toml includes it when present) and removes it
# everywhere else, where the crate's normal download applies.
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
config="$root/.cargo/v8-mirror.toml"
# The `version = "…"` line after `name = "v8"` in the lock file.
version=$(awk '$0 == "name = \"v8\"" { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")

if [[ -n "$version" && -d "$root/../shared/rusty_v8/v$version" ]]; then
  mkdir -p "$root/.cargo"
  cat >"$config" <<'EOF'
# Written by harness/v8-mirror.sh (run by harness/setup.sh) because the
# prebuilt V8 exists beside the project; removed where it does not.
[env]
RUSTY_V8_MIRROR = { value = "../shared/rusty_v8", relative = true }
EOF
  echo "setup: v8 uses the prebuilt V8 in $(cd "$root/../shared/rusty_v8" && pwd)/v$version"
else
  rm -f "$config"
  echo "setup: no prebuilt V8 ${version:+v$version }beside the project; the v8 crate downloads its library"
fi
