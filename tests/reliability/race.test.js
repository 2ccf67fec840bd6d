// Races: RELIABILITY_RACE_CLIENTS (default 64) concurrent clients, each with its own connection and a
// clerk's token, hammer transfers, adjustments and invoices on the same three products across four
// workspaces of one organization (and a second organization at the same time). Stock is kept low so that
// most requests contend for the last units. Then:
//   - no 5xx, and every refusal is a 422 insufficient_stock whose numbers are right;
//   - no level ever goes below zero where the product does not allow it (every balance_after, every
//     final level), and a transfer never takes its source below zero even where it is allowed;
//   - the answers are serialisable: per product and workspace, each balance_after is the previous one
//     plus the movement, in id order; verify() finds no difference;
//   - totals are conserved: each product's total is its initial stock plus acknowledged adjustments
//     minus acknowledged sales, transfers move stock without creating or destroying any;
//   - the other organization is untouched by this one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  addUser, allMovements, bootstrap, client, fromUnits, knob, random, seedOf, spawnServer, tempDir, toUnits, withLedger,
} from './support.js';

const CLIENTS = knob('RELIABILITY_RACE_CLIENTS', 64);
const OPS = knob('RELIABILITY_RACE_OPS', 12);
const SEED = seedOf(20260321);
const REASONS = ['damaged', 'lost', 'found', 'recount', 'other'];

async function organization(server, name) {
  const ctx = await bootstrap(server, {
    name, workspaces: ['Warehouse', 'Outlet', 'Van'],
    products: [
      { sku: `${name}-1`, name: 'No negative', decimals: 2 },
      { sku: `${name}-2`, name: 'Negative allowed', decimals: 0, allow_negative_stock: true },
      { sku: `${name}-3`, name: 'Four places', decimals: 4 },
    ],
  });
  ctx.decimals = new Map([[ctx.products[0], 2], [ctx.products[1], 0], [ctx.products[2], 4]]);
  ctx.negativeOk = new Set([ctx.products[1]]);
  ctx.clerks = [];
  for (const ws of ctx.workspaces) ctx.clerks.push(await addUser(ctx, server, { name: `Clerk ${ws}`, role: 'clerk', workspace: ws }));
  ctx.expected = new Map(); // "product/workspace" -> units
  ctx.add = (pid, ws, units) => { const k = `${pid}/${ws}`; ctx.expected.set(k, (ctx.expected.get(k) ?? 0n) + units); };
  for (const ws of ctx.workspaces) {
    const r = await client(server.base, ctx.token, ws).post('/api/v1/inventory/initial-stock', { items: ctx.products.map((p) => ({ product_id: p, quantity: '12' })) });
    assert.equal(r.status, 201, r.text);
    for (const m of r.body.data) ctx.add(m.product_id, ws, toUnits(m.quantity));
  }
  return ctx;
}

test(`${CLIENTS} concurrent clients on the same few products: never below zero, totals conserved, no 5xx`, { timeout: 120000 + CLIENTS * OPS * 100 }, async (t) => {
  t.diagnostic(`seed ${SEED}, ${CLIENTS} clients x ${OPS} requests (RELIABILITY_RACE_CLIENTS, RELIABILITY_RACE_OPS)`);
  const dbPath = path.join(tempDir(t), 'race.db');
  const server = await spawnServer({ dbPath });
  t.after(() => server.kill('SIGKILL'));
  const orgs = [await organization(server, 'Alpha'), await organization(server, 'Bravo')];
  const rng = random(SEED);
  const counts = { requests: 0, created: 0, insufficient: 0 };

  const qty = (ctx, pid, max) => { const d = ctx.decimals.get(pid); return (rng.int(1, max * 10 ** d) / 10 ** d).toFixed(d); };
  async function clientLoop(i) {
    const ctx = orgs[i % 8 === 7 ? 1 : 0];
    const w = i % ctx.workspaces.length; const ws = ctx.workspaces[w];
    const api = client(server.base, ctx.clerks[w].token); // a clerk's default workspace is ws
    for (let n = 0; n < OPS; n++) {
      const roll = rng(); let kind; let r;
      if (roll < 0.55) {
        kind = 'transfer';
        const pid = rng.pick(ctx.products); const to = rng.pick(ctx.workspaces.filter((x) => x !== ws));
        r = await api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: to, quantity: qty(ctx, pid, 4) });
      } else if (roll < 0.85) {
        kind = 'adjustment';
        const pids = rng.chance(0.3) ? ctx.products : [rng.pick(ctx.products)];
        r = await api.post('/api/v1/inventory/adjustments', { items: pids.map((p) => ({ product_id: p, quantity: (rng.chance(0.7) ? '-' : '') + qty(ctx, p, 3), reason: rng.pick(REASONS) })) });
      } else {
        kind = 'invoice';
        const pid = rng.pick(ctx.products);
        r = await api.post('/api/v1/invoices', { lines: [{ product_id: pid, quantity: qty(ctx, pid, 2) }, { product_id: pid, quantity: qty(ctx, pid, 1) }] });
      }
      counts.requests += 1;
      assert.ok(r.status < 500, `${kind}: ${r.status} ${r.text}`);
      if (r.status === 201) {
        counts.created += 1;
        const movements = kind === 'transfer' ? [r.body.data] : kind === 'invoice' ? r.body.data.movements : r.body.data;
        for (const m of movements) {
          const bal = toUnits(m.balance_after);
          if (!ctx.negativeOk.has(m.product_id) || m.type === 'transfer_out') assert.ok(bal >= 0n, `${m.type} ${m.id} left ${m.balance_after}`);
          ctx.add(m.product_id, m.workspace_id, toUnits(m.quantity));
          if (m.type === 'transfer_out') ctx.add(m.product_id, m.to_workspace_id, -toUnits(m.quantity));
        }
      } else {
        assert.equal(r.status, 422, r.text);
        assert.equal(r.body.code, 'insufficient_stock', r.text);
        const d = r.body.details;
        assert.equal(d.workspace_id, ws);
        assert.ok(toUnits(d.requested) > toUnits(d.available), r.text);
        counts.insufficient += 1;
      }
    }
  }
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => clientLoop(i)));
  const ms = Date.now() - started;
  t.diagnostic(`${counts.requests} requests in ${ms} ms: ${counts.created} created, ${counts.insufficient} insufficient_stock, 0 5xx`);
  assert.ok(counts.created > 0 && counts.insufficient > 0, 'the race had both outcomes');

  // final levels: exactly the model, never below zero where not allowed
  for (const ctx of orgs) {
    for (const pid of ctx.products) {
      const st = await client(server.base, ctx.token).get(`/api/v1/inventory/products/${pid}/stock`);
      assert.equal(st.status, 200, st.text);
      let total = 0n;
      for (const ws of ctx.workspaces) {
        const want = ctx.expected.get(`${pid}/${ws}`) ?? 0n; total += want;
        const got = st.body.data.find((d) => d.workspace_id === ws).quantity;
        assert.equal(got, fromUnits(want, ctx.decimals.get(pid)), `${ctx.org.name}: product ${pid} in ${ws}`);
        if (!ctx.negativeOk.has(pid)) assert.ok(toUnits(got) >= 0n, `${ctx.org.name}: product ${pid} in ${ws} is ${got}`);
      }
      assert.equal(st.body.total_quantity, fromUnits(total, ctx.decimals.get(pid)));
    }
  }
  assert.equal((await server.stop()).code, 0, 'graceful stop');

  // serialisable: running sums equal balance_after in id order; transfers conserve; verify()
  for (const ctx of orgs) {
    await withLedger(dbPath, ctx.org.id, (ledger) => {
      assert.deepEqual(ledger.verify().differences, []);
      const running = new Map();
      const all = allMovements(ledger);
      for (const m of all) {
        const k = `${m.product_id}/${m.workspace_id}`;
        const next = (running.get(k) ?? 0n) + toUnits(m.quantity);
        running.set(k, next);
        assert.equal(toUnits(m.balance_after), next, `${ctx.org.name}: movement ${m.id} balance_after`);
        if (m.type === 'transfer_out') {
          const other = all[m.linked_movement_id - 1];
          assert.equal(other.type, 'transfer_in'); assert.equal(toUnits(other.quantity), -toUnits(m.quantity));
        }
      }
      for (const [k, v] of ctx.expected) assert.equal(running.get(k) ?? 0n, v, `${ctx.org.name}: ${k}`);
    });
  }
});

test('concurrent duplicates are applied once: same Idempotency-Key, SKU, invoice number, void, initial stock', async (t) => {
  const N = 24;
  const dbPath = path.join(tempDir(t), 'dup.db');
  const server = await spawnServer({ dbPath });
  t.after(() => server.kill('SIGKILL'));
  const ctx = await bootstrap(server, { name: 'Dup', workspaces: ['Warehouse'], products: [{ sku: 'D-1', name: 'Dup' }, { sku: 'D-2', name: 'Fresh' }] });
  const [pid, fresh] = ctx.products; const wh = ctx.workspaces[1];
  const api = client(server.base, ctx.token);
  assert.equal((await api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: pid, quantity: '1000' }] })).status, 201);
  const level = async (ws) => (await api.get(`/api/v1/inventory/products/${pid}/stock`)).body.data.find((d) => d.workspace_id === ws).quantity;
  const burst = (fn) => Promise.all(Array.from({ length: N }, (_, i) => fn(i)));
  const tally = (rs) => rs.reduce((o, r) => { assert.ok(r.status < 500, r.text); o[r.status] = (o[r.status] ?? 0) + 1; return o; }, {});

  // the same key and body N times at once: one transfer, N identical answers
  let rs = await burst(() => api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: '7' }, { headers: { 'idempotency-key': 'same-key' } }));
  assert.deepEqual(tally(rs), { 201: N });
  for (const r of rs) assert.deepEqual(r.body, rs[0].body);
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1, 'exactly one was done, the others replayed');
  assert.equal(await level(wh), '7.00');
  // the same key with different bodies: one applied, the others 409
  rs = await burst((i) => api.post('/api/v1/inventory/transfers', { product_id: pid, to_workspace_id: wh, quantity: String(i + 1) }, { headers: { 'idempotency-key': 'other-key' } }));
  assert.equal(tally(rs)[201], 1 + rs.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true').length);
  const applied = rs.filter((r) => r.status === 201).map((r) => r.body.data.quantity);
  assert.equal(new Set(applied).size, 1, 'one body was applied');
  assert.ok(rs.every((r) => r.status === 201 || r.body.code === 'idempotency_key_reused'), JSON.stringify(tally(rs)));
  assert.equal(await level(wh), fromUnits(toUnits('7') - toUnits(applied[0]), 2));
  // the same SKU: one product
  rs = await burst(() => api.post('/api/v1/products', { sku: 'SAME-SKU', name: 'x' }));
  assert.deepEqual(tally(rs), { 201: 1, 409: N - 1 });
  assert.ok(rs.filter((r) => r.status === 409).every((r) => r.body.code === 'sku_taken'));
  // the same invoice number: one invoice, stock sold once
  const before = toUnits(await level(ctx.ws));
  rs = await burst(() => api.post('/api/v1/invoices', { number: 'INV-SAME', lines: [{ product_id: pid, quantity: '2' }] }));
  assert.deepEqual(tally(rs), { 201: 1, 409: N - 1 });
  assert.equal(toUnits(await level(ctx.ws)), before - toUnits('2'));
  // the same void: stock returned once
  const inv = rs.find((r) => r.status === 201).body.data.id;
  rs = await burst(() => api.post(`/api/v1/invoices/${inv}/void`));
  assert.deepEqual(tally(rs), { 200: 1, 409: N - 1 });
  assert.equal(toUnits(await level(ctx.ws)), before);
  // the same initial stock: set once
  rs = await burst(() => api.post('/api/v1/inventory/initial-stock', { items: [{ product_id: fresh, quantity: '5' }] }));
  assert.deepEqual(tally(rs), { 201: 1, 409: N - 1 });
  assert.ok(rs.filter((r) => r.status === 409).every((r) => r.body.code === 'initial_stock_already_set'));
  assert.equal((await api.get(`/api/v1/inventory/products/${fresh}/stock`)).body.total_quantity, '5.00');
  await server.stop();
  await withLedger(dbPath, ctx.org.id, (ledger) => assert.deepEqual(ledger.verify().differences, []));
});
