// The service's own time per request, without sockets: Fastify's inject() against one or more builds of
// host-node in this process, GET …/products/{id}/stock and POST …/inventory/transfers (waves of
// --concurrency requests, so that writes share group commits as they do under load). With several --apps
// the measurements alternate app by app, round by round, so that a shared machine's load falls on each
// alike: an A/B comparison of two checkouts (e.g. a `git archive` of the base commit) that the HTTP run
// (run.mjs) is too noisy for. Reports the medians over --rounds of µs per request: CPU time of this process
// (user + system, what a loaded machine disturbs least) and wall time.
//
//   node bench/http/inject.mjs [--apps=host-node/app.js,/tmp/base/host-node/app.js] [--products=2000]
//                              [--requests=4000] [--rounds=5] [--concurrency=50] [--out=..]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { log, median, parseArgs, writeJson } from '../node/lib.mjs';

const args = parseArgs();
const apps = String(args.apps ?? 'host-node/app.js').split(',');
const products = Number(args.products ?? 2000);
const requests = Number(args.requests ?? 4000);
const rounds = Number(args.rounds ?? 5);
const width = Number(args.concurrency ?? 50);
const workspaces = 20;
const ADMIN = 'sr_admin_bench_0123456789abcdef0123456789';

async function call(app, method, url, token, body, headers = {}) {
  const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function setup(file, dir) {
  const { buildApp } = await import(pathToFileURL(path.resolve(file)).href);
  const app = await buildApp({ dbPath: path.join(dir, 'stockroom.db'), adminToken: ADMIN, logger: false });
  await app.ready();
  const org = await call(app, 'POST', '/api/v1/organizations', ADMIN, { name: 'Bench', owner_name: 'Bench Owner', owner_email: 'bench@example.com', workspace_name: 'Workspace 1' });
  const token = org.data.token; const ws = [org.data.workspace.id];
  for (let w = 2; w <= workspaces; w++) ws.push((await call(app, 'POST', '/api/v1/workspaces', token, { name: `Workspace ${w}` })).data.id);
  const ids = [];
  for (let i = 0; i < products; i += width) {
    const wave = Array.from({ length: Math.min(width, products - i) }, (_, k) => call(app, 'POST', '/api/v1/products', token, { sku: `SKU-${i + k + 1}`, name: `Product ${i + k + 1}` }));
    for (const p of await Promise.all(wave)) ids.push(p.data.id);
  }
  for (let i = 0; i < ids.length; i += 500) {
    const items = ids.slice(i, i + 500).map((id) => ({ product_id: id, quantity: '1000000', minimum_quantity: '20' }));
    await call(app, 'POST', '/api/v1/inventory/initial-stock', token, { items }, { 'x-workspace-id': String(ws[0]) });
  }
  return { file, app, token, ws, ids, n: 0, get: [], post: [] };
}

/** { cpu, wall }: µs per request of `requests` requests made by make(i), in waves of `width`. */
async function timed(s, make) {
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  for (let i = 0; i < requests; i += width) {
    const wave = await Promise.all(Array.from({ length: Math.min(width, requests - i) }, () => s.app.inject(make(s.n++))));
    for (const r of wave) if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / requests;
  const { user, system } = process.cpuUsage(c0);
  return { cpu: (user + system) / requests, wall };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-inject-'));
const results = { layer: 'http-inject', node: process.version, products, workspaces, requests, rounds, concurrency: width, apps: {} };
try {
  const setups = [];
  for (const [i, file] of apps.entries()) {
    fs.mkdirSync(path.join(tmp, String(i)));
    setups.push(await setup(file, path.join(tmp, String(i))));
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of setups) {
      const auth = { authorization: `Bearer ${s.token}` };
      s.get.push(await timed(s, (n) => ({ method: 'GET', url: `/api/v1/inventory/products/${s.ids[n % s.ids.length]}/stock`, headers: auth })));
      s.post.push(await timed(s, (n) => ({ method: 'POST', url: '/api/v1/inventory/transfers',
        headers: { ...auth, 'content-type': 'application/json', 'x-workspace-id': String(s.ws[0]) },
        payload: JSON.stringify({ product_id: s.ids[n % s.ids.length], to_workspace_id: s.ws[1 + (n % (s.ws.length - 1))], quantity: '1' }) })));
    }
  }
  for (const s of setups) {
    const m = (rows, k) => median(rows.map((x) => x[k]));
    results.apps[s.file] = { get_cpu_us: m(s.get, 'cpu'), get_wall_us: m(s.get, 'wall'), post_cpu_us: m(s.post, 'cpu'), post_wall_us: m(s.post, 'wall'), get_runs: s.get, post_runs: s.post };
    log(`inject ${s.file}: GET stock ${m(s.get, 'cpu').toFixed(0)} µs CPU (${m(s.get, 'wall').toFixed(0)} wall) per request, POST transfer ${m(s.post, 'cpu').toFixed(0)} µs CPU (${m(s.post, 'wall').toFixed(0)} wall) per request (medians of ${rounds})`);
    await s.app.close();
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
writeJson(args.out, results);
