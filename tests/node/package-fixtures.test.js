// The shared fixture set (tests/fixtures/*.json) through the npm package's raw protocol call:
// every step's request goes through ledger.request() and its answer must contain step.expect
// (a deep subset, see support/subset.js). The GoogleTest suite and the HTTP tests read the same
// files, so every layer proves the same behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { openLedger } from 'stockroom';
import { subsetMismatches } from './support/subset.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];

test('the fixture set is present', () => {
  assert.ok(files.length > 0, `no fixtures in ${dir}`);
});

for (const file of files) {
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  test(`fixture ${file}: ${fixture.name ?? ''}`, async () => {
    assert.ok(Array.isArray(fixture.steps) && fixture.steps.length > 0, 'fixture has no steps');
    const ledger = await openLedger();
    try {
      fixture.steps.forEach((step, i) => {
        const response = ledger.request(step.request);
        const mismatches = subsetMismatches(response, step.expect);
        if (mismatches.length > 0) {
          assert.fail(`${file} step ${i} (${step.request?.op}):\n  ${mismatches.slice(0, 15).join('\n  ')}` +
            `\n  response: ${JSON.stringify(response).slice(0, 600)}`);
        }
      });
    } finally {
      ledger.close();
    }
  });
}
