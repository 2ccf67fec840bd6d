// Shared helpers of the Node benchmarks: arguments, medians, timing loops, the workload files that
// bench_data writes (bench/bench_data.cc), and the report window every layer asks for.
import fs from 'node:fs';

/** --name=value arguments (and --flag) into an object; numbers stay strings. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]] = m[2] ?? true;
  }
  return out;
}

export const sizesOf = (text, fallback) => String(text ?? fallback).split(',').filter(Boolean).map(Number);

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Milliseconds of one call of fn (wall clock). */
export function timeOnce(fn) {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Microseconds per call: calls fn(i) until minMs has passed (at least minCalls times). */
export function perCall(fn, { minMs = 200, minCalls = 5 } = {}) {
  let calls = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (calls < minCalls || elapsed < minMs * 1e6) {
    fn(calls);
    calls += 1;
    elapsed = Number(process.hrtime.bigint() - t0);
  }
  return elapsed / 1e3 / calls;
}

/** Repeats a measurement `runs` times; returns { median, runs: [...] }. */
export function repeat(runs, measure) {
  const values = [];
  for (let i = 0; i < runs; i++) values.push(measure(i));
  return { median: median(values), runs: values };
}

/** The workload files: { catalog, commands(n), journalChunks(n) }. */
export function workload(dir) {
  if (!fs.existsSync(`${dir}/catalog.json`)) throw new Error(`no workload in ${dir}: run bench_data first (scripts/bench-all.sh does)`);
  return {
    dir,
    catalog: () => JSON.parse(fs.readFileSync(`${dir}/catalog.json`, 'utf8')),
    commands: (n) => fs.readFileSync(`${dir}/commands-${n}.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
    journalFile: (n) => `${dir}/journal-${n}.tsv`,
    /** The journal as strings of at most `chunkBytes` (whole lines): V8 strings stop at 512 MiB. */
    journalChunks(n, chunkBytes = 64 << 20) {
      const buf = fs.readFileSync(`${dir}/journal-${n}.tsv`);
      const chunks = [];
      let start = 0;
      while (start < buf.length) {
        let end = Math.min(start + chunkBytes, buf.length);
        if (end < buf.length) end = buf.lastIndexOf(10, end - 1) + 1;
        chunks.push(buf.toString('utf8', start, end));
        start = end;
      }
      return chunks;
    },
  };
}

// The report window of every layer: workspace 3, 2026-01-03 .. 2026-02-01 (whole UTC days, inclusive),
// as the native benchmark's [start + 2 days, start + 32 days).
export const WORKLOAD_START = Date.UTC(2026, 0, 1);
export const REPORT = { workspace_id: 3, start_date: '2026-01-03', end_date: '2026-02-01',
  from: WORKLOAD_START + 2 * 86400000, until: WORKLOAD_START + 32 * 86400000 };
export const LOW_STOCK_WORKSPACE = 3;
export const AS_OF = WORKLOAD_START + 5 * 86400000; // level before this instant
export const PRODUCTS = 10000;
export const WORKSPACES = 20;

export function writeJson(path, value) {
  if (!path) return;
  fs.writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

export function log(...args) { process.stderr.write(args.join(' ') + '\n'); }
