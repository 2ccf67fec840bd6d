// The inventory routes of API.md §3 (and purchases, counts, levels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, expectError, startServer } from './support/http-app.js';

async function setup(t) {
  const s = await startServer(t);
  const ctx = await bootstrap(s, {
    workspaces: ['Warehouse', { name: 'Closed', active: false }],
    products: [{ sku: 'PROD-001', name: 'Premium Product' }, { sku: 'NEG', name: 'Negative ok', allow_negative_stock: true }, { sku: 'SVC', name: 'Service', track_inventory: false }],
  });
  return { s, ctx, main: ctx.ws, wh: ctx.workspaces[1], closed: ctx.workspaces[2], p: ctx.products[0], neg: ctx.products[1], svc: ctx.products[2] };
}

test('transfers: create, list, show, and every refusal', async (t) => {
  const { ctx, main, wh, closed, p, svc, neg } = await setup(t);
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p, quantity: '170' }] })).status, 201);
  const r = await ctx.api.post('/api/v1/inventory/transfers', { product_id: String(p), to_workspace_id: wh, quantity: 50, reference: 'TRF-2026-001', notes: 'Stock transfer to warehouse' });
  assert.equal(r.status, 201, r.text);
  const m = r.body.data;
  assert.equal(m.type, 'transfer_out'); assert.equal(m.quantity, '-50.00'); assert.equal(m.balance_after, '120.00');
  assert.equal(m.from_workspace_id, main); assert.equal(m.to_workspace_id, wh); assert.equal(m.reference, 'TRF-2026-001');
  assert.deepEqual(m.product, { id: p, name: 'Premium Product', sku: 'PROD-001' });
  assert.deepEqual(m.from_workspace, { id: main, name: 'Main Store' });
  assert.deepEqual(m.to_workspace, { id: wh, name: 'Warehouse' });
  assert.equal(m.created_by.id, ctx.owner.id);
  assert.match(m.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  for (const k of ['reason', 'invoice_id', 'unit_cost']) assert.equal(m[k], null);
  // the other leg
  const leg = await ctx.api.in(wh).get(`/api/v1/inventory/transfers/${m.linked_movement_id}`);
  assert.equal(leg.status, 200);
  assert.equal(leg.body.data.type, 'transfer_in'); assert.equal(leg.body.data.quantity, '50.00'); assert.equal(leg.body.data.linked_movement_id, m.id);
  // both legs are visible from both workspaces; the list shows only the workspace's own legs
  assert.equal((await ctx.api.get(`/api/v1/inventory/transfers/${m.linked_movement_id}`)).status, 200);
  assert.deepEqual((await ctx.api.get('/api/v1/inventory/transfers')).body.data.map((x) => x.type), ['transfer_out']);
  assert.deepEqual((await ctx.api.in(wh).get('/api/v1/inventory/transfers')).body.data.map((x) => x.type), ['transfer_in']);
  assert.equal((await ctx.api.get('/api/v1/inventory/transfers?filter[type]=transfer_in')).body.meta.total, 0);
  assert.equal((await ctx.api.get(`/api/v1/inventory/transfers?filter[product_id]=${p}&filter[type]=transfer_out,transfer_in`)).body.meta.total, 1);
  expectError(assert, await ctx.api.get('/api/v1/inventory/transfers?filter[type]=sale'), 422, 'validation_failed');
  // not a transfer, or not from/to the current workspace: 404
  const initialId = (await ctx.api.get('/api/v1/inventory/movements?filter[type]=initial_stock')).body.data[0].id;
  expectError(assert, await ctx.api.get(`/api/v1/inventory/transfers/${initialId}`), 404, 'not_found');
  expectError(assert, await ctx.api.get('/api/v1/inventory/transfers/9999'), 404, 'not_found');
  // refusals
  const field = async (body, name, code = 'validation_failed', status = 422) => {
    const e = expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', body), status, code);
    if (name) assert.ok(e.errors[name], `${name} in ${JSON.stringify(e.errors)}`);
    return e;
  };
  await field({ product_id: p, to_workspace_id: main, quantity: '1' }, 'to_workspace_id');
  await field({ product_id: p, to_workspace_id: 99999, quantity: '1' }, 'to_workspace_id');
  await field({ product_id: p, to_workspace_id: closed, quantity: '1' }, 'to_workspace_id');
  await field({ product_id: p, to_workspace_id: wh, quantity: '0' }, 'quantity');
  await field({ product_id: p, to_workspace_id: wh, quantity: '-5' }, 'quantity');
  await field({ product_id: p, to_workspace_id: wh, quantity: '1', reference: 'r'.repeat(101) }, 'reference');
  await field({ product_id: p, to_workspace_id: wh, quantity: '1', notes: 'n'.repeat(501) }, 'notes');
  await field({ to_workspace_id: wh, quantity: '1' }, 'product_id');
  await field({ product_id: 99999, to_workspace_id: wh, quantity: '1' }, 'product_id');
  await field({ product_id: p, to_workspace_id: wh, quantity: '120.01' }, null, 'insufficient_stock');
  await field({ product_id: svc, to_workspace_id: wh, quantity: '1' }, null, 'product_not_tracked');
  // never below zero, whatever the product allows
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: neg, quantity: '1' }] });
  await field({ product_id: neg, to_workspace_id: wh, quantity: '2' }, null, 'insufficient_stock');
  assert.equal((await ctx.api.post('/api/v1/inventory/transfers', { product_id: p, to_workspace_id: wh, quantity: '120.00' })).body.data.balance_after, '0.00');
});

test('adjustments, initial stock, purchases, counts', async (t) => {
  const { ctx, wh, p, neg, svc } = await setup(t);
  // initial stock: quantity zero sets the minimum without a movement; twice is 409 and writes nothing
  let r = await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p, quantity: '10', cost_per_unit: '2.5', minimum_quantity: '4' }, { product_id: neg, quantity: 0, minimum_quantity: 2 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data.length, 1);
  assert.equal(r.body.data[0].type, 'initial_stock'); assert.equal(r.body.data[0].unit_cost, '2.50');
  r = await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: neg, quantity: '3' }, { product_id: p, quantity: '1' }] });
  assert.ok(expectError(assert, r, 409, 'initial_stock_already_set'));
  assert.equal((await ctx.api.get('/api/v1/inventory/movements')).body.meta.total, 1, 'nothing written');
  expectError(assert, await ctx.api.post('/api/v1/inventory/initial-stock', { items: [] }), 422, 'validation_failed');
  expectError(assert, await ctx.api.post('/api/v1/inventory/initial-stock', { items: Array.from({ length: 501 }, () => ({ product_id: p, quantity: '1' })) }), 422, 'validation_failed');
  // adjustments: all or nothing, a product at most once, below zero only where allowed
  r = await ctx.api.post('/api/v1/inventory/adjustments', { reference: 'ADJ-1', items: [{ product_id: p, quantity: '-3', reason: 'damaged', notes: 'Dropped' }, { product_id: neg, quantity: '-5', reason: 'lost' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.data.map((m) => [m.type, m.quantity, m.balance_after, m.reason, m.reference]), [['adjustment', '-3.00', '7.00', 'damaged', 'ADJ-1'], ['adjustment', '-5.00', '-5.00', 'lost', 'ADJ-1']]);
  r = await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: neg, quantity: '1', reason: 'found' }, { product_id: p, quantity: '-8', reason: 'lost' }] });
  expectError(assert, r, 422, 'insufficient_stock');
  r = await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: p, quantity: '1', reason: 'found' }, { product_id: p, quantity: '1', reason: 'found' }] });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors['items.1.product_id']);
  r = await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: p, quantity: '0', reason: 'found' }] });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors['items.0.quantity']);
  expectError(assert, await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: svc, quantity: '1', reason: 'found' }] }), 422, 'product_not_tracked');
  r = await ctx.api.get('/api/v1/inventory/adjustments?filter[reason]=lost');
  assert.deepEqual(r.body.data.map((m) => m.product_id), [neg]);
  assert.equal((await ctx.api.get(`/api/v1/inventory/adjustments?filter[product_id]=${p}`)).body.meta.total, 1);
  expectError(assert, await ctx.api.get('/api/v1/inventory/adjustments?filter[reason]=stolen'), 422, 'validation_failed');
  // purchases
  r = await ctx.api.post('/api/v1/inventory/purchases', { reference: 'PO-1', items: [{ product_id: p, quantity: '5', unit_cost: '0.0125' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data[0].type, 'purchase'); assert.equal(r.body.data[0].to_workspace_id, ctx.ws); assert.equal(r.body.data[0].unit_cost, '0.0125');
  // counts: recount adjustments for the differences only
  r = await ctx.api.post('/api/v1/inventory/counts', { items: [{ product_id: p, quantity: '11' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.data.map((m) => [m.reason, m.quantity, m.balance_after]), [['recount', '-1.00', '11.00']]);
  // stale quantity
  r = await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: p, quantity: '1', reason: 'found', expected_quantity: '10' }] });
  expectError(assert, r, 409, 'stale_quantity');
  // levels (§5)
  r = await ctx.api.get('/api/v1/inventory/levels?per_page=100');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.data.some((x) => x.product_id === p && x.quantity === '11.00'));
  r = await ctx.api.get('/api/v1/inventory/levels?as_of=2000-01-01&per_page=100');
  assert.ok(r.body.data.every((x) => /^0\.0+$|^0$/.test(x.quantity)), r.text);
  assert.equal((await ctx.api.in(wh).get('/api/v1/inventory/levels')).status, 200);
});

test('product stock, minimums, low stock', async (t) => {
  const { ctx, main, wh, closed, p, neg } = await setup(t);
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p, quantity: '5', minimum_quantity: '5' }, { product_id: neg, quantity: '20', minimum_quantity: '10' }] });
  let r = await ctx.api.get(`/api/v1/inventory/products/${p}/stock`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total_quantity, '5.00');
  assert.deepEqual(r.body.data.map((d) => [d.workspace_id, d.quantity, d.minimum_quantity, d.status]), [
    [main, '5.00', '5.00', 'low_stock'], [wh, '0.00', '0.00', 'out_of_stock'], [closed, '0.00', '0.00', 'out_of_stock']]);
  assert.equal(r.body.data[0].workspace_name, 'Main Store');
  // the core's answer handed on as the body: exactly these members, as JSON
  assert.deepEqual(Object.keys(r.body).sort(), ['data', 'product', 'product_id', 'total_quantity']);
  assert.deepEqual(r.body.product, { id: p, name: 'Premium Product', sku: 'PROD-001' });
  assert.equal(r.body.product_id, p);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  // the product's name and SKU come from the ledger's catalog, which a product's PATCH updates
  assert.equal((await ctx.api.patch(`/api/v1/products/${p}`, { name: 'Premium Product II', sku: 'PROD-002' })).status, 200);
  r = await ctx.api.get(`/api/v1/inventory/products/${p}/stock`);
  assert.deepEqual(r.body.product, { id: p, name: 'Premium Product II', sku: 'PROD-002' });
  expectError(assert, await ctx.api.get('/api/v1/inventory/products/99999/stock'), 404, 'not_found');
  // PUT minimum (default current workspace, or workspace_id)
  r = await ctx.api.put(`/api/v1/inventory/products/${neg}/minimum`, { minimum_quantity: '25' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.data, { product_id: neg, workspace_id: main, minimum_quantity: '25.00' });
  r = await ctx.api.put(`/api/v1/inventory/products/${p}/minimum`, { minimum_quantity: 2, workspace_id: wh });
  assert.equal(r.status, 200, r.text);
  assert.ok(expectError(assert, await ctx.api.put(`/api/v1/inventory/products/${p}/minimum`, { minimum_quantity: '-1' }), 422, 'validation_failed').errors.minimum_quantity);
  assert.ok(expectError(assert, await ctx.api.put(`/api/v1/inventory/products/${p}/minimum`, { minimum_quantity: '1', workspace_id: 99999 }), 422, 'validation_failed').errors.workspace_id);
  expectError(assert, await ctx.api.put('/api/v1/inventory/products/99999/minimum', { minimum_quantity: '1' }), 404, 'not_found');
  // low stock: largest shortage first
  await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: neg, quantity: '-30', reason: 'lost' }] });
  r = await ctx.api.get('/api/v1/inventory/low-stock');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.data.map((x) => [x.product_id, x.quantity, x.minimum_quantity, x.shortage, x.status]), [
    [neg, '-10.00', '25.00', '35.00', 'out_of_stock'], [p, '5.00', '5.00', '0.00', 'low_stock']]);
  assert.equal(r.body.data[0].product.sku, 'NEG');
  assert.equal(r.body.meta.total, 2);
  r = await ctx.api.get(`/api/v1/inventory/low-stock?workspace_id=${wh}`);
  assert.deepEqual(r.body.data.map((x) => x.product_id), [p]);
  assert.equal((await ctx.api.get('/api/v1/inventory/low-stock?per_page=1&page=2')).body.data[0].product_id, p);
  // only the documented order: largest shortage first
  assert.deepEqual((await ctx.api.get('/api/v1/inventory/low-stock?sort=-shortage')).body.data.map((x) => x.product_id), [neg, p]);
  for (const sort of ['shortage', 'quantity', '-created_at']) {
    assert.ok(expectError(assert, await ctx.api.get(`/api/v1/inventory/low-stock?sort=${sort}`), 422, 'validation_failed').errors.sort, sort);
  }
});

test('the audit report: filters, dates, summary', async (t) => {
  const { ctx, wh, p, neg } = await setup(t);
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p, quantity: '100' }, { product_id: neg, quantity: '1' }] });
  await ctx.api.post('/api/v1/inventory/transfers', { product_id: p, to_workspace_id: wh, quantity: '30' });
  await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: p, quantity: '5' }] });
  await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: p, quantity: '2' }] });
  const today = new Date().toISOString().slice(0, 10);
  let r = await ctx.api.get(`/api/v1/inventory/movements?filter[product_id]=${p}&start_date=${today}&end_date=${today}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.meta.total, 4);
  assert.deepEqual(r.body.summary.map((x) => [x.product_id, x.workspace_id, x.opening_balance, x.quantity_in, x.quantity_out, x.net, x.closing_balance]),
    [[p, ctx.ws, '0.00', '102.00', '35.00', '67.00', '67.00']]);
  assert.deepEqual(r.body.summary[0].counts, { initial_stock: 1, purchase: 1, sale: 1, transfer_out: 1, transfer_in: 0, adjustment: 0 });
  // type narrows the list, not the balances
  r = await ctx.api.get('/api/v1/inventory/movements?filter[type]=sale,purchase');
  assert.deepEqual(r.body.data.map((m) => m.type).sort(), ['purchase', 'sale']);
  const sp = r.body.summary.find((x) => x.product_id === p);
  assert.equal(sp.closing_balance, '67.00');
  // a range before everything: opening = closing = 0, nothing listed
  r = await ctx.api.get('/api/v1/inventory/movements?start_date=2000-01-01&end_date=2000-01-31');
  assert.equal(r.body.meta.total, 0);
  // after everything: opening balance carries
  r = await ctx.api.get('/api/v1/inventory/movements?start_date=2999-01-01');
  assert.equal(r.body.meta.total, 0);
  assert.equal(r.body.summary.find((x) => x.product_id === p).opening_balance, '67.00');
  // another workspace, one the user is a member of
  r = await ctx.api.get(`/api/v1/inventory/movements?filter[workspace_id]=${wh}`);
  assert.deepEqual(r.body.data.map((m) => m.type), ['transfer_in']);
  expectError(assert, await ctx.api.get('/api/v1/inventory/movements?filter[workspace_id]=99999'), 403, 'forbidden');
  for (const q of ['start_date=2026-13-01', 'end_date=20260101', 'start_date=2026-02-02&end_date=2026-02-01', 'filter[type]=gift']) {
    expectError(assert, await ctx.api.get(`/api/v1/inventory/movements?${q}`), 422, 'validation_failed');
  }
});
