// Everything survives a restart on the same database: levels, movements, invoices, tokens, idempotency keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, client, startServer, tempDb } from './support/http-app.js';

test('write, stop, start on the same database', async (t) => {
  const dbPath = tempDb(t);
  let s = await startServer(t, { dbPath });
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'R', name: 'Restart', decimals: 3 }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '100.5', minimum_quantity: '20' }] });
  await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '40.25', notes: 'tab\there\nnewline \\ back' });
  const inv = await ctx.api.post('/api/v1/invoices', { number: 'INV-9', lines: [{ product_id: pid, quantity: '50', unit_price: '1.25' }] }, { headers: { 'idempotency-key': 'inv-9' } });
  assert.equal(inv.status, 201, inv.text);
  const before = {
    stock: (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body,
    movements: (await ctx.api.get('/api/v1/inventory/movements?per_page=100')).body,
    invoice: (await ctx.api.get(`/api/v1/invoices/${inv.body.data.id}`)).body,
    low: (await ctx.api.get('/api/v1/inventory/low-stock')).body.data,
  };
  assert.equal(before.low.length, 1);
  await s.close();

  s = await startServer(t, { dbPath });
  const api = client(s.base, ctx.token);
  assert.equal((await api.get('/api/v1/me')).status, 200, 'the token still works');
  assert.deepEqual((await api.get(`/api/v1/inventory/products/${pid}/stock`)).body, before.stock);
  const after = (await api.get('/api/v1/inventory/movements?per_page=100')).body;
  assert.deepEqual(after.data, before.movements.data);
  assert.deepEqual(after.summary, before.movements.summary);
  assert.deepEqual((await api.get(`/api/v1/invoices/${inv.body.data.id}`)).body, before.invoice);
  assert.deepEqual((await api.get('/api/v1/inventory/low-stock')).body.data, before.low);
  const tr = (await api.get('/api/v1/inventory/transfers')).body.data[0];
  assert.equal(tr.notes, 'tab\there\nnewline \\ back');
  // the idempotency key is remembered
  const replay = await api.post('/api/v1/invoices', { number: 'INV-9', lines: [{ product_id: pid, quantity: '50', unit_price: '1.25' }] }, { headers: { 'idempotency-key': 'inv-9' } });
  assert.equal(replay.status, 201);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(replay.body, inv.body);
  // and new writes continue the ledger
  const more = await api.post('/api/v1/inventory/adjustments', { items: [{ product_id: pid, quantity: '-0.25', reason: 'damaged' }] });
  assert.equal(more.status, 201, more.text);
  assert.equal(more.body.data[0].id, 5); // 4 movements before (one is the transfer_in in the warehouse)
  assert.equal(more.body.data[0].balance_after, '10.000');
  // voiding after the restart works and is remembered
  assert.equal((await api.post(`/api/v1/invoices/${inv.body.data.id}/void`)).status, 200);
  await s.close();
  s = await startServer(t, { dbPath });
  const api2 = client(s.base, ctx.token);
  assert.equal((await api2.post(`/api/v1/invoices/${inv.body.data.id}/void`)).status, 409);
  const st = (await api2.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(st.data.find((d) => d.workspace_id === ctx.ws).quantity, '60.000');
});

test('ledgers.use answers at once for a loaded ledger and after the load otherwise', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [{ sku: 'U', name: 'Use' }] });
  const ledgers = s.app.ledgers;
  ledgers.evict(ctx.org.id);
  const first = ledgers.use(ctx.org.id, (l) => l.productStockText(ctx.products[0]));
  assert.ok(first instanceof Promise, 'an unloaded ledger is loaded first');
  const text = await first;
  const again = ledgers.use(ctx.org.id, (l) => l.productStockText(ctx.products[0]));
  assert.equal(typeof again, 'string', 'a loaded ledger answers in the same turn');
  assert.equal(again, text);
  const stock = await ctx.api.get(`/api/v1/inventory/products/${ctx.products[0]}/stock`);
  assert.equal(stock.status, 200);
  assert.deepEqual(stock.body, JSON.parse(text));
});
