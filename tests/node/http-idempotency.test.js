// Idempotency-Key on POST (API.md §1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, bootstrap, expectError, startServer } from './support/http-app.js';

test('same key + same body replays the first answer and writes nothing', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W'], products: [{ sku: 'I', name: 'I' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '10' }] });
  const key = { headers: { 'idempotency-key': 'transfer-0001' } };
  const body = { product_id: pid, to_workspace_id: wh, quantity: '2' };
  const first = await ctx.api.post('/api/v1/inventory/transfers', body, key);
  assert.equal(first.status, 201);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const again = await ctx.api.post('/api/v1/inventory/transfers', { quantity: '2', to_workspace_id: wh, product_id: pid }, key);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, first.body);
  const stock = await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`);
  assert.equal(stock.body.data.find((d) => d.workspace_id === ctx.ws).quantity, '8.00');
  assert.equal((await ctx.api.get('/api/v1/inventory/movements')).body.meta.total, 2);
  // different body: 409
  expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', { ...body, quantity: '3' }, key), 409, 'idempotency_key_reused');
  // different route, same key: 409 as well
  expectError(assert, await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '1' }] }, key), 409, 'idempotency_key_reused');
  // errors are answered again too
  const k2 = { headers: { 'idempotency-key': 'too-much' } };
  const e1 = await ctx.api.post('/api/v1/inventory/transfers', { ...body, quantity: '100' }, k2);
  expectError(assert, e1, 422, 'insufficient_stock');
  const e2 = await ctx.api.post('/api/v1/inventory/transfers', { ...body, quantity: '100' }, k2);
  assert.equal(e2.status, 422);
  assert.equal(e2.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(e2.body, e1.body);
  // invalid keys
  expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', body, { headers: { 'idempotency-key': 'x'.repeat(256) } }), 400, 'bad_request');
});

test('a request refused before its endpoint stores nothing: the corrected request can use the same key', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W'], products: [{ sku: 'R', name: 'R' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '10' }] });
  const key = { headers: { 'idempotency-key': 'retry-after-fix' } };
  const good = { product_id: pid, to_workspace_id: wh, quantity: '2' };
  // schema 422, 404 of the path, 415, unreadable JSON: nothing remembered under the key
  expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', { ...good, quantity: true }, key), 422, 'validation_failed');
  expectError(assert, await ctx.api.post('/api/v1/invoices/99999/void', undefined, key), 404, 'not_found');
  expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', undefined, { ...key, raw: '{"product_id":' }), 400, 'bad_request');
  const first = await ctx.api.post('/api/v1/inventory/transfers', good, key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get('idempotent-replayed'), null, 'the corrected body ran, it was not answered from a stored error');
  const again = await ctx.api.post('/api/v1/inventory/transfers', good, key);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  // a 403 (role) is not remembered either
  const viewer = await addUser(ctx, s, { role: 'viewer' });
  const vkey = { headers: { 'idempotency-key': 'viewer-key' } }; // keys are per organization: the owner may reuse it
  const purchase = { items: [{ product_id: pid, quantity: '1' }] };
  expectError(assert, await viewer.api.post('/api/v1/inventory/purchases', purchase, vkey), 403, 'forbidden');
  const owners = await ctx.api.post('/api/v1/inventory/purchases', purchase, vkey);
  assert.equal(owners.status, 201, owners.text);
  assert.equal(owners.headers.get('idempotent-replayed'), null);
  // answers of requests that reached their endpoint are remembered, errors too (core and host)
  const skuKey = { headers: { 'idempotency-key': 'dup-sku' } };
  const dup = await ctx.api.post('/api/v1/products', { sku: 'R', name: 'Again' }, skuKey);
  expectError(assert, dup, 409, 'sku_taken');
  const dup2 = await ctx.api.post('/api/v1/products', { sku: 'R', name: 'Again' }, skuKey);
  assert.equal(dup2.status, 409);
  assert.equal(dup2.headers.get('idempotent-replayed'), 'true');
  expectError(assert, await ctx.api.post('/api/v1/products', { sku: 'R2', name: 'Other' }, skuKey), 409, 'idempotency_key_reused');
});

test('keys are per organization; invoices and catalog writes are idempotent; secrets are not kept', async (t) => {
  const s = await startServer(t);
  const a = await bootstrap(s, { name: 'Alpha', products: [{ sku: 'A', name: 'A' }] });
  const b = await bootstrap(s, { name: 'Bravo', products: [{ sku: 'B', name: 'B' }] });
  const k = { headers: { 'idempotency-key': 'shared-key' } };
  const pa = await a.api.post('/api/v1/products', { sku: 'X', name: 'X' }, k);
  const pb = await b.api.post('/api/v1/products', { sku: 'X', name: 'X' }, k);
  assert.equal(pa.status, 201); assert.equal(pb.status, 201);
  assert.equal(pb.headers.get('idempotent-replayed'), null);
  assert.notEqual(pa.body.data.id, pb.body.data.id);
  await a.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: a.products[0], quantity: '5' }] });
  const ik = { headers: { 'idempotency-key': 'inv-1' } };
  const i1 = await a.api.post('/api/v1/invoices', { lines: [{ product_id: a.products[0], quantity: '1' }] }, ik);
  const i2 = await a.api.post('/api/v1/invoices', { lines: [{ product_id: a.products[0], quantity: '1' }] }, ik);
  assert.equal(i1.status, 201); assert.deepEqual(i2.body, i1.body);
  assert.equal((await a.api.get('/api/v1/invoices')).body.meta.total, 1);
  // a replayed token answer does not show the secret again
  const tk = { headers: { 'idempotency-key': 'tok-1' } };
  const t1 = await a.api.post(`/api/v1/users/${a.owner.id}/tokens`, { name: 'ci' }, tk);
  const t2 = await a.api.post(`/api/v1/users/${a.owner.id}/tokens`, { name: 'ci' }, tk);
  assert.equal(typeof t1.body.data.token, 'string');
  assert.equal(t2.status, 201); assert.equal(t2.body.data.token, null); assert.equal(t2.body.data.id, t1.body.data.id);
});

test('concurrent requests with one key write once', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [{ sku: 'C', name: 'C' }] });
  const k = { headers: { 'idempotency-key': 'burst' } };
  const rs = await Promise.all(Array.from({ length: 10 }, () => ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: ctx.products[0], quantity: '1' }] }, k)));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(rs.map((r) => r.body.data[0].id)).size, 1);
  assert.equal((await ctx.api.get('/api/v1/inventory/movements')).body.meta.total, 1);
});
