#!/usr/bin/env bash
# Every benchmark in one command (`make bench`): the core natively (Google Benchmark), the same workloads
# through the `stockroom` package (WebAssembly) in Node, the SQLite baseline (better-sqlite3), and the HTTP
# service against a bare Fastify route (autocannon). Raw results (JSON) go to $BENCH_OUT/results/, and
# BENCHMARKS.md (+ bench/results.json) are regenerated from them.
#
#   scripts/bench-all.sh            full run (about 10 minutes on 2 cores)
#   scripts/bench-all.sh --smoke    tiny sizes, one repetition, seconds (tests/node/bench-smoke.test.js);
#                                   writes to $BENCH_OUT only, never to BENCHMARKS.md
#
# Environment: BENCH_OUT (build/bench), BENCH_REPS (5), BENCH_SIZES (1000000,10000000),
# BENCH_SQLITE_SIZES (1000000,10000000), BENCH_HTTP_DURATION (6 s), BENCH_HTTP_RUNS (5),
# BENCH_HTTP_CONNECTIONS (50), BENCH_HTTP_PRODUCTS (10000), BENCH_ONLY (native,portable,wasm,sqlite,http).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} EMSDK_PYTHON=${EMSDK_PYTHON:-/usr/bin/python3}

smoke=0
[[ ${1:-} == --smoke ]] && smoke=1
if ((smoke)); then
  out=${BENCH_OUT:-build/bench-smoke}
  reps=1; sizes=20000; sqlite_sizes=20000; commands=2000; min_ms=20
  http_duration=1; http_runs=1; http_connections=10; http_products=30; http_warmup=200
  gbench_time=(--benchmark_min_time=0.01)
else
  out=${BENCH_OUT:-build/bench}
  reps=${BENCH_REPS:-5}; sizes=${BENCH_SIZES:-1000000,10000000}
  sqlite_sizes=${BENCH_SQLITE_SIZES:-1000000,10000000}; commands=${BENCH_COMMANDS:-200000}; min_ms=300
  http_duration=${BENCH_HTTP_DURATION:-6}; http_runs=${BENCH_HTTP_RUNS:-5}
  http_connections=${BENCH_HTTP_CONNECTIONS:-50}; http_products=${BENCH_HTTP_PRODUCTS:-10000}
  http_warmup=${BENCH_HTTP_WARMUP:-10000}
  gbench_time=()
fi
only=${BENCH_ONLY:-native,portable,wasm,sqlite,http}
want() { [[ ",$only," == *",$1,"* ]]; }
results=$out/results; data=$out/data
mkdir -p "$results" "$data"
step() { echo "::: $1 (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2; }
load_json() { printf '{"at":"%s","loadavg":"%s"}' "$(date -u +%FT%TZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
echo "{\"smoke\":$smoke,\"start\":$(load_json)," > "$results/run.json.part"

# ---- builds: the bench preset (Release) for the native side, the wasm preset for the package
bin=${BENCH_BIN:-}
if [[ -z $bin ]]; then
  if ((smoke)) && [[ -x build/native/bench/core_bench && -x build/native/bench/bench_data ]]; then
    bin=build/native/bench            # built by `make test` (native preset, RelWithDebInfo): fine for a smoke run
  else
    step "build: bench preset"
    cmake --preset bench >/dev/null && cmake --build --preset bench
    bin=build/bench/bench
  fi
fi
# A full run always builds (a no-op when current): a dist/ left from an older tree would measure the old
# core. A smoke run (inside the test suite, after `make wasm`) uses the dist/ it finds.
if ! ((smoke)) || ! [[ -f dist/wasm/stockroom-core.mjs && -f dist/wasm/stockroom-core.wasm && -f build/wasm/bench/portable_bench.cjs ]]; then
  step "build: wasm preset"
  cmake --preset wasm >/dev/null && cmake --build --preset wasm
fi

# ---- the workload files (same seed as the native benchmarks)
max_size=$(tr ',' '\n' <<<"$sizes,$sqlite_sizes" | sort -n | tail -1)
journal_args=()
for n in $(tr ',' '\n' <<<"$sizes,$sqlite_sizes" | sort -nu); do journal_args+=(--journal "$n"); done
if [[ ! -f $data/manifest.json ]] || ! node -e '
  const m = require(process.argv[1]); const want = process.argv.slice(2);
  const have = new Set(m.files.map((f) => `${f.kind}-${f.n}`));
  process.exit(want.every((w) => have.has(w)) ? 0 : 1)' "$PWD/$data/manifest.json" "commands-$commands" \
    $(for n in $(tr ',' '\n' <<<"$sizes,$sqlite_sizes" | sort -nu); do echo "journal-$n"; done); then
  step "data: bench_data (up to $max_size movements)"
  "$bin/bench_data" "$data" --commands "$commands" "${journal_args[@]}"
fi

if want native; then
  step "native: core_bench"
  "$bin/core_bench" --sizes="$sizes" --commands="$commands" \
    --benchmark_repetitions="$reps" --benchmark_report_aggregates_only="$( ((reps > 1)) && echo true || echo false)" \
    "${gbench_time[@]}" --benchmark_out="$results/native.json" --benchmark_out_format=json >&2
fi
if want portable; then
  step "portable: bench/node/portable.mjs (the same driver natively and in WebAssembly)"
  node bench/node/portable.mjs --native="$bin/portable_bench" --wasm=build/wasm/bench/portable_bench.cjs \
    --sizes="$sizes" --commands="$commands" --runs="$reps" --min-ms="$min_ms" --out="$results/portable.json"
fi
if want wasm; then
  step "wasm: bench/node/wasm.mjs"
  node bench/node/wasm.mjs --data="$data" --sizes="$sizes" --commands="$commands" --runs="$reps" \
    --min-ms="$min_ms" --out="$results/wasm.json"
fi
if want sqlite; then
  step "sqlite: bench/node/sqlite.mjs"
  node bench/node/sqlite.mjs --data="$data" --sizes="$sqlite_sizes" --runs="$reps" --min-ms="$min_ms" \
    --out="$results/sqlite.json"
fi
if want http; then
  step "http: bench/http/run.mjs"
  node bench/http/run.mjs --products="$http_products" --duration="$http_duration" --runs="$http_runs" \
    --connections="$http_connections" --warmup="$http_warmup" --out="$results/http.json"
fi

{ cat "$results/run.json.part"; echo "\"end\":$(load_json),\"bin\":\"$bin\",\"reps\":$reps,\"sizes\":\"$sizes\",\"sqlite_sizes\":\"$sqlite_sizes\",\"commands\":$commands,\"git\":\"$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')\",\"http\":{\"duration\":$http_duration,\"runs\":$http_runs,\"connections\":$http_connections,\"products\":$http_products}}"; } > "$results/run.json"
rm -f "$results/run.json.part"
step "report"
if ((smoke)); then
  node scripts/bench-report.js --results="$results" --md="$out/BENCHMARKS.md" --json="$out/results.json"
else
  node scripts/bench-report.js --results="$results" --md=BENCHMARKS.md --json=bench/results.json
fi
