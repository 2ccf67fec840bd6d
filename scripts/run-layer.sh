#!/usr/bin/env bash
# Run one test layer, teeing its whole output into build/logs/<layer>.log (read by
# summarize-tests.sh). Exit status is the command's, not tee's.
#   scripts/run-layer.sh <layer> <command> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
layer=$1; shift
mkdir -p build/logs
log=build/logs/$layer.log
t0=$SECONDS
echo "::: $layer: $*"
rc=0
"$@" 2>&1 </dev/null | tee "$log" || rc=$?
echo "::: $layer took $((SECONDS - t0))s (exit $rc)"
exit "$rc"
