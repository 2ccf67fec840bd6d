// Helpers for the HTTP tests: start the service on an ephemeral port with a temporary SQLite database,
// a small fetch client, and bootstrap of an organization.
// The service always runs over the real `stockroom` package (dist/wasm, built by `make wasm`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from '../../../host-node/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
export const ADMIN_TOKEN = 'sr_admin_test_token_0123456789abcdef';

let pkgPromise = null;
/** The ledger package the tests run against: { openLedger, ERROR_CODES, StockroomError }. */
export function ledgerPackage() {
  if (!pkgPromise) {
    if (!fs.existsSync(path.join(root, 'dist/wasm/stockroom-core.mjs'))) {
      throw new Error('dist/wasm is not built: run `make wasm` (make test does) before the HTTP tests');
    }
    pkgPromise = import(pathToFileURL(path.join(root, 'wasm/js/index.js')).href);
  }
  return pkgPromise;
}

export function tempDb(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-http-'));
  t?.after?.(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'test.db');
}

/** Starts the app on 127.0.0.1:0. Returns { app, base, api, close }. */
export async function startServer(t, { dbPath, adminToken = ADMIN_TOKEN } = {}) {
  const pkg = await ledgerPackage();
  const app = await buildApp({ dbPath: dbPath ?? tempDb(t), adminToken, logger: false, openLedger: pkg.openLedger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  let closed = false;
  const close = async () => { if (!closed) { closed = true; await app.close(); } };
  t?.after?.(close);
  return { app, base, close, api: (token, workspaceId) => client(base, token, workspaceId) };
}

/**
 * A tiny client. call(method, path, body?, { headers, raw }) -> { status, body, headers, text }.
 * `body` is JSON-encoded unless `raw` (a string sent as is) is given.
 */
export function client(base, token, workspaceId) {
  const call = async (method, url, body, { headers = {}, raw } = {}) => {
    const h = {};
    if (token) h.authorization = `Bearer ${token}`;
    if (workspaceId) h['x-workspace-id'] = String(workspaceId);
    let payload;
    if (raw !== undefined) { payload = raw; h['content-type'] = 'application/json'; } else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    Object.assign(h, headers);
    const res = await fetch(base + url, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, body: json, headers: res.headers, text };
  };
  return {
    call,
    get: (url, opts) => call('GET', url, undefined, opts),
    post: (url, body, opts) => call('POST', url, body, opts),
    patch: (url, body, opts) => call('PATCH', url, body, opts),
    put: (url, body, opts) => call('PUT', url, body, opts),
    as: (otherToken, ws) => client(base, otherToken, ws),
    in: (ws) => client(base, token, ws),
  };
}

let seq = 0;
/**
 * Creates an organization (admin token) and returns { org, owner, token, ws, api } where api is the
 * owner's client. Optional extra workspaces and products.
 */
export async function bootstrap(server, { name = 'Acme', workspaces = [], products = [] } = {}) {
  seq += 1;
  const admin = client(server.base, ADMIN_TOKEN);
  const r = await admin.post('/api/v1/organizations', {
    name, owner_name: `${name} Owner`, owner_email: `owner${seq}@${name.toLowerCase()}.test`, workspace_name: 'Main Store',
  });
  if (r.status !== 201) throw new Error(`bootstrap failed: ${r.status} ${r.text}`);
  const { organization, owner, token, workspace } = r.body.data;
  const api = client(server.base, token);
  const out = { org: organization, owner, token, ws: workspace.id, api, workspaces: [workspace.id], products: [] };
  for (const w of workspaces) {
    const x = await api.post('/api/v1/workspaces', typeof w === 'string' ? { name: w } : w);
    if (x.status !== 201) throw new Error(`workspace: ${x.status} ${x.text}`);
    out.workspaces.push(x.body.data.id);
  }
  for (const p of products) {
    const x = await api.post('/api/v1/products', p);
    if (x.status !== 201) throw new Error(`product: ${x.status} ${x.text}`);
    out.products.push(x.body.data.id);
  }
  return out;
}

/** Adds a user with a role in a workspace and returns { user, token, api }. */
export async function addUser(ctx, server, { name = 'User', role, workspace = ctx.ws } = {}) {
  seq += 1;
  const u = await ctx.api.post('/api/v1/users', { name, email: `user${seq}@example.test`, role, workspace_id: workspace });
  if (u.status !== 201) throw new Error(`user: ${u.status} ${u.text}`);
  const tk = await ctx.api.post(`/api/v1/users/${u.body.data.id}/tokens`, { name: 'test' });
  if (tk.status !== 201) throw new Error(`token: ${tk.status} ${tk.text}`);
  return { user: u.body.data, token: tk.body.data.token, api: client(server.base, tk.body.data.token) };
}

/** Asserts the error shape of API.md §1 and returns the body. */
export function expectError(assert, res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.equal(typeof res.body?.message, 'string', 'error has a message');
  assert.equal(res.body.code, code, `code: ${res.text}`);
  assert.equal(typeof res.body.errors, 'object', 'error has errors');
  assert.ok(!/\bat .+:\d+:\d+/.test(res.text), 'no stack trace');
  return res.body;
}
