// The fixture matcher shared by the package tests and the HTTP tests.
//
// `expected` is a deep subset of `actual`:
// - objects: every member of `expected` is present in `actual` and matches recursively (extra
//   members of `actual` are ignored);
// - arrays: same length, element by element;
// - anything else: strictly equal (so "50.00" does not match "50" and 1 does not match "1").
//
// subsetMismatches returns every difference as "path: message" (empty when it matches);
// assertSubset throws an AssertionError listing them.

import assert from 'node:assert/strict';

function kind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function show(value) {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : (text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

export function subsetMismatches(actual, expected, path = '$', out = []) {
  const k = kind(expected);
  if (k === 'array') {
    if (!Array.isArray(actual)) {
      out.push(`${path}: expected an array of ${expected.length}, got ${show(actual)}`);
    } else if (actual.length !== expected.length) {
      out.push(`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    } else {
      expected.forEach((e, i) => subsetMismatches(actual[i], e, `${path}[${i}]`, out));
    }
  } else if (k === 'object') {
    if (kind(actual) !== 'object') {
      out.push(`${path}: expected an object, got ${show(actual)}`);
    } else {
      for (const key of Object.keys(expected)) {
        if (!Object.prototype.hasOwnProperty.call(actual, key)) {
          out.push(`${path}.${key}: missing (expected ${show(expected[key])})`);
        } else {
          subsetMismatches(actual[key], expected[key], `${path}.${key}`, out);
        }
      }
    }
  } else if (!Object.is(actual, expected) && !(actual === 0 && expected === 0)) {
    out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }
  return out;
}

export function isSubset(actual, expected) {
  return subsetMismatches(actual, expected).length === 0;
}

export function assertSubset(actual, expected, message = 'response does not match') {
  const mismatches = subsetMismatches(actual, expected);
  if (mismatches.length > 0) {
    throw new assert.AssertionError({
      message: `${message}:\n  ${mismatches.slice(0, 20).join('\n  ')}` +
        (mismatches.length > 20 ? `\n  ... and ${mismatches.length - 20} more` : ''),
      actual, expected, operator: 'subset',
    });
  }
}
