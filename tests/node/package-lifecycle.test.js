// Many ledgers in one process, close(), the finalizer for forgotten ledgers, and the stack-leak
// pitfall (toolchain.md §4): 200k failing calls must leave the wasm stack pointer where it was,
// the heap unchanged and the instance healthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { openLedger, isStockroomError } from 'stockroom';
import { loadCore } from '../../wasm/js/core.js';
import { P, T0, WS, withCatalog } from './support/catalog.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const core = await loadCore();
const allocated = () => core.__allocatedBytes();

async function settle() {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('many ledgers coexist, each with its own ids and levels', async () => {
  const ledgers = [];
  for (let i = 0; i < 50; i++) {
    const ledger = withCatalog(await openLedger());
    for (let k = 0; k <= i % 5; k++) {
      ledger.purchase({ workspace_id: WS.main, at: T0 + k, items: [{ product_id: P.apple, quantity: String(i + 1) }] });
    }
    ledgers.push(ledger);
  }
  ledgers.forEach((ledger, i) => {
    const n = (i % 5) + 1;
    assert.deepEqual(ledger.stats(), { movements: n, last_movement_id: n });
    assert.equal(ledger.productStock(P.apple).total_quantity, `${n * (i + 1)}.00`);
  });
  for (const ledger of ledgers) ledger.close();
  assert.ok(ledgers.every((l) => l.closed));
});

test('close() frees the C++ ledger: 2,000 open/use/close cycles do not grow the heap', async () => {
  const cycle = async () => {
    const ledger = withCatalog(await openLedger());
    ledger.purchase({ workspace_id: WS.main, at: T0, items: [{ product_id: P.apple, quantity: '1' }] });
    ledger.exportJournal();
    ledger.close();
  };
  for (let i = 0; i < 50; i++) await cycle();
  const base = allocated();
  const heap = core.__heapBytes();
  for (let i = 0; i < 2000; i++) await cycle();
  assert.ok(allocated() - base < 64 * 1024, `allocated grew by ${allocated() - base} bytes`);
  assert.equal(core.__heapBytes(), heap);
});

test('a ledger dropped without close() is freed by the finalizer', async () => {
  await settle();
  const base = allocated();
  const drop = async () => {
    const ledger = withCatalog(await openLedger());
    ledger.purchase({ workspace_id: WS.main, at: T0, items: [{ product_id: P.apple, quantity: '1' }] });
  };
  for (let i = 0; i < 200; i++) await drop();
  const peak = allocated();
  assert.ok(peak - base > 200 * 100, `200 live ledgers should hold memory (${peak - base} bytes)`);
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await settle();
  assert.ok(allocated() - base < (peak - base) / 4,
    `finalizer freed too little: base ${base}, peak ${peak}, now ${allocated()}`);
});

test('200k error answers leak neither stack nor heap, and the instance keeps working', async () => {
  const ledger = withCatalog(await openLedger());
  ledger.purchase({ workspace_id: WS.main, at: T0, items: [{ product_id: P.apple, quantity: '5' }] });
  const bad = { op: 'purchase', at: T0, workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '0' }] };
  const sp = core.__stackPointer();
  // Warm-up (first error paths allocate lazily), then measure.
  for (let i = 0; i < 1000; i++) ledger.request(bad);
  const base = allocated();
  const heap = core.__heapBytes();
  for (let i = 0; i < 100_000; i++) {
    const r = ledger.request(bad);
    if (r.ok !== false) assert.fail('expected an error answer');
  }
  for (let i = 0; i < 50_000; i++) {
    try {
      ledger.sell({ workspace_id: WS.main, invoice_id: 1, at: T0, lines: [{ product_id: P.apple, quantity: '99' }] });
      assert.fail('expected insufficient_stock');
    } catch (e) {
      if (!isStockroomError(e, 'insufficient_stock')) throw e;
    }
  }
  for (let i = 0; i < 50_000; i++) {
    if (ledger.request('{"not json').ok !== false) assert.fail('expected bad_request');
  }
  assert.equal(core.__stackPointer(), sp);
  assert.ok(allocated() - base < 16 * 1024, `allocated grew by ${allocated() - base} bytes`);
  assert.equal(core.__heapBytes(), heap);
  const ok = ledger.sell({ workspace_id: WS.main, invoice_id: 2, at: T0, lines: [{ product_id: P.apple, quantity: '2' }] });
  assert.equal(ok.movements[0].balance_after, '3.00');
  ledger.close();
});

test('C++ exceptions become JS errors after the call: 200k of them move the stack by 0 bytes', () => {
  const sp = core.__stackPointer();
  const kinds = [[0, TypeError, /invalid argument/], [1, Error, /runtime error/], [2, RangeError, /out of memory/]];
  for (const [kind, Ctor, re] of kinds) {
    assert.throws(() => core.__guardProbe(kind), (e) => e instanceof Ctor && re.test(e.message));
  }
  for (let i = 0; i < 200_000; i++) {
    try { core.__guardProbe(i % 3); } catch { /* expected */ }
  }
  assert.equal(core.__stackPointer(), sp);
  assert.equal(core.__guardProbe(7), 7);
});

test('deeply nested request text is refused, not a crash', async () => {
  const ledger = await openLedger();
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const r = JSON.parse(JSON.stringify(ledger.request({ op: 'stats', nested: JSON.parse(deep.slice(0, 2000) + deep.slice(-2000)) })));
  assert.equal(r.ok, true);
  const raw = await loadCore();
  const handle = raw.Ledger.create();
  try {
    const answer = JSON.parse(handle.request(deep));
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'bad_request');
  } finally {
    handle.delete();
  }
  ledger.close();
});

test('rollback() answers whether it rolled back: a checkpoint of an abandoned branch changes nothing', async () => {
  const ledger = withCatalog(await openLedger());
  const buy = (quantity, actor) => ledger.purchase({
    workspace_id: WS.main, at: T0, actor, items: [{ product_id: P.apple, quantity }],
  });
  buy('1');
  const before = ledger.checkpoint();
  buy('2');
  const abandoned = ledger.checkpoint();
  assert.deepEqual(ledger.rollback(before), { rolled_back: true });
  buy('5', { id: 7, name: 'Ann' });
  const journal = ledger.exportJournal();
  assert.deepEqual(ledger.rollback(abandoned), { rolled_back: false });
  assert.equal(ledger.exportJournal(), journal);
  assert.equal(ledger.getMovement(2).movement.created_by.name, 'Ann');
  assert.deepEqual(ledger.rollback(before.checkpoint), { rolled_back: true });
  assert.deepEqual(ledger.stats(), { movements: 1, last_movement_id: 1 });
  ledger.close();
});

test('checkpoint() reads the counts the protocol\'s checkpoint answers, without a request text', async () => {
  const ledger = withCatalog(await openLedger());
  const protocol = () => {
    const { ok, ...rest } = ledger.request({ op: 'checkpoint' });
    assert.equal(ok, true);
    return rest;
  };
  const marks = [];
  for (const step of [
    () => {},
    () => ledger.purchase({ workspace_id: WS.main, at: T0, items: [{ product_id: P.apple, quantity: '4' }] }),
    () => ledger.transfer({ product_id: P.apple, from_workspace_id: WS.main, to_workspace_id: WS.warehouse, quantity: '1', at: T0, reference: 'T-1', notes: 'a note' }),
    () => ledger.setMinimum({ workspace_id: WS.main, product_id: P.apple, minimum_quantity: '2', at: T0 }),
  ]) {
    step();
    const typed = ledger.checkpoint();
    const asked = protocol();
    // every checkpoint is a new serial: the protocol's, asked right after, is the next one
    assert.deepEqual(asked, { checkpoint: { ...typed.checkpoint, serial: typed.checkpoint.serial + 1 } });
    marks.push(typed);
  }
  const [empty, , afterTransfer] = marks;
  assert.deepEqual(empty.checkpoint, { contexts: 0, levels: 0, minimum_changes: 0, movements: 0, serial: 1, texts: 1 });
  assert.equal(afterTransfer.checkpoint.movements, 3);
  assert.deepEqual(ledger.rollback(afterTransfer), { rolled_back: true });
  assert.equal(ledger.stats().movements, 3);
  assert.deepEqual(ledger.rollback(empty.checkpoint), { rolled_back: true });
  assert.equal(ledger.stats().movements, 0);
  ledger.close();
  assert.throws(() => ledger.checkpoint(), { name: 'StockroomError', code: 'closed' });
});
