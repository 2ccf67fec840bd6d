#!/usr/bin/env bash
# Runs every libFuzzer harness for $1 seconds (default 600) and prints each one's final stats
# (executions, coverage); crashes are written to build/fuzz/crashes/. Used for RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
mkdir -p build/fuzz/crashes
for name in json_api decimal journal; do
  work=build/fuzz/fuzz/corpus-$name
  mkdir -p "$work"
  echo "::: $name for ${seconds}s"
  build/fuzz/fuzz/${name}_fuzz -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/$name- "$work" fuzz/corpus/$name 2>&1 |
    grep -E '^(stat::|==|SUMMARY|#[0-9]+ *DONE)' || true
done
