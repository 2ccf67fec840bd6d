#!/usr/bin/env bash
# Print one aggregate line "N passed, N failed" from the layer logs in build/logs/:
#   ctest:       "83% tests passed, 1 tests failed out of 6"
#   node --test: "# pass 3" / "# fail 0"  (TAP reporter, which node 20 uses without a TTY)
# A layer whose log has neither line (e.g. its build failed) is named, so a short count is explained.
set -euo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0; silent=()
shopt -s nullglob
for log in build/logs/*.log; do
  found=0
  while read -r f t; do
    passed=$((passed + t - f)); failed=$((failed + f)); found=1
  done < <(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log")
  while read -r n; do passed=$((passed + n)); found=1; done < <(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log")
  while read -r n; do failed=$((failed + n)); found=1; done < <(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log")
  ((found)) || silent+=("$(basename "$log" .log)")
done
((${#silent[@]} == 0)) || echo "tests: no test summary in: ${silent[*]} (build failed or layer skipped)"
echo "$passed passed, $failed failed"
