#!/usr/bin/env bash
# Install what the build needs, and only what is missing (a second run costs ~0 s).
#   scripts/install-deps.sh              apt packages of the default list + npm packages
#   scripts/install-deps.sh --apt P...   only the named apt packages (used by `make lint`)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_DEFAULT=(cmake ninja-build g++ clang libclang-rt-14-dev libgtest-dev libboost-test-dev
             nlohmann-json3-dev emscripten chromium libbenchmark-dev)

apt_deps() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "deps: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Waits for the dpkg lock instead of failing if another apt run is in progress.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
}

npm_deps() {
  [ -f package.json ] || return 0
  if [ -f package-lock.json ]; then
    # npm writes node_modules/.package-lock.json on every install; if it is older than the
    # lockfile or package.json, node_modules is stale. `npm ci` costs ~70 s, so skip it when fresh.
    local stamp=node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
      npm ci --no-audit --no-fund
    else
      echo "deps: node_modules is up to date"
    fi
  else
    npm install --no-audit --no-fund
  fi
}

if [ "${1:-}" = "--apt" ]; then
  shift; apt_deps "$@"
else
  apt_deps "${APT_DEFAULT[@]}"
  npm_deps
fi
