// The benchmarks must never rot: every benchmark script runs here at tiny sizes (seconds, not minutes):
// the native core_bench and bench_data, the portable driver natively and in WebAssembly, the package and SQLite benchmarks, the HTTP one (bare and service,
// group commit included), and the report generator. The full run is `make bench` (not part of CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('scripts/bench-all.sh --smoke runs every benchmark and writes the report', { timeout: 300000 }, (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-smoke-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  execFileSync('bash', ['scripts/bench-all.sh', '--smoke'], { cwd: root, env: { ...process.env, BENCH_OUT: out }, stdio: ['ignore', 'ignore', 'pipe'] });
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  // native: every workload ran without error
  const names = results.native.benchmarks.map((b) => b.run_name);
  for (const w of ['ApplyCommands/2k', 'Json/ApplyCommands/2k', 'ReplayJournal/20k', 'ReportWorkspaceMonth/20k', 'LowStock/20k', 'ProductStock/20k', 'LevelAsOf/20k', 'MemoryPerMovement/20k']) {
    assert.ok(names.some((n) => n.startsWith(w)), `native ${w} ran`);
  }
  assert.ok(results.native.benchmarks.every((b) => !b.error_occurred), 'no native benchmark failed');
  // the package, SQLite, HTTP: every measurement has a positive median
  for (const layer of ['wasm', 'sqlite', 'http']) {
    const b = results[layer].benchmarks;
    assert.ok(Object.keys(b).length >= 4, `${layer} has its measurements`);
    for (const [name, m] of Object.entries(b)) assert.ok(m.median > 0, `${layer} ${name}: ${m.median}`);
  }
  assert.equal(results.wasm.benchmarks['ReplayJournal/20k'].movements, 20000);
  assert.ok(results.wasm.benchmarks['ReplayJournal/20k'].first > 0, 'the first replay of the process is reported');
  // the portable driver ran every workload on both targets, and both computed the same answers (the
  // script fails otherwise): one checksum per workload
  const portable = results.portable.benchmarks;
  for (const w of ['ApplyCommands/2k', 'Json/ApplyCommands/2k', 'ReplayJournal/20k', 'ReportWorkspaceMonth/20k', 'LowStock/20k', 'ProductStock/20k', 'LevelAsOf/20k', 'Json/ReportWorkspaceMonth/20k']) {
    assert.ok(portable[w]?.native.median > 0 && portable[w]?.wasm.median > 0 && portable[w].wasm_x_native > 0, `portable ${w}`);
  }
  assert.equal(results.portable.checksums_equal, Object.keys(portable).length);
  // the three layers answered the same report: as many summary rows natively, in wasm and in SQL
  const nativeRows = results.native.benchmarks.find((b) => b.run_name.startsWith('ReportWorkspaceMonth/20k')).rows;
  assert.equal(results.wasm.benchmarks['ReportWorkspaceMonth/20k'].rows, nativeRows);
  assert.equal(results.sqlite.benchmarks['ReportWorkspaceMonth/20k'].rows, nativeRows);
  // durable transfers answered 2xx only, with commits shared
  const http = results.http;
  for (const [name, m] of Object.entries(http.benchmarks)) assert.ok(m.runs.every((r) => r.bad === 0), `${name}: only 2xx`);
  assert.ok(http.group_commit.requests > 0 && http.group_commit.failures === 0);
  // each route measured after its uncounted warm-up, GET stock also in the process that seeded the data
  for (const name of ['Bare/GET', 'Bare/POST', 'Seeded/GET stock', 'Service/GET stock', 'Service/POST transfer']) assert.ok(http.benchmarks[name]?.median > 0, `http ${name}`);
  assert.equal(http.warmup, 200);
  // each service run paired with a bare run; the share of bare is the median of the pairs' ratios
  for (const name of ['Seeded/GET stock', 'Service/GET stock', 'Service/POST transfer']) {
    const m = http.benchmarks[name];
    assert.equal(m.paired_shares.length, http.runs, `${name}: one ratio per run`);
    assert.ok(m.paired_shares.every((x, i) => Math.abs(x - m.runs[i].rps / m.bare_rps[i]) < 1e-9), `${name}: each ratio is its pair's`);
    assert.ok(m.share_of_bare >= Math.min(...m.paired_shares) && m.share_of_bare <= Math.max(...m.paired_shares), name);
  }
  // the report has every section and every goal
  const md = fs.readFileSync(path.join(out, 'BENCHMARKS.md'), 'utf8');
  for (const s of ['## Machine and run', '## Core', '## The core compiled to WebAssembly', '## Memory per movement', '## HTTP service', '## Goals']) assert.ok(md.includes(s), s);
  assert.ok(md.includes('in the process that took the seeding writes'), 'the seeding process\'s GET stock is in the report');
  assert.ok(md.includes('paired runs'), 'the GET stock goal says its ratio is paired');
  assert.ok(results.goals.length >= 8, 'every goal is reported');
  assert.ok(md.includes("The process's first replay (20k)"), 'the first replay of the process is in the report');
});
