// StockroomError: its shape, and proof that every error code of the C++ core (read from the wasm
// module itself: stockroom::kAllErrorCodes) is known to the package and reaches JS as a
// StockroomError with that code.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  openLedger, StockroomError, ERROR_CODES, ERROR_DESCRIPTIONS, PACKAGE_ERROR_CODES,
  isStockroomError,
} from 'stockroom';
import { loadCore } from '../../wasm/js/core.js';
import { errorFromResponse } from '../../wasm/js/errors.js';
import { ACTOR, P, T0, WS, withCatalog } from './support/catalog.js';

function catchError(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

test('ERROR_CODES is exactly the C++ enum, in declaration order', async () => {
  const core = await loadCore();
  const fromCore = core.errorCodes();
  assert.deepEqual([...ERROR_CODES], fromCore);
  assert.deepEqual(Object.keys(ERROR_DESCRIPTIONS), fromCore);
  for (const code of fromCore) assert.ok(ERROR_DESCRIPTIONS[code].length > 10, code);
  assert.ok(Object.isFrozen(ERROR_CODES));
  for (const code of PACKAGE_ERROR_CODES) assert.ok(!fromCore.includes(code), code);
});

test('every error code maps to a StockroomError carrying it', () => {
  for (const code of ERROR_CODES) {
    const e = errorFromResponse({ code, message: `m ${code}`, errors: { f: ['x'] }, details: null });
    assert.ok(e instanceof StockroomError && e instanceof Error);
    assert.equal(e.code, code);
    assert.equal(e.message, `m ${code}`);
    assert.deepEqual(e.errors, { f: ['x'] });
    assert.ok(isStockroomError(e, code));
  }
});

test('every core error code is produced by a real call and thrown as StockroomError', async () => {
  const ledger = withCatalog(await openLedger());
  const seen = new Map();
  const expectCode = (code, fn) => {
    const e = catchError(fn);
    assert.ok(e instanceof StockroomError, `${code}: got ${e}`);
    assert.equal(e.code, code, `${code}: ${e.message}`);
    assert.equal(e.name, 'StockroomError');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    assert.equal(typeof e.errors, 'object');
    assert.ok(e.stack.includes('StockroomError'));
    seen.set(code, e);
  };
  const at = T0;
  ledger.initialStock({ workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '10' }], at, actor: ACTOR });
  ledger.sell({ workspace_id: WS.main, invoice_id: 501, lines: [{ product_id: P.apple, quantity: '1' }], at });

  // bad_request through a method: an unknown op is only reachable through request(), so use a
  // command that is not an object.
  expectCode('bad_request', () => ledger.purchase('not an object'));
  expectCode('validation_failed', () =>
    ledger.purchase({ workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '0' }], at }));
  expectCode('not_found', () => ledger.getMovement(999));
  ledger.voidSale({ invoice_id: 501, at });
  expectCode('conflict', () => ledger.voidSale({ invoice_id: 501, at }));
  expectCode('insufficient_stock', () =>
    ledger.sell({ workspace_id: WS.main, invoice_id: 502, lines: [{ product_id: P.apple, quantity: '15' }], at }));
  expectCode('product_not_tracked', () =>
    ledger.purchase({ workspace_id: WS.main, items: [{ product_id: P.service, quantity: '1' }], at }));
  expectCode('initial_stock_already_set', () =>
    ledger.initialStock({ workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '1' }], at }));
  expectCode('stale_quantity', () =>
    ledger.adjust({ workspace_id: WS.main, at, items: [
      { product_id: P.apple, quantity: '-1', reason: 'damaged', expected_quantity: '3' }] }));

  assert.deepEqual([...seen.keys()].sort(), [...ERROR_CODES].sort());

  const v = seen.get('validation_failed');
  assert.ok(Array.isArray(v.errors['items.0.quantity']), JSON.stringify(v.errors));
  assert.equal(v.details, null);
  const s = seen.get('insufficient_stock');
  assert.deepEqual(s.details, { product_id: P.apple, workspace_id: WS.main, available: '10.00', requested: '15.00' });
  const q = seen.get('stale_quantity');
  assert.equal(q.details.available, '10.00');
  assert.equal(q.details.requested, '3.00');
  assert.deepEqual(JSON.parse(JSON.stringify(s)),
    { code: 'insufficient_stock', message: s.message, errors: s.errors, details: s.details });

  // The raw call answers instead of throwing.
  const raw = ledger.request({ op: 'no_such_op' });
  assert.equal(raw.ok, false);
  assert.equal(raw.error.code, 'bad_request');
  assert.deepEqual(ledger.request({ op: 'stats' }), { ok: true, movements: 3, last_movement_id: 3 });
  const circular = {}; circular.self = circular;
  assert.equal(ledger.request(circular).error.code, 'bad_request');
  ledger.close();
});

test('a failed command writes nothing', async () => {
  const ledger = withCatalog(await openLedger());
  const before = ledger.stats();
  const e = catchError(() => ledger.purchase({ workspace_id: WS.main, at: T0, items: [
    { product_id: P.apple, quantity: '1' }, { product_id: 999, quantity: '1' }] }));
  assert.equal(e.code, 'validation_failed');
  assert.ok(e.errors['items.1.product_id']);
  assert.deepEqual(ledger.stats(), before);
  ledger.close();
});

test('calls after close() throw StockroomError closed', async () => {
  const ledger = await openLedger();
  ledger.close();
  ledger.close(); // idempotent
  assert.equal(ledger.closed, true);
  for (const call of [() => ledger.stats(), () => ledger.request({ op: 'stats' }),
    () => ledger.exportJournal(), () => ledger.replayJournal(''), () => ledger.register({})]) {
    const e = catchError(call);
    assert.ok(isStockroomError(e, 'closed'), String(e));
  }
});
