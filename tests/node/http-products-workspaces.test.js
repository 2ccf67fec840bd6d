// Products, workspaces, members and users (API.md §4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, bootstrap, expectError, startServer } from './support/http-app.js';

test('products: create with defaults, get, patch, sku_taken, decimals locked by movements', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s);
  let r = await ctx.api.post('/api/v1/products', { sku: 'PROD-001', name: 'Premium Product', price: 12.5, unit: 'kg' });
  assert.equal(r.status, 201, r.text);
  const p = r.body.data;
  assert.deepEqual({ ...p, id: 0, created_at: 0, updated_at: 0 }, {
    id: 0, sku: 'PROD-001', name: 'Premium Product', track_inventory: true, allow_negative_stock: false, decimals: 2, unit: 'kg',
    price: '12.50', active: true, created_at: 0, updated_at: 0 });
  assert.deepEqual((await ctx.api.get(`/api/v1/products/${p.id}`)).body.data, p);
  expectError(assert, await ctx.api.post('/api/v1/products', { sku: 'PROD-001', name: 'Again' }), 409, 'sku_taken');
  const other = (await ctx.api.post('/api/v1/products', { sku: 'OTHER', name: 'Other', decimals: 0 })).body.data;
  expectError(assert, await ctx.api.patch(`/api/v1/products/${other.id}`, { sku: 'PROD-001' }), 409, 'sku_taken');
  for (const body of [{ sku: 'X' }, { name: 'X' }, { sku: 'X', name: 'X', decimals: 5 }, { sku: 'X', name: 'X', decimals: '2' }, { sku: 'X', name: 'X', price: '1.23456' },
    { sku: 'X', name: 'X', track_inventory: 'yes' }, { sku: '', name: 'X' }]) {
    expectError(assert, await ctx.api.post('/api/v1/products', body), 422, 'validation_failed');
  }
  // patch: rename shows in movements; decimals change allowed until the product has movements
  r = await ctx.api.patch(`/api/v1/products/${p.id}`, { decimals: 3, name: 'Renamed' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.decimals, 3);
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p.id, quantity: '1.125' }] });
  assert.ok(expectError(assert, await ctx.api.patch(`/api/v1/products/${p.id}`, { decimals: 2 }), 422, 'validation_failed').errors.decimals);
  r = await ctx.api.patch(`/api/v1/products/${p.id}`, { name: 'Premium Product', allow_negative_stock: true });
  assert.equal(r.status, 200);
  const m = (await ctx.api.get('/api/v1/inventory/movements')).body.data[0];
  assert.equal(m.product.name, 'Premium Product');
  assert.equal(m.quantity, '1.125');
  // the new facts reach the core: negative stock is now allowed
  r = await ctx.api.post('/api/v1/inventory/adjustments', { items: [{ product_id: p.id, quantity: '-2', reason: 'lost' }] });
  assert.equal(r.status, 201, r.text);
  // untracking
  await ctx.api.patch(`/api/v1/products/${p.id}`, { track_inventory: false });
  expectError(assert, await ctx.api.post('/api/v1/inventory/purchases', { items: [{ product_id: p.id, quantity: '1' }] }), 422, 'product_not_tracked');
  expectError(assert, await ctx.api.patch('/api/v1/products/424242', { name: 'x' }), 404, 'not_found');
  r = await ctx.api.get('/api/v1/products?filter[active]=true&filter[search]=prem');
  assert.deepEqual(r.body.data.map((x) => x.sku), ['PROD-001']);
});

test('workspaces: create, patch, deactivate, members; users and tokens', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { products: [{ sku: 'W', name: 'W' }] });
  let r = await ctx.api.post('/api/v1/workspaces', { name: 'Warehouse', code: 'WH' });
  assert.equal(r.status, 201, r.text);
  const wh = r.body.data;
  assert.deepEqual([wh.name, wh.code, wh.active], ['Warehouse', 'WH', true]);
  assert.deepEqual((await ctx.api.get(`/api/v1/workspaces/${wh.id}`)).body.data, wh);
  assert.equal((await ctx.api.get('/api/v1/workspaces')).body.meta.total, 2);
  expectError(assert, await ctx.api.post('/api/v1/workspaces', {}), 422, 'validation_failed');
  expectError(assert, await ctx.api.get('/api/v1/workspaces/424242'), 404, 'not_found');
  // the manager who creates one owns it
  const mgr = await addUser(ctx, s, { role: 'manager' });
  r = await mgr.api.post('/api/v1/workspaces', { name: 'Pop-up' });
  assert.equal(r.status, 201);
  const me = (await mgr.api.get('/api/v1/me')).body.data;
  assert.deepEqual(me.memberships.map((m) => [m.workspace_name, m.role]), [['Main Store', 'manager'], ['Pop-up', 'owner']]);
  // rename shows in movements; deactivated workspaces refuse transfers in
  await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: ctx.products[0], quantity: '5' }] });
  await ctx.api.post('/api/v1/inventory/transfers', { product_id: ctx.products[0], to_workspace_id: wh.id, quantity: '1' });
  r = await ctx.api.patch(`/api/v1/workspaces/${wh.id}`, { name: 'Central Warehouse', active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.active, false);
  assert.equal((await ctx.api.get('/api/v1/inventory/transfers')).body.data[0].to_workspace.name, 'Central Warehouse');
  r = await ctx.api.post('/api/v1/inventory/transfers', { product_id: ctx.products[0], to_workspace_id: wh.id, quantity: '1' });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors.to_workspace_id);
  assert.equal((await ctx.api.get('/api/v1/workspaces?filter[active]=false')).body.meta.total, 1);
  // a manager of Main cannot patch a workspace they are not a manager of
  expectError(assert, await mgr.api.patch(`/api/v1/workspaces/${wh.id}`, { name: 'x' }), 403, 'forbidden');
  // members
  const u = (await ctx.api.post('/api/v1/users', { name: 'Carl Clerk', email: 'carl@example.test' })).body.data;
  assert.deepEqual(u.memberships, []);
  expectError(assert, await ctx.api.post('/api/v1/users', { name: 'Dup', email: 'CARL@example.test' }), 409, 'conflict');
  r = await ctx.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: u.id, role: 'clerk' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.data.user_id, r.body.data.workspace_id, r.body.data.role], [u.id, ctx.ws, 'clerk']);
  r = await ctx.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: String(u.id), role: 'viewer' });
  assert.equal(r.status, 200);
  assert.ok(expectError(assert, await ctx.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: u.id, role: 'boss' }), 422, 'validation_failed').errors.role);
  assert.ok(expectError(assert, await ctx.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: 424242, role: 'clerk' }), 422, 'validation_failed').errors.user_id);
  expectError(assert, await mgr.api.post(`/api/v1/workspaces/${ctx.ws}/members`, { user_id: u.id, role: 'owner' }), 403, 'forbidden');
  // tokens: shown once, work at once
  r = await ctx.api.post(`/api/v1/users/${u.id}/tokens`, { name: 'laptop' });
  assert.equal(r.status, 201);
  const tok = r.body.data.token;
  const carl = ctx.api.as(tok);
  assert.equal((await carl.get('/api/v1/me')).body.data.email, 'carl@example.test');
  expectError(assert, await carl.post('/api/v1/inventory/purchases', { items: [{ product_id: ctx.products[0], quantity: '1' }] }), 403, 'forbidden');
  r = await ctx.api.get('/api/v1/users?per_page=100');
  assert.deepEqual(r.body.data.map((x) => x.email).sort(), [ctx.owner.email, me.email, 'carl@example.test'].sort());
  assert.ok(r.body.data.every((x) => !('token' in x)));
  assert.equal((await ctx.api.get(`/api/v1/users/${u.id}`)).body.data.name, 'Carl Clerk');
});
