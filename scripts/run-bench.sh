#!/usr/bin/env bash
# Build the bench preset and run every benchmark executable it produced (Google Benchmark),
# writing JSON results to build/bench/results/ for comparison against bench/ baselines.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/CMakeLists.txt ]; then
  echo "bench: bench/CMakeLists.txt does not exist yet: nothing to run" >&2; exit 1
fi
cmake --preset bench
cmake --build --preset bench
mkdir -p build/bench/results
found=0
while IFS= read -r exe; do
  found=1
  name=$(basename "$exe")
  echo "::: $name"
  "$exe" --benchmark_out="build/bench/results/$name.json" --benchmark_out_format=json ${BENCH_ARGS:-}
done < <(find build/bench/bench -maxdepth 1 -type f -executable | sort)
((found)) || { echo "bench: no executables in build/bench/bench/" >&2; exit 1; }
