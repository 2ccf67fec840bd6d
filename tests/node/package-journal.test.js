// Journal export and replay through the package: round trips, all-or-nothing replay, UTF-8 text,
// and a timed 1,000,000-movement replay (STOCKROOM_JOURNAL_SIZE overrides the size).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openLedger, isStockroomError } from 'stockroom';
import { ACTOR, CATALOG, P, T0, WS, withCatalog } from './support/catalog.js';
import { journalCatalog, makeJournal } from './support/journal.js';

async function scenario() {
  const ledger = withCatalog(await openLedger());
  const journals = [];
  const run = (method, cmd) => { journals.push(ledger[method]({ actor: ACTOR, ...cmd }).journal); };
  run('initialStock', { at: T0, workspace_id: WS.main, reference: 'INIT',
    items: [{ product_id: P.apple, quantity: '100', cost_per_unit: '2.5' },
      { product_id: P.flour, quantity: '12.3456' }] });
  run('purchase', { at: T0 + 1000, workspace_id: WS.warehouse, notes: 'tab\there, newline\nthere, back\\slash',
    items: [{ product_id: P.bolt, quantity: '40', unit_cost: '0.0125' }] });
  run('transfer', { at: T0 + 2000, product_id: P.apple, from_workspace_id: WS.main,
    to_workspace_id: WS.warehouse, quantity: '30.5', reference: 'TRF-2026-001', notes: 'Überweisung ✓ 📦' });
  run('sell', { at: T0 + 3000, workspace_id: WS.main, invoice_id: 77,
    lines: [{ product_id: P.apple, quantity: '2' }, { product_id: P.service, quantity: '1' }, { product_id: P.apple, quantity: '1.25' }] });
  run('voidSale', { at: T0 + 4000, invoice_id: 77, notes: 'customer returned' });
  run('adjust', { at: T0 + 5000, workspace_id: WS.main,
    items: [{ product_id: P.flour, quantity: '-0.0456', reason: 'damaged', notes: 'wet' }] });
  run('count', { at: T0 + 6000, workspace_id: WS.warehouse, items: [{ product_id: P.bolt, quantity: '38' }] });
  run('adjust', { at: T0 + 7000, actor: null, workspace_id: WS.main,
    items: [{ product_id: P.loose, quantity: '-3', reason: 'lost' }] });
  return { ledger, journals };
}

test('command journals, export and replay agree; replay reproduces every movement', async () => {
  const { ledger, journals } = await scenario();
  const exported = ledger.exportJournal();
  assert.equal(journals.join(''), exported);
  const lines = exported.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, ledger.stats().movements);
  for (const line of lines) assert.equal(line.split('\t').length, 16, line);

  const copy = withCatalog(await openLedger());
  assert.deepEqual(copy.replayJournal(exported), { appended: lines.length });
  assert.equal(copy.exportJournal(), exported);
  const all = { per_page: 10000, sort: 'id' };
  assert.deepEqual(copy.listMovements(all), ledger.listMovements(all));
  assert.deepEqual(copy.productStock(P.apple), ledger.productStock(P.apple));
  assert.deepEqual(copy.verify(), { differences: [] });
  const transfer = copy.listMovements({ filter: { type: 'transfer_out' } }).data[0];
  assert.equal(transfer.notes, 'Überweisung ✓ 📦');
  const purchase = copy.listMovements({ filter: { product_id: P.bolt, type: 'purchase' } }).data[0];
  assert.equal(purchase.notes, 'tab\there, newline\nthere, back\\slash');
  assert.equal(purchase.unit_cost, '0.0125');
  ledger.close();
  copy.close();
});

test('exportJournal(afterId) and replay in pieces', async () => {
  const { ledger } = await scenario();
  const n = ledger.stats().movements;
  const all = ledger.exportJournal();
  const head = all.split('\n').slice(0, 3).join('\n') + '\n';
  assert.equal(ledger.exportJournal(0), all);
  assert.equal(ledger.exportJournal(3n), all.slice(head.length));
  assert.equal(ledger.exportJournal('3'), all.slice(head.length));
  assert.equal(ledger.exportJournal(n), '');
  for (const bad of [-1, 1.5, 'x', NaN]) {
    assert.ok(isStockroomError((() => { try { ledger.exportJournal(bad); } catch (e) { return e; } })(), 'validation_failed'), String(bad));
  }
  const copy = withCatalog(await openLedger());
  assert.deepEqual(copy.replayJournal(head), { appended: 3 });
  assert.deepEqual(copy.replayJournal(ledger.exportJournal(3)), { appended: n - 3 });
  assert.equal(copy.exportJournal(), all);
  assert.deepEqual(copy.replayJournal(''), { appended: 0 });
  ledger.close();
  copy.close();
});

test('a bad journal is refused whole', async () => {
  const { ledger } = await scenario();
  const all = ledger.exportJournal();
  const lines = all.split('\n').slice(0, -1);
  const copy = withCatalog(await openLedger());
  const attempts = {
    gap: [lines[0], lines[2]].join('\n') + '\n',
    garbage: `${lines[0]}\nnot a journal line\n`,
    unknown_product: `${lines[0]}\n${lines[1].replace(`\t${P.flour}\t`, '\t4242\t')}\n`,
    not_a_string: 42,
  };
  for (const [name, text] of Object.entries(attempts)) {
    let error;
    try { copy.replayJournal(text); } catch (e) { error = e; }
    assert.ok(isStockroomError(error, 'validation_failed'), `${name}: ${error}`);
    assert.equal(copy.stats().movements, 0, name);
  }
  // An unregistered catalog is refused too.
  const empty = await openLedger();
  assert.throws(() => empty.replayJournal(all), (e) => isStockroomError(e, 'validation_failed'));
  ledger.close(); copy.close(); empty.close();
});

test('replaying a large journal', async (t) => {
  const size = Number(process.env.STOCKROOM_JOURNAL_SIZE ?? 1_000_000);
  let t0 = performance.now();
  const journal = makeJournal(size);
  const buildMs = performance.now() - t0;
  const ledger = await openLedger();
  ledger.register(journalCatalog());

  t0 = performance.now();
  const { appended } = ledger.replayJournal(journal);
  const replayMs = performance.now() - t0;
  assert.equal(appended, size);

  t0 = performance.now();
  const exported = ledger.exportJournal();
  const exportMs = performance.now() - t0;
  if (exported !== journal) {
    const a = exported.split('\n'); const b = journal.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.fail(`export differs at line ${i}:\n  got      ${a[i]}\n  replayed ${b[i]}`);
  }
  t0 = performance.now();
  assert.deepEqual(ledger.verify(), { differences: [] });
  const verifyMs = performance.now() - t0;
  assert.deepEqual(ledger.stats(), { movements: size, last_movement_id: size });
  const page = ledger.listMovements({ per_page: 2, filter: { workspace_id: 2 } });
  assert.equal(page.total, size / 4);

  const mb = (Buffer.byteLength(journal) / 1e6).toFixed(1);
  const line = `journal ${size} movements (${mb} MB): build ${buildMs.toFixed(0)} ms, ` +
    `replay ${replayMs.toFixed(0)} ms, export ${exportMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms`;
  t.diagnostic(line);
  ledger.close();
});
