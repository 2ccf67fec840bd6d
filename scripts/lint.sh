#!/usr/bin/env bash
# Static analysis of the core: cppcheck (fast) then clang-tidy (~7 s per TU, nlohmann is heavy)
# against the native compile_commands.json. Never point clang-tidy at build/wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --apt cppcheck clang-tidy
shopt -s nullglob
srcs=(core/src/*.cc)
((${#srcs[@]})) || { echo "lint: no core/src/*.cc"; exit 0; }
# Keep /usr/include off cppcheck's include path, or it parses all of nlohmann.
cppcheck --std=c++20 --language=c++ -I core/include \
  --enable=warning,style,performance,portability --inline-suppr \
  --suppress=missingIncludeSystem --error-exitcode=1 --quiet core/src
cmake --preset native >/dev/null          # writes build/native/compile_commands.json
clang-tidy -p build/native --quiet "${srcs[@]}"
