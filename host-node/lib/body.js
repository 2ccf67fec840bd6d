// Lossless JSON request bodies: numbers that a double cannot carry exactly (999999999999.99999, 1e3, 12.50)
// reach the handlers as their original text, so the core decides about them and nothing is rounded.
import { parse } from 'lossless-json';
import { badRequest } from './errors.js';

export const MAX_DEPTH = 32;
const NUMBER_CHAR = /[-+.eE0-9]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Keeps a JS number only when it prints back exactly as written; else the text itself. */
export function parseNumber(text) {
  const n = Number(text);
  return String(n) === text ? n : text;
}

function check(value, depth) {
  if (depth > MAX_DEPTH) throw badRequest('The request body is nested too deeply.');
  if (typeof value === 'string') { wellFormed(value); return; }
  if (Array.isArray(value)) { for (const v of value) check(v, depth + 1); return; }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw badRequest(`The request body may not contain the key "${key}".`);
      wellFormed(key);
      check(value[key], depth + 1);
    }
  }
}

/** A \ud800 escape without its pair is not a character: such text cannot be stored or answered faithfully. */
function wellFormed(s) {
  if (!s.isWellFormed()) throw badRequest('The request body contains an unpaired surrogate (\\uD800-\\uDFFF escape).');
}

/**
 * One pass over the text before parsing: nesting deeper than MAX_DEPTH is refused (a recursive parser
 * would otherwise spend a stack on 500,000 brackets), and so is a key given twice in one object, even
 * with the same value or spelled with escapes ("a" and "\\u0061"): lossless-json only refuses duplicates
 * whose values differ. Malformed text is left to the parser. Returns true when every number of the text
 * prints back exactly as written (parseNumber would keep each as a JS number): then JSON.parse gives
 * the same value as the lossless parse, faster.
 */
function checkStructure(text) {
  const stack = []; // { keys: Set | null (array), expectKey }
  let plainNumbers = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: find its end
      let k = i + 1; let plainKey = true; // no escape, no control character: the key is its text
      for (let d = text.charCodeAt(k); k < text.length && d !== 34; d = text.charCodeAt(k)) {
        if (d === 92) { plainKey = false; k += 2; } else { if (d < 32) plainKey = false; k += 1; }
      }
      const top = stack[stack.length - 1];
      if (top && top.keys && top.expectKey) {
        let key;
        if (plainKey && k < text.length) key = text.slice(i + 1, k);
        else try { key = JSON.parse(text.slice(i, k + 1)); } catch { return false; } // malformed: the parser reports it
        if (top.keys.has(key)) throw badRequest(`The request body is not valid JSON: the key "${key.slice(0, 100)}" is given twice in one object.`);
        top.keys.add(key);
        top.expectKey = false;
      }
      i = k;
    } else if (c === 123 || c === 91) {
      if (stack.length >= MAX_DEPTH) throw badRequest('The request body is nested too deeply.');
      stack.push({ keys: c === 123 ? new Set() : null, expectKey: c === 123 });
    } else if (c === 125 || c === 93) stack.pop();
    else if (c === 44) { const top = stack[stack.length - 1]; if (top && top.keys) top.expectKey = true; }
    else if (c === 45 || (c >= 48 && c <= 57)) { // a number: as many of -+.eE0-9 as follow
      let k = i + 1;
      while (k < text.length && NUMBER_CHAR.test(text[k])) k += 1;
      if (plainNumbers) { const t = text.slice(i, k); plainNumbers = String(Number(t)) === t; }
      i = k - 1;
    }
  }
  return plainNumbers;
}

const NOT_PARSED = Symbol('not parsed');

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Request body bytes -> value: the bytes must be UTF-8 (else 400; nothing is silently replaced by
 * U+FFFD), then as parseBody.
 */
export function parseBodyBytes(bytes) {
  let text;
  try { text = utf8.decode(bytes); } catch { throw badRequest('The request body is not valid UTF-8.'); }
  return parseBody(text);
}

/** The charset parameter of a JSON Content-Type, if any, must be UTF-8. */
export function jsonCharsetOk(contentType) {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(String(contentType ?? ''));
  return !m || /^utf-?8$/i.test(m[1]);
}

/**
 * Parses request body text; throws ApiError 400 bad_request on anything that is not clean JSON. An empty
 * body is no body (routes that need one answer 422), so body-less POSTs such as /void work whatever
 * Content-Type the client adds.
 */
export function parseBody(text) {
  if (text.trim() === '') return undefined;
  let value = NOT_PARSED;
  // Every number plain: JSON.parse (the same value, ~10x faster). Anything it refuses, and texts with
  // numbers kept as text (12.50, 1e3, 2^53 + 1), go to the lossless parser, which also words the error.
  if (checkStructure(text)) { try { value = JSON.parse(text); } catch { value = NOT_PARSED; } }
  if (value === NOT_PARSED) {
    try {
      value = parse(text, null, parseNumber);
    } catch (e) {
      throw badRequest(`The request body is not valid JSON: ${String(e.message).slice(0, 200)}`);
    }
  }
  check(value, 1);
  return value;
}

/** A stable serialization (sorted keys) for request fingerprints. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
