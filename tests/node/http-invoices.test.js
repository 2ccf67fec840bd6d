// Invoices (API.md §4): creating one sells its stock (all or nothing), voiding returns it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, expectError, startServer } from './support/http-app.js';

test('invoices: create, sum lines, untracked lines, list, show, void, void twice', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Outlet'], products: [{ sku: 'A', name: 'Apple' }, { sku: 'SVC', name: 'Delivery', track_inventory: false }, { sku: 'N', name: 'Neg', allow_negative_stock: true }] });
  const [a, svc, neg] = ctx.products; const outlet = ctx.workspaces[1];
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: a, quantity: '10' }] });
  let r = await ctx.api.post('/api/v1/invoices', {
    number: 'INV-001', customer: 'Jane',
    lines: [{ product_id: a, quantity: '2', unit_price: '1.5' }, { product_id: svc, quantity: 1, unit_price: 4 }, { product_id: a, quantity: '1.25', unit_price: '1.5' }],
  });
  assert.equal(r.status, 201, r.text);
  const inv = r.body.data;
  assert.equal(inv.number, 'INV-001'); assert.equal(inv.customer, 'Jane'); assert.equal(inv.status, 'issued'); assert.equal(inv.workspace_id, ctx.ws);
  assert.deepEqual(inv.lines.map((l) => [l.product_id, l.quantity, l.unit_price, l.line_total]), [[a, '2.00', '1.50', '3.00'], [svc, '1.00', '4.00', '4.00'], [a, '1.25', '1.50', '1.875']]);
  assert.equal(inv.total, '8.875');
  assert.equal(inv.movements.length, 1, 'one sale per tracked product, lines summed; untracked: none');
  assert.deepEqual([inv.movements[0].type, inv.movements[0].quantity, inv.movements[0].balance_after, inv.movements[0].invoice_id, inv.movements[0].from_workspace_id],
    ['sale', '-3.25', '6.75', inv.id, ctx.ws]);
  // number unique
  expectError(assert, await ctx.api.post('/api/v1/invoices', { number: 'INV-001', lines: [{ product_id: a, quantity: '1' }] }), 409, 'conflict');
  // all or nothing: insufficient stock writes no invoice and no movement
  const before = (await ctx.api.get('/api/v1/inventory/movements')).body.meta.total;
  r = await ctx.api.post('/api/v1/invoices', { number: 'INV-BIG', lines: [{ product_id: neg, quantity: '5' }, { product_id: a, quantity: '7' }] });
  const e = expectError(assert, r, 422, 'insufficient_stock');
  assert.equal(e.details.product_id, a);
  assert.equal((await ctx.api.get('/api/v1/inventory/movements')).body.meta.total, before);
  assert.equal((await ctx.api.get('/api/v1/invoices')).body.meta.total, 1);
  // validation names the line
  r = await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: a, quantity: '1' }, { product_id: a, quantity: '0' }, { product_id: 99999, quantity: '1' }] });
  const v = expectError(assert, r, 422, 'validation_failed');
  assert.ok(v.errors['lines.1.quantity'] && v.errors['lines.2.product_id'], JSON.stringify(v.errors));
  r = await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: a, quantity: '1', unit_price: '1.00001' }] });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors['lines.0.unit_price']);
  expectError(assert, await ctx.api.post('/api/v1/invoices', { lines: [] }), 422, 'validation_failed');
  // negative stock where allowed
  r = await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: neg, quantity: '2' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data.movements[0].balance_after, '-2.00');
  assert.equal(r.body.data.number, null);
  // list and show; another workspace does not see them
  r = await ctx.api.get('/api/v1/invoices');
  assert.equal(r.body.meta.total, 2);
  assert.equal((await ctx.api.get('/api/v1/invoices?filter[number]=INV-001')).body.data[0].id, inv.id);
  r = await ctx.api.get(`/api/v1/invoices/${inv.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.data.movements, inv.movements);
  expectError(assert, await ctx.api.in(outlet).get(`/api/v1/invoices/${inv.id}`), 404, 'not_found');
  assert.equal((await ctx.api.in(outlet).get('/api/v1/invoices')).body.meta.total, 0);
  expectError(assert, await ctx.api.get('/api/v1/invoices/99999'), 404, 'not_found');
  // void: one positive sale per original, linked; stock returns; twice: 409
  r = await ctx.api.post(`/api/v1/invoices/${inv.id}/void`, { notes: 'Customer returned' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.status, 'void');
  assert.match(r.body.data.voided_at, /Z$/);
  const rev = r.body.data.movements.find((m) => m.quantity === '3.25');
  assert.equal(rev.type, 'sale'); assert.equal(rev.linked_movement_id, inv.movements[0].id); assert.equal(rev.balance_after, '10.00');
  expectError(assert, await ctx.api.post(`/api/v1/invoices/${inv.id}/void`, undefined, { raw: '' }), 409, 'conflict');
  assert.equal((await ctx.api.get('/api/v1/invoices?filter[status]=void')).body.meta.total, 1);
  const stock = (await ctx.api.get(`/api/v1/inventory/products/${a}/stock`)).body;
  assert.equal(stock.total_quantity, '10.00');
});
