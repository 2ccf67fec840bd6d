// The core compiled natively and to WebAssembly, the same driver (bench/portable_bench.cc) on the same
// seeded data: the ratio is the compilation target alone, without the package's JS boundary. Runs the
// native program and the WebAssembly one under this node in turns, one repetition each per turn (a
// shared machine's slow spell then falls on both, not on whichever ran during it), and fails when their
// checksums differ (the two builds must compute the same answers).
//
//   node bench/node/portable.mjs --native=build/bench/bench/portable_bench
//        --wasm=build/wasm/bench/portable_bench.cjs [--sizes=1000000,10000000] [--commands=200000]
//        [--runs=5] [--min-ms=300] [--out=results.json]
import { execFileSync } from 'node:child_process';
import { log, median, parseArgs, writeJson } from './lib.mjs';

const args = parseArgs();
const runs = Number(args.runs ?? 5);
const flags = [`--sizes=${args.sizes ?? '1000000,10000000'}`, `--commands=${args.commands ?? 200000}`,
  '--runs=1', `--min-ms=${args['min-ms'] ?? 300}`];
const run = (file, argv) => {
  log(`portable: ${file} ${flags.join(' ')}`);
  return JSON.parse(execFileSync(file, [...argv, ...flags], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] }));
};
const nativeRun = () => run(args.native ?? 'build/bench/bench/portable_bench', []);
// --no-liftoff: V8 has no on-stack replacement for WebAssembly, so a function entered once for the whole
// run (this driver's loops, with the workload inlined into them by the optimizer) would stay in the
// baseline compiler's code however hot it gets. --no-wasm-lazy-compilation: compile every function when
// the module loads, not on its first call inside a timed loop. Together they measure what the native
// build is: optimized code, compiled ahead. (The package's calls are short; V8 tiers them up after a few.)
const wasmRun = () => run(process.execPath, ['--no-liftoff', '--no-wasm-lazy-compilation',
  args.wasm ?? 'build/wasm/bench/portable_bench.cjs']);

/** Throws unless two results carry the same checksums (the same answers). */
function sameAnswers(a, b, what) {
  const differing = Object.keys(a.checksums).filter((k) => a.checksums[k] !== b.checksums[k]);
  if (differing.length) throw new Error(`portable: answers differ ${what} in ${differing.join(', ')}`);
}

/** The runs of one target merged: every benchmark's values across runs, the median, one set of checksums. */
function merge(list) {
  const out = { checksums: list[0].checksums, benchmarks: {} };
  for (const [name, b] of Object.entries(list[0].benchmarks)) {
    const values = list.map((r) => r.benchmarks[name].median);
    out.benchmarks[name] = { unit: b.unit, median: median(values), runs: values };
  }
  for (const r of list) sameAnswers(out, r, 'between runs');
  return out;
}
const nativeRuns = []; const wasmRuns = [];
for (let i = 0; i < runs; i++) { nativeRuns.push(nativeRun()); wasmRuns.push(wasmRun()); }
const native = merge(nativeRuns); const wasm = merge(wasmRuns);

sameAnswers(native, wasm, 'between native and WebAssembly');

const benchmarks = {};
for (const [name, n] of Object.entries(native.benchmarks)) {
  const w = wasm.benchmarks[name];
  // "× native" as everywhere in BENCHMARKS.md: how many times slower WebAssembly is.
  const slower = n.unit === 'us' ? w.median / n.median : n.median / w.median;
  benchmarks[name] = { unit: n.unit, native: n, wasm: w, wasm_x_native: slower };
  log(`portable ${name}: native ${n.median.toPrecision(4)}, wasm ${w.median.toPrecision(4)} ${n.unit} (${slower.toFixed(2)}x)`);
}
writeJson(args.out, { layer: 'portable', node: process.version, checksums_equal: Object.keys(native.checksums).length, benchmarks });
