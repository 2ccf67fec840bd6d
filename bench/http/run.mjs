// HTTP benchmarks of the service against a bare Fastify route, with autocannon:
//   GET  /api/v1/inventory/products/{id}/stock   beside   GET  /bare (a constant JSON)
//   POST /api/v1/inventory/transfers (durable)   beside   POST /bare
// Each server is a child process (the load generator keeps this one); the service runs on a SQLite file
// (WAL, synchronous=FULL), seeded over HTTP with 20 workspaces and --products products.
// Medians over --runs of requests per second, p50 and p99 latency, and the server's CPU time per request
// (user + system, from process.cpuUsage() of the server process: steadier than req/s on a shared machine).
//
// Both servers are measured the same way, so that the ratio is about the routes (bench/NOTES.md, sessions 17, 18):
// - each is a fresh process: the service is seeded by one process and measured by the next one, started
//   over the same database file (as after a deploy). The row "Seeded/GET stock" is the seeding process
//   itself, measured after its writes. The bare server stays up for the whole run;
// - each measurement starts with --warmup uncounted requests from the same connections (V8 optimizes
//   during them, and connections open and close as they do in service);
// - each service route is measured in turns with the bare route: a bare run, then a service run, --runs
//   times. Its share of the bare route is the median of those pairs' ratios, so that a machine whose speed
//   drifts from minute to minute (a shared VM) weighs on both sides of each ratio alike;
// - the load generator's thread runs on CPU 0 and the servers' event loops on the last CPU (taskset;
//   --pin=0 leaves them to the scheduler). On 2 cores this narrowed the service's CPU per request across
//   the runs of one process from 33-48 µs to 30-33 µs.
//
//   node bench/http/run.mjs [--products=10000] [--duration=6] [--connections=50] [--runs=5] [--warmup=10000]
//                           [--pin=1] [--only=seeded,get,post] [--out=..]
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { log, median, parseArgs, writeJson } from '../node/lib.mjs';

const args = parseArgs();
const products = Number(args.products ?? 10000);
const workspaces = 20;
const duration = Number(args.duration ?? 6);
const connections = Number(args.connections ?? 50);
const runs = Number(args.runs ?? 5);
const warmup = Number(args.warmup ?? 10000);
const only = String(args.only ?? 'seeded,get,post').split(','); // which measurements (profiling one at a time)
const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN = 'sr_admin_bench_0123456789abcdef0123456789';

/** Pins the main thread of process `pid` to `cpu`; false when taskset is missing or refuses. */
function pin(pid, cpu) {
  try { execFileSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' }); return true; } catch { return false; }
}
const pinned = args.pin !== '0' && os.cpus().length >= 2 && pin(process.pid, 0);
if (args.pin !== '0' && !pinned) log('http: not pinned (one CPU, or no taskset): the figures spread more');

function start(extra) {
  // BENCH_SERVER_NODE_OPTIONS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers
  const execArgv = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = fork(path.join(here, 'server.mjs'), extra, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  if (pinned) pin(child.pid, os.cpus().length - 1);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, base: `http://127.0.0.1:${m.port}` }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}
const ask = (child, what) => new Promise((resolve) => { child.once('message', resolve); child.send(what); });
const stop = (child) => new Promise((resolve) => { child.once('exit', resolve); child.send('close'); });

async function call(base, method, url, token, body, headers = {}) {
  const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Runs `tasks` (functions returning promises) with at most `width` at a time. */
async function pool(tasks, width = 32) {
  const out = []; let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < tasks.length) { const i = next++; out[i] = await tasks[i](); } }));
  return out;
}

async function seed(base) {
  const org = await call(base, 'POST', '/api/v1/organizations', ADMIN, { name: 'Bench', owner_name: 'Bench Owner', owner_email: 'bench@example.com', workspace_name: 'Workspace 1' });
  const token = org.data.token; const ws = [org.data.workspace.id];
  for (let w = 2; w <= workspaces; w++) ws.push((await call(base, 'POST', '/api/v1/workspaces', token, { name: `Workspace ${w}` })).data.id);
  const ids = await pool(Array.from({ length: products }, (_, i) => async () =>
    (await call(base, 'POST', '/api/v1/products', token, { sku: `SKU-${i + 1}`, name: `Product ${i + 1}` })).data.id));
  for (let i = 0; i < ids.length; i += 500) {
    const items = ids.slice(i, i + 500).map((id) => ({ product_id: id, quantity: '1000000', minimum_quantity: '20' }));
    await call(base, 'POST', '/api/v1/inventory/initial-stock', token, { items }, { 'x-workspace-id': String(ws[0]) });
  }
  return { token, ws, ids };
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    // a fixed number of requests (opts.amount) or, by default, --duration seconds
    autocannon({ connections, ...(opts.amount ? {} : { duration }), ...opts }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

const results = { layer: 'http', node: process.version, cpus: os.cpus().length, products, workspaces, duration, connections, runs, warmup, pinned, benchmarks: {} };

const cpuOf = async (child) => { const { user, system } = (await ask(child, 'cpu')).cpu; return user + system; };

/** One autocannon run against `child`: requests/s, latencies, non-2xx count and the server's CPU per request. */
async function runOnce(name, child, opts) {
  const cpu0 = await cpuOf(child);
  const r = await cannon(opts);
  const cpu = await cpuOf(child) - cpu0;
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad) log(`http ${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, bad,
    cpu_us_per_request: r.requests.total ? cpu / r.requests.total : null };
}

function summary(rows) {
  return { unit: 'requests_per_s', median: median(rows.map((x) => x.rps)), p50_ms: median(rows.map((x) => x.p50)),
    p99_ms: median(rows.map((x) => x.p99)), cpu_us_per_request: median(rows.map((x) => x.cpu_us_per_request)), runs: rows };
}

function record(name, m) {
  results.benchmarks[name] = m;
  log(`http ${name}: ${m.median.toFixed(0)} req/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms, server CPU ${m.cpu_us_per_request?.toFixed(0)} µs/request${m.share_of_bare ? `, ${(100 * m.share_of_bare).toFixed(1)} % of bare (paired)` : ''}`);
}

/**
 * A route measured in turns with the bare route: both warmed up (--warmup uncounted requests each), then
 * --runs pairs, each a bare run followed at once by a route run, so that whatever else loads the machine
 * falls on both alike (on a shared VM the bare route alone ranged from 27k to 43k req/s between minutes;
 * bench/NOTES.md, session 18). The route's share of the bare route is the median of the pairs' ratios.
 * `bareName` null: the bare runs are not recorded as a row of their own.
 */
async function measurePaired(bareName, bare, bareOpts, name, child, opts) {
  if (warmup > 0) { await cannon({ ...bareOpts, amount: warmup }); await cannon({ ...opts, amount: warmup }); }
  const bareRows = []; const rows = [];
  for (let i = 0; i < runs; i++) {
    bareRows.push(await runOnce(bareName ?? 'Bare', bare, bareOpts));
    rows.push(await runOnce(name, child, opts));
  }
  const shares = rows.map((x, i) => x.rps / bareRows[i].rps);
  if (bareName) record(bareName, summary(bareRows));
  record(name, { ...summary(rows), share_of_bare: median(shares), paired_shares: shares, bare_rps: bareRows.map((x) => x.rps) });
}

const tmp = fs.mkdtempSync(path.join(args['db-dir'] ?? os.tmpdir(), 'stockroom-bench-http-'));
try {
  // ---- the bare route (what Fastify + Node + autocannon can do on this machine), alive for the whole run
  const bare = await start(['--bare']);
  const bareGet = { url: `${bare.base}/bare` };
  const barePost = { url: `${bare.base}/bare`, method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ product_id: 1, to_workspace_id: 2, quantity: '1' }) };

  // ---- the service: seeded by one process, measured by the next one over the same file
  const serviceArgs = [`--db=${path.join(tmp, 'stockroom.db')}`, `--admin=${ADMIN}`];
  const seeder = await start(serviceArgs);
  const t0 = Date.now();
  const { token, ws, ids } = await seed(seeder.base);
  results.seed_ms = Date.now() - t0;
  log(`http: seeded ${ids.length} products x ${ws.length} workspaces in ${results.seed_ms} ms`);
  const auth = { authorization: `Bearer ${token}` };
  let n = 0;
  const getStock = (base) => ({
    url: base,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/inventory/products/${ids[n++ % ids.length]}/stock`, headers: auth }) }],
  });
  if (only.includes('seeded')) await measurePaired(null, bare.child, bareGet, 'Seeded/GET stock', seeder.child, getStock(seeder.base));
  await stop(seeder.child);

  const svc = await start(serviceArgs);
  if (only.includes('get')) await measurePaired('Bare/GET', bare.child, bareGet, 'Service/GET stock', svc.child, getStock(svc.base));
  const before = (await ask(svc.child, 'stats')).stats;
  let k = 0;
  if (only.includes('post')) await measurePaired('Bare/POST', bare.child, barePost, 'Service/POST transfer', svc.child, {
    url: svc.base,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, path: '/api/v1/inventory/transfers',
      headers: { ...auth, 'content-type': 'application/json', 'x-workspace-id': String(ws[0]) },
      body: JSON.stringify({ product_id: ids[k++ % ids.length], to_workspace_id: ws[1 + (k % (ws.length - 1))], quantity: '1' }) }) }],
  });
  const after = (await ask(svc.child, 'stats')).stats;
  const batches = after.batches - before.batches; const requests = after.requests - before.requests;
  results.group_commit = { batches, requests, requests_per_commit: batches ? requests / batches : 0, largest: after.largest, failures: after.failures - before.failures };
  log(`http: ${requests} writes in ${batches} commits (${results.group_commit.requests_per_commit.toFixed(1)} per commit)`);
  await stop(svc.child);
  await stop(bare.child);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
writeJson(args.out, results);
