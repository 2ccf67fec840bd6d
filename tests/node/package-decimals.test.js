// Quantities through the package: strings are the exact form; bigints are whole numbers; JS
// numbers are accepted only when String(n) is a plain decimal, and are then sent as that string.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openLedger, isStockroomError } from 'stockroom';
import { P, T0, WS, withCatalog } from './support/catalog.js';

function errorOf(fn) {
  try { fn(); } catch (e) { return e; }
  assert.fail('expected a throw');
}

async function fresh() {
  return withCatalog(await openLedger());
}

const buy = (ledger, product_id, quantity, extra = {}) =>
  ledger.purchase({ workspace_id: WS.main, at: T0, items: [{ product_id, quantity, ...extra }] }).movements[0];

test('strings, bigints and plain numbers give the same exact quantities', async () => {
  const ledger = await fresh();
  assert.equal(buy(ledger, P.apple, '12.5').quantity, '12.50');
  assert.equal(buy(ledger, P.apple, 12.5).quantity, '12.50');
  assert.equal(buy(ledger, P.apple, 3n).quantity, '3.00');
  assert.equal(buy(ledger, P.apple, 7).quantity, '7.00');
  assert.equal(buy(ledger, P.apple, '0.01').balance_after, '35.01');
  assert.equal(buy(ledger, P.flour, '0.0001').quantity, '0.0001');
  assert.equal(buy(ledger, P.flour, 0.0625).quantity, '0.0625');
  assert.equal(buy(ledger, P.bolt, '40').quantity, '40');
  assert.equal(buy(ledger, P.bolt, '+2').balance_after, '42');
  assert.equal(buy(ledger, P.apple, '1', { unit_cost: '2.5' }).unit_cost, '2.50');
  assert.equal(buy(ledger, P.apple, '1', { unit_cost: 0.0125 }).unit_cost, '0.0125');
  assert.equal(buy(ledger, P.apple, '1', { unit_cost: 3n }).unit_cost, '3.00');
  // Exactness where binary floating point would drift: 0.1 added 30 times is exactly 3.
  for (let i = 0; i < 30; i++) buy(ledger, P.flour, '0.1');
  assert.equal(ledger.productStock(P.flour).total_quantity, '3.0626');
  const adjusted = ledger.adjust({ workspace_id: WS.main, at: T0,
    items: [{ product_id: P.apple, quantity: -0.5, reason: 'damaged' }] }).movements[0];
  assert.equal(adjusted.quantity, '-0.50');
  assert.equal(ledger.productStock(P.apple).total_quantity, '37.51');
  ledger.close();
});

test('numbers that cannot be sent exactly are refused on their field, before the core', async () => {
  const ledger = await fresh();
  for (const bad of [1e21, 1e-7, NaN, Infinity, -Infinity, 2.5e-10]) {
    const e = errorOf(() => buy(ledger, P.apple, bad));
    assert.ok(isStockroomError(e, 'validation_failed'), `${bad}: ${e}`);
    assert.deepEqual(Object.keys(e.errors), ['items.0.quantity'], String(bad));
    assert.match(e.message, /decimal string/);
  }
  const e = errorOf(() => ledger.transfer({ product_id: P.apple, from_workspace_id: WS.main,
    to_workspace_id: WS.warehouse, quantity: '1', expected_quantity: 1e300, at: T0 }));
  assert.deepEqual(Object.keys(e.errors), ['expected_quantity']);
  const m = errorOf(() => ledger.register({ minimums: [{ product_id: P.apple, workspace_id: WS.main, minimum_quantity: NaN }] }));
  assert.deepEqual(Object.keys(m.errors), ['minimums.0.minimum_quantity']);
  assert.equal(ledger.stats().movements, 0);
  ledger.close();
});

test('the core refuses what does not fit the product or the limits', async () => {
  const ledger = await fresh();
  const cases = [
    [P.apple, 0.1 + 0.2], // "0.30000000000000004": too many places
    [P.apple, '1.234'],
    [P.bolt, '1.5'],
    [P.flour, '0.00001'],
    [P.apple, '1000000000001'],
    [P.apple, '1e3'],
    [P.apple, ' 1'],
    [P.apple, '1.'],
    [P.apple, 'NaN'],
    [P.apple, ''],
    [P.apple, '0'],
    [P.apple, -2],
  ];
  for (const [product, quantity] of cases) {
    const e = errorOf(() => buy(ledger, product, quantity));
    assert.ok(isStockroomError(e, 'validation_failed'), `${String(quantity)}: ${e}`);
    assert.ok(e.errors['items.0.quantity'], `${String(quantity)}: ${JSON.stringify(e.errors)}`);
  }
  assert.equal(buy(ledger, P.apple, '1000000000000').quantity, '1000000000000.00');
  assert.equal(ledger.stats().movements, 1);
  ledger.close();
});

test('the caller\'s objects are not modified', async () => {
  const ledger = await fresh();
  const cmd = { workspace_id: WS.main, items: [{ product_id: P.apple, quantity: 2.5 }] };
  const frozen = JSON.stringify(cmd);
  ledger.purchase(cmd);
  assert.equal(JSON.stringify(cmd), frozen);
  assert.equal(cmd.at, undefined);
  ledger.close();
});

test('request() is raw: numbers go out as JSON numbers (the core refuses fractions)', async () => {
  const ledger = await fresh();
  const req = (quantity) => ledger.request({ op: 'purchase', at: T0, workspace_id: WS.main,
    items: [{ product_id: P.apple, quantity }] });
  assert.equal(req(12).ok, true);
  const r = req(12.5);
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'validation_failed');
  assert.ok(r.error.errors['items.0.quantity']);
  assert.equal(req('12.5').movements[0].quantity, '12.50');
  assert.equal(req(5n).movements[0].quantity, '5.00');
  ledger.close();
});

test('at defaults to Date.now(); Date objects and RFC 3339 strings are accepted', async () => {
  const ledger = await fresh();
  const before = Date.now();
  const m = ledger.purchase({ workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '1' }] }).movements[0];
  const stamped = Date.parse(m.created_at);
  assert.ok(stamped >= before - 1 && stamped <= Date.now() + 1, m.created_at);
  const later = Date.UTC(2030, 0, 1);
  const d = ledger.purchase({ workspace_id: WS.main, at: new Date(later),
    items: [{ product_id: P.apple, quantity: '1' }] }).movements[0];
  assert.equal(d.created_at, '2030-01-01T00:00:00.000Z');
  const s = ledger.purchase({ workspace_id: WS.main, at: '2030-01-02T03:04:05.678Z',
    items: [{ product_id: P.apple, quantity: '1' }] }).movements[0];
  assert.equal(s.created_at, '2030-01-02T03:04:05.678Z');
  ledger.close();
});
