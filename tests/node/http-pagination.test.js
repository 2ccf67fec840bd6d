// The list envelope and its edges (API.md §1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, expectError, startServer } from './support/http-app.js';

test('pagination: envelope, links, edges, sorting', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: Array.from({ length: 32 }, (_, i) => ({ sku: `P-${String(i).padStart(2, '0')}`, name: `Product ${i}` })) });
  let r = await ctx.api.get('/api/v1/products');
  assert.equal(r.status, 200);
  assert.equal(r.body.data.length, 15);
  assert.deepEqual(r.body.meta, { current_page: 1, from: 1, to: 15, per_page: 15, last_page: 3, total: 32 });
  assert.equal(r.body.links.prev, null);
  assert.match(r.body.links.first, /\/api\/v1\/products\?page=1$/);
  assert.match(r.body.links.last, /page=3$/);
  assert.match(r.body.links.next, /page=2$/);
  // default sort -created_at with ties broken by id, same direction: newest (highest id) first
  assert.deepEqual(r.body.data.slice(0, 2).map((p) => p.sku), ['P-31', 'P-30']);
  r = await ctx.api.get('/api/v1/products?page=3&per_page=15&sort=sku');
  assert.deepEqual(r.body.meta, { current_page: 3, from: 31, to: 32, per_page: 15, last_page: 3, total: 32 });
  assert.deepEqual(r.body.data.map((p) => p.sku), ['P-30', 'P-31']);
  assert.equal(r.body.links.next, null);
  assert.match(r.body.links.prev, /page=2/);
  assert.match(r.body.links.prev, /sort=sku/);
  // past the end
  r = await ctx.api.get('/api/v1/products?page=9');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.data, []);
  assert.equal(r.body.meta.total, 32); assert.equal(r.body.meta.last_page, 3);
  assert.equal(r.body.meta.from, null); assert.equal(r.body.meta.to, null);
  assert.match(r.body.links.prev, /page=8$/, 'prev is the page before this one, not last_page (Laravel)');
  assert.equal(r.body.links.next, null);
  assert.match(r.body.links.last, /page=3$/);
  // bounds
  assert.equal((await ctx.api.get('/api/v1/products?per_page=100')).body.data.length, 32);
  assert.equal((await ctx.api.get('/api/v1/products?per_page=1')).body.meta.last_page, 32);
  for (const q of ['per_page=0', 'per_page=101', 'per_page=-1', 'per_page=abc', 'page=0', 'page=-1', 'page=1.5', 'sort=price', 'sort=-nope', 'sort=--id']) {
    const e = expectError(assert, await ctx.api.get(`/api/v1/products?${q}`), 422, 'validation_failed');
    assert.ok(e.errors[q.split('=')[0]], q);
  }
  r = await ctx.api.get('/api/v1/products?sort=-id&per_page=2');
  assert.deepEqual(r.body.data.map((p) => p.sku), ['P-31', 'P-30']);
  r = await ctx.api.get('/api/v1/products?sort=id&per_page=2');
  assert.deepEqual(r.body.data.map((p) => p.sku), ['P-00', 'P-01']);
  // filters
  r = await ctx.api.get('/api/v1/products?filter[search]=product%201&per_page=100');
  assert.equal(r.body.meta.total, 11);
  r = await ctx.api.get('/api/v1/products?filter[sku]=P-07');
  assert.deepEqual(r.body.data.map((p) => p.name), ['Product 7']);
});

test('movement lists paginate in the core: empty workspace, pages, sort by quantity', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [{ sku: 'M', name: 'M' }] });
  let r = await ctx.api.get('/api/v1/inventory/movements');
  assert.deepEqual(r.body.data, []);
  assert.deepEqual(r.body.meta, { current_page: 1, from: null, to: null, per_page: 15, last_page: 1, total: 0 });
  assert.deepEqual(r.body.summary, []);
  for (let i = 1; i <= 7; i++) await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: ctx.products[0], quantity: String(i) }] });
  r = await ctx.api.get('/api/v1/inventory/movements?per_page=3&page=2&sort=quantity');
  assert.deepEqual(r.body.data.map((m) => m.quantity), ['4.00', '5.00', '6.00']);
  assert.deepEqual(r.body.meta, { current_page: 2, from: 4, to: 6, per_page: 3, last_page: 3, total: 7 });
  r = await ctx.api.get('/api/v1/inventory/movements?per_page=3&page=5');
  assert.deepEqual(r.body.data, []); assert.equal(r.body.meta.total, 7);
  expectError(assert, await ctx.api.get('/api/v1/inventory/movements?sort=type'), 422, 'validation_failed');
  r = await ctx.api.get('/api/v1/inventory/movements?per_page=100');
  assert.deepEqual(r.body.data.map((m) => m.id), [7, 6, 5, 4, 3, 2, 1]);
});
