// The one place where the core's error codes become JavaScript errors.
//
// Every failure of a Ledger method is a StockroomError whose `code` is one of ERROR_CODES (the
// stable names of the C++ enum stockroom::ErrorCode, see core/include/stockroom/status.h) or the
// package's own 'closed'. A test (tests/node/package-errors.test.js) reads the C++ list through
// the wasm module and proves that ERROR_CODES names every one of them.

/**
 * Every error code of the core, with what it means. Frozen; keys in the C++ declaration order.
 * @type {Readonly<Record<string, string>>}
 */
export const ERROR_DESCRIPTIONS = Object.freeze({
  bad_request: 'The request itself cannot be read: not JSON, not an object, or an unknown op.',
  validation_failed: 'A field is missing, of the wrong type or out of range (see errors).',
  not_found: 'The named movement or product does not exist in this ledger.',
  conflict: 'The state forbids it, e.g. voiding a sale twice.',
  insufficient_stock: 'The level would go below zero where that is not allowed (see details).',
  product_not_tracked: 'An inventory operation on a product that does not track inventory.',
  initial_stock_already_set: 'The product already has movements in the workspace.',
  stale_quantity: 'expected_quantity no longer matches the level (see details).',
});

/** The core's error codes, in the C++ declaration order. */
export const ERROR_CODES = Object.freeze(Object.keys(ERROR_DESCRIPTIONS));

/** Codes raised by the package itself, never by the core. */
export const PACKAGE_ERROR_CODES = Object.freeze(['closed']);

/**
 * The error every Ledger method throws when the core answers `ok: false` (and for use after
 * close()). Plain data besides the message, so it can be logged or sent as JSON as is.
 */
export class StockroomError extends Error {
  /**
   * @param {string} code one of ERROR_CODES or PACKAGE_ERROR_CODES
   * @param {string} message a human sentence
   * @param {{errors?: Record<string, string[]>, details?: object|null, cause?: unknown}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'StockroomError';
    /** @type {string} */
    this.code = code;
    /** Field path (e.g. "items.0.quantity") -> messages; `{}` when no field is to blame. */
    this.errors = extra.errors ?? {};
    /** { product_id, workspace_id, available, requested } for stock errors, else null. */
    this.details = extra.details ?? null;
  }

  /** The protocol's error object: { code, message, errors, details }. */
  toJSON() {
    return { code: this.code, message: this.message, errors: this.errors, details: this.details };
  }
}

/** True when `value` is a StockroomError (optionally with the given code). */
export function isStockroomError(value, code) {
  return value instanceof StockroomError && (code === undefined || value.code === code);
}

/** Turns the `error` member of an `ok: false` response into a StockroomError. */
export function errorFromResponse(error) {
  if (error === null || typeof error !== 'object') {
    return new StockroomError('bad_request', 'The core answered without an error object.');
  }
  // An unknown code means the package and the core are out of step; keep the core's word.
  return new StockroomError(String(error.code), String(error.message ?? error.code), {
    errors: error.errors ?? {},
    details: error.details ?? null,
  });
}

/** A validation_failed error on one field (raised by the package before the core is asked). */
export function fieldError(field, message) {
  return new StockroomError('validation_failed', message, { errors: { [field]: [message] } });
}

/** The error for any call on a closed Ledger. */
export function closedError() {
  return new StockroomError('closed', 'This ledger has been closed; open a new one with openLedger().');
}
