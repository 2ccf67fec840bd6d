// Racing requests can never oversell: 50 simultaneous transfers of one unit from a level of 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, startServer } from './support/http-app.js';

test('50 simultaneous transfers of 1 from 20: exactly 20 succeed, 30 insufficient_stock, totals conserved', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'RACE', name: 'Race' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '20' }] })).status, 201);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '1', reference: `R-${i}` })));
  const ok = results.filter((r) => r.status === 201);
  const short = results.filter((r) => r.status === 422 && r.body.code === 'insufficient_stock');
  assert.equal(ok.length, 20);
  assert.equal(short.length, 30);
  assert.deepEqual(ok.map((r) => r.body.data.balance_after).sort(), Array.from({ length: 20 }, (_, i) => `${i}.00`).sort());
  const stock = (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(stock.total_quantity, '20.00');
  assert.equal(stock.data.find((d) => d.workspace_id === ctx.ws).quantity, '0.00');
  assert.equal(stock.data.find((d) => d.workspace_id === wh).quantity, '20.00');
  assert.equal((await ctx.api.get('/api/v1/inventory/movements?per_page=1')).body.meta.total, 21);
  const rows = s.app.store.db.prepare('SELECT COUNT(*) AS n FROM movements').get().n;
  assert.equal(rows, 41);
  // a mixed burst of sales and transfers keeps the level exact
  await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '10' }] });
  const mixed = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2
    ? ctx.api.post('/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] })
    : ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '1' }))));
  assert.equal(mixed.filter((r) => r.status === 201).length, 10);
  const after = (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(after.data.find((d) => d.workspace_id === ctx.ws).quantity, '0.00');
});
