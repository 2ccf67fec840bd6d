// Converting JS values into the protocol's wire form before a request is serialized.
//
// Quantities and money are exact decimals in the core (int64 counts of 1/10,000). Their exact JS
// form is a decimal string ("12.5"). A bigint is taken as a whole number. A JS number is accepted
// when its shortest decimal rendering (String(n)) is a plain decimal (no exponent): 12.5 -> "12.5",
// but 1e21, 1e-7, NaN and Infinity are refused with validation_failed on that field, and
// 0.1 + 0.2 is sent as "0.30000000000000004", which the core then refuses for its places.

import { fieldError } from './errors.js';

/** Members that hold a quantity or an amount of money, at the top level or in a list entry. */
const QUANTITY_KEYS = new Set([
  'quantity', 'expected_quantity', 'minimum_quantity', 'cost_per_unit', 'unit_cost',
]);
/** Members that hold lists of entries (command items, sale lines, registered minimums). */
const LIST_KEYS = new Set(['items', 'lines', 'minimums']);

/** One quantity in its wire form; throws a StockroomError naming `path` for a bad number. */
export function quantityToWire(value, path) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    const text = String(value);
    if (!Number.isFinite(value) || /e/i.test(text)) {
      throw fieldError(path, `The quantity ${text} cannot be sent exactly: pass it as a decimal ` +
        'string such as "12.5" (numbers must be finite and print without an exponent).');
    }
    return text;
  }
  return value;  // strings as they are; anything else is the core's to refuse
}

function convertEntry(entry, prefix) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const out = { ...entry };
  for (const key of Object.keys(out)) {
    if (QUANTITY_KEYS.has(key)) out[key] = quantityToWire(out[key], `${prefix}${key}`);
  }
  return out;
}

/**
 * A shallow copy of a command or registration with every quantity in its wire form. The caller's
 * objects are not modified.
 */
export function convertQuantities(body) {
  const out = convertEntry(body, '');
  for (const key of Object.keys(out)) {
    if (LIST_KEYS.has(key) && Array.isArray(out[key])) {
      out[key] = out[key].map((entry, i) => convertEntry(entry, `${key}.${i}.`));
    }
  }
  return out;
}

/** JSON.stringify replacer: a bigint (an id or a quantity) goes out as its decimal string. */
export function bigintReplacer(key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A movement id (afterId of exportJournal): a non-negative integer as number, bigint or digits. */
export function movementIdToNumber(value, field) {
  if (value === undefined || value === null) return 0;
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^[0-9]+$/.test(value)) n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw fieldError(field, `The ${field} must be a non-negative integer.`);
  }
  return n;
}
