// The caches of the store (host-node/store/sqlite.js): store.caller(), token hash -> user, organization and
// memberships, kept between requests. These tests warm it, change what it holds, and prove that the very
// next request sees the change: a role taken away, a membership added, a token deleted or a role changed
// by another connection (an operator), and a write that is rolled back (savepoint or whole batch); and
// getProduct(), id -> product row, the same for a product changed or a change rolled back; and the last
// authentication of each connection (lib/auth.js authenticateOnConnection), the same on one connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';
import { hashToken } from '../../host-node/lib/auth.js';
import { SqliteStore } from '../../host-node/store/sqlite.js';
import { addUser, bootstrap, expectError, startServer, tempDb } from './support/http-app.js';

const product = (i) => ({ sku: `CACHE-${i}`, name: `Cached ${i}` });

test('a role taken away counts from the next request (the cache was warm)', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s);
  const manager = await addUser(ctx, s, { role: 'manager' });
  for (let i = 0; i < 3; i++) assert.equal((await manager.api.post('/api/v1/products', product(i))).status, 201);
  const demoted = await ctx.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: manager.user.id, role: 'viewer' });
  assert.equal(demoted.status, 200, demoted.text);
  expectError(assert, await manager.api.post('/api/v1/products', product(9)), 403, 'forbidden');
  assert.equal((await manager.api.get('/api/v1/products')).status, 200, 'still a viewer');
  const me = await manager.api.get('/api/v1/me');
  assert.deepEqual(me.body.data.memberships.map((m) => m.role), ['viewer']);
});

test('a membership added counts from the next request, in the new workspace too', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'] });
  const [main, wh] = ctx.workspaces;
  const clerk = await addUser(ctx, s, { role: 'clerk', workspace: wh });
  assert.equal((await clerk.api.in(wh).get('/api/v1/products')).status, 200);
  expectError(assert, await clerk.api.in(main).get('/api/v1/products'), 403, 'forbidden');
  assert.equal((await ctx.api.post(`/api/v1/workspaces/${main}/members`, { user_id: clerk.user.id, role: 'viewer' })).status, 201);
  assert.equal((await clerk.api.in(main).get('/api/v1/products')).status, 200);
  // a workspace created by the owner: its membership is usable by the very next request
  const outlet = await ctx.api.post('/api/v1/workspaces', { name: 'Outlet' });
  assert.equal(outlet.status, 201);
  assert.equal((await ctx.api.in(outlet.body.data.id).get('/api/v1/inventory/low-stock')).status, 200);
});

test('a token deleted or a role changed by another connection counts from the next request', async (t) => {
  const dbPath = tempDb(t);
  const s = await startServer(t, { dbPath });
  const ctx = await bootstrap(s);
  const manager = await addUser(ctx, s, { role: 'manager' });
  const clerk = await addUser(ctx, s, { role: 'clerk' });
  assert.equal((await manager.api.post('/api/v1/products', product(1))).status, 201);
  assert.equal((await clerk.api.get('/api/v1/products')).status, 200);
  const operator = new Database(dbPath, { timeout: 5000 });
  t.after(() => operator.close());
  operator.prepare('UPDATE memberships SET role = ? WHERE user_id = ?').run('viewer', manager.user.id);
  expectError(assert, await manager.api.post('/api/v1/products', product(2)), 403, 'forbidden');
  operator.prepare('DELETE FROM tokens WHERE token_hash = ?').run(hashToken(clerk.token));
  expectError(assert, await clerk.api.get('/api/v1/products'), 401, 'unauthenticated');
  assert.equal((await ctx.api.get('/api/v1/products')).status, 200, 'other callers are untouched');
});

test('store: the same frozen caller until a write; a rolled-back write leaves nothing cached', (t) => {
  const store = new SqliteStore(tempDb(t));
  t.after(() => store.close());
  const at = new Date().toISOString();
  const org = store.createOrganization('Org', at);
  const user = store.createUser(org, 'U', 'u@x.test', at);
  const ws = store.createWorkspace(org, { name: 'Main' }, at);
  const ws2 = store.createWorkspace(org, { name: 'Second' }, at);
  store.setMembership(user, ws, 'clerk', at);
  store.createToken(org, user, 't', hashToken('sr_tok'), 'sr_tok', at);
  const hash = hashToken('sr_tok');
  const roles = () => store.caller(hash).memberships.map((m) => [m.workspace_id, m.role]);

  const first = store.caller(hash);
  assert.equal(store.caller(hash), first, 'a hit is the same object');
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.user) && Object.isFrozen(first.org) && Object.isFrozen(first.memberships[0]));
  assert.throws(() => { first.user.name = 'X'; }, TypeError);
  assert.equal(store.caller(hashToken('sr_unknown')), null);

  // a savepoint that wrote a membership, read it (cached) and failed
  assert.throws(() => store.transaction(() => {
    store.setMembership(user, ws2, 'owner', at);
    assert.deepEqual(roles(), [[ws, 'clerk'], [ws2, 'owner']]);
    throw new Error('the request fails after its write');
  }), /fails after its write/);
  assert.deepEqual(roles(), [[ws, 'clerk']]);

  // a whole batch rolled back (a failed group commit)
  store.begin();
  store.setMembership(user, ws, 'viewer', at);
  assert.deepEqual(roles(), [[ws, 'viewer']]);
  store.rollbackAll();
  assert.deepEqual(roles(), [[ws, 'clerk']]);

  // a committed write replaces the entry
  store.setMembership(user, ws, 'manager', at);
  assert.notEqual(store.caller(hash), first);
  assert.deepEqual(roles(), [[ws, 'manager']]);
});

test('products are cached too: a change shows in the next answer; a rolled-back one never does', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [product(1)] });
  const [id] = ctx.products;
  // GET /products/{id} answers from store.getProduct() (the stock route's `product` comes from the ledger)
  const stock = async () => {
    const { data } = (await ctx.api.get(`/api/v1/products/${id}`)).body;
    return { id: data.id, name: data.name, sku: data.sku };
  };
  assert.deepEqual(await stock(), { id, name: 'Cached 1', sku: 'CACHE-1' });
  assert.equal((await ctx.api.patch(`/api/v1/products/${id}`, { name: 'Renamed', sku: 'NEW-1' })).status, 200);
  assert.deepEqual(await stock(), { id, name: 'Renamed', sku: 'NEW-1' });

  const { store } = s.app;
  const orgId = ctx.org.id;
  assert.equal(store.getProduct(orgId, id), store.getProduct(orgId, id), 'a hit is the same object');
  assert.ok(Object.isFrozen(store.getProduct(orgId, id)));
  assert.throws(() => store.transaction(() => {
    store.updateProduct(orgId, id, { ...store.getProduct(orgId, id), name: 'Rolled back' }, new Date().toISOString());
    assert.equal(store.getProduct(orgId, id).name, 'Rolled back');
    throw new Error('fails after its write');
  }), /fails after its write/);
  assert.equal(store.getProduct(orgId, id).name, 'Renamed');
  assert.deepEqual(await stock(), { id, name: 'Renamed', sku: 'NEW-1' });
  // cached by id alone: another organization never gets the row
  const other = await bootstrap(s, { name: 'Other' });
  assert.ok(store.getProduct(orgId, id), 'cached');
  assert.equal(store.getProduct(other.org.id, id), null);
  expectError(assert, await other.api.get(`/api/v1/products/${id}`), 404, 'not_found');
});

/**
 * Requests on one keep-alive connection (an agent with a single socket): call(token, path, method?) ->
 * { status, body, socket } where socket is the local port, to prove the requests shared it.
 */
function oneConnection(t, base) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  return (token, path, method = 'GET', body) => new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { agent, method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text), socket: req.socket.localPort }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('one connection: a token is hashed once, another token is its own caller, and a change counts from the next request', async (t) => {
  const dbPath = tempDb(t);
  const s = await startServer(t, { dbPath });
  const ctx = await bootstrap(s);
  const manager = await addUser(ctx, s, { role: 'manager' });
  const call = oneConnection(t, s.base);
  const original = crypto.hash; let hashes = 0;
  crypto.hash = (...a) => { hashes += 1; return original(...a); };
  t.after(() => { crypto.hash = original; });

  const sockets = new Set();
  const me = async (token) => { const r = await call(token, '/api/v1/me'); sockets.add(r.socket); assert.equal(r.status, 200); return r.body.data.id; };
  assert.equal(await me(ctx.token), ctx.owner.id);
  const after = hashes;
  for (let i = 0; i < 5; i++) assert.equal(await me(ctx.token), ctx.owner.id);
  assert.equal(hashes, after, 'the same header on the same connection is not hashed again');
  assert.equal(await me(manager.token), manager.user.id, 'another token on the connection');
  assert.equal(await me(ctx.token), ctx.owner.id, 'and back');
  assert.equal(sockets.size, 1, 'every request went over one connection');
  const wrong = await call(`${ctx.token}x`, '/api/v1/me');
  assert.equal(wrong.status, 401, 'a token that differs by one character');

  // a role changed on this connection, then by another connection to the database
  assert.equal((await call(manager.token, '/api/v1/products', 'POST', product(1))).status, 201);
  assert.equal((await call(ctx.token, `/api/v1/workspaces/${ctx.ws}/members`, 'POST', { user_id: manager.user.id, role: 'viewer' })).status, 200);
  assert.equal((await call(manager.token, '/api/v1/products', 'POST', product(2))).status, 403, 'demoted');
  assert.equal((await call(manager.token, '/api/v1/products')).status, 200);
  const operator = new Database(dbPath, { timeout: 5000 });
  t.after(() => operator.close());
  operator.prepare('DELETE FROM tokens WHERE token_hash = ?').run(hashToken(manager.token));
  assert.equal((await call(manager.token, '/api/v1/products')).status, 401, 'a token deleted by an operator');
  assert.equal((await call(ctx.token, '/api/v1/products')).status, 200);
});
