#!/usr/bin/env bash
# Set-up for jsbench on a fresh Debian/Ubuntu machine; safe to run again.
#
#   bash harness/setup.sh          what `jsbench run` needs: Node.js and npm, and
#                                  the npm packages of the process backends (Deno,
#                                  Bun) and of the WebAssembly backend (ComponentizeJS)
#   bash harness/setup.sh --test   also what the tests need: Chromium (the HTML
#                                  report test) and valgrind (instruction counts)
#
# Rust itself (cargo, rustc 1.95+) is expected to be installed already.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=()
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v cc >/dev/null 2>&1 || packages+=(build-essential)
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  command -v valgrind >/dev/null 2>&1 || packages+=(valgrind)
fi

if ((${#packages[@]})); then
  echo "setup: installing Debian packages: ${packages[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "setup: please install these packages first: ${packages[*]}" >&2
    exit 1
  fi
fi

# npm packages, installed from the committed lock files, only when missing or
# out of date (the same check `jsbench run` makes before it starts workers).
for dir in backends/process/js backends/wasm/js; do
  lock="$root/$dir/package-lock.json"
  installed="$root/$dir/node_modules/.package-lock.json"
  if [[ ! -f "$installed" ]] || ! node -e '
      const fs = require("fs");
      const want = JSON.parse(fs.readFileSync(process.argv[1])).packages;
      const have = JSON.parse(fs.readFileSync(process.argv[2])).packages;
      for (const [k, v] of Object.entries(want)) {
        if (k && !v.optional && (!have[k] || have[k].version !== v.version)) process.exit(1);
      }' "$lock" "$installed"; then
    echo "setup: npm ci in $dir"
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
echo "setup: done"
