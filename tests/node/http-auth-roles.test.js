// Authentication, roles per workspace (API.md §1) and isolation between organizations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, addUser, bootstrap, client, expectError, startServer } from './support/http-app.js';

test('tokens: 401 without or with an unknown token; admin token only creates organizations', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s);
  expectError(assert, await client(s.base).get('/api/v1/products'), 401, 'unauthenticated');
  expectError(assert, await client(s.base, 'sr_nope').get('/api/v1/products'), 401, 'unauthenticated');
  expectError(assert, await client(s.base).get('/api/v1/products', { headers: { authorization: `Basic ${ctx.token}` } }), 401, 'unauthenticated');
  expectError(assert, await client(s.base).post('/api/v1/organizations', { name: 'X', owner_name: 'Y', owner_email: 'y@x.io' }), 401, 'unauthenticated');
  expectError(assert, await ctx.api.post('/api/v1/organizations', { name: 'X', owner_name: 'Y', owner_email: 'y@x.io' }), 403, 'forbidden');
  expectError(assert, await client(s.base, ADMIN_TOKEN).get('/api/v1/products'), 403, 'forbidden');
  // public routes
  for (const p of ['/healthz', '/readyz', '/api/v1/openapi.json', '/docs', '/docs/docs.js']) assert.equal((await client(s.base).get(p)).status, 200, p);
  const spec = (await client(s.base).get('/api/v1/openapi.json')).body;
  for (const p of ['/api/v1/organizations', '/api/v1/me', '/api/v1/users', '/api/v1/users/{id}/tokens', '/api/v1/workspaces', '/api/v1/workspaces/{id}',
    '/api/v1/workspaces/{id}/members', '/api/v1/products', '/api/v1/products/{id}', '/api/v1/inventory/transfers', '/api/v1/inventory/transfers/{id}',
    '/api/v1/inventory/adjustments', '/api/v1/inventory/initial-stock', '/api/v1/inventory/products/{id}/stock', '/api/v1/inventory/products/{id}/minimum',
    '/api/v1/inventory/low-stock', '/api/v1/inventory/movements', '/api/v1/inventory/purchases', '/api/v1/invoices', '/api/v1/invoices/{id}', '/api/v1/invoices/{id}/void']) {
    assert.ok(spec.paths[p], `openapi documents ${p}`);
  }
  const h = (await client(s.base).get('/healthz')).headers;
  assert.equal(h.get('x-content-type-options'), 'nosniff');
  assert.ok(h.get('x-request-id'));
  // tokens are random, long, and stored only as a hash
  assert.match(ctx.token, /^sr_[A-Za-z0-9_-]{43}$/);
  const rows = s.app.store.db.prepare('SELECT token_hash FROM tokens').all();
  assert.ok(rows.length >= 1);
  for (const r of rows) { assert.match(r.token_hash, /^[0-9a-f]{64}$/); assert.notEqual(r.token_hash, ctx.token); }
  const dump = JSON.stringify(s.app.store.db.prepare('SELECT * FROM tokens').all()) + JSON.stringify(s.app.store.db.prepare('SELECT * FROM idempotency_keys').all());
  assert.ok(!dump.includes(ctx.token), 'the plain token is nowhere in the database');
});

test('organization creation answers the organization, workspace, owner and token; /me', async (t) => {
  const s = await startServer(t);
  const admin = client(s.base, ADMIN_TOKEN);
  const r = await admin.post('/api/v1/organizations', { name: 'Beta', owner_name: 'Bo', owner_email: 'bo@beta.test' });
  assert.equal(r.status, 201, r.text);
  const d = r.body.data;
  assert.equal(d.organization.name, 'Beta');
  assert.equal(d.workspace.name, 'Main');
  assert.equal(d.owner.email, 'bo@beta.test');
  assert.equal(typeof d.token, 'string');
  const me = await client(s.base, d.token).get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.data.id, d.owner.id);
  assert.equal(me.body.data.organization.id, d.organization.id);
  assert.deepEqual(me.body.data.memberships.map((m) => [m.workspace_id, m.role]), [[d.workspace.id, 'owner']]);
  expectError(assert, await admin.post('/api/v1/organizations', { name: 'Beta' }), 422, 'validation_failed');
});

test('current workspace: X-Workspace-Id, default first joined, 403 for non-members', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse', 'Outlet'] });
  const [main, wh, outlet] = ctx.workspaces;
  const clerk = await addUser(ctx, s, { role: 'clerk', workspace: wh });
  const me = await clerk.api.get('/api/v1/me');
  assert.equal(me.body.data.current_workspace_id, wh);
  expectError(assert, await clerk.api.in(main).get('/api/v1/inventory/transfers'), 403, 'forbidden');
  expectError(assert, await clerk.api.in(outlet).get('/api/v1/inventory/transfers'), 403, 'forbidden');
  expectError(assert, await clerk.api.in('abc').get('/api/v1/inventory/transfers'), 403, 'forbidden');
  assert.equal((await clerk.api.in(wh).get('/api/v1/inventory/transfers')).status, 200);
  // the creator of the organization owns every workspace, including later ones
  const me2 = await ctx.api.get('/api/v1/me');
  assert.deepEqual(me2.body.data.memberships.map((m) => m.role), ['owner', 'owner', 'owner']);
});

test('role matrix: viewer < clerk < manager < owner', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'M-1', name: 'Matrix' }] });
  const [main, wh] = ctx.workspaces; const pid = ctx.products[0];
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '1000' }] })).status, 201);
  const roles = ['viewer', 'clerk', 'manager', 'owner'];
  const users = {};
  for (const r of roles) users[r] = await addUser(ctx, s, { name: `The ${r}`, role: r, workspace: main });
  let n = 0;
  const actions = [
    ['viewer', 'GET', () => ['/api/v1/products']],
    ['viewer', 'GET', () => [`/api/v1/inventory/products/${pid}/stock`]],
    ['viewer', 'GET', () => ['/api/v1/inventory/transfers']],
    ['viewer', 'GET', () => ['/api/v1/inventory/adjustments']],
    ['viewer', 'GET', () => ['/api/v1/inventory/movements']],
    ['viewer', 'GET', () => ['/api/v1/inventory/low-stock']],
    ['viewer', 'GET', () => ['/api/v1/invoices']],
    ['viewer', 'GET', () => ['/api/v1/workspaces']],
    ['clerk', 'POST', () => ['/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '1' }]],
    ['clerk', 'POST', () => ['/api/v1/inventory/adjustments', { items: [{ product_id: pid, quantity: '1', reason: 'found' }] }]],
    ['clerk', 'POST', () => ['/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '1' }] }]],
    ['clerk', 'POST', () => ['/api/v1/inventory/counts', { items: [{ product_id: pid, quantity: '1000' }] }]],
    ['clerk', 'POST', () => ['/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] }]],
    ['manager', 'PUT', () => [`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: '5' }]],
    ['manager', 'POST', () => ['/api/v1/products', { sku: `NEW-${++n}`, name: 'New' }]],
    ['manager', 'PATCH', () => [`/api/v1/products/${pid}`, { name: 'Matrix' }]],
    ['manager', 'POST', () => ['/api/v1/workspaces', { name: `WS ${++n}` }]],
    ['owner', 'GET', () => ['/api/v1/users']],
    ['owner', 'POST', () => ['/api/v1/users', { name: 'Someone', email: `someone${++n}@x.test` }]],
    ['owner', 'POST', () => [`/api/v1/users/${users.viewer.user.id}/tokens`, {}]],
    ['owner', 'POST', () => [`/api/v1/workspaces/${main}/members`, { user_id: users.viewer.user.id, role: 'viewer' }]],
  ];
  for (const [min, method, make] of actions) {
    for (const role of roles) {
      const [url, body] = make();
      const r = await users[role].api.call(method, url, body);
      if (roles.indexOf(role) < roles.indexOf(min)) expectError(assert, r, 403, 'forbidden');
      else assert.ok(r.status >= 200 && r.status < 300, `${role} ${method} ${url}: ${r.status} ${r.text}`);
    }
  }
  // initial stock needs manager: a product without movements per role
  for (const role of roles) {
    const p = await ctx.api.post('/api/v1/products', { sku: `INIT-${role}`, name: 'Init' });
    const r = await users[role].api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: p.body.data.id, quantity: '3' }] });
    if (role === 'viewer' || role === 'clerk') expectError(assert, r, 403, 'forbidden'); else assert.equal(r.status, 201, r.text);
  }
  // a manager of the current workspace cannot set a minimum in a workspace where they are a viewer
  await ctx.api.post(`/api/v1/workspaces/${wh}/members`, { user_id: users.manager.user.id, role: 'viewer' });
  expectError(assert, await users.manager.api.put(`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: '1', workspace_id: wh }), 403, 'forbidden');
});

test('isolation: another organization\'s ids are 404 in paths and 422 in bodies, lists never leak', async (t) => {
  const s = await startServer(t);
  const a = await bootstrap(s, { name: 'Alpha', workspaces: ['A-WH'], products: [{ sku: 'SAME', name: 'Alpha thing' }] });
  const b = await bootstrap(s, { name: 'Bravo', workspaces: ['B-WH'], products: [{ sku: 'SAME', name: 'Bravo thing' }] });
  await a.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: a.products[0], quantity: '10' }] });
  const tr = await a.api.post('/api/v1/inventory/transfers', { product_id: a.products[0], to_workspace_id: a.workspaces[1], quantity: '1' });
  assert.equal(tr.status, 201, tr.text);
  const inv = await a.api.post('/api/v1/invoices', { lines: [{ product_id: a.products[0], quantity: '1' }] });
  assert.equal(inv.status, 201, inv.text);
  // paths
  for (const url of [`/api/v1/products/${a.products[0]}`, `/api/v1/workspaces/${a.ws}`, `/api/v1/inventory/products/${a.products[0]}/stock`,
    `/api/v1/invoices/${inv.body.data.id}`, `/api/v1/users/${a.owner.id}`, `/api/v1/products/999999`]) {
    expectError(assert, await b.api.get(url), 404, 'not_found');
  }
  expectError(assert, await b.api.patch(`/api/v1/products/${a.products[0]}`, { name: 'x' }), 404, 'not_found');
  expectError(assert, await b.api.post(`/api/v1/invoices/${inv.body.data.id}/void`), 404, 'not_found');
  expectError(assert, await b.api.post(`/api/v1/users/${a.owner.id}/tokens`, {}), 404, 'not_found');
  // bodies
  let r = await b.api.post('/api/v1/inventory/transfers', { product_id: b.products[0], to_workspace_id: a.ws, quantity: '1' });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors.to_workspace_id);
  r = await b.api.post('/api/v1/inventory/purchases', { items: [{ product_id: a.products[0], quantity: '1' }] });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors['items.0.product_id']);
  r = await b.api.post(`/api/v1/workspaces/${b.ws}/members`, { user_id: a.owner.id, role: 'viewer' });
  assert.ok(expectError(assert, r, 422, 'validation_failed').errors.user_id);
  // another organization's workspace id in the header is simply not one of the user's
  expectError(assert, await b.api.in(a.ws).get('/api/v1/products'), 403, 'forbidden');
  // lists
  const prods = await b.api.get('/api/v1/products');
  assert.deepEqual(prods.body.data.map((p) => p.name), ['Bravo thing']);
  assert.equal((await b.api.get('/api/v1/inventory/movements')).body.meta.total, 0);
  assert.equal((await b.api.get('/api/v1/invoices')).body.meta.total, 0);
  assert.equal((await b.api.get('/api/v1/users')).body.meta.total, 1);
  assert.equal((await b.api.get('/api/v1/workspaces')).body.meta.total, 2);
});

test('403 and 404 of the path come before 422 of the body, on routes that name a workspace or a resource', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['W2'], products: [{ sku: 'O', name: 'O' }] });
  const other = await bootstrap(s, { name: 'Other', products: [{ sku: 'X', name: 'X' }] });
  const [pid] = ctx.products; const [w1, w2] = ctx.workspaces;
  const clerk = await addUser(ctx, s, { role: 'clerk', workspace: w1 });
  const manager = await addUser(ctx, s, { role: 'manager', workspace: w1 });
  // the role, checked where the route acts, before the body
  expectError(assert, await clerk.api.put(`/api/v1/inventory/products/${pid}/minimum`, {}), 403, 'forbidden');
  expectError(assert, await manager.api.patch(`/api/v1/workspaces/${w2}`, { name: 5 }), 403, 'forbidden');
  expectError(assert, await manager.api.post(`/api/v1/workspaces/${w1}/members`, {}), 403, 'forbidden');
  expectError(assert, await manager.api.put(`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: 'x', workspace_id: w2 }), 403, 'forbidden');
  // a malformed or unknown workspace_id is the field's 422 (the role is then checked in the current workspace)
  for (const workspace_id of ['abc', 99999, other.ws]) {
    const e = expectError(assert, await manager.api.put(`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: '1', workspace_id }), 422, 'validation_failed');
    assert.ok(e.errors.workspace_id, String(workspace_id));
  }
  // a path id naming nothing in the organization: 404 whatever the body
  for (const bad of [99999, other.products[0]]) {
    expectError(assert, await ctx.api.patch(`/api/v1/products/${bad}`, { name: 5 }), 404, 'not_found');
    expectError(assert, await ctx.api.put(`/api/v1/inventory/products/${bad}/minimum`, {}), 404, 'not_found');
  }
  expectError(assert, await ctx.api.post('/api/v1/workspaces/99999/members', {}), 404, 'not_found');
  expectError(assert, await ctx.api.post(`/api/v1/workspaces/${other.ws}/members`, {}), 404, 'not_found');
  expectError(assert, await ctx.api.patch(`/api/v1/workspaces/${other.ws}`, { name: 5 }), 404, 'not_found');
  expectError(assert, await ctx.api.post('/api/v1/users/99999/tokens', { name: 5 }), 404, 'not_found');
  expectError(assert, await ctx.api.post('/api/v1/invoices/99999/void', { notes: 5 }), 404, 'not_found');
  // and the same requests on real resources reach validation
  assert.ok(expectError(assert, await ctx.api.patch(`/api/v1/products/${pid}`, { name: 5 }), 422, 'validation_failed').errors.name);
  assert.ok(expectError(assert, await ctx.api.put(`/api/v1/inventory/products/${pid}/minimum`, {}), 422, 'validation_failed').errors.minimum_quantity);
  assert.ok(expectError(assert, await ctx.api.post(`/api/v1/workspaces/${w2}/members`, {}), 422, 'validation_failed').errors.user_id);
});

test('the OpenAPI description lists every route with its success status, errors and headers', async (t) => {
  const s = await startServer(t);
  const spec = (await client(s.base).get('/api/v1/openapi.json')).body;
  const expected = {
    'post /api/v1/organizations': [201], 'get /api/v1/me': [200], 'get /api/v1/users': [200], 'post /api/v1/users': [201],
    'get /api/v1/users/{id}': [200], 'post /api/v1/users/{id}/tokens': [201], 'get /api/v1/workspaces': [200], 'post /api/v1/workspaces': [201],
    'get /api/v1/workspaces/{id}': [200], 'patch /api/v1/workspaces/{id}': [200], 'post /api/v1/workspaces/{id}/members': [200, 201],
    'get /api/v1/products': [200], 'post /api/v1/products': [201], 'get /api/v1/products/{id}': [200], 'patch /api/v1/products/{id}': [200],
    'get /api/v1/inventory/transfers': [200], 'post /api/v1/inventory/transfers': [201], 'get /api/v1/inventory/transfers/{id}': [200],
    'get /api/v1/inventory/adjustments': [200], 'post /api/v1/inventory/adjustments': [201], 'post /api/v1/inventory/initial-stock': [201],
    'post /api/v1/inventory/purchases': [201], 'post /api/v1/inventory/counts': [201], 'get /api/v1/inventory/products/{id}/stock': [200],
    'put /api/v1/inventory/products/{id}/minimum': [200], 'get /api/v1/inventory/low-stock': [200], 'get /api/v1/inventory/movements': [200],
    'get /api/v1/inventory/levels': [200], 'get /api/v1/invoices': [200], 'post /api/v1/invoices': [201], 'get /api/v1/invoices/{id}': [200],
    'post /api/v1/invoices/{id}/void': [200],
  };
  const documented = {};
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) documented[`${method} ${path}`] = op;
  assert.deepEqual(Object.keys(documented).sort(), Object.keys(expected).sort());
  for (const [name, statuses] of Object.entries(expected)) {
    const op = documented[name]; const [method] = name.split(' ');
    const codes = Object.keys(op.responses);
    assert.deepEqual(codes.filter((c) => c < 300).map(Number).sort(), statuses, name);
    assert.ok(codes.includes('401') && codes.includes('403'), `${name} documents its errors: ${codes}`);
    if (method !== 'get') assert.ok(codes.includes('422'), `${name} documents 422: ${codes}`);
    assert.equal(op.responses['401'].content['application/json'].schema.$ref, '#/components/schemas/Error', name);
    assert.ok(op.description && op.description.length > 10, `${name} has a description`);
    const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    assert.equal(headers.includes('idempotency-key'), method === 'post', `${name}: Idempotency-Key on POST only`);
    assert.equal(headers.includes('x-workspace-id'), name !== 'post /api/v1/organizations', `${name}: X-Workspace-Id`);
  }
  assert.deepEqual(spec.components.schemas.Error.required, ['message', 'code', 'errors']);
});
