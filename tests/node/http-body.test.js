// Request bodies (host-node/lib/body.js): texts whose numbers all print back as written take JSON.parse,
// the others the lossless parser. Both paths must give exactly what the lossless parser gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'lossless-json';
import { parseBody, parseNumber } from '../../host-node/lib/body.js';

const result = (fn) => { try { return { ok: fn() }; } catch (e) { return { err: e }; } };

test('numbers: kept as numbers only when they print back exactly, on either path', () => {
  assert.deepEqual(parseBody('{"product_id":12,"quantity":"1","x":[1.5,-2,0,1e-7]}'), { product_id: 12, quantity: '1', x: [1.5, -2, 0, 1e-7] });
  for (const [text, value] of [['12.50', '12.50'], ['1e3', '1e3'], ['-0', '-0'], ['9007199254740993', '9007199254740993'], ['999999999999.99999', '999999999999.99999'], ['1E-7', '1E-7']]) {
    assert.deepEqual(parseBody(`{"a":1,"q":${text}}`), { a: 1, q: value }, text);
  }
});

test('the checks hold on the JSON.parse path too', () => {
  for (const text of ['{"__proto__":1}', '{"a":{"constructor":2}}', '[{"prototype":0}]', '{"a":1,"a":1}', '{"a":1,"\\u0061":1}',
    '{"s":"\\ud800"}', `${'['.repeat(40)}${']'.repeat(40)}`, '{"a":1', '{"a":01}', '{"a":1}x', '\ufeff{"a":1}']) {
    assert.equal(result(() => parseBody(text)).err?.status, 400, text);
  }
  assert.equal(Object.getPrototypeOf(result(() => parseBody('{"a":{"b":[1]}}')).ok), Object.prototype);
});

test('seeded random texts: what parseBody accepts is exactly the lossless parse', () => {
  let seed = 7; const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const atoms = ['0', '1', '-1', '12.5', '12.50', '1e3', '-0', '0.1', '9007199254740993', '5e-324', '1.', '.5', '01', '-', '1e',
    '"x"', '"\\u0061"', '"a\\"b"', '"\u0001"', 'true', 'false', 'null', 'nul', '""', '"\\n"'];
  const keys = ['a', 'b', 'a', 'quantity', '\\u0061', 'a\u0001', 'x\\"y'];
  const gen = (d) => {
    const r = rnd(10);
    if (d > 3 || r < 4) return atoms[rnd(atoms.length)];
    if (r < 7) return `{${Array.from({ length: rnd(4) }, () => `"${keys[rnd(keys.length)]}":${gen(d + 1)}`).join(',')}}`;
    return `[${Array.from({ length: rnd(4) }, () => gen(d + 1)).join(',')}]`;
  };
  const mutate = (t) => { const i = rnd(t.length + 1); return rnd(2) ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + '{}[],:"-1e. \u00a0'[rnd(13)] + t.slice(i); };
  let accepted = 0;
  for (let n = 0; n < 20000; n++) {
    const text = rnd(3) ? gen(0) : mutate(gen(0));
    const mine = result(() => parseBody(text)); const lossless = result(() => parse(text, null, parseNumber));
    if (mine.err) { assert.equal(mine.err.status, 400, text); continue; } // refused: lossless too, or one of our checks
    assert.ok(!lossless.err, `accepted what the lossless parser refuses: ${text}`);
    assert.deepStrictEqual(mine.ok, lossless.ok, text);
    accepted += 1;
  }
  assert.ok(accepted > 5000, `${accepted} accepted`);
});
