#!/usr/bin/env bash
# Set-up for jsbench on a fresh Debian/Ubuntu machine; safe to run again.
#
#   bash harness/setup.sh          what `jsbench run` needs: Node.js and npm (with
#                                  which jsbench installs Deno, Bun and ComponentizeJS
#                                  into its cache folder on first use) and a C compiler
#   bash harness/setup.sh --test   also what the tests need: Chromium (the HTML
#                                  report test) and valgrind (instruction counts)
#
# Rust itself (cargo, rustc 1.95+) is expected to be installed already.
set -euo pipefail

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

# The npm packages (Deno, Bun, ComponentizeJS) are not installed here: the
# jsbench binary carries its server scripts and npm projects and installs
# them, on first use, into content-hashed folders of its cache folder
# ($JSBENCH_CACHE_DIR, else ~/.cache/jsbench), then runs `npm ci` there; the
# library tests do the same. Nothing is written into the checkout.
# `cargo run --release -- setup` does it ahead of the first run.

# The prebuilt V8 beside the project, where there is one (else the v8 crate
# downloads its library).
bash "$(dirname "${BASH_SOURCE[0]}")/v8-mirror.sh"
echo "setup: done"
