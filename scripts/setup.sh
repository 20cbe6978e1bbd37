#!/usr/bin/env bash
# One-time (idempotent) set-up: a virtualenv with the project and its dev tools, plus the
# Debian packages the tests drive (Chromium for browser tests, Virtuoso for remote-store
# tests, haproxy for the load-balancer test, wrk for kg bench). Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
want_system=${KG_SETUP_SYSTEM:-1}

# Build tools for PyICU (Swedish collation): Debian's ICU headers, pkg-config and a C++
# compiler. Needed to install the Python side, so installed whatever KG_SETUP_SYSTEM says.
if ! pkg-config --exists icu-i18n 2>/dev/null || ! command -v g++ >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
  echo "setup: installing Debian packages for PyICU: libicu-dev pkg-config g++"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libicu-dev pkg-config g++ >/dev/null \
    || { echo "setup: could not install libicu-dev pkg-config g++ (needed by PyICU)" >&2; exit 1; }
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing the project and its dev dependencies"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi

if [ "$want_system" = "1" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
  command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)  # the load-balancer test
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)  # kg bench: many clients at once
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
      if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
        echo "setup: not root and no sudo; cannot install ${missing[*]} (browser/remote tests will be skipped)" >&2
        exit 0
      fi
    fi
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
  fi
fi
echo "setup: ready"
