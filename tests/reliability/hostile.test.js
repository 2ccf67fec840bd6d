// Hostile HTTP input: RELIABILITY_HOSTILE (default 400) generated malformed requests over every route,
// sent as raw bytes to the real server: wrong types, huge and tiny numbers, long strings, odd Unicode,
// broken UTF-8, unpaired surrogates, deep nesting, duplicate keys, __proto__/constructor/prototype keys,
// wrong content types and charsets, missing, malformed and repeated headers, bad paths, bad methods and
// bad query strings. Every base request is valid (it would succeed) except for the one thing changed, so a
// fault that slipped through would write. Every answer must be a 4xx in the contract's error shape,
// without a stack trace, with the security headers; afterwards nothing has changed in the database (every
// table but idempotency_keys, where refused keyed requests are remembered by design) and the service is up
// and logged no error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_TOKEN, addUser, bootstrap, client, knob, random, rawRequest, seedOf, spawnServer, tempDir } from './support.js';

const COUNT = knob('RELIABILITY_HOSTILE', 400);
const SEED = seedOf(20260322);

/** Every table but the idempotency records, row by row: a hash and the row counts. */
function snapshot(dbPath) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('idempotency_keys') ORDER BY name").all().map((r) => r.name);
    const hash = crypto.createHash('sha256'); const counts = {};
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all();
      counts[t] = rows.length;
      for (const r of rows) { delete r.last_used_at; hash.update(`${t}:${JSON.stringify(r)}\n`); }
    }
    return { hash: hash.digest('hex'), counts };
  } finally { db.close(); }
}

const j = (v) => JSON.stringify(v);
const long = (n, unit = 'x') => unit.repeat(n);

// Raw JSON texts of values that no field of their kind accepts.
const BAD = {
  id: ['-1', '0', '1.5', '"1.5"', '"abc"', '""', 'true', 'null', '[]', '{}', '1e400', '-1e-400', '"\\u0661"', '"\\uff11"', '" 1"', '"1 "',
    '"0x10"', '"1e2"', '99999999999999999999', '"99999999999999999999"', '"-1"', '"1\\u200b"', '[1]', '{"id":1}', '1.0'],
  qty: ['"NaN"', '"Infinity"', '"-Infinity"', '1e308', '5e-324', '-5e-324', '1e400', '"1e3"', '"0x10"', '"12.34567"', '"1000000000000.01"', '""', '" "',
    '"\\u0661\\u0662"', '"\\uff11\\uff12"', '"1,5"', '"1_000"', 'true', 'null', '[]', '{}', '"12.5.1"', '"+-1"', '123456789012345678901234567890',
    '"1\\u00a0"', '"\\u202e1"', '"١"', '-0.000000000000000000001'],
  reason: ['""', '"DAMAGED"', '"broken"', '1', 'null', '["lost"]', '"lost "', '"l\\u200bost"'],
  text100: [j(long(101)), j(long(5000)), j(long(51, 'e\u0301')), j(long(101, '\u{1F600}')), '1', 'true', '{}', '[]'],
  text500: [j(long(501)), j(long(100000)), j(long(501, '\u{1F600}')), '1', 'false', '{}', '["x"]'],
  sku: ['""', '" "', '"\\t\\n"', j(long(101)), '1', 'null', '{}', '[]', 'true'],
  name: ['""', '"   "', j(long(256)), j(long(300000)), '1', 'null', '{}', '[]', 'false', '"\\u2028\\u2029"'],
  email: ['"no-at"', '"a b@c.d"', '"@"', j(`${long(300)}@x.io`), '1', 'null', '"x@"', '{}'],
  role: ['"admin"', '"OWNER"', '""', '1', 'null', '["owner"]', '"owner "'],
  decimals: ['5', '-1', '2.5', '"2"', 'null', 'true', '1e400', '99999999999'],
  bool: ['"true"', '1', '0', '"yes"', 'null', '[]'],
  money: ['"-1"', '"1.00001"', '"abc"', 'true', '{}', '[]', '"1e3"', '"NaN"', '1e400', '"1000000000000.01"'],
  items: ['[]', '"x"', '{}', 'null', '1', '[null]', '[1]', '[[]]', '["x"]', j(Array.from({ length: 501 }, () => ({ product_id: 1, quantity: '1' })))],
  number: ['""', j(long(101)), '1', '{}', '[]', 'true'],
  customer: [j(long(256)), '1', '{}', '[]'],
  nameOpt: ['1', '{}', '[]', 'true', j(long(101))],
  code: [j(long(51)), '1', '{}', '[]', 'true'],
};

test(`${COUNT} hostile requests: each a 4xx in the contract's shape, nothing changed, the service up`, { timeout: 120000 + COUNT * 200 }, async (t) => {
  const rng = random(SEED);
  t.diagnostic(`seed ${SEED}, ${COUNT} requests (RELIABILITY_HOSTILE)`);
  const dbPath = path.join(tempDir(t), 'hostile.db');
  // auth failures are not limited here, so that every request reaches its own check (the limiter has its own test)
  const server = await spawnServer({ dbPath, logLevel: 'warn', env: { STOCKROOM_AUTH_FAILURE_LIMIT: '0' } });
  t.after(() => server.kill('SIGKILL'));
  const ctx = await bootstrap(server, { name: 'Hostile', workspaces: ['Second'], products: [{ sku: 'H-1', name: 'One' }, { sku: 'H-FRESH', name: 'Fresh' }] });
  const [P, FRESH] = ctx.products; const [W1, W2] = ctx.workspaces;
  const viewer = await addUser(ctx, server, { role: 'viewer' });
  const owner = client(server.base, ctx.token);
  assert.equal((await owner.post('/api/v1/inventory/initial-stock', { items: [{ product_id: P, quantity: '50' }] })).status, 201);
  const tr = await owner.post('/api/v1/inventory/transfers', { product_id: P, to_workspace_id: W2, quantity: '1' });
  const inv = await owner.post('/api/v1/invoices', { lines: [{ product_id: P, quantity: '1' }] });
  assert.equal(inv.status, 201, inv.text);
  const MOV = tr.body.data.id; const INV = inv.body.data.id; const U = viewer.user.id;

  // ---- routes: method, path (with :id), auth, a valid body and its fields; `nullBody`: no body is valid
  const R = [
    { m: 'POST', p: '/api/v1/organizations', admin: true, body: { name: 'N', owner_name: 'O', owner_email: 'o@x.io' }, fields: { name: 'name', owner_name: 'name', owner_email: 'email', workspace_name: 'name' } },
    { m: 'GET', p: '/api/v1/me' },
    { m: 'GET', p: '/api/v1/users', list: ['created_at', 'id', 'name', 'email'] },
    { m: 'POST', p: '/api/v1/users', body: { name: 'H', email: 'h@x.io' }, fields: { name: 'name', email: 'email', role: 'role' } },
    { m: 'GET', p: '/api/v1/users/:id', id: U },
    { m: 'POST', p: '/api/v1/users/:id/tokens', id: U, body: { name: 't' }, nullBody: true, fields: { name: 'nameOpt' } },
    { m: 'GET', p: '/api/v1/workspaces', list: ['created_at', 'id', 'name', 'code'], filters: { 'filter[active]': ['maybe', 'TRUE', '2'] } },
    { m: 'POST', p: '/api/v1/workspaces', body: { name: 'W' }, fields: { name: 'name', code: 'code', active: 'bool' } },
    { m: 'GET', p: '/api/v1/workspaces/:id', id: W2 },
    { m: 'PATCH', p: '/api/v1/workspaces/:id', id: W2, body: { name: 'W2' }, fields: { name: 'name', active: 'bool' } },
    { m: 'POST', p: '/api/v1/workspaces/:id/members', id: W2, body: { user_id: U, role: 'clerk' }, fields: { user_id: 'id', role: 'role' } },
    { m: 'GET', p: '/api/v1/products', list: ['created_at', 'id', 'name', 'sku'], filters: { 'filter[active]': ['maybe', 'yes'] } },
    { m: 'POST', p: '/api/v1/products', body: { sku: 'NEW', name: 'N' }, fields: { sku: 'sku', name: 'name', decimals: 'decimals', track_inventory: 'bool', allow_negative_stock: 'bool', price: 'money', active: 'bool' } },
    { m: 'GET', p: '/api/v1/products/:id', id: P },
    { m: 'PATCH', p: '/api/v1/products/:id', id: P, body: { name: 'Renamed' }, fields: { sku: 'sku', name: 'name', decimals: 'decimals', price: 'money', active: 'bool' } },
    { m: 'GET', p: '/api/v1/inventory/transfers', list: ['created_at', 'id', 'quantity'], filters: { 'filter[product_id]': ['abc', '-1', '1.5'], 'filter[type]': ['sale', 'bogus', 'transfer_out,x'] } },
    { m: 'GET', p: '/api/v1/inventory/transfers/:id', id: MOV },
    { m: 'POST', p: '/api/v1/inventory/transfers', body: { product_id: P, to_workspace_id: W2, quantity: '1' }, fields: { product_id: 'id', to_workspace_id: 'id', quantity: 'qty', reference: 'text100', notes: 'text500' } },
    { m: 'GET', p: '/api/v1/inventory/adjustments', list: ['created_at', 'id', 'quantity'], filters: { 'filter[product_id]': ['x'], 'filter[reason]': ['broken', 'LOST'] } },
    { m: 'POST', p: '/api/v1/inventory/adjustments', body: { items: [{ product_id: P, quantity: '-1', reason: 'lost' }] }, fields: { items: 'items', 'items.0.product_id': 'id', 'items.0.quantity': 'qty', 'items.0.reason': 'reason', 'items.0.notes': 'text500', reference: 'text100' } },
    { m: 'POST', p: '/api/v1/inventory/initial-stock', body: { items: [{ product_id: FRESH, quantity: '1' }] }, fields: { items: 'items', 'items.0.product_id': 'id', 'items.0.quantity': 'qty', 'items.0.cost_per_unit': 'money', reference: 'text100' } },
    { m: 'POST', p: '/api/v1/inventory/purchases', body: { items: [{ product_id: P, quantity: '1' }] }, fields: { items: 'items', 'items.0.product_id': 'id', 'items.0.quantity': 'qty', 'items.0.unit_cost': 'money', notes: 'text500' } },
    { m: 'POST', p: '/api/v1/inventory/counts', body: { items: [{ product_id: P, quantity: '5' }] }, fields: { items: 'items', 'items.0.product_id': 'id', 'items.0.quantity': 'qty', reference: 'text100' } },
    { m: 'GET', p: '/api/v1/inventory/products/:id/stock', id: P },
    { m: 'PUT', p: '/api/v1/inventory/products/:id/minimum', id: P, body: { minimum_quantity: '3' }, fields: { minimum_quantity: 'qty', workspace_id: 'id' } },
    { m: 'GET', p: '/api/v1/inventory/low-stock', list: ['shortage'], filters: { workspace_id: ['abc', '0', '-1'] } },
    { m: 'GET', p: '/api/v1/inventory/movements', list: ['created_at', 'id', 'quantity'], filters: { start_date: ['2026-13-01', '2026-02-30', 'yesterday', '20260301'], end_date: ['2026-1-1'], 'filter[type]': ['bogus'], 'filter[workspace_id]': ['x'] } },
    { m: 'GET', p: '/api/v1/inventory/levels', list: ['product_id'], filters: { as_of: ['yesterday', '2026-02-30'], workspace_id: ['x', '1.5'] } },
    { m: 'GET', p: '/api/v1/invoices', list: ['created_at', 'id', 'number'], filters: { 'filter[status]': ['open', 'VOID'] } },
    { m: 'POST', p: '/api/v1/invoices', body: { lines: [{ product_id: P, quantity: '1' }] }, fields: { lines: 'items', 'lines.0.product_id': 'id', 'lines.0.quantity': 'qty', 'lines.0.unit_price': 'money', number: 'number', customer: 'customer' } },
    { m: 'GET', p: '/api/v1/invoices/:id', id: INV },
    { m: 'POST', p: '/api/v1/invoices/:id/void', id: INV, body: {}, nullBody: true, fields: { notes: 'text500' } },
  ];
  const hasBody = (r) => ['POST', 'PUT', 'PATCH'].includes(r.m);
  const target = (r, id = r.id) => r.p.replace(':id', id);

  /** A request from a route and a mutation: { method, target, headers, body (Buffer|string|null), why }. */
  function base(r) {
    const headers = [['Authorization', `Bearer ${r.admin ? ADMIN_TOKEN : ctx.token}`], ['X-Workspace-Id', String(W1)]];
    let body = null;
    if (hasBody(r)) { body = JSON.stringify(r.body); headers.push(['Content-Type', 'application/json']); }
    return { method: r.m, target: target(r), headers, body };
  }
  const setRaw = (obj, dotted, rawText) => {
    // the body with a placeholder where the field goes, then the raw JSON text put in its place
    const copy = structuredClone(obj); const keys = dotted.split('.'); let o = copy;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys.at(-1)] = '\u0000PLACEHOLDER\u0000';
    return JSON.stringify(copy).replace('"\\u0000PLACEHOLDER\\u0000"', () => rawText);
  };
  const withHeader = (req, name, value) => ({ ...req, headers: [...req.headers.filter((h) => h[0].toLowerCase() !== name.toLowerCase()), ...(value === undefined ? [] : [[name, value]])] });

  // ---- mutation families; each returns a request that must be refused
  const bodyRoutes = R.filter(hasBody);
  const families = {
    field(r = rng.pick(bodyRoutes.filter((x) => x.fields))) {
      const [f, kind] = rng.pick(Object.entries(r.fields));
      const bad = rng.pick(BAD[kind]);
      return { ...base(r), body: setRaw(r.body, f, bad), why: `${r.m} ${r.p} ${f}=${bad.slice(0, 40)}` };
    },
    wholeBody(r = rng.pick(bodyRoutes)) {
      const always = ['{', '{"a":1,}', "{'a':1}", '{} x', 'nul', '[', '"\\ud800"', '{"a":"\\x41"}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":NaN}', '{"a":Infinity}',
        '{"a":"\t"}', '\ufeff{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '{"prototype":1}',
        `{"x":${'['.repeat(40)}${']'.repeat(40)}}`, `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`, '['.repeat(200000)];
      const needObject = r.nullBody ? [] : ['null', '[]', '"x"', '1', 'true', '[{}]'];
      const first = Object.keys(r.body)[0];
      const dup = first ? [JSON.stringify(r.body).replace(/^\{/, `{${j(first)}:${j(r.body[first])},`)] : [];
      const proto = [JSON.stringify({ ...r.body }).replace(/^\{/, '{"__proto__":{"x":1},'), JSON.stringify(r.body).replace(/^\{/, '{"constructor":1,')];
      if (r.body.items || r.body.lines) proto.push(JSON.stringify(r.body).replace('{"product_id"', '{"__proto__":null,"product_id"'));
      const text = rng.pick([...always, ...needObject, ...dup, ...proto]);
      return { ...base(r), body: text, why: `${r.m} ${r.p} body ${text.slice(0, 40)}` };
    },
    bytes(r = rng.pick(bodyRoutes)) {
      const valid = Buffer.from(JSON.stringify(r.body.items || r.body.lines ? r.body : { ...r.body, x: 'y' }));
      const at = valid.indexOf('"', 1) + 1; // inside the first key
      const bad = rng.pick([[0xc0, 0xaf], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
      const body = Buffer.concat([valid.subarray(0, at), Buffer.from(bad), valid.subarray(at)]);
      return { ...base(r), body, why: `${r.m} ${r.p} invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')}` };
    },
    huge(r = rng.pick(bodyRoutes)) {
      const body = JSON.stringify({ ...r.body, pad: long(1024 * 1024) });
      return { ...base(r), body, why: `${r.m} ${r.p} over 1 MiB` };
    },
    contentType(r = rng.pick(bodyRoutes)) {
      const ct = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1',
        'application/json; charset=utf-16', 'application/jsonx', 'text/json', 'application/javascript', undefined]);
      return { ...withHeader(base(r), 'Content-Type', ct), why: `${r.m} ${r.p} content-type ${ct}` };
    },
    auth(r = rng.pick(R)) {
      const v = rng.pick([undefined, 'Bearer', 'Bearer ', `Basic ${ctx.token}`, `Token ${ctx.token}`, `Bearer ${ctx.token}x`, `Bearer ${ctx.token.slice(0, -1)}`,
        `Bearer ${long(600, 'a')}`, `Bearer ${ctx.token} ${ctx.token}`, 'Bearer sr_' + long(43, 'A'), `Bearer\t${long(10)}`, `Bearer ${ctx.token.toUpperCase()}`,
        ...(r.admin ? [`Bearer ${ctx.token}`] : [`Bearer ${ADMIN_TOKEN}`])]);
      return { ...withHeader(base(r), 'Authorization', v), why: `${r.m} ${r.p} authorization ${String(v).slice(0, 30)}` };
    },
    workspaceHeader(r = rng.pick(R.filter((x) => !x.admin))) {
      const v = rng.pick(['0', '-1', 'abc', '1.0', '999999', '1,2', '\uff19', '99999999999999999999', `${W1}a`, '0x1']);
      return { ...withHeader(base(r), 'X-Workspace-Id', v), why: `${r.m} ${r.p} x-workspace-id ${v}` };
    },
    idempotencyKey(r = rng.pick(bodyRoutes.filter((x) => x.m === 'POST'))) {
      const v = rng.pick([long(256), Buffer.from('ключ', 'utf8').toString('latin1'), 'tab\there', '', ' ', 'caf\u00e9']);
      return { ...withHeader(base(r), 'Idempotency-Key', v), why: `${r.m} ${r.p} idempotency-key ${v.slice(0, 20)}` };
    },
    repeatedHeader(r = rng.pick(R)) {
      const req = base(r);
      const name = rng.pick(['Authorization', 'X-Workspace-Id', 'Idempotency-Key', 'Host', ...(hasBody(r) ? ['Content-Type'] : [])]);
      const value = name === 'Authorization' ? req.headers[0][1] : name === 'X-Workspace-Id' ? String(W1) : name === 'Host' ? `127.0.0.1:${server.port}` : name === 'Content-Type' ? 'application/json' : 'k-1';
      const present = req.headers.some((h) => h[0] === name);
      return { ...req, headers: [...req.headers, ...(present ? [[name, value]] : [[name, value], [name, value]])], why: `${r.m} ${r.p} repeated ${name}` };
    },
    framing(r = rng.pick(R)) {
      const req = base(r);
      const kind = rng.pick(['no-host', 'te+cl', 'bad-chunk', 'cl-short', 'ctl-in-header', 'space-before-colon', 'cl-negative', 'cl-two', 'bad-version', 'nul-in-method']);
      if (kind === 'no-host') return { ...req, auto: false, headers: [...req.headers, ['Connection', 'close'], ...(req.body ? [['Content-Length', String(Buffer.byteLength(req.body))]] : [])], why: `${r.m} ${r.p} no Host` };
      if (kind === 'te+cl') return { ...req, headers: [...req.headers, ['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], body: '2\r\n{}\r\n0\r\n\r\n', why: `${r.m} ${r.p} TE+CL` };
      if (kind === 'bad-chunk') return { ...req, headers: [...req.headers, ['Transfer-Encoding', 'chunked']], body: 'zz\r\n{}\r\n0\r\n\r\n', why: `${r.m} ${r.p} bad chunk` };
      if (kind === 'cl-short') return { ...req, headers: [...req.headers.filter((h) => h[0] !== 'Content-Type'), ['Content-Length', '1'], ['Content-Type', 'application/json']], body: '{"a":1}', method: hasBody(r) ? r.m : 'POST', why: `${r.m} ${r.p} content-length short` };
      if (kind === 'ctl-in-header') return { ...req, headers: [...req.headers, ['X-Note', 'a\u0001b']], why: `${r.m} ${r.p} control character in a header` };
      if (kind === 'space-before-colon') return { ...req, headers: [...req.headers, 'Authorization : x'], why: `${r.m} ${r.p} space before colon` };
      if (kind === 'cl-negative') return { ...req, headers: [...req.headers, ['Content-Length', '-1']], why: `${r.m} ${r.p} negative content-length` };
      if (kind === 'cl-two') return { ...req, headers: [...req.headers, ['Content-Length', '1, 2']], why: `${r.m} ${r.p} content-length list` };
      if (kind === 'bad-version') return { ...req, version: 'HTTP/9.9', why: `${r.m} ${r.p} HTTP/9.9` };
      return { ...req, method: 'G\u0000ET', why: `${r.m} ${r.p} NUL in method` };
    },
    path(r = rng.pick(R.filter((x) => x.id))) {
      const bad = rng.pick(['0', '-1', 'abc', '1.5', '1e3', '%00', '%zz', '%', '99999999999999999999', long(300, '9'), `${r.id}%2F1`, '..%2F..%2Fusers', '%E2%80%AE1', `${r.id}%00`, '+1', `${r.id}.json`, '%C0%AF', `${r.id};x`, '0x1', '\uff11'.replace(/./, '%EF%BC%91')]);
      return { ...base(r), target: target(r, bad), why: `${r.m} ${r.p} id=${bad.slice(0, 20)}` };
    },
    route() {
      const r = rng.pick(R);
      const kind = rng.pick(['method', 'prefix', 'case', 'double-slash', 'unknown', 'dot']);
      const req = base(r);
      if (kind === 'method') {
        const taken = new Set(R.filter((x) => x.p === r.p).map((x) => x.m));
        const method = rng.pick(['DELETE', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'PUT', 'POST', 'PATCH'].filter((m) => !taken.has(m)));
        return { ...req, method, why: `${method} on ${r.p}` };
      }
      if (kind === 'prefix') return { ...req, target: req.target.replace('/api/v1', rng.pick(['/api/v2', '/api', '/v1', '/api/v1/api/v1'])), why: `${kind} ${r.p}` };
      if (kind === 'case') return { ...req, target: req.target.replace('/api/v1/', '/API/V1/'), why: `${kind} ${r.p}` };
      if (kind === 'double-slash') return { ...req, target: req.target.replace('/api/v1/', '/api/v1//'), why: `${kind} ${r.p}` };
      if (kind === 'dot') return { ...req, target: req.target.replace('/api/v1/', '/api/v1/./../v1/'), why: `${kind} ${r.p}` };
      return { ...req, target: `${req.target}/${rng.pick(['x', '..', '%2e%2e', 'admin', long(5000)])}`, why: `unknown below ${r.p}` };
    },
    query(r = rng.pick(R.filter((x) => x.list))) {
      const opts = [
        ['page', rng.pick(['0', '-1', 'abc', '1e2', '1.5', '9999999999', '', ' 1', '\uff11'])], ['per_page', rng.pick(['0', '101', '-1', 'abc', '1e400', '100.5'])],
        ['sort', rng.pick(['bogus', '--id', 'id;DROP TABLE products', '__proto__', '-', 'constructor', `${r.list[0]} `, 'ID', 'rowid'])],
      ];
      for (const [k, vs] of Object.entries(r.filters ?? {})) opts.push([k, rng.pick(vs)]);
      const special = rng.pick(['none', 'none', 'repeat', 'encoding', 'encoding2']);
      let qs;
      if (special === 'repeat') qs = 'page=1&page=2';
      else if (special === 'encoding') qs = rng.pick(['page=%zz', '%=1', 'sort=%C0%AF', 'page=1%', '%E0%A4%A=1']);
      else if (special === 'encoding2') qs = `sort=${encodeURIComponent(r.list[0])}&sort=${encodeURIComponent(r.list[0])}`;
      else { const [k, v] = rng.pick(opts); qs = `${encodeURIComponent(k).replace('%5B', '[').replace('%5D', ']')}=${encodeURIComponent(v)}`; }
      return { ...base(r), target: `${target(r)}?${qs}`, why: `${r.m} ${r.p}?${qs.slice(0, 50)}` };
    },
  };

  // a systematic pass first (every route through the families that apply to it), then random ones
  const requests = [];
  for (const r of R) {
    if (r.fields) for (const [f, kind] of Object.entries(r.fields)) requests.push({ ...base(r), body: setRaw(r.body, f, BAD[kind][0]), why: `${r.m} ${r.p} ${f}=${BAD[kind][0]}` });
    if (hasBody(r)) { requests.push(families.wholeBody(r), families.bytes(r), families.contentType(r)); }
    requests.push(families.auth(r), families.repeatedHeader(r), families.framing(r));
    if (!r.admin) requests.push(families.workspaceHeader(r));
    if (r.id) requests.push(families.path(r));
    if (r.list) requests.push(families.query(r));
  }
  requests.push(families.huge(R[0]), families.huge(bodyRoutes.at(-1)));
  const names = Object.keys(families);
  while (requests.length < COUNT) requests.push(families[rng.pick(names)]());

  const before = snapshot(dbPath);
  const statuses = {}; const failures = [];
  const check = (req, res) => {
    const why = `${req.why} -> ${res.status ?? res.error} ${(res.text ?? res.raw ?? '').slice(0, 200)}`;
    if (res.error) return failures.push(`no answer: ${why}`);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (!(res.status >= 400 && res.status < 500)) return failures.push(`not a 4xx: ${why}`);
    if (!res.body || typeof res.body.message !== 'string' || typeof res.body.code !== 'string' || typeof res.body.errors !== 'object' || res.body.errors === null) return failures.push(`not the error shape: ${why}`);
    if (/\bat [^\n]*:\d+:\d+|node_modules|\/work\/|Error:/.test(res.text)) return failures.push(`stack or path: ${why}`);
    for (const [h, v] of [['x-content-type-options', 'nosniff'], ['x-frame-options', 'DENY'], ['cache-control', 'no-store'], ['referrer-policy', 'no-referrer']]) {
      if (res.headers[h] !== v) return failures.push(`header ${h}=${res.headers[h]}: ${why}`);
    }
    if (!res.headers['content-security-policy']) return failures.push(`no CSP: ${why}`);
    return null;
  };
  const started = Date.now();
  const PARALLEL = 8; let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < requests.length) {
      const req = requests[next++];
      const res = await rawRequest(server.port, req);
      check(req, res);
      if (next % 100 === 0) { const h = await fetch(`${server.base}/healthz`); assert.equal(h.status, 200, 'the service is up'); }
    }
  }));
  t.diagnostic(`${requests.length} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}`);
  assert.deepEqual(failures, [], `${failures.length} of ${requests.length} requests were not refused properly`);

  // nothing changed; the service is up and logged no error
  const after = snapshot(dbPath);
  assert.deepEqual(after.counts, before.counts, 'row counts changed');
  assert.equal(after.hash, before.hash, 'the database changed');
  assert.equal((await fetch(`${server.base}/readyz`)).status, 200);
  assert.equal((await owner.get('/api/v1/me')).status, 200);
  const errors = server.output().split('\n').filter((l) => /"level":(50|60)/.test(l));
  assert.deepEqual(errors, [], 'the service logged errors');
});
