// Exact decimals for the few values the host owns itself (product price, invoice unit prices and totals).
// Stock quantities are never computed here: the core does that.
const SCALE = 10000n;
const LIMIT = 1000000000000n * SCALE;

/** Parses a money value (string or exact number, at most 4 places, 0..10^12) to raw 1/10,000 units, or null. */
export function parseMoney(v) {
  let s;
  if (typeof v === 'number') { if (!Number.isFinite(v)) return null; s = String(v); } else if (typeof v === 'string') s = v.trim(); else return null;
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return null;
  const raw = BigInt(m[1]) * SCALE + BigInt(((m[2] ?? '') + '0000').slice(0, 4));
  return raw > LIMIT ? null : raw;
}

/** Money output: 2 places, or more where needed ("2.50", "0.0125"). */
export function formatMoney(raw) {
  const neg = raw < 0n; const a = neg ? -raw : raw;
  let frac = String(a % SCALE).padStart(4, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${a / SCALE}.${frac}`;
}

/** A decimal string (as the core accepted it) to raw units; null when it is not a plain decimal. */
export function parseRaw(v) {
  const m = /^([+-]?)(\d+)(?:\.(\d{1,4}))?$/.exec(String(v).trim());
  if (!m) return null;
  const raw = BigInt(m[2]) * SCALE + BigInt(((m[3] ?? '') + '0000').slice(0, 4));
  return m[1] === '-' ? -raw : raw;
}

/** Raw units with exactly `places` decimals ("12.50"). */
export function formatFixed(raw, places) {
  const neg = raw < 0n; const a = neg ? -raw : raw;
  const frac = String(a % SCALE).padStart(4, '0').slice(0, places);
  return `${neg ? '-' : ''}${a / SCALE}${places ? '.' + frac : ''}`;
}

/** quantity x price, both raw, rounded half-up to 4 places (money). */
export function multiply(qtyRaw, priceRaw) {
  const p = qtyRaw * priceRaw; // scale 10^8
  return (p + SCALE / 2n) / SCALE;
}
