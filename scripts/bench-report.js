#!/usr/bin/env node
// Regenerates BENCHMARKS.md (and one combined raw JSON) from the results of scripts/bench-all.sh:
// native.json (Google Benchmark), portable.json, wasm.json, sqlite.json, http.json, run.json.
//   node scripts/bench-report.js --results=build/bench/results --md=BENCHMARKS.md --json=bench/results.json
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const m = /^--([^=]+)=(.*)$/.exec(a); return m ? [m[1], m[2]] : [a, true]; }));
const dir = args.results ?? 'build/bench/results';
// Google Benchmark writes NaN / inf for some aggregates (the cv of a counter that is always 0): not JSON
const read = (f) => (fs.existsSync(`${dir}/${f}`)
  ? JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8').replace(/:\s*-?(NaN|inf|Infinity)\b/g, ': null')) : null);
const raw = { run: read('run.json'), native: read('native.json'), portable: read('portable.json'), wasm: read('wasm.json'), sqlite: read('sqlite.json'), http: read('http.json') };

// ---- native: one value per benchmark (the median aggregate when repeated), times in microseconds
const native = {};
if (raw.native) {
  const toUs = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 };
  const groups = {};
  for (const b of raw.native.benchmarks) {
    const name = b.run_name.replace(/\/iterations:\d+/, '').replace(/\/repeats:\d+/, '').replace(/\/real_time$/, '');
    if (b.error_occurred) { native[name] = { error: b.error_message }; continue; }
    if (b.run_type === 'aggregate' && b.aggregate_name !== 'median') continue;
    (groups[name] ??= []).push(b);
  }
  for (const [name, list] of Object.entries(groups)) {
    const agg = list.find((b) => b.run_type === 'aggregate') ?? list[list.length >> 1];
    native[name] = { us: agg.real_time * toUs[agg.time_unit], ...agg };
  }
}
const med = (layer, name) => raw[layer]?.benchmarks?.[name];

const fmtRate = (v) => (v == null ? '–' : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M/s` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k/s` : `${v.toFixed(0)} /s`);
const fmtUs = (v) => (v == null ? '–' : v >= 1e3 ? `${(v / 1e3).toFixed(2)} ms` : v >= 10 ? `${v.toFixed(1)} µs` : `${v.toFixed(2)} µs`);
// one decimal: a route at 49.8 % of the bare one must not read as 50 % beside a goal not met
const fmtShare = (share) => `${(share * 100).toFixed(1)} %`;
// A service route's share of the bare route: the median of the ratios of its runs, each paired with the bare
// run just before it (bench/http/run.mjs); results of before the pairing have the ratio of the medians.
const shareOf = (x, bare) => x.share_of_bare ?? x.median / bare.median;
const fmtX = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`);

const sizes = Object.keys(native).filter((k) => k.startsWith('ReplayJournal/')).map((k) => k.split('/')[1]);
const commandsLabel = Object.keys(native).find((k) => k.startsWith('ApplyCommands/'))?.split('/')[1];

// ---- the core table: native (typed), native through JSON, wasm package, SQLite
const rows = [];
const goals = [];
const rate = (n) => n?.commands_per_s ?? n?.movements_per_s;
if (commandsLabel) {
  const n = native[`ApplyCommands/${commandsLabel}`]; const j = native[`Json/ApplyCommands/${commandsLabel}`]; const w = med('wasm', `ApplyCommands/${commandsLabel}`);
  rows.push({ what: `commands applied (${commandsLabel} commands)`, unit: 'rate', native: rate(n), json: rate(j), wasm: w?.median, sqlite: null });
}
for (const s of sizes) {
  const n = native[`ReplayJournal/${s}`]; const w = med('wasm', `ReplayJournal/${s}`); const q = med('sqlite', `Load/${s}`);
  rows.push({ what: `journal replay, ${s} movements`, unit: 'rate', native: rate(n), json: null, wasm: w?.median, sqlite: q?.median, sqliteNote: 'bulk INSERT + indexes' });
  for (const [key, what] of [['ReportWorkspaceMonth', 'report summary, 1 workspace × 1 month'], ['LowStock', 'low stock, 1 workspace'],
    ['ProductStock', "one product's stock in all workspaces"], ['LevelAsOf', 'level as of a date']]) {
    rows.push({ what: `${what}, ${s}`, key: `${key}/${s}`, unit: 'us', native: native[`${key}/${s}`]?.us, json: native[`Json/${key}/${s}`]?.us,
      wasm: med('wasm', `${key}/${s}`)?.median, sqlite: med('sqlite', `${key}/${s}`)?.median });
  }
}
// ratios: how many times slower than native (rates: native/x; times: x/native)
const slower = (r, x) => (x == null || r.native == null ? null : r.unit === 'rate' ? r.native / x : x / r.native);

const lines = [];
const p = (s = '') => lines.push(s);
const run = raw.run ?? {};
let cpu = '';
try { cpu = execFileSync('bash', ['-c', "lscpu | sed -n 's/^Model name: *//p' | head -1"], { encoding: 'utf8' }).trim(); } catch { cpu = os.cpus()[0]?.model ?? '?'; }
let sqliteVersion = raw.sqlite?.sqlite ?? '?';
let kernel = os.release();
let disk = '';
try { disk = execFileSync('bash', ['-c', 'df -h --output=source,fstype . | tail -1'], { encoding: 'utf8' }).trim().replace(/\s+/g, ' '); } catch { /* */ }

p('# Benchmarks');
p();
p('Generated by `make bench` (`scripts/bench-all.sh`, then `scripts/bench-report.js`) — do not edit by hand;');
p('the prose around the tables lives in `scripts/bench-report.js`, the findings in `bench/NOTES.md`. Raw results: `bench/results.json`');
p('(every run of every measurement), per layer in `build/bench/results/*.json`.');
p();
p('## Machine and run');
p();
p(`| | |`);
p(`|---|---|`);
p(`| CPU | ${cpu}, ${os.cpus().length} cores (a shared VM) |`);
p(`| memory | ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB |`);
p(`| OS | ${os.type()} ${kernel}; disk ${disk} |`);
p(`| Node | ${raw.wasm?.node ?? process.version}; SQLite ${sqliteVersion} (better-sqlite3 12); autocannon 8 |`);
p(`| run | ${run.start?.at ?? '?'} → ${run.end?.at ?? '?'}; load average (1, 5, 15 min) at start ${run.start?.loadavg ?? '?'}, at end ${run.end?.loadavg ?? '?'} (the end includes this run's own HTTP phase, which keeps both cores busy) |`);
p(`| repetitions | ${run.reps ?? '?'} per measurement; tables show the **median** |`);
if (run.git) p(`| tree | ${run.git} |`);
// Judged at the start: by the end, the run's own HTTP phase (server and load generator) has raised the
// load average by up to 2 on its own.
const load1 = Number(run.start?.loadavg?.split(' ')[0] ?? 0);
if (load1 > 1.5) {
  p();
  p(`**The machine was busy when this run started** (1-minute load average ${load1} on ${os.cpus().length} cores, from other`);
  p('work on the machine): absolute figures are pessimistic and noisier than on an idle machine; the ratios, measured');
  p('side by side in the same run, are the figures to compare. Rerun `make bench` when `uptime` shows < 1.5.');
}
p();
p('Commands: `make bench` = `scripts/bench-all.sh`, which runs');
p('`build/bench/bench/bench_data` (the seeded workload: 10,000 products × 20 workspaces; the first');
p(`${run.commands ?? '?'} commands and journals of ${(run.sizes ?? '').split(',').join(' and ')} movements mixing initial stock, purchases, sales, transfers and adjustments),`);
p(`\`core_bench --benchmark_repetitions=${run.reps}\`, \`node bench/node/portable.mjs\` (\`portable_bench\` natively and in WebAssembly),`);
p('`node bench/node/wasm.mjs`, `node bench/node/sqlite.mjs` and');
p(`\`node bench/http/run.mjs\` (${run.http?.connections ?? '?'} connections, ${run.http?.duration ?? '?'} s × ${run.http?.runs ?? '?'} runs per route).`);
p();
p('## Core: native, through the JSON protocol, through the `stockroom` package (WebAssembly), and SQLite');
p();
p('Rates are per second (higher is better); times are per call (lower is better). "× native" is how many');
p('times slower than the native typed API. *native JSON* is the same question through `handle_json`');
p('natively: the protocol every host speaks, without WebAssembly. The package is measured as a user calls it');
p('(`ledger.transfer({...})`, `ledger.report({...})`: one JSON request and answer per call).');
p();
p('| workload | native | native JSON | wasm package | wasm × native | wasm × native JSON | SQLite | SQLite × native |');
p('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const f = r.unit === 'rate' ? fmtRate : fmtUs;
  const vsJson = r.json == null || r.wasm == null ? null : r.unit === 'rate' ? r.json / r.wasm : r.wasm / r.json;
  p(`| ${r.what} | ${f(r.native)} | ${f(r.json)} | ${f(r.wasm)} | ${fmtX(slower(r, r.wasm))} | ${fmtX(vsJson)} | ${f(r.sqlite)}${r.sqliteNote && r.sqlite != null ? ` (${r.sqliteNote})` : ''} | ${r.sqliteNote ? '' : fmtX(slower(r, r.sqlite))} |`);
}
{
  // The package's replays are the median of several in one process; the process's first one, at the first
  // size, runs before V8 has optimized the parser (bench/NOTES.md, session 12).
  const s = sizes[0]; const w = med('wasm', `ReplayJournal/${s}`);
  if (w?.first != null) {
    p();
    p(`The package's replay rates are medians over fresh ledgers in one Node process. The process's first replay (${s}),`);
    p(`run before V8 has optimized the parser, is what a service pays once at startup: ${fmtRate(w.first)} (the median ${fmtRate(w.median)}).`);
  }
}
p();
p('SQLite baseline (`bench/node/sqlite.mjs`): the same catalog and journal in a WAL database file, a');
p('`stock_levels` table kept per product and workspace (what a CRUD app keeps), indexes');
p('`movements(workspace_id, product_id, created_at, quantity, type)` (covering for the report and levels as of');
p('a date) and `movements(created_at)`, a 256 MiB page cache, prepared statements; the report is one');
p('grouped query over the workspace\'s movements up to the end of the window.');
p();
// the same driver compiled twice
const portable = raw.portable?.benchmarks ?? {};
const portableRows = Object.entries(portable).map(([name, b]) => ({ name, ...b, json: name.startsWith('Json/') }));
if (portableRows.length) {
  p('## The core compiled to WebAssembly: the same driver natively and in WebAssembly');
  p();
  p('`bench/portable_bench.cc` runs the workloads above with a plain timing loop; it is compiled natively');
  p('(`portable_bench`, g++ -O3) and with Emscripten (`portable_bench.cjs`, em++ -O3, run by this Node), and');
  p('`bench/node/portable.mjs` runs both. No JS boundary: the ratio is the compilation target alone. Both');
  p(`builds fold every answer into checksums, and the run fails unless they agree (${raw.portable.checksums_equal} checksums equal in this run). The sums compared fold every byte of an answer and are taken outside the timing; a timed call folds only a text's length and three of its bytes, so that hashing a 2.7 MB answer is not what is measured.`);
  p('The *Json/* rows are the protocol itself (`handle_json`, request text in, answer text out) on both sides.');
  p();
  p('Each figure is the median of the turns (one process each); the range columns show the slowest and fastest');
  p('turn, because a read over the 1M ledger can move by 2-4× from one process to the next (bench/NOTES.md).');
  p();
  p('| workload | native | WebAssembly | wasm × native | native, turns | WebAssembly, turns |');
  p('|---|---:|---:|---:|---:|---:|');
  const order = (r) => (r.json ? 1 : 0);
  // slowest to fastest: the largest time, or the smallest rate, first
  const range = (runs, f, unit) => {
    if (!runs?.length) return '–';
    const lo = Math.min(...runs); const hi = Math.max(...runs);
    return unit === 'us' ? `${f(hi)} – ${f(lo)}` : `${f(lo)} – ${f(hi)}`;
  };
  for (const r of [...portableRows].sort((a, b) => order(a) - order(b))) {
    const f = r.unit === 'us' ? fmtUs : fmtRate;
    p(`| ${r.name} | ${f(r.native.median)} | ${f(r.wasm.median)} | ${fmtX(r.wasm_x_native)} | ${range(r.native.runs, f, r.unit)} | ${range(r.wasm.runs, f, r.unit)} |`);
  }
  p();
}
// The same native replay, measured twice in one run (core_bench, then portable_bench minutes later):
// their spread is how much this shared machine moves between moments, beyond what the code does.
{
  const twice = sizes.map((sz) => [sz, rate(native[`ReplayJournal/${sz}`]), portable[`ReplayJournal/${sz}`]?.native?.median])
    .filter(([, a, b]) => a && b);
  if (twice.length) {
    p(`Same code, same run, two moments: native replay measured by \`core_bench\` and by \`portable_bench\` (${twice
      .map(([sz, a, b]) => `${sz}: ${fmtRate(a)} and ${fmtRate(b)}`).join('; ')}). The two differ only in what`);
    p('ran before (the heap\'s state) and the moment: the spread shows how far one absolute figure moves on this shared');
    p('machine; ratios measured side by side (the × columns) are steadier.');
    p();
  }
}
// memory
p('## Memory per movement (native)');
p();
p('Memory held by a ledger replayed from the journal (glibc `mallinfo2`, allocated bytes, plus the core\'s own');
p('mappings of its large arrays, each rounded up to whole 2 MiB huge pages: `stockroom::mapped_bytes()`;');
p('after minus before, catalog excluded), divided by the movements.');
p();
p('| journal | bytes per movement | without texts (references, notes emptied) |');
p('|---|---:|---:|');
for (const s of sizes) {
  const m = native[`MemoryPerMovement/${s}`];
  if (m) p(`| ${s} | ${m.bytes_per_movement?.toFixed(1)} | ${m.bytes_per_movement_no_texts?.toFixed(1)} |`);
}
p();
// http
const h = raw.http;
if (h) {
  p('## HTTP service (autocannon)');
  p();
  p(`Service: \`host-node\` on the real package, SQLite file (WAL, \`synchronous=FULL\`), seeded with ${h.workspaces} workspaces ×`);
  p(`${h.products} products by one service process and measured in the next one, started over the same file; each route`);
  p('beside a bare Fastify route answering a constant JSON in its own process, measured in turns with it: a bare run, then a');
  p('service run. "vs bare" is the median of those pairs\' ratios, so that the machine\'s drift weighs on both sides alike.');
  p(`${h.connections} connections, ${h.duration} s per run, ${h.runs} runs, each measurement after ${h.warmup ?? 0} uncounted requests;`);
  p(`latencies are the medians of the runs' p50 and p99. ${h.pinned ? 'The load generator runs on CPU 0, the server\'s event loop on the last CPU (taskset).' : 'Not pinned to CPUs.'}`);
  p('"Seeded" is the seeding process itself, after its seeding writes (bench/NOTES.md, session 17).');
  p();
  p('| route | requests/s | p50 | p99 | vs bare |');
  p('|---|---:|---:|---:|---:|');
  const b = h.benchmarks;
  const row = (name, label, bare) => {
    const x = b[name]; if (!x) return;
    const ratio = bare && b[bare] ? fmtShare(shareOf(x, b[bare])) : '';
    p(`| ${label} | ${x.median.toFixed(0)} | ${x.p50_ms} ms | ${x.p99_ms} ms | ${ratio} |`);
  };
  row('Bare/GET', 'GET /bare (constant JSON)');
  row('Service/GET stock', 'GET /api/v1/inventory/products/{id}/stock', 'Bare/GET');
  row('Seeded/GET stock', 'the same, in the process that took the seeding writes', 'Bare/GET');
  row('Bare/POST', 'POST /bare (constant JSON)');
  row('Service/POST transfer', 'POST /api/v1/inventory/transfers (durable)', 'Bare/POST');
  if (h.group_commit) {
    p();
    p(`Group commit during the transfer runs: ${h.group_commit.requests} writes in ${h.group_commit.batches} COMMITs`);
    p(`(${h.group_commit.requests_per_commit.toFixed(1)} requests per disk flush on average, largest batch ${h.group_commit.largest}, ${h.group_commit.failures} failed).`);
  }
  p();
}

// ---- goals
const gl = [];
const goal = (text, measured, met) => gl.push({ text, measured, met });
const sz1 = sizes.find((s) => s === '1M') ?? sizes[0];
{
  const core = rows.filter((r) => r.wasm != null && r.native != null);
  const worst = core.reduce((a, r) => (slower(r, r.wasm) > (a ? slower(a, a.wasm) : 0) ? r : a), null);
  const within = core.filter((r) => slower(r, r.wasm) <= 1.5).map((r) => r.what);
  for (const json of [false, true]) {
    const list = portableRows.filter((r) => r.json === json);
    if (!list.length) continue;
    const worstP = list.reduce((a, r) => (r.wasm_x_native > a.wasm_x_native ? r : a));
    const inP = list.filter((r) => r.wasm_x_native <= 1.5).length;
    goal(`WebAssembly within 1.5× of native: the core compiled to WebAssembly, ${json ? 'through the JSON protocol (handle_json both sides)' : 'typed calls'} (same driver)`,
      `${inP} of ${list.length} within 1.5×; worst ${fmtX(worstP.wasm_x_native)} (${worstP.name})`, worstP.wasm_x_native <= 1.5);
  }
  goal('WebAssembly within 1.5× of native: through the `stockroom` package (one JSON call per operation) against the native typed API',
    worst ? `${within.length} of ${core.length} within 1.5×; worst ${fmtX(slower(worst, worst.wasm))} (${worst.what})` : 'not measured',
    worst ? slower(worst, worst.wasm) <= 1.5 : null);
}
{
  const r = rows.find((x) => x.key === `ReportWorkspaceMonth/${sz1}`);
  const x = r && r.sqlite != null ? r.sqlite / r.native : null;
  goal(`report over ${sz1} movements at least 10× faster than SQLite`, x ? `native ${fmtX(x)} faster (${fmtUs(r.native)} vs ${fmtUs(r.sqlite)}); the package ${fmtX(r.sqlite / r.wasm)}` : 'not measured', x ? x >= 10 : null);
}
for (const s of sizes) {
  const n = rate(native[`ReplayJournal/${s}`]);
  goal(`native replay at least 5M movements/s (${s})`, fmtRate(n), n ? n >= 5e6 : null);
}
// Per journal size, like replay: what a level costs is spread over fewer movements in a smaller ledger.
for (const s of sizes) {
  const m = native[`MemoryPerMovement/${s}`];
  goal(`at most 64 bytes per movement resident, notes and references aside (${s})`, m ? `${m.bytes_per_movement_no_texts.toFixed(1)} B (${m.bytes_per_movement.toFixed(1)} B with texts)` : 'not measured', m ? m.bytes_per_movement_no_texts <= 64 : null);
}
if (h) {
  const g = h.benchmarks['Service/GET stock']; const bg = h.benchmarks['Bare/GET']; const sg = h.benchmarks['Seeded/GET stock'];
  const ofBare = (x) => fmtShare(shareOf(x, bg));
  goal("GET stock at least 50 % of the bare route's requests/s", g && bg ? `${ofBare(g)} (median of ${g.paired_shares?.length ?? 1} paired runs; medians ${g.median.toFixed(0)} vs ${bg.median.toFixed(0)} req/s)${sg ? `; ${ofBare(sg)} in the process that took the seeding writes` : ''}` : 'not measured', g && bg ? shareOf(g, bg) >= 0.5 : null);
  const t = h.benchmarks['Service/POST transfer'];
  goal(`at least 5,000 durable transfers/s on this ${os.cpus().length}-core machine`, t ? `${t.median.toFixed(0)} /s (p99 ${t.p99_ms} ms)` : 'not measured', t ? t.median >= 5000 : null);
}
p('## Goals');
p();
p('| goal | measured | met |');
p('|---|---|---|');
for (const g of gl) p(`| ${g.text} | ${g.measured} | ${g.met == null ? '–' : g.met ? '**yes**' : '**no**'} |`);
p();
const notes = args.notes && fs.existsSync(args.notes) ? fs.readFileSync(args.notes, 'utf8') : (fs.existsSync('bench/NOTES.md') && !args.noNotes ? fs.readFileSync('bench/NOTES.md', 'utf8') : '');
if (notes) { p(notes.trim()); p(); }

fs.writeFileSync(args.md ?? 'BENCHMARKS.md', lines.join('\n'));
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ ...raw, goals: gl }, null, 1) + '\n');
process.stderr.write(`bench-report: wrote ${args.md ?? 'BENCHMARKS.md'}${args.json ? ` and ${args.json}` : ''}\n`);
