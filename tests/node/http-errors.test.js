// Every row of the error table (API.md §1), exact decimals, and: client input never reaches a 5xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_STATUS, fromCoreError } from '../../host-node/lib/errors.js';
import { bootstrap, client, expectError, ledgerPackage, startServer } from './support/http-app.js';

test('every core error code has exactly one HTTP mapping', async () => {
  const pkg = await ledgerPackage();
  assert.ok(Array.isArray(pkg.ERROR_CODES) && pkg.ERROR_CODES.length >= 8);
  for (const code of pkg.ERROR_CODES) {
    assert.ok(Number.isInteger(CORE_STATUS[code]), `no HTTP status for ${code}`);
    const e = Object.assign(new Error('m'), { name: 'StockroomError', code, errors: {}, details: null });
    assert.equal(fromCoreError(e).status, CORE_STATUS[code]);
  }
  assert.deepEqual(Object.keys(CORE_STATUS).sort(), [...pkg.ERROR_CODES].sort());
  assert.deepEqual(
    { v: CORE_STATUS.validation_failed, i: CORE_STATUS.insufficient_stock, p: CORE_STATUS.product_not_tracked, s: CORE_STATUS.initial_stock_already_set, c: CORE_STATUS.conflict, q: CORE_STATUS.stale_quantity, n: CORE_STATUS.not_found, b: CORE_STATUS.bad_request },
    { v: 422, i: 422, p: 422, s: 409, c: 409, q: 409, n: 404, b: 400 });
});

test('the error table, row by row', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'E-1', name: 'Err' }, { sku: 'SVC', name: 'Service', track_inventory: false }] });
  const [pid, svc] = ctx.products; const wh = ctx.workspaces[1];
  const viewer = await (await import('./support/http-app.js')).addUser(ctx, s, { role: 'viewer' });
  // 400 bad_request: not JSON; unreadable query
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: '{"sku": "x",' }), 400, 'bad_request');
  assert.ok(expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: '' }), 422, 'validation_failed').errors.body);
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: '{"sku": NaN}' }), 400, 'bad_request');
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: '{"a":1,"a":2}' }), 400, 'bad_request');
  expectError(assert, await ctx.api.get('/api/v1/products?page=1&page=2'), 400, 'bad_request');
  // 401, 403, 404
  expectError(assert, await client(s.base).get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await viewer.api.post('/api/v1/products', { sku: 'V', name: 'V' }), 403, 'forbidden');
  expectError(assert, await ctx.api.get('/api/v1/products/424242'), 404, 'not_found');
  expectError(assert, await ctx.api.get('/api/v1/products/abc'), 404, 'not_found');
  expectError(assert, await ctx.api.get('/api/v1/nothing-here'), 404, 'not_found');
  // 409s
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '5' }] })).status, 201);
  const again = expectError(assert, await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '5' }] }), 409, 'initial_stock_already_set');
  assert.ok(again.errors);
  expectError(assert, await ctx.api.post('/api/v1/products', { sku: 'E-1', name: 'Dup' }), 409, 'sku_taken');
  const inv = await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] });
  assert.equal((await ctx.api.post(`/api/v1/invoices/${inv.body.data.id}/void`)).status, 200);
  expectError(assert, await ctx.api.post(`/api/v1/invoices/${inv.body.data.id}/void`), 409, 'conflict');
  await ctx.api.post('/api/v1/products', { sku: 'K', name: 'K' }, { headers: { 'idempotency-key': 'k-1' } });
  expectError(assert, await ctx.api.post('/api/v1/products', { sku: 'K2', name: 'K' }, { headers: { 'idempotency-key': 'k-1' } }), 409, 'idempotency_key_reused');
  const stale = await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '1', expected_quantity: '3' });
  expectError(assert, stale, 409, 'stale_quantity');
  // 413, 415
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: JSON.stringify({ sku: 'B', name: 'x'.repeat(1100000) }) }), 413, 'payload_too_large');
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  expectError(assert, await ctx.api.post('/api/v1/products', undefined, { raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  // 422 validation_failed naming every bad field
  const v = expectError(assert, await ctx.api.post('/api/v1/inventory/adjustments', {
    items: [{ product_id: pid, quantity: '1', reason: 'found' }, { product_id: pid, quantity: '1', reason: 'found' }, { product_id: pid, quantity: {}, reason: 'nope' }],
  }), 422, 'validation_failed');
  assert.ok(v.errors['items.2.quantity'], JSON.stringify(v.errors));
  assert.ok(v.errors['items.2.reason'], JSON.stringify(v.errors));
  const tr = expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: ctx.ws, quantity: '1' }), 422, 'validation_failed');
  assert.deepEqual(Object.keys(tr.errors), ['to_workspace_id']);
  // 422 insufficient_stock with details
  const ins = expectError(assert, await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '100' }), 422, 'insufficient_stock');
  assert.deepEqual(ins.details, { product_id: pid, workspace_id: ctx.ws, available: '5.00', requested: '100.00' });
  // 422 product_not_tracked
  expectError(assert, await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: svc, quantity: '1' }] }), 422, 'product_not_tracked');
});

test('quantities are exact: never rounded, never floating point', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [{ sku: 'Q', name: 'Q' }, { sku: 'Q4', name: 'Q4', decimals: 4 }] });
  const [p, p4] = ctx.products;
  const bad = ['999999999999.99999', '1e3', '12.345', 'NaN', 'Infinity', '1000000000000.01', '-1', '0x10', ' 12'];
  for (const q of bad) {
    const r = await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: p, quantity: q }] });
    assert.ok(expectError(assert, r, 422, 'validation_failed').errors['items.0.quantity'], `${q}: ${r.text}`);
  }
  for (const raw of ['999999999999.99999', '1e3', '12.345', '1E2', '100000000000000000000']) {
    const r = await ctx.api.post('/api/v1/inventory/purchases', undefined, { raw: `{"items":[{"product_id":${p},"quantity":${raw}}]}` });
    assert.ok(expectError(assert, r, 422, 'validation_failed').errors['items.0.quantity'], `${raw}: ${r.text}`);
  }
  let r = await ctx.api.post('/api/v1/inventory/purchases', undefined, { raw: `{"items":[{"product_id":${p},"quantity":12.5},{"product_id":${p4},"quantity":"0.0001"}]}` });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.data.map((m) => m.quantity), ['12.50', '0.0001']);
  r = await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: p, quantity: '999999999987.49' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.data[0].balance_after, '999999999999.99');
});

test('client input never reaches a 5xx', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W'], products: [{ sku: 'F', name: 'F' }] });
  const [pid] = ctx.products;
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '5' }] });
  const posts = ['/api/v1/products', '/api/v1/workspaces', '/api/v1/users', `/api/v1/users/${ctx.owner.id}/tokens`, `/api/v1/workspaces/${ctx.ws}/members`,
    '/api/v1/inventory/transfers', '/api/v1/inventory/adjustments', '/api/v1/inventory/initial-stock', '/api/v1/inventory/purchases',
    '/api/v1/inventory/counts', '/api/v1/invoices', '/api/v1/invoices/1/void', '/api/v1/organizations'];
  const bodies = ['null', '[]', '"x"', '1', 'true', '{}', '{"items":null}', '{"items":[null]}', '{"items":[1,2]}', '{"items":"x"}',
    `{"items":[{"product_id":${pid},"quantity":"1","reason":"found"}],"reference":{"a":1}}`, '{"lines":[{}]}',
    `{"lines":[{"product_id":"99999999999999999999","quantity":"1"}]}`, `{"product_id":-1,"to_workspace_id":0,"quantity":-1}`,
    `{"product_id":${pid},"to_workspace_id":"${ctx.workspaces[1]}","quantity":"1","notes":"${'n'.repeat(600)}"}`,
    `{"items":[{"product_id":${pid},"quantity":"1","cost_per_unit":"1.00001","minimum_quantity":"-1"}]}`,
    '{"name":"","sku":""}', '{"name":"x","price":"-1"}', '{"user_id":"x","role":"king"}', '{"a":'.repeat(40) + '1' + '}'.repeat(40),
    '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"name":"\ud800"}'];
  for (const url of posts) {
    for (const raw of bodies) {
      const r = await ctx.api.post(url, undefined, { raw });
      assert.ok(r.status < 500, `${url} ${raw.slice(0, 60)} -> ${r.status} ${r.text}`);
      if (r.status >= 400) assert.equal(typeof r.body?.code, 'string', r.text);
    }
  }
  const gets = ['/api/v1/inventory/movements?start_date=2026-02-30', '/api/v1/inventory/movements?start_date=2026-03-02&end_date=2026-03-01',
    '/api/v1/inventory/movements?filter[type]=bogus', '/api/v1/inventory/transfers?filter[product_id]=-1', '/api/v1/inventory/low-stock?workspace_id=x',
    '/api/v1/products?per_page=1e3', '/api/v1/inventory/transfers/0', '/api/v1/inventory/transfers/99999999999999999999', '/api/v1/products?%zz=1',
    '/api/v1/inventory/levels?as_of=yesterday', '/api/v1/invoices?sort=-total', '/api/v1/inventory/movements?filter[workspace_id]=999'];
  for (const url of gets) {
    const r = await ctx.api.get(url);
    assert.ok(r.status >= 400 && r.status < 500, `${url} -> ${r.status} ${r.text}`);
  }
  const dateErr = await ctx.api.get('/api/v1/inventory/movements?start_date=2026-03-02&end_date=2026-03-01');
  assert.ok(expectError(assert, dateErr, 422, 'validation_failed').errors.end_date);
});

test('a storage failure answers 503 and rolls the ledger back to its checkpoint', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W'], products: [{ sku: 'S', name: 'S' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '10' }] });
  const store = s.app.store; const original = store.appendMovements;
  store.appendMovements = () => { throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); };
  const r = await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '4' });
  store.appendMovements = original;
  expectError(assert, r, 503, 'service_unavailable');
  const stock = (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(stock.data.find((d) => d.workspace_id === ctx.ws).quantity, '10.00', 'the ledger forgot the failed transfer');
  const ok = await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '4' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.data.id, 2, 'movement ids continue without a gap');
});

test('422 names every bad field: value checks still run when the schema already failed', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W2'], products: [{ sku: 'V', name: 'V', decimals: 2 }] });
  const [pid] = ctx.products; const w2 = ctx.workspaces[1];
  const fields = async (url, body, method = 'post') => Object.keys(expectError(assert, await ctx.api[method](url, body), 422, 'validation_failed').errors).sort();
  assert.deepEqual(await fields('/api/v1/inventory/transfers', { product_id: 'x', to_workspace_id: 'y', quantity: 'z' }),
    ['product_id', 'quantity', 'to_workspace_id']);
  // a well-typed id that names nothing, beside a schema failure
  assert.deepEqual(await fields('/api/v1/inventory/transfers', { product_id: 99999, to_workspace_id: w2, quantity: '1', reference: 5 }),
    ['product_id', 'reference']);
  const adj = await fields('/api/v1/inventory/adjustments', { items: [
    { product_id: 'x', quantity: '1', reason: 'lost' }, { quantity: '1.234' }, { product_id: 99999, quantity: '0', reason: 'bad' },
    { product_id: pid, quantity: '1.234', reason: 'lost' }] });
  for (const f of ['items.0.product_id', 'items.1.product_id', 'items.1.reason', 'items.2.product_id', 'items.2.quantity', 'items.2.reason', 'items.3.quantity']) {
    assert.ok(adj.includes(f), `${f} in ${adj}`);
  }
  const inv = await fields('/api/v1/invoices', { lines: [{ product_id: 'x' }, { product_id: pid, quantity: '1.234', unit_price: 'abc' }] });
  for (const f of ['lines.0.product_id', 'lines.0.quantity', 'lines.1.quantity', 'lines.1.unit_price']) assert.ok(inv.includes(f), `${f} in ${inv}`);
  assert.deepEqual(await fields('/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '1.234', unit_cost: true }] }),
    ['items.0.quantity', 'items.0.unit_cost']);
  assert.deepEqual(await fields(`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: '1.234', workspace_id: 99999 }, 'put'),
    ['minimum_quantity', 'workspace_id']);
  // host-owned values too: money, users of the organization
  assert.deepEqual(await fields('/api/v1/products', { sku: 'N', name: 5, price: 'abc' }), ['name', 'price']);
  assert.deepEqual(await fields(`/api/v1/products/${pid}`, { active: 'yes', price: '1.23456' }, 'patch'), ['active', 'price']);
  assert.deepEqual(await fields(`/api/v1/workspaces/${w2}/members`, { user_id: 99999, role: 'boss' }), ['role', 'user_id']);
  // the value checks never write: no movement, no minimum
  assert.equal((await ctx.api.get('/api/v1/inventory/movements')).body.meta.total, 0);
  assert.equal((await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body.data[0].minimum_quantity, '0.00');
  // a body that is not an object is just that
  assert.deepEqual(await fields('/api/v1/inventory/transfers', [1, 2]), ['body']);
});

test('an inactive current workspace is reported on X-Workspace-Id, the field the client sent', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Closed'], products: [{ sku: 'C', name: 'C' }] });
  const [pid] = ctx.products; const [main, closed] = ctx.workspaces;
  assert.equal((await ctx.api.patch(`/api/v1/workspaces/${closed}`, { active: false })).status, 200);
  const inClosed = { headers: { 'x-workspace-id': String(closed) } };
  const requests = [
    ['/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '1' }] }],
    ['/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '1' }] }],
    ['/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: main, quantity: '1' }],
    ['/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] }],
  ];
  for (const [url, body] of requests) {
    const e = expectError(assert, await ctx.api.post(url, body, inClosed), 422, 'validation_failed');
    assert.deepEqual(Object.keys(e.errors), ['X-Workspace-Id'], `${url}: ${JSON.stringify(e)}`);
    assert.match(e.errors['X-Workspace-Id'][0], /inactive/);
    assert.match(e.message, /inactive/);
  }
});
