// Commands at the 500-entry limit, and one past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openLedger, isStockroomError } from 'stockroom';

const N = 500;
const T0 = Date.UTC(2026, 2, 20);

async function bigCatalog() {
  const ledger = await openLedger();
  ledger.register({
    workspaces: [{ id: 1, name: 'Main' }, { id: 2, name: 'Back' }],
    products: Array.from({ length: N + 1 }, (_, i) => ({ id: i + 1, sku: `S${i + 1}`, name: `P ${i + 1}` })),
    minimums: Array.from({ length: N }, (_, i) => ({ product_id: i + 1, workspace_id: 1, minimum_quantity: 5 })),
  });
  return ledger;
}

const items = (n, f) => Array.from({ length: n }, (_, i) => f(i + 1));

test('500-item commands apply whole', async () => {
  const ledger = await bigCatalog();
  const init = ledger.initialStock({ workspace_id: 1, at: T0,
    items: items(N, (id) => ({ product_id: id, quantity: `${id}.25`, cost_per_unit: '1.5' })) });
  assert.equal(init.movements.length, N);
  assert.equal(init.journal.split('\n').length, N + 1);
  assert.deepEqual(init.movements.map((m) => m.id), items(N, (id) => id));

  const sale = ledger.sell({ workspace_id: 1, invoice_id: 1, at: T0 + 1,
    lines: items(N, (id) => ({ product_id: id, quantity: '0.25' })) });
  assert.equal(sale.movements.length, N);
  const purchase = ledger.purchase({ workspace_id: 2, at: T0 + 2,
    items: items(N, (id) => ({ product_id: id, quantity: 1n, unit_cost: 2 })) });
  assert.equal(purchase.movements.length, N);
  const count = ledger.count({ workspace_id: 1, at: T0 + 3, items: items(N, (id) => ({ product_id: id, quantity: id + 1 })) });
  assert.equal(count.movements.length, N);
  assert.ok(count.movements.every((m) => m.type === 'adjustment' && m.reason === 'recount' && m.quantity === '1.00'));
  const adjust = ledger.adjust({ workspace_id: 1, at: T0 + 4,
    items: items(N, (id) => ({ product_id: id, quantity: '-1', reason: 'other' })) });
  assert.equal(adjust.movements.length, N);

  assert.deepEqual(ledger.stats(), { movements: 5 * N, last_movement_id: 5 * N });
  const page = ledger.listMovements({ per_page: 10000, filter: { type: ['sale', 'purchase'] } });
  assert.equal(page.total, 2 * N);
  assert.equal(page.data.length, 2 * N);
  const levels = ledger.workspaceLevels({ workspace_id: 1 }).data;
  assert.equal(levels.length, N);
  assert.equal(levels[9].quantity, '10.00');
  assert.deepEqual(ledger.verify(), { differences: [] });
  ledger.close();
});

test('501 items are refused and nothing is written', async () => {
  const ledger = await bigCatalog();
  let error;
  try {
    ledger.purchase({ workspace_id: 1, at: T0, items: items(N + 1, (id) => ({ product_id: id, quantity: '1' })) });
  } catch (e) { error = e; }
  assert.ok(isStockroomError(error, 'validation_failed'), String(error));
  assert.ok(error.errors.items, JSON.stringify(error.errors));
  // One bad entry among 500 rejects the whole command and names it.
  try {
    ledger.purchase({ workspace_id: 1, at: T0, items: items(N, (id) => ({ product_id: id, quantity: id === 377 ? '-1' : '1' })) });
  } catch (e) { error = e; }
  assert.ok(error.errors['items.376.quantity'], JSON.stringify(error.errors));
  assert.equal(ledger.stats().movements, 0);
  ledger.close();
});
