// The public Ledger: a thin, typed face over one C++ stockroom::Ledger in the wasm heap.
//
// Each method builds one protocol request ({ op, ... }, docs/core-protocol.md), hands it to the core
// as JSON text and returns the answer without its `ok`, or throws a StockroomError. (productStockText
// asks the core for that one answer by id, with no request text.) The only clock
// read in the package is here: a command without `at` is stamped with Date.now().

import { StockroomError, closedError, errorFromResponse, fieldError } from './errors.js';
import { bigintReplacer, convertQuantities, movementIdToNumber } from './values.js';

// A forgotten (never closed) Ledger frees its C++ object once it is garbage-collected. The held
// value is the raw embind handle; close() unregisters, so nothing is freed twice.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((raw) => { try { raw.delete(); } catch { /* already gone */ } })
  : null;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const hasBuffer = typeof Buffer === 'function' && typeof Buffer.byteLength === 'function';
// Node's own Buffer, not a bundler's polyfill in a browser (whose Latin-1 is a JS loop).
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Protected from user code: the only way to build a Ledger is openLedger().
const token = Symbol('stockroom.ledger');

// From this many bytes on, an answer that is all ASCII is decoded as Latin-1 (the same characters)
// by Buffer: Node 20's TextDecoder turns a 2.7 MB report answer into a string in ~10 ms, Buffer's
// Latin-1 in 0.4-0.6 ms. Below it, TextDecoder costs no more than the core's check would.
const LATIN1_FROM_BYTES = 8192;

// The text behind a view the core returned (bindings.cc: valid until the next call into the core),
// decoded at once; then the core lets it go.
function takeView(raw, view) {
  try {
    if (isNode && hasBuffer && view !== null && view.length >= LATIN1_FROM_BYTES && raw.viewIsAscii()) {
      return Buffer.from(view.buffer, view.byteOffset, view.length).toString('latin1');
    }
    return decoder.decode(view);
  } finally {
    raw.releaseView();
  }
}

function badRequest(message) {
  return { ok: false, error: { code: 'bad_request', message, errors: {}, details: null } };
}

// A request's JSON text; throws StockroomError bad_request when it has none. Bigints go out as
// decimal strings: JSON.stringify refuses them, and only then is the request written again with a
// replacer (a replacer on every request doubled the cost of writing it: ~0.5 µs of a command).
function requestJson(request) {
  let text;
  try {
    try {
      text = JSON.stringify(request);
    } catch (e) {
      if (!/bigint/i.test(e?.message)) throw e;
      text = JSON.stringify(request, bigintReplacer);
    }
  } catch (e) {
    throw new StockroomError('bad_request', `The request cannot be serialized as JSON: ${e.message}`);
  }
  if (text === undefined) throw new StockroomError('bad_request', 'The request must be a JSON object.');
  return text;
}

function commandBody(op, cmd) {
  if (cmd === undefined || cmd === null) cmd = {};
  if (typeof cmd !== 'object' || Array.isArray(cmd)) {
    throw new StockroomError('bad_request', `The ${op} command must be an object.`);
  }
  const body = convertQuantities(cmd);
  body.op = op;
  if (body.at === undefined) body.at = Date.now();
  return body;
}

// A query's JSON text: the caller's members with `op` written after them, where `{ ...query, op }`
// would put it. The core reads the last of repeated members, so `op` wins as it did in the copy, and
// the caller's object is not copied first (the spread into a literal took 0.44 µs of a 3.3 µs
// levelAsOf). An object whose toJSON() gives no object goes the copy's way.
function queryJson(op, query) {
  if (query === undefined || query === null) query = {};
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw new StockroomError('bad_request', `The ${op} query must be an object.`);
  }
  const text = requestJson(query);
  if (text.charCodeAt(0) !== 0x7b /* { */) return requestJson({ ...query, op });
  const member = `"op":${JSON.stringify(op)}`;
  return text.length === 2 ? `{${member}}` : `${text.slice(0, -1)},${member}}`;
}

export class Ledger {
  #core;
  #raw;

  /** @internal Use openLedger(). */
  constructor(core, key) {
    if (key !== token) throw new TypeError('Use openLedger() to create a Ledger.');
    this.#core = core;
    this.#raw = core.Ledger.create();
    registry?.register(this, this.#raw, this);
  }

  #handle() {
    if (this.#raw === null) throw closedError();
    return this.#raw;
  }

  #call(body) {
    const response = this.request(body);
    if (response.ok === true) {
      const { ok, ...rest } = response;
      return rest;
    }
    throw errorFromResponse(response.error);
  }

  // A query's answer: its text without `ok` parsed and handed over as it is. (Commands keep #call:
  // their answers through this way measured ~4 % slower, 92-93 against 96-98 k commands/s.)
  #query(op, query) {
    const raw = this.#handle();
    return JSON.parse(this.#answerOf(raw, queryJson(op, query)));
  }

  // ---- The raw protocol.

  /**
   * Runs one protocol request and returns the whole response, `ok: true` or not. Never throws for
   * a protocol error (a request that cannot be serialized answers bad_request); throws only a
   * StockroomError 'closed' after close(). Bigints are sent as decimal strings.
   */
  request(request) {
    const raw = this.#handle();
    let text;
    try {
      text = requestJson(request);
    } catch (e) {
      return badRequest(e.message);
    }
    return JSON.parse(this.#inHeap(text, (address, length) => takeView(raw, raw.requestView(address, length))));
  }

  /**
   * Runs one protocol request and returns its answer as JSON text without the `ok` member, for a host
   * that hands the answer on unchanged (an HTTP body): the answer is never parsed here nor built again
   * there. Throws a StockroomError when the request fails, like the typed methods.
   */
  answerText(request) {
    const raw = this.#handle();
    return this.#answerOf(raw, requestJson(request));
  }

  // The answer without `ok` to a request's JSON text, or its error thrown.
  #answerOf(raw, text) {
    const answer = this.#inHeap(text, (address, length) => takeView(raw, raw.requestBodyView(address, length)));
    return this.#bodyOrThrow(raw, answer);
  }

  /**
   * productStock() as JSON text without `ok`, the same text as answerText({ op: 'product_stock', ... }):
   * for a host that sends it on as it is. A positive safe integer id is asked without a request
   * document (nothing to write and parse: measured 80 -> 62 µs per GET in the REST service); any
   * other id goes the protocol's way and is validated there.
   */
  productStockText(productId) {
    if (!Number.isSafeInteger(productId) || productId < 1) {
      return this.answerText({ op: 'product_stock', product_id: productId });
    }
    const raw = this.#handle();
    return this.#bodyOrThrow(raw, takeView(raw, raw.productStockBodyView(productId)));
  }

  // The text of an answer body (request_body_view and the like), or its error thrown.
  #bodyOrThrow(raw, answer) {
    if (raw.bodyOk()) return answer;
    throw errorFromResponse(JSON.parse(answer).error);
  }

  // Runs `use(address, length)` with `text` written once as UTF-8 into the wasm heap, and frees it
  // after. (embind's std::string conversion loops over every character in JS: ~15x slower on a
  // 100 MB journal, and measurable on every request.)
  #inHeap(text, use) {
    const core = this.#core;
    let bytes = null;
    const length = hasBuffer ? Buffer.byteLength(text, 'utf8') : (bytes = encoder.encode(text)).length;
    const address = core._malloc(Math.max(length, 1));
    if (!address) throw new RangeError('stockroom: out of memory for the request');
    try {
      const target = core.HEAPU8.subarray(address, address + length);  // after _malloc: may have grown
      if (bytes) target.set(bytes);
      else encoder.encodeInto(text, target);
      return use(address, length);
    } finally {
      core._free(address);
    }
  }

  // ---- Catalog.

  register(catalog) {
    const body = convertQuantities(catalog ?? {});
    body.op = 'register';
    return this.#call(body);
  }

  // ---- Commands.

  initialStock(cmd) { return this.#call(commandBody('initial_stock', cmd)); }
  adjust(cmd) { return this.#call(commandBody('adjust', cmd)); }
  transfer(cmd) { return this.#call(commandBody('transfer', cmd)); }
  sell(cmd) { return this.#call(commandBody('sell', cmd)); }
  voidSale(cmd) { return this.#call(commandBody('void_sale', cmd)); }
  purchase(cmd) { return this.#call(commandBody('purchase', cmd)); }
  count(cmd) { return this.#call(commandBody('count', cmd)); }
  setMinimum(cmd) { return this.#call(commandBody('set_minimum', cmd)); }

  // ---- Queries.

  getMovement(id) { return this.#call({ op: 'get_movement', id }); }
  listMovements(query) { return this.#query('list_movements', query); }
  report(query) { return this.#query('report', query); }
  productStock(productId) { return JSON.parse(this.productStockText(productId)); }
  workspaceLevels(query) { return this.#query('workspace_levels', query); }
  lowStock(query) { return this.#query('low_stock', query); }
  levelAsOf(query) { return this.#query('level_as_of', query); }

  // ---- Host support.

  // The protocol's `checkpoint` answer, read as numbers from the core (no request or answer text:
  // the REST service takes a checkpoint before every write; about 3 -> 0.2 µs a call).
  checkpoint() {
    const v = this.#handle().checkpointView();
    return {
      checkpoint: { contexts: v[0], levels: v[1], minimum_changes: v[2], movements: v[3], serial: v[4], texts: v[5] },
    };
  }

  rollback(checkpoint) {
    // Accept the checkpoint() answer itself as well as its `checkpoint` member.
    const mark = checkpoint !== null && typeof checkpoint === 'object' &&
      checkpoint.checkpoint !== null && typeof checkpoint.checkpoint === 'object'
      ? checkpoint.checkpoint : checkpoint;
    return this.#call({ op: 'rollback', checkpoint: mark });
  }

  verify() { return this.#call({ op: 'verify' }); }
  stats() { return this.#call({ op: 'stats' }); }

  exportJournal(afterId = 0) {
    const raw = this.#handle();
    const after = movementIdToNumber(afterId, 'after_id');
    // One crossing: the core writes the journal into a buffer it owns, JS decodes it in place.
    return takeView(raw, raw.exportJournalView(after));
  }

  replayJournal(journal) {
    const raw = this.#handle();
    if (typeof journal !== 'string') throw fieldError('journal', 'The journal must be a string.');
    // One crossing: the UTF-8 bytes are written straight into the wasm heap.
    const answer = JSON.parse(this.#inHeap(journal, (address, length) => raw.replayJournalBytes(address, length)));
    if (answer.ok === true) return { appended: answer.appended };
    throw errorFromResponse(answer.error);
  }

  // ---- Lifetime.

  /** Frees the C++ ledger. Idempotent; any later call throws StockroomError 'closed'. */
  close() {
    if (this.#raw === null) return;
    registry?.unregister(this);
    const raw = this.#raw;
    this.#raw = null;
    raw.delete();
  }

  /** True once close() has been called. */
  get closed() { return this.#raw === null; }
}

/** @internal */
export function createLedger(core) {
  return new Ledger(core, token);
}
