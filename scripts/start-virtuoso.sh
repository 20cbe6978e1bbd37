#!/usr/bin/env bash
# Start a private OpenLink Virtuoso on 127.0.0.1 for Samverkansgrafen and print the store
# spec to use (kg --store SPEC build, kg serve --store SPEC). Runs in the foreground; Ctrl-C
# stops it. The database lives in DIR (default var/virtuoso) and survives restarts.
#
#   scripts/start-virtuoso.sh [DIR] [HTTP_PORT] [SQL_PORT]
#
# Needs Debian's virtuoso-opensource (scripts/setup.sh installs it). The anonymous SPARQL
# user is granted update rights so that `kg build` can load over HTTP: fine on 127.0.0.1,
# never on a shared server (there, load with Virtuoso's bulk loader and serve read-only;
# see README: Remote stores and scaling).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-var/virtuoso}
http_port=${2:-8890}
sql_port=${3:-1111}
if ! command -v virtuoso-t >/dev/null 2>&1; then
  echo "start-virtuoso: virtuoso-t is missing; run scripts/setup.sh (installs virtuoso-opensource)" >&2
  exit 1
fi
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
exec "$PY" -m kg.devtools.servers virtuoso --dir "$dir" --http-port "$http_port" --sql-port "$sql_port"
