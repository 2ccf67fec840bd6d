#!/usr/bin/env bash
# clang-format (Google style, .clang-format) over our C++ sources.
#   scripts/format.sh          rewrite files in place
#   scripts/format.sh --check  only report, exit 1 if anything would change
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
[ "${1:-}" = "--check" ] && mode=(--dry-run --Werror)
mapfile -t files < <(find core tests wasm bench \( -name '*.cc' -o -name '*.h' \) -type f 2>/dev/null | sort)
((${#files[@]})) || { echo "format: no C++ files"; exit 0; }
clang-format "${mode[@]}" "${files[@]}"
