// The TypeScript declarations (wasm/js/index.d.ts) type-check a consumer that uses every public
// API, and they declare exactly what the JS module exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as stockroom from 'stockroom';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('tsc --noEmit -p tests/node/consumer passes', () => {
  try {
    execFileSync('node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tests/node/consumer'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('every runtime export is declared, and every declared value exists', () => {
  const dts = readFileSync(new URL('../../wasm/js/index.d.ts', import.meta.url), 'utf8');
  const declared = [...dts.matchAll(/^export (?:const|function|class) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(stockroom).sort(), declared);
});

test('every Ledger method is declared', () => {
  const dts = readFileSync(new URL('../../wasm/js/index.d.ts', import.meta.url), 'utf8');
  const body = dts.slice(dts.indexOf('export class Ledger'));
  const methods = Object.getOwnPropertyNames(stockroom.Ledger.prototype).filter((k) => k !== 'constructor');
  for (const m of methods) assert.match(body, new RegExp(`^  (readonly )?${m}[(:]`, 'm'), m);
});
