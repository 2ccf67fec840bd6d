// Group commit (host-node/lib/ledgers.js): many requests share one SQLite transaction and one disk flush,
// no answer leaves before the COMMIT that made it durable, and a failed COMMIT answers the whole batch 503
// with every ledger rolled back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { GroupCommit } from '../../host-node/lib/ledgers.js';
import { bootstrap, startServer } from './support/http-app.js';

/** A store stub that logs begin / savepoint / commit / rollback in order. */
function stubStore(events, { failCommit = false } = {}) {
  let open = false;
  return {
    begin() { assert.equal(open, false, 'one batch at a time'); open = true; events.push('begin'); },
    commit() {
      if (failCommit) { const e = new Error('disk I/O error'); e.code = 'SQLITE_IOERR'; throw e; }
      open = false; events.push('commit');
    },
    rollbackAll() { open = false; events.push('rollback'); },
    transaction(fn) { assert.equal(open, true, 'writes run inside the open batch'); events.push('savepoint'); return fn(); },
    get inTransaction() { return open; },
  };
}

test('a batch shares one transaction; every answer comes after its commit', async () => {
  const events = [];
  const gc = new GroupCommit(stubStore(events));
  const answers = Array.from({ length: 10 }, (_, i) => gc.run(() => i).then((v) => { events.push(`answer ${v}`); return v; }));
  assert.deepEqual(events, ['begin', ...Array(10).fill('savepoint')], 'nothing committed or answered yet');
  assert.deepEqual(await Promise.all(answers), [...Array(10).keys()]);
  assert.deepEqual(events.slice(0, 12), ['begin', ...Array(10).fill('savepoint'), 'commit']);
  assert.equal(events.filter((e) => e === 'commit').length, 1);
  assert.deepEqual(gc.stats, { batches: 1, requests: 10, failures: 0, largest: 10 });
  // the next event-loop turn opens a new batch
  await gc.run(() => 'again');
  assert.equal(events.filter((e) => e === 'begin').length, 2);
});

test('a full batch is flushed at once; an error of one request stays its own', async () => {
  const events = [];
  const gc = new GroupCommit(stubStore(events), { maxBatch: 3 });
  const ok = [gc.run(() => 1), gc.run(() => 2), gc.run(() => 3)];
  assert.equal(events.at(-1), 'commit', 'the third write filled the batch');
  const bad = gc.run(() => { throw new Error('422 of this request only'); });
  const good = gc.run(() => 5);
  await assert.rejects(bad, /422 of this request only/);
  assert.deepEqual(await Promise.all([...ok, good]), [1, 2, 3, 5]);
  assert.equal(events.filter((e) => e === 'commit').length, 2);
});

test('a failed commit rejects every request of the batch and rolls back', async () => {
  const events = []; const rolledBack = [];
  const gc = new GroupCommit(stubStore(events, { failCommit: true }), { onFailure: (b) => rolledBack.push(b.size) });
  const all = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => gc.run(() => i)));
  assert.ok(all.every((r) => r.status === 'rejected' && r.reason.code === 'SQLITE_IOERR'));
  assert.deepEqual(rolledBack, [5]);
  assert.equal(events.at(-1), 'rollback');
});

/**
 * Sends `bodies` as POSTs at the same instant: every connection is opened first, then every request is
 * written in one synchronous loop, so that the server reads them all in one event-loop turn (fetch would
 * trickle them in over many turns, one new connection at a time). Resolves with { status, body }[].
 */
async function burst(server, path, token, bodies, headersOf = () => ({})) {
  const { hostname, port } = new URL(server.base);
  const count = () => new Promise((resolve) => server.app.server.getConnections((e, n) => resolve(n)));
  const before = await count();
  const sockets = await Promise.all(bodies.map(() => new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => resolve(sock)); sock.on('error', reject);
  })));
  // the server must have accepted every connection, else the requests arrive over several turns
  for (let i = 0; i < 200 && (await count()) < before + bodies.length; i++) await new Promise((r) => setTimeout(r, 10));
  const answers = sockets.map((sock) => new Promise((resolve) => {
    const chunks = []; sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const body = rest.join('\r\n\r\n');
      const lower = head.toLowerCase();
      const json = lower.includes('transfer-encoding: chunked') ? body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n$/, '').replace(/\r\n$/, '') : body;
      resolve({ status, body: JSON.parse(json), replayed: lower.includes('idempotent-replayed: true') });
    });
  }));
  bodies.forEach((b, i) => {
    const payload = JSON.stringify(b);
    const extra = Object.entries(headersOf(i)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    sockets[i].write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n${extra}\r\n${payload}`);
  });
  return Promise.all(answers);
}

/** Logs, in the server process, every write joining a batch, every COMMIT and every answer sent. */
function instrument(s, { failFirstCommit = false } = {}) {
  const events = []; const store = s.app.store;
  const { transaction, commit } = store;
  let failed = !failFirstCommit;
  store.transaction = function (fn) { const r = transaction.call(this, fn); events.push({ kind: 'write' }); return r; };
  store.commit = function () {
    if (!failed) { failed = true; events.push({ kind: 'failed-commit' }); throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); }
    commit.call(this); events.push({ kind: 'commit' });
  };
  s.app.server.on('request', (req, res) => {
    const end = res.end;
    res.end = function (...args) { events.push({ kind: 'answer', method: req.method, status: res.statusCode }); return end.apply(this, args); };
  });
  return { events, restore() { store.transaction = transaction; store.commit = commit; } };
}

test('HTTP: concurrent transfers share commits, and no 201 is sent before its COMMIT', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'GC', name: 'Group' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '100' }] })).status, 201);
  const { events, restore } = instrument(s);
  const before = { ...s.app.ledgers.batch.stats };
  const results = await burst(s, '/api/v1/inventory/transfers', ctx.token,
    Array.from({ length: 40 }, () => ({ product_id: pid, to_workspace_id: wh, quantity: '1' })));
  restore();
  assert.ok(results.every((r) => r.status === 201), results.map((r) => r.status).join());
  // scan: a 201 may only be answered once as many writes as 201s so far have been committed
  let pendingWrites = 0; let committed = 0; let answered = 0; let commits = 0;
  for (const e of events) {
    if (e.kind === 'write') pendingWrites += 1;
    else if (e.kind === 'commit') { committed += pendingWrites; pendingWrites = 0; commits += 1; } else if (e.kind === 'answer' && e.method === 'POST' && e.status === 201) {
      answered += 1;
      assert.ok(answered <= committed, `answer #${answered} sent with only ${committed} writes committed`);
    }
  }
  assert.equal(answered, 40);
  assert.ok(commits < 40, `40 transfers took ${commits} commits: requests must share them`);
  const stats = s.app.ledgers.batch.stats;
  assert.equal(stats.requests - before.requests, 40);
  assert.ok(stats.largest > 1, 'at least one batch held several requests');
  const stock = (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(stock.data.find((d) => d.workspace_id === wh).quantity, '40.00');
});

test('HTTP: a failed COMMIT answers its whole batch 503, rolls the ledger back, and ids continue', async (t) => {
  const s = await startServer(t);
  const ctx = await bootstrap(s, { workspaces: ['Warehouse'], products: [{ sku: 'GF', name: 'Fail' }] });
  const [pid] = ctx.products; const wh = ctx.workspaces[1];
  assert.equal((await ctx.api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '100' }] })).status, 201);
  const { events, restore } = instrument(s, { failFirstCommit: true });
  const results = await burst(s, '/api/v1/inventory/transfers', ctx.token,
    Array.from({ length: 20 }, () => ({ product_id: pid, to_workspace_id: wh, quantity: '1' })), (i) => ({ 'idempotency-key': `gf-${i}` }));
  restore();
  const firstBatch = events.findIndex((e) => e.kind === 'failed-commit');
  const inFailed = events.slice(0, firstBatch).filter((e) => e.kind === 'write').length;
  const failed = results.filter((r) => r.status === 503);
  const ok = results.filter((r) => r.status === 201);
  assert.ok(inFailed >= 2, 'the failed batch held several requests');
  assert.equal(failed.length, inFailed, 'every request of the failed batch is answered 503');
  assert.ok(failed.every((r) => r.body.code === 'service_unavailable'));
  assert.equal(ok.length, 20 - inFailed);
  // the ledger forgot the failed batch: levels and movement ids match what is on disk
  const stock = (await ctx.api.get(`/api/v1/inventory/products/${pid}/stock`)).body;
  assert.equal(stock.data.find((d) => d.workspace_id === wh).quantity, `${ok.length}.00`);
  const ids = ok.map((r) => r.body.data.id).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: ok.length }, (_, i) => 2 + 2 * i), 'transfer_out ids follow without a gap');
  assert.equal(s.app.store.db.prepare('SELECT COUNT(*) AS n FROM movements').get().n, 1 + 2 * ok.length);
  // a retry of a failed request (same key) is not a replay: it is done now
  const retryKey = results.findIndex((r) => r.status === 503);
  const retry = await ctx.api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '1' }, { headers: { 'idempotency-key': `gf-${retryKey}` } });
  assert.equal(retry.status, 201, retry.text);
  assert.equal(retry.headers.get('idempotent-replayed'), null);
  assert.equal(retry.body.data.id, 2 + 2 * ok.length);
});

test('a batch whose transaction SQLite ended on its own is failed, and the next write opens a new one', async () => {
  const events = []; const store = stubStore(events); const failed = [];
  const gc = new GroupCommit(store, { onFailure: (b) => failed.push(b.size) });
  const first = gc.run(() => 'lost');
  store.rollbackAll(); // as SQLite does on SQLITE_FULL in a statement outside run()
  const second = gc.run(() => 'kept');
  await assert.rejects(first, (e) => e.code === 'SQLITE_ABORT');
  assert.equal(await second, 'kept');
  assert.deepEqual(failed, [1]);
  assert.equal(events.filter((e) => e === 'begin').length, 2);
});
