// Crashes: the real server under concurrent writes (transfers, adjustments, invoices, purchases, voids,
// each with an Idempotency-Key) is killed with SIGKILL at a random moment, RELIABILITY_CRASH_ROUNDS times
// (default 10). After each kill, before and after the restart:
//   - every write answered 2xx is in the ledger, movement for movement (same id, type, product,
//     workspace, quantity), and every invoice answered 201 exists;
//   - no transfer has only one leg;
//   - verify(): every level equals the sum of its movements (the ledger loaded by the service's own path);
//   - each level, and so each product's total, is exactly what the acknowledged answers imply, and the
//     ledger holds no movement that no answer accounts for (nothing invented);
//   - retrying every unanswered request with its key applies it at most once: a second retry replays
//     the first retry's answer byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  allMovements, bootstrap, client, fromUnits, knob, random, seedOf, spawnServer, tempDir, toUnits, withLedger,
} from './support.js';

const ROUNDS = knob('RELIABILITY_CRASH_ROUNDS', 10);
const WORKERS = knob('RELIABILITY_CRASH_WORKERS', 8);
const SEED = seedOf(20260320);
const REASONS = ['damaged', 'lost', 'found', 'recount', 'other'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test(`SIGKILL under concurrent writes, ${ROUNDS} rounds: no acknowledged write lost, nothing invented, retries apply once`, { timeout: 60000 + ROUNDS * 30000 }, async (t) => {
  const rng = random(SEED);
  t.diagnostic(`seed ${SEED} (RELIABILITY_SEED), ${ROUNDS} rounds (RELIABILITY_CRASH_ROUNDS), ${WORKERS} writers`);
  const dbPath = path.join(tempDir(t), 'crash.db');
  let server = await spawnServer({ dbPath });
  const port = server.port;
  t.after(() => server.kill('SIGKILL'));

  const ctx = await bootstrap(server, {
    name: 'Crash', workspaces: ['Warehouse', 'Outlet'],
    products: [{ sku: 'C-2', name: 'Two places' }, { sku: 'C-0', name: 'Whole', decimals: 0 }, { sku: 'C-N', name: 'Negative ok', decimals: 3, allow_negative_stock: true }],
  });
  const orgId = ctx.org.id;
  const decimals = new Map([[ctx.products[0], 2], [ctx.products[1], 0], [ctx.products[2], 3]]);
  const api = (ws) => client(server.base, ctx.token, ws);

  // ---- the model: every movement an answer told us about, by id
  const known = new Map();
  const absorb = (m, where) => {
    const v = { type: m.type, product_id: m.product_id, workspace_id: m.workspace_id, quantity: toUnits(m.quantity) };
    const had = known.get(m.id);
    if (had) assert.deepEqual(had, v, `movement ${m.id} changed (${where}): an acknowledged movement was replaced`);
    known.set(m.id, v);
  };
  const absorbAnswer = (op, body) => {
    if (op.kind === 'transfer') {
      const out = body.data;
      absorb(out, op.key);
      absorb({ id: out.linked_movement_id, type: 'transfer_in', product_id: out.product_id, workspace_id: out.to_workspace_id, quantity: out.quantity.replace(/^-/, '') }, op.key);
    } else if (op.kind === 'invoice' || op.kind === 'void') {
      for (const m of body.data.movements) absorb(m, op.key);
    } else {
      for (const m of body.data) absorb(m, op.key);
    }
  };

  // ---- initial stock everywhere
  for (const ws of ctx.workspaces) {
    const r = await api(ws).post('/api/v1/inventory/initial-stock', { items: ctx.products.map((p) => ({ product_id: p, quantity: '300' })) });
    assert.equal(r.status, 201, r.text);
    absorbAnswer({ kind: 'initial' }, r.body);
  }

  const qty = (pid, max = 5) => {
    const d = decimals.get(pid); const units = rng.int(1, max * 10 ** d);
    return (units / 10 ** d).toFixed(d);
  };
  const invoices = []; // acked, not yet voided: { id, ws }
  let seq = 0;
  function makeOp(round) {
    const key = `crash-${SEED}-${round}-${++seq}`;
    const ws = rng.pick(ctx.workspaces);
    const roll = rng();
    if (roll < 0.38) {
      const to = rng.pick(ctx.workspaces.filter((w) => w !== ws)); const pid = rng.pick(ctx.products);
      // now and then more than there is: insufficient_stock, a refused write in the middle of the batch
      const quantity = rng.chance(0.05) ? '100000' : qty(pid);
      return { kind: 'transfer', key, ws, path: '/api/v1/inventory/transfers', body: { product_id: pid, to_workspace_id: to, quantity, reference: key.slice(0, 100) } };
    }
    if (roll < 0.6) {
      const pids = rng.chance(0.5) ? [rng.pick(ctx.products)] : ctx.products.slice(0, 2);
      return { kind: 'adjustment', key, ws, path: '/api/v1/inventory/adjustments', body: { items: pids.map((p) => ({ product_id: p, quantity: (rng.chance(0.6) ? '-' : '') + qty(p, 3), reason: rng.pick(REASONS) })) } };
    }
    if (roll < 0.84) {
      const lines = Array.from({ length: rng.int(1, 3) }, () => { const p = rng.pick(ctx.products); return { product_id: p, quantity: qty(p, 3), unit_price: '1.25' }; });
      return { kind: 'invoice', key, ws, path: '/api/v1/invoices', body: { number: rng.chance(0.5) ? key : null, customer: 'Crash test', lines } };
    }
    if (roll < 0.92 && invoices.length) {
      const inv = invoices.splice(rng.int(0, invoices.length - 1), 1)[0];
      return { kind: 'void', key, ws: inv.ws, path: `/api/v1/invoices/${inv.id}/void`, body: undefined };
    }
    const p = rng.pick(ctx.products);
    return { kind: 'purchase', key, ws, path: '/api/v1/inventory/purchases', body: { items: [{ product_id: p, quantity: qty(p, 20), unit_cost: '0.5' }] } };
  }
  const send = (op) => api(op.ws).post(op.path, op.body, { headers: { 'idempotency-key': op.key } });
  /** After a restart: the same request again; a connection error (a stale pooled socket) is retried too. */
  async function resend(op) {
    for (let i = 0; ; i++) {
      try { return await send(op); } catch (e) { if (i >= 3) throw e; await sleep(50); }
    }
  }
  const onAnswer = (op, r) => {
    assert.ok(r.status < 500, `${op.kind} ${op.key}: ${r.status} ${r.text}`);
    if (r.status >= 200 && r.status < 300) {
      absorbAnswer(op, r.body);
      if (op.kind === 'invoice') invoices.push({ id: r.body.data.id, ws: op.ws });
      return 'ok';
    }
    assert.ok(r.body && typeof r.body.code === 'string', r.text);
    return 'rejected';
  };

  const totals = { sent: 0, acked: 0, rejected: 0, unanswered: 0, committedBeforeKill: 0, appliedOnRetry: 0, rejectedOnRetry: 0, movements: 0 };
  const ackedInvoices = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // ---- load, then SIGKILL at a random moment
    const ops = []; let killed = false;
    const worker = async () => {
      while (!killed) {
        const op = makeOp(round); ops.push(op);
        try {
          const r = await send(op);
          op.answer = r; op.outcome = onAnswer(op, r);
          if (op.outcome === 'ok' && op.kind === 'invoice') ackedInvoices.push(r.body.data);
        } catch (e) {
          if (e.code === 'ERR_ASSERTION') throw e;
          op.outcome = 'unanswered';
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    await sleep(rng.int(150, 1200));
    killed = true;
    const exit = await server.kill('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped');
    await Promise.all(workers);
    const unanswered = ops.filter((o) => o.outcome === 'unanswered');
    totals.sent += ops.length; totals.acked += ops.filter((o) => o.outcome === 'ok').length;
    totals.rejected += ops.filter((o) => o.outcome === 'rejected').length; totals.unanswered += unanswered.length;

    // ---- the database as the next start will read it: verify(), every acknowledged movement, both legs
    const ids = await withLedger(dbPath, orgId, (ledger) => {
      assert.deepEqual(ledger.verify().differences, [], `round ${round}: a level differs from the sum of its movements`);
      const all = allMovements(ledger);
      const byId = new Map(all.map((m) => [m.id, m]));
      for (const [id, v] of known) {
        const m = byId.get(id);
        assert.ok(m, `round ${round}: acknowledged movement ${id} (${v.type}) is missing after the crash`);
        assert.deepEqual({ type: m.type, product_id: m.product_id, workspace_id: m.workspace_id, quantity: toUnits(m.quantity) }, v, `round ${round}: movement ${id}`);
      }
      for (const m of all) {
        if (m.type !== 'transfer_out' && m.type !== 'transfer_in') continue;
        const other = byId.get(m.linked_movement_id);
        assert.ok(other, `round ${round}: transfer leg ${m.id} has no other leg`);
        assert.equal(other.linked_movement_id, m.id, `round ${round}: legs ${m.id}/${other.id} do not link back`);
        assert.equal(other.type, m.type === 'transfer_out' ? 'transfer_in' : 'transfer_out');
        assert.equal(other.product_id, m.product_id);
        assert.equal(toUnits(other.quantity), -toUnits(m.quantity));
        assert.equal(m.type === 'transfer_out' ? other.workspace_id : m.workspace_id, m.to_workspace_id);
      }
      // ids are 1..n without a gap
      all.forEach((m, i) => assert.equal(m.id, i + 1, `round ${round}: movement ids have a gap at ${i + 1}`));
      return all.length;
    });
    assert.ok(ids >= known.size);

    // ---- restart on the same port; retry every unanswered request with its key, twice
    server = await spawnServer({ dbPath, port });
    for (const op of unanswered) {
      const r = await resend(op);
      const replayed = r.headers.get('idempotent-replayed') === 'true';
      op.retry = r; op.outcome = onAnswer(op, r);
      if (op.outcome === 'ok' && op.kind === 'invoice') ackedInvoices.push(r.body.data);
      if (replayed) totals.committedBeforeKill += 1;
      else if (op.outcome === 'ok') totals.appliedOnRetry += 1;
      else totals.rejectedOnRetry += 1;
    }
    for (const op of unanswered) {
      const again = await resend(op);
      assert.equal(again.headers.get('idempotent-replayed'), 'true', `round ${round}: second retry of ${op.key} was not a replay: ${again.status} ${again.text}`);
      assert.equal(again.status, op.retry.status);
      assert.deepEqual(again.body, op.retry.body, `round ${round}: ${op.key} answered differently on the second retry`);
    }
    // a sample of the acknowledged ones replays too (their idempotency records survived the crash)
    for (const op of ops.filter((o) => o.answer && o.outcome === 'ok' && !o.retry).slice(0, 8)) {
      const again = await resend(op);
      assert.equal(again.headers.get('idempotent-replayed'), 'true', `round ${round}: acknowledged ${op.key} is not remembered`);
      assert.deepEqual(again.body, op.answer.body);
    }

    // ---- levels are exactly what the answers imply, and no movement is unaccounted for
    const expected = new Map();
    for (const v of known.values()) { const k = `${v.product_id}/${v.workspace_id}`; expected.set(k, (expected.get(k) ?? 0n) + v.quantity); }
    for (const pid of ctx.products) {
      const st = await api().get(`/api/v1/inventory/products/${pid}/stock`);
      assert.equal(st.status, 200, st.text);
      let total = 0n;
      for (const ws of ctx.workspaces) {
        const want = expected.get(`${pid}/${ws}`) ?? 0n; total += want;
        const got = st.body.data.find((d) => d.workspace_id === ws).quantity;
        assert.equal(got, fromUnits(want, decimals.get(pid)), `round ${round}: level of product ${pid} in workspace ${ws}`);
        if (pid !== ctx.products[2]) assert.ok(!got.startsWith('-'), `round ${round}: product ${pid} below zero in ${ws}`);
      }
      assert.equal(st.body.total_quantity, fromUnits(total, decimals.get(pid)), `round ${round}: total of product ${pid}`);
    }
    let count = 0;
    for (const ws of ctx.workspaces) count += (await api(ws).get(`/api/v1/inventory/movements?filter[workspace_id]=${ws}&per_page=1`)).body.meta.total;
    assert.equal(count, known.size, `round ${round}: the ledger holds ${count} movements, the answers account for ${known.size}`);
    for (const inv of ackedInvoices.splice(0)) {
      const r = await api(inv.workspace_id).get(`/api/v1/invoices/${inv.id}`);
      assert.equal(r.status, 200, `round ${round}: acknowledged invoice ${inv.id} is missing: ${r.text}`);
      assert.deepEqual(r.body.data.lines, inv.lines);
      assert.equal(r.body.data.number, inv.number);
    }
    totals.movements = known.size;
    t.diagnostic(`round ${round}: ${ops.length} requests, ${ops.filter((o) => o.answer && o.outcome === 'ok').length} acknowledged, ${unanswered.length} unanswered at the kill (${unanswered.filter((o) => o.retry.headers.get('idempotent-replayed') === 'true').length} had committed); ${known.size} movements`);
  }
  t.diagnostic(`totals: ${JSON.stringify(totals)}`);
  assert.ok(totals.acked > ROUNDS, 'the load did write');
  await server.stop();
});
