// host-node/lib/tick-shapes.js: after old-space GCs, process.nextTick's tick-object literal keeps its
// feedback when the service holds the in-between shapes, and goes megamorphic for good when it does not.
// The second case is the Node behaviour the module works around: when a Node no longer shows it, this
// test fails, and the module can go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/tick-shapes-probe.mjs');

/** The feedback states of nextTick's literal property definitions, in order: e.g. ['MONOMORPHIC', ...]. */
function literalFeedback(mode) {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', probe, mode], { encoding: 'utf8' });
  return [...out.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]);
}

test('without the held shapes, a GC turns the tick literal megamorphic (what the module works around)', () => {
  const states = literalFeedback('none');
  assert.equal(states.length, 4, 'four property definitions: both async ids, callback, args');
  assert.deepEqual(states.slice(1), ['MEGAMORPHIC', 'MEGAMORPHIC', 'MEGAMORPHIC']);
});

test('with the held shapes, every definition of the tick literal stays monomorphic through GCs', () => {
  assert.deepEqual(literalFeedback('keep'), ['MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC']);
});

test('keepTickObjectShapes finds the tick literal on this Node, once per process', async () => {
  const { keepTickObjectShapes } = await import('../../host-node/lib/tick-shapes.js');
  const first = keepTickObjectShapes();
  assert.equal(await first, true);
  assert.equal(keepTickObjectShapes(), first);
});
