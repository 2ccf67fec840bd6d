// Isolation and access, route by route:
//   - another organization's ids answer exactly as ids that do not exist (404 in a path, 422 on the field in
//     a body, 403 for a workspace in a header or query) and reveal nothing, on every route that takes an id;
//     its SKUs, emails, invoice numbers and idempotency keys do not collide with this organization's;
//   - the role matrix: every documented route by every kind of caller (no token, admin token, a user of the
//     organization who is not a member of the workspace, viewer, clerk, manager, owner) answers as API.md §1
//     says, and the matrix covers every route of the OpenAPI description;
//   - tokens are stored only as hashes (nowhere in the database files in clear) and compared in constant time;
//   - wrong tokens are slowed, then 429 past a hard limit; valid tokens and no token are never limited;
//   - security headers on every kind of answer;
//   - every SQL statement is parameterised: no request text ever reaches SQL text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_TOKEN, addUser, bootstrap, client, expectError, root, startApp, tempDir } from './support.js';

const NOPE = 987654; // an id no test creates

test('another organization\'s ids answer exactly as ids that do not exist, on every route; nothing collides or leaks', async (t) => {
  const s = await startApp(t);
  const a = await bootstrap(s, { name: 'Alpha', workspaces: ['Alpha secret store'], products: [{ sku: 'ALPHA-SKU', name: 'Alpha secret product' }, { sku: 'ALPHA-2', name: 'Alpha second' }] });
  const aUser = await addUser(a, s, { name: 'Alpha secret person', role: 'clerk' });
  for (let i = 0; i < 3; i++) await a.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: a.products[i % 2], quantity: '10' }] }, { headers: { 'x-workspace-id': String(a.workspaces[i % 2]) } });
  for (let i = 0; i < 4; i++) assert.equal((await a.api.post('/api/v1/inventory/transfers', { product_id: a.products[0], to_workspace_id: a.workspaces[1], quantity: '1' })).status, 201);
  const aInv = await a.api.post('/api/v1/invoices', { number: 'ALPHA-INV-1', customer: 'Alpha secret customer', lines: [{ product_id: a.products[0], quantity: '1' }] }, { headers: { 'idempotency-key': 'shared-key-1' } });
  assert.equal(aInv.status, 201, aInv.text);
  const aMovement = (await a.api.get('/api/v1/inventory/movements?per_page=1&sort=-id')).body.data[0].id; // B has fewer movements than this

  const b = await bootstrap(s, { name: 'Bravo', workspaces: ['Bravo WH'], products: [{ sku: 'BRAVO-SKU', name: 'Bravo product' }] });
  const bUser = await addUser(b, s, { name: 'Bravo clerk', role: 'clerk' });
  await b.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: b.products[0], quantity: '10' }] });
  const bInv = await b.api.post('/api/v1/invoices', { lines: [{ product_id: b.products[0], quantity: '1' }] });
  const bp = b.products[0]; const bws2 = b.workspaces[1];
  const texts = [];
  const B = (method, url, body, headers = {}) => b.api.call(method, url, body, { headers });

  // [name, (id) => request as B]: the id is another organization's, or one that names nothing
  const cases = [
    ['GET product', (id) => B('GET', `/api/v1/products/${id}`)],
    ['PATCH product', (id) => B('PATCH', `/api/v1/products/${id}`, { name: 'x' })],
    ['GET workspace', (id) => B('GET', `/api/v1/workspaces/${id}`)],
    ['PATCH workspace', (id) => B('PATCH', `/api/v1/workspaces/${id}`, { name: 'x' })],
    ['POST members (path)', (id) => B('POST', `/api/v1/workspaces/${id}/members`, { user_id: bUser.user.id, role: 'viewer' })],
    ['GET user', (id) => B('GET', `/api/v1/users/${id}`)],
    ['POST tokens', (id) => B('POST', `/api/v1/users/${id}/tokens`, {})],
    ['GET transfer', (id) => B('GET', `/api/v1/inventory/transfers/${id}`)],
    ['GET stock', (id) => B('GET', `/api/v1/inventory/products/${id}/stock`)],
    ['PUT minimum (path)', (id) => B('PUT', `/api/v1/inventory/products/${id}/minimum`, { minimum_quantity: '1' })],
    ['GET invoice', (id) => B('GET', `/api/v1/invoices/${id}`)],
    ['POST void', (id) => B('POST', `/api/v1/invoices/${id}/void`)],
    ['transfer product_id', (id) => B('POST', '/api/v1/inventory/transfers', { product_id: id, to_workspace_id: bws2, quantity: '1' })],
    ['transfer to_workspace_id', (id) => B('POST', '/api/v1/inventory/transfers', { product_id: bp, to_workspace_id: id, quantity: '1' })],
    ['adjustment product_id', (id) => B('POST', '/api/v1/inventory/adjustments', { items: [{ product_id: id, quantity: '1', reason: 'found' }] })],
    ['initial-stock product_id', (id) => B('POST', '/api/v1/inventory/initial-stock', { items: [{ product_id: id, quantity: '1' }] })],
    ['purchase product_id', (id) => B('POST', '/api/v1/inventory/purchases', { items: [{ product_id: id, quantity: '1' }] })],
    ['count product_id', (id) => B('POST', '/api/v1/inventory/counts', { items: [{ product_id: id, quantity: '1' }] })],
    ['invoice product_id', (id) => B('POST', '/api/v1/invoices', { lines: [{ product_id: id, quantity: '1' }] })],
    ['PUT minimum workspace_id', (id) => B('PUT', `/api/v1/inventory/products/${bp}/minimum`, { minimum_quantity: '1', workspace_id: id })],
    ['POST users workspace_id', (id) => B('POST', '/api/v1/users', { name: 'N', email: `n${id}@x.io`, role: 'viewer', workspace_id: id })],
    ['POST members user_id', (id) => B('POST', `/api/v1/workspaces/${b.ws}/members`, { user_id: id, role: 'viewer' })],
    ['X-Workspace-Id', (id) => B('GET', '/api/v1/products', undefined, { 'x-workspace-id': String(id) })],
    ['low-stock workspace_id', (id) => B('GET', `/api/v1/inventory/low-stock?workspace_id=${id}`)],
    ['movements filter[workspace_id]', (id) => B('GET', `/api/v1/inventory/movements?filter[workspace_id]=${id}`)],
    ['levels workspace_id', (id) => B('GET', `/api/v1/inventory/levels?workspace_id=${id}`)],
    ['transfers filter[product_id]', (id) => B('GET', `/api/v1/inventory/transfers?filter[product_id]=${id}`)],
    ['adjustments filter[product_id]', (id) => B('GET', `/api/v1/inventory/adjustments?filter[product_id]=${id}`)],
    ['movements filter[product_id]', (id) => B('GET', `/api/v1/inventory/movements?filter[product_id]=${id}`)],
  ];
  const idFor = {
    product: a.products[0], workspace: a.workspaces[1], user: aUser.user.id, invoice: aInv.body.data.id, movement: aMovement,
  };
  const kindOf = (name) => (/transfer$/.test(name) ? 'movement' : /invoice$|void/.test(name) ? 'invoice' : /user$|tokens|user_id/.test(name) ? 'user'
    : /workspace|members \(path\)|to_workspace|X-Workspace/.test(name) ? 'workspace' : 'product');
  // links repeat the query string (and so the id); everything else must be equal as it is
  const norm = (r) => ({ status: r.status, body: r.body && r.body.links ? { ...r.body, links: null } : r.body });
  for (const [name, run] of cases) {
    const other = idFor[kindOf(name)];
    const theirs = await run(other);
    const none = await run(NOPE);
    texts.push(theirs.text, none.text);
    assert.deepEqual(norm(theirs), norm(none), `${name}: another organization's id ${other} answers differently from one that does not exist`);
    assert.ok([200, 403, 404, 422].includes(theirs.status), `${name}: ${theirs.status} ${theirs.text}`);
    if (theirs.status === 404) expectError(assert, theirs, 404, 'not_found');
    if (theirs.status === 422) assert.equal(Object.keys(theirs.body.errors).length, 1, `${name}: one field named: ${theirs.text}`);
    if (theirs.status === 200) assert.deepEqual(theirs.body.data, [], `${name}: lists nothing`);
  }
  // the same text values in two organizations do not collide (a 409 would reveal the other's)
  assert.equal((await B('POST', '/api/v1/products', { sku: 'ALPHA-SKU', name: 'mine' })).status, 201);
  assert.equal((await B('POST', '/api/v1/users', { name: 'Mine', email: aUser.user.email })).status, 201);
  const inv = await B('POST', '/api/v1/invoices', { number: 'ALPHA-INV-1', lines: [{ product_id: bp, quantity: '1' }] }, { 'idempotency-key': 'shared-key-1' });
  assert.equal(inv.status, 201, inv.text);
  assert.equal(inv.headers.get('idempotent-replayed'), null, 'an idempotency key of another organization is not replayed');
  for (const [url, q] of [['/api/v1/products', 'filter[sku]=ALPHA-2'], ['/api/v1/users', `filter[email]=${encodeURIComponent(a.owner.email)}`], ['/api/v1/invoices', 'filter[number]=ALPHA-INV-1&filter[status]=void']]) {
    assert.deepEqual((await B('GET', `${url}?${q}`)).body.data, [], `${url}?${q}`);
  }
  // nothing of Alpha in anything Bravo was answered
  const all = texts.join('\n');
  for (const secret of ['Alpha', 'ALPHA', a.owner.email, aUser.user.email]) assert.ok(!all.includes(secret), `Bravo saw "${secret}"`);
  // and Alpha is as it was
  assert.equal((await a.api.get(`/api/v1/invoices/${aInv.body.data.id}`)).body.data.status, 'issued');
  assert.equal(bInv.status, 201);
});

test('role matrix: every documented route by every kind of caller answers as API.md says', async (t) => {
  const s = await startApp(t);
  const ctx = await bootstrap(s, { name: 'Roles', workspaces: ['Second'], products: [{ sku: 'R-1', name: 'Roles' }] });
  const [main, second] = ctx.workspaces; const pid = ctx.products[0];
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '100000' }] })).status, 201);
  const callers = { anonymous: client(s.base), admin: client(s.base, ADMIN_TOKEN) };
  for (const role of ['viewer', 'clerk', 'manager', 'owner']) callers[role] = (await addUser(ctx, s, { name: `The ${role}`, role, workspace: main })).api;
  const outsider = await addUser(ctx, s, { name: 'Member elsewhere', role: 'owner', workspace: second });
  callers.nonmember = outsider.api.in(main); // an owner of another workspace, naming this one
  const target = await addUser(ctx, s, { name: 'Target', role: 'viewer', workspace: main });
  const RANK = { viewer: 1, clerk: 2, manager: 3, owner: 4 };
  let n = 0;
  const fresh = {
    product: async () => (await ctx.api.post('/api/v1/products', { sku: `F-${++n}`, name: 'Fresh' })).body.data.id,
    invoice: async () => (await ctx.api.post('/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] })).body.data.id,
    user: async () => (await ctx.api.post('/api/v1/users', { name: 'U', email: `u${++n}@roles.test` })).body.data.id,
  };
  const movement = (await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: second, quantity: '1' })).body.data.id;
  const invoice = await fresh.invoice();
  // [method, openapi path, minimum ('public' | 'admin' | a role), async () => [url, body]]
  const matrix = [
    ['POST', '/api/v1/organizations', 'admin', async () => ['/api/v1/organizations', { name: `Org ${++n}`, owner_name: 'O', owner_email: `o${n}@x.io` }]],
    ['GET', '/api/v1/me', 'viewer', async () => ['/api/v1/me']],
    ['GET', '/api/v1/users', 'owner', async () => ['/api/v1/users']],
    ['POST', '/api/v1/users', 'owner', async () => ['/api/v1/users', { name: 'New', email: `new${++n}@roles.test` }]],
    ['GET', '/api/v1/users/{id}', 'owner', async () => [`/api/v1/users/${target.user.id}`]],
    ['POST', '/api/v1/users/{id}/tokens', 'owner', async () => [`/api/v1/users/${target.user.id}/tokens`, {}]],
    ['GET', '/api/v1/workspaces', 'viewer', async () => ['/api/v1/workspaces']],
    ['POST', '/api/v1/workspaces', 'manager', async () => ['/api/v1/workspaces', { name: `WS ${++n}` }]],
    ['GET', '/api/v1/workspaces/{id}', 'viewer', async () => [`/api/v1/workspaces/${main}`]],
    ['PATCH', '/api/v1/workspaces/{id}', 'manager', async () => [`/api/v1/workspaces/${main}`, { name: 'Main Store' }]],
    ['POST', '/api/v1/workspaces/{id}/members', 'owner', async () => [`/api/v1/workspaces/${main}/members`, { user_id: await fresh.user(), role: 'viewer' }]],
    ['GET', '/api/v1/products', 'viewer', async () => ['/api/v1/products']],
    ['POST', '/api/v1/products', 'manager', async () => ['/api/v1/products', { sku: `NEW-${++n}`, name: 'New' }]],
    ['GET', '/api/v1/products/{id}', 'viewer', async () => [`/api/v1/products/${pid}`]],
    ['PATCH', '/api/v1/products/{id}', 'manager', async () => [`/api/v1/products/${pid}`, { name: 'Roles' }]],
    ['GET', '/api/v1/inventory/transfers', 'viewer', async () => ['/api/v1/inventory/transfers']],
    ['POST', '/api/v1/inventory/transfers', 'clerk', async () => ['/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: second, quantity: '1' }]],
    ['GET', '/api/v1/inventory/transfers/{id}', 'viewer', async () => [`/api/v1/inventory/transfers/${movement}`]],
    ['GET', '/api/v1/inventory/adjustments', 'viewer', async () => ['/api/v1/inventory/adjustments']],
    ['POST', '/api/v1/inventory/adjustments', 'clerk', async () => ['/api/v1/inventory/adjustments', { items: [{ product_id: pid, quantity: '-1', reason: 'lost' }] }]],
    ['POST', '/api/v1/inventory/initial-stock', 'manager', async () => ['/api/v1/inventory/initial-stock', { items: [{ product_id: await fresh.product(), quantity: '3' }] }]],
    ['POST', '/api/v1/inventory/purchases', 'clerk', async () => ['/api/v1/inventory/purchases', { items: [{ product_id: pid, quantity: '1' }] }]],
    ['POST', '/api/v1/inventory/counts', 'clerk', async () => ['/api/v1/inventory/counts', { items: [{ product_id: pid, quantity: '50000' }] }]],
    ['GET', '/api/v1/inventory/products/{id}/stock', 'viewer', async () => [`/api/v1/inventory/products/${pid}/stock`]],
    ['PUT', '/api/v1/inventory/products/{id}/minimum', 'manager', async () => [`/api/v1/inventory/products/${pid}/minimum`, { minimum_quantity: '5' }]],
    ['GET', '/api/v1/inventory/low-stock', 'viewer', async () => ['/api/v1/inventory/low-stock']],
    ['GET', '/api/v1/inventory/movements', 'viewer', async () => ['/api/v1/inventory/movements']],
    ['GET', '/api/v1/inventory/levels', 'viewer', async () => ['/api/v1/inventory/levels']],
    ['GET', '/api/v1/invoices', 'viewer', async () => ['/api/v1/invoices']],
    ['POST', '/api/v1/invoices', 'clerk', async () => ['/api/v1/invoices', { lines: [{ product_id: pid, quantity: '1' }] }]],
    ['GET', '/api/v1/invoices/{id}', 'viewer', async () => [`/api/v1/invoices/${invoice}`]],
    ['POST', '/api/v1/invoices/{id}/void', 'clerk', async () => [`/api/v1/invoices/${await fresh.invoice()}/void`]],
    ['GET', '/healthz', 'public', async () => ['/healthz']],
    ['GET', '/readyz', 'public', async () => ['/readyz']],
    ['GET', '/api/v1/openapi.json', 'public', async () => ['/api/v1/openapi.json']],
    ['GET', '/docs', 'public', async () => ['/docs']],
  ];
  // the matrix covers every route the service documents
  const spec = (await client(s.base).get('/api/v1/openapi.json')).body;
  const documented = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  const covered = new Set(matrix.map(([m, p]) => `${m} ${p}`));
  assert.deepEqual(documented.filter((r) => !covered.has(r)), [], 'routes missing from the role matrix');

  const expectFor = (min, caller) => {
    if (min === 'public') return 'ok';
    if (caller === 'anonymous') return 401;
    if (min === 'admin') return caller === 'admin' ? 'ok' : 403;
    if (caller === 'admin' || caller === 'nonmember') return 403;
    return RANK[caller] >= RANK[min] ? 'ok' : 403;
  };
  let cells = 0;
  for (const [method, route, min, make] of matrix) {
    for (const [who, api] of Object.entries(callers)) {
      const [url, body] = await make();
      const r = await api.call(method, url, body);
      const want = expectFor(min, who);
      if (want === 'ok') assert.ok(r.status >= 200 && r.status < 300, `${who} ${method} ${route}: ${r.status} ${r.text.slice(0, 200)}`);
      else expectError(assert, r, want, want === 401 ? 'unauthenticated' : 'forbidden');
      cells += 1;
    }
  }
  t.diagnostic(`${matrix.length} routes x ${Object.keys(callers).length} callers = ${cells} cells`);
  // role checks come before body validation: a viewer learns nothing from a bad body
  expectError(assert, await callers.viewer.post('/api/v1/inventory/transfers', { product_id: 'x' }), 403, 'forbidden');
});

test('tokens are stored only as hashes, never in clear in any database file, and compared in constant time', async (t) => {
  const dir = tempDir(t); const dbPath = path.join(dir, 'tokens.db');
  const s = await startApp(t, { dbPath });
  const ctx = await bootstrap(s, { name: 'Tokens' });
  const other = await addUser(ctx, s, { role: 'viewer' });
  const again = await ctx.api.post(`/api/v1/users/${other.user.id}/tokens`, { name: 'second' }, { headers: { 'idempotency-key': 'tok-1' } });
  assert.equal(again.status, 201);
  const replay = await ctx.api.post(`/api/v1/users/${other.user.id}/tokens`, { name: 'second' }, { headers: { 'idempotency-key': 'tok-1' } });
  assert.equal(replay.body.data.token, null, 'a replay does not show the token again');
  const tokens = [ctx.token, other.token, again.body.data.token, ADMIN_TOKEN];
  for (const tk of tokens.slice(0, 3)) assert.match(tk, /^sr_[A-Za-z0-9_-]{43}$/);
  // timing-safe comparison on every authentication
  const original = crypto.timingSafeEqual; let calls = 0;
  crypto.timingSafeEqual = (x, y) => { calls += 1; return original(x, y); };
  t.after(() => { crypto.timingSafeEqual = original; });
  for (const tk of [ctx.token, other.token, ADMIN_TOKEN]) { calls = 0; await client(s.base, tk).get('/api/v1/me'); assert.ok(calls >= 1, 'authentication compares with crypto.timingSafeEqual'); }
  crypto.timingSafeEqual = original;
  const src = fs.readFileSync(path.join(root, 'host-node/lib/auth.js'), 'utf8');
  assert.ok(!/(token|hash)\w*\s*[!=]==?\s*\w*(token|hash)/i.test(src.replace(/\/\/.*$/gm, '')), 'no token or hash compared with ===');
  await s.close();
  // the database files, byte for byte (WAL included), hold hashes only
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('tokens.db'));
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dir, f)).toString('latin1');
    for (const tk of tokens) assert.ok(!bytes.includes(tk), `${f} holds a token in clear`);
  }
  const db = new Database(dbPath, { readonly: true });
  const hashes = db.prepare('SELECT token_hash FROM tokens').all().map((r) => r.token_hash);
  db.close();
  assert.equal(hashes.length, 3);
  for (const tk of tokens.slice(0, 3)) assert.ok(hashes.includes(crypto.createHash('sha256').update(tk).digest('hex')));
});

test('wrong tokens are slowed, then 429 past the hard limit; valid tokens and no token are never limited', async (t) => {
  const s = await startApp(t, { authFailures: { limit: 8, slowAfter: 3, delayMs: 100, maxDelayMs: 250, windowMs: 4000 } });
  const ctx = await bootstrap(s, { name: 'Limit' });
  const bad = client(s.base, 'sr_wrong_token');
  const timed = async (fn) => { const t0 = Date.now(); const r = await fn(); return { r, ms: Date.now() - t0 }; };
  for (let i = 1; i <= 3; i++) {
    const { r, ms } = await timed(() => bad.get('/api/v1/me'));
    expectError(assert, r, 401, 'unauthenticated');
    assert.ok(ms < 100, `failure ${i} is not slowed (${ms} ms)`);
  }
  const fourth = await timed(() => bad.get('/api/v1/me'));
  expectError(assert, fourth.r, 401, 'unauthenticated');
  assert.ok(fourth.ms >= 90, `the 4th failure waits 100 ms (${fourth.ms} ms)`);
  // valid tokens and requests without a token are untouched, whatever the address did
  const ok = await timed(() => ctx.api.get('/api/v1/me'));
  assert.equal(ok.r.status, 200);
  assert.ok(ok.ms < 100, `a valid token is not slowed (${ok.ms} ms)`);
  expectError(assert, await client(s.base).get('/api/v1/products'), 401, 'unauthenticated');
  for (let i = 5; i <= 8; i++) {
    const { r, ms } = await timed(() => bad.get('/api/v1/me'));
    expectError(assert, r, 401, 'unauthenticated');
    const wait = Math.min(250, (i - 3) * 100); // growing, then capped
    assert.ok(ms >= wait - 10, `failure ${i} waits ${wait} ms (${ms} ms)`);
  }
  const limited = await bad.get('/api/v1/me');
  expectError(assert, limited, 429, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  // past the hard limit: still only wrong tokens are refused
  assert.equal((await ctx.api.get('/api/v1/me')).status, 200, 'a valid token passes');
  expectError(assert, await client(s.base).get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await client(s.base).post('/api/v1/organizations', {}), 401, 'unauthenticated');
  assert.equal((await client(s.base).get('/healthz')).status, 200, 'public routes are not limited');
  await new Promise((r) => setTimeout(r, 4100));
  const fresh = await timed(() => bad.get('/api/v1/me'));
  expectError(assert, fresh.r, 401, 'unauthenticated');
  assert.ok(fresh.ms < 100, `a new window starts unslowed (${fresh.ms} ms)`);
});

test('security headers on every kind of answer, no stack trace anywhere', async (t) => {
  const s = await startApp(t);
  const ctx = await bootstrap(s, { name: 'Headers', products: [{ sku: 'S', name: 'S' }] });
  const answers = [
    await ctx.api.get('/api/v1/products'), await ctx.api.post('/api/v1/products', { sku: 'T', name: 'T' }), await ctx.api.get('/api/v1/products/999'),
    await ctx.api.get('/nothing'), await client(s.base).get('/api/v1/me'), await ctx.api.post('/api/v1/products', undefined, { raw: '{' }),
    await client(s.base).get('/docs'), await client(s.base).get('/api/v1/openapi.json'), await client(s.base).get('/healthz'),
    await ctx.api.get('/api/v1/products/%zz'), await ctx.api.get(`/api/v1/products/${'9'.repeat(200)}`),
  ];
  // reads are authorized in onRequest, writes in preValidation: each kind of refusal of both
  const refusals = [
    [await ctx.api.get('/api/v1/inventory/movements?per_page=abc'), 422],
    [await ctx.api.get('/api/v1/inventory/low-stock', { headers: { 'x-workspace-id': '999999' } }), 403],
    [{ ...(await ctx.api.call('HEAD', '/api/v1/products/999')), head: true }, 404], // no body to check
    [await ctx.api.post('/api/v1/products', { sku: 'U' }, { headers: { 'x-workspace-id': '999999' } }), 403],
    [await ctx.api.post('/api/v1/products', { sku: 'U' }), 422],
  ];
  for (const [r, status] of refusals) assert.equal(r.status, status, r.text);
  answers.push(...refusals.map(([r]) => r));
  for (const r of answers) {
    const h = r.headers;
    assert.match(h.get('x-request-id') ?? '', /^[\w.:-]+$/, 'a request id');
    assert.equal(h.get('x-content-type-options'), 'nosniff', r.text);
    assert.equal(h.get('x-frame-options'), 'DENY');
    assert.equal(h.get('referrer-policy'), 'no-referrer');
    assert.equal(h.get('cross-origin-resource-policy'), 'same-origin');
    assert.ok(/default-src 'none'/.test(h.get('content-security-policy') ?? ''), 'a CSP');
    assert.ok(h.get('cache-control'), 'a cache-control');
    assert.equal(h.get('x-powered-by'), null);
    assert.equal(h.get('server'), null);
    assert.ok(!/\bat .+:\d+:\d+/.test(r.text));
    if (r.status >= 400 && !r.head) { assert.equal(typeof r.body.code, 'string'); assert.equal(typeof r.body.message, 'string'); }
  }
  // an unexpected failure inside a route is a bare 500 without details
  s.app.store.getProduct = () => { throw new TypeError('secret internal detail'); };
  const boom = await ctx.api.get('/api/v1/products/1');
  expectError(assert, boom, 500, 'internal_error');
  assert.ok(!boom.text.includes('secret internal detail'));
});

test('every SQL statement is parameterised: no request text reaches SQL text', async (t) => {
  const seen = [];
  const wrap = (name) => {
    const original = Database.prototype[name];
    Database.prototype[name] = function spy(sql, ...rest) { seen.push(String(sql)); return original.call(this, sql, ...rest); };
    t.after(() => { Database.prototype[name] = original; });
  };
  wrap('prepare'); wrap('exec'); wrap('pragma');
  const s = await startApp(t);
  const C = "zq'\"--;/*CANARY*/";
  const ctx = await bootstrap(s, { name: 'Canary', workspaces: [{ name: `WS ${C}`, code: `C${C}`.slice(0, 50) }], products: [{ sku: `SKU ${C}`, name: `P ${C}`, unit: C }] });
  const org = await client(s.base, ADMIN_TOKEN).post('/api/v1/organizations', { name: `Org ${C}`, owner_name: C, owner_email: 'canary-owner@x.io', workspace_name: C });
  assert.equal(org.status, 201, org.text);
  const pid = ctx.products[0]; const k = { headers: { 'idempotency-key': `key ${C}`, 'x-request-id': 'CANARY' } };
  await ctx.api.post('/api/v1/inventory/initial-stock', { reference: C, notes: C, items: [{ product_id: pid, quantity: '10' }] }, k);
  await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: ctx.workspaces[1], quantity: '1', reference: C, notes: C });
  await ctx.api.post('/api/v1/invoices', { number: `INV ${C}`, customer: C, lines: [{ product_id: pid, quantity: '1', unit_price: '1' }] });
  await ctx.api.post('/api/v1/users', { name: `U ${C}`, email: `canary${encodeURIComponent(C).replace(/%/g, '')}@x.io` });
  await ctx.api.patch(`/api/v1/products/${pid}`, { name: `Q ${C}` });
  const q = encodeURIComponent(C);
  for (const url of [`/api/v1/products?filter[sku]=${q}&filter[search]=${q}`, `/api/v1/workspaces?filter[search]=${q}`, `/api/v1/users?filter[email]=${q}`,
    `/api/v1/invoices?filter[number]=${q}&filter[status]=issued`, `/api/v1/invoices?sort=${q}`, `/api/v1/products?sort=${q}`, `/api/v1/products/${q}`,
    `/api/v1/inventory/movements?filter[type]=${q}`, `/api/v1/products?page=${q}`]) {
    const r = await ctx.api.get(url);
    assert.ok(r.status < 500, `${url}: ${r.status}`);
  }
  await ctx.api.get('/api/v1/me', { headers: { 'x-workspace-id': C } });
  await client(s.base, C).get('/api/v1/me');
  assert.ok(seen.length > 20, 'the spy saw the statements');
  const leaked = seen.filter((sql) => sql.includes('CANARY'));
  assert.deepEqual(leaked, [], 'request text reached SQL text');
  // and statically: the only interpolations in SQL text are the store's whitelisted list pieces
  const offenders = [];
  for (const dir of ['host-node/store', 'host-node/lib', 'host-node/routes']) {
    for (const f of fs.readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.js'))) {
      const src = fs.readFileSync(path.join(root, dir, f), 'utf8');
      for (const m of src.matchAll(/\.(prepare|exec|pragma)\(\s*`([^`]*)`/g)) {
        for (const [, expr] of m[2].matchAll(/\$\{([^}]*)\}/g)) {
          if (!['table', 'where', 'orderBy', 'v + 1'].includes(expr.trim())) offenders.push(`${dir}/${f}: \${${expr}} in ${m[2].slice(0, 80)}`);
        }
      }
    }
  }
  assert.deepEqual(offenders, [], 'SQL text built from values other than the whitelisted pieces');
});
