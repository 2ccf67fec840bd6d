// How text crosses into and out of the WebAssembly core (wasm/bindings.cc, wasm/js/ledger.js):
// requests are written once as UTF-8 into the wasm heap and answers are read through a view and
// freed after. Multi-byte text must survive both ways exactly, answers of megabytes must decode
// whole, and the view's buffer must be given back after every call.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openLedger } from 'stockroom';
import { loadCore } from '../../wasm/js/core.js';
import { ACTOR, P, T0, WS, withCatalog } from './support/catalog.js';

const core = await loadCore();

// Two-, three- and four-byte UTF-8, escapes the journal and JSON both care about, and a NUL.
const TEXTS = ['Zoë Ångström', '東京の倉庫', 'box 📦 ✓', 'tab\there\nnew line \\ "quoted"', 'nul\u0000inside', ''];

test('multi-byte and escaped text survives a command, the reads and the journal exactly', async () => {
  const ledger = withCatalog(await openLedger());
  TEXTS.forEach((text, i) => {
    ledger.purchase({ at: T0 + i, actor: { id: 9, name: text || 'x' }, workspace_id: WS.main, reference: text,
      notes: `${text}|${text}`, items: [{ product_id: P.apple, quantity: '1' }] });
  });
  const page = ledger.listMovements({ per_page: 100, sort: 'id' });
  assert.equal(page.data.length, TEXTS.length);
  page.data.forEach((m, i) => {
    assert.equal(m.reference, TEXTS[i] === '' ? null : TEXTS[i]);
    assert.equal(m.notes, `${TEXTS[i]}|${TEXTS[i]}`);
    assert.equal(m.created_by.name, TEXTS[i] || 'x');
    assert.deepEqual(ledger.getMovement(m.id).movement, m);
  });
  const copy = withCatalog(await openLedger());
  copy.replayJournal(ledger.exportJournal());
  assert.deepEqual(copy.listMovements({ per_page: 100, sort: 'id' }), page);
});

test('a report of 3,000 rows (half a megabyte of answer) decodes whole, and each call gives its buffer back', async () => {
  const ledger = await openLedger();
  const products = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1, sku: `S-${i + 1}`, name: `Product ${i + 1} ✓`, decimals: 0 }));
  ledger.register({ workspaces: [{ id: 1, name: 'Main' }], products });
  for (let start = 0; start < products.length; start += 500) {
    ledger.purchase({ at: T0, actor: ACTOR, workspace_id: 1,
      items: products.slice(start, start + 500).map((p) => ({ product_id: p.id, quantity: String(p.id) })) });
  }
  const query = { filter: { workspace_id: 1, start_date: '2026-03-20', end_date: '2026-03-20' } };
  // The answer's buffer (half a megabyte) is freed after each call, not kept until the next one.
  const allocated = () => core.__allocatedBytes();
  const base = allocated();
  const report = ledger.report(query);
  assert.equal(report.summary.length, 3000);
  report.summary.forEach((row, i) => {
    assert.equal(row.product_id, i + 1);
    assert.equal(row.closing_balance, String(i + 1));
  });
  assert.ok(JSON.stringify(report).length > 500_000);

  for (let i = 0; i < 50; i++) {
    ledger.report(query);
    assert.ok(allocated() - base < 64 * 1024, `allocated grew by ${allocated() - base} bytes`);
    // the same for an answer handed on as text (answerText's buffer is given back as well)
    assert.ok(ledger.answerText({ op: 'report', ...query }).length > 500_000);
    assert.ok(allocated() - base < 64 * 1024, `allocated grew by ${allocated() - base} bytes after answerText`);
  }
});

// bindings.cc's all_ascii, word by word and then the tail: any non-ASCII character anywhere makes the
// text not ASCII; NUL and DEL are ASCII.
test('the core tells ASCII text from text with any character above it, at every position', () => {
  for (let length = 0; length <= 33; length++) {
    const ascii = Array.from({ length }, (_, i) => String.fromCharCode([0, 0x7f, 0x41][i % 3])).join('');
    assert.equal(core.__asciiProbe(ascii), true, `length ${length}`);
    for (let at = 0; at < length; at++) {
      for (const other of ['\u0080', 'é', '✓', '📦']) {
        const text = ascii.slice(0, at) + other + ascii.slice(at + 1);
        assert.equal(core.__asciiProbe(text), false, `length ${length}, ${JSON.stringify(other)} at ${at}`);
      }
    }
  }
});

// Answers of 8 KiB and more that are all ASCII are decoded as Latin-1 (wasm/js/ledger.js), the others
// as UTF-8: one character above ASCII anywhere in a large answer must send it the UTF-8 way.
test('a large answer decodes exactly whether it is all ASCII or holds one character above it', async () => {
  const ledger = withCatalog(await openLedger());
  const notes = (i) => `${i} `.padEnd(400, 'abcdefghij');
  const count = 60;
  for (let i = 0; i < count; i++) {
    ledger.purchase({ at: T0 + i, actor: ACTOR, workspace_id: WS.main, notes: notes(i),
      items: [{ product_id: P.apple, quantity: '1' }] });
  }
  const read = () => ledger.listMovements({ per_page: 100, sort: 'id' }).data.map((m) => m.notes);
  assert.ok(ledger.answerText({ op: 'list_movements', per_page: 100 }).length > 8192 * 2);
  assert.deepEqual(read(), Array.from({ length: count }, (_, i) => notes(i)));
  for (const [i, at, text] of [[0, 3, 'é'], [count - 1, 399, '✓'], [31, 200, '📦'], [17, 101, '\u00ff']]) {
    const changed = notes(i).slice(0, at) + text + notes(i).slice(at + text.length);
    ledger.purchase({ at: T0 + count + i, actor: ACTOR, workspace_id: WS.main, notes: changed,
      items: [{ product_id: P.apple, quantity: '1' }] });
    const all = read();
    assert.equal(all.at(-1), changed);
    assert.deepEqual(all.slice(0, count), Array.from({ length: count }, (_, k) => notes(k)));
  }
});

test('a request of over a megabyte (20,000 products with multi-byte names) is read whole', async () => {
  const ledger = await openLedger();
  const name = (i) => `Produkt ${i} – Größe ✓ 📦 東京`;
  const products = Array.from({ length: 20_000 }, (_, i) => ({ id: i + 1, sku: `SKU-${i + 1}`, name: name(i + 1) }));
  const request = { workspaces: [{ id: 1, name: 'Main' }], products };
  assert.ok(Buffer.byteLength(JSON.stringify(request)) > 1_000_000);
  ledger.register(request);
  for (const id of [1, 12_345, 20_000]) {
    ledger.purchase({ at: T0, workspace_id: 1, items: [{ product_id: id, quantity: '2' }] });
    assert.equal(ledger.listMovements({ filter: { product_id: id } }).data[0].product.name, name(id));
  }
});

test('answerText: the answer as text without ok, equal to the parsed call; errors throw as from the methods', async () => {
  const ledger = withCatalog(await openLedger());
  ledger.purchase({ at: T0, actor: ACTOR, workspace_id: WS.main, reference: TEXTS[1],
    items: [{ product_id: P.apple, quantity: '12.5' }, { product_id: P.flour, quantity: '0.0001' }] });
  const requests = [
    { op: 'product_stock', product_id: P.apple },
    { op: 'list_movements', per_page: 10 },
    { op: 'report', filter: { workspace_id: WS.main, start_date: '2026-03-20', end_date: '2026-03-20' } },
    { op: 'stats' },
  ];
  const base = core.__allocatedBytes();
  for (const request of requests) {
    const text = ledger.answerText(request);
    const { ok, ...expected } = ledger.request(request);
    assert.equal(ok, true);
    assert.equal(typeof text, 'string');
    assert.deepEqual(JSON.parse(text), expected, request.op);
  }
  const stock = JSON.parse(ledger.answerText({ op: 'product_stock', product_id: P.apple }));
  assert.deepEqual(stock.product, { id: P.apple, name: 'Apple', sku: 'APL' });
  assert.equal(stock.total_quantity, '12.50');
  // nothing is kept per call: 2,000 calls each way, well under 16 bytes a call
  for (let i = 0; i < 2000; i++) {
    ledger.answerText({ op: 'product_stock', product_id: P.apple });
    ledger.productStockText(P.flour);
  }
  assert.ok(core.__allocatedBytes() - base < 32 * 1024, `allocated grew by ${core.__allocatedBytes() - base} bytes`);

  for (const [request, code] of [[{ op: 'product_stock', product_id: 999 }, 'not_found'],
    [{ op: 'explode' }, 'bad_request'], [{ op: 'product_stock', product_id: 'x' }, 'validation_failed']]) {
    let thrown = null;
    try { ledger.answerText(request); } catch (e) { thrown = e; }
    assert.equal(thrown?.name, 'StockroomError', JSON.stringify(request));
    assert.equal(thrown.code, code);
    assert.deepEqual({ ...thrown.errors }, ledger.request(request).error.errors);
    assert.equal(thrown.message, ledger.request(request).error.message);
  }
  // bigint ids go out as their digits (JSON.stringify refuses a bigint; the package writes it again)
  assert.deepEqual(JSON.parse(ledger.answerText({ op: 'product_stock', product_id: BigInt(P.apple) })), stock);
  assert.deepEqual(ledger.productStock(BigInt(P.apple)), stock);
  assert.equal(ledger.request({ op: 'level_as_of', product_id: BigInt(P.apple), workspace_id: 1n, as_of: T0 }).quantity, '12.50');
  // a request that is no JSON (a cycle) never reaches the core
  assert.throws(() => ledger.answerText({ op: 'stats', self: globalThis }), { name: 'StockroomError', code: 'bad_request' });
  ledger.close();
  assert.throws(() => ledger.answerText({ op: 'stats' }), { code: 'closed' });
});

test('typed queries write their op after the caller\'s members: it wins, and the caller\'s object is left as it was', async () => {
  const ledger = withCatalog(await openLedger());
  ledger.purchase({ at: T0, actor: ACTOR, workspace_id: WS.main, items: [{ product_id: P.apple, quantity: '12.5' }] });
  const query = { op: 'stats', product_id: P.apple, workspace_id: WS.main, as_of: T0 + 1 };
  assert.deepEqual(ledger.levelAsOf(query), { quantity: '12.50' });
  assert.deepEqual(query, { op: 'stats', product_id: P.apple, workspace_id: WS.main, as_of: T0 + 1 });
  assert.deepEqual(ledger.levelAsOf({ product_id: BigInt(P.apple), workspace_id: 1n, as_of: T0 + 1 }), { quantity: '12.50' });
  // no members at all: the op alone
  const all = ledger.request({ op: 'list_movements' });
  assert.equal(all.ok, true);
  for (const none of [undefined, null, {}]) assert.deepEqual(ledger.listMovements(none).data, all.data);
  // an object whose toJSON() is no object is sent by its own members, as a copy would be
  class Filtered {
    constructor() { this.filter = { workspace_id: WS.main }; this.per_page = 1; }
    toJSON() { return 'not a query'; }
  }
  assert.deepEqual(ledger.listMovements(new Filtered()), ledger.listMovements({ filter: { workspace_id: WS.main }, per_page: 1 }));
  assert.throws(() => ledger.report([1]), { name: 'StockroomError', code: 'bad_request' });
  assert.throws(() => ledger.lowStock({ workspace_id: WS.main, self: globalThis }), { name: 'StockroomError', code: 'bad_request' });
  assert.throws(() => ledger.lowStock({ per_page: 5 }), { name: 'StockroomError', code: 'validation_failed' });
  ledger.close();
});

test('productStockText: the text answerText gives, asked without a request document for a plain id', async () => {
  const ledger = withCatalog(await openLedger());
  ledger.purchase({ at: T0, actor: ACTOR, workspace_id: WS.warehouse,
    items: [{ product_id: P.apple, quantity: '3' }, { product_id: P.bolt, quantity: '7' }] });
  for (const id of [P.apple, P.bolt, P.flour, P.service, BigInt(P.apple), String(P.bolt)]) {
    assert.equal(ledger.productStockText(id), ledger.answerText({ op: 'product_stock', product_id: id }), String(id));
  }
  assert.deepEqual(JSON.parse(ledger.productStockText(P.bolt)).data.map((d) => d.quantity), ['0', '7', '0']);
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } return assert.fail('expected a throw'); };
  // unknown ids and ids that are not ids fail as the typed method (through request()) fails
  for (const id of [999, 0, -1, 1.5, 'x', null, undefined, 2 ** 53]) {
    const fast = thrown(() => ledger.productStockText(id));
    const typed = thrown(() => ledger.productStock(id));
    assert.equal(fast.name, 'StockroomError', String(id));
    assert.equal(fast.code, typed.code, String(id));
    assert.equal(fast.message, typed.message, String(id));
    assert.deepEqual({ ...fast.errors }, { ...typed.errors }, String(id));
  }
  assert.equal(thrown(() => ledger.productStockText(999)).code, 'not_found'); // the path without a request
  ledger.close();
  assert.throws(() => ledger.productStockText(P.apple), { code: 'closed' });
});
